"""The lenient grammar of what people type: ``June 2020``, ``31 Oct - 1 Nov 2019``, ``today``, ``+30d``.

Every function takes ``today`` (and a zone where one matters) as an argument: only the CLI reads the clock.
Numeric dates that could be read two ways (``03/04/2020``) are refused with the unambiguous spellings.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo
from typing import Final

from sco_cal.dates import DateValue, Precision, Window
from sco_cal.errors import AmbiguousDate, InvalidInput

__all__ = ["parse_date", "parse_now", "parse_span", "parse_window"]

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
_CLOCK: Final = r"(?:\s+(?:at\s+)?(\d{1,2}):(\d{2})(?:\s+([A-Za-z][\w+\-/]*|[+-]\d{2}:?\d{2}))?)?"
# Patterns, not compiled objects: re compiles (and caches) each on first use, so a run given an ISO date or
# none at all never pays the millisecond they take to compile together.
_DAY_MONTH_YEAR: Final = rf"(?i)(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}}){_CLOCK}"
_MONTH_DAY_YEAR: Final = rf"(?i){_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}}){_CLOCK}"
_MONTH_YEAR: Final = rf"(?i){_MONTH},?\s+(\d{{4}})"
_NUMERIC: Final = r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})"
_RELATIVE: Final = r"([+-])\s*(\d{1,4})\s*([dwmy])"
_RANGE_SPLIT: Final = r"(?i)\s+(?:-|\u2013|\u2014|to|until)\s+|\s*[\u2013\u2014]\s*"
_DAY_RANGE: Final = r"(\d{1,2})\s*[-\u2013\u2014]\s*(\d{1,2}\s+.+)"
_NEXT_DAYS: Final = r"(?i)(?:next|coming)\s+(\d{1,4})\s+days?"


def _month_number(name: str) -> int:
    try:
        return _MONTHS[name.lower()]
    except KeyError:
        raise InvalidInput(f"{name!r} is not a month name") from None


def _with_clock(day: date, hour: str | None, minute: str | None, zone: str | None) -> DateValue:
    if hour is None:
        return DateValue.of_day(day)
    if zone and zone[0] in "+-":
        zone = f"{zone[:3]}:{zone[-2:]}"
    return DateValue(Precision.MINUTE, day.year, day.month, day.day, int(hour), int(minute or 0), zone)


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


def parse_date(text: str, *, today: date) -> DateValue:
    """One date as a person types it, keeping the precision they gave.

    Raises:
        AmbiguousDate: For ``03/04/2020``; the message shows ``2020-04-03`` and ``2020-03-04``.
        InvalidInput: For anything else that is not a date.

    >>> parse_date("June 2020", today=date(2019, 11, 1)).to_text()
    '2020-06'
    >>> parse_date("+30d", today=date(2019, 11, 1)).to_text()
    '2019-12-01'
    """
    cleaned = " ".join(text.strip().split())
    lowered = cleaned.lower()
    with_relative = _relative(lowered, today)
    if with_relative is not None:
        return with_relative
    try:
        return DateValue.from_text(cleaned)
    except InvalidInput as strict_error:
        storage_error = strict_error
    if m := re.fullmatch(_NUMERIC, cleaned):
        return _numeric(m)
    if m := re.fullmatch(_DAY_MONTH_YEAR, cleaned):
        return _with_clock(_day(int(m[3]), _month_number(m[2]), int(m[1]), cleaned), m[4], m[5], m[6])
    if m := re.fullmatch(_MONTH_DAY_YEAR, cleaned):
        return _with_clock(_day(int(m[3]), _month_number(m[1]), int(m[2]), cleaned), m[4], m[5], m[6])
    if m := re.fullmatch(_MONTH_YEAR, cleaned):
        return DateValue.of_month(int(m[2]), _month_number(m[1]))
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", cleaned) or re.match(r"\d{4}-\d{2}-\d{2}[ T]\d", cleaned):
        raise storage_error  # looks like the storage form, so its precise message is the helpful one
    raise InvalidInput(
        f"{text!r} is not a date sco-cal understands; try 2020, June 2020, 31 Oct 2019, 2019-10-31, "
        "'2019-10-31 10:00 Europe/Moscow', today, tomorrow, +30d or next month"
    )


def _day(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a day in the calendar") from None


def _relative(lowered: str, today: date) -> DateValue | None:
    words = {"today": 0, "tomorrow": 1, "yesterday": -1}
    if lowered in words:
        return DateValue.of_day(today + timedelta(days=words[lowered]))
    year_words = {"this year": 0, "next year": 1, "last year": -1}
    if lowered in year_words:
        return DateValue.of_year(today.year + year_words[lowered])
    month_words = {"this month": 0, "next month": 1, "last month": -1}
    m = re.fullmatch(_RELATIVE, lowered)
    if m is None and lowered not in month_words:
        return None
    # month steps clip to the month's last day; imported only here, not for every date typed
    from dateutil.relativedelta import relativedelta

    if m is not None:
        amount = int(m[2]) * (-1 if m[1] == "-" else 1)
        step = {
            "d": relativedelta(days=amount),
            "w": relativedelta(weeks=amount),
            "m": relativedelta(months=amount),
            "y": relativedelta(years=amount),
        }[m[3]]
        return DateValue.of_day(today + step)
    first = today.replace(day=1) + relativedelta(months=month_words[lowered])
    return DateValue.of_month(first.year, first.month)


def parse_span(text: str, *, today: date) -> tuple[DateValue, DateValue | None]:
    """A date or a range as typed: ``31 Oct - 1 Nov 2019``, ``1-3 Nov 2019``, ``June - July 2020``.

    The left side borrows the year (and month) it leaves out from the right side.

    >>> [v.to_text() for v in parse_span("31 Oct - 1 Nov 2019", today=date(2019, 1, 1))]
    ['2019-10-31', '2019-11-01']
    """
    cleaned = " ".join(text.strip().split())
    if m := re.fullmatch(_DAY_RANGE, cleaned):
        end = parse_date(m[2], today=today)
        if end.precision is Precision.DAY:
            return _ordered(_day(end.year, end.month or 1, int(m[1]), text), end, text)
    parts = re.split(_RANGE_SPLIT, cleaned)
    if len(parts) == 1:
        return parse_date(cleaned, today=today), None
    if len(parts) != 2:
        raise InvalidInput(f"{text!r}: write one date, or a range such as '31 Oct - 1 Nov 2019'")
    left_text, right_text = parts
    end = parse_date(right_text, today=today)
    start = _borrow_year(left_text, end, today)
    return _ordered_values(start, end, text)


def _borrow_year(left: str, end: DateValue, today: date) -> DateValue:
    try:
        return parse_date(left, today=today)
    except InvalidInput:
        pass
    if re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?", left):
        return parse_date(f"{left} {end.year}", today=today)
    if re.fullmatch(r"[A-Za-z]{3,9}\.?", left):
        return parse_date(f"{left} {end.year}", today=today)
    raise InvalidInput(f"{left!r} is not the start of a range; write it like '31 Oct - 1 Nov 2019'")


def _ordered(start: date, end: DateValue, text: str) -> tuple[DateValue, DateValue | None]:
    return _ordered_values(DateValue.of_day(start), end, text)


def _ordered_values(start: DateValue, end: DateValue, text: str) -> tuple[DateValue, DateValue | None]:
    if end.last_day() < start.first_day():
        raise InvalidInput(f"{text!r}: the end comes before the start")
    return start, end


def parse_window(text: str, *, today: date, zone: tzinfo) -> Window:
    """The stretch of days a phrase names, as seen in ``zone``: ``June 2020``, ``2019``, ``next month``,
    ``next 30 days``, ``+30d`` (today to 30 days on), ``31 Oct - 1 Nov 2019``.

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
    if re.fullmatch(_RELATIVE, cleaned):
        other = parse_date(cleaned, today=today).first_day()
        first, last = sorted((today, other))
        return Window.of_days(first, last, zone)
    start, end = parse_span(text, today=today)
    return Window.of_days(start.first_day(), (end or start).last_day(), zone)


def parse_now(text: str) -> datetime:
    """An instant for ``--now``: ISO 8601 with an offset or ``Z``, e.g. ``2030-03-09T07:30:00Z``."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise InvalidInput(f"--now {text!r} is not an ISO 8601 time such as 2030-03-09T07:30:00Z") from None
    if moment.tzinfo is None:
        raise InvalidInput(f"--now {text!r} needs an offset or Z, e.g. 2030-03-09T07:30:00+03:00")
    return moment
