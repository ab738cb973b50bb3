"""Rich renderables for ``remind``, ``agenda``, ``calendar`` and ``review``. Nothing here prints.

Off a terminal rich drops the styles, so every mark that carries meaning is also a character (``*`` on a day
with events), never colour alone.
"""

from __future__ import annotations

import textwrap
from datetime import datetime

from rich.console import RenderableType
from rich.text import Text

from sco_cal.agenda import AgendaGroup, Finding, MonthGrid
from sco_cal.dates import Precision, display_span
from sco_cal.model import Status
from sco_cal.query import Occurrence
from sco_cal.reminders import Due, describe

__all__ = ["agenda_view", "calendar_view", "reminder_block", "review_table"]

_GRID_WIDTH = 27  # seven 3-character cells and six spaces, as cal(1) draws a month


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


def _agenda_when(occurrence: Occurrence, default_zone: str) -> str:
    start, end = occurrence.start, occurrence.end
    assert start is not None
    if start.precision is Precision.MINUTE and (end is None or end.first_day() == start.first_day()):
        clock = f"{start.hour:02d}:{start.minute:02d}"
        if end is not None and end.precision is Precision.MINUTE:
            clock += f"-{end.hour:02d}:{end.minute:02d}"
        return f"{clock} {start.zone_label(default_zone)}"
    if start.precision is Precision.DAY and (end is None or end == start):
        return "all day"
    return display_span(start, end, default_zone)


def _event_text(occurrence: Occurrence) -> Text:
    event = occurrence.event
    text = Text(event.title, style="strike" if event.status is Status.CANCELLED else "")
    if event.status not in (Status.SCHEDULED, Status.PLANNED) or (event.status is Status.PLANNED and occurrence.fixed):
        text.append(f" ({event.status})", style="magenta")
    text.append(f"  {event.id}", style="cyan")
    return text


def _columns(rows: list[tuple[str, Text]], indent: int = 2) -> list[Text]:
    """Lines of "when  what" with the first column padded to its widest cell; no trailing spaces, so a cron mail
    or a golden file holds exactly what a person sees."""
    width = max((len(when) for when, _ in rows), default=0)
    return [Text(" " * indent + f"{when:<{width}}  ").append_text(what) for when, what in rows]


def _lines(parts: list[Text]) -> Text:
    return Text("\n").join(parts)


def agenda_view(groups: list[AgendaGroup], default_zone: str) -> RenderableType:
    """The coming days, one heading per day (or per "sometime in ..." period) and a line per event."""
    parts: list[Text] = []
    for group in groups:
        heading = Text(group.label, style="bold" if group.period is None else "bold italic")
        heading.append(f"  ({group.relative})", style="dim")
        rows = [(_agenda_when(o, default_zone), _event_text(o)) for o in group.occurrences]
        parts += [heading, *_columns(rows)]
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
                row.append(" " * (_GRID_WIDTH - len(cell) + 3))
        row.rstrip()
        rows.append(row)
    return rows


def calendar_view(grids: list[MonthGrid], default_zone: str) -> RenderableType:
    """Month grids side by side, like ``cal -3``, and below them a legend of the marked and unfixed events."""
    rows: list[tuple[str, Text]] = []
    seen: set[tuple[str, str]] = set()
    for grid in grids:
        listed = [o for day in sorted(grid.days) for o in grid.days[day]]
        for occurrence in [*listed, *grid.vague]:
            key = (occurrence.event.id, occurrence.start.to_text() if occurrence.start else "")
            if key not in seen:
                seen.add(key)
                rows.append((display_span(occurrence.start, occurrence.end, default_zone), _event_text(occurrence)))
    legend = _columns(rows, indent=0) if rows else [Text("no events", style="dim")]
    return _lines([*_side_by_side(grids), Text(), *legend])


def review_table(findings: list[Finding], default_zone: str, *, width: int = 10**6) -> RenderableType:
    """Per finding: the issue, when and the event, then what to do about it, wrapped at spaces within ``width``.

    Where the issue and date leave too little room beside them, the event and the advice go below, indented.
    """
    issue_width = max((len(str(f.issue)) for f in findings), default=0)
    heads = [f"{finding.issue!s:<{issue_width}}  {display_span(finding.event.start, finding.event.end, default_zone)}"
             for finding in findings]  # fmt: skip
    column = max((len(head) for head in heads), default=0) + 2
    beside = column + _REVIEW_READABLE <= width
    indent = column if beside else 2
    lines: list[Text] = []
    for head, finding in zip(heads, findings, strict=True):
        event = finding.event
        what = [Text(line) for line in _wrap(f"{event.title}  {event.id}", width - indent)]
        what[-1].highlight_words([event.id], style="cyan")
        if beside:
            lines.append(Text(head.ljust(column)).append_text(what.pop(0)))
        else:
            lines += [Text(line) for line in _wrap(head, width)]
        lines += [Text(" " * indent).append_text(line) for line in what]
        lines += [Text(" " * indent + line, style="dim") for line in _wrap(finding.message, width - indent)]
    return _lines(lines)


_REVIEW_READABLE = 30  # the least room for a title beside the issue and the date


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, max(width, 1), break_on_hyphens=False) or [""]
