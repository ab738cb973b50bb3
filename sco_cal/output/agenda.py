"""Rich renderables for ``remind``, ``agenda``, ``calendar`` and ``review``, and the stable JSON documents of the
last three. Nothing here prints.

Off a terminal rich drops the styles, so every mark that carries meaning is also a character (``*`` on a day
with events), never colour alone.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final

from rich.console import RenderableType
from rich.text import Text

from sco_cal.dates import Precision, display_span, time_of_day
from sco_cal.model import Status
from sco_cal.output.records import record
from sco_cal.output.reminder_text import describe
from sco_cal.query import Occurrence
from sco_cal.reminders.agenda import AgendaGroup, Finding, MonthGrid
from sco_cal.reminders.due import Due

__all__ = [
    "agenda_document",
    "agenda_view",
    "calendar_document",
    "calendar_view",
    "reminder_block",
    "review_document",
    "review_table",
]

_GRID_WIDTH = 27  # seven 3-character cells and six spaces, as cal(1) draws a month
_GRID_GAP = 3


def reminder_block(due: Due, *, now: datetime, display_zone: str, default_zone: str) -> Text:
    """One reminder: the title, then labelled lines (when, where, starts, note, moved, id)."""
    text = Text()
    for label, value in describe(due, now=now, display_zone=display_zone, default_zone=default_zone):
        if not label:
            text.append(value, style="bold")
        else:
            text.append(f"\n  {label + ':':<7} ", style="dim")
            text.append(value, style="yellow" if label in ("note", "moved") else "")
    return text


def _agenda_when(occurrence: Occurrence, default_zone: str, display_zone: str) -> str:
    """The clock within the group's day as the viewer sees it (the event's own beside it where it differs)."""
    start, end = occurrence.start, occurrence.end
    assert start is not None
    if clock := time_of_day(start, end, default_zone, display_zone):
        return clock
    if start.precision is Precision.DAY and (end is None or end == start):
        return "all day"
    return display_span(start, end, default_zone, display_zone)


def _event_text(occurrence: Occurrence) -> Text:
    event = occurrence.event
    text = Text(event.title, style="strike" if event.status is Status.CANCELLED else "")
    if event.status not in (Status.SCHEDULED, Status.PLANNED) or (event.status is Status.PLANNED and occurrence.fixed):
        text.append(f" ({event.status})", style="magenta")
    text.append(f"  {event.id}", style="cyan")
    return text


_LEAST_TEXT = 16  # the narrowest the second column gets before the first gives way


def _wrap(text: Text, width: int) -> list[Text]:
    """``text`` broken at spaces into lines of at most ``width``, styles kept; a longer word (an event id) is
    broken after a dash where it has one, as the event table breaks ids, else cut."""
    plain, lines, begin = text.plain, [], 0
    while len(plain) - begin > width:
        cut = plain.rfind(" ", begin, begin + width + 1)
        dash = plain.rfind("-", begin, begin + width)
        if cut > begin:
            end, begin_next = cut, cut + 1
        else:
            end = begin_next = dash + 1 if dash >= begin else begin + width
        lines.append(text[begin:end])
        begin = begin_next
        while begin < len(plain) and plain[begin] == " ":
            begin += 1
    lines.append(text[begin:])
    return lines


def _columns(rows: list[tuple[str, Text]], indent: int = 2, width: int | None = None) -> list[Text]:
    """Lines of "when  what" with the first column padded to its widest cell; no trailing spaces, so a cron mail
    or a golden file holds exactly what a person sees. Given a ``width``, cells wrap within their column so no
    line is longer."""
    first = max((len(when) for when, _ in rows), default=0)
    if width is not None and first > width - indent - 2 - _LEAST_TEXT:
        first = max(width - indent - 2 - _LEAST_TEXT, 8)
    second = None if width is None else max(width - indent - first - 2, 8)
    lines: list[Text] = []
    for when, what in rows:
        whens = [Text(when)] if width is None else _wrap(Text(when), first)
        whats = [what] if second is None else _wrap(what, second)
        for number in range(max(len(whens), len(whats))):
            left = whens[number].plain if number < len(whens) else ""
            line = Text(" " * indent + f"{left:<{first}}  ")
            line.append_text(whats[number] if number < len(whats) else Text())
            line.rstrip()
            lines.append(line)
    return lines


def _lines(parts: list[Text]) -> Text:
    return Text("\n").join(parts)


def agenda_view(
    groups: list[AgendaGroup], default_zone: str, *, display_zone: str, width: int | None = None
) -> RenderableType:
    """The coming days, one heading per day (or per "sometime in ..." period) and a line per event."""
    parts: list[Text] = []
    for group in groups:
        heading = Text(group.label, style="bold" if group.period is None else "bold italic")
        heading.append(f"  ({group.relative})", style="dim")
        rows = [(_agenda_when(o, default_zone, display_zone), _event_text(o)) for o in group.occurrences]
        parts += [*(_wrap(heading, width) if width else [heading]), *_columns(rows, width=width)]
    return _lines(parts)


def _grid_lines(grid: MonthGrid) -> list[Text]:
    lines = [Text(grid.title.center(_GRID_WIDTH), style="bold")]
    lines.append(Text(" ".join(f"{name:<3}" for name in ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"))))
    for week in grid.weeks:
        line = Text()
        for index, day in enumerate(week):
            if index:
                line.append(" ")
            if not day:
                line.append("   ")
                continue
            marked = day in grid.days
            line.append(f"{day:>2}", style="reverse" if day == grid.today else ("bold" if marked else ""))
            line.append("*" if marked else " ")
        lines.append(line)
    return lines


def _side_by_side(grids: list[MonthGrid]) -> list[Text]:
    columns = [_grid_lines(grid) for grid in grids]
    height = max(len(column) for column in columns)
    rows = []
    for number in range(height):
        row = Text()
        for index, column in enumerate(columns):
            cell = column[number] if number < len(column) else Text()
            row.append_text(cell)
            if index < len(columns) - 1:
                row.append(" " * (_GRID_WIDTH - len(cell) + _GRID_GAP))
        row.rstrip()
        rows.append(row)
    return rows


def _grid_rows(grids: list[MonthGrid], width: int | None) -> list[Text]:
    """The months as many to a row as ``width`` holds (at least one), rows apart by a blank line, like cal -y."""
    across = len(grids) if width is None else max((width + _GRID_GAP) // (_GRID_WIDTH + _GRID_GAP), 1)
    lines: list[Text] = []
    for first in range(0, len(grids), across):
        lines += [*([Text()] if first else []), *_side_by_side(grids[first : first + across])]
    return lines


def calendar_view(
    grids: list[MonthGrid], default_zone: str, *, display_zone: str, width: int | None = None, quiet: bool = False
) -> RenderableType:
    """Month grids side by side, like ``cal -3``, wrapped into rows to fit ``width``, and below them a legend of
    the marked and unfixed events. A calendar without events is still a calendar: the grids are drawn, and the
    legend says "no events" unless ``quiet`` (output for a pipe or cron, where saying nothing is the answer)."""
    rows: list[tuple[str, Text]] = []
    seen: set[tuple[str, str]] = set()
    for grid in grids:
        listed = [o for day in sorted(grid.days) for o in grid.days[day]]
        for occurrence in [*listed, *grid.vague]:
            key = (occurrence.event.id, occurrence.start.to_text() if occurrence.start else "")
            if key not in seen:
                seen.add(key)
                when = display_span(occurrence.start, occurrence.end, default_zone, display_zone)
                rows.append((when, _event_text(occurrence)))
    if rows:
        legend = [Text(), *_columns(rows, indent=0, width=width)]
    else:
        legend = [] if quiet else [Text(), Text("no events", style="dim")]
    return _lines([*_grid_rows(grids, width), *legend])


def review_table(
    findings: list[Finding], default_zone: str, *, display_zone: str, width: int | None = None
) -> RenderableType:
    """Two lines per finding: the issue, when and the event, then what to do about it."""
    issue_width = max((len(str(f.issue)) for f in findings), default=0)
    rows = []
    for finding in findings:
        event = finding.event
        what = Text(event.title)
        what.append(f"  {event.id}", style="cyan")
        when = display_span(event.start, event.end, default_zone, display_zone)
        rows.append((f"{finding.issue!s:<{issue_width}}  {when}", what, finding.message))
    column = max((len(first) for first, _, _ in rows), default=0)
    if width is not None and column > width - 2 - _LEAST_TEXT:
        column = max(width - 2 - _LEAST_TEXT, 8)
    lines: list[Text] = []
    for first, what, message in rows:
        lines += _columns([(f"{first:<{column}}", what)], indent=0, width=width)
        lines += _indented(Text(message, style="dim"), column + 2, width)
    return _lines(lines)


def _indented(text: Text, indent: int, width: int | None) -> list[Text]:
    pieces = [text] if width is None else _wrap(text, max(width - indent, _LEAST_TEXT))
    return [Text(" " * indent).append_text(piece) for piece in pieces]


DOCUMENT_SCHEMA: Final = 1


def agenda_document(
    groups: list[AgendaGroup], *, today: date, default_zone: str, display_zone: str
) -> dict[str, object]:
    """The stable JSON form of ``agenda``."""
    return {
        "schema": DOCUMENT_SCHEMA,
        "today": today.isoformat(),
        "groups": [
            {
                "day": group.day.isoformat(),
                "label": group.label,
                "relative": group.relative,
                "period": str(group.period) if group.period else None,
                "events": [record(o, default_zone, display_zone=display_zone) for o in group.occurrences],
            }
            for group in groups
        ],
    }


def calendar_document(grids: list[MonthGrid], *, default_zone: str, display_zone: str) -> dict[str, object]:
    """The stable JSON form of ``calendar``: per month, the event ids of each marked day and the events."""
    months = []
    for grid in grids:
        listed = {(o.event.id, o.start): o for occs in grid.days.values() for o in occs}
        months.append(
            {
                "year": grid.year,
                "month": grid.month,
                "days": {str(day): [o.event.id for o in occs] for day, occs in sorted(grid.days.items())},
                "events": [record(o, default_zone, display_zone=display_zone) for o in listed.values()],
                "unfixed": [record(o, default_zone, display_zone=display_zone) for o in grid.vague],
            }
        )
    return {"schema": DOCUMENT_SCHEMA, "months": months}


def review_document(findings: list[Finding], *, default_zone: str, display_zone: str) -> dict[str, object]:
    """The stable JSON form of ``review``."""
    return {
        "schema": DOCUMENT_SCHEMA,
        "findings": [
            {
                "id": f.event.id,
                "title": f.event.title,
                "status": str(f.event.status),
                "when": display_span(f.event.start, f.event.end, default_zone, display_zone),
                "issue": str(f.issue),
                "message": f.message,
            }
            for f in findings
        ],
    }
