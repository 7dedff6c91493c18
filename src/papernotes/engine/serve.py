"""`papernotes serve`: stage, build and index the site, serve it with live reload, and on every change of
notes/ or data/ restage only what changed, rebuild only those pages (the engine's `build --dirty`) and refresh
the search index.

The site is served from build/serve-site/ by a small static server in this process, which adds a
live-reload script to each HTML page it sends. Every child (check workers, the engine, pagefind) runs to
completion inside this process's call, so SIGTERM and Ctrl-C end them all.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from papernotes.diagnostics import format_text, summary_line
from papernotes.engine.choice import named_engine
from papernotes.engine.render import WarmEngine, index_files, site_base_path, start_pagefind, write_beside_index
from papernotes.engine.staging import SEARCH, STAGING, OutputFolderError, sync_staging
from papernotes.pipeline import check, search_files, stage_files
from papernotes.records import CheckResult

POLL_SECONDS = 0.2
SERVE_SITE = Path("build/serve-site")
VERSION_PATH = "__papernotes_version"
RELOAD_JS = (
    "<script>(function(){{var v={version};setInterval(function(){{fetch({url},{{cache:'no-store'}})"
    ".then(function(r){{return r.text();}}).then(function(t){{if(t!==String(v))location.reload();}}).catch(function(){{}});}},500);}})();</script>"
)


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under notes/ and data/."""
    state = {}
    for top in ("notes", "data"):
        for path in (root / top).rglob("*"):
            if path.is_file() and not path.is_symlink():
                info = path.stat()
                state[path.relative_to(root).as_posix()] = (info.st_mtime_ns, info.st_size)
    return state


class Restaged(NamedTuple):
    """What a restage did: the staged files gone since the last one, and the check it staged from (whose
    search documents are written after the rebuild, not before it: the reader waits for the page, not the index)."""

    gone: list[str]
    result: CheckResult


def restage(root: Path, staged: dict[str, str] | None = None) -> Restaged | None:
    """Check and restage in place (only changed files are written); on errors keep the last good staging and
    return None.

    `staged` holds what the last restage wrote; it is updated, so unchanged files are not even read back.
    """
    result = check(root)
    if result.diagnostics:
        sys.stderr.write(format_text(result.diagnostics))
    if result.corpus is None or result.errors:
        print(f"papernotes serve: not restaged: {summary_line(list(result.diagnostics))}", file=sys.stderr)
        return None
    files = stage_files(result, root)
    try:
        changed = sync_staging(files, root, previous=staged)
    except OutputFolderError as exc:
        sys.stderr.write(format_text(exc.problems))
        print("papernotes serve: not restaged", file=sys.stderr)
        return None
    gone = sorted(set(staged) - set(files)) if staged else []
    if staged is not None:
        staged.clear()
        staged.update(files)
    print(f"papernotes serve: restaged {changed} file(s)", file=sys.stderr)
    return Restaged(gone, result)


def built_output(site: Path, staged: str) -> Path:
    """What the site engine writes for a staged file: a page per Markdown file (directory URLs), else the file itself."""
    if not staged.endswith(".md"):
        return site / staged
    stem = staged.removesuffix(".md")
    folder = "" if stem == "index" else stem.removesuffix("/index")
    return site / folder / "index.html"


def drop_outputs(site: Path, gone: list[str]) -> None:
    """Remove the built output of staged files that are gone (`mkdocs build --dirty` never removes a page), and
    the folders that leaves empty."""
    for staged in gone:
        target = built_output(site, staged)
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != site and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def rebuild(engine: WarmEngine, site: Path, *, dirty: bool = True) -> bool:
    """The engine's `build --dirty` into the served folder: only pages whose staged file changed are rendered again
    (a full build at start, so that nothing of an earlier run or theme is left)."""
    proc = engine.build(site, dirty=dirty)
    if proc.returncode != 0:
        sys.stderr.write((proc.stdout or "") + (proc.stderr or ""))
        print(f"papernotes serve: {named_engine().name} build failed; serving the last good pages", file=sys.stderr)
        return False
    return True


