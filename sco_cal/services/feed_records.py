"""A big registry's events as its feeds need them, in the order ``select`` gives, without unpickling the events
that did not change since an earlier run.

Read from a fresh index, each event comes as its pickled bytes (``sco_cal.cache.rows``), its exact content. A
digest of those bytes names what an earlier run kept for it (``sco_cal.cache.texts``, a section per feed
settings and display zone): where it falls in the feeds' order, and ``Placed``, its groups, dates and VEVENT.
Only an event not found there is unpickled and made, and one tied to others (a series, a moved occurrence) is
always unpickled, since its VEVENT depends on the rest of its feed. The feeds are byte for byte those made from
every event (tests/test_publish_cache.py compares the two through the command line).
"""

from __future__ import annotations

import operator
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sco_cal import query
from sco_cal.cache.rows import PickledEvents, pickled_events
from sco_cal.cache.store import pickle
from sco_cal.errors import InvalidInput
from sco_cal.ics.reuse import Placed
from sco_cal.query import Filters, select

if TYPE_CHECKING:
    from collections.abc import Callable

    from sco_cal.cache.texts import Texts
    from sco_cal.ics.reuse import Reuse
    from sco_cal.model import Event
    from sco_cal.registry import Registry

__all__ = ["placed_events", "placing"]

_placed = tuple.__new__  # a Placed from its fields without a call of Python code: thousands are made per run
_ORDER = operator.itemgetter(0)  # of what is kept for an event: its place in select's order
_MADE_AT_ONCE = 512  # events unpickled and placed together: one select each, and only these in memory at once
_SHARED: dict[object, Any] = {}  # values that recur in what is kept, each as one object (``_fields``)


def placed_events(
    registry: Registry, reuse: Reuse, texts: Texts, zone: str, fresh: Callable[[], PickledEvents | None]
) -> tuple[list[Event | Placed], list[bytes]] | None:
    """Every event of ``registry`` for its feeds, in date order as seen from ``zone``, and beside each a digest
    of its exact content; ``None`` when there is no index of it (``fresh``: the one a parse of the files as
    they are has just built), or an event cannot be held by the feed (the events themselves then say which, in
    the order they are written)."""
    pickled = pickled_events(registry.store)
    if pickled is None:
        pickled = fresh()
    if pickled is None:
        return None
    digests = pickled.digests
    seen_from, (stored, used) = placing(zone), texts.table(reuse.section)
    keys = list(map(seen_from.__add__, digests))  # mapped, not looped: ten thousand a run
    kept: list[Any] = list(map(stored.get, keys))  # (order, fields), as ``_made`` gives
    missing = [k for k, found in enumerate(kept) if not isinstance(found, tuple) or len(found) != 2]
    for first in range(0, len(missing), _MADE_AT_ONCE):
        batch = missing[first : first + _MADE_AT_ONCE]
        blobs = pickled.blobs(batch)
        if blobs is None:
            return None
        try:
            made = _made([blobs[k] for k in batch], reuse, zone, registry.timezone)
        except InvalidInput:
            return None
        for k, each in zip(batch, made, strict=True):
            kept[k] = each
    used.update(zip(keys, kept, strict=True))
    items: list[Any] = [None if fields is None else _placed(Placed, fields) for _, fields in kept]
    tied = [k for k, item in enumerate(items) if item is None]  # tied to others: the event itself
    blobs = pickled.blobs(tied)
    if blobs is None:
        return None
    for k in tied:
        items[k] = pickle.loads(blobs[k])
    ordered = sorted(range(len(kept)), key=list(map(_ORDER, kept)).__getitem__)
    return list(map(items.__getitem__, ordered)), list(map(digests.__getitem__, ordered))


def placing(zone: str) -> bytes:
    """What the kept order and placing depend on beyond the feed's settings (``Reuse.section``): the zone the
    dates are seen from, and the code that orders them (``query``) and keeps them (this module)."""
    made_by = []
    for module in (query, sys.modules[__name__]):
        try:
            status = Path(str(module.__file__)).stat()
        except OSError:  # not a file (a zipped install)
            made_by.append((-1, -1))
            continue
        made_by.append((status.st_size, status.st_mtime_ns))
    return b"placed in " + repr((zone, made_by)).encode() + b" "


def _made(blobs: list[bytes], reuse: Reuse, zone: str, default_zone: str) -> list[tuple[Any, Any]]:
    """What is kept for each event: where ``select`` puts it, and the event as placed (``None``: tied to
    others). One ``select`` for them all: with no window, each event is one occurrence."""
    events: list[Event] = list(map(pickle.loads, blobs))
    found = select(events, Filters(), floating_zone=zone, default_zone=default_zone)
    # select's own key: whole numbers and text, so it is kept as it is and sorts as select sorts
    keys = {id(occurrence.event): query.date_key(occurrence) for occurrence in found}
    if len(found) != len(events) or len(keys) != len(events):
        raise ValueError("an event without exactly one occurrence")  # select's promise for no window
    made = []
    for event in events:
        placed = reuse.placed(event)
        made.append((keys[id(event)], None if placed is None else _fields(placed)))
    return made


def _fields(placed: Placed) -> tuple[Any, ...]:
    """``placed`` as a plain tuple (read back several times faster than a named one), its values that recur from
    event to event (groups, kind, dates, why it is left out) one object each: a pickle writes such an object
    once and refers to it after, so the kept file reads back with far fewer objects to make."""
    shared = _SHARED.setdefault
    when: tuple[object, ...] | None = placed.when
    if when is not None:  # days only: two times of one instant in different zones are equal, and not the same
        when = tuple(shared(moment, moment) if type(moment) is date else moment for moment in when)
    return (
        placed.id, shared(placed.orgs, placed.orgs), shared(placed.kind, placed.kind),
        shared(placed.series, placed.series), None, when, shared(placed.left_out, placed.left_out), placed.text,
    )  # fmt: skip
