"""The data behind ``agenda``, ``calendar`` and ``review``: day groups, month grids and review findings.

Pure: every function takes ``today`` or ``now`` and the zones; ``sco_cal.output.agenda`` draws the results and
writes their JSON documents.
"""

from __future__ import annotations

import calendar as _calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Final

from sco_cal.dates import MONTH_ABBR, Precision, Window, display_span, relative, relative_days, zone_for
from sco_cal.model import Event, Status
from sco_cal.query import Filters, Occurrence, select, stale

__all__ = [
    "AgendaGroup",
    "Finding",
    "Issue",
    "MonthGrid",
    "agenda",
    "month_grid",
    "months_from",
    "review",
]

_MARK: Final = r"\s*\((?:dates?\s+)?TBC\)"
_MONTH_NAMES: Final = tuple(_calendar.month_name[1:])
_DAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
UNFIXED_NOTICE: Final = timedelta(days=31)


@dataclass(slots=True)
class AgendaGroup:
    """Events that share a day, or that may fall any day of a month or year (``period`` is set then)."""

    day: date
    label: str
    relative: str
    period: Precision | None = None
    occurrences: list[Occurrence] = field(default_factory=list)


def _period_label(occurrence: Occurrence) -> tuple[Precision, str]:
    start, end = occurrence.start, occurrence.end
    assert start is not None
    if end is not None and end != start:  # named whole: its start's period alone may be over while it is not
        return start.precision, f"sometime in {re.sub(_MARK, '', display_span(start, end))}"
    if start.precision is Precision.MONTH:
        return Precision.MONTH, f"sometime in {_MONTH_NAMES[(start.month or 1) - 1]} {start.year}"
    if start.part is not None:  # "sometime in Q3 2020", "sometime in early June 2020"
        month = (start.month or 1) - 1
        return start.precision, f"sometime in {start.label().replace(MONTH_ABBR[month], _MONTH_NAMES[month])}"
    return Precision.YEAR, f"sometime in {start.year}"


def _day_label(day: date) -> str:
    return f"{_DAY_NAMES[day.weekday()]} {day.day} {MONTH_ABBR[day.month - 1]} {day.year}"


def agenda(occurrences: Iterable[Occurrence], *, today: date, zone: str) -> list[AgendaGroup]:
    """Group occurrences by the day they start (shown once, with their span), vague ones by their month or year.

    An event under way since before ``today`` is listed under today. Groups come in date order; on one day,
    exact events come before "sometime in ..." groups. A period begun by ``today`` is listed under today, and
    periods on one day come in the order they close: mid-2020 (May to August) before Q3 2020, a month before the
    year around it, Q3 2020 before Q3 - Q4 2020; on a tie, finer before coarser.

    >>> from sco_cal.dates import DateValue
    >>> june = DateValue.from_text("2020-06")
    >>> groups = agenda([Occurrence(Event("x", "X"), june, None, None)], today=date(2020, 5, 25), zone="UTC")
    >>> [(g.label, g.relative) for g in groups]
    [('sometime in June 2020', 'in 7 days at the earliest')]
    """
    groups: dict[tuple[date, int, date, int, str], AgendaGroup] = {}
    for occurrence in occurrences:
        if occurrence.start is None:
            continue
        first = occurrence.start.first_day()
        if occurrence.span is not None and occurrence.start.hour is not None:
            first = occurrence.span.start.astimezone(zone_for(zone)).date()  # the viewer's day, not the venue's
        anchor = max(first, today)
        whole_period = occurrence.end == occurrence.start
        if occurrence.start.is_fixed or whole_period:
            key = (anchor, 0, anchor, 0, "")
            if key not in groups:
                groups[key] = AgendaGroup(anchor, _day_label(anchor), _days_from(anchor, today))
        else:
            precision, label = _period_label(occurrence)
            last = (occurrence.end or occurrence.start).last_day()
            key = (anchor, 1, last, Precision.DAY.rank - precision.rank, label)
            if key not in groups:
                when = _days_from(first, today) + " at the earliest" if first > today else "date not fixed yet"
                groups[key] = AgendaGroup(first, label, when, precision)
        groups[key].occurrences.append(occurrence)
    return [groups[key] for key in sorted(groups)]


def _days_from(day: date, today: date) -> str:
    return relative_days((day - today).days)


@dataclass(frozen=True, slots=True)
class MonthGrid:
    """One month as ``cal`` draws it (weeks from Monday; 0 is a blank cell), which days have events, and the
    events of the month: ``days`` maps a day to the occurrences on it, ``vague`` holds the month's unfixed ones."""

    year: int
    month: int
    weeks: list[list[int]]
    days: dict[int, list[Occurrence]]
    vague: list[Occurrence]
    today: int | None

    @property
    def title(self) -> str:
        return f"{_MONTH_NAMES[self.month - 1]} {self.year}"


