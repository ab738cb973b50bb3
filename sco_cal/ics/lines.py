"""The content lines of an .ics file, before any structure: the size limit, unfolding (at the byte level, a chunk
at a time), UTF-8 decoding, and the checks one line allows by itself (a date value, a property's parameters).
Each problem is an ``InvalidCalendar`` that names the file and the line.

Exports ``MAX_ICS_BYTES``, ``too_big``, ``fail``, ``logical_lines``, ``check_date``, ``bad_parameters``,
``first_line_check`` and ``unescape_text``. No icalendar here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Final

from sco_cal.errors import InvalidCalendar

__all__ = [
    "MAX_ICS_BYTES",
    "PARAM_VALUE",
    "TOP_LEVEL",
    "bad_parameters",
    "check_date",
    "fail",
    "first_line_check",
    "logical_lines",
    "too_big",
    "unescape_text",
]

# Import reads one event at a time, so memory follows the number of events, not the bytes; the file itself is
# held while it is read. The limit leaves room for the largest feeds people keep and still refuses what can only
# be a mistake, or an attack on memory.
MAX_ICS_BYTES: Final = 256 * 1024 * 1024

_CHUNK_BYTES: Final = 1024 * 1024  # lines are split a chunk at a time: a split of the whole file doubles it
_PHYSICAL_RE: Final = re.compile(rb"\r?\n")
PARAM_VALUE: Final = r'(?:"[^"]*"|[^";:]*)'
_VALUE_PARAM_RE: Final = re.compile(r";VALUE=([A-Za-z-]+)", re.IGNORECASE)
_DATE_VALUE_RE: Final = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?")
TOP_LEVEL: Final = frozenset({"VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE"})
_TEXT_ESCAPE_RE: Final = re.compile(r"\\([\\;,nN])")
_PARAM_RE: Final = re.compile(rf";[A-Za-z0-9-]+={PARAM_VALUE}(?:,{PARAM_VALUE})*")


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


def fail(source: str, line: int, message: str) -> InvalidCalendar:
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


def logical_lines(data: bytes, start: int, source: str) -> Iterator[tuple[int, str]]:
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
                raise fail(source, number, "a folded continuation line (it starts with a space) with no line before it")
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
        raise fail(
            source, line, f"not valid UTF-8 (byte 0x{content[error.start]:02x}); save the calendar as UTF-8"
        ) from None


def check_date(source: str, line: int, name: str, params: str, value: str, uid: str | None) -> None:
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
            raise fail(source, line, f"{name}: {item.strip()!r} {problem}{of_uid}")


def first_line_check(source: str, text: str, line: int) -> None:
    """A calendar starts with BEGIN:VCALENDAR, or, as some tools write fragments, with a bare component."""
    name, _, component = text.partition(":")
    if name.upper() == "BEGIN" and component.strip().upper() in {"VCALENDAR", *TOP_LEVEL}:
        return
    shown = text if len(text) <= 40 else text[:40] + "..."
    raise fail(source, line, f"not an iCalendar file: it starts with {shown!r} instead of BEGIN:VCALENDAR")


def bad_parameters(name: str, text: str) -> str:
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
