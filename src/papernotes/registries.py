"""The two registries of data/ that give the notes their provenance and their vocabulary:
`sources.yaml` (the public summaries of the survey that a note's `basis` names) and `glossary.yaml`
(terms a reader meets, each defined in a sentence or two). Each loader returns frozen records and
diagnostics; both files are optional, so a knowledge base without them still checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from papernotes.diagnostics import Diagnostic, diag
from papernotes.frontmatter import YEntry
from papernotes.kinds import Field
from papernotes.paths import SLUG_RE
from papernotes.records import Source, Term
from papernotes.schema import SOURCE_FIELDS, TERM, TERM_FIELDS
from papernotes.yamlfile import map_entries, plain, read_yaml_file

SOURCES_FILE = "data/sources.yaml"
GLOSSARY_FILE = "data/glossary.yaml"


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


def _fields(entry: YEntry, shown: str, declared: tuple[Field, ...], diags: list[Diagnostic]) -> dict[str, Any] | None:
    """The entry's fields checked against their declaration; None if any is unknown, missing or not of its kind."""
    fields = {e.key: e for e in map_entries(entry.value)}
    if entry.value.kind != "map":
        diags.append(diag("data-file", shown, entry.line, entry.col, f"'{entry.key}' must be a mapping of fields"))
        return None
    names = [f.name for f in declared]
    ok = True
    for name in sorted(set(fields) - set(names)):
        diags.append(diag("data-file", shown, fields[name].line, fields[name].col, f"'{entry.key}': unknown field '{name}'", f"fields: {', '.join(names)}"))
        ok = False
    values: dict[str, Any] = {}
    for f in declared:
        if f.name not in fields:
            if f.required:
                diags.append(diag("data-file", shown, entry.line, entry.col, f"'{entry.key}' lacks '{f.name}'"))
                ok = False
            continue
        value = plain(fields[f.name].value)
        reason = f.kind.problem(value)
        if reason:
            diags.append(diag("data-file", shown, fields[f.name].value.line, fields[f.name].value.col, f"'{entry.key}'.{f.name} {reason}"))
            ok = False
        values[f.name] = value
    return values if ok else None


def load_sources(root: Path) -> tuple[dict[str, Source], list[Diagnostic]]:
    """Read data/sources.yaml: every entry needs a title, kind, language, covered version and use, and a url or a where."""
    entries, diags = _section(root / SOURCES_FILE, SOURCES_FILE, "sources")
    sources: dict[str, Source] = {}
    for entry in entries or ():
        if not SLUG_RE.match(entry.key):
            diags.append(diag("data-file", SOURCES_FILE, entry.line, entry.col, f"source id '{entry.key}' must be lowercase kebab-case"))
            continue
        values = _fields(entry, SOURCES_FILE, SOURCE_FIELDS, diags)
        if values is None:
            continue
        if not values.get("url") and not values.get("where"):
            diags.append(diag("data-file", SOURCES_FILE, entry.line, entry.col, f"'{entry.key}' needs a 'url' or, when it has none, a 'where'"))
            continue
        sources[entry.key] = Source(id=entry.key, line=entry.line, **values)
    return sources, diags


def load_glossary(root: Path, sections: Iterable[str] | None) -> tuple[dict[str, Term], list[Diagnostic]]:
    """Read data/glossary.yaml: unique terms and spellings (case-insensitively), each with a definition,
    a note id and a survey section that exists (not checked when `sections` is None)."""
    entries, diags = _section(root / GLOSSARY_FILE, GLOSSARY_FILE, "terms")
    known = set(sections) if sections is not None else None
    terms: dict[str, Term] = {}
    spelled: dict[str, str] = {}
    for entry in entries or ():
        reason = TERM.problem(entry.key)
        if reason:
            diags.append(diag("glossary", GLOSSARY_FILE, entry.line, entry.col, f"term {entry.key!r} {reason}"))
            continue
        values = _fields(entry, GLOSSARY_FILE, TERM_FIELDS, diags)
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


def first_uses(body: str, unseen: dict[str, Term]) -> tuple[str, ...]:
    """The terms of `unseen` that `body` uses, which are then no longer unseen: a term found once is
    not looked for again, so the cost of finding which terms some note uses falls as the glossary is
    covered, and a body is not even read once every term is found."""
    found = terms_in(body, unseen.values()) if unseen else ()
    for name in found:
        del unseen[name]
    return found


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


_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")


def _whole_word_in(text: str, spelling: str) -> bool:
    """Whether `spelling` occurs in `text` with no letter, digit or '_' right before or after it (as
    Python-Markdown's abbr matches it): every occurrence is tried, overlapping ones too."""
    at = text.find(spelling)
    while at >= 0:
        end = at + len(spelling)
        if (at == 0 or not _WORD_CHAR.match(text, at - 1)) and not _WORD_CHAR.match(text, end):
            return True
        at = text.find(spelling, at + 1)
    return False


def terms_in(text: str, terms: Iterable[Term]) -> tuple[str, ...]:
    """The glossary terms that `text` uses, by any spelling, in glossary order."""
    return tuple(term.term for term in terms if any(_whole_word_in(text, s) for s in term.spellings))


class TermFinder:
    """`terms_in` for many texts and one glossary. A spelling that starts with a word character can
    occur as a whole word only where the text has its first word (its leading run of word characters)
    as a whole word too, so the spellings are indexed by that word: a text is split into its words
    once, and only the spellings whose first word it has are looked for (with those that start with
    another character, always)."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.names: list[str] = []  # glossary order
        self.by_word: dict[str, list[tuple[int, str]]] = {}
        self.others: list[tuple[int, str]] = []
        for i, term in enumerate(terms):
            self.names.append(term.term)
            for spelling in term.spellings:
                first = _WORD.match(spelling)
                if first:
                    self.by_word.setdefault(first.group(), []).append((i, spelling))
                else:
                    self.others.append((i, spelling))

    def find(self, text: str) -> tuple[str, ...]:
        """`terms_in(text, terms)`."""
        found: set[int] = set()
        candidates = [c for word in self.by_word.keys() & _WORD.findall(text) for c in self.by_word[word]]
        for i, spelling in candidates + self.others:
            if i not in found and _whole_word_in(text, spelling):
                found.add(i)
        return tuple(self.names[i] for i in sorted(found))
