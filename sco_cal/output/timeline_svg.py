"""The timeline as a standalone SVG picture: each row's title and its dates as the sources give them, solid bars
for certain days, shaded (and dashed, so print in grey keeps them apart) for days an event may fall in, a
diamond for a single day, today's line and a legend. The same element is inlined in the HTML pages.

The bytes depend only on the timeline: no clock, no random ids, numbers written to one decimal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from sco_cal.model import Status
from sco_cal.timeline.axis import Unit, choose_unit, ticks, years
from sco_cal.timeline.layout import Mark, Piece, Row, Timeline

__all__ = ["STATUS_FILL", "escape", "svg_document", "svg_element"]


WIDTH: Final = 960
_CHART_X: Final = 360
_CHART_WIDTH: Final = WIDTH - _CHART_X - 16
_TOP: Final = 44
_ROW: Final = 36
_LABEL_CHARS: Final = 52
_LABEL_ROOM: Final = {Unit.MONTH: 30, Unit.QUARTER: 26, Unit.YEAR: 36}  # pixels a label needs
STATUS_FILL: Final = {
    Status.PLANNED: "#b7791f",
    Status.SCHEDULED: "#2f855a",
    Status.HELD: "#718096",
    Status.POSTPONED: "#805ad5",
    Status.CANCELLED: "#c53030",
}
_MIXED: Final = "#4a5568"
_TODAY: Final = "#d32f2f"
# shaded and dashed: a printer in grey still tells "may fall in" from "certain"
_SHADE: Final = 'fill="{colour}" fill-opacity="0.22" stroke="{colour}" stroke-dasharray="4 3"'


def escape(text: str) -> str:
    """``html.escape``'s replacements (quotes too), without loading the ``html`` package and its table of every
    named character, which a page never needs."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&#x27;")


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _x(timeline: Timeline, fraction: float) -> float:
    return _CHART_X + min(max(fraction, 0.0), 1.0) * _CHART_WIDTH


