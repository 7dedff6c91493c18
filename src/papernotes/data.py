"""The knowledge base's data files: the survey and its table of contents, the tag vocabulary,
the bibliography and the chart data. Each loader returns frozen records and diagnostics.

Long because it holds the records and loaders of all four data files side by side; each file's loader
could be a module of its own, and is due to become one.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bibtexparser

from papernotes.codes import Severity
from papernotes.diagnostics import Diagnostic, diag
from papernotes.frontmatter import YNode
from papernotes.paths import SLUG_RE
from papernotes.registries import Source, Term, load_glossary, load_sources
from papernotes.schema import text_problem
from papernotes.yamlfile import get_entry as _get
from papernotes.yamlfile import map_entries as _entries
from papernotes.yamlfile import not_regular, plain
from papernotes.yamlfile import not_utf8 as _not_utf8
from papernotes.yamlfile import read_yaml_file as _read_yaml

MAX_BIB_FIELD = 16 * 1024
MAX_BIB_FILE = 1024 * 1024  # parsed in well under 5 s and 200 MB, whatever the bytes (scripts/bounded-cost)
MAX_BIB_AT = 2000  # '@' signs: at most this many entries (the real file has under 200)
RESERVED_TAGS = frozenset({"index"})  # tags/index.md is the tag index
SECTION_RE = re.compile(r"^[1-9][0-9]?(?:\.[1-9][0-9]?){0,3}$")


# --- records --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    """A topic the sources place inside a section, without a number of its own."""

    title: str
    confidence: str


@dataclass(frozen=True)
class Section:
    """One entry of the survey's table of contents and how sure we are of it."""

    number: str
    title: str
    title_wording: str
    confidence: str
    anchor: str = ""
    anchor_confidence: str = "inferred"
    pdf_page: int = 0
    pages: str = ""
    sources: tuple[str, ...] = ()
    note: str = ""
    topics: tuple[Topic, ...] = ()

    @property
    def level(self) -> int:
        return self.number.count(".") + 1

    @property
    def chapter(self) -> str:
        return self.number.split(".")[0]

    @property
    def parent(self) -> str:
        return self.number.rsplit(".", 1)[0] if "." in self.number else ""

    @property
    def key(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.number.split("."))


@dataclass(frozen=True)
class Survey:
    """The survey's identity, pinned to one version, and its table of contents in order."""

    arxiv: str
    version: int
    title: str
    short_title: str
    authors: tuple[str, ...]
    date: str
    first_submitted: str
    pages: int
    doi: str
    sections: tuple[Section, ...]
    sources: tuple[tuple[str, str, str], ...] = ()
    by_number: dict[str, Section] = field(default_factory=dict, compare=False, hash=False)

    @property
    def versioned(self) -> str:
        return f"{self.arxiv}v{self.version}"

    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.versioned}"

    def pdf_url(self, page: int) -> str:
        return f"https://arxiv.org/pdf/{self.versioned}#page={page}"

    def html_url(self, anchor: str) -> str:
        return f"https://arxiv.org/html/{self.versioned}#{anchor}"

    def link_for(self, section: Section) -> tuple[str, str]:
        """The best arXiv link for a section and what it points at: a seen anchor, a PDF page, or the abs page."""
        if section.anchor and section.anchor_confidence == "seen":
            return self.html_url(section.anchor), "HTML"
        if section.pdf_page:
            return self.pdf_url(section.pdf_page), f"PDF p. {section.pdf_page}"
        parent = self.by_number.get(section.parent)
        while parent is not None:
            if parent.pdf_page:
                return self.pdf_url(parent.pdf_page), f"PDF p. {parent.pdf_page}, where §{parent.number} starts"
            parent = self.by_number.get(parent.parent)
        return self.abs_url(), "abstract page"

    def chapters(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.level == 1)


@dataclass(frozen=True)
class Tag:
    """A tag of the controlled vocabulary."""

    name: str
    group: str
    description: str
    aliases: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Vocabulary:
    """Tags, their groups (in display order) and the alias index."""

    tags: dict[str, Tag]
    groups: tuple[tuple[str, str], ...]
    aliases: dict[str, str]


