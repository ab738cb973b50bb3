"""What ``list`` shows: every event the filters keep, in order, streamed from a big registry's index when it can
be. Kept apart from the agenda's views so that ``list`` loads neither them nor SQLite for a small registry."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Final

from sco_cal.cache.ordering import by_earliest, listed_by_earliest
from sco_cal.query import Filters, Occurrence, SortBy, kept_maker, select, select_by_date, select_kept_by_date

if TYPE_CHECKING:
    from sco_cal.registry import Registry

__all__ = ["listing", "listing_kept"]

_EVERY: Final = Filters()


def listing(registry: Registry, filters: Filters, *, zone: str, sort: SortBy) -> Iterable[Occurrence]:
    """What ``list`` shows, in ``sort`` order, as seen in ``zone``. Every event of a big registry by date is
    read from its index in date order and given as it comes, the first long before the last is read; any other
    listing is selected whole."""
    store = registry.store
    ordered = by_earliest(store) if store is not None and filters.window is None and sort is SortBy.DATE else None
    if ordered is not None:
        return select_by_date(ordered, filters, floating_zone=zone, default_zone=registry.timezone)
    events = registry.events_in(filters.window)
    return select(events, filters, floating_zone=zone, default_zone=registry.timezone, sort=sort)


def listing_kept(
    registry: Registry,
    filters: Filters,
    *,
    zone: str,
    sort: SortBy,
    kind: str,
    texts: Callable[[], tuple[str, Callable[[Occurrence], str]]],
) -> Iterator[str] | None:
    """The texts of what ``listing`` gives, for a listing of every event (``exact`` or not) of a big registry by
    date: ``texts`` gives the form they are made in and their writer, asked only for such a listing; the index
    keeps each event's text, under ``kind`` and that form, for the next listing. ``None`` for any other listing."""
    store = registry.store
    if store is None or sort is not SortBy.DATE or filters._replace(exact=False) != _EVERY:
        return None
    form, write = texts()
    make = kept_maker(write, floating_zone=zone, default_zone=registry.timezone)
    kept = listed_by_earliest(store, kind, form, make)
    return None if kept is None else select_kept_by_date(kept, exact=filters.exact)
