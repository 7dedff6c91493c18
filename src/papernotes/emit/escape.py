"""The one escaping layer: every string from notes/ or data/ reaches a staged file through one of
these functions, one per context it lands in.

| context | function | why |
|---|---|---|
| Markdown inline text (headings, lists, table cells) | `markdown_text` | no HTML, no emphasis, links or table cells of the author's |
| an attribute of raw HTML we generate | `html_attr` | quotes cannot close the attribute |
| SVG text (`<title>`, `<desc>`, `<text>`) | `svg_text` | XML text: `&`, `<`, `>` |
| a glossary definition (`*[term]: …`) | `abbr_title` | one line; Python-Markdown escapes the attribute |
| JSON read by a script | `script_json` | no `</script>`, no `<!--`, no line separators |
| the YAML front matter of a staged page | `page_meta` | Material prints `title` and `description` into HTML without escaping |

The check refuses control and bidirectional characters, line breaks and markup in every such
string first (`pagetext.text_problem`); these functions still escape everything, so that a string
the check missed stays text.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Callable
from typing import Any, cast

import yaml

try:  # libyaml writes the same text about six times faster
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")
_LINE_BREAKS = re.compile("[\r\n\x85\u2028\u2029]+")


@functools.lru_cache(maxsize=1 << 16)  # titles and summaries are written on many pages
def markdown_text(value: str) -> str:
    """Author text for a Markdown inline context: no HTML, no stray emphasis or links, one line."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(_LINE_BREAKS.sub(" ", value), quote=False))


def html_attr(value: str) -> str:
    """Text for an attribute value (or element text) of generated raw HTML."""
    return html.escape(value, quote=True)


def abbr_title(value: str) -> str:
    """A definition for Python-Markdown's `*[term]: title` line: one line. The renderer escapes it
    into the `title` attribute itself, so it is not escaped here (that would show `&amp;`)."""
    return " ".join(value.split())


def svg_text(value: str) -> str:
    """Text for an SVG element or attribute."""
    return html.escape(value, quote=True)


def script_json(value: Any) -> str:
    """JSON that stays JSON inside an HTML attribute or a `<script>`: `<`, `>`, `&` and the
    JavaScript line separators are written as \\u escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# Material writes `page.meta.description` raw into `<meta name="description" content="…">` and
# `page.meta.title` raw into `<title>` and the header; the site engine's templates do not autoescape.
_META_ATTR = frozenset({"description"})
_META_TEXT = frozenset({"title"})


def meta_value(key: str, value: Any) -> Any:
    """One front-matter value of a staged page, escaped for where the theme prints it."""
    if not isinstance(value, str):
        return value
    value = _LINE_BREAKS.sub(" ", value)
    if key in _META_ATTR:
        return html.escape(value, quote=True)
    if key in _META_TEXT:
        return value.replace("<", "&lt;").replace(">", "&gt;")  # '&' stays: the theme escapes titles in some places itself
    return value


def page_meta(values: dict[str, Any]) -> str:
    """A YAML front-matter block, safely dumped with stable key order and escaped values."""
    escaped = {key: meta_value(key, value) for key, value in values.items()}
    dumped = _block_mapping(escaped)
    if dumped is None:
        dumped = yaml.dump(escaped, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=None)
    return f"---\n{dumped}---\n\n"


# The front matter of a note page, written directly: what `yaml.dump` above writes for a mapping of
# strings, booleans and lists of strings with at least one list (so the mapping is in block style and
# each list in flow style) when every string is one that the emitter writes plain (or, for a ': ' in
# a summary, in single quotes), on lines that do not reach its width. Anything else is left to `yaml.dump`; tests/test_escape.py holds the two equal.
_RESOLVE = cast("Callable[[type[yaml.Node], str, tuple[bool, bool]], str]", yaml.resolver.Resolver().resolve)  # the tag the dumper gives a scalar
_STR = "tag:yaml.org,2002:str"
_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@` ")  # a character that may open YAML syntax
_FLOW = frozenset(",?[]{}:")  # a character that may end or open a value inside a flow list
_LONGEST = 900  # characters on a line, well below the width of 1000 where the emitter starts folding


def _printable(value: str) -> bool:
    """No line break, tab, control, format, private or unassigned character, and none beyond the Basic
    Multilingual Plane (the emitter escapes those too)."""
    return value.isprintable() and (value.isascii() or max(value) <= "\uffff")


def _plain(value: str, flow: bool) -> bool:
    """Whether the emitter writes `value` without quotes, in a block mapping or (`flow`) a flow list."""
    return (
        value != ""
        and _printable(value)
        and value[0] not in _FIRST
        and value[-1] != " "
        and not value.startswith("...")
        and ": " not in value
        and not value.endswith(":")
        and " #" not in value
        and not (flow and not _FLOW.isdisjoint(value))
        and _RESOLVE(yaml.ScalarNode, value, (True, False)) == _STR  # not read back as a number, date, bool or null
    )


def _quoted(value: str) -> bool:
    """Whether the emitter writes `value`, in a block mapping, in single quotes: a string it cannot write
    plain because of a ': ' or ' #' (or a final ':'), and that needs no escape."""
    return _printable(value) and value[:1] not in ("", " ") and value[-1] != " " and (": " in value or value.endswith(":") or " #" in value)


def _block_mapping(values: dict[str, Any]) -> str | None:
    """`yaml.dump(values)` for the mappings described above; None for any other."""
    lists = [id(v) for v in values.values() if type(v) is list]
    if not lists or len(set(lists)) < len(lists):  # the same list twice is written once, with an alias
        return None
    lines = []
    for key, value in values.items():
        if not (type(key) is str and key.isidentifier() and key.isascii() and _plain(key, flow=True)):
            return None
        if type(value) is bool:
            text = "true" if value else "false"
        elif type(value) is str and _plain(value, flow=False):
            text = value
        elif type(value) is str and _quoted(value):
            text = "'" + value.replace("'", "''") + "'"
        elif type(value) is list and all(type(v) is str and _plain(v, flow=True) for v in value):
            text = f"[{', '.join(value)}]"
        else:
            return None
        line = f"{key}: {text}"
        if len(line) > _LONGEST:
            return None
        lines.append(line)
    return "\n".join(lines) + "\n"