@dataclass(frozen=True)
class Reference:
    """A bibliography entry with its raw BibTeX fields."""

    key: str
    entry_type: str
    fields: tuple[tuple[str, str], ...]
    line: int

    def get(self, name: str) -> str:
        for k, v in self.fields:
            if k.lower() == name:
                return _strip_braces(v)
        return ""

    @property
    def arxiv(self) -> str:
        return self.get("eprint") if self.get("archiveprefix").lower() == "arxiv" else ""

    @property
    def authors(self) -> tuple[str, ...]:
        raw = self.get("author")
        return tuple(a.strip() for a in re.split(r"\s+and\s+", raw) if a.strip()) if raw else ()

    def short_authors(self) -> str:
        names = [a for a in self.authors if a != "others"]
        etal = len(self.authors) > 1
        if not names:
            return self.get("title").split(":")[0]
        last = names[0].split(",")[0].strip() if "," in names[0] else names[0].split()[-1]
        return f"{last} et al." if etal else last

    def url(self) -> str:
        if self.arxiv:
            return f"https://arxiv.org/abs/{self.arxiv}"
        if self.get("doi"):
            return f"https://doi.org/{self.get('doi')}"
        return self.get("url")


@dataclass(frozen=True)
class Chart:
    """Data for one bar chart."""

    name: str
    title: str
    description: str
    source: str
    value_label: str
    bars: tuple[tuple[str, float], ...]
    axis_min: float = 0.0  # where the bars start; anything but 0 is labelled on the chart
    decimals: int = 3  # as many as the note's table shows


@dataclass(frozen=True)
class KnowledgeData:
    """Everything under data/."""

    survey: Survey
    vocab: Vocabulary
    refs: dict[str, Reference]
    charts: dict[str, Chart]
    sources: dict[str, Source] = field(default_factory=dict)
    glossary: dict[str, Term] = field(default_factory=dict)


def _strip_braces(value: str) -> str:
    return re.sub(r"\s+", " ", value.replace("{", "").replace("}", "")).strip()


# --- survey.yaml ----------------------------------------------------------------------------------


