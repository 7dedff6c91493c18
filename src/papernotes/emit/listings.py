"""Generated listing pages: home, part indexes, tag index and tag pages, the explorer, the checks."""

from __future__ import annotations

from collections.abc import Mapping

from papernotes import paths
from papernotes.codes import REGISTRY
from papernotes.emit import escape
from papernotes.emit import markdown as md
from papernotes.emit.prose import intro
from papernotes.emit.survey_map import BACK_MATTER, Coverage
from papernotes.history import day
from papernotes.paths import SitePath, relative_site_link
from papernotes.records import Corpus, Note, Part

RECENT = 8


def note_item(note: Note, corpus: Corpus, here: SitePath, *, with_part: bool = False) -> str:
    """One list item: linked title, summary, sections and tags."""
    secs = ", ".join(f"§{s.value}" for s in note.meta.sections)
    part = corpus.part(note.part)
    extra = f" · {md.text(part.title)}" if with_part and part is not None else ""
    tags = ", ".join(md.text(t.value) for t in note.meta.tags)
    return f"- **{md.link(md.text(note.meta.title), here, note.site)}** — {md.text(note.meta.summary)}  \n  <small>{secs}{extra} · {tags}</small>"


def part_page(part: Part, corpus: Corpus) -> str:
    """The authored introduction on top, the part's notes in reading order below."""
    notes = [n for n in corpus.notes if n.part == part.name]
    front = md.front_matter({"title": part.title, "description": part.summary, "source": part.source})
    lines = [f"# {md.text(part.title)}", "", part.body.strip(), "", f"*Covers {md.text(part.covers)}.*", "", f"## Notes ({len(notes)})", ""]
    lines += [note_item(n, corpus, part.site) for n in notes] or ["No notes yet."]
    return front + "\n".join(lines) + "\n"


def _chapter_rows(corpus: Corpus, here: SitePath) -> list[str]:
    """One row per survey chapter: number, title (linked to the survey map), notes, parts."""
    rows = ["| chapter | title | notes | read it in |", "|---|---|---|---|"]
    for chapter in corpus.data.survey.chapters():
        number = chapter.number
        ids = {i for sec, members in corpus.covering.items() if sec == number or sec.startswith(number + ".") for i in members}
        title = md.link(md.text(chapter.title), here, paths.SURVEY_MAP, paths.section_anchor(number))
        if number in BACK_MATTER:
            rows.append(f"| {number} | {title} | — | back matter |")
            continue
        counts: dict[str, int] = {}
        for i in ids:
            counts[corpus.by_id[i].part] = counts.get(corpus.by_id[i].part, 0) + 1
        parts = [corpus.part(name) for name in sorted(counts, key=lambda n: (-counts[n], n))]
        where = ", ".join(md.link(md.text(p.title), here, p.site) for p in parts if p is not None)
        rows.append(f"| {number} | {title} | {len(ids)} | {where} |")
    return rows


def _reading_path(corpus: Corpus, here: SitePath) -> list[str]:
    """The chapter overviews in the survey's order: a first pass through the whole survey."""
    overviews = [n for n in corpus.notes if "overview" in corpus.tags_of(n)]
    if not overviews:
        return []
    lines = [
        "## Start here",
        "",
        f"New to the survey? Read these {len(overviews)} overviews in order: each maps one chapter and points to the detailed notes. Then follow *Next* at the bottom of any note, or pick an open problem.",
        "",
    ]
    lines += [f"{i}. {md.link(md.text(n.meta.title), here, n.site)}" for i, n in enumerate(overviews, 1)]
    return [*lines, ""]


