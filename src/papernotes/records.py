"""The records the stages pass on: frozen, built by the loaders, read by the checks and the emitters.
Every stage takes its types from here, never from another stage's module.

Long because every record is here, those of the data files and those of the notes, each a few
declared fields and no stage logic.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from papernotes.codes import Severity
from papernotes.diagnostics import Diagnostic
from papernotes.paths import SitePath, SourcePath

# --- data files (data/): the survey, the tag vocabulary, the bibliography, the charts, the registries ----
#
# The fields a data file may hold are declared in schema.py; each record's attributes are the
# declared fields (tests/test_schema.py holds them to it), plus where the entry sits in its file.


@dataclass(frozen=True)
class Topic:
    """A topic the sources place inside a section, without a number of its own."""

    title: str
    confidence: str = "inferred"


@dataclass(frozen=True)
class Section:
    """One entry of the survey's table of contents and how sure we are of it."""

    number: str
    title: str
    title_wording: str
    confidence: str
    anchor: str = ""
    anchor_confidence: str = "inferred"
    pdf_page: int = 0
    pages: str = ""
    sources: tuple[str, ...] = ()
    note: str = ""
    topics: tuple[Topic, ...] = ()

    @property
    def level(self) -> int:
        return self.number.count(".") + 1

    @property
    def chapter(self) -> str:
        return self.number.split(".")[0]

    @property
    def parent(self) -> str:
        return self.number.rsplit(".", 1)[0] if "." in self.number else ""

    @property
    def key(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.number.split("."))


@dataclass(frozen=True)
class Survey:
    """The survey's identity, pinned to one version, and its table of contents in order."""

    arxiv: str
    version: int
    title: str
    short_title: str
    authors: tuple[str, ...]
    date: str
    first_submitted: str
    pages: int
    doi: str
    sections: tuple[Section, ...]
    sources: tuple[tuple[str, str, str], ...] = ()
    by_number: dict[str, Section] = field(default_factory=dict, compare=False, hash=False)

    @property
    def versioned(self) -> str:
        return f"{self.arxiv}v{self.version}"

    def chapters(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.level == 1)


@dataclass(frozen=True)
class Tag:
    """A tag of the controlled vocabulary."""

    name: str
    group: str
    description: str
    aliases: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Vocabulary:
    """Tags, their groups (in display order) and the alias index."""

    tags: dict[str, Tag]
    groups: tuple[tuple[str, str], ...]
    aliases: dict[str, str]

    def canonical(self, name: str) -> str | None:
        """The tag `name` stands for: the tag it is an alias of, itself, or None when it is neither. (A
        name that is both a tag and an alias, an error of tags.yaml, stands for the alias's tag.)"""
        return self.aliases.get(name) or (name if name in self.tags else None)

    def tags_of(self, names: Iterable[str]) -> tuple[str, ...]:
        """`canonical(name) or name` for each name: an unknown name stays as written (the check reports
        it). Written out, as the emitters call it for every tag of every note."""
        aliases = self.aliases
        return tuple(aliases.get(n) or n for n in names)

    def spellings(self) -> list[str]:
        """Every name a note may write: the tags, then the aliases."""
        return [*self.tags, *self.aliases]


@dataclass(frozen=True)
class Reference:
    """A bibliography entry with its raw BibTeX fields."""

    key: str
    entry_type: str
    fields: tuple[tuple[str, str], ...]
    line: int

    def get(self, name: str) -> str:
        for k, v in self.fields:
            if k.lower() == name:
                return _strip_braces(v)
        return ""

    @property
    def arxiv(self) -> str:
        return self.get("eprint") if self.get("archiveprefix").lower() == "arxiv" else ""

    @property
    def authors(self) -> tuple[str, ...]:
        raw = self.get("author")
        return tuple(a.strip() for a in re.split(r"\s+and\s+", raw) if a.strip()) if raw else ()

    def url(self) -> str:
        """Where the work is: its arXiv page, its DOI, or its URL ('' when it has none)."""
        if self.arxiv:
            return f"https://arxiv.org/abs/{self.arxiv}"
        if self.get("doi"):
            return f"https://doi.org/{self.get('doi')}"
        return self.get("url")


def _strip_braces(value: str) -> str:
    return re.sub(r"\s+", " ", value.replace("{", "").replace("}", "")).strip()


