"""A listing of every event of a big registry keeps each event's text in the registry's index, and the next
listing writes the kept texts: the output stays exactly the listing made from the YAML with no index, in every
zone, after hand edits and saves, when the index is busy, and when the kept texts were made for something else."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from test_list_stream import _sco, big_registry

COUNT = 1500


def _index(path: Path) -> Path:
    (index,) = (path.parent / "cache").glob("*.sqlite3")
    return index


def _kept(path: Path, kind: str) -> int:
    """How many events' texts of ``kind`` the index keeps."""
    with sqlite3.connect(_index(path)) as db:
        count: int = db.execute(f"SELECT count(*) FROM listed_{kind}").fetchone()[0]
    return count


def _config(folder: Path, zone: str) -> dict[str, str]:
    config = folder / f"config-{zone.replace('/', '-')}.toml"
    config.write_text(f'timezone = "{zone}"\n', encoding="utf-8")
    return {"SCO_CAL_CONFIG": str(config)}


def _same_as_parsed(path: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """The listing through the index, after asserting that it is the listing with no index at all."""
    indexed = _sco("-r", path, "list", *args, env=env)
    parsed = _sco("-r", path, "list", *args, env={**(env or {}), "SCO_CAL_CACHE": "off"})
    assert indexed.returncode == parsed.returncode == 0, indexed.stderr + parsed.stderr
    assert indexed.stderr == ""
    assert indexed.stdout == parsed.stdout
    return indexed.stdout


@pytest.fixture
def big(tmp_path: Path) -> Path:
    path = big_registry(tmp_path, COUNT, zone="Asia/Kathmandu", seed=21)
    assert _sco("-r", path, "upcoming").returncode == 0  # leaves the index
    return path


@pytest.mark.parametrize("kind", ["csv", "json"])
@pytest.mark.parametrize("zone", [None, "Pacific/Pago_Pago", "Pacific/Kiritimati"])
def test_the_first_listing_keeps_every_text_and_the_next_one_writes_them(
    big: Path, kind: str, zone: str | None
) -> None:
    env = _config(big.parent, zone) if zone else None
    assert _kept(big, kind) == 0
    first = _same_as_parsed(big, "--format", kind, env=env)
    assert _kept(big, kind) == COUNT
    assert _same_as_parsed(big, "--format", kind, env=env) == first
    other = "json" if kind == "csv" else "csv"
    assert _kept(big, other) == 0  # each kind of listing keeps its own


def test_a_listing_in_another_zone_makes_its_texts_again(big: Path) -> None:
    east, west = _config(big.parent, "Pacific/Kiritimati"), _config(big.parent, "Pacific/Pago_Pago")
    shown = {}
    for env in (east, west, east, None, west):
        shown[str(env)] = _same_as_parsed(big, "--format", "csv", env=env)
        assert _kept(big, "csv") == COUNT
    assert shown[str(east)] != shown[str(west)]


@pytest.mark.parametrize(
    "args",
    [("--exact",), ("--limit", "7"), ("--exact", "--limit", "300"), ("--limit", "1400")],
)
@pytest.mark.parametrize("kind", ["csv", "json"])
def test_exact_and_limited_listings_from_kept_texts(big: Path, kind: str, args: tuple[str, ...]) -> None:
    _same_as_parsed(big, "--format", kind)
    assert _same_as_parsed(big, "--format", kind, *args) != ""


def test_a_hand_edit_drops_only_the_edited_events_texts(big: Path) -> None:
    _same_as_parsed(big, "--format", "csv")
    text = big.read_text(encoding="utf-8")
    edited = text.replace("  - id: ev-000700\n", "  - id: ev-000700\n    tags: [hand-edited]\n", 1)
    edited = edited.replace("  - id: ev-000900\n", "  - id: ev-000900-renamed\n", 1)
    big.write_text(edited, encoding="utf-8")
    assert _sco("-r", big, "upcoming").returncode == 0  # patches the index
    assert 0 < _kept(big, "csv") < COUNT
    shown = _same_as_parsed(big, "--format", "csv")
    assert "ev-000900-renamed," in shown
    assert ",hand-edited," in shown
    assert _kept(big, "csv") == COUNT


def test_a_save_through_sco_cal_drops_the_saved_events_texts(big: Path) -> None:
    _same_as_parsed(big, "--format", "json")
    edit = _sco("-r", big, "edit", "ev-000042", "--title", "Retitled by a save", "--status", "held")
    assert edit.returncode == 0, edit.stderr
    removed = _sco("-r", big, "remove", "ev-000043", "--yes")
    assert removed.returncode == 0, removed.stderr
    shown = _same_as_parsed(big, "--format", "json")
    assert '"title": "Retitled by a save"' in shown
    assert '"id": "ev-000043"' not in shown


def test_kept_texts_made_for_something_else_are_not_written(big: Path) -> None:
    _same_as_parsed(big, "--format", "csv")
    with sqlite3.connect(_index(big)) as db:
        db.execute("UPDATE listed_csv SET v0 = 0, v1 = 0, v2 = 'a', v3 = 'a', v4 = 1, v5 = 'not this\n'")
        db.execute("UPDATE meta SET value = 'made by another version' WHERE key = 'listed csv'")
    assert "not this" not in _same_as_parsed(big, "--format", "csv")
    assert _kept(big, "csv") == COUNT


def test_a_changed_event_row_loses_its_kept_text(big: Path) -> None:
    _same_as_parsed(big, "--format", "csv")
    with sqlite3.connect(_index(big)) as db:
        n = db.execute("SELECT n FROM events WHERE id = 'ev-000010'").fetchone()[0]
        db.execute("UPDATE blobs SET blob = blob WHERE n = ?", (n,))
        assert db.execute("SELECT count(*) FROM listed_csv WHERE n = ?", (n,)).fetchone()[0] == 0
        db.execute("DELETE FROM blobs WHERE n = (SELECT n FROM events WHERE id = 'ev-000011')")
    assert _kept(big, "csv") == COUNT - 2


def test_a_busy_index_is_only_read(big: Path) -> None:
    holder = sqlite3.connect(_index(big), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # readers may read; no other writer may write
        _same_as_parsed(big, "--format", "csv")
        _same_as_parsed(big, "--format", "json")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _kept(big, "csv") == _kept(big, "json") == 0
    _same_as_parsed(big, "--format", "csv")
    assert _kept(big, "csv") == COUNT


def test_values_made_of_rows_read_before_a_change_are_not_kept(big: Path) -> None:
    """A hand edit's patch that lands between a listing's read of the rows and its write of what it made of them:
    what was made of the rows as they were is not kept, what was made of them as they are now is."""
    from sco_cal.cache.index import open_fresh
    from sco_cal.cache.listed import Listing

    path = _index(big)
    with sqlite3.connect(path) as db:
        expected = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()[0]
        order = db.execute("SELECT n, NULL FROM events ORDER BY n").fetchall()
    edited, other = order[3][0], order[4][0]
    index = open_fresh(path.parent, big, expected)
    assert index is not None

    def make(event: object) -> tuple[int, int, str, str, int, str]:
        event_id = str(getattr(event, "id"))  # noqa: B009
        if event_id == "ev-000700":  # a later batch: the edited row was read, and its text made, before
            with sqlite3.connect(path) as db:
                db.execute("UPDATE blobs SET blob = (SELECT blob FROM blobs WHERE n = ?) WHERE n = ?", (other, edited))
        return (0, 0, event_id, event_id, 1, f"{event_id}\n")

    try:
        made = list(Listing(index, "csv", "a test's form", make).ordered(order))
    finally:
        index.close()
    assert len(made) == COUNT
    with sqlite3.connect(path) as db:
        kept = {n for (n,) in db.execute("SELECT n FROM listed_csv")}
    assert edited not in kept
    assert other not in kept  # read in the same batch as the edited row, before the change
    assert 0 < len(kept) < COUNT
    assert all(n > edited for n in kept)
