"""After a hand edit of a big registry, read only what changed and patch its index, instead of a full parse.

Each item of a file's events list is named in the index by a digest of its exact text, and an item is read
from its text alone, so an item whose digest the index holds is the event of that row. Only the other items are
read; the rules across events are then judged for what changed (ids, ``related``, moved occurrences, times in
the registry's zone). The index also keeps each file's list in runs of items (``yaml/runs.py``): the runs found
unchanged at the front and the back are not even cut, and only the items between them are matched row by row.
Whenever anything is not plainly sound (a new header, another set of files, a problem anywhere, a repeating
event changed, an item the reader would not read alone), this gives up and the caller parses every file, so
every answer and every message is the one a full parse gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from sco_cal.cache.store import file_identity
from sco_cal.registry.files import MAX_FILE_BYTES, registry_files

if TYPE_CHECKING:
    from sco_cal.cache.index import RegistryIndex
    from sco_cal.cache.patch import Patch, Stale
    from sco_cal.model import Event
    from sco_cal.registry.yaml.items import Items

__all__ = ["refresh"]


class _GiveUp(Exception):
    """Something a full parse must judge."""


_Hit = tuple[int, int, int]  # a kept row: its number, line, and line within its item


@dataclass
class _Added:
    n: int
    event: Event
    path: str
    line: int
    column: int
    digest: bytes
    rel: int


def refresh(folder: Path, path: Path, expected: str) -> RegistryIndex | None:
    """The index of the registry brought up to date with its files as they are now (``expected``), or ``None``
    when only a full parse can say what they hold."""
    from sco_cal.cache import index, patch

    stale = patch.open_stale(folder, path)
    if stale is None:
        return None
    try:
        stale.commit(_patch(stale, path, expected), expected)
    except Exception:  # noqa: BLE001  # any doubt at all, damaged index included: the full parse answers
        return None
    finally:
        stale.close()
    return index.open_fresh(folder, path, expected)


def _patch(stale: Stale, path: Path, expected: str) -> Patch:
    from sco_cal.cache.patch import Patch

    files = registry_files(path)
    identities = [file_identity(file) for file in files]  # before reading: a later change is seen next time
    if f"[{', '.join(identities)}]" != expected or [str(file) for file in files] != list(stale.files):
        raise _GiveUp
    found = Patch()
    added: list[_Added] = []
    for file, identity in zip(files, identities, strict=True):
        if stale.files[str(file)].identity != identity:
            added += _diff(stale, str(file), _read_bytes(file), found)
            found.identities[str(file)] = identity
    _judge(stale, path, found, added)
    from sco_cal.registry.checks import ends_inside_start

    found.added = [(a.n, a.event, a.path, a.line, a.digest, a.rel, ends_inside_start(a.event)) for a in added]
    return found


def _read_bytes(file: Path) -> bytes:
    """The file's text as bytes, without a byte-order mark (as ``read_text`` reads it); whether it is UTF-8 is
    seen where it matters: an item or header the index holds was, and the others are decoded to be read."""
    if file.stat().st_size > MAX_FILE_BYTES:
        raise _GiveUp
    return file.read_bytes().removeprefix(b"\xef\xbb\xbf")


def _diff(stale: Stale, path: str, text: bytes, found: Patch) -> list[_Added]:
    """The rows of ``path`` kept (their lines moved as needed) and gone, and its events to read again: only
    those between the runs of items that did not change, when the index knows its runs."""
    from sco_cal.registry.yaml.runs import Runs, changed_middle

    stored = stale.files[path]
    runs = Runs.unpack(stored.runs) if stored.runs is not None else None
    middle = changed_middle(text, runs, stored.header) if runs is not None else None
    if runs is None or middle is None:
        return _diff_whole(stale, path, text, found)
    count = len(runs.offsets)
    after = runs.rows[count - middle.back] if middle.back else None
    rows = stale.rows(path, runs.rows[middle.front], after)
    kept = _kept(middle.items.digests, rows, found)
    _shifts(path, middle.items, kept, found)
    if middle.shift:
        found.shifts.append((path, runs.rows[count - middle.back], _LAST_ROW, middle.shift))
    low = stale.row_before(path, runs.rows[middle.front]) if middle.front else None
    added, numbers = _read_missing(path, middle.items, kept, _bounds(stored.position, low, after))
    found.runs[path] = runs.after(text, middle, numbers).pack()
    return added


def _diff_whole(stale: Stale, path: str, text: bytes, found: Patch) -> list[_Added]:
    """``_diff`` by every item of the file."""
    from sco_cal.registry.yaml.items import cut
    from sco_cal.registry.yaml.runs import Runs

    items = cut(text)
    stored = stale.files[path]
    if items is None or items.header != stored.header:
        raise _GiveUp
    kept = _kept(items.digests, stale.rows(path), found)
    _shifts(path, items, kept, found)
    added, numbers = _read_missing(path, items, kept, _bounds(stored.position, None, None))
    found.runs[path] = Runs.of(text, items, numbers).pack()
    return added


_LAST_ROW: Final = (1 << 63) - 1


def _bounds(position: int, low: int | None, high: int | None) -> tuple[int, int]:
    """The rows a file's new items may take between: after ``low`` and before ``high`` (default: its span)."""
    from sco_cal.cache.index import SPAN

    return (position * SPAN if low is None else low), ((position + 1) * SPAN if high is None else high)


def _kept(digests: list[bytes], rows: list[tuple[int, bytes | None, int, int]], found: Patch) -> list[_Hit | None]:
    """For each item, the row that holds its text, in file order; the rows none holds are gone."""
    known = {digest: (n, line, rel) for n, digest, line, rel in rows if digest is not None}
    kept: list[_Hit | None] = []
    used: set[int] = set()
    last = -1
    take, keep, use = known.pop, kept.append, used.add
    for digest in digests:
        hit = take(digest, None)
        if hit is not None and hit[0] > last:
            last = hit[0]
            use(last)
        else:
            hit = None
        keep(hit)
    found.removed += [row[0] for row in rows if row[0] not in used]
    return kept


