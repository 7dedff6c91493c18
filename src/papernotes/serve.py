"""`papernotes serve`: stage, serve with MkDocs' live reload, restage when notes/ or data/ change."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from papernotes.diagnostics import format_text, summary_line
from papernotes.pipeline import check, stage_files
from papernotes.render import sync_staging

POLL_SECONDS = 1.0


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under notes/ and data/."""
    state = {}
    for top in ("notes", "data"):
        for path in (root / top).rglob("*"):
            if path.is_file() and not path.is_symlink():
                info = path.stat()
                state[path.relative_to(root).as_posix()] = (info.st_mtime_ns, info.st_size)
    return state


def restage(root: Path) -> bool:
    """Check and restage in place; on errors keep serving the last good staging."""
    result = check(root)
    if result.diagnostics:
        sys.stderr.write(format_text(result.diagnostics))
    if result.corpus is None or result.errors:
        print(f"papernotes serve: not restaged: {summary_line(list(result.diagnostics))}", file=sys.stderr)
        return False
    changed = sync_staging(stage_files(result, root), root)
    print(f"papernotes serve: restaged {changed} file(s)", file=sys.stderr)
    return True


def serve(root: Path, addr: str) -> int:
    """Run until interrupted."""
    if not restage(root) and not (root / "build" / "staging").is_dir():
        return 1
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(root / "mkdocs.yml"), "--dev-addr", addr]
    proc = subprocess.Popen(cmd, cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    state = snapshot(root)
    try:
        while proc.poll() is None:
            time.sleep(POLL_SECONDS)
            current = snapshot(root)
            if current != state:
                state = current
                restage(root)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
    return proc.returncode or 0
