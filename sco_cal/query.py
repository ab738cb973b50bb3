"""Which events may fall in a window, in what order, and which need a person's attention.

An event is in a window when its *possible* span intersects it: "June 2020" is in a query for 10-20 June 2020,
because it might fall there. ``exact`` keeps only events whose whole span is certain.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import lru_cache, partial
from typing import Any, Final, NamedTuple, TypeVar

from sco_cal.dates import DateValue, Span, Window, zone_for
from sco_cal.model import Event, Kind, Status

__all__ = [
    "Filters",
    "Kept",
    "Occurrence",
    "SortBy",
    "date_key",
    "instant",
    "kept_maker",
    "select",
    "select_by_date",
    "select_kept_by_date",
    "stale",
    "twin_of",
]


_T = TypeVar("_T", bound=tuple[Any, ...])


class SortBy(StrEnum):
    DATE = "date"
    TITLE = "title"
    ID = "id"
    STATUS = "status"
    KIND = "kind"


# NamedTuples, not dataclasses: every run that reads events makes these classes, and a NamedTuple is made faster
class Occurrence(NamedTuple):
    """An event on one of its dates: the event itself, or one repetition of a repeating event."""

    event: Event
    start: DateValue | None
    end: DateValue | None
    span: Span | None

    @property
    def fixed(self) -> bool:
        return self.span is not None and self.span.fixed

    @property
    def repeats(self) -> bool:
        return self.event.recurrence is not None


class Filters(NamedTuple):
    """What ``list``, ``upcoming``, ``export`` and friends share. Empty tuples mean "any"."""

    window: Window | None = None
    orgs: tuple[str, ...] = ()
    kinds: tuple[Kind, ...] = ()
    statuses: tuple[Status, ...] = ()
    tags: tuple[str, ...] = ()
    series: tuple[str, ...] = ()
    text: str | None = None
    exact: bool = False

    def keeps(self, event: Event) -> bool:
        """The filters that do not depend on dates."""
        return (
            (not self.kinds or event.kind in self.kinds)
            and (not self.statuses or event.status in self.statuses)
            and _any_of(self.orgs, event.orgs)
            and _any_of(self.tags, event.tags)
            and (not self.series or (event.series or "").lower() in {s.lower() for s in self.series})
            and (self.text is None or self.text.lower() in _haystack(event))
        )


def _any_of(wanted: tuple[str, ...], present: tuple[str, ...]) -> bool:
    if not wanted:
        return True
    have = {item.lower() for item in present}
    return any(item.lower() in have for item in wanted)


def _haystack(event: Event) -> str:
    parts = [event.id, event.title, event.notes or "", event.series or "", *event.orgs, *event.tags]
    if event.venue:
        parts += [event.venue.name or "", event.venue.country or ""]
    parts += [p.name for p in event.participants]
    parts += [s.title or "" for s in event.sources] + [s.excerpt or "" for s in event.sources]
    return "\n".join(parts).lower()


_Spans = Callable[[DateValue, "DateValue | None"], Span]
_DISTINCT_DATES = 4096  # the dates of the events recently seen: a listing by date brings those sharing them together


def _span_maker(floating: str, default_zone: str) -> _Spans:
    """``Event.span`` for a start and end, worked out once for each distinct pair: many events share dates."""
    zone = zone_for(floating)
    return lru_cache(maxsize=_DISTINCT_DATES)(partial(Span.of, floating_zone=zone, default_zone=default_zone))


def _occurrences(
    event: Event, window: Window | None, floating: str, default_zone: str, spans: _Spans
) -> Iterator[Occurrence]:
    """The event on each of its dates in ``window``. Only a window closed at both ends lists every repetition:
    with an open end (or no window) a repeating event is listed once, at its first occurrence in the window,
    which for ``--from today`` is its next one."""
    if event.start is None:
        yield Occurrence(event, None, event.end, None)
        return
    if event.recurrence is None or window is None:
        yield Occurrence(event, event.start, event.end, spans(event.start, event.end))
        return
    from sco_cal.recurrence import occurrences  # dateutil's rrule only for registries that repeat

    zone = zone_for(floating)
    # no occurrence starts before the series does, so an open start never walks back to the year 1
    first = max(window.start.astimezone(zone).date(), event.start.first_day() + timedelta(days=1)) - timedelta(days=1)
    last = window.end.astimezone(zone).date() + timedelta(days=1)
    for start, end in occurrences(event, first, last):
        occurrence = Occurrence(event, start, end, Span.of(start, end, zone, default_zone))
        if window.is_open and occurrence.span is not None and not window.overlaps(occurrence.span):
            continue  # in the day's margin around the window, not in it: the first one in it is wanted
        yield occurrence
        if window.is_open:
            return


def select(
    events: Iterable[Event],
    filters: Filters,
    *,
    floating_zone: str,
    default_zone: str,
    sort: SortBy = SortBy.DATE,
) -> list[Occurrence]:
    """The occurrences the filters keep, sorted; undated events only appear when there is no window."""
    spans = _span_maker(floating_zone, default_zone)
    found = [o for event in events for o in _kept(event, filters, floating_zone, default_zone, spans)]
    found.sort(key=date_key)
    if sort is not SortBy.DATE:
        found.sort(key=lambda o: _field_key(o, sort))  # stable: ties stay in date order
    return found


def select_by_date(
    events: Iterable[tuple[int | None, Event]], filters: Filters, *, floating_zone: str, default_zone: str
) -> Iterator[Occurrence]:
    """What ``select`` gives in date order, each occurrence yielded as soon as no event still to come can go
    before it: the first arrives long before the last event is read, and only the undecided ones are held.

    ``events`` pairs each event with a moment (``instant``: seconds from 1970, UTC) that neither it nor any
    event after it may start before; ``None`` promises nothing (the events that repeat or have no date, which
    come first).
    """
    held: list[_Keyed] = []  # the occurrences of events that came with no bound: most wait until the end
    waiting: list[_Keyed] = []  # the others, few at a time: those no later than the latest bound and a little
    tiebreak = itertools.count()  # keys differ (the id is in them); the count only spares comparing occurrences
    dated = _dates_maker(floating_zone, default_zone)
    spans = _span_maker(floating_zone, default_zone)
    keeps = filters.keeps if filters != _NO_FILTERS else None
    push = heapq.heappush
    for not_before, event in events:
        if not_before is None:
            heap = held
        else:
            heap = waiting
            if (waiting and waiting[0][0] < not_before) or (held and held[0][0] < not_before):
                yield from _due(held, waiting, not_before)
        if keeps is not None and not keeps(event):
            continue
        if filters.window is not None:  # every occurrence in the window, each with a key of its own
            for occurrence in _kept(event, filters, floating_zone, default_zone, spans):
                push(heap, (*date_key(occurrence), next(tiebreak), occurrence))
            continue
        # no window: the event once, on its own dates, which many events share
        start, end = event.start, event.end
        if start is None:
            if filters.exact:  # no date is no certain date
                continue
            push(heap, (_UNDATED, 1, event.title.lower(), event.id, next(tiebreak), Occurrence(event, None, end, None)))
            continue
        span, first, rank = dated(start, end)
        if filters.exact and not span.fixed:
            continue
        push(heap, (first, rank, event.title.lower(), event.id, next(tiebreak), Occurrence(event, start, end, span)))
    yield from _due(held, waiting, None)


# An event as a listing by date of every event keeps it: its order key (``date_key``), whether its span is
# certain, and its text.
Kept = tuple[int, int, str, str, bool, str]


def kept_maker(write: Callable[[Occurrence], str], *, floating_zone: str, default_zone: str) -> Callable[[Event], Kept]:
    """The maker of each event's ``Kept`` for a listing with no window, whose text ``write`` makes of the event
    on its own dates."""
    dated = _dates_maker(floating_zone, default_zone)

    def kept(event: Event) -> Kept:
        start, end, title, event_id = event.start, event.end, event.title.lower(), event.id
        if start is None:
            return (_UNDATED, 1, title, event_id, False, write(Occurrence(event, None, end, None)))
        span, first, rank = dated(start, end)
        return (first, rank, title, event_id, span.fixed, write(Occurrence(event, start, end, span)))

    return kept


def select_kept_by_date(events: Iterable[tuple[int | None, Kept]], *, exact: bool) -> Iterator[str]:
    """The texts of what ``select_by_date`` gives with no filter but ``exact``, of events kept as ``kept_maker``
    makes them, paired with their bounds as there."""
    held: list[tuple[int, int, str, str, int, str]] = []
    waiting: list[tuple[int, int, str, str, int, str]] = []
    tiebreak = itertools.count()
    push = heapq.heappush
    for not_before, (first, rank, title, event_id, fixed, text) in events:
        if not_before is None:
            heap = held
        else:
            heap = waiting
            if (waiting and waiting[0][0] < not_before) or (held and held[0][0] < not_before):
                yield from _due(held, waiting, not_before)
        if fixed or not exact:
            push(heap, (first, rank, title, event_id, next(tiebreak), text))
    yield from _due(held, waiting, None)


_Keyed = tuple[int, int, str, str, int, Occurrence]
_NO_FILTERS: Final = Filters()
_Dated = Callable[[DateValue, "DateValue | None"], tuple[Span, int, int]]


def _dates_maker(floating_zone: str, default_zone: str) -> _Dated:
    """The span of each distinct start and end, with the first two parts of the order key, worked out once:
    the values a big registry's index gives are mostly shared objects, looked up by identity. Equal values that
    are distinct objects are rare there, and hashing every new pair by value would cost more than it saves."""
    span_of = partial(Span.of, floating_zone=zone_for(floating_zone), default_zone=default_zone)
    # the values themselves are kept with their result: an id is only unique while its object lives
    seen: dict[tuple[int, int], tuple[tuple[Span, int, int], DateValue, DateValue | None]] = {}

    def dated(start: DateValue, end: DateValue | None) -> tuple[Span, int, int]:
        found = seen.get((id(start), id(end)))
        if found is None:
            if len(seen) >= _DISTINCT_DATES:
                seen.clear()
            span = span_of(start, end)
            found = seen[id(start), id(end)] = ((span, instant(span.start), -start.precision.rank), start, end)
        return found[0]

    return dated


def _due(held: list[_T], waiting: list[_T], not_before: int | None) -> Iterator[Any]:
    """The occurrences of both heaps that start before ``not_before`` (all of them for ``None``), in order."""
    while held or waiting:
        first = held if held and (not waiting or held[0] < waiting[0]) else waiting
        if not_before is not None and not first[0][0] < not_before:
            return
        yield heapq.heappop(first)[5]


def _kept(event: Event, filters: Filters, floating_zone: str, default_zone: str, spans: _Spans) -> Iterator[Occurrence]:
    if not filters.keeps(event):
        return
    for occurrence in _occurrences(event, filters.window, floating_zone, default_zone, spans):
        span = occurrence.span
        if filters.window is not None and (span is None or not filters.window.overlaps(span)):
            continue
        if filters.exact and not occurrence.fixed:
            continue
        yield occurrence


_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND: Final = timedelta(seconds=1)


def instant(moment: datetime) -> int:
    """``moment`` (aware) in whole seconds from 1970, UTC: an order key that compares as numbers do."""
    return (moment - _EPOCH) // _SECOND


_UNDATED: Final = instant(datetime.max.replace(tzinfo=UTC) - timedelta(days=2))  # after every dated event


def date_key(occurrence: Occurrence) -> tuple[int, int, str, str]:
    """Earliest possible start (the instant, wherever each start's zone is), then exact before vague, then
    title: the order the design note asks for."""
    span = occurrence.span
    start = instant(span.start) if span else _UNDATED
    rank = occurrence.start.precision.rank if occurrence.start else -1
    return (start, -rank, occurrence.event.title.lower(), occurrence.event.id)


def _field_key(occurrence: Occurrence, sort: SortBy) -> str:
    event = occurrence.event
    return {
        SortBy.TITLE: event.title.lower(),
        SortBy.ID: event.id,
        SortBy.STATUS: str(event.status),
        SortBy.KIND: str(event.kind),
    }[sort]


def stale(events: Iterable[Event], *, now: datetime, floating_zone: str, default_zone: str) -> list[Event]:
    """Planned or scheduled events whose whole possible span is past and that nobody marked held,
    postponed or cancelled."""
    result = []
    for event in events:
        if event.status not in (Status.PLANNED, Status.SCHEDULED) or event.recurrence:
            continue
        span = event.span(floating_zone, default_zone)
        if span is not None and max(span.end, span.start) <= now:
            result.append(event)
    return result


def twin_of(event: Event, others: Iterable[Event]) -> tuple[Event, str] | None:
    """Another event that ``event`` seems to repeat, and what they share: the same series and number, or the same
    title on the same date (titles compared without case or extra spaces)."""
    title = _comparable(event.title)
    for other in others:
        if other.id == event.id:
            continue
        if _same_place_in_series(event, other):
            return other, f"series and number ({event.series} {event.number})"
        if other.start == event.start and _comparable(other.title) == title:
            return other, "title and date" if event.start else "title, and no date"
    return None


def _same_place_in_series(event: Event, other: Event) -> bool:
    if event.number is None or not event.series or other.number != event.number:
        return False
    return _comparable(other.series or "") == _comparable(event.series)


def _comparable(text: str) -> str:
    return " ".join(text.casefold().split())
