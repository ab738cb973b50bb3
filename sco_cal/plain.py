"""The event table as plain text: the same columns as the terminal table, without rich.

rich lays a table out cell by cell, about half a millisecond a row; a pipe, a cron mail or a listing of
thousands of events does not need its colours, and this takes a hundredth of that.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

from sco_cal.dates import display_lines
from sco_cal.query import Occurrence

__all__ = ["event_lines"]

_GAP = "  "


def _cells(occurrence: Occurrence, zones: tuple[str, str | None], with_kind: bool, with_orgs: bool) -> list[list[str]]:
    event = occurrence.event
    when = display_lines(occurrence.start, occurrence.end, *zones)
    if occurrence.repeats:
        when.append("repeats")
    cells = [when, [event.title, "\x00" + event.id]]  # "\x00": the id is folded, never wrapped at a dash
    if with_kind:
        cells.append([str(event.kind)])
    cells += [[str(event.status)], [event.venue.display() if event.venue else ""]]
    if with_orgs:
        cells.append([", ".join(event.orgs)])
    return cells


def _fit(lines: list[str], width: int) -> list[str]:
    fitted: list[str] = []
    for line in lines:
        if line.startswith("\x00"):
            line = line[1:]
            fitted += [line[i : i + width] for i in range(0, len(line), width)] or [""]
        else:
            fitted += textwrap.wrap(line, width, break_on_hyphens=False) or [""]
    return fitted


def event_lines(
    occurrences: list[Occurrence], default_zone: str, *, width: int, rule: str = "─", display_zone: str | None = None
) -> Iterator[str]:
    """The table's lines: a header, a rule, then each event's lines; narrower widths drop the kind (below 120
    columns), then the organisations (below 100), as the terminal table does."""
    with_kind, with_orgs = width >= 120, width >= 100
    headers = ["When", "Event", *(["Kind"] if with_kind else []), "Status", "Where", *(["Orgs"] if with_orgs else [])]
    rows = [_cells(o, (default_zone, display_zone), with_kind, with_orgs) for o in occurrences]
    caps = {"Where": 22, "Orgs": 16}
    widths = [
        min(max([len(h), *(len(line.lstrip("\x00")) for row in rows for line in row[c])]), caps.get(h, 10**6))
        for c, h in enumerate(headers)
    ]
    longest_id = max((len(o.event.id) for o in occurrences), default=10)
    least = max(min(longest_id, 40), 12)  # an id is typed back, so the event column never cuts one short
    for column in (c for c, h in enumerate(headers) if h in caps):  # narrow the places and orgs before the event
        over = sum(widths) - widths[1] + least + len(_GAP) * (len(headers) - 1) - width
        widths[column] = max(widths[column] - max(over, 0), 8)
    others = sum(widths) - widths[1] + len(_GAP) * (len(headers) - 1)
    widths[1] = max(min(widths[1], width - others), least)
    yield _GAP.join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
    yield rule * min(width, sum(widths) + len(_GAP) * (len(headers) - 1))
    for row in rows:
        columns = [_fit(cell, w) for cell, w in zip(row, widths, strict=True)]
        for n in range(max(len(column) for column in columns)):
            parts = [(column[n] if n < len(column) else "").ljust(w) for column, w in zip(columns, widths, strict=True)]
            yield _GAP.join(parts).rstrip()
