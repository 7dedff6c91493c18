"""What changed since a git ref, and what a change can affect: the scope of `check --changed`."""

from __future__ import annotations

from pathlib import Path

from papernotes.records import NoteFile


def in_scope(path: str, scopes: list[str]) -> bool:
    """True when `path` is one of `scopes` or sits under one of them ('' or '.' is everything)."""
    return any(s in ("", ".") or path == s or path.startswith(s.rstrip("/") + "/") for s in scopes)


def _git(root: Path, *args: str) -> tuple[int, str, str]:
    import subprocess  # only an incremental check runs git

    proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout, proc.stderr


def default_base(root: Path) -> str:
    """The merge base with origin/main when there is one, else HEAD."""
    code, out, _ = _git(root, "merge-base", "origin/main", "HEAD")
    return out.strip() if code == 0 and out.strip() else "HEAD"


def changed_files(root: Path, base: str) -> tuple[list[str], list[str]]:
    """(changed or added, deleted) files under notes/ and data/ since `base`, untracked ones included.

    Paths are relative to `root` (which may be a subfolder of the repository); `-z` keeps unusual
    file names unquoted.
    """
    code, out, err = _git(root, "diff", "-z", "--relative", "--name-status", "--no-renames", base, "--", "notes", "data")
    if code != 0:
        reason = err.strip().splitlines()[0] if err.strip() else "unknown reason"
        raise ValueError(f"git could not compare with '{base}': {reason}")
    fields = out.split("\0")
    changed: list[str] = []
    deleted: list[str] = []
    for status, name in zip(fields[0::2], fields[1::2], strict=False):
        if name:
            (deleted if status.startswith("D") else changed).append(name)
    _, untracked, _ = _git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", "notes", "data")
    changed += [u for u in untracked.split("\0") if u]
    return sorted(set(changed)), sorted(set(deleted))


def _referrers(root: Path, slugs: list[str]) -> list[str]:
    """Notes and part indexes whose text names one of these slugs (candidates for links to them)."""
    if not slugs:
        return []
    patterns = [arg for slug in slugs for arg in ("-e", f"{slug}.md")]
    _, out, _ = _git(root, "grep", "-z", "-l", "-F", "--untracked", *patterns, "--", "notes")
    return [name for name in out.split("\0") if name.endswith(".md")]


def change_scope(root: Path, changed: list[str], deleted: list[str], files: list[NoteFile]) -> list[str]:
    """What a change can affect: the changed files, notes that may link to changed or deleted notes,
    and the folder of a deleted part index."""
    by_source: dict[str, NoteFile] = {f.source: f for f in files}
    slugs = [by_source[p].slug for p in changed if p in by_source]
    slugs += [Path(p).stem for p in deleted if p.endswith(".md") and Path(p).name != "index.md"]
    folders = [str(Path(p).parent) for p in deleted if Path(p).name == "index.md"]
    return sorted(set(changed) | set(_referrers(root, slugs)) | set(folders))
