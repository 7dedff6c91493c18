"""The registry of generated pages (`papernotes.pages`) and the emitters agree: every emitter writes
exactly the pages its declaration names, the link check knows exactly the staged pages, and every
page that takes an authored introduction shows it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from papernotes import pages, paths
from papernotes.emit.site import EMITTERS, Context, emit_site
from papernotes.emit.survey_map import coverage
from papernotes.link import anchors_of, site_targets
from papernotes.pipeline import check
from papernotes.records import Corpus
from papernotes_bench.synth import generate
from support import KB, REPO, note_text
from test_golden import CASES, GOLDEN, case_files


def inputs(corpus: Corpus) -> pages.Inputs:
    return pages.Inputs(corpus.data, [(n.site, anchors_of(n)) for n in corpus.notes], [p.site for p in corpus.parts])


def assert_emitters_match_the_registry(corpus: Corpus) -> dict[str, str]:
    """Each emitter writes exactly its declared pages, and the site is the registry's pages."""
    context = Context(coverage(corpus), {})
    for emitter in EMITTERS:
        written = set(emitter.emit(corpus, context))
        declared = {site for site, _ in emitter.pages.pages(inputs(corpus))}
        assert written == declared, (emitter.pages.name, sorted(written ^ declared)[:5])
    staged = emit_site(corpus)
    assert set(staged) == set(pages.declared(inputs(corpus)))
    return staged


def test_every_declaration_has_one_emitter_in_the_same_order() -> None:
    """EMITTERS lists one emitter per declaration of the registry, in the registry's order."""
    assert [e.pages for e in EMITTERS] == list(pages.ALL)


@pytest.fixture(scope="module")
def real_corpus() -> Corpus:
    result = check(REPO, workers=1)
    assert result.corpus is not None and result.ok(strict=True), [d.render() for d in result.diagnostics]
    return result.corpus


def test_the_real_site_is_the_registry(real_corpus: Corpus) -> None:
    """The real knowledge base: emitters and registry agree."""
    assert_emitters_match_the_registry(real_corpus)


def test_a_synthetic_site_is_the_registry(tmp_path: Path) -> None:
    """A generated knowledge base of 60 notes: emitters and registry agree."""
    result = check(generate(tmp_path / "kb", 60, seed=3), workers=1)
    assert result.corpus is not None
    assert_emitters_match_the_registry(result.corpus)


def test_every_golden_site_is_the_registry(tmp_path: Path) -> None:
    """Each golden case laid over a knowledge base with a note, staged when its notes pass (the data
    entries at fault are left out, the rest is staged): emitters and registry agree."""
    staged = 0
    for name in CASES:
        kb = KB(tmp_path / name)
        kb.write("notes/agents/good.md", note_text())
        for rel in case_files(GOLDEN / name):
            target = kb.root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(GOLDEN / name / rel, target)
        result = kb.check()
        if result.corpus is not None and not any(d.severity.value == "error" and not d.path.startswith("data/") for d in result.diagnostics):
            assert_emitters_match_the_registry(result.corpus)
            staged += 1
    assert staged >= 7  # bibliography, body-h1, content, data-chart, duplicate-item, glossary, tag-alias


def test_link_targets_are_the_staged_pages(real_corpus: Corpus) -> None:
    """A note may link to every staged page and to nothing else (charts are checked against their data), and
    every anchor the registry promises on a generated page is on that page."""
    corpus = real_corpus
    targets = site_targets(corpus.data, [(n.site, anchors_of(n)) for n in corpus.notes], corpus.parts)
    staged = emit_site(corpus)
    assert set(targets) == {site for site in staged if site.endswith(".md")}
    notes = {n.site for n in corpus.notes}
    promised = {site: anchors for site, anchors in targets.items() if anchors is not None and site not in notes}
    assert set(promised) == {paths.SURVEY_MAP, paths.BIBLIOGRAPHY}
    for site, anchors in promised.items():
        assert anchors and all(f'id="{a}"' in staged[site] for a in anchors), site


def test_the_folders_of_generated_pages_are_reserved() -> None:
    """No part may take a folder the registry stages pages into."""
    folders = {p.folder for p in pages.ALL if p.folder and not p.where.startswith("<")}
    assert folders <= paths.RESERVED_PARTS
    assert pages.INTRO_FOLDERS - {""} <= folders


