"""The edits of one save that changed many events (an import into a big registry), learnt by the index at once.

One transaction for all of them, whether one ``add`` or a thousand imported events: only an index built for
exactly the files before the save (``before``) is changed, and any failure drops the index, which the next
read rebuilds.

Exports ``apply_changes``.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from sco_cal.cache.index import INSERT_EVENT, Change, event_row, index_file, span_minutes
from sco_cal.cache.store import pickle

__all__ = ["apply_changes"]


def apply_changes(cache_dir: Path, registry_path: Path, before: str, after: str, changes: Sequence[Change]) -> None:
    """Bring the index up to date with the edits of one save, in order, so the next read need not parse."""
    path = index_file(cache_dir, registry_path)
    try:
        connection = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error:
        return
    try:
        connection.execute("BEGIN IMMEDIATE")
        if dict(connection.execute("SELECT key, value FROM meta")).get("fingerprint") != before:
            connection.execute("ROLLBACK")
            connection.close()
            return
        counted, longest = 0, timedelta()
        for change in changes:
            counted += _apply(connection, change)
            if change.event is not None:
                longest = max([longest, *(lead.delta for lead in change.event.reminders)])
        # the totals once for the whole save, not once per event
        connection.execute("UPDATE meta SET value = value + ? WHERE key = 'count'", (counted,))
        minutes = int(longest.total_seconds() // 60)
        connection.execute("UPDATE meta SET value = max(value, ?) WHERE key = 'longest_lead'", (minutes,))
        connection.execute("UPDATE meta SET value = ? WHERE key = 'fingerprint'", (after,))
        connection.execute("COMMIT")
    except (sqlite3.Error, pickle.PickleError):
        connection.close()
        with contextlib.suppress(OSError):
            path.unlink()
        return
    connection.close()


def _apply(connection: sqlite3.Connection, change: Change) -> int:
    """Learn one edit; the change in the number of events."""
    row = connection.execute("SELECT n FROM events WHERE id = ?", (change.event_id,)).fetchone()
    if change.shift:
        connection.execute(
            "UPDATE events SET line = line + ? WHERE path = ? AND line > ?", (change.shift, change.path, change.line)
        )
    if row is not None:
        connection.execute("DELETE FROM spans WHERE n = ?", (row[0],))
        connection.execute("DELETE FROM blobs WHERE n = ?", (row[0],))
        connection.execute("DELETE FROM related WHERE source = ?", (change.event_id,))
    event = change.event
    if event is None:
        connection.execute("DELETE FROM events WHERE id = ?", (change.event_id,))
        return -1 if row is not None else 0
    if row is None:
        (n,) = connection.execute("SELECT coalesce(max(n), -1) + 1 FROM events").fetchone()
    else:
        n = row[0]
    # no digest: the next read after a hand edit reads this event's text again rather than trust a guess
    connection.execute(
        INSERT_EVENT.replace("INSERT", "INSERT OR REPLACE"),
        event_row(n, event, change.path, change.line, None, 0, None),
    )
    span = span_minutes(event)
    if span is not None and event.recurrence is None:
        connection.execute("INSERT INTO spans VALUES (?, ?, ?)", (n, *span))
    connection.executemany("INSERT INTO related VALUES (?, ?)", [(event.id, target) for target in event.related])
    return 1 if row is None else 0
