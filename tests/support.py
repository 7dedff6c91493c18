"""Test helpers shared by the suites: a throwaway knowledge base built from the real data files.

(In a module of its own rather than conftest.py, so that tests/browser/conftest.py cannot shadow it.)
"""

from __future__ import annotations

import shutil
import textwrap
from html.parser import HTMLParser
from pathlib import Path

from papernotes.diagnostics import Diagnostic
from papernotes.engine.linkcheck import page_links
from papernotes.paths import RESERVED_PARTS
from papernotes.pipeline import check
from papernotes.records import CheckResult

REPO = Path(__file__).resolve().parents[1]

GOOD_BODY = textwrap.dedent(
    """\
    ## What the survey says

    The survey treats training agents in §5.3, citing SWE-RL [@wei2025swerl] and R2E-Gym [@jain2025r2egym].

    ## Why it matters

    It matters.
    """
)


def note_text(body: str = GOOD_BODY, **front: object) -> str:
    """A note with valid defaults; keyword arguments override front-matter lines (None drops one)."""
    fields: dict[str, object] = {
        "title": "A test note",
        "summary": "A test note about training agents.",
        "sections": '["5.3"]',
        "tags": "[swe-agents, agent-training]",
        "status": "draft",
    }
    fields.update(front)
    lines = [f"{k}: {v}" for k, v in fields.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


class KB:
    """A knowledge base in a temporary folder: the real data/ and part indexes, no notes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(REPO / "data", root / "data", ignore=shutil.ignore_patterns("refs-incoming"))
        for part in sorted((REPO / "notes").iterdir()):
            if (part / "index.md").is_file() and part.name not in RESERVED_PARTS:  # not the introductions of generated pages
                (root / "notes" / part.name).mkdir(parents=True)
                shutil.copy(part / "index.md", root / "notes" / part.name / "index.md")
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(REPO / "overrides", root / "overrides")

    def write(self, rel: str, text: str | bytes) -> Path:
        """Write a file relative to the root (a note path such as notes/agents/x.md)."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def check(self) -> CheckResult:
        return check(self.root, workers=1)

    def problems(self, path: str | None = None, *, warnings: bool = True) -> list[Diagnostic]:
        """Diagnostics, optionally only for one path and only errors."""
        found = self.check().diagnostics
        return [d for d in found if (path is None or d.path == path) and (warnings or d.severity.value == "error")]


_LINKING = {"href": {"a", "link", "area"}, "src": {"img", "script", "source", "iframe"}}  # the elements whose attribute is a link


class _Links(HTMLParser):
    """The ids and links of a page as the standard library's parser reads them."""

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
            elif tag in _LINKING.get(name, ()):
                self.links.append(value)


def parser_links(text: str) -> tuple[set[str], list[str]]:
    """What the link check must find on a page (ids; links in order), read by html.parser: its reference."""
    parser = _Links()
    parser.feed(text)
    parser.close()
    return parser.ids, parser.links


def pages_read_unlike_html_parser(site: Path) -> list[str]:
    """The pages of a built site on which the link check's reader finds other ids or links than html.parser."""
    unlike = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        found = page_links(text)
        if (found.ids, found.links) != parser_links(text):
            unlike.append(page.relative_to(site).as_posix())
    return unlike
