"""Render the staged tree into a site: the selected engine's `build --strict` (see `choice`) and, beside it,
Pagefind over the search documents, in subprocesses; then the built site's link check, and the result swapped
into place.

The engine never imports papernotes; papernotes never imports the engine.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from papernotes.engine.choice import CONFIG, SiteEngine, selected_engine
from papernotes.engine.staging import SEARCH, SITE, ensure_output_folders, swap_in, write_staging

if TYPE_CHECKING:
    from papernotes.engine.linkcheck import BrokenLink


def site_base_path() -> str:
    """The path the site is served under: from PAPERNOTES_SITE_URL, as the engine's configuration reads it ('/' by default)."""
    from urllib.parse import urlsplit

    path = urlsplit(os.environ.get("PAPERNOTES_SITE_URL", "")).path or "/"
    return path if path.endswith("/") else path + "/"


def _build_args(root: Path, site_dir: Path, *, dirty: bool) -> list[str]:
    mode = ["--dirty", "--no-strict"] if dirty else ["--strict"]
    return ["build", *mode, "--config-file", str(root / CONFIG), "--site-dir", str(site_dir)]


def _engine_command(engine: SiteEngine, root: Path, site_dir: Path, *, dirty: bool) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # mkdocs-material's notice about a future MkDocs 2
    return [sys.executable, "-m", engine.module, *_build_args(root, site_dir, dirty=dirty)], env


def start_engine(root: Path, site_dir: Path, log: IO[bytes]) -> subprocess.Popen[bytes]:
    """Start the selected engine's `build --strict` into `site_dir`, its output going to `log`."""
    cmd, env = _engine_command(selected_engine(), root, site_dir, dirty=False)
    return subprocess.Popen(cmd, cwd=root, stdout=log, stderr=subprocess.STDOUT, env=env)


def engine_build(root: Path, site_dir: Path, *, quiet: bool = True, dirty: bool = False, engine: SiteEngine | None = None) -> subprocess.CompletedProcess[str]:
    """`<engine> build --strict` into `site_dir`, in a subprocess, with the selected engine unless one is given.

    With `dirty` (for `serve`), only pages whose source is newer than their output are rendered, and
    with --no-strict (mkdocs.yml sets strict): the engine warns about every dirty build, which strict mode would turn into a failure.
    """
    cmd, env = _engine_command(engine or selected_engine(), root, site_dir, dirty=dirty)
    return subprocess.run(cmd, cwd=root, capture_output=quiet, text=True, check=False, env=env)


# The program of a warm engine: the engine's own command line, loaded once, run once per line of arguments
# read from stdin; each run answers one line, [exit code, what it printed]. It imports nothing of papernotes.
WARM_LOOP = """
import contextlib, importlib, io, json, sys, traceback
cli = importlib.import_module(sys.argv[1] + ".__main__").cli
try:
    for line in sys.stdin:
        out = io.StringIO()
        code = 0
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                cli.main(args=json.loads(line), prog_name=sys.argv[1], standalone_mode=False)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except Exception:
            code = 1
            out.write(traceback.format_exc())
        sys.stdout.write(json.dumps([code, out.getvalue()]) + "\\n")
        sys.stdout.flush()
except KeyboardInterrupt:
    pass
"""


