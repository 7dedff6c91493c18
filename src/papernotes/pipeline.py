"""The conductor: the one order of the stages, for every command. Only this module knows it, and
only this module decides what runs in parallel.

1. The data files, the part folders and their indexes are loaded (`data.load_data`, `load.discover`,
   `load.load_parts`).
2. One round over the note files, the only parallel step (`note_round`): each note is loaded
   (`load.load_note`), validated against the data (`validate.validate_note`) and summed up
   (`records.Summary`: its page, anchors, links, cited works, tags and glossary terms).
3. The checks that need every note, once, in this process, over the summaries (`corpus_checks`):
   duplicate ids, the links of every note, part index and introduction of a generated page, and the
   works, tags and glossary terms no note uses.
4. For staging, the kept notes are linked into a corpus (`link.build_corpus`), which the emitters
   turn into the staged files (`stage_files`).

`check --changed` runs the same steps over the files a change can affect (`check_changed`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from papernotes.changes import change_scope, changed_files, default_base, in_scope
from papernotes.data import load_data
from papernotes.diagnostics import Diagnostic, sorted_unique
from papernotes.link import (
    anchors_of,
    build_corpus,
    check_links,
    corpus_warnings,
    duplicate_ids,
    ids_used_elsewhere,
    note_uses,
    page_of,
    resolved_links,
    site_targets,
)
from papernotes.load import discover, load_intros, load_note, load_parts
from papernotes.parallel import default_workers, map_in_order
from papernotes.paths import SitePath, note_site, resolve_site_link
from papernotes.records import CheckResult, Intro, KnowledgeData, Loaded, Note, NoteFile, Page, Part, Summary
from papernotes.registries import TermFinder, first_uses
from papernotes.validate import validate_intro, validate_note

Targets = dict[str, frozenset[str] | None]  # every staged page a link may reach, with its anchors (None: not checked)


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


class NoteStep:
    """What the round does to one note file: load it, validate it, sum it up, and hand back the
    parsed note too when the caller keeps the notes. Without the data files, a note is only loaded
    (and its summary holds only its id and page)."""

    def __init__(self, root: Path, data: KnowledgeData | None, files: list[NoteFile], keep: bool) -> None:
        self.root = root
        self.data = data
        self.keep = keep
        self.terms = TermFinder(data.glossary.values() if data else ())
        self.unseen = dict(data.glossary) if data else {}  # of this process (see Summary.terms)
        ids: dict[str, int] = {}
        for f in files:
            ids[f.slug.casefold()] = ids.get(f.slug.casefold(), 0) + 1
        self.shared = {f.source for f in files if ids[f.slug.casefold()] > 1}  # may be dropped as duplicates

    def __call__(self, file: NoteFile) -> Loaded:
        note, diags = load_note(self.root, file)
        if note is None:
            return Loaded(None, None, tuple(diags))
        return Loaded(self.summary(note), note if self.keep else None, tuple(diags))

    def summary(self, note: Note) -> Summary:
        links = resolved_links(note.site, note.scan.links)
        anchors = anchors_of(note)
        if self.data is None:
            return Summary(note.source, note.site, anchors, links, note.id, (), (), (), ())
        cites, tags = note_uses(self.data, note)
        # staging shows every note's terms, and a note that may be dropped must not hide a term from the others
        terms = self.terms.find(note.body) if self.keep or note.source in self.shared else first_uses(note.body, self.unseen)
        return Summary(note.source, note.site, anchors, links, note.id, cites, tags, terms, tuple(validate_note(note, self.data)))


def note_round(root: Path, data: KnowledgeData | None, files: list[NoteFile], *, keep: bool = False, workers: int | None = None) -> list[Loaded]:
    """`NoteStep` for every file, in file order; a large knowledge base is shared between `workers`
    processes (by default one per core from `parallel.PARALLEL_THRESHOLD` notes on)."""
    if workers is None:
        workers = default_workers(len(files))
    return map_in_order(NoteStep(root, data, files, keep), files, workers)


def check(root: Path, *, workers: int | None = None, corpus: bool = True) -> CheckResult:
    """Check every note and data file; with `corpus`, also link the notes into the corpus that
    staging needs (a check alone does not keep the parsed notes)."""
    with collector_paused():
        data, diags = load_data(root)
        part_names, files, found = discover(root)
        parts, problems = load_parts(root, part_names)
        loaded = note_round(root, data, files, keep=corpus, workers=workers)
        return corpus_checks(root, data, loaded, parts, [*diags, *found, *problems], corpus)


def corpus_checks(root: Path, data: KnowledgeData | None, loaded: list[Loaded], parts: list[Part], diags: list[Diagnostic], link: bool) -> CheckResult:
    """The checks that need every note, run once over the round's summaries: duplicate ids, links
    (of the notes, the parts' indexes and the introductions) and what no note uses; then, with
    `link`, the corpus."""
    summaries = [x.summary for x in loaded if x.summary is not None]
    diags += [d for x in loaded for d in x.diags]
    dropped, problems = duplicate_ids((s.source, s.id) for s in summaries)
    diags += problems
    if data is None:
        return CheckResult(None, tuple(sorted_unique(diags)), 0, usable=False)
    kept = [s for s in summaries if s.source not in dropped]
    diags += [d for s in kept for d in s.problems]
    targets = site_targets(data, ((s.site, s.anchors) for s in kept), parts)
    pages: list[Page | Summary] = [*kept, *map(page_of, parts)]
    for page in pages:
        diags += check_links(page, targets, data)
    intros, problems = check_intros(root, data, targets)
    diags += problems
    diags += corpus_warnings(data, kept)
    corpus = None
    if link:
        notes = [x.note for x in loaded if x.note is not None and x.note.source not in dropped]
        corpus = build_corpus(data, notes, parts, intros, {s.id: s.terms for s in kept})
    return CheckResult(corpus, tuple(sorted_unique(diags)), len(kept))


def check_intros(root: Path, data: KnowledgeData, targets: Targets) -> tuple[list[Intro], list[Diagnostic]]:
    """The introductions of generated pages (`pages`), each checked like a note's body: its links
    against `targets`, its citations and §-references against the data."""
    intros, diags = load_intros(root, data)
    for intro in intros:
        diags += check_links(page_of(intro, targets), targets, data) + validate_intro(intro, data)
    return intros, diags


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


def search_files(result: CheckResult) -> dict[str, str]:
    """What build/search/ holds: the search documents Pagefind indexes, one per note, by the path of the note's
    built page, and the list of common words the search box reads (see `emit.search.common_words`)."""
    if result.corpus is None:
        raise ValueError("search_files needs a check whose data files loaded")
    from papernotes.emit.search import search_files as files

    return files(result.corpus)


# --- incremental check ----------------------------------------------------------------------------


def check_changed(root: Path, base: str | None = None) -> tuple[CheckResult, list[str] | None]:
    """Check only what changed since `base` and the pages that link to it: the same steps over the
    files in scope, with every other note still a page that links may reach.

    Returns the result and the paths in scope (None: everything, because a data file changed).
    Raises ValueError when git cannot compare with `base`.
    """
    changed, deleted = changed_files(root, base or default_base(root))
    if any(p.startswith("data/") for p in changed + deleted):
        return check(root, corpus=False), None
    with collector_paused():
        data, diags = load_data(root)
        part_names, files, found = discover(root)
        scope = change_scope(root, changed, deleted, files)
        diags += [d for d in found if in_scope(d.path, scope)]
        parts, problems = load_parts(root, part_names)
        diags += [d for d in problems if in_scope(d.path, scope)]
        loaded = note_round(root, data, [f for f in files if f.source in scope])
        summaries = [x.summary for x in loaded if x.summary is not None]
        diags += [d for x in loaded for d in x.diags]
        diags += ids_used_elsewhere(summaries, files)
        if data is None:
            return CheckResult(None, tuple(sorted_unique(diags)), 0, usable=False), scope
        diags += [d for s in summaries for d in s.problems]
        targets = _link_targets(root, data, summaries, parts, files)
        pages: list[Page | Summary] = [*summaries, *(page_of(p) for p in parts if p.source in scope)]
        for page in pages:
            diags += check_links(page, targets, data)
        _, problems = check_intros(root, data, targets)
        diags += [d for d in problems if in_scope(d.path, scope)]
        return CheckResult(None, tuple(sorted_unique(diags)), len(summaries)), scope


def _link_targets(root: Path, data: KnowledgeData, notes: list[Summary], parts: list[Part], files: list[NoteFile]) -> Targets:
    """Pages the checked notes may link to; the notes they do link to are loaded for their anchors
    (only loaded: the data files are not needed for that)."""
    loaded = {n.source for n in notes}
    wanted = {r for n in notes for target, _, _, _ in n.links if (r := _site_of(n.site, target))}
    extra = [f for f in files if note_site(f.part, f.slug) in wanted and f.source not in loaded]
    more = [x.summary for x in note_round(root, None, extra) if x.summary is not None]
    targets = site_targets(data, ((n.site, n.anchors) for n in [*notes, *more]), parts)
    for f in files:  # every other note exists; its anchors are unknown, so they are not checked
        targets.setdefault(note_site(f.part, f.slug), None)
    return targets


def _site_of(site: str, target: str) -> str | None:
    path = target.partition("#")[0]
    return resolve_site_link(SitePath(site), path) if path else None
