"""Server-rendered, accessible SVG charts (matplotlib's SVG backend, no pyplot, no display).

Every chart carries a <title> and <desc> (read by screen readers, ``role="img"``), uses the
Okabe-Ito colour-blind-safe palette, keeps its text as text, and comes with the same data as
a table, because a chart alone is not accessible and suppressed values ("<5") must show.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

os.environ.setdefault("MPLBACKEND", "Agg")  # never a display: the server renders files

from lxml import etree
from matplotlib.figure import Figure

from app.services.metrics.suppression import SUPPRESSED, number

#: Okabe & Ito (2008): distinguishable with every common colour-vision deficiency
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
_SVG = "http://www.w3.org/2000/svg"
_RC: dict[Any, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "voorkom",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
}

Value = float | int | None


@dataclass(frozen=True)
class Table:
    """A chart's data, for people and screen readers."""

    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Chart:
    """An SVG chart with its title, description and data table."""

    key: str
    title: str
    description: str
    svg: str
    table: Table


def _cell(value: Value, digits: int) -> str:
    if value is None:
        return SUPPRESSED
    return number(value if isinstance(value, int) else float(value), digits)


def _figure(width: float, height: float) -> Figure:
    import matplotlib

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig


def _svg(fig: Figure, key: str, title: str, description: str) -> str:
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    root = etree.fromstring(buffer.getvalue(), etree.XMLParser(resolve_entities=False))
    title_id, desc_id = f"{key}-titel", f"{key}-beschrijving"
    root.set("role", "img")
    root.set("aria-labelledby", f"{title_id} {desc_id}")
    for tag, text, ident in (("desc", description, desc_id), ("title", title, title_id)):
        element = etree.Element(f"{{{_SVG}}}{tag}", id=ident)
        element.text = text
        root.insert(0, element)
    for metadata in root.findall(f"{{{_SVG}}}metadata"):
        root.remove(metadata)
    return _prefixed_ids(etree.tostring(root, encoding="unicode"), key, {title_id, desc_id})


def _prefixed_ids(svg: str, key: str, keep: set[str]) -> str:
    """Give every id of one chart the chart's key, so several charts share a page safely."""
    ids = sorted(set(re.findall(r'\bid="([^"]+)"', svg)) - keep, key=len, reverse=True)
    for ident in ids:
        new = f"{key}-{ident}"
        svg = svg.replace(f'id="{ident}"', f'id="{new}"')
        svg = svg.replace(f'#{ident}"', f'#{new}"').replace(f"#{ident})", f"#{new})")
    return svg


def bar_chart(
    key: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: dict[str, Sequence[Value]],
    *,
    unit: str = "",
    horizontal: bool = False,
    percent: bool = False,
    digits: int = 1,
) -> Chart:
    """Grouped bars; a suppressed value draws no bar and is labelled "<5"."""
    import matplotlib

    height = max(2.6, 0.32 * len(categories) * max(1, len(series)) + 1.0) if horizontal else 3.2
    fig = _figure(6.8, height)
    with matplotlib.rc_context(_RC):
        ax = fig.add_subplot()
        count = max(1, len(series))
        width = 0.8 / count
        positions = list(range(len(categories)))
        for i, (name, values) in enumerate(series.items()):
            offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
            heights = [_scaled(v, percent) or 0 for v in values]  # suppressed: no bar
            colour = PALETTE[i % len(PALETTE)]
            if horizontal:
                bars = ax.barh(offsets, heights, height=width, label=name, color=colour)
            else:
                bars = ax.bar(offsets, heights, width=width, label=name, color=colour)
            labels = [
                _cell(_scaled(v, percent), digits) + ("%" if percent and v is not None else "")
                for v in values
            ]
            ax.bar_label(bars, labels=labels, padding=2, fontsize=7)
        if horizontal:
            ax.set_yticks(positions, list(categories))
            ax.invert_yaxis()
            ax.set_xlabel(unit)
            if percent:
                ax.set_xlim(0, 110)
        else:
            ax.set_xticks(positions, list(categories), rotation=30, ha="right")
            ax.set_ylabel(unit)
        ax.set_title(title, loc="left")
        if len(series) > 1:
            ax.legend(frameon=False, fontsize=8)
    svg = _svg(fig, key, title, description)
    headers = ["", *series.keys()]
    rows = [
        [
            category,
            *[
                _cell(_scaled(values[j], percent), digits)
                + ("%" if percent and values[j] is not None else "")
                for values in series.values()
            ],
        ]
        for j, category in enumerate(categories)
    ]
    return Chart(key, title, description, svg, Table(headers, rows))


def line_chart(
    key: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: dict[str, Sequence[Value]],
    *,
    unit: str = "",
    digits: int = 0,
) -> Chart:
    """Lines over time; suppressed points are gaps."""
    import matplotlib

    fig = _figure(6.8, 3.0)
    with matplotlib.rc_context(_RC):
        ax = fig.add_subplot()
        xs = list(range(len(x_labels)))
        markers = ("o", "s", "^", "D", "v", "P", "X")
        for i, (name, values) in enumerate(series.items()):
            ys = [float("nan") if v is None else float(v) for v in values]
            ax.plot(xs, ys, label=name, color=PALETTE[i % len(PALETTE)],
                    marker=markers[i % len(markers)], markersize=3, linewidth=1.5)  # fmt: skip
        ax.set_xticks(xs, list(x_labels), rotation=30, ha="right")
        ax.set_ylabel(unit)
        ax.set_ylim(bottom=0)
        ax.set_title(title, loc="left")
        if len(series) > 2:  # beside the plot: inside it, it would cover the lines
            ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        elif series:
            ax.legend(frameon=False, fontsize=8, ncols=len(series))
    svg = _svg(fig, key, title, description)
    rows = [[label, *[_cell(values[j], digits) for values in series.values()]]
            for j, label in enumerate(x_labels)]  # fmt: skip
    return Chart(key, title, description, svg, Table(["", *series.keys()], rows))


def _scaled(value: Value, percent: bool) -> Any:
    if value is None:
        return None
    return 100 * value if percent else value
