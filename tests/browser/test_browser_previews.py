"""Link previews (assets/preview.js) in the browser: no sitemap on the first visit, the keyboard, what a
preview may carry, #hash sections, axe-core with a preview open, and a site served under a sub-path.

The two oldest preview tests (a citation, a note's summary) live in test_browser_reading.py."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import _QuietHandler
from .test_browser_pages import axe_violations

pytestmark = pytest.mark.browser

NOTE = "open-problems/evaluating-agents/"
LINKED = "evaluation/function-level-benchmarks/"  # a note linked from NOTE's text
TIP = ".md-tooltip2--active"
Notes = list[dict[str, Any]]


def note(notes: Notes, url: str) -> dict[str, Any]:
    return next(n for n in notes if n["url"] == url)


def test_the_first_visit_to_a_note_fetches_no_sitemap(tab: Any) -> None:
    """Loading a note page requests no sitemap.xml (the previews do not need it), and nothing off the served origin."""
    tab.open(NOTE)
    tab.page.wait_for_timeout(500)  # anything a script would fetch after the load
    tab.page.wait_for_load_state("networkidle")
    paths = [urlsplit(u).path for u in tab.requests]
    assert tab.base + "assets/preview.js" in tab.requests, "the preview script was not loaded"
    assert [p for p in paths if p.endswith("sitemap.xml")] == []
    origin = urlsplit(tab.base).netloc
    assert [u for u in tab.requests if urlsplit(u).scheme not in {"data", "blob"} and urlsplit(u).netloc != origin] == []


def test_tab_to_a_note_link_previews_it_and_escape_hides_it(tab: Any, notes: Notes) -> None:
    """Reaching a link to another note with Tab opens its preview (the link then controls a dialog); Escape closes it,
    and so does leaving the link."""
    urls = {tab.base + n["url"]: n for n in notes if n["url"] != NOTE}
    tab.open(NOTE)
    found = None
    for _ in range(200):
        tab.page.keyboard.press("Tab")
        href = tab.page.evaluate("() => { const a = document.activeElement; return a && a.closest('article') && a.href ? a.href : null; }")
        if href in urls:
            found = urls[href]
            break
    assert found is not None, "Tab never reached a link to another note"
    tip = tab.page.locator(TIP).filter(has_text=found["title"])
    tip.wait_for(state="visible")
    assert found["summary"][:60] in tip.inner_text()
    link = tab.page.locator(":focus")
    assert link.get_attribute("aria-haspopup") == "dialog"
    assert link.get_attribute("aria-controls") == tip.get_attribute("id")
    assert tip.get_attribute("role") == "dialog"
    tab.page.keyboard.press("Escape")
    tab.page.locator(".md-tooltip2").wait_for(state="detached")
    assert link.get_attribute("aria-controls") is None and link.get_attribute("aria-haspopup") is None
    tab.page.keyboard.press("Shift+Tab")
    tab.page.keyboard.press("Tab")  # back on the link: the preview opens again
    tip.wait_for(state="visible")
    link.evaluate("a => a.blur()")
    tab.page.locator(".md-tooltip2").wait_for(state="detached")
    assert tab.errors == []


HOSTILE = """<!doctype html><html><head><script>window.pnRan = 'head'</script></head><body><article>
<h1 id="t" onclick="window.pnRan = 'h1'">Hostile title<a class="headerlink" href="#t">¶</a></h1>
<p id="summary" style="position: fixed; inset: 0" onmouseover="window.pnRan = 'p'">A summary with <a href="../other/" id="rel">a relative link</a>
<img src="pixel.png" onerror="window.pnRan = 'img'" alt="pixel"><script>window.pnRan = 'script'</script>
<style>body { display: none }</style><iframe src="about:blank"></iframe><object data="x"></object></p>
<h2 id="next">Next section</h2><p>Not previewed.</p></article></body></html>"""


def test_a_preview_carries_no_id_no_script_and_no_handler(tab: Any) -> None:
    """Whatever the linked page holds, its preview has no id, script, style, iframe, object, on* or style attribute, runs
    nothing, and its relative addresses are made absolute; a citation's entry loses its id too."""
    tab.open(NOTE)
    tab.page.route(tab.base + LINKED, lambda route: route.fulfill(status=200, content_type="text/html", body=HOSTILE))
    tab.page.locator(f"article a[href$='{LINKED}']").first.hover()
    tip = tab.page.locator(TIP).filter(has_text="Hostile title")
    tip.wait_for(state="visible")
    tab.page.wait_for_timeout(300)  # let an image's error fire, were there a handler left
    inner = tip.locator(".md-tooltip2__inner")
    assert "A summary with" in inner.inner_text() and "Not previewed" not in inner.inner_text()
    assert inner.locator("[id], [style], script, style, iframe, object, .headerlink").count() == 0
    handlers = inner.evaluate("el => [el, ...el.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'))")
    assert handlers == []
    assert inner.locator("a", has_text="a relative link").get_attribute("href") == tab.base + "evaluation/other/"
    assert inner.locator("img").get_attribute("src") == tab.base + LINKED + "pixel.png"
    inner.hover()
    assert tab.page.evaluate("window.pnRan") is None
    tab.page.mouse.move(2, 2)
    tab.page.locator(".md-tooltip2").wait_for(state="detached")
    tab.page.locator("article a[href$='bibliography/#chen2021codex']").first.hover()
    cite = tab.page.locator(TIP).filter(has_text="Evaluating Large Language Models Trained on Code")
    cite.wait_for(state="visible")
    assert cite.locator(".pn-ref").count() == 1
    assert cite.locator(".md-tooltip2__inner [id], .md-tooltip2__inner script").count() == 0


