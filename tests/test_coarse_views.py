"""Quarters, halves, seasons and parts of a year or month in every view: "may fall in" windows, ``--exact``,
the order (earliest possible start, then exact before vague), and the words each view prints."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, registry

EVENTS = """\
  - id: q3
    title: Joint exercise
    start: 2020-Q3
    reminders: [30d]
  - id: whole-q3
    title: Chairmanship
    start: 2020-Q3
    end: 2020-Q3
  - id: early-june
    title: Working group
    start: 2020-06-early
    reminders: [7d]
  - id: spring
    title: Spring talks
    start: 2020-spring
  - id: mid
    title: Summit
    start: 2020-mid
  - id: h2
    title: Expert talks
    start: 2020-H2
  - id: q3q4
    title: Drills
    start: 2020-Q3
    end: 2020-Q4
  - id: day
    title: Fixed talks
    start: 2020-07-01
  - id: june
    title: June meeting
    start: 2020-06
"""

Run = Callable[..., Result]


@pytest.fixture
def coarse(tmp_path: Path) -> Path:
    return registry(tmp_path, EVENTS)


def _ids(sco_cal: Run, path: Path, *args: str) -> list[str]:
    result = sco_cal("--registry", path, "list", *args, "--format", "json")
    assert result.code == 0, result.stderr
    return [record["id"] for record in json.loads(result.stdout)["events"]]


def test_the_list_is_ordered_by_earliest_start_then_exact_before_vague(sco_cal: Run, coarse: Path) -> None:
    # 1 Mar, 1 May, 1 Jun (part of a month before month), then 1 Jul: the day, then the quarters, then the half
    assert _ids(sco_cal, coarse) == ["spring", "mid", "early-june", "june", "day", "whole-q3", "q3q4", "q3", "h2"]


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ("Q3 2020", ["mid", "day", "whole-q3", "q3q4", "q3", "h2"]),
        ("third quarter of 2020", ["mid", "day", "whole-q3", "q3q4", "q3", "h2"]),
        ("early June 2020", ["mid", "early-june", "june"]),
        ("late June 2020", ["mid", "june"]),
        ("spring 2020", ["spring", "mid"]),
        ("10 Jun 2020", ["mid", "early-june", "june"]),
        ("2020-Q4", ["q3q4", "h2"]),
    ],
)
def test_an_event_is_in_a_window_its_possible_span_meets(
    sco_cal: Run, coarse: Path, window: str, expected: list[str]
) -> None:
    assert _ids(sco_cal, coarse, window) == expected


def test_exact_keeps_only_certain_spans(sco_cal: Run, coarse: Path) -> None:
    # "all of Q3" is certain, as "all of 2020" is; "sometime in Q3" is not
    assert _ids(sco_cal, coarse, "Q3 2020", "--exact") == ["day", "whole-q3"]
    assert _ids(sco_cal, coarse, "--from", "Q3 2020", "--to", "Q3 2020", "--exact") == ["day", "whole-q3"]


def test_the_table_says_each_date_is_not_fixed(sco_cal: Run, coarse: Path) -> None:
    table = sco_cal("--registry", coarse, "list").stdout
    for shown in [
        "spring 2020 (dates TBC)",
        "mid-2020 (dates TBC)",
        "early Jun 2020 (date TBC)",
        "Q3 2020 (all quarter)",
        "Q3 - Q4 2020 (dates TBC)",
        "Q3 2020 (dates TBC)",
        "H2 2020 (dates TBC)",
    ]:
        assert shown in table, shown
    shown = sco_cal("--registry", coarse, "show", "early-june").stdout
    assert "early Jun 2020 (date TBC)   [2020-06-early]" in shown


def test_agenda_groups_vague_events_under_their_period(sco_cal: Run, coarse: Path) -> None:
    result = sco_cal("--registry", coarse, "agenda", "--now", "2020-05-25T09:00:00Z", "--days", "60")
    headings = [line for line in result.stdout.splitlines() if line and not line.startswith(" ")]
    assert headings == [
        "sometime in spring 2020  (date not fixed yet)",
        "sometime in mid-2020  (date not fixed yet)",
        "sometime in early June 2020  (in 7 days at the earliest)",
        "sometime in June 2020  (in 7 days at the earliest)",
        "Wed 1 Jul 2020  (in 37 days)",
        "sometime in Q3 2020  (in 37 days at the earliest)",
        "sometime in Q3 - Q4 2020  (in 37 days at the earliest)",
        "sometime in H2 2020  (in 37 days at the earliest)",
    ]


def test_the_calendar_of_a_quarter_shows_its_months_and_lists_the_vague_below(sco_cal: Run, coarse: Path) -> None:
    result = sco_cal("--registry", coarse, "calendar", "Q3 2020", "--now", "2020-05-25T09:00:00Z")
    assert result.code == 0, result.stderr
    first_line = result.stdout.splitlines()[0].split()
    assert first_line == ["July", "2020", "August", "2020", "September", "2020"]
    legend = result.stdout.split("\n\n", 1)[1]
    assert "Q3 2020 (dates TBC)       Joint exercise  q3" in legend
    assert "mid-2020 (dates TBC)      Summit  mid" in legend
    winter = sco_cal("--registry", coarse, "calendar", "winter 2020", "--now", "2020-05-25T09:00:00Z")
    assert winter.stdout.splitlines()[0].split() == ["December", "2020", "January", "2021", "February", "2021"]


def test_review_names_a_vague_date_that_is_near_or_past(sco_cal: Run, coarse: Path) -> None:
    result = sco_cal("--registry", coarse, "review", "--now", "2020-06-20T09:00:00Z", "--format", "json")
    findings = {(f["issue"], f["id"]) for f in json.loads(result.stdout)["findings"]}
    assert {("stale", "spring"), ("stale", "early-june"), ("unfixed-soon", "q3"), ("unfixed-soon", "mid")} <= findings
    assert ("unfixed-soon", "whole-q3") not in findings  # all of Q3 is a certain span


def test_a_reminder_counts_from_the_earliest_possible_day_and_says_it_is_not_fixed(
    sco_cal: Run, coarse: Path, tmp_path: Path
) -> None:
    ledger = tmp_path / "ledger"
    args = ("--registry", coarse, "remind", "--ledger", ledger, "--dry-run")
    assert sco_cal(*args, "--now", "2020-05-24T20:00:00Z").stdout == ""  # 7 days before 1 Jun is 25 May, Moscow
    given = sco_cal(*args, "--now", "2020-05-25T09:00:00Z")
    assert given.stdout.splitlines() == [
        "Working group",
        "  when:   early Jun 2020 (date TBC)",
        "  starts: in 7 days at the earliest (1 Jun 2020)",
        "  note:   the date is not fixed yet",
        "  id:     early-june (7d reminder)",
    ]
    record = json.loads(sco_cal(*args, "--now", "2020-06-01T09:00:00Z", "--format", "json").stdout)
    (quarter,) = record["reminders"]
    assert (quarter["id"], quarter["precision"], quarter["fixed"]) == ("q3", "quarter", False)
    assert (quarter["when"], quarter["earliest"]) == ("Q3 2020 (dates TBC)", "2020-07-01T00:00:00+03:00")
