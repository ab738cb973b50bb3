"""Dates known to a precision: the storage grammar, the span a value may cover, and honest display.

A ``DateValue`` is what a source said: a year (``2020``), a month (``2020-06``), a day (``2019-10-31``) or a time
in a zone (``2019-10-31 10:00 Europe/Moscow``). Nothing here ever adds precision the source did not give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from enum import StrEnum
from functools import cache
from typing import Final

from sco_cal.errors import AmbiguousDate, InvalidInput
from sco_cal.pickling import quick_pickle

__all__ = [
    "MONTH_ABBR",
    "DateValue",
    "Precision",
    "Span",
    "Window",
    "abbreviation_refused",
    "display_lines",
    "display_span",
    "is_abbreviation",
    "time_of_day",
    "zone_for",
]

MONTH_ABBR: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


class Precision(StrEnum):
    """How much of a date the source gave, coarsest first."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    MINUTE = "minute"

    @property
    def rank(self) -> int:
        return _PRECISION_RANK[self]

    @property
    def is_fixed(self) -> bool:
        """Whether a value of this precision names a certain day (or time), not a period it lies in."""
        return self in (Precision.DAY, Precision.MINUTE)


_PRECISION_RANK: Final = {p: i for i, p in enumerate(Precision)}

_YEAR_RE: Final = re.compile(r"\d{4}")
_MONTH_RE: Final = re.compile(r"(\d{4})-(\d{2})")
_DAY_RE: Final = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME_RE: Final = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?"
    r"(?:(Z)|([+-]\d{2}:?\d{2})|\s+([A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*))?"
)
_OFFSET_RE: Final = re.compile(r"([+-])(\d{2}):?(\d{2})")


@cache
def zone_for(name: str) -> tzinfo:
    """Return the tzinfo for an IANA name, ``UTC`` or a fixed offset such as ``+03:00``.

    Raises:
        InvalidInput: For a name the time zone database does not know.

    >>> zone_for("+03:00").utcoffset(None)
    datetime.timedelta(seconds=10800)
    """
    if name in ("UTC", "GMT", "Z"):
        return UTC
    if is_abbreviation(name):
        raise InvalidInput(abbreviation_refused(name))
    offset = _OFFSET_RE.fullmatch(name)
    if offset:
        sign, hours, minutes = offset.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        if delta >= timedelta(hours=24):
            raise InvalidInput(f"offset {name!r} is out of range; offsets run from -23:59 to +23:59")
        return timezone(-delta if sign == "-" else delta)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # here: --help and offset-only runs never need it

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"unknown time zone {name!r}; use an IANA name such as Europe/Moscow, or UTC, or an offset like +03:00"
        ) from None


# The zone each common abbreviation is usually meant for; others are found by looking through the database.
_USUAL_ZONES: Final = {
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage",
    "AKDT": "America/Anchorage",
    "HST": "Pacific/Honolulu",
    "BST": "Europe/London",
    "IST": "Asia/Kolkata",
    "CET": "Europe/Paris",
    "CEST": "Europe/Paris",
    "EET": "Europe/Athens",
    "EEST": "Europe/Athens",
    "WET": "Europe/Lisbon",
    "WEST": "Europe/Lisbon",
    "MSK": "Europe/Moscow",
    "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul",
    "HKT": "Asia/Hong_Kong",
    "PKT": "Asia/Karachi",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
    "ACST": "Australia/Adelaide",
    "AWST": "Australia/Perth",
    "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland",
    "SAST": "Africa/Johannesburg",
    "EAT": "Africa/Nairobi",
    "WAT": "Africa/Lagos",
    "CAT": "Africa/Maputo",
}


def is_abbreviation(name: str) -> bool:
    """Whether ``name`` is a zone abbreviation (``EST``, ``MSK``) rather than a zone: the time zone database
    keeps a few (``EST``, ``CET``) as fixed or European rules that seldom match what the writer meant, so sco-cal
    reads none of them as a zone. ``UTC``, ``GMT`` and ``Z`` are zones."""
    return name.isascii() and name.isalpha() and name.isupper() and 2 <= len(name) <= 5 and name not in ("UTC", "GMT")


