"""Quarters, halves, seasons and the early, middle and late part of a year or a month, as people type them:
each read at the precision given (never finer), the spans they may cover, and what sco-cal prints read back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import Result, registry

from sco_cal.dates import DateValue, Precision, parse_date, parse_span
from sco_cal.dates.phrases import parse_window
from sco_cal.errors import InvalidInput

TODAY = date(2019, 11, 1)

# typed, stored value, precision, first day, last day (inclusive)
PHRASES = [
    ("Q3 2020", "2020-Q3", Precision.QUARTER, "2020-07-01", "2020-09-30"),
    ("q3 2020", "2020-Q3", Precision.QUARTER, "2020-07-01", "2020-09-30"),
    ("2020-Q3", "2020-Q3", Precision.QUARTER, "2020-07-01", "2020-09-30"),
    ("2020-q4", "2020-Q4", Precision.QUARTER, "2020-10-01", "2020-12-31"),
    ("third quarter of 2020", "2020-Q3", Precision.QUARTER, "2020-07-01", "2020-09-30"),
    ("3rd quarter of 2020", "2020-Q3", Precision.QUARTER, "2020-07-01", "2020-09-30"),
    ("the third quarter of 2020", "2020-Q3", Precision.QUARTER, "2020-07-01", "2020-09-30"),
    ("The Third Quarter Of 2020", "2020-Q3", Precision.QUARTER, "2020-07-01", "2020-09-30"),
    ("the first quarter 2021", "2021-Q1", Precision.QUARTER, "2021-01-01", "2021-03-31"),
    ("the last quarter of 2020", "2020-Q4", Precision.QUARTER, "2020-10-01", "2020-12-31"),
    ("first half of 2021", "2021-H1", Precision.HALF, "2021-01-01", "2021-06-30"),
    ("the first half of 2021", "2021-H1", Precision.HALF, "2021-01-01", "2021-06-30"),
    ("H1 2021", "2021-H1", Precision.HALF, "2021-01-01", "2021-06-30"),
    ("2021-H2", "2021-H2", Precision.HALF, "2021-07-01", "2021-12-31"),
    ("second half of 2021", "2021-H2", Precision.HALF, "2021-07-01", "2021-12-31"),
    ("2nd half of 2021", "2021-H2", Precision.HALF, "2021-07-01", "2021-12-31"),
    ("spring 2020", "2020-spring", Precision.SEASON, "2020-03-01", "2020-05-31"),
    ("summer of 2020", "2020-summer", Precision.SEASON, "2020-06-01", "2020-08-31"),
    ("the autumn of 2020", "2020-autumn", Precision.SEASON, "2020-09-01", "2020-11-30"),
    ("fall 2020", "2020-autumn", Precision.SEASON, "2020-09-01", "2020-11-30"),
    ("winter 2020", "2020-winter", Precision.SEASON, "2020-12-01", "2021-02-28"),
    ("winter 2019", "2019-winter", Precision.SEASON, "2019-12-01", "2020-02-29"),
    ("winter 2020/21", "2020-winter", Precision.SEASON, "2020-12-01", "2021-02-28"),
    ("winter 2020-2021", "2020-winter", Precision.SEASON, "2020-12-01", "2021-02-28"),
    ("2020-spring", "2020-spring", Precision.SEASON, "2020-03-01", "2020-05-31"),
    ("early June 2020", "2020-06-early", Precision.PART_OF_MONTH, "2020-06-01", "2020-06-10"),
    ("mid-June 2020", "2020-06-mid", Precision.PART_OF_MONTH, "2020-06-11", "2020-06-20"),
    ("mid June 2020", "2020-06-mid", Precision.PART_OF_MONTH, "2020-06-11", "2020-06-20"),
    ("mid\u2013June 2020", "2020-06-mid", Precision.PART_OF_MONTH, "2020-06-11", "2020-06-20"),
    ("late June 2020", "2020-06-late", Precision.PART_OF_MONTH, "2020-06-21", "2020-06-30"),
    ("late Feb 2020", "2020-02-late", Precision.PART_OF_MONTH, "2020-02-21", "2020-02-29"),
    ("late November 2019", "2019-11-late", Precision.PART_OF_MONTH, "2019-11-21", "2019-11-30"),
    ("early\xa0June\xa02020", "2020-06-early", Precision.PART_OF_MONTH, "2020-06-01", "2020-06-10"),
    ("the end of June 2020", "2020-06-late", Precision.PART_OF_MONTH, "2020-06-21", "2020-06-30"),
    ("the beginning of June 2020", "2020-06-early", Precision.PART_OF_MONTH, "2020-06-01", "2020-06-10"),
    ("2020-06-early", "2020-06-early", Precision.PART_OF_MONTH, "2020-06-01", "2020-06-10"),
    ("early 2020", "2020-early", Precision.PART_OF_YEAR, "2020-01-01", "2020-04-30"),
    ("mid-2020", "2020-mid", Precision.PART_OF_YEAR, "2020-05-01", "2020-08-31"),
    ("mid 2020", "2020-mid", Precision.PART_OF_YEAR, "2020-05-01", "2020-08-31"),
    ("mid\u20142020", "2020-mid", Precision.PART_OF_YEAR, "2020-05-01", "2020-08-31"),
    ("the middle of 2020", "2020-mid", Precision.PART_OF_YEAR, "2020-05-01", "2020-08-31"),
    ("late 2020", "2020-late", Precision.PART_OF_YEAR, "2020-09-01", "2020-12-31"),
    ("the end of 2020", "2020-late", Precision.PART_OF_YEAR, "2020-09-01", "2020-12-31"),
    # EDTF (ISO 8601-2) sub-year codes, as the JSON records give them
    ("2020-35", "2020-Q3", Precision.QUARTER, "2020-07-01", "2020-09-30"),
    ("2021-40", "2021-H1", Precision.HALF, "2021-01-01", "2021-06-30"),
    ("2020-38", "2020-mid", Precision.PART_OF_YEAR, "2020-05-01", "2020-08-31"),
    ("2020-25", "2020-spring", Precision.SEASON, "2020-03-01", "2020-05-31"),
    ("2020-21", "2020-spring", Precision.SEASON, "2020-03-01", "2020-05-31"),
    ("2020-29", "2020-autumn", Precision.SEASON, "2020-09-01", "2020-11-30"),  # the southern spring's months
    # never finer than typed: a month, a year stay as they are
    ("June 2020", "2020-06", Precision.MONTH, "2020-06-01", "2020-06-30"),
    ("2020", "2020", Precision.YEAR, "2020-01-01", "2020-12-31"),
]


@pytest.mark.parametrize(("typed", "stored", "precision", "first", "last"), PHRASES, ids=[p[0] for p in PHRASES])
def test_a_phrase_is_read_at_the_precision_it_gives(
    typed: str, stored: str, precision: Precision, first: str, last: str
) -> None:
    value = parse_date(typed, today=TODAY)
    assert (value.to_text(), value.precision) == (stored, precision)
    assert (value.first_day().isoformat(), value.last_day().isoformat()) == (first, last)
    assert not value.is_fixed
    assert DateValue.from_text(value.to_text()) == value


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Q3 - Q4 2020", ("2020-Q3", "2020-Q4")),
        ("Q3-Q4 2020", ("2020-Q3", "2020-Q4")),
        ("Q3 2020 \u2013 Q1 2021", ("2020-Q3", "2021-Q1")),
        ("H1-H2 2021", ("2021-H1", "2021-H2")),
        ("spring - summer 2020", ("2020-spring", "2020-summer")),
        ("early - late June 2020", ("2020-06-early", "2020-06-late")),
        ("early Jun - mid Jun 2020", ("2020-06-early", "2020-06-mid")),
        ("early - late 2020", ("2020-early", "2020-late")),
        ("June 2020 - Q3 2020", ("2020-06", "2020-Q3")),
        ("Q3 2020 (all quarter)", ("2020-Q3", "2020-Q3")),
        ("H1 2021 (all half)", ("2021-H1", "2021-H1")),
        ("spring 2020 (all season)", ("2020-spring", "2020-spring")),
        ("mid-2020 (throughout)", ("2020-mid", "2020-mid")),
        ("early Jun 2020 (throughout)", ("2020-06-early", "2020-06-early")),
    ],
)
def test_ranges_and_whole_periods(typed: str, expected: tuple[str, str]) -> None:
    start, end = parse_span(typed, today=TODAY)
    assert (start.to_text(), end.to_text() if end else None) == expected


@pytest.mark.parametrize(
    "typed",
    ["Q5 2020", "H3 2021", "third half of 2021", "early Smarch 2020", "winter 2020/22", "Q4 - Q3 2020", "Q3"],
)
def test_what_names_no_part_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput):
        parse_span(typed, today=TODAY)


def test_a_southern_registry_reads_the_same_names_six_months_on() -> None:
    spring = parse_date("spring 2020", today=TODAY, southern=True)
    summer = parse_date("summer 2020", today=TODAY, southern=True)
    assert (spring.to_text(), spring.first_day(), spring.last_day()) == (
        "2020-spring",
        date(2020, 9, 1),
        date(2020, 11, 30),
    )
    assert (summer.first_day(), summer.last_day()) == (date(2020, 12, 1), date(2021, 2, 28))
    assert parse_date("2020-29", today=TODAY, southern=True) == spring  # EDTF's southern spring
    assert parse_date("2020-25", today=TODAY, southern=True).to_text() == "2020-autumn"  # the northern spring


@pytest.mark.parametrize(
    ("typed", "first", "last"),
    [
        ("Q3 2020", date(2020, 7, 1), date(2020, 9, 30)),
        ("first half of 2021", date(2021, 1, 1), date(2021, 6, 30)),
        ("winter 2020", date(2020, 12, 1), date(2021, 2, 28)),
        ("early June 2020", date(2020, 6, 1), date(2020, 6, 10)),
        ("mid-2020", date(2020, 5, 1), date(2020, 8, 31)),
        ("Q3 - Q4 2020", date(2020, 7, 1), date(2020, 12, 31)),
    ],
)
def test_a_window_is_every_day_the_part_may_be(typed: str, first: date, last: date) -> None:
    from datetime import UTC, timedelta

    window = parse_window(typed, today=TODAY, zone=UTC)
    assert (window.start.date(), (window.end - timedelta(days=1)).date()) == (first, last)


def test_what_sco_cal_prints_reads_back_as_the_same_value(sco_cal: Callable[..., Result], tmp_path: Path) -> None:
    path = registry(tmp_path, "")
    typed = ["Q3 2020", "first half of 2021", "spring 2020", "early June 2020", "mid-2020", "Q3 - Q4 2020"]
    typed += ["Q3 2020 (all quarter)", "late 2020 (throughout)", "winter 2020"]
    for text in typed:
        assert sco_cal("--registry", path, "add", f"Event {text}", "--date", text).code == 0
    before = path.read_text(encoding="utf-8")
    listed = sco_cal("--registry", path, "list", "--format", "json").stdout
    import json

    for record in json.loads(listed)["events"]:
        again = parse_span(record["when"], today=TODAY)
        assert (again[0].to_text(), again[1].to_text() if again[1] else None) == (
            record["start"]["value"],
            record["end"]["value"] if record["end"] else None,
        ), record["when"]
        assert sco_cal("--registry", path, "edit", record["id"], "--date", record["when"]).code == 0
    assert path.read_text(encoding="utf-8").count("start:") == before.count("start:")
    assert [line for line in path.read_text().splitlines() if "start:" in line or "end:" in line] == [
        line for line in before.splitlines() if "start:" in line or "end:" in line
    ]
