"""What people type on the command line, read at the precision they gave; ambiguity is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sco_cal.dates.phrases import parse_now, parse_span, parse_window
from sco_cal.errors import AmbiguousDate, InvalidInput

TODAY = date(2019, 11, 1)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("June 2020", ("2020-06", None)),
        ("jun 2020", ("2020-06", None)),
        ("2020", ("2020", None)),
        ("31 Oct 2019", ("2019-10-31", None)),
        ("October 31, 2019", ("2019-10-31", None)),
        ("31 Oct - 1 Nov 2019", ("2019-10-31", "2019-11-01")),
        ("31 October \u2014 1 November 2019", ("2019-10-31", "2019-11-01")),
        ("1-3 Nov 2019", ("2019-11-01", "2019-11-03")),
        ("June - July 2020", ("2020-06", "2020-07")),
        ("2019-10-31 10:00 Europe/Moscow", ("2019-10-31 10:00 Europe/Moscow", None)),
        ("31 Oct 2019 10:00 Europe/Moscow", ("2019-10-31 10:00 Europe/Moscow", None)),
        ("31 Oct 2019 14:00 UTC", ("2019-10-31 14:00 UTC", None)),
        ("today", ("2019-11-01", None)),
        ("tomorrow", ("2019-11-02", None)),
        ("+30d", ("2019-12-01", None)),
        ("+2w", ("2019-11-15", None)),
        ("+1m", ("2019-12-01", None)),
        ("next month", ("2019-12", None)),
        ("next year", ("2020", None)),
        ("13/04/2020", ("2020-04-13", None)),
        ("2019-10-31 - 2019-11-01", ("2019-10-31", "2019-11-01")),
    ],
)
def test_phrase_to_stored_text(typed: str, expected: tuple[str, str | None]) -> None:
    start, end = parse_span(typed, today=TODAY)
    assert (start.to_text(), end and end.to_text()) == expected


def test_ambiguous_numeric_date_is_refused_with_both_spellings() -> None:
    with pytest.raises(AmbiguousDate, match="2020-04-03 or 2020-03-04"):
        parse_span("03/04/2020", today=TODAY)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31 Febtember 2020", "not a month name"),
        ("30 Feb 2020", "not a day in the calendar"),
        ("1 Nov - 31 Oct 2019", "end comes before the start"),
        ("someday", "not a date sco-cal understands"),
        ("2019-02-30", "not a day in the calendar"),
    ],
)
def test_bad_phrases_say_what_is_wrong(typed: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_span(typed, today=TODAY)


@pytest.mark.parametrize(
    ("typed", "first", "last"),
    [
        ("June 2020", date(2020, 6, 1), date(2020, 6, 30)),
        ("2019", date(2019, 1, 1), date(2019, 12, 31)),
        ("next month", date(2019, 12, 1), date(2019, 12, 31)),
        ("next 30 days", date(2019, 11, 1), date(2019, 11, 30)),
        ("+30d", date(2019, 11, 1), date(2019, 12, 1)),
        ("31 Oct - 1 Nov 2019", date(2019, 10, 31), date(2019, 11, 1)),
        ("this week", date(2019, 10, 28), date(2019, 11, 3)),
    ],
)
def test_windows(typed: str, first: date, last: date) -> None:
    window = parse_window(typed, today=TODAY, zone=UTC)
    assert window.start == datetime(first.year, first.month, first.day, tzinfo=UTC)
    assert (window.end - window.start).days == (last - first).days + 1


def test_now_needs_an_offset() -> None:
    assert parse_now("2030-03-09T07:30:00Z") == datetime(2030, 3, 9, 7, 30, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="needs an offset"):
        parse_now("2030-03-09T07:30:00")
