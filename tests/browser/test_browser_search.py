"""The site search (Pagefind) in the browser: text, tags, ranking, filters, the "/" shortcut, what it loads,
and the judged query set's hit@3 and MRR."""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from .relevance import first_hit, load_queries, open_pagefind, pagefind_results, scores, site_paths

pytestmark = pytest.mark.browser

MAX_SHOWN = 8  # the search box shows eight results at first; stay at or below so every expected note is drawn
HIT_AT_3 = 0.9
MRR = 0.8


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).casefold()


def indexed_texts(site: Path, notes: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Per note: its title and tags ('heads') and the text Pagefind indexes: its search document in build/search/
    (inside data-pagefind-body), which the build writes beside site/."""
    pages = {}
    documents = site.parent / "build" / "search"
    for note in notes:
        html = (documents / note["url"] / "index.html").read_text(encoding="utf-8")
        body = html.split("data-pagefind-body", 1)[1]
        pages[note["url"]] = {"heads": " ".join([note["title"], *note["tags"]]).casefold(), "text": _text(body)}
    return pages


def pages_with(pages: dict[str, dict[str, str]], word: str) -> list[str]:
    return sorted(url for url, p in pages.items() if word in p["heads"] or word in p["text"])


def unique_term(notes: list[dict[str, Any]], pages: dict[str, dict[str, str]]) -> tuple[str, str]:
    """A lowercase word of 8+ letters found in the indexed text of one note only."""
    for note in notes:
        for word in sorted(set(re.findall(r"\b[a-z]{8,}\b", pages[note["url"]]["text"]))):
            if pages_with(pages, word) == [note["url"]]:
                return word, note["url"]
    pytest.fail("no word of the index occurs in exactly one note")


def title_term(notes: list[dict[str, Any]], pages: dict[str, dict[str, str]]) -> tuple[str, str, list[str]]:
    """A word in one note's title and in no other title or tag, but in the text of other notes.

    Returns the word, the note whose title has it, and the notes that only mention it.
    """
    found = []
    for note in notes:
        for word in set(re.findall(r"\b[a-z]{5,}\b", note["title"].casefold())):
            hits = pages_with(pages, word)
            titled = [u for u in hits if re.search(rf"\b{word}\b", pages[u]["heads"])]
            mentions = [u for u in hits if u not in titled]
            if titled == [note["url"]] and mentions and all(re.search(rf"\b{word}\b", pages[u]["text"]) for u in mentions):
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
    """Type a query key by key into the header's search box on the home page; the result pages, best first."""
    tab.open("")
    box = open_pagefind(tab.page)
    return site_paths(pagefind_results(tab.page, box, term), tab.base)


def test_search_finds_the_note_with_a_rare_term(tab: Any, site: Path, notes: list[dict[str, Any]]) -> None:
    """Searching a word that occurs in one note only returns that note first."""
    word, url = unique_term(notes, indexed_texts(site, notes))
    results = search(tab, word)
    assert results[:1] == [url], f"search for {word!r}: {results}"


@pytest.mark.parametrize("hyphenated", [False, True], ids=["one-word-tag", "hyphenated-tag"])
def test_search_for_a_tag_lists_its_notes_first(tab: Any, notes: list[dict[str, Any]], hyphenated: bool) -> None:
    """Typing a tag name returns every note that carries it, ahead of any other note."""
    tag = tag_to_search(notes, hyphenated)
    tagged = {n["url"] for n in notes if tag in n["tags"]}
    found = search(tab, tag)
    assert set(found[: len(tagged)]) == tagged, f"search for tag {tag!r}: notes found {found}, tagged {sorted(tagged)}"


def test_a_title_match_ranks_above_passing_mentions(tab: Any, site: Path, notes: list[dict[str, Any]]) -> None:
    """A note whose title has the term comes before notes that only mention it in their text."""
    word, url, mentions = title_term(notes, indexed_texts(site, notes))
    results = search(tab, word)
    assert results[:1] == [url], f"search for {word!r}: {results}"
    assert set(mentions) & set(results), f"search for {word!r} shows none of the notes that mention it: {results}"


def test_backlinks_and_related_notes_are_not_indexed(tab: Any, site: Path, notes: list[dict[str, Any]]) -> None:
    """A note is not found by the title of a note that only appears in its "Referenced by" or "Related notes"."""
    pages = indexed_texts(site, notes)
    for note in notes:
        html = (site / note["url"] / "index.html").read_text(encoding="utf-8")
        links = html.split('class="pn-links"', 1)[1] if 'class="pn-links"' in html else ""
        for word in sorted(set(re.findall(r"\b[a-z]{9,}\b", _text(links)))):
            stem = word[:6]  # Pagefind stems words ('documents' finds 'document'): no word of the page may share the stem
            if stem not in pages[note["url"]]["text"] and stem not in pages[note["url"]]["heads"] and any(word in p["text"] for p in pages.values()):
                results = search(tab, word)
                assert results, f"search for {word!r} found nothing"
                assert note["url"] not in results, f"{note['url']} found by {word!r}, a word only in its link lists"
                return
    pytest.fail("no word occurs only in a note's link lists")


def test_a_filter_narrows_results_to_its_notes(tab: Any, notes: list[dict[str, Any]]) -> None:
    """Ticking a part in the search's filters keeps only that part's notes, the same ones as notes.json."""
    part_notes = {n["url"] for n in notes if n["part"] == "agents"}
    tab.open("")
    box = open_pagefind(tab.page)
    results = site_paths(pagefind_results(tab.page, box, "agents"), tab.base)
    assert set(results) - part_notes, "the unfiltered query should find notes of other parts too"
    tab.page.locator(".pn-search__filters summary").click()
    group = tab.page.locator(".pn-search__group", has_text=re.compile("part", re.IGNORECASE))
    group.locator(".pn-search__value", has_text=re.compile(r"^\s*Agents\b")).locator("input").check()
    tab.page.wait_for_function(
        "urls => [...document.querySelectorAll('.pn-search__result-link')].length > 0 && [...document.querySelectorAll('.pn-search__result-link')].every(a => urls.some(u => a.href.endsWith(u)))",
        arg=sorted(part_notes),
    )
    filtered = site_paths(tab.page.eval_on_selector_all(".pn-search__result-link", "els => els.map(e => e.href)"), tab.base)
    assert filtered and set(filtered) <= part_notes


def test_slash_focuses_the_search_box(tab: Any, notes: list[dict[str, Any]]) -> None:
    """Pressing "/" on a note page puts the cursor in the header's search box, ready to type."""
    tab.open(notes[0]["url"])
    tab.page.locator("body").press("/")
    box = tab.page.locator(".pn-search__input")
    box.wait_for(state="visible")
    tab.page.wait_for_function("() => document.activeElement && document.activeElement.classList.contains('pn-search__input')")
    assert box.input_value() == ""


def test_a_note_page_loads_no_search_until_the_reader_searches(tab: Any, notes: list[dict[str, Any]]) -> None:
    """The first visit to a note fetches nothing of the search; focusing the box loads it from the site itself."""
    tab.open(notes[0]["url"])
    assert [u for u in tab.requests if "/pagefind/" in u] == []
    search_results = site_paths(pagefind_results(tab.page, open_pagefind(tab.page), "agents"), tab.base)
    assert search_results
    loaded = [u for u in tab.requests if "/pagefind/" in u]
    assert any(u.endswith("pagefind.js") for u in loaded) and any(".pf_" in u for u in loaded)
    assert all(u.startswith(tab.base + "pagefind/") for u in loaded)


SEARCH_JS = """async ([bundle, term]) => {
    const pagefind = await import(bundle);
    return (await pagefind.search(term)).results.length;
}"""


def _chunks_fetched(browser: Any, base_url: str, term: str, *, typed: bool) -> set[str]:
    """The index chunks a fresh page fetches for `term`: typed key by key into the search box, or one search
    through Pagefind's API."""
    context = browser.new_context(service_workers="block")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))  # the engine's worker fetches too
    try:
        page = context.new_page()
        page.goto(base_url)
        page.wait_for_load_state("networkidle")
        if typed:
            pagefind_results(page, open_pagefind(page), term)
        else:
            page.evaluate(SEARCH_JS, [base_url + "pagefind/pagefind.js", term])
        return {u.partition("?")[0] for u in requests if ".pf_index" in u}
    finally:
        context.close()


