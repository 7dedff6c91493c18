"""Field kinds: what the value of a front-matter key or of a data-file field may be. A declaration
(`schema.py`) gives each field a kind; from the kind come the check of a data file's plain value
(`problem`: "must be a whole number from 1 to 99"), the check of a front-matter value (`fmcheck.py`),
the JSON Schema, the type column of the contributor reference and the type of the record attribute.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar

from papernotes.records import Item


class Kind:
    """A kind of value. Kinds are plain classes, not dataclasses: a declaration makes a few dozen at
    import, and every process of a check imports them."""

    __slots__ = ()
    empty: ClassVar[Any] = ""  # an optional field's value when it is absent (the record's default)

    def __repr__(self) -> str:
        names: tuple[str, ...] = type(self).__slots__
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in names)})"

    def describe(self) -> str:
        """What a value must be; completes "must be …" in a data file's diagnostics."""
        raise NotImplementedError

    def accepts(self, value: Any) -> bool:
        """Whether a plain value (from a data file) is of this kind."""
        raise NotImplementedError

    def problem(self, value: Any) -> str:
        """Why a plain value is not of this kind ("must be …"), or ''."""
        return "" if self.accepts(value) else f"must be {self.describe()}"

    def brief(self, name: str) -> str:
        """The field in a `{…}` summary of a record."""
        return name

    def json(self) -> dict[str, Any]:
        """The JSON Schema of a value."""
        raise TypeError(f"{type(self).__name__} has no JSON Schema")

    def table(self) -> str:
        """The type column of the contributor reference."""
        return "text"

    def value_type(self) -> object:
        """The type of the record attribute that holds a front-matter value."""
        return str


class Text(Kind):
    """Text; `nonblank` refuses an empty or blank value, `max_length` a long one. In front matter it
    is one line, never blank."""

    __slots__ = ("max_length", "nonblank")

    def __init__(self, max_length: int = 0, *, nonblank: bool = True) -> None:
        self.max_length = max_length
        self.nonblank = nonblank

    def describe(self) -> str:
        return "non-empty text" if self.nonblank else "text"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str) and (not self.nonblank or bool(value.strip()))

    def problem(self, value: Any) -> str:
        if not self.accepts(value):
            return f"must be {self.describe()}"
        return f"is {len(value):,} characters; at most {self.max_length:,}" if self.max_length and len(value) > self.max_length else ""

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string", "minLength": 1}
        if self.max_length:
            out["maxLength"] = self.max_length
        return out

    def table(self) -> str:
        return f"text, at most {self.max_length} characters" if self.max_length else "text"


class Ident(Kind):
    """An identifier: text that `pattern` matches from its start (the pattern anchors its end with
    `$`, or `\\Z` where a final line break must not pass). `doc` says what it is."""

    __slots__ = ("doc", "max_length", "pattern", "regex")

    def __init__(self, pattern: str, doc: str, max_length: int = 0) -> None:
        self.pattern = pattern
        self.doc = doc
        self.max_length = max_length
        self.regex = re.compile(pattern)

    def describe(self) -> str:
        return self.doc

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str) and self.regex.match(value) is not None

    def json(self) -> dict[str, Any]:
        return {"type": "string", "pattern": self.pattern}


class Choice(Kind):
    """One of a few words."""

    __slots__ = ("choices",)

    def __init__(self, choices: tuple[str, ...]) -> None:
        self.choices = choices

    def describe(self) -> str:
        return " or ".join(self.choices) if len(self.choices) == 2 else f"one of {', '.join(self.choices)}"

    def accepts(self, value: Any) -> bool:
        return value in self.choices

    def brief(self, name: str) -> str:
        return f"{name}: {'|'.join(self.choices)}"

    def json(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.choices)}

    def table(self) -> str:
        return " or ".join(f"`{c}`" for c in self.choices)


class Int(Kind):
    """A whole number (not a boolean), from `lo` to `hi` when they are given."""

    __slots__ = ("hi", "lo")
    empty: ClassVar[Any] = 0

    def __init__(self, lo: int | None = None, hi: int | None = None) -> None:
        self.lo = lo
        self.hi = hi

    def describe(self) -> str:
        return "a whole number" if self.lo is None or self.hi is None else f"a whole number from {self.lo:,} to {self.hi:,}"

    def accepts(self, value: Any) -> bool:
        if not isinstance(value, int) or isinstance(value, bool):
            return False
        return (self.lo is None or self.lo <= value) and (self.hi is None or value <= self.hi)

    def json(self) -> dict[str, Any]:
        return {"type": "integer"}

    def table(self) -> str:
        return "whole number"

    def value_type(self) -> object:
        return int


