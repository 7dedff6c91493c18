"""Small helpers for writing safe, deterministic Markdown."""

from __future__ import annotations

import functools
import html
import re
from typing import Any

import yaml

from papernotes.data import Reference, Section, Survey
from papernotes.paths import BIBLIOGRAPHY, SURVEY_MAP, SitePath, relative_site_link, section_anchor

try:  # libyaml writes the same text about six times faster
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


@functools.lru_cache(maxsize=1 << 16)  # titles and summaries are written on many pages
def text(value: str) -> str:
    """Escape author text for a Markdown inline context: no HTML, no stray emphasis or links."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(value, quote=False))


def abbr_title(value: str) -> str:
    """A definition for Python-Markdown's `*[term]: title` line: one line; the renderer escapes it
    into the `title` attribute itself, so it is not escaped here (that would show `&amp;`)."""
    return " ".join(value.split())


def attr(value: str) -> str:
    """Escape text for an HTML attribute or element in generated raw HTML."""
    return html.escape(value, quote=True)


def front_matter(values: dict[str, Any]) -> str:
    """A YAML front-matter block, safely dumped with stable key order."""
    dumped = yaml.dump(values, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=None)
    return f"---\n{dumped}---\n\n"


def link(label: str, from_site: SitePath, to_site: SitePath, anchor: str = "") -> str:
    """A relative Markdown link that MkDocs resolves and validates."""
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
