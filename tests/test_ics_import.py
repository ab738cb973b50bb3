"""``sco-cal import``: calendars written by other apps and by sco-cal itself, upserted by UID (issue 3)."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import DATA, SCO_CAL, Result
from test_ics_support import generated_events, make_registry

from sco_cal.dates import DateValue
from sco_cal.ics import read as ics_read
from sco_cal.model import Event, LeadTime, Status, Venue
from sco_cal.registry import init, load

ICS = DATA / "ics"


def _parse(stem: str, zone: str = "UTC") -> dict[str, ics_read.Imported]:
    parsed = ics_read.parse_calendar((ICS / f"{stem}.ics").read_bytes(), f"{stem}.ics", zone)
    assert parsed.errors == []
    return {item.uid: item for item in parsed.events if item.recurrence_id is None}  # a series, not its moves


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _empty(tmp_path: Path, zone: str = "Europe/Moscow", name: str = "Imported") -> Path:
    path = tmp_path / "empty.yaml"
    init(path, name=name, timezone=zone)
    return path


def _v(text: str) -> DateValue:
    return DateValue.from_text(text)


# --- what each app's calendar becomes ------------------------------------------------------------------------


def test_google_all_day_floating_utc_and_cancelled() -> None:
    found = _parse("google-allday")
    meeting = found["4h2k3j4h5k6j7h8g9f0d1s2a3q@google.com"].fields
    assert (meeting["start"], meeting["end"]) == (_v("2020-06-24"), None)  # DTEND is exclusive: one day
    assert meeting["venue"] == Venue(name="Moscow, Russia")
    assert meeting["notes"] == "Invitations sent to the SCO, CIS and CSTO."
    two_days = found["0a9s8d7f6g5h4j3k2l1z0x9c8v@google.com"].fields
    assert (two_days["start"], two_days["end"]) == (_v("2019-10-31"), _v("2019-11-01"))
    assert two_days["title"] == "EWG 7th meeting \u2013 Москва 🇷🇺"  # an en dash, as Google writes it
    floating = found["floating123456789@google.com"]
    assert floating.fields["start"] == _v("2020-09-15 10:00 Europe/Moscow")  # X-WR-TIMEZONE
    assert floating.statuses == (Status.PLANNED, Status.POSTPONED)
    utc = found["utc123456789@google.com"].fields
    assert (utc["start"], utc["end"]) == (_v("2020-09-16 07:00 UTC"), _v("2020-09-16 08:00 UTC"))
    assert utc["sources"][0].url == "https://example.org/call"
    assert found["cancelled555@google.com"].statuses == (Status.CANCELLED,)
    assert found["anniv987654321@google.com"].fields["recurrence"] == "FREQ=YEARLY"


def test_google_recurrence_exceptions_are_kept() -> None:
    parsed = ics_read.parse_calendar((ICS / "google-allday.ics").read_bytes(), "google-allday.ics")
    assert not any("EXDATE" in w or "changed or cancelled" in w for w in parsed.warnings)
    series, moved = [e for e in parsed.events if e.uid == "anniv987654321@google.com"]
    assert series.fields["excluded"] == (_v("2021-06-15"), _v("2022-06-15"))  # the EXDATE, the moved one's date
    assert (moved.fields["replaces"], moved.fields["start"]) == (_v("2022-06-15"), _v("2022-06-16"))
    assert moved.fields["recurrence"] is None


def test_outlook_windows_zone_names_become_iana_zones() -> None:
    found = list(_parse("outlook-windows-zones").values())
    assert found[0].fields["start"] == _v("2019-10-31 10:00 Europe/Moscow")  # "Russian Standard Time"
    assert found[0].fields["reminders"] == (LeadTime(15, "m"),)
    assert found[0].fields["title"] == "EWG session"
    assert found[1].fields["start"] == _v("2020-07-01 14:00 Europe/Berlin")  # "W. Europe Standard Time"
    assert found[1].statuses == (Status.CANCELLED,)
    assert (found[2].fields["start"], found[2].fields["end"]) == (_v("2020-01-15"), None)
    assert found[3].fields["start"] == _v("2020-02-10T10:00+05:30")  # a zone only its VTIMEZONE defines
    assert found[0].updated == datetime(2019, 10, 2, 9, 0, tzinfo=UTC)


def test_apple_vtimezone_zones_and_alarms() -> None:
    found = list(_parse("apple-vtimezone").values())
    assert (found[0].fields["start"], found[0].fields["end"]) == (
        _v("2020-09-15 09:00 Asia/Shanghai"),
        _v("2020-09-15 11:00 Asia/Shanghai"),
    )
    assert found[0].fields["reminders"] == (LeadTime(2, "h"),)
    assert found[0].sequence == 1
    assert found[1].fields["start"] == _v("2020-11-03 15:30 America/New_York")
    assert (found[2].fields["start"], found[2].fields["end"]) == (_v("2020-07-01"), _v("2020-07-03"))


def test_thunderbird_zoned_repeating_event() -> None:
    talks = _parse("thunderbird-zoned")["b1c1e1f0-8d3a-4b2e-9f61-2a7c5e4d3b21"]
    assert talks.fields["start"] == _v("2020-07-07 10:00 Europe/Berlin")
    assert talks.fields["recurrence"] == "FREQ=WEEKLY;COUNT=4;BYDAY=TU"
    assert talks.fields["tags"] == ("Business", "CSTO")
    assert talks.fields["venue"] == Venue(name="Berlin; room 2")
    assert talks.fields["notes"] == "Line one\nLine two, with a comma"
    assert talks.fields["reminders"] == (LeadTime(1, "d"),)


def test_khal_vdir_files_concatenated() -> None:
    found = list(_parse("khal-export").values())
    assert found[0].fields["start"] == _v("2020-11-03 09:30 Asia/Tashkent")
    assert found[0].fields["notes"] == "Annual session; heads of staff"
    assert (found[1].fields["start"], found[1].fields["end"]) == (_v("2020-12-01"), _v("2020-12-03"))


def test_calcurse_export_without_uids_gets_stable_ones() -> None:
    first = ics_read.parse_calendar((ICS / "calcurse-export.ics").read_bytes(), "c.ics")
    second = ics_read.parse_calendar((ICS / "calcurse-export.ics").read_bytes(), "c.ics")
    assert [e.uid for e in first.events] == [e.uid for e in second.events]
    assert len({e.uid for e in first.events}) == len(first.events) == 8
    assert all("no UID" in w for w in first.warnings)


# --- the command ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "new", "not_kept"),
    [
        ("google-allday", 7, ""),  # the anniversary, and its occurrence moved a day
        ("outlook-windows-zones", 4, "; not kept: 3 X-*, 2 CLASS, 1 PRIORITY (--verbose lists them)"),
        ("apple-vtimezone", 3, "; not kept: 1 X-* (--verbose lists them)"),
        ("thunderbird-zoned", 2, "; not kept: 1 X-* (--verbose lists them)"),
        ("khal-export", 2, ""),
        ("calcurse-export", 8, ""),
    ],
)
def test_import_each_app_then_again_changes_nothing(
    tmp_path: Path, sco_cal: Callable[..., Result], stem: str, new: int, not_kept: str
) -> None:
    registry = _empty(tmp_path)
    before = _sha(registry)
    dry = sco_cal("-r", registry, "import", "--dry-run", ICS / f"{stem}.ics")
    assert dry.code == 0, dry.stderr
    assert (
        dry.stdout.splitlines()[-1]
        == f"{new} new, 0 updated, 0 unchanged, 0 errors{not_kept} (dry run: nothing written)"
    )
    assert dry.stdout.count("\n+ ") + dry.stdout.startswith("+ ") == new
    assert _sha(registry) == before
    real = sco_cal("-r", registry, "import", ICS / f"{stem}.ics")
    assert real.code == 0, real.stderr
    assert real.stdout.splitlines()[-1] == f"{new} new, 0 updated, 0 unchanged, 0 errors{not_kept}"
    assert len(load(registry).events) == new
    after = _sha(registry)
    again = sco_cal("-r", registry, "import", ICS / f"{stem}.ics")
    assert (again.code, again.stdout) == (0, f"0 new, 0 updated, {new} unchanged, 0 errors{not_kept}\n")
    assert _sha(registry) == after


def test_import_keeps_the_registry_comments(example: Path, sco_cal: Callable[..., Result]) -> None:
    text = example.read_text(encoding="utf-8")
    result = sco_cal("-r", example, "import", ICS / "khal-export.ics")
    assert result.code == 0, result.stderr
    after = example.read_text(encoding="utf-8")
    assert after.startswith(text)  # new events are appended; every byte before them stays
    assert "uid: AHY9UZ36CXCDED26HDSUDUF5RVYRO3TU37RI" in after


def test_import_from_stdin(tmp_path: Path, sco_cal: Callable[..., Result]) -> None:
    registry = _empty(tmp_path)
    data = (ICS / "khal-export.ics").read_text(encoding="utf-8")
    result = sco_cal("-r", registry, "import", "-", stdin=data)
    assert (result.code, result.stdout.splitlines()[-1]) == (0, "2 new, 0 updated, 0 unchanged, 0 errors")


def test_updated_event_updates_in_place_and_cancelled_marks_cancelled(
    tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    registry = _empty(tmp_path)
    assert sco_cal("-r", registry, "import", ICS / "google-allday.ics").code == 0
    text = (ICS / "google-allday.ics").read_bytes().decode()
    moved = text.replace(
        "DTSTART;VALUE=DATE:20200624\r\nDTEND;VALUE=DATE:20200625",
        "DTSTART;VALUE=DATE:20200625\r\nDTEND;VALUE=DATE:20200626",
    )
    moved = moved.replace("SUMMARY:Video call", "SUMMARY:Video call\r\nSTATUS:CANCELLED").replace(
        "STATUS:CONFIRMED\r\nSUMMARY:Video call", "SUMMARY:Video call"
    )
    changed = tmp_path / "changed.ics"
    changed.write_bytes(moved.encode())
    dry = sco_cal("-r", registry, "import", "--dry-run", changed)
    assert dry.stdout.splitlines()[-1] == "0 new, 2 updated, 5 unchanged, 0 errors (dry run: nothing written)"
    assert "start 2020-06-24 -> 2020-06-25" in dry.stdout
    assert "status scheduled -> cancelled" in dry.stdout
    assert sco_cal("-r", registry, "import", changed).code == 0
    events = {e.uid: e for e in load(registry).events}
    meeting = events["4h2k3j4h5k6j7h8g9f0d1s2a3q@google.com"]
    assert (meeting.start, meeting.sequence) == (_v("2020-06-25"), 1)
    assert events["utc123456789@google.com"].status is Status.CANCELLED


def _same(imported: Event, original: Event) -> bool:
    return replace(imported, uid=None) == replace(original, uid=None)


def test_export_then_import_into_an_empty_registry_gives_the_same_events(
    example: Path, tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    feed = tmp_path / "feed.ics"
    assert sco_cal("-r", example, "export", "-o", feed).code == 0
    registry = _empty(tmp_path)
    result = sco_cal("-r", registry, "import", feed)
    assert result.code == 0, result.stderr
    originals = {e.id: e for e in load(example).events if e.start is not None}
    imported = {e.id: e for e in load(registry).events}
    assert set(imported) == set(originals)
    for event_id, event in imported.items():
        assert _same(event, originals[event_id]), event_id
        assert event.uid == f"{event_id}@sco-defence.example"  # the feed's UIDs, kept for life


def test_round_trip_of_a_generated_registry_in_another_zone(tmp_path: Path, sco_cal: Callable[..., Result]) -> None:
    source = make_registry(tmp_path / "gen.yaml", generated_events())
    feed = tmp_path / "gen.ics"
    assert sco_cal("-r", source, "export", "-o", feed).code == 0
    registry = _empty(tmp_path, zone="America/New_York")
    assert sco_cal("-r", registry, "import", feed).code == 0
    imported = {e.id: e for e in load(registry).events}
    for original in load(source).events:
        got = imported[original.id]
        if original.start is not None and original.start.zone is None and original.start.hour is not None:
            # a time in the exporting registry's zone keeps its instant in a registry of another zone
            assert got.start == replace(original.start, zone="Europe/Moscow")
            continue
        assert _same(got, original), original.id


def test_our_feed_sent_back_without_x_properties_changes_nothing(
    example: Path, tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    """A client that drops X- properties (Google) sends our decorations back: the whole-month span, the
    "(date TBC)" title, the generated description. None of that is a change."""
    data = subprocess.run([str(SCO_CAL), "-r", str(example), "export"], capture_output=True, check=True).stdout
    unfolded = data.decode().replace("\r\n ", "")
    stripped = "\r\n".join(line for line in unfolded.split("\r\n") if not line.startswith("X-SCO-"))
    feed = tmp_path / "from-google.ics"
    feed.write_bytes(stripped.encode())
    before = _sha(example)
    result = sco_cal("-r", example, "import", feed)
    assert (result.code, result.stdout) == (0, "0 new, 0 updated, 7 unchanged, 0 errors\n"), result.stderr
    assert _sha(example) == before


def test_a_foreign_edit_of_our_event_wins(example: Path, tmp_path: Path, sco_cal: Callable[..., Result]) -> None:
    data = subprocess.run([str(SCO_CAL), "-r", str(example), "export"], capture_output=True, check=True).stdout
    text = data.decode().replace(
        "DTSTART;VALUE=DATE:20200601\r\nDTEND;VALUE=DATE:20200701",
        "DTSTART;VALUE=DATE:20200624\r\nDTEND;VALUE=DATE:20200625",
    )
    feed = tmp_path / "moved.ics"
    feed.write_bytes(text.encode())
    result = sco_cal("-r", example, "import", feed)
    assert result.stdout.splitlines()[-1] == "0 new, 1 updated, 6 unchanged, 0 errors", result.stderr
    meeting = load(example).get("sco-cis-csto-defence-chiefs-2020-06")
    assert (meeting.start, meeting.end, meeting.sequence) == (_v("2020-06-24"), None, 1)
    assert meeting.title == "Joint meeting of the heads of defence agencies of the SCO, CIS and CSTO"
