"""Charts: the note's decimals, an honest axis, text that stays readable and colours from the page."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from papernotes.emit.svg import WIDTH, Axis, bar_chart, inline_block
from papernotes.pipeline import check
from support import REPO

BARS = [("1K", 0.307), ("2K", 0.330), ("8K", 0.311)]


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]  # noqa: S314 - our own output


def test_values_keep_the_decimals_of_the_table() -> None:
    """0.330 stays 0.330, and a chart of whole minutes shows no decimals."""
    assert "0.330" in texts(bar_chart("T", "D", BARS, axis=Axis(decimals=3)))
    assert "120" in texts(bar_chart("T", "D", [("a", 120.0)], axis=Axis(decimals=0)))


def test_a_non_zero_baseline_is_labelled_and_used() -> None:
    """Bars start at axis_min, so the dip shows, and the chart says the axis does not start at zero."""
    svg = bar_chart("T", "D", BARS, axis=Axis(start=0.30))
    assert "bars start at 0.300, not at zero" in texts(svg)
    widths = [float(w) for w in re.findall(r'class="b" x="\d+" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths[1] > 2 * widths[2]  # 0.330 against 0.311: visible once the axis starts at 0.30


def test_long_titles_wrap_instead_of_being_cut() -> None:
    """A title longer than the chart is wide is drawn on several lines."""
    title = "LiveCodeBench v6 Pass@1 by maximum response length in RL training"
    lines = [t for t in texts(bar_chart(title, "D", BARS, value_label="Pass@1")) if t and t[0].isalpha() and len(t) > 8]
    assert len(lines) >= 2 and all(len(line) <= 40 for line in lines)


def test_the_chart_is_not_wider_than_a_phone_column() -> None:
    """At 340 units the chart fits a 390 px screen unscaled, so its 13 px text stays 13 px."""
    assert WIDTH <= 358


def test_inline_chart_takes_its_colours_from_the_page() -> None:
    """Inline, the chart carries no colour of its own and is labelled by the note's alternative text."""
    block = inline_block(bar_chart("T", "D", BARS, inline_label='Bars: 1K 0.307 <b>"'))
    assert "<style>" not in block and "#" not in block.split("aria-label", 1)[0]
    assert 'aria-label="Bars: 1K 0.307 &lt;b&gt;&quot;"' in block and "\n" not in block


def test_real_notes_draw_their_charts_inline() -> None:
    """The staged scaling-law note has its three charts inline, each with its alternative text."""
    from papernotes.pipeline import stage_files

    staged = stage_files(check(REPO))
    page = next(v for k, v in staged.items() if k.endswith("scaling-laws-per-language.md"))
    assert page.count('<div class="pn-chart"><svg') == 3
    assert "![" not in page
