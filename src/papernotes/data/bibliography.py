"""data/references.bib: the bibliography, parsed with bibtexparser 2. Every key and field is held to
the rule for page text; duplicates, unparsable blocks, huge fields and unsafe link targets are errors."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import bibtexparser

from papernotes.diagnostics import Diagnostic, diag
from papernotes.pagetext import text_problem
from papernotes.records import Reference
from papernotes.yamlfile import not_regular, not_utf8

MAX_BIB_FIELD = 16 * 1024
MAX_BIB_FILE = 1024 * 1024  # parsed in well under 5 s and 200 MB, whatever the bytes (scripts/bounded-cost)
MAX_BIB_AT = 2000  # '@' signs: at most this many entries (the real file has under 200)
_UNSAFE_TEXT = re.compile(r"[\s<>()\[\]\"'`\\]")  # what could break out of a Markdown link target


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
        return {}, [not_utf8("bibliography", shown, exc)]
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
