"""One VEVENT, as icalendar reads it, to an ``Imported``: the fields of ours its standard properties state, its
alarms as reminders, its revision (SEQUENCE, LAST-MODIFIED), and what of it is not kept and why. A VEVENT sco-cal
wrote is then restored exactly from its X-SCO-* properties (``sco_cal.ics.restore``).

Exports ``imported_event`` and ``MAX_SEQUENCE``, and for ``sco_cal.ics.plain`` (the same event read from its
lines) ``statuses_of`` and ``end_not_kept``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any, Final

from icalendar import BrokenCalendarProperty, Component

from sco_cal.dates import DateValue
from sco_cal.ics.incoming import Context, Imported, PropertyError, RawDates
from sco_cal.ics.moments import aware, dates_of, dt_of, named_zone, occurrence_list, raw_dates
from sco_cal.ics.publish import STATUS_IN
from sco_cal.ics.restore import restore_ours, shared_text, status_text
from sco_cal.ics.rules import read_rule
from sco_cal.ics.scan import EventIndex, NotKept
from sco_cal.model import LeadTime, Source, Status, Venue

__all__ = ["MAX_SEQUENCE", "described", "end_not_kept", "imported_event", "statuses_of"]

# No weeks: "7d" and "1w" are the same TRIGGER, and days are what people set most.
_LEAD_UNITS: Final = (("d", timedelta(days=1)), ("h", timedelta(hours=1)))
_LONGEST_LEAD: Final = timedelta(days=9999)  # what a reminder can say (LeadTime takes four digits)
MAX_SEQUENCE: Final = 2**31 - 1  # RFC 5545's INTEGER; the registry reader takes the same


def imported_event(vevent: Component, index: EventIndex, context: Context) -> Imported:
    """One VEVENT as the fields of ours it states; a problem with one property raises ``PropertyError``."""
    uid = str(vevent.get("UID", "")).strip()
    warnings: list[str] = []
    raw = raw_dates(vevent, context, warnings)
    start, end = dates_of(raw, context.floating) if raw else (None, None)
    summary = _text(vevent, "SUMMARY") or ""
    fields: dict[str, Any] = {"title": summary.strip() or "(untitled)", "start": start, "end": end}
    _repetition(vevent, start, context, fields, warnings)
    _described(vevent, fields)
    not_kept = end_not_kept(raw, index)
    statuses = statuses_of(status_text(vevent), index, not_kept)
    sequence, updated = _revision(vevent, index, not_kept)
    imported = Imported(
        uid, index.line, fields, statuses, sequence=sequence, updated=updated, warnings=warnings, not_kept=not_kept
    )
    if any(True for _ in vevent.walk("VALARM")):
        _reminders_in(vevent, raw, index, imported)
    recurrence_id = dt_of(vevent, "RECURRENCE-ID")
    if recurrence_id is not None:
        moment = named_zone(vevent, "RECURRENCE-ID", recurrence_id)
        imported.recurrence_id = aware(moment, context.floating or context.default_zone)
    if vevent.get("X-SCO-ID") is not None:
        restore_ours(vevent, imported, raw, context, summary)
    if not uid:
        imported.uid = _content_uid(imported)
        imported.warnings.append(f"no UID; using {imported.uid!r} so that a second import finds it again")
    fields["title"] = shared_text(fields["title"])  # a series repeats its title every year
    return imported


def _repetition(
    vevent: Component, start: DateValue | None, context: Context, fields: dict[str, Any], warnings: list[str]
) -> None:
    """RRULE, and the EXDATEs and RDATEs of a series (of an event that does not repeat: a warning)."""
    recurrence, rule_warnings = read_rule(vevent, start)
    warnings += rule_warnings
    fields["recurrence"] = recurrence
    for name, key in (("EXDATE", "excluded"), ("RDATE", "also")):
        if vevent.get(name) is None:
            continue
        if recurrence is None or start is None:
            warnings.append(f"{name}: dates taken out of or added to an event that does not repeat are not kept")
        else:
            fields[key] = occurrence_list(vevent.get(name), start, context)


def _described(vevent: Component, fields: dict[str, Any]) -> None:
    """LOCATION, DESCRIPTION, URL and CATEGORIES, where the event states them."""
    described(lambda name: _text(vevent, name), fields)
    if vevent.get("CATEGORIES") is not None:
        fields["tags"] = _categories_in(vevent)


def statuses_of(status: str | None, index: EventIndex, not_kept: list[NotKept]) -> tuple[Status, ...]:
    """The statuses of ours STATUS (as ``status_text`` gives it) agrees with; one that is none of RFC 5545's is
    not kept."""
    statuses = STATUS_IN.get(status, ()) if status else ()
    if status and not statuses:
        where = index.props.get("STATUS", index.line)
        not_kept.append(NotKept(where, "STATUS", f"{status!r} is not TENTATIVE, CONFIRMED or CANCELLED"))
    return statuses


def _revision(vevent: Component, index: EventIndex, not_kept: list[NotKept]) -> tuple[int, datetime | None]:
    sequence = vevent.get("SEQUENCE")
    try:
        number = max(int(sequence), 0) if sequence is not None else 0
    except (TypeError, ValueError):
        raise PropertyError("SEQUENCE", f"{sequence!r} is not a whole number") from None
    if number > MAX_SEQUENCE:
        raise PropertyError("SEQUENCE", f"{number} is over {MAX_SEQUENCE}, the largest an iCalendar INTEGER can be")
    try:
        modified = dt_of(vevent, "LAST-MODIFIED")
    except PropertyError as error:  # only the revision's time: the import's own time stands in for it
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


def described(text_of: Callable[[str], str | None], fields: dict[str, Any]) -> None:
    """LOCATION, DESCRIPTION and URL, where ``text_of`` (a property's TEXT value, unescaped) finds them, as the
    event's venue, notes and source."""
    location = (text_of("LOCATION") or "").strip()
    if location:
        fields["venue"] = Venue(name=location)
    notes = text_of("DESCRIPTION")
    if notes:
        fields["notes"] = notes
    url = text_of("URL")
    if url:
        fields["sources"] = (Source(url=url),)


def _text(vevent: Component, name: str) -> str | None:
    """A text property's value; one of only white space is none, since a registry holds no blank values."""
    value = vevent.get(name)
    if isinstance(value, list):
        value = value[0]
    return None if value is None or str(value).isspace() or not str(value) else str(value)


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


def end_not_kept(raw: RawDates | None, index: EventIndex) -> list[NotKept]:
    """The end ``dates_of`` leaves out as it cannot be one: of another type than the start, or before it."""
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
