"""The marks along a timeline's axis: months, quarters or years, the coarsest needed so that each label fits the
room the renderer has for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from sco_cal.dates import MONTH_ABBR

__all__ = ["Tick", "Unit", "choose_unit", "ticks", "years"]


class Unit(StrEnum):
    """A step of the axis, finest first."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def months(self) -> int:
        return _MONTHS[self]


_MONTHS: Final = {Unit.MONTH: 1, Unit.QUARTER: 3, Unit.YEAR: 12}
_DAYS_PER_MONTH: Final = 365.25 / 12


@dataclass(frozen=True, slots=True)
class Tick:
    """A mark on the axis: the day it stands on and its label (``Jun``, ``Q3``, ``2020``)."""

    day: date
    label: str


def _label(day: date, unit: Unit) -> str:
    if unit is Unit.MONTH:
        return MONTH_ABBR[day.month - 1]
    if unit is Unit.QUARTER:
        return f"Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def ticks(first: date, last: date, unit: Unit, crowded: float = 0) -> list[Tick]:
    """The marks of ``unit`` from ``first`` to ``last`` (inclusive), each on the first day of its period. A
    window that starts inside a period gets a mark at ``first`` itself, so the axis is labelled from its left
    edge, unless the next mark is fewer than ``crowded`` days away (its label would cover the next one's).

    >>> [t.label for t in ticks(date(2020, 1, 1), date(2020, 12, 31), Unit.QUARTER)]
    ['Q1', 'Q2', 'Q3', 'Q4']
    >>> [t.label for t in ticks(date(2020, 5, 25), date(2020, 8, 22), Unit.MONTH, crowded=10)]
    ['Jun', 'Jul', 'Aug']
    """
    step = unit.months
    month = (first.year * 12 + first.month - 1) // step * step
    found = [Tick(first, _label(first, unit))]
    while True:
        month += step
        day = date(month // 12, month % 12 + 1, 1)
        if day > last:
            break
        found.append(Tick(day, _label(day, unit)))
    starts_a_period = first.day == 1 and (first.month - 1) % step == 0
    if not starts_a_period and len(found) > 1 and (found[1].day - first).days < crowded:
        found.pop(0)
    return found


def years(first: date, last: date, crowded: float = 0) -> list[Tick]:
    """The years the axis crosses, for a line above month or quarter marks."""
    return ticks(first, last, Unit.YEAR, crowded)


def choose_unit(first: date, last: date, room: float, label_room: Mapping[Unit, float]) -> Unit:
    """The finest unit whose periods are at least as wide as its labels (``label_room``) when the days ``first``
    to ``last`` take ``room`` (columns, pixels); years when even they are narrower.

    >>> rooms = {Unit.MONTH: 4, Unit.QUARTER: 3, Unit.YEAR: 5}
    >>> choose_unit(date(2020, 1, 1), date(2020, 12, 31), 40, rooms).value
    'quarter'
    """
    days = (last - first).days + 1
    for unit in Unit:
        if room * unit.months * _DAYS_PER_MONTH / days >= label_room[unit]:
            return unit
    return Unit.YEAR