def month_grid(
    events: Iterable[Event], year: int, month: int, *, today: date, floating_zone: str, default_zone: str
) -> MonthGrid:
    """The grid of one month with its events' days marked.

    A certain span marks every day it covers: a fixed event, and all of a period shorter than a year ("Q3 2020
    (all quarter)", "Jun 2020 (all month)"). An event filling a whole year ("2020 (all year)") and an event
    whose date is not fixed yet go to ``vague`` instead, so one presidency does not mark every day of a year.
    """
    zone = zone_for(floating_zone)
    first = date(year, month, 1)
    last = date(year, month, _calendar.monthrange(year, month)[1])
    found = select(
        events,
        Filters(window=Window.of_days(first, last, zone)),
        floating_zone=floating_zone,
        default_zone=default_zone,
    )
    days: dict[int, list[Occurrence]] = {}
    vague: list[Occurrence] = []
    for occurrence in found:
        start = occurrence.start
        if start is None or occurrence.span is None or not (start.is_fixed or _whole_part(occurrence)):
            vague.append(occurrence)
            continue
        begin = occurrence.span.start.astimezone(zone).date()
        end = (occurrence.span.end - timedelta(microseconds=1)).astimezone(zone).date()
        day = max(begin, first)
        while day <= min(max(end, begin), last):
            days.setdefault(day.day, []).append(occurrence)
            day += timedelta(days=1)
    weeks = _calendar.Calendar(firstweekday=0).monthdayscalendar(year, month)
    return MonthGrid(year, month, weeks, days, vague, today.day if (today.year, today.month) == (year, month) else None)


def _whole_part(occurrence: Occurrence) -> bool:
    """Whether the occurrence fills all of a period shorter than a year: a span as certain as a fixed one."""
    start = occurrence.start
    return start is not None and occurrence.end == start and start.precision is not Precision.YEAR


def months_from(year: int, month: int, count: int) -> list[tuple[int, int]]:
    """``count`` consecutive (year, month) pairs from the given one.

    >>> months_from(2020, 11, 3)
    [(2020, 11), (2020, 12), (2021, 1)]
    """
    index = year * 12 + month - 1
    return [(i // 12, i % 12 + 1) for i in range(index, index + count)]


class Issue(StrEnum):
    """Why an event needs a person's attention."""

    STALE = "stale"  # planned, whole possible span past, not marked held/postponed/cancelled
    NOT_HELD = "not-held"  # scheduled, in the past, not marked held
    UNFIXED_SOON = "unfixed-soon"  # month or year date within a month of its earliest start
    NO_SOURCE = "no-source"


_ISSUE_TEXT: Final = {
    Issue.STALE: "planned, its whole possible span is past; mark it held, postponed or cancelled",
    Issue.NOT_HELD: "scheduled and past; mark it held (or postponed, cancelled)",
    Issue.UNFIXED_SOON: "the date is still not fixed and the earliest start is {until}",
    Issue.NO_SOURCE: "no source; add one with --source",
}


@dataclass(frozen=True, slots=True)
class Finding:
    event: Event
    issue: Issue
    message: str


def review(events: Iterable[Event], *, now: datetime, floating_zone: str, default_zone: str) -> list[Finding]:
    """What needs attention, in the order the issues are listed in ``Issue``, then by date."""
    events = list(events)
    found: list[Finding] = []
    for event in stale(events, now=now, floating_zone=floating_zone, default_zone=default_zone):
        issue = Issue.STALE if event.status is Status.PLANNED else Issue.NOT_HELD
        found.append(Finding(event, issue, _ISSUE_TEXT[issue]))
    for event in events:
        span = event.span(floating_zone, default_zone)
        if (
            event.start is not None
            and span is not None
            and not event.start.is_fixed
            and event.end != event.start
            and event.status in (Status.PLANNED, Status.SCHEDULED)
            and span.start - UNFIXED_NOTICE <= now < span.end
        ):
            if span.start > now:
                message = _ISSUE_TEXT[Issue.UNFIXED_SOON].format(
                    until=relative(span.start, now, whole_days=True, zone=floating_zone)
                )
            else:
                message = f"the date is still not fixed, and its period began on {_day_label(event.start.first_day())}"
            found.append(Finding(event, Issue.UNFIXED_SOON, message))
        if not event.sources:
            found.append(Finding(event, Issue.NO_SOURCE, _ISSUE_TEXT[Issue.NO_SOURCE]))
    order = list(Issue)
    zone = zone_for(floating_zone)
    found.sort(key=lambda f: (order.index(f.issue), _start_key(f.event, zone, default_zone), f.event.id))
    return found


def _start_key(event: Event, zone: tzinfo, default_zone: str) -> date:
    """The day an event starts as the viewer sees it (a time's day shifts with the zone; a day does not)."""
    if event.start is None:
        return date.max
    if event.start.precision is Precision.MINUTE:
        return event.start.earliest(zone, default_zone).astimezone(zone).date()
    return event.start.first_day()
