"""A big registry's events in the order of the earliest moment each may start, read from its index a batch at a
time, so that a listing of every event prints its first line before it has read the last one.

The index keeps each dated, non-repeating event's span in whole minutes from 1970, as seen from UTC, in an
R*-tree; ordering those numbers costs little, and an event is unpickled only when its turn comes. A viewer in
another zone sees a day start less than a day earlier or later than UTC does, so each event comes with a bound
(``not_before``, in seconds from 1970 as ``query.instant`` counts them) a little below its stored minute: neither
it nor any event after it may start earlier. A stored minute may be lower than the true one (a date so far ahead
that its minute count wraps around): the bound still holds, the event is only read sooner than needed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Final, TypeVar

from sco_cal.cache.store import EventStore, pickle

if TYPE_CHECKING:
    import sqlite3

    from sco_cal.cache.index import RegistryIndex
    from sco_cal.model import Event

__all__ = ["by_earliest", "listed_by_earliest"]

T = TypeVar("T", bound=tuple[object, ...])

# A zone's offset is under a day (Python refuses more), and the stored minute is rounded down: two days, in
# minutes, is safe.
_SLACK: Final = 2 * 24 * 60
_BATCH: Final = 256  # events fetched by one query: well under SQLite's limit on the parameters of a statement


def by_earliest(store: EventStore) -> Iterator[tuple[int | None, Event]] | None:
    """Every event of ``store`` with a moment that neither it nor any event after it may start before; ``None``
    when ``store`` is not an index (a small registry's snapshot, read whole at once).

    The events that repeat or have no date come first, with no bound (``None``): the index keeps no span of them.
    """
    index = _index_of(store)
    order = _order(index.connection) if index is not None else None
    return None if index is None or order is None else _ordered(index.connection, order)


def listed_by_earliest(
    store: EventStore, kind: str, form: str, make: Callable[[Event], T]
) -> Iterator[tuple[int | None, T]] | None:
    """``by_earliest`` of what ``make`` makes of each event (``LISTED_VALUES`` plain values), kept in the index
    under ``kind`` (a kind of listing) as made by ``form`` (the maker's code and settings): an event of which
    nothing is kept is unpickled, and what is made of it kept for the next listing."""
    index = _index_of(store)
    if index is None:
        return None
    from sco_cal.cache.listed import Listing  # loads the index's module, already loaded when ``store`` is one

    order = _order(index.connection) if kind in Listing.KINDS else None
    if order is None:
        return None

    return Listing(index, kind, form, make).ordered(order)


def _index_of(store: EventStore) -> RegistryIndex | None:
    # An index is only open once its module is loaded: a small registry's snapshot never loads SQLite for this.
    index = sys.modules.get("sco_cal.cache.index")
    if index is None or not isinstance(store, index.RegistryIndex):
        return None
    found: RegistryIndex = store
    return found


def _order(db: sqlite3.Connection) -> list[tuple[int, int | None]] | None:
    import sqlite3

    try:  # the order is read at once: an index that cannot give it leaves the listing to be sorted whole
        order = db.execute("SELECT n, (low - ?) * 60 FROM spans ORDER BY low, n", (_SLACK,)).fetchall()
        # the row numbers alone come from an index of the table, each looked up in the tree by its own number
        unplaced = db.execute("SELECT n, NULL FROM events WHERE n NOT IN (SELECT n FROM spans)").fetchall()
    except sqlite3.Error:
        return None
    return [*unplaced, *order]


def _ordered(db: sqlite3.Connection, order: list[tuple[int, int | None]]) -> Iterator[tuple[int | None, Event]]:
    for first in range(0, len(order), _BATCH):
        yield from _batch(db, order[first : first + _BATCH])


def _batch(db: sqlite3.Connection, batch: Sequence[tuple[int, int | None]]) -> list[tuple[int | None, Event]]:
    marks = ",".join("?" * len(batch))
    blobs = dict(db.execute(f"SELECT n, blob FROM blobs WHERE n IN ({marks})", [n for n, _ in batch]))
    loads = pickle.loads
    return [(bound, loads(blobs[n])) for n, bound in batch]
