"""A derived, disposable index of a registry, so that reads do not parse YAML when nothing has changed.

The registry files stay the only source of truth. The index records, for every file it was built from, the
identity the operating system gives it (device, inode, size, modification and change time); any edit, by sco-cal,
by hand, by ``git checkout`` or by replacing the file, changes at least one of them, and the index is then ignored
and rebuilt. A missing, damaged or unwritable index only costs the time of a parse.

It holds each event pickled, with its file and line, and an R*-tree of the span each event may cover, so a
query for the next 30 days unpickles only the events that may fall in them.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from sco_cal.cache.store import INDEX_SUFFIX, MODEL_SHAPES, IndexedEvent, derived_file, pickle
from sco_cal.dates import Window
from sco_cal.model import Event, Header
from sco_cal.storage import replaced

__all__ = ["Change", "RegistryIndex", "apply_change", "build", "open_fresh"]


# Bump when the tables change; an index of another version is simply rebuilt.
INDEX_VERSION: Final = f"3/{MODEL_SHAPES}"
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
# Spans are stored as seen from UTC; a viewer elsewhere sees whole days shifted by at most 14 hours, so a query
# widens its window by a day on each side and the caller's exact filter decides.
_MARGIN: Final = timedelta(days=1)


def _minutes(moment: datetime) -> int:
    return int((moment - _EPOCH).total_seconds() // 60)


def index_file(cache_dir: Path, registry_path: Path) -> Path:
    return derived_file(cache_dir, registry_path, INDEX_SUFFIX)


class RegistryIndex:
    """An open, fresh index: the header, and events by id, by position or by the window they may fall in."""

    def __init__(self, connection: sqlite3.Connection, header: Header, count: int, longest_lead: timedelta):
        self._db = connection
        self.header = header
        self.count = count
        self.longest_lead = longest_lead

    def all(self) -> Iterator[IndexedEvent]:
        rows = self._db.execute("SELECT blob, path, line FROM events ORDER BY n")
        for blob, path, line in rows:
            yield IndexedEvent(pickle.loads(blob), path, line)

    def get(self, event_id: str) -> IndexedEvent | None:
        row = self._db.execute("SELECT blob, path, line FROM events WHERE id = ?", (event_id,)).fetchone()
        return IndexedEvent(pickle.loads(row[0]), row[1], row[2]) if row else None

    def ids(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT id FROM events")}

    def candidates(self, window: Window) -> list[Event]:
        """Every event that may fall in ``window`` (a superset: the caller filters exactly), in file order.

        Repeating events are always candidates; their occurrences are expanded by the query.
        """
        margin = _minutes(_EPOCH + _MARGIN)  # in minutes, so a window from the year 1 never steps before it
        low, high = _minutes(window.start) - margin, _minutes(window.end) + margin
        # One list of row numbers from two indexes; "... OR repeats" instead would read every row of the table.
        rows = self._db.execute(
            "SELECT blob FROM events WHERE n IN "
            "(SELECT n FROM spans WHERE low <= ? AND high >= ? UNION ALL SELECT n FROM events WHERE repeats) "
            "ORDER BY n",
            (high, low),
        )
        return [pickle.loads(blob) for (blob,) in rows]

    def next_line(self, path: str, line: int) -> int | None:
        """The line of the next event written in ``path`` after ``line``, if any."""
        row = self._db.execute("SELECT min(line) FROM events WHERE path = ? AND line > ?", (path, line)).fetchone()
        return row[0] if row else None

    def previous_line(self, path: str, line: int) -> int | None:
        """The line of the event written in ``path`` just before ``line``, if any."""
        row = self._db.execute("SELECT max(line) FROM events WHERE path = ? AND line < ?", (path, line)).fetchone()
        return row[0] if row else None

    def last_line(self, path: str) -> int | None:
        """The line of the last event written in ``path``."""
        row = self._db.execute("SELECT max(line) FROM events WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def referrers(self, event_id: str) -> list[str]:
        """The events that name ``event_id`` in their ``related``."""
        return [row[0] for row in self._db.execute("SELECT source FROM related WHERE target = ?", (event_id,))]

    def close(self) -> None:
        self._db.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """The open database, for the readers of its tables kept in modules of their own (``ordering``)."""
        return self._db


def open_fresh(cache_dir: Path, registry_path: Path, expected: str) -> RegistryIndex | None:
    """The index for this registry if it was built from exactly the files as they are now, else ``None``."""
    path = index_file(cache_dir, registry_path)
    if not path.exists():
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        meta = dict(connection.execute("SELECT key, value FROM meta"))
        if meta.get("version") != INDEX_VERSION or meta.get("fingerprint") != expected:
            connection.close()
            return None
        header = pickle.loads(meta["header"])
        return RegistryIndex(connection, header, int(meta["count"]), timedelta(minutes=int(meta["longest_lead"])))
    except (
        sqlite3.Error,
        pickle.UnpicklingError,
        KeyError,
        ValueError,
        EOFError,
        AttributeError,
        TypeError,
        ImportError,
    ):
        return None  # a damaged or foreign file: ignored, and replaced by the next build


def _span_minutes(event: Event) -> tuple[int, int] | None:
    span = event.span("UTC", "UTC")
    if span is None:
        return None
    return _minutes(span.start), max(_minutes(span.end), _minutes(span.start))


def build(
    cache_dir: Path,
    registry_path: Path,
    expected: str,
    header: Header,
    events: Iterable[tuple[Event, str, int]],
) -> None:
    """Write a new index beside the old one and swap it in; any failure leaves no index rather than a bad one."""
    with contextlib.suppress(OSError, sqlite3.Error):
        cache_dir.mkdir(parents=True, exist_ok=True)
        with replaced(index_file(cache_dir, registry_path), durable=False) as temp:
            _write(temp, expected, header, events)


@dataclass
class _Totals:
    count: int = 0
    longest_lead: timedelta = timedelta()
    related: list[tuple[str, str]] = field(default_factory=list)


def _rows(
    events: Iterable[tuple[Event, str, int]], spans: list[tuple[int, int, int]], totals: _Totals
) -> Iterator[tuple[object, ...]]:
    """The events table's rows, made one at a time so that a big registry's pickled events never sit in memory
    together."""
    for n, (event, path, line) in enumerate(events):
        totals.count = n + 1
        totals.longest_lead = max([totals.longest_lead, *(lead.delta for lead in event.reminders)])
        totals.related.extend((event.id, target) for target in event.related)
        span = _span_minutes(event)
        if span is not None and event.recurrence is None:
            spans.append((n, *span))
        yield (n, event.id, path, line, event.recurrence is not None, pickle.dumps(event, protocol=5))


def _write(temp: Path, expected: str, header: Header, events: Iterable[tuple[Event, str, int]]) -> None:
    connection = sqlite3.connect(temp)
    try:
        connection.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value);"
            "CREATE TABLE events (n INTEGER PRIMARY KEY, id TEXT UNIQUE, path TEXT, line INTEGER,"
            " repeats INTEGER, blob BLOB);"
            "CREATE VIRTUAL TABLE spans USING rtree_i32(n, low, high);"
            "CREATE TABLE related (source TEXT, target TEXT);"
        )
        spans: list[tuple[int, int, int]] = []
        totals = _Totals()
        connection.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)", _rows(events, spans, totals))
        connection.executemany("INSERT INTO spans VALUES (?, ?, ?)", spans)
        connection.executemany("INSERT INTO related VALUES (?, ?)", totals.related)
        connection.executescript(
            "CREATE INDEX events_at ON events (path, line); CREATE INDEX related_target ON related (target);"
            "CREATE INDEX events_repeating ON events (n) WHERE repeats;"
        )
        connection.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("version", INDEX_VERSION),
                ("fingerprint", expected),
                ("count", totals.count),
                ("longest_lead", int(totals.longest_lead.total_seconds() // 60)),
                ("header", pickle.dumps(header, protocol=5)),
            ],
        )
        connection.commit()
    finally:
        connection.close()


@dataclass(frozen=True, slots=True)
class Change:
    """One event's edit as the index must learn it: ``event`` is ``None`` for a removal; every event written
    after ``line`` in ``path`` moves by ``shift`` lines."""

    event_id: str
    event: Event | None
    path: str
    line: int
    shift: int


def apply_change(cache_dir: Path, registry_path: Path, before: str, after: str, change: Change) -> None:
    """Bring the index up to date with one edit sco-cal just saved, so the next read need not parse.

    Only an index built for exactly the files before the edit (``before``) is changed; anything else is left
    for the next read to rebuild, and any failure drops the index.
    """
    path = index_file(cache_dir, registry_path)
    try:
        connection = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error:
        return
    try:
        connection.execute("BEGIN IMMEDIATE")
        if dict(connection.execute("SELECT key, value FROM meta")).get("fingerprint") != before:
            connection.execute("ROLLBACK")
            return
        _apply(connection, change)
        connection.execute("UPDATE meta SET value = ? WHERE key = 'fingerprint'", (after,))
        connection.execute("COMMIT")
    except (sqlite3.Error, pickle.PickleError):
        connection.close()
        with contextlib.suppress(OSError):
            path.unlink()
        return
    connection.close()


def _apply(connection: sqlite3.Connection, change: Change) -> None:
    row = connection.execute("SELECT n FROM events WHERE id = ?", (change.event_id,)).fetchone()
    connection.execute(
        "UPDATE events SET line = line + ? WHERE path = ? AND line > ?", (change.shift, change.path, change.line)
    )
    if row is not None:
        connection.execute("DELETE FROM spans WHERE n = ?", (row[0],))
        connection.execute("DELETE FROM related WHERE source = ?", (change.event_id,))
    event = change.event
    if event is None:
        connection.execute("DELETE FROM events WHERE id = ?", (change.event_id,))
        connection.execute("UPDATE meta SET value = value - 1 WHERE key = 'count'")
        return
    if row is None:
        (n,) = connection.execute("SELECT coalesce(max(n), -1) + 1 FROM events").fetchone()
        connection.execute("UPDATE meta SET value = value + 1 WHERE key = 'count'")
    else:
        n = row[0]
    connection.execute(
        "INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?, ?, ?)",
        (n, event.id, change.path, change.line, event.recurrence is not None, pickle.dumps(event, protocol=5)),
    )
    span = _span_minutes(event)
    if span is not None and event.recurrence is None:
        connection.execute("INSERT INTO spans VALUES (?, ?, ?)", (n, *span))
    connection.executemany("INSERT INTO related VALUES (?, ?)", [(event.id, target) for target in event.related])
    lead = max((lead.delta for lead in event.reminders), default=timedelta())
    connection.execute(
        "UPDATE meta SET value = max(value, ?) WHERE key = 'longest_lead'", (int(lead.total_seconds() // 60),)
    )
