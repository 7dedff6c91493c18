"""The sentence of a note that links to another note, as plain text, for "Referenced by"."""

from __future__ import annotations

import re

from papernotes import paths
from papernotes.records import Note

MAX_CHARS = 280
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(“\"§*\[])")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_CITE = re.compile(r"\s*\[@[^\]]*\]")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`")
_MATH = re.compile(r"\$+")
_ITEM = re.compile(r"(?m)^[ \t]*(?:[-*+]|\d+[.)])[ \t]+")


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
    else:  # a list item: from its marker to the next item
        items = [m.start() for m in _ITEM.finditer(body, start, end)]
        before = [i for i in items if i <= offset]
        after = [i for i in items if i > offset]
        if before:
            start = before[-1]
        if after:
            end = after[0]
    para = body[start:end]
    marker = _ITEM.match(para)
    skip = marker.end() if marker else 0
    return para[skip:], offset - start - skip


def plain(markdown: str) -> str:
    """Markdown of a note reduced to plain text: links keep their label, citations and images go."""
    text = _IMAGE.sub("", markdown)
    text = _CITE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _MARKS.sub("", _MATH.sub("", text))
    text = " ".join(text.replace("|", " — ").split()).strip(" —")
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1].rsplit(" ", 1)[0] + " …"


def _line_start(body: str, index: int) -> int:
    """The offset where line `index` (0-based) of `body` starts; -1 if there is no such line."""
    pos = 0
    for _ in range(index):
        pos = body.find("\n", pos) + 1
        if pos == 0:
            return -1
    return pos if index >= 0 else -1


def linking_sentence(source: Note, target_site: paths.SitePath) -> str:
    """The first sentence of `source` that links to `target_site`, as plain text ('' if none is found)."""
    body = source.body
    for link in source.scan.links:
        path = link.target.partition("#")[0]
        if not path or paths.resolve_site_link(source.site, path) != target_site:
            continue
        offset = _line_start(body, link.line - source.body_line) + link.col - 1
        if offset < 0 or offset >= len(body):
            continue
        para, at = _paragraph(source.body, offset)
        pos = 0
        for sentence in _SENTENCE_END.split(para):
            pos = para.find(sentence, pos)
            if pos <= at < pos + len(sentence) + 1:
                return plain(sentence)
            pos += len(sentence)
        return plain(para)
    return ""
