"""What ``list`` shows: every event the filters keep, in order, streamed from a big registry's index when it can
be. Kept apart from the agenda's views so that ``list`` loads neither them nor SQLite for a small registry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sco_cal.cache.ordering import by_earliest
from sco_cal.query import Filters, Occurrence, SortBy, select, select_by_date

if TYPE_CHECKING:
    from sco_cal.registry import Registry

__all__ = ["listing"]


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
