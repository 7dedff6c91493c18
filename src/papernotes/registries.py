"""The two registries of data/ that give the notes their provenance and their vocabulary:
`sources.yaml` (the public summaries of the survey that a note's `basis` names) and `glossary.yaml`
(terms a reader meets, each defined in a sentence or two). Each loader returns frozen records and
diagnostics; both files are optional, so a knowledge base without them still checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from papernotes.diagnostics import Diagnostic, diag
from papernotes.frontmatter import YEntry
from papernotes.yamlfile import map_entries, plain, read_yaml_file

SOURCES_FILE = "data/sources.yaml"
GLOSSARY_FILE = "data/glossary.yaml"
SOURCE_KINDS = ("abstract-page", "summary", "adaptation", "companion-paper", "section-map")
MAX_LINE_TEXT = 300
MAX_TERM = 60
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL_RE = re.compile(r"^https?://[^\s<>()\[\]\"'`\\]+$", re.IGNORECASE)
_LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_NOTE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$")
_WORD_ENDS = re.compile(r"^\w(?:.*\w)?$")
_TERM_RE = re.compile(r"^[^\s\[\]<>*`\\|]+(?: [^\s\[\]<>*`\\|]+)*$")  # what `*[term]:` and a table cell can hold


@dataclass(frozen=True)
class Source:
    """One public summary, adaptation or map of the survey that notes may rest on."""

    id: str
    title: str
    kind: str
    language: str
    covers: int  # the survey version it was written from; 0 when it does not say
    good_for: str
    url: str = ""
    where: str = ""
    caveat: str = ""
    line: int = 0


@dataclass(frozen=True)
class Term:
    """A glossary term: its definition, the note that explains it best and where the survey treats it."""

    term: str
    definition: str
    note: str  # <part>/<slug>
    section: str
    aliases: tuple[str, ...] = ()
    line: int = 0

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


def text_problem(value: Any, *, max_length: int = MAX_LINE_TEXT) -> str:
    """Why `value` is not text of the right length for its field, or ''. Its characters are held to
    the one rule for page text when the file is read (PN407 unsafe-data-text), not again here."""
    if not isinstance(value, str) or not value.strip():
        return "must be non-empty text"
    return f"is {len(value):,} characters; at most {max_length:,}" if len(value) > max_length else ""


def _section(path: Path, shown: str, key: str) -> tuple[tuple[YEntry, ...] | None, list[Diagnostic]]:
    """The entries of the top-level mapping `key`; (None, []) when the file does not exist."""
    if not path.exists() and not path.is_symlink():
        return None, []
    root, diags = read_yaml_file(path, shown)
    if root is None:
        return None, diags
    found = [e for e in map_entries(root) if e.key == key]
    if not found or found[0].value.kind != "map":
        return None, [*diags, diag("data-file", shown, 1, 1, f"needs a '{key}' mapping")]
    return map_entries(found[0].value), diags


def _fields(entry: YEntry, shown: str, rules: dict[str, tuple[bool, Any]], diags: list[Diagnostic]) -> dict[str, Any] | None:
    """The entry's fields checked against `rules` (name -> (required, check returning a reason)); None if any fails."""
    fields = {e.key: e for e in map_entries(entry.value)}
    if entry.value.kind != "map":
        diags.append(diag("data-file", shown, entry.line, entry.col, f"'{entry.key}' must be a mapping of fields"))
        return None
    ok = True
    for name in sorted(set(fields) - set(rules)):
        diags.append(diag("data-file", shown, fields[name].line, fields[name].col, f"'{entry.key}': unknown field '{name}'", f"fields: {', '.join(rules)}"))
        ok = False
    values: dict[str, Any] = {}
    for name, (required, check) in rules.items():
        if name not in fields:
            if required:
                diags.append(diag("data-file", shown, entry.line, entry.col, f"'{entry.key}' lacks '{name}'"))
                ok = False
            continue
        value = plain(fields[name].value)
        reason = check(value)
        if reason:
            diags.append(diag("data-file", shown, fields[name].value.line, fields[name].value.col, f"'{entry.key}'.{name} {reason}"))
            ok = False
        values[name] = value
    return values if ok else None


def _url(value: Any) -> str:
    return "" if isinstance(value, str) and _URL_RE.match(value) else "must be an http(s) URL without blanks, quotes or brackets"


def _covers(value: Any) -> str:
    return "" if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 99 else "must be a whole number from 0 to 99"


_SOURCE_RULES: dict[str, tuple[bool, Any]] = {
    "title": (True, text_problem),
    "kind": (True, lambda v: "" if v in SOURCE_KINDS else f"must be one of {', '.join(SOURCE_KINDS)}"),
    "language": (True, lambda v: "" if isinstance(v, str) and _LANG_RE.match(v) else "must be a language tag such as en or ko"),
    "covers": (True, _covers),
    "good_for": (True, text_problem),
    "url": (False, _url),
    "where": (False, text_problem),
    "caveat": (False, text_problem),
}


