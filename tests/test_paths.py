"""Path conversions, table-tested."""

from __future__ import annotations

import posixpath

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from papernotes import paths
from papernotes.paths import SitePath, Url


@pytest.mark.parametrize(
    ("site", "url"),
    [
        ("index.md", ""),
        ("agents/index.md", "agents/"),
        ("agents/training-swe-agents.md", "agents/training-swe-agents/"),
        ("tags/rlvr.md", "tags/rlvr/"),
        ("notes.json", "notes.json"),
        ("charts/a.svg", "charts/a.svg"),
    ],
)
def test_site_to_url(site: str, url: str) -> None:
    """Staged files map to MkDocs' directory URLs."""
    assert paths.site_to_url(SitePath(site)) == url


@pytest.mark.parametrize(
    ("src", "dst", "rel"),
    [
        ("agents/x/", "tags/rlvr/", "../../tags/rlvr/"),
        ("", "agents/", "agents/"),
        ("agents/x/", "", "../../"),
        ("agents/x/", "notes.json", "../../notes.json"),
        ("tags/", "tags/a/", "a/"),
        ("", "", "./"),
    ],
)
def test_relative_url(src: str, dst: str, rel: str) -> None:
    """Links between built pages are relative, as MkDocs writes them."""
    assert paths.relative_url(Url(src), Url(dst)) == rel


@pytest.mark.parametrize(
    ("here", "target", "resolved"),
    [
        ("agents/x.md", "y.md", "agents/y.md"),
        ("agents/x.md", "../data/y.md", "data/y.md"),
        ("agents/x.md", "../", "index.md"),
        ("agents/x.md", "../tags/", "tags/index.md"),
        ("agents/x.md", "../../etc/passwd", None),
        ("agents/x.md", "/etc/passwd", None),
        ("agents/x.md", "../../agents/x.md", None),
    ],
)
def test_resolve_site_link(here: str, target: str, resolved: str | None) -> None:
    """Relative links resolve inside the staged tree; escapes and absolute paths give None."""
    assert paths.resolve_site_link(SitePath(here), target) == resolved


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("What the survey says", "what-the-survey-says"),
        ("RL for `code`", "rl-for-code"),
        ("Fine-tuning (§5.3.1)", "fine-tuning-531"),
        ("Dense vs. MoE: α and β", "dense-vs-moe-and"),
        ("[Linked](x.md) heading", "linked-heading"),
        ("word word word word &lt;", "word-word-word-word"),  # an entity is decoded before the slug, as toc does
        ("Tom &amp; Jerry", "tom-jerry"),
        ("a &amp;lt; b", "a-lt-b"),
        ("x &#955; y", "x-y"),
    ],
)
def test_heading_anchor(heading: str, anchor: str) -> None:
    """Anchors match Python-Markdown's toc slugify."""
    assert paths.heading_anchor(heading) == anchor


def test_heading_anchor_matches_markdown_toc() -> None:
    """Our anchor function agrees with the toc extension MkDocs runs, for the real notes' headings."""
    import markdown

    from support import REPO

    headings = set()
    for note in (REPO / "notes").rglob("*.md"):
        headings |= {line.lstrip("#").strip() for line in note.read_text(encoding="utf-8").splitlines() if line.startswith("## ")}
    assert headings
    for text in sorted(headings):
        html = markdown.markdown(f"## {text}", extensions=["toc"])
        assert f'id="{paths.heading_anchor(text)}"' in html, text


def test_section_anchor() -> None:
    """Survey-map anchors are s + dashed numbers."""
    assert paths.section_anchor("5.3.1") == "s5-3-1"
    assert paths.section_anchor("7") == "s7"


_STAGED = st.lists(st.sampled_from(["a", "b", "ab", "x.md", "index.md"]), min_size=1, max_size=4).map("/".join)


@given(_STAGED, _STAGED)
def test_a_relative_site_link_is_what_relpath_gives(here: str, there: str) -> None:
    """From a page at the top, one folder down (the short way) or deeper, to any staged path."""
    assert paths.relative_site_link(SitePath(here), SitePath(there)) == posixpath.relpath(there, posixpath.dirname(here) or ".")


_TARGET = st.lists(st.sampled_from(["", ".", "..", "a", "b.md", ".a", "a#b", "a?c", "#b", "?c"]), min_size=1, max_size=4).map("/".join)


@settings(max_examples=500)
@given(_STAGED, st.lists(_TARGET, max_size=3))
@example("a/x.md", ["../b.md#c", "?q#c", "#c", "../../b.md", "/b.md", "../", "./b/", "b//c.md"])
def test_the_pages_of_links_are_what_resolve_site_link_gives(here: str, targets: list[str]) -> None:
    """A page's links resolved together: each as `resolve_site_link` resolves its path without the anchor and query."""
    paths_only = [t.partition("#")[0].partition("?")[0] for t in targets]
    expected = [paths.resolve_site_link(SitePath(here), p) if p else "" for p in paths_only]
    assert paths.link_pages(SitePath(here), targets) == expected


@pytest.mark.parametrize(
    ("here", "there", "link"),
    [
        ("a/x.md", "a/b/c.md", "b/c.md"),
        ("a/x.md", "ab/c.md", "../ab/c.md"),
        ("a/x.md", "a", "."),
        ("x.md", "a/b.md", "a/b.md"),
        ("a/b/x.md", "a/c.md", "../c.md"),
    ],
)
def test_relative_site_links(here: str, there: str, link: str) -> None:
    assert paths.relative_site_link(SitePath(here), SitePath(there)) == link
