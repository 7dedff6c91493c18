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
from typing import Any

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
    dumped = yaml.dump(escaped, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=None)
    return f"---\n{dumped}---\n\n"