def load_sources(root: Path) -> tuple[dict[str, Source], list[Diagnostic]]:
    """Read data/sources.yaml: every entry needs a title, kind, language, covered version and use, and a url or a where."""
    entries, diags = _section(root / SOURCES_FILE, SOURCES_FILE, "sources")
    sources: dict[str, Source] = {}
    for entry in entries or ():
        if not _ID_RE.match(entry.key):
            diags.append(diag("data-file", SOURCES_FILE, entry.line, entry.col, f"source id '{entry.key}' must be lowercase kebab-case"))
            continue
        values = _fields(entry, SOURCES_FILE, _SOURCE_RULES, diags)
        if values is None:
            continue
        if not values.get("url") and not values.get("where"):
            diags.append(diag("data-file", SOURCES_FILE, entry.line, entry.col, f"'{entry.key}' needs a 'url' or, when it has none, a 'where'"))
            continue
        sources[entry.key] = Source(id=entry.key, line=entry.line, **values)
    return sources, diags


def _aliases(value: Any) -> str:
    if not isinstance(value, list) or not value:
        return "must be a non-empty list of spellings"
    for alias in value:
        reason = _term_problem(alias)
        if reason:
            return f"item {alias!r} {reason}"
    return ""


def _term_problem(value: Any) -> str:
    reason = text_problem(value, max_length=MAX_TERM)
    if reason:
        return reason
    if not _TERM_RE.match(value):
        return "may not contain brackets, '*', '`', '|', '\\' or runs of blanks"
    return "" if _WORD_ENDS.match(value) else "must start and end with a letter or digit (the tooltip matches whole words)"


_TERM_RULES: dict[str, tuple[bool, Any]] = {
    "definition": (True, text_problem),
    "note": (True, lambda v: "" if isinstance(v, str) and _NOTE_RE.match(v) else "must be a note id such as evaluation/evaluation-metrics"),
    "section": (
        True,
        lambda v: "" if isinstance(v, str) and re.match(r"^[1-9][0-9]?(?:\.[1-9][0-9]?){0,3}$", v) else 'must be a quoted section number such as "3.1"',
    ),
    "aliases": (False, _aliases),
}


def load_glossary(root: Path, sections: Iterable[str] | None) -> tuple[dict[str, Term], list[Diagnostic]]:
    """Read data/glossary.yaml: unique terms and spellings (case-insensitively), each with a definition,
    a note id and a survey section that exists (not checked when `sections` is None)."""
    entries, diags = _section(root / GLOSSARY_FILE, GLOSSARY_FILE, "terms")
    known = set(sections) if sections is not None else None
    terms: dict[str, Term] = {}
    spelled: dict[str, str] = {}
    for entry in entries or ():
        reason = _term_problem(entry.key)
        if reason:
            diags.append(diag("glossary", GLOSSARY_FILE, entry.line, entry.col, f"term {entry.key!r} {reason}"))
            continue
        values = _fields(entry, GLOSSARY_FILE, _TERM_RULES, diags)
        if values is None:
            continue
        if known is not None and values["section"] not in known:
            diags.append(diag("glossary", GLOSSARY_FILE, entry.line, entry.col, f"'{entry.key}': section {values['section']} is not in data/survey.yaml"))
            continue
        term = Term(entry.key, values["definition"], values["note"], values["section"], tuple(values.get("aliases", ())), entry.line)
        clash = [s for s in term.spellings if s.casefold() in spelled]
        if clash:
            first = spelled[clash[0].casefold()]
            diags.append(
                diag("glossary", GLOSSARY_FILE, entry.line, entry.col, f"'{entry.key}': '{clash[0]}' is already a spelling of '{first}'", "keep one entry")
            )
            continue
        spelled.update((s.casefold(), term.term) for s in term.spellings)
        terms[term.term] = term
    return terms, diags


def glossary_usage(bodies: Iterable[str], terms: dict[str, Term]) -> set[str]:
    """The terms that at least one body uses. A term found once is not looked for again, so the
    cost falls as the glossary is covered."""
    remaining = dict(terms)
    used: set[str] = set()
    if not remaining:
        return used
    for body in bodies:
        for name in terms_in(body, remaining.values()):
            used.add(name)
            del remaining[name]
        if not remaining:
            break
    return used


def unused_terms(terms: dict[str, Term], used: set[str]) -> list[Diagnostic]:
    """A warning for each glossary term no note uses, on its line."""
    return [
        diag("unused-glossary-term", GLOSSARY_FILE, t.line, 1, f"no note uses '{t.term}' (or its aliases)", "use it in a note or remove the entry")
        for name, t in terms.items()
        if name not in used
    ]


def glossary_notes(terms: dict[str, Term], pages: Iterable[str]) -> list[Diagnostic]:
    """A warning for each glossary entry whose `note` is not a note of the knowledge base (the page
    then leaves that link out; a knowledge base without those notes still builds)."""
    known = {p.removesuffix(".md") for p in pages}
    out = []
    for t in terms.values():
        if t.note not in known:
            out.append(
                diag(
                    "glossary-note",
                    GLOSSARY_FILE,
                    t.line,
                    1,
                    f"'{t.term}': note '{t.note}' does not exist",
                    "give a note id such as evaluation/evaluation-metrics",
                )
            )
    return out


def _spelling_pattern(spelling: str) -> re.Pattern[str]:
    """A whole-word match: no letter, digit or '_' right before or after (as Python-Markdown's abbr)."""
    return re.compile(rf"(?<![\w]){re.escape(spelling)}(?![\w])")


def terms_in(text: str, terms: Iterable[Term]) -> tuple[str, ...]:
    """The glossary terms that `text` uses, by any spelling, in glossary order. A substring test
    comes first, so a term that does not occur costs one `in`."""
    found = []
    for term in terms:
        if any(s in text and _spelling_pattern(s).search(text) for s in term.spellings):
            found.append(term.term)
    return tuple(found)
