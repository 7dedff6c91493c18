"""The check of a front-matter mapping (a note's or a part page's) against its declaration: the
key's kind decides how a value is checked and what the diagnostic says. This is the hot path of a
check of 10,000 notes: a valid value is accepted without building a message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from papernotes.diagnostics import Diagnostic, Rule, diag
from papernotes.frontmatter import YEntry, YNode
from papernotes.hints import did_you_mean
from papernotes.kinds import Choice, Date, Field, Ident, Int, Kind, List, Text
from papernotes.pagetext import LINE_BREAK, TAG_LIKE, char_name, suspicious_char
from papernotes.records import Item

COERCED = {"bool": "a boolean", "int": "a number", "float": "a number", "null": "null", "timestamp": "a date"}
# Named tuples on the hot path are made by tuple.__new__, which skips the Python-level __new__ of
# the class (about half the cost of a record); the fields are given in full and in order.
_record = tuple.__new__


def check_one_line(key: Field, kind: Text, node: YNode, path: str, diags: list[Diagnostic]) -> str | None:
    return check_text(key.name, node, path, diags, kind.max_length)


def check_choice(key: Field, kind: Choice, node: YNode, path: str, diags: list[Diagnostic]) -> str | None:
    name = key.name
    text = check_text(name, node, path, diags, 0)
    if text is None or text in kind.choices:
        return text
    hint = did_you_mean(text, kind.choices) or f"one of: {', '.join(kind.choices)}"
    message = f"'{name}' must be one of {', '.join(kind.choices)}, not '{text}'"
    diags.append(diag("invalid-value", path, node.line, node.col, message, hint))
    return None


def check_int(key: Field, kind: Int, node: YNode, path: str, diags: list[Diagnostic]) -> Any:
    if node.kind != "int":
        diags.append(diag("wrong-type", path, node.line, node.col, f"'{key.name}' must be a whole number"))
        return None
    return node.value


def check_date(key: Field, kind: Date, node: YNode, path: str, diags: list[Diagnostic]) -> dt.date | None:
    if node.kind == "timestamp" and isinstance(node.value, dt.date):
        return node.value if not isinstance(node.value, dt.datetime) else node.value.date()
    if node.kind == "str" and isinstance(node.value, str):
        try:
            return dt.date.fromisoformat(node.value)
        except ValueError:
            pass
    diags.append(diag("wrong-type", path, node.line, node.col, f"'{key.name}' must be a date, YYYY-MM-DD", f"e.g. {key.name}: {key.example}"))
    return None


def check_text(name: str, node: YNode, path: str, diags: list[Diagnostic], max_length: int, item: Ident | None = None) -> str | None:
    """A one-line text value (or, with `item`, an identifier in a list), or None after reporting why not."""
    if node.kind == "str":
        text = node.value
        assert isinstance(text, str)
        if item is not None:
            if (not max_length or len(text) <= max_length) and item.regex.match(text):
                return text  # an identifier: its ASCII pattern already rules out every character the checks below look for
        elif (
            (not max_length or len(text) <= max_length)
            and text.strip()
            and not TAG_LIKE.search(text)
            and suspicious_char(text, ascii_only=False) is None
            and not LINE_BREAK.search(text)
        ):
            return text  # the common case, decided without building a message
    what = f"an item of '{name}'" if item is not None else f"'{name}'"
    if node.kind != "str":
        if node.kind in COERCED and node.plain:
            message = f"{what} must be text, but YAML 1.1 reads unquoted {node.raw!r} as {COERCED[node.kind]}"
            diags.append(diag("yaml-coercion", path, node.line, node.col, message, f'quote it: "{node.raw}"'))
        else:
            shape = {"seq": "a list", "map": "a mapping"}.get(node.kind, COERCED.get(node.kind, node.kind))
            diags.append(diag("wrong-type", path, node.line, node.col, f"{what} must be text, not {shape}"))
        return None
    assert isinstance(node.value, str)
    text = node.value
    bad = suspicious_char(text, ascii_only=item is not None)
    if bad is not None:
        diags.append(diag("suspicious-characters", path, node.line, node.col, f"{what} contains {char_name(bad)}", "retype it with plain characters"))
        return None
    if not text.strip():
        diags.append(diag("invalid-value", path, node.line, node.col, f"{what} is empty"))
        return None
    if TAG_LIKE.search(text):
        diags.append(diag("raw-html", path, node.line, node.col, f"{what} contains HTML markup", "write plain text"))
        return None
    if item is None and LINE_BREAK.search(text):
        diags.append(diag("invalid-value", path, node.line, node.col, f"{what} contains a line break; it must be one line", "join the lines"))
        return None
    if max_length and len(text) > max_length:
        diags.append(diag("invalid-value", path, node.line, node.col, f"{what} is {len(text)} characters; at most {max_length}"))
        return None
    if item is not None and not item.regex.match(text):
        diags.append(diag("invalid-value", path, node.line, node.col, f"'{text}' is not {item.doc}"))
        return None
    return text


def check_list(key: Field, kind: List, node: YNode, path: str, diags: list[Diagnostic]) -> tuple[Item, ...] | None:
    """A list of identifiers without repeats, each with its position; None when it is not a list."""
    name = key.name
    if node.kind != "seq":
        hint = f'use a list: {name}: ["{node.raw}"]' if node.kind != "map" and node.raw else f"use a list, e.g. {name}: {key.example}"
        diags.append(diag("wrong-type", path, node.line, node.col, f"'{name}' must be a list", hint))
        return None
    item = kind.item
    if not isinstance(item, Ident):
        raise TypeError(f"'{name}': a front-matter list holds identifiers")
    assert isinstance(node.value, tuple)
    items: list[Item] = []
    seen: set[str] = set()
    max_length, match = item.max_length, item.regex.match
    for child in node.value:
        assert isinstance(child, YNode)
        text = child.value if child.kind == "str" else None
        if not isinstance(text, str) or (max_length and len(text) > max_length) or not match(text):  # else check_text's common case
            if child.kind == "invalid":
                continue
            text = check_text(name, child, path, diags, max_length, item)
            if text is None:
                continue
        if text in seen:
            diags.append(diag("duplicate-item", path, child.line, child.col, f"'{text}' is listed twice in '{name}'", "remove the repeat"))
            continue
        seen.add(text)
        items.append(_record(Item, (text, child.line, child.col)))
    if len(node.value) < kind.min_items:
        plural = "s" if kind.min_items > 1 else ""
        diags.append(diag("invalid-value", path, node.line, node.col, f"'{name}' needs at least {kind.min_items} item{plural}"))
    return tuple(items)


def validate_mapping(root: YNode, fields: Sequence[Field], path: str, open_line: int = 1) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Check a front-matter mapping against `fields`; return the clean values and every problem."""
    diags: list[Diagnostic] = []
    if root.kind != "map":
        shape = "a list" if root.kind == "seq" else "a single value"
        message = f"front matter is {shape}, not a mapping of keys to values"
        return {}, [diag("front-matter-not-mapping", path, root.line, root.col, message, "write 'key: value' lines")]
    by_name, required = declared(fields)
    values: dict[str, Any] = {}
    present: set[str] = set()
    assert isinstance(root.value, tuple)
    for entry in root.value:
        assert isinstance(entry, YEntry)
        key = entry.key
        present.add(key)
        found = by_name.get(key)
        if found is None:
            hint = did_you_mean(key, list(by_name)) or f"allowed keys: {', '.join(by_name)}"
            diags.append(diag("unknown-key", path, entry.line, entry.col, f"unknown key '{key}'", hint))
            continue
        if entry.value.kind == "invalid":
            continue  # the YAML walker already reported why
        field, check = found
        if check is None:
            raise TypeError(f"'{key}': {type(field.kind).__name__} is not a front-matter kind")
        value = check(field, field.kind, entry.value, path, diags)
        if value is not None:
            values[key] = value
    for f in required:
        if f.name not in present:
            diags.append(diag("missing-key", path, open_line, 1, f"required key '{f.name}' is missing", f"add e.g. {f.name}: {f.example}"))
    return values, diags


