"""The VTIMEZONEs a feed needs: which zones its times use and the days each must cover (``Zones``), and each
zone's VTIMEZONE as icalendar builds it, without its walk to the end of time (``_Bounded``).

icalendar is loaded only when a VTIMEZONE or a rule's UNTIL must actually be made: a run that takes them from
what earlier runs kept (``sco_cal.ics.reuse``) does without it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from sco_cal.ics.write import fixed_tzid, utc_offset

if TYPE_CHECKING:
    from icalendar import Timezone

    from sco_cal.ics.reuse import Reuse

__all__ = ["Zones", "rule_until", "zone_of_years"]


def rule_until(rule: str) -> list[Any] | None:
    """The UNTIL of an RRULE as icalendar reads it (a list of one date or time), or ``None`` without one."""
    from icalendar import vRecur

    until = vRecur.from_ical(rule).get("UNTIL")
    return list(until) if until else None


class Zones:
    """The IANA zones the feed's times use, and the days their VTIMEZONEs must cover: every zoned start and end,
    and for a repeating time its UNTIL, or the end of 2100 when it repeats without end (the furthest the
    documentation promises)."""

    def __init__(self, until: Callable[[str], list[Any] | None] = rule_until) -> None:
        self.until = until  # a rule's UNTIL (``rule_until``, or what an earlier run kept of it)
        self.names: set[str] = set()
        self.offsets: set[timezone] = set()  # fixed offsets of repeating times (``publish.instant``)
        self.first: date | None = None
        self.last: date | None = None

    def _cover(self, day: date) -> None:
        self.first = day if self.first is None else min(self.first, day)
        self.last = day if self.last is None else max(self.last, day)

    def note(self, start: date | datetime, end: date | datetime | None, rule: str | None) -> None:
        if not isinstance(start, datetime) or start.tzinfo is UTC:
            return
        for moment in (start, end):
            if isinstance(moment, datetime) and isinstance(moment.tzinfo, timezone) and moment.tzinfo is not UTC:
                self.offsets.add(moment.tzinfo)
        if isinstance(start.tzinfo, timezone):
            return
        self.names.add(str(getattr(start.tzinfo, "key", "")))
        self._cover(start.date())
        if isinstance(end, datetime):
            self._cover(end.date())
        if rule is not None:
            until = self.until(rule)
            self._cover(
                until[0] if until and not isinstance(until[0], datetime) else max(date(2100, 12, 31), start.date())
            )
            if until and isinstance(until[0], datetime):
                self._cover(until[0].date())

    def _fixed(self) -> list[Timezone]:
        return [_fixed_timezone(offset) for offset in sorted(self.offsets, key=lambda z: z.utcoffset(None))]

    def text(self, reuse: Reuse | None) -> bytes:
        """The VTIMEZONEs as text, sorted by TZID (the same order on every run); each named zone's taken from
        ``reuse`` when an earlier run made it for the same days."""
        fixed = [bytes(zone.to_ical()) for zone in self._fixed()]
        if self.first is None or self.last is None or not self.names:
            return b"".join(fixed)
        first, last = self.first - timedelta(days=1), self.last + timedelta(days=2)
        named = []
        for name in sorted(self.names):
            make = functools.partial(_zone_text, name, first, last)
            named.append(make() if reuse is None else reuse.zone(name, first, last, make))
        return b"".join(named + fixed)

    def of_whole_years(self) -> bytes:
        """The VTIMEZONEs as text, each covering whole years (see ``_zone_of_years``)."""
        named = []
        if self.first is not None and self.last is not None:
            named = [zone_of_years(name, self.first.year, self.last.year) for name in sorted(self.names)]
        return b"".join(named + [bytes(zone.to_ical()) for zone in self._fixed()])


def _zone_text(name: str, first_day: date, last_day: date) -> bytes:
    return bytes(_vtimezone(name, first_day, last_day).to_ical())


@functools.lru_cache(maxsize=256)
def zone_of_years(name: str, first: int, last: int) -> bytes:
    """A zone's VTIMEZONE over whole years: a calendar object's zones then depend on its own years only, and
    the objects of the same years share one, built once."""
    first_day, last_day = date(first, 1, 1) - timedelta(days=1), date(last, 12, 31) + timedelta(days=2)
    return bytes(_vtimezone(name, first_day, last_day).to_ical())


def _vtimezone(name: str, first_day: date, last_day: date) -> Timezone:
    """What ``Timezone.from_tzid`` builds for the period, without its walk to the end of time (``_Bounded``)."""
    end = datetime(last_day.year, last_day.month, last_day.day) + _BEYOND_ITS_STEPS
    from icalendar import Timezone

    return Timezone.from_tzinfo(_Bounded(ZoneInfo(name), end), tzid=name, first_date=first_day, last_date=last_day)


# icalendar steps at most 64 days at a time: a change of offset inside the period is found before this end
_BEYOND_ITS_STEPS: Final = timedelta(days=200)


class _Bounded(tzinfo):
    """A zone that ends some months after the period a VTIMEZONE must cover. icalendar looks for the end of
    each offset by stepping forward until the offset changes, and in a zone that no longer changes its clocks
    (Moscow, Tashkent, Shanghai...) it steps on to the year 9999, which was nearly all the time a sync spent
    writing its objects. It stops at an ``OverflowError`` as at the end of time, and the VTIMEZONE is the same
    (tests/test_sync_resources.py compares the two over many zones and years)."""

    def __init__(self, zone: tzinfo, end: datetime) -> None:
        self.zone = zone
        self.end = end.replace(tzinfo=self)  # same tzinfo: compared by wall time, without asking for offsets

    def _checked(self, moment: datetime | None) -> datetime | None:
        if moment is not None and moment > self.end:
            raise OverflowError("past the period covered")
        return moment  # a ZoneInfo reads the wall time of what it is given

    def utcoffset(self, moment: datetime | None) -> timedelta | None:
        return self.zone.utcoffset(self._checked(moment))

    def dst(self, moment: datetime | None) -> timedelta | None:
        return self.zone.dst(self._checked(moment))

    def tzname(self, moment: datetime | None) -> str | None:
        return self.zone.tzname(self._checked(moment))


def _fixed_timezone(offset: timezone) -> Timezone:
    """The VTIMEZONE of a fixed offset, for the times of repeating events that keep one (``publish.instant``)."""
    tzid, offset_text = fixed_tzid(offset), utc_offset(offset)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}", "BEGIN:STANDARD", "DTSTART:16010101T000000", f"TZNAME:{tzid}"]
    lines += [f"TZOFFSETFROM:{offset_text}", f"TZOFFSETTO:{offset_text}", "END:STANDARD", "END:VTIMEZONE"]
    from icalendar import Timezone

    component = Timezone.from_ical("\r\n".join(lines) + "\r\n")
    assert isinstance(component, Timezone)
    return component
