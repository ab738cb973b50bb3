"""Writing a registry's index afresh: its tables, and its rows made one event at a time.

A hand edit later patches the index (``patch``) and a save updates it (``changes``); this module makes it whole.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sco_cal.cache.index import (
    EVENT_COLUMNS,
    GAP,
    INDEX_VERSION,
    INSERT_EVENT,
    LISTED_COLUMNS,
    LISTED_TABLES,
    FileItems,
    Notable,
    event_row,
    index_file,
    item_row,
    span_minutes,
)
from sco_cal.cache.store import pickle
from sco_cal.model import Event, Header
from sco_cal.storage import replaced

__all__ = ["Notes", "build"]


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
        yield item_row(position, k), event, path, line, found.digests[k], line - 1 - found.lines[k]


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


# What a listing made of each event (``listed``), a table per kind of listing. Kept in the order a listing made
# them, each table's rows are written one after another and read in that order; only the index of its row numbers
# takes each where it belongs.
_TABLES = LISTED_TABLES.values()
_LISTED = "".join(f"CREATE TABLE {table} (n INTEGER UNIQUE, {LISTED_COLUMNS});" for table in _TABLES)
# Each event's kept texts are dropped whenever its row is written or removed, and every such write counts in the
# index's stamp (``STAMP``); made once the rows are in, so that a build does not run them.
_DROPS = "".join(
    f"CREATE TRIGGER blobs_{when} AFTER {when} ON blobs BEGIN"
    + "".join(f" DELETE FROM {table} WHERE n IN ({rows});" for table in _TABLES)
    + " UPDATE meta SET value = value + 1 WHERE key = 'blob writes'; END;"
    for when, rows in (("insert", "NEW.n"), ("update", "OLD.n, NEW.n"), ("delete", "OLD.n"))
)


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
            " repeats INTEGER, digest BLOB, rel INTEGER, lead INTEGER, series TEXT, notable INTEGER, uid TEXT,"
            " made BLOB);"
            "CREATE TABLE blobs (n INTEGER PRIMARY KEY, blob BLOB);"
            f"CREATE VIEW incoming AS SELECT {EVENT_COLUMNS} FROM events JOIN blobs USING (n);"
            "CREATE TRIGGER incoming_rows INSTEAD OF INSERT ON incoming BEGIN"
            " INSERT INTO events VALUES (NEW.n, NEW.id, NEW.path, NEW.line, NEW.repeats, NEW.digest, NEW.rel,"
            " NEW.lead, NEW.series, NEW.notable, NEW.uid, NEW.made); INSERT INTO blobs VALUES (NEW.n, NEW.blob); END;"
            "CREATE VIRTUAL TABLE spans USING rtree_i32(n, low, high);"
            "CREATE TABLE related (source TEXT, target TEXT);"
            "CREATE TABLE files (position INTEGER PRIMARY KEY, path TEXT, identity TEXT, header BLOB, runs BLOB);"
            f"{_LISTED}"
        )
        spans: list[tuple[int, int, int]] = []
        totals = _Totals()
        connection.executemany(INSERT_EVENT, _rows(events, items, notes.notable if notes else None, spans, totals))
        connection.executemany("INSERT INTO spans VALUES (?, ?, ?)", spans)
        connection.executemany("INSERT INTO related VALUES (?, ?)", totals.related)
        connection.executemany(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?)",
            [(position, each.path, each.identity, each.header, each.runs) for position, each in enumerate(items)],
        )
        connection.executescript(
            "CREATE INDEX events_at ON events (path, line); CREATE INDEX related_target ON related (target);"
            "CREATE INDEX related_source ON related (source);"
            "CREATE INDEX events_repeating ON events (n) WHERE repeats;"
            "CREATE INDEX events_series ON events (series) WHERE series IS NOT NULL;"
            "CREATE INDEX events_uid ON events (uid) WHERE uid IS NOT NULL;"
            f"{_DROPS}"
        )
        connection.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("version", INDEX_VERSION),
                ("built", os.urandom(16).hex()),  # another build of the same files is another index
                ("blob writes", 0),
                ("fingerprint", expected),
                ("runs_for", expected),
                ("count", totals.count),
                ("longest_lead", int(totals.longest_lead.total_seconds() // 60)),
                ("header", pickle.dumps(header, protocol=5)),
                ("notes", pickle.dumps(list(notes.header), protocol=5) if notes else None),
            ],
        )
        connection.commit()
    finally:
        connection.close()
