"""Accessible horizontal bar charts as SVG, with no script and no external resource.

Made for phones and both colour schemes: 340 units wide, so that on a 390 px screen the text is drawn
at its own 13 px; each label stands above its bar, so that long labels are never cut; titles wrap.
A chart staged inline in a note takes its colours from the page (currentColor and Material's CSS
variables); the standalone file follows the reader's colour scheme with a media query. Bars start at
`axis_min`, and a chart whose axis does not start at zero says so under the bars.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from papernotes.emit.escape import svg_text as escape

WIDTH, PAD, BAR_H, ROW, LINE = 340, 8, 14, 40, 18
BAR_W = WIDTH - 2 * PAD - 56  # room for the value after the longest bar
TITLE_CHARS = 40

_STANDALONE_STYLE = (
    "<style>text{font:13px system-ui,-apple-system,Segoe UI,Roboto,sans-serif;fill:#1f1f1f}.h{font-weight:600}"
    ".b{fill:#3949ab}.g{fill:none;stroke:#6b6b6b;stroke-width:1}"
    "@media (prefers-color-scheme:dark){text{fill:#e6e6e6}.b{fill:#8c9eff}.g{stroke:#a0a0a0}}</style>"
)


@dataclass(frozen=True)
class Axis:
    """Where the bars start and end, and how many decimals a value shows."""

    start: float = 0.0
    end: float | None = None
    decimals: int = 3
    suffix: str = ""

    def fmt(self, value: float) -> str:
        """A value as the note's table writes it."""
        return f"{value:.{self.decimals}f}{self.suffix}"


def _title_lines(title: str, value_label: str) -> list[str]:
    full = f"{title} ({value_label})" if value_label else title
    return textwrap.wrap(full, TITLE_CHARS) or [""]


def bar_chart(
    title: str, description: str, bars: Sequence[tuple[str, float]], *, value_label: str = "", axis: Axis | None = None, inline_label: str = ""
) -> str:
    """A horizontal bar chart. Standalone, `<title>` and `<desc>` carry the text alternative; inline
    (`inline_label` given), `aria-label` does, and the colours come from the page."""
    axis = axis or Axis()
    bars = [(label, value if math.isfinite(value) else 0.0) for label, value in bars]  # the check refuses them first
    end = max([axis.end or 0.0, *(v for _, v in bars)]) or 1.0
    span = (end - axis.start) or 1.0
    heads = _title_lines(title, value_label)
    top = PAD + LINE * len(heads) + 6
    height = top + ROW * len(bars) + 30
    attrs = f'viewBox="0 0 {WIDTH} {height}"'
    if inline_label:
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" {attrs} role="img" aria-label="{escape(inline_label)}" class="pn-chart-svg">']
    else:
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" {attrs} width="{WIDTH}" height="{height}" role="img" aria-labelledby="t d">']
        out += [f'<title id="t">{escape(title)}</title>', f'<desc id="d">{escape(description)}</desc>', _STANDALONE_STYLE]
    out += [f'<text class="h" x="{PAD}" y="{PAD + 13 + i * LINE}">{escape(line)}</text>' for i, line in enumerate(heads)]
    for i, (label, value) in enumerate(bars):
        y = top + i * ROW
        w = max(0.0, value - axis.start) / span * BAR_W
        out.append(f'<text x="{PAD}" y="{y + 13}">{escape(label)}</text>')
        out.append(f'<rect class="b" x="{PAD}" y="{y + 18}" width="{w:.1f}" height="{BAR_H}"/>')
        out.append(f'<text x="{PAD + w + 5:.1f}" y="{y + 30}">{escape(axis.fmt(value))}</text>')
        out.append(f'<line class="g" x1="{PAD}" y1="{y + 16}" x2="{PAD}" y2="{y + 34}"/>')  # the baseline
    base = top + ROW * len(bars)
    note = f"bars start at {axis.fmt(axis.start)}, not at zero" if axis.start else f"bars start at {axis.fmt(0.0)}"
    out.append(f'<text x="{PAD}" y="{base + 18}">{escape(note)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def inline_block(svg: str) -> str:
    """An inline chart as a raw HTML block of staged Markdown, which Markdown passes through untouched."""
    return '<div class="pn-chart">' + svg.replace("\n", "") + "</div>"
