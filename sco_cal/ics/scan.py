"""The raw text of an .ics file, checked before icalendar reads it: size, encoding, line folding, BEGIN/END
nesting, duplicate UIDs and the date values that matter, each problem reported with its line.

icalendar is forgiving: it guesses past a broken line and tells nobody where. A user fixing a file needs
"line 12: DTSTART: ...". This module does not import icalendar, so it stays cheap and easy to test.

The file is handed on one top-level component at a time (``Part``), never as one text: a 100,000-event feed
unfolded whole, and parsed whole by icalendar, takes gigabytes; one event at a time takes kilobytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from sco_cal.errors import InvalidCalendar

__all__ = [
    "KEPT",
    "MAX_ICS_BYTES",
    "UNCOUNTED",
    "EventIndex",
    "NotKept",
    "Notes",
    "Part",
    "scan",
    "too_big",
    "unescape_text",
]

# Import reads one event at a time, so memory follows the number of events, not the bytes: a 100,000-event feed
# of our own is about 100 MiB and imports in under 400 MiB. 256 MiB leaves room for feeds twice that size and
# still refuses what can only be a mistake, or an attack on memory (the file itself is held while it is read).
MAX_ICS_BYTES: Final = 256 * 1024 * 1024

_CHUNK_BYTES: Final = 1024 * 1024  # lines are split a chunk at a time: a split of the whole file doubles it
_BOM: Final = b"\xef\xbb\xbf"  # a byte-order mark some Windows apps write; no meaning in UTF-8
_NOT_BLANK_RE: Final = re.compile(rb"\S")
_PHYSICAL_RE: Final = re.compile(rb"\r?\n")
_PARAM_VALUE: Final = r'(?:"[^"]*"|[^";:]*)'
_LINE_RE: Final = re.compile(
    rf"([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+={_PARAM_VALUE}(?:,{_PARAM_VALUE})*)*):(.*)", re.DOTALL
)
_VALUE_PARAM_RE: Final = re.compile(r";VALUE=([A-Za-z-]+)", re.IGNORECASE)
_DATE_VALUE_RE: Final = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?")
_TOP_LEVEL: Final = frozenset({"VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE"})
_CHECKED_DATES: Final = frozenset({"DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "DUE"})
_TEXT_ESCAPE_RE: Final = re.compile(r"\\([\\;,nN])")
_NAME_START_RE: Final = re.compile(r"([A-Za-z0-9-]+)([;:])")
_PARAM_RE: Final = re.compile(rf";[A-Za-z0-9-]+={_PARAM_VALUE}(?:,{_PARAM_VALUE})*")
_FOLD_WIDTH: Final = 70  # a line this long before a line that is no property was most likely folded by a writer

# What sco-cal reads of each component; a line it cannot read is refused only here. Everything else in a file
# (a VTODO, an ATTENDEE, an X-APPLE-* property, TZNAME) is dropped, and a defect in it is a warning.
_ZONE_PROPS: Final = frozenset({"TZID", "DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "RRULE", "RDATE"})
KEPT: Final = {
    "VCALENDAR": frozenset({"BEGIN", "END", "X-WR-TIMEZONE", "X-SCO-TIMEZONE"}),
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
    lines: list[str]  # unfolded and decoded, BEGIN to END; a calendar's without its components
    index: EventIndex | None = None  # for a VEVENT
    final: bool = True
    line: int = 0  # of its BEGIN

    def text(self) -> str:
        """The lines as icalendar reads them, each ending in CRLF."""
        return "\r\n".join(self.lines) + "\r\n"


def unescape_text(value: str) -> str:
    r"""Undo RFC 5545 TEXT escaping, for the X- properties icalendar hands back raw.

    >>> unescape_text(r"a\, b\; c\\d\nnext")
    'a, b; c\\d\nnext'
    """
    return _TEXT_ESCAPE_RE.sub(lambda m: "\n" if m[1] in "nN" else m[1], value)


def too_big(size: int, source: str) -> InvalidCalendar:
    """The error for a file over ``MAX_ICS_BYTES``, raised before it is read into memory where possible."""
    return InvalidCalendar(
        f"{source}: the file is over {MAX_ICS_BYTES // (1024 * 1024)} MiB ({size // (1024 * 1024)} MiB or more); "
        "sco-cal imports at most that much at once: split it"
    )


def _fail(source: str, line: int, message: str) -> InvalidCalendar:
    return InvalidCalendar(f"{source}:{line}: {message}")


def _physical_lines(data: bytes, start: int) -> Iterator[bytes]:
    """The lines of ``data[start:]`` without their LF or CRLF, split a chunk at a time."""
    end = len(data)
    while start < end:
        stop = data.find(b"\n", min(start + _CHUNK_BYTES, end))
        stop = end if stop < 0 else stop + 1
        lines = _PHYSICAL_RE.split(data[start:stop])
        if stop < end or data.endswith(b"\n"):
            lines.pop()  # the empty piece after the chunk's last line end
        yield from lines
        start = stop


def _logical_lines(data: bytes, start: int, source: str) -> Iterator[tuple[int, str]]:
    """Unfold at the byte level: a fold may split a multi-byte character, so decoding comes after joining.

    Yields (first physical line, decoded content).
    """
    first = size = 0
    pieces: list[bytes] = []
    marks: list[tuple[int, int]] = []  # (offset in the content, physical line) of each piece, for a folded line
    for number, raw in enumerate(_physical_lines(data, start), start=1):
        physical = raw.removesuffix(b"\r")
        if physical[:1] in (b" ", b"\t"):
            if not pieces:
                raise _fail(
                    source, number, "a folded continuation line (it starts with a space) with no line before it"
                )
            if not marks:
                marks.append((0, first))
            marks.append((size, number))
            pieces.append(physical[1:])
            size += len(physical) - 1
        elif physical:
            if pieces:
                yield first, _decode(source, first, pieces, marks)
                marks = []
            first, pieces, size = number, [physical], len(physical)
    if pieces:
        yield first, _decode(source, first, pieces, marks)


def _decode(source: str, first: int, pieces: list[bytes], marks: list[tuple[int, int]]) -> str:
    content = pieces[0] if len(pieces) == 1 else b"".join(pieces)
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = first
        for offset, number in marks:
            if offset <= error.start:
                line = number
        raise _fail(
            source, line, f"not valid UTF-8 (byte 0x{content[error.start]:02x}); save the calendar as UTF-8"
        ) from None


def _check_date(source: str, line: int, name: str, params: str, value: str, uid: str | None) -> None:
    is_period = _VALUE_PARAM_RE.search(params)
    if is_period and is_period[1].upper() == "PERIOD":
        return
    for item in value.split(","):
        m = _DATE_VALUE_RE.fullmatch(item.strip())
        problem = None
        if not m:
            problem = "is not a date (YYYYMMDD) or a date-time (YYYYMMDDTHHMMSS)"
        else:
            try:
                date(int(m[1]), int(m[2]), int(m[3]))
                if m[4] and not (int(m[4]) < 24 and int(m[5]) < 60 and int(m[6]) <= 60):
                    problem = "is not a time of day"
            except ValueError:
                problem = "is not a day in the calendar"
        if problem:
            of_uid = f" (UID {uid!r})" if uid else ""
            raise _fail(source, line, f"{name}: {item.strip()!r} {problem}{of_uid}")


def _first_line_check(source: str, text: str, line: int) -> None:
    """A calendar starts with BEGIN:VCALENDAR, or, as some tools write fragments, with a bare component."""
    name, _, component = text.partition(":")
    if name.upper() == "BEGIN" and component.strip().upper() in {"VCALENDAR", *_TOP_LEVEL}:
        return
    shown = text if len(text) <= 40 else text[:40] + "..."
    raise _fail(source, line, f"not an iCalendar file: it starts with {shown!r} instead of BEGIN:VCALENDAR")


def scan(data: bytes, source: str = "<calendar>", notes: Notes | None = None) -> Iterator[Part]:
    """Check a calendar file and hand on its parts in document order, one at a time.

    The size, an empty file and a binary one are refused by the call itself; every other problem is raised as
    the parts are taken, at the first line that has it, so a reader must take them all before it trusts any.
    A line sco-cal would not keep anyway is dropped instead, with a warning in ``notes``.

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
        raise _fail(
            source,
            data.count(b"\n", start, nul) + 1,
            "holds a NUL byte: this is a binary file, not an iCalendar text file",
        )
    return _Scanner(data, start, source, notes or Notes()).parts()


