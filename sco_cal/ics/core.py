"""iCalendar (RFC 5545) out and in: events to a feed real clients accept, and calendars from other apps to the
fields of our events. The only module that imports icalendar: on the way out it builds the feed's head and
VTIMEZONEs, and tells ``sco_cal.ics.write``, which writes the VEVENTs as text, how icalendar writes a zone and
an RRULE.

Export is a pure function of the events and the settings: no clock, no randomness, so the same registry gives
the same bytes. Dates keep their precision in ``X-SCO-*`` properties, so an import of our own feed restores
them exactly; clients that ignore those properties see an honest all-day span marked "date TBC".
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Final

from icalendar import BrokenCalendarProperty, Calendar, Component, Timezone, vDatetime, vDuration, vRecur, vText
from icalendar import Event as VEvent

from sco_cal.dates import DateValue, Precision, zone_for
from sco_cal.errors import AmbiguousDate, InvalidCalendar, InvalidInput, ScoCalError
from sco_cal.ics import publish as ics_map
from sco_cal.ics import write as ics_write
from sco_cal.ics.publish import STATUS_IN, Policy
from sco_cal.ics.scan import KEPT, UNCOUNTED, EventIndex, Notes, NotKept, Part, scan, unescape_text
from sco_cal.model import MAX_VALUE_CHARS as MAX_TEXT
from sco_cal.model import Event, Kind, LeadTime, Source, Status, Venue

__all__ = [
    "PRODID",
    "REVISION_UNKNOWN",
    "Feed",
    "Imported",
    "Parsed",
    "Policy",
    "export_calendar",
    "parse_calendar",
    "uid_of",
]

PRODID: Final = "-//sco-cal//sco-cal//EN"  # no version in it: an upgrade alone must not change a feed's bytes
REVISION_UNKNOWN: Final = datetime(1970, 1, 1, tzinfo=UTC)  # DTSTAMP of an event with no `updated`: fixed, no clock
# No weeks: "7d" and "1w" are the same TRIGGER, and days are what people set most.
_LEAD_UNITS: Final = (("d", timedelta(days=1)), ("h", timedelta(hours=1)))
_LONGEST_LEAD: Final = timedelta(days=9999)  # what a reminder can say (LeadTime takes four digits)
MAX_SEQUENCE: Final = 2**31 - 1  # RFC 5545's INTEGER; the registry reader takes the same


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


def uid_of(event: Event, uid_domain: str) -> str:
    """The UID an event keeps for life: the one it came with, else its id at the registry's domain."""
    return event.uid or f"{event.id}@{uid_domain}"


# --- export ----------------------------------------------------------------------------------------------------


def _rrule(rule: str, start: date | datetime) -> vRecur:
    """The stored rule as RFC 5545 wants it beside this DTSTART: UNTIL a DATE for all-day events, UTC otherwise."""
    recur: vRecur = vRecur.from_ical(rule)
    if "UNTIL" in recur:
        until = recur["UNTIL"][0]
        if not isinstance(start, datetime):
            recur["UNTIL"] = [until.date() if isinstance(until, datetime) else until]
        else:
            if not isinstance(until, datetime):  # a day beside a time: the whole day, as ``list`` reads it
                until = datetime.combine(until, datetime.max.time().replace(microsecond=0))
            if until.tzinfo is None:
                until = until.replace(tzinfo=start.tzinfo)
            recur["UNTIL"] = [until.astimezone(UTC)]
    return recur


@functools.lru_cache(maxsize=1024)
def _rrule_text(rule: str, timed: bool, zone: tzinfo | None) -> str:
    start = datetime(2000, 1, 1, tzinfo=zone) if timed else date(2000, 1, 1)  # only its kind and zone count
    recur: Any = _rrule(rule, start)  # vRecur.to_ical has no annotations
    return str(recur.to_ical().decode())


def _rrule_line(rule: str, start: date | datetime) -> str:
    """The RRULE value, as icalendar writes it: it normalises the stored text (order, case), and one rule
    serves thousands of events, so each (rule, kind of start, zone) is parsed once."""
    if isinstance(start, datetime):
        return _rrule_text(rule, True, start.tzinfo)
    return _rrule_text(rule, False, None)


@functools.cache
def _zone_param(zone: tzinfo) -> str | None:
    """The parameter icalendar marks a time in ``zone`` with (``TZID=Europe/Berlin``), or ``None`` when it writes
    the time with ``Z``: it does so for every zone it finds equal to UTC (Etc/UTC, but also Africa/Abidjan)."""
    if isinstance(zone, timezone) and zone.utcoffset(None):  # a repeating time's fixed offset (ics_map.instant)
        return f"TZID={_fixed_tzid(zone)}"
    value = vDatetime(datetime(2000, 1, 1, tzinfo=zone))
    return None if value.is_utc() else str(value.params.to_ical().decode())


def _writer(feed: Feed) -> ics_write.VeventWriter:
    return ics_write.VeventWriter(
        policy=feed.policy,
        default_zone=feed.default_zone,
        default_reminders=feed.default_reminders,
        unknown_stamp=REVISION_UNKNOWN,
        zone_param=_zone_param,
        rrule=_rrule_line,
    )


def to_vevent(event: Event, feed: Feed) -> VEvent | None:
    """One event as a VEVENT, read back from the text the feed holds for it, or ``None`` when the feed leaves
    it out (no date, or policy ``skip``)."""
    timing = ics_map.when(event, feed.policy, feed.default_zone)
    if timing is None:
        return None
    ics_write.check(event, *timing, feed.default_zone)
    vevent = VEvent.from_ical(_writer(feed).vevent(event, uid_of(event, feed.uid_domain), *timing))
    assert isinstance(vevent, VEvent)
    return vevent


class _Escaped(vText):
    """A TEXT value already escaped by ``ics_write.escape``: written as it is."""

    def to_ical(self) -> bytes:
        return str(self).encode("utf-8")


def _xtext(component: Component, name: str, value: str) -> None:
    component.add(name, _Escaped(ics_write.escape(value)))


@dataclass
class Written:
    """How many events a feed holds, and which it left out and why."""

    count: int = 0
    left_out: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Exported(Written):
    """A feed in memory: its bytes as well."""

    data: bytes = b""


