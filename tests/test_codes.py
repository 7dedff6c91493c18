"""The registry of diagnostic codes is complete, consistent and exercised."""

from __future__ import annotations

import re
from pathlib import Path

from papernotes.codes import BY_NAME, REGISTRY, Severity
from papernotes.emit.listings import checks_page
from support import KB, note_text

SRC = Path(__file__).resolve().parents[1] / "src" / "papernotes"
GOLDEN = Path(__file__).parent / "golden"


def test_codes_are_unique_and_well_formed() -> None:
    """Every code is PNnnn, every name kebab-case, both unique, each with one line of doc."""
    assert len(REGISTRY) == len(BY_NAME)
    for code in REGISTRY.values():
        assert re.fullmatch(r"PN\d{3}", code.code)
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", code.name)
        assert code.doc and "\n" not in code.doc and code.doc.endswith(".")
        assert isinstance(code.severity, Severity)


def test_every_name_the_engine_uses_is_registered() -> None:
    """A diag("name", …) call anywhere in the engine names a registered code."""
    used = set()
    for path in SRC.rglob("*.py"):
        used |= set(re.findall(r'\bdiag\(\s*"([a-z0-9-]+)"', path.read_text(encoding="utf-8")))
    assert used, "the scan found no diag() calls"
    assert used <= set(BY_NAME), f"unregistered: {sorted(used - set(BY_NAME))}"


def test_every_code_is_on_the_checks_page() -> None:
    """The generated checks page lists every code with its name."""
    page = checks_page()
    for code in REGISTRY.values():
        assert f"`{code.code}` | `{code.name}`" in page


def test_every_code_is_exercised(kb: KB) -> None:
    """Each code appears in some golden expectation, or in the generated cases below."""
    seen = set()
    for expected in GOLDEN.glob("*/expected.txt"):
        seen |= set(re.findall(r" (PN\d{3}) ", expected.read_text(encoding="utf-8")))
    seen |= set(re.findall(r"\b(PN\d{3}) ", (Path(__file__).parent / "hostile" / "cases.yaml").read_text(encoding="utf-8")))
    # cases too large or too special for a golden folder
    kb.write("notes/agents/huge.md", note_text(body="word " * 120_000))
    outside = kb.root.parent / "outside.md"
    outside.write_text(note_text(), encoding="utf-8")
    (kb.root / "notes" / "agents" / "linked.md").symlink_to(outside)
    codes = {d.code for d in kb.check().diagnostics}
    assert {"PN003", "PN005"} <= codes
    missing = set(REGISTRY) - seen - codes
    assert not missing, f"codes without a test: {sorted(missing)}"
