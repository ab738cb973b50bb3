"""A log-log SVG of the 30-day query's median time against the number of events, one line per tool, written by
hand (a plotting library would be a dependency for one picture).

``series_from`` picks the rows to draw from a run's records (see ``run.py --save``); ``svg`` draws them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final
from xml.sax.saxutils import escape

__all__ = ["SERIES", "series_from", "svg"]

# task of a row -> the line it belongs to; the baseline's rows (--baseline) get lines of their own
SERIES: Final = {
    "upcoming 30 days": "sco-cal, unchanged",
    "upcoming 30d, just changed": "sco-cal, just changed",
    "upcoming after hand edit: one title": "sco-cal, one title edited",
    "calcurse -Q 30 days": "calcurse",
    "remind -s+5 (5 weeks)": "remind",
    "khal list 30d (warm cache)": "khal, warm cache",
    "khal list 30d (cold cache)": "khal, cold cache",
}
_BASELINE_SERIES: Final = ("upcoming 30 days", "upcoming 30d, just changed")
COLOURS: Final = ("#1f77b4", "#d62728", "#9467bd", "#2ca02c", "#ff7f0e", "#8c564b", "#7f7f7f", "#17becf", "#bcbd22")
WIDTH: Final = 840
HEIGHT: Final = 480
LEFT, RIGHT, TOP, BOTTOM = 80, 260, 50, 60  # margins: the legend sits in the right one

Points = list[tuple[float, float]]


def series_from(records: Iterable[Mapping[str, Any]]) -> dict[str, Points]:
    """(events, median seconds) per line, from the rows that have a median; sizes in increasing order."""
    series: dict[str, Points] = {}
    for record in records:
        label = SERIES.get(record["task"])
        if label is None or record.get("size") is None:
            continue
        if record.get("median") is not None:
            series.setdefault(label, []).append((record["size"], record["median"]))
        before = record.get("before") or {}
        if record["task"] in _BASELINE_SERIES and before.get("median") is not None:
            series.setdefault(f"{label} (before)", []).append((record["size"], before["median"]))
    return {label: sorted(points) for label, points in series.items()}


def _decades(values: Sequence[float]) -> tuple[int, int]:
    low = math.floor(math.log10(min(values)))
    high = math.ceil(math.log10(max(values)))
    return low, max(high, low + 1)


def _size_label(exponent: int) -> str:
    return f"{10**exponent:,}" if exponent >= 0 else f"{10.0**exponent:g}"


def _time_label(exponent: int) -> str:
    return f"{10.0**exponent:g} s"


class _Axes:
    """Maps (events, seconds) to SVG coordinates on log scales spanning whole decades."""

    def __init__(self, series: Mapping[str, Points]) -> None:
        points = [p for line in series.values() for p in line]
        self.x = _decades([x for x, _ in points])
        self.y = _decades([y for _, y in points])

    def at(self, x: float, y: float) -> tuple[float, float]:
        span_x = WIDTH - LEFT - RIGHT
        span_y = HEIGHT - TOP - BOTTOM
        fx = (math.log10(x) - self.x[0]) / (self.x[1] - self.x[0])
        fy = (math.log10(y) - self.y[0]) / (self.y[1] - self.y[0])
        return LEFT + fx * span_x, HEIGHT - BOTTOM - fy * span_y


def _text(x: float, y: float, text: str, **attributes: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(text)}</text>'


def _grid(axes: _Axes) -> list[str]:
    out = []
    for exponent in range(axes.x[0], axes.x[1] + 1):
        x, _ = axes.at(10.0**exponent, 10.0 ** axes.y[0])
        out.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM}" class="grid"/>')
        out.append(_text(x, HEIGHT - BOTTOM + 18, _size_label(exponent), text_anchor="middle"))
    for exponent in range(axes.y[0], axes.y[1] + 1):
        _, y = axes.at(10.0 ** axes.x[0], 10.0**exponent)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" class="grid"/>')
        out.append(_text(LEFT - 8, y + 4, _time_label(exponent), text_anchor="end"))
    return out


def _line(axes: _Axes, points: Points, colour: str) -> list[str]:
    at = [axes.at(x, y) for x, y in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in at)
    out = [f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>']
    out.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>' for x, y in at)
    return out


def _legend(labels: Sequence[str]) -> list[str]:
    out = []
    for number, label in enumerate(labels):
        colour = COLOURS[number % len(COLOURS)]
        y = TOP + 10 + number * 22
        x = WIDTH - RIGHT + 20
        out.append(f'<line x1="{x}" y1="{y}" x2="{x + 24}" y2="{y}" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<circle cx="{x + 12}" cy="{y}" r="4" fill="{colour}"/>')
        out.append(_text(x + 32, y + 4, label))
    return out


def _frame() -> str:
    inner = f'width="{WIDTH - LEFT - RIGHT}" height="{HEIGHT - TOP - BOTTOM}"'
    return f'<rect x="{LEFT}" y="{TOP}" {inner} fill="none" stroke="black"/>'


def svg(series: Mapping[str, Points], title: str) -> str:
    """The whole picture as SVG text; ``ValueError`` when there is nothing to draw (no positive point)."""
    drawn = {label: [(x, y) for x, y in points if x > 0 and y > 0] for label, points in series.items()}
    drawn = {label: points for label, points in drawn.items() if points}
    if not drawn:
        raise ValueError("no timed row of the 30-day query to plot")
    axes = _Axes(drawn)
    body = [
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        _text(WIDTH / 2, 28, title, text_anchor="middle", font_size="16"),
        *_grid(axes),
        _frame(),
        _text((LEFT + WIDTH - RIGHT) / 2, HEIGHT - 18, "events in the registry", text_anchor="middle"),
        _text(
            20,
            (TOP + HEIGHT - BOTTOM) / 2,
            "median wall time",
            text_anchor="middle",
            transform=f"rotate(-90 20 {(TOP + HEIGHT - BOTTOM) / 2:.1f})",
        ),
    ]
    for number, (_, points) in enumerate(drawn.items()):
        body.extend(_line(axes, points, COLOURS[number % len(COLOURS)]))
    body.extend(_legend(list(drawn)))
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">'
    )
    style = "<style>.grid { stroke: #dddddd; stroke-width: 1; }</style>"
    return "\n".join([head, style, *body, "</svg>"]) + "\n"
