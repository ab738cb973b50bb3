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

from sco_cal.errors import InvalidInput
from sco_cal.frozen import quick_pickle

__all__ = [
    "MONTH_ABBR",
    "DateValue",
    "Precision",
    "Span",
    "Window",
    "display_span",
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
    if name in ("UTC", "Z"):
        return UTC
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
        if not 1 <= self.year <= 9999:
            raise InvalidInput(f"year {self.year} is out of range 1-9999")
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
                raise InvalidInput(f"{self.hour}:{self.minute} is not a time of day (00:00-23:59)")
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

    # --- display -----------------------------------------------------------------------------------------

    def display(self, default_zone: str = "UTC") -> str:
        """Human wording that never adds precision.

        >>> DateValue.from_text("2020-06").display()
        'Jun 2020 (date TBC)'
        >>> DateValue.from_text("2019-10-31 10:00 Europe/Moscow").display()
        '31 Oct 2019 10:00 MSK'
        """
        if self.precision is Precision.YEAR:
            return f"{self.year} (TBC)"
        if self.precision is Precision.MONTH:
            return f"{_month_year(self)} (date TBC)"
        if self.precision is Precision.DAY:
            return _day_text(self.first_day())
        return f"{_day_text(self.first_day())} {self.hour:02d}:{self.minute:02d} {self.zone_label(default_zone)}"

    def zone_label(self, default_zone: str) -> str:
        """A short zone name for display: the abbreviation where the zone has a real one, else the offset."""
        local = self.local_time(default_zone)
        name = local.tzname() or ""
        if name and name[0] not in "+-":
            return name
        offset = local.utcoffset() or timedelta()
        total = int(offset.total_seconds() // 60)
        sign = "-" if total < 0 else "+"
        return f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


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


def display_span(start: DateValue | None, end: DateValue | None, default_zone: str = "UTC") -> str:
    """Display a start and optional end as one phrase, sharing what the two have in common.

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
        return start.display(default_zone)
    kinds = (start.precision, end.precision)
    if kinds == (Precision.DAY, Precision.DAY):
        return _day_range(start.first_day(), end.first_day())
    if kinds == (Precision.MONTH, Precision.MONTH):
        left = MONTH_ABBR[(start.month or 1) - 1] + ("" if start.year == end.year else f" {start.year}")
        return f"{left} - {_month_year(end)} (dates TBC)"
    if kinds == (Precision.YEAR, Precision.YEAR):
        return f"{start.year}-{end.year} (TBC)"
    if (
        kinds == (Precision.MINUTE, Precision.MINUTE)
        and start.zone == end.zone
        and start.first_day() == end.first_day()
    ):
        return (
            f"{_day_text(start.first_day())} {start.hour:02d}:{start.minute:02d}-"
            f"{end.hour:02d}:{end.minute:02d} {end.zone_label(default_zone)}"
        )
    return f"{start.display(default_zone)} - {end.display(default_zone)}"


def _day_range(first: date, last: date) -> str:
    if first.year != last.year:
        return f"{_day_text(first)} - {_day_text(last)}"
    if first.month != last.month:
        return f"{_day_text(first, with_year=False)} - {_day_text(last)}"
    return f"{first.day}-{_day_text(last)}"


@dataclass(frozen=True, slots=True)
class Window:
    """A half-open stretch of time ``[start, end)`` that a query asks about; both ends are aware."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidInput(f"the window ends ({self.end:%Y-%m-%d}) before it starts ({self.start:%Y-%m-%d})")

    @classmethod
    def of_days(cls, first: date, last: date, zone: tzinfo) -> Window:
        """The whole days ``first`` to ``last`` inclusive, as seen in ``zone``."""
        if last < first:  # named by the days typed, not by the exclusive end the window keeps
            raise InvalidInput(f"the window ends on {last:%Y-%m-%d}, before it starts on {first:%Y-%m-%d}")
        return cls(_midnight(first, zone), _midnight(last + timedelta(days=1), zone))

    @classmethod
    def days_ahead(cls, today: date, days: int, zone: str) -> Window:
        """``days`` whole days from ``today`` on (at least one), as seen in ``zone``: what ``upcoming`` and
        ``agenda`` show."""
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
