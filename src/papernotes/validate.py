"""Stage 2, validate: check each note against the data (tags, sections, citations) and the
content rules. Pure functions of one note and the data; cross-note checks live in `link`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from papernotes.diagnostics import Diagnostic, Rule, diag
from papernotes.hints import did_you_mean
from papernotes.records import Intro, Item, KnowledgeData, Note, Ref

MIN_WORDS, MAX_WORDS = 250, 900
MAX_HINTS = 50  # 'did you mean' hints per list: a note with thousands of unknown names is still checked in a blink
EXEMPT_TAG = "overview"
_SENTENCE_END = re.compile(r"[.!?][\"')\]]?$")
_TWO_SENTENCES = re.compile(r"[.!?]\s+[A-Z]")


def validate_note(note: Note, data: KnowledgeData) -> list[Diagnostic]:
    """Every problem of one note that can be seen without the other notes."""
    return [d for rule in NOTE_RULES for d in rule.check(note, data)]


def validate_intro(intro: Intro, data: KnowledgeData) -> list[Diagnostic]:
    """An introduction's citations and §-references name works and sections that exist: it is
    rendered like a note's body, so it is held to the same references."""
    return [*_section_refs(intro.source, intro.scan.section_refs, data), *_unknown_citations(intro.source, intro.scan.citations, data)]


def _basis(note: Note, data: KnowledgeData) -> list[Diagnostic]:
    """Every `basis` id is in data/sources.yaml; a reviewed note names its basis and its confidence."""
    out = []
    for i, item in enumerate(note.meta.basis):
        if item.value not in data.sources:
            hint = (did_you_mean(item.value, list(data.sources)) if i < MAX_HINTS else "") or "see data/sources.yaml, or add the source there"
            out.append(diag("unknown-source", note.source, item.line, item.col, f"'{item.value}' is not in data/sources.yaml", hint))
    missing = [k for k, v in (("basis", note.meta.basis), ("confidence", note.meta.confidence)) if not v]
    if missing and note.meta.status == "reviewed":
        hint = "basis: ids from data/sources.yaml; confidence: single-source or corroborated"
        out.append(diag("missing-basis", note.source, 1, 1, f"a reviewed note must name its {' and '.join(missing)}", hint))
    return out


def _tags(note: Note, data: KnowledgeData) -> list[Diagnostic]:
    out = []
    vocab = data.vocab
    for i, item in enumerate(note.meta.tags):
        if item.value in vocab.tags:
            continue
        tag = vocab.canonical(item.value)
        if tag is not None:
            out.append(diag("tag-alias", note.source, item.line, item.col, f"'{item.value}' is an alias of '{tag}'", f"write '{tag}'"))
            continue
        close = did_you_mean(item.value, vocab.spellings()) if i < MAX_HINTS else ""
        hint = close or "see data/tags.yaml, or propose a new tag there"
        out.append(diag("unknown-tag", note.source, item.line, item.col, f"'{item.value}' is not in data/tags.yaml", hint))
    return out


def _sections(note: Note, data: KnowledgeData) -> list[Diagnostic]:
    out = []
    numbers = data.survey.by_number
    for i, item in enumerate(note.meta.sections):
        if item.value not in numbers:
            hint = _section_hint(item.value, numbers) if i < MAX_HINTS else ""
            out.append(diag("unknown-section", note.source, item.line, item.col, f"section {item.value} is not in data/survey.yaml", hint))
    return [*out, *_section_refs(note.source, note.scan.section_refs, data)]


def _section_refs(source: str, refs: tuple[Ref, ...], data: KnowledgeData) -> list[Diagnostic]:
    out = []
    numbers = data.survey.by_number
    for i, ref in enumerate(refs):
        if ref.value not in numbers:
            hint = _section_hint(ref.value, numbers) if i < MAX_HINTS else ""
            out.append(diag("unknown-section-ref", source, ref.line, ref.col, f"§{ref.value} is not in data/survey.yaml", hint))
    return out


def _section_hint(number: str, numbers: Mapping[str, object]) -> str:
    parent = number.rsplit(".", 1)[0] if "." in number else ""
    if parent in numbers:
        children = [n for n in numbers if n.startswith(parent + ".") and n.count(".") == number.count(".")]
        return f"{parent} has {', '.join(children)}" if children else f"{parent} has no numbered subsections; use {parent}"
    return did_you_mean(number, list(numbers)) or "see the survey map"


def _citations(note: Note, data: KnowledgeData) -> list[Diagnostic]:
    return _unknown_citations(note.source, [*note.meta.cites, *note.scan.citations], data)


def _unknown_citations(source: str, cited: Sequence[Item | Ref], data: KnowledgeData) -> list[Diagnostic]:
    out = []
    refs = data.refs
    for i, ref in enumerate(cited):
        if ref.value not in refs:
            hint = (did_you_mean(ref.value, list(refs)) if i < MAX_HINTS else "") or "add the work to data/references.bib"
            out.append(diag("unknown-citation", source, ref.line, ref.col, f"'{ref.value}' is not in data/references.bib", hint))
    return out


def _content(note: Note, _data: KnowledgeData) -> list[Diagnostic]:
    out = []
    words = note.scan.words
    if not MIN_WORDS <= words <= MAX_WORDS:
        out.append(diag("note-length", note.source, note.body_line, 1, f"the body has {words} words; notes have {MIN_WORDS}-{MAX_WORDS}"))
    if EXEMPT_TAG not in {t.value for t in note.meta.tags}:
        cited = {r.value for r in note.scan.citations}
        if len(cited) < 2:
            out.append(
                diag(
                    "few-citations",
                    note.source,
                    note.body_line,
                    1,
                    f"the body cites {len(cited)} work{'s' if len(cited) != 1 else ''} with [@key]; a note cites at least 2",
                    "chapter overviews are exempt: tag them 'overview'",
                )
            )
    summary = note.meta.summary.strip()
    if not _SENTENCE_END.search(summary) or _TWO_SENTENCES.search(summary):
        out.append(diag("summary-sentence", note.source, 1, 1, "the summary should be one sentence ending with a period"))
    return out


# The checks of one note against the data, in the order they run: each is a function of the note and the data.
NOTE_RULES = (
    Rule("tags", ("unknown-tag", "tag-alias"), _tags),
    Rule("sections", ("unknown-section", "unknown-section-ref"), _sections),
    Rule("citations", ("unknown-citation",), _citations),
    Rule("basis", ("unknown-source", "missing-basis"), _basis),
    Rule("content", ("note-length", "few-citations", "summary-sentence"), _content),
)
