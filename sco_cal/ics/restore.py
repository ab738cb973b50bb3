"""A VEVENT sco-cal wrote, read back exactly: its X-SCO-* properties restore every field, wherever the standard
properties still say what we would publish for them (an edit made in another app wins over what we wrote).

Exports ``restore_ours``, and the small readers the other fields share: ``x_text``, ``status_text``,
``shared_text``.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC
from typing import Any, Final

from icalendar import Component

from sco_cal.dates import DateValue, Precision
from sco_cal.errors import InvalidInput
from sco_cal.ics import publish
from sco_cal.ics.incoming import Context, Imported, PropertyError, RawDates
from sco_cal.ics.lines import unescape_text
from sco_cal.ics.rules import same_rule
from sco_cal.model import Kind, Status

__all__ = ["restore_ours", "shared_text", "status_text", "x_text"]

_SHARED_MAX_CHARS: Final = 64


def restore_ours(vevent: Component, imported: Imported, raw: RawDates | None, context: Context, summary: str) -> None:
    """For a VEVENT sco-cal wrote: the exact values of X-SCO-*, wherever the standard properties still say
    what we would publish for them (an edit made in another app wins over what we wrote)."""
    fields = imported.fields
    start, end, kind, status, data = _written(vevent)
    # a season as the writing registry read it, then named as the importing one names its months
    start, end = (_season(value, context) for value in (start, end))
    imported.ours = True
    imported.suggested_id = x_text(vevent, "X-SCO-ID")
    feed_zone = context.feed_zone or context.default_zone
    if start is not None and raw is not None and publish.shows(start, end, raw, feed_zone):
        if feed_zone != context.default_zone:  # keep meaning the same instant in a registry of another zone
            start, end = publish.with_zone(start, feed_zone), publish.with_zone(end, feed_zone)
        fields["start"], fields["end"] = start, end
    if status_text(vevent) == publish.status_of(fields["start"], fields["end"], status):
        imported.statuses = (status,)
    if summary.strip():
        fields["title"] = summary  # exact: our own titles are not trimmed
    kept_marks = publish.title_marks(fields["start"], fields["end"], status)
    for suffix in (kept_marks, publish.title_marks(start, end, status)):  # then the marks we wrote, before any edit
        if suffix and summary.endswith(suffix) and summary[: len(summary) - len(suffix)].strip():
            fields["title"] = summary[: len(summary) - len(suffix)]
            break
    recurrence = data.pop("recurrence")
    if fields["recurrence"] is not None and recurrence is not None and same_rule(recurrence, fields["recurrence"]):
        fields["recurrence"] = recurrence
    location = fields.get("venue")
    if location is not None and (data["venue"] is None or data["venue"].display().strip() != location.name):
        data["venue"] = location
    for key in ("excluded", "also"):  # as written, while EXDATE and RDATE still say what we published
        if not _same_occurrences(data[key], fields.get(key, ()), feed_zone, subset=key == "excluded"):
            data[key] = fields.get(key, ())
    fields |= data
    fields["kind"] = kind


def _season(value: DateValue | None, context: Context) -> DateValue | None:
    if value is None or value.precision is not Precision.SEASON:
        return value
    return value.in_hemisphere(southern=context.feed_southern).in_hemisphere(southern=context.southern, renamed=True)


def _written(vevent: Component) -> tuple[DateValue | None, DateValue | None, Kind, Status, dict[str, Any]]:
    """What sco-cal wrote in X-SCO-*: the dates, kind and status, and the other fields (X-SCO-DATA)."""
    try:
        start_text, end_text = x_text(vevent, "X-SCO-START"), x_text(vevent, "X-SCO-END")
        start = DateValue.from_text(start_text) if start_text else None
        end = DateValue.from_text(end_text) if end_text else None
        kind = Kind(x_text(vevent, "X-SCO-KIND") or "other")
        status = Status(x_text(vevent, "X-SCO-STATUS") or "planned")
        data = publish.restore_data(json.loads(x_text(vevent, "X-SCO-DATA") or "{}", object_pairs_hook=_shared))
    except (InvalidInput, ValueError, TypeError, KeyError) as error:
        raise PropertyError("X-SCO-DATA", f"sco-cal's own properties are damaged: {error}") from None
    return start, end, kind, status, data


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


def x_text(vevent: Component, name: str) -> str | None:
    value = vevent.get(name)
    if value is None:
        return None
    text = str(value)
    return unescape_text(text) if "\\" in text else text  # only a backslash starts an escape


def status_text(vevent: Component) -> str | None:
    value = vevent.get("STATUS")
    return None if value is None else str(value).strip().upper()


def shared_text(value: object) -> object:
    if isinstance(value, str) and len(value) <= _SHARED_MAX_CHARS:
        return sys.intern(value)
    return value


def _shared(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An X-SCO-DATA object with its short texts interned (a list's too): the same organisation, country, zone,
    tag or role in every event of a large feed is then one string, held once through the write."""
    return {
        key: [shared_text(item) for item in value] if isinstance(value, list) else shared_text(value)
        for key, value in pairs
    }