TYPED = ("contamination", "tool use", "repository agents")


def test_typing_loads_only_the_index_chunks_of_the_final_query(browser: Any, base_url: str) -> None:
    """Typing a query key by key fetches the index chunks that one search for it needs, not those of every prefix
    on the way ("c", "co", …), which Pagefind's debouncedSearch preloads: at 10,000 notes that tripled a query's bytes."""
    spans_chunks = False
    for term in TYPED:
        direct = _chunks_fetched(browser, base_url, term, typed=False)
        spans_chunks = spans_chunks or not _chunks_fetched(browser, base_url, term[0], typed=False) <= direct
        typed = _chunks_fetched(browser, base_url, term, typed=True)
        assert direct and typed == direct, f"{term!r}: typed {sorted(typed)}; one search needs {sorted(direct)}"
    assert spans_chunks, f"no query of {TYPED} has a first letter whose words sit in other chunks: pick another"


def _judge(tab: Any) -> tuple[list[int | None], list[str], int]:
    """Type every judged query into the box of a fresh page: the first-hit ranks, the misses of the top 3, and how
    many queries the box shortened (left a common word out of)."""
    tab.open("")
    box = open_pagefind(tab.page)
    ranks, misses, shortened = [], [], 0
    for judged in load_queries():
        results = site_paths(pagefind_results(tab.page, box, judged.query), tab.base)
        shortened += "search left" in _matches(tab.page)
        rank = first_hit(results, judged.accept)
        ranks.append(rank)
        if rank is None or rank > 3:
            misses.append(f"{judged.query!r} ({judged.kind}): first accepted at {rank}, top 3 {results[:3]}")
    return ranks, misses, shortened


