"""Small helpers for writing safe, deterministic Markdown."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from papernotes.emit import escape
from papernotes.paths import BIBLIOGRAPHY, SURVEY_MAP, SitePath, relative_site_link, section_anchor
from papernotes.records import Reference, Section, Survey

text = escape.markdown_text  # author text in a Markdown inline context
attr = escape.html_attr  # text in an attribute or element of generated raw HTML
front_matter = escape.page_meta  # the YAML front matter of a staged page
abbr_title = escape.abbr_title  # a definition line of Python-Markdown's abbr


# An inline list of notes (who uses a term, cites a work, covers a section) names at most this many. Beyond
# a dozen, a run of links is scanned, not read; and Python-Markdown finds a link's end by scanning the rest
# of its paragraph, so a paragraph of thousands of links (a term that 5,000 notes use) takes hours to render.
MAX_INLINE_NOTES = 12


def note_links(sites_and_titles: Sequence[tuple[SitePath, str]], here: SitePath) -> str:
    """'A, B, C' linked from `here`, the first MAX_INLINE_NOTES of them, then 'and N more'."""
    shown = ", ".join(link(text(title), here, site) for site, title in sites_and_titles[:MAX_INLINE_NOTES])
    rest = len(sites_and_titles) - MAX_INLINE_NOTES
    return shown + (f" and {rest:,} more" if rest > 0 else "")


def link(label: str, from_site: SitePath, to_site: SitePath, anchor: str = "") -> str:
    """A relative Markdown link that the site engine resolves and validates."""
    target = relative_site_link(from_site, to_site)
    return f"[{label}]({target}{'#' + anchor if anchor else ''})"


def section_label(section: Section) -> str:
    """`§5.3 Training SWE Agents`."""
    return f"§{section.number} {section.title}"


def confidence_marks(section: Section) -> str:
    """Plain-words markers for what is not confirmed about a section."""
    marks = []
    if section.confidence == "inferred":
        marks.append("number inferred")
    if section.title_wording == "translated":
        marks.append("title paraphrased")
    return f" *({', '.join(marks)})*" if marks else ""


def abs_url(survey: Survey) -> str:
    """The survey's arXiv abstract page, at the pinned version."""
    return f"https://arxiv.org/abs/{survey.versioned}"


def pdf_url(survey: Survey, page: int) -> str:
    return f"https://arxiv.org/pdf/{survey.versioned}#page={page}"


def html_url(survey: Survey, anchor: str) -> str:
    return f"https://arxiv.org/html/{survey.versioned}#{anchor}"


def section_link(survey: Survey, section: Section) -> tuple[str, str]:
    """The best arXiv link for a section and what it points at: a seen anchor, a PDF page, or the abs page."""
    if section.anchor and section.anchor_confidence == "seen":
        return html_url(survey, section.anchor), "HTML"
    if section.pdf_page:
        return pdf_url(survey, section.pdf_page), f"PDF p. {section.pdf_page}"
    parent = survey.by_number.get(section.parent)
    while parent is not None:
        if parent.pdf_page:
            return pdf_url(survey, parent.pdf_page), f"PDF p. {parent.pdf_page}, where §{parent.number} starts"
        parent = survey.by_number.get(parent.parent)
    return abs_url(survey), "abstract page"


def survey_links(survey: Survey, section: Section, from_site: SitePath) -> str:
    """The arXiv link for a section, the inferred HTML anchor where there is one, and its survey-map entry."""
    url, what = section_link(survey, section)
    parts = [f"[{text(section_label(section))}]({url}){confidence_marks(section)}", f"arXiv v{survey.version}, {what}"]
    if section.anchor and section.anchor_confidence != "seen":
        parts.append(f"[HTML]({html_url(survey, section.anchor)}) *(anchor inferred)*")
    parts.append(link("survey map", from_site, SURVEY_MAP, section_anchor(section.number)))
    return " · ".join(parts)


@functools.lru_cache(maxsize=4096)  # each entry is cited from many notes
def reference_line(ref: Reference) -> str:
    """`Chen et al. (2021). *Title*. arXiv:2107.03374`."""
    authors = ", ".join(a for a in ref.authors if a != "others")
    if "others" in ref.authors:
        authors += " et al."
    year = ref.get("year")
    venue = ref.get("booktitle") or ref.get("journal")
    out = f"{text(authors or 'Anonymous')} ({text(year or 'n.d.')}). *{text(ref.get('title'))}*."
    if venue:
        out += f" {text(venue)}."
    if ref.arxiv:
        out += f" [arXiv:{text(ref.arxiv)}]({ref.url()})"
    elif ref.get("doi"):
        out += f" [doi:{text(ref.get('doi'))}]({ref.url()})"
    elif ref.url():
        out += f" [{text(ref.url())}]({ref.url()})"
    return out


def short_authors(ref: Reference) -> str:
    """`Chen et al.`, `Chen`, or the title's first part when the entry names no author."""
    names = [a for a in ref.authors if a != "others"]
    etal = len(ref.authors) > 1
    if not names:
        return ref.get("title").split(":")[0]
    last = names[0].split(",")[0].strip() if "," in names[0] else names[0].split()[-1]
    return f"{last} et al." if etal else last


@functools.lru_cache(maxsize=4096)
def cite_label(ref: Reference) -> str:
    """`Chen et al., 2021`."""
    return f"{short_authors(ref)}, {ref.get('year') or 'n.d.'}"


def cite_link(ref: Reference, from_site: SitePath) -> str:
    """An inline citation linked to its bibliography entry."""
    return link(text(cite_label(ref)), from_site, BIBLIOGRAPHY, ref.key)
