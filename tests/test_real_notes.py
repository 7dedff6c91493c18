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


MAX_HEDGES = 40  # provenance is data (basis, confidence); prose hedges stay only on a specific claim
MIN_TERMS = 80
VERDICTS = {"confirmed", "corrected", "hedged", "removed"}


def test_real_notes_name_their_basis() -> None:
    """Every note names the summaries it rests on and how sure it is, all from data/sources.yaml."""
    corpus = check(REPO).corpus
    assert corpus is not None
    missing = [n.id for n in corpus.notes if not n.meta.basis or not n.meta.confidence]
    assert not missing, f"notes without basis or confidence: {missing}"
    assert all(i.value in corpus.data.sources for n in corpus.notes for i in n.meta.basis)


def test_real_notes_keep_prose_hedges_few() -> None:
    """The note bodies together say 'summar…' at most MAX_HEDGES times: provenance lives in the front matter."""
    corpus = check(REPO).corpus
    assert corpus is not None
    count = sum(n.body.count("summar") for n in corpus.notes)
    print(f"'summar' in note bodies: {count} (at most {MAX_HEDGES})")
    assert count <= MAX_HEDGES


def test_real_glossary_is_large_and_used() -> None:
    """At least MIN_TERMS terms; each is used by a note and names a real note (the strict check proves the rest)."""
    corpus = check(REPO).corpus
    assert corpus is not None
    glossary = corpus.data.glossary
    assert len(glossary) >= MIN_TERMS
    assert set(corpus.term_users) == set(glossary)
    assert all(t.note.split("/")[-1] in corpus.by_id for t in glossary.values())
    for required in ("pass@k", "FIM", "RLVR", "GRPO", "MCP", "A2A", "MoE", "SWE-bench", "LLM-as-a-judge"):
        assert required in glossary, f"the glossary lacks {required}"


def test_real_audit_covers_every_note() -> None:
    """data/audit.tsv has a well-formed row for every claim checked, and every note has rows."""
    corpus = check(REPO).corpus
    assert corpus is not None
    rows = [line.split("\t") for line in (REPO / "data" / "audit.tsv").read_text(encoding="utf-8").splitlines()[1:] if line]
    assert all(len(r) == 5 for r in rows), [r for r in rows if len(r) != 5][:3]
    assert {r[4] for r in rows} <= VERDICTS
    lengths = {n.source: n.body_line + n.body.count("\n") for n in corpus.notes}
    for note, line, *_ in rows:
        if note in lengths:
            assert 1 <= int(line) <= lengths[note] + 1, f"{note}:{line} is outside the note"
    assert set(lengths) <= {r[0] for r in rows}, f"notes without audit rows: {sorted(set(lengths) - {r[0] for r in rows})}"
