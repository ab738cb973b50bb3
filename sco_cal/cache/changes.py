"""The edits of one save that changed many events (an import into a big registry), learnt by the index at once.

``index.apply_change`` takes one edit per transaction, which suits one ``add``; a save of a thousand events
would pay a thousand transactions. Here they are made in one, with the same rule: only an index built for
exactly the files before the save (``before``) is changed, and any failure drops the index, which the next
read rebuilds.

Exports ``apply_changes``.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from sco_cal.cache.index import Change, _apply, index_file
from sco_cal.cache.store import pickle

__all__ = ["apply_changes"]


def apply_changes(cache_dir: Path, registry_path: Path, before: str, after: str, changes: Sequence[Change]) -> None:
    """Bring the index up to date with the edits of one save, in order, as ``index.apply_change`` does one."""
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
        for change in changes:
            _apply(connection, change)
        connection.execute("UPDATE meta SET value = ? WHERE key = 'fingerprint'", (after,))
        connection.execute("COMMIT")
    except (sqlite3.Error, pickle.PickleError):
        connection.close()
        with contextlib.suppress(OSError):
            path.unlink()
        return
    connection.close()
