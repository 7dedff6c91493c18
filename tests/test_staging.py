"""The staged tree on disk: a new staging links the files the old tree already holds, and only those
that are its own regular files."""

from __future__ import annotations

import os
from pathlib import Path

from papernotes.engine.staging import STAGING, write_staging

FILES = {"index.md": "# Home\n", "agents/a.md": "# A — ā\n", "agents/b.md": "# B\n", "tags/t.md": "# T\n"}


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_restaging_links_the_files_that_did_not_change(tmp_path: Path) -> None:
    """The second staging keeps the inode of each unchanged file, writes the changed and new ones,
    drops the removed one, and leaves each file in one tree only."""
    dest = write_staging(FILES, tmp_path)
    before = inodes(dest)
    changed = {**{k: v for k, v in FILES.items() if k != "tags/t.md"}, "agents/b.md": "# B, edited\n", "agents/c.md": "# C\n"}
    assert write_staging(changed, tmp_path) == dest
    after = inodes(dest)
    assert after["index.md"] == before["index.md"] and after["agents/a.md"] == before["agents/a.md"]
    assert after["agents/b.md"] != before["agents/b.md"] and "tags/t.md" not in after
    for rel, text in changed.items():
        assert (dest / rel).read_text(encoding="utf-8") == text
        assert (dest / rel).stat().st_nlink == 1
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["staging"]


def test_a_link_or_a_shared_file_in_the_old_tree_is_written_anew(tmp_path: Path) -> None:
    """A symbolic link, or a file with another name elsewhere, in the old tree is never carried over,
    even with the right content: the new tree has a regular file of its own there."""
    dest = tmp_path / STAGING
    (dest / "agents").mkdir(parents=True)
    linked, shared = tmp_path / "linked.md", tmp_path / "shared.md"
    linked.write_text(FILES["agents/a.md"], encoding="utf-8")
    shared.write_text(FILES["index.md"], encoding="utf-8")
    (dest / "agents" / "a.md").symlink_to(linked)
    os.link(shared, dest / "index.md")
    write_staging(FILES, tmp_path)
    for rel, outside in (("agents/a.md", linked), ("index.md", shared)):
        path = dest / rel
        assert not path.is_symlink() and path.stat().st_nlink == 1 and path.stat().st_ino != outside.stat().st_ino
        assert path.read_text(encoding="utf-8") == FILES[rel]
        assert outside.stat().st_nlink == 1 and outside.read_text(encoding="utf-8") == FILES[rel]


def test_an_update_in_place_refuses_a_link_inside_the_tree(tmp_path: Path) -> None:
    """`sync_staging` (serve) writes files in place: a folder inside the tree that is a symbolic link (say, committed
    at build/search/agents and pointing out of the repository) is refused before anything is written through it."""
    import pytest

    from papernotes.engine.staging import SEARCH, OutputFolderError, sync_staging

    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "repo"
    (root / SEARCH).mkdir(parents=True)
    (root / SEARCH / "agents").symlink_to(outside, target_is_directory=True)
    with pytest.raises(OutputFolderError) as raised:
        sync_staging({"agents/a/index.html": "<p>a</p>"}, root, SEARCH, assets=False)
    assert [d.path for d in raised.value.problems] == ["build/search/agents"]
    assert list(outside.iterdir()) == []
    (root / SEARCH / "agents").unlink()
    assert sync_staging({"agents/a/index.html": "<p>a</p>"}, root, SEARCH, assets=False) == 1
