"""The schema declared once: each record holds what its declaration says, each kind's messages come
from the kind, and the tag-alias lookup lives in one place."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from papernotes.kinds import Choice, Date, Field, Ident, Int, List, Number, Records, Text
from papernotes.records import Chart, Item, NoteMeta, Part, Section, Source, Survey, Tag, Term, Topic, Vocabulary
from papernotes.schema import (
    CHART_FIELDS,
    NOTE_FIELDS,
    PART_FIELDS,
    SECTION_FIELDS,
    SOURCE_FIELDS,
    SURVEY_FIELDS,
    TAG_FIELDS,
    TERM_FIELDS,
    TOPIC_FIELDS,
    record_mismatches,
)

SRC = Path(__file__).resolve().parents[1] / "src" / "papernotes"


def test_note_meta_is_the_note_declaration() -> None:
    """NoteMeta has one attribute per declared front-matter key, in order, of the kind's type, with the
    kind's empty value as the default of an optional key: the loader builds it from the values alone."""
    assert record_mismatches(NoteMeta, NOTE_FIELDS) == []


def test_part_holds_the_part_declaration() -> None:
    """A part record holds every key of a part page's front matter, with its type."""
    assert record_mismatches(Part, PART_FIELDS, exact=False) == []


@pytest.mark.parametrize(
    ("record", "fields", "exact", "defaults"),
    [
        (Section, SECTION_FIELDS, True, True),
        (Topic, TOPIC_FIELDS, True, True),
        (Tag, TAG_FIELDS, False, True),
        (Chart, CHART_FIELDS, False, True),
        (Source, SOURCE_FIELDS, False, True),
        (Term, TERM_FIELDS, False, True),
        (Survey, SURVEY_FIELDS, False, False),  # the loader fills the optional fields (a short title is the title)
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_data_records_hold_their_declarations(record: type, fields: tuple[Field, ...], exact: bool, defaults: bool) -> None:
    """Each data-file record has an attribute for every declared field, in the declared order and,
    where the loader relies on it, with the declared default."""
    assert record_mismatches(record, fields, exact=exact, typed=False, defaults=defaults) == []


def test_record_mismatches_finds_every_kind_of_drift() -> None:
    """A record that drifted from its declaration is caught: a missing, extra, reordered, mistyped or
    wrongly defaulted attribute each gives a line."""

    @dataclasses.dataclass(frozen=True)
    class Drifted:
        summary: str
        title: int
        status: str = "draft"
        updated: dt.date | None = None
        extra: str = ""

    fields = (
        Field("title", Text(), True),
        Field("summary", Text(), True),
        Field("status", Choice(("draft", "reviewed"))),
        Field("updated", Date()),
        Field("tags", List(Ident("^x$", "x"))),
    )
    found = record_mismatches(Drifted, fields)
    assert found == [
        "Drifted: the fields are in another order than declared",
        "Drifted.title is <class 'int'>, the field's values are <class 'str'>",
        "Drifted.status must default to '', the value of the field when it is absent",
        "Drifted has no attribute for the declared field 'tags'",
        "Drifted.extra is not a declared field",
    ]


def test_a_front_matter_list_is_a_tuple_of_positioned_items() -> None:
    """The type a list key gives its record attribute: positioned items, so checks can point at them."""
    assert List(Ident("^x$", "x")).value_type() == tuple[Item, ...]
    assert Date().value_type() is dt.date
    assert Int().value_type() is int


@pytest.mark.parametrize(
    ("kind", "value", "reason"),
    [
        (Int(1, 99), 100, "must be a whole number from 1 to 99"),
        (Int(0, 100_000), True, "must be a whole number from 0 to 100,000"),
        (Int(1, 99), 5, ""),
        (Choice(("seen", "inferred")), "maybe", "must be seen or inferred"),
        (Choice(("a", "b", "c")), 1, "must be one of a, b, c"),
        (Text(nonblank=False), 3, "must be text"),
        (Text(nonblank=False), "", ""),
        (Text(max_length=5), " ", "must be non-empty text"),
        (Text(max_length=5), "x" * 6, "is 6 characters; at most 5"),
        (Date("2025-12-06", quoted=True), dt.date(2025, 12, 6), 'must be a quoted date such as "2025-12-06"'),
        (Date("2025-12-06", quoted=True), "2025-12-6", 'must be a quoted date such as "2025-12-06"'),
        (Date("2025-12-06", quoted=True), "2025-12-06", ""),
        (Number(), False, "must be a number"),
        (List(Text(), min_items=1, doc="a list of one or more names"), [], "must be a list of one or more names"),
        (List(Text(), min_items=1, doc="a list of one or more names"), ["a", " "], "must be a list of one or more names"),
        (List(Text(max_length=2), doc="a list", explain_items=True), ["abc"], "item 'abc' is 3 characters; at most 2"),
        (
            Records((Field("title", Text(nonblank=False), True), Field("confidence", Choice(("seen", "inferred")), default="inferred"))),
            [{}],
            "must be a list of {title, confidence: seen|inferred}",
        ),
        (Records((Field("title", Text(nonblank=False), True),)), [{"title": "t", "other": 1}], ""),
        (Ident(r"[0-9]{4}\.[0-9]{4,5}\Z", "an arXiv id"), "2511.18538\n", "must be an arXiv id"),
    ],
)
def test_a_data_file_reason_comes_from_the_kind(kind: object, value: object, reason: str) -> None:
    """A data file's diagnostic says what the declared kind says: its doc after "must be", or why an item fails."""
    assert kind.problem(value) == reason  # type: ignore[attr-defined]


def test_vocabulary_canonical() -> None:
    """One lookup from a name to its tag: a tag is itself, an alias its tag, anything else None; a
    name that is both (an error of tags.yaml) stands for the alias's tag."""
    vocab = Vocabulary(
        {"rl": Tag("rl", "g", "d"), "sft": Tag("sft", "g", "d", ("instruction-tuning",)), "x": Tag("x", "g", "d", ("rl",))},
        (("g", "G"),),
        {"instruction-tuning": "sft", "rl": "x"},
    )
    assert vocab.canonical("sft") == "sft"
    assert vocab.canonical("instruction-tuning") == "sft"
    assert vocab.canonical("nope") is None
    assert vocab.canonical("rl") == "x"
    names = ["instruction-tuning", "nope", "sft", "rl", "x"]
    assert vocab.tags_of(names) == ("sft", "nope", "sft", "x", "x")
    assert vocab.tags_of(names) == tuple(vocab.canonical(n) or n for n in names)
    assert vocab.spellings() == ["rl", "sft", "x", "instruction-tuning", "rl"]


def test_the_alias_index_is_read_in_one_place() -> None:
    """Only the vocabulary record and the loader that builds it touch the alias index; every other
    module asks `Vocabulary.canonical` (or `tags_of`, built on it)."""
    allowed = {SRC / "records.py", SRC / "data" / "tags.py"}
    readers = [
        f"{path.relative_to(SRC)}:{n}"
        for path in sorted(SRC.rglob("*.py"))
        if path not in allowed
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"vocab\w*\.aliases|\baliases\.get\(", line)
    ]
    assert readers == []


def test_hints_sit_with_the_diagnostics() -> None:
    """The did-you-mean helper is in hints.py, beside diagnostics.py, and nowhere else."""
    defined = [str(p.relative_to(SRC)) for p in sorted(SRC.rglob("*.py")) if "def did_you_mean(" in p.read_text(encoding="utf-8")]
    assert defined == ["hints.py"]
