"""The structure of an .ics file, checked before icalendar reads it: BEGIN/END nesting, duplicate UIDs and the
date values that matter, each problem reported with its line (the lines themselves: ``sco_cal.ics.lines``).

icalendar is forgiving: it guesses past a broken line and tells nobody where. A user fixing a file needs
"line 12: DTSTART: ...". This module does not import icalendar, so it stays cheap and easy to test.

The file is handed on one top-level component at a time (``Part``), never as one text: a large feed unfolded
whole, and parsed whole by icalendar, would be held whole; one event at a time is held at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

from sco_cal.errors import InvalidCalendar
from sco_cal.ics.lines import (
    MAX_ICS_BYTES,
    PARAM_VALUE,
    TOP_LEVEL,
    bad_parameters,
    check_date,
    fail,
    first_line_check,
    logical_lines,
    too_big,
)

__all__ = ["KEPT", "UNCOUNTED", "UNREAD", "EventIndex", "NotKept", "Notes", "Part", "scan"]

_BOM: Final = b"\xef\xbb\xbf"  # a byte-order mark some Windows apps write; no meaning in UTF-8
_NOT_BLANK_RE: Final = re.compile(rb"\S")
_LINE_RE: Final = re.compile(rf"([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+={PARAM_VALUE}(?:,{PARAM_VALUE})*)*):(.*)", re.DOTALL)
_CHECKED_DATES: Final = frozenset({"DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "DUE"})
_NAME_START_RE: Final = re.compile(r"([A-Za-z0-9-]+)([;:])")
_FOLD_WIDTH: Final = 70  # a line this long before a line that is no property was most likely folded by a writer

# What sco-cal reads of each component; a line it cannot read is refused only here. Everything else in a file
# (a VTODO, an ATTENDEE, an X-APPLE-* property, TZNAME) is dropped, and a defect in it is a warning.
_ZONE_PROPS: Final = frozenset({"TZID", "DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "RRULE", "RDATE"})
KEPT: Final = {
    "VCALENDAR": frozenset({"BEGIN", "END", "X-WR-TIMEZONE", "X-SCO-TIMEZONE", "X-SCO-SEASONS"}),
    "VEVENT": frozenset(
        {
            *("UID", "DTSTART", "DTEND", "DURATION", "SUMMARY", "LOCATION", "DESCRIPTION", "URL", "CATEGORIES"),
            *("STATUS", "SEQUENCE", "LAST-MODIFIED", "RRULE", "RECURRENCE-ID", "EXDATE", "RDATE"),
            *("X-SCO-ID", "X-SCO-START", "X-SCO-END", "X-SCO-KIND", "X-SCO-STATUS", "X-SCO-DATA"),
        }
    ),
    "VALARM": frozenset({"TRIGGER", "ACTION"}),
    "VTIMEZONE": _ZONE_PROPS,
    "STANDARD": _ZONE_PROPS,
    "DAYLIGHT": _ZONE_PROPS,
}
# Properties of an event that say something about the file or about free/busy time, not about the event: not
# kept, and not worth a line in every import's summary (every event has a DTSTAMP; our own feeds write TRANSP).
UNCOUNTED: Final = frozenset({"DTSTAMP", "CREATED", "TRANSP", "X-SCO-PRECISION"})
# Properties of a VEVENT that an import does not read: icalendar need not parse them (DTSTAMP alone is a date-time
# in every event), so an import asks for a VEVENT's part to hold them in its index only (``scan``'s
# ``leave_out``). A VEVENT keeps what it can read of each line by itself, so leaving one out changes nothing else;
# reading one of these some day means taking it out of this list. What a server's object says (sync's content
# hash, its precision lines) is every line, so that scan leaves nothing out.
UNREAD: Final = frozenset({"DTSTAMP", "CREATED", "TRANSP", "CLASS", "PRIORITY", "X-SCO-PRECISION"})


@dataclass(frozen=True)
class NotKept:
    """A component or property of the file that sco-cal does not keep, where it is, and why when it is not
    simply something sco-cal has no field for."""

    line: int
    name: str
    why: str = ""


@dataclass
class Notes:
    """What a pass over a file tells the user besides its parts: warnings (``line: message``, without the
    file's name) and what is not kept."""

    warnings: list[str] = field(default_factory=list)
    not_kept: list[NotKept] = field(default_factory=list)


@dataclass
class EventIndex:
    """Where one VEVENT is written: its first line, its UID, the first line of each of its properties, and each
    property and inner component (VALARM) in order with its line."""

    line: int
    uid: str | None = None
    recurrence_id: str | None = None
    sequence: int | None = None
    props: dict[str, int] = field(default_factory=dict)
    every_prop: list[tuple[str, int]] = field(default_factory=list)
    inner: list[tuple[str, int]] = field(default_factory=list)

    def where(self, prop: str | None = None) -> str:
        """``12: DTSTART`` for messages (after ``file:``), falling back to the event's first line."""
        line = self.props.get(prop, self.line) if prop else self.line
        text = f"{line}"
        if prop:
            text += f": {prop}"
        return text


@dataclass(frozen=True)
class Part:
    """One top-level component of a calendar, checked, or the calendar's own lines (``name`` VCALENDAR).

    A calendar's own lines come twice: when its first component begins (``final`` false: the properties so
    far) and at its end (all of them; a calendar property may follow the events it applies to).
    """

    name: str  # as BEGIN names it, upper case
    calendar: int  # which VCALENDAR of the file, from 0
    lines: list[str]  # unfolded and decoded, BEGIN to END; a calendar's without its components, a VEVENT's own
    # without the properties the scan was asked to leave out
    index: EventIndex | None = None  # for a VEVENT
    final: bool = True
    line: int = 0  # of its BEGIN

    def text(self) -> str:
        """The lines as icalendar reads them, each ending in CRLF."""
        return "\r\n".join(self.lines) + "\r\n"


def scan(
    data: bytes, source: str = "<calendar>", notes: Notes | None = None, *, leave_out: frozenset[str] = frozenset()
) -> Iterator[Part]:
    """Check a calendar file and hand on its parts in document order, one at a time.

    The size, an empty file and a binary one are refused by the call itself; every other problem is raised as
    the parts are taken, at the first line that has it, so a reader must take them all before it trusts any.
    A line sco-cal would not keep anyway is dropped instead, with a warning in ``notes``. A VEVENT's properties
    named in ``leave_out`` (``UNREAD``, for an import) are in its index but not in its lines.

    Raises:
        InvalidCalendar: For an empty, huge, binary, non-UTF-8, badly folded, unbalanced or truncated file, a
            date that cannot be, or a UID used twice; the message starts with ``source:line:``.
    """
    if len(data) > MAX_ICS_BYTES:
        raise too_big(len(data), source)
    start = len(_BOM) if data.startswith(_BOM) else 0
    if not _NOT_BLANK_RE.search(data, start):
        raise InvalidCalendar(f"{source}: the file is empty; an iCalendar file starts with BEGIN:VCALENDAR")
    nul = data.find(b"\x00", start)
    if nul >= 0:
        raise fail(
            source,
            data.count(b"\n", start, nul) + 1,
            "holds a NUL byte: this is a binary file, not an iCalendar text file",
        )
    return _Scanner(data, start, source, notes or Notes(), leave_out).parts()


class _Scanner:
    """The state of one pass over a file: the open components, the calendar's own lines, the UIDs seen."""

    def __init__(self, data: bytes, start: int, source: str, notes: Notes, leave_out: frozenset[str]):
        self.data = data
        self.leave_out = leave_out
        self.start = start
        self.source = source
        self.notes = notes
        self.stack: list[tuple[str, int]] = []
        self.event: EventIndex | None = None  # the open VEVENT (a VALARM inside one does not change it)
        self.seen_uids: dict[tuple[str, str | None], tuple[int, set[int | None]]] = {}
        self.calendar = -1
        self.header: list[str] = []  # the open calendar's BEGIN line and properties
        self.components = 0  # top-level components begun in the open calendar
        self.lines: list[str] = []  # the open top-level component's
        self.previous: tuple[str, int] = ("", 0)  # the last property's name and the length of its line
        self.implied = False  # the file holds bare components: a calendar around them is assumed

    def parts(self) -> Iterator[Part]:
        source, data = self.source, self.data
        last_line = data.count(b"\n", self.start) + 1
        ends_in_newline = data.endswith(b"\n")
        started = False
        for number, text in logical_lines(data, self.start, source):
            if not started:
                first_line_check(source, text, number)
                started = True
            m = _LINE_RE.fullmatch(text)
            if not m and number == last_line and not ends_in_newline:
                raise fail(source, number, f"the file ends in the middle of a line ({text[:40]!r}): it is truncated")
            if not m:
                self._unreadable(number, text)
                continue
            name = m[1].upper()
            part = None
            if name == "BEGIN":
                part = self._component(number, m[3].strip().upper(), text)
            elif name == "END":  # an END with nothing open is a nesting error, not a stray line
                part = self._end(number, m[3].strip().upper(), text)
            elif self.stack or not self._stray(number, text):  # inside a component nothing is stray
                self._property(number, name, m[2], m[3], text)
            self.previous = (name, len(text))
            if part is not None:
                yield part
        if self.implied and len(self.stack) == 1:
            self.stack.pop()
            yield Part("VCALENDAR", self.calendar, [*self.header, "END:VCALENDAR"], line=1)
        if self.stack:
            component, line = self.stack[-1]
            raise fail(
                source,
                line,
                f"BEGIN:{component} is never closed: the file is truncated (it ends without END:{component})",
            )

    def _component(self, line: int, component: str, text: str) -> Part | None:
        """BEGIN: an event or zone with no calendar open is read as if a calendar were around it."""
        if not self.stack and component in TOP_LEVEL:
            self._open_implied(component, line)
        return None if self._stray(line, text) else self._begin(line, component, text)

    def _open_implied(self, component: str, line: int) -> None:
        self.notes.warnings.append(
            f"{line}: BEGIN:{component} with no BEGIN:VCALENDAR around it; read as the events of one calendar"
        )
        self.implied = True
        self._begin(line, "VCALENDAR", "BEGIN:VCALENDAR")

    def _stray(self, line: int, text: str) -> bool:
        """Whether ``text`` comes after the file's calendars have ended (and is not a new calendar): dropped."""
        if self.stack or self.calendar < 0 or text.upper().replace(" ", "") == "BEGIN:VCALENDAR":
            return False
        shown = text if len(text) <= 40 else text[:40] + "..."
        self.notes.warnings.append(f"{line}: {shown!r} after END:VCALENDAR is not part of the calendar; not read")
        return True

    def _unreadable(self, line: int, text: str) -> None:
        """A line that is no ``NAME;PARAM=value:value`` property: refused where sco-cal keeps what it says,
        dropped with a warning elsewhere."""
        shown = text if len(text) <= 40 else text[:40] + "..."
        named = _NAME_START_RE.match(text)
        if named:
            name = named[1].upper()
            problem = f"{name}: {bad_parameters(named[1], text)}"
        else:
            name = self.previous[0]  # most likely the rest of the line before it
            problem = f"{shown!r} is not a property (NAME:value)"
            if self.previous[1] >= _FOLD_WIDTH:
                problem += "; it looks like the end of the long line before it, folded without a leading space"
        if self._stray(line, text):
            return
        if not self.stack or name in ("BEGIN", "END") or name in KEPT.get(self.stack[-1][0], frozenset()):
            raise fail(self.source, line, problem)
        self.notes.warnings.append(f"{line}: {problem}; sco-cal does not keep {name}, so the line is not read")
        self.notes.not_kept.append(NotKept(line, name, "cannot be read"))

    def _begin(self, line: int, component: str, text: str) -> Part | None:
        """Open a component; the calendar's properties so far when it is the calendar's first."""
        stack, source = self.stack, self.source
        if not stack and component != "VCALENDAR":
            raise fail(source, line, f"BEGIN:{component} outside BEGIN:VCALENDAR ... END:VCALENDAR")
        if stack and component == "VCALENDAR":
            raise fail(source, line, f"BEGIN:VCALENDAR inside BEGIN:{stack[-1][0]} (line {stack[-1][1]})")
        if component in TOP_LEVEL and len(stack) > 1:  # RFC 5545: events, to-dos and zones sit in VCALENDAR only
            raise fail(source, line, f"BEGIN:{component} inside BEGIN:{stack[-1][0]} (line {stack[-1][1]})")
        stack.append((component, line))
        if component == "VEVENT":
            self.event = EventIndex(line)
        elif self.event is not None and len(stack) == 3:
            self.event.inner.append((component, line))
        if len(stack) == 1:
            self.calendar += 1
            self.header = [text]
            self.components = 0
        elif len(stack) == 2:
            self.lines = [text]
            self.components += 1
            if self.components == 1:
                return Part("VCALENDAR", self.calendar, [*self.header, "END:VCALENDAR"], final=False, line=line)
        else:
            self.lines.append(text)
        return None

    def _end(self, line: int, component: str, text: str) -> Part | None:
        """Close a component; the part it completes, if it is a top-level one or a calendar."""
        stack, source = self.stack, self.source
        if not stack:
            raise fail(source, line, f"END:{component} with no BEGIN:{component} before it")
        opened, opened_line = stack.pop()
        if opened != component:
            raise fail(source, line, f"END:{component} does not close BEGIN:{opened} (line {opened_line})")
        if not stack:
            self.implied = False
            return Part("VCALENDAR", self.calendar, [*self.header, text], line=opened_line)
        self.lines.append(text)
        if len(stack) > 1:
            return None
        index = None
        if component == "VEVENT":
            index, self.event = self.event, None
            assert index is not None
            self._check_uid(index)
        return Part(component, self.calendar, self.lines, index, line=opened_line)

    def _check_uid(self, index: EventIndex) -> None:
        """Refuse a UID used twice, unless each use has its own SEQUENCE: versions of one event, of which the
        reader keeps the latest."""
        if index.uid is None:
            return
        key = (index.uid, index.recurrence_id)
        first, sequences = self.seen_uids.setdefault(key, (index.line, set()))
        if index.sequence in sequences or (sequences and index.sequence is None) or None in sequences:
            raise fail(
                self.source,
                index.props["UID"],
                f"UID: {index.uid!r} is used by the event at line {first} too; each event needs its own UID "
                "(or, for versions of one event, its own SEQUENCE)",
            )
        sequences.add(index.sequence)

    def _property(self, line: int, name: str, params: str, value: str, text: str) -> None:
        if len(self.stack) == 1:
            self.header.append(text)
            return
        index = self.event
        if index is None or self.stack[-1][0] != "VEVENT":
            self.lines.append(text)
            return
        if name not in self.leave_out:
            self.lines.append(text)
        index.props.setdefault(name, line)
        index.every_prop.append((name, line))
        if name == "UID":
            index.uid = value.strip()
        elif name in _CHECKED_DATES:
            check_date(self.source, line, name, params, value, index.uid)
            if name == "RECURRENCE-ID":
                index.recurrence_id = value.strip()
        elif name == "SEQUENCE" and value.strip().isdigit():
            index.sequence = int(value.strip())