def abbreviation_refused(name: str) -> str:
    """The message for an abbreviation sco-cal cannot take as a zone, naming the IANA zones it usually means."""
    zones = _zones_abbreviated(name.upper())
    if not zones:
        return f"unknown time zone {name!r}; use an IANA name such as Europe/Moscow, or UTC, or an offset like +03:00"
    return f"{name} is an abbreviation, not a zone; write the zone's IANA name, e.g. {' or '.join(zones)}"


def _zones_abbreviated(name: str) -> list[str]:
    """Up to three IANA zones that use the abbreviation ``name`` in winter or in summer."""
    usual = _USUAL_ZONES.get(name)
    if usual is not None:
        return [usual]
    from zoneinfo import ZoneInfo, available_timezones  # only on this error path: reading them all is slow

    found = []
    for key in sorted(available_timezones()):
        if "/" not in key or key.startswith(("Etc/", "SystemV/", "US/", "posix", "right")):
            continue
        zone = ZoneInfo(key)
        if any(datetime(2024, month, 15, 12, tzinfo=zone).tzname() == name for month in (1, 7)):
            found.append(key)
    return found[:3]


def _check_zone(name: str) -> str:
    zone_for(name)
    return name


def _normalise_offset(text: str) -> str:
    sign, hours, minutes = _OFFSET_RE.fullmatch(text).groups()  # type: ignore[union-attr]  # caller matched it
    return f"{sign}{hours}:{minutes}"


