"""What every file derived from a registry (its index, its snapshot) shares: how the registry's files are
identified, how the derived file is named, and the questions a read can ask of it.

Kept apart from the index so that reading a small registry's snapshot loads neither SQLite nor the YAML reader.
"""

from __future__ import annotations

import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final, Protocol

from sco_cal.dates import DateValue, Hemisphere, Precision
from sco_cal.model import Event, Header, Kind, LeadTime, Participant, Source, Status, Venue

try:  # the C pickler alone: the pickle module around it is slow to import and adds nothing we need
    import _pickle as pickle
except ImportError:  # pragma: no cover  # interpreters without the C accelerator
    import pickle  # type: ignore[no-redef]

if TYPE_CHECKING:
    from sco_cal.dates import Window

__all__ = [
    "INDEX_SUFFIX",
    "MODEL_SHAPES",
    "SNAPSHOT_SUFFIX",
    "EventStore",
    "IndexedEvent",
    "derived_file",
    "file_identity",
    "fingerprint",
    "pickle",
]


def _shapes() -> str:
    """Where each pickled class lives and its field names, written out whole (no hash: hashlib would be imported
    on every run), so a change of the model, or a class moved to another module, invalidates every derived file
    by itself: a pickle names the module, and a copy made by another version must not be unpickled. A field's
    annotation says how it is pickled (``pickling``), and an enum is pickled by its value."""
    classes = (Event, Header, DateValue, Venue, Participant, Source, LeadTime)
    shapes = [(c.__module__, c.__qualname__, [(f.name, str(f.type)) for f in fields(c)]) for c in classes]
    # the enums' values too: a copy holding a quarter must not be read by a version that has none
    return repr([PICKLE_FORM, *shapes, *([e.value for e in enum] for enum in (Precision, Kind, Status, Hemisphere))])


# Bump when the way ``pickling`` writes a class changes.
PICKLE_FORM: Final = "flat 1"
INDEX_SUFFIX: Final = ".sqlite3"
SNAPSHOT_SUFFIX: Final = ".pickle"
# Bump when the rules that make a registry valid change: a copy made under the old rules may hold a registry
# the new ones refuse, and must not answer for it.
RULES_VERSION: Final = 2  # 2: a time without a zone is checked in the registry's zone
MODEL_SHAPES: Final = f"py{sys.version_info.major}.{sys.version_info.minor}/rules {RULES_VERSION}/{_shapes()}"


def fingerprint(files: Iterable[Path]) -> str:
    """The identity of the files as they are now; it changes with any write, rename or replacement."""
    return f"[{', '.join(map(file_identity, files))}]"


def file_identity(file: Path) -> str:
    """One file's part of the fingerprint."""
    status = file.stat()
    parts = [str(file.resolve()), status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]
    return repr(parts)  # str and int only: repr is exact and stable, and needs no json import on every run


def derived_file(cache_dir: Path, registry_path: Path, suffix: str) -> Path:
    """One derived file of a kind per registry path. Two paths whose names and checksums agree would share a
    file: each would find the other's fingerprint there and rebuild, never read it, since the fingerprint
    names every file."""
    resolved = registry_path.resolve()
    checksum = zlib.crc32(str(resolved).encode("utf-8", "surrogateescape"))
    stem = "".join(c if (c.isascii() and c.isalnum()) or c in "-_" else "_" for c in resolved.stem)[:40]
    return cache_dir / f"{stem}-{checksum:08x}{suffix}"


@dataclass(frozen=True, slots=True)
class IndexedEvent:
    event: Event
    path: str
    line: int


class EventStore(Protocol):
    """A fresh derived copy of a registry, asked instead of its files."""

    header: Header
    longest_lead: timedelta

    def all(self) -> Iterator[IndexedEvent]: ...

    def get(self, event_id: str) -> IndexedEvent | None: ...

    def candidates(self, window: Window) -> list[Event]: ...

    def naming_missing(self) -> Iterator[IndexedEvent]: ...
