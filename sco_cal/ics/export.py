"""Export: events to a feed real clients accept. Export is a pure function of the events and the settings: no
clock, no randomness, so the same registry gives the same bytes. Dates keep their precision in ``X-SCO-*``
properties, so an import of our own feed restores them exactly; clients that ignore those properties see an
honest all-day span marked "date TBC".

icalendar builds the feed's head and VTIMEZONEs here; ``sco_cal.ics.write`` writes the VEVENTs as text.
Exports ``Feed``, ``write_calendar`` (streamed), ``export_calendar`` (in memory), ``Written``, ``Exported``,
``to_vevent``, ``uid_of``, ``PRODID`` and ``REVISION_UNKNOWN``; ``export_resource``: one calendar object of a
CalDAV collection (one UID's VEVENTs, only their own zones, no feed-wide properties); ``reuse_for``: VEVENTs
kept between runs (``sco_cal.ics.reuse``).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, cast

from sco_cal.ics import publish
from sco_cal.ics.publish import Policy, When
from sco_cal.ics.reuse import Placed
from sco_cal.ics.vtimezones import Zones, rule_until
from sco_cal.ics.vtimezones import zone_of_years as _zone_of_years  # noqa: F401  # its tests find it here
from sco_cal.ics.write import Occurrences, VeventWriter, check, escape
from sco_cal.model import Event, Kind, LeadTime
from sco_cal.recurrence import added

if TYPE_CHECKING:
    from icalendar import Component
    from icalendar import Event as VEvent

    from sco_cal.ics.reuse import Reuse, TextStore

__all__ = [
    "PRODID",
    "REVISION_UNKNOWN",
    "Exported",
    "Feed",
    "Policy",
    "Written",
    "export_calendar",
    "export_resource",
    "reuse_for",
    "to_vevent",
    "uid_of",
    "write_calendar",
]

PRODID: Final = "-//sco-cal//sco-cal//EN"  # no version in it: an upgrade alone must not change a feed's bytes
REVISION_UNKNOWN: Final = datetime(1970, 1, 1, tzinfo=UTC)  # DTSTAMP of an event with no `updated`: fixed, no clock


@dataclass(frozen=True)
class Feed:
    """Everything about a feed that is not its events."""

    name: str
    uid_domain: str
    default_zone: str
    policy: Policy = Policy.SPAN
    refresh: timedelta | None = timedelta(hours=6)
    default_reminders: Callable[[Kind], tuple[LeadTime, ...]] = lambda _kind: ()
    calendar_uid: str | None = None
    southern: bool = False  # the registry reads its seasons in the southern hemisphere


def uid_of(event: Event, uid_domain: str) -> str:
    """The UID an event keeps for life: the one it came with, else its id at the registry's domain."""
    return event.uid or f"{event.id}@{uid_domain}"


def _writer(feed: Feed) -> VeventWriter:
    return VeventWriter(
        policy=feed.policy,
        default_zone=feed.default_zone,
        default_reminders=feed.default_reminders,
        unknown_stamp=REVISION_UNKNOWN,
    )


def to_vevent(event: Event, feed: Feed) -> VEvent | None:
    """One event as a VEVENT, read back from the text the feed holds for it, or ``None`` when the feed leaves
    it out (no date, or policy ``skip``)."""
    timing = publish.when(event, feed.policy, feed.default_zone)
    if timing is None:
        return None
    check(event, *timing, feed.default_zone)
    from icalendar import Event as VEvent

    vevent = VEvent.from_ical(_writer(feed).vevent(event, uid_of(event, feed.uid_domain), *timing))
    assert isinstance(vevent, VEvent)
    return vevent


@functools.cache
def _escaped() -> type[Any]:
    """A TEXT value already escaped by ``escape``: written as it is (made once icalendar is needed)."""
    from icalendar import vText

    class _Escaped(vText):
        def to_ical(self) -> bytes:
            return str(self).encode("utf-8")

    return _Escaped


def _xtext(component: Component, name: str, value: str) -> None:
    component.add(name, _escaped()(escape(value)))


@dataclass
class Written:
    """How many events a feed holds, and which it left out and why."""

    count: int = 0
    left_out: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Exported(Written):
    """A feed in memory: its bytes as well."""

    data: bytes = b""


_END: Final = b"END:VCALENDAR\r\n"
_BATCH: Final = 500  # VEVENTs handed to the output at once: few write calls, a few hundred KB held