def svg_document(timeline: Timeline, title: str) -> bytes:
    """A standalone SVG file."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + svg_element(timeline, title) + "\n").encode()


def svg_element(timeline: Timeline, title: str) -> str:
    """The ``<svg>`` element, for a file of its own or inline in an HTML page."""
    height = _TOP + len(timeline.rows) * _ROW + 64
    parts = [
        _opening(height),
        f'<title id="timeline-title">{escape(title)}</title>',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        *_axis(timeline, height - 64),
        *(_row(timeline, row, _TOP + place * _ROW) for place, row in enumerate(timeline.rows)),
        *_today(timeline, height - 64),
        *_legend(timeline, height - 40),
        "</svg>",
    ]
    return "\n".join(parts)


def _opening(height: int) -> str:
    size = f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" {size} role="img" aria-labelledby="timeline-title" '
        'font-family="sans-serif" font-size="13">'
    )


def _axis(timeline: Timeline, bottom: int) -> list[str]:
    first, last = timeline.first_day, timeline.last_day
    unit = choose_unit(first, last, _CHART_WIDTH, _LABEL_ROOM)
    days_per_pixel = ((last - first).days + 1) / _CHART_WIDTH
    parts = []
    if unit is not Unit.YEAR:
        for year in years(first, last, _LABEL_ROOM[Unit.YEAR] * days_per_pixel):
            left = _n(_x(timeline, timeline.at(year.day)) + 2)
            parts.append(f'<text x="{left}" y="16" font-weight="bold">{year.label}</text>')
    for tick in ticks(first, last, unit, _LABEL_ROOM[unit] * days_per_pixel):
        x = _x(timeline, timeline.at(tick.day))
        parts.append(f'<line x1="{_n(x)}" y1="22" x2="{_n(x)}" y2="{bottom}" stroke="#d0d4da" stroke-width="1"/>')
        parts.append(f'<text x="{_n(x + 3)}" y="34" fill="#333333">{tick.label}</text>')
    return parts


def _row(timeline: Timeline, row: Row, top: int) -> str:
    colour = STATUS_FILL[row.status] if row.status else _MIXED
    label = row.label if len(row.label) <= _LABEL_CHARS else row.label[: _LABEL_CHARS - 1] + "…"
    first = row.entries[0]
    when = first.when + (f" (and {len(row.entries) - 1} more)" if len(row.entries) > 1 else "")
    about = "\n".join(f"{e.event.title}: {e.when} ({e.event.status})" for e in row.entries)
    parts = [
        '<g class="row">',
        f"<title>{escape(about)}</title>",
        f'<rect x="0" y="{top}" width="{WIDTH}" height="{_ROW}" fill="#f5f6f8" opacity="{(top // _ROW) % 2}"/>',
        f'<text x="8" y="{top + 15}">{escape(label)}</text>',
        f'<text x="8" y="{top + 30}" fill="#555555" font-size="11">{escape(when)}</text>',
        *(_piece(timeline, piece, top, colour) for piece in row.pieces if _inside(timeline, piece)),
        "</g>",
    ]
    return "\n".join(parts)


def _inside(timeline: Timeline, piece: Piece) -> bool:
    if piece.mark is Mark.DAY:
        return timeline.start <= piece.start < timeline.end
    return piece.end > timeline.start and piece.start < timeline.end


def _piece(timeline: Timeline, piece: Piece, top: int, colour: str) -> str:
    left = _x(timeline, timeline.fraction(piece.start))
    if piece.mark is Mark.DAY:
        return _diamond(left, top + _ROW / 2, colour)
    width = max(_x(timeline, timeline.fraction(piece.end)) - left, 1.5)
    box = f'x="{_n(left)}" y="{top + 9}" width="{_n(width)}" height="{_ROW - 18}"'
    if piece.mark is Mark.SOLID:
        return f'<rect {box} fill="{colour}"/>'
    return f"<rect {box} {_SHADE.format(colour=colour)}/>"


def _diamond(x: float, y: float, colour: str) -> str:
    size = 7
    points = f"{_n(x)},{_n(y - size)} {_n(x + size)},{_n(y)} {_n(x)},{_n(y + size)} {_n(x - size)},{_n(y)}"
    return f'<polygon points="{points}" fill="{colour}"/>'


def _today(timeline: Timeline, bottom: int) -> list[str]:
    if timeline.today is None:
        return []
    x = _n(_x(timeline, timeline.fraction(timeline.today)))
    return [f'<line x1="{x}" y1="38" x2="{x}" y2="{bottom}" stroke="{_TODAY}" stroke-width="2"/>']


def _legend(timeline: Timeline, top: int) -> list[str]:
    """Swatches for the marks and the statuses present, on one line under the rows."""
    box = f'y="{top}" width="22" height="12"'
    items: list[tuple[Callable[[float], str], str, int]] = [
        (lambda x: f'<rect x="{_n(x)}" {box} fill="{_MIXED}"/>', "certain", 30),
        (lambda x: f'<rect x="{_n(x)}" {box} {_SHADE.format(colour=_MIXED)}/>', "may fall in (date TBC)", 30),
        (lambda x: _diamond(x + 8, top + 6, _MIXED), "one day", 20),
    ]
    if timeline.today is not None:
        items.append((lambda x: f'<rect x="{_n(x)}" y="{top - 2}" width="2" height="16" fill="{_TODAY}"/>', "today", 8))
    items += [(_swatch(STATUS_FILL[status], top), str(status), 18) for status in timeline.statuses]
    parts, x = [], 8.0
    for mark, words, room in items:
        parts.append(mark(x))
        parts.append(f'<text x="{_n(x + room)}" y="{top + 11}">{escape(words)}</text>')
        x += room + 7 * len(words) + 20
    return parts


def _swatch(fill: str, top: int) -> Callable[[float], str]:
    return lambda x: f'<rect x="{_n(x)}" y="{top}" width="12" height="12" fill="{fill}"/>'