class WarmEngine:
    """The engine's command line kept loaded in one child process, for `serve`: a rebuild after an edit then costs
    the build alone, not starting Python and importing the engine, its theme and Markdown's extensions again
    (about half a second). When the child is gone, a build runs in a fresh subprocess as `engine_build` does."""

    def __init__(self, root: Path, engine: SiteEngine | None = None) -> None:
        self.root = root
        self.engine = engine or selected_engine()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        self.proc: subprocess.Popen[str] | None = subprocess.Popen(
            [sys.executable, "-c", WARM_LOOP, self.engine.module], cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def build(self, site_dir: Path, *, dirty: bool = True) -> subprocess.CompletedProcess[str]:
        """What `engine_build(root, site_dir, dirty=dirty)` returns, from the warm child when it is alive."""
        args = [*_build_args(self.root, site_dir, dirty=dirty)]
        proc = self.proc
        if proc is not None and proc.poll() is None and proc.stdin is not None and proc.stdout is not None:
            try:
                proc.stdin.write(json.dumps(args) + "\n")
                proc.stdin.flush()
                answer = proc.stdout.readline()
                if answer:
                    code, output = json.loads(answer)
                    return subprocess.CompletedProcess(args, int(code), str(output), "")
            except (BrokenPipeError, OSError, ValueError):
                pass
            self.close()
        return engine_build(self.root, site_dir, dirty=dirty, engine=self.engine)

    def close(self) -> None:
        """End the child (it ends on its own when its stdin closes)."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - only when a build hangs
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def pagefind_command(documents: Path, output: Path) -> list[str]:
    """The command that indexes the search documents in `documents` (build/search/, written by the pipeline)
    into `output` (the site's pagefind/) with Pagefind: the binary of the `pagefind[bin]` wheel, which
    `python -m pagefind` execs."""
    return [sys.executable, "-m", "pagefind", "--site", str(documents), "--output-path", str(output), "--quiet"]


def start_pagefind(documents: Path, output: Path, log: IO[bytes] | int | None = None) -> subprocess.Popen[bytes]:
    """Start Pagefind over the search documents at a low CPU priority: beside a build, the site engine's
    process is the one everything waits for, and it keeps its core."""
    proc = subprocess.Popen(pagefind_command(documents, output), stdout=log, stderr=subprocess.STDOUT if log is not None else None)
    if hasattr(os, "setpriority"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, proc.pid, 10)
    return proc


def index_files(files: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """What build/search/ holds, split into the documents Pagefind indexes (HTML) and the other files, which go
    into the index's folder beside what Pagefind writes (the common words the search box reads)."""
    documents = {path: text for path, text in files.items() if path.endswith(".html")}
    return documents, {path: text for path, text in files.items() if path not in documents}


def write_beside_index(extras: dict[str, str], index: Path) -> None:
    """Write the files that go beside Pagefind's own in the index folder (Pagefind leaves other files there)."""
    index.mkdir(parents=True, exist_ok=True)
    for name, text in extras.items():
        (index / name).write_text(text, encoding="utf-8")


def _end(proc: subprocess.Popen[bytes] | None) -> None:
    """End a child that is still running (a failure or an interrupt elsewhere) and reap it."""
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - only when a child ignores SIGTERM
            proc.kill()
            proc.wait()


def _text(log: IO[bytes]) -> str:
    log.seek(0)
    return log.read().decode("utf-8", errors="replace")


def build_site(root: Path, site: Path = SITE, search: Callable[[], dict[str, str]] | None = None) -> tuple[int, str, list[BrokenLink]]:
    """Build into a temporary folder, check its links, and swap it into `site/` only when all is well.

    `search` gives what build/search/ holds: the search documents (path of the built page -> HTML) and the files
    that go beside the index (see `index_files`). While the engine renders the pages, they are written to
    build/search/ and Pagefind indexes them on the other core; its index then moves into the built site. The built-site check also proves that every indexed page, and every heading id a document
    names, exists in the built site.

    Returns (exit code of the engine or of Pagefind, their output, broken links). A failure leaves the old
    site intact.
    """
    ensure_output_folders(root, (Path("build"), site, SEARCH))
    dest = root / site
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=root / "build"))
    index = tmp.with_name(tmp.name + "-pagefind")
    engine: subprocess.Popen[bytes] | None = None
    indexer: subprocess.Popen[bytes] | None = None
    with tempfile.TemporaryFile() as engine_log, tempfile.TemporaryFile() as index_log:
        try:
            engine = start_engine(root, tmp, engine_log)
            from papernotes.engine.linkcheck import check_site, page_links  # imported while the engine builds, not before

            required: dict[str, set[str]] = {}
            files = search() if search is not None else {}
            documents, extras = index_files(files)
            if documents:  # Pagefind refuses a folder without documents: a knowledge base with no notes has no index
                write_staging(files, root, SEARCH, assets=False)
                required = {page: page_links(doc).ids for page, doc in documents.items()}
                write_beside_index(extras, index)
                indexer = start_pagefind(root / SEARCH, index, index_log)
            code = engine.wait()
            output = _text(engine_log)
            if code != 0:
                return code, output, []
            if indexer is not None:
                indexed = indexer.wait()
                output += _text(index_log)
                if indexed != 0:
                    return indexed, output, []
                index.rename(tmp / "pagefind")
            broken = check_site(tmp, site_base_path(), required)
            if broken:
                return 1, output, broken
            swap_in(tmp, dest)
            return 0, output, []
        finally:
            _end(engine)
            _end(indexer)
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(index, ignore_errors=True)
