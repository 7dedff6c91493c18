"""One type per kind of path, and every conversion between them.

- `Slug`: a note's id, the file stem (`training-swe-agents`).
- `SourcePath`: a file in the repository, POSIX, relative to its root (`notes/agents/x.md`).
- `SitePath`: a file in the staged tree, relative to the staging root (`agents/x.md`, `tags/rlvr.md`).
- `Url`: a built page's URL relative to the site root, directory style (`agents/x/`, `` for home).
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
import unicodedata
from collections.abc import Iterable
from posixpath import normpath
from typing import NewType

Slug = NewType("Slug", str)
SourcePath = NewType("SourcePath", str)
SitePath = NewType("SitePath", str)
Url = NewType("Url", str)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_PARTS = frozenset({"tags", "survey", "bibliography", "checks", "explore", "charts", "assets", "search", "glossary", "sources", "pagefind"})

HOME = SitePath("index.md")
TAG_INDEX = SitePath("tags/index.md")
SURVEY_MAP = SitePath("survey/index.md")
COVERAGE_SVG = SitePath("survey/coverage.svg")
BIBLIOGRAPHY = SitePath("bibliography/index.md")
CHECKS = SitePath("checks/index.md")
EXPLORE = SitePath("explore/index.md")
GLOSSARY = SitePath("glossary/index.md")
SOURCES = SitePath("sources/index.md")
NOTES_JSON = SitePath("notes.json")


def suggest_slug(name: str) -> str:
    """A kebab-case slug made from a file name or title ('' when nothing is left)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def note_source(part: str, slug: str) -> SourcePath:
    """`notes/<part>/<slug>.md`."""
    return SourcePath(f"notes/{part}/{slug}.md")


def note_site(part: str, slug: str) -> SitePath:
    """Where a note is staged: `<part>/<slug>.md`."""
    return SitePath(f"{part}/{slug}.md")


def part_index_site(part: str) -> SitePath:
    """Where a part's index is staged."""
    return SitePath(f"{part}/index.md")


def tag_site(tag: str) -> SitePath:
    """Where a tag's page is staged."""
    return SitePath(f"tags/{tag}.md")


def chart_site(name: str) -> SitePath:
    """Where a chart's SVG is staged."""
    return SitePath(f"charts/{name}.svg")


def site_to_url(path: SitePath) -> Url:
    """The URL the site engine gives a staged file with `use_directory_urls: true`."""
    if not path.endswith(".md"):
        return Url(path)
    stem = path[:-3]
    if stem == "index":
        return Url("")
    if stem.endswith("/index"):
        return Url(stem[: -len("index")])
    return Url(stem + "/")


def relative_url(from_url: Url, to_url: Url) -> str:
    """A link from one built page to another, relative, as the site engine writes them."""
    base = from_url.rstrip("/") if (not from_url or from_url.endswith("/")) else posixpath.dirname(from_url)
    rel = posixpath.relpath(to_url or ".", base or ".")
    if not to_url or to_url.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel


def relative_site_link(from_site: SitePath, to_site: SitePath) -> str:
    """A Markdown link from one staged `.md` file to another staged file (the site engine resolves it).

    Staged paths are clean and relative, so this is `posixpath.relpath` without its cost (a staged
    site makes one call per link: hundreds of thousands for 10,000 notes). Most links start on a page
    one folder down (a note), which takes a shorter way."""
    folder, slash, _ = from_site.rpartition("/")
    if not slash:  # a page at the top
        return to_site or "."
    if "/" not in folder:  # one folder down
        if to_site.startswith(folder) and to_site[len(folder) : len(folder) + 1] == "/":
            return to_site[len(folder) + 1 :] or "."
        return "." if to_site == folder else "../" + to_site
    here = from_site.split("/")[:-1]
    there = to_site.split("/")
    common = 0
    while common < len(here) and common < len(there) and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "."


def resolve_site_link(from_site: SitePath, target: str) -> SitePath | None:
    """Resolve a relative link target against a staged file; None when it leaves the site."""
    if target.startswith("/"):
        return None
    folder = from_site.rpartition("/")[0]  # posixpath.dirname and .join, without their cost per link
    joined = posixpath.normpath(f"{folder}/{target}" if folder else target)
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    if target.endswith("/") or joined == ".":
        joined = posixpath.join(joined, "index.md") if joined != "." else "index.md"
    return SitePath(joined)


def link_pages(from_site: SitePath, targets: Iterable[str]) -> list[str | None]:
    """The staged page each link target of one page leads to, its anchor and query left out: what
    `resolve_site_link` gives, '' for a link to an anchor on the page itself. The page's folder is
    worked out once: a check resolves every link of every note (40,000 for 10,000 notes)."""
    folder = from_site.rpartition("/")[0]
    prefix = f"{folder}/" if folder else ""
    out: list[str | None] = []
    for target in targets:
        path = target.partition("#")[0]
        if "?" in path:
            path = path.partition("?")[0]
        if not path:
            out.append("")
            continue
        joined = normpath(prefix + path)
        if path[0] == "/" or joined == ".." or joined.startswith(("../", "/")):
            out.append(None)
        elif path[-1] == "/" or joined == ".":
            out.append(posixpath.join(joined, "index.md") if joined != "." else "index.md")
        else:
            out.append(joined)
    return out


_MARKUP_RE = re.compile(r"[`\[*_<&]")
_NON_WORD_RE = re.compile(r"[^\w\s-]")
_DASHES_RE = re.compile(r"[-\s]+")


@functools.lru_cache(maxsize=4096)  # headings such as "Why it matters" recur in many notes
def heading_anchor(text: str) -> str:
    """The id Python-Markdown's `toc` extension gives a heading (its default `slugify`)."""
    if text.isascii() and not _MARKUP_RE.search(text):
        return _DASHES_RE.sub("-", _NON_WORD_RE.sub("", text).strip().lower())  # plain text: the markup and Unicode steps change nothing
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_]{1,3}([^*_]+)[*_]{1,3}", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)  # `toc` slugifies the heading's text with its entities (`&lt;`) decoded
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


def section_anchor(number: str) -> str:
    """The anchor of a survey section on the survey map: `5.3.1` -> `s5-3-1`."""
    return "s" + number.replace(".", "-")
