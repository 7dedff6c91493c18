"""Stage 3, link: what depends on the whole corpus.

Duplicate ids, links and anchors between notes, backlinks, the citation and tag indexes, section
coverage, the reading order (previous/next) and related notes. Nothing is emitted before this.

Long because it is everything that needs the whole corpus at once, a dozen short functions over the
one `Corpus` record; each is small, and together they are the stage.
"""

from __future__ import annotations

import bisect
import heapq
import posixpath
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from papernotes import pages, paths
from papernotes.diagnostics import Diagnostic, Rule, diag
from papernotes.hints import did_you_mean
from papernotes.records import Corpus, Intro, KnowledgeData, Link, LinkAt, Note, NoteFile, Page, Part, Summary
from papernotes.registries import TermFinder, glossary_notes, unused_terms

MAX_RELATED = 5
MAX_HINTS = 50  # 'did you mean' hints per page: thousands of broken links are still checked in a blink
MIN_TAG_USES = 2
COMMON_TAG_SHARE = 0.2  # a tag on more than this share of notes does not propose related notes by itself
RELATED_POOL = 24  # of a larger tag or section, only the notes nearest in reading order are weighed


def reading_key(note: Note) -> tuple[tuple[int, ...], str, str]:
    """The survey's order: first section number, then casefolded title, then id."""
    first = note.meta.sections[0].value if note.meta.sections else "99"
    return (tuple(int(p) for p in first.split(".")), note.meta.title.casefold(), note.id)


def duplicate_ids(loaded: Iterable[tuple[str, str]]) -> tuple[set[str], list[Diagnostic]]:
    """Of (source, id) pairs, the sources whose id (case-insensitive) an earlier path already has,
    and a problem for each."""
    seen: dict[str, str] = {}
    dropped: set[str] = set()
    diags: list[Diagnostic] = []
    for source, note_id in sorted(loaded):
        key = note_id.casefold()
        if key in seen:
            diags.append(diag("duplicate-id", source, 1, 1, f"id '{note_id}' is already used by {seen[key]}", "rename one of the files"))
            dropped.add(source)
            continue
        seen[key] = source
    return dropped, diags


def ids_used_elsewhere(notes: list[Summary], files: list[NoteFile]) -> list[Diagnostic]:
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


def anchors_of(page: Note | Part | Intro) -> frozenset[str]:
    """The anchors a page's headings get."""
    return frozenset([h.anchor for h in page.scan.headings])


def page_of(page: Note | Part | Intro, targets: Mapping[str, frozenset[str] | None] | None = None) -> Page:
    """What the link check needs of a note, a part's index or an introduction: its place, its own
    anchors and its links. An introduction shares its page with the generated listing: its anchors are
    the listing's too (from `targets`), and unknown when the listing's are."""
    own: frozenset[str] | None = anchors_of(page)
    if isinstance(page, Intro):
        listing = targets.get(page.site) if targets is not None else None
        own = None if listing is None else anchors_of(page) | listing
    return Page(page.source, page.site, own, resolved_links(page.site, page.scan.links))


def resolved_links(site: paths.SitePath, links: Sequence[Link]) -> tuple[LinkAt, ...]:
    """A page's links with the staged page each leads to, resolved where the page is loaded (in the
    parallel round, for a note), so that the link check of every page (`check_links`) only looks
    them up: "" for an anchor on the page itself, None for a link that leaves the site."""
    return tuple([(link[0], link[1], link[2], page) for link, page in zip(links, paths.link_pages(site, [link[0] for link in links]), strict=True)])


def site_targets(data: KnowledgeData, notes: Iterable[tuple[str, frozenset[str]]], parts: Iterable[Part]) -> dict[str, frozenset[str] | None]:
    """Every staged page a note may link to, with its anchors (None: anchors not checked): the notes
    (each note's staged path and anchors), the parts' indexes and the pages of the registry (`pages`)."""
    return pages.link_targets(pages.Inputs(data, notes, (p.site for p in parts)))


_MISSING: frozenset[str] = frozenset({"#"})  # not a page (no anchor holds a '#')


