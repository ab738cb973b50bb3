"""Every event of a fresh index as the pickled bytes it is kept as, in file order, without unpickling them.

Those bytes are the event's exact content, so a digest of them names it: a run that keeps something made from
each event (a feed's VEVENTs, ``sco_cal.services.feed_records``) finds what it made before by that digest and
unpickles only the events that changed. The rows are those of the index the registry was read from.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from pathlib import Path

    from sco_cal.cache.index import RegistryIndex

__all__ = ["fresh_pickled_events", "pickled_events"]


def pickled_events(store: object) -> list[bytes] | None:
    """The pickled events in file order (the order ``RegistryIndex.all`` gives them in), or ``None`` when
    ``store`` is not an open index (a small registry's snapshot, a registry already read whole) or cannot
    be read."""
    index = sys.modules.get("sco_cal.cache.index")  # not loaded: no index was opened, and SQLite stays unloaded
    if index is None or not isinstance(store, index.RegistryIndex):
        return None
    import sqlite3

    try:
        return cast("RegistryIndex", store).pickled()
    except sqlite3.Error:
        return None


def fresh_pickled_events(cache_dir: Path, registry_path: Path, expected: str) -> list[bytes] | None:
    """The pickled events of the index made from exactly the files ``expected`` names (the one a parse of them
    has just built), or ``None`` when there is none."""
    from sco_cal.cache.index import open_fresh

    index = open_fresh(cache_dir, registry_path, expected)
    if index is None:
        return None
    try:
        return pickled_events(index)
    finally:
        index.close()
