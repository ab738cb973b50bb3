"""Repeating events (a yearly anniversary): checking an RRULE and expanding it into dated occurrences."""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from itertools import takewhile
from typing import Final

from dateutil.rrule import rrule, rrulestr

from sco_cal.dates import DateValue, Precision, zone_for
from sco_cal.errors import InvalidInput
from sco_cal.model import Event

__all__ = ["added", "check_rule", "occurrences"]

_ANNIVERSARY: Final = re.compile(r"FREQ=YEARLY(?:;INTERVAL=(\d+))?")
_UNTIL: Final = re.compile(r"UNTIL=(\d{8})(T\d{6})?", re.IGNORECASE)
# A rule with no end in a window of centuries would otherwise be expanded to every one of its occurrences.
MAX_OCCURRENCES: Final = 10_000


def check_rule(text: str) -> str:
    """Return ``text`` when dateutil accepts it as an RRULE (``FREQ=YEARLY``), else raise ``InvalidInput``.

    >>> check_rule("FREQ=YEARLY")
    'FREQ=YEARLY'
    """
    rule = text.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    if "DTSTART" in rule.upper():
        raise InvalidInput("the rule starts at the event's start; leave DTSTART out of it")
    try:
        rrulestr(rule, dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError) as error:
        raise InvalidInput(f"{text!r} is not an RRULE such as FREQ=YEARLY ({error})") from None
    return rule


def _rule(event: Event, near: datetime) -> rrule:
    assert event.start is not None
    assert event.recurrence is not None
    anchor = event.start
    dtstart = datetime(
        anchor.year,
        anchor.month or 1,
        anchor.day or 1,
        anchor.hour or 0,
        anchor.minute or 0,
    )
    rule = rrulestr(_until_whole_day(event), dtstart=_restart(dtstart, event.recurrence, near))
    assert isinstance(rule, rrule)  # check_rule admits a single RRULE, never an RRULE set
    return rule


def occurrences(event: Event, first: date, last: date) -> Iterator[tuple[DateValue, DateValue | None]]:
    """The (start, end) of each occurrence whose start day falls in ``first``..``last`` (inclusive).

    The days are wall-clock days; callers widen the range by a day on each side when zones matter.
    """
    assert event.start is not None
    start = event.start
    length = _length(event)
    lower = datetime.combine(first, datetime.min.time()) - length
    upper = datetime.combine(last, datetime.max.time())
    for count, moment in enumerate(_with_start(event, _moments(event, lower, upper), lower, upper)):
        if count >= MAX_OCCURRENCES:
            return
        if start.precision is Precision.MINUTE:
            occurrence = DateValue.of_time(moment, start.zone)
        else:
            occurrence = DateValue.of_day(moment.date())
        yield occurrence, _shift(event.end, occurrence, start)


def _until_whole_day(event: Event) -> str:
    """The rule, an UNTIL day beside a time read as the whole of that day (dateutil reads its midnight), as
    the export writes it."""
    assert event.start is not None
    assert event.recurrence is not None
    if event.start.precision is not Precision.MINUTE:
        return event.recurrence
    return _UNTIL.sub(lambda m: m[0] if m[2] else f"{m[0]}T235959", event.recurrence)


def _wall(value: DateValue) -> datetime:
    return datetime(value.year, value.month or 1, value.day or 1, value.hour or 0, value.minute or 0)


def _in_zone_of(value: DateValue, start: DateValue) -> datetime:
    """``value``'s wall time where the series' start is, which is where the rule is worked out."""
    if value.zone is None or start.zone is None or value.zone == start.zone or value.precision is Precision.DAY:
        return _wall(value)
    moment = _wall(value).replace(tzinfo=zone_for(value.zone)).astimezone(zone_for(start.zone))
    return moment.replace(tzinfo=None)


def added(event: Event) -> tuple[DateValue, ...]:
    """The occurrences under ``also``; a day beside a series at a time of day is at that time."""
    start = event.start
    if start is None or start.precision is not Precision.MINUTE:
        return event.also
    return tuple(
        DateValue(Precision.MINUTE, v.year, v.month, v.day, start.hour, start.minute, start.zone)
        if v.precision is not Precision.MINUTE
        else v
        for v in event.also
    )