class Reindexer:
    """Pagefind over the search documents (build/search/) into the served folder's pagefind/, in the background
    and at the lowest CPU priority: the next edit never waits for the index, and a rebuild replaces a run that is
    still going (its index would be stale anyway)."""

    def __init__(self, root: Path, site: Path) -> None:
        self.root = root
        self.documents = root / SEARCH
        self.site = site
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, result: CheckResult | None) -> None:
        """Write the search documents of `result` (None: keep those on disk) and start a fresh run, ending the
        previous one if it is still going."""
        self.stop()
        if result is not None:
            files = search_files(result)
            try:
                sync_staging(files, self.root, SEARCH, assets=False)
            except OutputFolderError as exc:
                sys.stderr.write(format_text(exc.problems))
                print("papernotes serve: search index not refreshed", file=sys.stderr)
                return
            write_beside_index(index_files(files)[1], self.site / "pagefind")
        self.proc = start_pagefind(self.documents, self.site / "pagefind", subprocess.DEVNULL)
        if hasattr(os, "setpriority"):  # lowest priority: the next rebuild must not wait for the index
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, self.proc.pid, 19)

    def stop(self) -> None:
        """End the run if it is still going."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


class Version:
    """A counter the pages poll: it moves after every rebuild, and the pages reload."""

    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def bump(self) -> None:
        with self._lock:
            self.value += 1


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files of the served folder under the site's base path, with live reload in HTML pages."""

    version: Version
    base: str

    def log_message(self, *args: Any) -> None:
        pass

    def translate_path(self, path: str) -> str:
        rel = urlsplit(path).path
        return super().translate_path("/" + rel.removeprefix(self.base) if rel.startswith(self.base) else "/__outside_the_site_base__")

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == self.base + VERSION_PATH:
            self._send(str(self.version.value).encode(), "text/plain")
            return
        target = Path(self.translate_path(self.path))
        if path.endswith("/") and (target / "index.html").is_file():
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            html = target.read_bytes()
            script = RELOAD_JS.format(version=self.version.value, url=f"'{self.base}{VERSION_PATH}'").encode()
            self._send(html.replace(b"</body>", script + b"</body>", 1), "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def static_server(site: Path, addr: str, version: Version) -> Iterator[str]:
    """Serve `site` at `addr` in a thread; yield the URL of its home page."""
    host, _, port = addr.rpartition(":")
    base = site_base_path()
    handler = type("Handler", (_Handler,), {"version": version, "base": base})
    server = http.server.ThreadingHTTPServer((host or "127.0.0.1", int(port)), functools.partial(handler, directory=str(site)))
    with in_thread(server):
        yield f"http://{host or '127.0.0.1'}:{server.server_address[1]}{base}"


@contextmanager
def in_thread(server: http.server.ThreadingHTTPServer) -> Iterator[None]:
    """Run `server` in a daemon thread for the length of the block, then shut it down and close it."""
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(root: Path, addr: str) -> int:
    """Run until interrupted (Ctrl-C or SIGTERM); every child process started is ended before returning."""
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _serve(root, addr)
    except KeyboardInterrupt:
        print("papernotes serve: stopped", file=sys.stderr)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def _serve(root: Path, addr: str) -> int:
    site = root / SERVE_SITE
    staged: dict[str, str] = {}
    first = restage(root, staged)
    if first is None and not (root / STAGING).is_dir():
        return 1
    engine = WarmEngine(root)
    try:
        if not rebuild(engine, site, dirty=False):
            return 1
        reindexer = Reindexer(root, site)
        reindexer.start(first.result if first is not None else None)
        version = Version()
        with static_server(site, addr, version) as url:
            print(f"papernotes serve: serving {url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
            try:
                watch(root, site, version, reindexer, staged, engine)
            finally:
                reindexer.stop()
    finally:
        engine.close()
    return 0


def watch(root: Path, site: Path, version: Version, reindexer: Reindexer, staged: dict[str, str], engine: WarmEngine) -> None:
    """Poll notes/ and data/; after a change restage, rebuild the changed pages, remove the pages of deleted
    notes, tell the pages to reload, reindex. `staged` is what the last restage wrote."""
    state = snapshot(root)
    while True:
        time.sleep(POLL_SECONDS)
        current = snapshot(root)
        if current != state:
            state = current
            start = time.perf_counter()
            restaged = restage(root, staged)
            if restaged is not None:
                staged_at = time.perf_counter()
                if rebuild(engine, site):
                    drop_outputs(site, restaged.gone)
                    version.bump()
                    done = time.perf_counter()
                    print(
                        f"papernotes serve: updated in {done - start:.1f} s (check and stage {staged_at - start:.1f} s, {named_engine().name} {done - staged_at:.1f} s)",
                        file=sys.stderr,
                    )
                    reindexer.start(restaged.result)
