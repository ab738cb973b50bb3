"""Every event of a fresh index as the pickled bytes it is kept as, in file order, named by a digest of those
bytes, without reading the bytes of the events a caller already knows by their digest.

Those bytes are the event's exact content, so a digest of them names it: a run that keeps something made from
each event (a feed's VEVENTs, ``sco_cal.services.feed_records``) finds what it made before by that digest and
reads and unpickles only the events that changed. The index keeps each row's digest beside it, written with the
row's bytes in the same statement (``index.event_row``), so the digests are read without the bytes. The rows are
those of the index the registry was read from.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from pathlib import Path

    from sco_cal.cache.index import RegistryIndex

__all__ = ["PickledEvents", "fresh_pickled_events", "pickled_events"]

_BATCH = 256  # rows fetched by one query: well under SQLite's limit on the parameters of a statement


class PickledEvents:
    """The events of an index in file order: each one's digest, and its pickled bytes on request."""

    def __init__(self, digests: list[bytes], index: RegistryIndex | None, rows: Sequence[int], blobs: list[bytes]):
        self.digests = digests
        self._index = index  # None: every blob is already in ``blobs``
        self._rows = rows
        self._blobs = blobs

    def blobs(self, positions: Sequence[int]) -> dict[int, bytes] | None:
        """The pickled bytes of the events at ``positions`` (of ``digests``); ``None`` when the index cannot
        be read, or a row no longer holds the bytes its digest was read for (a patch by another run since)."""
        if self._index is None:
            return {k: self._blobs[k] for k in positions}
        import sqlite3

        from sco_cal.cache.index import blob_digest

        found: dict[int, bytes] = {}
        try:
            for first in range(0, len(positions), _BATCH):
                batch = positions[first : first + _BATCH]
                by_row = self._index.blobs([self._rows[k] for k in batch])
                found.update((k, by_row[self._rows[k]]) for k in batch)
        except (sqlite3.Error, KeyError):  # KeyError: a row gone since its digest was read
            return None
        if any(blob_digest(blob) != self.digests[k] for k, blob in found.items()):
            return None
        return found


def pickled_events(store: object) -> PickledEvents | None:
    """The events in file order (the order ``RegistryIndex.all`` gives them in), or ``None`` when ``store``
    is not an open index (a small registry's snapshot, a registry already read whole) or cannot be read."""
    index = sys.modules.get("sco_cal.cache.index")  # not loaded: no index was opened, and SQLite stays unloaded
    if index is None or not isinstance(store, index.RegistryIndex):
        return None
    import sqlite3

    try:
        rows, digests = cast("RegistryIndex", store).digests()
    except sqlite3.Error:
        return None
    if not all(digests):  # a row without its digest: the bytes themselves say
        return _read_whole(cast("RegistryIndex", store))
    return PickledEvents(cast("list[bytes]", digests), store, rows, [])


def _read_whole(index: RegistryIndex) -> PickledEvents | None:
    import sqlite3

    from sco_cal.cache.index import blob_digest

    try:
        blobs = index.pickled()
    except sqlite3.Error:
        return None
    return PickledEvents(list(map(blob_digest, blobs)), None, (), blobs)


def fresh_pickled_events(cache_dir: Path, registry_path: Path, expected: str) -> PickledEvents | None:
    """The events of the index made from exactly the files ``expected`` names (the one a parse of them has just
    built), all read at once, or ``None`` when there is none."""
    from sco_cal.cache.index import open_fresh

    index = open_fresh(cache_dir, registry_path, expected)
    if index is None:
        return None
    try:
        return _read_whole(index)
    finally:
        index.close()
