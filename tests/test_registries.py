"""The sources registry and the glossary: loading, validation, the shared check, and what staging writes."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from papernotes.emit.site import emit_site
from papernotes.pipeline import check
from papernotes.records import Term
from papernotes.registries import TermFinder, first_uses, terms_in
from papernotes.schema import LINE
from support import KB, note_text

GLOSSARY = """\
terms:
  pass@k:
    definition: The chance that one of k samples passes; "unbiased" when n & k differ.
    note: agents/uses-passk
    section: "5.3"
    aliases: [pass@1]
  SWE-bench:
    definition: Real issues whose fix must pass the repository's own tests.
    note: agents/uses-passk
    section: "5.3"
"""

PASSK_BODY = "## Scores\n\nAgents report pass@1 and pass@k in §5.3 [@wei2025swerl] [@jain2025r2egym]; pass@kx is no term.\n"
PLAIN_BODY = "## Plain\n\nNothing from the glossary in §5.3 [@wei2025swerl] [@jain2025r2egym].\n"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("A plain line.", ""),
        ("", "must be non-empty text"),
        ("  ", "must be non-empty text"),
        (3, "must be non-empty text"),
        ("x" * 301, "is 301 characters; at most 300"),
    ],
)
def test_text_problem(value: object, reason: str) -> None:
    """A registry's text field is non-empty text within its length; its characters are the file reader's concern."""
    assert LINE.problem(value) == reason


def test_registry_text_is_held_to_the_rule_for_page_text(kb: KB) -> None:
    """Markup, control and bidi characters and line breaks in a glossary definition are PN407 on their line."""
    entries = [
        "'x\"><script>alert(1)</script>'",  # markup
        '"evil \\u202e text"',  # a YAML escape for RIGHT-TO-LEFT OVERRIDE
        '"two\\nlines"',  # a YAML escape for a line break
        '"x\\x1b[31m"',  # a YAML escape for ESC
    ]
    text = "".join(f"  t{i}:\n    definition: {d}\n    note: agents/x\n    section: '5.3'\n" for i, d in enumerate(entries))
    kb.write("data/glossary.yaml", "terms:\n" + text)
    found = [(d.line, d.code) for d in kb.problems("data/glossary.yaml") if d.severity.value == "error"]
    assert found == [(3, "PN407"), (7, "PN407"), (11, "PN407"), (15, "PN407")]


def test_terms_match_whole_words_only() -> None:
    """A spelling counts only with no letter or digit around it, as Python-Markdown's abbr matches it."""
    terms = [Term("pass@k", "d", "a/b", "5.3", ("pass@1",)), Term("MoE", "d", "a/b", "5.3")]
    assert terms_in("we report pass@1 here", terms) == ("pass@k",)
    assert terms_in("pass@kx and MoEs and xMoE", terms) == ()
    assert terms_in("(MoE) and pass@k.", terms) == ("pass@k", "MoE")


def _uses(text: str, spelling: str) -> bool:
    """The definition of a use: the spelling with no word character right before or after it."""
    return re.search(rf"(?<!\w){re.escape(spelling)}(?!\w)", text) is not None


# Word characters (ASCII, accented, a non-ASCII digit, '_') and others, as spellings and texts mix them.
_PIECES = st.sampled_from(["a", "b", "ab", "_", "1", "é", "\u0663", " ", "-", "@", "(", ".", "a b", "b-a"])
_SPELLINGS = st.lists(_PIECES, min_size=1, max_size=3).map("".join)


@settings(max_examples=400, deadline=None)
@example([["a"]], "ab a")  # the first occurrence is inside a word, the second is a use
@example([["a b"], ["(a"]], "x(a b")  # a spelling of two words; one that starts with no word character
@given(st.lists(st.lists(_SPELLINGS, min_size=1, max_size=3), min_size=1, max_size=5), st.lists(_PIECES, max_size=30).map("".join))
def test_the_term_finder_finds_what_a_whole_word_search_finds(spellings: list[list[str]], text: str) -> None:
    """The finder looks only for the spellings whose first word the text has, and finds all the same."""
    terms = [Term(f"t{i}", "d", "a/b", "5.3", tuple(s)) for i, s in enumerate(spellings)]
    expected = tuple(t.term for t in terms if any(_uses(text, s) for s in t.spellings))
    assert TermFinder(terms).find(text) == terms_in(text, terms) == expected


def test_glossary_usage_stops_looking_for_a_found_term() -> None:
    """Usage is the union over bodies, and a body after the last term is found is not even read."""
    terms = {"MoE": Term("MoE", "d", "a/b", "5.3"), "FIM": Term("FIM", "d", "a/b", "5.3")}

    class Unread(str):
        def __contains__(self, key: object) -> bool:
            raise AssertionError("read a body after every term was found")

    def bodies() -> object:
        yield "MoE here"
        yield "FIM there"
        yield Unread("MoE and FIM")

    assert {term for body in bodies() for term in first_uses(body, terms)} == {"MoE", "FIM"}  # type: ignore[attr-defined]


def test_the_real_sources_registry_loads_cleanly(kb: KB) -> None:
    """data/sources.yaml, as committed, has no problem and at least the summaries facts.md relies on."""
    result = kb.check()
    assert not [d for d in result.diagnostics if d.path == "data/sources.yaml"]
    assert result.corpus is not None
    assert {"ko-summary", "ko-digest", "es-summary", "de-notes", "hr-adaptation"} <= set(result.corpus.data.sources)


