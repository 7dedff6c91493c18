"""The escaping layer, end to end: every string field of a corpus holds an HTML payload, the corpus
is staged and built with `mkdocs build --strict`, and no payload becomes markup or an attribute in
any HTML, SVG or JSON file of the site.

The payloads go in after the check (which refuses most of them) so that what is tested is the
emit stage alone: a string the check ever lets through must still land as text.
"""

from __future__ import annotations

import dataclasses
import json
import os
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from papernotes.engine.render import build_site
from papernotes.engine.staging import write_staging
from papernotes.link import build_corpus
from papernotes.pipeline import stage_files
from papernotes.records import Chart, CheckResult, KnowledgeData, Note, Part, Reference, Survey, Topic, Vocabulary
from support import KB, note_text, pages_read_unlike_html_parser

pytestmark = pytest.mark.slow

EVIL_TAG, EVIL_ATTR, EVIL_CALL = "pn-evil", "pn-attr", "pnPayload"
PAYLOAD = (
    f"\"'<>& <{EVIL_TAG} {EVIL_ATTR}=1>x</{EVIL_TAG}> <script>{EVIL_CALL}()</script>"
    f' " {EVIL_ATTR}="1 \' {EVIL_ATTR}=\'1 0;url=https://evil.example/" http-equiv="refresh'
)


def evil(value: str) -> str:
    """A field's text with the payload around it."""
    return f"{value} {PAYLOAD}"


def _survey(survey: Survey) -> Survey:
    sections = tuple(
        dataclasses.replace(
            s,
            title=evil(s.title),
            pages=evil(s.pages),
            note=evil(s.note),
            topics=(*s.topics, Topic(evil("topic"), evil("inferred"))),
        )
        for s in survey.sections
    )
    return dataclasses.replace(
        survey,
        title=evil(survey.title),
        short_title=evil(survey.short_title),
        authors=tuple(evil(a) for a in survey.authors),
        date=evil(survey.date),
        first_submitted=evil(survey.first_submitted),
        sections=sections,
        sources=tuple((k, evil(w), evil(x)) for k, w, x in survey.sources),
        by_number={s.number: s for s in sections},
    )


def _reference(ref: Reference) -> Reference:
    texts = {"title", "author", "year", "booktitle", "journal"}
    fields = tuple((k, evil(v) if k.lower() in texts else v) for k, v in ref.fields)
    if not any(k.lower() == "journal" for k, _ in fields):
        fields += (("journal", PAYLOAD),)
    return dataclasses.replace(ref, fields=fields)


def poisoned(data: KnowledgeData) -> KnowledgeData:
    """Every text of the data files with the payload in it; identifiers, numbers and URLs are left as they are."""
    vocab = Vocabulary(
        {name: dataclasses.replace(t, description=evil(t.description)) for name, t in data.vocab.tags.items()},
        tuple((g, evil(title)) for g, title in data.vocab.groups),
        data.vocab.aliases,
    )
    charts = {
        name: Chart(c.name, evil(c.title), evil(c.description), evil(c.source), evil(c.value_label), tuple((evil(label), v) for label, v in c.bars))
        for name, c in data.charts.items()
    }
    refs = {key: _reference(ref) for key, ref in data.refs.items()}
    sources = {
        key: dataclasses.replace(src, title=evil(src.title), good_for=evil(src.good_for), where=evil(src.where), caveat=evil(src.caveat))
        for key, src in data.sources.items()
    }
    glossary = {name: dataclasses.replace(term, definition=evil(term.definition)) for name, term in data.glossary.items()}
    return KnowledgeData(_survey(data.survey), vocab, refs, charts, sources, glossary)


def poisoned_note(note: Note) -> Note:
    return dataclasses.replace(note, meta=dataclasses.replace(note.meta, title=evil(note.meta.title), summary=evil(note.meta.summary)))


def poisoned_part(part: Part) -> Part:
    return dataclasses.replace(part, title=evil(part.title), summary=evil(part.summary), covers=evil(part.covers))


class Markup(HTMLParser):
    """Every element and attribute name of an HTML file, and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs += [(tag, name, value or "") for name, value in attrs]
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def html_problems(text: str) -> list[str]:
    """What in one HTML file came from a payload as markup rather than text."""
    raw = [f"raw {found}" for found in (f"<{EVIL_TAG}", f"<script>{EVIL_CALL}") if found in text]
    if raw:
        return raw  # and no parse: html.parser can take minutes on the broken markup a payload leaves
    parser = Markup()
    parser.feed(text)
    out = [f"element <{EVIL_TAG}>"] if EVIL_TAG in parser.tags else []
    out += [f"attribute {name} on <{tag}>" for tag, name, _ in parser.attrs if name in {EVIL_ATTR, "http-equiv"}]
    out += ["script from a payload" for script in parser.scripts if EVIL_CALL in script]
    return out


def svg_problems(text: str) -> list[str]:
    """What in one SVG came from a payload as markup; the file must also be well-formed XML."""
    root = ET.fromstring(text)  # noqa: S314 - our own build's output, parsed to show it is well-formed
    out = []
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name in {EVIL_TAG, "script"}:
            out.append(f"element <{name}>")
        out += [f"attribute {a}" for a in element.attrib if a in {EVIL_ATTR, "http-equiv"}]
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge base whose every string holds the payload, staged and built."""
    kb = KB(tmp_path_factory.mktemp("payload") / "kb")
    first = "## What\n\nSee [the other note](second.md) and [@wei2025swerl], scored on SWE-bench.\n"
    kb.write("notes/agents/first.md", note_text(body=first, basis="[ko-summary]", confidence="single-source"))
    kb.write("notes/agents/second.md", note_text(body="## What\n\nSee [the first note](first.md) and §5.3 [@jain2025r2egym].\n"))
    clean = kb.check()
    assert clean.corpus is not None and clean.errors == 0, [d.render() for d in clean.diagnostics]
    corpus = clean.corpus
    data = poisoned(corpus.data)
    poisoned_corpus = build_corpus(data, [poisoned_note(n) for n in corpus.notes], [poisoned_part(p) for p in corpus.parts])
    write_staging(stage_files(CheckResult(poisoned_corpus, ())), kb.root)
    code, output, broken = build_site(kb.root)
    assert code == 0, (output[-3000:], broken)
    return kb.root / "site"