def check_links(page: Page | Summary, targets: dict[str, frozenset[str] | None], data: KnowledgeData) -> list[Diagnostic]:
    """Check every relative link and image of a page (already resolved: `resolved_links`); report
    broken pages, anchors and escapes."""
    out: list[Diagnostic] = []
    own = page.anchors
    for target, line, col, resolved in page.links:
        if resolved and not resolved.startswith("charts/"):  # most links: a page, maybe an anchor on it
            anchors = targets.get(resolved, _MISSING)
            if anchors is None or (anchors is not _MISSING and ("#" not in target or target.partition("#")[2] in anchors)):
                continue
        path, _, anchor = target.partition("#")
        if "?" in path:
            path = path.partition("?")[0]
        if not path:
            if anchor and own is not None and anchor not in own:
                hint = did_you_mean(anchor, sorted(own)) if len(out) < MAX_HINTS else ""
                out.append(diag("broken-anchor", page.source, line, col, f"there is no heading '#{anchor}' on this page", hint))
            continue
        if resolved is None:
            out.append(
                diag(
                    "link-outside-site",
                    page.source,
                    line,
                    col,
                    f"'{target}' leaves the site",
                    "link to a note with a relative path such as ../agents/note.md",
                )
            )
            continue
        if resolved.startswith("charts/"):
            name = posixpath.basename(resolved).removesuffix(".svg")
            if not resolved.endswith(".svg") or name not in data.charts:
                hint = did_you_mean(name, sorted(data.charts)) if len(out) < MAX_HINTS else ""
                out.append(diag("unknown-chart", page.source, line, col, f"no chart '{name}' in data/charts/", hint))
            continue
        if resolved not in targets:
            hint = _link_hint(resolved, page.site, targets) if len(out) < MAX_HINTS else ""
            out.append(diag("broken-link", page.source, line, col, f"'{path}' does not exist", hint))
            continue
        anchors = targets[resolved]
        if anchor and anchors is not None and anchor not in anchors:
            hint = did_you_mean(anchor, sorted(anchors)) if len(out) < MAX_HINTS else ""
            out.append(diag("broken-anchor", page.source, line, col, f"'{path}' has no heading '#{anchor}'", hint))
    return out