@quick_pickle
@dataclass(frozen=True, slots=True, order=False)
class DateValue:
    """A date known to a given precision, e.g. ``2020-06`` (month) or ``2019-10-31 10:00 Europe/Moscow``.

    ``zone`` is set only for times: an IANA name, ``UTC``, or an offset such as ``+03:00``; ``None`` means the
    registry's default zone. Days, months and years float: they are the same calendar days for every viewer.
    """

    precision: Precision
    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    zone: str | None = None

    def __post_init__(self) -> None:
        # not 9999: the end of a value is the midnight after it, and the day after 9999-12-31 has no datetime
        if not 1 <= self.year <= LAST_YEAR:
            raise InvalidInput(f"year {self.year} is out of range 1-{LAST_YEAR}")
        if self.precision.rank >= Precision.MONTH.rank and not (self.month and 1 <= self.month <= 12):
            raise InvalidInput(f"{self.year:04d}-{self.month or 0:02d} is not a month (01-12)")
        if self.precision.rank >= Precision.DAY.rank:
            try:
                date(self.year, self.month or 0, self.day or 0)
            except ValueError:
                raise InvalidInput(
                    f"{self.year:04d}-{self.month:02d}-{self.day or 0:02d} is not a day in the calendar"
                ) from None
        if self.precision is Precision.MINUTE:
            if self.hour is None or self.minute is None or not (0 <= self.hour < 24 and 0 <= self.minute < 60):
                raise InvalidInput(f"{self.hour:02d}:{self.minute:02d} is not a time of day (00:00-23:59)")
            if self.zone is not None:
                _check_zone(self.zone)
        elif self.zone is not None or self.hour is not None or self.minute is not None:
            raise InvalidInput("only a value with a time of day can carry a time zone")

    # --- construction -------------------------------------------------------------------------------

    @classmethod
    def of_year(cls, year: int) -> DateValue:
        return cls(Precision.YEAR, year)

    @classmethod
    def of_month(cls, year: int, month: int) -> DateValue:
        return cls(Precision.MONTH, year, month)

    @classmethod
    def of_day(cls, day: date) -> DateValue:
        return cls(Precision.DAY, day.year, day.month, day.day)

    @classmethod
    def of_time(cls, moment: datetime, zone: str | None) -> DateValue:
        """A time to the minute; ``moment`` is read as wall time in ``zone``."""
        return cls(
            Precision.MINUTE,
            moment.year,
            moment.month,
            moment.day,
            moment.hour,
            moment.minute,
            zone,
        )

    @classmethod
    def from_text(cls, text: str) -> DateValue:
        """Parse the storage grammar, the forms a registry file holds.

        Raises:
            InvalidInput: With a message saying which forms are accepted.

        >>> DateValue.from_text("2020-06").precision
        <Precision.MONTH: 'month'>
        >>> DateValue.from_text("2019-10-31T10:00:00+03:00").to_text()
        '2019-10-31T10:00+03:00'
        """
        text = text.strip()
        if _YEAR_RE.fullmatch(text):
            return cls(Precision.YEAR, int(text))
        if m := _MONTH_RE.fullmatch(text):
            return cls(Precision.MONTH, int(m[1]), int(m[2]))
        if m := _DAY_RE.fullmatch(text):
            return cls(Precision.DAY, int(m[1]), int(m[2]), int(m[3]))
        if m := _TIME_RE.fullmatch(text):
            if m[6] and m[6] != "00":
                raise InvalidInput(f"{text!r}: sco-cal keeps times to the minute; drop the seconds")
            if int(m[4]) > 23 or int(m[5]) > 59:
                raise InvalidInput(f"{text!r}: {m[4]}:{m[5]} is not a time of day (00:00-23:59)")
            if m[8] and m[8][0] == "-" and text[10] == " ":
                raise InvalidInput(
                    f"{text!r}: a '-' after the time could be an offset or the end of a range; write an offset "
                    f"in the ISO form, {text[:10]}T{text[11:]}"
                )
            zone = "UTC" if m[7] else _normalise_offset(m[8]) if m[8] else m[9]
            return cls(
                Precision.MINUTE,
                int(m[1]),
                int(m[2]),
                int(m[3]),
                int(m[4]),
                int(m[5]),
                zone,
            )
        raise InvalidInput(
            f"{text!r} is not a date sco-cal stores; write 2020, 2020-06, 2019-10-31, "
            "2019-10-31 10:00 Europe/Moscow or 2019-10-31T10:00+03:00"
        )

    def to_text(self) -> str:
        """The storage form; ``DateValue.from_text(v.to_text()) == v`` for every value."""
        if self.precision is Precision.YEAR:
            return f"{self.year:04d}"
        if self.precision is Precision.MONTH:
            return f"{self.year:04d}-{self.month:02d}"
        day = f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.precision is Precision.DAY:
            return day
        clock = f"{self.hour:02d}:{self.minute:02d}"
        if self.zone is None:
            return f"{day} {clock}"
        if self.zone[0] in "+-":
            return f"{day}T{clock}{self.zone}"
        return f"{day} {clock} {self.zone}"

    def __str__(self) -> str:
        return self.to_text()

    # --- the period a value may cover ------------------------------------------------------------------

    @property
    def is_fixed(self) -> bool:
        return self.precision.is_fixed

    def first_day(self) -> date:
        """The earliest calendar day this value may be (for a time, its wall-clock day)."""
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        """The latest calendar day this value may be, inclusive."""
        if self.precision is Precision.YEAR:
            return date(self.year, 12, 31)
        if self.precision is Precision.MONTH:
            assert self.month is not None
            following = date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return following - timedelta(days=1)
        return self.first_day()

    def tz(self, default_zone: str) -> tzinfo:
        """The zone a time is read in: its own, or the registry's default."""
        return zone_for(self.zone or default_zone)

    def earliest(self, floating_zone: tzinfo, default_zone: str = "UTC") -> datetime:
        """The earliest instant this value may be; whole days float in ``floating_zone`` (the viewer's)."""
        if self.precision is Precision.MINUTE:
            return datetime(
                self.year,
                self.month or 1,
                self.day or 1,
                self.hour or 0,
                self.minute or 0,
                tzinfo=self.tz(default_zone),
            )
        return _midnight(self.first_day(), floating_zone)

    def latest(self, floating_zone: tzinfo, default_zone: str = "UTC") -> datetime:
        """The exclusive end of the period this value may be (a time is a point: its own instant)."""
        if self.precision is Precision.MINUTE:
            return self.earliest(floating_zone, default_zone)
        return _midnight(self.last_day() + timedelta(days=1), floating_zone)

    def local_time(self, default_zone: str) -> datetime:
        """For a time: the aware wall-clock datetime in its zone."""
        if self.precision is not Precision.MINUTE:
            raise ValueError("only a time has a local time")
        return self.earliest(UTC, default_zone)

    def check_wall_time(self, default_zone: str) -> None:
        """Refuse a time of day its zone skips (the clocks went forward) or passes twice (they went back).

        Raises:
            InvalidInput: The time does not exist; the message names the gap and the valid times either side.
            AmbiguousDate: The time happens twice; the message gives the fixed-offset spelling of each.
        """
        if self.precision is not Precision.MINUTE or (self.zone is not None and _is_offset_zone(self.zone)):
            return
        zone_name = self.zone or default_zone
        zone = zone_for(zone_name)
        first = datetime(self.year, self.month or 1, self.day or 1, self.hour or 0, self.minute or 0, tzinfo=zone)
        second = first.replace(fold=1)
        if zone.utcoffset(first) == zone.utcoffset(second):
            return
        wall = first
        if first.astimezone(UTC).astimezone(first.tzinfo).replace(tzinfo=None) != wall.replace(tzinfo=None):
            raise InvalidInput(_gap_message(wall, zone_name))
        raise AmbiguousDate(_fold_message(first, second, zone_name))

    # --- display -----------------------------------------------------------------------------------------

    def display(self, default_zone: str = "UTC", display_zone: str | None = None) -> str:
        """Human wording that never adds precision; a time is shown in ``display_zone`` (when given), with its
        own local time beside it where the clock differs. Days, months and years are never shifted.

        >>> DateValue.from_text("2020-06").display()
        'Jun 2020 (date TBC)'
        >>> DateValue.from_text("2019-10-31 10:00 Europe/Moscow").display()
        '31 Oct 2019 10:00 MSK'
        >>> DateValue.from_text("2020-06-10 23:00 America/New_York").display(display_zone="Europe/Moscow")
        '11 Jun 2020 06:00 MSK (10 Jun 23:00 EDT)'
        """
        if self.precision is Precision.YEAR:
            return f"{self.year} (TBC)"
        if self.precision is Precision.MONTH:
            return f"{_month_year(self)} (date TBC)"
        if self.precision is Precision.DAY:
            return _day_text(self.first_day())
        shown, _ = _moment(self, default_zone, display_zone)
        return f"{_day_text(shown.date())} {time_of_day(self, None, default_zone, display_zone)}"

    def zone_label(self, default_zone: str) -> str:
        """A short zone name for display: the abbreviation where the zone has a real one, else the offset."""
        return _label(self.local_time(default_zone))

    def in_zone(self, default_zone: str, display_zone: str) -> DateValue:
        """The same instant as wall time in ``display_zone``; days, months and years are returned as they are.

        >>> DateValue.from_text("2020-06-10 23:00 America/New_York").in_zone("UTC", "Asia/Tokyo").to_text()
        '2020-06-11 12:00 Asia/Tokyo'
        """
        if self.precision is not Precision.MINUTE:
            return self
        shown, _ = _moment(self, default_zone, display_zone)
        # the second pass of an hour the clocks repeat: the zone's name alone would read as the first
        return DateValue.of_time(shown, _offset_text(shown) if shown.fold else display_zone)


