"""Authored Markdown on a staged page: a note's body, or the introduction of a generated page.
Citations, §-references, TeX math and chart images are rewritten; everything else is left alone,
since the check has already refused raw HTML and unsafe links in it."""

from __future__ import annotations

from papernotes import paths
from papernotes.emit import markdown as md
from papernotes.emit.machine import chart_axis, chart_text
from papernotes.emit.svg import bar_chart, inline_block
from papernotes.math import to_mathml
from papernotes.paths import SitePath
from papernotes.records import Corpus, Intro, Note, Span


def rewrite_body(note: Note | Intro, corpus: Corpus) -> str:
    """Replace `[@key]` citations and `§x.y` references with links and TeX math with MathML; everything else is left alone."""
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
        elif span.kind == "image":
            out.append(_chart(note, corpus, span) or original)
        elif span.kind == "math":
            out.append(to_mathml(span.values[0], display=span.values[1] == "display"))
        elif span.kind == "sec" and span.values[0] in sections:
            out.append(md.link(f"§{span.values[0]}", note.site, paths.SURVEY_MAP, paths.section_anchor(span.values[0])))
        else:
            out.append(original)
        pos = span.end
    out.append(body[pos:])
    return "".join(out).strip("\n")


def _chart(note: Note | Intro, corpus: Corpus, span: Span) -> str:
    """A chart image alone on its line, drawn inline so that it takes the page's colours; '' otherwise."""
    body = note.body
    alone = body[body.rfind("\n", 0, span.start) + 1 : span.start].strip() == "" and body[span.end :].partition("\n")[0].strip() == ""
    target = paths.resolve_site_link(note.site, span.values[0].partition("#")[0])
    name = target[len("charts/") : -len(".svg")] if target and target.startswith("charts/") and target.endswith(".svg") else ""
    chart = corpus.data.charts.get(name)
    if not alone or chart is None:
        return ""
    svg = bar_chart(chart.title, chart_text(chart), chart.bars, value_label=chart.value_label, axis=chart_axis(chart), inline_label=span.values[1])
    return inline_block(svg)


def intro(corpus: Corpus, site: SitePath) -> list[str]:
    """The lines of the introduction authored for a generated page, after a blank line; none without one."""
    found = corpus.intros.get(site)
    return ["", rewrite_body(found, corpus)] if found is not None and found.body.strip() else []
