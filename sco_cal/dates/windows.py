"""What a query asks about and what an event may cover: a ``Window`` of time (open at either end or not) and the
``Span`` of instants a dated event may fall in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Final

from sco_cal.dates.values import LAST_YEAR, DateValue
from sco_cal.dates.zones import midnight, zone_for
from sco_cal.errors import InvalidInput

__all__ = ["Span", "Window"]

# The days an open end of a window stands for: a few days inside the calendar's limits, so that the margins
# queries and indexes add to a window never step outside what ``datetime`` can hold.
_EARLIEST_DAY: Final = date(1, 1, 2)
_LATEST_DAY: Final = date(LAST_YEAR, 12, 31)


@dataclass(frozen=True, slots=True)
class Window:
    """A half-open stretch of time ``[start, end)`` that a query asks about; both ends are aware.

    A window may be open at either end (``--from`` alone, ``--to`` alone): the open end then lies at the edge of
    the calendar, and the query shows each repeating event once rather than every repetition to the year 9999.
    """

    start: datetime
    end: datetime
    open_start: bool = False
    open_end: bool = False

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidInput(f"the window ends ({self.end:%Y-%m-%d}) before it starts ({self.start:%Y-%m-%d})")

    @property
    def is_open(self) -> bool:
        return self.open_start or self.open_end

    @classmethod
    def of_days(cls, first: date, last: date, zone: tzinfo) -> Window:
        """The whole days ``first`` to ``last`` inclusive, as seen in ``zone``."""
        if last < first:  # named by the days typed, not by the exclusive end the window keeps
            raise InvalidInput(f"the window ends on {last:%Y-%m-%d}, before it starts on {first:%Y-%m-%d}")
        return cls(midnight(first, zone), midnight(last + timedelta(days=1), zone))

    @classmethod
    def from_to(cls, first: date | None, last: date | None, zone: tzinfo) -> Window:
        """The whole days ``first`` to ``last`` inclusive, as seen in ``zone``; ``None`` leaves that end open."""
        start = midnight(first or min(_EARLIEST_DAY, last or _EARLIEST_DAY), zone)
        end = midnight((last or _LATEST_DAY) + timedelta(days=1), zone)
        return cls(start, end, open_start=first is None, open_end=last is None)

    @classmethod
    def days_ahead(cls, today: date, days: int, zone: str) -> Window:
        """``days`` whole days from ``today`` on (at least one), as seen in ``zone``: what ``upcoming`` and
        ``agenda`` show."""
        if days > (_LATEST_DAY - today).days + 1:
            raise InvalidInput(
                f"--days {days} from {today:%Y-%m-%d} goes past {LAST_YEAR}, the last year sco-cal knows"
            )
        return cls.of_days(today, today + timedelta(days=max(days, 1) - 1), zone_for(zone))

    def overlaps(self, span: Span) -> bool:
        if span.start == span.end:  # a point in time: inside when start <= t < end
            return self.start <= span.start < self.end
        return span.start < self.end and self.start < span.end


@dataclass(frozen=True, slots=True)
class Span:
    """The instants an event may cover: ``[start, end)``, earliest possible start to latest possible end.

    ``fixed`` is true when the span is certain: both ends were given to the day or better, or the end repeats
    a month or year start, which says the event fills that whole period ("Russia's presidency in 2020").
    """

    start: datetime
    end: datetime
    fixed: bool

    @classmethod
    def of(
        cls,
        start: DateValue,
        end: DateValue | None,
        floating_zone: tzinfo,
        default_zone: str,
    ) -> Span:
        last = end or start
        return cls(
            start.earliest(floating_zone, default_zone),
            last.latest(floating_zone, default_zone),
            (start.is_fixed and last.is_fixed) or end == start,
        )