def _moment(value: DateValue, default_zone: str, display_zone: str | None) -> tuple[datetime, datetime]:
    """A time as the viewer sees it (in ``display_zone``, else its own) and as its own zone's clock reads."""
    wall = value.local_time(default_zone)
    # through UTC: an occurrence a rule puts where the clocks skip reads as the instant it names (03:30 EDT,
    # not 02:30 EST); converting to the same zone directly would return the wall time unchanged
    local = wall.astimezone(UTC).astimezone(wall.tzinfo)
    return (local.astimezone(zone_for(display_zone)) if display_zone else local), local


def _label(moment: datetime) -> str:
    name = moment.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = moment.utcoffset() or timedelta()
    total = int(offset.total_seconds() // 60)
    sign = "-" if total < 0 else "+"
    return f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


def _clock(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _same_clock(shown: datetime, own: datetime) -> bool:
    return shown.replace(tzinfo=None) == own.replace(tzinfo=None)


def _day_prefix(day: date, beside: date) -> str:
    """The day to write before a clock that is not on ``beside``'s day: '10 Jun ', or '31 Dec 2019 '."""
    if day == beside:
        return ""
    return _day_text(day, with_year=day.year != beside.year) + " "


def _own_text(first: datetime, last: datetime | None, shown_day: date) -> str:
    """The event's own local time (or times), said relative to the day it is shown on."""
    text = f"{_day_prefix(first.date(), shown_day)}{_clock(first)}"
    if last is None:
        return f"{text} {_label(first)}"
    if last.date() == first.date() and _label(last) == _label(first):
        return f"{text}-{_clock(last)} {_label(first)}"
    return f"{text} {_label(first)} - {_day_prefix(last.date(), first.date())}{_clock(last)} {_label(last)}"


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
    first, first_own = _moment(start, default_zone, display_zone)
    last = last_own = None
    if end is not None and end != start:
        if end.precision is not Precision.MINUTE:
            return None
        last, last_own = _moment(end, default_zone, display_zone)
        if last.date() != first.date() or _label(last) != _label(first):
            return None
    text = _clock(first) + (f"-{_clock(last)}" if last else "") + f" {_label(first)}"
    if _same_clock(first, first_own) and (last is None or last_own is None or _same_clock(last, last_own)):
        return text
    return f"{text} ({_own_text(first_own, last_own, first.date())})"


def _midnight(day: date, zone: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def _month_year(value: DateValue) -> str:
    assert value.month is not None
    return f"{MONTH_ABBR[value.month - 1]} {value.year}"


def _day_text(day: date, *, with_year: bool = True, with_month: bool = True) -> str:
    text = str(day.day)
    if with_month:
        text += f" {MONTH_ABBR[day.month - 1]}"
    if with_year:
        text += f" {day.year}"
    return text


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
    if end == start and start.precision is Precision.YEAR:
        return f"{start.year} (all year)"
    if end == start and start.precision is Precision.MONTH:
        return f"{_month_year(start)} (all month)"
    if end is None or end == start:
        return start.display(default_zone, display_zone)
    kinds = (start.precision, end.precision)
    if kinds == (Precision.DAY, Precision.DAY):
        return _day_range(start.first_day(), end.first_day())
    if kinds == (Precision.MONTH, Precision.MONTH):
        left = MONTH_ABBR[(start.month or 1) - 1] + ("" if start.year == end.year else f" {start.year}")
        return f"{left} - {_month_year(end)} (dates TBC)"
    if kinds == (Precision.YEAR, Precision.YEAR):
        return f"{start.year}-{end.year} (TBC)"
    if kinds == (Precision.MINUTE, Precision.MINUTE) and (clock := time_of_day(start, end, default_zone, display_zone)):
        return f"{_day_text(_moment(start, default_zone, display_zone)[0].date())} {clock}"
    return f"{start.display(default_zone, display_zone)} - {end.display(default_zone, display_zone)}"


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
    return _same_clock(*_moment(start, default_zone, display_zone))


def _day_range(first: date, last: date) -> str:
    if first.year != last.year:
        return f"{_day_text(first)} - {_day_text(last)}"
    if first.month != last.month:
        return f"{_day_text(first, with_year=False)} - {_day_text(last)}"
    return f"{first.day}-{_day_text(last)}"


# The days an open end of a window stands for: a few days inside the calendar's limits, so that the margins
# queries and indexes add to a window never step outside what ``datetime`` can hold.
LAST_YEAR: Final = 9998
_EARLIEST_DAY: Final = date(1, 1, 2)
_LATEST_DAY: Final = date(LAST_YEAR, 12, 31)


@dataclass(frozen=True, slots=True)
class Window:
    """A half-open stretch of time ``[start, end)`` that a query asks about; both ends are aware.

    A window may be open at either end (``--from`` alone, ``--to`` alone): the open end then lies at the edge of
    the calendar, and the query shows each repeating event once rather than every repetition to the year 9999.
    """

    start: datetime
    end: datetime
    open_start: bool = False
    open_end: bool = False

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidInput(f"the window ends ({self.end:%Y-%m-%d}) before it starts ({self.start:%Y-%m-%d})")

    @property
    def is_open(self) -> bool:
        return self.open_start or self.open_end

    @classmethod
    def of_days(cls, first: date, last: date, zone: tzinfo) -> Window:
        """The whole days ``first`` to ``last`` inclusive, as seen in ``zone``."""
        if last < first:  # named by the days typed, not by the exclusive end the window keeps
            raise InvalidInput(f"the window ends on {last:%Y-%m-%d}, before it starts on {first:%Y-%m-%d}")
        return cls(_midnight(first, zone), _midnight(last + timedelta(days=1), zone))

    @classmethod
    def from_to(cls, first: date | None, last: date | None, zone: tzinfo) -> Window:
        """The whole days ``first`` to ``last`` inclusive, as seen in ``zone``; ``None`` leaves that end open."""
        start = _midnight(first or min(_EARLIEST_DAY, last or _EARLIEST_DAY), zone)
        end = _midnight((last or _LATEST_DAY) + timedelta(days=1), zone)
        return cls(start, end, open_start=first is None, open_end=last is None)

    @classmethod
    def days_ahead(cls, today: date, days: int, zone: str) -> Window:
        """``days`` whole days from ``today`` on (at least one), as seen in ``zone``: what ``upcoming`` and
        ``agenda`` show."""
        if days > (_LATEST_DAY - today).days + 1:
            raise InvalidInput(
                f"--days {days} from {today:%Y-%m-%d} goes past {LAST_YEAR}, the last year sco-cal knows"
            )
        return cls.of_days(today, today + timedelta(days=max(days, 1) - 1), zone_for(zone))

    def overlaps(self, span: Span) -> bool:
        if span.start == span.end:  # a point in time: inside when start <= t < end
            return self.start <= span.start < self.end
        return span.start < self.end and self.start < span.end


@dataclass(frozen=True, slots=True)
class Span:
    """The instants an event may cover: ``[start, end)``, earliest possible start to latest possible end.

    ``fixed`` is true when the span is certain: both ends were given to the day or better, or the end repeats
    a month or year start, which says the event fills that whole period ("Russia's presidency in 2020").
    """

    start: datetime
    end: datetime
    fixed: bool

    @classmethod
    def of(
        cls,
        start: DateValue,
        end: DateValue | None,
        floating_zone: tzinfo,
        default_zone: str,
    ) -> Span:
        last = end or start
        return cls(
            start.earliest(floating_zone, default_zone),
            last.latest(floating_zone, default_zone),
            (start.is_fixed and last.is_fixed) or end == start,
        )


def _is_offset_zone(zone: str) -> bool:
    return zone == "UTC" or zone[0] in "+-"


def _wall_text(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y %H:%M}"


def _gap_message(wall: datetime, zone: str) -> str:
    """``wall`` falls where the clocks jump forward: name the jump and the valid times as far either side."""
    jump = wall.replace(fold=1).utcoffset() - wall.replace(fold=0).utcoffset()  # type: ignore[operator]
    naive = wall.replace(tzinfo=None)
    gap_start = naive
    while not _exists(gap_start - timedelta(minutes=1), wall.tzinfo):
        gap_start -= timedelta(minutes=1)
    before, after = naive + jump, naive - jump  # zoneinfo reads a skipped time with the other offset
    earlier, later = sorted((before, after))
    return (
        f"{_wall_text(naive)} does not exist in {zone} (clocks go from {gap_start:%H:%M} to "
        f"{gap_start + abs(jump):%H:%M}); write {earlier:%H:%M} or {later:%H:%M}"
    )


def _exists(naive: datetime, zone: tzinfo | None) -> bool:
    aware = naive.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive


def _fold_message(first: datetime, second: datetime, zone: str) -> str:
    """``first`` and ``second`` are the two readings of a time that happens twice as the clocks go back."""
    readings = " or ".join(
        f"{moment:%Y-%m-%dT%H:%M}{_offset_text(moment)} for the {which} ({moment.tzname()})"
        for moment, which in ((first, "first"), (second, "second"))
    )
    return f"{_wall_text(first)} happens twice in {zone} (the clocks go back); write {readings}"


def _offset_text(moment: datetime) -> str:
    minutes = int((moment.utcoffset() or timedelta()).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
