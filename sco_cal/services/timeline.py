"""``sco-cal timeline``'s workflow: the events the filters keep, laid out as a timeline over a window (the
coming twelve months unless one is given), and a page of it written to a file only when its bytes change.
The renderers (``sco_cal.output``) draw what this returns; the CLI prints or passes them in.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sco_cal.dates import Window, zone_for
from sco_cal.errors import StorageError
from sco_cal.query import Filters, select
from sco_cal.storage import ChangedFile
from sco_cal.timeline.layout import GroupBy, Timeline, build

if TYPE_CHECKING:
    from sco_cal.registry import Registry

__all__ = ["coming_months", "timeline_of", "write_if_changed"]


def coming_months(today: date, months: int, zone: str) -> Window:
    """``months`` whole months from the first of ``today``'s month, as seen in ``zone``."""
    index = today.year * 12 + today.month - 1 + months
    after = date(index // 12, index % 12 + 1, 1)
    return Window.of_days(today.replace(day=1), after - timedelta(days=1), zone_for(zone))


def timeline_of(registry: Registry, filters: Filters, *, by: GroupBy, now: datetime, zone: str) -> Timeline:
    """The events ``filters`` keep (their window is required: a timeline needs a stretch to draw), laid out."""
    assert filters.window is not None
    found = select(registry.events_in(filters.window), filters, floating_zone=zone, default_zone=registry.timezone)
    return build(found, filters.window, by=by, now=now, zone=zone, default_zone=registry.timezone)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Replace ``path`` with ``data`` atomically, only when its bytes differ; whether it was replaced. A failed
    write leaves the previous file as it was."""
    if path.is_dir():
        raise StorageError(f"{path}: is a folder; give a file name")
    with ChangedFile(path) as page:
        page.write(data)
        return page.finish()
