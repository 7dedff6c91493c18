"""The staged tree on disk: build/staging/ (what the site engine reads) and the output folders.

`write_staging` writes the whole tree beside its place and swaps it in; `sync_staging` (for `serve`)
rewrites only the files that changed, so that their modification times tell the engine's dirty build
which pages to render again. The package's CSS and JavaScript are staged under assets/.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from papernotes.diagnostics import Diagnostic, Rule, diag

STAGING = Path("build/staging")
SEARCH = Path("build/search")  # the search documents Pagefind indexes (emit/search.py), beside the staged tree
SITE = Path("site")
OUTPUT_FOLDERS = (Path("build"), STAGING, SEARCH, SITE)


class OutputFolderError(Exception):
    """build/ or site/ is not a folder of ours to write: nothing was written or deleted."""

    def __init__(self, problems: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.render() for d in problems))
        self.problems = problems


def output_folder_problems(root: Path, folders: tuple[Path, ...] = OUTPUT_FOLDERS) -> list[Diagnostic]:
    """Why the build may not write into one of its output folders: a symbolic link (a committed
    `build` link would be followed out of the repository), a file, or a place outside `root`."""
    problems = []
    top = os.path.realpath(root)
    for rel in folders:
        path = root / rel
        shown = rel.as_posix()
        if os.path.islink(path):
            problems.append(diag("output-folder", shown, 0, 0, f"{shown} is a symbolic link; the build never writes through one", f"delete {shown}"))
        elif os.path.lexists(path) and not os.path.isdir(path):
            problems.append(diag("output-folder", shown, 0, 0, f"{shown} is a file, not a folder", f"delete or rename {shown}"))
        elif os.path.commonpath([top, os.path.realpath(path)]) != top:
            problems.append(diag("output-folder", shown, 0, 0, f"{shown} resolves outside the repository", f"delete {shown}"))
    return problems


def ensure_output_folders(root: Path, folders: tuple[Path, ...] = OUTPUT_FOLDERS) -> None:
    """Raise OutputFolderError unless every output folder is ours (absent, or a real folder inside `root`)."""
    problems = output_folder_problems(root, folders)
    if problems:
        raise OutputFolderError(problems)


def asset_files() -> dict[str, str]:
    """The static CSS and JavaScript shipped with the package, staged under assets/."""
    folder = resources.files("papernotes") / "assets"
    return {f"assets/{item.name}": item.read_text(encoding="utf-8") for item in sorted(folder.iterdir(), key=lambda i: i.name) if item.is_file()}


def _write(files: dict[str, str], dest: Path) -> None:
    for rel, content in files.items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8", newline="\n")


def swap_in(new: Path, dest: Path) -> None:
    """Replace `dest` by `new` with two renames; the old tree is removed only after the swap."""
    old = dest.with_name(f".{dest.name}-old-{os.getpid()}")
    if dest.exists():
        dest.rename(old)
    new.rename(dest)
    if old.exists():
        shutil.rmtree(old)


def write_staging(files: dict[str, str], root: Path, staging: Path = STAGING, *, assets: bool = True) -> Path:
    """Write the staged tree (with the package's assets, unless `assets` is false) to a temporary folder next
    to its place, then swap it in."""
    ensure_output_folders(root, (Path("build"), staging))
    dest = root / staging
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".staging-", dir=dest.parent))
    try:
        _write({**files, **asset_files()} if assets else files, tmp)
        swap_in(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def sync_staging(files: dict[str, str], root: Path, staging: Path = STAGING, previous: dict[str, str] | None = None, *, assets: bool = True) -> int:
    """Update the staged tree in place (for `serve`): only changed files are written, so that their mtimes tell
    the engine's dirty build which pages to render. `previous` is what the last call staged: a file whose text is
    the same is not read back from disk."""
    ensure_output_folders(root, (Path("build"), staging))
    dest = root / staging
    wanted = {**files, **asset_files()} if assets else files
    changed = 0
    for rel, content in wanted.items():
        target = dest / rel
        if previous is not None and previous.get(rel) == content:
            continue
        if not target.is_file() or target.read_text(encoding="utf-8") != content:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8", newline="\n")
            changed += 1
    if dest.is_dir():
        for path in sorted(dest.rglob("*"), reverse=True):
            rel = path.relative_to(dest).as_posix()
            if path.is_file() and rel not in wanted:
                path.unlink()
                changed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed


# What the build checks before it writes: the output folders.
OUTPUT_RULES = (Rule("output-folder", ("output-folder",), output_folder_problems),)
