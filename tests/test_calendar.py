"""``calendar``: a month grid like cal(1), event days marked, a legend below."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from conftest import Result

from sco_cal.dates import DateValue
from sco_cal.model import Event, Status
from sco_cal.reminders.agenda import month_grid, months_from

Run = Callable[..., Result]


def event(event_id: str, start: str, end: str | None = None) -> Event:
    return Event(
        event_id,
        event_id.title(),
        status=Status.SCHEDULED,
        start=DateValue.from_text(start),
        end=DateValue.from_text(end) if end else None,
    )


def test_weeks_start_on_monday_and_blank_cells_are_zero() -> None:
    grid = month_grid([], 2030, 3, today=date(2030, 3, 9), floating_zone="UTC", default_zone="UTC")
    assert grid.weeks[0] == [0, 0, 0, 0, 1, 2, 3]  # 1 March 2030 is a Friday
    assert grid.today == 9
    assert grid.title == "March 2030"


def test_a_multi_day_event_marks_each_of_its_days_in_each_month() -> None:
    ewg = event("ewg", "2019-10-31", "2019-11-01")
    october = month_grid([ewg], 2019, 10, today=date(2019, 1, 1), floating_zone="UTC", default_zone="UTC")
    november = month_grid([ewg], 2019, 11, today=date(2019, 1, 1), floating_zone="UTC", default_zone="UTC")
    assert sorted(october.days) == [31]
    assert sorted(november.days) == [1]
    assert october.today is None


def test_whole_year_and_unfixed_events_go_to_the_legend_not_the_grid() -> None:
    events = [event("presidency", "2020", "2020"), event("june", "2020-06"), event("day", "2020-06-15")]
    grid = month_grid(events, 2020, 6, today=date(2020, 6, 1), floating_zone="UTC", default_zone="UTC")
    assert {d: [o.event.id for o in occs] for d, occs in grid.days.items()} == {15: ["day"]}
    assert sorted(o.event.id for o in grid.vague) == ["june", "presidency"]


def test_a_zoned_time_marks_the_viewers_day() -> None:
    late = event("late", "2030-03-09 23:30 America/New_York")
    grid = month_grid([late], 2030, 3, today=date(2030, 3, 1), floating_zone="Europe/Moscow", default_zone="UTC")
    assert sorted(grid.days) == [10]


def test_months_from_crosses_the_year() -> None:
    assert months_from(2019, 12, 2) == [(2019, 12), (2020, 1)]


def test_three_months_of_the_example(sco_cal: Run, example: Path, golden: Callable[[str, str], None]) -> None:
    result = sco_cal("-r", example, "calendar", "June 2020", "--months", "3", "--now", "2020-06-10T09:00:00+03:00")
    assert result.code == 0
    assert result.stderr == ""
    assert "15* 16" in result.stdout
    golden("calendar-example-2020-06.txt", result.stdout)


def test_one_month_of_the_example(sco_cal: Run, example: Path, golden: Callable[[str, str], None]) -> None:
    result = sco_cal("-r", example, "calendar", "--now", "2019-10-28T12:00:00Z")
    assert result.code == 0
    assert "31*" in result.stdout
    golden("calendar-example-2019-10.txt", result.stdout)


def test_a_year_shows_twelve_months_and_json(sco_cal: Run, example: Path) -> None:
    result = sco_cal("-r", example, "calendar", "2020", "--now", "2020-01-01T00:00:00Z", "--format", "json")
    document = json.loads(result.stdout)
    assert [m["month"] for m in document["months"]] == list(range(1, 13))
    june = document["months"][5]
    assert june["days"] == {"15": ["sco-founding-2001"], "27": ["sco-joint-exercises-agreement-2007"]}
    assert {e["id"] for e in june["unfixed"]} == {
        "russia-sco-presidency-2020",
        "peace-mission-2020",
        "sco-cis-csto-defence-chiefs-2020-06",
    }


def test_an_ambiguous_month_is_refused(sco_cal: Run, example: Path) -> None:
    result = sco_cal("-r", example, "calendar", "03/04/2020")
    assert result.code == 5
    assert result.stdout == ""
    assert "2020-04-03" in result.stderr
