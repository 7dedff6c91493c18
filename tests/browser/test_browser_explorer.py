"""The explorer page in the browser: facets, AND/OR, the address bar, keyboard, no-JS, and reaching it from the sidebar."""

from __future__ import annotations

import re
from itertools import combinations
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

pytestmark = pytest.mark.browser

Notes = list[dict[str, Any]]


def matching(notes: Notes, tags: tuple[str, ...] = (), op: str = "and", part: str = "", chapter: str = "", status: str = "", text: str = "") -> list[str]:
    """The ids the explorer should show, computed here from notes.json, in reading order."""
    combine = all if op == "and" else any
    out = []
    for n in notes:
        hay = f"{n['title']} {n['summary']}".lower()
        if tags and not combine(t in n["tags"] for t in tags):
            continue
        if (part and n["part"] != part) or (chapter and chapter not in n["chapters"]) or (status and n["status"] != status):
            continue
        if not all(w in hay for w in text.lower().split()):
            continue
        out.append(n["id"])
    return out


def tag_pair(notes: Notes) -> tuple[str, str]:
    """The two tags sharing the most notes while not sharing all of them: AND and OR then differ."""
    tags = sorted({t for n in notes for t in n["tags"]})
    best = []
    for a, b in combinations(tags, 2):
        both, either = matching(notes, (a, b)), matching(notes, (a, b), "or")
        if both and len(both) < len(either):
            best.append((-len(both), a, b))
    if not best:
        pytest.fail("no two tags share a note")
    _, a, b = min(best)
    return a, b


def shown(tab: Any) -> list[str]:
    return tab.page.eval_on_selector_all("#pn-explorer [data-note-id]", "els => els.map(e => e.dataset.noteId)")


def query(tab: Any) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(tab.page.url).query).items()}


def status_text(tab: Any) -> str:
    return tab.page.locator("#pn-explorer [role=status]").inner_text()


def test_and_of_two_tags_shows_exactly_the_notes_with_both(tab: Any, notes: Notes) -> None:
    """Ticking two tags in AND mode shows the notes that carry both, and says so in the address bar."""
    a, b = tag_pair(notes)
    tab.open("explore/")
    tab.page.check(f"#pn-tag-{a}")
    tab.page.check(f"#pn-tag-{b}")
    assert shown(tab) == matching(notes, (a, b))
    assert query(tab) == {"tags": f"{a},{b}", "op": "and"}


def test_or_of_two_tags_shows_the_union(tab: Any, notes: Notes) -> None:
    """Switching the tags to OR shows every note that carries either tag."""
    a, b = tag_pair(notes)
    tab.open("explore/")
    tab.page.check(f"#pn-tag-{a}")
    tab.page.check(f"#pn-tag-{b}")
    tab.page.check("#pn-op-or")
    assert shown(tab) == matching(notes, (a, b), "or")
    assert query(tab)["op"] == "or"


def test_a_shared_address_restores_every_filter(tab: Any, notes: Notes) -> None:
    """Loading (and reloading) an address with tags, op, part, chapter, status and text restores the same view."""
    a, b = tag_pair(notes)
    first = next(n for n in notes if n["id"] == matching(notes, (a, b))[0])
    word = max(first["title"].split(), key=len).strip(",.:;()").lower()
    state = {"tags": f"{a},{b}", "op": "or", "part": first["part"], "chapter": first["chapters"][0], "status": first["status"], "text": word}
    want = matching(notes, (a, b), "or", first["part"], first["chapters"][0], first["status"], word)
    assert first["id"] in want
    tab.open("explore/?" + urlencode(state, safe=","))
    for _ in range(2):
        assert shown(tab) == want
        assert tab.page.is_checked(f"#pn-tag-{a}") and tab.page.is_checked(f"#pn-tag-{b}") and tab.page.is_checked("#pn-op-or")
        assert tab.page.is_checked(f"#pn-part-{first['part']}") and tab.page.is_checked(f"#pn-chapter-{first['chapters'][0]}")
        assert tab.page.is_checked(f"#pn-status-{first['status']}") and tab.page.input_value("#pn-text") == word
        assert query(tab) == state
        tab.page.reload()
        tab.page.wait_for_selector("#pn-explorer[data-ready]")


def test_clearing_the_filters_restores_the_full_list(tab: Any, notes: Notes) -> None:
    """The clear button empties every filter and the address bar and shows all notes in reading order."""
    a, b = tag_pair(notes)
    tab.open(f"explore/?tags={a},{b}&op=and&text=the")
    assert len(shown(tab)) < len(notes)
    tab.page.click("text=Clear filters")
    assert shown(tab) == [n["id"] for n in notes]
    assert urlsplit(tab.page.url).query == ""
    assert not tab.page.is_checked(f"#pn-tag-{a}") and tab.page.input_value("#pn-text") == ""


