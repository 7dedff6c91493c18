"""`papernotes new`: write a note skeleton that already passes `papernotes check`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from papernotes.codes import Severity
from papernotes.diagnostics import Diagnostic
from papernotes.emit.markdown import front_matter
from papernotes.hints import did_you_mean
from papernotes.load import discover, load_note, read_front_matter
from papernotes.paths import SLUG_RE, note_source, suggest_slug
from papernotes.records import KnowledgeData
from papernotes.schema import NOTE_FIELDS


@dataclass(frozen=True)
class Plan:
    """What `new` will write, or why it refuses."""

    path: Path | None
    text: str
    problems: tuple[str, ...]
    notices: tuple[str, ...]


SKELETON = """\
## What the survey says

Say in your own words what {where} says about this topic. Cite each work it discusses as
`[@key]`, with a key from data/references.bib, and refer to survey sections as `§5.3.1`. Numbers
that compare go in a table.

## Why it matters

Explain why a reader of the survey should care.

## What stays open

Say what the survey leaves unsolved, and link related notes with relative links such as
`[training SWE agents](../agents/training-swe-agents.md)`.
"""

PLACEHOLDER_SUMMARY = "One sentence, at most 300 characters, that says what this note covers."


def plan_note(root: Path, data: KnowledgeData, target: str, title: str, sections: list[str], tags: list[str], today: dt.date | None = None) -> Plan:
    """Validate the arguments against the knowledge base and compose the note."""
    part, _, slug = target.removeprefix("./").removeprefix("notes/").removesuffix(".md").partition("/")
    if not slug:
        return Plan(None, "", ("give the note as <part>/<slug>, e.g. agents/my-note",), ())
    problems = _place_problems(root, part, slug)
    if not title.strip():
        problems.append("--title must not be empty")
    for number in sections:
        if number not in data.survey.by_number:
            problems.append(f"unknown section '{number}'" + _hint(number, list(data.survey.by_number)))
    canonical_tags, notices = _canonical_tags(data, tags, problems)
    if problems:
        return Plan(None, "", tuple(problems), tuple(notices))
    if not sections:
        sections = [data.survey.sections[0].number]
        notices.append(f"no --sections given; using {sections[0]}: edit 'sections' to what the note covers")
    if not canonical_tags:
        canonical_tags = [_default_tag(root, part, data)]
        notices.append(f"no --tags given; using '{canonical_tags[0]}': edit 'tags'")
    values = {
        "title": title.strip(),
        "summary": PLACEHOLDER_SUMMARY,
        "sections": list(dict.fromkeys(sections)),
        "tags": list(dict.fromkeys(canonical_tags)),
        "status": "draft",
        "updated": today or dt.date.today(),
    }
    source = note_source(part, slug)
    text = front_matter(values).rstrip("\n") + "\n\n" + SKELETON.format(where=f"§{sections[0]} of the survey")
    schema_problems = _schema_problems(text, source)
    if schema_problems:
        return Plan(None, "", tuple(schema_problems), tuple(notices))
    return Plan(root / source, text, (), tuple(notices))


def _place_problems(root: Path, part: str, slug: str) -> list[str]:
    """Unknown part, malformed slug, an existing file, or an id another part already uses."""
    problems: list[str] = []
    parts, files, _ = discover(root)
    if part not in parts:
        problems.append(f"unknown part '{part}'" + (_hint(part, parts) or f"; parts: {', '.join(parts)}"))
    if not SLUG_RE.match(slug):
        suggestion = suggest_slug(slug)
        hint = f"; did you mean '{suggestion}'?" if suggestion and SLUG_RE.match(suggestion) else ""
        problems.append(f"'{slug}' is not a lowercase kebab-case slug (letters, digits and single hyphens){hint}")
        return problems
    source = note_source(part, slug)
    path = root / source
    if path.exists() or path.is_symlink():
        return [*problems, f"{source} already exists; it is never overwritten"]
    for f in files:
        if f.slug.casefold() == slug.casefold():
            problems.append(f"id '{slug}' is already used by {f.source}; ids are unique across parts")
    return problems


def _canonical_tags(data: KnowledgeData, tags: list[str], problems: list[str]) -> tuple[list[str], list[str]]:
    """Tags as written in data/tags.yaml (aliases resolved, with a notice); unknown ones are problems."""
    canonical: list[str] = []
    notices: list[str] = []
    for tag in tags:
        found = tag if tag in data.vocab.tags else data.vocab.canonical(tag)
        if found is None:
            problems.append(f"unknown tag '{tag}'" + _hint(tag, data.vocab.spellings()))
            continue
        canonical.append(found)
        if found != tag:
            notices.append(f"tag '{tag}' is an alias; using '{found}'")
    return canonical, notices


def _schema_problems(text: str, source: str) -> list[str]:
    """Check the composed front matter with the checker's own schema (a title too long, HTML, …)."""
    diags: list[Diagnostic] = []
    read_front_matter(text, source, NOTE_FIELDS, diags)
    return [d.message + (f" ({d.hint})" if d.hint else "") for d in diags if d.severity is Severity.ERROR]


def _hint(word: str, candidates: list[str]) -> str:
    hint = did_you_mean(word, candidates)
    return f"; {hint}" if hint else ""


def _default_tag(root: Path, part: str, data: KnowledgeData) -> str:
    """The tag most used by the part's notes (other than 'overview'), else the first tag."""
    _, files, _ = discover(root)
    notes = [note for f in files if f.part == part and (note := load_note(root, f)[0]) is not None]
    counts = Counter(t.value for note in notes for t in note.meta.tags)
    for tag, _ in counts.most_common():
        if tag in data.vocab.tags and tag != "overview":
            return tag
    return sorted(data.vocab.tags)[0]


def write_note(plan: Plan) -> None:
    """Create the file; never overwrite (`x` mode)."""
    if plan.path is None:
        raise ValueError("write_note needs a plan without problems")
    with open(plan.path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(plan.text)
