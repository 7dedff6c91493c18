"""The contributor path in a fresh git clone: scaffold, check, annotations, --changed, schema."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from papernotes.cli import main
from papernotes.schema import NOTE_FIELDS
from support import KB


@pytest.fixture()
def repo(kb: KB, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> KB:
    """The `kb` fixture as a git repository with one commit, the current folder set to its root."""
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Contributor\n\temail = contributor@example.invalid\n[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.chdir(kb.root)
    git(kb, "init", "-q")
    commit(kb, "the knowledge base")
    return kb


def git(kb: KB, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=kb.root, capture_output=True, text=True, check=True)
    return proc.stdout


def commit(kb: KB, message: str) -> None:
    git(kb, "add", "-A")
    git(kb, "commit", "-q", "--allow-empty", "-m", message)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line in-process; (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def new(capsys: pytest.CaptureFixture[str], target: str, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "new", target, "--title", f"Note {target}", "--sections", "5.3", "--tags", "swe-agents", *extra)


def reported(out: str) -> set[str]:
    """The paths a `--format json` report names."""
    return {record["path"] for record in json.loads(out)}


def position_of(path: Path, needle: str) -> tuple[int, int]:
    """1-based line and column of the first occurrence of `needle` in a file."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} is not in {path}")


# --- scaffold, check, annotations -----------------------------------------------------------------


