"""The search part of the benchmark: bytes a reader's browser loads, and Pagefind's indexing time.

On a built synthetic site it times `pagefind` alone, serves the site on 127.0.0.1 and drives Debian's
Chromium (Playwright, from the dev extras) to count the bytes of the first visit to a note page (no
search), of the first query and of a later one. Figures are printed, never asserted.
"""

from __future__ import annotations

import functools
import http.server
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from papernotes.engine.render import pagefind_command
from papernotes.engine.serve import in_thread
from papernotes.engine.staging import SEARCH

CHROMIUM = "/usr/bin/chromium"
FIRST_QUERY = "repository agents"
LATER_QUERY = "benchmark contamination"
PASTED_QUERY = "training reward"
# More queries, typed after those three: names, the commonest words alone and together, a phrase. The table
# gives the heaviest of them.
MORE_QUERIES = ("GRPO", "LiveCodeBench", "SWE-bench", "model training", "the", "code review agents", "reward model training data")


@dataclass(frozen=True)
class SearchFigures:
    """Bytes (uncompressed bodies) and seconds at one size."""

    notes: int
    first_visit: int
    first_visit_search: int  # bytes under pagefind/ during the first visit: must be 0
    first_visit_sitemap: int  # sitemap.xml during the first visit: 0 since the previews are our own (Material fetched it for instant navigation)
    open_search: int  # focusing the box: Pagefind's engine script
    first_query: int
    first_query_engine: int  # of the first query: the engine's worker, WebAssembly and metadata (once per visit)
    later_query: int
    pasted_query: int  # a third query pasted at once
    filters: int  # opening "Filters": the filter index
    index_seconds: float
    heaviest: int = 0  # the heaviest of MORE_QUERIES
    heaviest_query: str = ""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    """Serve `site` on a free port of 127.0.0.1 in a thread; yield its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    with in_thread(server):
        yield f"http://127.0.0.1:{server.server_address[1]}/"


def index_seconds(root: Path) -> float:
    """Seconds of one `pagefind` run alone over the search documents the build wrote (build/search/), into a
    temporary folder: inside `papernotes build` the same run goes on beside the site engine."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(dir=root / "build") as out:
        start = time.perf_counter()
        proc = subprocess.run(pagefind_command(root / SEARCH, Path(out) / "pagefind"), capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"pagefind failed:\n{proc.stdout}{proc.stderr}")
    return seconds


def _bytes(log: list[tuple[str, int]], since: int, *, only: str = "") -> int:
    return sum(size for url, size in log[since:] if only in url)


ENGINE = ("pagefind-worker.js", ".pagefind", ".pf_meta", "pagefind-entry.json")  # all but index chunks, fragments and filters


def _query(page: Any, term: str, *, paste: bool = False) -> None:
    box = page.locator(".pn-search__input")
    box.fill("")
    if paste:
        box.fill(term)
    else:
        box.press_sequentially(term, delay=20)
    page.wait_for_function(
        "q => { const m = document.querySelector('.pn-search__message'); return m && m.textContent.includes('\u201c' + q + '\u201d'); }", arg=term
    )
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # results fill in their fragments after the message
    page.wait_for_load_state("networkidle")


def browser_bytes(base: str, note_url: str) -> tuple[tuple[int, ...], tuple[int, str]]:
    """(first visit, its search bytes, its sitemap bytes, opening the search, first query, its engine bytes,
    later query, pasted query, opening the filters) in a fresh Chromium without cache, and the heaviest of
    MORE_QUERIES with its bytes."""
    from playwright.sync_api import sync_playwright

    log: list[tuple[str, int]] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"])
        context = browser.new_context(service_workers="block")
        page = context.new_page()

        def finished(request: Any) -> None:
            sizes = request.sizes()
            log.append((request.url, int(sizes["responseBodySize"])))

        page.on("requestfinished", finished)
        page.goto(base + note_url)
        page.wait_for_load_state("networkidle")
        visit, visit_search, visit_sitemap = _bytes(log, 0), _bytes(log, 0, only="/pagefind/"), _bytes(log, 0, only="/sitemap.xml")
        mark = len(log)
        page.locator(".pn-search__input").click()
        page.locator(".pn-search__panel").wait_for(state="visible")
        for _ in range(200):  # the box loads the engine on focus; its worker fetches the metadata last
            if any(".pf_meta" in url for url, _size in log[mark:]):
                break
            page.wait_for_timeout(50)
        page.wait_for_load_state("networkidle")
        opened = _bytes(log, mark)
        mark = len(log)
        _query(page, FIRST_QUERY)
        first = _bytes(log, mark)
        engine = sum(size for url, size in log[mark:] if any(part in url.partition("?")[0] for part in ENGINE))
        mark = len(log)
        _query(page, LATER_QUERY)
        later = _bytes(log, mark)
        mark = len(log)
        _query(page, PASTED_QUERY, paste=True)
        pasted = _bytes(log, mark)
        heaviest = (0, "")
        for term in MORE_QUERIES:
            mark = len(log)
            _query(page, term)
            heaviest = max(heaviest, (_bytes(log, mark), term))
        mark = len(log)
        page.locator(".pn-search__filters summary").click()
        page.locator(".pn-search__group").first.wait_for()
        page.wait_for_load_state("networkidle")
        filters = _bytes(log, mark, only=".pf_filter")
        browser.close()
    return (visit, visit_search, visit_sitemap, opened, first, engine, later, pasted, filters), heaviest


