"""The dates and times of a VEVENT as our ``DateValue``: DTSTART, DTEND or DURATION, RECURRENCE-ID, EXDATE
and RDATE, each placed in the zone it means (a TZID, a Windows zone name, a zone the file defines only by its
VTIMEZONE, the calendar's X-WR-TIMEZONE, or the importing registry's zone).

Exports ``raw_dates``, ``dates_of``, ``dt_of``, ``named_zone``, ``aware``, ``value_of``, ``as_occurrence``,
``occurrence_list``, ``floating_zone`` and ``feed_zone``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, Final

from icalendar import BrokenCalendarProperty, Calendar, Component

from sco_cal.dates import DateValue, Precision, zone_for
from sco_cal.errors import AmbiguousDate, InvalidInput
from sco_cal.ics import zones as ics_zones
from sco_cal.ics.incoming import Context, PropertyError, RawDates
from sco_cal.ics.lines import unescape_text

__all__ = [
    "as_occurrence",
    "aware",
    "dates_of",
    "dt_of",
    "feed_zone",
    "floating_zone",
    "named_zone",
    "occurrence_list",
    "raw_dates",
    "value_of",
]


def _zone_property(calendar: Calendar, name: str) -> str | None:
    value = calendar.get(name)
    if value is None:
        return None
    text = unescape_text(str(value)).strip()
    try:
        zone_for(text)
    except InvalidInput:
        return None
    return text


def floating_zone(calendar: Calendar) -> str | None:
    return _zone_property(calendar, "X-WR-TIMEZONE")


def feed_zone(calendar: Calendar) -> str | None:
    return _zone_property(calendar, "X-SCO-TIMEZONE")


def feed_southern(calendar: Calendar) -> bool:
    """Whether the sco-cal registry that wrote the feed reads its seasons in the southern hemisphere."""
    value = calendar.get("X-SCO-SEASONS")
    return value is not None and unescape_text(str(value)).strip().lower() == "southern"


def _zone_name(moment: datetime, floating: str | None) -> str | None:
    zone = moment.tzinfo
    if zone is None:
        return floating
    key = getattr(zone, "key", None)
    if isinstance(key, str):
        if key in ("UTC", "Etc/UTC", "Etc/GMT", "GMT", "Z"):
            return "UTC"
        try:
            zone_for(key)
            return key
        except InvalidInput:
            pass
    offset = moment.utcoffset() or timedelta()
    if not offset:
        return "UTC"
    # A zone the file defines only by its own VTIMEZONE ("Customized Time Zone"): the offset the author saw.
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def value_of(moment: date | datetime, floating: str | None) -> DateValue:
    if not isinstance(moment, datetime):
        return DateValue.of_day(moment)
    zone = _zone_name(moment, floating)
    if zone is not None and zone[0] in "+-":
        moment = moment.astimezone(zone_for(zone))
    value = DateValue.of_time(moment, zone)
    return value if zone is None or zone == "UTC" or zone[0] in "+-" else _happening_once(value, zone)


def _happening_once(value: DateValue, zone: str) -> DateValue:
    """RFC 5545 reads a time the clocks skip with the offset before the jump, and one they repeat as its first
    pass: keep that instant, spelt so that it happens once (a registry refuses either as it stands)."""
    try:
        value.check_wall_time(zone)
    except AmbiguousDate:
        first = value.local_time(zone).replace(fold=0)
        offset = first.utcoffset() or timedelta()
        minutes = int(offset.total_seconds()) // 60
        return DateValue.of_time(
            first, f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        )
    except InvalidInput:
        return DateValue.of_time(value.local_time(zone).astimezone(UTC).astimezone(zone_for(zone)), zone)
    return value


def dt_of(vevent: Component, name: str) -> date | datetime | None:
    prop = vevent.get(name)
    if prop is None:
        return None
    if isinstance(prop, list):
        raise PropertyError(name, "appears more than once in the event; keep one")
    try:
        value = prop.dt
    except (BrokenCalendarProperty, ValueError) as error:  # icalendar keeps an unreadable value as vBroken
        raise PropertyError(name, f"cannot be read ({error})") from None
    if not isinstance(value, date):
        raise PropertyError(name, f"{value!r} is not a date or a date-time")
    tzid = prop.params.get("TZID")
    if isinstance(value, datetime) and value.tzinfo is None and tzid is not None:
        return value.replace(tzinfo=_zone_of_tzid(name, str(tzid)))
    return value


def _zone_of_tzid(name: str, tzid: str) -> tzinfo:
    """The zone a TZID that icalendar does not know names (it reads such a time as floating): an IANA or a
    Windows name; any other is refused, never read in some other zone."""
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    for candidate in (tzid.strip().strip("/"), WINDOWS_TO_OLSON.get(tzid.strip())):
        if candidate:
            try:
                return zone_for(candidate)
            except InvalidInput:
                pass
    raise PropertyError(
        name,
        f"TZID {tzid!r} is not a zone sco-cal knows, and the file has no VTIMEZONE that defines it; the time "
        "would be read in the wrong zone (use an IANA name such as Europe/Berlin)",
    )


def named_zone(vevent: Component, name: str, moment: date | datetime) -> date | datetime:
    """Outlook's TZID is a Windows name ("W. Europe Standard Time") with a VTIMEZONE of bare rules: read the
    wall time in the IANA zone it names, so the event keeps following that zone's real changes."""
    if (
        not isinstance(moment, datetime)
        or moment.tzinfo is None
        or isinstance(getattr(moment.tzinfo, "key", None), str)
    ):
        return moment
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    tzid = str(vevent[name].params.get("TZID", ""))
    iana = WINDOWS_TO_OLSON.get(tzid) or _rules_zone(vevent, name, tzid, moment)
    return moment.replace(tzinfo=zone_for(iana)) if iana else moment


