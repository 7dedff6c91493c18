"""Reading a note as a learner would, on a phone and on a desk: summary first, a table of contents,
previews of citations, highlighted bibliography entries, math without a CDN, charts in dark mode,
backlinks that are not repeated, and an explorer whose results come first."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1366, "height": 900}}
MATH_NOTE = "pretraining/scaling-laws-per-language/"
CHART_NOTE = "post-training/rl-training-settings/"
Notes = list[dict[str, Any]]


@pytest.fixture(params=sorted(SIZES))
def sized(request: pytest.FixtureRequest, browser: Any, base_url: str) -> Iterator[Any]:
    """A page at phone size and at desk size (light scheme)."""
    context = browser.new_context(viewport=SIZES[request.param], color_scheme="light", service_workers="block")
    page = context.new_page()
    yield page
    context.close()


def _open(page: Any, url: str) -> None:
    page.goto(url, wait_until="load")


def test_every_summary_is_on_the_first_screen(sized: Any, base_url: str, notes: Notes) -> None:
    """On a phone and on a desk, the summary paragraph right under a note's title ends inside the first screen."""
    height = sized.viewport_size["height"]
    late = []
    for note in notes:
        _open(sized, base_url + note["url"])
        box = sized.locator("article h1 + p").bounding_box()
        text = sized.locator("article h1 + p").inner_text()
        if box is None or box["y"] + box["height"] > height or text.strip() != note["summary"].strip():
            late.append((note["id"], box))
    assert late == []


def test_a_notes_contents_are_reachable_on_a_phone(browser: Any, base_url: str) -> None:
    """At 390 px, where Material hides its table of contents, the note's own "On this page" opens and leads to a section."""
    context = browser.new_context(viewport=SIZES["phone"], service_workers="block")
    page = context.new_page()
    _open(page, base_url + "open-problems/evaluating-agents/")
    assert not page.locator(".md-sidebar--secondary").is_visible()
    summary = page.locator("details.pn-contents > summary")
    assert summary.is_visible()
    summary.click()
    link = page.locator("details.pn-contents a").nth(2)
    target = link.get_attribute("href")
    link.click()
    page.wait_for_function(
        "id => { const r = document.getElementById(id).getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight / 2; }", arg=target.rpartition("#")[2]
    )
    context.close()


def test_the_contents_block_stays_out_of_the_way_on_a_desk(tab: Any) -> None:
    """On a desk, where Material's own table of contents shows, the note's copy is hidden."""
    tab.page.set_viewport_size(SIZES["desk"])
    tab.open("open-problems/evaluating-agents/")
    assert tab.page.locator(".md-sidebar--secondary .md-nav__link").first.is_visible()
    assert not tab.page.locator("details.pn-contents").is_visible()


def test_hovering_a_citation_shows_the_formatted_reference(tab: Any) -> None:
    """Hovering an inline citation shows a preview with the cited work's title and arXiv id."""
    tab.open("open-problems/evaluating-agents/")
    tab.page.locator("article a[href$='bibliography/#chen2021codex']").first.hover()
    tip = tab.page.locator(".md-tooltip2").filter(has_text="Evaluating Large Language Models Trained on Code")
    tip.wait_for(state="visible")
    assert "arXiv:2107.03374" in tip.inner_text()


def test_hovering_a_note_link_previews_its_summary(tab: Any, notes: Notes) -> None:
    """Hovering a link to another note previews that note's title and summary, not its collapsed blocks."""
    tab.open("open-problems/evaluating-agents/")
    target = next(n for n in notes if n["url"] == "evaluation/function-level-benchmarks/")
    tab.page.locator("article a[href$='evaluation/function-level-benchmarks/']").first.hover()
    tip = tab.page.locator(".md-tooltip2").filter(has_text=target["title"])
    tip.wait_for(state="visible")
    assert target["summary"][:60] in tip.inner_text()
    assert "About this note" not in tip.inner_text()


