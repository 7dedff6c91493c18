"""The command line: formats, exit codes and scoping."""

from __future__ import annotations

import json

import pytest

from papernotes.cli import main
from support import KB, note_text


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def broken_kb(kb: KB) -> KB:
    kb.write("notes/agents/good.md", note_text())
    kb.write("notes/agents/bad.md", note_text(tags="[swe-agents, rl-hf]"))
    return kb


def test_text_format_and_exit_code(kb: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """Errors print as path:line:col lines and exit 1."""
    code, out, err = run(capsys, "--root", str(broken_kb(kb).root), "check")
    assert code == 1
    assert "notes/agents/bad.md:5:20: error PN113 unknown-tag: 'rl-hf' is not in data/tags.yaml" in out
    assert "1 error" in err


def test_github_format(kb: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """--format github prints workflow annotations on the exact line."""
    _, out, _ = run(capsys, "--root", str(broken_kb(kb).root), "check", "--format", "github")
    assert "::error file=notes/agents/bad.md,line=5,col=20,title=PN113 unknown-tag::'rl-hf' is not in data/tags.yaml" in out


def test_json_format(kb: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """--format json prints a list of records with every field."""
    _, out, _ = run(capsys, "--root", str(broken_kb(kb).root), "check", "--format", "json")
    records = json.loads(out)
    bad = [r for r in records if r["code"] == "PN113"]
    assert bad == [{**bad[0], "path": "notes/agents/bad.md", "line": 5, "col": 20, "severity": "error", "name": "unknown-tag"}]


def test_paths_scope_the_report(kb: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """check PATH reports only problems in that path, and passes when it is clean."""
    root = broken_kb(kb).root
    code, out, _ = run(capsys, "--root", str(root), "check", str(root / "notes/agents/good.md"))
    assert "bad.md" not in out
    assert code == 0


def test_strict_fails_on_warnings(kb: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """Warnings alone pass, and fail under --strict."""
    kb.write("notes/agents/alias.md", note_text(tags="[swe-agents, rl]"))
    root = str(kb.root)
    assert run(capsys, "--root", root, "check", "notes/agents/alias.md")[0] == 0
    assert run(capsys, "--root", root, "check", "--strict", str(kb.root / "notes/agents/alias.md"))[0] == 1


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown command or option is a usage error, exit 2."""
    assert main(["frobnicate"]) == 2
    assert main(["check", "--format", "xml"]) == 2


def test_unusable_data_fails_the_check(kb: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing survey.yaml is reported, exit 1, no traceback."""
    (kb.root / "data" / "survey.yaml").unlink()
    code, out, err = run(capsys, "--root", str(kb.root), "check")
    assert code == 1
    assert "data/survey.yaml:0:0: error PN402 data-file" in out
    assert "Traceback" not in err


def test_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    """papernotes schema prints a JSON Schema with every front-matter field."""
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    assert set(schema["properties"]) == {"title", "summary", "sections", "tags", "status", "cites", "contributors", "updated", "basis", "confidence"}
    assert schema["additionalProperties"] is False


def test_module_entry_point() -> None:
    """python -m papernotes runs the same command line."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "papernotes", "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert proc.stdout.startswith("papernotes ")
