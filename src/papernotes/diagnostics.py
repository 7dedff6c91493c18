"""Problems as data, printed like a compiler.

A `Diagnostic` is frozen and 1-based; stages return them, formatters are pure functions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from papernotes.codes import Severity, lookup


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place. `line` and `col` are 1-based; 0 means the whole file."""

    path: str
    line: int
    col: int
    code: str
    name: str
    severity: Severity
    message: str
    hint: str = ""

    def render(self) -> str:
        """`path:line:col: severity CODE name: message (hint)`."""
        text = f"{self.path}:{self.line}:{self.col}: {self.severity.value} {self.code} {self.name}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass(frozen=True)
class Rule:
    """One check of a stage: its name, the codes it declares (each code is declared by exactly one
    rule of all the stages) and the function that runs it. `reuses` names codes this check also
    emits that another rule declares (a front-matter value with HTML is `raw-html`, as in a body)."""

    name: str
    codes: tuple[str, ...]
    check: Callable[..., Any]
    reuses: tuple[str, ...] = ()


def diag(name: str, path: str, line: int, col: int, message: str, hint: str = "") -> Diagnostic:
    """Build a diagnostic from a registered code name."""
    code = lookup(name)
    return Diagnostic(shown(path), max(line, 0), max(col, 0), code.code, code.name, code.severity, shown(message), shown(hint))


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """Text from a note made safe to print on one line: control characters (a line break, a terminal
    escape) and bidi characters as \\x0a, \\x1b or \\u202e."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    """Order by file, position, then code."""
    return (d.path, d.line, d.col, d.code, d.message)


def sorted_unique(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sort diagnostics and drop exact repeats."""
    return sorted(set(diags), key=sort_key)


def format_text(diags: Iterable[Diagnostic]) -> str:
    """One line per problem, sorted."""
    return "".join(d.render() + "\n" for d in diags)


def _gh_escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(diags: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands: annotations on the exact lines."""
    out = []
    for d in diags:
        level = "error" if d.severity is Severity.ERROR else "warning"
        props = [f"file={_gh_escape(d.path, prop=True)}"]
        if d.line:
            props.append(f"line={d.line}")
        if d.col:
            props.append(f"col={d.col}")
        props.append(f"title={_gh_escape(f'{d.code} {d.name}', prop=True)}")
        message = d.message + (f" ({d.hint})" if d.hint else "")
        out.append(f"::{level} {','.join(props)}::{_gh_escape(message)}\n")
    return "".join(out)


def format_json(diags: Iterable[Diagnostic]) -> str:
    """A JSON array of objects with every field."""
    records = [
        {
            "path": d.path,
            "line": d.line,
            "col": d.col,
            "code": d.code,
            "name": d.name,
            "severity": d.severity.value,
            "message": d.message,
            "hint": d.hint,
        }
        for d in diags
    ]
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}


def summary_line(diags: list[Diagnostic]) -> str:
    """A closing count, e.g. `2 errors, 1 warning in 3 files`."""
    errors = sum(d.severity is Severity.ERROR for d in diags)
    warnings = len(diags) - errors
    files = len({d.path for d in diags})

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files, 'file')}"