def test_scaffolded_note_passes_check(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """`new` writes a note whose only findings are the two content warnings a skeleton must have."""
    code, _, err = new(capsys, "agents/my-note")
    assert code == 0, err
    assert (repo.root / "notes/agents/my-note.md").is_file()
    code, out, _ = run(capsys, "check", "--format", "json")
    assert code == 0
    mine = [r for r in json.loads(out) if r["path"] == "notes/agents/my-note.md"]
    assert sorted((r["name"], r["severity"]) for r in mine) == [("few-citations", "warning"), ("note-length", "warning")]


def test_scaffolded_front_matter_holds_the_arguments(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """The note's front matter carries the title, sections and tags given, as a draft."""
    run(capsys, "new", "agents/my-note", "--title", "My note: a test", "--sections", "5.3", "5.3", "--tags", "swe-agents", "agent-training")
    result = repo.check()
    note = result.corpus.by_id["my-note"] if result.corpus else None
    assert note is not None
    assert (note.meta.title, note.meta.status) == ("My note: a test", "draft")
    assert [s.value for s in note.meta.sections] == ["5.3"]
    assert [t.value for t in note.meta.tags] == ["swe-agents", "agent-training"]


def test_broken_tag_is_annotated_on_its_line(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelt tag fails the check with a GitHub error annotation on the tag's line and column."""
    new(capsys, "agents/my-note")
    path = repo.root / "notes/agents/my-note.md"
    path.write_text(path.read_text(encoding="utf-8").replace("tags: [swe-agents]", "tags: [swe-agent]"), encoding="utf-8")
    line, col = position_of(path, "swe-agent]")
    code, out, _ = run(capsys, "check", "--format", "github")
    assert code == 1
    where = f"file=notes/agents/my-note.md,line={line},col={col},title=PN113 unknown-tag"
    expected = f"::error {where}::'swe-agent' is not in data/tags.yaml (did you mean 'swe-agents'?)"
    assert expected in out.splitlines()


# --- check --changed ------------------------------------------------------------------------------


def test_changed_reports_only_the_changed_note(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """With two committed notes and one edited, --changed reports only the edited one."""
    new(capsys, "agents/first")
    new(capsys, "agents/second")
    commit(repo, "two notes")
    path = repo.root / "notes/agents/second.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    _, everything, _ = run(capsys, "check", "--format", "json")
    assert reported(everything) >= {"notes/agents/first.md", "notes/agents/second.md"}
    code, out, _ = run(capsys, "check", "--changed", "--format", "json")
    assert code == 0
    assert reported(out) == {"notes/agents/second.md"}


def test_changed_with_nothing_changed_reports_nothing(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """A clean working tree has nothing in scope."""
    new(capsys, "agents/first")
    commit(repo, "a note")
    code, out, _ = run(capsys, "check", "--changed", "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def two_linked_notes(repo: KB, capsys: pytest.CaptureFixture[str], link: str) -> None:
    """Commit agents/target and agents/linker, whose body ends with `link`."""
    new(capsys, "agents/target")
    new(capsys, "agents/linker")
    linker = repo.root / "notes/agents/linker.md"
    linker.write_text(linker.read_text(encoding="utf-8") + f"\n{link}\n", encoding="utf-8")
    commit(repo, "two linked notes")


def test_changed_includes_notes_that_link_to_the_change(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """Renaming a heading breaks an unchanged note's link to it, and --changed reports that note."""
    two_linked_notes(repo, capsys, "See [why](target.md#why-it-matters).")
    target = repo.root / "notes/agents/target.md"
    target.write_text(target.read_text(encoding="utf-8").replace("## Why it matters", "## Why this matters"), encoding="utf-8")
    code, out, _ = run(capsys, "check", "--changed", "--format", "json")
    broken = [r for r in json.loads(out) if r["name"] == "broken-anchor"]
    assert code == 1
    assert [r["path"] for r in broken] == ["notes/agents/linker.md"]


def test_changed_reports_links_to_a_deleted_note(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """Deleting a note makes the notes that link to it fail under --changed."""
    two_linked_notes(repo, capsys, "See [the target](target.md).")
    (repo.root / "notes/agents/target.md").unlink()
    code, out, _ = run(capsys, "check", "--changed", "--format", "json")
    assert code == 1
    assert [r["path"] for r in json.loads(out) if r["name"] == "broken-link"] == ["notes/agents/linker.md"]


def test_changed_reports_a_tag_introduction(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """A new introduction of a tag page is checked under --changed: its broken link, and a file named after no tag."""
    (repo.root / "notes/tags").mkdir()
    (repo.root / "notes/tags/rlvr.md").write_text("See [the missing note](../agents/missing.md).\n", encoding="utf-8")
    (repo.root / "notes/tags/rlvrr.md").write_text("A typo in the name.\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--changed", "--format", "json")
    assert code == 1
    assert sorted((r["path"], r["code"]) for r in json.loads(out)) == [("notes/tags/rlvr.md", "PN203"), ("notes/tags/rlvrr.md", "PN406")]


def test_changed_reports_an_introduction_that_links_to_a_deleted_note(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """Deleting a note makes the unchanged introduction that links to it fail under --changed."""
    new(capsys, "agents/target")
    (repo.root / "notes/index.md").write_text("Start with [the target](agents/target.md).\n", encoding="utf-8")
    commit(repo, "a note and the home page's introduction")
    assert run(capsys, "check", "--changed")[0] == 0
    (repo.root / "notes/agents/target.md").unlink()
    code, out, _ = run(capsys, "check", "--changed", "--format", "json")
    assert code == 1
    assert [r["path"] for r in json.loads(out) if r["name"] == "broken-link"] == ["notes/index.md"]


@pytest.mark.parametrize(("committed", "added"), [("agents", "data"), ("data", "agents")])
def test_changed_reports_a_duplicate_id_in_another_part(repo: KB, capsys: pytest.CaptureFixture[str], committed: str, added: str) -> None:
    """A new note whose id another part already uses is an error, whichever part sorts first."""
    new(capsys, f"{committed}/same")
    commit(repo, "a note")
    source = repo.root / f"notes/{committed}/same.md"
    (repo.root / f"notes/{added}/same.md").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run(capsys, "check", "--changed", "--format", "json")
    assert code == 1
    assert [r["path"] for r in json.loads(out) if r["name"] == "duplicate-id"] == [f"notes/{added}/same.md"]


def test_changed_reports_a_misnamed_file_and_a_broken_part_index(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """Files that are not notes (a badly named file, a part's index.md) are checked too."""
    (repo.root / "notes/agents/My Note.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    index = repo.root / "notes/agents/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("title:", "title: yes\nold_title:", 1), encoding="utf-8")
    code, out, _ = run(capsys, "check", "--changed", "--format", "json")
    assert code == 1
    assert reported(out) == {"notes/agents/My Note.md", "notes/agents/index.md"}


def test_changed_data_file_checks_everything(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """A change under data/ can affect every note, so nothing is left out of the report."""
    new(capsys, "agents/first")
    commit(repo, "a note")
    tags = repo.root / "data/tags.yaml"
    tags.write_text(tags.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _, out, _ = run(capsys, "check", "--changed", "--format", "json")
    assert "notes/agents/first.md" in reported(out)


def test_changed_with_paths_reports_their_intersection(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """PATH and --changed both narrow the report: an unchanged PATH reports nothing."""
    new(capsys, "agents/first")
    commit(repo, "a note")
    new(capsys, "agents/second")
    _, out, _ = run(capsys, "check", "--changed", "notes/agents/first.md", "--format", "json")
    assert json.loads(out) == []


def test_changed_with_an_unknown_base_is_a_usage_error(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """A base git cannot resolve exits 2 with git's reason, not a traceback."""
    code, _, err = run(capsys, "check", "--changed", "--base", "no-such-ref")
    assert code == 2
    assert "git could not compare with 'no-such-ref'" in err
    assert "Traceback" not in err


def test_check_of_a_missing_path_is_a_usage_error(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """A mistyped PATH exits 2 instead of passing silently."""
    code, _, err = run(capsys, "check", "notes/agents/no-such-note.md")
    assert code == 2
    assert "no-such-note.md" in err


def test_check_of_the_root_folder_reports_everything(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """`papernotes check .` is the whole knowledge base, not nothing."""
    new(capsys, "agents/first")
    _, everything, _ = run(capsys, "check", "--format", "json")
    _, dot, _ = run(capsys, "check", ".", "--format", "json")
    assert json.loads(dot) == json.loads(everything) != []


# --- new refuses --------------------------------------------------------------------------------


def test_new_never_overwrites(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """A second `new` with the same target exits 2 and leaves the file as it was."""
    new(capsys, "agents/my-note")
    path = repo.root / "notes/agents/my-note.md"
    path.write_text("my own words\n", encoding="utf-8")
    code, _, err = new(capsys, "agents/my-note")
    assert code == 2
    assert "already exists" in err
    assert path.read_text(encoding="utf-8") == "my own words\n"


def test_new_refuses_an_id_used_in_another_part(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """Ids are unique across parts: `new data/x` fails when notes/agents/x.md exists."""
    new(capsys, "agents/my-note")
    code, _, err = new(capsys, "data/my-note")
    assert code == 2
    assert "id 'my-note' is already used by notes/agents/my-note.md" in err
    assert not (repo.root / "notes/data/my-note.md").exists()


@pytest.mark.parametrize(
    ("target", "extra", "message"),
    [
        ("agent/x", [], "unknown part 'agent'; did you mean 'agents'?"),
        ("agents/x", ["--sections", "5.33"], "unknown section '5.33'; did you mean"),
        ("agents/x", ["--tags", "swe-agent"], "unknown tag 'swe-agent'; did you mean 'swe-agents'?"),
        ("agents/My_Note", [], "not a lowercase kebab-case slug (letters, digits and single hyphens); did you mean 'my-note'?"),
        ("x", [], "give the note as <part>/<slug>"),
    ],
)
def test_new_rejects_bad_arguments_with_a_suggestion(repo: KB, capsys: pytest.CaptureFixture[str], target: str, extra: list[str], message: str) -> None:
    """An unknown part, section or tag, or a malformed slug, exits 2 with a hint and writes nothing."""
    code, _, err = run(capsys, "new", target, "--title", "A note", *extra)
    assert code == 2
    assert message in err
    assert git(repo, "status", "--porcelain") == ""


def test_new_rejects_a_title_the_checker_would_refuse(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """A title over the schema's length limit is refused up front instead of written into a failing note."""
    limit = next(f.max_length for f in NOTE_FIELDS if f.name == "title")
    code, _, err = run(capsys, "new", "agents/long", "--title", "a" * (limit + 1))
    assert code == 2
    assert f"at most {limit}" in err
    assert not (repo.root / "notes/agents/long.md").exists()


def test_new_resolves_a_tag_alias(repo: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """An alias is written as its canonical tag, with a notice."""
    code, _, err = run(capsys, "new", "agents/x", "--title", "A note", "--tags", "sft")
    text = (repo.root / "notes/agents/x.md").read_text(encoding="utf-8")
    assert code == 0
    assert "tags: [supervised-fine-tuning]" in text
    assert "'sft' is an alias" in err


# --- schema -----------------------------------------------------------------------------------------


def test_schema_command_prints_the_checkers_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """`papernotes schema` is a draft 2020-12 JSON Schema whose properties are exactly the schema fields."""
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert list(schema["properties"]) == [f.name for f in NOTE_FIELDS]
    assert schema["required"] == [f.name for f in NOTE_FIELDS if f.required]
    assert schema["additionalProperties"] is False
    for field in NOTE_FIELDS:
        prop = schema["properties"][field.name]
        assert prop["type"] in {"string", "array", "integer"}
        assert prop["description"] == field.doc
