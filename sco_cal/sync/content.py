"""What a calendar object says, apart from how its text is written: ``content_hash``.

A server may rewrite every object it stores (Radicale re-serialises each one: other line folding, property
order, line ends, PRODID, DTSTAMP, its own VTIMEZONE text). None of that is a change of the event; a change of
SUMMARY, a date or its zone, RRULE, STATUS or an ``X-SCO-*`` property is. The text is read with the import's own
scanner (``sco_cal.ics.scan``), which unfolds at the byte level and checks the structure; icalendar is not used.
"""

from __future__ import annotations

import hashlib
import re
from typing import Final

from sco_cal.ics.lines import PARAM_VALUE
from sco_cal.ics.scan import scan

__all__ = ["IGNORED", "content_hash", "precision_lines", "uids"]

# What says something about the writer or the moment of writing, not about the event.
IGNORED: Final = frozenset({"DTSTAMP", "PRODID"})
_LINE_RE: Final = re.compile(rf"([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+={PARAM_VALUE}(?:,{PARAM_VALUE})*)*):(.*)", re.DOTALL)
_PARAM_RE: Final = re.compile(rf";([A-Za-z0-9-]+)=({PARAM_VALUE}(?:,{PARAM_VALUE})*)")
_ITEM_RE: Final = re.compile(rf"{PARAM_VALUE}")
_TEXT_ESCAPE_RE: Final = re.compile(r"\\[\\;,nN]")


def _parameters(text: str) -> str:
    """Parameters by name, names in upper case, values without quotes: ``;TZID=Europe/Moscow;VALUE=DATE``."""
    found = []
    for name, values in _PARAM_RE.findall(text):
        items = [item.strip('"') for item in _ITEM_RE.findall(values) if item]
        found.append(f";{name.upper()}={','.join(items)}")
    return "".join(sorted(found))


def _line(text: str) -> str | None:
    """A property line in one spelling (``None`` for one to ignore, or one the scanner passed but that is no
    property)."""
    m = _LINE_RE.fullmatch(text)
    if m is None or m[1].upper() in IGNORED:
        return None
    value = _TEXT_ESCAPE_RE.sub(lambda e: e[0].lower(), m[3])  # \N and \n are the same line break
    return f"{m[1].upper()}{_parameters(m[2])}:{value}"


def _component(lines: list[str]) -> str:
    """A component (BEGIN to END, its inner components included) with its properties and inner components each
    in sorted order, so that their order in the text does not count."""
    stack: list[tuple[str, list[str]]] = []
    done = ""
    for text in lines:
        name, _, rest = text.partition(":")
        if name.upper() == "BEGIN":
            stack.append((rest.strip().upper(), []))
        elif name.upper() == "END":
            kind, parts = stack.pop()
            done = f"BEGIN:{kind}\n" + "\n".join(sorted(parts)) + f"\nEND:{kind}"
            if stack:
                stack[-1][1].append(done)
        elif stack and (line := _line(text)) is not None:
            stack[-1][1].append(line)
    return done


def content_hash(data: bytes) -> str:
    """A SHA-256 (hex) of what a calendar object says: every component but VTIMEZONE, with every property but
    DTSTAMP and PRODID, whatever their order, folding or line ends; and the calendar's own properties.

    Raises:
        InvalidCalendar: The text is not a calendar (see ``sco_cal.ics.scan.scan``).
    """
    pieces = []
    for part in scan(data, "<server object>"):
        if part.name == "VTIMEZONE" or (part.name == "VCALENDAR" and not part.final):
            continue
        pieces.append(_component(part.lines))
    return hashlib.sha256("\n\n".join(sorted(pieces)).encode("utf-8")).hexdigest()


def uids(data: bytes) -> set[str]:
    """The UIDs of the components of a calendar object (one, for an object that keeps the CalDAV rule).

    Raises:
        InvalidCalendar: The text is not a calendar.
    """
    return {part.index.uid for part in scan(data, "<server object>") if part.index and part.index.uid}


_PRECISION_NAMES: Final = ("X-SCO-PRECISION", "X-SCO-START", "X-SCO-END")


def precision_lines(data: bytes) -> set[str]:
    """The lines that say at what precision an object's dates are known (``X-SCO-PRECISION``, ``-START``,
    ``-END``), as this module compares them: what a sync checks to see that a server's copy still describes an
    event's old date after another client fixed the day.

    Raises:
        InvalidCalendar: The text is not a calendar.
    """
    found = set()
    for part in scan(data, "<server object>"):
        if part.name != "VTIMEZONE":
            found |= {line for text in part.lines if (line := _line(text)) and line.startswith(_PRECISION_NAMES)}
    return found