class _Zones:
    """The IANA zones the feed's times use, and the days their VTIMEZONEs must cover: every zoned start and end,
    and for a repeating time its UNTIL, or the end of 2100 when it repeats without end (the furthest the
    documentation promises)."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.offsets: set[timezone] = set()  # fixed offsets of repeating times (``ics_map.instant``)
        self.first: date | None = None
        self.last: date | None = None

    def _cover(self, day: date) -> None:
        self.first = day if self.first is None else min(self.first, day)
        self.last = day if self.last is None else max(self.last, day)

    def note(self, start: date | datetime, end: date | datetime | None, rule: str | None) -> None:
        if not isinstance(start, datetime) or start.tzinfo is UTC:
            return
        for moment in (start, end):
            if isinstance(moment, datetime) and isinstance(moment.tzinfo, timezone) and moment.tzinfo is not UTC:
                self.offsets.add(moment.tzinfo)
        if isinstance(start.tzinfo, timezone):
            return
        self.names.add(str(getattr(start.tzinfo, "key", "")))
        self._cover(start.date())
        if isinstance(end, datetime):
            self._cover(end.date())
        if rule is not None:
            until = vRecur.from_ical(rule).get("UNTIL")
            self._cover(
                until[0] if until and not isinstance(until[0], datetime) else max(date(2100, 12, 31), start.date())
            )
            if until and isinstance(until[0], datetime):
                self._cover(until[0].date())

    def components(self) -> list[Timezone]:
        fixed = [_fixed_timezone(offset) for offset in sorted(self.offsets, key=lambda z: z.utcoffset(None))]
        if self.first is None or self.last is None or not self.names:
            return fixed
        first, last = self.first - timedelta(days=1), self.last + timedelta(days=2)
        return [Timezone.from_tzid(name, first_date=first, last_date=last) for name in sorted(self.names)] + fixed


def _utc_offset(offset: timezone) -> str:
    minutes = int((offset.utcoffset(None) or timedelta()).total_seconds()) // 60
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _fixed_tzid(offset: timezone) -> str:
    """``UTC+1100``: no colon, so the TZID parameter needs no quotes, which some clients do not read."""
    return f"UTC{_utc_offset(offset)}"


def _fixed_timezone(offset: timezone) -> Timezone:
    """The VTIMEZONE of a fixed offset, for the times of repeating events that keep one (``ics_map.instant``)."""
    tzid, utc_offset = _fixed_tzid(offset), _utc_offset(offset)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}", "BEGIN:STANDARD", "DTSTART:16010101T000000", f"TZNAME:{tzid}"]
    lines += [f"TZOFFSETFROM:{utc_offset}", f"TZOFFSETTO:{utc_offset}", "END:STANDARD", "END:VTIMEZONE"]
    component = Timezone.from_ical("\r\n".join(lines) + "\r\n")
    assert isinstance(component, Timezone)
    return component


_END: Final = b"END:VCALENDAR\r\n"
_BATCH: Final = 500  # VEVENTs handed to the output at once: few write calls, a few hundred KB held


def _head(feed: Feed, zones: _Zones) -> bytes:
    """The feed up to its first VEVENT: the calendar's properties and a VTIMEZONE for every zone a time uses."""
    calendar = Calendar.new(prodid=PRODID, uid=feed.calendar_uid or feed.uid_domain, calscale="GREGORIAN")
    # NAME set by hand: Calendar.new(name=...) writes it without TEXT escaping, and a comma in a name is common
    _xtext(calendar, "NAME", feed.name)
    _xtext(calendar, "X-WR-CALNAME", feed.name)  # NAME's older spelling, which Google and Apple read
    if feed.refresh is not None:
        calendar.add("REFRESH-INTERVAL", vDuration(feed.refresh), parameters={"VALUE": "DURATION"})  # RFC 7986
        calendar.add("X-PUBLISHED-TTL", vDuration(feed.refresh))  # Outlook's spelling
    _xtext(calendar, "X-SCO-TIMEZONE", feed.default_zone)  # what a time written without a zone meant
    for component in zones.components():  # sorted by TZID: the same order on every run
        calendar.add_component(component)
    head = calendar.to_ical()
    assert head.endswith(_END)
    return bytes(head[: -len(_END)])


def write_calendar(events: Iterable[Event], feed: Feed, write: Callable[[bytes], object]) -> Written:
    """Write the feed a piece at a time with ``write`` (a file's ``write``): VCALENDAR, a VTIMEZONE for every
    zone a time uses, one VEVENT per dated event.

    Deterministic: the same events and feed give the same bytes (DTSTAMP comes from each event's revision).
    Two passes: the first finds the zones, whose VTIMEZONEs come before the events, and refuses an event the
    feed cannot hold before a byte is written; the second writes the VEVENTs as text a few hundred at a time,
    so a feed of 100,000 events is never in memory whole.

    Raises:
        InvalidInput: An event the feed cannot hold (see ``ics_write.check``); nothing is written then.
    """
    result = Written()
    zones = _Zones()
    placed: list[tuple[Event, date | datetime, date | datetime | None]] = []
    for event in events:
        timing = ics_map.when(event, feed.policy, feed.default_zone)
        if timing is None:
            result.left_out.append((event.id, "no date" if event.start is None else "date not fixed"))
            continue
        ics_write.check(event, *timing, feed.default_zone)
        zones.note(*timing, event.recurrence)
        placed.append((event, *timing))
    result.count = len(placed)
    write(_head(feed, zones))
    vevent = _writer(feed).vevent
    series = _Series(feed, placed)
    for first in range(0, len(placed), _BATCH):
        batch = placed[first : first + _BATCH]
        write(
            b"".join([vevent(event, series.uid(event), start, end, series.links(event)) for event, start, end in batch])
        )
    write(_END)
    return result


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
        return ics_map.occurrence_moments(master, (event.replaces,), start, self.feed.default_zone)[0]

    def uid(self, event: Event) -> str:
        if event.occurrence_of in self.repeating and event.replaces is not None:
            return uid_of(self.repeating[event.occurrence_of][0], self.feed.uid_domain)
        return uid_of(event, self.feed.uid_domain)

    def links(self, event: Event) -> ics_write.Occurrences:
        if event.occurrence_of is not None:
            return ics_write.Occurrences(recurrence_id=self._recurrence_id(event))
        if event.id not in self.repeating or not (event.excluded or event.also):
            return ics_write.Occurrences()
        start, zone = self.repeating[event.id][1], self.feed.default_zone
        moved = self.moved.get(event.id, set())
        exdates = [m for m in ics_map.occurrence_moments(event, event.excluded, start, zone) if m not in moved]
        from sco_cal.recurrence import added

        rdates = ics_map.occurrence_moments(event, added(event), start, zone)
        return ics_write.Occurrences(exdates=tuple(exdates), rdates=tuple(rdates))


