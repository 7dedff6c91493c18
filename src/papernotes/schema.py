"""The front-matter schema, declared once.

The checker, the JSON Schema for editors (`papernotes schema`) and the contributor reference in
CONTRIBUTING.md are all generated from `NOTE_FIELDS`.

Long because the field table and everything generated from it (the checks of each kind of value, the
JSON Schema, the reference table) stay in one module, so that a field cannot be added to one and
forgotten in another.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from papernotes.diagnostics import Diagnostic, diag
from papernotes.frontmatter import YEntry, YNode

COERCED = {"bool": "a boolean", "int": "a number", "float": "a number", "null": "null", "timestamp": "a date"}


@dataclass(frozen=True)
class Field:
    """One front-matter key: its kind, whether it is required, and the rule it must follow."""

    name: str
    kind: str  # text | text-list | choice | date | int
    required: bool
    doc: str
    example: str
    max_length: int = 0
    min_items: int = 0
    choices: tuple[str, ...] = ()
    pattern: str = ""
    pattern_doc: str = ""


NOTE_FIELDS: tuple[Field, ...] = (
    Field("title", "text", True, "The note's title, in sentence case, without a trailing period.", "Training SWE agents", max_length=120),
    Field(
        "summary",
        "text",
        True,
        "One sentence that stands alone in a listing; also the page's meta description and search snippet.",
        "How the survey says SWE agents are trained, from fine-tuning on trajectories to RL.",
        max_length=300,
    ),
    Field(
        "sections",
        "text-list",
        True,
        "Survey section numbers the note covers, quoted; each must exist in data/survey.yaml. The first sets the note's place in the reading order.",
        '["5.3", "5.3.1"]',
        min_items=1,
        pattern=r"^[1-9][0-9]?(?:\.[1-9][0-9]?){0,3}$",
        pattern_doc="a section number such as 5.3.1",
    ),
    Field(
        "tags",
        "text-list",
        True,
        "Tags from data/tags.yaml; an alias is accepted with a warning.",
        "[swe-agents, agent-training]",
        min_items=1,
        pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
        pattern_doc="lowercase kebab-case",
    ),
    Field(
        "status",
        "choice",
        True,
        "`draft` until a second reader has checked the note against its sources, then `reviewed`.",
        "draft",
        choices=("draft", "reviewed"),
    ),
    Field(
        "cites",
        "text-list",
        False,
        "BibTeX keys from data/references.bib that the note relies on beyond its inline [@key] citations.",
        "[wei2025swerl]",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_:.+-]*$",
        pattern_doc="a BibTeX key",
    ),
    Field(
        "contributors",
        "text-list",
        False,
        "Handles of the people who wrote or reviewed the note.",
        "[octocat]",
        pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,38})$",
        pattern_doc="a handle of letters, digits, '.', '_' or '-'",
    ),
    Field("updated", "date", False, "The date of the last substantive change, YYYY-MM-DD.", "2026-11-28"),
    Field(
        "basis",
        "text-list",
        False,
        "Ids from data/sources.yaml of the public summaries of the survey that the note rests on.",
        "[ko-summary, es-summary]",
        pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
        pattern_doc="lowercase kebab-case",
    ),
    Field(
        "confidence",
        "choice",
        False,
        "`corroborated` when the note's key facts were found in two independent sources, else `single-source`.",
        "corroborated",
        choices=("single-source", "corroborated"),
    ),
)

PART_FIELDS: tuple[Field, ...] = (
    Field("title", "text", True, "The part's title.", "Agents", max_length=80),
    Field("summary", "text", True, "One sentence describing the part.", "Software-engineering agents and code for generalist agents.", max_length=300),
    Field("order", "int", True, "Position of the part on the home page and in the navigation.", "5"),
    Field("covers", "text", True, "Which survey chapters and sections the part gathers, in words.", '"chapters 5 and 6"', max_length=200),
)

_INVISIBLE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")


_TAG_LIKE = re.compile(r"<[A-Za-z/!?]")
LINE_BREAK = re.compile("[\n\r\x85\u2028\u2029]")  # what a browser, YAML or Markdown may take for the end of a line


def text_problem(text: str, max_length: int = 0, *, one_line: bool = True) -> tuple[str, str] | None:
    """The one rule for a string that reaches a page, from a note, a part page or a data file: why it
    may not (a code name and a message), or None. Escaping for the place it lands is the emitter's job."""
    bad = suspicious_char(text, ascii_only=False)
    if bad is not None:
        return "suspicious-characters", f"contains {char_name(bad)}"
    if one_line and (found := LINE_BREAK.search(text)):
        return "invalid-value", f"contains a line break ({char_name(found.group())}) where one line is meant"
    if _TAG_LIKE.search(text):
        return "raw-html", "contains HTML markup"
    if max_length and len(text) > max_length:
        return "invalid-value", f"is {len(text):,} characters; at most {max_length:,}"
    return None