def _rules_zone(vevent: Component, name: str, tzid: str, moment: datetime) -> str | None:
    """The IANA zone for a zone the file defines only by its VTIMEZONE, when its offset changes over the
    event's years (a steady one is kept as its offset, which is exact); a repeating time in a zone no IANA zone
    follows is refused rather than left to drift by an hour at each change."""
    assert moment.tzinfo is not None
    first, last = _years(vevent, moment)
    last = min(last, 9998)  # the compared days end a year on: within what datetime holds
    first = min(first, last)
    if ics_zones.steady(moment.tzinfo, first, last):
        return None
    found = ics_zones.matching_zone(tzid, moment.tzinfo, first, last)
    if found is None and vevent.get("RRULE") is not None:
        raise PropertyError(
            name,
            f"the zone {tzid!r} changes its offset by rules no IANA zone follows in {first}-{last}; sco-cal "
            "cannot keep a repeating time in it without moving some occurrences; give the event an IANA zone",
        )
    return found


_YEARS_AHEAD: Final = 10  # how far a rule without an end is compared: a VTIMEZONE's rules are those of its day


def _years(vevent: Component, moment: datetime) -> tuple[int, int]:
    """The first and last year of the event's occurrences (at most ``_YEARS_AHEAD`` on)."""
    rules = vevent.get("RRULE")
    if rules is None:
        return moment.year, moment.year
    text = (rules[0] if isinstance(rules, list) else rules).to_ical().decode()
    last = moment.year + _YEARS_AHEAD
    until = re.search(r"UNTIL=(\d{4})", text)
    if until is not None:
        return moment.year, max(moment.year, min(int(until[1]), last))
    if "COUNT=" in text.upper():
        from dateutil.rrule import rrulestr

        try:
            wall = moment.replace(tzinfo=None)
            found = rrulestr(text, dtstart=wall).between(wall, datetime(last, 12, 31), inc=True)
        except (ValueError, TypeError):
            return moment.year, last
        return moment.year, found[-1].year if found else moment.year
    return moment.year, last