def export_calendar(events: Iterable[Event], feed: Feed) -> Exported:
    """The feed in memory (see ``write_calendar``, which the CLI uses to stream it)."""
    buffer = io.BytesIO()
    written = write_calendar(events, feed, buffer.write)
    return Exported(count=written.count, left_out=written.left_out, data=buffer.getvalue())


# --- import ----------------------------------------------------------------------------------------------------


RawDates = tuple[date | datetime, date | datetime | None]  # DTSTART and the exclusive end, as the file has them


@dataclass
class Imported:
    """One incoming event as fields of our ``Event``; only the fields the VEVENT states (no id: the merge
    chooses it). ``statuses`` are the statuses of ours its STATUS agrees with."""

    uid: str
    line: int
    fields: dict[str, Any]
    statuses: tuple[Status, ...] = ()
    suggested_id: str | None = None
    ours: bool = False  # written by sco-cal: every field came across, not only those RFC 5545 has
    sequence: int = 0
    updated: datetime | None = None
    warnings: list[str] = field(default_factory=list)
    not_kept: list[NotKept] = field(default_factory=list)
    recurrence_id: date | datetime | None = None  # a moved or changed occurrence of the series with this UID


@dataclass
class Parsed:
    """A calendar read in: its events, one message per event that could not be read, and warnings."""

    events: list[Imported]
    errors: list[str]
    warnings: list[str]
    not_kept: list[NotKept] = field(default_factory=list)  # what the file holds that sco-cal does not keep


class _PropError(InvalidCalendar):
    """A problem with one property of one event; the caller adds the line."""

    def __init__(self, prop: str, message: str):
        super().__init__(f"{prop}: {message}")
        self.prop = prop


def parse_calendar(data: bytes, source: str = "<calendar>", default_zone: str = "UTC") -> Parsed:
    """Read a calendar written by sco-cal, Google, Outlook, Apple, Thunderbird, khal or any RFC 5545 writer.

    Parameters:
        data: The file's bytes.
        source: The name messages use for the file.
        default_zone: The importing registry's zone, which a time without a zone will be read in.

    Raises:
        InvalidCalendar: When the file as a whole cannot be read; problems of single events are in ``errors``.
    """
    reading = _Reading(source, default_zone)
    reading.read(scan(data, source, reading.notes))
    if reading.again:  # what the first pass could not know yet is known now: read every event once more
        reading = _Reading(source, default_zone, reading.contexts)
        reading.read(scan(data, source, reading.notes))
    return reading.result()


@dataclass(frozen=True)
class _Context:
    source: str
    floating: str | None  # X-WR-TIMEZONE: what a time without TZID means in this file
    feed_zone: str | None  # X-SCO-TIMEZONE: the default zone of the sco-cal registry that wrote it
    default_zone: str  # the importing registry's


class _Reading:
    """One pass over a file's parts, each component parsed by icalendar on its own and then let go: a whole
    calendar parsed at once holds every event's objects together (1.6 GiB for 100,000 events).

    icalendar read the file whole before, and the same results need two things known in advance, which a first
    pass may learn too late; it then says ``again``, and a second pass, given the calendars' ``contexts``, reads
    the events as a whole-file parse would:

    - a VTIMEZONE after an event (RFC 5545 allows it): icalendar learns zones as it meets them and reparses
      when one came late, so an earlier event's TZID named in it was read without it;
    - a calendar property (X-WR-TIMEZONE, X-SCO-TIMEZONE) after the events it applies to.
    """

    def __init__(self, source: str, default_zone: str, known: list[_Context] | None = None):
        self.source = source
        self.default_zone = default_zone
        self.known = known
        self.contexts: list[_Context] = []  # each calendar's, from all its properties
        self.again = False
        self.parsed = Parsed([], [], [])
        self.notes = Notes()
        self.exceptions: dict[str, int] = {}
        self._problem: str | None = None  # the first thing icalendar cannot read: the whole file is refused
        self._zones_only = True  # every component so far was a VTIMEZONE
        self._context: _Context | None = None  # the open calendar's, from its properties before its components
        self._used: set[_Context] = set()  # the contexts the open calendar's events were read in

    def read(self, parts: Iterator[Part]) -> None:
        """Take every part: the checks of the text are made as parts are taken, and win over icalendar's."""
        for part in parts:
            if self._problem is not None:
                continue
            try:
                self._take(part)
            except ScoCalError:
                raise
            except Exception as error:  # noqa: BLE001  # whatever icalendar raises on a hostile file is the file's
                self._problem = f"{part.line}: BEGIN:{part.name}: icalendar cannot read this component ({error})"
        if self._problem is not None:
            raise InvalidCalendar(f"{self.source}:{self._problem}")

    def result(self) -> Parsed:
        result = self.parsed
        result.warnings[:0] = [f"{self.source}:{warning}" for warning in self.notes.warnings]
        result.not_kept[:0] = self.notes.not_kept
        _latest_versions(result, self.source)
        known = {imported.uid for imported in result.events if imported.recurrence_id is None}
        _group_occurrences(result, self.exceptions)
        for uid, count in self.exceptions.items():
            note = (
                f"{self.source}: UID {uid!r}: {count} changed or cancelled occurrence(s) of a repeating event not "
                "imported"
            )
            result.warnings.append(note + ("" if uid in known else " (the repeating event itself is not in the file)"))
        return result

    def _take(self, part: Part) -> None:
        if part.name == "VCALENDAR":
            self._calendar(part)
            return
        if part.name not in ("VEVENT", "VTIMEZONE"):  # not kept, so not read: a defect in it cannot matter
            self.parsed.not_kept.append(NotKept(part.line, part.name))
            return
        is_event = part.lines[0].partition(":")[2].upper() == "VEVENT"  # what makes icalendar's class an Event
        if is_event:
            component = _event_component(part, self.parsed.not_kept)
        else:
            component = Component.from_ical(_one_tzid(part, self.notes))
        if component.name == "VTIMEZONE":
            self.again = self.again or not self._zones_only
        else:
            self._zones_only = False
        if component.name != "VEVENT":
            return
        if self.known is not None:
            context = self.known[part.calendar]
        else:
            assert self._context is not None  # the calendar's properties come before its first component
            context = self._context
            self._used.add(context)
        _read_one(component, part.index or EventIndex(0), context, self.parsed, self.exceptions)

    def _calendar(self, part: Part) -> None:
        calendar = Calendar.from_ical(part.text())
        context = _Context(self.source, _floating_zone(calendar), _feed_zone(calendar), self.default_zone)
        if not part.final:
            self._context, self._used = context, set()
            return
        self.again = self.again or bool(self._used - {context})
        self.contexts.append(context)


