"""Issue 11, dates slice: open-ended windows, time ranges and printed forms typed back, zone abbreviations, and
parser messages that quote what was typed. Everything runs through the installed ``sco-cal``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result

Run = Callable[..., Result]

REPEATING = """\
schema: 1
name: Repeating
timezone: Europe/Moscow
uid_domain: repeating.example

events:
  - id: daily-call
    title: Daily call
    kind: meeting
    status: scheduled
    start: 2000-01-03 09:00
    recurrence: FREQ=DAILY
  - id: weekly-sydney
    title: Weekly Sydney call
    kind: meeting
    status: scheduled
    start: 2024-01-08T09:00+11:00
    recurrence: FREQ=WEEKLY;BYDAY=MO
  - id: autumn-session
    title: Autumn session
    kind: meeting
    status: scheduled
    start: 2010-10-31
    end: 2010-11-02
    recurrence: FREQ=YEARLY
  - id: one-off
    title: One-off summit
    kind: summit
    status: planned
    start: 2031-03-05
"""


@pytest.fixture
def repeating(tmp_path: Path) -> Path:
    path = tmp_path / "repeating.yaml"
    path.write_text(REPEATING, encoding="utf-8")
    return path


def _json_rows(result: Result) -> list[tuple[str, str]]:
    return [(e["id"], e["start"]["value"]) for e in json.loads(result.stdout)["events"]]


# --- 1. open-ended windows -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "yaml", "csv", "table"])
def test_a_window_open_at_the_end_lists_each_repeating_event_once_at_its_next_occurrence(
    sco_cal: Run, repeating: Path, fmt: str
) -> None:
    result = sco_cal("-r", repeating, "list", "--from", "2030-11-01", "-f", fmt, timeout=30)
    assert result.code == 0, result.stderr
    if fmt == "json":
        assert _json_rows(result) == [
            ("autumn-session", "2030-10-31"),  # still running on 1 Nov: its occurrence overlaps the window
            ("daily-call", "2030-11-01 09:00"),
            ("weekly-sydney", "2030-11-04T09:00+11:00"),
            ("one-off", "2031-03-05"),
        ]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert [(r["id"], r["start"]) for r in rows][1:3] == [
            ("daily-call", "2030-11-01 09:00"),
            ("weekly-sydney", "2030-11-04T09:00+11:00"),
        ]
        assert len(rows) == 4
    elif fmt == "yaml":
        assert result.stdout.count("- id: ") == 4
    else:
        assert result.stdout.count("Daily call") == 1
        assert "1 Nov 2030 09:00" in result.stdout


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_a_window_open_at_the_start_no_longer_crashes_and_lists_each_series_once(
    sco_cal: Run, repeating: Path, example: Path, fmt: str
) -> None:
    result = sco_cal("-r", repeating, "list", "--to", "2019-12-31", "-f", fmt)
    assert result.code == 0, result.stderr
    assert "internal error" not in result.stderr
    if fmt == "json":
        assert _json_rows(result) == [("daily-call", "2000-01-03 09:00"), ("autumn-session", "2010-10-31")]
    else:
        assert result.stdout.count("Daily call") == 1
        assert "Weekly Sydney" not in result.stdout
        assert "One-off" not in result.stdout
    in_example = sco_cal("-r", example, "list", "--to", "2019-12-31", "-f", "json")
    assert in_example.code == 0, in_example.stderr
    ids = [event_id for event_id, _ in _json_rows(in_example)]
    assert len(ids) == len(set(ids))
    assert "sco-founding-2001" in ids


def test_an_open_window_on_the_example_is_a_screenful_not_63000_lines(sco_cal: Run, example: Path) -> None:
    opened = sco_cal("-r", example, "list", "--from", "2025-01-01", "-f", "json")
    assert opened.code == 0, opened.stderr
    starts = dict(_json_rows(opened))
    assert starts["collective-security-treaty-1992"] == "2025-05-15"
    assert starts["sco-founding-2001"] == "2025-06-15"
    assert len(starts) == len(_json_rows(opened))  # each once


def test_a_closed_window_still_lists_every_occurrence(sco_cal: Run, repeating: Path) -> None:
    result = sco_cal("-r", repeating, "list", "--from", "2030-11-01", "--to", "2030-11-14", "-f", "json")
    assert result.code == 0, result.stderr
    rows = _json_rows(result)
    assert sum(1 for event_id, _ in rows if event_id == "daily-call") == 14
    assert [s for i, s in rows if i == "weekly-sydney"] == ["2030-11-04T09:00+11:00", "2030-11-11T09:00+11:00"]


@pytest.mark.parametrize("option", ["--from", "--to"])
def test_export_with_an_open_window_writes_each_repeating_event_once_with_its_rule(
    sco_cal: Run, repeating: Path, option: str
) -> None:
    day = "2030-11-01" if option == "--from" else "2019-12-31"
    result = sco_cal("-r", repeating, "export", option, day, timeout=30)
    assert result.code == 0, result.stderr
    feed = result.stdout
    expected = 4 if option == "--from" else 2
    assert feed.count("BEGIN:VEVENT") == expected
    assert feed.count("RRULE:FREQ=DAILY") == 1
    assert "DTSTART;TZID=Europe/Moscow:20000103T090000" in feed  # the series keeps its own start


def test_a_window_whose_end_is_before_its_start_names_what_was_typed(sco_cal: Run, example: Path) -> None:
    before = example.read_bytes()
    result = sco_cal("-r", example, "list", "--from", "2020-07-01", "--to", "2020-06-01")
    assert result.code == 2
    assert "'2020-06-01'" in result.stderr
    assert "'2020-07-01'" in result.stderr
    assert "2020-06-02" not in result.stderr
    assert example.read_bytes() == before
