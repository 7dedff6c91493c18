"""Scan a note's Markdown body once: headings, links, citations, §-references and raw HTML.

One compiled pattern runs over the whole body; matches inside fenced code or inline code spans
are skipped. Every record keeps the line and column it came from in the original file, and the
citation and §-reference spans are kept so that staging can rewrite them without scanning again.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass

from papernotes.diagnostics import Diagnostic, diag
from papernotes.paths import heading_anchor

UNSAFE_TAGS = frozenset(
    "script iframe frame frameset object embed applet svg math style link meta base form input button "
    "textarea select template noscript portal".split()
)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_LINE = 10_000

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)
_INLINE_CODE_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
_TOKEN_RE = re.compile(
    r"""
    (?P<heading>^(?P<hashes>\#{1,6})[ \t]+(?P<htext>[^\n]*?)[ \t\#]*$)
  | (?P<setext>^(?P<stext>[^\n\s|>*+\-\#][^\n]*)\n(?P<sline>=+|-+)[ \t]*$)
  | (?P<refdef>^[ ]{0,3}\[(?P<refname>[^\]\n]+)\]:[ \t]*(?P<refurl><[^>\n]*>|\S+))
  | (?P<link>(?P<bang>!?)\[(?P<ltext>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\([ \t]*(?P<url><[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'))?[ \t]*\))
  | (?P<cite>\[(?P<ctext>[^\[\]\n]*@[^\[\]\n]*)\](?!\())
  | (?P<sec>§[ \u00a0]?(?P<secnum>[0-9]+(?:\.[0-9]+)*))
  | (?P<auto><(?P<autourl>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>)
  | (?P<comment><!--|<!\[CDATA\[|<![A-Za-z]|<\?)
  | (?P<tag></?(?P<tagname>[A-Za-z][A-Za-z0-9\-]*)(?=[\s/>])[^>]{0,4000}>)
    """,
    re.MULTILINE | re.VERBOSE,
)
_CITE_KEY_RE = re.compile(r"@([A-Za-z0-9_][A-Za-z0-9_:.+\-]*[A-Za-z0-9_])")
_ON_ATTR_RE = re.compile(r"[\s/\"']on[a-z]+\s*=", re.IGNORECASE)
_URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")


@dataclass(frozen=True)
class Heading:
    """A heading and the anchor id the site will give it."""

    level: int
    text: str
    anchor: str
    line: int


@dataclass(frozen=True)
class Link:
    """A relative link or image in the body (external links are not kept)."""

    target: str
    line: int
    col: int
    image: bool


@dataclass(frozen=True)
class Ref:
    """A citation key or a §-reference, where it was written."""

    value: str
    line: int
    col: int


@dataclass(frozen=True)
class Span:
    """A stretch of the body that staging rewrites: `cite` (keys) or `sec` (a section number)."""

    start: int
    end: int
    kind: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class BodyScan:
    """Everything the checker and the emitter need from a body."""

    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    citations: tuple[Ref, ...]
    section_refs: tuple[Ref, ...]
    spans: tuple[Span, ...]
    words: int
    diags: tuple[Diagnostic, ...]


def url_scheme(url: str) -> str:
    """The scheme a browser would see, after entity decoding and dropping blanks and controls."""
    cleaned = _URL_NOISE_RE.sub("", html.unescape(url)).lower()
    found = _SCHEME_RE.match(cleaned)
    return found.group(1) if found else ""


def _code_ranges(body: str) -> list[tuple[int, int]]:
    """Character ranges of fenced code blocks and inline code spans, merged and sorted."""
    ranges: list[tuple[int, int]] = []
    if "```" in body or "~~~" in body:
        pos = 0
        while True:
            opening = _FENCE_RE.search(body, pos)
            if opening is None:
                break
            fence = opening.group(1)
            closing = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", re.MULTILINE)
            line_end = body.find("\n", opening.end())
            found = closing.search(body, line_end + 1) if line_end != -1 else None
            end = found.end() if found else len(body)
            ranges.append((opening.start(), end))
            pos = end
    if "`" in body:
        ranges.extend((m.start(), m.end()) for m in _INLINE_CODE_RE.finditer(body))
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class _Position:
    """Offset -> (line, col) in the original file."""

    def __init__(self, body: str, first_line: int) -> None:
        self.body = body
        self.first_line = first_line

    def at(self, offset: int) -> tuple[int, int]:
        line = self.first_line + self.body.count("\n", 0, offset)
        col = offset - (self.body.rfind("\n", 0, offset) + 1) + 1
        return line, col


def _long_lines(body: str, pos: _Position, path: str) -> list[Diagnostic]:
    out = []
    start = 0
    for piece in body.split("\n"):
        if len(piece) > MAX_LINE:
            line, _ = pos.at(start)
            out.append(diag("line-too-long", path, line, MAX_LINE + 1, f"line is {len(piece):,} characters; at most {MAX_LINE:,}"))
        start += len(piece) + 1
    return out


def scan_body(body: str, first_line: int, path: str) -> BodyScan:
    """Scan `body`, which starts on line `first_line` of the file at `path`."""
    pos = _Position(body, first_line)
    diags: list[Diagnostic] = _long_lines(body, pos, path) if len(body) > MAX_LINE else []
    code = _code_ranges(body)
    code_starts = [r[0] for r in code]
    headings: list[Heading] = []
    links: list[Link] = []
    cites: list[Ref] = []
    secs: list[Ref] = []
    spans: list[Span] = []
    anchors_seen: dict[str, int] = {}

    def in_code(offset: int) -> bool:
        i = bisect.bisect_right(code_starts, offset) - 1
        return i >= 0 and offset < code[i][1]

    def add_heading(level: int, text: str, offset: int) -> None:
        base = heading_anchor(text)
        count = anchors_seen.get(base, 0)
        anchors_seen[base] = count + 1
        anchor = base if count == 0 else f"{base}_{count}"
        line, col = pos.at(offset)
        headings.append(Heading(level, text.strip(), anchor, line))
        if level == 1:
            diags.append(diag("body-h1", path, line, col, "the body has a level-1 heading; the title comes from front matter", "use '##' for sections"))

    def check_url(url: str, offset: int, image: bool) -> None:
        scheme = url_scheme(url)
        line, col = pos.at(offset)
        if scheme and scheme not in SAFE_SCHEMES:
            diags.append(diag("unsafe-url", path, line, col, f"'{scheme}:' URLs are not allowed", "link to an http(s) page or a note"))
        elif not scheme and url:
            links.append(Link(url, line, col, image))

    for m in _TOKEN_RE.finditer(body):
        start = m.start()
        if in_code(start):
            continue
        kind = m.lastgroup
        if kind == "heading":
            add_heading(len(m.group("hashes")), m.group("htext"), start)
        elif kind == "setext":
            add_heading(1 if m.group("sline")[0] == "=" else 2, m.group("stext"), start)
        elif kind == "link":
            url = m.group("url").strip("<>")
            check_url(url, m.start("url"), bool(m.group("bang")))
            _nested_refs(m.group("ltext"), m.start("ltext"), pos, secs)
        elif kind == "refdef":
            check_url(m.group("refurl").strip("<>"), m.start("refurl"), False)
        elif kind == "auto":
            scheme = url_scheme(m.group("autourl"))
            if scheme not in SAFE_SCHEMES:
                line, col = pos.at(start)
                diags.append(diag("unsafe-url", path, line, col, f"'{scheme}:' URLs are not allowed", "link to an http(s) page or a note"))
        elif kind == "cite":
            keys = tuple(_CITE_KEY_RE.findall(m.group("ctext")))
            if keys:
                offset = m.start()
                for km in _CITE_KEY_RE.finditer(m.group("ctext")):
                    line, col = pos.at(m.start("ctext") + km.start())
                    cites.append(Ref(km.group(1), line, col))
                spans.append(Span(offset, m.end(), "cite", keys))
        elif kind == "sec":
            line, col = pos.at(start)
            secs.append(Ref(m.group("secnum"), line, col))
            spans.append(Span(start, m.end(), "sec", (m.group("secnum"),)))
        elif kind == "comment":
            line, col = pos.at(start)
            diags.append(diag("raw-html", path, line, col, "HTML comments and declarations are not allowed; they hide content", "delete it"))
        elif kind == "tag":
            _check_tag(m.group("tag"), m.group("tagname").lower(), start, pos, path, diags)
    words = len(body.split())
    return BodyScan(tuple(headings), tuple(links), tuple(cites), tuple(secs), tuple(sorted(spans, key=lambda s: s.start)), words, tuple(diags))


def _nested_refs(text: str, offset: int, pos: _Position, secs: list[Ref]) -> None:
    """§-references inside a link's text: validated, but left as the author linked them."""
    for sm in re.finditer(r"§[ \u00a0]?([0-9]+(?:\.[0-9]+)*)", text):
        line, col = pos.at(offset + sm.start())
        secs.append(Ref(sm.group(1), line, col))


def _check_tag(raw: str, name: str, offset: int, pos: _Position, path: str, diags: list[Diagnostic]) -> None:
    if raw.startswith("</") and name in UNSAFE_TAGS:
        return  # the opening tag is the one reported
    line, col = pos.at(offset)
    if name in UNSAFE_TAGS or _ON_ATTR_RE.search(raw):
        what = f"<{name}>" if name in UNSAFE_TAGS else "an on* event-handler attribute"
        diags.append(diag("unsafe-html", path, line, col, f"{what} can run script or load active content", "remove it; notes are Markdown only"))
        return
    for attr in re.finditer(r"(?:href|src|action|formaction|xlink:href|data|srcset)\s*=\s*[\"']?([^\"'\s>]+)", raw, re.IGNORECASE):
        scheme = url_scheme(attr.group(1))
        if scheme and scheme not in SAFE_SCHEMES:
            diags.append(diag("unsafe-url", path, line, col, f"'{scheme}:' URLs are not allowed"))
            return
    diags.append(diag("raw-html", path, line, col, f"raw HTML <{name}> is not allowed in notes", "write Markdown instead"))
