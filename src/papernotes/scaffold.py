"""`papernotes new`: write a note skeleton that already passes `papernotes check`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from papernotes.data import KnowledgeData
from papernotes.emit.markdown import front_matter
from papernotes.load import discover
from papernotes.paths import SLUG_RE, note_source
from papernotes.schema import did_you_mean


@dataclass(frozen=True)
class Plan:
    """What `new` will write, or why it refuses."""

    path: Path | None
    text: str
    problems: tuple[str, ...]
    notices: tuple[str, ...]


SKELETON = """\
## What the survey says

Summarise, in your own words, what {where} says about this topic. Cite the works it discusses with
their BibTeX keys in square brackets, for example an at-sign followed by a key from
data/references.bib, and refer to survey sections with the section sign.

## Why it matters

Explain why a reader of the survey should care.

## What stays open

Say what the survey leaves unsolved, and link related notes with relative links such as
`../agents/training-swe-agents.md`.
"""


def plan_note(root: Path, data: KnowledgeData, target: str, title: str, sections: list[str], tags: list[str], today: dt.date | None = None) -> Plan:
    """Validate the arguments against the knowledge base and compose the note."""
    problems: list[str] = []
    notices: list[str] = []
    parts, files, _ = discover(root)
    part, _, slug = target.removeprefix("notes/").removesuffix(".md").partition("/")
    if not slug:
        return Plan(None, "", ("give the note as <part>/<slug>, e.g. agents/my-note",), ())
    if part not in parts:
        problems.append(f"unknown part '{part}'" + (f"; {did_you_mean(part, parts)}" if did_you_mean(part, parts) else f"; parts: {', '.join(parts)}"))
    if not SLUG_RE.match(slug):
        problems.append(f"'{slug}' is not a lowercase kebab-case slug (letters, digits and single hyphens)")
    path = root / note_source(part, slug)
    if path.exists() or path.is_symlink():
        problems.append(f"{note_source(part, slug)} already exists; it is never overwritten")
    else:
        for f in files:
            if f.slug.casefold() == slug.casefold():
                problems.append(f"id '{slug}' is already used by {f.source}; ids are unique across parts")
    if not title.strip():
        problems.append("--title must not be empty")
    for number in sections:
        if number not in data.survey.by_number:
            problems.append(f"unknown section '{number}'" + _hint(number, list(data.survey.by_number)))
    canonical_tags = []
    for tag in tags:
        if tag in data.vocab.tags:
            canonical_tags.append(tag)
        elif tag in data.vocab.aliases:
            canonical_tags.append(data.vocab.aliases[tag])
            notices.append(f"tag '{tag}' is an alias; using '{data.vocab.aliases[tag]}'")
        else:
            problems.append(f"unknown tag '{tag}'" + _hint(tag, [*data.vocab.tags, *data.vocab.aliases]))
    if problems:
        return Plan(None, "", tuple(problems), tuple(notices))
    if not sections:
        sections = [_default_section(data)]
        notices.append(f"no --sections given; using {sections[0]}: edit 'sections' to what the note covers")
    if not canonical_tags:
        canonical_tags = [_default_tag(root, part, data)]
        notices.append(f"no --tags given; using '{canonical_tags[0]}': edit 'tags'")
    section = data.survey.by_number[sections[0]]
    values = {
        "title": title.strip(),
        "summary": "One sentence, at most 300 characters, that says what this note covers.",
        "sections": list(dict.fromkeys(sections)),
        "tags": list(dict.fromkeys(canonical_tags)),
        "status": "draft",
        "updated": (today or dt.date.today()).isoformat(),
    }
    body = SKELETON.format(where=f"§{section.number} of the survey")
    return Plan(path, front_matter(values).rstrip("\n") + "\n\n" + body, (), tuple(notices))


def _hint(word: str, candidates: list[str]) -> str:
    hint = did_you_mean(word, candidates)
    return f"; {hint}" if hint else ""


def _default_section(data: KnowledgeData) -> str:
    return data.survey.sections[0].number


def _default_tag(root: Path, part: str, data: KnowledgeData) -> str:
    counts: Counter[str] = Counter()
    folder = root / "notes" / part
    for path in sorted(folder.glob("*.md")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[:20]:
            if line.startswith("tags:"):
                counts.update(t.strip(" '\"") for t in line[5:].strip(" []").split(","))
    for tag, _ in counts.most_common():
        if tag in data.vocab.tags and tag != "overview":
            return tag
    return sorted(data.vocab.tags)[0]


def write_note(plan: Plan) -> None:
    """Create the file; never overwrite (`x` mode)."""
    assert plan.path is not None
    with open(plan.path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(plan.text)