def load_survey(path: Path, shown: str = "data/survey.yaml") -> tuple[Survey | None, list[Diagnostic]]:
    """Read the survey's identity and table of contents."""
    root, diags = _read_yaml(path, shown)
    if root is None:
        return None, diags
    ident = _get(root, "survey")
    secs = _get(root, "sections")
    if ident is None or ident.value.kind != "map" or secs is None or secs.value.kind != "seq":
        return None, [*diags, diag("data-file", shown, 1, 1, "needs a 'survey' mapping and a 'sections' list")]
    info = plain(ident.value)
    missing = [k for k in ("arxiv", "version", "title", "authors", "date") if k not in info]
    if missing:
        return None, [*diags, diag("data-file", shown, ident.line, ident.col, f"'survey' lacks {', '.join(missing)}")]
    bad = [e for e in _entries(ident.value) if e.key in _SURVEY_FIELDS and not _SURVEY_FIELDS[e.key][0](info[e.key])]
    wrong = [diag("data-file", shown, e.line, e.col, f"survey.{e.key} must be {_SURVEY_FIELDS[e.key][1]}") for e in bad]
    if wrong:
        return None, [*diags, *wrong]
    sections: list[Section] = []
    seen: dict[str, int] = {}
    assert isinstance(secs.value.value, tuple)
    for item in secs.value.value:
        assert isinstance(item, YNode)
        sec = _section(item, shown, diags)
        if sec is None:
            continue
        if sec.number in seen:
            diags.append(diag("data-file", shown, item.line, item.col, f"section {sec.number} is listed twice (first on line {seen[sec.number]})"))
            continue
        seen[sec.number] = item.line
        sections.append(sec)
    sections.sort(key=lambda s: s.key)
    for sec in sections:
        if sec.parent and sec.parent not in seen:
            diags.append(diag("data-file", shown, seen[sec.number], 1, f"section {sec.number} has no parent section {sec.parent}"))
    found = _get(root, "sources")
    raw_sources = plain(found.value) if found else {}
    if not isinstance(raw_sources, dict):
        diags.append(diag("data-file", shown, found.line if found else 1, found.col if found else 1, "'sources' must be a mapping"))
        raw_sources = {}
    sources = tuple((k, str(v.get("what", "")), str(v.get("where", ""))) for k, v in raw_sources.items() if isinstance(v, dict))
    survey = Survey(
        arxiv=str(info["arxiv"]),
        version=int(info["version"]),
        title=str(info["title"]),
        short_title=str(info.get("short_title", info["title"])),
        authors=tuple(str(a) for a in info["authors"]),
        date=str(info["date"]),
        first_submitted=str(info.get("first_submitted", "")),
        pages=int(info.get("pages", 0)),
        doi=str(info.get("doi", "")),
        sections=tuple(sections),
        sources=sources,
        by_number={s.number: s for s in sections},
    )
    return survey, diags


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and not _UNSAFE_TEXT.search(value)


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_UNSAFE_TEXT = re.compile(r"[\s<>()\[\]\"'`\\]")  # what could break out of a Markdown link target
_SURVEY_FIELDS: dict[str, tuple[Any, str]] = {
    "arxiv": (lambda v: isinstance(v, str) and re.fullmatch(r"[0-9]{4}\.[0-9]{4,5}", v), 'a quoted arXiv id such as "2511.18538"'),
    "version": (lambda v: _is_int(v) and 1 <= v <= 99, "a whole number from 1 to 99"),
    "title": (lambda v: isinstance(v, str), "text"),
    "short_title": (lambda v: isinstance(v, str), "text"),
    "authors": (lambda v: isinstance(v, list) and v and all(isinstance(a, str) and a.strip() for a in v), "a list of one or more names"),
    "date": (lambda v: isinstance(v, str) and _is_date(v), 'a quoted date such as "2025-12-06"'),
    "first_submitted": (lambda v: isinstance(v, str) and _is_date(v), 'a quoted date such as "2025-11-23"'),
    "pages": (lambda v: _is_int(v) and 1 <= v <= 100_000, "a whole number from 1 to 100,000"),
    "doi": (_is_text, "a DOI without blanks, quotes or brackets"),
}
_SECTION_FIELDS: dict[str, tuple[Any, str]] = {
    "anchor": (lambda v: isinstance(v, str) and re.fullmatch(r"[A-Za-z0-9._:-]*", v), "an HTML id of letters, digits, '.', '_', ':' or '-'"),
    "anchor_confidence": (lambda v: v in ("seen", "inferred"), "seen or inferred"),
    "pdf_page": (lambda v: _is_int(v) and 0 <= v <= 100_000, "a whole number from 0 to 100,000"),
    "pages": (lambda v: isinstance(v, str), "text"),
    "note": (lambda v: isinstance(v, str), "text"),
    "sources": (lambda v: isinstance(v, list) and all(isinstance(s, str) for s in v), "a list of source ids"),
    "topics": (
        lambda v: (
            isinstance(v, list)
            and all(isinstance(t, dict) and isinstance(t.get("title"), str) and t.get("confidence", "inferred") in ("seen", "inferred") for t in v)
        ),
        "a list of {title, confidence: seen|inferred}",
    ),
}


def _section(item: YNode, shown: str, diags: list[Diagnostic]) -> Section | None:
    data = plain(item)
    if not isinstance(data, dict):
        diags.append(diag("data-file", shown, item.line, item.col, "a section must be a mapping"))
        return None
    number = data.get("number")
    if not isinstance(number, str) or not SECTION_RE.match(number):
        diags.append(diag("data-file", shown, item.line, item.col, f'section number {number!r} must be a quoted string such as "5.3.1"'))
        return None
    kinds_ok = data.get("confidence") in ("seen", "inferred") and data.get("title_wording") in ("exact", "translated")  # tuples: a value may be a list
    if not isinstance(data.get("title"), str) or not kinds_ok:
        diags.append(
            diag("data-file", shown, item.line, item.col, f"section {number} needs a title, confidence (seen|inferred) and title_wording (exact|translated)")
        )
        return None
    for e in _entries(item):  # a bad optional field is reported and dropped; the section stays (its children need it)
        if e.key in _SECTION_FIELDS and not _SECTION_FIELDS[e.key][0](data[e.key]):
            diags.append(diag("data-file", shown, e.line, e.col, f"section {number}: '{e.key}' must be {_SECTION_FIELDS[e.key][1]}"))
            del data[e.key]
    topics = tuple(Topic(str(t.get("title", "")), str(t.get("confidence", "inferred"))) for t in data.get("topics", []) if isinstance(t, dict))
    return Section(
        number=number,
        title=data["title"],
        title_wording=data["title_wording"],
        confidence=data["confidence"],
        anchor=str(data.get("anchor", "")),
        anchor_confidence=str(data.get("anchor_confidence", "inferred")),
        pdf_page=int(data["pdf_page"]) if isinstance(data.get("pdf_page"), int) else 0,
        pages=str(data.get("pages", "")),
        sources=tuple(str(s) for s in data.get("sources", []) or []),
        note=str(data.get("note", "")),
        topics=topics,
    )


