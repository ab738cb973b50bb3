"""The event table as plain text: the same columns as the terminal table, without rich.

rich lays a table out cell by cell, about half a millisecond a row; a pipe, a cron mail or a listing of
thousands of events does not need its colours, and this takes a hundredth of that.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator

from sco_cal.dates import display_lines
from sco_cal.query import Occurrence

__all__ = ["DROP_ORDER", "Column", "event_columns", "event_lines", "fit_columns", "id_lines"]

_GAP = "  "


def _cells(occurrence: Occurrence, default_zone: str, display_zone: str | None) -> dict[str, list[str]]:
    event = occurrence.event
    when = display_lines(occurrence.start, occurrence.end, default_zone, display_zone)
    if occurrence.repeats:
        when.append("repeats")
    return {
        "When": when,
        "Event": [event.title, "\x00" + event.id],  # "\x00": the id, broken only after its dashes (``id_lines``)
        "Kind": [str(event.kind)],
        "Status": [str(event.status)],
        "Where": [event.venue.display() if event.venue else ""],
        "Orgs": [", ".join(event.orgs)],
    }


def _fit(lines: list[str], width: int) -> list[str]:
    fitted: list[str] = []
    for line in lines:
        if line.startswith("\x00"):
            fitted += id_lines(line[1:], width)
        else:
            fitted += textwrap.wrap(line, width, break_on_hyphens=False) or [""]
    return fitted


def id_lines(event_id: str, width: int) -> list[str]:
    """An id in a column of ``width``: whole when it fits, else broken after a dash, each line ending in its
    dash so the id reads back by joining the lines; only a part between dashes wider than the column folds.

    >>> id_lines("sco-cis-csto-defence-chiefs-2020-06", 19)
    ['sco-cis-csto-', 'defence-chiefs-', '2020-06']
    >>> id_lines("peace-mission-2020", 6)
    ['peace-', 'missio', 'n-2020']
    """
    if len(event_id) <= width:
        return [event_id]
    width = max(width, 1)
    lines = [""]
    for part in re.findall(r"[^-]*-+|[^-]+", event_id):
        if lines[-1] and len(lines[-1]) + len(part) > width:
            lines.append("")
        lines[-1] += part
        while len(lines[-1]) > width:
            lines[-1:] = [lines[-1][:width], lines[-1][width:]]
    return lines


class Column:
    """A column's needs: its header, its widest line (capped), the width it keeps while other columns are
    dropped, and its longest word."""

    # a plain class: a dataclass would generate and compile its methods on every run that lists events
    __slots__ = ("header", "least", "natural", "word")

    def __init__(self, header: str, natural: int, least: int, word: int) -> None:
        self.header, self.natural, self.least, self.word = header, natural, least, word


# Which column gives way first when the width is short: the kind, then the organisations, the status, the place.
DROP_ORDER = ("Kind", "Where", "Orgs", "Status")  # who meets outlasts where: these readers follow organisations
_CAPS = {"Where": 22, "Orgs": 16}
_EVENT_AT_LEAST = 16  # below this a title reads a word a line: the date column wraps first
_FLEXIBLE = "Event"
_ALWAYS = ("When", "Event")


def event_columns(
    occurrences: list[Occurrence], default_zone: str, width: int, display_zone: str | None = None
) -> list[Column]:
    """The columns the table may show at ``width``: the kind only from 120 columns; a column empty in every row
    never, since it would only take room from the titles."""
    headers = ["When", "Event", *(["Kind"] if width >= 120 else []), "Status", "Where", "Orgs"]
    rows = [_cells(o, default_zone, display_zone) for o in occurrences]
    columns = {header: [line for row in rows for line in row[header]] for header in headers}
    return [_column(header, lines) for header, lines in columns.items() if header in _ALWAYS or any(lines)]


def _column(header: str, lines: list[str]) -> Column:
    cap = _CAPS.get(header, 10**6)
    natural = min(max([len(header), *(len(line.lstrip("\x00")) for line in lines)]), cap)
    if header == _FLEXIBLE:  # an id is typed back, so the column keeps the longest one whole when it can
        ids = [len(line) - 1 for line in lines if line.startswith("\x00")]
        return Column(header, natural, min(max(ids, default=10), 40, natural), len(header))
    word = min(max([len(header), *(len(word) for line in lines for word in line.split())]), natural)
    return Column(header, natural, natural if header == "When" else word, word)


def fit_columns(columns: list[Column], width: int, gap: int) -> list[tuple[str, int]]:
    """Each kept column's header and width, all of them with gaps within ``width`` when that can be done.

    Columns are dropped in ``DROP_ORDER`` until the rest fit at their least; the spare width then goes to every
    column but the event's, up to its widest line, and the event's column takes what is left.
    """
    kept = list(columns)
    for header in DROP_ORDER:
        if _needed(kept, gap) <= width:
            break
        kept = [column for column in kept if column.header != header]
    widths = {column.header: column.least for column in kept}
    spare = width - _needed(kept, gap)
    if spare < 0:
        widths.update(_squeezed(kept, width, gap))
        spare = 0
    for column in sorted(kept, key=lambda column: column.header == _FLEXIBLE):
        grow = max(min(spare, column.natural - widths[column.header]), 0)
        widths[column.header] += grow
        spare -= grow
    return [(column.header, widths[column.header]) for column in kept]


def _needed(columns: list[Column], gap: int) -> int:
    return sum(column.least for column in columns) + gap * (len(columns) - 1)


def _squeezed(kept: list[Column], width: int, gap: int) -> dict[str, int]:
    """Only the date and the event are left and they do not fit whole: the date wraps at its spaces so the
    event keeps its ids whole, else a readable width (an id longer than that folds)."""
    room = width - gap * (len(kept) - 1)
    when, event = kept[0], kept[1]
    for event_width in (event.least, _EVENT_AT_LEAST):
        if room - event_width >= when.word:
            when_width = min(when.natural, room - event_width)
            return {"When": when_width, _FLEXIBLE: room - when_width}
    when_width = max(min(when.word, room // 2), 1)
    return {"When": when_width, _FLEXIBLE: max(room - when_width, 1)}


def event_lines(
    occurrences: list[Occurrence], default_zone: str, *, width: int, rule: str = "─", display_zone: str | None = None
) -> Iterator[str]:
    """The table's lines: a header, a rule, then each event's lines, every one within ``width`` (columns give
    way in ``DROP_ORDER``); the terminal table makes the same choices."""
    layout = fit_columns(event_columns(occurrences, default_zone, width, display_zone), width, len(_GAP))
    headers = [header for header, _ in layout]
    widths = [w for _, w in layout]
    rows = [
        [cells[header] for header in headers] for cells in (_cells(o, default_zone, display_zone) for o in occurrences)
    ]
    yield _GAP.join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
    yield rule * min(width, sum(widths) + len(_GAP) * (len(headers) - 1))
    for row in rows:
        columns = [_fit(cell, w) for cell, w in zip(row, widths, strict=True)]
        for n in range(max(len(column) for column in columns)):
            parts = [(column[n] if n < len(column) else "").ljust(w) for column, w in zip(columns, widths, strict=True)]
            yield _GAP.join(parts).rstrip()
