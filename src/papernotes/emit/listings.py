"""Generated listing pages: home, part indexes, tag index and tag pages, the explorer, the checks."""

from __future__ import annotations

from papernotes import paths
from papernotes.codes import REGISTRY
from papernotes.emit import escape
from papernotes.emit import markdown as md
from papernotes.link import Corpus
from papernotes.load import Note, Part
from papernotes.paths import SitePath, relative_site_link

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


def home_page(corpus: Corpus, coverage_line: str) -> str:
    """What the knowledge base is, its parts, how to find things, and what changed lately."""
    survey = corpus.data.survey
    here = paths.HOME
    lines = [
        "# papernotes",
        "",
        f"Reading notes on **{md.text(survey.title)}** ({md.text(survey.authors[0])} et al., "
        f"[arXiv:{survey.arxiv}v{survey.version}]({survey.abs_url()}), {survey.pages} pages). "
        f"Every note is pinned to version {survey.version} and links to the exact survey sections it covers.",
        "",
        f"{len(corpus.notes)} notes · {len(corpus.data.refs)} references · {len(corpus.data.vocab.tags)} tags · {coverage_line}",
        "",
        "## How to find things",
        "",
        "- **Search**: press `/` or click the search box. Titles, summaries, tags and full text are indexed, and a note whose title or tags match ranks first.",
        f"- **By tag**: type a tag name such as `rlvr` or `swe-agents` into search, or browse the {md.link('tag index', here, paths.TAG_INDEX)}; each tag has a page listing its notes.",
        f"- **Several tags at once**: the {md.link('explorer', here, paths.EXPLORE)} filters notes by tags (all or any), part, chapter and status, and the filtered view is a shareable link.",
        f"- **By survey section**: the {md.link('survey map', here, paths.SURVEY_MAP)} lists the table of contents with the notes on each section and its link to arXiv.",
    ]
    if corpus.notes:
        lines.append(
            f"- **Like a book**: start at {md.link(md.text(corpus.notes[0].meta.title), here, corpus.notes[0].site)} and follow *Next* at the bottom of each note, from chapter 1 to chapter 9."
        )
    lines += [
        "",
        "## Parts",
        "",
        "The survey has ten chapters; the notes are grouped into parts where a reader would look for them:",
        "",
        "| part | survey chapters and sections | notes |",
        "|---|---|---|",
    ]
    for part in corpus.parts:
        count = sum(1 for n in corpus.notes if n.part == part.name)
        lines.append(f"| {md.link(md.text(part.title), here, part.site)} | {md.text(part.covers)} | {count} |")
    recent = sorted((n for n in corpus.notes if n.meta.updated), key=lambda n: (-n.meta.updated.toordinal(), n.meta.title.casefold(), n.id))[:RECENT]  # type: ignore[union-attr]
    if recent:
        lines += ["", "## Recently updated", ""]
        lines += [f"- {n.meta.updated.isoformat()} · {md.link(md.text(n.meta.title), here, n.site)}" for n in recent]  # type: ignore[union-attr]
    lines += [
        "",
        "## About",
        "",
        f"Notes are written in our own words from public summaries of the survey; where a fact rests on a single secondary source, the note says so. See the {md.link('bibliography', here, paths.BIBLIOGRAPHY)} for every cited work and the {md.link('checks', here, paths.CHECKS)} that every note passes.",
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
    """One tag: its description, aliases and notes in reading order."""
    tag = corpus.data.vocab.tags[name]
    here = paths.tag_site(name)
    group = dict(corpus.data.vocab.groups).get(tag.group, tag.group)
    ids = corpus.tagged.get(name, ())
    lines = [f"# Tag: {md.text(name)}", "", md.text(tag.description), "", f"Group: {md.text(group)} · {md.link('all tags', here, paths.TAG_INDEX)}"]
    if tag.aliases:
        lines[-1] += " · also written " + ", ".join(f"`{a}`" for a in tag.aliases)
    lines += ["", f"## Notes ({len(ids)})", ""]
    lines += [note_item(corpus.by_id[i], corpus, here, with_part=True) for i in ids] or ["No notes carry this tag yet."]
    return md.front_matter({"title": f"Tag: {name}", "description": tag.description}) + "\n".join(lines) + "\n"


def checks_page() -> str:
    """Every diagnostic code, from the registry."""
    lines = [
        "# Checks",
        "",
        "`papernotes check` reports each problem as `path:line:col: severity CODE name: message`. Errors fail the check; warnings fail it under `--strict`, which the knowledge base itself passes.",
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
