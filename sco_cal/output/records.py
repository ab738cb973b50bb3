"""Plain, stable records of events for scripts: what ``--format json|csv|yaml`` print.

The layout is versioned (``RECORD_SCHEMA``); fields are only ever added, never renamed or removed. ``start`` and
``end`` are the event's own values (its own zone and local time); ``when``, ``display_start`` and ``display_end``
are the same moments in the display zone (``display_zone``), the one every text view shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Final

from sco_cal.dates import DateValue, display_span
from sco_cal.output.json_text import indented_json
from sco_cal.query import Occurrence

__all__ = ["CSV_COLUMNS", "RECORD_SCHEMA", "csv_row", "document", "json_document", "record"]

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


def json_document(occurrences: Iterable[Occurrence], default_zone: str, *, display_zone: str) -> Iterator[str]:
    """``document`` as JSON text, exactly as ``json.dumps(..., ensure_ascii=False, indent=2)`` writes it, in
    pieces: each event's record is made and written while the next ones are still being read."""
    yield f'{{\n  "schema": {RECORD_SCHEMA},\n  "events": ['
    separator = "\n"
    for occurrence in occurrences:
        yield separator + "    " + indented_json(record(occurrence, default_zone, display_zone=display_zone), 2)
        separator = ",\n"
    yield "]\n}\n" if separator == "\n" else "\n  ]\n}\n"


def csv_row(occurrence: Occurrence, default_zone: str, *, display_zone: str) -> list[str]:
    """One row under ``CSV_COLUMNS``: the record's values, dates as their storage text, lists joined by ``;``."""
    event, start, end, span = occurrence.event, occurrence.start, occurrence.end, occurrence.span
    venue = event.venue
    cells = (
        event.id,
        event.title,
        str(event.kind),
        str(event.status),
        start.to_text() if start else None,
        str(start.precision) if start else None,
        end.to_text() if end else None,
        str(end.precision) if end else None,
        "yes" if occurrence.fixed else "no",
        span.start.isoformat() if span else None,
        span.end.isoformat() if span else None,
        display_span(start, end, default_zone, display_zone),
        venue.name if venue else None,
        venue.country if venue else None,
        ";".join(event.orgs),
        event.series,
        event.number,
        ";".join(event.tags),
        event.sources[0].url if event.sources else None,
        start.edtf(default_zone) if start else None,
        end.edtf(default_zone) if end else None,
    )
    return ["" if cell is None else str(cell) for cell in cells]
