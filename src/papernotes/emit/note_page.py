"""The staged page of one note: breadcrumbs, title and summary first, one collapsed block for the
survey sections, tags and provenance, the rewritten body, then References, Referenced by (with the
linking sentence), Related notes and the previous/next reading path."""

from __future__ import annotations

from papernotes import paths
from papernotes.emit import glossary
from papernotes.emit import markdown as md
from papernotes.emit.context import LinkingSentences
from papernotes.emit.prose import rewrite_body
from papernotes.records import Corpus, Note

FOOTER_HEADINGS = (("References", "references"), ("Referenced by", "referenced-by"), ("Related notes", "related-notes"))


def _crumbs(note: Note, corpus: Corpus) -> list[str]:
    """Where the note sits: home, its part, its place in the part's reading order."""
    part = corpus.part(note.part)
    if part is None:
        return []
    at, count = corpus.part_places[note.id]
    place = f"note {at} of {count}"
    trail = f"{md.link('Home', note.site, paths.HOME)} › {md.link(md.text(part.title), note.site, part.site)} · {place}"
    return ['<nav class="pn-crumbs" aria-label="Breadcrumb" markdown>', "", trail, "", "</nav>", ""]


def _about(note: Note, corpus: Corpus) -> list[str]:
    """One collapsed block: survey sections, tags, status (only when not reviewed) and provenance."""
    survey = corpus.data.survey
    n = len(note.meta.sections)
    lines = [f'??? pn-about "About this note: {n} survey section{"s" if n != 1 else ""}, {len(note.meta.tags)} tags"', ""]
    lines += [f"    Survey sections (arXiv:{survey.versioned}):", ""]
    for item in note.meta.sections:
        section = survey.by_number.get(item.value)
        if section is not None:
            lines.append(f"    - {md.survey_links(survey, section, note.site)}")
    lines.append("")
    tags = corpus.tags_of(note)
    chips = " ".join(md.link(md.text(t.value), note.site, paths.tag_site(tag)) for t, tag in zip(note.meta.tags, tags, strict=True))
    lines += ['    <nav class="pn-tags" aria-label="Tags" markdown>', "", f"    {chips}", "", "    </nav>", ""]
    facts = [] if note.meta.status == "reviewed" else [f"Status: **{md.text(note.meta.status)}**"]
    if note.meta.updated:
        facts.append(f"Updated {note.meta.updated.isoformat()}")
    if facts:
        lines += [f"    {' · '.join(facts)}", ""]
    basis = glossary.provenance_line(note, corpus, note.site)
    if basis:
        lines += [f"    {basis}", ""]
    return lines


def _contents(note: Note, footer: list[str]) -> list[str]:
    """The note's own table of contents, shown on narrow screens where Material has no TOC for it."""
    heads = [(md.text(h.text), h.anchor) for h in note.scan.headings if h.level == 2]
    heads += [(title, anchor) for title, anchor in FOOTER_HEADINGS if f"## {title}" in footer]
    if len(heads) < 2:
        return []
    lines = ['??? pn-contents "On this page"', ""]
    lines += [f"    - [{text}](#{anchor})" for text, anchor in heads]
    return [*lines, ""]


def _footer(note: Note, corpus: Corpus, sentences: LinkingSentences) -> list[str]:
    lines: list[str] = ["", '<div class="pn-links" markdown>']
    keys = corpus.cites.get(note.id, ())
    if keys:
        lines += ["", "## References", ""]
        for i, key in enumerate(keys, 1):
            ref = corpus.data.refs[key]
            lines.append(f"{i}. {md.reference_line(ref)} · {md.link('bibliography', note.site, paths.BIBLIOGRAPHY, key)}")
    backlinks = corpus.backlinks.get(note.id, ())
    if backlinks:
        lines += ["", "## Referenced by", ""]
        for other_id in backlinks:
            other = corpus.by_id[other_id]
            sentence = sentences(other, note.site)
            quote = f": “{md.text(sentence)}”" if sentence else ""
            lines.append(f"- {md.link(md.text(other.meta.title), note.site, other.site)}{quote}")
    related = [r for r in corpus.related.get(note.id, ()) if r not in backlinks]
    if related:
        lines += ["", "## Related notes", ""]
        lines += [f"- {md.link(md.text(corpus.by_id[r].meta.title), note.site, corpus.by_id[r].site)}" for r in related]
    prev, nxt = corpus.neighbours(note.id)
    path = []
    if prev is not None:
        path.append(f"← Previous: {md.link(md.text(prev.meta.title), note.site, prev.site)}")
    if nxt is not None:
        path.append(f"Next: {md.link(md.text(nxt.meta.title), note.site, nxt.site)} →")
    if path:
        lines += ["", '<nav class="pn-path" aria-label="Reading path" markdown>', "", " · ".join(path), "", "</nav>"]
    return [*lines, "", "</div>"]


def note_page(note: Note, corpus: Corpus, sentences: LinkingSentences | None = None) -> str:
    """The full staged Markdown of a note; `sentences`, shared by the pages of one corpus, finds the
    sentences that link to it."""
    front = md.front_matter(
        {
            "title": note.meta.title,
            "description": note.meta.summary,
            "tags": list(corpus.tags_of(note)),
            "source": note.source,
        }
    )
    footer = _footer(note, corpus, sentences or LinkingSentences())
    lines = [
        *_crumbs(note, corpus),
        f"# {md.text(note.meta.title)}",
        "",
        f"{md.text(note.meta.summary)}",
        "",
        # what a reader opens on demand
        '<div class="pn-head" markdown>',
        "",
        *_about(note, corpus),
        *_contents(note, footer),
        "</div>",
        "",
        rewrite_body(note, corpus),
        *footer,
        *glossary.abbreviation_lines(note, corpus),
    ]
    return front + "\n".join(lines) + "\n"