# --- tags.yaml ------------------------------------------------------------------------------------


def load_vocabulary(path: Path, shown: str = "data/tags.yaml") -> tuple[Vocabulary | None, list[Diagnostic]]:
    """Read the tag vocabulary and check that names, groups and aliases are consistent."""
    root, diags = _read_yaml(path, shown)
    if root is None:
        return None, diags
    groups_entry, tags_entry = _get(root, "groups"), _get(root, "tags")
    if groups_entry is None or tags_entry is None or groups_entry.value.kind != "map" or tags_entry.value.kind != "map":
        return None, [*diags, diag("data-file", shown, 1, 1, "needs a 'groups' mapping and a 'tags' mapping")]
    groups_raw = plain(groups_entry.value)
    groups = tuple((str(k), str(v)) for k, v in groups_raw.items()) if isinstance(groups_raw, dict) else ()
    group_ids = {g for g, _ in groups}
    tags: dict[str, Tag] = {}
    aliases: dict[str, str] = {}
    for entry in _entries(tags_entry.value):
        data = plain(entry.value)
        if not SLUG_RE.match(entry.key) or len(entry.key) > 64:
            diags.append(
                diag(
                    "data-file",
                    shown,
                    entry.line,
                    entry.col,
                    f"tag '{entry.key[:80]}' must be lowercase kebab-case" + (", at most 64 characters" if len(entry.key) > 64 else ""),
                )
            )
            continue
        if entry.key in RESERVED_TAGS:
            diags.append(
                diag("data-file", shown, entry.line, entry.col, f"tag '{entry.key}' is reserved: its page would replace the tag index", "rename the tag")
            )
            continue
        group = data.get("group") if isinstance(data, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("description"), str) or not isinstance(group, str) or group not in group_ids:
            diags.append(diag("data-file", shown, entry.line, entry.col, f"tag '{entry.key}' needs a description and a group from 'groups'"))
            continue
        raw_aliases = data.get("aliases") or []
        if not isinstance(raw_aliases, list) or not all(isinstance(a, str) and SLUG_RE.match(a) for a in raw_aliases):
            diags.append(diag("data-file", shown, entry.line, entry.col, f"the aliases of '{entry.key}' must be a list of lowercase kebab-case names"))
            continue
        alias_list = tuple(raw_aliases)
        tags[entry.key] = Tag(entry.key, data["group"], data["description"], alias_list, entry.line)
        for alias in alias_list:
            if alias in aliases:
                diags.append(diag("data-file", shown, entry.line, entry.col, f"alias '{alias}' of '{entry.key}' is already a tag or another tag's alias"))
            aliases[alias] = entry.key
    for alias in [a for a in aliases if a in tags]:
        diags.append(diag("data-file", shown, tags[alias].line, 1, f"'{alias}' is both a tag and an alias of '{aliases[alias]}'"))
    return Vocabulary(tags, groups, aliases), diags


# --- references.bib -------------------------------------------------------------------------------