def _one_tzid(part: Part, notes: Notes) -> str:
    """A VTIMEZONE's text with its first TZID only: a zone has one name, and icalendar fails on several."""
    kept: list[str] = []
    named = False
    for number, (depth, name, line) in enumerate(_nested(part.lines)):
        if depth == 1 and name == "TZID" and not named:
            named = True
        elif depth == 1 and name == "TZID":
            notes.warnings.append(f"{part.line + number}: TZID: a second name for the zone; sco-cal keeps the first")
            notes.not_kept.append(NotKept(part.line + number, "TZID", "a second name for one zone"))
            continue
        kept.append(line)
    return "\r\n".join(kept) + "\r\n"


def _event_component(part: Part, not_kept: list[NotKept]) -> Component:
    """A VEVENT as icalendar reads it; an alarm icalendar cannot read (``TRIGGER:soon``, ``REPEAT:x``) is left
    out and counted as not kept, instead of refusing the file."""
    try:
        return Component.from_ical(_without_unread(part.lines))
    except Exception:  # noqa: BLE001  # read again without its alarms, to tell which part is at fault
        own, alarms = _alarms_apart(part.lines)
        component = Component.from_ical(_without_unread(own))
    index = part.index or EventIndex(part.line)
    lines = [line for name, line in index.inner if name == "VALARM"]
    for position, alarm in enumerate(alarms):
        line = lines[position] if position < len(lines) else part.line
        try:
            component.add_component(Component.from_ical("\r\n".join(alarm) + "\r\n"))
        except Exception as error:  # noqa: BLE001  # whatever icalendar raises on a hostile alarm
            not_kept.append(NotKept(line, "VALARM", f"cannot be read: {error}"))
            index.inner.remove(("VALARM", line))
    return component


def _alarms_apart(lines: list[str]) -> tuple[list[str], list[list[str]]]:
    """A VEVENT's lines without its VALARMs, and each VALARM's lines."""
    own: list[str] = []
    alarms: list[list[str]] = []
    alarm: list[str] | None = None
    for depth, name, line in _nested(lines):
        if name == "BEGIN" and depth == 2 and line.partition(":")[2].strip().upper() == "VALARM":
            alarm = []
            alarms.append(alarm)
        (own if alarm is None else alarm).append(line)
        if name == "END" and depth == 2:
            alarm = None
    return own, alarms


def _nested(lines: list[str]) -> Iterator[tuple[int, str, str]]:
    """Each content line of a component with its property name (upper case) and how deep it sits: 1 for the
    component's own lines, 2 inside a component within it; a BEGIN or END line counts as inside what it opens
    or closes."""
    depth = 0
    for line in lines:
        match = _NAME_RE.match(line)
        name = match[0].upper() if match else ""
        depth += name == "BEGIN"
        yield depth, name, line
        depth -= name == "END"


def _latest_versions(result: Parsed, source: str) -> None:
    """Of events that share a UID (each with its own SEQUENCE, as ``scan`` checks), the latest only."""
    versions: dict[tuple[str, date | datetime | None], list[Imported]] = {}
    for imported in result.events:
        versions.setdefault((imported.uid, imported.recurrence_id), []).append(imported)
    older: set[int] = set()
    for (uid, _), found in versions.items():
        if len(found) < 2:
            continue
        latest = max(found, key=lambda imported: imported.sequence)
        others = [imported for imported in found if imported is not latest]
        result.warnings.append(
            f"{source}:{latest.line}: UID {uid!r}: {len(found)} versions of the event; sco-cal keeps the one with "
            f"the highest SEQUENCE ({latest.sequence}) and drops the older ones at line(s) "
            + ", ".join(str(imported.line) for imported in others)
        )
        result.not_kept += [
            NotKept(imported.line, "VEVENT", f"an older version (SEQUENCE {imported.sequence}) of UID {uid!r}")
            for imported in others
        ]
        older |= {id(imported) for imported in others}
    if older:
        result.events[:] = [imported for imported in result.events if id(imported) not in older]


# Properties of a VEVENT that nothing here reads: icalendar need not parse them (DTSTAMP alone is a date-time in
# every event). A VEVENT keeps what it can read of each line by itself, so leaving one out changes nothing else.
# Reading one of these some day means taking it out of this list.
_UNREAD: Final = frozenset({"DTSTAMP", "CREATED", "TRANSP", "CLASS", "PRIORITY", "X-SCO-PRECISION"})
_NAME_RE: Final = re.compile(r"[A-Za-z0-9-]+")


def _without_unread(lines: list[str]) -> str:
    """A VEVENT's text without its own ``_UNREAD`` properties (those of a VALARM in it stay: an alarm that
    icalendar cannot read refuses the whole file)."""
    kept: list[str] = []
    for depth, name, line in _nested(lines):
        if depth == 1 and name in _UNREAD:
            continue
        kept.append(line)
    return "\r\n".join(kept) + "\r\n"


def _read_one(
    vevent: Component, index: EventIndex, context: _Context, result: Parsed, exceptions: dict[str, int]
) -> None:
    uid = str(vevent.get("UID", "")).strip()
    try:
        imported = _imported(vevent, index, context)
    except _PropError as error:
        of_uid = f" (UID {uid!r})" if uid else ""
        result.errors.append(f"{context.source}:{index.where(error.prop)}:{str(error)[len(error.prop) + 1 :]}{of_uid}")
        return
    except Exception as error:  # noqa: BLE001  # whatever else icalendar raises on a hostile file
        result.errors.append(f"{context.source}:{index.where()}: this event cannot be read ({error}) (UID {uid!r})")
        return
    too_long = [name for name, value in imported.fields.items() if isinstance(value, str) and len(value) > MAX_TEXT]
    if too_long:
        result.errors.append(
            f"{context.source}:{index.where()}: {too_long[0]}: over {MAX_TEXT:,} characters, more than a registry "
            f"keeps in one field (UID {uid!r})"
        )
        return
    result.events.append(imported)
    result.warnings += [f"{context.source}:{index.where()}: {w}" for w in imported.warnings]
    result.not_kept += imported.not_kept + _unkept_of(index)
    result.warnings += [  # a property whose value is at fault (an alarm's "why" is a plain fact about it)
        f"{context.source}:{item.line}: {item.name}: {item.why}; not kept"
        for item in imported.not_kept
        if item.name != "VALARM"
    ]


_READ_OR_UNCOUNTED: Final = KEPT["VEVENT"] | UNCOUNTED


