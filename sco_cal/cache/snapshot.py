"""A pickled copy of a small registry as last read, so that a run on an unchanged registry skips the YAML reader.

For a registry too small to index, parsing is quick, but importing PyYAML and our schema is not: it would be
most of a cron run. The snapshot is derived and disposable like the index: it is trusted only
while the fingerprint it was written for matches the files exactly, and any failure to read or write it only
costs the time of a parse.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final

from sco_cal.cache.store import MODEL_SHAPES, SNAPSHOT_SUFFIX, IndexedEvent, derived_file, pickle
from sco_cal.model import Event, Header
from sco_cal.storage import replaced

if TYPE_CHECKING:
    from sco_cal.dates import Window

__all__ = ["Snapshot", "open_fresh", "write"]

SNAPSHOT_VERSION: Final = f"snapshot 1/{MODEL_SHAPES}"


class Snapshot:
    """A small registry's header and events as last parsed; it answers what the index answers."""

    def __init__(self, header: Header, located: list[IndexedEvent]):
        self.header = header
        self._located = located
        self._by_id = {found.event.id: found for found in located}
        self.longest_lead = max(
            (lead.delta for found in located for lead in found.event.reminders), default=timedelta()
        )

    def all(self) -> Iterator[IndexedEvent]:
        return iter(self._located)

    def get(self, event_id: str) -> IndexedEvent | None:
        return self._by_id.get(event_id)

    def naming_missing(self) -> Iterator[IndexedEvent]:
        """The events whose ``related`` names an id no event has, in file order."""
        return (found for found in self._located if any(t not in self._by_id for t in found.event.related))

    def candidates(self, window: Window) -> list[Event]:
        """Every event: a small registry is filtered faster than it could be narrowed."""
        return [found.event for found in self._located]


def open_fresh(cache_dir: Path, registry_path: Path, expected: str) -> Snapshot | None:
    """The snapshot of this registry if it was written from exactly the files as they are now, else ``None``."""
    try:
        with derived_file(cache_dir, registry_path, SNAPSHOT_SUFFIX).open("rb") as stream:
            # the version and fingerprint come first and alone, so a stale snapshot's events are never unpickled
            if pickle.load(stream) != (SNAPSHOT_VERSION, expected):
                return None
            header, located = pickle.load(stream)
        return Snapshot(header, [IndexedEvent(event, path, line) for event, path, line in located])
    except Exception:  # noqa: BLE001  # missing, damaged or foreign: unpickling can raise nearly anything
        return None


def write(
    cache_dir: Path, registry_path: Path, expected: str, header: Header, events: Iterable[tuple[Event, str, int]]
) -> None:
    """Write the snapshot beside the old one and swap it in; any failure leaves no snapshot rather than a bad one."""
    with contextlib.suppress(OSError):
        cache_dir.mkdir(parents=True, exist_ok=True)
        target = derived_file(cache_dir, registry_path, SNAPSHOT_SUFFIX)
        with replaced(target, durable=False) as temp, temp.open("wb") as stream:
            pickle.dump((SNAPSHOT_VERSION, expected), stream, protocol=5)
            pickle.dump((header, list(events)), stream, protocol=5)