Check = Callable[[Field, Any, YNode, str, list[Diagnostic]], Any]
_DECLARED: dict[int, tuple[Sequence[Field], dict[str, tuple[Field, Check | None]], tuple[Field, ...]]] = {}


def declared(fields: Sequence[Field]) -> tuple[dict[str, tuple[Field, Check | None]], tuple[Field, ...]]:
    """Each key of `fields` with its field and its kind's check (None: not a front-matter kind), and
    the required fields; worked out once per declaration, not once per note."""
    known = _DECLARED.get(id(fields))
    if known is None or known[0] is not fields:
        by_name = {f.name: (f, CHECKS.get(type(f.kind))) for f in fields}
        known = _DECLARED[id(fields)] = (fields, by_name, tuple(f for f in fields if f.required))
    return known[1], known[2]


# How a front-matter value of each kind is checked: by the kind's class, one lookup per key.
CHECKS: dict[type[Kind], Check] = {
    List: check_list,
    Text: check_one_line,
    Choice: check_choice,
    Date: check_date,
    Int: check_int,
}


# What checking front matter against its schema checks, in order: the keys, then each value by its kind.
SCHEMA_RULES = (
    Rule("keys", ("missing-key",), validate_mapping, reuses=("unknown-key", "front-matter-not-mapping")),
    Rule("text", ("yaml-coercion", "suspicious-characters"), check_text, reuses=("raw-html",)),
    Rule("values", ("wrong-type", "invalid-value"), check_choice),
    Rule("lists", ("duplicate-item",), check_list),
)
