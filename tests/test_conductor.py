"""The conductor shares the per-note round of a large knowledge base between processes
(`pipeline.note_round`); a check on several processes, with or without the corpus, must find
exactly what the single-process check finds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from papernotes.diagnostics import Diagnostic
from papernotes.pipeline import check
from papernotes.records import Note
from papernotes_bench.synth import generate
from support import REPO, note_text

PROBLEMS = {
    # a duplicate id in another part: one copy sits in each half of the file list
    "notes/safety/agent-memory-dup.md": note_text(title="A copy"),
    "notes/agents/agent-memory-dup.md": note_text(title="The first"),
    "notes/agents/Bad-Name.md": note_text(),
    "notes/data/broken-yaml.md": "---\ntitle: [unclosed\n---\nbody\n",
    "notes/open-problems/unsafe.md": note_text(body="## Hi\n\n<script>alert(1)</script> [@nobody2099] §99.9\n"),
    "notes/pretraining/links.md": note_text(
        body="## Links\n\n[a](../agents/agent-memory-dup.md#no-such-heading) [b](../agents/missing.md) [c](#links) [d](../../x.md)\n",
        tags="[not-a-tag, swe-agents]",
    ),
}


@pytest.fixture(scope="module")
def mixed_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated knowledge base with problems of every stage spread over it."""
    root = generate(tmp_path_factory.mktemp("shard") / "kb", 120, seed=5)
    for rel, text in PROBLEMS.items():
        (root / rel).write_text(text, encoding="utf-8")
    # a tag and a work that nothing uses any more: warnings that need every share's usage
    first = sorted((root / "notes" / "agents").glob("agent-*.md"))[0]
    first.unlink()
    return root


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_shared_check_finds_what_check_finds(mixed_kb: Path, workers: int) -> None:
    full = check(mixed_kb, workers=1)
    report = check(mixed_kb, workers=workers, corpus=False)
    assert report.diagnostics == full.diagnostics
    assert full.corpus is not None and report.notes == len(full.corpus.notes) and report.usable
    names = {d.name for d in report.diagnostics}
    assert {"duplicate-id", "bad-location", "yaml-syntax", "unsafe-html", "unknown-citation", "unknown-section-ref"} <= names
    assert {"broken-anchor", "broken-link", "link-outside-site", "unknown-tag"} <= names


def test_shared_check_of_the_real_notes() -> None:
    full = check(REPO)
    report = check(REPO, workers=2, corpus=False)
    assert report.diagnostics == full.diagnostics and full.corpus is not None
    assert report.notes == len(full.corpus.notes) > 50


def test_usage_warnings_add_up_over_shares(tmp_path: Path) -> None:
    """A tag that two notes in different shares carry is used; once one of them drops it, it is not."""
    root = generate(tmp_path / "kb", 60, seed=6)
    tags = root / "data" / "tags.yaml"
    tags.write_text(
        tags.read_text(encoding="utf-8").replace("tags:\n", "tags:\n  shared-tag:\n    group: meta\n    description: A tag for this test.\n", 1),
        encoding="utf-8",
    )
    notes = sorted(p for p in (root / "notes").glob("*/*.md") if p.name != "index.md")
    for path in (notes[0], notes[-1]):  # the first and the last file: one in each share
        path.write_text(path.read_text(encoding="utf-8").replace("tags: [", "tags: [shared-tag, ", 1), encoding="utf-8")
    report = check(root, workers=2, corpus=False)
    assert report.diagnostics == check(root, workers=1).diagnostics == ()
    notes[-1].write_text(notes[-1].read_text(encoding="utf-8").replace("shared-tag, ", "", 1), encoding="utf-8")
    report = check(root, workers=2, corpus=False)
    assert report.diagnostics == check(root, workers=1).diagnostics
    assert [d.message for d in report.diagnostics] == ["tag 'shared-tag' is used by 1 note; a tag groups at least 2"]


def test_unusable_data_is_reported_alone(tmp_path: Path) -> None:
    root = generate(tmp_path / "kb", 30, seed=7)
    (root / "data" / "survey.yaml").write_text("sections: [unclosed\n", encoding="utf-8")
    report = check(root, workers=2, corpus=False)
    assert not report.usable and report.notes == 0
    assert report.diagnostics == check(root, workers=1).diagnostics
    assert any(d.path == "data/survey.yaml" for d in report.diagnostics)


def test_a_worker_that_dies_leaves_the_check_to_the_main_process(mixed_kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If a worker ends without answering, the main process checks its notes itself: same problems."""
    from papernotes import parallel

    monkeypatch.setattr(parallel, "_serve", die)
    report = check(mixed_kb, workers=2, corpus=False)
    assert report.diagnostics == check(mixed_kb, workers=1).diagnostics
    assert report.notes > 100


def test_a_load_worker_that_dies_leaves_the_load_to_the_main_process(mixed_kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Staging's round, which keeps the notes: if a worker ends without answering, its notes are loaded here."""
    from papernotes import parallel

    monkeypatch.setattr(parallel, "_serve", die)
    one, two = check(mixed_kb, workers=1), check(mixed_kb, workers=2)
    assert one.diagnostics == two.diagnostics
    assert one.corpus is not None and two.corpus is not None and one.corpus.notes == two.corpus.notes


def test_shared_load_keeps_file_order(mixed_kb: Path) -> None:
    from papernotes.data import load_data
    from papernotes.load import discover
    from papernotes.pipeline import note_round

    data, _ = load_data(mixed_kb)
    _, files, _ = discover(mixed_kb)

    def load_notes(workers: int) -> tuple[list[Note], list[Diagnostic]]:
        loaded = note_round(mixed_kb, data, files, keep=True, workers=workers)
        return [x.note for x in loaded if x.note is not None], [d for x in loaded for d in x.diags]

    one, two = load_notes(1), load_notes(3)
    assert [n.source for n in two[0]] == [n.source for n in one[0]] and two == one


def die(*_: object) -> None:
    os._exit(3)


def imports_of(path: Path) -> set[str]:
    """The papernotes modules a source file imports, at the top or inside a function."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    found |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    found |= {f"papernotes.{a.name}" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "papernotes" for a in n.names}
    return {m for m in found if m.startswith("papernotes.")}


def test_only_the_conductor_decides_what_runs_in_parallel() -> None:
    """No stage imports the parallel map (the layers would allow it: it is in the foundation), so
    that only the conductor decides what runs on every core; the built-site link check, in the site
    engine, reads pages on every core too."""
    package = REPO / "src" / "papernotes"
    users = {path.relative_to(package).with_suffix("").as_posix(): "papernotes.parallel" in imports_of(path) for path in package.rglob("*.py")}
    assert sorted(module for module, uses in users.items() if uses) == ["engine/linkcheck", "pipeline"]