def _recent(corpus: Corpus, here: SitePath, changed: Mapping[str, int]) -> list[str]:
    """The notes changed last: the later of a note's `updated` and its last commit, newest first."""
    dated = []
    for note in corpus.notes:
        stamp = changed.get(note.source)
        days = [d for d in (note.meta.updated, day(stamp) if stamp is not None else None) if d is not None]
        if days:
            dated.append((max(days), stamp or 0, note))
    dated.sort(key=lambda r: (-r[0].toordinal(), -r[1], r[2].meta.title.casefold(), r[2].id))
    if not dated:
        return []
    lines = ["## Recently updated", "", "The later of a note's `updated` date and its last commit."]
    lines += ["", *(f"- {d.isoformat()} · {md.link(md.text(n.meta.title), here, n.site)}" for d, _, n in dated[:RECENT])]
    return lines


def home_page(corpus: Corpus, cov: Coverage, changed: Mapping[str, int]) -> str:
    """The survey and how its chapters map to the notes, under the authored introduction (notes/index.md); where
    to start, how to find things, what changed lately."""
    survey = corpus.data.survey
    here = paths.HOME
    lines = [
        "# papernotes",
        "",
        f"Reading notes on **{md.text(survey.title)}** ({md.text(survey.authors[0])} et al., "
        f"[arXiv:{survey.arxiv}v{survey.version}]({md.abs_url(survey)}), {survey.pages} pages). "
        f"Every note is pinned to version {survey.version} and links to the exact survey sections it covers.",
        *intro(corpus, here),
        "",
        f"{len(corpus.notes)} notes · {len(corpus.data.refs)} references · {len(corpus.data.vocab.tags)} tags · coverage: {cov.line()}.",
        "",
        *_reading_path(corpus, here),
        "## The survey's chapters",
        "",
        f"Each title links to the chapter in the {md.link('survey map', here, paths.SURVEY_MAP)}.",
        "",
        *_chapter_rows(corpus, here),
        "",
        "## Parts",
        "",
        "The notes are grouped into parts where a reader would look for them:",
        "",
        "| part | survey chapters and sections | notes |",
        "|---|---|---|",
    ]
    for part in corpus.parts:
        count = sum(1 for n in corpus.notes if n.part == part.name)
        lines.append(f"| {md.link(md.text(part.title), here, part.site)} | {md.text(part.covers)} | {count} |")
    lines += [
        "",
        "## How to find things",
        "",
        "- **Search**: press `/` or click the search box. Titles, summaries, tags and full text are indexed.",
        f"- **Several tags at once**: the {md.link('explorer', here, paths.EXPLORE)} filters notes by tags, part, chapter and status, and the filtered view is a shareable link; the {md.link('tag index', here, paths.TAG_INDEX)} lists every tag.",
        f"- **By survey section**: the {md.link('survey map', here, paths.SURVEY_MAP)} lists the table of contents with the notes on each section and its link to arXiv.",
        "",
        *_recent(corpus, here, changed),
        "",
        "## About",
        "",
        f"See the {md.link('bibliography', here, paths.BIBLIOGRAPHY)} for every cited work; contributors will find the {md.link('checks', here, paths.CHECKS)} every note passes under *Contributing*.",
    ]
    return md.front_matter({"title": "Home", "description": f"Reading notes on arXiv:{survey.arxiv}v{survey.version}"}) + "\n".join(lines) + "\n"


def tag_index(corpus: Corpus) -> str:
    """All tags by group, with descriptions and counts."""
    vocab = corpus.data.vocab
    here = paths.TAG_INDEX
    lines = [
        "# Tags",
        "",
        "Every note carries one or more tags from a controlled vocabulary. Type a tag name into the search box to find its notes, or combine tags in the "
        + md.link("explorer", here, paths.EXPLORE)
        + ".",
        *intro(corpus, here),
        "",
    ]
    for group, title in vocab.groups:
        members = sorted((t for t in vocab.tags.values() if t.group == group), key=lambda t: t.name)
        if not members:
            continue
        lines += [f"## {md.text(title)}", "", "| tag | what | notes |", "|---|---|---|"]
        for tag in members:
            lines.append(
                f"| {md.link(md.text(tag.name), here, paths.tag_site(tag.name))} | {md.text(tag.description)} | {len(corpus.tagged.get(tag.name, ()))} |"
            )
        lines.append("")
    return md.front_matter({"title": "Tags", "description": "The tag vocabulary of the knowledge base."}) + "\n".join(lines)