def _unkept_of(index: EventIndex) -> list[NotKept]:
    """The properties and inner components (other than alarms) of an event that sco-cal has no field for."""
    found = [NotKept(line, name) for name, line in index.every_prop if name not in _READ_OR_UNCOUNTED]
    return found + [NotKept(line, name) for name, line in index.inner if name != "VALARM"]


def _group_occurrences(result: Parsed, orphans: dict[str, int]) -> None:
    """Tie each moved or changed occurrence (RECURRENCE-ID) to its series in the file: it replaces the series'
    occurrence at that start, which the series then leaves out. One whose series is not in the file is counted
    in ``orphans`` and not imported."""
    series = {i.uid: i for i in result.events if i.recurrence_id is None and i.fields.get("recurrence")}
    kept: list[Imported] = []
    moved: list[Imported] = []
    for imported in result.events:
        if imported.recurrence_id is None:
            imported.fields.pop("replaces", None)  # one of ours written alone, its series left out: no link here
            kept.append(imported)
            continue
        master = series.get(imported.uid)
        start = master.fields.get("start") if master is not None else None
        if master is None or not isinstance(start, DateValue):
            orphans[imported.uid] = orphans.get(imported.uid, 0) + 1
            continue
        replaces = imported.fields.get("replaces") or _as_occurrence(imported.recurrence_id, start)  # ours: exact
        imported.fields["replaces"], imported.fields["recurrence"] = replaces, None
        imported.fields.pop("excluded", None)
        imported.fields.pop("also", None)
        if replaces not in master.fields.get("excluded", ()):
            excluded = (*master.fields.get("excluded", ()), replaces)
            master.fields["excluded"] = tuple(sorted(excluded, key=DateValue.to_text))
        moved.append(imported)
    result.events[:] = kept + moved  # a series before its occurrences: the merge names the series by its id


def _as_occurrence(moment: date | datetime, start: DateValue) -> DateValue:
    """An EXDATE, RDATE or RECURRENCE-ID as an occurrence of a series starting at ``start``: a day beside a
    day, a time in the start's zone beside a time, which is where the series' rule is worked out."""
    if start.precision is not Precision.MINUTE or not isinstance(moment, datetime):
        return DateValue.of_day(moment.date() if isinstance(moment, datetime) else moment)
    if start.zone is not None and moment.tzinfo is not None:
        return DateValue.of_time(moment.astimezone(zone_for(start.zone)), start.zone)
    return _value_of(moment, None)


def _occurrence_list(vevent: Component, name: str, start: DateValue, context: _Context) -> tuple[DateValue, ...]:
    """The days or times of every EXDATE (or RDATE) of a series; a PERIOD of an RDATE is taken by its start."""
    props = vevent.get(name)
    found: list[DateValue] = []
    for prop in props if isinstance(props, list) else [props] if props is not None else []:
        zone_name = str(prop.params.get("TZID", ""))
        for item in getattr(prop, "dts", []):
            moment = item.dt[0] if isinstance(item.dt, tuple) else item.dt
            if isinstance(moment, datetime) and moment.tzinfo is None and not zone_name:
                moment = _aware(moment, context.floating or context.default_zone)
            found.append(_as_occurrence(moment, start))
    return tuple(dict.fromkeys(found))


def _zone_property(calendar: Calendar, name: str) -> str | None:
    value = calendar.get(name)
    if value is None:
        return None
    text = unescape_text(str(value)).strip()
    try:
        zone_for(text)
    except InvalidInput:
        return None
    return text


def _floating_zone(calendar: Calendar) -> str | None:
    return _zone_property(calendar, "X-WR-TIMEZONE")


def _feed_zone(calendar: Calendar) -> str | None:
    return _zone_property(calendar, "X-SCO-TIMEZONE")


def _zone_name(moment: datetime, floating: str | None) -> str | None:
    zone = moment.tzinfo
    if zone is None:
        return floating
    key = getattr(zone, "key", None)
    if isinstance(key, str):
        if key in ("UTC", "Etc/UTC", "Etc/GMT", "GMT", "Z"):
            return "UTC"
        try:
            zone_for(key)
            return key
        except InvalidInput:
            pass
    offset = moment.utcoffset() or timedelta()
    if not offset:
        return "UTC"
    # A zone the file defines only by its own VTIMEZONE ("Customized Time Zone"): the offset the author saw.
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _value_of(moment: date | datetime, floating: str | None) -> DateValue:
    if not isinstance(moment, datetime):
        return DateValue.of_day(moment)
    zone = _zone_name(moment, floating)
    if zone is not None and zone[0] in "+-":
        moment = moment.astimezone(zone_for(zone))
    value = DateValue.of_time(moment, zone)
    return value if zone is None or zone == "UTC" or zone[0] in "+-" else _happening_once(value, zone)


def _happening_once(value: DateValue, zone: str) -> DateValue:
    """RFC 5545 reads a time the clocks skip with the offset before the jump, and one they repeat as its first
    pass: keep that instant, spelt so that it happens once (a registry refuses either as it stands)."""
    try:
        value.check_wall_time(zone)
    except AmbiguousDate:
        first = value.local_time(zone).replace(fold=0)
        offset = first.utcoffset() or timedelta()
        minutes = int(offset.total_seconds()) // 60
        return DateValue.of_time(
            first, f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        )
    except InvalidInput:
        return DateValue.of_time(value.local_time(zone).astimezone(UTC).astimezone(zone_for(zone)), zone)
    return value


def _dt(vevent: Component, name: str) -> date | datetime | None:
    prop = vevent.get(name)
    if prop is None:
        return None
    if isinstance(prop, list):
        raise _PropError(name, "appears more than once in the event; keep one")
    try:
        value = prop.dt
    except (BrokenCalendarProperty, ValueError) as error:  # icalendar keeps an unreadable value as vBroken
        raise _PropError(name, f"cannot be read ({error})") from None
    if not isinstance(value, date):
        raise _PropError(name, f"{value!r} is not a date or a date-time")
    tzid = prop.params.get("TZID")
    if isinstance(value, datetime) and value.tzinfo is None and tzid is not None:
        return value.replace(tzinfo=_zone_of_tzid(name, str(tzid)))
    return value


def _zone_of_tzid(name: str, tzid: str) -> tzinfo:
    """The zone a TZID that icalendar does not know names (it reads such a time as floating): an IANA or a
    Windows name; any other is refused, never read in some other zone."""
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    for candidate in (tzid.strip().strip("/"), WINDOWS_TO_OLSON.get(tzid.strip())):
        if candidate:
            try:
                return zone_for(candidate)
            except InvalidInput:
                pass
    raise _PropError(
        name,
        f"TZID {tzid!r} is not a zone sco-cal knows, and the file has no VTIMEZONE that defines it; the time "
        "would be read in the wrong zone (use an IANA name such as Europe/Berlin)",
    )


