"""An engine-independent link checker for the built site.

Every internal `href` and `src` must resolve to a file of the site, and every `#fragment` to an
`id` (or `<a name>`) on the target page. External links are not fetched.

Pages are read with a tokenizer of start tags that follows the standard library's HTMLParser
(tag and attribute syntax, comments, script and style content skipped, entities in values decoded).
The site of 1,000 notes has 386,000 start tags, 360 a page, and a third of them carry an id, name,
href or src attribute. One regular expression skips the other two thirds inside the regex engine
(with the text, end tags and comments), reads the two commonest of the rest whole (`<a href="...">`,
and a tag whose one such attribute is `id="..."`), and hands any other to the tokenizer's rule:
Python reads the attributes of one tag in twenty. A large site is also read on every core: the
check must stay small next to the site engine's own build.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from papernotes.parallel import default_workers, map_in_order

SKIP_PREFIXES = ("http://", "https://", "mailto:", "data:", "javascript:", "//")
PARALLEL_PAGES = 400
_LINKING = {"href": frozenset({"a", "link", "area"}), "src": frozenset({"img", "script", "source", "iframe"})}

# The tokenizer's rule: at each '<', the first of these that matches is the token; where none
# does, the '<' is text. `_ATTRS` is everything up to the tag's '>', quoted values whole;
# possessive, so that a quote that never closes (broken markup) fails at once instead of
# backtracking for minutes.
_ATTRS = r"""(?:[^'">]++|"[^"]*+"|'[^']*+')*+"""
_COMMENT = r"(?s:<!--.*?-->)"
_RAW = r"(?is:<(?P<raw>script|style)(?=[\s/>])(?P<rawattrs>" + _ATTRS + r")>.*?</(?P=raw))"  # its content is skipped
_TAG = r"(?is:<(?P<tag>[a-zA-Z][^\t\n\r\f />\x00]*)(?P<attrs>" + _ATTRS + r")>)"
_ATTR_RE = re.compile(r"""([^\s/>=][^\s/=>]*)(?:\s*(=+)\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?""")  # HTMLParser's attrfind

# The same start tags in plain syntax: the name as long as it goes, then attributes whose names are
# ASCII and end at '=', a space, '/' or '>', and whose values are quoted or plain (no quote, no '>').
# Where plain syntax reaches a '>', `_TAG` with its longest name reaches the same one, and
# `_ATTR_RE` reads the same names and values. `_OTHER` is such an attribute whose name is not id,
# name, href or src in any case.
_NAME = r"(?i:[a-z])[^\t\n\r\f />\x00]*+"
_OTHER = r"""[\t\n\r\f ]++(?!(?i:id|name|href|src)(?![-\w:.]))[a-zA-Z_:][-\w:.]*+(?:=(?:"[^"]*+"|'[^']*+'|[^\s"'<>=`]++))?"""
_END = r"[\t\n\r\f ]*+/?>"
_PLAIN_TAG = r"<" + _NAME + r"(?:" + _OTHER + r")*+" + _END  # with none of the four attributes
_A_HREF = r"<a(?:" + _OTHER + r")*+[\t\n\r\f ]++href=(?P<href>\"[^\"&]*+\")(?:" + _OTHER + r")*+" + _END
_ONE_ID = r"<" + _NAME + r"(?:" + _OTHER + r")*+[\t\n\r\f ]++id=(?P<id>\"[^\"&]*+\")(?:" + _OTHER + r")*+" + _END
_PAGE_RE = re.compile(
    # skipped: text, a '<' that starts no comment or start tag (an end tag's among them), comments,
    # and plain start tags with none of the four attributes, other than <script> and <style>
    r"(?:[^<]++|" + _COMMENT + r"|<(?!(?i:[a-z]))|(?!(?i:<(?:script|style))(?=[\s/>]))" + _PLAIN_TAG + r")*+"
    # then the token that stopped the skipping: read whole when it is a plain <a href="..."> or a
    # plain tag whose one such attribute is id="..." (no entity in either), else by the rule; or a
    # '<' that starts no token, or the end of the page
    r"(?:" + "|".join((_RAW, _A_HREF, _ONE_ID, _TAG, "<", r"\Z")) + ")"
)


@dataclass(frozen=True)
class BrokenLink:
    """A link on `page` to `target` that does not resolve, and why."""

    page: str
    target: str
    reason: str

    def render(self) -> str:
        return f"site/{self.page}: {self.target}: {self.reason}"


@dataclass
class PageLinks:
    """The ids a page defines and the links it makes, in order."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)


def page_links(text: str) -> PageLinks:
    """Collect ids (`id`, and `name` on `<a>`) and links (`href` of a/link/area, `src` of
    img/script/source/iframe) from the start tags of an HTML page."""
    out = PageLinks()
    for raw, raw_attrs, href, id_, tag, attrs in _PAGE_RE.findall(text):
        if href:
            out.links.append(href[1:-1])
        elif id_:
            out.ids.add(id_[1:-1])
        elif attrs or raw_attrs:
            _read_attributes((tag or raw).lower(), attrs or raw_attrs, out)
    return out


def _read_attributes(tag: str, attrs: str, out: PageLinks) -> None:
    for name, equals, value in _ATTR_RE.findall(attrs):
        if not equals:  # an attribute without a value
            continue
        name = name.lower()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        value = html.unescape(value) if "&" in value else value
        if name == "id" or (name == "name" and tag == "a"):
            out.ids.add(value)
        elif tag in _LINKING.get(name, ()):
            out.links.append(value)


def _read_all(site: Path, pages: list[str]) -> dict[str, PageLinks]:
    """Every page's links, read on all cores when the site is large."""

    def read(rel: str) -> PageLinks:
        return page_links((site / rel).read_text(encoding="utf-8", errors="replace"))

    return dict(zip(pages, map_in_order(read, pages, default_workers(len(pages), PARALLEL_PAGES)), strict=True))


def _tree(site: Path) -> tuple[set[str], set[str]]:
    """Every file and folder of the site, relative and POSIX ('.' is the site itself)."""
    files: set[str] = set()
    folders = {"."}
    for folder, dirnames, filenames in os.walk(site):
        rel = Path(folder).relative_to(site).as_posix()
        prefix = "" if rel == "." else rel + "/"
        folders.update(prefix + d for d in dirnames)
        files.update(prefix + f for f in filenames)
    return files, folders


def check_site(site: Path, base_path: str = "/", required: Mapping[str, Iterable[str]] | None = None) -> list[BrokenLink]:
    """Every broken internal link or anchor in the built site, sorted.

    `base_path` is the path the site is served under (from `site_url`): absolute links inside it
    resolve from the site's root, as the engine (MkDocs) writes them on the 404 page. `required` names
    pages (relative, `agents/memory/index.html`) that must exist with the given ids: those the search
    index points to.
    """
    files, folders = _tree(site)
    parsed = _read_all(site, sorted(f for f in files if f.endswith(".html")))
    known: dict[tuple[str, str], str] = {}  # (folder of the page, href) -> problem: nav links repeat on every page
    split: dict[str, tuple[str, str] | None] = {}  # href -> its path and fragment: a note's links repeat in every folder
    broken: list[BrokenLink] = []
    for rel, info in parsed.items():
        folder = posixpath.dirname(rel)
        for href in info.links:
            key = (rel if href[:1] in "#?" else folder, href)  # a link without a path points at its own page
            problem = known.get(key)
            if problem is None:
                if href not in split:
                    split[href] = _internal(href)
                problem = known[key] = _resolve(rel, folder, split[href], parsed, files, folders, base_path)
            if problem:
                broken.append(BrokenLink(rel, href, problem))
    for rel, ids in (required or {}).items():
        page = parsed.get(rel)
        if page is None:
            broken.append(BrokenLink(rel, "", "indexed for search, but the site has no such page"))
        else:
            broken += [BrokenLink(rel, f"#{i}", "indexed for search, but the page has no element with this id") for i in sorted(set(ids) - page.ids)]
    return sorted(set(broken), key=lambda b: (b.page, b.target))


def _internal(href: str) -> tuple[str, str] | None:
    """The path and fragment of a link into the site, unquoted; None for a link the check skips."""
    if not href or href.startswith(SKIP_PREFIXES):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    return unquote(parts.path), unquote(parts.fragment)


def _resolve(
    page: str, folder: str, parts: tuple[str, str] | None, parsed: dict[str, PageLinks], files: set[str], folders: set[str], base_path: str = "/"
) -> str:
    """What is wrong with a link (its `_internal` parts) on `page`, in `folder`; "" if nothing."""
    if parts is None:
        return ""
    path, fragment = parts
    if not path:
        target = page
    else:
        if path[0] == "/":
            if not path.startswith(base_path):
                return f"absolute path outside the site's base {base_path}"
            folder, path = "", "./" + path[len(base_path) :]
        target = posixpath.normpath(folder + "/" + path if folder else path)  # posixpath.join's result: the path is relative here
        if target.startswith(".."):
            return "leaves the site"
        if path[-1] == "/" or target in folders:
            target = target + "/index.html" if target != "." else "index.html"
        if target not in files:
            return "no such file"
    if fragment and target.endswith(".html"):
        info = parsed.get(target)
        if info is not None and fragment not in info.ids:
            return f"no element with id '{fragment}'"
    return ""
