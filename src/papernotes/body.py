"""Scan a note's Markdown body once: headings, links, citations, §-references and raw HTML.

One compiled pattern runs over the whole body; matches inside fenced code or inline code spans
are skipped. Every record keeps the line and column it came from in the original file, and the
citation and §-reference spans are kept so that staging can rewrite them without scanning again.

Raw HTML and script-capable URLs are found by a second, independent pass (`_unsafe`) that does not
depend on how the first one tokenizes (a heading line, say, is one token there). For both passes,
"code" is only what Python-Markdown with pymdownx.superfences certainly renders as code: a closed
fence at column 0 with a plain info string, and backtick spans in a block whose backticks all pair
up on single lines. Anything in doubt is checked, so a false positive is possible, a bypass is not.

Long because the two passes and what they share are one argument: which stretches are code (fences and
code spans, as the renderer pairs them), the position table and the token patterns. Split over files,
the reason a body with no error renders nothing active would no longer be readable in one place.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from collections.abc import Callable
from itertools import accumulate

from papernotes.diagnostics import Diagnostic, Rule, diag
from papernotes.paths import heading_anchor
from papernotes.records import BodyScan, Heading, Link, Ref, Span

UNSAFE_TAGS = frozenset(
    [
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "style",
        "link",
        "meta",
        "base",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "template",
        "noscript",
        "portal",
    ]
)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_LINE = 10_000

MAX_TAG = 4000
MAX_URL = 512  # a link target is read this far for its scheme

_FENCE_RE = re.compile(r"(`{3,}|~{3,})[ \t]*(?:\.?[\w#.+-]+)?[ \t]*$", re.MULTILINE)  # a subset of superfences' opening fences
_FENCE_LIKE_RE = re.compile(r"^[ \t>]*(?:`{3,}|~{3,})", re.MULTILINE)  # a line superfences may take for an opening fence
_BLANK_AFTER_RE = re.compile(r"\n[ \t]*(?=\n)")  # a line break followed by a blank line (the body's first line never counts)
_BLOCK_START_RE = re.compile(r"[ \t>]|(?:[-*+]|[0-9]+[.)])(?:[ \t]|$)", re.MULTILINE)  # indented, quoted, a list item
_TICKS_RE = re.compile(r"(?<!\\)`+")  # a run that opens a code span: its first backtick is not escaped
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
# Tokens that start a line; the token pattern finds them after the newline that ends the line before.
_LINE_TOKENS = r"""
    (?P<heading>(?P<hashes>\#{1,6})[ \t]+(?P<htext>(?:[^\n]*[^ \t\#\n])?)[ \t\#]*$)
  | (?P<setext>(?P<stext>[^\n\s|>*+\-\#][^\n]*+)\n(?P<sline>=+|-+)[ \t]*$)
  | (?P<refdef>[ ]{0,3}\[(?P<refname>[^\]\n]+)\]:[ \t]*(?P<refurl><[^>\n]*>|\S+))
"""
# Every alternative starts with a literal character (see `_tokens`), and repeats that never need to
# give characters back are possessive or greedy, so that a failed link does not backtrack through
# its text character by character; a test holds the matches to those of the plain grammar. A link
# is an image when a '!' comes right before its '['. Raw HTML is matched so that a '[' inside a tag
# is not read as a link, and left to _unsafe.
_TOKEN_RE = re.compile(
    r"""
    \n(?:"""
    + _LINE_TOKENS
    + r""")
  | \[(?P<link>(?P<ltext>(?:[^\[\]\n]++|\[[^\[\]\n]*+\])*+)\]\([ \t]*+(?P<url><[^>\n]*+>|[^\s()]*+(?:\([^\s()]*+\)[^\s()]*+)*+)(?:[ \t]++(?:"[^"\n]*+"|'[^'\n]*+'))?[ \t]*+\))
  | \[(?P<cite>(?P<ctext>[^\[\]\n@]*+@[^\[\]\n]*+)\](?!\())
  | §(?P<sec>[ \u00a0]?(?P<secnum>[0-9]+(?:\.[0-9]+)*))
  | <(?P<auto>(?P<autourl>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>)
  | <(?P<comment>!--|!\[CDATA\[|![A-Za-z]|\?)
  | <(?P<tag>/?(?P<tagname>[A-Za-z][A-Za-z0-9\-]*)(?=[\s/>])[^<>]{0,4000}>)
    """,
    re.MULTILINE | re.VERBOSE,
)
_LINE_KINDS = frozenset({"heading", "setext", "refdef"})
_UNDERLINE_RE = re.compile(r"(?:=+|-+)[ \t]*$", re.MULTILINE)  # a setext heading's underline
_FIRST_LINE_RE = re.compile(_LINE_TOKENS, re.MULTILINE | re.VERBOSE)  # the body's first line has no newline before it
_CITE_KEY_RE = re.compile(r"@([A-Za-z0-9_][A-Za-z0-9_:.+\-]*[A-Za-z0-9_])")
_TAG_NAME_RE = re.compile(r"[a-z][\w:.-]*")  # the part of a tag's name that is worth printing
_ON_ATTR_RE = re.compile(r"[\s/\"']on[a-z]+\s*=", re.IGNORECASE)
_URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_UNSAFE_RE = re.compile(  # every alternative starts with a literal character, as in _TOKEN_RE
    r"""
    <(?P<auto>(?P<autourl>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>)
  | <(?P<comment>!--|!\[CDATA\[|![A-Za-z]|\?)
  | <(?P<tag>(?P<close>/?)(?P<tagname>[A-Za-z][^\s/<>@]*)(?=[\s/>]|\Z))
  | \]\((?=\s*(?P<dest><*[A-Za-z&\x00-\x1f\x7f][^ \t)>]{0,512}))
  | \]:(?=[ \t]*(?:\n[ \t]*)?(?P<refurl><*[A-Za-z&\x00-\x1f\x7f]\S{0,512}))
    """,
    re.VERBOSE,
)


def url_scheme(url: str) -> str:
    """The scheme a browser would see, after entity decoding and dropping blanks and controls."""
    if ":" not in url and "&" not in url:
        return ""  # no scheme, and no entity that could spell one
    cleaned = _URL_NOISE_RE.sub("", html.unescape(url)).lower()
    found = _SCHEME_RE.match(cleaned)
    return found.group(1) if found else ""


def _code_ranges(body: str) -> list[tuple[int, int]]:
    """Character ranges that the renderer certainly shows as code: closed fences, then code spans."""
    if "`" not in body and "~" not in body:
        return []  # no fence and no code span without a backtick or a tilde
    if "\x02" in body or "\x03" in body:
        return []  # Python-Markdown deletes these before it looks for fences: trust no code at all
    fences: list[tuple[int, int]] = []
    pos = 0 if "```" in body or "~~~" in body else len(body)  # no fence without three of them
    blocks = [m.end() + 1 for m in _BLANK_AFTER_RE.finditer(body)] if pos == 0 else []  # where blocks start
    # Walk the lines superfences may open a fence on, in order, as it does. Only a fence at column 0
    # with a plain language is followed; any other (indented, quoted, with options) could swallow
    # what comes after it, so from there on nothing counts as fenced code.
    while (candidate := _FENCE_LIKE_RE.search(body, pos)) is not None:
        opening = _FENCE_RE.match(body, candidate.start())
        if opening is None or candidate.group().startswith((" ", "\t", ">")):
            break
        closing = re.compile("^" + re.escape(opening.group(1)) + r"[ \t]*$", re.MULTILINE).search(body, opening.end() + 1)
        if closing is None:
            break  # an unclosed fence is not code for superfences: the rest is Markdown
        # a block that starts indented, quoted or as a list item may be read as an indented code
        # block, and superfences then turns the fence inside it back into text
        block = blocks[bisect.bisect_right(blocks, opening.start()) - 1] if blocks and blocks[0] <= opening.start() else 0
        if not _BLOCK_START_RE.match(body, block):
            fences.append((opening.start(), closing.end()))
        pos = closing.end() + 1
    # Superfences leaves one placeholder line per fence, inside the paragraph around it: backticks
    # before and after a fence may pair up, so code spans are looked for with each fence masked.
    masked, last = [], 0
    for fence_start, fence_end in fences:
        masked += [body[last:fence_start], "x" * (fence_end - fence_start)]
        last = fence_end
    return sorted([*fences, *_code_spans("".join([*masked, body[last:]]), 0, len(body))])


def _code_spans(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """Backtick code spans in body[start:end], found block by block the way Python-Markdown 3.11
    pairs them (an unescaped run, closed by the next run of the same length). A block where a run
    is not closed on its own line, or a backtick is left over, has none: the renderer could pair
    those differently (across lines, or by falling back to a shorter run)."""
    if body.find("`", start, end) == -1:
        return []
    out: list[tuple[int, int]] = []
    bounds = [start, *(i for m in _BLANK_LINE_RE.finditer(body, start, end) for i in (m.start(), m.end()))]
    for block_start, block_end in zip(bounds[::2], [*bounds[1::2], end], strict=True):
        spans: list[tuple[int, int]] = []
        pos = block_start
        while (opening := _TICKS_RE.search(body, pos, block_end)) is not None:
            line_end = body.find("\n", opening.end(), block_end)
            closing = _closing_ticks(len(opening.group())).search(body, opening.end(), block_end if line_end == -1 else line_end)
            if closing is None:
                spans = []
                break
            spans.append((opening.start(), closing.end()))
            pos = closing.end()
        if spans and body.count("`", block_start, block_end) == sum(body.count("`", a, b) for a, b in spans):
            out.extend(spans)
    return out


@functools.lru_cache(maxsize=64)
def _closing_ticks(count: int) -> re.Pattern[str]:
    return re.compile("(?<!`)" + "`" * count + "(?!`)")


_NEXT = (1).__add__  # a line's length -> where the next one starts, after its newline

# Named tuples on the hot path are made by tuple.__new__, which skips the Python-level __new__ of
# the class (about half the cost of a record); the fields are given in full and in order.
_record = tuple.__new__


class _Position:
    """Offset -> (line, col) in the original file."""

    def __init__(self, body: str, first_line: int) -> None:
        self.first_line = first_line
        # where each line starts (a bisect per lookup: many problems stay fast), summed from the line
        # lengths without a Python step per line; the last sum is past the end
        self.starts = list(accumulate(map(_NEXT, map(len, body.split("\n"))), initial=0))
        self.starts.pop()

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.first_line + index, offset - self.starts[index] + 1


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
    scan = _Scan(body, first_line, path)
    link_tokens = scan.read_tokens()
    return scan.finish(link_tokens)


class _Scan:
    """One body's scan: the first pass reads its tokens (`read_tokens`), then `finish` runs the
    independent passes and returns the records."""

    def __init__(self, body: str, first_line: int, path: str) -> None:
        self.body = body
        self.path = path
        self.pos = _Position(body, first_line)
        self.at = self.pos.at
        self.diags: list[Diagnostic] = _long_lines(body, self.pos, path) if len(body) > MAX_LINE else []
        self.code = _code_ranges(body)
        self.code_starts = [r[0] for r in self.code]
        self.headings: list[Heading] = []
        self.links: list[Link] = []
        self.cites: list[Ref] = []
        self.secs: list[Ref] = []
        self.spans: list[Span] = []
        self.anchors_seen: dict[str, int] = {}

    def in_code(self, offset: int) -> bool:
        i = bisect.bisect_right(self.code_starts, offset) - 1
        return i >= 0 and offset < self.code[i][1]

    def read_tokens(self) -> int:
        """Record every token outside code; return how many link tokens there were, code included."""
        handlers = _HANDLERS
        in_code = self.in_code if self.code else None
        link_tokens = 0
        for m in _tokens(self.body, self.pos.starts):
            kind = m.lastgroup
            start = m.start(kind) if kind in _LINE_KINDS else m.start()  # a line token starts after the newline that found it
            if kind == "link":
                link_tokens += 1
            if in_code is not None and in_code(start):
                continue
            handler = handlers.get(kind)
            if handler is not None:
                handler(self, m, start)
        return link_tokens

    def _link(self, m: re.Match[str], start: int) -> None:
        image = start > 0 and self.body[start - 1] == "!"
        url, ltext = m.group("url", "ltext")
        url = url.strip("<>")
        self._url(url, m.start("url"), image)
        if image:
            self.spans.append(_record(Span, (start - 1, m.end(), "image", (url, ltext))))
        if "§" in ltext:
            _nested_refs(ltext, m.start("ltext"), self.pos, self.secs)

    def _cite(self, m: re.Match[str], start: int) -> None:
        line, col = self.at(start)  # a citation is on one line: its keys are too
        if start > 0 and self.body[start - 1] == "]":
            self.diags.append(
                diag("citation-after-brackets", self.path, line, col, "a citation right after ']' is read as a reference link", "put a space before '[@'")
            )
        keys = []
        cites = self.cites
        col -= start
        for km in _CITE_KEY_RE.finditer(self.body, *m.span("ctext")):  # the pattern looks at nothing around a key
            key = km.group(1)
            keys.append(key)
            cites.append(_record(Ref, (key, line, col + km.start())))
        if keys:
            self.spans.append(_record(Span, (start, m.end(), "cite", tuple(keys))))

    def _sec(self, m: re.Match[str], start: int) -> None:
        line, col = self.at(start)
        number = m.group("secnum")
        self.secs.append(_record(Ref, (number, line, col)))
        self.spans.append(_record(Span, (start, m.end(), "sec", (number,))))

    def _heading(self, m: re.Match[str], start: int) -> None:
        hashes, text = m.group("hashes", "htext")
        self._add_heading(len(hashes), text, start)
        if "](" in text:
            self._link_in_heading(text, m.start("htext"))

    def _setext(self, m: re.Match[str], start: int) -> None:
        text, underline = m.group("stext", "sline")
        self._add_heading(1 if underline[0] == "=" else 2, text, start)
        if "](" in text:
            self._link_in_heading(text, m.start("stext"))

    def _refdef(self, m: re.Match[str], start: int) -> None:
        self._url(m.group("refurl").strip("<>"), m.start("refurl"), False)

    def _add_heading(self, level: int, text: str, offset: int) -> None:
        base = heading_anchor(text)
        count = self.anchors_seen.get(base, 0)
        self.anchors_seen[base] = count + 1
        anchor = base if count == 0 else f"{base}_{count}"
        line, col = self.at(offset)
        self.headings.append(_record(Heading, (level, text.strip(), anchor, line)))
        if level == 1:
            self.diags.append(
                diag("body-h1", self.path, line, col, "the body has a level-1 heading; the title comes from front matter", "use '##' for sections")
            )

    def _link_in_heading(self, text: str, offset: int) -> None:
        """A heading is one token, so a link in it would go unchecked: refuse it (the text below can link)."""
        found = text.find("](")
        if found >= 0:
            line, col = self.at(offset + found)
            self.diags.append(diag("link-in-heading", self.path, line, col, "a heading may not hold a link", "put the link in the text under the heading"))

    def _url(self, url: str, offset: int, image: bool) -> None:
        scheme = url_scheme(url) if ":" in url or "&" in url else ""  # url_scheme's own first test, without the call
        line, col = self.at(offset)
        if scheme and scheme not in SAFE_SCHEMES:
            self.diags.append(diag("unsafe-url", self.path, line, col, f"'{scheme}:' URLs are not allowed", "link to an http(s) page or a note"))
        elif not scheme and url:
            self.links.append(_record(Link, (url, line, col, image)))

    def finish(self, link_tokens: int) -> BodyScan:
        """Math, raw HTML, suspect link targets and over-deep nesting, found by passes of their own; then the records."""
        body, pos, path, diags = self.body, self.pos, self.path, self.diags
        in_code = self.in_code if self.code else None
        spans = self.spans
        if "$" in body:
            spans = _math_spans(body, in_code, spans, pos, path, diags)
        diags.extend(_unsafe(body, in_code, pos, path))
        if body.count("](") > link_tokens:  # each link token holds one '](' and a target without blanks: any other '](' is suspect
            diags.extend(_blank_targets(body, in_code, pos, path))
        if body.count("[") > MAX_BRACKETS or body.count(">") > MAX_QUOTE_DEPTH:  # a link that never closes has a '[' too
            diags.extend(_over_budget(body, in_code, pos, path))
        if len(diags) > 1:
            diags = sorted(dict.fromkeys(diags), key=lambda d: (d.line, d.col))  # a link's unsafe URL is seen by both passes
        words = count_words(body)
        return BodyScan(tuple(self.headings), tuple(self.links), tuple(self.cites), tuple(self.secs), tuple(spans), words, tuple(diags))


# The handler of each kind of token; raw HTML ('auto', 'comment', 'tag') is left to _unsafe, which
# also sees inside headings.
_HANDLERS: dict[str | None, Callable[[_Scan, re.Match[str], int], None]] = {
    "link": _Scan._link,
    "cite": _Scan._cite,
    "sec": _Scan._sec,
    "heading": _Scan._heading,
    "setext": _Scan._setext,
    "refdef": _Scan._refdef,
}

# Bytes that str.split() splits at become 0, every other byte 1 (those of non-ASCII characters too):
# a word then starts wherever a 1 follows a 0.
_SPACE_TABLE = bytes(0 if chr(i).isspace() else 1 for i in range(128)) + bytes([1]) * 128
# The non-ASCII characters str.split() also splits at, in UTF-8, by lead byte: U+0085 and U+00A0;
# U+1680; U+2000-U+200A, U+2028, U+2029, U+202F and U+205F; U+3000.
_WIDE_SPACES = {
    0xC2: frozenset([b"\x85", b"\xa0"]),
    0xE1: frozenset([b"\x9a\x80"]),
    0xE2: frozenset([*(bytes([0x80, b]) for b in range(0x80, 0x8B)), b"\x80\xa8", b"\x80\xa9", b"\x80\xaf", b"\x81\x9f"]),
    0xE3: frozenset([b"\x80\x80"]),
}


def _math_spans(body: str, in_code: Callable[[int], bool] | None, spans: list[Span], pos: _Position, path: str, diags: list[Diagnostic]) -> list[Span]:
    """Add a `math` span for each `$…$` and `$$…$$` outside code, with a diagnostic for TeX that is not
    allowed; a citation or §-reference inside math stays TeX. The raw-HTML check still sees the math."""
    from papernotes import math  # only bodies with a dollar sign pay for it

    found = [m for m in math.find_math(body) if in_code is None or not in_code(m[0])]
    if not found:
        return spans
    for start, _end, tex, _display in found:
        tex_at = body.index(tex, start)
        for problem in math.problems(tex):
            line, col = pos.at(tex_at + problem.offset)
            diags.append(diag(problem.name, path, line, col, problem.message, "CONTRIBUTING.md lists the TeX that is allowed"))
    kept = [s for s in spans if not any(m[0] <= s.start < m[1] for m in found)]
    kept += [Span(start, end, "math", (tex, "display" if display else "inline")) for start, end, tex, display in found]
    return sorted(kept)


def count_words(text: str) -> int:
    """`len(text.split())` without making a string of every word (a tenth of a note's scan)."""
    raw = text.encode("utf-8", "surrogatepass")
    if not text.isascii():
        for lead, tails in _WIDE_SPACES.items():
            size = 1 if lead == 0xC2 else 2
            at = raw.find(lead)  # a lead byte is never a continuation byte: each hit starts a character
            while at != -1:
                if raw[at + 1 : at + 1 + size] in tails:
                    return len(text.split())
                at = raw.find(lead, at + 1)
    # one byte per character, 1 where a word goes on: a word starts at a 1 whose byte before is 0 (or
    # that is the first), which the big-endian number of those bytes finds in a few whole-number steps
    marks = int.from_bytes(raw.translate(_SPACE_TABLE), "big")
    return (marks & ~(marks >> 8)).bit_count()


def _tokens(body: str, line_starts: list[int]) -> list[re.Match[str]]:
    """The tokens of `body` in order: the matches `_TOKEN_RE.finditer` would give after the first
    line's own token. Every alternative of the pattern starts with a newline, '[', '§' or '<', and a
    newline only matters before a '#', a space or a '[', or before a setext heading's text. Those
    places are found with `str.find` and the line starts, much faster than the regex engine's scan
    of every character."""
    first = _FIRST_LINE_RE.match(body)
    starts = _find_all(body, "[§<")
    size = len(body)
    for number, start in enumerate(line_starts):
        if start == 0 or start == size:
            continue
        char = body[start]
        if char == "#" or char == "[" or char == " ":
            starts.append(start - 1)
        elif (char == "=" or char == "-") and number > 1 and _UNDERLINE_RE.match(body, start):
            starts.append(line_starts[number - 1] - 1)  # the newline before the heading's text
    starts.sort()
    return _matches_at(_TOKEN_RE, body, starts, [first] if first else [])


def _unsafe_matches(body: str) -> list[re.Match[str]]:
    """`_UNSAFE_RE.finditer(body)`: its matches start at a '<', or at a ']' before '(' or ':'."""
    starts = [at for at in _find_all(body, "<]") if body[at] == "<" or body[at + 1 : at + 2] in _AFTER_BRACKET]
    return _matches_at(_UNSAFE_RE, body, starts, [])


_AFTER_BRACKET = frozenset("(:")


def _find_all(body: str, chars: str) -> list[int]:
    """Where any of `chars` is in `body`, in order."""
    found: list[int] = []
    for char in chars:
        at = body.find(char)
        while at != -1:
            found.append(at)
            at = body.find(char, at + 1)
    found.sort()
    return found


def _matches_at(pattern: re.Pattern[str], body: str, starts: list[int], matches: list[re.Match[str]]) -> list[re.Match[str]]:
    """`pattern.finditer(body)` (after `matches`) when a match can only start at one of `starts`."""
    end = matches[-1].end() if matches else 0
    match = pattern.match
    for at in starts:
        if at >= end:
            found = match(body, at)
            if found is not None:
                matches.append(found)
                end = found.end()
    return matches


def _unsafe(body: str, in_code: Callable[[int], bool] | None, pos: _Position, path: str) -> list[Diagnostic]:
    """Every tag, comment, autolink, link destination and reference URL outside code that a browser
    could run or load: raw HTML of any kind, and URLs whose scheme is not http(s) or mailto."""
    diags: list[Diagnostic] = []
    opened: set[str] = set()
    gt = inside = url_end = -1
    for m in _unsafe_matches(body):
        start = m.start()
        if in_code is not None and in_code(start):
            continue
        kind = m.lastgroup
        if kind in {"dest", "refurl"} or (kind == "auto" and start >= url_end):  # an autolink inside a link target is that target
            group = "autourl" if kind == "auto" else kind
            url_end = max(url_end, m.end(group))
            scheme = _risky_scheme(m.group(group).lstrip("<"))  # Python-Markdown strips every '<' before a reference URL
            if scheme:
                line, col = pos.at(start if kind == "auto" else m.start(group))
                what = f"'{scheme}:' URLs are" if scheme != "?" else f"link targets whose scheme is unreadable in {MAX_URL} characters are"
                diags.append(diag("unsafe-url", path, line, col, f"{what} not allowed", "link to an http(s) page or a note"))
        elif kind == "comment":
            line, col = pos.at(start)
            diags.append(diag("raw-html", path, line, col, "HTML comments and declarations are not allowed; they hide content", "delete it"))
        elif kind == "tag" and start > inside:  # a '<' inside a tag already seen (in an attribute value) is that tag's
            if gt < start:
                gt = body.find(">", start)  # one search serves every tag up to that '>'
            if gt == -1:
                break  # no '>' follows: nothing from here on can be a tag
            inside = gt
            name = m.group("tagname").lower()
            if m.group("close") and name in opened:
                continue  # the opening tag is the one reported
            opened.add(name)
            _check_tag(body[start : min(gt + 1, start + MAX_TAG)], _TAG_NAME_RE.match(name).group(), start, pos, path, diags)  # type: ignore[union-attr]
    return diags


_BLANK_TARGET_RE = re.compile(r"\]\([ \t]*(?:<[^>\n]*>|[^\s()<>]*)[ \t]+(?![\"'(])[^)\s]")


def _blank_targets(body: str, in_code: Callable[[int], bool] | None, pos: _Position, path: str) -> list[Diagnostic]:
    """Link targets with a blank that does not start a quoted title: the renderer cuts the target
    there (`java<TAB>script:`, `a b.md`), so what the check saw is not what the site links to."""
    out = []
    for m in _BLANK_TARGET_RE.finditer(body):
        if in_code is None or not in_code(m.start()):
            line, col = pos.at(m.start() + 2)
            out.append(diag("blank-in-link-target", path, line, col, "a link target contains a space or a tab", "percent-encode it as %20, or remove it"))
    return out


MAX_BRACKETS = 200  # unclosed '[' or '(' in one paragraph: the renderer's link search grows with their square
MAX_QUOTE_DEPTH = 16
_DEEP_QUOTE_RE = re.compile(r"^(?:[ \t]*>){" + str(MAX_QUOTE_DEPTH + 1) + ",}", re.MULTILINE)


def _over_budget(body: str, in_code: Callable[[int], bool] | None, pos: _Position, path: str) -> list[Diagnostic]:
    """Paragraphs the renderer would spend too long on (hundreds of links that never close), and
    quotes nested too deep: one linear pass, no rendering."""
    out = []
    start = 0
    for gap in [*_BLANK_LINE_RE.finditer(body), None]:
        end = gap.start() if gap else len(body)
        for opening, closing in ("[]", "()"):
            found = [i for i in _find_all(body[start:end], opening + closing) if in_code is None or not in_code(start + i)]
            depth, first = 0, -1
            for i in found:
                depth += 1 if body[start + i] == opening else -1
                depth = max(depth, 0)
                if depth > MAX_BRACKETS:
                    first = i
                    break
            unclosed = sum(1 if body[start + i] == opening else -1 for i in found)
            if first >= 0 or unclosed > MAX_BRACKETS:
                at = first if first >= 0 else found[-1]
                line, col = pos.at(start + at)
                what = f"more than {MAX_BRACKETS} '{opening}' that do not close"
                out.append(diag("render-budget", path, line, col, f"this paragraph has {what}", "close them, or split the paragraph"))
                break
        start = gap.end() if gap else end
    for m in _DEEP_QUOTE_RE.finditer(body):
        if in_code is None or not in_code(m.start()):
            line, col = pos.at(m.start())
            out.append(diag("render-budget", path, line, col, f"quotes nested deeper than {MAX_QUOTE_DEPTH} levels", "flatten the quote"))
    return out


def _risky_scheme(url: str) -> str:
    """The scheme of a link target unless it is safe or absent; a target still unreadable after
    MAX_URL characters (padded with entities or blanks, say) counts as risky."""
    if ":" not in url and "&" not in url and len(url) < MAX_URL:
        return ""  # no colon, not even an encoded one: a relative link
    scheme = url_scheme(url.replace("\n", ""))  # a browser drops newlines inside a URL
    if not scheme and len(url) >= MAX_URL and re.fullmatch(r"[a-z][a-z0-9+.\-]*", _URL_NOISE_RE.sub("", html.unescape(url)).lower()):
        return "?"
    return scheme if scheme not in SAFE_SCHEMES else ""


def _nested_refs(text: str, offset: int, pos: _Position, secs: list[Ref]) -> None:
    """§-references inside a link's text: validated, but left as the author linked them."""
    if "§" not in text:
        return
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


# What the body scan checks, in the order it runs. The tokenizer emits its codes as it scans (one rule);
# the passes after it each have their own. math.problems names the codes of the "math" rule.
BODY_RULES = (
    Rule("long-lines", ("line-too-long",), _long_lines),
    Rule("tokens", ("citation-after-brackets", "body-h1", "link-in-heading"), scan_body, reuses=("unsafe-url",)),
    Rule("math", ("math-command", "math-character", "math-invalid"), _math_spans),
    Rule("html", ("unsafe-html", "raw-html", "unsafe-url"), _unsafe),
    Rule("link-targets", ("blank-in-link-target",), _blank_targets),
    Rule("render-budget", ("render-budget",), _over_budget),
)