def test_option_counts_are_the_notes_each_choice_would_show(tab: Any, notes: Notes) -> None:
    """With one tag ticked (AND), each tag and each part shows how many notes ticking it would leave."""
    a, b = tag_pair(notes)
    tab.open(f"explore/?tags={a}")
    assert tab.page.inner_text(f"label[for=pn-tag-{b}] .pn-count") == f"({len(matching(notes, (a, b)))})"
    for part in sorted({n["part"] for n in notes}):
        count = tab.page.inner_text(f"label[for=pn-part-{part}] .pn-count")
        assert count == f"({len(matching(notes, (a,), part=part))})", part


def test_results_show_title_summary_part_and_tags_and_link_to_the_note(tab: Any, notes: Notes) -> None:
    """Each result carries data-note-id, its title, summary and tags, and its link opens the note."""
    tab.open("explore/")
    note = notes[-1]
    item = tab.page.locator(f"#pn-explorer [data-note-id='{note['id']}']")
    text = item.inner_text()
    assert note["title"] in text and note["summary"] in text and all(t in text for t in note["tags"])
    item.locator("a").first.click()
    tab.page.wait_for_url(tab.base + note["url"])
    assert tab.heading(note["title"]) == note["title"]


def test_the_filters_work_from_the_keyboard_and_announce_the_count(tab: Any, notes: Notes) -> None:
    """Space ticks a focused tag, arrow keys switch AND to OR, and the live region reads the new count."""
    a, b = tag_pair(notes)
    tab.open(f"explore/?tags={a}")
    tab.page.focus(f"#pn-tag-{b}")
    tab.page.keyboard.press("Space")
    assert shown(tab) == matching(notes, (a, b))
    tab.page.focus("#pn-op-and")
    tab.page.keyboard.press("ArrowRight")
    union = matching(notes, (a, b), "or")
    assert tab.page.is_checked("#pn-op-or") and shown(tab) == union
    live = tab.page.locator("#pn-explorer [role=status]")
    assert live.get_attribute("aria-live") == "polite"
    assert status_text(tab).startswith(f"{len(union)} notes of {len(notes)}")
    tab.page.focus("#pn-text")
    tab.page.keyboard.type("zzzz-no-such-words")
    assert shown(tab) == [] and status_text(tab).startswith("No notes match")


def test_words_filter_titles_and_summaries_and_reach_the_address_bar(tab: Any, notes: Notes) -> None:
    """Typing a word keeps the notes whose title or summary has it; the word is in the address once typing pauses."""
    from playwright.sync_api import expect

    word = max(notes[0]["title"].split(), key=len).strip(",.:;()").lower()
    want = matching(notes, text=word)
    assert 0 < len(want) < len(notes)
    tab.open("explore/")
    tab.page.focus("#pn-text")
    tab.page.keyboard.type(word)
    assert shown(tab) == want
    expect(tab.page).to_have_url(re.compile(rf"[?&]text={re.escape(word)}(&|$)"))


def test_every_control_has_a_label_and_every_group_a_legend(tab: Any) -> None:
    """Each input of the explorer is named by a label, and each fieldset by a legend."""
    tab.open("explore/")
    unlabelled = tab.page.eval_on_selector_all("#pn-explorer input", "els => els.filter(e => !e.labels || !e.labels.length).map(e => e.id)")
    bare = tab.page.eval_on_selector_all("#pn-explorer fieldset", "els => els.filter(f => !f.querySelector(':scope > legend')).length")
    assert unlabelled == [] and bare == 0


def test_the_script_hides_the_fallback_list(tab: Any) -> None:
    """With JavaScript on, the no-JavaScript list of notes is hidden once the explorer is drawn."""
    tab.open("explore/")
    assert tab.page.locator("#pn-all-notes").is_hidden() and tab.page.locator("#pn-all-notes-title").is_hidden()


def test_without_javascript_the_page_lists_every_note(nojs_tab: Any, notes: Notes) -> None:
    """Without JavaScript the explore page still links every note."""
    nojs_tab.page.goto(nojs_tab.base + "explore/")
    assert nojs_tab.page.locator("#pn-all-notes").is_visible() and nojs_tab.page.locator("#pn-all-notes-title").is_visible()
    hrefs = nojs_tab.page.eval_on_selector_all("#pn-all-notes li a", "els => els.map(e => e.href)")
    assert sorted({h.removeprefix(nojs_tab.base) for h in hrefs}) == sorted(n["url"] for n in notes)


def test_the_explorer_starts_from_the_sidebar_and_back(tab: Any, notes: Notes) -> None:
    """Reached by following the sidebar's link, the explorer draws; Back to a filtered view restores it."""
    a, b = tag_pair(notes)
    tab.open("")
    tab.page.click(".md-sidebar--primary a.md-nav__link[href$='explore/']")
    tab.page.wait_for_selector("#pn-explorer[data-ready]")
    tab.page.check(f"#pn-tag-{a}")
    tab.page.check(f"#pn-tag-{b}")
    want = shown(tab)
    target = notes[[n["id"] for n in notes].index(want[0])]
    tab.page.click(f"#pn-explorer [data-note-id='{want[0]}'] a")
    tab.page.wait_for_url(tab.base + target["url"])
    tab.page.go_back()
    tab.page.wait_for_selector("#pn-explorer[data-ready]")
    assert shown(tab) == want == matching(notes, (a, b))
    assert tab.errors == []
