"""The conductor: load → validate → link → emit. Only this module knows the order.

Long because the incremental check (`check --changed`: what changed since a git base, and the pages that
link to it) sits beside the full check, so that both run the stages in the order written here.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from papernotes.data import load_data
from papernotes.diagnostics import Diagnostic, diag, sorted_unique
from papernotes.link import build_corpus, check_links, corpus_warnings, duplicate_ids, site_targets, site_targets_of, unique_ids, usage_warnings
from papernotes.load import discover, load_intros, load_note, load_parts
from papernotes.parallel import default_workers
from papernotes.paths import SitePath, resolve_site_link
from papernotes.records import CheckResult, Intro, KnowledgeData, Note, NoteFile, Part
from papernotes.registries import glossary_notes
from papernotes.shard import Chunks, Share, load_shared, serve_check, start_helpers
from papernotes.validate import validate_intro, validate_note


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector. A check makes about a hundred small records per note,
    none in a cycle, and the collector would walk them all again and again: a quarter of the time of
    a 10,000-note check. Reference counting still frees everything at once."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_notes(root: Path, files: list[NoteFile], workers: int | None = None) -> tuple[list[Note], list[Diagnostic]]:
    """Load every note, in file order. A large knowledge base is shared between `workers` processes
    that take chunks of files as they go (`shard.load_shared`): the conductor decides, so that the
    load stage never imports the module that runs it in parallel."""
    if workers is None:
        workers = default_workers(len(files))
    results = load_shared(root, files, workers) if workers > 1 else [load_note(root, f) for f in files]
    notes = [n for n, _ in results if n is not None]
    diags = [d for _, ds in results for d in ds]
    return notes, diags


def check(root: Path, *, workers: int | None = None) -> CheckResult:
    """Load every note and data file, validate each note, then link the whole corpus."""
    with collector_paused():
        return _check(root, workers)


def _check(root: Path, workers: int | None) -> CheckResult:
    data, diags = load_data(root)
    part_names, files, found = discover(root)
    diags += found
    parts, problems = load_parts(root, part_names)
    diags += problems
    notes, problems = load_notes(root, files, workers)
    diags += problems
    notes, problems = unique_ids(notes)
    diags += problems
    if data is None:
        return CheckResult(None, tuple(sorted_unique(diags)))
    for note in notes:
        diags += validate_note(note, data)
    targets = site_targets(data, notes, parts)
    pages: list[Note | Part] = [*notes, *parts]
    for page in pages:
        diags += check_links(page, targets, data)
    intros, problems = check_intros(root, data, targets)
    diags += problems
    corpus = build_corpus(data, notes, parts, intros)
    diags += corpus_warnings(corpus)
    return CheckResult(corpus, tuple(sorted_unique(diags)))


def check_intros(root: Path, data: KnowledgeData, targets: dict[str, frozenset[str] | None]) -> tuple[list[Intro], list[Diagnostic]]:
    """The introductions of generated pages (`pages`), each checked like a note's body: its links
    against `targets`, its citations and §-references against the data."""
    intros, diags = load_intros(root, data)
    for intro in intros:
        diags += check_links(intro, targets, data) + validate_intro(intro, data)
    return intros, diags


@dataclass(frozen=True)
class CheckReport:
    """What `papernotes check` prints: every problem, sorted, and how many notes were checked.
    `usable` is False when the data files could not be read, so nothing else was checked."""

    diagnostics: tuple[Diagnostic, ...]
    notes: int
    usable: bool

    @classmethod
    def of(cls, result: CheckResult) -> CheckReport:
        return cls(result.diagnostics, len(result.corpus.notes) if result.corpus else 0, result.corpus is not None)


def check_report(root: Path, *, workers: int | None = None) -> CheckReport:
    """The problems `check` finds, without building the corpus that only staging needs. A large
    knowledge base is shared between processes that keep the notes they parse (see `shard`)."""
    with collector_paused():
        return _check_report(root, workers)


def _check_report(root: Path, workers: int | None) -> CheckReport:
    data, diags = load_data(root)
    part_names, files, found = discover(root)
    if data is None:
        return CheckReport.of(_check(root, workers))  # nothing but the notes' own problems to find
    diags += found
    helpers = start_helpers(files, default_workers(len(files)) if workers is None else workers, serve_check, root, data)
    try:
        parts, problems = load_parts(root, part_names)
        diags += problems
        own = Share(root)
        own.load_all(helpers.chunks if helpers else Chunks(files, len(files) or 1))
        summaries = own.summaries()
        if helpers:
            for theirs in helpers.gather(lambda conn: conn.recv()):
                summaries += theirs
        dropped, problems = duplicate_ids((source, note_id) for source, note_id, _, _ in summaries)
        diags += problems
        targets = site_targets_of(data, ((site, anchors) for source, _, site, anchors in summaries if source not in dropped), parts)
        if helpers:
            helpers.gather(lambda conn: conn.send((dropped, targets)))
        usage = own.finish(data, dropped, targets)
        for part in parts:
            usage.diags += check_links(part, targets, data)
        usage.diags += check_intros(root, data, targets)[1]
        if helpers:
            for theirs in helpers.gather(lambda conn: conn.recv()):
                usage.add(theirs)
    except (EOFError, BrokenPipeError, ConnectionResetError):
        # a worker died (its traceback is on stderr): check in this process alone, where the same
        # fault, if it is one, is reported as an internal error with its traceback
        return CheckReport.of(_check(root, 1))
    finally:
        if helpers:
            helpers.close()
    diags += usage.diags
    diags += usage_warnings(data, usage.cited, usage.tag_uses, usage.terms)
    diags += glossary_notes(data.glossary, (site for source, _, site, _ in summaries if source not in dropped))
    return CheckReport(tuple(sorted_unique(diags)), len(summaries) - len(dropped), True)


def stage_files(result: CheckResult, root: Path | None = None) -> dict[str, str]:
    """Everything the site engine renders, from a clean check; with `root`, git history dates the
    notes that say nothing of when they were updated."""
    if result.corpus is None:
        raise ValueError("stage_files needs a check whose data files loaded")
    from papernotes.emit.site import emit_site  # imported here: a check does not need the emitters
    from papernotes.history import last_commits

    changed = last_commits(root) if root is not None else {}
    with collector_paused():
        return emit_site(result.corpus, changed)


# --- incremental check ----------------------------------------------------------------------------


def in_scope(path: str, scopes: list[str]) -> bool:
    """True when `path` is one of `scopes` or sits under one of them ('' or '.' is everything)."""
    return any(s in ("", ".") or path == s or path.startswith(s.rstrip("/") + "/") for s in scopes)


def _git(root: Path, *args: str) -> tuple[int, str, str]:
    import subprocess  # only an incremental check runs git

    proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout, proc.stderr


def default_base(root: Path) -> str:
    """The merge base with origin/main when there is one, else HEAD."""
    code, out, _ = _git(root, "merge-base", "origin/main", "HEAD")
    return out.strip() if code == 0 and out.strip() else "HEAD"


def changed_files(root: Path, base: str) -> tuple[list[str], list[str]]:
    """(changed or added, deleted) files under notes/ and data/ since `base`, untracked ones included.

    Paths are relative to `root` (which may be a subfolder of the repository); `-z` keeps unusual
    file names unquoted.
    """
    code, out, err = _git(root, "diff", "-z", "--relative", "--name-status", "--no-renames", base, "--", "notes", "data")
    if code != 0:
        reason = err.strip().splitlines()[0] if err.strip() else "unknown reason"
        raise ValueError(f"git could not compare with '{base}': {reason}")
    fields = out.split("\0")
    changed: list[str] = []
    deleted: list[str] = []
    for status, name in zip(fields[0::2], fields[1::2], strict=False):
        if name:
            (deleted if status.startswith("D") else changed).append(name)
    _, untracked, _ = _git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", "notes", "data")
    changed += [u for u in untracked.split("\0") if u]
    return sorted(set(changed)), sorted(set(deleted))


def _referrers(root: Path, slugs: list[str]) -> list[str]:
    """Notes and part indexes whose text names one of these slugs (candidates for links to them)."""
    if not slugs:
        return []
    patterns = [arg for slug in slugs for arg in ("-e", f"{slug}.md")]
    _, out, _ = _git(root, "grep", "-z", "-l", "-F", "--untracked", *patterns, "--", "notes")
    return [name for name in out.split("\0") if name.endswith(".md")]


def change_scope(root: Path, changed: list[str], deleted: list[str], files: list[NoteFile]) -> list[str]:
    """What a change can affect: the changed files, notes that may link to changed or deleted notes,
    and the folder of a deleted part index."""
    by_source: dict[str, NoteFile] = {f.source: f for f in files}
    slugs = [by_source[p].slug for p in changed if p in by_source]
    slugs += [Path(p).stem for p in deleted if p.endswith(".md") and Path(p).name != "index.md"]
    folders = [str(Path(p).parent) for p in deleted if Path(p).name == "index.md"]
    return sorted(set(changed) | set(_referrers(root, slugs)) | set(folders))


def check_changed(root: Path, base: str | None = None) -> tuple[CheckResult, list[str] | None]:
    """Check only what changed since `base` and the pages that link to it.

    Returns the result and the paths in scope (None: everything, because a data file changed).
    Raises ValueError when git cannot compare with `base`.
    """
    changed, deleted = changed_files(root, base or default_base(root))
    if any(p.startswith("data/") for p in changed + deleted):
        return check(root), None
    data, diags = load_data(root)
    part_names, files, found = discover(root)
    scope = change_scope(root, changed, deleted, files)
    diags += [d for d in found if in_scope(d.path, scope)]
    to_load = [f for f in files if f.source in scope]
    notes, problems = load_notes(root, to_load, workers=1)
    diags += problems + _ids_used_elsewhere(notes, files)
    parts, problems = load_parts(root, part_names)
    diags += [d for d in problems if in_scope(d.path, scope)]
    if data is None:
        return CheckResult(None, tuple(sorted_unique(diags))), scope
    targets = _link_targets(root, data, notes, parts, files)
    for note in notes:
        diags += validate_note(note, data)
    pages: list[Note | Part] = [*notes, *(p for p in parts if p.source in scope)]
    for page in pages:
        diags += check_links(page, targets, data)
    intros, problems = check_intros(root, data, targets)
    diags += [d for d in problems if in_scope(d.path, scope)]
    corpus = build_corpus(data, notes, parts, intros)
    return CheckResult(corpus, tuple(sorted_unique(diags))), scope


def _ids_used_elsewhere(notes: list[Note], files: list[NoteFile]) -> list[Diagnostic]:
    """A checked note whose id (case-insensitive) another file in any part already has."""
    sources: dict[str, list[str]] = {}
    for f in files:
        sources.setdefault(f.slug.casefold(), []).append(f.source)
    out = []
    for note in notes:
        others = [s for s in sources.get(note.id.casefold(), []) if s != note.source]
        if others:
            out.append(diag("duplicate-id", note.source, 1, 1, f"id '{note.id}' is already used by {others[0]}", "rename one of the files"))
    return out


def _link_targets(root: Path, data: KnowledgeData, notes: list[Note], parts: list[Part], files: list[NoteFile]) -> dict[str, frozenset[str] | None]:
    """Pages the checked notes may link to; the notes they do link to are loaded for their anchors."""
    loaded = {n.source for n in notes}
    wanted = {r for n in notes for link in n.scan.links if (r := _site_of(n.site, link.target))}
    extra = [f for f in files if f"{f.part}/{f.slug}.md" in wanted and f.source not in loaded]
    extra_notes, _ = load_notes(root, extra, workers=1)
    targets = site_targets(data, [*notes, *extra_notes], parts)
    for f in files:  # every other note exists; its anchors are unknown, so they are not checked
        targets.setdefault(f"{f.part}/{f.slug}.md", None)
    return targets


def _site_of(site: str, target: str) -> str | None:
    path = target.partition("#")[0]
    return resolve_site_link(SitePath(site), path) if path else None