def tag_page(name: str, corpus: Corpus) -> str:
    """One tag: its description and aliases, the introduction authored at notes/tags/<tag>.md, its notes in reading order."""
    tag = corpus.data.vocab.tags[name]
    here = paths.tag_site(name)
    group = dict(corpus.data.vocab.groups).get(tag.group, tag.group)
    ids = corpus.tagged.get(name, ())
    explore = f"[combine it with other tags in the explorer]({relative_site_link(here, paths.EXPLORE)}?tags={md.attr(name)})"
    lines = [f"# Tag: {md.text(name)}", "", md.text(tag.description), "", f"Group: {md.text(group)} · {md.link('all tags', here, paths.TAG_INDEX)} · {explore}"]
    if tag.aliases:
        lines[-1] += " · also written " + ", ".join(f"`{a}`" for a in tag.aliases)
    lines += [*intro(corpus, here), "", f"## Notes ({len(ids)})", ""]
    lines += [note_item(corpus.by_id[i], corpus, here, with_part=True) for i in ids] or ["No notes carry this tag yet."]
    return md.front_matter({"title": f"Tag: {name}", "description": tag.description}) + "\n".join(lines) + "\n"


def checks_page(intro_lines: list[str] | None = None) -> str:
    """Every diagnostic code, from the registry, under the lines of an authored introduction."""
    lines = [
        "# Checks",
        "",
        "`papernotes check` reports each problem as `path:line:col: severity CODE name: message`. Errors fail the check; warnings fail it under `--strict`, which the knowledge base itself passes.",
        *(intro_lines or []),
        "",
        "| code | name | severity | what it means |",
        "|---|---|---|---|",
    ]
    for code in REGISTRY.values():
        lines.append(f"| `{code.code}` | `{code.name}` | {code.severity.value} | {md.text(code.doc)} |")
    return md.front_matter({"title": "Checks", "description": "Every check papernotes runs on a note."}) + "\n".join(lines) + "\n"


def explorer_labels(corpus: Corpus) -> str:
    """Display names the explorer script cannot read from notes.json: parts, chapters and tag groups, in order."""
    vocab = corpus.data.vocab
    groups = [[title, sorted(t.name for t in vocab.tags.values() if t.group == group)] for group, title in vocab.groups]
    labels = {
        "parts": [[p.name, p.title] for p in corpus.parts],
        "chapters": [[s.number, s.title] for s in corpus.data.survey.chapters()],
        "groups": [g for g in groups if g[1]],
    }
    return escape.script_json(labels)


def explore_page(corpus: Corpus) -> str:
    """The faceted explorer. The list below is the no-JavaScript fallback; the script enhances it."""
    here = paths.EXPLORE
    src = relative_site_link(here, paths.NOTES_JSON)
    lines = [
        "# Explore",
        "",
        "Filter the notes by tags, part, survey chapter and status. The filters live in the address bar, so a filtered view can be bookmarked and shared.",
        *intro(corpus, here),
        "",
        f'<div id="pn-explorer" data-src="{md.attr(src)}" data-labels="{md.attr(explorer_labels(corpus))}"></div>',
        "",
        # Raw HTML, so the heading stays out of the table of contents: once the script hides the list,
        # Material's anchor tracking would take the hidden heading as the current section and write
        # its anchor into the address, from where it leaked into the next page's address.
        f'<h2 id="pn-all-notes-title">All notes ({len(corpus.notes)})</h2>',
        "",
        '<div id="pn-all-notes" markdown>',
        "",
    ]
    lines += [note_item(n, corpus, here, with_part=True) for n in corpus.notes]
    lines += ["", "</div>"]
    front = {"title": "Explore", "description": "Filter the notes by tag, part, chapter and status.", "hide": ["toc"], "search": {"exclude": True}}
    return md.front_matter(front) + "\n".join(lines) + "\n"
