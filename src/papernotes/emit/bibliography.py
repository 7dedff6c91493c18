"""The bibliography page: every entry, formatted, with the notes that cite it."""

from __future__ import annotations

from papernotes import paths
from papernotes.emit import markdown as md
from papernotes.emit.prose import intro
from papernotes.records import Corpus, Reference


def sort_key(ref: Reference) -> tuple[str, str, str]:
    """First author's surname (or the title), then year, then key."""
    return (md.cite_label(ref).casefold(), ref.get("year"), ref.key)


def bibliography_page(corpus: Corpus) -> str:
    """Entries grouped by the first letter of their label."""
    here = paths.BIBLIOGRAPHY
    refs = sorted(corpus.data.refs.values(), key=sort_key)
    lines = [
        "# Bibliography",
        "",
        f"{len(refs)} works that arXiv:{corpus.data.survey.versioned} discusses and that the notes cite.",
        *intro(corpus, here),
    ]
    letter = ""
    for ref in refs:
        first = md.cite_label(ref)[:1].upper()
        if first != letter:
            letter = first
            lines += ["", f"## {md.text(letter)}", ""]
        # The id sits on a span that holds the whole reference and has no sibling: Material's link
        # preview of a citation shows exactly that element, and :target highlights the entry.
        lines += [f'- <span class="pn-ref" id="{md.attr(ref.key)}">{md.reference_line(ref)} `{md.text(ref.key)}`</span>', ""]
        ids = corpus.cited_by.get(ref.key, ())
        if ids:
            lines += ["    Cited by: " + md.note_links([(corpus.by_id[i].site, corpus.by_id[i].meta.title) for i in ids], here), ""]
    return md.front_matter({"title": "Bibliography", "description": "Every work the notes cite."}) + "\n".join(lines) + "\n"
