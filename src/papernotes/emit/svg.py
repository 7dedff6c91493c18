"""Accessible horizontal bar charts as standalone SVG, with no script and no external resource."""

from __future__ import annotations

import math
from collections.abc import Sequence

from papernotes.emit.escape import svg_text as escape

ROW, BAR_W, PAD = 26, 360, 12


def _fmt(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text not in {"", "-0"} else "0"


def bar_chart(
    title: str, description: str, bars: Sequence[tuple[str, float]], *, value_label: str = "", suffix: str = "", max_value: float | None = None
) -> str:
    """A horizontal bar chart. `<title>` and `<desc>` carry the text alternative."""
    bars = [(label, value if math.isfinite(value) else 0.0) for label, value in bars]  # the check refuses them first
    top = max([max_value or 0.0, *(v for _, v in bars)]) or 1.0
    height = PAD * 2 + 30 + ROW * len(bars)
    label_w = max(80, 8 * max(len(label) for label, _ in bars) + 16)
    width = label_w + BAR_W + 90
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="t d">',
        f'<title id="t">{escape(title)}</title>',
        f'<desc id="d">{escape(description)}</desc>',
        "<style>text{font:13px system-ui,-apple-system,Segoe UI,Roboto,sans-serif;fill:#333}.v{fill:#555}.h{font-weight:600}rect.b{fill:#3f51b5}rect.g{fill:#e8eaf6}</style>",
        f'<text class="h" x="{PAD}" y="{PAD + 14}">{escape(title)}{" (" + escape(value_label) + ")" if value_label else ""}</text>',
    ]
    for i, (label, value) in enumerate(bars):
        y = PAD + 30 + i * ROW
        w = max(0.0, value) / top * BAR_W
        out.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        out.append(f'<rect class="g" x="{label_w}" y="{y + 3}" width="{BAR_W}" height="{ROW - 8}"/>')
        out.append(f'<rect class="b" x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{ROW - 8}"/>')
        out.append(f'<text class="v" x="{label_w + w + 6:.1f}" y="{y + 15}">{_fmt(value)}{escape(suffix)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
