"""Rows of a timeline: each occurrence as solid stretches (days it certainly covers), shaded stretches (days it
may fall in) and markers (a single fixed day or moment), grouped into rows by event, series, organisation or
kind.

The stretches come from the values' own possible spans (``DateValue.earliest`` and ``latest``), from
``Precision.is_fixed`` and from the "whole period" reading of an end that repeats its start, never from which
precision a value has: a precision added to the date model is drawn as honestly as the ones here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from sco_cal.dates import DateValue, Span, Window, display_span, zone_for
from sco_cal.model import Event, Status
from sco_cal.query import Occurrence

__all__ = ["Entry", "GroupBy", "Mark", "Piece", "Row", "Timeline", "build", "pieces_of"]

_ONE_DAY = timedelta(days=1)


class Mark(StrEnum):
    """How a stretch is drawn: certain, only possible, or a single day (too short to be a bar)."""

    SOLID = "solid"
    SHADE = "shade"
    DAY = "day"


class GroupBy(StrEnum):
    """What one row stands for."""

    EVENT = "event"
    SERIES = "series"
    ORG = "org"
    KIND = "kind"


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch ``[start, end)`` of one occurrence; a ``DAY`` piece may be a point (``start == end``)."""

    start: datetime
    end: datetime
    mark: Mark


def pieces_of(start: DateValue, end: DateValue | None, floating: tzinfo, default_zone: str) -> tuple[Piece, ...]:
    """What an occurrence certainly covers and what it only may, in time order.

    Certain are the days from the latest the event can start to the earliest it can end (for a fixed value, its
    own day or moment); the rest of its possible span is shaded. An end that repeats its start says the event
    fills the whole period, which is certain.

    >>> from datetime import UTC
    >>> [p.mark.value for p in pieces_of(DateValue.from_text("2020-06"), None, UTC, "UTC")]
    ['shade']
    >>> [p.mark.value for p in pieces_of(DateValue.from_text("2020"), DateValue.from_text("2020"), UTC, "UTC")]
    ['solid']
    """
    span = Span.of(start, end, floating, default_zone)
    if span.fixed:
        mark = Mark.DAY if span.end - span.start <= _ONE_DAY else Mark.SOLID
        return (Piece(span.start, span.end, mark),)
    last = end or start
    sure_from = start.earliest(floating, default_zone) if start.is_fixed else start.latest(floating, default_zone)
    sure_to = last.latest(floating, default_zone) if last.is_fixed else last.earliest(floating, default_zone)
    if sure_to <= sure_from:
        return (Piece(span.start, span.end, Mark.SHADE),)
    pieces = (
        Piece(span.start, sure_from, Mark.SHADE),
        Piece(sure_from, sure_to, Mark.SOLID),
        Piece(sure_to, span.end, Mark.SHADE),
    )
    return tuple(piece for piece in pieces if piece.end > piece.start)


@dataclass(frozen=True, slots=True)
class Entry:
    """One occurrence in a row: the event, its dates as the source gives them, and how it is drawn."""

    event: Event
    when: str
    pieces: tuple[Piece, ...]


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the timeline: its label, the status its entries share (``None`` when they differ)."""

    label: str
    status: Status | None
    entries: tuple[Entry, ...]

    @property
    def pieces(self) -> list[Piece]:
        return [piece for entry in self.entries for piece in entry.pieces]


@dataclass(frozen=True, slots=True)
class Timeline:
    """The rows against the stretch ``[start, end)``; ``today`` is drawn as a line when it falls inside."""

    start: datetime
    end: datetime
    rows: tuple[Row, ...]
    today: datetime | None
    zone: str

    def fraction(self, moment: datetime) -> float:
        """Where ``moment`` lies across the timeline: 0 at its start, 1 at its end (outside: below 0, above 1)."""
        return (moment - self.start) / (self.end - self.start)

    def at(self, day: date) -> float:
        """Where the midnight that starts ``day`` (in the timeline's zone) lies across the timeline."""
        return self.fraction(_midnight(datetime(day.year, day.month, day.day), zone_for(self.zone)))

    @property
    def first_day(self) -> date:
        return self.start.astimezone(zone_for(self.zone)).date()

    @property
    def last_day(self) -> date:
        return (self.end.astimezone(zone_for(self.zone)) - _ONE_DAY).date()

    @property
    def statuses(self) -> list[Status]:
        present = {entry.event.status for row in self.rows for entry in row.entries}
        return [status for status in Status if status in present]


def build(
    occurrences: Iterable[Occurrence],
    window: Window,
    *,
    by: GroupBy,
    now: datetime | None,
    zone: str,
    default_zone: str,
) -> Timeline:
    """The timeline of ``occurrences`` (dated ones; in date order, as ``select`` gives them) over ``window``,
    one row per event or per group; an open end of the window is closed at the events' own extent."""
    floating = zone_for(zone)
    entries = [_entry(o, floating, default_zone, zone) for o in occurrences if o.start is not None]
    rows: dict[str, list[Entry]] = {}
    labels: dict[str, str] = {}
    for entry in entries:
        for key, label in _groups(entry.event, by):
            rows.setdefault(key, []).append(entry)
            labels[key] = label
    start, end = _drawn(window, entries, floating)
    today = now if now is not None and start <= now < end else None
    return Timeline(start, end, tuple(_row(labels[key], members) for key, members in rows.items()), today, zone)


def _entry(occurrence: Occurrence, floating: tzinfo, default_zone: str, zone: str) -> Entry:
    assert occurrence.start is not None
    when = display_span(occurrence.start, occurrence.end, default_zone, zone)
    return Entry(occurrence.event, when, pieces_of(occurrence.start, occurrence.end, floating, default_zone))


def _groups(event: Event, by: GroupBy) -> list[tuple[str, str]]:
    """The rows an event is drawn in: (key, label); an event of three organisations is in all three rows."""
    if by is GroupBy.EVENT:
        return [(event.id, event.title)]
    if by is GroupBy.SERIES:
        return [(event.series or "", event.series or "(no series)")]
    if by is GroupBy.KIND:
        return [(str(event.kind), str(event.kind))]
    return [(org.lower(), org) for org in event.orgs] or [("", "(no organisation)")]


def _row(label: str, entries: list[Entry]) -> Row:
    statuses = {entry.event.status for entry in entries}
    return Row(label, statuses.pop() if len(statuses) == 1 else None, tuple(entries))


def _drawn(window: Window, entries: list[Entry], floating: tzinfo) -> tuple[datetime, datetime]:
    """The stretch to draw: the window, with an open end closed at the first or last day an entry may cover."""
    pieces = [piece for entry in entries for piece in entry.pieces]
    start, end = window.start, window.end
    if window.open_start and pieces:
        start = max(start, _midnight(min(p.start for p in pieces), floating))
    if window.open_end and pieces:
        end = min(end, _midnight(max(p.end for p in pieces) + _ONE_DAY - timedelta(microseconds=1), floating))
    return start, max(end, start + _ONE_DAY)


def _midnight(moment: datetime, floating: tzinfo) -> datetime:
    """The midnight that starts ``moment``'s day in ``floating`` (a naive moment is read as wall time there)."""
    day = moment.astimezone(floating).date() if moment.tzinfo else moment.date()
    return datetime(day.year, day.month, day.day, tzinfo=floating)
