"""The conductor: load → validate → link → emit. Only this module knows the order."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from papernotes.codes import Severity
from papernotes.data import load_data
from papernotes.diagnostics import Diagnostic, diag, sorted_unique
from papernotes.emit.site import emit_site
from papernotes.link import Corpus, build_corpus, check_links, corpus_warnings, site_targets, unique_ids
from papernotes.load import discover, load_notes, load_part
from papernotes.paths import SitePath, resolve_site_link
from papernotes.validate import validate_note


@dataclass(frozen=True)
class CheckResult:
    """The linked corpus (None when the data files are unusable) and every problem, sorted."""

    corpus: Corpus | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors

    def ok(self, *, strict: bool = False) -> bool:
        return self.corpus is not None and self.errors == 0 and not (strict and self.warnings)


def check(root: Path, *, workers: int | None = None) -> CheckResult:
    """Load every note and data file, validate each note, then link the whole corpus."""
    data, diags = load_data(root)
    part_names, files, found = discover(root)
    diags += found
    parts = []
    for name in part_names:
        part, problems = load_part(root, name)
        diags += problems
        if part is not None:
            parts.append(part)
    notes, problems = load_notes(root, files, workers)
    diags += problems
    notes, problems = unique_ids(notes)
    diags += problems
    if data is None:
        return CheckResult(None, tuple(sorted_unique(diags)))
    for note in notes:
        diags += validate_note(note, data)
    targets = site_targets(data, notes, parts)
    for page in [*notes, *parts]:
        diags += check_links(page, targets, data)
    corpus = build_corpus(data, notes, parts)
    diags += corpus_warnings(corpus)
    return CheckResult(corpus, tuple(sorted_unique(diags)))


def stage_files(result: CheckResult) -> dict[str, str]:
    """Everything the site engine renders, from a clean check."""
    assert result.corpus is not None
    return emit_site(result.corpus)


# --- incremental check ----------------------------------------------------------------------------


def _git(root: Path, *args: str) -> tuple[int, str]:
    proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout


def default_base(root: Path) -> str:
    """The merge base with origin/main when there is one, else HEAD."""
    code, out = _git(root, "merge-base", "origin/main", "HEAD")
    return out.strip() if code == 0 and out.strip() else "HEAD"


def changed_files(root: Path, base: str) -> tuple[list[str], list[str]]:
    """(changed or added, deleted) files under notes/ and data/ since `base`, untracked ones included."""
    code, out = _git(root, "diff", "--name-status", "--no-renames", base, "--", "notes", "data")
    if code != 0:
        raise ValueError(f"git could not compare with '{base}'")
    changed, deleted = [], []
    for line in out.splitlines():
        status, _, name = line.partition("\t")
        (deleted if status.startswith("D") else changed).append(name)
    _, untracked = _git(root, "ls-files", "--others", "--exclude-standard", "--", "notes", "data")
    changed += [u for u in untracked.splitlines() if u]
    return sorted(set(changed)), sorted(set(deleted))


def _referrers(root: Path, slugs: list[str]) -> list[str]:
    """Notes whose text names one of these slugs (candidates for links to them), via git grep."""
    if not slugs:
        return []
    patterns = [arg for slug in slugs for arg in ("-e", f"{slug}.md")]
    _, out = _git(root, "grep", "-l", "-F", "--untracked", *patterns, "--", "notes")
    return [line for line in out.splitlines() if line.endswith(".md")]


def check_changed(root: Path, base: str | None = None) -> tuple[CheckResult, list[str] | None]:
    """Check only what changed since `base` and the notes that link to it.

    Returns the result and the paths in scope (None: everything, because a data file changed).
    """
    changed, deleted = changed_files(root, base or default_base(root))
    if any(p.startswith("data/") for p in changed + deleted):
        return check(root), None
    data, diags = load_data(root)
    part_names, files, found = discover(root)
    by_source = {f.source: f for f in files}
    touched = [p for p in changed if p in by_source]
    slugs = [by_source[p].slug for p in touched] + [Path(p).stem for p in deleted if p.endswith(".md")]
    scope = sorted(set(touched) | set(_referrers(root, slugs)))
    to_load = {p: by_source[p] for p in scope if p in by_source}
    notes, problems = load_notes(root, list(to_load.values()), workers=1)
    diags += problems + [d for d in found if d.path in scope]
    # links from the changed notes may point anywhere: load their targets too, for anchors
    wanted = {str(r) for n in notes for link in n.scan.links if (r := _site_of(n.site, link.target))}
    extra = [f for f in files if f"{f.part}/{f.slug}.md" in wanted and f.source not in to_load]
    extra_notes, _ = load_notes(root, extra, workers=1)
    parts = [p for name in part_names if (p := load_part(root, name)[0]) is not None]
    all_ids = {f.slug.casefold(): f.source for f in files}
    for note in notes:
        first = all_ids.get(note.id.casefold())
        if first is not None and first != note.source:
            diags.append(diag("duplicate-id", note.source, 1, 1, f"id '{note.id}' is already used by {first}", "rename one of the files"))
    if data is None:
        return CheckResult(None, tuple(sorted_unique(diags))), scope
    targets = site_targets(data, [*notes, *extra_notes], parts)
    for f in files:  # every other note exists; its anchors are unknown, so they are not checked
        targets.setdefault(f"{f.part}/{f.slug}.md", None)
    for note in notes:
        diags += validate_note(note, data)
        diags += check_links(note, targets, data)
    corpus = build_corpus(data, notes, parts)
    return CheckResult(corpus, tuple(sorted_unique(diags))), scope


def _site_of(site: str, target: str) -> str | None:
    path = target.partition("#")[0]
    return resolve_site_link(SitePath(site), path) if path else None
