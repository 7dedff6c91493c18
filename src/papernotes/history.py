"""When each note last changed according to git, for "Recently updated" on the home page.

One `git log` over notes/ gives the time of the last commit that touched each file. Outside a git
work tree (a copy, an unpacked archive, a synthetic benchmark) the answer is empty, and the home
page falls back on the notes' `updated` field. Commit times belong to the commit, so two builds of
one commit stay identical.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


def last_commits(root: Path, folder: str = "notes") -> dict[str, int]:
    """{path relative to root: Unix time of the last commit touching it}; {} without git history."""
    cmd = ["git", "log", "--relative", "--format=%x00%ct", "--name-only", "--no-renames", "--", folder]
    try:
        proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if proc.returncode != 0:
        return {}
    return parse_log(proc.stdout)


def parse_log(out: str) -> dict[str, int]:
    """The newest time for each file of `git log --format=%x00%ct --name-only` output (newest first)."""
    seen: dict[str, int] = {}
    for block in out.split("\0")[1:]:
        stamp, _, names = block.partition("\n")
        for name in names.split("\n"):
            if name.strip():
                seen.setdefault(name.strip(), int(stamp))
    return seen


def day(stamp: int) -> dt.date:
    """The UTC day of a commit time."""
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC).date()
