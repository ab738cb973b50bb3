"""A big registry's events in the order of the earliest moment each may start, read from its index a batch at a
time, so that a listing of every event prints its first line before it has read the last one.

The index keeps each dated, non-repeating event's span in whole minutes from 1970, as seen from UTC, in an
R*-tree; ordering those numbers costs little, and an event is unpickled only when its turn comes. A viewer in
another zone sees a day start less than a day earlier or later than UTC does, so each event comes with a bound
(``not_before``) a little below its stored minute: neither it nor any event after it may start earlier. A stored
minute may be lower than the true one (a date so far ahead that its minute count wraps around): the bound still
holds, the event is only read sooner than needed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Final

from sco_cal.cache.store import EventStore, pickle

if TYPE_CHECKING:
    import sqlite3

    from sco_cal.model import Event

__all__ = ["by_earliest"]

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
# A zone's offset is under a day (Python refuses more), and the stored minute is rounded down: two days is safe.
_SLACK: Final = timedelta(days=2)
_BATCH: Final = 256  # events fetched by one query: well under SQLite's limit on the parameters of a statement


def by_earliest(store: EventStore) -> Iterator[tuple[datetime | None, Event]] | None:
    """Every event of ``store`` with a moment that neither it nor any event after it may start before; ``None``
    when ``store`` is not an index (a small registry's snapshot, read whole at once).

    The events that repeat or have no date come first, with no bound (``None``): the index keeps no span of them.
    """
    # An index is only open once its module is loaded: a small registry's snapshot never loads SQLite for this.
    index = sys.modules.get("sco_cal.cache.index")
    if index is None or not isinstance(store, index.RegistryIndex):
        return None
    import sqlite3

    db = store.connection
    try:  # the order is read at once: an index that cannot give it leaves the listing to be sorted whole
        order = db.execute("SELECT n, low FROM spans ORDER BY low, n").fetchall()
        placed = {n for n, _ in order}
        # the row numbers alone come from an index of the table: a scan of the table itself reads every event
        unplaced = [(n, None) for (n,) in db.execute("SELECT n FROM events") if n not in placed]
    except sqlite3.Error:
        return None
    return _ordered(db, [*unplaced, *order])


def _ordered(db: sqlite3.Connection, order: list[tuple[int, int | None]]) -> Iterator[tuple[datetime | None, Event]]:
    for first in range(0, len(order), _BATCH):
        yield from _batch(db, order[first : first + _BATCH])


def _batch(db: sqlite3.Connection, batch: Sequence[tuple[int, int | None]]) -> Iterator[tuple[datetime | None, Event]]:
    marks = ",".join("?" * len(batch))
    blobs = dict(db.execute(f"SELECT n, blob FROM blobs WHERE n IN ({marks})", [n for n, _ in batch]))
    for n, low in batch:
        yield (None if low is None else _bound(low)), pickle.loads(blobs[n])


def _bound(minutes: int) -> datetime | None:
    try:
        return _EPOCH + timedelta(minutes=minutes) - _SLACK
    except OverflowError:  # before the year 1: no bound, the event waits like an undated one
        return None
