"""The benchmark's generator makes valid, reproducible knowledge bases; its verdicts follow the targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from papernotes.pipeline import check, check_changed
from papernotes_bench.bench import SizeResult, edited_note, prepare, targets
from papernotes_bench.synth import generate


def tree(root: Path) -> dict[str, str]:
    """Every note of a knowledge base, by path."""
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted((root / "notes").rglob("*.md"))}


def test_small_generated_kb_has_no_errors(tmp_path: Path) -> None:
    """A 30-note knowledge base passes check (only unused-tag, uncited-reference or unused-glossary-term warnings remain)."""
    result = check(generate(tmp_path / "kb", 30, seed=1), workers=1)
    assert result.corpus is not None and len(result.corpus.notes) == 30
    assert [d.render() for d in result.diagnostics if d.severity.value == "error"] == []
    assert {d.name for d in result.diagnostics} <= {"unused-tag", "uncited-reference", "unused-glossary-term"}


def test_generated_kb_passes_strict_check(tmp_path: Path) -> None:
    """From 60 notes on, every tag and reference is used and the knowledge base passes check --strict."""
    result = check(generate(tmp_path / "kb", 60, seed=2), workers=1)
    assert result.ok(strict=True), [d.render() for d in result.diagnostics]


def test_generated_notes_link_to_headings_and_cite(tmp_path: Path) -> None:
    """Generated notes link to each other's headings, cite works and have about 500 words."""
    corpus = check(generate(tmp_path / "kb", 40, seed=3), workers=1).corpus
    assert corpus is not None
    assert sum(len(v) for v in corpus.backlinks.values()) >= 40
    assert all(any("#" in link.target for link in n.scan.links) for n in corpus.notes)
    assert all(len(n.scan.citations) >= 3 and 400 <= n.scan.words <= 700 for n in corpus.notes)


def test_parallel_load_gives_the_same_result(tmp_path: Path) -> None:
    """Loading on two processes finds the same notes and problems as loading in one."""
    root = generate(tmp_path / "kb", 50, seed=4)
    (root / "notes" / "agents" / "broken.md").write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    one, two = check(root, workers=1), check(root, workers=2)
    assert one.diagnostics == two.diagnostics and one.diagnostics
    assert one.corpus is not None and two.corpus is not None
    assert one.corpus.notes == two.corpus.notes


def test_generator_is_deterministic(tmp_path: Path) -> None:
    """The same seed writes the same files; another seed writes other notes."""
    first, again, other = (tree(generate(tmp_path / name, 25, seed=seed)) for name, seed in (("a", 7), ("b", 7), ("c", 8)))
    assert first == again
    assert first != other


def test_changed_check_sees_the_edited_note(tmp_path: Path) -> None:
    """In the committed benchmark repository, check --changed scopes to the edited note and its referrers."""
    root = prepare(tmp_path / "kb", 30, seed=5)
    note = edited_note(root)
    note.write_text(note.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    result, scope = check_changed(root, "HEAD")
    rel = note.relative_to(root).as_posix()
    assert scope is not None and rel in scope and len(scope) < 30
    assert result.errors == 0


def result(notes: int, check_s: float, floor_s: float, page_kb: float) -> SizeResult:
    times = {"floor": floor_s, "check": check_s, "check --changed": check_s / 10, "build": 11.0, "mkdocs build": 10.0}
    peaks = {step: 100 * 1024 for step in times}
    return SizeResult(notes, times, times, peaks, (int(page_kb * 1024), int(page_kb * 1024)), 4096.0)


@pytest.mark.parametrize(("check_s", "verdict"), [(1.4, "met"), (1.6, "NOT met")])
def test_targets_compare_check_with_the_floor(check_s: float, verdict: str) -> None:
    """The check target is met at 1.5x the floor or less, and reported as not met above."""
    lines = targets([result(1000, 1.0, 1.0, 20), result(10_000, check_s, 1.0, 20)])
    assert any(line.startswith("- check of 10,000 notes") and line.endswith(f"({verdict})") for line in lines)


def test_targets_notice_a_page_that_grows() -> None:
    """A note page that differs between 1,000 and 10,000 notes fails the same-size target."""
    lines = targets([result(1000, 1.0, 1.0, 20), result(10_000, 1.0, 1.0, 21)])
    assert any("same size" in line and line.endswith("(NOT met)") for line in lines)
