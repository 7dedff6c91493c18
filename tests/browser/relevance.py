"""The judged query set (search_queries.yaml) and its scores: hit@3 and MRR, from result lists typed key by key.

`type_query` drives a search box as a reader does; the engine's selectors say where its box and results are,
so the same queries score Pagefind (the site's search) and Material's former search alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

QUERIES = Path(__file__).with_name("search_queries.yaml")
DEPTH = 10  # results read per query; a first accepted note further down scores 0


@dataclass(frozen=True)
class Judged:
    """One query and the notes a reader would accept for it."""

    query: str
    kind: str
    accept: frozenset[str]


def load_queries(path: Path = QUERIES) -> list[Judged]:
    """The judged queries of the data file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Judged(q["query"], q["kind"], frozenset(q["accept"])) for q in raw["queries"]]


def first_hit(results: list[str], accept: frozenset[str]) -> int | None:
    """The 1-based rank of the first accepted result within DEPTH, or None."""
    for rank, url in enumerate(results[:DEPTH], 1):
        if url in accept:
            return rank
    return None


def scores(ranks: list[int | None]) -> tuple[float, float]:
    """(hit@3, MRR) over the first-hit ranks of every query."""
    if not ranks:
        return 0.0, 0.0
    hits = sum(1 for r in ranks if r is not None and r <= 3)
    return hits / len(ranks), sum(1 / r for r in ranks if r is not None) / len(ranks)


def site_paths(hrefs: list[str], base: str) -> list[str]:
    """Result links as site paths ('agents/x/'), anchors dropped, duplicates removed, order kept."""
    prefix = urlsplit(base).path
    seen: list[str] = []
    for href in hrefs:
        path = urlsplit(href).path.removeprefix(prefix)
        if path not in seen:
            seen.append(path)
    return seen


# --- engines -------------------------------------------------------------------------------------

RESULT_LINK = ".pn-search__result-link"


def open_pagefind(page: Any) -> Any:
    """Focus the header box (which loads Pagefind's engine) and return it."""
    box = page.locator(".pn-search__input")
    box.click()
    page.locator(".pn-search__panel").wait_for(state="visible")
    return box


def pagefind_results(page: Any, box: Any, query: str) -> list[str]:
    """Clear the box, type `query` key by key, wait for its results, and return their links."""
    box.press("Control+a")
    box.press("Backspace")
    box.press_sequentially(query, delay=30)
    message = page.locator(".pn-search__message")
    page.wait_for_function(
        "q => { const m = document.querySelector('.pn-search__message'); return m && m.textContent.includes('\u201c' + q + '\u201d'); }",
        arg=query,
    )
    if message.inner_text().startswith("No notes"):
        return []
    return list(page.eval_on_selector_all(RESULT_LINK, "els => els.map(e => e.href)"))


def material_results(page: Any, query: str) -> list[str]:
    """Material's former search: type key by key (it reads keyup), wait until the list stops changing."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press("Control+a")
    box.press("Backspace")
    box.press_sequentially(query, delay=30)
    page.locator(".md-search-result__meta").filter(has_text=re.compile("match")).wait_for()
    last: list[str] = []
    for _ in range(20):
        page.wait_for_timeout(150)
        now = list(page.eval_on_selector_all("li.md-search-result__item > a.md-search-result__link", "els => els.map(e => e.href)"))
        if now == last:
            return now
        last = now
    return last