def test_judged_queries_reach_hit_at_3_and_mrr(tab: Any) -> None:
    """Every judged query typed key by key: hit@3 at least 90% and MRR at least 0.8 (both printed)."""
    ranks, misses, _ = _judge(tab)
    hit3, mrr = scores(ranks)
    print(f"\nsearch relevance over {len(ranks)} judged queries: hit@3 {hit3:.1%}, MRR {mrr:.3f}")
    for line in misses:
        print("  miss:", line)
    assert len(ranks) >= 30
    assert hit3 >= HIT_AT_3, f"hit@3 {hit3:.1%} < {HIT_AT_3:.0%}; misses: {misses}"
    assert mrr >= MRR, f"MRR {mrr:.3f} < {MRR}; misses: {misses}"


def _serve_common_words(page: Any, words: dict[str, float], pages: int) -> None:
    body = json.dumps({"pages": pages, "words": words})
    page.route("**/pagefind/common-words.json", lambda route: route.fulfill(status=200, content_type="application/json", body=body))


def _marks(page: Any) -> set[str]:
    page.locator(".pn-search__excerpt").first.wait_for()
    return {m.casefold() for m in page.locator(".pn-search__excerpt mark").all_inner_texts()}


def _matches(page: Any) -> str:
    return str(page.locator(".pn-search__message").inner_text())


def test_the_build_lists_no_common_word_for_a_small_site(site: Path, notes: list[dict[str, Any]]) -> None:
    """The file the box reads sits beside the index; no word of the real notes has an entry large enough to leave out."""
    listed = json.loads((site / "pagefind" / "common-words.json").read_text(encoding="utf-8"))
    assert listed == {"pages": len(notes), "words": {}}


