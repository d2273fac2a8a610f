"""Charts drawn on the server as SVG: bars (grouped or stacked, upright or lying) and lines.

Each chart is an image with a title and a description (``role="img"``, ``<title>``, ``<desc>``),
labelled axes, and a legend after it when it has more than one series; the page puts a table of
the same numbers after it. No JavaScript,
no chart library: the colours come from kithkin.css (``.series-N``), so the page's
Content-Security-Policy holds (no style attributes).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)

WIDTH = 640
HEIGHT = 260
TOP, RIGHT, BOTTOM, LEFT = 12, 24, 52, 56
LABEL_WIDTH = 190  # room for the category names of a lying bar chart ...
LABEL_CHARS = 28  # ... cut to this many characters (the table has them whole)
ROW = 26  # the height of one lying bar's row


@dataclass(frozen=True)
class Series:
    """One series of values (None: no value, drawn as nothing), named in the legend."""

    name: str
    values: Sequence[float | None]


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above ``value`` (1 for nothing)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def _ticks(top: float) -> list[float]:
    """Four or five steps up to ``top``, whole numbers when they can be (50: 0, 10, ... 50)."""
    count = next((n for n in (4, 5, 2) if (top / n) == int(top / n)), 4)
    return [top * i / count for i in range(count + 1)]


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _open(kind: str, title: str, desc: str, width: int, height: int) -> tuple[str, str]:
    """The opening of an SVG image with its title and description."""
    n = next(_ids)
    head = format_html(
        '<svg class="chart chart-{}" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-{}-title chart-{}-desc"'
        ' xmlns="http://www.w3.org/2000/svg"><title id="chart-{}-title">{}</title><desc id="chart-{}-desc">{}</desc>',
        kind,
        width,
        height,
        n,
        n,
        n,
        title,
        n,
        desc,
    )
    return head, "</svg>"


def legend(series: Sequence[Series]) -> SafeString:
    """The legend as HTML, under the chart: a swatch and a name per series (nothing for one)."""
    if len(series) < 2:
        return mark_safe("")
    items = "".join(
        format_html('<li><span class="swatch series-{}" aria-hidden="true"></span>{}</li>', i, s.name)
        for i, s in enumerate(series)
    )
    return mark_safe(f'<ul class="chart-legend" aria-hidden="true">{items}</ul>')


def _y_axis(top: float, plot_height: float, y_label: str, height: int) -> list[str]:
    parts = []
    for tick in _ticks(top):
        y = TOP + plot_height - plot_height * tick / top
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(tick)}</text>')
    middle = TOP + plot_height / 2
    parts.append(
        f'<text class="axis-label" x="14" y="{middle:.1f}" text-anchor="middle" transform="rotate(-90 14 {middle:.1f})">'
        f"{escape(y_label)}</text>"
    )
    return parts


def _x_labels(labels: Sequence[str], centres: Sequence[float], x_label: str, height: int, every: int) -> list[str]:
    parts = [
        f'<text class="tick" x="{x:.1f}" y="{height - BOTTOM + 16}" text-anchor="middle">{escape(label)}</text>'
        for i, (label, x) in enumerate(zip(labels, centres, strict=True))
        if i % every == 0
    ]
    parts.append(
        f'<text class="axis-label" x="{LEFT + (WIDTH - LEFT - RIGHT) / 2:.1f}" y="{height - 8}" text-anchor="middle">'
        f"{escape(x_label)}</text>"
    )
    return parts


def _every(labels: Sequence[str], plot_width: float) -> int:
    """Show every n-th label on the x axis so that they do not overlap."""
    widest = max((len(label) for label in labels), default=1) * 7 + 8
    return max(1, math.ceil(widest * len(labels) / plot_width))


def bar_chart(
    *,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    x_label: str,
    y_label: str,
    stacked: bool = False,
    top: float | None = None,
) -> SafeString:
    """Upright bars, one group (or stack) per label; ``top`` fixes the scale (100 for shares)."""
    height = HEIGHT
    plot_width, plot_height = WIDTH - LEFT - RIGHT, height - TOP - BOTTOM
    totals = [
        sum(v or 0 for v in column) if stacked else max((v or 0 for v in column), default=0)
        for column in zip(*(s.values for s in series), strict=True)
    ]
    top = top or nice_ceiling(max(totals, default=0))
    slot = plot_width / max(len(labels), 1)
    bar = slot * 0.7 / (1 if stacked else len(series))
    head, tail = _open("bars", title, desc, WIDTH, height)
    parts = [head, *_y_axis(top, plot_height, y_label, height)]
    base = TOP + plot_height
    for i in range(len(labels)):
        left = LEFT + slot * i + slot * 0.15
        below = 0.0
        for j, s in enumerate(series):
            value = s.values[i]
            if value is None:
                continue
            size = plot_height * value / top
            x = left if stacked else left + bar * j
            y = base - size - (plot_height * below / top if stacked else 0)
            parts.append(
                f'<rect class="series-{j}" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{size:.1f}">'
                f"<title>{escape(labels[i])}, {escape(s.name)}: {_number(value)}</title></rect>"
            )
            below += value if stacked else 0
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}"/>')
    centres = [LEFT + slot * (i + 0.5) for i in range(len(labels))]
    parts += _x_labels(labels, centres, x_label, height, _every(labels, plot_width))
    parts.append(tail)
    return mark_safe("".join(parts) + legend(series))


def lying_bar_chart(
    *,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    x_label: str,
    stacked: bool = True,
) -> SafeString:
    """Bars lying down, one row per label (long names read well), stacked by series."""
    height = TOP + ROW * len(labels) + BOTTOM
    left, plot_width = LABEL_WIDTH, WIDTH - LABEL_WIDTH - RIGHT
    totals = [
        sum(v or 0 for v in row) if stacked else max((v or 0 for v in row), default=0)
        for row in zip(*(s.values for s in series), strict=True)
    ]
    top = nice_ceiling(max(totals, default=0))
    head, tail = _open("lying", title, desc, WIDTH, height)
    parts = [head]
    for tick in _ticks(top):
        x = left + plot_width * tick / top
        parts.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{height - BOTTOM}"/>')
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{height - BOTTOM + 16}" text-anchor="middle">{_number(tick)}</text>'
        )
    for i, label in enumerate(labels):
        y = TOP + ROW * i
        parts.append(
            f'<text class="tick" x="{left - 8}" y="{y + ROW * 0.65:.1f}" text-anchor="end">{escape(_cut(label))}</text>'
        )
        start = 0.0
        for j, s in enumerate(series):
            value = s.values[i] or 0
            if not value:
                continue
            x = left + plot_width * start / top
            parts.append(
                f'<rect class="series-{j}" x="{x:.1f}" y="{y + ROW * 0.15:.1f}" width="{plot_width * value / top:.1f}"'
                f' height="{ROW * 0.7:.1f}"><title>{escape(label)}, {escape(s.name)}: {_number(value)}</title></rect>'
            )
            start += value if stacked else 0
    parts.append(f'<line class="axis" x1="{left}" x2="{left}" y1="{TOP}" y2="{height - BOTTOM}"/>')
    parts.append(
        f'<text class="axis-label" x="{left + plot_width / 2:.1f}" y="{height - 8}" text-anchor="middle">'
        f"{escape(x_label)}</text>"
    )
    parts.append(tail)
    return mark_safe("".join(parts) + legend(series))


def line_chart(
    *,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    x_label: str,
    y_label: str,
    top: float | None = None,
) -> SafeString:
    """Lines with a dot at each value; a None breaks the line."""
    height = HEIGHT
    plot_width, plot_height = WIDTH - LEFT - RIGHT, height - TOP - BOTTOM
    top = top or nice_ceiling(max((v or 0 for s in series for v in s.values), default=0))
    step = plot_width / max(len(labels), 1)
    centres = [LEFT + step * (i + 0.5) for i in range(len(labels))]
    head, tail = _open("lines", title, desc, WIDTH, height)
    parts = [head, *_y_axis(top, plot_height, y_label, height)]
    base = TOP + plot_height
    for j, s in enumerate(series):
        points = [
            (centres[i], base - plot_height * v / top, labels[i], v) for i, v in enumerate(s.values) if v is not None
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _label, _v in points)
        parts.append(f'<polyline class="line series-{j}" points="{path}"/>')
        parts += [
            f'<circle class="dot series-{j}" cx="{x:.1f}" cy="{y:.1f}" r="3">'
            f"<title>{escape(label)}, {escape(s.name)}: {_number(v)}</title></circle>"
            for x, y, label, v in points
        ]
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}"/>')
    parts += _x_labels(labels, centres, x_label, height, _every(labels, plot_width))
    parts.append(tail)
    return mark_safe("".join(parts) + legend(series))