def _shifts(path: str, items: Items, kept: list[_Hit | None], found: Patch) -> None:
    """Runs of kept rows whose line moved by the same number of lines: one update each."""
    run: list[int] = []  # first n, last n, lines moved
    for k, hit in enumerate(kept):
        if hit is None:
            continue
        n, line, rel = hit
        moved = items.lines[k] + 1 + rel - line
        if run and run[2] == moved:
            run[1] = n
            continue
        if run and run[2]:
            found.shifts.append((path, run[0], run[1], run[2]))
        run = [n, n, moved]
    if run and run[2]:
        found.shifts.append((path, run[0], run[1], run[2]))


def _read_missing(
    path: str, items: Items, kept: list[_Hit | None], bounds: tuple[int, int]
) -> tuple[list[_Added], list[int]]:
    """Read each run of items the index does not hold, numbering their rows between their neighbours' (or
    ``bounds``); and every item's row."""
    numbers = [hit[0] if hit is not None else -1 for hit in kept]
    added: list[_Added] = []
    for first, stop in _gaps([k for k, hit in enumerate(kept) if hit is None]):
        low = numbers[first - 1] if first else bounds[0]
        high = numbers[stop] if stop < len(numbers) else bounds[1]
        if high - low <= stop - first:
            raise _GiveUp  # no numbers left between the neighbours: a full parse numbers them afresh
        numbers[first:stop] = [low + (high - low) * (j + 1) // (stop - first + 1) for j in range(stop - first)]
        added += _read_run(path, items, first, stop, numbers[first:stop])
    return added, numbers


def _gaps(missing: list[int]) -> list[tuple[int, int]]:
    """The stretches of consecutive numbers in ``missing``: each one's first and the number after its last."""
    gaps: list[tuple[int, int]] = []
    for k in missing:
        if gaps and gaps[-1][1] == k:
            gaps[-1] = (gaps[-1][0], k + 1)
        else:
            gaps.append((k, k + 1))
    return gaps


def _read_run(path: str, items: Items, first: int, stop: int, numbers: list[int]) -> list[_Added]:
    import yaml

    from sco_cal.registry.yaml.reader import Problems, compose, may_hold_anchors_or_tags, read_events

    text = items.text(first, stop)
    problems = Problems(line_offset=items.lines[first])
    node = compose(path, text, problems)
    if not isinstance(node, yaml.SequenceNode) or problems.items or may_hold_anchors_or_tags(text):
        raise _GiveUp
    read = list(read_events(path, node, problems, keep_nodes=False))
    if problems.items or problems.broken or len(read) != stop - first:
        raise _GiveUp
    return [
        _Added(n, each.event, path, each.line, each.column, items.digests[k], each.line - 1 - items.lines[k])
        for n, each, k in zip(numbers, read, range(first, stop), strict=True)
    ]


def _judge(stale: Stale, path: Path, found: Patch, added: list[_Added]) -> None:
    """The rules across events, for what changed; any problem is left for the full parse to tell."""
    from sco_cal.dates import Hemisphere
    from sco_cal.registry.assemble import seasons_in

    southern = stale.header.seasons is Hemisphere.SOUTHERN
    for each in added:
        each.event = seasons_in(each.event, southern=True) if southern else each.event
    gone = stale.gone(found.removed)
    new = {each.event.id: each.event for each in added}
    if len(new) != len(added):
        raise _GiveUp  # the same id twice
    removed_ids = {event_id for event_id, _ in gone}
    rows = {**stale.owners(new), **stale.owners(e.occurrence_of for e in new.values() if e.occurrence_of)}
    removed_rows = set(found.removed)
    if any(rows.get(event_id, -1) not in (-1, *removed_rows) for event_id in new):
        raise _GiveUp
    # an id left in another's related by a removal stops no read (validate tells it); a series' moved
    # occurrence left without its series does
    if any(source not in removed_ids for source in stale.occurrences_of(removed_ids - new.keys())):
        raise _GiveUp

    def exists(event_id: str) -> Event | None:
        if event_id in new:
            return new[event_id]
        n = rows.get(event_id)
        return None if n is None or n in removed_rows else stale.event(n)

    for event in new.values():
        if _bad_occurrence(event, exists):
            raise _GiveUp
    # a series changed or gone: the moved occurrences that name it are judged again against what it is now
    for n in stale.occurrences({event_id for event_id, repeats in gone if repeats}):
        if n not in removed_rows and _bad_occurrence(stale.event(n), exists):
            raise _GiveUp
    _judge_in_zone(stale, path, added)


def _bad_occurrence(event: Event, exists: object) -> bool:
    if event.occurrence_of is None or event.replaces is None:
        return False
    series = exists(event.occurrence_of)  # type: ignore[operator]
    return series is None or not series.recurrence or event.replaces not in series.excluded


def _judge_in_zone(stale: Stale, path: Path, added: list[_Added]) -> None:
    from sco_cal.registry.checks import check_in_zone
    from sco_cal.registry.read_model import Registry
    from sco_cal.registry.yaml.reader import EventNode, ParsedFile, Problems

    report = Problems()
    where = {}
    for each in added:
        parsed = ParsedFile(each.path, "", None, stale.header, {}, None, [])
        where[each.event.id] = (parsed, EventNode(each.event, None, each.line, each.column))
    check_in_zone(Registry(path, stale.header, [], (), where), report)
    if report.items:
        raise _GiveUp
