"""What ``agenda`` and ``calendar`` show, gathered from a registry: the occurrences of the coming days grouped by
day, and the grids of a run of months. The commands render them (``sco_cal.output.agenda``)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sco_cal.dates import DateValue, Precision, Window
from sco_cal.query import Filters, select
from sco_cal.reminders.agenda import AgendaGroup, MonthGrid, agenda, month_grid, months_from

if TYPE_CHECKING:
    from sco_cal.registry import Registry

__all__ = ["agenda_days", "month_grids"]


def agenda_days(registry: Registry, *, today: date, days: int, zone: str) -> list[AgendaGroup]:
    """The events that may fall in ``days`` days from ``today`` (in ``zone``), grouped by the day they start."""
    window = Window.days_ahead(today, days, zone)
    found = select(
        registry.events_in(window), Filters(window=window), floating_zone=zone, default_zone=registry.timezone
    )
    return agenda(found, today=today, zone=zone)


def month_grids(registry: Registry, first: DateValue | None, months: int, *, today: date, zone: str) -> list[MonthGrid]:
    """``months`` month grids from the month of ``first`` (today's when ``None``); a year alone (``2020``)
    asked for one month shows its twelve, a part of one (``Q3 2020``, ``winter 2020``) the months it may fall in."""
    if first is not None and first.precision is Precision.YEAR and months == 1:
        months = 12
    elif first is not None and first.part is not None and months == 1:
        last = first.last_day()
        months = (last.year - first.year) * 12 + last.month - (first.month or 1) + 1
    year, number = (first.year, first.month or 1) if first else (today.year, today.month)
    return [
        month_grid(registry.events, y, m, today=today, floating_zone=zone, default_zone=registry.timezone)
        for y, m in months_from(year, number, months)
    ]