def _named_zone(vevent: Component, name: str, moment: date | datetime) -> date | datetime:
    """Outlook's TZID is a Windows name ("W. Europe Standard Time") with a VTIMEZONE of bare rules: read the
    wall time in the IANA zone it names, so the event keeps following that zone's real changes."""
    if (
        not isinstance(moment, datetime)
        or moment.tzinfo is None
        or isinstance(getattr(moment.tzinfo, "key", None), str)
    ):
        return moment
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    tzid = str(vevent[name].params.get("TZID", ""))
    iana = WINDOWS_TO_OLSON.get(tzid) or _rules_zone(vevent, name, tzid, moment)
    return moment.replace(tzinfo=zone_for(iana)) if iana else moment


def _rules_zone(vevent: Component, name: str, tzid: str, moment: datetime) -> str | None:
    """The IANA zone for a zone the file defines only by its VTIMEZONE, when its offset changes over the
    event's years (a steady one is kept as its offset, which is exact); a repeating time in a zone no IANA zone
    follows is refused rather than left to drift by an hour at each change."""
    from sco_cal.ics import zones as ics_zones

    assert moment.tzinfo is not None
    first, last = _years(vevent, moment)
    last = min(last, 9998)  # the compared days end a year on: within what datetime holds
    first = min(first, last)
    if ics_zones.steady(moment.tzinfo, first, last):
        return None
    found = ics_zones.matching_zone(tzid, moment.tzinfo, first, last)
    if found is None and vevent.get("RRULE") is not None:
        raise _PropError(
            name,
            f"the zone {tzid!r} changes its offset by rules no IANA zone follows in {first}-{last}; sco-cal "
            "cannot keep a repeating time in it without moving some occurrences; give the event an IANA zone",
        )
    return found


_YEARS_AHEAD: Final = 10  # how far a rule without an end is compared: a VTIMEZONE's rules are those of its day


def _years(vevent: Component, moment: datetime) -> tuple[int, int]:
    """The first and last year of the event's occurrences (at most ``_YEARS_AHEAD`` on)."""
    rules = vevent.get("RRULE")
    if rules is None:
        return moment.year, moment.year
    text = (rules[0] if isinstance(rules, list) else rules).to_ical().decode()
    last = moment.year + _YEARS_AHEAD
    until = re.search(r"UNTIL=(\d{4})", text)
    if until is not None:
        return moment.year, max(moment.year, min(int(until[1]), last))
    if "COUNT=" in text.upper():
        from dateutil.rrule import rrulestr

        try:
            wall = moment.replace(tzinfo=None)
            found = rrulestr(text, dtstart=wall).between(wall, datetime(last, 12, 31), inc=True)
        except (ValueError, TypeError):
            return moment.year, last
        return moment.year, found[-1].year if found else moment.year
    return moment.year, last


def _aware(moment: date | datetime, zone: str | None) -> date | datetime:
    if isinstance(moment, datetime) and moment.tzinfo is None and zone:
        return moment.replace(tzinfo=zone_for(zone))
    return moment


_WEEKS_AFTER_T_RE: Final = re.compile(r"([+-]?)PT(\d+)W", re.IGNORECASE)


def _duration(vevent: Component, warnings: list[str]) -> timedelta | None:
    """DURATION, with ``PT1W`` (weeks written as a time, which some writers do) read as ``P1W``."""
    prop = vevent.get("DURATION")
    if prop is None:
        return None
    try:
        value = prop.dt
    except (BrokenCalendarProperty, ValueError):
        text = str(prop).strip()
        weeks = _WEEKS_AFTER_T_RE.fullmatch(text)
        if not weeks:
            raise _PropError("DURATION", f"{text!r} is not a duration such as PT1H30M or P1W") from None
        warnings.append(f"DURATION: {text!r} read as {weeks[1]}P{weeks[2]}W (weeks are not a time: no T)")
        value = int(weeks[2]) * timedelta(weeks=-1 if weeks[1] == "-" else 1)
    if not isinstance(value, timedelta):
        raise _PropError("DURATION", f"{str(prop)!r} is not a duration such as PT1H30M or P1W")
    return value


def _raw_dates(vevent: Component, context: _Context, warnings: list[str]) -> RawDates | None:
    """DTSTART and the exclusive end (DTEND, or DTSTART + DURATION), floating times placed in their zone."""
    start = _dt(vevent, "DTSTART")
    if start is None:
        return None
    start = _named_zone(vevent, "DTSTART", start)
    end = _dt(vevent, "DTEND")
    end = _named_zone(vevent, "DTEND", end) if end is not None else None
    duration = _duration(vevent, warnings) if end is None else None
    if duration is not None:
        end = start + duration
    zone = context.floating or context.default_zone
    return _aware(start, zone), _aware(end, zone) if end is not None else None


def _dates(
    raw: tuple[date | datetime, date | datetime | None], floating: str | None
) -> tuple[DateValue, DateValue | None]:
    start, end = raw
    first = _value_of(start, floating)
    if end is None or isinstance(end, datetime) != isinstance(start, datetime):
        return first, None
    if not isinstance(start, datetime):
        last = end - timedelta(days=1)  # DTEND of an all-day event is exclusive
        return first, DateValue.of_day(last) if last > start else None
    assert isinstance(end, datetime)
    closing = _value_of(end, floating)
    return first, closing if end > start and closing != first else None


def _text(vevent: Component, name: str) -> str | None:
    """A text property's value; one of only white space is none, since a registry holds no blank values."""
    value = vevent.get(name)
    if isinstance(value, list):
        value = value[0]
    return None if value is None or str(value).isspace() or not str(value) else str(value)


def _x(vevent: Component, name: str) -> str | None:
    value = vevent.get(name)
    return None if value is None else unescape_text(str(value))


def _categories_in(vevent: Component) -> tuple[str, ...]:
    props = vevent.get("CATEGORIES")
    found: list[str] = []
    for prop in props if isinstance(props, list) else [props] if props is not None else []:
        found += [str(c).strip() for c in getattr(prop, "cats", [])]
    return tuple(dict.fromkeys(c for c in found if c))