def _bad_parameters(name: str, text: str) -> str:
    """Why the parameters of ``text`` (a line ``NAME;...``) cannot be read, and from where, for the message."""
    position = len(name)
    while (m := _PARAM_RE.match(text, position)) is not None and text[m.end() : m.end() + 1] in (";", ":"):
        position = m.end()
    rest = text[position:]
    shown = rest if len(rest) <= 30 else rest[:30] + "..."
    if text[position - 1 : position] == "\\":
        why = "a backslash does not escape ';' in a parameter; a value holding ; : or , needs double quotes"
    elif rest[1:2].isspace():
        why = "a space after ';' where the next parameter's name should be"
    else:
        why = "a parameter is NAME=value, and a value holding ; : or , needs double quotes"
    return f"cannot read the parameters from {shown!r} on ({why})"


class _Scanner:
    """The state of one pass over a file: the open components, the calendar's own lines, the UIDs seen."""

    def __init__(self, data: bytes, start: int, source: str, notes: Notes):
        self.data = data
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
        for number, text in _logical_lines(data, self.start, source):
            if not started:
                _first_line_check(source, text, number)
                started = True
            m = _LINE_RE.fullmatch(text)
            if not m and number == last_line and not ends_in_newline:
                raise _fail(source, number, f"the file ends in the middle of a line ({text[:40]!r}): it is truncated")
            if not m:
                self._unreadable(number, text)
                continue
            name = m[1].upper()
            part = None
            if name == "BEGIN":
                part = self._component(number, m[3].strip().upper(), text)
            elif name == "END":  # an END with nothing open is a nesting error, not a stray line
                part = self._end(number, m[3].strip().upper(), text)
            elif not self._stray(number, text):
                self._property(number, name, m[2], m[3], text)
            self.previous = (name, len(text))
            if part is not None:
                yield part
        if self.implied and len(self.stack) == 1:
            self.stack.pop()
            yield Part("VCALENDAR", self.calendar, [*self.header, "END:VCALENDAR"], line=1)
        if self.stack:
            component, line = self.stack[-1]
            raise _fail(
                source,
                line,
                f"BEGIN:{component} is never closed: the file is truncated (it ends without END:{component})",
            )

    def _component(self, line: int, component: str, text: str) -> Part | None:
        """BEGIN: an event or zone with no calendar open is read as if a calendar were around it."""
        if not self.stack and component in _TOP_LEVEL:
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
            problem = f"{name}: {_bad_parameters(named[1], text)}"
        else:
            name = self.previous[0]  # most likely the rest of the line before it
            problem = f"{shown!r} is not a property (NAME:value)"
            if self.previous[1] >= _FOLD_WIDTH:
                problem += "; it looks like the end of the long line before it, folded without a leading space"
        if self._stray(line, text):
            return
        if not self.stack or name in ("BEGIN", "END") or name in KEPT.get(self.stack[-1][0], frozenset()):
            raise _fail(self.source, line, problem)
        self.notes.warnings.append(f"{line}: {problem}; sco-cal does not keep {name}, so the line is not read")
        self.notes.not_kept.append(NotKept(line, name, "cannot be read"))

    def _begin(self, line: int, component: str, text: str) -> Part | None:
        """Open a component; the calendar's properties so far when it is the calendar's first."""
        stack, source = self.stack, self.source
        if not stack and component != "VCALENDAR":
            raise _fail(source, line, f"BEGIN:{component} outside BEGIN:VCALENDAR ... END:VCALENDAR")
        if stack and component == "VCALENDAR":
            raise _fail(source, line, f"BEGIN:VCALENDAR inside BEGIN:{stack[-1][0]} (line {stack[-1][1]})")
        if component in _TOP_LEVEL and len(stack) > 1:  # RFC 5545: events, to-dos and zones sit in VCALENDAR only
            raise _fail(source, line, f"BEGIN:{component} inside BEGIN:{stack[-1][0]} (line {stack[-1][1]})")
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
            raise _fail(source, line, f"END:{component} with no BEGIN:{component} before it")
        opened, opened_line = stack.pop()
        if opened != component:
            raise _fail(source, line, f"END:{component} does not close BEGIN:{opened} (line {opened_line})")
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
            raise _fail(
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
        self.lines.append(text)
        index = self.event
        if index is None or self.stack[-1][0] != "VEVENT":
            return
        index.props.setdefault(name, line)
        index.every_prop.append((name, line))
        if name == "UID":
            index.uid = value.strip()
        elif name in _CHECKED_DATES:
            _check_date(self.source, line, name, params, value, index.uid)
            if name == "RECURRENCE-ID":
                index.recurrence_id = value.strip()
        elif name == "SEQUENCE" and value.strip().isdigit():
            index.sequence = int(value.strip())
