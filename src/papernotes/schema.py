"""Every document's schema, declared once: one tuple of `Field`s per kind of document.

From these declarations come the checks (front matter: `fmcheck.validate_mapping`; data files: their
loaders, through each field's kind), the JSON Schema for editors (`papernotes schema`), the
contributor reference generated into CONTRIBUTING.md, and the attributes of the records that hold
the values (held to the declarations by `record_mismatches`, run by the tests).
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Sequence
from typing import Any

from papernotes.kinds import Choice, Date, Field, Ident, Int, Kind, List, Number, Records, Text
from papernotes.paths import SLUG_RE

SECTION_NUMBER = r"^[1-9][0-9]?(?:\.[1-9][0-9]?){0,3}$"
SLUG = SLUG_RE.pattern
SEEN = Choice(("seen", "inferred"))

# --- notes/<part>/<slug>.md -----------------------------------------------------------------------

NOTE_FIELDS: tuple[Field, ...] = (
    Field("title", Text(max_length=120), True, "The note's title, in sentence case, without a trailing period.", "Training SWE agents"),
    Field(
        "summary",
        Text(max_length=300),
        True,
        "One sentence that stands alone in a listing; also the page's meta description and search snippet.",
        "How the survey says SWE agents are trained, from fine-tuning on trajectories to RL.",
    ),
    Field(
        "sections",
        List(Ident(SECTION_NUMBER, "a section number such as 5.3.1"), min_items=1),
        True,
        "Survey section numbers the note covers, quoted; each must exist in data/survey.yaml. The first sets the note's place in the reading order.",
        '["5.3", "5.3.1"]',
    ),
    Field(
        "tags",
        List(Ident(SLUG, "lowercase kebab-case"), min_items=1),
        True,
        "Tags from data/tags.yaml; an alias is accepted with a warning.",
        "[swe-agents, agent-training]",
    ),
    Field(
        "status",
        Choice(("draft", "reviewed")),
        True,
        "`draft` until a second reader has checked the note against its sources, then `reviewed`.",
        "draft",
    ),
    Field(
        "cites",
        List(Ident(r"^[A-Za-z0-9][A-Za-z0-9_:.+-]*$", "a BibTeX key")),
        False,
        "BibTeX keys from data/references.bib that the note relies on beyond its inline [@key] citations.",
        "[wei2025swerl]",
    ),
    Field(
        "contributors",
        List(Ident(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,38})$", "a handle of letters, digits, '.', '_' or '-'")),
        False,
        "Handles of the people who wrote or reviewed the note.",
        "[octocat]",
    ),
    Field("updated", Date(), False, "The date of the last substantive change, YYYY-MM-DD.", "2026-11-28"),
    Field(
        "basis",
        List(Ident(SLUG, "lowercase kebab-case")),
        False,
        "Ids from data/sources.yaml of the public summaries of the survey that the note rests on.",
        "[ko-summary, es-summary]",
    ),
    Field(
        "confidence",
        Choice(("single-source", "corroborated")),
        False,
        "`corroborated` when the note's key facts were found in two independent sources, else `single-source`.",
        "corroborated",
    ),
)

# --- notes/<part>/index.md ------------------------------------------------------------------------

PART_FIELDS: tuple[Field, ...] = (
    Field("title", Text(max_length=80), True, "The part's title.", "Agents"),
    Field("summary", Text(max_length=300), True, "One sentence describing the part.", "Software-engineering agents and code for generalist agents."),
    Field("order", Int(), True, "Position of the part on the home page and in the navigation.", "5"),
    Field("covers", Text(max_length=200), True, "Which survey chapters and sections the part gathers, in words.", '"chapters 5 and 6"'),
)

# --- data/survey.yaml: the `survey` mapping, each of the `sections` and their `topics` ------------

SURVEY_FIELDS: tuple[Field, ...] = (
    Field("arxiv", Ident(r"[0-9]{4}\.[0-9]{4,5}\Z", 'a quoted arXiv id such as "2511.18538"'), True),
    Field("version", Int(1, 99), True),
    Field("title", Text(nonblank=False), True),
    Field("short_title", Text(nonblank=False)),
    Field("authors", List(Text(), min_items=1, doc="a list of one or more names"), True),
    Field("date", Date("2025-12-06", quoted=True), True),
    Field("first_submitted", Date("2025-11-23", quoted=True)),
    Field("pages", Int(1, 100_000)),
    Field("doi", Ident(r"[^\s<>()\[\]\"'`\\]*\Z", "a DOI without blanks, quotes or brackets")),
)

TOPIC_FIELDS: tuple[Field, ...] = (
    Field("title", Text(nonblank=False), True),
    Field("confidence", SEEN, default="inferred"),
)

SECTION_FIELDS: tuple[Field, ...] = (
    Field("number", Ident(SECTION_NUMBER, 'a quoted string such as "5.3.1"'), True),
    Field("title", Text(nonblank=False), True),
    Field("title_wording", Choice(("exact", "translated")), True),
    Field("confidence", SEEN, True),
    Field("anchor", Ident(r"[A-Za-z0-9._:-]*\Z", "an HTML id of letters, digits, '.', '_', ':' or '-'")),
    Field("anchor_confidence", SEEN, default="inferred"),
    Field("pdf_page", Int(0, 100_000)),
    Field("pages", Text(nonblank=False)),
    Field("sources", List(Text(nonblank=False), doc="a list of source ids")),
    Field("note", Text(nonblank=False)),
    Field("topics", Records(TOPIC_FIELDS)),
)

# --- data/tags.yaml: each of the `tags` (the `groups` map an id to a label) -----------------------

TAG_FIELDS: tuple[Field, ...] = (
    Field("group", Text(nonblank=False), True),  # an id from `groups`, which the loader checks
    Field("description", Text(nonblank=False), True),
    Field("aliases", List(Ident(SLUG, "lowercase kebab-case"), doc="a list of lowercase kebab-case names")),
)

# --- data/charts/<name>.yaml ----------------------------------------------------------------------

BAR_FIELDS: tuple[Field, ...] = (
    Field("label", Text(nonblank=False), True),
    Field("value", Number(), True),
)

CHART_FIELDS: tuple[Field, ...] = (
    Field("title", Text(), True),
    Field("description", Text(), True),
    Field("source", Text(), True),
    Field("value_label", Text(), True),
    Field("bars", Records(BAR_FIELDS, min_items=1), True),
    Field("axis_min", Number()),  # where the bars start: at most the smallest value, which the loader checks
    Field("decimals", Int(0, 6), default=3),
)

# --- data/sources.yaml and data/glossary.yaml: each entry of `sources` and of `terms` ---------------

MAX_LINE_TEXT = 300  # one line of a registry: a title, a use, a definition
MAX_TERM = 60
SOURCE_KINDS = ("abstract-page", "summary", "adaptation", "companion-paper", "section-map")
LINE = Text(max_length=MAX_LINE_TEXT)

SOURCE_FIELDS: tuple[Field, ...] = (
    Field("title", LINE, True),
    Field("kind", Choice(SOURCE_KINDS), True),
    Field("language", Ident(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$", "a language tag such as en or ko"), True),
    Field("covers", Int(0, 99), True),  # the survey version the source was written from; 0 when it does not say
    Field("good_for", LINE, True),
    Field("url", Ident(r"(?i)^https?://[^\s<>()\[\]\"'`\\]+$", "an http(s) URL without blanks, quotes or brackets")),
    Field("where", LINE),
    Field("caveat", LINE),
)


class Spelling(Kind):
    """A glossary term or one of its spellings: what `*[term]:` and a table cell can hold, and whole words."""

    __slots__ = ()

    _CHARS = re.compile(r"^[^\s\[\]<>*`\\|]+(?: [^\s\[\]<>*`\\|]+)*$")
    _WORD_ENDS = re.compile(r"^\w(?:.*\w)?$")

    def describe(self) -> str:
        return "a spelling"

    def accepts(self, value: Any) -> bool:
        return not self.problem(value)

    def problem(self, value: Any) -> str:
        reason = Text(max_length=MAX_TERM).problem(value)
        if reason:
            return reason
        if not self._CHARS.match(value):
            return "may not contain brackets, '*', '`', '|', '\\' or runs of blanks"
        return "" if self._WORD_ENDS.match(value) else "must start and end with a letter or digit (the tooltip matches whole words)"


TERM = Spelling()
TERM_FIELDS: tuple[Field, ...] = (
    Field("definition", LINE, True),
    Field("note", Ident(r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$", "a note id such as evaluation/evaluation-metrics"), True),
    Field("section", Ident(SECTION_NUMBER, 'a quoted section number such as "3.1"'), True),
    Field("aliases", List(TERM, min_items=1, doc="a non-empty list of spellings", explain_items=True)),
)


# --- views of a declaration -----------------------------------------------------------------------


def json_schema(fields: Sequence[Field] = NOTE_FIELDS) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of a note's front matter, for editors."""
    props: dict[str, Any] = {}
    for f in fields:
        props[f.name] = {**f.kind.json(), "description": f.doc}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://papernotes.invalid/schema/note-front-matter.json",
        "title": "papernotes note front matter",
        "type": "object",
        "properties": props,
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def reference_markdown(fields: Sequence[Field] = NOTE_FIELDS) -> str:
    """The front-matter reference table, as Markdown (generated into CONTRIBUTING.md)."""
    rows = ["| key | required | type | what | example |", "|---|---|---|---|---|"]
    for f in fields:
        rows.append(f"| `{f.name}` | {'yes' if f.required else 'no'} | {f.kind.table()} | {f.doc} | `{f.example}` |")
    rows.append("")
    rows.append("Any other key is an error (`PN107 unknown-key`).")
    return "\n".join(rows) + "\n"


