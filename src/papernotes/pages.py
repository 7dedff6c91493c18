"""The registry of generated pages: every file the emit stage writes, the anchors a link to it may
name, and whether an authored introduction may sit on top of it.

It sits low in the layers, beside `paths`: the link stage reads it to know which pages a note may
link to, the load stage to know where an introduction may be, and each emitter names the
declaration of the pages it writes (`emit/site.py`). tests/test_pages.py stages knowledge bases and
fails when an emitter writes a page that is not declared here, or a page declared here is not
written.

An introduction is authored Markdown at `notes/<staged path>` (`notes/tags/rlvr.md` for the page
of the tag `rlvr`, `notes/index.md` for the home page), the same rule that puts a note's page at
its own path. The page places it above its generated listing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from papernotes import paths
from papernotes.diagnostics import Diagnostic, Rule, diag
from papernotes.hints import did_you_mean
from papernotes.paths import SitePath, SourcePath

if TYPE_CHECKING:
    from papernotes.records import KnowledgeData

Anchors = frozenset[str] | None  # None: the page exists, its anchors are not checked
NOTES = "notes"  # the folder of authored files, whose layout mirrors the staged tree


@dataclass(frozen=True)
class Inputs:
    """What the generated pages are made from: the data, each note's staged path and anchors (read
    once, in order), and each part's staged index."""

    data: KnowledgeData
    notes: Iterable[tuple[str, frozenset[str]]] = ()
    parts: Iterable[str] = ()


@dataclass(frozen=True)
class Pages:
    """One kind of generated file: one page, or one per tag, note, chart…"""

    name: str
    where: str  # the staged path, with a <placeholder> for a family of pages: `tags/<tag>.md`
    pages: Callable[[Inputs], Iterable[tuple[SitePath, Anchors]]]
    linked: bool = True  # a note may link to it: the link check knows the page (and its anchors)
    intro: bool = False  # an introduction at notes/<staged path> is placed on it
    named: tuple[str, str] = ("", "")  # for a family: what an introduction is named after, and where that is listed

    @property
    def folder(self) -> str:
        """The first folder of its staged path ('' for a page at the top)."""
        return self.where.split("/")[0] if "/" in self.where else ""


def _one(site: SitePath, anchors: Callable[[KnowledgeData], Anchors] = lambda data: None) -> Callable[[Inputs], Iterable[tuple[SitePath, Anchors]]]:
    return lambda i: [(site, anchors(i.data))]


HOME = Pages("home", paths.HOME, _one(paths.HOME), intro=True)
NOTE_PAGES = Pages("note pages", "<part>/<slug>.md", lambda i: ((SitePath(s), a) for s, a in i.notes))
PART_PAGES = Pages("part listings", "<part>/index.md", lambda i: ((SitePath(s), None) for s in i.parts))
TAG_INDEX = Pages("tag index", paths.TAG_INDEX, _one(paths.TAG_INDEX), intro=True)
TAG_PAGES = Pages("tag pages", "tags/<tag>.md", lambda i: ((paths.tag_site(t), None) for t in i.data.vocab.tags), intro=True, named=("tag", "data/tags.yaml"))
SURVEY_MAP = Pages(
    "survey map",
    paths.SURVEY_MAP,
    _one(paths.SURVEY_MAP, lambda data: frozenset(paths.section_anchor(s.number) for s in data.survey.sections)),
    intro=True,
)
COVERAGE_CHART = Pages("coverage chart", paths.COVERAGE_SVG, _one(paths.COVERAGE_SVG), linked=False)
BIBLIOGRAPHY = Pages("bibliography", paths.BIBLIOGRAPHY, _one(paths.BIBLIOGRAPHY, lambda data: frozenset(data.refs)), intro=True)
GLOSSARY = Pages("glossary", paths.GLOSSARY, _one(paths.GLOSSARY), intro=True)
SOURCES = Pages("sources", paths.SOURCES, _one(paths.SOURCES), intro=True)
EXPLORE = Pages("explorer", paths.EXPLORE, _one(paths.EXPLORE), intro=True)
CHECKS = Pages("checks", paths.CHECKS, _one(paths.CHECKS), intro=True)
NOTES_JSON = Pages("notes.json", paths.NOTES_JSON, _one(paths.NOTES_JSON), linked=False)
# a link to a chart is checked against data/charts/ (link.check_links), not as a page
CHARTS = Pages("charts", "charts/<chart>.svg", lambda i: ((paths.chart_site(c), None) for c in i.data.charts), linked=False)

ALL: tuple[Pages, ...] = (
    HOME,
    NOTE_PAGES,
    PART_PAGES,
    TAG_INDEX,
    TAG_PAGES,
    SURVEY_MAP,
    COVERAGE_CHART,
    BIBLIOGRAPHY,
    GLOSSARY,
    SOURCES,
    EXPLORE,
    CHECKS,
    NOTES_JSON,
    CHARTS,
)
INTRO_FOLDERS = frozenset(p.folder for p in ALL if p.intro)  # '' is notes/ itself, for notes/index.md


def declared(inputs: Inputs) -> dict[SitePath, Anchors]:
    """Every generated file and its anchors (for the files a note may not link to, too)."""
    return {site: anchors for family in ALL for site, anchors in family.pages(inputs)}


def link_targets(inputs: Inputs) -> dict[str, Anchors]:
    """Every staged page a note may link to, with its anchors (None: anchors not checked)."""
    return {site: anchors for family in ALL if family.linked for site, anchors in family.pages(inputs)}


def intro_sites(data: KnowledgeData) -> dict[SitePath, Pages]:
    """Every generated page that takes an introduction, and its declaration."""
    inputs = Inputs(data)
    return {site: family for family in ALL if family.intro for site, _ in family.pages(inputs)}


def intro_source(site: SitePath) -> SourcePath:
    """Where the introduction of a generated page is written: `notes/<staged path>`."""
    return SourcePath(f"{NOTES}/{site}")


def intro_problem(source: str, data: KnowledgeData, accepted: dict[SitePath, Pages] | None = None) -> Diagnostic | None:
    """Why a Markdown file in a folder of generated pages introduces none of them; None when it
    introduces one."""
    accepted = intro_sites(data) if accepted is None else accepted
    site = SitePath(source.removeprefix(f"{NOTES}/"))
    if site in accepted:
        return None
    folder, _, name = site.rpartition("/")
    stem = name.removesuffix(".md")
    where = f"{NOTES}/{folder}/" if folder else f"{NOTES}/"
    family = next((p for p in ALL if p.intro and p.folder == folder and p.named[0]), None)
    if family is not None:
        kind, listed = family.named
        names = sorted(s.rpartition("/")[2].removesuffix(".md") for s in accepted if s.rpartition("/")[0] == folder)
        tag = data.vocab.canonical(stem) if family is TAG_PAGES else None
        hint = f"'{stem}' is an alias: name the file {tag}.md" if tag and tag != stem else did_you_mean(stem, names)
        message = f"there is no {kind} '{stem}' in {listed}: a file in {where} introduces the page of the {kind} it is named after"
        return diag("reserved-part", source, 0, 0, message, hint or f"name it after a {kind} of {listed}")
    siblings = sorted(s for s in accepted if s.rpartition("/")[0] == folder)
    allowed = " or ".join(intro_source(s) for s in siblings)
    return diag("reserved-part", source, 0, 0, f"{where} is reserved for generated pages; only {allowed} introduces one", f"rename it to {allowed}")


# What the table of generated pages checks: a file under a reserved folder must introduce one of them.
PAGE_RULES = (Rule("reserved-part", ("reserved-part",), intro_problem),)
