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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from sco_cal.cache.store import INDEX_SUFFIX, MODEL_SHAPES, IndexedEvent, derived_file, pickle
from sco_cal.dates import Window
from sco_cal.model import Event, Header
from sco_cal.storage import replaced

__all__ = ["GAP", "SPAN", "Change", "FileItems", "Notes", "RegistryIndex", "build", "open_fresh"]


# Bump when the tables change; an index of another version is simply rebuilt.
INDEX_VERSION: Final = f"6/{MODEL_SHAPES}"
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
    ):
        self._db = connection
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

    def get(self, event_id: str) -> IndexedEvent | None:
        query = "SELECT blob, path, line FROM events JOIN blobs USING (n) WHERE id = ?"
        row = self._db.execute(query, (event_id,)).fetchone()
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
        return RegistryIndex(connection, header, int(meta["count"]), lead, notes)
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
    first line (0-based) of each item of its events list, which is the event of the same position."""

    path: str
    identity: str
    header: bytes
    digests: Sequence[bytes]
    lines: Sequence[int]


def lead_minutes(event: Event) -> int:
    return int(max((lead.delta for lead in event.reminders), default=timedelta()).total_seconds() // 60)


def event_row(
    n: int, event: Event, path: str, line: int, digest: bytes | None, rel: int, notable: bool | None
) -> tuple[object, ...]:
    """The events table's row of an event (its columns in ``EVENT_COLUMNS``' order)."""
    repeats = event.recurrence is not None
    blob = pickle.dumps(event, protocol=5)
    return (n, event.id, path, line, repeats, blob, digest, rel, lead_minutes(event), event.occurrence_of, notable)


EVENT_COLUMNS: Final = "n, id, path, line, repeats, blob, digest, rel, lead, series, notable"
INSERT_EVENT: Final = f"INSERT INTO incoming ({EVENT_COLUMNS}) VALUES ({', '.join('?' * 11)})"
# Whether an event is worth a warning of its own (``None``: not known, as for an event a save wrote).
Notable = Callable[[Event], bool]


def span_minutes(event: Event) -> tuple[int, int] | None:
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
    items: Sequence[FileItems] = (),
    notes: Notes | None = None,
) -> None:
    """Write a new index beside the old one and swap it in; any failure leaves no index rather than a bad one.

    ``items``, every file of the registry in order, lets a later read after a hand edit bring the index up to
    date instead of building it again; without them the index serves only the files as they are now.
    ``notes`` let ``validate`` answer from the index.
    """
    with contextlib.suppress(OSError, sqlite3.Error):
        cache_dir.mkdir(parents=True, exist_ok=True)
        with replaced(index_file(cache_dir, registry_path), durable=False) as temp:
            _write(temp, expected, header, events, items, notes)


@dataclass(frozen=True, slots=True)
class Notes:
    """The warnings of a sound registry: its header's, and which events have one of their own."""

    header: Sequence[str]
    notable: Notable


@dataclass
class _Totals:
    count: int = 0
    longest_lead: timedelta = timedelta()
    related: list[tuple[str, str]] = field(default_factory=list)


def _numbered(
    events: Iterable[tuple[Event, str, int]], items: Sequence[FileItems]
) -> Iterator[tuple[int, Event, str, int, bytes | None, int]]:
    """Each event with its row number, and its item's digest and line within it when the file's items are
    known."""
    by_path = {each.path: (position, each) for position, each in enumerate(items)}
    seen: dict[str, int] = {}
    for count, (event, path, line) in enumerate(events):
        k = seen[path] = seen.get(path, -1) + 1
        if path not in by_path:
            yield (count + 1) * GAP, event, path, line, None, 0
            continue
        position, found = by_path[path]
        yield position * SPAN + (k + 1) * GAP, event, path, line, found.digests[k], line - 1 - found.lines[k]


def _rows(
    events: Iterable[tuple[Event, str, int]],
    items: Sequence[FileItems],
    notable: Notable | None,
    spans: list[tuple[int, int, int]],
    totals: _Totals,
) -> Iterator[tuple[object, ...]]:
    """The events table's rows, made one at a time so that a big registry's pickled events never sit in memory
    together."""
    for n, event, path, line, digest, rel in _numbered(events, items):
        totals.count += 1
        totals.longest_lead = max([totals.longest_lead, *(lead.delta for lead in event.reminders)])
        totals.related.extend((event.id, target) for target in event.related)
        span = span_minutes(event)
        if span is not None and event.recurrence is None:
            spans.append((n, *span))
        yield event_row(n, event, path, line, digest, rel, notable(event) if notable else None)


def _write(
    temp: Path,
    expected: str,
    header: Header,
    events: Iterable[tuple[Event, str, int]],
    items: Sequence[FileItems],
    notes: Notes | None,
) -> None:
    connection = sqlite3.connect(temp)
    try:
        connection.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value);"
            # the pickled events apart, so that what a patch reads and moves (lines, digests) is a few pages
            "CREATE TABLE events (n INTEGER PRIMARY KEY, id TEXT UNIQUE, path TEXT, line INTEGER,"
            " repeats INTEGER, digest BLOB, rel INTEGER, lead INTEGER, series TEXT, notable INTEGER);"
            "CREATE TABLE blobs (n INTEGER PRIMARY KEY, blob BLOB);"
            f"CREATE VIEW incoming AS SELECT {EVENT_COLUMNS} FROM events JOIN blobs USING (n);"
            "CREATE TRIGGER incoming_rows INSTEAD OF INSERT ON incoming BEGIN"
            " INSERT INTO events VALUES (NEW.n, NEW.id, NEW.path, NEW.line, NEW.repeats, NEW.digest, NEW.rel,"
            " NEW.lead, NEW.series, NEW.notable); INSERT INTO blobs VALUES (NEW.n, NEW.blob); END;"
            "CREATE VIRTUAL TABLE spans USING rtree_i32(n, low, high);"
            "CREATE TABLE related (source TEXT, target TEXT);"
            "CREATE TABLE files (position INTEGER PRIMARY KEY, path TEXT, identity TEXT, header BLOB);"
        )
        spans: list[tuple[int, int, int]] = []
        totals = _Totals()
        connection.executemany(INSERT_EVENT, _rows(events, items, notes.notable if notes else None, spans, totals))
        connection.executemany("INSERT INTO spans VALUES (?, ?, ?)", spans)
        connection.executemany("INSERT INTO related VALUES (?, ?)", totals.related)
        connection.executemany(
            "INSERT INTO files VALUES (?, ?, ?, ?)",
            [(position, each.path, each.identity, each.header) for position, each in enumerate(items)],
        )
        connection.executescript(
            "CREATE INDEX events_at ON events (path, line); CREATE INDEX related_target ON related (target);"
            "CREATE INDEX related_source ON related (source);"
            "CREATE INDEX events_repeating ON events (n) WHERE repeats;"
            "CREATE INDEX events_series ON events (series) WHERE series IS NOT NULL;"
        )
        connection.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("version", INDEX_VERSION),
                ("fingerprint", expected),
                ("count", totals.count),
                ("longest_lead", int(totals.longest_lead.total_seconds() // 60)),
                ("header", pickle.dumps(header, protocol=5)),
                ("notes", pickle.dumps(list(notes.header), protocol=5) if notes else None),
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
