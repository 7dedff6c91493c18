"""Integration: stage and build the real knowledge base with `mkdocs build --strict`, read the HTML."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from papernotes.engine.linkcheck import check_site
from papernotes.engine.render import build_site
from papernotes.engine.staging import write_staging
from papernotes.pipeline import check, stage_files
from support import REPO, pages_read_unlike_html_parser

pytestmark = pytest.mark.slow
REPO_URL = "https://github.com/example/papernotes"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real notes, staged and built into a temporary copy of the repository."""
    root = tmp_path_factory.mktemp("repo")
    for name in ("notes", "data", "overrides"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = check(root)
    assert result.ok(), [d.render() for d in result.diagnostics]
    write_staging(stage_files(result), root)
    env = {**os.environ, "PAPERNOTES_REPO_URL": REPO_URL, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return root / "site"


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_note_page_links_to_arxiv_sections(site: Path) -> None:
    """A note shows its survey sections, linked to the pinned v5 PDF page and the survey map."""
    page = read(site, "agents/training-swe-agents/index.html")
    assert 'href="https://arxiv.org/pdf/2511.18538v5#page=132"' in page
    assert "§5.3 Training SWE Agents" in page
    assert 'href="../../survey/#s5-3"' in page


def test_note_page_has_references_backlinks_tags_and_edit_link(site: Path) -> None:
    """References, Referenced by, tag chips linking to tag pages, and an edit link to the source."""
    page = read(site, "agents/training-swe-agents/index.html")
    assert 'id="references"' in page and 'href="https://arxiv.org/abs/2502.18449"' in page
    assert 'id="referenced-by"' in page
    assert 'href="../../tags/swe-agents/"' in page
    assert f'href="{REPO_URL}/edit/main/notes/agents/training-swe-agents.md"' in page


def test_generated_pages_exist(site: Path) -> None:
    """Home, part indexes, tag index and tag pages, survey map, bibliography, checks and explorer are built."""
    for rel in [
        "index.html",
        "agents/index.html",
        "tags/index.html",
        "tags/rlvr/index.html",
        "survey/index.html",
        "survey/coverage.svg",
        "bibliography/index.html",
        "checks/index.html",
        "explore/index.html",
    ]:
        assert (site / rel).is_file(), rel
    assert 'id="s5-3-1"' in read(site, "survey/index.html")
    assert 'id="wei2025swerl"' in read(site, "bibliography/index.html")
    assert "PN113" in read(site, "checks/index.html")


def test_generated_pages_are_not_editable(site: Path) -> None:
    """Generated pages have no edit link; authored part indexes do."""
    assert "/edit/main/" not in read(site, "tags/rlvr/index.html")
    assert f"{REPO_URL}/edit/main/notes/agents/index.md" in read(site, "agents/index.html")


def test_notes_json(site: Path) -> None:
    """notes.json has one valid record per note with the documented fields."""
    records = json.loads(read(site, "notes.json"))
    assert len(records) == len(check(REPO).corpus.notes)  # type: ignore[union-attr]
    fields = {"id", "title", "summary", "part", "tags", "sections", "cites", "url", "updated"}
    for record in records:
        assert fields <= set(record)
        assert (site / record["url"] / "index.html").is_file()


def test_nav_does_not_list_notes(site: Path) -> None:
    """The navigation lists parts and generated pages, not every note."""
    home = read(site, "index.html")
    assert home.count('class="md-nav__link"') < 40


def test_site_has_no_external_resources(site: Path) -> None:
    """No page loads fonts or scripts from another host."""
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, page
        assert '<script src="http' not in text, page


def test_link_checker_passes_on_the_real_site(site: Path) -> None:
    """Every internal link and anchor of the built site resolves."""
    assert [b.render() for b in check_site(site)] == []


def test_link_checker_reads_the_real_site_as_html_parser_does(site: Path) -> None:
    """On every page of the built site, the link check finds the ids and links that html.parser finds."""
    assert len(list(site.rglob("*.html"))) > 50
    assert pages_read_unlike_html_parser(site) == []


def test_link_checker_catches_a_broken_link(tmp_path: Path) -> None:
    """The link checker reports a missing page and a missing anchor."""
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/">ok</a><a href="b/">missing</a><a href="a/#nope">anchor</a><p id="x"></p><a href="#x">self</a>')
    (tmp_path / "a" / "index.html").write_text('<h1 id="top">A</h1><a href="../index.html#x">back</a>')
    assert [(b.page, b.target) for b in check_site(tmp_path)] == [("index.html", "a/#nope"), ("index.html", "b/")]


def test_link_checker_on_every_core_finds_what_one_process_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large site is read on every core (`parallel.map_in_order`); the broken links are the same, in the same order."""
    from papernotes import parallel
    from papernotes.engine import linkcheck

    for i in range(800):
        (tmp_path / f"p{i}").mkdir()
        (tmp_path / f"p{i}" / "index.html").write_text(
            f'<h1 id="t{i}">P</h1><a href="../p{(i + 1) % 800}/#t{(i + 1) % 800}">next</a><a href="../p{i + 1}/#t{i}">off</a>'
        )
    one = check_site(tmp_path)
    monkeypatch.setattr(linkcheck, "PARALLEL_PAGES", 2)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    assert check_site(tmp_path) == one and len(one) == 800


def test_failed_build_keeps_the_previous_site(tmp_path: Path) -> None:
    """When mkdocs fails, site/ is left exactly as it was."""
    (tmp_path / "build").mkdir()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("old site")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: missing-folder\n")
    code, _, _ = build_site(tmp_path)
    assert code != 0
    assert (tmp_path / "site" / "index.html").read_text() == "old site"


def test_a_reviewed_note_opens_with_its_summary_and_no_status_line(site: Path) -> None:
    """Title, then summary, then one collapsed block; a reviewed note does not repeat "Status: reviewed"."""
    page = read(site, "open-problems/evaluating-agents/index.html")
    after_title = page.split("</h1>", 1)[1].lstrip()
    assert after_title.startswith("<p>Why the survey's benchmarks struggle")
    assert '<details class="pn-about">' in after_title.split("<h2", 1)[0]
    assert "Status:" not in page and "Survey sections" in page


def test_maintainer_pages_are_under_contributing(site: Path) -> None:
    """The checks page is listed under a Contributing section of the navigation, not at the top level."""
    import re

    home = read(site, "index.html")
    contributing = re.split(r">\s*Contributing\s*<", home, maxsplit=1)[1].split("</nav>", 1)[0]
    assert 'href="checks/"' in contributing


def test_sitemap_lists_every_page_by_location_only(site: Path) -> None:
    """sitemap.xml is valid XML with one <loc> per built page and nothing else per page (for crawlers: small, and alike in two builds of one commit)."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(read(site, "sitemap.xml"))  # noqa: S314 - our own build's output
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = root.findall(f"{ns}url")
    pages = [p for p in site.rglob("index.html") if p.relative_to(site).parts[0] not in {"pagefind", "assets"}]
    assert len(urls) == len(pages)
    assert all([child.tag for child in url] == [f"{ns}loc"] for url in urls)
