"""What a ``publish`` after a one-event edit reads and makes: the kept texts of the first run are found whatever
read the registry then (a full parse) and now (its index), and making the edited event's VEVENT does not load
icalendar to learn how it writes a time's zone or a series' rule (the answers are kept with the texts). The
feeds stay byte for byte those made without the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from conftest import Result
from test_publish_cache import NOW, _publish, _retitled, _served, big_with_series

from sco_cal.cache.rows import PickledEvents
from sco_cal.cache.texts import TEXTS_SUFFIX

if TYPE_CHECKING:
    from sco_cal.cache.index import RegistryIndex

Run = Callable[..., Result]
TIMED = (
    "  - id: zoned-talks\n    title: Zoned talks\n    kind: meeting\n    start: 2020-06-03T10:00\n    orgs: [CIS]\n"
    "  - id: utc-talks\n    title: UTC talks\n    kind: meeting\n    start: 2020-06-04T09:00+00:00\n    orgs: [CIS]\n"
    "  - id: daily-days\n    title: Daily days\n    kind: meeting\n    start: 2020-06-05\n"
    "    recurrence: FREQ=DAILY;UNTIL=20200610\n    orgs: [CIS]\n"
)


def _imported(sco_cal: Run, path: Path, folder: Path, cache: Path) -> set[str]:
    """The modules a publish loads (``-X importtime``'s report), as ``_publish`` runs it."""
    result = sco_cal(
        "-r", path, "publish", folder, "--base-url", "https://intranet.example/cal/", "--now", NOW, "--quiet",
        env={"SCO_CAL_CACHE": str(cache), "PYTHONPROFILEIMPORTTIME": "1"},
    )  # fmt: skip
    lines = result.stderr.splitlines()
    assert (result.code, result.stdout) == (0, ""), result.stderr
    assert all(line.startswith("import time:") for line in lines), result.stderr
    return {line.split("|")[-1].strip() for line in lines}


def test_after_a_timed_event_or_a_series_is_retitled_its_vevent_is_made_without_icalendar(
    sco_cal: Run, tmp_path: Path
) -> None:
    big = big_with_series(tmp_path)
    big.write_text(big.read_text(encoding="utf-8") + TIMED, encoding="utf-8")
    cache, kept, afresh = tmp_path / "cache", tmp_path / "kept", tmp_path / "afresh"
    assert "icalendar" in _imported(sco_cal, big, kept, cache)  # the first run makes every VEVENT
    for event_id in ("zoned-talks", "utc-talks", "weekly-series", "daily-days"):
        big.write_text(_retitled(big.read_text(encoding="utf-8"), event_id, f"{event_id} renamed"), encoding="utf-8")
        imported = _imported(sco_cal, big, kept, cache)
        assert "sco_cal.ics.write" in imported  # the report sees the VEVENT writer loaded
        assert not {name for name in imported if name.split(".")[0] == "icalendar"}, event_id
        _publish(sco_cal, big, afresh, "off")
        assert _served(kept) == _served(afresh), event_id
        assert f"{event_id} renamed".encode() in _served(kept)["all.ics"]


def test_the_texts_kept_after_a_full_parse_serve_the_next_run_read_from_the_index(sco_cal: Run, tmp_path: Path) -> None:
    big = big_with_series(tmp_path)
    cache, kept, afresh = tmp_path / "cache", tmp_path / "kept", tmp_path / "afresh"
    _publish(sco_cal, big, kept, cache)  # no index yet: the registry is parsed whole
    (texts,) = cache.glob(f"*{TEXTS_SUFFIX}")
    first = texts.read_bytes()
    big.write_text(_retitled(big.read_text(encoding="utf-8"), "c3-sco-ewg-07", "One title changed"), encoding="utf-8")
    _publish(sco_cal, big, kept, cache)  # read from the index, patched after the edit
    assert list(cache.glob(f"*{TEXTS_SUFFIX}")) == [texts]  # the same settings: the same section and file
    assert texts.read_bytes() == first  # one text made again: not worth writing the file
    _publish(sco_cal, big, afresh, "off")
    assert _served(kept) == _served(afresh)


def test_the_index_keeps_beside_each_event_the_digest_of_its_bytes(sco_cal: Run, tmp_path: Path) -> None:
    """A publish reads the digests alone and the bytes of the changed events only: each row's digest must be
    that of its bytes after a build, a hand edit's patch and a save by sco-cal."""
    big = big_with_series(tmp_path)
    cache, kept = tmp_path / "cache", tmp_path / "kept"
    _publish(sco_cal, big, kept, cache)  # the first read builds the index
    big.write_text(_retitled(big.read_text(encoding="utf-8"), "c3-sco-ewg-07", "Retitled by hand"), encoding="utf-8")
    _publish(sco_cal, big, kept, cache)  # the index patched
    edit = sco_cal("-r", big, "edit", "c3-sco-ewg-07", "--title", "Retitled by sco-cal", env={"SCO_CAL_CACHE": cache})
    assert edit.code == 0, edit.stderr
    (index,) = cache.glob("*.sqlite3")
    with contextlib.closing(sqlite3.connect(index)) as db:
        rows = db.execute("SELECT made, blob FROM events JOIN blobs USING (n)").fetchall()
        (title,) = db.execute("SELECT blob FROM events JOIN blobs USING (n) WHERE id = 'c3-sco-ewg-07'").fetchone()
    assert b"Retitled by sco-cal" in title  # the save's row is among those checked
    assert len(rows) > 100
    assert all(made == hashlib.blake2b(blob, digest_size=16).digest() for made, blob in rows)


def test_bytes_that_no_longer_match_their_digest_are_not_used() -> None:
    """Another run may patch the index between the read of the digests and that of the changed events' bytes:
    the bytes must then be refused (the caller makes every VEVENT afresh), never filed under the old digest."""

    class Patched:
        def blobs(self, rows: list[int]) -> dict[int, bytes]:
            return dict.fromkeys(rows, b"the event as another run wrote it")

    read_before = hashlib.blake2b(b"the event as it was", digest_size=16).digest()
    pickled = PickledEvents([read_before], cast("RegistryIndex", Patched()), [7], [])
    assert pickled.blobs([0]) is None
    assert pickled.blobs([]) == {}
