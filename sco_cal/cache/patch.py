"""Bringing the index of a big registry up to date after its files changed, row by row, instead of building it
again: what the refresh (``registry/refresh.py``) asks of the index as it was, and the one transaction that
writes what changed.

Every question and the writes happen in one transaction that holds the index's write lock from the start, so
two runs never both patch it, and a run killed at any point leaves the index as it was before (SQLite's
rollback journal), which the next run then patches or rebuilds.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sco_cal.cache.index import INDEX_VERSION, INSERT_EVENT, event_row, index_file, span_minutes
from sco_cal.cache.store import pickle
from sco_cal.model import Event, Header

__all__ = ["Patch", "Stale", "StoredFile", "open_stale"]

_LAST_ROW = (1 << 63) - 1


@dataclass(frozen=True, slots=True)
class StoredFile:
    position: int
    identity: str
    header: bytes
    runs: bytes | None  # the file's runs of items, when they are those of its rows (``registry/yaml/runs.py``)


@dataclass
class Patch:
    """What changed: rows gone, runs of rows whose line moved, new rows, and each re-read file's identity."""

    removed: list[int] = field(default_factory=list)
    shifts: list[tuple[str, int, int, int]] = field(default_factory=list)  # path, first n, last n, lines moved
    # n, event, path, line, digest, line within the item, whether it has a warning of its own
    added: list[tuple[int, Event, str, int, bytes, int, bool]] = field(default_factory=list)
    identities: dict[str, str] = field(default_factory=dict)
    runs: dict[str, bytes] = field(default_factory=dict)


class Stale:
    """An index made for other versions of the registry's files, open for patching."""

    def __init__(self, connection: sqlite3.Connection, header: Header, files: dict[str, StoredFile]):
        self._db = connection
        self.header = header
        self.files = files

    def rows(
        self, path: str, first: int | None = None, stop: int | None = None
    ) -> list[tuple[int, bytes | None, int, int]]:
        """Each event of ``path`` (from row ``first`` to row ``stop``, excluded): its row number, digest, line and
        line within its item, in file order."""
        if first is not None:  # by row number: never through the index of lines
            query = "SELECT n, digest, line, rel FROM events WHERE n >= ? AND n < ? AND +path = ? ORDER BY n"
            return self._db.execute(query, (first, _LAST_ROW if stop is None else stop, path)).fetchall()
        # the file is the whole registry: one pass over the rows in order beats the index of lines and a sort
        where = "+path" if len(self.files) == 1 else "path"
        query = f"SELECT n, digest, line, rel FROM events WHERE {where} = ? ORDER BY n"
        return self._db.execute(query, (path,)).fetchall()

    def row_before(self, path: str, n: int) -> int | None:
        """The row of the event of ``path`` just before row ``n``."""
        query = "SELECT n FROM events WHERE n < ? AND +path = ? ORDER BY n DESC LIMIT 1"
        row = self._db.execute(query, (n, path)).fetchone()
        return None if row is None else int(row[0])

    def gone(self, numbers: Sequence[int]) -> list[tuple[str, bool]]:
        """The id of each row in ``numbers``, and whether it repeats."""
        rows = (self._db.execute("SELECT id, repeats FROM events WHERE n = ?", (n,)).fetchone() for n in numbers)
        return [(str(row[0]), bool(row[1])) for row in rows]

    def owners(self, ids: Iterable[str]) -> dict[str, int]:
        """The row of each of ``ids`` that has one."""
        found = {each: self._db.execute("SELECT n FROM events WHERE id = ?", (each,)).fetchone() for each in ids}
        return {each: row[0] for each, row in found.items() if row is not None}

    def occurrences_of(self, targets: Iterable[str]) -> Iterator[str]:
        """The events naming any of ``targets`` in ``occurrence_of``."""
        for target in targets:
            yield from (row[0] for row in self._db.execute("SELECT id FROM events WHERE series = ?", (target,)))

    def occurrences(self, series: Iterable[str]) -> list[int]:
        """The rows of the events that name any of ``series`` in ``occurrence_of``."""
        found = (self._db.execute("SELECT n FROM events WHERE series = ?", (each,)) for each in series)
        return [row[0] for rows in found for row in rows]

    def event(self, n: int) -> Event:
        loaded: Event = pickle.loads(self._db.execute("SELECT blob FROM blobs WHERE n = ?", (n,)).fetchone()[0])
        return loaded

    def commit(self, patch: Patch, expected: str) -> None:
        """Write ``patch`` and mark the index as made for the files as they are now (``expected``)."""
        db = self._db
        for n in patch.removed:
            db.execute("DELETE FROM related WHERE source = (SELECT id FROM events WHERE n = ?)", (n,))
            db.execute("DELETE FROM spans WHERE n = ?", (n,))
            db.execute("DELETE FROM events WHERE n = ?", (n,))
            db.execute("DELETE FROM blobs WHERE n = ?", (n,))
        # by row number ('+path': never through the index of lines, which would visit every row of the file)
        db.executemany(
            "UPDATE events SET line = line + ? WHERE n BETWEEN ? AND ? AND +path = ?",
            [(moved, first, last, path) for path, first, last, moved in patch.shifts],
        )
        for n, event, path, line, digest, rel, notable in patch.added:
            db.execute(INSERT_EVENT, event_row(n, event, path, line, digest, rel, notable))
            if (span := span_minutes(event)) is not None and event.recurrence is None:
                db.execute("INSERT INTO spans VALUES (?, ?, ?)", (n, *span))
            db.executemany("INSERT INTO related VALUES (?, ?)", [(event.id, target) for target in event.related])
        db.executemany("UPDATE files SET identity = ? WHERE path = ?", [(v, k) for k, v in patch.identities.items()])
        db.executemany("UPDATE files SET runs = ? WHERE path = ?", [(v, k) for k, v in patch.runs.items()])
        db.execute("UPDATE meta SET value = (SELECT count(*) FROM events) WHERE key = 'count'")
        db.execute("UPDATE meta SET value = (SELECT coalesce(max(lead), 0) FROM events) WHERE key = 'longest_lead'")
        db.execute("UPDATE meta SET value = ? WHERE key = 'fingerprint'", (expected,))
        # every file's runs are its rows' now: those of a file a save changed since were made again above
        db.execute("UPDATE meta SET value = ? WHERE key = 'runs_for'", (expected,))
        db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()


def open_stale(cache_dir: Path, registry_path: Path) -> Stale | None:
    """The index of this registry open for patching, holding its write lock; ``None`` when there is none of
    this version, or it cannot be patched (made without its files' items, damaged, read-only)."""
    path = index_file(cache_dir, registry_path)
    if not path.exists():
        return None
    connection: sqlite3.Connection | None = None
    with contextlib.suppress(
        sqlite3.Error, pickle.UnpicklingError, KeyError, ValueError, EOFError, AttributeError, TypeError, ImportError
    ):
        connection = sqlite3.connect(path, isolation_level=None, timeout=1.0)
        connection.execute("BEGIN IMMEDIATE")
        meta = dict(connection.execute("SELECT key, value FROM meta"))
        # a save since the runs were made moved rows without them (``changes``): a file's runs are then unknown
        runs = meta.get("runs_for") == meta.get("fingerprint")
        rows = connection.execute("SELECT position, path, identity, header, runs FROM files")
        files = {path: StoredFile(n, identity, head, made if runs else None) for n, path, identity, head, made in rows}
        if meta.get("version") == INDEX_VERSION and files:
            return Stale(connection, pickle.loads(meta["header"]), files)
    if connection is not None:
        connection.close()
    return None