def _head(feed: Feed, zones: Zones, reuse: Reuse | None = None) -> bytes:
    """The feed up to its first VEVENT: the calendar's properties (as an earlier run made them for the same
    settings, where kept) and a VTIMEZONE for every zone a time uses."""
    settings = [(name, getattr(feed, name)) for name in Feed.__dataclass_fields__ if name != "default_reminders"]
    make = functools.partial(_calendar_head, feed)
    head = make() if reuse is None else reuse.made(b"HEAD " + repr(settings).encode(), make)
    return head + zones.text(reuse)  # as icalendar writes subcomponents: one after another


def _calendar_head(feed: Feed) -> bytes:
    """The calendar's properties (its reminders, the one setting not here, shape VEVENTs only)."""
    from icalendar import Calendar, vDuration

    calendar = Calendar.new(prodid=PRODID, uid=feed.calendar_uid or feed.uid_domain, calscale="GREGORIAN")
    # NAME set by hand: Calendar.new(name=...) writes it without TEXT escaping, and a comma in a name is common
    _xtext(calendar, "NAME", feed.name)
    _xtext(calendar, "X-WR-CALNAME", feed.name)  # NAME's older spelling, which Google and Apple read
    if feed.refresh is not None:
        calendar.add("REFRESH-INTERVAL", vDuration(feed.refresh), parameters={"VALUE": "DURATION"})  # RFC 7986
        calendar.add("X-PUBLISHED-TTL", vDuration(feed.refresh))  # Outlook's spelling
    _xtext(calendar, "X-SCO-TIMEZONE", feed.default_zone)  # what a time written without a zone meant
    if feed.southern:  # what a season's name in X-SCO-START means; a northern feed keeps its bytes
        _xtext(calendar, "X-SCO-SEASONS", "southern")
    head = calendar.to_ical()
    assert head.endswith(_END)
    return bytes(head[: -len(_END)])


