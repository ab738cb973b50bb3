"""Time zones as sco-cal reads them: IANA names, ``UTC`` and fixed offsets; abbreviations refused with the zones
they usually mean; the wording of a zone at a moment; the messages for wall times the clocks skip or repeat; the
day, month and clock texts that ``values`` and ``display`` share; and the hemisphere a registry's seasons are in.

Everything here works on plain ``datetime`` objects and zone names: it is the floor the other modules of
``sco_cal.dates`` stand on, and imports none of them.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from enum import StrEnum
from functools import cache
from typing import Final

from sco_cal.errors import InvalidInput

__all__ = [
    "MONTH_ABBR",
    "Hemisphere",
    "abbreviated",
    "abbreviation_refused",
    "clock_text",
    "day_text",
    "fold_message",
    "gap_message",
    "is_abbreviation",
    "is_offset_zone",
    "midnight",
    "month_year",
    "normalise_offset",
    "offset_text",
    "same_clock",
    "seen",
    "zone_for",
    "zone_label",
]


class Hemisphere(StrEnum):
    """Where a registry's seasons are (its header's ``seasons:``): northern unless it says southern."""

    NORTHERN = "northern"
    SOUTHERN = "southern"


_OFFSET: Final = r"([+-])(\d{2}):?(\d{2})"  # compiled (and cached by re) only when an offset is given


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
    offset = re.fullmatch(_OFFSET, name) if name.startswith(("+", "-")) else None
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


def normalise_offset(text: str) -> str:
    """An offset as the storage form writes it, ``+03:00``, from ``+0300`` or ``+03:00`` (the grammar matched it)."""
    return f"{text[:3]}:{text[-2:]}"


def midnight(day: date, zone: tzinfo) -> datetime:
    """The first instant of ``day`` as seen in ``zone``."""
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def zone_label(moment: datetime) -> str:
    """A zone's short name at ``moment``: its abbreviation where it has a real one (``MSK``), else the offset."""
    name = moment.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = moment.utcoffset() or timedelta()
    total = int(offset.total_seconds() // 60)
    sign = "-" if total < 0 else "+"
    return f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


def is_offset_zone(zone: str) -> bool:
    """Whether a zone keeps one offset all year: such a zone's clocks never skip or repeat a time."""
    return zone == "UTC" or zone[0] in "+-"


def _wall_text(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y %H:%M}"


def gap_message(wall: datetime, zone: str) -> str:
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


def fold_message(first: datetime, second: datetime, zone: str) -> str:
    """``first`` and ``second`` are the two readings of a time that happens twice as the clocks go back."""
    readings = " or ".join(
        f"{moment:%Y-%m-%dT%H:%M}{offset_text(moment)} for the {which} ({moment.tzname()})"
        for moment, which in ((first, "first"), (second, "second"))
    )
    return f"{_wall_text(first)} happens twice in {zone} (the clocks go back); write {readings}"


def abbreviated(wall: datetime, name: str, abbreviation: str) -> str | None:
    """What to store for a time typed with ``abbreviation`` (``EST``) when read in the zone ``name``: the zone
    itself when it uses the abbreviation then; where the clocks pass the time twice and the abbreviation is the
    one of only one of them (the second 01:30 is ``EST`` in New York, the first ``EDT``), that one's offset, the
    form that pins it; ``None`` when the zone does not use it then."""
    zone = zone_for(name)
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset() and _exists(wall.replace(tzinfo=None), zone):
        named = [moment for moment in (first, second) if moment.tzname() == abbreviation]
        return offset_text(named[0]) if len(named) == 1 else None
    return name if first.tzname() == abbreviation else None


def offset_text(moment: datetime) -> str:
    """The offset at ``moment`` as the storage form writes it: ``+03:00``, ``-05:00``."""
    minutes = int((moment.utcoffset() or timedelta()).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# --- the words dates are shown in, on plain dates and datetimes: shared by ``values`` and ``display`` ----------

MONTH_ABBR: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def seen(wall: datetime, display_zone: str | None) -> tuple[datetime, datetime]:
    """A time as the viewer sees it (in ``display_zone``, else its own) and as its own zone's clock reads."""
    # through UTC: an occurrence a rule puts where the clocks skip reads as the instant it names (03:30 EDT,
    # not 02:30 EST); converting to the same zone directly would return the wall time unchanged
    local = wall.astimezone(UTC).astimezone(wall.tzinfo)
    return (local.astimezone(zone_for(display_zone)) if display_zone else local), local


def clock_text(first: datetime, first_own: datetime, last: datetime | None, last_own: datetime | None) -> str:
    """The clock (or clocks) of a time on one day as the viewer sees it, with its own local time beside it where
    that reads differently: ``'06:00-08:00 MSK (10 Jun 23:00-01:00 EDT)'``."""
    text = _clock(first) + (f"-{_clock(last)}" if last else "") + f" {zone_label(first)}"
    if same_clock(first, first_own) and (last is None or last_own is None or same_clock(last, last_own)):
        return text
    return f"{text} ({_own_text(first_own, last_own, first.date())})"


def _clock(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def same_clock(shown: datetime, own: datetime) -> bool:
    """Whether the viewer's clock reads as the event's own: then the own time need not be said beside it."""
    return shown.replace(tzinfo=None) == own.replace(tzinfo=None)


def _day_prefix(day: date, beside: date) -> str:
    """The day to write before a clock that is not on ``beside``'s day: '10 Jun ', or '31 Dec 2019 '."""
    if day == beside:
        return ""
    return day_text(day, with_year=day.year != beside.year) + " "


def _own_text(first: datetime, last: datetime | None, shown_day: date) -> str:
    """The event's own local time (or times), said relative to the day it is shown on."""
    text = f"{_day_prefix(first.date(), shown_day)}{_clock(first)}"
    if last is None:
        return f"{text} {zone_label(first)}"
    if last.date() == first.date() and zone_label(last) == zone_label(first):
        return f"{text}-{_clock(last)} {zone_label(first)}"
    return f"{text} {zone_label(first)} - {_day_prefix(last.date(), first.date())}{_clock(last)} {zone_label(last)}"


def month_year(year: int, month: int | None) -> str:
    assert month is not None
    return f"{MONTH_ABBR[month - 1]} {year}"


def day_text(day: date, *, with_year: bool = True, with_month: bool = True) -> str:
    text = str(day.day)
    if with_month:
        text += f" {MONTH_ABBR[day.month - 1]}"
    if with_year:
        text += f" {day.year}"
    return text
