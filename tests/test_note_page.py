"""The staged page of a note: the sentence of each note that links to it, under "Referenced by"."""

from __future__ import annotations

import re
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from papernotes.emit import context
from papernotes.pipeline import stage_files
from support import KB, note_text

SOURCE = textwrap.dedent(
    """\
    ## What the survey says

    The survey treats training agents in §5.3, citing SWE-RL [@wei2025swerl]. First, see [one](one.md) for the loop.
    Then [two](two.md#why-it-matters) adds rewards. Later [one](one.md) comes back.

    ## Why it matters

    It matters, as [two](two.md) shows again.
    """
)


def test_each_linked_note_quotes_the_first_sentence_that_links_to_it(kb: KB) -> None:
    """One note links to two others, each more than once: each page quotes the source's first sentence
    that links to it, not the first link of the source nor a later link to the same page."""
    kb.write("notes/agents/source.md", note_text(SOURCE, title="The source"))
    kb.write("notes/agents/one.md", note_text(title="Note one"))
    kb.write("notes/agents/two.md", note_text(title="Note two"))
    files = stage_files(kb.check())
    assert "- [The source](source.md): “First, see one for the loop.”" in files["agents/one.md"]
    assert "- [The source](source.md): “Then two adds rewards.”" in files["agents/two.md"]


def _sentence_by_split(body: str, offset: int) -> str:
    """The sentence around `offset` found by splitting its paragraph into sentences."""
    para, at = context._paragraph(body, offset)
    pos = 0
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z(“\"§*\[])", para):
        pos = para.find(sentence, pos)
        if pos <= at < pos + len(sentence) + 1:
            return context.plain(sentence)
        pos += len(sentence)
    return context.plain(para)


_PIECES = [
    "a",
    "B",
    ". ",
    "! ",
    "?  ",
    ".\n",
    " ",
    "\n\n",
    "\n- ",
    "\n1. ",
    "(x)",
    "[l](t.md)",
    "![i](p.png)",
    "[@k]",
    "$x$",
    "**b**",
    "_i_",
    "`c`",
    "|",
    "“q”",
    "§5",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=30).map("".join), st.integers(min_value=0))
def test_the_sentence_around_a_link_is_the_one_a_split_finds(body: str, offset: int) -> None:
    """The sentence is found by scanning the paragraph up to it: the same as splitting the paragraph."""
    offset %= len(body)
    assert context._sentence_at(body, offset) == _sentence_by_split(body, offset)


_ITEM = re.compile(r"(?m)^[ \t]*(?:[-*+]|\d+[.)])[ \t]+")
_LIST_PIECES = ["a", "B c", ". ", "\n", "\n\n", "\n- ", "- ", "\n1. ", "1) ", "\n  * ", "+", "\t", " ", "|x|", "\n|", "12.", "\n\n\n"]


def _paragraph_by_items(body: str, offset: int) -> tuple[str, int]:
    """`_paragraph` with every list marker of the paragraph found by one multi-line search."""
    start = body.rfind("\n\n", 0, offset)
    start = 0 if start < 0 else start + 2
    end = body.find("\n\n", offset)
    end = len(body) if end < 0 else end
    line_start = body.rfind("\n", 0, offset) + 1
    line_end = body.find("\n", offset)
    if body.startswith("|", line_start):
        start, end = line_start, len(body) if line_end < 0 else line_end
    else:
        items = [m.start() for m in _ITEM.finditer(body, start, end)]
        start = max([i for i in items if i <= offset], default=start)
        end = min([i for i in items if i > offset], default=end)
    para = body[start:end]
    marker = _ITEM.match(para)
    skip = marker.end() if marker else 0
    return para[skip:], offset - start - skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LIST_PIECES), min_size=1, max_size=25).map("".join), st.integers(min_value=0))
def test_the_list_item_around_a_link_is_the_one_a_search_of_its_paragraph_finds(body: str, offset: int) -> None:
    """The markers are tried only where a line starts: the same item as a search of the whole paragraph."""
    offset %= len(body)
    assert context._paragraph(body, offset) == _paragraph_by_items(body, offset)
