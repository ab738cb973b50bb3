"""``agenda``: the coming days grouped by day, vague dates in "sometime in ..." groups, relative times."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from conftest import Result

from sco_cal.dates import DateValue, Window
from sco_cal.model import Event, Status
from sco_cal.query import Filters, select
from sco_cal.reminders.agenda import agenda

Run = Callable[..., Result]
TODAY = date(2030, 3, 9)


def event(event_id: str, start: str, end: str | None = None, status: Status = Status.SCHEDULED) -> Event:
    return Event(
        event_id,
        event_id.title(),
        status=status,
        start=DateValue.from_text(start),
        end=DateValue.from_text(end) if end else None,
    )


def groups_of(events: list[Event], days: int = 14) -> list[tuple[str, str, list[str]]]:
    found = select(
        events, Filters(window=Window.days_ahead(TODAY, days, "UTC")), floating_zone="UTC", default_zone="UTC"
    )
    return [(g.label, g.relative, [o.event.id for o in g.occurrences]) for g in agenda(found, today=TODAY, zone="UTC")]


def test_days_in_order_with_relative_times() -> None:
    events = [event("later", "2030-03-12"), event("call", "2030-03-09 15:00 UTC"), event("next", "2030-03-10")]
    assert groups_of(events) == [
        ("Sat 9 Mar 2030", "today", ["call"]),
        ("Sun 10 Mar 2030", "tomorrow", ["next"]),
        ("Tue 12 Mar 2030", "in 3 days", ["later"]),
    ]


def test_a_multi_day_event_is_shown_once_and_an_ongoing_one_under_today() -> None:
    events = [event("forum", "2030-03-11", "2030-03-14"), event("ongoing", "2030-03-01", "2030-03-10")]
    assert groups_of(events) == [
        ("Sat 9 Mar 2030", "today", ["ongoing"]),
        ("Mon 11 Mar 2030", "in 2 days", ["forum"]),
    ]


def test_vague_dates_go_to_sometime_groups() -> None:
    events = [event("june", "2030-06"), event("march", "2030-03"), event("year", "2030"), event("day", "2030-03-09")]
    assert groups_of(events, days=100) == [
        ("Sat 9 Mar 2030", "today", ["day"]),
        ("sometime in March 2030", "date not fixed yet", ["march"]),
        ("sometime in 2030", "date not fixed yet", ["year"]),
        ("sometime in June 2030", "in 84 days at the earliest", ["june"]),
    ]


def test_a_zoned_time_is_grouped_on_the_viewers_day() -> None:
    late = event("late", "2030-03-09 23:30 America/New_York")  # 04:30 UTC on the 10th
    found = select([late], Filters(window=Window.days_ahead(TODAY, 3, "UTC")), floating_zone="UTC", default_zone="UTC")
    assert [g.label for g in agenda(found, today=TODAY, zone="UTC")] == ["Sun 10 Mar 2030"]


def test_agenda_of_the_example_matches_golden(sco_cal: Run, example: Path, golden: Callable[[str, str], None]) -> None:
    result = sco_cal("-r", example, "agenda", "--now", "2020-05-25T09:00:00+03:00", "--days", "40")
    assert result.code == 0
    assert result.stderr == ""
    assert "sometime in June 2020  (in 7 days at the earliest)" in result.stdout
    golden("agenda-example-2020-05-25.txt", result.stdout)


def test_agenda_of_the_example_in_october_2019(sco_cal: Run, example: Path, golden: Callable[[str, str], None]) -> None:
    result = sco_cal("-r", example, "agenda", "--now", "2019-10-28T12:00:00Z", "--days", "7")
    assert result.code == 0
    assert "31 Oct - 1 Nov 2019" in result.stdout
    assert result.stdout.count("sco-ewg-07") == 1  # a two-day meeting shown once, with its span
    golden("agenda-example-2019-10-28.txt", result.stdout)


def test_agenda_json(sco_cal: Run, example: Path) -> None:
    result = sco_cal("-r", example, "agenda", "--now", "2020-05-25T09:00:00+03:00", "--days", "40", "--format", "json")
    document = json.loads(result.stdout)
    assert document["schema"] == 1
    assert document["today"] == "2020-05-25"
    june = next(g for g in document["groups"] if g["period"] == "month")
    assert june["label"] == "sometime in June 2020"
    assert [e["id"] for e in june["events"]] == ["sco-cis-csto-defence-chiefs-2020-06"]