def _resource_head(feed: Feed, zones: Zones, _reuse: Reuse | None = None) -> bytes:
    """A calendar object's head: no name, refresh or calendar UID (those belong to a collection, which a server
    names), but the zone a time without one meant, which an import reads precision back with; VTIMEZONEs over
    the whole years of its own times."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("VERSION", "2.0")
    calendar.add("PRODID", PRODID)
    calendar.add("CALSCALE", "GREGORIAN")
    _xtext(calendar, "X-SCO-TIMEZONE", feed.default_zone)
    head = calendar.to_ical()
    return bytes(head[: -len(_END)]) + zones.of_whole_years()


def write_calendar(
    events: Iterable[Event | Placed],
    feed: Feed,
    write: Callable[[bytes], object],
    *,
    resource: bool = False,
    reuse: Reuse | None = None,
) -> Written:
    """Write the feed a piece at a time with ``write`` (a file's ``write``): VCALENDAR, a VTIMEZONE for every
    zone a time uses, one VEVENT per dated event.

    Deterministic: the same events and feed give the same bytes (DTSTAMP comes from each event's revision).
    Two passes: the first finds the zones, whose VTIMEZONEs come before the events, and refuses an event the
    feed cannot hold before a byte is written; the second writes the VEVENTs as text a few hundred at a time,
    so a large feed is never in memory whole. ``resource``: the head of one calendar object (see
    ``export_resource``) instead of a feed's. ``reuse``: VEVENTs made by earlier runs from the same inputs,
    taken instead of made again (the bytes are the same either way); a ``Placed`` event brings its own.

    Raises:
        InvalidInput: An event the feed cannot hold (see ``check``); nothing is written then.
    """
    result = Written()
    writer = _writer(feed)
    reuse = reuse if reuse is not None and reuse.suits(writer, feed.uid_domain) else None
    zones = Zones(rule_until if reuse is None else functools.partial(reuse.made_from, b"UNTIL ", rule_until))
    # each VEVENT's text in the feed's order: a kept one's at once, an event's (None here) once the feed's
    # series are known
    texts: list[bytes | None] = []
    made: list[tuple[int, Event, date | datetime, date | datetime | None]] = []
    for event in events:  # a loop over every event of the feed: kept tight
        if isinstance(event, Placed):
            if reuse is None:  # made for other settings: its VEVENT is not this feed's
                raise ValueError(f"{event.id}: placed for a feed of other settings")
            timing = event.when
        else:
            timing = _timing(event, feed)
        if timing is None:
            result.left_out.append((event.id, _left_out(event)))
            continue
        if type(timing[0]) is not date:  # a time: its zone may need a VTIMEZONE
            zones.note(*timing, event.recurrence)
        if isinstance(event, Placed):
            texts.append(event.text)
        else:
            made.append((len(texts), event, *timing))
            texts.append(None)
    result.count = len(texts)
    write((_resource_head if resource else _head)(feed, zones, reuse))
    vevent = writer.vevent if reuse is None else reuse.vevent
    series = _Series(feed, [(event, start, end) for _, event, start, end in made])
    pending = 0  # the first of ``made`` still to make: each batch's are made as it is written
    for first in range(0, len(texts), _BATCH):
        batch = texts[first : first + _BATCH]
        while pending < len(made) and made[pending][0] < first + _BATCH:
            k, event, start, end = made[pending]
            batch[k - first] = vevent(event, series.uid(event), start, end, series.links(event))
            pending += 1
        write(b"".join(cast("list[bytes]", batch)))
    write(_END)
    return result


def _timing(event: Event, feed: Feed) -> When | None:
    """Where the feed places the event (``None``: it leaves it out), once it is known the feed can hold it."""
    timing = publish.when(event, feed.policy, feed.default_zone)
    if timing is not None:
        check(event, *timing, feed.default_zone)
    return timing


def _left_out(event: Event | Placed) -> str:
    if isinstance(event, Placed):
        return event.left_out
    return "no date" if event.start is None else "date not fixed"


class _Series:
    """Repeating events and their moved occurrences in one feed: a moved occurrence is written with its series'
    UID and a RECURRENCE-ID, and its old date is then not an EXDATE too (a client would drop the move). One
    whose series the feed leaves out stands alone, under its own UID."""

    def __init__(self, feed: Feed, placed: list[tuple[Event, date | datetime, date | datetime | None]]) -> None:
        self.feed = feed
        self.repeating = {event.id: (event, start) for event, start, _end in placed if event.recurrence}
        self.moved: dict[str, set[date | datetime]] = {}
        for event, _start, _end in placed:
            recurrence_id = self._recurrence_id(event)
            if recurrence_id is not None and event.occurrence_of is not None:
                self.moved.setdefault(event.occurrence_of, set()).add(recurrence_id)

    def _recurrence_id(self, event: Event) -> date | datetime | None:
        if event.occurrence_of not in self.repeating or event.replaces is None:
            return None
        master, start = self.repeating[event.occurrence_of]
        return publish.occurrence_moments(master, (event.replaces,), start, self.feed.default_zone)[0]

    def uid(self, event: Event) -> str:
        if event.occurrence_of in self.repeating and event.replaces is not None:
            return uid_of(self.repeating[event.occurrence_of][0], self.feed.uid_domain)
        return uid_of(event, self.feed.uid_domain)

    def links(self, event: Event) -> Occurrences:
        if event.occurrence_of is not None:
            return Occurrences(recurrence_id=self._recurrence_id(event))
        if event.id not in self.repeating or not (event.excluded or event.also):
            return Occurrences()
        start, zone = self.repeating[event.id][1], self.feed.default_zone
        moved = self.moved.get(event.id, set())
        exdates = [m for m in publish.occurrence_moments(event, event.excluded, start, zone) if m not in moved]
        rdates = publish.occurrence_moments(event, added(event), start, zone)
        return Occurrences(exdates=tuple(exdates), rdates=tuple(rdates))


def reuse_for(store: TextStore, feed: Feed) -> Reuse:
    """VEVENTs of feeds made as ``feed`` makes them, kept in ``store`` between runs (see ``write_calendar``)."""
    from sco_cal.ics.reuse import Reuse

    return Reuse(store, _writer(feed), feed.uid_domain)


def export_calendar(events: Iterable[Event], feed: Feed) -> Exported:
    """The feed in memory (see ``write_calendar``, which the CLI uses to stream it)."""
    buffer = io.BytesIO()
    written = write_calendar(events, feed, buffer.write)
    return Exported(count=written.count, left_out=written.left_out, data=buffer.getvalue())


def export_resource(events: Iterable[Event], feed: Feed) -> Exported:
    """One calendar object of a CalDAV collection: the VEVENTs of ``events`` (a series and its moved
    occurrences, or one event) byte for byte as the feed writes them, and the VTIMEZONEs of their own times
    only, so that changing one object never changes another's."""
    buffer = io.BytesIO()
    written = write_calendar(events, feed, buffer.write, resource=True)
    return Exported(count=written.count, left_out=written.left_out, data=buffer.getvalue())