def test_the_registry_imports_no_stage() -> None:
    """The link stage reads the registry without loading an emitter: the registry imports none."""
    code = "import sys, papernotes.pages, papernotes.link; print(sorted(m for m in sys.modules if m.startswith('papernotes.')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "papernotes.pages" in loaded and "papernotes.emit" not in loaded


# --- introductions --------------------------------------------------------------------------------


def marker(site: str) -> str:
    return "intro-" + re.sub(r"[^a-z0-9]+", "-", site.removesuffix(".md"))


def test_every_page_that_takes_an_introduction_shows_it(kb: KB) -> None:
    """An introduction at notes/<page> for every page the registry opens to one: the check accepts them all, and each
    lands on its own page only, above the listing, with citations and §-references rewritten as in a note."""
    kb.write("notes/agents/good.md", note_text())
    result = kb.check()
    assert result.corpus is not None
    sites = pages.intro_sites(result.corpus.data)
    assert {paths.HOME, paths.TAG_INDEX, paths.tag_site("rlvr"), paths.SURVEY_MAP, paths.GLOSSARY} <= set(sites)
    for site in sites:
        kb.write(pages.intro_source(site), f"Read {marker(site)} first, on §5.3 [@wei2025swerl].\n")
    result = kb.check()
    assert result.corpus is not None and result.errors == 0, [d.render() for d in result.diagnostics]
    assert set(result.corpus.intros) == set(sites)
    staged = assert_emitters_match_the_registry(result.corpus)
    for site in sites:
        holders = [rel for rel, text in staged.items() if marker(site) + " " in text]
        assert holders == [site], (site, holders)
        page = staged[site]
        line = next(line for line in page.splitlines() if marker(site) + " " in line)
        assert f"§5.3]({paths.relative_site_link(site, paths.SURVEY_MAP)}#s5-3)" in line
        assert "[@wei2025swerl]" not in line and f"]({paths.relative_site_link(site, paths.BIBLIOGRAPHY)}#wei2025swerl)" in line
    tag = staged[paths.tag_site("rlvr")]
    assert tag.index(marker(paths.tag_site("rlvr"))) < tag.index("## Notes (")


def test_a_page_without_an_introduction_is_unchanged_by_an_empty_one(kb: KB) -> None:
    """An introduction holding only blank lines adds nothing to its page."""
    kb.write("notes/agents/good.md", note_text())
    before = emit_site(kb.check().corpus)  # type: ignore[arg-type]
    kb.write("notes/tags/rlvr.md", "\n\n")
    result = kb.check()
    assert result.errors == 0 and result.corpus is not None and "tags/rlvr.md" in result.corpus.intros
    assert emit_site(result.corpus) == before


def test_an_introduction_is_checked_by_every_check(kb: KB) -> None:
    """The single-process check and the check shared between processes report the same problems of an introduction."""
    kb.write("notes/agents/good.md", note_text())
    kb.write("notes/tags/rlvr.md", "See [nothing](../agents/missing.md), §5.99 and [@nosuchkey].\n")
    kb.write("notes/tags/rlvrr.md", "A typo.\n")
    single = check(kb.root, workers=1).diagnostics
    found = {(d.code, d.path) for d in single if d.path.startswith("notes/tags/")}
    assert found == {("PN203", "notes/tags/rlvr.md"), ("PN202", "notes/tags/rlvr.md"), ("PN201", "notes/tags/rlvr.md"), ("PN406", "notes/tags/rlvrr.md")}
    assert "did you mean 'rlvr'?" in next(d.hint for d in single if d.code == "PN406")
    assert check(kb.root, workers=2, corpus=False).diagnostics == single
    assert check(kb.root, workers=1, corpus=False).diagnostics == single


def test_a_reserved_folder_without_introductions_is_still_refused(kb: KB) -> None:
    """notes/charts/ holds no introduction: the folder is refused as before, and its files are never read."""
    kb.write("notes/charts/x.md", note_text())
    problems = [d for d in kb.problems() if d.path.startswith("notes/charts")]
    assert [(d.code, d.path) for d in problems] == [("PN406", "notes/charts")]
