"""data/charts/<name>.yaml: the data of the bar charts that notes embed."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from papernotes.diagnostics import Diagnostic, diag
from papernotes.frontmatter import YNode
from papernotes.paths import SLUG_RE
from papernotes.records import Chart
from papernotes.schema import CHART_FIELDS
from papernotes.yamlfile import get_entry, plain, read_yaml_file

MAX_CHART_VALUE = 1e9
MAX_NUMBER_TEXT = 32
NEEDS = (
    "a chart needs title, description, source, value_label and bars of {label, value}; "
    "axis_min (optional) may not exceed the smallest value, decimals (optional) is 0-6"
)


def load_charts(folder: Path, root_shown: str = "data/charts") -> tuple[dict[str, Chart], list[Diagnostic]]:
    """Read every `data/charts/<name>.yaml`."""
    charts: dict[str, Chart] = {}
    diags: list[Diagnostic] = []
    if folder.is_symlink():
        return charts, [diag("data-file", root_shown, 0, 0, "a symbolic link; links are rejected and never followed")]
    if not folder.is_dir():
        return charts, diags
    for path in sorted(folder.glob("*.yaml")):
        shown = f"{root_shown}/{path.name}"
        if not SLUG_RE.match(path.stem):
            diags.append(diag("data-file", shown, 0, 0, "chart file names must be lowercase kebab-case"))
            continue
        node, problems = read_yaml_file(path, shown)
        diags.extend(problems)
        if node is None:
            continue
        bad = _bad_numbers(node, shown)
        diags.extend(bad)
        if bad:
            continue
        chart = _chart(path.stem, plain(node))
        if chart is None:
            diags.append(diag("data-file", shown, 1, 1, NEEDS))
            continue
        charts[chart.name] = chart
    return charts, diags


def _bad_numbers(node: YNode, shown: str) -> list[Diagnostic]:
    """Each bar's value: a finite number from 0 to MAX_CHART_VALUE, written in at most MAX_NUMBER_TEXT characters."""
    bars = get_entry(node, "bars")
    if bars is None or bars.value.kind != "seq":
        return []
    out = []
    assert isinstance(bars.value.value, tuple)
    for bar in bars.value.value:
        entry = get_entry(bar, "value") if isinstance(bar, YNode) else None
        if entry is None or entry.value.kind not in ("int", "float"):
            continue
        value, raw = entry.value.value, entry.value.raw
        assert isinstance(value, (int, float))
        if len(raw) > MAX_NUMBER_TEXT:
            out.append(diag("bad-number", shown, entry.value.line, entry.value.col, f"a value of {len(raw)} characters; at most {MAX_NUMBER_TEXT}"))
        elif not math.isfinite(value) or not 0 <= value <= MAX_CHART_VALUE:
            out.append(diag("bad-number", shown, entry.value.line, entry.value.col, f"value {raw!r} is not a finite number from 0 to {MAX_CHART_VALUE:,.0f}"))
    return out


def _chart(name: str, data: Any) -> Chart | None:
    """The chart, or None when a field is not of its declared kind or the bars start above a value."""
    if not isinstance(data, dict) or any(f.kind.problem(f.value_in(data)) for f in CHART_FIELDS):
        return None
    values = {f.name: f.value_in(data) for f in CHART_FIELDS}
    bars = tuple((str(bar["label"]), float(bar["value"])) for bar in values["bars"])
    if values["axis_min"] > min(v for _, v in bars):
        return None
    return Chart(name, values["title"], values["description"], values["source"], values["value_label"], bars, float(values["axis_min"]), values["decimals"])
