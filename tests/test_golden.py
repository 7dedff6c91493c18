"""Golden diagnostics: each folder of tests/golden/ is laid over a knowledge base, and the problems
reported for its files must equal its expected.txt exactly (code, line, column and message).

Regenerate after a deliberate change with PAPERNOTES_UPDATE_GOLDEN=1, then review the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from papernotes.diagnostics import format_text
from support import KB

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def case_files(case: Path) -> list[str]:
    """Files of a case, relative to the case folder, expected.txt excluded."""
    return sorted(p.relative_to(case).as_posix() for p in case.rglob("*") if p.is_file() and p.name != "expected.txt")


def run_case(kb: KB, name: str) -> str:
    """Lay the case over the knowledge base and render the problems of its files."""
    case = GOLDEN / name
    files = case_files(case)
    for rel in files:
        target = kb.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(case / rel, target)
    scope = set(files)
    folders = {str(Path(f).parent) for f in files if f.startswith("notes/")}
    found = [d for d in kb.check().diagnostics if d.path in scope or d.path in folders]
    return format_text(found)


@pytest.mark.parametrize("name", CASES)
def test_golden(kb: KB, name: str) -> None:
    """The checker reports exactly the expected problems, at the expected lines and columns."""
    actual = run_case(kb, name)
    expected_path = GOLDEN / name / "expected.txt"
    if os.environ.get("PAPERNOTES_UPDATE_GOLDEN"):
        expected_path.write_text(actual, encoding="utf-8")
    assert expected_path.is_file(), f"missing {expected_path}; run with PAPERNOTES_UPDATE_GOLDEN=1"
    assert actual == expected_path.read_text(encoding="utf-8")
    assert actual, "a golden case must report at least one problem"
