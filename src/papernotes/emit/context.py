"""The sentence of a note that links to another note, as plain text, for "Referenced by"."""

from __future__ import annotations

import re

from papernotes import paths
from papernotes.records import Note

MAX_CHARS = 280
# The gap between two sentences (group 1), after the mark that ends the first: a pattern that starts
# with the mark, which the regex engine finds fast, rather than with a look behind for it.
_SENTENCE_END = re.compile(r"[.!?](\s+)(?=[A-Z(“\"§*\[])")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_CITE = re.compile(r"\s*\[@[^\]]*\]")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`")
_MATH = re.compile(r"\$+")
_ITEM = re.compile(r"(?m)^[ \t]*(?:[-*+]|\d+[.)])[ \t]+")
_ITEM_AT = re.compile(r"[ \t]*(?:[-*+]|\d+[.)])[ \t]+")  # _ITEM, tried where a line starts


def _paragraph(body: str, offset: int) -> tuple[str, int]:
    """The paragraph (or table row) around `offset`, and the offset within it."""
    start = body.rfind("\n\n", 0, offset)
    start = 0 if start < 0 else start + 2
    end = body.find("\n\n", offset)
    end = len(body) if end < 0 else end
    line_start = body.rfind("\n", 0, offset) + 1
    line_end = body.find("\n", offset)
    line_end = len(body) if line_end < 0 else line_end
    if body.startswith("|", line_start):  # a table row: its own line only
        start, end = line_start, line_end
    else:  # a list item: from its marker to the next item (a marker starts a line: only those are tried)
        before = after = -1
        at = start
        while at >= 0 and after < 0:
            if _ITEM_AT.match(body, at, end):
                before, after = (at, after) if at <= offset else (before, at)
            at = body.find("\n", at, end)
            at = at + 1 if at >= 0 else -1
        if before >= 0:
            start = before
        if after >= 0:
            end = after
    para = body[start:end]
    marker = _ITEM.match(para)
    skip = marker.end() if marker else 0
    return para[skip:], offset - start - skip


def plain(markdown: str) -> str:
    """Markdown of a note reduced to plain text: links keep their label, citations and images go."""
    text = markdown  # each pattern needs a character or two that most sentences lack: looked for first
    if "![" in text:
        text = _IMAGE.sub("", text)
    if "[@" in text:
        text = _CITE.sub("", text)
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "$" in text:
        text = _MATH.sub("", text)
    if "*" in text or "_" in text or "`" in text:
        text = _MARKS.sub("", text)
    text = " ".join(text.replace("|", " — ").split()).strip(" —")
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1].rsplit(" ", 1)[0] + " …"


def _line_starts(body: str) -> list[int]:
    """The offset where each line of `body` starts."""
    starts = [0]
    at = body.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = body.find("\n", at + 1)
    return starts


def _sentence_at(body: str, offset: int) -> str:
    """The sentence of `body` around `offset`, as plain text (its paragraph when no sentence holds it)."""
    para, at = _paragraph(body, offset)
    start = 0
    for gap in _SENTENCE_END.finditer(para):
        if start <= at <= gap.start(1):
            return plain(para[start : gap.start(1)])
        start = gap.end(1)
    return plain(para[start:] if start <= at <= len(para) else para)


def link_offsets(source: Note) -> dict[paths.SitePath, int]:
    """Each page that `source` links to, and where in its body the first link to it (of those that
    fall inside the body) starts."""
    body = source.body
    starts: list[int] | None = None
    found: dict[paths.SitePath, int] = {}
    for link in source.scan.links:
        path = link.target.partition("#")[0]
        site = paths.resolve_site_link(source.site, path) if path else None
        if site is None or site in found:
            continue
        if starts is None:
            starts = _line_starts(body)
        index = link.line - source.body_line
        offset = starts[index] + link.col - 1 if 0 <= index < len(starts) else -1
        if 0 <= offset < len(body):
            found[site] = offset
    return found


class LinkingSentences:
    """The first sentence of a note that links to a page, as plain text ('' if none is found), for
    every note that links to others: each note's links are resolved once, however many of the pages
    it links to ask for their sentence."""

    def __init__(self) -> None:
        self.offsets: dict[str, dict[paths.SitePath, int]] = {}  # note id -> its link_offsets

    def __call__(self, source: Note, target_site: paths.SitePath) -> str:
        offsets = self.offsets.get(source.id)
        if offsets is None:
            offsets = self.offsets[source.id] = link_offsets(source)
        offset = offsets.get(target_site)
        return "" if offset is None else _sentence_at(source.body, offset)
