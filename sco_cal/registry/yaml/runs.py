"""A file's events list in runs of items, each named by a digest of its bytes, so that after a hand edit only the
stretch between the first and the last changed run is cut and matched item by item.

Each run is kept with its offset and line in the file and the index row of its first item. After an edit, runs
are matched from the front (at the offsets they had) and from the back (at the same distance from the end of the
file). A matched run holds exactly the items it held, with the same texts, because:

- the header (the text before and after the list) is the same, so the list starts where it did and ends at the
  same distance from the end;
- the list's last item, the one item whose text depends on what follows it, is in the last run, and a run
  matched at the front is never the last one;
- the changed middle starts with an item line at the list's indentation and ends with a line break (or at the
  end of the file), so each run boundary is an item boundary in both texts;
- no line of the middle ends the list; whether a line does is a matter of its own bytes, so no line of a
  matched run does either, and the list ends where the header says.

Whatever else happens, the match gives ``None`` and the caller cuts the whole file.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from typing import Final

from sco_cal.registry.yaml.items import Items, cut_between, header_digest, list_ending

__all__ = ["RUN_ITEMS", "Middle", "Runs", "changed_middle"]

RUN_ITEMS: Final = 64
_HEAD: Final = struct.Struct("<qqq")  # indentation, file length, end of the list
_ENTRY: Final = struct.Struct("<qqq16s")  # offset, line, row, digest
_ITEM_START: Final = (b" ", b"\n", b"\r")


@dataclass(frozen=True, slots=True)
class Runs:
    """A file's runs as it was last read: ``length`` bytes long, its list ending at ``end``."""

    indent: int
    length: int
    end: int
    offsets: list[int]
    lines: list[int]  # 0-based
    rows: list[int]
    digests: list[bytes]

    def pack(self) -> bytes:
        entries = zip(self.offsets, self.lines, self.rows, self.digests, strict=True)
        return _HEAD.pack(self.indent, self.length, self.end) + b"".join(_ENTRY.pack(*each) for each in entries)

    @classmethod
    def unpack(cls, blob: bytes) -> Runs:
        """Raises ``struct.error`` for a blob of another shape."""
        indent, length, end = _HEAD.unpack_from(blob)
        columns = list(zip(*_ENTRY.iter_unpack(memoryview(blob)[_HEAD.size :]), strict=True))
        if not columns:
            raise struct.error("no runs")
        offsets, lines, rows, digests = (list(column) for column in columns)
        return cls(indent, length, end, offsets, lines, rows, digests)

    @classmethod
    def of(cls, data: bytes, items: Items, rows: list[int]) -> Runs:
        """The runs of a whole list, ``rows`` being its items' rows."""
        return cls(items.indent, len(data), items.end, *_chunks(data, items, rows))

    def after(self, data: bytes, middle: Middle, rows: list[int]) -> Runs:
        """The runs of the file as it is now (``data``), once ``middle``'s items have ``rows``."""
        back = slice(len(self.offsets) - middle.back, None)
        new = _chunks(data, middle.items, rows) if middle.items.bodies else ([], [], [], [])
        return Runs(
            self.indent,
            len(data),
            len(data) - (self.length - self.end),
            self.offsets[: middle.front] + new[0] + [offset + middle.moved for offset in self.offsets[back]],
            self.lines[: middle.front] + new[1] + [line + middle.shift for line in self.lines[back]],
            self.rows[: middle.front] + new[2] + self.rows[back],
            self.digests[: middle.front] + new[3] + self.digests[back],
        )


def _digest(data: bytes, start: int, stop: int, indent: int) -> bytes:
    found = hashlib.sha256(b"run %d\0" % indent)
    found.update(memoryview(data)[start:stop])
    return found.digest()[:16]


def _chunks(data: bytes, items: Items, rows: list[int]) -> tuple[list[int], list[int], list[int], list[bytes]]:
    """Items in runs of ``RUN_ITEMS`` (the last one may be shorter): each run's offset, line, row and digest."""
    firsts = range(0, len(items.bodies), RUN_ITEMS)
    starts = items.offsets(firsts)
    digests = [_digest(data, a, b, items.indent) for a, b in zip(starts, [*starts[1:], items.end], strict=True)]
    return starts, [items.lines[k] for k in firsts], [rows[k] for k in firsts], digests


@dataclass(frozen=True, slots=True)
class Middle:
    """What changed: the old runs from ``front`` to ``back`` from the end, and the items now between the runs
    kept; the runs behind them moved ``moved`` bytes and ``shift`` lines."""

    front: int
    back: int
    items: Items
    moved: int
    shift: int


def changed_middle(data: bytes, runs: Runs, header: bytes) -> Middle | None:
    """The changed middle of a file's list (``data``, as it is now), or ``None`` when the runs do not say."""
    count, moved = len(runs.offsets), len(data) - runs.length
    bounds = [*runs.offsets, runs.end]
    end = runs.end + moved
    if end < bounds[0] or header_digest(data, bounds[0], end) != header:
        return None
    front = 0
    while front < count - 1 and bounds[front + 1] <= end and _same(data, runs, front, 0):
        front += 1
    back = 0
    while back < count - front and bounds[count - 1 - back] + moved >= bounds[front]:
        if not _same(data, runs, count - 1 - back, moved):
            break
        back += 1
    if not back and front and bounds[front] == end:  # nothing after the front: its last item is now the list's
        front -= 1
    start, stop = bounds[front], bounds[count - back] + moved
    if front and start < stop and not _item_line(data, start, runs.indent):
        front -= 1  # what was inserted belongs to the item before: the run that holds it changed too
    if back and start < stop and data[stop - 1] != ord("\n"):
        back -= 1  # what was inserted runs into the item after: so does its run
    items = _between(data, runs, front, bounds[count - back] + moved, more=back > 0, header=header)
    if items is None or (not items.bodies and not back):
        return None
    if not back:
        return Middle(front, back, items, moved, 0)
    # the line the back runs start on now: the one after the middle's last item (which ends with a line break)
    lines = items.lines[-1] + items.bodies[-1].count(b"\n") + 1 if items.bodies else runs.lines[front]
    return Middle(front, back, items, moved, lines - runs.lines[count - back])


def _same(data: bytes, runs: Runs, k: int, moved: int) -> bool:
    stop = runs.offsets[k + 1] if k + 1 < len(runs.offsets) else runs.end
    return _digest(data, runs.offsets[k] + moved, stop + moved, runs.indent) == runs.digests[k]


def _item_line(data: bytes, start: int, indent: int) -> bool:
    """Whether an item of the list starts at ``start``."""
    return data.startswith(b" " * indent + b"-", start) and data[start + indent + 1 : start + indent + 2] in _ITEM_START


def _between(data: bytes, runs: Runs, front: int, stop: int, *, more: bool, header: bytes) -> Items | None:
    """The items from where run ``front`` starts to ``stop``, or ``None`` when they are not whole items of the
    list."""
    indent, start = runs.indent, runs.offsets[front]
    if start == stop:
        return Items(header, indent, [], [], [], start, stop, more)
    if not _item_line(data, start, indent):
        return None
    if stop < len(data) and data[stop - 1] != ord("\n"):
        return None
    if list_ending(indent).search(data, start - 1, stop) is not None:
        return None
    return cut_between(data, start, stop, indent, runs.lines[front], header, more=more)