def test_following_a_citation_highlights_the_entry(tab: Any) -> None:
    """The bibliography entry a citation lands on has a background the other entries lack."""
    tab.open("open-problems/evaluating-agents/")
    tab.page.locator("article a[href$='bibliography/#chen2021codex']").first.click()
    tab.page.wait_for_url(re.compile("bibliography/#chen2021codex$"))
    style = "el => getComputedStyle(el.closest('li')).backgroundColor"
    landed = tab.page.locator("[id='chen2021codex']").evaluate(style)
    other = tab.page.locator("[id='wei2025swerl']").evaluate(style)
    assert landed != other and other == "rgba(0, 0, 0, 0)"


def test_math_is_mathml_and_nothing_comes_from_elsewhere(tab: Any, nojs_tab: Any) -> None:
    """The scaling-law note carries MathML (readable without JavaScript) and requests nothing off the machine."""
    tab.open(MATH_NOTE)
    assert tab.page.locator("article math[display=block]").count() == 1
    assert tab.page.locator("article math").count() >= 5
    assert [u for u in tab.requests if urlsplit(u).hostname not in {"127.0.0.1", None}] == []
    nojs_tab.open(MATH_NOTE)
    box = nojs_tab.page.locator("article math[display=block]").bounding_box()
    assert box is not None and box["width"] > 150


CONTRAST = """svg => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = c => { const v = rgb(c).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  let el = svg, bg = 'rgba(0, 0, 0, 0)';
  while (el && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) { bg = getComputedStyle(el).backgroundColor; el = el.parentElement; }
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(t => {
    const a = lum(getComputedStyle(t).fill), b = lum(bg);
    return [t.textContent, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), parseFloat(getComputedStyle(t).fontSize) * scale];
  });
}"""


def test_charts_read_in_dark_mode_on_a_phone(browser: Any, base_url: str) -> None:
    """In the dark scheme at 390 px, every chart's text has at least 4.5:1 contrast and is drawn at 12 px or more."""
    context = browser.new_context(viewport=SIZES["phone"], color_scheme="dark", service_workers="block")
    page = context.new_page()
    _open(page, base_url + CHART_NOTE)
    charts = page.locator(".pn-chart svg")
    assert charts.count() == 3
    for i in range(charts.count()):
        for text, ratio, size in charts.nth(i).evaluate(CONTRAST):
            assert ratio >= 4.5 and size >= 12, (text, ratio, size)
    context.close()


def test_no_note_lists_a_backlink_again_as_related(site: Path, notes: Notes) -> None:
    """ "Referenced by" and "Related notes" never name the same note, and neither repeats summaries."""
    section = re.compile(r'<h2 id="(referenced-by|related-notes)">.*?</h2>\s*<ul>(.*?)</ul>', re.S)
    for note in notes:
        page = (site / note["url"] / "index.html").read_text(encoding="utf-8")
        found = {name: set(re.findall(r'href="([^"#]+)"', body)) for name, body in section.findall(page)}
        assert not found.get("referenced-by", set()) & found.get("related-notes", set()), note["id"]
        for other in notes:
            if other["id"] != note["id"]:
                assert page.count(other["summary"][:80]) == 0, (note["id"], other["id"])


def test_backlinks_quote_the_linking_sentence(site: Path) -> None:
    """Each "Referenced by" entry quotes the sentence of the other note that links here."""
    page = (site / "open-problems" / "evaluating-agents" / "index.html").read_text(encoding="utf-8")
    block = page.split('id="referenced-by"', 1)[1].split("</ul>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", block, re.S)
    assert items and all("“" in i and "evaluating agents" in i.lower() for i in items)


def test_the_first_explorer_result_is_on_the_first_screen(sized: Any, base_url: str) -> None:
    """At both sizes the first result of the explorer is visible without scrolling."""
    _open(sized, base_url + "explore/")
    sized.wait_for_selector("#pn-explorer[data-ready]")
    box = sized.locator("#pn-explorer .pn-result").first.bounding_box()
    assert box is not None and box["y"] < sized.viewport_size["height"] - 40


