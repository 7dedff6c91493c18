"""The check of the links in notes (the built site's is tests/test_linkcheck.py): a page's links are
resolved where the page is loaded (`link.resolved_links`, in the parallel round for a note), then
only looked up (`link.check_links`)."""

from __future__ import annotations

from papernotes.data import load_data
from papernotes.link import check_links, resolved_links
from papernotes.paths import SitePath, SourcePath
from papernotes.records import Link, Page
from support import REPO


def test_a_query_and_an_anchor_are_not_part_of_the_page() -> None:
    data, _ = load_data(REPO)
    assert data is not None
    site = SitePath("agents/x.md")
    links = [
        Link("../b/y.md?v=1#sec", 3, 1, False),  # a page and one of its anchors
        Link("y.md?v=1", 4, 1, False),  # a page whose anchors are not checked
        Link("?v=1#top", 5, 1, False),  # an anchor on the page itself
        Link("../b/z.md?v=1#sec", 6, 1, False),
        Link("../b/y.md?v=1#nope", 7, 1, False),
        Link("../../up.md", 8, 1, False),
    ]
    page = Page(SourcePath("notes/agents/x.md"), site, frozenset({"top"}), resolved_links(site, links))
    assert [link[3] for link in page.links] == ["b/y.md", "agents/y.md", "", "b/z.md", "b/y.md", None]
    found = check_links(page, {"b/y.md": frozenset({"sec"}), "agents/y.md": None}, data)
    assert [(d.line, d.name, d.message) for d in found] == [
        (6, "broken-link", "'../b/z.md' does not exist"),
        (7, "broken-anchor", "'../b/y.md' has no heading '#nope'"),
        (8, "link-outside-site", "'../../up.md' leaves the site"),
    ]
