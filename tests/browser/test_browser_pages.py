"""Six kinds of page in the browser: tag chips, no console errors, no other hosts, no serious axe violations."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

PAGES = ["home", "note", "chart-note", "tag", "explorer", "survey-map"]
BLOCKING = {"serious", "critical"}
CHART_NOTE = "post-training/rl-training-settings/"  # charts, a table and citations


def page_path(kind: str, notes: list[dict[str, Any]]) -> str:
    """The home page, the first note, the page of its first tag, the explorer, the survey map."""
    note = next(n for n in notes if n["tags"])
    return {"home": "", "note": note["url"], "tag": f"tags/{note['tags'][0]}/", "explorer": "explore/", "survey-map": "survey/", "chart-note": CHART_NOTE}[kind]


def test_a_tag_chip_leads_to_the_tag_page(tab: Any, notes: list[dict[str, Any]]) -> None:
    """Clicking the first tag chip of a note (in its "About this note" block) opens that tag's page."""
    note = next(n for n in notes if n["tags"])
    tab.open(note["url"])
    tab.page.click("details.pn-about > summary")
    chip = tab.page.locator(".pn-tags a").first
    assert chip.inner_text() == note["tags"][0]
    chip.click()
    tab.page.wait_for_url(f"{tab.base}tags/{note['tags'][0]}/")
    assert tab.heading(f"Tag: {note['tags'][0]}") == f"Tag: {note['tags'][0]}"


@pytest.mark.parametrize("kind", PAGES)
def test_pages_load_without_errors_or_other_hosts(tab: Any, notes: list[dict[str, Any]], kind: str) -> None:
    """The page logs no console error and requests nothing from any host but 127.0.0.1."""
    tab.open(page_path(kind, notes))
    tab.page.locator(".pn-search__input").click()  # load the search engine, then its index with a query
    tab.page.locator(".pn-search__input").press_sequentially("agents")
    tab.page.locator(".pn-search__result-link").first.wait_for()
    tab.page.wait_for_load_state("networkidle")
    foreign = [u for u in tab.requests if urlsplit(u).scheme not in {"data", "blob"} and urlsplit(u).hostname != "127.0.0.1"]
    assert tab.requests, "no request was recorded"
    assert foreign == []
    assert tab.errors == []


def axe_violations(tab: Any, axe_script: Path, *, every: bool = False) -> list[str]:
    """axe-core's serious and critical violations on the open page (of any impact with `every`), one line each."""
    tab.page.add_script_tag(path=str(axe_script))
    found = tab.page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(' '.join(n['target']) for n in v['nodes'][:5])}"
        for v in found
        if every or v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("kind", PAGES)
def test_pages_have_no_serious_accessibility_violations(tab: Any, axe_script: Path, notes: list[dict[str, Any]], kind: str) -> None:
    """axe-core finds no serious or critical violation in the light colour scheme."""
    tab.open(page_path(kind, notes))
    assert axe_violations(tab, axe_script) == []


@pytest.mark.parametrize("kind", PAGES)
def test_dark_pages_have_no_serious_accessibility_violations(dark_tab: Any, axe_script: Path, notes: list[dict[str, Any]], kind: str) -> None:
    """axe-core finds no serious or critical violation in the dark colour scheme either."""
    dark_tab.open(page_path(kind, notes))
    assert axe_violations(dark_tab, axe_script) == []


def test_a_filtered_explorer_has_no_serious_accessibility_violations(tab: Any, axe_script: Path, notes: list[dict[str, Any]]) -> None:
    """With tags ticked and chips highlighted, the explorer still passes axe-core."""
    note = next(n for n in notes if len(n["tags"]) >= 2)
    tab.open(f"explore/?tags={note['tags'][0]},{note['tags'][1]}&op=or")
    assert tab.page.locator("#pn-explorer .pn-chip-on").count() > 0
    assert axe_violations(tab, axe_script) == []
