"""Reading a calendar: ``parse_calendar`` takes an .ics file's bytes to ``Parsed``, the incoming events as
fields of ours (``Imported``), one message per event that cannot be read, warnings, and what is not kept.

The text is checked first (``scan``), then each component is read by icalendar on its own (``components``) and
turned into fields (``fields``, ``moments``, ``rules``, ``restore``); here the parts are taken in order, the
latest version of an event kept, and moved occurrences tied to their series.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Final

from icalendar import Calendar, Component

from sco_cal.dates import DateValue
from sco_cal.errors import InvalidCalendar, ScoCalError
from sco_cal.ics.components import event_component, one_tzid
from sco_cal.ics.fields import imported_event
from sco_cal.ics.incoming import Context, Imported, Parsed, PropertyError
from sco_cal.ics.moments import as_occurrence, feed_southern, feed_zone, floating_zone
from sco_cal.ics.plain import plain_event
from sco_cal.ics.scan import KEPT, UNCOUNTED, UNREAD, EventIndex, Notes, NotKept, Part, scan
from sco_cal.model import MAX_VALUE_CHARS as MAX_TEXT

__all__ = ["Imported", "Parsed", "parse_calendar"]


def parse_calendar(
    data: bytes, source: str = "<calendar>", default_zone: str = "UTC", *, southern: bool = False
) -> Parsed:
    """Read a calendar written by sco-cal, Google, Outlook, Apple, Thunderbird, khal or any RFC 5545 writer.

    Parameters:
        data: The file's bytes.
        source: The name messages use for the file.
        default_zone: The importing registry's zone, which a time without a zone will be read in.
        southern: Whether the importing registry reads its seasons in the southern hemisphere.

    Raises:
        InvalidCalendar: When the file as a whole cannot be read; problems of single events are in ``errors``.
    """
    reading = _Reading(source, default_zone, southern=southern)
    reading.read(scan(data, source, reading.notes, leave_out=UNREAD))
    if reading.again:  # what the first pass could not know yet is known now: read every event once more
        reading = _Reading(source, default_zone, reading.contexts, southern=southern)
        reading.read(scan(data, source, reading.notes, leave_out=UNREAD))
    return reading.result()


class _Reading:
    """One pass over a file's parts, each component parsed by icalendar on its own and then let go: a whole
    calendar parsed at once holds every event's objects together.

    icalendar read the file whole before, and the same results need two things known in advance, which a first
    pass may learn too late; it then says ``again``, and a second pass, given the calendars' ``contexts``, reads
    the events as a whole-file parse would:

    - a VTIMEZONE after an event (RFC 5545 allows it): icalendar learns zones as it meets them and reparses
      when one came late, so an earlier event's TZID named in it was read without it;
    - a calendar property (X-WR-TIMEZONE, X-SCO-TIMEZONE) after the events it applies to.
    """

    def __init__(self, source: str, default_zone: str, known: list[Context] | None = None, *, southern: bool = False):
        self.source = source
        self.default_zone = default_zone
        self.southern = southern
        self.known = known
        self.contexts: list[Context] = []  # each calendar's, from all its properties
        self.again = False
        self.parsed = Parsed([], [], [])
        self.notes = Notes()
        self.exceptions: dict[str, int] = {}
        self._problem: str | None = None  # the first thing icalendar cannot read: the whole file is refused
        self._zones_only = True  # every component so far was a VTIMEZONE
        self._context: Context | None = None  # the open calendar's, from its properties before its components
        self._used: set[Context] = set()  # the contexts the open calendar's events were read in

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
        if is_event and self._plain(part):
            return
        if is_event:
            component = event_component(part, self.parsed.not_kept)
        else:
            component = Component.from_ical(one_tzid(part, self.notes))
        if component.name == "VTIMEZONE":
            self.again = self.again or not self._zones_only
        else:
            self._zones_only = False
        if component.name != "VEVENT":
            return
        _read_one(component, part.index or EventIndex(0), self._event_context(part), self.parsed, self.exceptions)

    def _plain(self, part: Part) -> bool:
        """Whether the VEVENT was read without icalendar, as a plain event (``plain``)."""
        context = self._event_context(part)
        imported = plain_event(part, context)
        if imported is None:
            return False
        self._zones_only = False
        _keep(imported, part.index or EventIndex(0), context, self.parsed, imported.uid)
        return True

    def _event_context(self, part: Part) -> Context:
        """The context an event of ``part``'s calendar is read in (on a first pass, kept to be compared with
        the calendar's final properties)."""
        if self.known is not None:
            return self.known[part.calendar]
        assert self._context is not None  # the calendar's properties come before its first component
        self._used.add(self._context)
        return self._context

    def _calendar(self, part: Part) -> None:
        calendar = Calendar.from_ical(part.text())
        context = Context(
            self.source,
            floating_zone(calendar),
            feed_zone(calendar),
            self.default_zone,
            feed_southern=feed_southern(calendar),
            southern=self.southern,
        )
        if not part.final:
            self._context, self._used = context, set()
            return
        self.again = self.again or bool(self._used - {context})
        self.contexts.append(context)


def _read_one(
    vevent: Component, index: EventIndex, context: Context, result: Parsed, exceptions: dict[str, int]
) -> None:
    uid = str(vevent.get("UID", "")).strip()
    try:
        imported = imported_event(vevent, index, context)
    except PropertyError as error:
        of_uid = f" (UID {uid!r})" if uid else ""
        result.errors.append(f"{context.source}:{index.where(error.prop)}:{str(error)[len(error.prop) + 1 :]}{of_uid}")
        return
    except Exception as error:  # noqa: BLE001  # whatever else icalendar raises on a hostile file
        result.errors.append(f"{context.source}:{index.where()}: this event cannot be read ({error}) (UID {uid!r})")
        return
    _keep(imported, index, context, result, uid)


def _keep(imported: Imported, index: EventIndex, context: Context, result: Parsed, uid: str) -> None:
    """An event read (``uid`` as it states it): taken with its warnings and what of it is not kept, unless a
    text is too long to keep."""
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
        replaces = imported.fields.get("replaces") or as_occurrence(imported.recurrence_id, start)  # ours: exact
        imported.fields["replaces"], imported.fields["recurrence"] = replaces, None
        imported.fields.pop("excluded", None)
        imported.fields.pop("also", None)
        if replaces not in master.fields.get("excluded", ()):
            excluded = (*master.fields.get("excluded", ()), replaces)
            master.fields["excluded"] = tuple(sorted(excluded, key=DateValue.to_text))
        moved.append(imported)
    result.events[:] = kept + moved  # a series before its occurrences: the merge names the series by its id
