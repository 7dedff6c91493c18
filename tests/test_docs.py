"""The contributor docs match the code: the generated reference, the schema file, the commands shown.

Run this file as a script (`python tests/test_docs.py`) to regenerate what it checks.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import yaml

from papernotes.cli import _parser
from papernotes.schema import json_schema, reference_markdown

REPO = Path(__file__).resolve().parents[1]
CONTRIBUTING = REPO / "CONTRIBUTING.md"
SCHEMA_FILE = REPO / "schema" / "note.schema.json"
BEGIN = re.compile(r"^<!-- BEGIN GENERATED front-matter reference.*-->\n", re.MULTILINE)
END = "<!-- END GENERATED front-matter reference -->"
REGENERATE = "run `python tests/test_docs.py` to regenerate it"


def generated_block(text: str) -> tuple[int, int]:
    """Start and end offsets of the generated reference between its two marker comments."""
    begin = BEGIN.search(text)
    end = text.find(END)
    if begin is None or end < begin.end():
        raise ValueError("CONTRIBUTING.md lacks the BEGIN/END GENERATED front-matter reference markers")
    return begin.end(), end


def schema_text() -> str:
    """Exactly what `papernotes schema` prints."""
    return json.dumps(json_schema(), indent=2) + "\n"


def regenerate() -> None:
    """Rewrite the reference in CONTRIBUTING.md and schema/note.schema.json from the schema."""
    text = CONTRIBUTING.read_text(encoding="utf-8")
    start, end = generated_block(text)
    CONTRIBUTING.write_text(text[:start] + reference_markdown() + text[end:], encoding="utf-8")
    SCHEMA_FILE.parent.mkdir(exist_ok=True)
    SCHEMA_FILE.write_text(schema_text(), encoding="utf-8")


def test_reference_table_is_generated_from_the_schema() -> None:
    """The front-matter table in CONTRIBUTING.md is byte for byte what reference_markdown() returns."""
    text = CONTRIBUTING.read_text(encoding="utf-8")
    start, end = generated_block(text)
    assert text[start:end] == reference_markdown(), f"CONTRIBUTING.md's front-matter reference is stale; {REGENERATE}"


def test_reference_names_every_field() -> None:
    """Every field of the schema has a row in the reference (a guard on the generator itself)."""
    rows = re.findall(r"^\| `([a-z_]+)` \|", reference_markdown(), re.MULTILINE)
    assert rows == list(json_schema()["properties"])


def test_committed_schema_equals_the_generated_one(capsys: pytest.CaptureFixture[str]) -> None:
    """schema/note.schema.json is what `papernotes schema` prints, so editors validate like the checker."""
    from papernotes.cli import main

    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert printed == schema_text()
    assert SCHEMA_FILE.read_text(encoding="utf-8") == printed, f"schema/note.schema.json is stale; {REGENERATE}"


def test_vscode_settings_wire_the_schema() -> None:
    """.vscode/settings.json maps the committed schema onto front-matter YAML files for the YAML extension."""
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    schemas = settings["yaml.schemas"]
    assert list(schemas) == ["./schema/note.schema.json"]
    assert (REPO / "schema" / "note.schema.json").is_file()
    globs = schemas["./schema/note.schema.json"]
    assert globs and all(g.endswith(".frontmatter.yaml") for g in globs)
    assert "*.frontmatter.yaml" in CONTRIBUTING.read_text(encoding="utf-8")


# --- the commands shown in CONTRIBUTING.md exist ------------------------------------------------------


def shown_commands(text: str) -> list[str]:
    """`papernotes …` command lines from code blocks and inline code, cut at a comment or redirection."""
    found = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        found += [line.strip() for line in block.splitlines() if line.strip().startswith("papernotes ")]
    found += [span for span in re.findall(r"`([^`\n]+)`", text) if span.startswith("papernotes ")]
    return [re.split(r"\s(?:#|>|\|)", line)[0].strip() for line in found]


def test_contributing_shows_commands() -> None:
    """The command extraction finds the commands of the five steps (so the next test is not empty)."""
    commands = shown_commands(CONTRIBUTING.read_text(encoding="utf-8"))
    assert {c.split()[1] for c in commands} >= {"new", "check", "serve", "schema"}


@pytest.mark.parametrize("command", sorted(set(shown_commands(CONTRIBUTING.read_text(encoding="utf-8")))))
def test_documented_command_parses(command: str) -> None:
    """Every `papernotes` command CONTRIBUTING.md shows is accepted by the real argument parser."""
    parser = _parser()
    try:
        parser.parse_args(shlex.split(command)[1:])
    except SystemExit as exc:  # argparse reports a bad command line by exiting
        pytest.fail(f"CONTRIBUTING.md shows `{command}`, which the command line rejects: {exc}")


def prose(text: str) -> str:
    """The Markdown without fenced code blocks and inline code, where links are only examples."""
    return re.sub(r"`[^`\n]+`", "", re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL))


def test_relative_links_resolve() -> None:
    """Every relative link in CONTRIBUTING.md points to a file of the repository."""
    text = prose(CONTRIBUTING.read_text(encoding="utf-8"))
    targets = [t for t in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text) if "://" not in t]
    assert targets
    missing = [t for t in targets if not (REPO / t).exists()]
    assert missing == []


def test_contributing_anchors_resolve() -> None:
    """Every in-page link (#anchor) in CONTRIBUTING.md names one of its headings."""
    from papernotes.paths import heading_anchor

    text = CONTRIBUTING.read_text(encoding="utf-8")
    anchors = {heading_anchor(h) for h in re.findall(r"^#{2,3} (.+)$", text, re.MULTILINE)}
    wanted = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert wanted
    assert wanted - anchors == set()


# --- templates ------------------------------------------------------------------------------------------


def test_pull_request_template_is_the_checklist() -> None:
    """The pull request template asks for accurate sections, cited sources, own words and a passing check."""
    text = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    items = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    joined = "\n".join(items)
    for needed in ("Sections accurate", "Sources cited", "Own words", "`papernotes check` passes"):
        assert needed in joined


ISSUE_FORM_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


@pytest.mark.parametrize("name", ["request-a-note.yml", "report-an-error.yml"])
def test_issue_forms_are_well_formed(name: str) -> None:
    """Each issue form has a name, a description and a body of known field types with unique ids."""
    form = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / name).read_text(encoding="utf-8"))
    assert form["name"] and form["description"]
    body = form["body"]
    assert {field["type"] for field in body} <= ISSUE_FORM_TYPES
    ids = [field["id"] for field in body if field["type"] != "markdown"]
    assert len(ids) == len(set(ids)) > 0
    assert all(field["attributes"]["label"] for field in body if field["type"] != "markdown")
    assert any(field.get("validations", {}).get("required") for field in body)


def test_issue_template_config() -> None:
    """The issue chooser config is a mapping that says whether blank issues are allowed."""
    config = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / "config.yml").read_text(encoding="utf-8"))
    assert isinstance(config["blank_issues_enabled"], bool)


if __name__ == "__main__":
    regenerate()
    print(f"rewrote {CONTRIBUTING.relative_to(REPO)} and {SCHEMA_FILE.relative_to(REPO)}")