def test_words_in_most_notes_are_left_out_of_a_longer_query(tab: Any, notes: list[dict[str, Any]]) -> None:
    """A plain word listed as common is left out when the query has another word, and the reader is told; of a
    query of common words only, the rarest is searched; a quoted query and a name are searched whole."""
    _serve_common_words(tab.page, {"code": 0.98, "agents": 0.75, "bench": 0.9}, len(notes))
    tab.open("")
    box = open_pagefind(tab.page)
    alone = site_paths(pagefind_results(tab.page, box, "Claude"), tab.base)
    count_alone = _matches(tab.page).split(" ", 1)[0]
    assert alone
    assert "code" not in _marks(tab.page)
    assert site_paths(pagefind_results(tab.page, box, "Claude Code"), tab.base) == alone
    assert _matches(tab.page) == f"{count_alone} notes match “Claude Code”. “Code” is in most notes, so the search left it out"
    assert {"claude", "code"} <= _marks(tab.page)  # the word left out is marked in the excerpts all the same

    agents = site_paths(pagefind_results(tab.page, box, "agents"), tab.base)
    assert site_paths(pagefind_results(tab.page, box, "code agents"), tab.base) == agents
    assert _matches(tab.page).endswith("“code” is in most notes, so the search left it out")
    pagefind_results(tab.page, box, "Claude code agents")
    assert _matches(tab.page).endswith("“code” and “agents” are in most notes, so the search left them out")

    pagefind_results(tab.page, box, '"Claude Code"')
    assert "left" not in _matches(tab.page)
    pagefind_results(tab.page, box, "SWE-bench code")  # a name is never a common word, though "bench" is listed
    assert _matches(tab.page).endswith("match “SWE-bench code”. “code” is in most notes, so the search left it out")


def test_judged_queries_hold_when_every_word_in_most_notes_is_left_out(tab: Any, site: Path) -> None:
    """The judged set with the common words computed as for a large site (no minimum size of entry): leaving out
    the words in most notes must keep hit@3 at least 90% and MRR at least 0.8 (both printed)."""
    from papernotes.emit.search import common_words

    documents = site.parent / "build" / "search"
    texts = {p.relative_to(documents).as_posix(): p.read_text(encoding="utf-8") for p in documents.rglob("index.html")}
    words = common_words(texts, positions=0)
    assert "the" in words and len(texts) > 30
    _serve_common_words(tab.page, words, len(texts))
    ranks, misses, reduced = _judge(tab)
    hit3, mrr = scores(ranks)
    print(f"\nsearch relevance with the words in most notes left out ({reduced} of {len(ranks)} queries shortened): hit@3 {hit3:.1%}, MRR {mrr:.3f}")
    for line in misses:
        print("  miss:", line)
    assert reduced >= 3, "too few judged queries contain a common word for this to measure anything"
    assert hit3 >= HIT_AT_3, f"hit@3 {hit3:.1%} < {HIT_AT_3:.0%}; misses: {misses}"
    assert mrr >= MRR, f"MRR {mrr:.3f} < {MRR}; misses: {misses}"


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Static files of the site under /papernotes/ only, as GitHub Pages serves a project site."""

    def log_message(self, *args: Any) -> None:
        pass

    def translate_path(self, path: str) -> str:
        return super().translate_path(path.removeprefix("/papernotes") if path.startswith("/papernotes/") else "/not-under-the-sub-path/")


def test_search_works_under_a_sub_path(browser: Any, site: Path, notes: list[dict[str, Any]]) -> None:
    """Served under /papernotes/ by a plain static server, the search loads from there and its results link there."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SubPathHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    context = browser.new_context(service_workers="block")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/papernotes/"
        page = context.new_page()
        page.goto(base + notes[0]["url"])
        page.wait_for_load_state("networkidle")
        hrefs = pagefind_results(page, open_pagefind(page), "agents")
        assert hrefs and all(h.startswith(base) for h in hrefs), hrefs
        assert all(u.startswith(base) for u in requests if "/pagefind/" in u)
        page.locator(".pn-search__result-link").first.click()
        page.wait_for_url(hrefs[0])
        assert page.locator("article h1").first.is_visible()
    finally:
        context.close()
        server.shutdown()
        server.server_close()


FILTER_JS = """async ([bundle, filters]) => {
    const pagefind = await import(bundle);
    const found = await pagefind.search(null, {filters});
    const pages = await Promise.all(found.results.map(r => r.data()));
    return pages.map(p => p.url.replace(/^\\//, '')).sort();
}"""