def test_a_result_tag_chip_sets_the_tag_filter(tab: Any, notes: Notes) -> None:
    """Clicking a tag chip in a result ticks that tag and filters the results on it."""
    tab.open("explore/")
    note = notes[0]
    tag = note["tags"][-1]
    tab.page.locator(f"#pn-explorer [data-note-id='{note['id']}'] button.pn-chip", has_text=re.compile(f"^{re.escape(tag)}$")).click()
    assert tab.page.is_checked(f"#pn-tag-{tag}")
    shown = tab.page.eval_on_selector_all("#pn-explorer [data-note-id]", "els => els.map(e => e.dataset.noteId)")
    assert shown == [n["id"] for n in notes if tag in n["tags"]]
    assert f"tags={tag}" in tab.page.url


def test_zero_count_options_are_hidden(tab: Any, notes: Notes) -> None:
    """With a tag chosen, tags that would leave no note are hidden; chosen ones stay."""
    tag = notes[0]["tags"][0]
    tab.open(f"explore/?tags={tag}")
    counts = tab.page.eval_on_selector_all("#pn-explorer label.pn-choice", "els => els.filter(e => !e.hidden).map(e => e.textContent)")
    assert counts and not [c for c in counts if c.endswith("(0)")]
    assert tab.page.locator(f"label[for=pn-tag-{tag}]").is_visible()


def test_a_tag_page_links_to_the_explorer_filtered_on_it(tab: Any, notes: Notes) -> None:
    """A tag page's explorer link opens the explorer with that tag ticked."""
    tag = notes[0]["tags"][0]
    tab.open(f"tags/{tag}/")
    tab.page.click("article a[href*='explore/?tags=']")
    tab.page.wait_for_selector("#pn-explorer[data-ready]")
    assert tab.page.is_checked(f"#pn-tag-{tag}")


def test_the_sidebar_shows_where_a_note_sits_and_the_drawer_leads_to_its_sections(browser: Any, base_url: str) -> None:
    """On a phone, the drawer marks the note's part and lists the note and its sections; a section link scrolls there."""
    context = browser.new_context(viewport=SIZES["phone"], service_workers="block")
    page = context.new_page()
    _open(page, base_url + "open-problems/evaluating-agents/")
    page.click(".md-header label[for=__drawer]")
    part = page.locator(".md-sidebar--primary a.md-nav__link[aria-current=location]")
    assert part.inner_text().strip() == "Open problems"
    place = page.locator(".md-sidebar--primary .pn-place a")
    assert place.first.inner_text() == "Evaluating code agents"
    section = place.filter(has_text="Four difficulties")
    section.click()
    page.wait_for_function(
        "() => { const r = document.getElementById('four-difficulties').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight / 2; }"
    )
    context.close()


def test_breadcrumbs_lead_from_a_note_to_its_part(tab: Any) -> None:
    """A note's breadcrumbs read Home › part, and the part link opens the part's page."""
    tab.open("open-problems/evaluating-agents/")
    crumbs = tab.page.locator("article .pn-crumbs")
    assert crumbs.inner_text().startswith("Home › Open problems")
    crumbs.locator("a", has_text="Open problems").click()
    assert tab.heading("Open problems") == "Open problems"


def test_the_screenshot_script_writes_every_size_and_scheme(browser: Any, base_url: str, tmp_path: Path) -> None:
    """scripts/screenshots writes one PNG per page, size (390x844, 1366x900) and scheme (light, dark)."""
    from tests.browser.screenshots import shoot

    written = shoot(browser, base_url, tmp_path, {"home": ""}, False)
    assert sorted(p.name for p in written) == sorted(f"home-{size}-{scheme}.png" for size in SIZES for scheme in ("light", "dark"))
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in written)
