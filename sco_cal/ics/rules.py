"""RRULE both ways: a stored rule as a feed writes it beside its DTSTART, and a calendar's RRULE as a registry
stores it. One rule for UNTIL serves both: RFC 5545 wants UNTIL of the same kind as DTSTART (a DATE beside a
day, UTC beside a zoned time), while a registry keeps it as a wall time in the start's zone.

Exports ``rrule``, ``rrule_line`` (export), ``read_rule``, ``rule_beside``, ``same_rule`` (import) and ``until_beside``.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from icalendar import Component, vRecur

from sco_cal.dates import DateValue, Precision, zone_for
from sco_cal.errors import InvalidInput
from sco_cal.ics.incoming import PropertyError

__all__ = ["read_rule", "rrule", "rrule_line", "rule_beside", "same_rule", "until_beside"]


def until_beside(recur: vRecur, zone: tzinfo | None, *, written: bool) -> vRecur:
    """``recur`` with its UNTIL as it stands beside a DTSTART: a DATE beside a day (``zone`` is ``None``);
    beside a time in ``zone``, in UTC as a feed writes it (``written``), else as a registry stores it, the wall
    time in ``zone``. A day beside a time is the whole day, as ``list`` reads it."""
    if "UNTIL" not in recur:
        return recur
    until = recur["UNTIL"][0]
    if zone is None:
        recur["UNTIL"] = [until.date() if isinstance(until, datetime) else until]
    elif written:
        if not isinstance(until, datetime):
            until = datetime.combine(until, datetime.max.time().replace(microsecond=0))
        recur["UNTIL"] = [(until if until.tzinfo is not None else until.replace(tzinfo=zone)).astimezone(UTC)]
    elif isinstance(until, datetime) and until.tzinfo is not None:
        recur["UNTIL"] = [until.astimezone(zone).replace(tzinfo=None)]
    return recur


def rrule(rule: str, start: date | datetime) -> vRecur:
    """The stored rule as RFC 5545 wants it beside this DTSTART: UNTIL a DATE for all-day events, UTC otherwise."""
    return until_beside(vRecur.from_ical(rule), start.tzinfo if isinstance(start, datetime) else None, written=True)


@functools.lru_cache(maxsize=1024)
def _rrule_text(rule: str, timed: bool, zone: tzinfo | None) -> str:
    start = datetime(2000, 1, 1, tzinfo=zone) if timed else date(2000, 1, 1)  # only its kind and zone count
    recur: Any = rrule(rule, start)  # vRecur.to_ical has no annotations
    return str(recur.to_ical().decode())


def rrule_line(rule: str, start: date | datetime) -> str:
    """The RRULE value, as icalendar writes it: it normalises the stored text (order, case), and one rule
    serves thousands of events, so each (rule, kind of start, zone) is parsed once."""
    if isinstance(start, datetime):
        return _rrule_text(rule, True, start.tzinfo)
    return _rrule_text(rule, False, None)


def read_rule(vevent: Component, start: DateValue | None) -> tuple[str | None, list[str]]:
    """A VEVENT's RRULE as a registry stores it beside ``start``, and warnings about what is not kept of it."""
    rules = vevent.get("RRULE")
    if rules is None or start is None:
        return None, []
    warnings = []
    if isinstance(rules, list):
        warnings.append(f"RRULE: {len(rules)} rules; sco-cal keeps the first")
        rules = rules[0]
    return rule_beside(rules, start, warnings, moved=vevent.get("RECURRENCE-ID") is not None)


def rule_beside(rules: Any, start: DateValue, warnings: list[str], *, moved: bool) -> tuple[str | None, list[str]]:
    """One RRULE as icalendar holds it (``vRecur``, or what it keeps of a rule it cannot read) as a registry
    stores it beside ``start``; ``moved``: the event is a moved occurrence (RECURRENCE-ID)."""
    untyped: Any = rules  # vRecur.to_ical has no annotations
    written = untyped.to_ical().decode() if isinstance(rules, vRecur) else str(rules)
    text = "".join(written.split())  # "BYDAY=MO, TU" means MO,TU: no part of a rule holds a space
    if not text:
        return None, [*warnings, "RRULE: empty, so the event does not repeat"]
    try:
        recur = vRecur.from_ical(text)
    except (ValueError, TypeError) as error:
        raise PropertyError("RRULE", f"not a recurrence rule ({error})") from None
    if "UNTIL" in recur:
        day = start.precision is Precision.DAY
        until_beside(recur, None if day else zone_for(start.zone or "UTC"), written=False)
    if moved:
        warnings.append("RRULE: a moved occurrence does not repeat itself; the rule is not kept")
        return None, warnings
    from sco_cal.recurrence import check_rule  # dateutil only for calendars that repeat

    try:
        return check_rule(recur.to_ical().decode()), warnings
    except InvalidInput as error:
        raise PropertyError("RRULE", str(error)) from None


def same_rule(ours: str, theirs: str) -> bool:
    """Whether two rules say the same, however each is spelt."""
    try:
        return bool(vRecur.from_ical(ours).to_ical() == vRecur.from_ical(theirs).to_ical())
    except ValueError:
        return False
