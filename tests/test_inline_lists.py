"""Inline lists of notes (who uses a term, cites a work, covers a section) stay short however many notes there are:
a paragraph of thousands of links made the site engine's Markdown parser take hours on one page."""

from __future__ import annotations

import re
from pathlib import Path

from papernotes.emit.markdown import MAX_INLINE_NOTES, note_links
from papernotes.paths import SitePath
from papernotes.pipeline import check, stage_files
from papernotes_bench.synth import generate

LISTS = re.compile(r"(used in|Cited by:|Notes:) (.*)$")


def test_a_list_of_notes_names_a_dozen_and_counts_the_rest() -> None:
    """Thirty notes: the first twelve are linked, in order, and the other eighteen counted."""
    notes = [(SitePath(f"agents/n{i:02d}.md"), f"Note {i:02d}") for i in range(30)]
    line = note_links(notes, SitePath("glossary/index.md"))
    assert line.count("](") == MAX_INLINE_NOTES == 12
    assert line.startswith("[Note 00](../agents/n00.md)") and "[Note 11]" in line and "[Note 12]" not in line
    assert line.endswith(" and 18 more")
    assert note_links(notes[:12], SitePath("glossary/index.md")).count("](") == 12
    assert "more" not in note_links(notes[:12], SitePath("glossary/index.md"))


def test_no_generated_page_lists_more_than_a_dozen_notes_inline(tmp_path: Path) -> None:
    """In a knowledge base of 600 notes, where terms, works and sections have dozens of notes each, every
    inline list on the glossary, the bibliography and the survey map links at most twelve notes."""
    result = check(generate(tmp_path / "kb", 600, seed=5), workers=1)
    assert result.corpus is not None
    staged = stage_files(result)
    longest = 0
    for page in ("glossary/index.md", "bibliography/index.md", "survey/index.md"):
        lists = [m for line in staged[page].splitlines() if (m := LISTS.search(line))]
        assert lists, page
        for match in lists:
            assert match.group(2).count("](") <= MAX_INLINE_NOTES, (page, match.group(1))
        longest = max(longest, *(match.group(2).count("](") for match in lists))
        assert any(match.group(2).endswith(" more") for match in lists), f"{page}: no list was long enough to be cut"
    assert longest == MAX_INLINE_NOTES
