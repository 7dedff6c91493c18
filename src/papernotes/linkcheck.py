"""An engine-independent link checker for the built site, on the standard library's HTML parser.

Every internal `href` and `src` must resolve to a file of the site, and every `#fragment` to an
`id` (or `<a name>`) on the target page. External links are not fetched.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

SKIP_PREFIXES = ("http://", "https://", "mailto:", "data:", "javascript:", "//")


@dataclass(frozen=True)
class BrokenLink:
    """A link on `page` to `target` that does not resolve, and why."""

    page: str
    target: str
    reason: str

    def render(self) -> str:
        return f"site/{self.page}: {self.target}: {self.reason}"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif (name == "href" and tag in {"a", "link", "area"}) or (name == "src" and tag in {"img", "script", "source", "iframe"}):
                self.links.append(value)


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8", errors="replace"))
    collector.close()
    return collector


def check_site(site: Path, base_path: str = "/") -> list[BrokenLink]:
    """Every broken internal link or anchor in the built site, sorted.

    `base_path` is the path the site is served under (from `site_url`): absolute links inside it
    resolve from the site's root, as MkDocs writes them on the 404 page.
    """
    pages = {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html"))}
    parsed = {rel: _parse(p) for rel, p in pages.items()}
    broken: list[BrokenLink] = []
    for rel, info in parsed.items():
        for href in info.links:
            problem = _resolve(site, rel, href, parsed, base_path)
            if problem:
                broken.append(BrokenLink(rel, href, problem))
    return sorted(set(broken), key=lambda b: (b.page, b.target))


def _resolve(site: Path, page: str, href: str, parsed: dict[str, _Collector], base_path: str = "/") -> str:
    if not href or href.startswith(SKIP_PREFIXES):
        return ""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return ""
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    if not path:
        target = page
    else:
        if path.startswith("/"):
            if not path.startswith(base_path):
                return f"absolute path outside the site's base {base_path}"
            page, path = "index.html", "./" + path[len(base_path) :]
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if target.startswith(".."):
            return "leaves the site"
        if path.endswith("/") or (site / target).is_dir():
            target = posixpath.join(target, "index.html") if target != "." else "index.html"
        if not (site / target).is_file():
            return "no such file"
    if fragment and target.endswith(".html"):
        info = parsed.get(target)
        if info is not None and fragment not in info.ids:
            return f"no element with id '{fragment}'"
    return ""
