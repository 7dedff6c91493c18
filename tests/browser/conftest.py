"""Browser fixtures: the real knowledge base built once, served on 127.0.0.1, driven by headless Chromium.

Chromium is Debian's /usr/bin/chromium (never `playwright install`; PAPERNOTES_CHROMIUM points
elsewhere), axe-core comes from `npm install`. When either is missing the tests skip locally with the
reason, and fail when CI is set.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("PAPERNOTES_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
COPIED = ("notes", "data", "overrides", "mkdocs.yml")


def unavailable(reason: str) -> None:
    """Skip with the reason locally; fail in CI, where the browser tests must run."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the browser tests may not skip)", pytrace=False)
    pytest.skip(reason)


# --- the built site ---------------------------------------------------------------------------------

_BIB_KEY = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


def merge_incoming_refs(root: Path) -> None:
    """Append the entries of data/refs-incoming/*.bib whose keys data/references.bib lacks.

    The notes cite works that are still waiting in refs-incoming/ while references are merged; without
    this the real notes would not build. Once the folder is gone this does nothing.
    """
    incoming = sorted((REPO / "data" / "refs-incoming").glob("*.bib"))
    bib = root / "data" / "references.bib"
    text = bib.read_text(encoding="utf-8")
    keys = set(_BIB_KEY.findall(text))
    extra = []
    for path in incoming:
        for block in re.split(r"(?m)^(?=@)", path.read_text(encoding="utf-8")):
            match = _BIB_KEY.match(block)
            if match and match.group(1) not in keys:
                keys.add(match.group(1))
                extra.append(block.rstrip() + "\n")
    if extra:
        bib.write_text(text.rstrip() + "\n\n" + "\n".join(extra), encoding="utf-8")


def build_copy(root: Path, site_url: str) -> None:
    """Copy the repository's notes, data and config into `root` and run `papernotes build` there.

    The site is built for the address it is served at (PAPERNOTES_SITE_URL), as it would be deployed:
    canonical links and sitemap.xml carry site_url's addresses.
    """
    for name in COPIED:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("refs-incoming"))
        else:
            shutil.copy(src, root / name)
    merge_incoming_refs(root)
    env = {**os.environ, "PAPERNOTES_SITE_URL": site_url}
    cmd = [sys.executable, "-m", "papernotes", "--root", str(root), "build"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if proc.returncode != 0:
        pytest.fail(f"papernotes build failed ({proc.returncode}):\n{(proc.stdout + proc.stderr)[-4000:]}", pytrace=False)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(base URL, site folder): the real notes built into a temporary copy, served by http.server on
    127.0.0.1 on a free port in a thread."""
    root = tmp_path_factory.mktemp("kb")
    site = root / "site"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        build_copy(root, base)
        yield base, site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site(served: tuple[str, Path]) -> Path:
    """The built site folder."""
    return served[1]


@pytest.fixture(scope="session")
def base_url(served: tuple[str, Path]) -> str:
    """The address the site is served at, ending in '/'."""
    return served[0]


@pytest.fixture(scope="session")
def notes(site: Path) -> list[dict[str, Any]]:
    """The records of notes.json, in reading order."""
    return json.loads((site / "notes.json").read_text(encoding="utf-8"))


# --- the browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright."""
    if not CHROMIUM.is_file():
        unavailable(f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is missing: install the dev extras (`./scripts/test` does)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's browser bundle, installed by `npm install` from package.json."""
    if not AXE.is_file():
        unavailable(f"axe-core not found at {AXE.relative_to(REPO)}: run `npm install` at the repository root")
    return AXE


@dataclass
class Tab:
    """One browser page with every request and every console error it produced."""

    page: Any
    base: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: str) -> None:
        """Load a page of the site and wait until the network is quiet (and the explorer drawn)."""
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        if urlsplit(self.base + path).path.rstrip("/").endswith("explore"):
            self.page.wait_for_selector("#pn-explorer[data-ready]")

    def heading(self, expected: str | None = None) -> str:
        """The text of the page's h1, without its permalink sign; with `expected`, wait until it shows
        (after a click, the URL may change before the new page's content is there)."""
        if expected is not None:
            self.page.wait_for_function(
                "t => { const h = document.querySelector('article h1'); return h && h.textContent.replace('¶', '').trim() === t; }",
                arg=expected,
            )
        return str(self.page.locator("h1").first.inner_text()).removesuffix("¶").strip()


def _open_tab(browser: Any, base_url: str, **options: Any) -> Iterator[Tab]:
    context = browser.new_context(viewport=VIEWPORT, service_workers="block", **options)
    page = context.new_page()
    tab = Tab(page, base_url)
    context.on("request", lambda request: tab.requests.append(request.url))
    page.on("console", lambda msg: tab.errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: tab.errors.append(f"page error: {exc}"))
    yield tab
    context.close()


@pytest.fixture()
def tab(browser: Any, base_url: str) -> Iterator[Tab]:
    """A fresh browser context (light colour scheme) on the served site."""
    yield from _open_tab(browser, base_url, color_scheme="light")


@pytest.fixture()
def dark_tab(browser: Any, base_url: str) -> Iterator[Tab]:
    """A fresh browser context that prefers the dark colour scheme."""
    yield from _open_tab(browser, base_url, color_scheme="dark")


@pytest.fixture()
def nojs_tab(browser: Any, base_url: str) -> Iterator[Tab]:
    """A fresh browser context with JavaScript turned off."""
    yield from _open_tab(browser, base_url, java_script_enabled=False)
