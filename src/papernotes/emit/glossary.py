"""The glossary and sources pages, a note's provenance line, and the abbreviation definitions that
give every glossary term in a note its tooltip (Python-Markdown's `abbr`, shown by Material's
`content.tooltips` without any script of ours)."""

from __future__ import annotations

from papernotes import paths
from papernotes.emit import markdown as md
from papernotes.emit.prose import intro
from papernotes.paths import SitePath
from papernotes.records import Corpus, Note, Term

LANGUAGES = {"en": "English", "ko": "Korean", "es": "Spanish", "de": "German", "hr": "Croatian", "zh": "Chinese", "ja": "Japanese", "fr": "French"}
CONFIDENCE = {"corroborated": "key facts corroborated by two independent sources", "single-source": "key facts from one source, not corroborated"}


def term_anchor(term: Term) -> str:
    """The glossary page's anchor for a term: its spelling in lowercase with every other character a dash."""
    return "term-" + (paths.suggest_slug(term.term) or "x")


def abbreviation_lines(note: Note, corpus: Corpus) -> list[str]:
    """`*[pass@k]: definition` for every spelling of every glossary term the note uses."""
    glossary = corpus.data.glossary
    lines = []
    for name in corpus.note_terms.get(note.id, ()):
        term = glossary[name]
        lines += [f"*[{spelling}]: {md.abbr_title(term.definition)}" for spelling in term.spellings]
    return ["", *lines] if lines else []


def provenance_line(note: Note, corpus: Corpus, here: SitePath) -> str:
    """`Based on: Korean detailed summary of v5, Spanish summary … · corroborated by two or more sources`."""
    sources = corpus.data.sources
    named = [sources[i.value] for i in note.meta.basis if i.value in sources]
    if not named:
        return ""
    labels = ", ".join(md.link(md.text(s.title), here, paths.SOURCES, f"source-{s.id}") for s in named)
    sure = CONFIDENCE.get(note.meta.confidence, "")
    return f"Based on: {labels}" + (f" · {sure}" if sure else "")


def glossary_page(corpus: Corpus) -> str:
    """Every term A–Z with its definition, the note that explains it best, its survey section and the notes that use it."""
    here = paths.GLOSSARY
    terms = sorted(corpus.data.glossary.values(), key=lambda t: (t.term.casefold(), t.term))
    users = corpus.term_users
    lines = [
        "# Glossary",
        "",
        f"{len(terms)} terms a reader of the survey meets, each defined in our own words. In a note, hover over a term (or tap it) to see its definition.",
        *intro(corpus, here),
    ]
    letter = ""
    for term in terms:
        first = term.term[:1].upper() if term.term[:1].isalpha() else "#"
        if first != letter:
            letter = first
            lines += ["", f"## {md.text(letter)}", ""]
        also = " (also " + ", ".join(md.text(a) for a in term.aliases) + ")" if term.aliases else ""
        lines += ["", f'<a id="{md.attr(term_anchor(term))}"></a>**{md.text(term.term)}**{also}', f":   {md.text(term.definition)}"]
        detail = []
        best = corpus.by_id.get(term.note.split("/")[-1])
        if best is not None:
            detail.append("Explained in " + md.link(md.text(best.meta.title), here, best.site))
        detail.append(md.link(f"§{term.section}", here, paths.SURVEY_MAP, paths.section_anchor(term.section)))
        used = [corpus.by_id[i] for i in users.get(term.term, ()) if i in corpus.by_id]
        if used:
            detail.append("used in " + md.note_links([(n.site, n.meta.title) for n in used], here))
        lines += ["", "    " + " · ".join(detail)]
    return md.front_matter({"title": "Glossary", "description": "The terms of the survey, defined, with the notes that use them."}) + "\n".join(lines) + "\n"


def sources_page(corpus: Corpus) -> str:
    """The public summaries and adaptations of the survey that notes rest on, and how many notes rest on each, under
    the introduction authored at notes/sources/index.md."""
    here = paths.SOURCES
    resting: dict[str, int] = {}
    for note in corpus.notes:
        for item in note.meta.basis:
            resting[item.value] = resting.get(item.value, 0) + 1
    lines = ["# Sources", *intro(corpus, here)]
    for source in sorted(corpus.data.sources.values(), key=lambda s: (s.kind, s.title.casefold(), s.id)):
        lines += ["", f'<a id="source-{md.attr(source.id)}"></a>', "", f"## {md.text(source.title)}", ""]
        where = f"[{md.text(source.url)}]({source.url})" if source.url else md.text(source.where)
        version = f"v{source.covers}" if source.covers else "version not stated"
        lines.append(f"{md.text(source.kind)} · {LANGUAGES.get(source.language, md.text(source.language))} · written from {version} · {where}")
        lines += ["", f"Good for: {md.text(source.good_for)}"]
        if source.caveat:
            lines += ["", f"Caveat: {md.text(source.caveat)}"]
        count = resting.get(source.id, 0)
        lines += ["", f"Notes resting on it: {count}"]
    return md.front_matter({"title": "Sources", "description": "The public summaries of the survey that the notes rest on."}) + "\n".join(lines) + "\n"
