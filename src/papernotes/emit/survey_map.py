"""The survey map: the table of contents as a tree, each section with its arXiv link, how sure we
are of it and the notes that cover it; plus coverage per chapter as an SVG chart."""

from __future__ import annotations

from dataclasses import dataclass

from papernotes import paths
from papernotes.emit import markdown as md
from papernotes.emit.prose import intro
from papernotes.emit.svg import Axis, bar_chart, inline_block
from papernotes.records import Corpus, Section

COVERAGE_SVG = paths.COVERAGE_SVG
BACK_MATTER = {"10"}  # contributions and acknowledgements: nothing to take notes on


@dataclass(frozen=True)
class Coverage:
    """Which chapters and level-2 sections have at least one note."""

    chapters: tuple[tuple[str, int, int], ...]  # (chapter, covered level-2 sections, level-2 sections)
    covered_chapters: int
    total_chapters: int
    covered_sections: int
    total_sections: int

    def line(self) -> str:
        pct = 100 * self.covered_sections / self.total_sections if self.total_sections else 100.0
        return f"{self.covered_sections} of {self.total_sections} level-2 sections ({pct:.0f}%) and {self.covered_chapters} of the {self.total_chapters} chapters with content have notes"


def _covered(number: str, corpus: Corpus) -> bool:
    return any(n == number or n.startswith(number + ".") for n in corpus.covering)


def coverage(corpus: Corpus) -> Coverage:
    """Chapters count as covered when a note covers them or any of their sections."""
    survey = corpus.data.survey
    rows = []
    for chapter in survey.chapters():
        if chapter.number in BACK_MATTER:
            continue
        level2 = [s for s in survey.sections if s.level == 2 and s.chapter == chapter.number]
        rows.append((chapter.number, sum(_covered(s.number, corpus) for s in level2), len(level2)))
    chapters = [c for c in survey.chapters() if c.number not in BACK_MATTER]
    return Coverage(
        chapters=tuple(rows),
        covered_chapters=sum(_covered(c.number, corpus) for c in chapters),
        total_chapters=len(chapters),
        covered_sections=sum(r[1] for r in rows),
        total_sections=sum(r[2] for r in rows),
    )


def coverage_svg(corpus: Corpus, cov: Coverage, inline_label: str = "") -> str:
    """Share of level-2 sections with a note, per chapter (a chapter without subsections: 0 or 100%)."""
    bars = []
    for number, covered, total in cov.chapters:
        share = 100 * covered / total if total else (100.0 if _covered(number, corpus) else 0.0)
        bars.append((f"Chapter {number}", round(share, 1)))
    desc = "Percentage of level-2 sections with at least one note, per chapter: " + "; ".join(f"chapter {n}: {c} of {t}" for n, c, t in cov.chapters) + "."
    return bar_chart(
        "Coverage per chapter",
        desc,
        bars,
        value_label="% of level-2 sections with a note",
        axis=Axis(end=100, decimals=0, suffix="%"),
        inline_label=inline_label,
    )


def _section_lines(section: Section, corpus: Corpus) -> list[str]:
    here = paths.SURVEY_MAP
    survey = corpus.data.survey
    url, what = md.section_link(survey, section)
    indent = "    " * (section.level - 2)
    head = f'{indent}- <a id="{paths.section_anchor(section.number)}"></a>**{section.number}** {md.text(section.title)}{md.confidence_marks(section)} · [arXiv, {what}]({url})'
    lines = [head + "  " if section.topics or corpus.covering.get(section.number) else head]
    ids = corpus.covering.get(section.number, ())
    if ids:
        links = md.note_links([(corpus.by_id[i].site, corpus.by_id[i].meta.title) for i in ids], here)
        lines.append(f"{indent}    Notes: {links}")
    for topic in section.topics:
        lines.append(f"{indent}    - {md.text(topic.title)} *(topic without a number of its own; {md.text(topic.confidence)})*")
    return lines


def survey_map(corpus: Corpus, cov: Coverage) -> str:
    """The whole table of contents, under the introduction authored at notes/survey/index.md."""
    survey = corpus.data.survey
    here = paths.SURVEY_MAP
    lines = [
        "# Survey map",
        "",
        f"The table of contents of [arXiv:{survey.versioned}]({md.abs_url(survey)}) ({md.text(survey.date)}, {survey.pages} pages), with the notes on each section.",
        *intro(corpus, here),
        "",
        f"**Coverage:** {cov.line()}.",
        "",
        inline_block(coverage_svg(corpus, cov, inline_label=f"Bar chart of the share of level-2 sections with a note, per chapter. {cov.line()}.")),
        "",
    ]
    for section in survey.sections:
        if section.level == 1:
            url, what = md.section_link(survey, section)
            lines += ["", f'<a id="{paths.section_anchor(section.number)}"></a>', "", f"## {section.number} {md.text(section.title)}", ""]
            lines.append(f"{md.confidence_marks(section).strip() or 'Confirmed heading.'} [arXiv, {what}]({url})")
            ids = corpus.covering.get(section.number, ())
            if ids:
                lines.append("")
                lines.append("Notes: " + md.note_links([(corpus.by_id[i].site, corpus.by_id[i].meta.title) for i in ids], here))
            if section.topics:
                lines.append("")
                lines += [f"- {md.text(t.title)} *(topic without a number of its own)*" for t in section.topics]
            lines.append("")
        else:
            lines += _section_lines(section, corpus)
    return md.front_matter({"title": "Survey map", "description": "The survey's table of contents with the notes on each section."}) + "\n".join(lines) + "\n"