def _reminders_in(vevent: Component, raw: RawDates | None, index: EventIndex, imported: Imported) -> None:
    """The alarms that are a lead time before the start, as reminders; each other alarm is counted as not kept."""
    leads: list[LeadTime] = []
    lines = [line for name, line in index.inner if name == "VALARM"]
    for position, alarm in enumerate(vevent.walk("VALARM")):
        before, why = _before(alarm.get("TRIGGER"), raw)
        if before is not None:
            leads.append(_lead(before))
        else:
            line = lines[position] if position < len(lines) else index.line
            imported.not_kept.append(NotKept(line, "VALARM", why))
    imported.fields["reminders"] = tuple(dict.fromkeys(leads))


def _before(trigger: Any, raw: RawDates | None) -> tuple[timedelta | None, str]:
    """How long before the start a TRIGGER fires (relative to the start or to a known end, or at a date-time),
    or why that is not a lead time sco-cal can keep."""
    if trigger is None:
        return None, "no TRIGGER"
    try:
        offset = trigger.dt
    except (BrokenCalendarProperty, ValueError):
        return None, "its TRIGGER cannot be read"
    start, end = raw or (None, None)
    if isinstance(offset, datetime):
        if start is None:
            return None, "an alarm at a date-time, in an event without a start"
        when = offset if offset.tzinfo is not None else offset.replace(tzinfo=UTC)
        first = start if isinstance(start, datetime) else datetime.combine(start, time(), when.tzinfo)
        before = first - when if first.tzinfo is not None else None
    elif not isinstance(offset, timedelta):
        return None, "its TRIGGER is not a duration or a date-time"
    elif str(trigger.params.get("RELATED", "START")).upper() == "END":
        if start is None or end is None:
            return None, "an alarm relative to the end of an event without an end"
        before = -(end - start + offset)
    else:
        before = -offset
    if before is None or before < timedelta(0):
        return None, "fires after the start; sco-cal's reminders come before it"
    if before > _LONGEST_LEAD:
        return None, "fires more than 9999 days before the start"
    return before, ""


