"""A zone a calendar defines only by its VTIMEZONE (``TZID:/Europe/CUSTOM``, Outlook's "Customized Time Zone")
matched to the IANA zone with the same rules, so that a repeating time keeps following the clock changes.

Two zones match when their offsets agree at noon UTC every day of the years compared, and hour by hour on the
days around each change. Among several matches (Berlin, Paris and Rome agree for decades) the one whose name
shares a word with the TZID wins, then the one whose abbreviations (CET/CEST) are the VTIMEZONE's, then the first
by name: any of them places every occurrence of those years where the file does.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Final

__all__ = ["matching_zone", "steady"]

_LEGACY: Final = re.compile(r"^(Etc|SystemV|US|Canada|Mexico|Brazil|Chile|posix|right)/|^[^/]+$")
_DAY: Final = timedelta(days=1)


@functools.cache
def _candidates() -> tuple[tuple[str, tzinfo], ...]:
    from zoneinfo import ZoneInfo, available_timezones

    names = sorted(name for name in available_timezones() if not _LEGACY.search(name))
    return tuple((name, ZoneInfo(name)) for name in names)


def _utc_offsets(zone: tzinfo, instants: Iterable[datetime]) -> list[timedelta | None]:
    """Offsets at UTC instants: ``fromutc`` is what every reader uses to place an instant in a zone."""
    return [moment.astimezone(zone).utcoffset() for moment in instants]


def _days(first_year: int, last_year: int) -> list[datetime]:
    first = datetime(first_year, 1, 1, 12, tzinfo=UTC)
    count = (datetime(last_year + 1, 1, 1, 12, tzinfo=UTC) - first).days
    return [first + n * _DAY for n in range(count)]


@functools.lru_cache(maxsize=256)  # a file's events share their few zones: each is compared once
def steady(zone: tzinfo, first_year: int, last_year: int) -> bool:
    """Whether the zone keeps one offset all through those years (a fixed offset then says it all)."""
    return len(set(_utc_offsets(zone, _days(first_year, last_year)[::7]))) <= 1


def _around_changes(zone: tzinfo, days: list[datetime]) -> list[datetime]:
    """Every hour of the two days around each change of the zone's offset from one noon to the next."""
    offsets = _utc_offsets(zone, days)
    hours: list[datetime] = []
    for index in range(1, len(days)):
        if offsets[index] != offsets[index - 1]:
            hours += [days[index - 1] + timedelta(hours=h) for h in range(-12, 37)]
    return hours


@functools.lru_cache(maxsize=256)
def matching_zone(tzid: str, zone: tzinfo, first_year: int, last_year: int) -> str | None:
    """The IANA zone whose offsets are ``zone``'s all through ``first_year``..``last_year``, or ``None``."""
    days = _days(first_year, last_year)
    samples = days[::15]
    wanted = _utc_offsets(zone, samples)
    found = [(name, candidate) for name, candidate in _candidates() if _utc_offsets(candidate, samples) == wanted]
    if not found:
        return None
    wanted_days = _utc_offsets(zone, days)
    found = [(name, candidate) for name, candidate in found if _utc_offsets(candidate, days) == wanted_days]
    hours = _around_changes(zone, days)
    wanted_hours = _utc_offsets(zone, hours)
    found = [(name, candidate) for name, candidate in found if _utc_offsets(candidate, hours) == wanted_hours]
    if not found:
        return None
    words = {word for word in re.split(r"[^a-z]+", tzid.lower()) if len(word) > 2}
    abbreviations = [moment.astimezone(zone).tzname() for moment in samples]

    def preference(entry: tuple[str, tzinfo]) -> tuple[int, int, str]:
        name, candidate = entry
        shared = len(words & set(re.split(r"[^a-z]+", name.lower())))
        same_names = [moment.astimezone(candidate).tzname() for moment in samples] == abbreviations
        return (-shared, -int(same_names), name)

    return min(found, key=preference)[0]
