"""The storage grammar, the span a value may cover, and display wording that never adds precision."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sco_cal.dates import DateValue, Precision, Span, Window, display_span, zone_for
from sco_cal.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "precision", "stored"),
    [
        ("2020", Precision.YEAR, "2020"),
        ("2020-06", Precision.MONTH, "2020-06"),
        ("2019-10-31", Precision.DAY, "2019-10-31"),
        ("2019-10-31 10:00 Europe/Moscow", Precision.MINUTE, "2019-10-31 10:00 Europe/Moscow"),
        ("2019-10-31 10:00", Precision.MINUTE, "2019-10-31 10:00"),
        ("2019-10-31T10:00:00+03:00", Precision.MINUTE, "2019-10-31T10:00+03:00"),
        ("2019-10-31T10:00Z", Precision.MINUTE, "2019-10-31 10:00 UTC"),
        ("2019-10-31T10:00-0530", Precision.MINUTE, "2019-10-31T10:00-05:30"),
    ],
)
def test_storage_forms(text: str, precision: Precision, stored: str) -> None:
    value = DateValue.from_text(text)
    assert value.precision is precision
    assert value.to_text() == stored
    assert DateValue.from_text(value.to_text()) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2019-02-30", "not a day in the calendar"),
        ("2020-13", "2020-13 is not a month"),
        ("2019-10-31 25:00 UTC", "not a time of day"),
        ("2019-10-31 10:00 Europe/Moskow", "unknown time zone 'Europe/Moskow'"),
        ("2019-10-31 10:00:30 UTC", "to the minute"),
        ("June 2020", "not a date sco-cal stores"),
        ("0000", "out of range"),
        ("2019-10-31T10:00+25:00", "out of range"),
    ],
)
def test_impossible_values_are_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        DateValue.from_text(text)


def test_month_covers_every_day_of_the_month() -> None:
    june = DateValue.from_text("2020-06")
    assert (june.first_day(), june.last_day()) == (date(2020, 6, 1), date(2020, 6, 30))
    february = DateValue.from_text("2020-02")
    assert february.last_day() == date(2020, 2, 29)
    december = DateValue.from_text("2019-12")
    assert december.last_day() == date(2019, 12, 31)


def test_time_is_read_in_its_zone_and_whole_days_float() -> None:
    moscow = DateValue.from_text("2019-10-31 10:00 Europe/Moscow")
    assert moscow.earliest(UTC).astimezone(UTC) == datetime(2019, 10, 31, 7, 0, tzinfo=UTC)
    default = DateValue.from_text("2019-10-31 10:00")
    assert default.earliest(UTC, "Asia/Tokyo").astimezone(UTC) == datetime(2019, 10, 31, 1, 0, tzinfo=UTC)
    day = DateValue.from_text("2019-10-31")
    tokyo = zone_for("Asia/Tokyo")
    assert day.earliest(tokyo) == datetime(2019, 10, 31, tzinfo=tokyo)


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        ("2020-06", None, "Jun 2020 (date TBC)"),
        ("2020", None, "2020 (TBC)"),
        ("2020", "2020", "2020 (all year)"),
        ("2020-06", "2020-06", "Jun 2020 (all month)"),
        ("2019-10-31", "2019-11-01", "31 Oct - 1 Nov 2019"),
        ("2019-11-01", "2019-11-03", "1-3 Nov 2019"),
        ("2019-12-30", "2020-01-02", "30 Dec 2019 - 2 Jan 2020"),
        ("2019-10-31 10:00 Europe/Moscow", None, "31 Oct 2019 10:00 MSK"),
        ("2019-10-31 10:00 Europe/Moscow", "2019-10-31 12:30 Europe/Moscow", "31 Oct 2019 10:00-12:30 MSK"),
        ("2019-10-31T10:00+03:00", None, "31 Oct 2019 10:00 UTC+03:00"),
        ("2020-06", "2020-07", "Jun - Jul 2020 (dates TBC)"),
        ("2019", "2020", "2019-2020 (TBC)"),
    ],
)
def test_display_never_adds_precision(start: str, end: str | None, shown: str) -> None:
    assert display_span(DateValue.from_text(start), DateValue.from_text(end) if end else None) == shown


def test_undated_event_says_so() -> None:
    assert display_span(None, None) == "date unknown"


def test_span_is_fixed_only_when_certain() -> None:
    def span(start: str, end: str | None = None) -> Span:
        return Span.of(DateValue.from_text(start), DateValue.from_text(end) if end else None, UTC, "UTC")

    assert span("2019-10-31", "2019-11-01").fixed
    assert not span("2020-06").fixed
    assert span("2020", "2020").fixed, "start and end both 2020 says the event fills the year"
    assert not span("2019-10-31", "2020-06").fixed
    june = span("2020-06")
    assert (june.start, june.end) == (datetime(2020, 6, 1, tzinfo=UTC), datetime(2020, 7, 1, tzinfo=UTC))


def test_window_overlap_counts_what_might_fall_in_it() -> None:
    window = Window.of_days(date(2020, 6, 10), date(2020, 6, 20), UTC)
    june = Span.of(DateValue.from_text("2020-06"), None, UTC, "UTC")
    may = Span.of(DateValue.from_text("2020-05"), None, UTC, "UTC")
    assert window.overlaps(june)
    assert not window.overlaps(may)
    point = DateValue.from_text("2020-06-21 00:00 UTC")
    assert not window.overlaps(Span.of(point, None, UTC, "UTC")), "the window's end is exclusive"


def test_window_must_not_end_before_it_starts() -> None:
    with pytest.raises(InvalidInput, match="ends"):
        Window(datetime(2020, 1, 2, tzinfo=UTC), datetime(2020, 1, 1, tzinfo=UTC))


def test_offset_zone() -> None:
    assert zone_for("-05:30").utcoffset(None) == -timedelta(hours=5, minutes=30)