def _link_hint(resolved: str, here: str, targets: dict[str, frozenset[str] | None]) -> str:
    name = posixpath.basename(resolved)
    same_name = sorted(t for t in targets if posixpath.basename(t) == name)
    if same_name:
        return f"did you mean '{paths.relative_site_link(paths.SitePath(here), paths.SitePath(same_name[0]))}'?"
    import difflib  # only a broken link needs a hint

    close = difflib.get_close_matches(resolved, sorted(targets), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{paths.relative_site_link(paths.SitePath(here), paths.SitePath(close[0]))}'?"
    return ""


def build_corpus(
    data: KnowledgeData, notes: list[Note], parts: list[Part], intros: Iterable[Intro] = (), note_terms: Mapping[str, tuple[str, ...]] | None = None
) -> Corpus:
    """Index the (already de-duplicated) notes; `intros` are the introductions of generated pages;
    `note_terms`, each note id's glossary terms, when the caller has already found them."""
    ordered = tuple(sorted(notes, key=reading_key))
    by_id = {n.id: n for n in ordered}
    by_site = {n.site: n.id for n in ordered}
    backlinks: dict[str, set[str]] = defaultdict(set)
    for note in ordered:
        for link in note.scan.links:
            path = link.target.partition("#")[0]
            resolved = paths.resolve_site_link(note.site, path) if path else None
            target = by_site.get(resolved) if resolved else None
            if target and target != note.id:
                backlinks[target].add(note.id)
    cites: dict[str, tuple[str, ...]] = {}
    cited_by: dict[str, set[str]] = defaultdict(set)
    tagged: dict[str, set[str]] = defaultdict(set)
    covering: dict[str, set[str]] = defaultdict(set)
    for note in ordered:
        keys, tags = note_uses(data, note)
        cites[note.id] = keys
        for key in keys:
            cited_by[key].add(note.id)
        for tag in tags:
            tagged[tag].add(note.id)
        for sec in note.meta.sections:
            if sec.value in data.survey.by_number:
                covering[sec.value].add(note.id)
    order = {n.id: i for i, n in enumerate(ordered)}

    def in_order(ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(ids, key=order.__getitem__))

    if note_terms is None:
        finder = TermFinder(data.glossary.values())
        note_terms = {n.id: finder.find(n.body) for n in ordered}
    corpus = Corpus(
        data=data,
        notes=ordered,
        parts=tuple(sorted(parts, key=lambda p: (p.order, p.name))),
        by_id=by_id,
        backlinks={k: in_order(v) for k, v in backlinks.items()},
        cited_by={k: in_order(v) for k, v in cited_by.items()},
        tagged={k: in_order(v) for k, v in tagged.items()},
        covering={k: in_order(v) for k, v in covering.items()},
        cites=cites,
        intros={i.site: i for i in intros},
        note_terms={n.id: found for n in ordered if (found := note_terms.get(n.id, ()))},
    )
    corpus.related.update(related_notes(corpus))  # weighs the indexes above
    return corpus


def _pool(members: tuple[str, ...], note_id: str, order: dict[str, int]) -> tuple[str, ...]:
    """The members of a tag or section (in reading order) nearest to `note_id`, at most RELATED_POOL."""
    if len(members) <= RELATED_POOL:
        return members
    at = bisect.bisect_left(members, order[note_id], key=order.__getitem__)
    start = min(max(at - RELATED_POOL // 2, 0), len(members) - RELATED_POOL)
    return members[start : start + RELATED_POOL]


def related_notes(corpus: Corpus) -> dict[str, tuple[str, ...]]:
    """Up to five related notes per note, none of which links to it (those are its backlinks): a link weighs 3, a shared section 2, a shared tag
    1 (rarer tags more). Of a large tag or section only the nearest notes in reading order are
    weighed, so the cost grows linearly with the knowledge base."""
    order = corpus.order
    vocab = corpus.data.vocab
    limit = max(COMMON_TAG_SHARE * len(corpus.notes), 8)
    links_out: dict[str, set[str]] = defaultdict(set)
    for target, sources in corpus.backlinks.items():
        for source in sources:
            links_out[source].add(target)
    keys: dict[float, float] = {}  # a score -> its sort key: the few distinct scores are rounded once
    related: dict[str, tuple[str, ...]] = {}
    for note in corpus.notes:
        score: dict[str, float] = defaultdict(float)
        for other in links_out.get(note.id, set()).union(corpus.backlinks.get(note.id, ())):
            score[other] += 3
        for sec in note.meta.sections:
            for other in _pool(corpus.covering.get(sec.value, ()), note.id, order):
                score[other] += 2
        for tag in vocab.tags_of(t.value for t in note.meta.tags):
            members = corpus.tagged.get(tag, ())
            if 0 < len(members) <= limit:  # an unknown tag has none
                weight = 1 + 1 / len(members)
                for other in _pool(members, note.id, order):
                    score[other] += weight
        score.pop(note.id, None)
        for other in corpus.backlinks.get(note.id, ()):  # already listed under "Referenced by"
            score.pop(other, None)
        ranked = []
        for other, value in score.items():
            key = keys.get(value)
            if key is None:
                key = keys[value] = -round(value, 6)
            ranked.append((key, order[other], other))
        best = heapq.nsmallest(MAX_RELATED, ranked)
        related[note.id] = tuple(o for _, _, o in best)
    return related


def note_uses(data: KnowledgeData, note: Note) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The bibliography keys a note cites (front matter and inline, first use first) and the tags
    it carries, both as the data files name them; unknown ones are left out."""
    refs, known = data.refs, data.vocab.tags
    keys = dict.fromkeys([r.value for r in note.scan.citations] + [c.value for c in note.meta.cites])
    tags = dict.fromkeys(data.vocab.tags_of(t.value for t in note.meta.tags))
    return tuple([k for k in keys if k in refs]), tuple([t for t in tags if t in known])


def corpus_warnings(data: KnowledgeData, notes: Sequence[Summary]) -> list[Diagnostic]:
    """Of the (de-duplicated) notes: bibliography entries none cites, tags fewer than MIN_TAG_USES
    carry, glossary terms none uses, and glossary entries that name a note that does not exist."""
    cited = {key for note in notes for key in note.cites}
    tag_uses = Counter([tag for note in notes for tag in note.tags])
    out = unused_terms(data.glossary, {term for note in notes for term in note.terms})
    out += glossary_notes(data.glossary, (note.site for note in notes))
    for key, ref in sorted(data.refs.items()):
        if key not in cited:
            out.append(diag("uncited-reference", "data/references.bib", ref.line, 1, f"no note cites '{key}'", "cite it or remove the entry"))
    for name, tag in sorted(data.vocab.tags.items()):
        users = tag_uses.get(name, 0)
        if users < MIN_TAG_USES:
            out.append(
                diag(
                    "unused-tag",
                    "data/tags.yaml",
                    tag.line,
                    1,
                    f"tag '{name}' is used by {users} note{'s' if users != 1 else ''}; a tag groups at least {MIN_TAG_USES}",
                    "use it on another note or remove it",
                )
            )
    return out


# What is checked across the notes, in order: ids (ids_used_elsewhere is the same check for check --changed),
# links (of the notes, the parts and the introductions), then what the data files offer that no note uses.
CORPUS_RULES = (
    Rule("duplicate-ids", ("duplicate-id",), duplicate_ids),
    Rule("links", ("broken-link", "broken-anchor", "link-outside-site", "unknown-chart"), check_links),
    Rule("unused", ("uncited-reference", "unused-tag"), corpus_warnings, reuses=("unused-glossary-term", "glossary-note")),
)
