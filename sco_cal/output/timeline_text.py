"""The timeline in a terminal: one line per row, a label, the row's status symbol and its bars across the
columns left, under an axis of months, quarters or years (the finest whose labels fit).

Every mark that carries meaning is a character of its own, so the picture reads the same without colour: a
solid block for certain days, a light shade for days an event may fall in, a diamond for a single day, a bar
for today. Colour (the row's status) is added only when asked for; a legend says what each mark means.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from sco_cal.dates import MONTH_ABBR
from sco_cal.model import Status
from sco_cal.timeline.axis import Tick, Unit, choose_unit, ticks, years
from sco_cal.timeline.layout import Mark, Row, Timeline

if TYPE_CHECKING:
    from rich.text import Text

__all__ = ["ASCII", "STATUS_STYLE", "STATUS_SYMBOL", "UNICODE", "Glyphs", "coloured", "plain", "timeline_lines"]

# one segment of a line: its text and the rich style it is shown in when colour is on (None: unstyled)
Segment = tuple[str, str | None]
Line = list[Segment]

STATUS_STYLE: Final = {
    Status.PLANNED: "yellow",
    Status.SCHEDULED: "green",
    Status.HELD: "bright_black",
    Status.POSTPONED: "magenta",
    Status.CANCELLED: "red",
}
STATUS_SYMBOL: Final = {
    Status.PLANNED: "P",
    Status.SCHEDULED: "S",
    Status.HELD: "H",
    Status.POSTPONED: "~",
    Status.CANCELLED: "x",
}
_LABEL_ROOM: Final = {Unit.MONTH: 4, Unit.QUARTER: 3, Unit.YEAR: 5}  # a label and a space after it
_NARROWEST_CHART = 12
_RANK: Final = {" ": 0, "today": 1, Mark.SHADE: 2, Mark.SOLID: 3, Mark.DAY: 4}


@dataclass(frozen=True, slots=True)
class Glyphs:
    """The characters the marks are drawn with."""

    solid: str
    shade: str
    day: str
    today: str
    more: str  # ends a label cut short

    def of(self, mark: str) -> str:
        return {Mark.SOLID: self.solid, Mark.SHADE: self.shade, Mark.DAY: self.day, "today": self.today}.get(mark, " ")


UNICODE: Final = Glyphs("█", "░", "◆", "│", "…")
ASCII: Final = Glyphs("#", ":", "*", "|", "~")


def timeline_lines(timeline: Timeline, width: int, glyphs: Glyphs) -> list[Line]:
    """The axis, one line per row and the legend, laid out to ``width`` columns."""
    label_width = _label_width(timeline.rows, width)
    room = max(width - label_width - 3, _NARROWEST_CHART)
    first, last = timeline.first_day, timeline.last_day
    unit = choose_unit(first, last, room, _LABEL_ROOM)
    indent = " " * (label_width + 3)
    days_per_column = ((last - first).days + 1) / room
    lines: list[Line] = []
    if unit is not Unit.YEAR:
        lines.append([(indent + _axis_text(timeline, room, years(first, last, 5 * days_per_column)), "bold")])
    marks = ticks(first, last, unit, _LABEL_ROOM[unit] * days_per_column)
    lines.append([(indent + _axis_text(timeline, room, marks), "bold")])
    today = math.floor(timeline.fraction(timeline.today) * room) if timeline.today else None
    lines += [_row_line(row, _cells(timeline, row, room, today), label_width, glyphs) for row in timeline.rows]
    return lines + _legend(timeline, width, glyphs)


def _label_width(rows: tuple[Row, ...], width: int) -> int:
    longest = max((len(row.label) for row in rows), default=0)
    return max(min(longest, max(8, width // 3), width - _NARROWEST_CHART - 3), 1)


def _axis_text(timeline: Timeline, room: int, marks: list[Tick]) -> str:
    """The labels of ``marks``, each from its own column; one that would touch the one before is left out."""
    chars = [" "] * room
    free = 0
    for tick in marks:
        column = max(math.floor(timeline.at(tick.day) * room), 0)
        label = tick.label[: room - column]
        if column < free or not label:
            continue
        chars[column : column + len(label)] = label
        free = column + len(label) + 1
    return "".join(chars).rstrip()


def _cells(timeline: Timeline, row: Row, room: int, today: int | None) -> list[str]:
    """What each column of a row shows: the strongest mark among the pieces that touch it."""
    cells = [" "] * room
    if today is not None:
        cells[today] = "today"
    for piece in row.pieces:
        if piece.mark is Mark.DAY:
            if not timeline.start <= piece.start < timeline.end:
                continue
            column = math.floor(timeline.fraction(piece.start) * room)
            columns = range(column, column + 1)
        else:
            low = max(math.floor(timeline.fraction(piece.start) * room), 0)
            columns = range(low, min(math.ceil(timeline.fraction(piece.end) * room), room))
        for column in columns:
            if _RANK[piece.mark] > _RANK[cells[column]]:
                cells[column] = piece.mark
    return cells


def _row_line(row: Row, cells: list[str], label_width: int, glyphs: Glyphs) -> Line:
    label = row.label if len(row.label) <= label_width else row.label[: label_width - 1] + glyphs.more
    style = STATUS_STYLE[row.status] if row.status else None
    symbol = STATUS_SYMBOL[row.status] if row.status else "+"
    line: Line = [(f"{label:<{label_width}} ", None), (symbol, style), (" ", None)]
    for cell in cells:
        text, cell_style = glyphs.of(cell), ("red" if cell == "today" else style)
        if line[-1][1] == cell_style:
            line[-1] = (line[-1][0] + text, cell_style)
        else:
            line.append((text, cell_style))
    return line


def _legend(timeline: Timeline, width: int, glyphs: Glyphs) -> list[Line]:
    """What each mark and symbol means, wrapped to ``width``."""
    items: list[Line] = [
        [(glyphs.solid, None), (" certain", None)],
        [(glyphs.shade, None), (" may fall in (date TBC)", None)],
        [(glyphs.day, None), (" one day", None)],
    ]
    if timeline.today is not None:
        day = timeline.today.astimezone(timeline.start.tzinfo)
        items.append([(glyphs.today, "red"), (f" today {day.day} {MONTH_ABBR[day.month - 1]} {day.year}", None)])
    items += [[(STATUS_SYMBOL[s], STATUS_STYLE[s]), (f" {s}", None)] for s in timeline.statuses]
    if any(row.status is None for row in timeline.rows):
        items.append([("+", None), (" mixed statuses", None)])
    lines: list[Line] = [[]]
    for item in items:
        size = sum(len(text) for text, _ in item)
        used = sum(len(text) for text, _ in lines[-1])
        if lines[-1] and used + 2 + size > width:
            lines.append([])
        if size > width:  # alone on its lines, its words wrapped under the mark
            lines[-1:] = _wrapped(item, width)
            lines.append([])
            continue
        lines[-1] += ([("  ", None)] if lines[-1] else []) + item
    return [line for line in lines if line]


def _wrapped(item: Line, width: int) -> list[Line]:
    """A legend item wider than ``width``: the mark and the words that fit, the rest indented on further lines."""
    (mark, style), *words = item
    lines: list[Line] = [[(mark, style)]]
    for word in "".join(text for text, _ in words).split():
        used = sum(len(text) for text, _ in lines[-1])
        if used + 1 + len(word) > width and used > len(mark):
            lines.append([(" " * len(mark), None)])
        lines[-1].append((" " + word, None))
    return lines


def plain(lines: list[Line]) -> list[str]:
    """The lines without colour, trailing blanks dropped."""
    return ["".join(text for text, _ in line).rstrip() for line in lines]


def coloured(lines: list[Line]) -> list[Text]:
    """The lines as rich ``Text``, each mark in its row's colour."""
    from rich.text import Text  # only a coloured run pays for rich

    texts = []
    for line in lines:
        text = Text()
        for part, style in line:
            text.append(part, style=style or "")
        text.rstrip()
        texts.append(text)
    return texts
