"""A derived, disposable index of a registry, so that reads do not parse YAML when nothing has changed.

The registry files stay the only source of truth. The index records, for every file it was built from, the
identity the operating system gives it (device, inode, size, modification and change time); any edit, by sco-cal,
by hand, by ``git checkout`` or by replacing the file, changes at least one of them, and the index is then ignored
and rebuilt. A missing, damaged or unwritable index only costs the time of a parse.

It holds each event pickled, with its file and line, and an R*-tree of the span each event may cover, so a
query for the next 30 days unpickles only the events that may fall in them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from sco_cal.cache.store import INDEX_SUFFIX, MODEL_SHAPES, IndexedEvent, derived_file, pickle
from sco_cal.dates import Window
from sco_cal.model import Event, Header

__all__ = [
    "EVENT_COLUMNS",
    "GAP",
    "INDEX_VERSION",
    "INSERT_EVENT",
    "LISTED_COLUMNS",
    "LISTED_TABLES",
    "LISTED_VALUES",
    "SPAN",
    "STAMP",
    "Change",
    "FileItems",
    "Notable",
    "RegistryIndex",
    "blob_digest",
    "event_row",
    "index_file",
    "item_row",
    "open_fresh",
    "span_minutes",
]


# Bump when the tables change; an index of another version is simply rebuilt.
INDEX_VERSION: Final = f"11/{MODEL_SHAPES}"
# The tables of what a listing of each kind keeps of every event (``listed``).
LISTED_TABLES: Final = {"csv": "listed_csv", "json": "listed_json"}
# How many plain values (numbers, texts) a listing keeps of each event, each in a column of its own, so that
# neither keeping them nor reading them back pickles anything.
LISTED_VALUES: Final = 6
LISTED_COLUMNS: Final = ", ".join(f"v{k}" for k in range(LISTED_VALUES))
# What names the events' rows as they are now, asked in the statement that reads them: the build's own token and
# a count of the writes of the blobs table (the table's triggers add one for each row written or removed). A
# writer that finds the same stamp, in a transaction that holds the index's write lock, knows that no event's row
# changed since the read, without comparing any row.
STAMP: Final = (
    "((SELECT value FROM meta WHERE key = 'built') || ' ' || (SELECT value FROM meta WHERE key = 'blob writes'))"
)
# Rows are numbered in file order, each file in a range of its own and its events spaced apart, so an event
# added by hand between two others takes a number between theirs and the others keep their rows.
SPAN: Final = 1 << 40
GAP: Final = 1 << 16
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

    def __init__(
        self,
        connection: sqlite3.Connection,
        header: Header,
        count: int,
        longest_lead: timedelta,
        notes: list[str] | None = None,
        path: Path | None = None,
    ):
        self._db = connection
        self.path = path  # the file, for a writer of what a read made (``listed``)
        self.header = header
        self.count = count
        self.longest_lead = longest_lead
        self.notes = notes  # the header's warnings, when the index was built knowing them

    def notable(self) -> Iterator[IndexedEvent]:
        """The events that may have a warning of their own, in file order."""
        rows = self._db.execute(
            "SELECT blob, path, line FROM events JOIN blobs USING (n) WHERE notable IS NOT 0 ORDER BY n"
        )
        for blob, path, line in rows:
            yield IndexedEvent(pickle.loads(blob), path, line)

    def all(self) -> Iterator[IndexedEvent]:
        rows = self._db.execute("SELECT blob, path, line FROM events JOIN blobs USING (n) ORDER BY n")
        for blob, path, line in rows:
            yield IndexedEvent(pickle.loads(blob), path, line)

    def pickled(self) -> list[bytes]:
        """Every event as the bytes it is kept as, in the order of ``all``, none of them unpickled.

        Raises:
            sqlite3.Error: The index cannot be read.
        """
        rows = self._db.execute("SELECT blob FROM events JOIN blobs USING (n) ORDER BY n")
        return [bytes(blob) for (blob,) in rows]

    def digests(self) -> tuple[list[int], list[bytes | None]]:
        """Every event's row and the digest of its bytes (``blob_digest``), in the order of ``all``.

        Raises:
            sqlite3.Error: The index cannot be read.
        """
        rows = self._db.execute("SELECT n, made FROM events ORDER BY n").fetchall()
        return [n for n, _ in rows], [made for _, made in rows]

    def blobs(self, rows: Sequence[int]) -> dict[int, bytes]:
        """The bytes of the events of ``rows`` (a few hundred at most), by row.

        Raises:
            sqlite3.Error: The index cannot be read.
        """
        marks = ", ".join("?" * len(rows))
        return {n: bytes(blob) for n, blob in self._db.execute(f"SELECT n, blob FROM blobs WHERE n IN ({marks})", rows)}

    def get(self, event_id: str) -> IndexedEvent | None:
        query = "SELECT blob, path, line FROM events JOIN blobs USING (n) WHERE id = ?"
        row = self._db.execute(query, (event_id,)).fetchone()
        return IndexedEvent(pickle.loads(row[0]), row[1], row[2]) if row else None

    def ids(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT id FROM events")}

    def has(self, event_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is not None

    def with_uid(self, uid: str) -> Event | None:
        """The last event, in row order, whose own ``uid`` (one a calendar gave it) is ``uid``."""
        query = "SELECT blob FROM blobs WHERE n = (SELECT max(n) FROM events WHERE uid = ?)"
        row = self._db.execute(query, (uid,)).fetchone()
        return pickle.loads(row[0]) if row else None

    def in_series(self, series: str) -> list[Event]:
        """The events that name ``series`` in ``occurrence_of``, in row order."""
        query = "SELECT blob FROM blobs WHERE n IN (SELECT n FROM events WHERE series = ?) ORDER BY n"
        return [pickle.loads(blob) for (blob,) in self._db.execute(query, (series,))]

    def candidates(self, window: Window) -> list[Event]:
        """Every event that may fall in ``window`` (a superset: the caller filters exactly), in file order.

        Repeating events are always candidates; their occurrences are expanded by the query.
        """
        margin = _minutes(_EPOCH + _MARGIN)  # in minutes, so a window from the year 1 never steps before it
        low, high = _minutes(window.start) - margin, _minutes(window.end) + margin
        # One list of row numbers from two indexes; "... OR repeats" instead would read every row of the table.
        rows = self._db.execute(
            "SELECT blob FROM blobs WHERE n IN "
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

    def naming_missing(self) -> Iterator[IndexedEvent]:
        """The events whose ``related`` names an id no event has (one deleted by hand), in row order."""
        rows = self._db.execute(
            "SELECT blob, path, line FROM events JOIN blobs USING (n) WHERE id IN"
            " (SELECT source FROM related WHERE target NOT IN (SELECT id FROM events)) ORDER BY n"
        )
        for blob, path, line in rows:
            yield IndexedEvent(pickle.loads(blob), path, line)

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
        lead = timedelta(minutes=int(meta["longest_lead"]))
        notes = pickle.loads(meta["notes"]) if meta.get("notes") is not None else None
        return RegistryIndex(connection, header, int(meta["count"]), lead, notes, path)
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


@dataclass(frozen=True, slots=True)
class FileItems:
    """One file of the registry as it was read: its identity, a digest of its header's text, and the digest and
    first line (0-based) of each item of its events list, which is the event of the same position; and its runs
    of items, each item numbered by ``item_row``."""

    path: str
    identity: str
    header: bytes
    digests: Sequence[bytes]
    lines: Sequence[int]
    runs: bytes


def item_row(position: int, k: int) -> int:
    """The row a fresh index gives the ``k``-th event of the registry's ``position``-th file."""
    return position * SPAN + (k + 1) * GAP