def load_references(path: Path, shown: str = "data/references.bib") -> tuple[dict[str, Reference], list[Diagnostic]]:
    """Parse the bibliography with bibtexparser 2; duplicates, unparsable blocks and huge fields are errors."""
    try:
        if path.is_symlink():
            return {}, [diag("bibliography", shown, 0, 0, "symbolic links are rejected and never followed")]
        if (problem := not_regular(path)) and os.path.lexists(path):
            return {}, [diag("bibliography", shown, 0, 0, problem)]
        raw = path.read_bytes()
        if len(raw) > MAX_BIB_FILE:
            return {}, [diag("bibliography", shown, 0, 0, f"file is {len(raw):,} bytes; at most {MAX_BIB_FILE:,}")]
        if raw.count(b"@") > MAX_BIB_AT:  # each may start an entry, and a failed one costs bibtexparser dearly
            return {}, [
                diag(
                    "bibliography",
                    shown,
                    0,
                    0,
                    f"the file has {raw.count(b'@'):,} '@'; at most {MAX_BIB_AT:,}",
                    "split the entries into fewer, or fix the file",
                )
            ]
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        return {}, [_not_utf8("bibliography", shown, exc)]
    except OSError as exc:
        return {}, [diag("bibliography", shown, 0, 0, f"cannot read: {exc}")]
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text)  # type: ignore[attr-defined]  # re-exported, not in __all__
    diags: list[Diagnostic] = []
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        kind = type(block).__name__
        if kind == "DuplicateBlockKeyBlock":
            diags.append(diag("bibliography", shown, line, 1, f"duplicate key '{getattr(block, 'key', '?')}'", "merge the two entries"))
        else:
            diags.append(diag("bibliography", shown, line, 1, "this entry cannot be parsed (an unclosed brace or quote?)"))
    refs: dict[str, Reference] = {}
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        fields = tuple((f.key, str(f.value)) for f in entry.fields)
        big = [k for k, v in fields if len(v) > MAX_BIB_FIELD]
        if big:
            diags.append(diag("bibliography", shown, line, 1, f"field '{big[0]}' of '{entry.key}' is over {MAX_BIB_FIELD:,} characters"))
            continue
        if problem := _entry_problem(entry.key, fields):
            diags.append(diag("bibliography", shown, line, 1, problem, "write plain text; keys are letters, digits and _:.+-"))
            continue
        ref = Reference(entry.key, entry.entry_type.lower(), fields, line)
        if not ref.get("title"):
            diags.append(diag("bibliography", shown, line, 1, f"entry '{entry.key}' has no title"))
        elif not ref.url():
            diags.append(diag("bibliography", shown, line, 1, f"entry '{entry.key}' needs an arXiv id (eprint + archivePrefix), a DOI or a URL"))
        elif unsafe := _unsafe_target(ref):
            hint = "percent-encode blanks, quotes and brackets (%20, %22, %28, ...)"
            diags.append(diag("bibliography", shown, line, 1, f"entry '{entry.key}': {unsafe}", hint))
            continue
        refs[entry.key] = ref
    diags += _same_work_twice(refs, shown)
    return refs, diags


_BIB_KEY_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.+-]{0,99}")


def _entry_problem(key: str, fields: tuple[tuple[str, str], ...]) -> str:
    """Why an entry's key or a field may not reach a page (the rule for all page text; BibTeX
    fields may wrap over lines, which the emitter joins), or ''."""
    if not _BIB_KEY_RE.fullmatch(key):
        return f"key {key[:100]!r} is not letters, digits and _:.+-"
    for name, value in fields:
        if problem := text_problem(value, MAX_BIB_FIELD, one_line=False):
            return f"field '{name[:40]}' of '{key}' {problem[1]}"
    return ""


def _unsafe_target(ref: Reference) -> str:
    """Why the entry's link target would be unsafe in a Markdown link, or ''."""
    for name in ("url", "doi", "eprint"):
        if _UNSAFE_TEXT.search(ref.get(name)):
            return f"'{name}' contains a blank, quote, bracket or backslash"
    if ref.get("url") and not re.match(r"https?://", ref.get("url"), re.IGNORECASE):
        return "'url' must start with http:// or https://"
    return ""


def normalised_title(title: str) -> str:
    """Lowercase letters and digits only: the same title written two ways compares equal."""
    return re.sub(r"[^a-z0-9]+", "", title.casefold())


def _same_work_twice(refs: dict[str, Reference], shown: str) -> list[Diagnostic]:
    """Two keys for one work, found by arXiv id, DOI or normalised title."""
    out = []
    seen: dict[tuple[str, str], str] = {}
    for key, ref in sorted(refs.items(), key=lambda kv: kv[1].line):
        for kind, value in (("arXiv id", ref.arxiv), ("DOI", ref.get("doi").lower()), ("title", normalised_title(ref.get("title")))):
            if not value:
                continue
            first = seen.setdefault((kind, value), key)
            if first != key:
                out.append(diag("bibliography", shown, ref.line, 1, f"'{key}' is the same work as '{first}' (same {kind})", "keep one entry"))
                break
    return out


# --- charts ---------------------------------------------------------------------------------------


