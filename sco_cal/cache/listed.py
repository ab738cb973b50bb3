"""What a listing makes of each event of a big registry, kept in its index beside the event, so that the next
listing reads it back instead of unpickling every event and writing its fields again.

What is kept of an event is whatever a maker from outside made of it (``cache`` knows nothing of the listing's
formats): plain values, such as its place in the listing's order and its text. It is kept under a kind (a
format) and the maker's form (its code and settings, such as the zones), and answers only for that form.

A kept text is never stale: the index's triggers drop an event's texts whenever its row is written or removed
(a build, a hand edit's patch, a save), and a text is only kept while the row still holds the very bytes it
was made from. Keeping is best effort: an index that cannot be written (busy, read-only) is only read.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Final, Generic, TypeVar

from sco_cal.cache.index import LISTED_TABLES
from sco_cal.cache.store import pickle

if TYPE_CHECKING:
    from pathlib import Path

    from sco_cal.cache.index import RegistryIndex
    from sco_cal.model import Event

__all__ = ["Listing"]

T = TypeVar("T")
# Bump when what is kept of an event changes.
_KEPT_FORM: Final = "listed 1"
_BATCH: Final = 256  # events fetched by one query: well under SQLite's limit on the parameters of a statement
_KEEP_EVERY: Final = 2048  # events made before their texts are written: a listing's memory stays flat
_WAIT: Final = 0.05  # seconds a writer waits for a busy index before it gives up keeping


class Listing(Generic[T]):
    """One listing's reads of an index, and its writes of what it had to make."""

    KINDS: Final = frozenset(LISTED_TABLES)

    def __init__(self, index: RegistryIndex, kind: str, form: str, make: Callable[[Event], T]):
        self._db = index.connection
        self._path = index.path
        self._kind = kind
        self._table = LISTED_TABLES[kind]
        self._form = f"{_KEPT_FORM}/{form}"
        self._make = make
        self._made: list[tuple[int, bytes, bytes]] = []
        self._writer: sqlite3.Connection | None = None
        self._kept = self._path is not None

    def ordered(self, order: Sequence[tuple[int, int | None]]) -> Iterator[tuple[int | None, T]]:
        """The events of the row numbers ``order`` gives, each with its bound, in that order."""
        try:
            for first in range(0, len(order), _BATCH):
                yield from self._batch(order[first : first + _BATCH])
            self._keep()
        finally:
            self._close()

    def _batch(self, batch: Sequence[tuple[int, int | None]]) -> list[tuple[int | None, T]]:
        numbers = [n for n, _ in batch]
        marks = ",".join("?" * len(numbers))
        # the form is asked in the same statement: a kept text is read only while its form is the one wanted
        kept: dict[int, bytes] = dict(
            self._db.execute(
                f"SELECT n, texts FROM {self._table} WHERE n IN ({marks})"
                " AND (SELECT value FROM meta WHERE key = ?) IS ?",
                [*numbers, self._meta_key, self._form],
            )
        )
        made = self._made_for([n for n in numbers if n not in kept]) if len(kept) < len(numbers) else {}
        loads = pickle.loads
        return [(bound, made[n] if n in made else loads(kept[n])) for n, bound in batch]

    @property
    def _meta_key(self) -> str:
        return f"listed {self._kind}"

    def _made_for(self, numbers: list[int]) -> dict[int, T]:
        """What is made of the events numbered ``numbers``, of which nothing is kept."""
        marks = ",".join("?" * len(numbers))
        made: dict[int, T] = {}
        for n, blob in self._db.execute(f"SELECT n, blob FROM blobs WHERE n IN ({marks})", numbers):
            made[n] = self._make(pickle.loads(blob))
            if self._kept:
                self._made.append((n, pickle.dumps(made[n], 5), blob))
        if len(self._made) >= _KEEP_EVERY:
            self._keep()
        return made

    def _keep(self) -> None:
        """Write the texts made so far; an index that refuses is left as it is, and asked no more."""
        made, self._made = self._made, []
        if not made or not self._kept:
            return
        try:
            writer = self._writer or self._open(self._path)  # type: ignore[arg-type]
            with writer:
                self._claim(writer)
                writer.executemany(
                    f"INSERT OR REPLACE INTO {self._table} (n, texts) SELECT ?1, ?2"
                    " WHERE (SELECT blob FROM blobs WHERE n = ?1) = ?3",
                    made,
                )
        except sqlite3.Error:
            self._kept = False

    def _open(self, path: Path) -> sqlite3.Connection:
        self._writer = sqlite3.connect(path, timeout=_WAIT)
        self._writer.execute("PRAGMA synchronous = OFF")  # a disposable copy: a lost write costs only time
        return self._writer

    def _claim(self, writer: sqlite3.Connection) -> None:
        """Make the kept texts of this kind the form's: those of another form are dropped first."""
        found = writer.execute("SELECT value FROM meta WHERE key = ?", (self._meta_key,)).fetchone()
        if found is None or found[0] != self._form:
            writer.execute(f"DELETE FROM {self._table}")
            writer.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (self._meta_key, self._form))

    def _close(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(sqlite3.Error):
                self._writer.close()
            self._writer = None
