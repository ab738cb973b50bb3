"""Issue 11, follow-up: validate runs the registry-wide checks (unique ids, related, moved occurrences) beside
the problems of single events; a local time the clocks skip or repeat is refused wherever it is read."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MOSCOW_HEADER, Result, digest, registry

Run = Callable[..., Result]

MOSCOW = MOSCOW_HEADER
NEW_YORK = "schema: 1\nname: Test\ntimezone: America/New_York\nuid_domain: test.example\nevents:\n"

BERLIN_GAP = "31 Mar 2024 02:30 does not exist in Europe/Berlin (clocks go from 02:00 to 03:00); write 01:30 or 03:30"
GAP = "10 Mar 2024 02:30 does not exist in America/New_York (clocks go from 02:00 to 03:00); write 01:30 or 03:30"
FOLD = (
    "3 Nov 2024 01:30 happens twice in America/New_York (the clocks go back); write 2024-11-03T01:30-04:00 "
    "for the first (EDT) or 2024-11-03T01:30-05:00 for the second (EST)"
)


def validate_lines(sco_cal: Run, path: Path) -> list[str]:
    before = digest(path)
    result = sco_cal("-r", path, "validate")
    assert result.code == 3, result.stderr
    assert digest(path) == before
    return sorted(result.stdout.splitlines())


# --- validate: registry-wide checks run beside the problems of single events -----------------------------


def test_duplicate_id_and_unknown_related_are_listed_beside_a_bad_date(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(
        tmp_path,
        "  - id: a\n    title: A\n    start: 2020-06-31\n"
        "  - id: a\n    title: A2\n    start: 2020-01-02\n"
        "  - id: b\n    title: B\n    start: 2020-01-03\n    related: [nope]\n",
    )
    assert validate_lines(sco_cal, path) == sorted(
        [
            f"{path}:8:12: start: 2020-06-31 is not a day in the calendar",
            f"{path}:9:5: id: 'a' is already used at {path}:6; ids are unique across the registry",
            f"{path}:15:15: related: no event has the id 'nope'",
        ]
    )


def test_a_broken_event_is_judged_on_the_fields_that_were_read(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(
        tmp_path,
        "  - id: c\n    title: C\n    start: 2020-01-04\n"
        "  - id: c\n    title: C2\n    start: 2020-13-01\n    related: [ghost, d]\n"
        "  - id: d\n    title: D\n    start: 2020-01-05\n    status: bogus\n    related: [c, nowhere]\n"
        "  - id: e\n    title: E\n    start: 2020-01-06\n    related: [d]\n",
    )
    assert validate_lines(sco_cal, path) == sorted(
        [
            f"{path}:11:12: start: 2020-13 is not a month (01-12)",
            f"{path}:9:5: id: 'c' is already used at {path}:6; ids are unique across the registry",
            f"{path}:12:15: related: no event has the id 'ghost'",
            f"{path}:16:13: status: 'bogus' is not one of planned, scheduled, held, postponed, cancelled",
            f"{path}:17:18: related: no event has the id 'nowhere'",
        ]
    )


def test_duplicate_ids_among_several_broken_events_are_each_reported(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(
        tmp_path,
        "  - id: x\n    title: X\n    start: 2020-02-30\n"
        "  - id: x\n    title: X2\n    start: 2020-02-31\n"
        "  - id: x\n    title: X3\n    start: 2020-03-01\n",
    )
    lines = validate_lines(sco_cal, path)
    duplicates = [line for line in lines if "already used" in line]
    assert duplicates == [
        f"{path}:12:5: id: 'x' is already used at {path}:6; ids are unique across the registry",
        f"{path}:9:5: id: 'x' is already used at {path}:6; ids are unique across the registry",
    ]
    assert len(lines) == 4


def test_a_moved_occurrence_of_a_broken_series_is_not_called_missing(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(
        tmp_path,
        "  - id: weekly\n    title: Weekly\n    start: 2020-01-06\n    recurrence: FREQ=WEEKLY\n    status: bogus\n"
        "  - id: moved\n    title: Moved\n    start: 2020-01-14\n    occurrence_of: weekly\n"
        "    replaces: 2020-01-13\n"
        "  - id: lost\n    title: Lost\n    start: 2020-02-30\n    occurrence_of: ghost\n"
        "    replaces: 2020-01-20\n",
    )
    assert validate_lines(sco_cal, path) == sorted(
        [
            f"{path}:10:13: status: 'bogus' is not one of planned, scheduled, held, postponed, cancelled",
            f"{path}:18:12: start: 2020-02-30 is not a day in the calendar",
            f"{path}:16:5: occurrence_of: no repeating event has the id 'ghost'",
        ]
    )


# --- local times the clocks skip or repeat --------------------------------------------------------------


@pytest.fixture
def new_york(tmp_path: Path) -> Path:
    return registry(tmp_path, "  - id: w1\n    title: W1\n    start: 2024-03-09 10:00\n", NEW_YORK)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("add", "W5", "--date", "10 Mar 2024 02:30"), 2, f"--date: {GAP}"),
        (("add", "W5", "--date", "2024-03-10 02:30"), 2, f"--date: {GAP}"),
        (("add", "W5", "--date", "2024-03-10 02:30 America/New_York"), 2, f"--date: {GAP}"),
        (("add", "W5", "--date", "3 Nov 2024 01:30"), 5, f"--date: {FOLD}"),
        (("add", "W5", "--date", "3 Nov 2024 01:00 - 01:30"), 5, f"--date: {FOLD.replace('01:30', '01:00')}"),
        (("add", "W5", "--date", "9 Mar 2024 22:00", "--end", "10 Mar 2024 02:30"), 2, f"--end: {GAP}"),
        (("edit", "w1", "--date", "10 Mar 2024 02:30"), 2, f"--date: {GAP}"),
        (("edit", "w1", "--end", "3 Nov 2024 01:30"), 5, f"--end: {FOLD}"),
        (
            ("add", "W6", "--date", "2024-03-31 02:30 Europe/Berlin"),
            2,
            f"--date: {BERLIN_GAP}",
        ),
        (("list", "--from", "10 Mar 2024 02:30"), 2, GAP),
        (("list", "3 Nov 2024 01:30"), 5, FOLD),
        (("upcoming", "--from", "2024-03-10 02:30"), 2, GAP),
        (("export", "--to", "2024-11-03 01:30"), 5, FOLD),
    ],
)
def test_a_time_the_clocks_skip_or_repeat_is_refused(
    sco_cal: Run, new_york: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    before = digest(new_york)
    result = sco_cal("-r", new_york, *args)
    assert (result.code, result.stderr.splitlines()[0]) == (code, f"error: {message}")
    assert result.stdout == ""
    assert digest(new_york) == before


def test_the_spelling_the_message_offers_is_accepted_and_shown_right(sco_cal: Run, new_york: Path) -> None:
    added = sco_cal("-r", new_york, "add", "W5", "--date", "2024-11-03T01:30-05:00")
    assert added.code == 0, added.stderr
    shown = sco_cal("-r", new_york, "list", "--from", "2024-11-01", "-f", "csv")
    assert shown.code == 0, shown.stderr
    assert "3 Nov 2024 01:30 EST" in shown.stdout
    assert "EDT" not in shown.stdout
    record = sco_cal("-r", new_york, "show", "w5-2024-11-03", "-f", "json")
    assert '"display_start": "2024-11-03T01:30-05:00"' in record.stdout


def test_a_zoneless_time_is_read_in_the_registrys_zone(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(tmp_path, "")
    result = sco_cal("-r", path, "add", "W5", "--date", "10 Mar 2024 02:30")
    assert result.code == 0, result.stderr
    assert "start: 2024-03-10 02:30\n" in path.read_text(encoding="utf-8")


def test_validate_names_each_skipped_or_repeated_time_in_the_file(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(
        tmp_path,
        "  - id: w1\n    title: W1\n    start: 2024-03-10 02:30\n"
        "  - id: w2\n    title: W2\n    start: 2024-11-03 01:00\n    end: 2024-11-03 01:30 America/New_York\n"
        "  - id: w3\n    title: W3\n    start: 2024-03-31 02:30 Europe/Berlin\n"
        "  - id: w4\n    title: W4\n    start: 2024-11-03T01:30-05:00\n    except: [2024-03-10 02:30]\n"
        "    recurrence: FREQ=WEEKLY\n",
        NEW_YORK,
    )
    assert validate_lines(sco_cal, path) == sorted(
        [
            f"{path}:6:5: start: {GAP}",
            f"{path}:9:5: start: {FOLD.replace('01:30', '01:00')}",
            f"{path}:9:5: end: {FOLD}",
            f"{path}:13:5: start: {BERLIN_GAP}",
            f"{path}:16:5: except: {GAP}",
        ]
    )
    listed = sco_cal("-r", path, "list")
    assert (listed.code, listed.stderr.splitlines()[0]) == (3, f"error: {path}:6:5: start: {GAP}")


def test_import_keeps_the_instant_a_calendar_means_by_a_skipped_or_repeated_time(
    sco_cal: Run, new_york: Path, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.ics"
    feed.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
        "BEGIN:VEVENT\r\nUID:gap@t\r\nDTSTAMP:20240101T000000Z\r\n"
        "DTSTART;TZID=America/New_York:20240310T023000\r\nSUMMARY:Gap\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:fold@t\r\nDTSTAMP:20240101T000000Z\r\n"
        "DTSTART;TZID=America/New_York:20241103T013000\r\nSUMMARY:Fold\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n",
        encoding="utf-8",
    )
    imported = sco_cal("-r", new_york, "import", feed)
    assert imported.code == 0, imported.stderr
    text = new_york.read_text(encoding="utf-8")
    # RFC 5545: a skipped time takes the offset before the jump, a repeated one is its first pass
    assert "start: 2024-03-10 03:30 America/New_York\n" in text
    assert "start: 2024-11-03T01:30-04:00\n" in text
    assert sco_cal("-r", new_york, "validate").code == 0


def test_an_occurrence_the_clocks_skip_is_shown_at_the_instant_it_names(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(
        tmp_path,
        "  - id: wk\n    title: Weekly\n    start: 2024-03-03 02:30\n    recurrence: FREQ=WEEKLY;COUNT=3\n",
        NEW_YORK,
    )
    result = sco_cal("-r", path, "list", "--from", "2024-03-01", "--to", "2024-03-20", "-f", "csv")
    assert result.code == 0, result.stderr
    shown = [row["when"] for row in csv.DictReader(io.StringIO(result.stdout))]
    assert shown == ["3 Mar 2024 02:30 EST", "10 Mar 2024 03:30 EDT", "17 Mar 2024 02:30 EDT"]
