"""The home page teaches the survey: its chapters with titles, a reading path, and what changed lately."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from papernotes.emit.listings import home_page
from papernotes.emit.survey_map import coverage
from papernotes.history import last_commits, parse_log
from papernotes.pipeline import check
from papernotes.records import Corpus
from support import REPO


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    """The real knowledge base, linked."""
    result = check(REPO)
    assert result.corpus is not None
    return result.corpus


def test_every_chapter_is_listed_with_its_title(corpus: Corpus) -> None:
    """Each of the survey's chapters appears with its number and title, linked to the survey map."""
    page = home_page(corpus, coverage(corpus), {})
    for chapter in corpus.data.survey.chapters():
        assert f"| {chapter.number} | [{chapter.title}](survey/index.md#s{chapter.number}) |" in page


def test_chapter_counts_agree(corpus: Corpus) -> None:
    """The page never says "9/9 chapters" beside "ten chapters": both counts name the same chapters."""
    page = home_page(corpus, coverage(corpus), {})
    total = len(corpus.data.survey.chapters())
    assert f"The survey has {total} chapters: {total - 1} with content" in page
    assert f"of the {total - 1} chapters with content" in page
    assert not re.search(r"\d+/\d+ chapters", page)


def test_the_reading_path_lists_the_overviews_in_order(corpus: Corpus) -> None:
    """ "Start here" lists the notes tagged overview in the survey's reading order."""
    page = home_page(corpus, coverage(corpus), {})
    path = page.split("## Start here", 1)[1].split("##", 1)[0]
    titles = re.findall(r"^\d+\. \[([^\]]+)\]", path, re.M)
    overviews = [n.meta.title for n in corpus.notes if any(t.value == "overview" for t in n.meta.tags)]
    assert titles == overviews and len(titles) >= 5


def test_recently_updated_takes_the_later_of_updated_and_the_last_commit(corpus: Corpus) -> None:
    """A note whose last commit is newer than its `updated` comes first, with the commit's day."""
    last = corpus.notes[-1]
    page = home_page(corpus, coverage(corpus), {last.source: 1_900_000_000})  # 2030-03-17
    recent = page.split("## Recently updated", 1)[1]
    first = re.findall(r"^- (\S+) · \[([^\]]+)\]", recent, re.M)[0]
    assert first == ("2030-03-17", last.meta.title)


def test_git_log_is_read_newest_first() -> None:
    """The newest commit touching a file gives its time; older ones are ignored."""
    out = "\x00200\n\nnotes/a.md\nnotes/b.md\n\x00100\n\nnotes/a.md\nnotes/c.md\n"
    assert parse_log(out) == {"notes/a.md": 200, "notes/b.md": 200, "notes/c.md": 100}


def test_without_git_history_there_are_no_dates(tmp_path: Path) -> None:
    """Outside a git work tree the history is empty, and the notes' own dates are used."""
    assert last_commits(tmp_path) == {}