@pytest.mark.parametrize("op", ["all", "any"])
def test_tag_filters_match_notes_json(tab: Any, notes: list[dict[str, Any]], op: str) -> None:
    """Pagefind's tag filter, with two tags ANDed or ORed, returns exactly the notes that notes.json gives."""
    counts: dict[str, int] = defaultdict(int)
    for note in notes:
        for tag in note["tags"]:
            counts[tag] += 1
    pairs = [(a, b) for a in sorted(counts) for b in sorted(counts) if a < b and any({a, b} <= set(n["tags"]) for n in notes)]
    a, b = max(pairs, key=lambda p: sum({p[0], p[1]} <= set(n["tags"]) for n in notes))
    pick = all if op == "all" else any
    expected = sorted(n["url"] for n in notes if pick(t in n["tags"] for t in (a, b)))
    tab.open("")
    found = tab.page.evaluate(FILTER_JS, [tab.base + "pagefind/pagefind.js", {"tag": {op: [a, b]}}])
    assert found == expected, f"tags {a} {op} {b}"


def test_the_filter_index_loads_only_when_filters_open(tab: Any, notes: list[dict[str, Any]]) -> None:
    """A query loads index chunks but no filter index; opening "Filters" loads it and lists the parts with counts."""
    tab.open(notes[0]["url"])
    assert site_paths(pagefind_results(tab.page, open_pagefind(tab.page), "agents"), tab.base)
    assert any(".pf_index" in u for u in tab.requests)
    assert [u for u in tab.requests if ".pf_filter" in u] == []
    tab.page.locator(".pn-search__filters summary").click()
    tab.page.locator(".pn-search__group[data-filter='part'] .pn-search__value").first.wait_for()
    assert any(".pf_filter" in u for u in tab.requests)
    shown = tab.page.locator(".pn-search__group[data-filter='part'] .pn-search__value:not([hidden])").all_inner_texts()
    assert shown and all(re.search(r"\(\d+\)$", label.strip()) for label in shown), shown


# A stand-in for Pagefind's module whose one result carries markup in its title and excerpt.
HOSTILE_ENGINE = """
const hit = {url: "/agents/", meta: {title: "<b>bold</b><img src=x onerror='window.pnOwned=1'>"},
  excerpt: "<img src=x onerror='window.pnOwned=1'>plain <mark>match</mark><script>window.pnOwned=1</script>", filters: {}};
export async function options() {}
export async function search() { return {results: [{data: async () => hit}], filters: {}}; }
export async function debouncedSearch(term, options) { return search(term, options); }
export async function filters() { return {}; }
"""


def test_result_text_from_the_index_is_shown_as_text(tab: Any) -> None:
    """Markup in a result's title or excerpt is shown as text or dropped: only Pagefind's <mark> is kept."""
    tab.page.route("**/pagefind/pagefind.js", lambda route: route.fulfill(status=200, content_type="text/javascript", body=HOSTILE_ENGINE))
    tab.open("")
    open_pagefind(tab.page).press_sequentially("match", delay=30)
    result = tab.page.locator(".pn-search__result").first
    result.wait_for()
    tab.page.wait_for_timeout(200)
    assert result.locator(".pn-search__result-link").inner_text() == "<b>bold</b><img src=x onerror='window.pnOwned=1'>"
    assert result.locator("img, script, b").count() == 0
    assert result.locator(".pn-search__excerpt mark").inner_text() == "match"
    assert tab.page.evaluate("window.pnOwned") is None


def test_a_hostile_common_words_file_puts_nothing_on_the_page(tab: Any) -> None:
    """Keys such as __proto__ and toString are plain words; values that are not numbers and markup in keys are inert."""
    hostile: dict[str, object] = {"__proto__": 1, "tostring": 0.9, "<img src=x onerror='window.pnOwned=1'>": 1, "agents": "<b>x</b>"}
    body = json.dumps({"pages": "<i>3</i>", "words": hostile})
    tab.page.route("**/pagefind/common-words.json", lambda route: route.fulfill(status=200, content_type="application/json", body=body))
    tab.open("")
    box = open_pagefind(tab.page)
    assert pagefind_results(tab.page, box, "toString agents Claude")
    assert _matches(tab.page).endswith("“toString” and “agents” are in most notes, so the search left them out")
    pagefind_results(tab.page, box, "constructor Claude")  # not in the file: an inherited name is not a listed word
    assert "left" not in _matches(tab.page)
    assert tab.page.locator("#pn-search img, #pn-search b, #pn-search i").count() == 0
    assert tab.page.evaluate("window.pnOwned") is None
