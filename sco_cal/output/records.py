"""Plain, stable records of events for scripts: what ``--format json|csv|yaml`` print.

The layout is versioned (``RECORD_SCHEMA``); fields are only ever added, never renamed or removed. ``start`` and
``end`` are the event's own values (its own zone and local time); ``when``, ``display_start`` and ``display_end``
are the same moments in the display zone (``display_zone``), the one every text view shows.
"""

from __future__ import annotations

from typing import Any, Final

from sco_cal.dates import DateValue, display_span
from sco_cal.query import Occurrence

__all__ = ["CSV_COLUMNS", "RECORD_SCHEMA", "csv_row", "document", "record"]

RECORD_SCHEMA: Final = 1
CSV_COLUMNS: Final = (
    "id",
    "title",
    "kind",
    "status",
    "start",
    "start_precision",
    "end",
    "end_precision",
    "fixed",
    "earliest",
    "latest",
    "when",
    "venue",
    "country",
    "orgs",
    "series",
    "number",
    "tags",
    "source",
    "start_edtf",
    "end_edtf",
)


def _date(value: DateValue | None) -> dict[str, Any] | None:
    if value is None:
        return None
    result: dict[str, Any] = {"value": value.to_text(), "precision": str(value.precision)}
    if value.zone:
        result["zone"] = value.zone
    return result


def _shown(value: DateValue | None, default_zone: str, display_zone: str) -> str | None:
    return value.in_zone(default_zone, display_zone).to_text() if value else None


def record(occurrence: Occurrence, default_zone: str, *, display_zone: str) -> dict[str, Any]:
    """Everything about one occurrence, with ISO values and the precision of every date."""
    event = occurrence.event
    span = occurrence.span
    start, end = occurrence.start, occurrence.end
    return {
        "id": event.id,
        "title": event.title,
        "kind": str(event.kind),
        "status": str(event.status),
        "start": _date(occurrence.start),
        "end": _date(occurrence.end),
        # the EDTF (ISO 8601-2) code of each: 2020-35 for Q3 2020, a time with the offset its zone has then
        "start_edtf": start.edtf(default_zone) if start else None,
        "end_edtf": end.edtf(default_zone) if end else None,
        "fixed": occurrence.fixed,
        "earliest": span.start.isoformat() if span else None,
        "latest": span.end.isoformat() if span else None,
        "when": display_span(start, end, default_zone, display_zone),
        "display_zone": display_zone,
        "display_start": _shown(start, default_zone, display_zone),
        "display_end": _shown(end, default_zone, display_zone),
        "venue": (
            {"name": event.venue.name, "country": event.venue.country, "timezone": event.venue.timezone}
            if event.venue
            else None
        ),
        "orgs": list(event.orgs),
        "series": event.series,
        "number": event.number,
        "participants": [{"name": p.name, "role": p.role} for p in event.participants],
        "sources": [
            {
                "url": s.url,
                "title": s.title,
                "published": s.published.to_text() if s.published else None,
                "excerpt": s.excerpt,
            }
            for s in event.sources
        ],
        "tags": list(event.tags),
        "reminders": [lead.to_text() for lead in event.reminders],
        "recurrence": event.recurrence,
        "except": [value.to_text() for value in event.excluded],
        "also": [value.to_text() for value in event.also],
        "occurrence_of": event.occurrence_of,
        "replaces": event.replaces.to_text() if event.replaces else None,
        "related": list(event.related),
        "notes": event.notes,
    }


def document(occurrences: list[Occurrence], default_zone: str, *, display_zone: str) -> dict[str, Any]:
    """The one JSON/YAML document a query prints."""
    return {
        "schema": RECORD_SCHEMA,
        "events": [record(o, default_zone, display_zone=display_zone) for o in occurrences],
    }


def csv_row(occurrence: Occurrence, default_zone: str, *, display_zone: str) -> list[str]:
    full = record(occurrence, default_zone, display_zone=display_zone)
    event = occurrence.event
    cells: dict[str, object] = {
        **full,
        "start": occurrence.start.to_text() if occurrence.start else "",
        "start_precision": str(occurrence.start.precision) if occurrence.start else "",
        "end": occurrence.end.to_text() if occurrence.end else "",
        "end_precision": str(occurrence.end.precision) if occurrence.end else "",
        "fixed": "yes" if occurrence.fixed else "no",
        "venue": event.venue.name if event.venue else "",
        "country": event.venue.country if event.venue else "",
        "orgs": ";".join(event.orgs),
        "tags": ";".join(event.tags),
        "source": event.sources[0].url if event.sources and event.sources[0].url else "",
    }
    return ["" if cells[c] is None else str(cells[c]) for c in CSV_COLUMNS]