def _with_start(event: Event, moments: Iterator[datetime], lower: datetime, upper: datetime) -> Iterator[datetime]:
    """The rule's starts; the event's own start first when the rule does not give it (a Wednesday start of a
    rule for Mondays), as every client that reads the feed shows it; the dates under ``also``; not those under
    ``except`` (a day leaves out every occurrence on it)."""
    assert event.start is not None
    first = _wall(event.start)
    until = _UNTIL.search(_until_whole_day(event))
    past_until = until is not None and first > datetime.strptime(until[1] + (until[2] or "T000000"), "%Y%m%dT%H%M%S")
    extra = [first] if not past_until else []
    extra += [_in_zone_of(value, event.start) for value in added(event)]
    extra = sorted(moment for moment in extra if lower <= moment <= upper)
    left_out = {_in_zone_of(value, event.start) for value in event.excluded if value.precision is Precision.MINUTE}
    days_out = {value.first_day() for value in event.excluded if value.precision is Precision.DAY}
    previous = None
    for moment in heapq.merge(moments, extra):
        if moment != previous and moment not in left_out and moment.date() not in days_out:
            yield moment
        previous = moment


def _moments(event: Event, lower: datetime, upper: datetime) -> Iterator[datetime]:
    """The series' starts from ``lower`` to ``upper``. A plain anniversary (``FREQ=YEARLY``, perhaps with an
    INTERVAL) is worked out directly; anything else goes to dateutil, which is exact but slow to set up."""
    assert event.start is not None
    assert event.recurrence is not None
    anniversary = _ANNIVERSARY.fullmatch(event.recurrence.upper())
    start = event.start
    if anniversary is None or (start.month, start.day) == (2, 29):
        # lazily, so a caller that wants only the first occurrence of an open window stops there
        yield from takewhile(lambda moment: moment <= upper, _rule(event, lower).xafter(lower, inc=True))
        return
    interval = int(anniversary[1] or 1)
    for year in range(max(lower.year, start.year), upper.year + 1):
        if (year - start.year) % interval == 0:
            moment = datetime(year, start.month or 1, start.day or 1, start.hour or 0, start.minute or 0)
            if lower <= moment <= upper:
                yield moment


def _restart(dtstart: datetime, rule: str, near: datetime) -> datetime:
    """A later start for the same series, a whole number of intervals on and still before ``near``.

    dateutil walks a rule from its start on every query, so an anniversary first held in 1992 costs a loop
    over every year since; starting closer gives the same occurrences. Only rules without COUNT are moved (a
    count depends on where the series starts), and never a 29 February.
    """
    parts = dict(part.split("=", 1) for part in rule.upper().split(";") if "=" in part)
    interval = int(parts.get("INTERVAL", "1"))
    if "COUNT" in parts or (dtstart.month, dtstart.day) == (2, 29) or near <= dtstart:
        return dtstart
    frequency = parts.get("FREQ")
    if frequency == "YEARLY":
        steps = (near.year - dtstart.year) // interval - 1
        return dtstart.replace(year=dtstart.year + steps * interval) if steps > 0 else dtstart
    if frequency == "MONTHLY":
        months = (near.year - dtstart.year) * 12 + near.month - dtstart.month
        steps = months // interval - 1
        if steps <= 0 or dtstart.day > 28:
            return dtstart
        moved = dtstart.month - 1 + steps * interval
        return dtstart.replace(year=dtstart.year + moved // 12, month=moved % 12 + 1)
    unit = {"WEEKLY": timedelta(weeks=1), "DAILY": timedelta(days=1)}.get(frequency or "")
    if unit is None:
        return dtstart
    steps = (near - dtstart) // (unit * interval) - 1
    return dtstart + steps * interval * unit if steps > 0 else dtstart


def _length(event: Event) -> timedelta:
    if event.end is None or event.start is None:
        return timedelta()
    return event.end.first_day() - event.start.first_day()


def _shift(end: DateValue | None, occurrence: DateValue, start: DateValue) -> DateValue | None:
    """Move an end by as much as the occurrence moved from the first start."""
    if end is None or not end.is_fixed:
        return None
    offset = occurrence.first_day() - start.first_day()
    if start.precision is Precision.MINUTE and occurrence.precision is Precision.MINUTE:
        offset = _wall(occurrence) - _wall(start)  # an occurrence under ``also`` may be at another hour
    if end.precision is Precision.MINUTE:
        wall = datetime(end.year, end.month or 1, end.day or 1, end.hour or 0, end.minute or 0) + offset
        return DateValue.of_time(wall, end.zone)
    return DateValue.of_day(end.first_day() + offset)
