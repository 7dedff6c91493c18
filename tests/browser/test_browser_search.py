"""Material's search in the browser: text, tags and ranking, with terms picked from the built index."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

MAX_SHOWN = 8  # Material draws the first ten pages of results; stay below so every expected page is drawn


def page_texts(index: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Per page of the index: its headings and tags ('heads') and its plain text, casefolded."""
    pages: dict[str, dict[str, str]] = defaultdict(lambda: {"heads": "", "text": ""})
    for doc in index["docs"]:
        entry = pages[doc["location"].partition("#")[0]]
        entry["heads"] += " " + " ".join([doc["title"], *doc.get("tags", [])]).casefold()
        entry["text"] += " " + html.unescape(re.sub(r"<[^>]+>", " ", doc["text"])).casefold()
    return pages


def pages_with(pages: dict[str, dict[str, str]], word: str) -> list[str]:
    return sorted(url for url, p in pages.items() if word in p["heads"] or word in p["text"])


def unique_term(notes: list[dict[str, Any]], pages: dict[str, dict[str, str]]) -> tuple[str, str]:
    """A lowercase word of 8+ letters found on one page of the whole site, and that page a note."""
    for note in notes:
        for word in sorted(set(re.findall(r"\b[a-z]{8,}\b", pages[note["url"]]["text"]))):
            if pages_with(pages, word) == [note["url"]]:
                return word, note["url"]
    pytest.fail("no word of the index occurs on exactly one note")


def title_term(notes: list[dict[str, Any]], pages: dict[str, dict[str, str]]) -> tuple[str, str, list[str]]:
    """A word in one note's title and in no other heading or tag, but in the text of other notes.

    Returns the word, the note whose title has it, and the notes that only mention it (fewest hits first).
    """
    urls = {n["url"] for n in notes}
    found = []
    for note in notes:
        for word in set(re.findall(r"\b[a-z]{5,}\b", note["title"].casefold())):
            hits = pages_with(pages, word)
            titled = [u for u in hits if word in pages[u]["heads"]]
            mentions = [u for u in hits if u in urls and u not in titled]
            if titled == [note["url"]] and mentions:
                found.append((len(hits), word, note["url"], mentions))
    if not found:
        pytest.fail("no title word is also mentioned in passing by another note")
    _, word, url, mentions = min(found)
    return word, url, mentions


def tag_to_search(notes: list[dict[str, Any]], hyphenated: bool) -> str:
    """The most-used tag with 2 to MAX_SHOWN notes whose words are not all inside another tag's name."""
    counts: dict[str, int] = defaultdict(int)
    for note in notes:
        for tag in note["tags"]:
            counts[tag] += 1
    words = {t: set(t.split("-")) for t in counts}
    fits = [t for t, n in counts.items() if 2 <= n <= MAX_SHOWN and ("-" in t) == hyphenated and not any(o != t and words[t] <= words[o] for o in counts)]
    if not fits:
        pytest.fail(f"no {'hyphenated ' if hyphenated else ''}tag with 2 to {MAX_SHOWN} notes")
    return min(fits, key=lambda t: (-counts[t], t))


def search(tab: Any, term: str) -> list[str]:
    """Type a query into Material's search box on the home page; the result pages, best first."""
    from playwright.sync_api import expect

    tab.open("")
    box = tab.page.locator("input.md-search__input")
    box.click()
    box.fill(term)
    box.press("End")  # Material reads the query on keyup
    expect(tab.page.locator(".md-search-result__meta")).to_have_text(re.compile("matching document"))
    hrefs = tab.page.eval_on_selector_all("li.md-search-result__item > a.md-search-result__link", "els => els.map(e => e.href)")
    seen: list[str] = []
    for href in hrefs:
        path = urlsplit(href).path.removeprefix("/")
        if path not in seen:
            seen.append(path)
    return seen


def test_search_finds_the_note_with_a_rare_term(tab: Any, notes: list[dict[str, Any]], search_index: dict[str, Any]) -> None:
    """Searching a word that occurs in one note only returns that note first."""
    word, url = unique_term(notes, page_texts(search_index))
    results = search(tab, word)
    assert results[:1] == [url], f"search for {word!r}: {results}"


@pytest.mark.parametrize("hyphenated", [False, True], ids=["one-word-tag", "hyphenated-tag"])
def test_search_for_a_tag_lists_its_notes_first(tab: Any, notes: list[dict[str, Any]], hyphenated: bool) -> None:
    """Typing a tag name returns every note that carries it, ahead of any other note."""
    tag = tag_to_search(notes, hyphenated)
    tagged = {n["url"] for n in notes if tag in n["tags"]}
    urls = {n["url"] for n in notes}
    found = [r for r in search(tab, tag) if r in urls]
    assert set(found[: len(tagged)]) == tagged, f"search for tag {tag!r}: notes found {found}, tagged {sorted(tagged)}"


def test_a_title_match_ranks_above_passing_mentions(tab: Any, notes: list[dict[str, Any]], search_index: dict[str, Any]) -> None:
    """A note whose title has the term comes before notes that only mention it in their text."""
    word, url, mentions = title_term(notes, page_texts(search_index))
    results = search(tab, word)
    assert results[:1] == [url], f"search for {word!r}: {results}"
    assert set(mentions) & set(results), f"search for {word!r} shows none of the notes that mention it: {results}"
