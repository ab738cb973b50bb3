"""Issue 11, where its parts meet: what one part prints another reads back, and what an import brings in passes
the registry's own rules."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from conftest import MOSCOW_HEADER, Result

Run = Callable[..., Result]

HEADER = MOSCOW_HEADER


def test_a_time_shown_with_its_own_local_time_is_read_back(sco_cal: Run, tmp_path: Path) -> None:
    """list shows a New York time in a Moscow registry as "11 Jun 2020 06:00 MSK (10 Jun 23:00 EDT)"; typed
    back, as --date or as a window, it is that same instant."""
    path = tmp_path / "r.yaml"
    path.write_text(HEADER + "  - id: call\n    title: Call\n    start: 2020-06-10 23:00 America/New_York\n")
    shown = sco_cal("-r", path, "list", "2020", "--format", "csv").stdout.splitlines()[1].split(",")[11]
    assert shown == "11 Jun 2020 06:00 MSK (10 Jun 23:00 EDT)"
    found = sco_cal("-r", path, "list", shown, "--format", "csv")
    assert (found.code, [line.split(",")[0] for line in found.stdout.splitlines()[1:]]) == (0, ["call"])
    added = sco_cal("-r", path, "add", "Again", "--date", shown)
    assert added.code == 0, added.stderr
    assert "    start: 2020-06-11 06:00 Europe/Moscow\n" in path.read_text()


def test_a_typed_back_local_time_cannot_smuggle_in_a_second_date(sco_cal: Run, tmp_path: Path) -> None:
    """Only a trailing part in brackets that holds a clock time is dropped; other brackets stay an error."""
    path = tmp_path / "r.yaml"
    path.write_text(HEADER)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = sco_cal("-r", path, "add", "X", "--date", "11 Jun 2020 (maybe)")
    assert result.code == 2
    assert result.stderr.startswith("error: --date:")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_an_import_leaves_out_blank_text_rather_than_fail_on_it(sco_cal: Run, tmp_path: Path) -> None:
    """A registry holds no blank values; a feed's blank DESCRIPTION, URL or LOCATION is simply not there."""
    path = tmp_path / "r.yaml"
    path.write_text(HEADER)
    feed = tmp_path / "blank.ics"
    feed.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:a1@t\r\n"
        b"DTSTAMP:20200101T000000Z\r\nDTSTART;VALUE=DATE:20300101\r\nSUMMARY:Blank bits\r\n"
        b"DESCRIPTION: \r\nURL:  \r\nLOCATION: \r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    dry = sco_cal("-r", path, "import", "--dry-run", feed)
    real = sco_cal("-r", path, "import", feed)
    assert (dry.code, real.code) == (0, 0), real.stderr
    assert real.stdout.splitlines()[-1] == "1 new, 0 updated, 0 unchanged, 0 errors"
    text = path.read_text()
    assert "notes:" not in text
    assert "sources:" not in text
    assert "venue:" not in text
    assert sco_cal("-r", path, "validate").code == 0


def test_undo_without_a_journal_names_the_backup_an_older_save_left(sco_cal: Run, tmp_path: Path) -> None:
    """Saves made before the journal existed (or a lost journal) are not undone blindly; the backup is named."""
    path = tmp_path / "r.yaml"
    path.write_text(HEADER)
    assert sco_cal("-r", path, "add", "A", "--date", "2030").code == 0
    (tmp_path / ".r.yaml.journal").unlink()
    before = path.read_bytes()
    result = sco_cal("-r", path, "undo")
    assert result.code == 74
    assert result.stderr.strip() == (
        f"error: {path}: there is no earlier version to go back to that undo recorded; "
        f"{tmp_path / '.r.yaml.bak.1'} holds the version before an earlier save, to copy back by hand"
    )
    assert path.read_bytes() == before


def test_a_long_title_in_another_script_keeps_the_date_in_its_id(sco_cal: Run, tmp_path: Path) -> None:
    """A long transliterated title loses whole words, never the date the id ends with."""
    path = tmp_path / "r.yaml"
    path.write_text(HEADER)
    title = "Совместное заседание руководителей оборонных ведомств государств-членов ШОС, СНГ и ОДКБ"
    added = sco_cal("-r", path, "add", title, "--date", "June 2020")
    assert (added.code, added.stdout.strip()) == (0, "sovmestnoe-zasedanie-rukovoditeley-oboronnykh-vedomstv-2020-06")


def test_days_past_the_last_year_is_a_usage_error_not_a_crash(sco_cal: Run, example: Path) -> None:
    for command in (["upcoming", "--from", "2020-01-01"], ["agenda", "--now", "2020-01-01T12:00Z"]):
        result = sco_cal("-r", example, *command, "--days", "3000000")
        assert result.code == 2, result.stderr
        assert (
            result.stderr.strip() == "error: --days 3000000 from 2020-01-01 goes past 9998, the last year sco-cal knows"
        )
    edge = sco_cal("-r", example, "upcoming", "--from", "9998-12-01", "--days", "31")
    assert edge.code == 0


def test_a_day_printed_with_its_weekday_is_read_back_and_checked(sco_cal: Run, example: Path) -> None:
    """agenda prints "Mon 15 Jun 2020  (in 2 days)"; typed back it is that day, and a wrong weekday is a slip."""
    plain = sco_cal("-r", example, "list", "15 Jun 2020", "--format", "csv").stdout
    for typed in ("Mon 15 Jun 2020", "Monday, 15 Jun 2020", "Mon 15 Jun 2020  (in 2 days)"):
        result = sco_cal("-r", example, "list", typed, "--format", "csv")
        assert (result.code, result.stdout) == (0, plain), typed
    wrong = sco_cal("-r", example, "list", "Tue 15 Jun 2020")
    assert (wrong.code, wrong.stderr.strip()) == (2, "error: 'Tue 15 Jun 2020': 15 Jun 2020 is a Monday")
    vague = sco_cal("-r", example, "list", "Mon June 2020")
    assert vague.code == 2
    assert "a day of the week goes with one day" in vague.stderr


def test_clear_names_fields_as_the_registry_file_does(sco_cal: Run, tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        HEADER + "  - id: weekly\n    title: Weekly\n    start: 2024-01-08 09:00\n"
        "    recurrence: FREQ=WEEKLY;COUNT=4\n    except: [2024-01-15 09:00]\n"
    )
    before = path.read_bytes()
    refused = sco_cal("-r", path, "edit", "weekly", "--clear", "excluded")
    assert refused.code == 2
    assert "choose from" in refused.stderr
    assert "except" in refused.stderr
    assert path.read_bytes() == before
    cleared = sco_cal("-r", path, "edit", "weekly", "--clear", "except")
    assert cleared.code == 0, cleared.stderr
    assert "except:" not in path.read_text()
    listed = sco_cal("-r", path, "list", "January 2024", "--format", "csv").stdout.splitlines()
    assert len(listed) == 1 + 4


def test_show_into_a_pipe_has_no_trailing_blanks(sco_cal: Run, example: Path) -> None:
    shown = sco_cal("-r", example, "show", "sco-ewg-07")
    assert shown.code == 0
    lines = shown.stdout.splitlines()
    assert lines[0] == "id            sco-ewg-07"
    assert [line for line in lines if line != line.rstrip()] == []