def test_a_link_with_a_hash_previews_that_section(tab: Any) -> None:
    """A §3.4 link (survey/#s3-4) previews that entry of the survey map, not the map's title."""
    tab.open(NOTE)
    tab.page.locator("article p a[href$='survey/#s3-4']").first.hover()
    tip = tab.page.locator(TIP)
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert "Agentic Systems" in text and "Evaluating code agents" in text
    assert "Survey map" not in text and "3.3" not in text and "4 Alignment" not in text


def test_a_preview_stays_while_the_pointer_is_on_it_and_axe_finds_nothing(tab: Any, axe_script: Path, notes: Notes) -> None:
    """The preview stays open while the pointer moves from the link onto it, and axe-core then finds no violation
    of any impact on the page (the preview's dialog included); it closes once the pointer leaves both."""
    target = note(notes, LINKED)
    tab.open(NOTE)
    tab.page.locator(f"article a[href$='{LINKED}']").first.hover()
    tip = tab.page.locator(TIP).filter(has_text=target["title"])
    tip.wait_for(state="visible")
    tip.locator("h3").hover()  # off the link (whose hover colour is Material's), onto the preview
    tab.page.wait_for_timeout(600)
    assert tip.is_visible()
    assert axe_violations(tab, axe_script, every=True) == []
    tab.page.mouse.move(2, 2)
    tab.page.locator(".md-tooltip2").wait_for(state="detached")


@pytest.fixture()
def subpath(site: Path, tmp_path: Path) -> Iterator[str]:
    """The built site served again at /repo/ of another port, as on a project page."""
    (tmp_path / "repo").symlink_to(site, target_is_directory=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(tmp_path)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/repo/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_previews_work_under_a_sub_path(tab: Any, subpath: str, notes: Notes) -> None:
    """Served under /repo/, a note link still previews its note, fetched from under /repo/; a link to a page of the
    same host outside /repo/ is not this site's and is neither fetched nor previewed."""
    target = note(notes, LINKED)
    outside = subpath.removesuffix("repo/") + "elsewhere/"
    tab.page.route(outside, lambda route: route.fulfill(status=200, content_type="text/html", body="<article><h1>Elsewhere</h1><p>Not ours.</p></article>"))
    tab.page.goto(subpath + NOTE)
    tab.page.wait_for_load_state("networkidle")
    tab.page.locator(f"article a[href$='{LINKED}']").first.hover()
    tab.page.locator(TIP).filter(has_text=target["title"]).wait_for(state="visible")
    assert subpath + LINKED in tab.requests
    tab.page.mouse.move(2, 2)
    tab.page.locator(".md-tooltip2").wait_for(state="detached")
    tab.page.evaluate(
        "() => { const a = document.createElement('a'); a.href = '/elsewhere/'; a.id = 'pn-test-outside'; a.textContent = 'outside'; document.querySelector('article h1 + p').append(' ', a); }"
    )
    tab.page.locator("#pn-test-outside").hover()
    tab.page.wait_for_timeout(1000)
    assert tab.page.locator(".md-tooltip2").count() == 0
    assert outside not in tab.requests
