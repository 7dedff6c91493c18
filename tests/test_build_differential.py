"""Check ≡ build, as a differential property: Hypothesis writes note bodies from a grammar of
Markdown constructs (links, references, citations, brackets, emphasis, code, tables, HTML
fragments); every body that `papernotes check` accepts must stage and build under
`mkdocs build --strict`, with every link of the built site resolving.

One example is one build of several notes, so the budget is a fixed, small number of builds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from papernotes.engine.render import build_site
from papernotes.engine.staging import write_staging
from papernotes.pipeline import stage_files
from support import KB, note_text

pytestmark = pytest.mark.slow

BUILDS = 4  # examples, each one `mkdocs build --strict`
NOTES_PER_BUILD = 8

WORDS = st.sampled_from(["word", "the survey", "SWE-RL", "agents", "x", "1.5", "a_b", "C++", "&amp;", "&lt;", "a & b", "\\[", "|", "'", '"'])
INLINE = st.one_of(
    WORDS,
    st.sampled_from(
        [
            "[the target](target.md)",
            "[a heading](target.md#known-heading)",
            "[this page](#what)",
            "[outside](https://example.org/a_(b))",
            "<https://example.org/x>",
            "[missing](missing.md)",
            "[bad anchor](target.md#nowhere)",
            "[@wei2025swerl]",
            "[@jain2025r2egym; @wei2025swerl]",
            "[see @wei2025swerl, p. 3]",
            "[the paper][@wei2025swerl]",
            "[the paper] [@wei2025swerl]",
            "[@unknown2099key]",
            "§5.3",
            "§99.9",
            "[ref]",
            "[text][ref]",
            "[",
            "]",
            "(",
            ")",
            "[[x]]",
            "[x](",
            "[x](target.md",
            "[x](a b.md)",
            "[x](java\tscript:alert(1))",
            "[x](<target.md>)",
            '[x](target.md "a title")',
            "![image](https://example.org/i.png)",
            "*em*",
            "**strong**",
            "_under_",
            "*",
            "`code`",
            "``a`b``",
            "`[x](missing.md)`",
            "`unclosed",
            "<b>",
            "<script>alert(1)</script>",
            "<!-- c -->",
            "{{ macro }}",
            "[^1]",
        ]
    ),
)
PARAGRAPH = st.lists(INLINE, min_size=1, max_size=8).map(" ".join)
BLOCK = st.one_of(
    PARAGRAPH,
    PARAGRAPH.map(lambda t: "## " + t),
    PARAGRAPH.map(lambda t: "- " + t + "\n- item"),
    PARAGRAPH.map(lambda t: "1. " + t),
    PARAGRAPH.map(lambda t: "> " + t),
    PARAGRAPH.map(lambda t: "```py\n" + t + "\n```"),
    PARAGRAPH.map(lambda t: "    " + t),
    PARAGRAPH.map(lambda t: "| a | b |\n|---|---|\n| " + t + " | x |"),
    st.just("[ref]: https://example.org/ref"),
    st.just("[^1]: A footnote."),
    st.just("Term\n:   Definition"),
    st.just('!!! note "A note"\n    Text.'),
)
BODY = st.lists(BLOCK, min_size=1, max_size=6).map(lambda blocks: "## What\n\n" + "\n\n".join(blocks) + "\n")
TARGET = note_text(body="## Known heading\n\nThe target of the generated links.\n")


def accepted(kb: KB, bodies: list[str]) -> list[str]:
    """Write the bodies as notes next to the target note; remove every note the check refuses; return the notes left."""
    kb.write("notes/agents/target.md", TARGET)
    names = [f"notes/agents/generated-{i}.md" for i in range(len(bodies))]
    for name, body in zip(names, bodies, strict=True):
        kb.write(name, note_text(body=body))
    refused = {d.path for d in kb.check().diagnostics if d.severity.value == "error"}
    for name in refused:
        (kb.root / name).unlink()
    return [n for n in names if n not in refused]


@settings(max_examples=BUILDS, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(st.lists(BODY, min_size=NOTES_PER_BUILD, max_size=NOTES_PER_BUILD))
@example(["## What\n\n[the paper] [@wei2025swerl] and [the target](target.md) `code` *em*\n"] * NOTES_PER_BUILD)
def test_what_check_accepts_builds_strictly(tmp_path_factory: pytest.TempPathFactory, bodies: list[str]) -> None:
    """Every generated body that check accepts stages and builds under mkdocs --strict, with no broken link."""
    kb = KB(tmp_path_factory.mktemp("differential") / "kb")
    accepted(kb, bodies)
    result = kb.check()
    assert result.corpus is not None and result.errors == 0, [d.render() for d in result.diagnostics]
    write_staging(stage_files(result), kb.root)
    code, output, broken = build_site(kb.root)
    assert code == 0, (output[-3000:], [b.render() for b in broken], bodies)


def test_the_oracle_sees_what_the_build_rejects(tmp_path: Path) -> None:
    """Without the check, the strict build fails on a body the check refuses: the differential can fail."""
    kb = KB(tmp_path / "kb")
    kb.write("notes/agents/target.md", TARGET)
    kb.write("notes/agents/refused.md", note_text(body="## What\n\nAs [the paper][@wei2025swerl] shows.\n"))
    result = kb.check()
    assert {d.code for d in result.diagnostics if d.path == "notes/agents/refused.md"} >= {"PN208"}
    write_staging(stage_files(result), kb.root)  # staged anyway, as the build would if check let it through
    code, _, _ = build_site(kb.root)
    assert code != 0