def lead_minutes(event: Event) -> int:
    return int(max((lead.delta for lead in event.reminders), default=timedelta()).total_seconds() // 60)


def blob_digest(blob: bytes) -> bytes:
    """The digest that names an event's pickled bytes: its exact content (``RegistryIndex.digests``)."""
    from hashlib import blake2b  # here: a query that only reads the index never loads hashlib

    return blake2b(blob, digest_size=16).digest()


def event_row(
    n: int, event: Event, path: str, line: int, digest: bytes | None, rel: int, notable: bool | None
) -> tuple[object, ...]:
    """The events table's row of an event (its columns in ``EVENT_COLUMNS``' order): ``digest`` is its item's
    text's, ``made`` the digest of its pickled bytes, written with them so that the two never part."""
    repeats = event.recurrence is not None
    blob = pickle.dumps(event, protocol=5)
    series, uid = event.occurrence_of, event.uid or None
    made = blob_digest(blob)
    return (n, event.id, path, line, repeats, blob, digest, rel, lead_minutes(event), series, notable, uid, made)


EVENT_COLUMNS: Final = "n, id, path, line, repeats, blob, digest, rel, lead, series, notable, uid, made"
INSERT_EVENT: Final = f"INSERT INTO incoming ({EVENT_COLUMNS}) VALUES ({', '.join('?' * 13)})"
# Whether an event is worth a warning of its own (``None``: not known, as for an event a save wrote).
Notable = Callable[[Event], bool]


def span_minutes(event: Event) -> tuple[int, int] | None:
    span = event.span("UTC", "UTC")
    if span is None:
        return None
    return _minutes(span.start), max(_minutes(span.end), _minutes(span.start))


@dataclass(frozen=True, slots=True)
class Change:
    """One event's edit as the index must learn it: ``event`` is ``None`` for a removal; every event written
    after ``line`` in ``path`` moves by ``shift`` lines."""

    event_id: str
    event: Event | None
    path: str
    line: int
    shift: int
