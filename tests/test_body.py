"""The body scan, table-tested."""

from __future__ import annotations

import bisect
import re

import pytest

from papernotes import body as body_module
from papernotes.body import scan_body, url_scheme


def codes(body: str) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.col) for d in scan_body(body, 10, "n.md").diags]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<script>x</script>\n", [("PN301", 10, 1)]),
        ("a <b onclick=x>bold</b>\n", [("PN301", 10, 3)]),
        ("<IMG SRC=x OnError=alert(1)>\n", [("PN301", 10, 1)]),
        ("[x](javascript:alert(1))\n", [("PN303", 10, 5)]),
        ("[x](JaVaScRiPt:alert(1))\n", [("PN303", 10, 5)]),
        ("[x](&#106;avascript:alert(1))\n", [("PN303", 10, 5)]),
        ("[x](java\tscript:alert(1))\n", [("PN209", 10, 5)]),  # the renderer cuts the target at the tab
        ("[x](a b.md) [y](c.md 'title')\n", [("PN209", 10, 5)]),
        ("[the paper][@key]\n", [("PN208", 10, 12)]),
        ("[" * 201 + "\n\n" + "[" * 200 + "\n", [("PN210", 10, 201)]),
        ("> " * 17 + "deep\n", [("PN210", 10, 1)]),
        ("```\n" + "[" * 300 + "\n```\n", []),
        ("![x](data:image/png;base64,AAAA)\n", [("PN303", 10, 6)]),
        ("<a href='vbscript:x'>y</a>\n", [("PN303", 10, 1)]),
        ("<span>x</span>\n", [("PN302", 10, 1)]),
        ("<!-- hidden -->\n", [("PN302", 10, 1)]),
        ("`<script>` in code\n", []),
        ("```\n<script>\n```\n", []),
        ("~~~~\n<iframe>\n~~~~\n", []),
        ("a < b and c > d\n", []),
        ("<https://example.org>\n", []),
        ("# Title\n", [("PN206", 10, 1)]),
    ],
)
def test_html_and_urls(body: str, expected: list[tuple[str, int, int]]) -> None:
    """Unsafe HTML and URLs are caught at their position; code and plain text are left alone."""
    assert codes(body) == expected


@pytest.mark.parametrize(
    ("url", "scheme"),
    [("https://x", "https"), ("JAVASCRIPT:x", "javascript"), (" java\nscript:x", "javascript"), ("&#x6a;avascript:x", "javascript"), ("x.md", ""), ("#a", "")],
)
def test_url_scheme(url: str, scheme: str) -> None:
    """The scheme is read the way a browser would, after entities and blanks are dropped."""
    assert url_scheme(url) == scheme


def test_citations_sections_links_and_headings() -> None:
    """Citations, §-references, relative links and headings are found with their positions."""
    body = "Intro [@a2021x; @b2022y] and §5.3.\n\n## Why it matters\n\nSee [n](../agents/x.md#why) and [w](https://x.org).\n\n## Why it matters\n"
    scan = scan_body(body, 7, "n.md")
    assert [(c.value, c.line, c.col) for c in scan.citations] == [("a2021x", 7, 8), ("b2022y", 7, 17)]
    assert [(s.value, s.line) for s in scan.section_refs] == [("5.3", 7)]
    assert [(lk.target, lk.line) for lk in scan.links] == [("../agents/x.md#why", 11)]
    assert [h.anchor for h in scan.headings] == ["why-it-matters", "why-it-matters_1"]
    assert [s.kind for s in scan.spans] == ["cite", "sec"]


@pytest.mark.parametrize("body", ["", "\n", "a", "a\n", "\n\nb\n", "x [@k1; @k2]\n[@k3] y\n\n", "é §1\n\n\n[@a_b:c.d+e-f]z\n"])
def test_positions_and_citation_keys_are_those_of_the_plain_rules(body: str) -> None:
    """Line starts are those of every newline, and citation keys are found as in the citation's own text."""
    scan = scan_body(body, 1, "n.md")
    starts = [0, *(i + 1 for i, char in enumerate(body) if char == "\n")]
    expected = []
    for m in re.finditer(r"\[([^\[\]\n@]*@[^\[\]\n]*)\]", body):
        for key in re.finditer(r"@([A-Za-z0-9_][A-Za-z0-9_:.+\-]*[A-Za-z0-9_])", m.group(1)):
            at = m.start(1) + key.start()
            line = bisect.bisect_right(starts, at)
            expected.append((key.group(1), line, at - starts[line - 1] + 1))
    assert body_module._Position(body, 1).starts == starts
    assert [(c.value, c.line, c.col) for c in scan.citations] == expected


def test_setext_headings_and_code_are_handled() -> None:
    """Setext headings count; citations inside code are not citations."""
    scan = scan_body("Title here\n----------\n\n`[@notacite]` and\n```\n[@nor] §9.9\n```\n", 1, "n.md")
    assert [h.anchor for h in scan.headings] == ["title-here"]
    assert scan.citations == () and scan.section_refs == ()


def test_long_line_is_reported() -> None:
    """A line over 10,000 characters is an error at its line."""
    assert codes("ok\n" + "x" * 10_001 + "\n") == [("PN007", 11, 10_001)]