def site_files(site: Path, suffix: str) -> list[Path]:
    return sorted(p for p in site.rglob(f"*{suffix}") if p.is_file())


def test_payload_reaches_the_pages_as_text(built: Path) -> None:
    """The payload is on the pages (so the test can fail), as text: the tag page's meta description and a
    glossary tooltip hold it whole; the sources and glossary pages show it escaped."""
    page = (built / "tags" / "swe-agents" / "index.html").read_text(encoding="utf-8")
    parser = Markup()
    parser.feed(page)
    descriptions = [value for tag, name, value in parser.attrs if tag == "meta" and name == "content" and EVIL_CALL in value]
    assert descriptions and PAYLOAD in descriptions[0]
    assert "&lt;script&gt;" in (built / "survey" / "index.html").read_text(encoding="utf-8")
    note = Markup()
    note.feed((built / "agents" / "first" / "index.html").read_text(encoding="utf-8"))
    assert any(tag == "abbr" and name == "title" and PAYLOAD in value for tag, name, value in note.attrs)  # a glossary tooltip
    assert "&lt;script&gt;" in (built / "sources" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in (built / "glossary" / "index.html").read_text(encoding="utf-8")


def test_no_payload_becomes_markup_in_html(built: Path) -> None:
    """No HTML file has an element, an attribute or a script that a payload made."""
    files = site_files(built, ".html")
    assert len(files) > 10
    problems = [f"{p.relative_to(built).as_posix()}: {found[0]}" for p in files if (found := html_problems(p.read_text(encoding="utf-8")))]
    if problems:  # a plain message: pytest's diff of a long list takes minutes
        pytest.fail(f"{len(problems)} files with markup from a payload, e.g. " + "; ".join(problems[:5]))


def test_link_checker_reads_the_payload_site_as_html_parser_does(built: Path) -> None:
    """With a payload in every text (quotes, '<', '>', entities in attribute values and text), the link
    check still finds on every page the ids and links that html.parser finds."""
    assert pages_read_unlike_html_parser(built) == []


def test_no_payload_becomes_markup_in_svg(built: Path) -> None:
    """Every SVG is well-formed XML, and no element or attribute in it came from a payload."""
    files = site_files(built, ".svg")
    charts = [p for p in files if "charts" in p.parts or p.name == "coverage.svg"]
    assert charts
    problems = [f"{p.relative_to(built).as_posix()}: {found[0]}" for p in charts if (found := svg_problems(p.read_text(encoding="utf-8")))]
    if problems:
        pytest.fail(f"{len(problems)} SVG files with markup from a payload, e.g. " + "; ".join(problems[:5]))


def test_every_json_file_parses_and_keeps_the_payload_as_a_string(built: Path) -> None:
    """notes.json and the search index are valid JSON; the payload is a string value in them."""
    files = site_files(built, ".json")
    assert any(p.name == "notes.json" for p in files)
    for path in files:
        value: Any = json.loads(path.read_text(encoding="utf-8"))
        if path.name == "notes.json":
            assert all(PAYLOAD in record["title"] for record in value)


def test_explorer_labels_are_json_that_cannot_close_the_attribute(built: Path) -> None:
    """The explorer's labels, written into a data attribute, parse back to the payload and hold no raw '<'."""
    parser = Markup()
    parser.feed((built / "explore" / "index.html").read_text(encoding="utf-8"))
    labels = [value for _, name, value in parser.attrs if name == "data-labels"]
    assert len(labels) == 1 and "<" not in labels[0].replace(PAYLOAD, "")
    assert any(PAYLOAD in title for _, title in json.loads(labels[0])["parts"])


@pytest.mark.skipif(os.name != "posix", reason="the build runs MkDocs in a subprocess on POSIX")
def test_staged_front_matter_escapes_title_and_description(built: Path) -> None:
    """In the staged Markdown, the description is attribute-escaped and the title has no '<' (Material prints both raw)."""
    staged = (built.parent / "build" / "staging" / "agents" / "first.md").read_text(encoding="utf-8")
    front = staged.split("---\n")[1]
    assert "&quot;" in front and "&lt;script&gt;" in front
    title_line = next(line for line in front.splitlines() if line.startswith("title:"))
    assert "<" not in title_line