def load_charts(folder: Path, root_shown: str = "data/charts") -> tuple[dict[str, Chart], list[Diagnostic]]:
    """Read every `data/charts/<name>.yaml`."""
    charts: dict[str, Chart] = {}
    diags: list[Diagnostic] = []
    if folder.is_symlink():
        return charts, [diag("data-file", root_shown, 0, 0, "a symbolic link; links are rejected and never followed")]
    if not folder.is_dir():
        return charts, diags
    for path in sorted(folder.glob("*.yaml")):
        shown = f"{root_shown}/{path.name}"
        if not SLUG_RE.match(path.stem):
            diags.append(diag("data-file", shown, 0, 0, "chart file names must be lowercase kebab-case"))
            continue
        node, problems = _read_yaml(path, shown)
        diags.extend(problems)
        data = plain(node) if node is not None else None
        bad = _bad_numbers(node, shown) if node is not None else []
        diags.extend(bad)
        chart = None if bad else _chart(path.stem, data)
        if chart is None:
            if node is not None and not bad:
                diags.append(
                    diag(
                        "data-file",
                        shown,
                        1,
                        1,
                        "a chart needs title, description, source, value_label and bars of {label, value}; axis_min (optional) may not exceed the smallest value, decimals (optional) is 0-6",
                    )
                )
            continue
        charts[chart.name] = chart
    return charts, diags


MAX_CHART_VALUE = 1e9
MAX_NUMBER_TEXT = 32


def _bad_numbers(node: YNode, shown: str) -> list[Diagnostic]:
    """Each bar's value: a finite number from 0 to MAX_CHART_VALUE, written in at most MAX_NUMBER_TEXT characters."""
    bars = _get(node, "bars")
    if bars is None or bars.value.kind != "seq":
        return []
    out = []
    assert isinstance(bars.value.value, tuple)
    for bar in bars.value.value:
        entry = _get(bar, "value") if isinstance(bar, YNode) else None
        if entry is None or entry.value.kind not in ("int", "float"):
            continue
        value, raw = entry.value.value, entry.value.raw
        assert isinstance(value, (int, float))
        if len(raw) > MAX_NUMBER_TEXT:
            out.append(diag("bad-number", shown, entry.value.line, entry.value.col, f"a value of {len(raw)} characters; at most {MAX_NUMBER_TEXT}"))
        elif not math.isfinite(value) or not 0 <= value <= MAX_CHART_VALUE:
            out.append(diag("bad-number", shown, entry.value.line, entry.value.col, f"value {raw!r} is not a finite number from 0 to {MAX_CHART_VALUE:,.0f}"))
    return out


def _chart(name: str, data: Any) -> Chart | None:
    if not isinstance(data, dict):
        return None
    texts = [data.get(k) for k in ("title", "description", "source", "value_label")]
    bars = data.get("bars")
    if not all(isinstance(t, str) and t.strip() for t in texts) or not isinstance(bars, list) or not bars:
        return None
    parsed = []
    for bar in bars:
        if (
            not isinstance(bar, dict)
            or not isinstance(bar.get("label"), str)
            or isinstance(bar.get("value"), bool)
            or not isinstance(bar.get("value"), (int, float))
        ):
            return None
        parsed.append((bar["label"], float(bar["value"])))
    axis_min, decimals = data.get("axis_min", 0), data.get("decimals", 3)
    if isinstance(axis_min, bool) or not isinstance(axis_min, (int, float)) or axis_min > min(v for _, v in parsed):
        return None
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 6:
        return None
    return Chart(name, str(texts[0]), str(texts[1]), str(texts[2]), str(texts[3]), tuple(parsed), float(axis_min), decimals)


def load_data(root: Path) -> tuple[KnowledgeData | None, list[Diagnostic]]:
    """Load every data file; None when one the engine cannot do without is unusable."""
    if (root / "data").is_symlink():
        return None, [diag("data-file", "data", 0, 0, "data/ is a symbolic link; links are rejected and never followed")]
    survey, d1 = load_survey(root / "data" / "survey.yaml")
    vocab, d2 = load_vocabulary(root / "data" / "tags.yaml")
    refs, d3 = load_references(root / "data" / "references.bib")
    charts, d4 = load_charts(root / "data" / "charts")
    sources, d5 = load_sources(root)
    diags = [*d1, *d2, *d3, *d4, *d5]
    if survey is None or vocab is None:
        return None, diags
    # a broken table of contents is reported once, not again for every glossary term that names a section
    glossary, d6 = load_glossary(root, None if any(d.severity is Severity.ERROR for d in d1) else survey.by_number)
    return KnowledgeData(survey, vocab, refs, charts, sources, glossary), [*diags, *d6]
