"""The sync state of one target: a small JSON file, written atomically, read tolerantly (a damaged file is one
clear error naming it; a missing one, or one of another collection, is an empty state), never a password."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sco_cal.errors import ScoCalError, StorageError
from sco_cal.sync.state import STATE_SCHEMA, DamagedState, Item, State, file_name, load, save

URL = "https://dav.example/calendars/team/sco/"


def _state() -> State:
    return State(
        url=URL,
        uid_domain="sco.example",
        sync_token="http://radicale.org/ns/sync/abc",
        items={
            "b@sco.example": Item("b.ics", '"etag-b"', "1" * 64, "2" * 64),
            "a@sco.example": Item("a.ics", None, "3" * 64, None),
        },
    )


def test_a_state_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "state" / "sync.json"
    state = _state()
    save(state, path)
    loaded = load(path)
    assert loaded == state
    assert loaded.existed


def test_the_file_is_stable_sorted_json(tmp_path: Path) -> None:
    path = tmp_path / "sync.json"
    save(_state(), path)
    first = path.read_bytes()
    save(load(path), path)
    assert path.read_bytes() == first
    document = json.loads(first)
    assert document["schema"] == STATE_SCHEMA
    assert list(document["items"]) == ["a@sco.example", "b@sco.example"]
    assert document["items"]["b@sco.example"] == {
        "href": "b.ics",
        "etag": '"etag-b"',
        "sent": "1" * 64,
        "server": "2" * 64,
        "key": None,
    }


def test_no_password_field_exists_in_the_state(tmp_path: Path) -> None:
    path = tmp_path / "sync.json"
    save(_state(), path)
    text = path.read_text().lower()
    assert "password" not in text
    assert "username" not in text


def test_a_missing_file_is_an_empty_state(tmp_path: Path) -> None:
    state = load(tmp_path / "none.json")
    assert state == State()
    assert not state.existed
    assert not state.items


def test_a_save_leaves_no_temporary_file_and_replaces_atomically(tmp_path: Path) -> None:
    path = tmp_path / "sync.json"
    save(_state(), path)
    inode = path.stat().st_ino
    save(State(url=URL, uid_domain="sco.example"), path)
    assert sorted(os.listdir(tmp_path)) == ["sync.json"]
    assert path.stat().st_ino != inode  # a new file renamed over the old one, never rewritten in place
    assert load(path).items == {}


def test_a_save_that_cannot_write_leaves_the_old_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sync.json"
    save(_state(), path)
    before = path.read_bytes()

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(StorageError, match="No space left"):
        save(State(url=URL), path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["sync.json"]


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[]", "no table of items"),
        (b'{"schema": 1}', "no table of items"),
        (b'{"schema": 99, "items": {}}', "schema 99"),
        (b'{"schema": 1, "items": {}, "url": 5, "uid_domain": "d"}', "url is not text"),
        (b'{"schema": 1, "items": {}, "url": "u"}', "uid_domain is not text"),
        (b'{"schema": 1, "url": "u", "uid_domain": "d", "items": {"x": 1}}', "item 'x' is not an object"),
        (b'{"schema": 1, "url": "u", "uid_domain": "d", "items": {"x": {"etag": "e"}}}', "the href of 'x'"),
        (b'{"schema": 1, "url": "u", "uid_domain": "d", "items": {"x": {"href": "h", "etag": 3}}}', "etag of 'x'"),
    ],
)
def test_a_damaged_file_is_one_clear_error_naming_it(tmp_path: Path, content: bytes, why: str) -> None:
    path = tmp_path / "sync.json"
    path.write_bytes(content)
    with pytest.raises(DamagedState) as raised:
        load(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: the sync state is damaged (")
    assert why in message
    assert "\n" not in message
    assert "without duplicates" in message
    assert isinstance(raised.value, ScoCalError)
    assert raised.value.exit_code == 9


def test_an_unreadable_file_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "sync.json"
    path.mkdir()
    with pytest.raises(StorageError, match="cannot read the sync state"):
        load(path)


def test_a_state_of_another_collection_or_domain_is_an_empty_one() -> None:
    state = _state()
    assert state.matching(URL, "sco.example") is state
    for url, domain in ((URL + "other/", "sco.example"), (URL, "other.example")):
        fresh = state.matching(url, domain)
        assert (fresh.url, fresh.uid_domain, fresh.items, fresh.sync_token) == (url, domain, {}, None)


def test_the_file_name_is_per_registry_and_target() -> None:
    one = file_name(Path("/srv/events.yaml"), "work")
    assert one.startswith("sync-events-work-")
    assert one.endswith(".json")
    assert file_name(Path("/srv/events.yaml"), "home") != one
    assert file_name(Path("/other/events.yaml"), "work") != one
    assert file_name(Path("/srv/events.yaml"), "work") == one


def test_a_target_name_is_safe_in_the_file_name() -> None:
    name = file_name(Path("/srv/events.yaml"), "../../etc/passwd")
    assert "/" not in name
    assert name.startswith("sync-events-")


def test_changes_logged_between_saves_are_replayed_and_a_torn_last_line_is_no_change(tmp_path: Path) -> None:
    from sco_cal.sync.state import log_path, record

    path = tmp_path / "sync.json"
    save(_state(), path)
    record(path, "c@sco.example", Item("c.ics", '"etag-c"', "3" * 64, "3" * 64, "k"))
    record(path, "a@sco.example", None)
    with log_path(path).open("ab") as log:
        log.write(b'{"uid": "d@sco.example", "item": {"href": "d.i')  # a crash mid-line
    state = load(path)
    assert sorted(state.items) == ["b@sco.example", "c@sco.example"]
    assert state.items["c@sco.example"] == Item("c.ics", '"etag-c"', "3" * 64, "3" * 64, "k")
    save(state, path)
    assert not log_path(path).exists()
    assert load(path).items == state.items
