"""The staged tree on disk: build/staging/ (what the site engine reads) and the output folders.

`write_staging` writes the whole tree beside its place (linking the files that did not change) and
swaps it in; `sync_staging` (for `serve`) rewrites only the files that changed, so that their
modification times tell the engine's dirty build which pages to render again. The package's CSS and JavaScript are staged under assets/.
"""

from __future__ import annotations

import os
import shutil
import stat
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


def _unchanged(path: str, data: bytes) -> bool:
    """Whether `path` is a regular file of the tree being replaced, linked from nowhere else, that holds
    exactly `data` (a link, a file shared with another folder or one of another size is not read)."""
    nofollow = getattr(os, "O_NOFOLLOW", 0)  # opening a link fails (where there is no such flag: looked at first)
    if not nofollow and os.path.islink(path):
        return False
    try:
        fd = os.open(path, os.O_RDONLY | nofollow)
    except OSError:
        return False
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        return stat.S_ISREG(info.st_mode) and info.st_nlink == 1 and info.st_size == len(data) and handle.read() == data


def _write(files: dict[str, str], dest: Path, previous: Path | None = None) -> None:
    """Write `files` under `dest`. A file that `previous`, the tree being replaced, holds with the same
    bytes is hard-linked from there instead: creating a file costs the file system far more than a
    link to one (about 0.2 ms against 0.006 ms on the machine where this was measured), and
    most files are the same from one build to the next. The old tree is removed once the new one is
    in place, so each file is again in one tree only."""
    folders: set[str] = set()
    for rel, content in files.items():
        target = os.path.join(dest, rel)
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        data = content.encode("utf-8")
        if previous is not None and _unchanged(old := os.path.join(previous, rel), data):
            try:
                os.link(old, target)
                continue
            except OSError:  # a file system without hard links: written below
                pass
        with open(target, "wb") as out:
            out.write(data)


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
        _write({**files, **asset_files()} if assets else files, tmp, dest if dest.is_dir() else None)
        swap_in(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def _refuse_links_inside(dest: Path, rel: Path) -> None:
    """Raise OutputFolderError when a folder we update in place holds a symbolic link: writing a file under it
    would follow the link out of the folder (a whole tree written by `write_staging` never writes through one)."""
    for folder, dirnames, filenames in os.walk(dest):
        for name in [*dirnames, *filenames]:
            path = Path(folder, name)
            if path.is_symlink():
                shown = (rel / path.relative_to(dest)).as_posix()
                raise OutputFolderError(
                    [diag("output-folder", shown, 0, 0, f"{shown} is a symbolic link; the build never writes through one", f"delete {shown}")]
                )


def sync_staging(files: dict[str, str], root: Path, staging: Path = STAGING, previous: dict[str, str] | None = None, *, assets: bool = True) -> int:
    """Update the staged tree in place (for `serve`): only changed files are written, so that their mtimes tell
    the engine's dirty build which pages to render. `previous` is what the last call staged: a file whose text is
    the same is not read back from disk."""
    ensure_output_folders(root, (Path("build"), staging))
    dest = root / staging
    _refuse_links_inside(dest, staging)
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