def measure_search(root: Path, notes: int, note_url: str) -> SearchFigures:
    """Indexing time and browser bytes of the site built under `root/site`."""
    site = root / "site"
    seconds = index_seconds(root)
    with served(site) as base:
        (visit, visit_search, visit_sitemap, opened, first, engine, later, pasted, filters), heaviest = browser_bytes(base, note_url)
    return SearchFigures(notes, visit, visit_search, visit_sitemap, opened, first, engine, later, pasted, filters, seconds, *heaviest)


def search_table(figures: list[SearchFigures], build_seconds: dict[int, float]) -> str:
    """The search figures as a Markdown table (KB are 1,024 bytes of uncompressed bodies)."""
    lines = [
        "| notes | first visit to a note KB | of it search KB | of it sitemap.xml KB | focusing the box KB | first query KB | of it engine KB "
        "| later query KB | pasted query KB | heaviest of 7 more KB | opening filters KB | pagefind s | build s | pagefind ÷ build |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for f in figures:
        build = build_seconds.get(f.notes, 0.0)
        share = f"{f.index_seconds / build:.1%}" if build else ""
        lines.append(
            f"| {f.notes:,} | {f.first_visit / 1024:.0f} | {f.first_visit_search / 1024:.0f} | {f.first_visit_sitemap / 1024:.0f} | {f.open_search / 1024:.0f} "
            f"| {f.first_query / 1024:.0f} | {f.first_query_engine / 1024:.0f} | {f.later_query / 1024:.0f} | {f.pasted_query / 1024:.0f} "
            f"| {f.heaviest / 1024:.0f} ({f.heaviest_query}) | {f.filters / 1024:.0f} "
            f"| {f.index_seconds:.2f} | {build:.1f} | {share} |"
        )
    return "\n".join(lines)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> str:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a loopback URL we built
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def _poll(url: str, needle: str, seconds: float, every: float = 0.05) -> float:
    """Seconds until `url` shows `needle` (polled every `every` s); raise after `seconds`."""
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if needle in _fetch(url):
            return time.perf_counter() - start
        time.sleep(every)
    raise RuntimeError(f"{url} never showed {needle!r} within {seconds:.0f} s")


def edit_loop(root: Path, note: Path, runs: int) -> list[float]:
    """Drive the real `papernotes serve`: save the note with a new sentence, then poll its served page until the
    sentence shows; the seconds of each of `runs` edits. The note is restored and serve stopped afterwards."""
    import os
    import signal
    import subprocess
    import sys

    port = _free_port()
    env = {**os.environ, "PAPERNOTES_SITE_URL": f"http://127.0.0.1:{port}/", "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "papernotes", "--root", str(root), "serve", "--addr", f"127.0.0.1:{port}"]
    url = f"http://127.0.0.1:{port}/{note.parent.name}/{note.stem}/"
    original = note.read_text(encoding="utf-8")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    try:
        _poll(url, "</html>", 900, every=0.5)
        for i in range(runs):
            marker = f"Edited by the benchmark, round {i} of {runs}."
            time.sleep(1.0)  # let the watcher settle, as between two saves of a contributor
            note.write_text(original + f"\n{marker}\n", encoding="utf-8")
            times.append(_poll(url, marker, 120))
    finally:
        note.write_text(original, encoding="utf-8")
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    return times