def _lead(before: timedelta) -> LeadTime:
    for unit, size in _LEAD_UNITS:
        if before and before % size == timedelta(0) and before // size <= 9999:
            return LeadTime(before // size, unit)
    return LeadTime(min(int(before.total_seconds() // 60), 9999), "m")


def _recurrence(vevent: Component, start: DateValue | None) -> tuple[str | None, list[str]]:
    rules = vevent.get("RRULE")
    if rules is None or start is None:
        return None, []
    warnings = []
    if isinstance(rules, list):
        warnings.append(f"RRULE: {len(rules)} rules; sco-cal keeps the first")
        rules = rules[0]
    untyped: Any = rules  # vRecur.to_ical has no annotations
    written = untyped.to_ical().decode() if isinstance(rules, vRecur) else str(rules)
    text = "".join(written.split())  # "BYDAY=MO, TU" means MO,TU: no part of a rule holds a space
    if not text:
        return None, [*warnings, "RRULE: empty, so the event does not repeat"]
    try:
        recur = vRecur.from_ical(text)
    except (ValueError, TypeError) as error:
        raise _PropError("RRULE", f"not a recurrence rule ({error})") from None
    if "UNTIL" in recur:  # stored beside the start: a DATE for a day, wall time in the start's zone for a time
        until = recur["UNTIL"][0]
        if start.precision is Precision.DAY:
            recur["UNTIL"] = [until.date() if isinstance(until, datetime) else until]
        elif isinstance(until, datetime) and until.tzinfo is not None:
            recur["UNTIL"] = [until.astimezone(zone_for(start.zone or "UTC")).replace(tzinfo=None)]
    if vevent.get("RECURRENCE-ID") is not None:
        warnings.append("RRULE: a moved occurrence does not repeat itself; the rule is not kept")
        return None, warnings
    from sco_cal.recurrence import check_rule  # dateutil only for calendars that repeat

    try:
        return check_rule(recur.to_ical().decode()), warnings
    except InvalidInput as error:
        raise _PropError("RRULE", str(error)) from None


def _status(vevent: Component) -> str | None:
    value = vevent.get("STATUS")
    return None if value is None else str(value).strip().upper()


def _end_not_kept(raw: RawDates | None, index: EventIndex) -> list[NotKept]:
    """The end ``_dates`` leaves out as it cannot be one: of another type than the start, or before it."""
    start, end = raw or (None, None)
    if start is None or end is None:
        return []
    name = "DTEND" if "DTEND" in index.props else "DURATION"
    line = index.props.get(name, index.line)
    if isinstance(start, datetime) != isinstance(end, datetime):
        return [NotKept(line, name, "a day where the start is a time, or a time where the start is a day")]
    if end < start:
        return [NotKept(line, name, "the end comes before the start")]
    return []


def _imported(vevent: Component, index: EventIndex, context: _Context) -> Imported:
    uid = str(vevent.get("UID", "")).strip()
    date_warnings: list[str] = []
    raw = _raw_dates(vevent, context, date_warnings)
    start, end = _dates(raw, context.floating) if raw else (None, None)
    fields: dict[str, Any] = {"title": (_text(vevent, "SUMMARY") or "").strip() or "(untitled)"}
    summary = _text(vevent, "SUMMARY") or ""
    fields["start"], fields["end"] = start, end
    recurrence, warnings = _recurrence(vevent, start)
    fields["recurrence"] = recurrence
    for name, key in (("EXDATE", "excluded"), ("RDATE", "also")):
        if vevent.get(name) is None:
            continue
        if recurrence is None or start is None:
            warnings.append(f"{name}: dates taken out of or added to an event that does not repeat are not kept")
        else:
            fields[key] = _occurrence_list(vevent, name, start, context)
    location = (_text(vevent, "LOCATION") or "").strip()
    if location:
        fields["venue"] = Venue(name=location)
    if _text(vevent, "DESCRIPTION"):
        fields["notes"] = _text(vevent, "DESCRIPTION")
    if _text(vevent, "URL"):
        fields["sources"] = (Source(url=_text(vevent, "URL")),)
    if vevent.get("CATEGORIES") is not None:
        fields["tags"] = _categories_in(vevent)
    status = _status(vevent)
    statuses = STATUS_IN.get(status, ()) if status else ()
    not_kept = _end_not_kept(raw, index)
    if status and not statuses:
        where = index.props.get("STATUS", index.line)
        not_kept.append(NotKept(where, "STATUS", f"{status!r} is not TENTATIVE, CONFIRMED or CANCELLED"))
    sequence, updated = _revision(vevent, index, not_kept)
    imported = Imported(
        uid,
        index.line,
        fields,
        statuses,
        sequence=sequence,
        updated=updated,
        warnings=date_warnings + warnings,
        not_kept=not_kept,
    )
    if any(True for _ in vevent.walk("VALARM")):
        _reminders_in(vevent, raw, index, imported)
    recurrence_id = _dt(vevent, "RECURRENCE-ID")
    if recurrence_id is not None:
        imported.recurrence_id = _aware(
            _named_zone(vevent, "RECURRENCE-ID", recurrence_id), context.floating or context.default_zone
        )
    if vevent.get("X-SCO-ID") is not None:
        _restore_ours(vevent, imported, raw, context, summary)
    if not uid:
        imported.uid = _content_uid(imported)
        imported.warnings.append(f"no UID; using {imported.uid!r} so that a second import finds it again")
    fields["title"] = _shared_text(fields["title"])  # a series repeats its title every year
    return imported


def _revision(vevent: Component, index: EventIndex, not_kept: list[NotKept]) -> tuple[int, datetime | None]:
    sequence = vevent.get("SEQUENCE")
    try:
        number = max(int(sequence), 0) if sequence is not None else 0
    except (TypeError, ValueError):
        raise _PropError("SEQUENCE", f"{sequence!r} is not a whole number") from None
    if number > MAX_SEQUENCE:
        raise _PropError("SEQUENCE", f"{number} is over {MAX_SEQUENCE}, the largest an iCalendar INTEGER can be")
    try:
        modified = _dt(vevent, "LAST-MODIFIED")
    except _PropError as error:  # only the revision's time: the import's own time stands in for it
        not_kept.append(
            NotKept(
                index.props.get("LAST-MODIFIED", index.line),
                "LAST-MODIFIED",
                str(error).removeprefix("LAST-MODIFIED: "),
            )
        )
        modified = None
    if not isinstance(modified, datetime):
        return number, None
    if modified.tzinfo is None:
        modified = modified.replace(tzinfo=UTC)
    return number, modified.astimezone(UTC).replace(microsecond=0)


def _content_uid(imported: Imported) -> str:
    fields = imported.fields
    key = json.dumps([fields["title"], str(fields["start"]), str(fields["end"])], ensure_ascii=False)
    return f"{hashlib.sha256(key.encode()).hexdigest()[:24]}@import.sco-cal"


def _restore_ours(vevent: Component, imported: Imported, raw: RawDates | None, context: _Context, summary: str) -> None:
    """For a VEVENT sco-cal wrote: the exact values of X-SCO-*, wherever the standard properties still say
    what we would publish for them (an edit made in another app wins over what we wrote)."""
    fields = imported.fields
    try:
        start_text, end_text = _x(vevent, "X-SCO-START"), _x(vevent, "X-SCO-END")
        start = DateValue.from_text(start_text) if start_text else None
        end = DateValue.from_text(end_text) if end_text else None
        kind = Kind(_x(vevent, "X-SCO-KIND") or "other")
        status = Status(_x(vevent, "X-SCO-STATUS") or "planned")
        data = ics_map.restore_data(json.loads(_x(vevent, "X-SCO-DATA") or "{}", object_pairs_hook=_shared))
    except (InvalidInput, ValueError, TypeError, KeyError) as error:
        raise _PropError("X-SCO-DATA", f"sco-cal's own properties are damaged: {error}") from None
    imported.ours = True
    imported.suggested_id = _x(vevent, "X-SCO-ID")
    feed_zone = context.feed_zone or context.default_zone
    if (
        start is not None
        and raw is not None
        and ics_map.same_when(Event("x", "x", start=start, end=end), *raw, feed_zone)
    ):
        if feed_zone != context.default_zone:  # keep meaning the same instant in a registry of another zone
            start, end = ics_map.with_zone(start, feed_zone), ics_map.with_zone(end, feed_zone)
        fields["start"], fields["end"] = start, end
    restored = Event("x", "x", start=fields["start"], end=fields["end"], status=status)
    if _status(vevent) == ics_map.status_out(restored):
        imported.statuses = (status,)
    written = Event("x", "", start=start, end=end, status=status)  # the marks we wrote, before any edit elsewhere
    if summary.strip():
        fields["title"] = summary  # exact: our own titles are not trimmed
    for suffix in (ics_map.title(replace(restored, title="")), ics_map.title(written)):
        if suffix and summary.endswith(suffix) and summary[: len(summary) - len(suffix)].strip():
            fields["title"] = summary[: len(summary) - len(suffix)]
            break
    recurrence = data.pop("recurrence")
    if fields["recurrence"] is not None and recurrence is not None and _same_rule(recurrence, fields["recurrence"]):
        fields["recurrence"] = recurrence
    location = fields.get("venue")
    if location is not None and (data["venue"] is None or data["venue"].display().strip() != location.name):
        data["venue"] = location
    for key in ("excluded", "also"):  # as written, while EXDATE and RDATE still say what we published
        if not _same_occurrences(data[key], fields.get(key, ()), feed_zone, subset=key == "excluded"):
            data[key] = fields.get(key, ())
    fields |= data
    fields["kind"] = kind


def _same_occurrences(ours: tuple[DateValue, ...], theirs: tuple[DateValue, ...], zone: str, *, subset: bool) -> bool:
    """Whether an EXDATE's or RDATE's occurrences (``theirs``) are those ``ours`` names, a day of ours standing
    for the times on it; with ``subset``, ours may name more (a series' ``except`` holds the starts its moved
    occurrences replace, which are not EXDATEs)."""
    days = {value.first_day() for value in ours if value.precision is not Precision.MINUTE}
    instants = {value.earliest(UTC, zone) for value in ours if value.precision is Precision.MINUTE}

    def named(value: DateValue) -> bool:
        if value.precision is not Precision.MINUTE:
            return value.first_day() in days
        return value.earliest(UTC, zone) in instants or value.local_time(zone).date() in days

    return all(named(value) for value in theirs) and (subset or len(theirs) >= len(ours))


_SHARED_MAX_CHARS: Final = 64


def _shared_text(value: object) -> object:
    if isinstance(value, str) and len(value) <= _SHARED_MAX_CHARS:
        return sys.intern(value)
    return value


def _shared(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An X-SCO-DATA object with its short texts interned (a list's too): the same organisation, country, zone,
    tag or role in 100,000 events is then one string, not 100,000 (40 MB less to hold through the write)."""
    return {
        key: [_shared_text(item) for item in value] if isinstance(value, list) else _shared_text(value)
        for key, value in pairs
    }


def _same_rule(ours: str, theirs: str) -> bool:
    try:
        return bool(vRecur.from_ical(ours).to_ical() == vRecur.from_ical(theirs).to_ical())
    except ValueError:
        return False
