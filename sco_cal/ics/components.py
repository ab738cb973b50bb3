"""A scanned part's text as icalendar gets it: a VTIMEZONE with one TZID, and an alarm icalendar cannot read left
out of a VEVENT (and counted as not kept) instead of refusing the file. (The properties of a VEVENT that nothing
reads are left out by ``scan`` already.)

Exports ``event_component``, ``one_tzid`` and ``nested``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from icalendar import Component

from sco_cal.ics.contentlines import component_of
from sco_cal.ics.scan import EventIndex, Notes, NotKept, Part

__all__ = ["event_component", "nested", "one_tzid"]

_NAME_RE: Final = re.compile(r"[A-Za-z0-9-]+")


def one_tzid(part: Part, notes: Notes) -> str:
    """A VTIMEZONE's text with its first TZID only: a zone has one name, and icalendar fails on several."""
    kept: list[str] = []
    named = False
    for number, (depth, name, line) in enumerate(nested(part.lines)):
        if depth == 1 and name == "TZID" and not named:
            named = True
        elif depth == 1 and name == "TZID":
            notes.warnings.append(f"{part.line + number}: TZID: a second name for the zone; sco-cal keeps the first")
            notes.not_kept.append(NotKept(part.line + number, "TZID", "a second name for one zone"))
            continue
        kept.append(line)
    return "\r\n".join(kept) + "\r\n"


def event_component(part: Part, not_kept: list[NotKept]) -> Component:
    """A VEVENT as icalendar reads it; an alarm icalendar cannot read (``TRIGGER:soon``, ``REPEAT:x``) is left
    out and counted as not kept, instead of refusing the file."""
    try:
        return component_of(part.lines)
    except Exception:  # noqa: BLE001  # read again without its alarms, to tell which part is at fault
        own, alarms = _alarms_apart(part.lines)
        component = component_of(own)
    index = part.index or EventIndex(part.line)
    lines = [line for name, line in index.inner if name == "VALARM"]
    for position, alarm in enumerate(alarms):
        line = lines[position] if position < len(lines) else part.line
        try:
            component.add_component(component_of(alarm))
        except Exception as error:  # noqa: BLE001  # whatever icalendar raises on a hostile alarm
            not_kept.append(NotKept(line, "VALARM", f"cannot be read: {error}"))
            index.inner.remove(("VALARM", line))
    return component


def _alarms_apart(lines: list[str]) -> tuple[list[str], list[list[str]]]:
    """A VEVENT's lines without its VALARMs, and each VALARM's lines."""
    own: list[str] = []
    alarms: list[list[str]] = []
    alarm: list[str] | None = None
    for depth, name, line in nested(lines):
        if name == "BEGIN" and depth == 2 and line.partition(":")[2].strip().upper() == "VALARM":
            alarm = []
            alarms.append(alarm)
        (own if alarm is None else alarm).append(line)
        if name == "END" and depth == 2:
            alarm = None
    return own, alarms


def nested(lines: list[str]) -> Iterator[tuple[int, str, str]]:
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
