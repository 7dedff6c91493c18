"""Screenshots of the built site for a reviewer: each page at phone and desk sizes, light and dark.

Run by `scripts/screenshots`. It builds the real notes into a temporary folder (as the browser tests
do), serves them on 127.0.0.1 and drives Debian's Chromium with Playwright. Nothing is fetched.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, REPO, _QuietHandler, build_copy  # noqa: E402

PAGES = {"home": "", "note": "open-problems/evaluating-agents/", "explorer": "explore/", "survey-map": "survey/"}
PREVIEWS = {"note": "article a[href$='evaluation/function-level-benchmarks/']"}  # also shot with this link's preview open
SIZES = {"phone": (390, 844), "desk": (1366, 900)}
SCHEMES = ("light", "dark")


def shoot(browser: Any, base: str, out: Path, pages: dict[str, str], full: bool) -> list[Path]:
    """One PNG per page, size and scheme; the first screen only unless `full`. The default note is shot again with a
    link preview open (the screen around the link)."""
    written = []
    for scheme in SCHEMES:
        for size, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme, service_workers="block")
            page = context.new_page()
            for name, path in pages.items():
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                target = out / f"{name}-{size}-{scheme}.png"
                page.screenshot(path=str(target), full_page=full)
                written.append(target)
                if name in PREVIEWS and path == PAGES[name]:
                    page.locator(PREVIEWS[name]).first.hover()
                    page.locator(".md-tooltip2--active").wait_for()
                    page.wait_for_timeout(500)  # the preview's fade-in
                    target = out / f"{name}-preview-{size}-{scheme}.png"
                    page.screenshot(path=str(target))
                    written.append(target)
                    page.mouse.move(0, 0)
            context.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """Build, serve, shoot, print the files written."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "build" / "screenshots")
    parser.add_argument("--pages", nargs="*", help="site paths to shoot instead of the four default pages")
    parser.add_argument("--full", action="store_true", help="the whole page, not only the first screen")
    args = parser.parse_args(argv)
    pages = {p.strip("/").replace("/", "-") or "home": p for p in args.pages} if args.pages else PAGES
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root / "site")))
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            build_copy(root, base)
            from playwright.sync_api import sync_playwright

            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                for path in shoot(browser, base, args.out, pages, args.full):
                    print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
