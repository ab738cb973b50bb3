"""Dates known to a precision: the storage grammar, the span a value may cover, and honest display.

A ``DateValue`` is what a source said: a year (``2020``), a part of one (``2020-H1``, ``2020-Q3``,
``2020-spring``, ``2020-mid``), a month (``2020-06``), a part of a month (``2020-06-early``), a day
(``2019-10-31``) or a time in a zone (``2019-10-31 10:00 Europe/Moscow``). Nothing here ever adds precision the
source did not give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Final

from sco_cal.dates.zones import (
    MONTH_ABBR,
    clock_text,
    day_text,
    fold_message,
    gap_message,
    is_offset_zone,
    midnight,
    month_year,
    normalise_offset,
    offset_text,
    seen,
    zone_for,
    zone_label,
)
from sco_cal.errors import AmbiguousDate, InvalidInput
from sco_cal.pickling import quick_pickle

__all__ = ["LAST_YEAR", "MONTH_ABBR", "DateValue", "Precision"]

# not 9999: the end of a value is the midnight after it, and the day after 9999-12-31 has no datetime
LAST_YEAR: Final = 9998


class Precision(StrEnum):
    """How much of a date the source gave, coarsest first."""

    YEAR = "year"
    HALF = "half"
    PART_OF_YEAR = "part-of-year"  # early, mid, late: January-April, May-August, September-December
    QUARTER = "quarter"
    SEASON = "season"
    MONTH = "month"
    PART_OF_MONTH = "part-of-month"  # early, mid, late: days 1-10, 11-20, 21 to the end
    DAY = "day"
    MINUTE = "minute"

    @property
    def rank(self) -> int:
        return _PRECISION_RANK[self]

    @property
    def is_fixed(self) -> bool:
        """Whether a value of this precision names a certain day (or time), not a period it lies in."""
        return self in (Precision.DAY, Precision.MINUTE)

    @property
    def is_part(self) -> bool:
        """Whether a value of this precision is a numbered part of a year or month (``DateValue.part``)."""
        return self in _PARTS


_PRECISION_RANK: Final = {p: i for i, p in enumerate(Precision)}
_PARTS: Final = frozenset(
    (Precision.HALF, Precision.PART_OF_YEAR, Precision.QUARTER, Precision.SEASON, Precision.PART_OF_MONTH)
)

# The storage grammar: a year, a month, a day, a time with its optional zone. Compiled on first use (``_grammar``):
# a run that reads its snapshot parses no date text and need not pay for compiling it.
_GRAMMAR: Final = (
    r"\d{4}",
    r"(\d{4})-(\d{2})",
    r"(\d{4})-(\d{2})-(\d{2})",
    (
        r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?"
        r"(?:(Z)|([+-]\d{2}:?\d{2})|\s+([A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*))?"
    ),
)
_compiled: tuple[re.Pattern[str], ...] = ()


def _grammar() -> tuple[re.Pattern[str], ...]:
    global _compiled  # replaced whole, never changed in place
    _compiled = tuple(re.compile(pattern) for pattern in _GRAMMAR)
    return _compiled


def _check_zone(name: str) -> str:
    zone_for(name)
    return name


@quick_pickle
@dataclass(frozen=True, slots=True, order=False)
class DateValue:
    """A date known to a given precision, e.g. ``2020-06`` (month) or ``2019-10-31 10:00 Europe/Moscow``.

    ``zone`` is set only for times: an IANA name, ``UTC``, or an offset such as ``+03:00``; ``None`` means the
    registry's default zone. Days, months and years float: they are the same calendar days for every viewer.
    A part (quarter, half, season, early/mid/late) keeps its number in ``part`` and its first day in ``month``
    and ``day``, so that a southern spring (September) is told from a northern one (March).
    """

    precision: Precision
    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    zone: str | None = None
    part: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= LAST_YEAR:
            raise InvalidInput(f"year {self.year} is out of range 1-{LAST_YEAR}")
        if self.precision.is_part or self.part is not None:
            self._check_part()
            return
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

    def _check_part(self) -> None:
        from sco_cal.dates.periods import problem  # where a part is met: a registry without one never loads it

        if self.hour is not None or self.minute is not None or self.zone is not None:
            raise InvalidInput("only a value with a time of day can carry a time zone")
        if message := problem(self.precision.value, self.year, self.part, self.month, self.day):
            raise InvalidInput(message)

    # --- construction -------------------------------------------------------------------------------

    @classmethod
    def of_year(cls, year: int) -> DateValue:
        return cls(Precision.YEAR, year)

    @classmethod
    def of_month(cls, year: int, month: int) -> DateValue:
        return cls(Precision.MONTH, year, month)

    @classmethod
    def of_part(cls, precision: Precision, year: int, part: int, month: int | None = None) -> DateValue:
        """A numbered part: ``of_part(Precision.QUARTER, 2020, 3)`` is Q3 2020; a season is the northern one."""
        from sco_cal.dates.periods import start_of

        return cls(precision, year, *start_of(precision.value, year, part, month), part=part)

    def in_hemisphere(self, *, southern: bool, renamed: bool = False) -> DateValue:
        """A season as the registry's hemisphere reads its name, or (``renamed``) its months as that hemisphere
        names them: the southern spring 2020 is autumn 2020 in the north. Any other value as it is."""
        if self.precision is not Precision.SEASON or self.part is None:
            return self
        from sco_cal.dates.periods import first_month, season_of

        part = season_of(self.month or 1, southern=southern) if renamed else self.part
        month = first_month(self.precision.value, part, southern=southern)
        return DateValue(self.precision, self.year, month, 1, part=part)

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
        year_re, month_re, day_re, time_re = _compiled or _grammar()
        if year_re.fullmatch(text):
            return cls(Precision.YEAR, int(text))
        if m := month_re.fullmatch(text):
            return cls(Precision.MONTH, int(m[1]), int(m[2]))
        if m := day_re.fullmatch(text):
            return cls(Precision.DAY, int(m[1]), int(m[2]), int(m[3]))
        if m := time_re.fullmatch(text):
            if m[6] and m[6] != "00":
                raise InvalidInput(f"{text!r}: sco-cal keeps times to the minute; drop the seconds")
            if int(m[4]) > 23 or int(m[5]) > 59:
                raise InvalidInput(f"{text!r}: {m[4]}:{m[5]} is not a time of day (00:00-23:59)")
            if m[8] and m[8][0] == "-" and text[10] == " ":
                raise InvalidInput(
                    f"{text!r}: a '-' after the time could be an offset or the end of a range; write an offset "
                    f"in the ISO form, {text[:10]}T{text[11:]}"
                )
            zone = "UTC" if m[7] else normalise_offset(m[8]) if m[8] else m[9]
            return cls(
                Precision.MINUTE,
                int(m[1]),
                int(m[2]),
                int(m[3]),
                int(m[4]),
                int(m[5]),
                zone,
            )
        from sco_cal.dates.periods import parse_storage

        if found := parse_storage(text):
            return cls.of_part(Precision(found[0]), *found[1:])
        raise InvalidInput(
            f"{text!r} is not a date sco-cal stores; write 2020, 2020-H1, 2020-Q3, 2020-spring, 2020-mid, 2020-06, "
            "2020-06-early, 2019-10-31, 2019-10-31 10:00 Europe/Moscow or 2019-10-31T10:00+03:00"
        )

    def to_text(self) -> str:
        """The storage form; ``DateValue.from_text(v.to_text()) == v`` for every value."""
        if self.precision is Precision.YEAR:
            return f"{self.year:04d}"
        if self.part is not None:
            from sco_cal.dates.periods import storage_text

            return storage_text(self.precision.value, self.year, self.month or 1, self.part)
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

    def edtf(self, default_zone: str | None = None) -> str:
        """The EDTF (ISO 8601-2) code: ``2020-35`` for Q3 2020; a time with its zone's offset then, if known."""
        if self.part is not None:
            from sco_cal.dates.periods import edtf

            return edtf(self.precision.value, self.year, self.month or 1, self.part)
        if self.precision is not Precision.MINUTE:
            return self.to_text()
        if self.zone is None and default_zone is None:
            return f"{self.to_text()[:10]}T{self.hour:02d}:{self.minute:02d}:00"
        return self.local_time(default_zone or "UTC").isoformat().replace("+00:00", "Z")

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
        if self.part is not None:
            from sco_cal.dates.periods import last_day

            return last_day(self.precision.value, self.year, self.month or 1, self.part)
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
        return midnight(self.first_day(), floating_zone)

    def latest(self, floating_zone: tzinfo, default_zone: str = "UTC") -> datetime:
        """The exclusive end of the period this value may be (a time is a point: its own instant)."""
        if self.precision is Precision.MINUTE:
            return self.earliest(floating_zone, default_zone)
        return midnight(self.last_day() + timedelta(days=1), floating_zone)

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
        if self.precision is not Precision.MINUTE or (self.zone is not None and is_offset_zone(self.zone)):
            return
        zone_name = self.zone or default_zone
        zone = zone_for(zone_name)
        first = datetime(self.year, self.month or 1, self.day or 1, self.hour or 0, self.minute or 0, tzinfo=zone)
        second = first.replace(fold=1)
        if zone.utcoffset(first) == zone.utcoffset(second):
            return
        wall = first
        if first.astimezone(UTC).astimezone(first.tzinfo).replace(tzinfo=None) != wall.replace(tzinfo=None):
            raise InvalidInput(gap_message(wall, zone_name))
        raise AmbiguousDate(fold_message(first, second, zone_name))

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
        if self.part is not None:
            return f"{self.label()} ({'date' if self.precision is Precision.PART_OF_MONTH else 'dates'} TBC)"
        if self.precision is Precision.MONTH:
            return f"{month_year(self.year, self.month)} (date TBC)"
        if self.precision is Precision.DAY:
            return day_text(self.first_day())
        shown, own = seen(self.local_time(default_zone), display_zone)
        return f"{day_text(shown.date())} {clock_text(shown, own, None, None)}"

    def label(self, *, with_year: bool = True) -> str:
        """A part's words without a mark: ``Q3 2020``, ``early Jun 2020``; ``Q3`` without the year."""
        assert self.part is not None
        from sco_cal.dates.periods import label

        return label(self.precision.value, self.year if with_year else None, self.month or 1, self.part)

    def zone_label(self, default_zone: str) -> str:
        """A short zone name for display: the abbreviation where the zone has a real one, else the offset."""
        return zone_label(self.local_time(default_zone))

    def in_zone(self, default_zone: str, display_zone: str) -> DateValue:
        """The same instant as wall time in ``display_zone``; days, months and years are returned as they are.

        >>> DateValue.from_text("2020-06-10 23:00 America/New_York").in_zone("UTC", "Asia/Tokyo").to_text()
        '2020-06-11 12:00 Asia/Tokyo'
        """
        if self.precision is not Precision.MINUTE:
            return self
        shown, _ = seen(self.local_time(default_zone), display_zone)
        # the second pass of an hour the clocks repeat: the zone's name alone would read as the first
        return DateValue.of_time(shown, offset_text(shown) if shown.fold else display_zone)
