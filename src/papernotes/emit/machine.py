"""Machine-readable outputs: notes.json and the chart SVGs."""

from __future__ import annotations

import json

from papernotes import paths
from papernotes.emit.svg import Axis, bar_chart
from papernotes.records import Chart, Corpus


def notes_json(corpus: Corpus) -> str:
    """One record per note, in reading order; the explorer and other tools read it."""
    records = []
    for note in corpus.notes:
        records.append(
            {
                "id": note.id,
                "title": note.meta.title,
                "summary": note.meta.summary,
                "part": note.part,
                "tags": list(corpus.tags_of(note)),
                "sections": [s.value for s in note.meta.sections],
                "chapters": note.meta.chapters,
                "cites": list(corpus.cites.get(note.id, ())),
                "status": note.meta.status,
                "url": paths.site_to_url(note.site),
                "updated": note.meta.updated.isoformat() if note.meta.updated else None,
            }
        )
    # one record per line: as easy to diff as an indented file, and written by the C encoder
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n"


def chart_axis(chart: Chart) -> Axis:
    """The axis a chart's data asks for."""
    return Axis(start=chart.axis_min, decimals=chart.decimals)


def chart_text(chart: Chart) -> str:
    """The text alternative: the description, every value as the chart shows it, and the source."""
    axis = chart_axis(chart)
    values = "; ".join(f"{label}: {axis.fmt(value)}" for label, value in chart.bars)
    return f"{chart.description} Values ({chart.value_label}): {values}. Source: {chart.source}"


def chart_svgs(corpus: Corpus) -> dict[str, str]:
    """Every chart of data/charts/ as an SVG bar chart."""
    out: dict[str, str] = {}
    for name, chart in sorted(corpus.data.charts.items()):
        out[paths.chart_site(name)] = bar_chart(chart.title, chart_text(chart), chart.bars, value_label=chart.value_label, axis=chart_axis(chart))
    return out
