"""The real knowledge base is a test: it must pass the checker, strict mode included."""

from __future__ import annotations

from papernotes.emit.survey_map import coverage
from papernotes.pipeline import check
from support import REPO


def test_real_notes_pass_strict_check() -> None:
    """notes/ and data/ have no errors and no warnings."""
    result = check(REPO)
    assert result.corpus is not None
    assert [d.render() for d in result.diagnostics] == []


def test_real_notes_cover_the_survey() -> None:
    """Every chapter and at least 90% of level-2 sections have a note; every part has one."""
    result = check(REPO)
    assert result.corpus is not None
    cov = coverage(result.corpus)
    assert cov.covered_chapters == cov.total_chapters == 9
    assert cov.covered_sections >= 0.9 * cov.total_sections
    parts_with_notes = {n.part for n in result.corpus.notes}
    assert parts_with_notes == {p.name for p in result.corpus.parts}


def test_real_bibliography_and_tags_meet_the_content_rules() -> None:
    """At least 100 references, each cited; 30-80 tags, each used by two notes or more."""
    result = check(REPO)
    corpus = result.corpus
    assert corpus is not None
    assert len(corpus.data.refs) >= 100
    assert set(corpus.cited_by) == set(corpus.data.refs)
    assert 30 <= len(corpus.data.vocab.tags) <= 80
    assert all(len(corpus.tagged.get(t, ())) >= 2 for t in corpus.data.vocab.tags)
