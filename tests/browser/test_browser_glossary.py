"""The glossary in the browser: a term in a note shows its definition on hover, with or without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from support import REPO

pytestmark = pytest.mark.browser

NOTE = "evaluation/evaluation-metrics/"
TERM = "pass@k"


def definition(term: str) -> str:
    """The glossary's definition of `term`, as data/glossary.yaml gives it."""
    terms = yaml.safe_load((REPO / "data" / "glossary.yaml").read_text(encoding="utf-8"))["terms"]
    return str(terms[term]["definition"])


def test_hovering_a_term_shows_its_definition(tab: Any) -> None:
    """Material's tooltip shows the glossary definition when the pointer rests on the term."""
    tab.open(NOTE)
    term = tab.page.locator(f'article abbr:text-is("{TERM}")').first
    term.scroll_into_view_if_needed()
    term.hover()
    tip = tab.page.locator(".md-tooltip--active, .md-tooltip2--active").first
    tip.wait_for(state="visible", timeout=5000)
    assert " ".join(definition(TERM).split()) in " ".join(tip.inner_text().split())


def test_a_term_keeps_its_definition_without_javascript(nojs_tab: Any) -> None:
    """Without JavaScript the definition is still the term's title, which the browser itself shows."""
    nojs_tab.open(NOTE)
    title = nojs_tab.page.locator(f'article abbr:text-is("{TERM}")').first.get_attribute("title")
    assert title == " ".join(definition(TERM).split())


def test_the_glossary_page_lists_every_term(tab: Any) -> None:
    """The glossary page has one entry per term of data/glossary.yaml, A to Z."""
    terms = yaml.safe_load((REPO / "data" / "glossary.yaml").read_text(encoding="utf-8"))["terms"]
    tab.open("glossary/")
    shown = tab.page.locator("article dt strong").all_inner_texts()
    assert shown == sorted(terms, key=lambda t: (t.casefold(), t))