def record_mismatches(record: type, fields: Sequence[Field], *, exact: bool = True, typed: bool = True, defaults: bool = True) -> list[str]:
    """How a record class strays from a declaration: a declared field it lacks or holds out of order,
    with another type (`typed`: the type of a front-matter value) or default (`defaults`: an optional
    field defaults to its value when absent, a required one has no default); with `exact`, an
    attribute that is not declared. [] when the record holds what the declaration says."""
    attrs = {a.name: a for a in dataclasses.fields(record)}
    hints = typing.get_type_hints(record) if typed else {}
    out = []
    order = [a for a in attrs if a in {f.name for f in fields}]
    if order != [f.name for f in fields if f.name in attrs]:
        out.append(f"{record.__name__}: the fields are in another order than declared")
    for f in fields:
        attr = attrs.get(f.name)
        if attr is None:
            out.append(f"{record.__name__} has no attribute for the declared field '{f.name}'")
            continue
        has_default = attr.default is not dataclasses.MISSING or attr.default_factory is not dataclasses.MISSING
        if defaults and f.required and has_default:
            out.append(f"{record.__name__}.{f.name} has a default, but the field is required")
        if defaults and not f.required and (not has_default or attr.default != f.absent):
            out.append(f"{record.__name__}.{f.name} must default to {f.absent!r}, the value of the field when it is absent")
        if typed:
            wanted = f.kind.value_type() if f.required or f.absent is not None else f.kind.value_type() | None  # type: ignore[operator]
            if hints.get(f.name) != wanted:
                out.append(f"{record.__name__}.{f.name} is {hints.get(f.name)}, the field's values are {wanted}")
    if exact:
        out += [f"{record.__name__}.{name} is not a declared field" for name in attrs if name not in {f.name for f in fields}]
    return out
