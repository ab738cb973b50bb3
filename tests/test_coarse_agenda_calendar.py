"""The agenda's "sometime in ..." groups in the order their periods close, a range named whole (never by a
period already over), and the calendar marking the days of all of a period as it marks a fixed event's."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, registry

Run = Callable[..., Result]

EVENTS = """\
  - id: spring
    title: Spring talks
    start: 2020-spring
  - id: q3
    title: Q3 drills
    start: 2020-Q3
  - id: mid
    title: Summit
    start: 2020-mid
  - id: q3q4
    title: Long drills
    start: 2020-Q3
    end: 2020-Q4
"""


@pytest.fixture
def vague(tmp_path: Path) -> Path:
    return registry(tmp_path, EVENTS)


def _headings(sco_cal: Run, path: Path, now: str, days: str = "30") -> list[str]:
    result = sco_cal("--registry", path, "agenda", "--now", now, "--days", days)
    assert result.code == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line and not line.startswith(" ")]


def test_periods_under_way_come_in_the_order_they_close(sco_cal: Run, vague: Path) -> None:
    assert _headings(sco_cal, vague, "2020-05-10T09:00:00Z", "90") == [
        "sometime in spring 2020  (date not fixed yet)",
        "sometime in mid-2020  (date not fixed yet)",
        "sometime in Q3 2020  (in 52 days at the earliest)",
        "sometime in Q3 - Q4 2020  (in 52 days at the earliest)",
    ]
    # all begun: mid-2020 (May to August) still before Q3 2020
    assert _headings(sco_cal, vague, "2020-08-10T09:00:00Z") == [
        "sometime in mid-2020  (date not fixed yet)",
        "sometime in Q3 2020  (date not fixed yet)",
        "sometime in Q3 - Q4 2020  (date not fixed yet)",
    ]


def test_a_range_is_not_grouped_under_its_start_period_once_that_is_over(sco_cal: Run, vague: Path) -> None:
    assert _headings(sco_cal, vague, "2020-10-15T09:00:00Z") == ["sometime in Q3 - Q4 2020  (date not fixed yet)"]
    document = json.loads(
        sco_cal("--registry", vague, "agenda", "--now", "2020-10-15T09:00:00Z", "--format", "json").stdout
    )
    assert [group["label"] for group in document["groups"]] == ["sometime in Q3 - Q4 2020"]


WHOLE = """\
  - id: whole-q3
    title: Chairmanship
    start: 2020-Q3
    end: 2020-Q3
  - id: early-july
    title: Early July watch
    start: 2020-07-early
    end: 2020-07-early
  - id: some-q3
    title: Drills
    start: 2020-Q3
  - id: year
    title: Presidency
    start: 2020
    end: 2020
"""


def test_the_calendar_marks_every_day_of_all_of_a_period(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(tmp_path, WHOLE)
    result = sco_cal("--registry", path, "calendar", "July 2020", "--now", "2020-05-25T09:00:00Z", "-f", "json")
    assert result.code == 0, result.stderr
    july = json.loads(result.stdout)["months"][0]
    assert sorted(july["days"]["1"]) == ["early-july", "whole-q3"]
    assert sorted(july["days"]["10"]) == ["early-july", "whole-q3"]
    assert july["days"]["11"] == ["whole-q3"]
    assert sorted(july["days"]) == sorted(str(day) for day in range(1, 32))
    # still some time in Q3, and a whole year, as before: listed below the grid, marking no day
    assert {event["id"] for event in july["unfixed"]} == {"some-q3", "year"}
    drawn = sco_cal("--registry", path, "calendar", "July 2020", "--now", "2020-05-25T09:00:00Z").stdout
    assert "11* 12*" in drawn
    assert "Q3 2020 (all quarter)" in drawn
    september = sco_cal("--registry", path, "calendar", "October 2020", "--now", "2020-05-25T09:00:00Z").stdout
    assert "*" not in september