def aware(moment: date | datetime, zone: str | None) -> date | datetime:
    if isinstance(moment, datetime) and moment.tzinfo is None and zone:
        return moment.replace(tzinfo=zone_for(zone))
    return moment


_WEEKS_AFTER_T_RE: Final = re.compile(r"([+-]?)PT(\d+)W", re.IGNORECASE)


def _duration(vevent: Component, warnings: list[str]) -> timedelta | None:
    """DURATION, with ``PT1W`` (weeks written as a time, which some writers do) read as ``P1W``."""
    prop = vevent.get("DURATION")
    if prop is None:
        return None
    try:
        value = prop.dt
    except (BrokenCalendarProperty, ValueError):
        text = str(prop).strip()
        weeks = _WEEKS_AFTER_T_RE.fullmatch(text)
        if not weeks:
            raise PropertyError("DURATION", f"{text!r} is not a duration such as PT1H30M or P1W") from None
        warnings.append(f"DURATION: {text!r} read as {weeks[1]}P{weeks[2]}W (weeks are not a time: no T)")
        value = int(weeks[2]) * timedelta(weeks=-1 if weeks[1] == "-" else 1)
    if not isinstance(value, timedelta):
        raise PropertyError("DURATION", f"{str(prop)!r} is not a duration such as PT1H30M or P1W")
    return value


def raw_dates(vevent: Component, context: Context, warnings: list[str]) -> RawDates | None:
    """DTSTART and the exclusive end (DTEND, or DTSTART + DURATION), floating times placed in their zone."""
    start = dt_of(vevent, "DTSTART")
    if start is None:
        return None
    start = named_zone(vevent, "DTSTART", start)
    end = dt_of(vevent, "DTEND")
    end = named_zone(vevent, "DTEND", end) if end is not None else None
    duration = _duration(vevent, warnings) if end is None else None
    if duration is not None:
        end = start + duration
    zone = context.floating or context.default_zone
    return aware(start, zone), aware(end, zone) if end is not None else None


def dates_of(
    raw: tuple[date | datetime, date | datetime | None], floating: str | None
) -> tuple[DateValue, DateValue | None]:
    start, end = raw
    first = value_of(start, floating)
    if end is None or isinstance(end, datetime) != isinstance(start, datetime):
        return first, None
    if not isinstance(start, datetime):
        last = end - timedelta(days=1)  # DTEND of an all-day event is exclusive
        return first, DateValue.of_day(last) if last > start else None
    assert isinstance(end, datetime)
    closing = value_of(end, floating)
    return first, closing if end > start and closing != first else None


def as_occurrence(moment: date | datetime, start: DateValue) -> DateValue:
    """An EXDATE, RDATE or RECURRENCE-ID as an occurrence of a series starting at ``start``: a day beside a
    day, a time in the start's zone beside a time, which is where the series' rule is worked out."""
    if start.precision is not Precision.MINUTE or not isinstance(moment, datetime):
        return DateValue.of_day(moment.date() if isinstance(moment, datetime) else moment)
    if start.zone is not None and moment.tzinfo is not None:
        return DateValue.of_time(moment.astimezone(zone_for(start.zone)), start.zone)
    return value_of(moment, None)


def occurrence_list(props: Any, start: DateValue, context: Context) -> tuple[DateValue, ...]:
    """The days or times of every EXDATE (or RDATE) of a series, as icalendar holds them (one ``vDDDLists`` or a
    list of them); a PERIOD of an RDATE is taken by its start."""
    found: list[DateValue] = []
    for prop in props if isinstance(props, list) else [props] if props is not None else []:
        zone_name = str(prop.params.get("TZID", ""))
        for item in getattr(prop, "dts", []):
            moment = item.dt[0] if isinstance(item.dt, tuple) else item.dt
            if isinstance(moment, datetime) and moment.tzinfo is None and not zone_name:
                moment = aware(moment, context.floating or context.default_zone)
            found.append(as_occurrence(moment, start))
    return tuple(dict.fromkeys(found))
