"""The ledger file: round trip, damaged files refused clearly, atomic saves, moved dates, pruning, failures."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sco_cal.dates import DateValue
from sco_cal.errors import DamagedLedger
from sco_cal.model import Event, LeadTime, Status
from sco_cal.reminders import ledger
from sco_cal.reminders.due import Due, LeadPolicy, Plan, Reminder, ReminderKey, candidates

NOW = datetime(2030, 3, 9, 7, 30, tzinfo=UTC)


def reminder_for(start: str, lead: str = "7d", event_id: str = "ewg") -> Reminder:
    event = Event(
        event_id,
        "EWG",
        status=Status.SCHEDULED,
        start=DateValue.from_text(start),
        reminders=(LeadTime.from_text(lead),),
    )
    (found,) = candidates(
        [event],
        LeadPolicy(),
        since=NOW - timedelta(days=4000),
        now=NOW + timedelta(days=400),
        floating_zone="UTC",
        default_zone="UTC",
    )
    return found


def test_a_missing_ledger_is_an_empty_first_run(tmp_path: Path) -> None:
    book = ledger.load(tmp_path / "none.json")
    assert not book.existed
    assert book.entries == {}
    assert book.last_run is None


def test_round_trip_keeps_entries_and_last_run(tmp_path: Path) -> None:
    path = tmp_path / "state" / "ledger.json"
    book = ledger.load(path)
    reminder = reminder_for("2030-03-16")
    book.record(reminder, "given", NOW)
    book.record(reminder_for("2030-03-17", "1d", "other"), "skipped", NOW, "missed")
    book.finish(NOW)
    ledger.save(book, Path("/srv/registry.yaml"))
    again = ledger.load(path)
    assert again.existed
    assert again.last_run == NOW
    assert again.has(reminder.key)
    assert again.entries == book.entries
    document = json.loads(path.read_text())
    assert document["schema"] == ledger.LEDGER_SCHEMA
    assert document["registry"] == "/srv/registry.yaml"
    assert {e["state"] for e in document["entries"]} == {"given", "skipped"}


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[]", "no list of entries"),
        (b'{"schema": 99, "entries": []}', "schema 99"),
        (b'{"schema": 1, "entries": [3]}', "entry 1 is not an object"),
        (b'{"schema": 1, "entries": [{"event": "x"}]}', "entry 1 lacks a field"),
        (b'{"schema": 1, "last_run": "yesterday", "entries": []}', "yesterday"),
    ],
)
def test_a_damaged_ledger_is_refused_with_a_clear_message(tmp_path: Path, content: bytes, why: str) -> None:
    path = tmp_path / "ledger.json"
    path.write_bytes(content)
    with pytest.raises(DamagedLedger, match="reset-ledger") as caught:
        ledger.load(path)
    assert why in str(caught.value)
    assert str(path) in str(caught.value)
    assert caught.value.exit_code == 9
    assert path.read_bytes() == content  # left alone for the user to look at


def test_set_aside_renames_the_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    path.write_text("garbage")
    aside = ledger.set_aside(path, NOW)
    assert aside == tmp_path / "ledger.json.damaged-20300309T073000Z"
    assert aside.read_text() == "garbage"
    assert not path.exists()
    assert ledger.set_aside(path, NOW) is None


def test_save_is_atomic_and_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ledger.json"
    book = ledger.load(path)
    book.record(reminder_for("2030-03-16"), "given", NOW)
    ledger.save(book)
    before = path.read_bytes()

    def fail(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", fail)
    book.record(reminder_for("2030-03-17", "1d", "other"), "given", NOW)
    with pytest.raises(ledger.StorageError, match="unchanged"):
        ledger.save(book)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.json"]


def test_moved_from_names_the_start_an_earlier_reminder_was_given_for(tmp_path: Path) -> None:
    book = ledger.load(tmp_path / "l.json")
    old = reminder_for("2030-03-16")
    book.record(old, "given", NOW)
    new = reminder_for("2030-03-20")
    assert book.moved_from(new.key) == "2030-03-16"
    assert book.moved_from(ReminderKey("ewg", "", "1d", "2030-03-20")) == "2030-03-16"  # any lead of it
    book.record(new, "given", NOW + timedelta(days=1))
    assert book.moved_from(ReminderKey("ewg", "", "1d", "2030-03-20")) is None  # the move was told once
    assert book.moved_from(ReminderKey("other", "", "7d", "2030-03-20")) is None


def test_skipped_entries_do_not_count_as_told(tmp_path: Path) -> None:
    book = ledger.load(tmp_path / "l.json")
    book.record(reminder_for("2030-03-16"), "skipped", NOW, "missed")
    assert book.moved_from(reminder_for("2030-03-20").key) is None


def test_old_entries_are_pruned(tmp_path: Path) -> None:
    book = ledger.load(tmp_path / "l.json")
    book.record(reminder_for("2028-01-10"), "given", NOW)
    book.record(reminder_for("2030-03-16", event_id="recent"), "given", NOW)
    book.finish(NOW)
    assert [key.event for key in book.entries] == ["recent"]


def test_a_run_every_minute_does_not_rewrite_an_unchanged_ledger(tmp_path: Path) -> None:
    path = tmp_path / "l.json"
    book = ledger.load(path)
    ledger.carry_out(Plan(), book, lambda _d: True, now=NOW, save_each=False)
    first = path.stat().st_mtime_ns
    book = ledger.load(path)
    ledger.carry_out(Plan(), book, lambda _d: True, now=NOW + timedelta(minutes=1), save_each=False)
    assert path.stat().st_mtime_ns == first
    assert ledger.load(path).last_run == NOW
    book = ledger.load(path)
    ledger.carry_out(Plan(), book, lambda _d: True, now=NOW + timedelta(hours=2), save_each=False)
    assert ledger.load(path).last_run == NOW + timedelta(hours=2)


def test_carry_out_records_only_what_was_delivered(tmp_path: Path) -> None:
    path = tmp_path / "l.json"
    good, bad = reminder_for("2030-03-16", event_id="good"), reminder_for("2030-03-16", event_id="bad")
    skipped = reminder_for("2030-03-16", event_id="late")
    work = Plan(give=[Due(good), Due(bad)], skip=[(skipped, "missed")])
    failed = ledger.carry_out(work, ledger.load(path), lambda d: d.reminder.event.id != "bad", now=NOW, save_each=True)
    assert [d.reminder.event.id for d in failed] == ["bad"]
    book = ledger.load(path)
    assert book.has(good.key)
    assert not book.has(bad.key)
    assert book.entries[skipped.key].state == "skipped"
    assert book.entries[skipped.key].reason == "missed"


def test_file_name_depends_on_the_registry_path() -> None:
    assert ledger.file_name(Path("/a/events.yaml")) != ledger.file_name(Path("/b/events.yaml"))
    assert ledger.file_name(Path("/a/events.yaml")).startswith("ledger-events-")


def test_beside_registry(tmp_path: Path) -> None:
    assert ledger.beside_registry(tmp_path / "events.yaml") == tmp_path / "events.reminders.json"
    assert ledger.beside_registry(tmp_path) == tmp_path / "reminders.json"