def char_name(ch: str) -> str:
    """`U+0430 CYRILLIC SMALL LETTER A`."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED CHARACTER')}"


def suspicious_char(text: str, *, ascii_only: bool) -> str | None:
    """The first invisible or bidi-control character, or (for identifiers) the first non-ASCII one."""
    found = _INVISIBLE.search(text)
    if found:
        return found.group()
    if ascii_only and not text.isascii():
        for ch in text:
            if ord(ch) > 127:
                return ch
    return None


@functools.lru_cache(maxsize=32)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def did_you_mean(word: str, candidates: Sequence[str]) -> str:
    """A 'did you mean …?' hint, or ''."""
    import difflib  # only a problem needs a hint

    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    if not close:
        folded = {c.casefold(): c for c in candidates}
        if word.casefold() in folded:
            close = [folded[word.casefold()]]
    return f"did you mean '{close[0]}'?" if close else ""


class Item(NamedTuple):
    """A string from the front matter with the position it came from."""

    value: str
    line: int
    col: int


def validate_mapping(root: YNode, fields: Sequence[Field], path: str, open_line: int = 1) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Check a front-matter mapping against `fields`; return the clean values and every problem."""
    diags: list[Diagnostic] = []
    if root.kind != "map":
        shape = "a list" if root.kind == "seq" else "a single value"
        return {}, [
            diag("front-matter-not-mapping", path, root.line, root.col, f"front matter is {shape}, not a mapping of keys to values", "write 'key: value' lines")
        ]
    by_name = {f.name: f for f in fields}
    values: dict[str, Any] = {}
    assert isinstance(root.value, tuple)
    for entry in root.value:
        assert isinstance(entry, YEntry)
        field = by_name.get(entry.key)
        if field is None:
            hint = did_you_mean(entry.key, list(by_name)) or f"allowed keys: {', '.join(by_name)}"
            diags.append(diag("unknown-key", path, entry.line, entry.col, f"unknown key '{entry.key}'", hint))
            continue
        value = _check_field(field, entry.value, path, diags)
        if value is not None:
            values[field.name] = value
    present = {e.key for e in root.value if isinstance(e, YEntry)}
    for field in fields:
        if field.required and field.name not in present:
            diags.append(diag("missing-key", path, open_line, 1, f"required key '{field.name}' is missing", f"add e.g. {field.name}: {field.example}"))
    return values, diags


def _check_field(field: Field, node: YNode, path: str, diags: list[Diagnostic]) -> Any:
    if node.kind == "invalid":
        return None  # the YAML walker already reported why
    if field.kind == "text-list":
        return _check_list(field, node, path, diags)
    if field.kind == "date":
        return _check_date(field, node, path, diags)
    if field.kind == "int":
        if node.kind != "int":
            diags.append(diag("wrong-type", path, node.line, node.col, f"'{field.name}' must be a whole number"))
            return None
        return node.value
    text = _check_text(field, node, path, diags, ascii_only=False)
    if text is None:
        return None
    if field.choices and text not in field.choices:
        hint = did_you_mean(text, field.choices) or f"one of: {', '.join(field.choices)}"
        diags.append(diag("invalid-value", path, node.line, node.col, f"'{field.name}' must be one of {', '.join(field.choices)}, not '{text}'", hint))
        return None
    return text


def _check_text(field: Field, node: YNode, path: str, diags: list[Diagnostic], *, ascii_only: bool, item: bool = False) -> str | None:
    if node.kind == "str":
        text = node.value
        assert isinstance(text, str)
        if item and field.pattern and (not field.max_length or len(text) <= field.max_length) and _compiled(field.pattern).match(text):
            return text  # an identifier: its ASCII pattern already rules out every character the checks below look for
        if (
            (not field.max_length or len(text) <= field.max_length)
            and (not field.pattern or not item or _compiled(field.pattern).match(text))
            and text.strip()
            and not _TAG_LIKE.search(text)
            and suspicious_char(text, ascii_only=ascii_only) is None
            and (item or not LINE_BREAK.search(text))
        ):
            return text  # the common case, decided without building a message
    what = f"an item of '{field.name}'" if item else f"'{field.name}'"
    if node.kind != "str":
        if node.kind in COERCED and node.plain:
            diags.append(
                diag(
                    "yaml-coercion",
                    path,
                    node.line,
                    node.col,
                    f"{what} must be text, but YAML 1.1 reads unquoted {node.raw!r} as {COERCED[node.kind]}",
                    f'quote it: "{node.raw}"',
                )
            )
        else:
            shape = {"seq": "a list", "map": "a mapping"}.get(node.kind, COERCED.get(node.kind, node.kind))
            diags.append(diag("wrong-type", path, node.line, node.col, f"{what} must be text, not {shape}"))
        return None
    assert isinstance(node.value, str)
    text = node.value
    bad = suspicious_char(text, ascii_only=ascii_only)
    if bad is not None:
        diags.append(diag("suspicious-characters", path, node.line, node.col, f"{what} contains {char_name(bad)}", "retype it with plain characters"))
        return None
    if not text.strip():
        diags.append(diag("invalid-value", path, node.line, node.col, f"{what} is empty"))
        return None
    if _TAG_LIKE.search(text):
        diags.append(diag("raw-html", path, node.line, node.col, f"{what} contains HTML markup", "write plain text"))
        return None
    if not item and LINE_BREAK.search(text):
        diags.append(diag("invalid-value", path, node.line, node.col, f"{what} contains a line break; it must be one line", "join the lines"))
        return None
    if field.max_length and len(text) > field.max_length:
        diags.append(diag("invalid-value", path, node.line, node.col, f"{what} is {len(text)} characters; at most {field.max_length}"))
        return None
    if field.pattern and item and not _compiled(field.pattern).match(text):
        diags.append(diag("invalid-value", path, node.line, node.col, f"'{text}' is not {field.pattern_doc}"))
        return None
    return text