class Number(Kind):
    """A number, whole or not (not a boolean)."""

    __slots__ = ()
    empty: ClassVar[Any] = 0.0

    def describe(self) -> str:
        return "a number"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool)


class Date(Kind):
    """A date, YYYY-MM-DD. In a data file it is `quoted` text such as `example`, kept as text; in front
    matter an unquoted date is accepted too and the value is a `datetime.date`."""

    __slots__ = ("example", "quoted")
    empty: ClassVar[Any] = None

    def __init__(self, example: str = "", *, quoted: bool = False) -> None:
        self.example = example
        self.quoted = quoted

    def describe(self) -> str:
        return f'a quoted date such as "{self.example}"' if self.quoted else "a date, YYYY-MM-DD"

    def accepts(self, value: Any) -> bool:
        if not isinstance(value, str):
            return not self.quoted and isinstance(value, dt.date)
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
        return len(value) == 10

    def json(self) -> dict[str, Any]:
        return {"type": "string", "format": "date"}

    def table(self) -> str:
        return "date (YYYY-MM-DD)"

    def value_type(self) -> object:
        return dt.date


class List(Kind):
    """A list of values of one kind, at least `min_items` of them; in front matter, identifiers
    without repeats. `doc` names the list in a data file's diagnostics; with `explain_items` a bad
    item says why it is bad."""

    __slots__ = ("doc", "explain_items", "item", "min_items")
    empty: ClassVar[Any] = ()

    def __init__(self, item: Kind, min_items: int = 0, doc: str = "", *, explain_items: bool = False) -> None:
        self.item = item
        self.min_items = min_items
        self.doc = doc
        self.explain_items = explain_items

    def describe(self) -> str:
        return self.doc

    def accepts(self, value: Any) -> bool:
        return not self.problem(value)

    def problem(self, value: Any) -> str:
        if not isinstance(value, list) or len(value) < self.min_items:
            return f"must be {self.doc}"
        for item in value:
            reason = self.item.problem(item)
            if reason:
                return f"item {item!r} {reason}" if self.explain_items else f"must be {self.doc}"
        return ""

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array", "items": self.item.json(), "uniqueItems": True}
        if self.min_items:
            out["minItems"] = self.min_items
        return out

    def table(self) -> str:
        return f"list of text ({self.item.describe()})" + (f", at least {self.min_items}" if self.min_items else "")

    def value_type(self) -> object:
        return tuple[Item, ...]


class Records(Kind):
    """A list of small mappings, each checked against `fields` (other keys are ignored)."""

    __slots__ = ("fields", "min_items")
    empty: ClassVar[Any] = ()

    def __init__(self, fields: tuple[Field, ...], min_items: int = 0) -> None:
        self.fields = fields
        self.min_items = min_items

    def describe(self) -> str:
        return "a list of {" + ", ".join(f.kind.brief(f.name) for f in self.fields) + "}"

    def accepts(self, value: Any) -> bool:
        if not isinstance(value, list) or len(value) < self.min_items:
            return False
        return all(isinstance(v, dict) and not any(f.kind.problem(f.value_in(v)) for f in self.fields) for v in value)


class Field:
    """One key of a document: its kind, whether it is required, what it is for and an example (for the
    reference), and its value when absent where that is not the kind's empty value."""

    __slots__ = ("default", "doc", "example", "kind", "name", "required")

    def __init__(self, name: str, kind: Kind, required: bool = False, doc: str = "", example: str = "", *, default: Any = None) -> None:
        self.name = name
        self.kind = kind
        self.required = required
        self.doc = doc
        self.example = example
        self.default = default

    @property
    def absent(self) -> Any:
        """An optional field's value when it is absent."""
        return self.kind.empty if self.default is None else self.default

    @property
    def max_length(self) -> int:
        return getattr(self.kind, "max_length", 0)

    def value_in(self, data: dict[str, Any]) -> Any:
        """The field's plain value in a mapping; None when a required field is missing."""
        return data.get(self.name) if self.required else data.get(self.name, self.absent)