def test_a_bad_source_entry_is_reported_on_its_line(kb: KB) -> None:
    """A source needs its fields with the right values; a URL must be http(s) and plain."""
    kb.write(
        "data/sources.yaml",
        "sources:\n  ok-one:\n    title: Fine\n    kind: summary\n    language: en\n    covers: 5\n    good_for: Everything.\n    url: https://example.org/a\n"
        "  Bad_Id:\n    title: x\n"
        "  bad-url:\n    title: A\n    kind: summary\n    language: en\n    covers: 5\n    good_for: B.\n    url: 'javascript:alert(1)'\n"
        "  no-where:\n    title: A\n    kind: blog\n    language: en\n    covers: 5\n    good_for: B.\n",
    )
    found = [(d.line, d.message) for d in kb.problems("data/sources.yaml")]
    assert (9, "source id 'Bad_Id' must be lowercase kebab-case") in found
    assert (17, "'bad-url'.url must be an http(s) URL without blanks, quotes or brackets") in found
    assert (20, "'no-where'.kind must be one of abstract-page, summary, adaptation, companion-paper, section-map") in found
    assert kb.check().corpus is not None and set(kb.check().corpus.data.sources) == {"ok-one"}  # type: ignore[union-attr]


def test_the_shared_check_reports_glossary_problems_like_the_single_one(kb: KB) -> None:
    """Unused terms and missing notes are found the same way when the notes are shared between processes."""
    kb.write("data/glossary.yaml", GLOSSARY + "  FIM:\n    definition: Fill in the middle.\n    note: agents/gone\n    section: '5.3'\n")
    for i in range(12):
        kb.write(f"notes/agents/n{i:02d}.md", note_text(body=PLAIN_BODY))
    kb.write("notes/agents/uses-passk.md", note_text(body=PASSK_BODY))
    single = [d for d in kb.check().diagnostics if d.path == "data/glossary.yaml"]
    shared = [d for d in check(kb.root, workers=2, corpus=False).diagnostics if d.path == "data/glossary.yaml"]
    assert [(d.line, d.code) for d in single] == [(7, "PN442"), (11, "PN442"), (11, "PN443")]  # SWE-bench unused; FIM unused, its note missing
    assert shared == single


def test_a_note_dropped_as_a_duplicate_does_not_hide_a_term(kb: KB) -> None:
    """A process stops looking for a term once one of its notes used it; a note then dropped as a
    duplicate must not be that note, or a term a kept note uses after it would be reported unused."""
    kb.write("data/glossary.yaml", GLOSSARY)
    kb.write("notes/agents/uses-passk.md", note_text(body=PLAIN_BODY))
    kb.write("notes/agents/same-id.md", note_text(body=PLAIN_BODY))
    kb.write("notes/safety/same-id.md", note_text(body=PASSK_BODY))  # dropped: the same id at a later path
    kb.write("notes/safety/uses-it-too.md", note_text(body=PASSK_BODY))
    for corpus in (False, True):
        unused = [d.message for d in check(kb.root, workers=1, corpus=corpus).diagnostics if d.name == "unused-glossary-term"]
        assert unused == ["no note uses 'SWE-bench' (or its aliases)"]


def test_staging_writes_tooltips_for_the_terms_a_note_uses(kb: KB) -> None:
    """A note gets `*[spelling]: definition` for each spelling of each term it uses; others get none."""
    kb.write("data/glossary.yaml", GLOSSARY)
    kb.write("notes/agents/uses-passk.md", note_text(body=PASSK_BODY))
    kb.write("notes/agents/plain.md", note_text(body=PLAIN_BODY))
    files = emit_site(kb.check().corpus)  # type: ignore[arg-type]
    used = files["agents/uses-passk.md"]
    assert '*[pass@k]: The chance that one of k samples passes; "unbiased" when n & k differ.' in used
    assert "*[pass@1]: The chance" in used
    assert "*[SWE-bench]" not in used
    assert "*[" not in files["agents/plain.md"]


def test_the_glossary_page_lists_terms_a_to_z_with_their_notes(kb: KB) -> None:
    """Each term is under its letter, with its definition, its best note, its section and the notes that use it."""
    kb.write("data/glossary.yaml", GLOSSARY)
    kb.write("notes/agents/uses-passk.md", note_text(title="Scores of agents", body=PASSK_BODY))
    page = emit_site(kb.check().corpus)["glossary/index.md"]  # type: ignore[arg-type]
    assert page.index("## P") < page.index("**pass@k** (also pass@1)") < page.index("## S") < page.index("**SWE-bench**")
    assert "Explained in [Scores of agents](../agents/uses-passk.md)" in page
    assert "used in [Scores of agents](../agents/uses-passk.md)" in page
    assert "n &amp; k differ" in page  # escaped for the page like any other text


def test_a_note_page_shows_its_basis_once(kb: KB) -> None:
    """The provenance line names each source with a link to its entry and says how sure the note is."""
    kb.write("notes/agents/based.md", note_text(body=PLAIN_BODY, basis="[ko-summary, es-summary]", confidence="corroborated"))
    files = emit_site(kb.check().corpus)  # type: ignore[arg-type]
    page = files["agents/based.md"]
    assert page.count("Based on:") == 1
    assert "[Korean detailed summary of v5](../sources/index.md#source-ko-summary)" in page
    assert "key facts corroborated by two independent sources" in page
    assert '<a id="source-ko-summary"></a>' in files["sources/index.md"]
    assert "Notes resting on it: 1" in files["sources/index.md"]
