"""The staged page of one note: survey box and tags on top, the rewritten body, then References,
Referenced by, Related notes and the previous/next reading path."""

from __future__ import annotations

from papernotes import paths
from papernotes.emit import glossary
from papernotes.emit import markdown as md
from papernotes.link import Corpus
from papernotes.load import Note


def rewrite_body(note: Note, corpus: Corpus) -> str:
    """Replace `[@key]` citations and `§x.y` references with links; everything else is left alone."""
    body = note.body
    out: list[str] = []
    pos = 0
    refs = corpus.data.refs
    sections = corpus.data.survey.by_number
    for span in note.scan.spans:
        out.append(body[pos : span.start])
        original = body[span.start : span.end]
        if span.kind == "cite":
            links = [md.cite_link(refs[k], note.site) for k in span.values if k in refs]
            out.append("(" + "; ".join(links) + ")" if links else original)
        elif span.kind == "sec" and span.values[0] in sections:
            out.append(md.link(f"§{span.values[0]}", note.site, paths.SURVEY_MAP, paths.section_anchor(span.values[0])))
        else:
            out.append(original)
        pos = span.end
    out.append(body[pos:])
    return "".join(out).strip("\n")


def _header(note: Note, corpus: Corpus) -> list[str]:
    survey = corpus.data.survey
    part = corpus.part(note.part)
    lines = ['<div class="pn-about" data-pagefind-ignore="all" markdown>', "", f'!!! abstract "Survey sections — arXiv:{survey.versioned}"', ""]
    for item in note.meta.sections:
        section = survey.by_number.get(item.value)
        if section is not None:
            lines.append(f"    - {md.survey_links(survey, section, note.site)}")
    lines.append("")
    facts = []
    if part is not None:
        facts.append(f"Part: {md.link(md.text(part.title), note.site, part.site)}")
    facts.append(f"Status: {note.meta.status}")
    if note.meta.updated:
        facts.append(f"Updated: {note.meta.updated.isoformat()}")
    chips = " ".join(md.link(md.text(t.value), note.site, paths.tag_site(corpus.data.vocab.aliases.get(t.value, t.value))) for t in note.meta.tags)
    lines += [
        '<div class="pn-meta" markdown>',
        "",
        " · ".join(facts),
        "",
        *([basis, ""] if (basis := glossary.provenance_line(note, corpus, note.site)) else []),
        "</div>",
        "",
        "</div>",
        "",
        '<nav class="pn-tags" aria-label="Tags" markdown>',
        "",
        chips,
        "",
        "</nav>",
        "",
        '<div class="pn-summary" data-pagefind-weight="2" markdown>',
        "",
        f"*{md.text(note.meta.summary)}*",
        "",
        "</div>",
        "",
        search_filters(note, corpus),
        "",
    ]
    return lines


def search_filters(note: Note, corpus: Corpus) -> str:
    """Pagefind's filters of a note in hidden elements: its tags (also indexed as words, with a weight: Pagefind
    skips the chips' <nav>), and its part, chapters and status (filters only)."""
    part = corpus.part(note.part)
    tags = [corpus.data.vocab.aliases.get(t.value, t.value) for t in note.meta.tags]
    pairs = [("part", part.title if part is not None else note.part)]
    pairs += [("chapter", c) for c in sorted({s.value.split(".")[0] for s in note.meta.sections}, key=int)]
    pairs += [("status", note.meta.status)]
    tag_spans = " ".join(f'<span data-pagefind-filter="tag">{md.attr(tag)}</span>' for tag in tags)
    spans = "".join(f'<span data-pagefind-filter="{name}">{md.attr(value)}</span>' for name, value in pairs)
    return f'<div class="pn-search-tags" hidden data-pagefind-weight="5">{tag_spans}</div><div class="pn-search-filters" hidden data-pagefind-ignore="index">{spans}</div>'


def _footer(note: Note, corpus: Corpus) -> list[str]:
    lines: list[str] = ["", '<div class="pn-links" data-pagefind-ignore="all" markdown>']
    keys = corpus.cites.get(note.id, ())
    if keys:
        lines += ["", "## References", ""]
        for i, key in enumerate(keys, 1):
            ref = corpus.data.refs[key]
            lines.append(f"{i}. {md.reference_line(ref)} · {md.link('bibliography', note.site, paths.BIBLIOGRAPHY, key)}")
    for heading, ids in (("Referenced by", corpus.backlinks.get(note.id, ())), ("Related notes", corpus.related.get(note.id, ()))):
        if ids:
            lines += ["", f"## {heading}", ""]
            for other_id in ids:
                other = corpus.by_id[other_id]
                lines.append(f"- {md.link(md.text(other.meta.title), note.site, other.site)} — {md.text(other.meta.summary)}")
    prev, nxt = corpus.neighbours(note.id)
    path = []
    if prev is not None:
        path.append(f"← Previous: {md.link(md.text(prev.meta.title), note.site, prev.site)}")
    if nxt is not None:
        path.append(f"Next: {md.link(md.text(nxt.meta.title), note.site, nxt.site)} →")
    if path:
        lines += ["", '<nav class="pn-path" aria-label="Reading path" markdown>', "", " · ".join(path), "", "</nav>"]
    return [*lines, "", "</div>"]


def note_page(note: Note, corpus: Corpus) -> str:
    """The full staged Markdown of a note."""
    front = md.front_matter(
        {
            "title": note.meta.title,
            "description": note.meta.summary,
            "tags": [corpus.data.vocab.aliases.get(t.value, t.value) for t in note.meta.tags],
            "source": note.source,
            "search_body": True,
        }
    )
    lines = [
        f"# {md.text(note.meta.title)}",
        "",
        *_header(note, corpus),
        rewrite_body(note, corpus),
        *_footer(note, corpus),
        *glossary.abbreviation_lines(note, corpus),
    ]
    return front + "\n".join(lines) + "\n"
