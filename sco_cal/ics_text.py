"""The raw text of an .ics file, checked before icalendar reads it: size, encoding, line folding, BEGIN/END
nesting, duplicate UIDs and the date values that matter, each problem reported with its line.

icalendar is forgiving: it guesses past a broken line and tells nobody where. A user fixing a file needs
"line 12: DTSTART: ...". This module does not import icalendar, so it stays cheap and easy to test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from sco_cal.errors import InvalidCalendar

__all__ = ["MAX_ICS_BYTES", "EventIndex", "Scanned", "scan", "too_big", "unescape_text"]

# A year of hourly events is under 10 MiB; a file far beyond that is a mistake, or an attack on memory.
MAX_ICS_BYTES: Final = 64 * 1024 * 1024

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


@dataclass
class EventIndex:
    """Where one VEVENT is written: its first line, its UID and the first line of each of its properties."""

    line: int
    uid: str | None = None
    recurrence_id: str | None = None
    props: dict[str, int] = field(default_factory=dict)

    def where(self, prop: str | None = None) -> str:
        """``12: DTSTART`` for messages (after ``file:``), falling back to the event's first line."""
        line = self.props.get(prop, self.line) if prop else self.line
        text = f"{line}"
        if prop:
            text += f": {prop}"
        return text


@dataclass
class Scanned:
    """The checked file: unfolded, decoded text for icalendar, and an index of its events in document order."""

    text: str
    events: list[EventIndex]


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


def _logical_lines(data: bytes, source: str) -> list[tuple[int, bytes, list[tuple[int, int]]]]:
    """Unfold at the byte level: a fold may split a multi-byte character, so decoding comes after joining.

    Each entry is (first physical line, content bytes, [(offset in content, physical line)]).
    """
    lines: list[tuple[int, bytes, list[tuple[int, int]]]] = []
    for number, raw in enumerate(_PHYSICAL_RE.split(data), start=1):
        physical = raw.removesuffix(b"\r")
        if physical[:1] in (b" ", b"\t"):
            if not lines:
                raise _fail(
                    source, number, "a folded continuation line (it starts with a space) with no line before it"
                )
            first, content, marks = lines[-1]
            marks.append((len(content), number))
            lines[-1] = (first, content + physical[1:], marks)
        elif physical:
            lines.append((number, physical, [(0, number)]))
    return lines


def _decode(source: str, first: int, content: bytes, marks: list[tuple[int, int]]) -> str:
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
    if text.upper() != "BEGIN:VCALENDAR":
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise _fail(source, line, f"not an iCalendar file: it starts with {shown!r} instead of BEGIN:VCALENDAR")


def scan(data: bytes, source: str = "<calendar>") -> Scanned:
    """Check a calendar file's framing and return its unfolded text and event index.

    Raises:
        InvalidCalendar: For an empty, huge, binary, non-UTF-8, badly folded, unbalanced or truncated file, a
            date that cannot be, or a UID used twice; the message starts with ``source:line:``.
    """
    if len(data) > MAX_ICS_BYTES:
        raise too_big(len(data), source)
    data = data.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark some Windows apps write; no meaning in UTF-8
    if not data.strip():
        raise InvalidCalendar(f"{source}: the file is empty; an iCalendar file starts with BEGIN:VCALENDAR")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise _fail(source, line, "holds a NUL byte: this is a binary file, not an iCalendar text file")
    out: list[str] = []
    events: list[EventIndex] = []
    stack: list[tuple[str, int]] = []
    current: list[EventIndex] = []  # the open VEVENTs (a VALARM inside one does not change it)
    seen_uids: dict[tuple[str, str | None], int] = {}
    last_line = data.count(b"\n") + 1
    for number, content, marks in _logical_lines(data, source):
        text = _decode(source, number, content, marks)
        if not out:
            _first_line_check(source, text, number)
        m = _LINE_RE.fullmatch(text)
        if not m and number == last_line and not data.endswith(b"\n"):
            raise _fail(source, number, f"the file ends in the middle of a line ({text[:40]!r}): it is truncated")
        if not m:
            shown = text if len(text) <= 40 else text[:40] + "..."
            raise _fail(
                source,
                number,
                f"{shown!r} is not a property (NAME:value); a long line folded without a leading space looks like this",
            )
        name, params, value = m[1].upper(), m[2], m[3]
        if name == "BEGIN":
            _begin(source, number, value.strip().upper(), stack, current, events)
        elif name == "END":
            _end(source, number, value.strip().upper(), stack, current, seen_uids)
        elif not stack:
            raise _fail(source, number, f"{name}: outside BEGIN:VCALENDAR ... END:VCALENDAR")
        elif current and stack[-1][0] == "VEVENT":
            _event_property(source, number, name, params, value, current[-1])
        out.append(text)
    if stack:
        component, line = stack[-1]
        raise _fail(
            source, line, f"BEGIN:{component} is never closed: the file is truncated (it ends without END:{component})"
        )
    return Scanned("\r\n".join(out) + "\r\n", events)


def _begin(
    source: str,
    line: int,
    component: str,
    stack: list[tuple[str, int]],
    current: list[EventIndex],
    events: list[EventIndex],
) -> None:
    if not stack and component != "VCALENDAR":
        raise _fail(source, line, f"BEGIN:{component} outside BEGIN:VCALENDAR ... END:VCALENDAR")
    if stack and component == "VCALENDAR":
        raise _fail(source, line, f"BEGIN:VCALENDAR inside BEGIN:{stack[-1][0]} (line {stack[-1][1]})")
    if component in _TOP_LEVEL and len(stack) > 1:  # RFC 5545: events, to-dos and zones sit in VCALENDAR only
        raise _fail(source, line, f"BEGIN:{component} inside BEGIN:{stack[-1][0]} (line {stack[-1][1]})")
    stack.append((component, line))
    if component == "VEVENT":
        index = EventIndex(line)
        events.append(index)
        current.append(index)


def _end(
    source: str,
    line: int,
    component: str,
    stack: list[tuple[str, int]],
    current: list[EventIndex],
    seen_uids: dict[tuple[str, str | None], int],
) -> None:
    if not stack:
        raise _fail(source, line, f"END:{component} with no BEGIN:{component} before it")
    opened, opened_line = stack.pop()
    if opened != component:
        raise _fail(source, line, f"END:{component} does not close BEGIN:{opened} (line {opened_line})")
    if component == "VEVENT":
        index = current.pop()
        if index.uid is not None:
            key = (index.uid, index.recurrence_id)
            if key in seen_uids:
                raise _fail(
                    source,
                    index.props["UID"],
                    f"UID: {index.uid!r} is used by the event at line {seen_uids[key]} too; "
                    "each event needs its own UID",
                )
            seen_uids[key] = index.line


def _event_property(source: str, line: int, name: str, params: str, value: str, index: EventIndex) -> None:
    index.props.setdefault(name, line)
    if name == "UID":
        index.uid = value.strip()
    elif name in _CHECKED_DATES:
        _check_date(source, line, name, params, value, index.uid)
        if name == "RECURRENCE-ID":
            index.recurrence_id = value.strip()
