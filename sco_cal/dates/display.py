"""How dates are shown to people: a start and end as one phrase, the clock within a day, and how far a moment is
from now in words (``in 3 days``). Days, months and years are never shifted to another zone; nothing is shown to
a precision the source did not give.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Final

from sco_cal.dates.values import DateValue, Precision
from sco_cal.dates.zones import MONTH_ABBR, clock_text, day_text, month_year, same_clock, seen, zone_for, zone_label

__all__ = ["display_lines", "display_span", "relative", "relative_days", "time_of_day"]


def time_of_day(
    start: DateValue, end: DateValue | None, default_zone: str = "UTC", display_zone: str | None = None
) -> str | None:
    """The clock part of a time, or of a time range within one day as the viewer sees it:
    ``'06:00-08:00 MSK (10 Jun 23:00-01:00 EDT)'``. ``None`` when there is no such clock (a day, or a range
    that crosses the viewer's midnight).

    >>> time_of_day(DateValue.from_text("2020-06-10 10:00 UTC"), None, "UTC", "Europe/Moscow")
    '13:00 MSK (10:00 UTC)'
    """
    if start.precision is not Precision.MINUTE:
        return None
    first, first_own = seen(start.local_time(default_zone), display_zone)
    if end is None or end == start:
        return clock_text(first, first_own, None, None)
    return _clock_to(first, first_own, end, default_zone, display_zone)


def _clock_to(
    first: datetime, first_own: datetime, end: DateValue, default_zone: str, display_zone: str | None
) -> str | None:
    """``time_of_day`` of a start already seen (``first``, ``first_own``) and a different end."""
    if end.precision is not Precision.MINUTE:
        return None
    last, last_own = seen(end.local_time(default_zone), display_zone)
    if last.date() != first.date() or zone_label(last) != zone_label(first):
        return None
    return clock_text(first, first_own, last, last_own)


def display_span(
    start: DateValue | None, end: DateValue | None, default_zone: str = "UTC", display_zone: str | None = None
) -> str:
    """Display a start and optional end as one phrase, sharing what the two have in common. Times are shown in
    ``display_zone`` when it is given (see ``DateValue.display``).

    >>> display_span(DateValue.from_text("2019-10-31"), DateValue.from_text("2019-11-01"))
    '31 Oct - 1 Nov 2019'
    >>> display_span(DateValue.from_text("2020-06"), DateValue.from_text("2020-07"))
    'Jun - Jul 2020 (dates TBC)'
    """
    if start is None:
        return "date unknown"
    if end is None:
        return start.display(default_zone, display_zone)
    if end == start:
        return _whole(start, default_zone, display_zone)
    kinds = (start.precision, end.precision)
    if start.part is not None and end.part is not None and start.year == end.year and kinds[0] is kinds[1]:
        return f"{start.label(with_year=False)} - {end.label()} (dates TBC)"
    if kinds == (Precision.DAY, Precision.DAY):
        return _day_range(start.first_day(), end.first_day())
    if kinds == (Precision.MONTH, Precision.MONTH):
        left = MONTH_ABBR[(start.month or 1) - 1] + ("" if start.year == end.year else f" {start.year}")
        return f"{left} - {month_year(end.year, end.month)} (dates TBC)"
    if kinds == (Precision.YEAR, Precision.YEAR):
        return f"{start.year}-{end.year} (TBC)"
    if kinds == (Precision.MINUTE, Precision.MINUTE):
        first, first_own = seen(start.local_time(default_zone), display_zone)
        if clock := _clock_to(first, first_own, end, default_zone, display_zone):
            return f"{day_text(first.date())} {clock}"
    return f"{start.display(default_zone, display_zone)} - {end.display(default_zone, display_zone)}"


def _whole(start: DateValue, default_zone: str, display_zone: str | None) -> str:
    """``display_span`` of a value that is its own end."""
    if start.precision is Precision.YEAR:
        return f"{start.year} (all year)"
    if start.precision is Precision.MONTH:
        return f"{month_year(start.year, start.month)} (all month)"
    if start.part is not None:
        return f"{start.label()} ({_WHOLE.get(start.precision, 'throughout')})"
    return start.display(default_zone, display_zone)


# what a part that is its own end ("all of Q3 2020") says; a part of a year or month says "(throughout)"
_WHOLE: Final = {Precision.QUARTER: "all quarter", Precision.HALF: "all half", Precision.SEASON: "all season"}


def display_lines(
    start: DateValue | None, end: DateValue | None, default_zone: str = "UTC", display_zone: str | None = None
) -> list[str]:
    """``display_span`` for a narrow column: the time as the viewer sees it, then, where the clock differs, the
    event's own local time in parentheses on a line of its own.

    >>> display_lines(DateValue.from_text("2020-06-10 23:00 America/New_York"), None, "UTC", "Europe/Moscow")
    ['11 Jun 2020 06:00 MSK', '(10 Jun 2020 23:00 EDT)']
    """
    full = display_span(start, end, default_zone, display_zone)
    if start is None or display_zone is None:
        return [full]
    shown_end = end.in_zone(default_zone, display_zone) if end else None
    bare = display_span(start.in_zone(default_zone, display_zone), shown_end, default_zone)
    if bare == full or _own_clock(start, default_zone, display_zone):
        return [full]
    return [bare, f"({display_span(start, end, default_zone)})"]


def _own_clock(start: DateValue, default_zone: str, display_zone: str) -> bool:
    """Whether a time reads the same on the viewer's clock as on its own: ``full`` has nothing to add then."""
    if start.precision is not Precision.MINUTE:
        return True
    return same_clock(*seen(start.local_time(default_zone), display_zone))


def _day_range(first: date, last: date) -> str:
    if first.year != last.year:
        return f"{day_text(first)} - {day_text(last)}"
    if first.month != last.month:
        return f"{day_text(first, with_year=False)} - {day_text(last)}"
    return f"{first.day}-{day_text(last)}"


def relative(start: datetime, now: datetime, *, whole_days: bool, zone: str) -> str:
    """How far ``start`` is from ``now`` in words: ``today``, ``in 3 days``, ``in 2 hours``, ``5 days ago``.

    Whole-day events count calendar days in ``zone``; timed events round the elapsed time.

    >>> now = datetime(2030, 3, 9, 7, 30, tzinfo=UTC)
    >>> relative(datetime(2030, 3, 12, tzinfo=UTC), now, whole_days=True, zone="UTC")
    'in 3 days'
    >>> relative(datetime(2030, 3, 9, 9, 30, tzinfo=UTC), now, whole_days=False, zone="UTC")
    'in 2 hours'
    """
    if whole_days:
        tz = zone_for(zone)
        return relative_days((start.astimezone(tz).date() - now.astimezone(tz).date()).days)
    seconds = (start.astimezone(UTC) - now.astimezone(UTC)).total_seconds()
    size = abs(seconds)
    for unit, length in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if size >= 2 * length or (unit == "minute" and size >= length):
            amount = round(size / length)
            words = f"{amount} {unit}{'s' if amount != 1 else ''}"
            return f"in {words}" if seconds > 0 else f"{words} ago"
    return "now"


def relative_days(days: int) -> str:
    """A count of calendar days in words.

    >>> [relative_days(n) for n in (-2, -1, 0, 1, 3)]
    ['2 days ago', 'yesterday', 'today', 'tomorrow', 'in 3 days']
    """
    named = {0: "today", 1: "tomorrow", -1: "yesterday"}
    if days in named:
        return named[days]
    return f"in {days} days" if days > 0 else f"{-days} days ago"