@dataclass(frozen=True)
class Chart:
    """Data for one bar chart."""

    name: str
    title: str
    description: str
    source: str
    value_label: str
    bars: tuple[tuple[str, float], ...]
    axis_min: float = 0.0  # where the bars start; anything but 0 is labelled on the chart
    decimals: int = 3  # as many as the note's table shows


@dataclass(frozen=True)
class Source:
    """One public summary, adaptation or map of the survey that notes may rest on."""

    id: str
    title: str
    kind: str
    language: str
    covers: int  # the survey version it was written from; 0 when it does not say
    good_for: str
    url: str = ""
    where: str = ""
    caveat: str = ""
    line: int = 0


@dataclass(frozen=True)
class Term:
    """A glossary term: its definition, the note that explains it best and where the survey treats it."""

    term: str
    definition: str
    note: str  # <part>/<slug>
    section: str
    aliases: tuple[str, ...] = ()
    line: int = 0

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


@dataclass(frozen=True)
class KnowledgeData:
    """Everything under data/."""

    survey: Survey
    vocab: Vocabulary
    refs: dict[str, Reference]
    charts: dict[str, Chart]
    sources: dict[str, Source] = field(default_factory=dict)
    glossary: dict[str, Term] = field(default_factory=dict)


# --- end of the data-file records ----------------------------------------------------------------


# --- notes (notes/): what the load stage reads, from a front-matter string to a part's page ---------


class Item(NamedTuple):
    """A string from the front matter with the position it came from."""

    value: str
    line: int
    col: int


class Heading(NamedTuple):
    """A heading and the anchor id the site will give it."""

    level: int
    text: str
    anchor: str
    line: int


class Link(NamedTuple):
    """A relative link or image in the body (external links are not kept)."""

    target: str
    line: int
    col: int
    image: bool


class Ref(NamedTuple):
    """A citation key or a §-reference, where it was written."""

    value: str
    line: int
    col: int


class Span(NamedTuple):
    """A stretch of the body that staging rewrites: `cite` (keys) or `sec` (a section number), `math` (TeX, inline or display) or `image` (target, alt text)."""

    start: int
    end: int
    kind: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class BodyScan:
    """Everything the checker and the emitter need from a body."""

    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    citations: tuple[Ref, ...]
    section_refs: tuple[Ref, ...]
    spans: tuple[Span, ...]
    words: int
    diags: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class NoteMeta:
    """A note's validated front matter: one attribute per field of `schema.NOTE_FIELDS`, in its order,
    of the type its kind gives (tests/test_schema.py holds the two together)."""

    title: str
    summary: str
    sections: tuple[Item, ...]
    tags: tuple[Item, ...]
    status: str
    cites: tuple[Item, ...] = ()
    contributors: tuple[Item, ...] = ()
    updated: dt.date | None = None
    basis: tuple[Item, ...] = ()
    confidence: str = ""

    @property
    def chapters(self) -> list[str]:
        """The chapters of the note's survey sections, each once, in order ("3.2" and "3.4" give ["3"])."""
        return sorted({s.value.split(".")[0] for s in self.sections}, key=int)


@dataclass(frozen=True)
class Note:
    """One loaded note."""

    id: str
    part: str
    source: SourcePath
    site: SitePath
    meta: NoteMeta
    body: str
    body_line: int
    scan: BodyScan


@dataclass(frozen=True)
class Part:
    """A part folder and its authored index page."""

    name: str
    title: str
    summary: str
    order: int
    covers: str
    body: str
    source: SourcePath
    site: SitePath
    scan: BodyScan


@dataclass(frozen=True)
class Intro:
    """Authored Markdown at notes/<page> that a generated page (`pages`) places above its listing."""

    source: SourcePath
    site: SitePath
    body: str
    body_line: int
    scan: BodyScan


@dataclass(frozen=True)
class NoteFile:
    """A candidate note found on disk."""

    part: str
    slug: str
    source: SourcePath


# A link's target as written, its line and column, and the staged page it leads to ("" for an anchor on
# its own page, None when it leaves the site): a plain tuple, cheap to pickle (see link.resolved_links)
LinkAt = tuple[str, int, int, str | None]


