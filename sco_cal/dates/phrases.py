"""The lenient grammar of what people type: ``June 2020``, ``31 Oct - 1 Nov 2019``, ``today``, ``+30d``.

Every function takes ``today`` (and a zone where one matters) as an argument: only the CLI reads the clock.
Numeric dates that could be read two ways (``03/04/2020``) are refused with the unambiguous spellings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Final

from sco_cal.dates.values import DateValue, Precision
from sco_cal.dates.windows import Window
from sco_cal.dates.zones import abbreviated, abbreviation_refused, is_abbreviation, zone_for
from sco_cal.errors import AmbiguousDate, InvalidInput

# The IANA zones in which a typed abbreviation (``MSK``) is understood: the registry's and the display zone.
# A callable is asked only when an abbreviation was typed, so a caller may look the zones up lazily.
Zones = Sequence[str] | Callable[[], Sequence[str]]

__all__ = ["parse_date", "parse_days", "parse_now", "parse_span", "parse_window"]

_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH: Final = r"([A-Za-z]{3,9})\.?"
_ZONE: Final = r"UTC[+-]\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|[A-Za-z][\w+\-/]*"
# A time, perhaps a range within the day (``10:00-12:00``), perhaps a zone: what ``display_span`` prints.
_CLOCK: Final = (
    rf"(?:\s+(?:at\s+)?(\d{{1,2}}):(\d{{2}})(?:\s*[-\u2013\u2014]\s*(\d{{1,2}}):(\d{{2}}))?(?:\s+({_ZONE}))?)?"
)
# Patterns, not compiled objects: re compiles (and caches) each on first use, so a run given an ISO date or
# none at all never pays the millisecond they take to compile together.
_DAY_MONTH_YEAR: Final = rf"(?i)(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}}){_CLOCK}"
_MONTH_DAY_YEAR: Final = rf"(?i){_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}}){_CLOCK}"
_MONTH_YEAR: Final = rf"(?i){_MONTH},?\s+(\d{{4}})"
_ISO_CLOCK: Final = rf"(\d{{4}})-(\d{{2}})-(\d{{2}}){_CLOCK}"
# ``2019-10-31 10:00-12:00``: a range 10:00 to 12:00, or 10:00 at UTC-12:00 (what the ISO ``T`` form says)
_ISO_DASH: Final = r"(\d{4}-\d{2}-\d{2}) (\d{1,2}:\d{2})-(\d{1,2}:?\d{2})"
_YEAR_RANGE: Final = r"(\d{4})\s*[-\u2013\u2014]\s*(\d{4})"
_BARE_CLOCK: Final = rf"\d{{1,2}}:\d{{2}}(?:\s+(?:{_ZONE}))?"
_WHOLE_PERIOD: Final = r"(?i)\s*\((?:all\s+(?:year|month|quarter|half|season)|throughout)\)$"
_NUMERIC: Final = r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})"
_RANGE_SPLIT: Final = r"(?i)\s+(?:-|\u2013|\u2014|to|until)\s+|\s*[\u2013\u2014]\s*"
_DAY_RANGE: Final = r"(\d{1,2})\s*[-\u2013\u2014]\s*(\d{1,2}\s+.+)"
_NEXT_DAYS: Final = r"(?i)(?:next|coming)\s+(\d{1,4})\s+days?"


def _month_number(name: str) -> int:
    try:
        return _MONTHS[name.lower()]
    except KeyError:
        raise InvalidInput(f"{name!r} is not a month name") from None


def _with_clock(day: date, clock: Sequence[str | None], text: str, zones: Zones) -> tuple[DateValue, DateValue | None]:
    """A day with the time (and perhaps end time and zone) the ``_CLOCK`` groups found in ``text``."""
    hour, minute, end_hour, end_minute, zone_text = clock
    if hour is None or minute is None:
        return DateValue.of_day(day), None
    start = _moment(day, hour, minute, text)
    zone = _zone(zone_text, start, text, zones) if zone_text else None
    first = DateValue.of_time(start, zone)
    if end_hour is None or end_minute is None:
        return first, None
    last = DateValue.of_time(_moment(day, end_hour, end_minute, text), zone)
    if (last.hour, last.minute) <= (first.hour, first.minute):
        raise InvalidInput(
            f"{text!r}: the end time is not after the start; a range past midnight names both days "
            f"('31 Oct 2019 22:00 - 1 Nov 2019 01:00'), and an offset is written UTC-05:00 or 2019-10-31T10:00-05:00"
        )
    return first, last


def _moment(day: date, hour: str, minute: str, text: str) -> datetime:
    if int(hour) > 23 or int(minute) > 59:
        raise InvalidInput(f"{text!r}: {hour}:{minute} is not a time of day (00:00-23:59)")
    return datetime(day.year, day.month, day.day, int(hour), int(minute))


def _zone(typed: str, wall: datetime, text: str, zones: Zones) -> str:
    """The zone to store for what was typed after a time: an offset, ``UTC``, an IANA name, or an abbreviation
    the registry's or display zone uses at that moment (``MSK`` in a Moscow registry), as that zone's name."""
    if m := re.fullmatch(r"(?i)(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?", typed):
        offset = f"{m[1]}{int(m[2]):02d}:{m[3] or '00'}"
        zone_for(offset)
        return offset
    if typed.upper() in ("UTC", "GMT", "Z"):
        return "UTC"
    if not is_abbreviation(typed.upper()):
        zone_for(typed)
        return typed
    abbreviation = typed.upper()
    in_use = {name: wall.replace(tzinfo=zone_for(name)).tzname() for name in (zones() if callable(zones) else zones)}
    for name in in_use:
        if (stored := abbreviated(wall, name, abbreviation)) is not None:
            return stored
    seen = ", ".join(f"{name} uses {used}" for name, used in in_use.items())
    then = f" (on {wall.day} {wall:%b %Y %H:%M} {seen})" if seen else ""
    raise InvalidInput(f"{text!r}: {abbreviation_refused(abbreviation)}{then}")


def _numeric(match: re.Match[str]) -> DateValue:
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    readings = []
    for day, month in ((first, second), (second, first)):
        try:
            readings.append(date(year, month, day))
        except ValueError:
            continue
    if len(set(readings)) > 1:
        a, b = readings
        raise AmbiguousDate(
            f"{match[0]!r} could be {a:%d %b %Y} or {b:%d %b %Y}; write {a.isoformat()} or {b.isoformat()}"
            f" (or {a.day} {a:%b %Y})"
        )
    if not readings:
        raise InvalidInput(f"{match[0]!r} is not a day in the calendar")
    return DateValue.of_day(readings[0])


def parse_date(text: str, *, today: date, zones: Zones = (), southern: bool = False) -> DateValue:
    """One date as a person types it, keeping the precision they gave.

    ``zones`` are where a typed abbreviation is understood (the registry's and the display zone): ``MSK`` is
    read as ``Europe/Moscow`` when that zone uses it at that moment, and refused otherwise (seasons: ``southern``).

    Raises:
        AmbiguousDate: For ``03/04/2020``; the message shows ``2020-04-03`` and ``2020-03-04``.
        InvalidInput: For anything else that is not a date, and for a range (``parse_span`` reads those).

    >>> parse_date("June 2020", today=date(2019, 11, 1)).to_text()
    '2020-06'
    >>> parse_date("+30d", today=date(2019, 11, 1)).to_text()
    '2019-12-01'
    """
    start, end = _one(text, today, zones, southern)
    if end is not None and end != start:
        raise InvalidInput(f"{text!r} is a range; give one date here, such as {start.display()}")
    return start


def _one(text: str, today: date, zones: Zones, southern: bool = False) -> tuple[DateValue, DateValue | None]:
    """A date, or a time range within one day, or a whole period ("2020 (all year)") as its start and end."""
    cleaned = _cleaned(text)
    if m := re.fullmatch(_WEEKDAY_FIRST, cleaned):  # agenda and review print "Mon 15 Jun 2020"
        found = _one(m[2], today, zones, southern)
        return _on_weekday(found, _WEEKDAYS.index(m[1][:3].lower()), text)
    if re.search(_WHOLE_PERIOD, cleaned):
        value = _value(re.sub(_WHOLE_PERIOD, "", cleaned), text, today, zones, southern)[0]
        return value, value
    return _value(cleaned, text, today, zones, southern)


_WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_FIRST: Final = r"(?i)((?:mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?|tues|thurs)\.?,?\s+(.+)"


def _on_weekday(
    found: tuple[DateValue, DateValue | None], weekday: int, text: str
) -> tuple[DateValue, DateValue | None]:
    """A date typed with its day of the week: the two must agree, as a wrong one means a slip in one of them."""
    start = found[0]
    if start.precision not in (Precision.DAY, Precision.MINUTE) or (found[1] is not None and found[1] != start):
        raise InvalidInput(f"{text!r}: a day of the week goes with one day, such as 'Mon 15 Jun 2020'")
    day = date(start.year, start.month or 1, start.day or 1)
    if day.weekday() != weekday:
        raise InvalidInput(f"{text!r}: {day:%d %b %Y} is a {day:%A}")
    return found


def _value(cleaned: str, text: str, today: date, zones: Zones, southern: bool) -> tuple[DateValue, DateValue | None]:
    from sco_cal.dates.counted import relative_date  # loaded with the first phrase read, not with this module

    with_relative = relative_date(cleaned.lower(), today)
    if with_relative is not None:
        return with_relative, None
    if m := re.fullmatch(_ISO_DASH, cleaned):
        raise _dash_ambiguity(text, m)
    if m := re.fullmatch(_ISO_CLOCK, cleaned):
        return _with_clock(_day(int(m[1]), int(m[2]), int(m[3]), text), m.groups()[3:], text, zones)
    try:
        return DateValue.from_text(cleaned).in_hemisphere(southern=southern), None
    except InvalidInput as strict_error:
        storage_error = strict_error
    if m := re.fullmatch(_NUMERIC, cleaned):
        return _numeric(m), None
    from sco_cal.dates.part_phrases import parse_part  # quarters, seasons...: a grammar of their own, on demand

    if part := parse_part(cleaned, _MONTHS, southern=southern):
        return part, None
    if m := re.fullmatch(_DAY_MONTH_YEAR, cleaned):
        return _with_clock(_day(int(m[3]), _month_number(m[2]), int(m[1]), text), m.groups()[3:], text, zones)
    if m := re.fullmatch(_MONTH_DAY_YEAR, cleaned):
        return _with_clock(_day(int(m[3]), _month_number(m[1]), int(m[2]), text), m.groups()[3:], text, zones)
    if m := re.fullmatch(_MONTH_YEAR, cleaned):
        return DateValue.of_month(int(m[2]), _month_number(m[1])), None
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", cleaned) or re.match(r"\d{4}-\d{2}-\d{2}[ T]\d", cleaned):
        raise storage_error  # looks like the storage form, so its precise message is the helpful one
    from sco_cal.dates.wording import not_understood, without_year

    if not re.search(r"\d{4}", cleaned) and _reads(f"{cleaned} {today.year}", today, southern):
        raise InvalidInput(without_year(text, cleaned, today.year))
    raise InvalidInput(not_understood(text))


def _cleaned(text: str) -> str:
    from sco_cal.dates.wording import cleaned  # a command that reads no phrase need not load it

    return cleaned(text)


def _reads(text: str, today: date, southern: bool) -> bool:
    try:
        return bool(_value(text, text, today, (), southern))
    except InvalidInput:
        return False


def _dash_ambiguity(text: str, m: re.Match[str]) -> AmbiguousDate:
    day, clock, after = m[1], m[2], m[3]
    offset = f"-{after[:2]}:{after[-2:]}" if len(after) >= 4 else f"-{int(after.split(':')[0]):02d}:00"
    shown = date.fromisoformat(day)
    return AmbiguousDate(
        f"{text!r} could be {clock} to {after} on {shown.day} {shown:%b %Y} or {clock} at UTC{offset}; write "
        f"'{day} {clock} - {after}' for the range, or {day}T{int(clock.split(':')[0]):02d}:{clock[-2:]}{offset} "
        "for the offset"
    )


def _day(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a day in the calendar") from None


def parse_span(
    text: str, *, today: date, zones: Zones = (), southern: bool = False
) -> tuple[DateValue, DateValue | None]:
    """A date or a range as typed or as sco-cal prints it: ``31 Oct - 1 Nov 2019``, ``1-3 Nov 2019``,
    ``June - July 2020``, ``31 Oct 2019 10:00-12:00 MSK``, ``2020-2021 (TBC)``, ``2020 (all year)``, ``Q3 - Q4 2020``.

    The left side borrows the year (and month) it leaves out from the right side; a bare time on the right
    (``2019-10-31 10:00 - 12:00``) ends the same day.

    >>> [v.to_text() for v in parse_span("31 Oct - 1 Nov 2019", today=date(2019, 1, 1))]
    ['2019-10-31', '2019-11-01']
    """
    cleaned = _cleaned(text)
    from sco_cal.dates.part_phrases import spelled_range

    cleaned = spelled_range(cleaned)
    if m := re.fullmatch(_DAY_RANGE, cleaned):
        end = parse_date(m[2], today=today, zones=zones)
        if end.precision is Precision.DAY:
            return _ordered(_day(end.year, end.month or 1, int(m[1]), text), end, text)
    if m := re.fullmatch(_YEAR_RANGE, cleaned):
        return _ordered_values(DateValue.of_year(int(m[1])), DateValue.of_year(int(m[2])), text)
    parts = re.split(_RANGE_SPLIT, cleaned)
    if len(parts) == 1:
        return _one(text, today, zones, southern)
    if len(parts) != 2:
        raise InvalidInput(f"{text!r}: write one date, or a range such as '31 Oct - 1 Nov 2019'")
    left_text, right_text = parts
    if re.fullmatch(_BARE_CLOCK, right_text):
        return _one(f"{left_text} - {right_text}", today, zones)
    end = parse_date(right_text, today=today, zones=zones, southern=southern)
    start = _borrow_year(left_text, end, today, zones, southern)
    return _ordered_values(start, end, text)


def _borrow_year(left: str, end: DateValue, today: date, zones: Zones, southern: bool) -> DateValue:
    try:
        return parse_date(left, today=today, zones=zones, southern=southern)
    except InvalidInput:
        pass
    # "31 Oct", "June", "Q3", "spring", "early June": the year is the end's
    if re.fullmatch(r"(?i)(?:\d{1,2}(?:st|nd|rd|th)?\s+)?[a-z][a-z0-9 -]{0,24}\.?", left):
        from sco_cal.dates.part_phrases import borrowed

        return parse_date(f"{left} {borrowed(left, end)}", today=today, southern=southern)
    raise InvalidInput(f"{left!r} is not the start of a range; write it like '31 Oct - 1 Nov 2019'")


def _ordered(start: date, end: DateValue, text: str) -> tuple[DateValue, DateValue | None]:
    return _ordered_values(DateValue.of_day(start), end, text)


def _ordered_values(start: DateValue, end: DateValue, text: str) -> tuple[DateValue, DateValue | None]:
    if end.last_day() < start.first_day():
        raise InvalidInput(f"{text!r}: the end comes before the start")
    return start, end


def parse_window(
    text: str, *, today: date, zone: tzinfo, zones: Zones = (), wall_zone: str | None = None, southern: bool = False
) -> Window:
    """The stretch of days a phrase names, as seen in ``zone``: ``June 2020``, ``2019``, ``next month``,
    ``next 30 days``, ``+30d`` (today to 30 days on), ``31 Oct - 1 Nov 2019``, or any date sco-cal prints.

    >>> from datetime import UTC
    >>> parse_window("June 2020", today=date(2019, 11, 1), zone=UTC).start.date()
    datetime.date(2020, 6, 1)
    """
    cleaned = " ".join(text.strip().split()).lower()
    if m := re.fullmatch(_NEXT_DAYS, cleaned):
        return Window.of_days(today, today + timedelta(days=int(m[1]) - 1), zone)
    if cleaned in ("this week", "next week"):
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=cleaned == "next week")
        return Window.of_days(monday, monday + timedelta(days=6), zone)
    from sco_cal.dates.counted import RELATIVE

    if re.fullmatch(RELATIVE, cleaned):
        other = parse_date(cleaned, today=today).first_day()
        first, last = sorted((today, other))
        return Window.of_days(first, last, zone)
    start, end = parse_span(text, today=today, zones=zones, southern=southern)
    _check_wall_times(start, end, wall_zone)
    return Window.of_days(start.first_day(), (end or start).last_day(), zone)


def parse_days(
    text: str, *, today: date, zones: Zones = (), wall_zone: str | None = None, southern: bool = False
) -> tuple[date, date]:
    """The first and last day a ``--from`` or ``--to`` names: a date, a range or a period sco-cal prints
    (``31 Oct - 1 Nov 2019``, ``June 2020``), or a window phrase (``next week``, ``next 30 days``). A relative
    date names its one day: ``--from +30d`` starts 30 days on.

    >>> parse_days("next week", today=date(2019, 11, 1))
    (datetime.date(2019, 11, 4), datetime.date(2019, 11, 10))
    """
    cleaned = " ".join(text.strip().split()).lower()
    if re.fullmatch(_NEXT_DAYS, cleaned) or cleaned in ("this week", "next week"):
        from datetime import UTC

        window = parse_window(cleaned, today=today, zone=UTC)
        return window.start.date(), (window.end - timedelta(days=1)).date()
    start, end = parse_span(text, today=today, zones=zones, southern=southern)
    _check_wall_times(start, end, wall_zone)
    return start.first_day(), (end or start).last_day()


def _check_wall_times(start: DateValue, end: DateValue | None, wall_zone: str | None) -> None:
    """A time in a window must happen once (``wall_zone`` reads a zoneless one); its day is what counts, but a
    time the clocks skip is a slip the user should hear about."""
    if wall_zone is not None:
        for value in (start, end):
            if value is not None:
                value.check_wall_time(wall_zone)


def parse_now(text: str) -> datetime:
    """An instant for ``--now``: ISO 8601 with an offset or ``Z``, e.g. ``2030-03-09T07:30:00Z``."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise InvalidInput(f"--now {text!r} is not an ISO 8601 time such as 2030-03-09T07:30:00Z") from None
    if moment.tzinfo is None:
        raise InvalidInput(f"--now {text!r} needs an offset or Z, e.g. 2030-03-09T07:30:00+03:00")
    return moment