def _check_list(field: Field, node: YNode, path: str, diags: list[Diagnostic]) -> tuple[Item, ...] | None:
    if node.kind != "seq":
        hint = f'use a list: {field.name}: ["{node.raw}"]' if node.kind != "map" and node.raw else f"use a list, e.g. {field.name}: {field.example}"
        diags.append(diag("wrong-type", path, node.line, node.col, f"'{field.name}' must be a list", hint))
        return None
    assert isinstance(node.value, tuple)
    items: list[Item] = []
    seen: set[str] = set()
    for child in node.value:
        assert isinstance(child, YNode)
        if child.kind == "invalid":
            continue
        text = _check_text(field, child, path, diags, ascii_only=True, item=True)
        if text is None:
            continue
        if text in seen:
            diags.append(diag("duplicate-item", path, child.line, child.col, f"'{text}' is listed twice in '{field.name}'", "remove the repeat"))
            continue
        seen.add(text)
        items.append(Item(text, child.line, child.col))
    if len(node.value) < field.min_items:
        diags.append(
            diag("invalid-value", path, node.line, node.col, f"'{field.name}' needs at least {field.min_items} item{'s' if field.min_items > 1 else ''}")
        )
    return tuple(items)


def _check_date(field: Field, node: YNode, path: str, diags: list[Diagnostic]) -> dt.date | None:
    if node.kind == "timestamp" and isinstance(node.value, dt.date):
        return node.value if not isinstance(node.value, dt.datetime) else node.value.date()
    if node.kind == "str" and isinstance(node.value, str):
        try:
            return dt.date.fromisoformat(node.value)
        except ValueError:
            pass
    diags.append(diag("wrong-type", path, node.line, node.col, f"'{field.name}' must be a date, YYYY-MM-DD", "e.g. updated: 2026-11-28"))
    return None


# --- generated views of the schema ---------------------------------------------------------------


def json_schema(fields: Sequence[Field] = NOTE_FIELDS) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of a note's front matter, for editors."""
    props: dict[str, Any] = {}
    for f in fields:
        prop: dict[str, Any]
        if f.kind == "text-list":
            item: dict[str, Any] = {"type": "string"}
            if f.pattern:
                item["pattern"] = f.pattern
            prop = {"type": "array", "items": item, "uniqueItems": True}
            if f.min_items:
                prop["minItems"] = f.min_items
        elif f.kind == "choice":
            prop = {"type": "string", "enum": list(f.choices)}
        elif f.kind == "date":
            prop = {"type": "string", "format": "date"}
        elif f.kind == "int":
            prop = {"type": "integer"}
        else:
            prop = {"type": "string", "minLength": 1}
            if f.max_length:
                prop["maxLength"] = f.max_length
        prop["description"] = f.doc
        props[f.name] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://papernotes.invalid/schema/note-front-matter.json",
        "title": "papernotes note front matter",
        "type": "object",
        "properties": props,
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def _kind_doc(f: Field) -> str:
    if f.kind == "text-list":
        return f"list of text ({f.pattern_doc})" + (f", at least {f.min_items}" if f.min_items else "")
    if f.kind == "choice":
        return " or ".join(f"`{c}`" for c in f.choices)
    if f.kind == "text" and f.max_length:
        return f"text, at most {f.max_length} characters"
    return {"date": "date (YYYY-MM-DD)", "int": "whole number"}.get(f.kind, "text")


def reference_markdown(fields: Sequence[Field] = NOTE_FIELDS) -> str:
    """The front-matter reference table, as Markdown (generated into CONTRIBUTING.md)."""
    rows = ["| key | required | type | what | example |", "|---|---|---|---|---|"]
    for f in fields:
        rows.append(f"| `{f.name}` | {'yes' if f.required else 'no'} | {_kind_doc(f)} | {f.doc} | `{f.example}` |")
    rows.append("")
    rows.append("Any other key is an error (`PN107 unknown-key`).")
    return "\n".join(rows) + "\n"