class Page(NamedTuple):
    """What the link check needs of a part's index or an introduction (a note's `Summary` starts with
    the same fields): where it is, the anchors of its own headings (None: not checked), and its links."""

    source: SourcePath
    site: SitePath
    anchors: frozenset[str] | None
    links: tuple[LinkAt, ...]


class Summary(NamedTuple):
    """What the corpus-wide checks need of one loaded note, so that they never need the note itself.
    It crosses from a worker process to the main one, so its fields are plain values.

    `terms` serves only to find the glossary terms no note uses, and a term found once is not looked
    for again: a note lists the terms it uses that no earlier note of the same process used, except a
    note whose id another file shares (it may be dropped as a duplicate), which lists all of them,
    and a note of a round that keeps the notes for staging, which lists them all too.
    """

    source: SourcePath
    site: SitePath
    anchors: frozenset[str]
    links: tuple[LinkAt, ...]
    id: str
    cites: tuple[str, ...]  # bibliography keys it cites, as data/references.bib has them
    tags: tuple[str, ...]  # the tags it carries, as data/tags.yaml names them
    terms: tuple[str, ...]
    problems: tuple[Diagnostic, ...]  # its own problems (validate), reported unless it is dropped as a duplicate


class Loaded(NamedTuple):
    """What the per-note round returns for one file."""

    summary: Summary | None  # None when the note did not load
    note: Note | None  # the parsed note, when the caller keeps them
    diags: tuple[Diagnostic, ...]  # problems of reading and parsing it


@dataclass(frozen=True)
class Corpus:
    """The linked knowledge base: every index the emitters need, all sorted."""

    data: KnowledgeData
    notes: tuple[Note, ...]  # in reading order
    parts: tuple[Part, ...]  # in display order
    by_id: dict[str, Note]
    backlinks: dict[str, tuple[str, ...]]
    cited_by: dict[str, tuple[str, ...]]
    tagged: dict[str, tuple[str, ...]]
    covering: dict[str, tuple[str, ...]]
    cites: dict[str, tuple[str, ...]]  # note id -> every key it cites (front matter and inline), first use first
    intros: dict[str, Intro] = field(default_factory=dict)  # a generated page's staged path -> its authored introduction
    note_terms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # note id -> the glossary terms it uses
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)  # note id -> up to five related notes

    def tags_of(self, note: Note) -> tuple[str, ...]:
        """A note's tags by their canonical names (an alias written in the note gives its tag)."""
        return self.data.vocab.tags_of(t.value for t in note.meta.tags)

    def part(self, name: str) -> Part | None:
        for p in self.parts:
            if p.name == name:
                return p
        return None

    @cached_property
    def order(self) -> dict[str, int]:
        """Each note id's position in the reading order."""
        return {n.id: i for i, n in enumerate(self.notes)}

    @cached_property
    def term_users(self) -> dict[str, tuple[str, ...]]:
        """The notes that use each glossary term, in reading order."""
        users: dict[str, list[str]] = defaultdict(list)
        for note in self.notes:
            for name in self.note_terms.get(note.id, ()):
                users[name].append(note.id)
        return {name: tuple(ids) for name, ids in users.items()}

    @cached_property
    def part_places(self) -> dict[str, tuple[int, int]]:
        """Each note id's (position, count) among the notes of its part, in reading order."""
        sizes: dict[str, int] = defaultdict(int)
        places: dict[str, int] = {}
        for n in self.notes:
            sizes[n.part] += 1
            places[n.id] = sizes[n.part]
        return {n.id: (places[n.id], sizes[n.part]) for n in self.notes}

    def neighbours(self, note_id: str) -> tuple[Note | None, Note | None]:
        i = self.order[note_id]
        return (self.notes[i - 1] if i > 0 else None, self.notes[i + 1] if i + 1 < len(self.notes) else None)


@dataclass(frozen=True)
class CheckResult:
    """What a check found: every problem, sorted; the linked corpus, when the caller asked for it and
    the data files loaded; how many notes were checked (a note dropped as a duplicate is not); and
    whether the data files were usable (when not, nothing else was checked)."""

    corpus: Corpus | None
    diagnostics: tuple[Diagnostic, ...]
    notes: int = 0
    usable: bool = True

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors

    def ok(self, *, strict: bool = False) -> bool:
        return self.usable and self.errors == 0 and not (strict and self.warnings)


# --- end of the note records ---------------------------------------------------------------------
