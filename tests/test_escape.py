"""The front matter of a staged page: the direct writer of a note page's mapping writes what
`yaml.dump` writes, and the note pages take it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from papernotes.emit import escape
from papernotes.pipeline import check
from papernotes_bench.synth import generate
from support import REPO

# Pieces of YAML syntax, of what YAML reads as another type, and characters the emitter quotes or escapes.
TOKENS = [
    "a",
    "B",
    "z9",
    " ",
    "  ",
    "-",
    "- ",
    ":",
    ": ",
    "#",
    " #",
    ",",
    "[",
    "]",
    "{",
    "}",
    "?",
    "'",
    '"',
    "...",
    "---",
    "!",
    "|",
    ">",
    "*",
    "&",
    "%",
    "@",
    "`",
]
TOKENS += [
    "=",
    "<<",
    "~",
    "é",
    "“q”",
    "—",
    "&amp;",
    "&#x27;",
    "yes",
    "No",
    "on",
    "null",
    "true",
    "1",
    "0x1f",
    "1e3",
    ".5",
    "2024-01-01",
    "\u2028",
    "\xa0",
    "\t",
    "\ufeff",
    "\x85",
    "\U0001f600",
]
TEXT = st.lists(st.sampled_from(TOKENS), max_size=8).map("".join) | st.text(max_size=8)
KEYS = st.sampled_from(["title", "description", "tags", "source", "search_body", "on", "yes", "1", "a b", "x:", "_x"])
VALUES = TEXT | st.booleans() | st.lists(TEXT, max_size=4)


def dumped(values: dict[str, Any]) -> str:
    return yaml.dump(values, Dumper=escape._Dumper, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=None)


@settings(max_examples=600, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=6))
@example({"title": "A note", "tags": ["a-b", "c"], "search_body": True})
@example({"title": "x" * 950, "tags": []})  # folded by the emitter: left to it
@example({"title": "a: b", "tags": ["c,d"]})
@example({"title": "it's a: b", "description": "a #b", "source": "c:", "tags": []})
@example({"title": "a\U0001f600", "tags": []})  # escaped by the emitter
def test_the_direct_writer_writes_what_yaml_dump_writes(values: dict[str, Any]) -> None:
    """Whenever the direct writer writes a mapping, `yaml.dump` writes the same text."""
    fast = escape._block_mapping(values)
    if fast is not None:
        assert fast == dumped(values)


def test_a_list_given_twice_is_left_to_yaml_dump() -> None:
    """The same list under two keys is written once and then aliased, which only `yaml.dump` does."""
    tags = ["a"]
    assert escape._block_mapping({"tags": tags, "more": tags}) is None
    assert escape._block_mapping({"tags": tags, "more": ["a"]}) == "tags: [a]\nmore: [a]\n"


def test_note_pages_take_the_direct_writer(tmp_path: Path) -> None:
    """The front matter of every note page, of the real notes and the benchmark's, is written directly
    (so it is what is measured), and equals what `yaml.dump` writes."""
    taken = 0
    for root in (REPO, generate(tmp_path / "kb", 60, seed=8)):
        corpus = check(root, workers=1).corpus
        assert corpus is not None
        for note in corpus.notes:
            tags = list(corpus.data.vocab.tags_of(t.value for t in note.meta.tags))
            meta = {"title": note.meta.title, "description": note.meta.summary, "tags": tags, "source": note.source}  # as note_page gives it
            values = {key: escape.meta_value(key, value) for key, value in meta.items()}
            assert escape._block_mapping(values) == dumped(values), note.source
            taken += 1
    assert taken > 100
