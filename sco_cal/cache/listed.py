"""What a listing makes of each event of a big registry, kept in its index beside the event, so that the next
listing reads it back instead of unpickling every event and writing its fields again.

What is kept of an event is whatever a maker from outside made of it (``cache`` knows nothing of the listing's
formats): a few plain values (numbers, texts), such as its place in the listing's order and its text, each in a
column of its own. It is kept under a kind (a format) and the maker's form (its code and settings, such as the
zones), and answers only for that form.

A kept text is never stale: the index's triggers drop an event's texts whenever its row is written or removed
(a build, a hand edit's patch, a save), and a text is only kept while the rows still hold the very bytes it
was made from: the rows are read with the index's stamp (``STAMP``), and the texts made of them are written only
by a transaction that holds the index's write lock and finds the same stamp. Keeping is best effort: an index
that cannot be written (busy, read-only) is only read.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Final, Generic, TypeVar

from sco_cal.cache.index import LISTED_COLUMNS, LISTED_TABLES, LISTED_VALUES, STAMP
from sco_cal.cache.store import pickle

if TYPE_CHECKING:
    from pathlib import Path

    from sco_cal.cache.index import RegistryIndex
    from sco_cal.model import Event

__all__ = ["Listing"]

T = TypeVar("T", bound=tuple[object, ...])
# Bump when what is kept of an event changes.
_KEPT_FORM: Final = "listed 2"
_BATCH: Final = 256  # events fetched by one query: well under SQLite's limit on the parameters of a statement
_KEEP_EVERY: Final = 2048  # events made before their texts are written: a listing's memory stays flat
_WAIT: Final = 0.05  # seconds a writer waits for a busy index before it gives up keeping


class Listing(Generic[T]):
    """One listing's reads of an index, and its writes of what it had to make: ``make`` gives ``LISTED_VALUES``
    plain values of each event, which are what a later listing reads back."""

    KINDS: Final = frozenset(LISTED_TABLES)

    def __init__(self, index: RegistryIndex, kind: str, form: str, make: Callable[[Event], T]):
        self._db = index.connection
        self._path = index.path
        self._kind = kind
        self._table = LISTED_TABLES[kind]
        self._form = f"{_KEPT_FORM}/{form}"
        self._make = make
        self._made: list[tuple[int, T]] = []
        self._stamp: str | None = None  # the stamp of the rows the values in ``_made`` were made of
        self._writer: sqlite3.Connection | None = None
        self._kept = self._path is not None

    def ordered(self, order: Sequence[tuple[int, int | None]]) -> Iterator[tuple[int | None, T]]:
        """The events of the row numbers ``order`` gives, each with its bound, in that order."""
        try:
            # an index that keeps nothing of this form (the first listing) is not asked for each batch
            found = self._db.execute(
                f"SELECT EXISTS (SELECT 1 FROM {self._table}) AND (SELECT value FROM meta WHERE key = ?) IS ?",
                (self._meta_key, self._form),
            ).fetchone()[0]
            batch = self._batch if found else self._made_for
            for first in range(0, len(order), _BATCH):
                part = order[first : first + _BATCH]
                made = batch([n for n, _ in part])
                yield from [(bound, made[n]) for n, bound in part]
            self._keep()
        finally:
            self._close()

    def _batch(self, numbers: list[int]) -> dict[int, T]:
        """What is kept or, when nothing is, made of the events numbered ``numbers``."""
        marks = ",".join("?" * len(numbers))
        # the form is asked in the same statement: a kept text is read only while its form is the one wanted
        kept: dict[int, T] = {
            row[0]: row[1:]
            for row in self._db.execute(
                f"SELECT n, {LISTED_COLUMNS} FROM {self._table} WHERE n IN ({marks})"
                " AND (SELECT value FROM meta WHERE key = ?) IS ?",
                [*numbers, self._meta_key, self._form],
            )
        }
        if len(kept) < len(numbers):
            kept.update(self._made_for([n for n in numbers if n not in kept]))
        return kept

    @property
    def _meta_key(self) -> str:
        return f"listed {self._kind}"

    def _made_for(self, numbers: list[int]) -> dict[int, T]:
        """What is made of the events numbered ``numbers``, of which nothing is kept."""
        marks = ",".join("?" * len(numbers))
        # the stamp in the same statement as the rows: both are read from one state of the index
        rows = self._db.execute(f"SELECT n, blob, {STAMP} FROM blobs WHERE n IN ({marks})", numbers).fetchall()
        make, loads = self._make, pickle.loads
        made = {n: make(loads(blob)) for n, blob, _ in rows}
        if self._kept and rows:
            if rows[0][2] != self._stamp:  # rows written since: what was made of them before may be stale
                self._made, self._stamp = [], rows[0][2]
            self._made.extend(made.items())
            if len(self._made) >= _KEEP_EVERY:
                self._keep()
        return made

    def _keep(self) -> None:
        """Write the values made so far, if no event's row changed since they were read; an index that refuses
        is left as it is, and asked no more."""
        made, self._made = self._made, []
        if not made or not self._kept:
            return
        marks = ", ".join("?" * LISTED_VALUES)
        try:
            writer = self._writer or self._open(self._path)  # type: ignore[arg-type]
            with writer:
                writer.execute("BEGIN IMMEDIATE")  # the write lock from here: no row changes until the commit
                now = writer.execute(f"SELECT {STAMP}").fetchone()[0]
                if now is None or now != self._stamp:  # no stamp proves nothing
                    return
                self._claim(writer)
                writer.executemany(
                    f"INSERT OR REPLACE INTO {self._table} (n, {LISTED_COLUMNS}) VALUES (?, {marks})",
                    [(n, *values) for n, values in made],
                )
        except (sqlite3.Error, ValueError, OverflowError):  # busy, read-only, or a value SQLite cannot hold
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
