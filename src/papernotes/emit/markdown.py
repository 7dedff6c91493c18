"""Small helpers for writing safe, deterministic Markdown."""

from __future__ import annotations

import functools

from papernotes.data import Reference, Section, Survey
from papernotes.emit import escape
from papernotes.paths import BIBLIOGRAPHY, SURVEY_MAP, SitePath, relative_site_link, section_anchor

text = escape.markdown_text  # author text in a Markdown inline context
attr = escape.html_attr  # text in an attribute or element of generated raw HTML
front_matter = escape.page_meta  # the YAML front matter of a staged page
abbr_title = escape.abbr_title  # a definition line of Python-Markdown's abbr


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


def survey_links(survey: Survey, section: Section, from_site: SitePath) -> str:
    """The arXiv link for a section, the inferred HTML anchor where there is one, and its survey-map entry."""
    url, what = survey.link_for(section)
    parts = [f"[{text(section_label(section))}]({url}){confidence_marks(section)}", f"arXiv v{survey.version}, {what}"]
    if section.anchor and section.anchor_confidence != "seen":
        parts.append(f"[HTML]({survey.html_url(section.anchor)}) *(anchor inferred)*")
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


@functools.lru_cache(maxsize=4096)
def cite_label(ref: Reference) -> str:
    """`Chen et al., 2021`."""
    return f"{ref.short_authors()}, {ref.get('year') or 'n.d.'}"


def cite_link(ref: Reference, from_site: SitePath) -> str:
    """An inline citation linked to its bibliography entry."""
    return link(text(cite_label(ref)), from_site, BIBLIOGRAPHY, ref.key)
