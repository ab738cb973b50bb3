"""Issue 11, dates slice: open-ended windows, time ranges and printed forms typed back, zone abbreviations, and
parser messages that quote what was typed. Everything runs through the installed ``sco-cal``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from sco_cal.dates import DateValue, display_span
from sco_cal.dates.phrases import parse_date, parse_days, parse_span
from sco_cal.errors import InvalidInput
from tests.conftest import EXAMPLE, Result

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


# --- 2. time ranges within a day, and every printed form typed back ----------------------------------------------

TODAY = date(2019, 11, 1)
MOSCOW = ("Europe/Moscow",)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("31 Oct 2019 10:00-12:00 MSK", ("2019-10-31 10:00 Europe/Moscow", "2019-10-31 12:00 Europe/Moscow")),
        ("31 Oct 2019 10:00 MSK", ("2019-10-31 10:00 Europe/Moscow", None)),
        ("31 Oct 2019 10:00 msk", ("2019-10-31 10:00 Europe/Moscow", None)),
        ("2019-10-31 10:00 MSK", ("2019-10-31 10:00 Europe/Moscow", None)),
        ("31 Oct 2019 10:00-12:00", ("2019-10-31 10:00", "2019-10-31 12:00")),
        ("2019-10-31 10:00 - 12:00", ("2019-10-31 10:00", "2019-10-31 12:00")),
        (
            "2019-10-31 10:00 to 12:00 Europe/Moscow",
            ("2019-10-31 10:00 Europe/Moscow", "2019-10-31 12:00 Europe/Moscow"),
        ),
        ("2019-10-31 10:00-12:00 Europe/Moscow", ("2019-10-31 10:00 Europe/Moscow", "2019-10-31 12:00 Europe/Moscow")),
        ("2019-10-31T10:00-12:00", ("2019-10-31T10:00-12:00", None)),
        ("31 Oct 2019 10:00 UTC+03:00", ("2019-10-31T10:00+03:00", None)),
        ("31 Oct 2019 10:00 UTC-05:30", ("2019-10-31T10:00-05:30", None)),
        ("2019-10-31 10:00 +03:00", ("2019-10-31T10:00+03:00", None)),
        ("31 Oct 2019 10:00 GMT", ("2019-10-31 10:00 UTC", None)),
        (
            "31 Oct 2019 10:00 MSK - 1 Nov 2019 12:00 MSK",
            ("2019-10-31 10:00 Europe/Moscow", "2019-11-01 12:00 Europe/Moscow"),
        ),
        ("31 Oct - 1 Nov 2019", ("2019-10-31", "2019-11-01")),
        ("31 Dec 2019 - 1 Jan 2020", ("2019-12-31", "2020-01-01")),
        ("1-3 Nov 2019", ("2019-11-01", "2019-11-03")),
        ("Jun 2020 (date TBC)", ("2020-06", None)),
        ("Jun 2020 (all month)", ("2020-06", "2020-06")),
        ("Jun - Jul 2020 (dates TBC)", ("2020-06", "2020-07")),
        ("Dec 2019 - Jan 2020 (dates TBC)", ("2019-12", "2020-01")),
        ("2020 (TBC)", ("2020", None)),
        ("2020 (all year)", ("2020", "2020")),
        ("2020-2021 (TBC)", ("2020", "2021")),
        ("sometime in June 2020", ("2020-06", None)),
    ],
)
def test_printed_forms_and_time_ranges_are_read_back(typed: str, expected: tuple[str, str | None]) -> None:
    start, end = parse_span(typed, today=TODAY, zones=MOSCOW)
    assert (start.to_text(), end and end.to_text()) == expected


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2019-10-31 10:00 Europe/Moscow", "2019-10-31 12:00 Europe/Moscow"),
        ("2019-10-31T10:00+03:00", None),
        ("2020-06", None),
        ("2020-06", "2020-07"),
        ("2020", "2020"),
        ("2020-06", "2020-06"),
        ("2020", "2021"),
        ("2019-10-31", "2019-11-01"),
        ("2019-12-31", "2020-01-01"),
        ("2019-10-31 22:00 Europe/Moscow", "2019-11-01 01:00 Europe/Moscow"),
        ("2019-10-31 10:00 UTC", None),
    ],
)
def test_every_printed_form_round_trips(start: str, end: str | None) -> None:
    first, last = DateValue.from_text(start), DateValue.from_text(end) if end else None
    printed = display_span(first, last, "Europe/Moscow")
    again = parse_span(printed, today=TODAY, zones=MOSCOW)
    assert [v and v.to_text() for v in again] == [start, end]


def test_a_dash_after_an_iso_time_is_refused_as_ambiguous_with_both_readings(sco_cal: Run, example: Path) -> None:
    before = example.read_bytes()
    result = sco_cal("-r", example, "add", "Range", "--date", "2019-10-31 10:00-12:00")
    assert result.code == 5
    assert "10:00 to 12:00 on 31 Oct 2019" in result.stderr
    assert "UTC-12:00" in result.stderr
    assert "2019-10-31T10:00-12:00" in result.stderr
    assert example.read_bytes() == before


def test_a_printed_time_range_is_stored_as_a_range_and_shown_back_the_same(sco_cal: Run, example: Path) -> None:
    added = sco_cal("-r", example, "add", "Range", "--date", "31 Oct 2019 10:00-12:00 MSK")
    assert added.code == 0, added.stderr
    event_id = added.stdout.strip()
    assert "start: 2019-10-31 10:00 Europe/Moscow\n" in example.read_text(encoding="utf-8")
    assert "end: 2019-10-31 12:00 Europe/Moscow\n" in example.read_text(encoding="utf-8")
    shown = sco_cal("-r", example, "list", "31 Oct 2019 10:00-12:00 MSK", "-f", "json")
    assert shown.code == 0, shown.stderr
    found = {e["id"]: e["when"] for e in json.loads(shown.stdout)["events"]}
    assert found[event_id] == "31 Oct 2019 10:00-12:00 MSK"
    assert "sco-ewg-07" in found  # the window is the day, 31 Oct 2019


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("31 Oct - 1 Nov 2019", "2020 (TBC)", {"sco-ewg-07", "peace-mission-2020"}),
        ("Jun 2020 (date TBC)", "Jun 2020 (all month)", {"sco-cis-csto-defence-chiefs-2020-06"}),
    ],
)
def test_from_and_to_take_the_printed_forms(
    sco_cal: Run, example: Path, start: str, end: str, expected: set[str]
) -> None:
    result = sco_cal("-r", example, "list", "--from", start, "--to", end, "-f", "json")
    assert result.code == 0, result.stderr
    assert expected <= {e["id"] for e in json.loads(result.stdout)["events"]}


def test_from_takes_window_phrases_and_relative_days_name_one_day() -> None:
    assert parse_days("next week", today=TODAY) == (date(2019, 11, 4), date(2019, 11, 10))
    assert parse_days("+30d", today=TODAY) == (date(2019, 12, 1), date(2019, 12, 1))
    assert parse_days("31 Oct - 1 Nov 2019", today=TODAY) == (date(2019, 10, 31), date(2019, 11, 1))


# --- 3. zone abbreviations: one rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "zones", "stored"),
    [
        ("31 Oct 2019 10:00 MSK", ("Europe/Moscow",), "2019-10-31 10:00 Europe/Moscow"),
        ("1 Jul 2020 10:00 EDT", ("America/New_York",), "2020-07-01 10:00 America/New_York"),
        ("1 Jan 2020 10:00 EST", ("America/New_York",), "2020-01-01 10:00 America/New_York"),
        ("1 Jul 2020 10:00 CEST", ("UTC", "Europe/Berlin"), "2020-07-01 10:00 Europe/Berlin"),
        ("1 Jul 2020 10:00 UTC", (), "2020-07-01 10:00 UTC"),
        ("1 Jul 2020 10:00 Z", (), "2020-07-01 10:00 UTC"),
    ],
)
def test_an_abbreviation_in_use_in_the_registry_zone_is_read_as_that_zone(
    typed: str, zones: tuple[str, ...], stored: str
) -> None:
    assert parse_date(typed, today=TODAY, zones=zones).to_text() == stored


@pytest.mark.parametrize(
    ("typed", "zones", "names"),
    [
        ("1 Jul 2020 10:00 EST", ("America/New_York",), ["America/New_York", "EDT"]),  # not in use in July
        ("1 Jul 2020 10:00 EDT", ("Europe/Moscow",), ["America/New_York", "MSK"]),
        ("31 Oct 2019 10:00 MSK", ("Europe/Berlin",), ["Europe/Moscow", "CET"]),
        ("1 Jan 2020 10:00 PST", (), ["America/Los_Angeles"]),
        ("1 Jan 2020 10:00 CET", (), ["Europe/Paris"]),
        ("1 Jan 2020 10:00 XYZ", (), ["unknown time zone", "Europe/Moscow"]),
    ],
)
def test_any_other_abbreviation_is_refused_naming_the_iana_zone(
    typed: str, zones: tuple[str, ...], names: list[str]
) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_date(typed, today=TODAY, zones=zones)
    for name in names:
        assert name in str(refused.value)
    assert typed in str(refused.value)


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["add", "X", "--date", "1 Jul 2020 10:00 EST"], ["--date", "America/New_York"]),
        (["add", "X", "--date", "1 Jul 2020 10:00 EDT"], ["--date", "America/New_York", "MSK"]),
        (["add", "X", "--date", "1 Jul 2020 10:00 CET"], ["--date", "Europe/Paris"]),
        (["add", "X", "--date", "2020-07-01 10:00 PST"], ["--date", "America/Los_Angeles"]),
        (["add", "X", "--date", "2020", "--venue-tz", "EST"], ["--venue-tz", "America/New_York"]),
        (["edit", "sco-ewg-07", "--end", "1 Nov 2019 12:00 EET"], ["--end", "Europe/Athens"]),
    ],
)
def test_the_cli_refuses_abbreviations_not_in_use_and_keeps_the_registry(
    sco_cal: Run, example: Path, args: list[str], names: list[str]
) -> None:
    before = example.read_bytes()
    result = sco_cal("-r", example, *args)
    assert result.code == 2
    for name in names:
        assert name in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert example.read_bytes() == before


def test_msk_as_printed_round_trips_in_a_moscow_registry(sco_cal: Run, example: Path) -> None:
    added = sco_cal("-r", example, "add", "Call", "--date", "31 Oct 2019 10:00 MSK")
    assert added.code == 0, added.stderr
    assert "start: 2019-10-31 10:00 Europe/Moscow\n" in example.read_text(encoding="utf-8")
    shown = sco_cal("-r", example, "show", added.stdout.strip())
    assert "31 Oct 2019 10:00 MSK" in shown.stdout


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("start", "    start: 2020-01-10 10:00 EST\n"),
        ("venue", "    start: 2020-01-10\n    venue:\n      timezone: CET\n"),
    ],
)
def test_a_file_with_an_abbreviation_is_refused_naming_file_line_and_zone(
    sco_cal: Run, example: Path, where: str, text: str
) -> None:
    with example.open("a", encoding="utf-8") as stream:
        stream.write(f"\n  - id: abbreviated\n    title: Abbreviated\n{text}")
    before = example.read_bytes()
    result = sco_cal("-r", example, "validate")
    assert result.code == 3
    assert f"{example.name}:" in result.stdout + result.stderr
    assert ("America/New_York" if where == "start" else "Europe/Paris") in result.stdout + result.stderr
    assert example.read_bytes() == before


# --- 4. parser messages quote what was typed -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "quoted"),
    [
        (["add", "X", "--date", "2019-10-31 25:00"], 2, "'2019-10-31 25:00': 25:00 is not a time of day"),
        (["add", "X", "--date", "31 Oct 2019 25:00 Europe/Moscow"], 2, "25:00 is not a time of day"),
        (["add", "X", "--date", "31 Oct 2019 12:00-10:00"], 2, "'31 Oct 2019 12:00-10:00': the end time"),
        (["add", "X", "--date", "2019-10-31", "--remind", "2x"], 2, "--remind: '2x'"),
        (["export", "--refresh", "2x"], 2, "--refresh: '2x' is not an interval"),
        (["list", "--from", "2020-07-01", "--to", "2020-06-01"], 2, "--to '2020-06-01' is before --from"),
        (["list", "--to", "someday"], 2, "'someday' is not a date"),
        (["remind", "--now", "2020"], 2, "--now '2020'"),
        (["remind", "--catch-up", "2x"], 2, "--catch-up '2x'"),
    ],
)
def test_parser_messages_quote_what_was_typed(
    sco_cal: Run, example: Path, args: list[str], code: int, quoted: str
) -> None:
    before = example.read_bytes()
    result = sco_cal("-r", example, *args)
    assert result.code == code, result.stderr
    assert quoted in result.stderr
    assert "Traceback" not in result.stderr
    assert example.read_bytes() == before


# --- windows at the edges of the calendar, with and without the index of a big registry --------------------------


def _big(path: Path) -> Path:
    """The example plus enough events that sco-cal reads it through its index."""
    fillers = "".join(
        f"\n  - id: filler-{n}\n    title: Filler event number {n} with a long enough title\n"
        f"    kind: meeting\n    status: planned\n    start: 2030-0{1 + n % 9}-1{n % 10}\n"
        for n in range(900)
    )
    path.write_text(EXAMPLE.read_text(encoding="utf-8") + fillers, encoding="utf-8")
    return path


@pytest.mark.parametrize("size", ["small", "big"])
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--to", "0001-01-01"], {"early"}),
        (["--from", "0001-01-01", "--to", "0001-01-01"], {"early"}),
        (["--from", "9998-12-31"], {"late"}),
        (["--from", "0001-01-01"], {"early", "late", "sco-founding-2001"}),
    ],
)
def test_windows_at_the_edges_of_the_calendar_never_overflow(
    sco_cal: Run, tmp_path: Path, example: Path, size: str, args: list[str], expected: set[str]
) -> None:
    registry = _big(tmp_path / "big.yaml") if size == "big" else example
    for title, day in (("Early", "0001-01-01"), ("Late", "9998-12-31")):
        added = sco_cal("-r", registry, "add", title, "--date", day, "--id", title.lower())
        assert added.code == 0, added.stderr
    result = sco_cal("-r", registry, "list", *args, "-f", "json", env={"SCO_CAL_CACHE": str(tmp_path / "cache")})
    assert result.code == 0, result.stderr
    found = {e["id"] for e in json.loads(result.stdout)["events"]}
    if size == "small" or "late" not in expected:  # the index keeps spans to about the year 6000
        assert expected <= found


def test_a_year_past_9998_is_refused_not_a_crash(sco_cal: Run, example: Path) -> None:
    before = example.read_bytes()
    for args in (["add", "X", "--date", "9999-12-31"], ["list", "--to", "9999-12-31"], ["upcoming", "--from", "9999"]):
        result = sco_cal("-r", example, *args)
        assert result.code == 2, result.stderr
        assert "year 9999 is out of range 1-9998" in result.stderr
    assert example.read_bytes() == before


def test_upcoming_from_takes_a_window_phrase(sco_cal: Run, example: Path) -> None:
    result = sco_cal("-r", example, "upcoming", "--from", "31 Oct - 1 Nov 2019", "--days", "2", "-f", "json")
    assert result.code == 0, result.stderr
    assert [e["id"] for e in json.loads(result.stdout)["events"]] == ["sco-ewg-07"]


def test_a_file_date_with_a_dash_after_a_spaced_time_is_refused_with_the_iso_spelling(
    sco_cal: Run, example: Path
) -> None:
    with example.open("a", encoding="utf-8") as stream:
        stream.write("\n  - id: dashed\n    title: Dashed\n    start: 2019-10-31 10:00-12:00\n")
    before = example.read_bytes()
    result = sco_cal("-r", example, "validate")
    assert result.code == 3
    assert "could be an offset or the end of a range" in result.stdout + result.stderr
    assert "2019-10-31T10:00-12:00" in result.stdout + result.stderr
    assert example.read_bytes() == before
