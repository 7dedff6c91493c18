"""The site engine behind one package: the engine is chosen with PAPERNOTES_ENGINE, ProperDocs builds the
same site as MkDocs from the same staging, and no module outside papernotes.engine names MkDocs."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from papernotes.cli import main
from papernotes.engine.choice import DEFAULT, ENGINES, VARIABLE, EngineError, build_summary, selected_engine
from papernotes.engine.linkcheck import page_links
from papernotes.engine.render import WarmEngine, engine_build
from papernotes.engine.staging import write_staging
from papernotes.pipeline import check, stage_files
from support import KB, REPO

SRC = REPO / "src" / "papernotes"


def test_mkdocs_is_the_default_engine() -> None:
    """Unset or empty, PAPERNOTES_ENGINE leaves MkDocs; the help of `build` names its command."""
    assert selected_engine({}) == DEFAULT == ENGINES["mkdocs"]
    assert selected_engine({VARIABLE: " "}) == DEFAULT
    assert build_summary({}) == "mkdocs build --strict"


def test_properdocs_is_chosen_by_name() -> None:
    """PAPERNOTES_ENGINE=properdocs (any case) runs ProperDocs, which the dev extras install."""
    assert selected_engine({VARIABLE: "ProperDocs"}).module == "properdocs"
    assert build_summary({VARIABLE: "properdocs"}) == "properdocs build --strict"


def test_an_unknown_engine_is_refused() -> None:
    """A name that is no engine is an error that lists the engines, and the help falls back to MkDocs."""
    with pytest.raises(EngineError, match="choose one of: mkdocs, properdocs"):
        selected_engine({VARIABLE: "sphinx"})
    assert build_summary({VARIABLE: "sphinx"}) == "mkdocs build --strict"


def test_an_engine_that_is_not_installed_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """An engine whose module cannot be found says how to install it."""
    monkeypatch.setattr("papernotes.engine.choice.importlib.util.find_spec", lambda name: None)
    with pytest.raises(EngineError, match=r"not installed: pip install 'papernotes\[properdocs\]'"):
        selected_engine({VARIABLE: "properdocs"})


def test_build_with_an_unknown_engine_exits_2_and_writes_nothing(kb: KB, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`papernotes build` with a wrong PAPERNOTES_ENGINE is a usage error found before anything is checked or written."""
    monkeypatch.setenv(VARIABLE, "sphinx")
    assert main(["--root", str(kb.root), "build"]) == 2
    assert "papernotes build: PAPERNOTES_ENGINE='sphinx' is not a site engine" in capsys.readouterr().err
    assert not (kb.root / "build").exists() and not (kb.root / "site").exists()


def test_no_module_outside_the_engine_names_mkdocs() -> None:
    """Only papernotes.engine knows which program renders the site (its name, its configuration file)."""
    offenders = [
        p.relative_to(SRC).as_posix()
        for p in sorted(SRC.rglob("*.py"))
        if "engine" not in p.relative_to(SRC).parts and any(name in p.read_text(encoding="utf-8").lower() for name in ("mkdocs", "properdocs"))
    ]
    assert offenders == []


@pytest.mark.slow
def test_properdocs_builds_the_same_pages_and_anchors_as_mkdocs(tmp_path: Path) -> None:
    """The same staging of the real notes, built by MkDocs and by ProperDocs: the same pages, and on each the same element ids."""
    root = tmp_path / "repo"
    for name in ("notes", "data", "overrides"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("refs-incoming"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = check(root, workers=1)
    assert result.ok(), [d.render() for d in result.diagnostics]
    write_staging(stage_files(result), root)
    anchors = {}
    for name in ("mkdocs", "properdocs"):
        site = tmp_path / f"site-{name}"
        proc = engine_build(root, site, engine=ENGINES[name])
        assert proc.returncode == 0, proc.stderr[-3000:]
        generator = f'<meta name="generator" content="{"mkdocs-ProperDocs" if name == "properdocs" else "mkdocs-1"}'
        assert generator in (site / "index.html").read_text(encoding="utf-8")  # each engine did build its own site
        anchors[name] = {p.relative_to(site).as_posix(): page_links(p.read_text(encoding="utf-8")).ids for p in sorted(site.rglob("*.html"))}
    mkdocs, properdocs = anchors["mkdocs"], anchors["properdocs"]
    assert len(mkdocs) > 50 and sum(len(ids) for ids in mkdocs.values()) > 1000
    assert sorted(properdocs) == sorted(mkdocs)
    assert {page: sorted(ids ^ mkdocs[page]) for page, ids in properdocs.items() if ids != mkdocs[page]} == {}  # ids on one side only


@pytest.mark.slow
@pytest.mark.parametrize("name", ["mkdocs", "properdocs"])
def test_a_warm_engine_rebuilds_in_one_child_and_reports_failures(kb: KB, make_note: Any, name: str) -> None:
    """`serve`'s warm engine: a full build, then a dirty rebuild that renders the edited note, both in the same
    child process; a broken configuration is a failed build with the engine's message, not a hang."""
    kb.write("notes/agents/warm-note.md", make_note(title="Warm before"))
    write_staging(stage_files(check(kb.root, workers=1)), kb.root)
    site = kb.root / "build" / "warm-site"
    engine = WarmEngine(kb.root, ENGINES[name])
    try:
        assert engine.proc is not None
        child = engine.proc.pid
        assert engine.build(site, dirty=False).returncode == 0
        assert "Warm before" in (site / "agents" / "warm-note" / "index.html").read_text(encoding="utf-8")
        kb.write("notes/agents/warm-note.md", make_note(title="Warm after"))
        write_staging(stage_files(check(kb.root, workers=1)), kb.root)
        assert engine.build(site).returncode == 0
        assert "Warm after" in (site / "agents" / "warm-note" / "index.html").read_text(encoding="utf-8")
        assert engine.proc is not None and engine.proc.pid == child and engine.proc.poll() is None
        (kb.root / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
        failed = engine.build(site)
        assert failed.returncode != 0 and "mkdocs.yml" in failed.stdout
    finally:
        engine.close()
    assert engine.proc is None
