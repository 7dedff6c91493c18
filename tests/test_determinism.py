"""Deterministic output: two stagings of one knowledge base are byte-identical, notes.json included,
even in processes with different string-hash seeds; two `mkdocs build` runs give identical files.

The real notes are copied once into a temporary repository, so that both runs read the same input
even while the working tree changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from papernotes.engine.render import engine_build
from papernotes.engine.staging import write_staging
from papernotes.pipeline import check, stage_files
from support import REPO

# Stage the knowledge base at argv[1] into argv[2] and print {path: sha256} of every staged file.
STAGE_AND_HASH = """
import hashlib, json, sys
from pathlib import Path
from papernotes.pipeline import check, stage_files
from papernotes.engine.staging import write_staging
root, dest = Path(sys.argv[1]), Path(sys.argv[2])
folder = write_staging(stage_files(check(root, workers=1)), root, dest)
print(json.dumps({p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}))
"""


def tree_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder`, by relative path."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A frozen copy of the real repository's notes, data, template override and MkDocs configuration."""
    root = tmp_path_factory.mktemp("repo")
    for name in ("notes", "data", "overrides"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("refs-incoming"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def stage_in_subprocess(root: Path, dest: str, hash_seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    proc = subprocess.run([sys.executable, "-c", STAGE_AND_HASH, str(root), dest], env=env, capture_output=True, text=True, check=True)
    hashes: dict[str, str] = json.loads(proc.stdout)
    return hashes


def test_two_stagings_are_byte_identical(repo: Path) -> None:
    """Staging twice, in processes with different hash seeds, writes the same bytes to every file."""
    first = stage_in_subprocess(repo, "build/staging-a", "1")
    second = stage_in_subprocess(repo, "build/staging-b", "2")
    assert first == second
    assert "notes.json" in first and sum(p.endswith(".md") for p in first) > len(list(repo.glob("notes/*/*.md")))


def test_staging_in_process_matches_a_fresh_process(repo: Path) -> None:
    """The staged files a long-lived process computes are the ones a fresh process writes."""
    in_process = stage_files(check(repo, workers=1))
    written = stage_in_subprocess(repo, "build/staging-c", "3")
    assert {rel: hashlib.sha256(text.encode("utf-8")).hexdigest() for rel, text in in_process.items()}.items() <= written.items()


@pytest.mark.slow
def test_two_mkdocs_builds_give_identical_files(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two `mkdocs build --strict` runs of one staged tree give byte-identical HTML, search index and assets."""
    # sitemap.xml and sitemap.xml.gz carry the build date (<lastmod>, and the gzip header): two builds
    # on either side of midnight would differ there and nowhere else. Pinning the date, as reproducible
    # builds do, keeps every file comparable instead of leaving the sitemap out.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764979200")
    write_staging(stage_files(check(repo, workers=1)), repo)
    builds = []
    for name in ("site-a", "site-b"):
        proc = engine_build(repo, tmp_path / name)
        assert proc.returncode == 0, proc.stderr[-2000:]
        builds.append(tree_hashes(tmp_path / name))
    assert builds[0] == builds[1]
    assert sum(p.endswith(".html") for p in builds[0]) > 50 and "sitemap.xml.gz" in builds[0]
