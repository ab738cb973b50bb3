"""Plain, stable records of events for scripts: what ``--format json|csv|yaml`` print.

The layout is versioned (``RECORD_SCHEMA``); fields are only ever added, never renamed or removed. ``start`` and
``end`` are the event's own values (its own zone and local time); ``when``, ``display_start`` and ``display_end``
are the same moments in the display zone (``display_zone``), the one every text view shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, Final, TypeVar

from sco_cal.code_stamps import PACKAGE, code_stamps
from sco_cal.dates import DateValue, display_span
from sco_cal.output.memo import per_object
from sco_cal.query import Occurrence

if TYPE_CHECKING:
    from sco_cal.dates import Span
    from sco_cal.model import Event

__all__ = [
    "CSV_COLUMNS",
    "RECORD_SCHEMA",
    "csv_lines",
    "csv_row",
    "csv_text_lines",
    "document",
    "json_document",
    "json_record",
    "json_text_document",
    "kept_texts",
    "record",
]

RECORD_SCHEMA: Final = 1
_DISTINCT_DATES: Final = 4096  # the dates of a listing's events recently seen; those sharing dates come together
_T = TypeVar("_T")
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
    dated = _dated(occurrence.start, occurrence.end, occurrence.span, default_zone, display_zone)
    return _record(occurrence.event, dated)


def _dated(
    start: DateValue | None, end: DateValue | None, span: Span | None, default_zone: str, display_zone: str
) -> dict[str, Any]:
    """The fields of a record that depend only on the occurrence's dates, in the record's order."""
    return {
        "start": _date(start),
        "end": _date(end),
        # the EDTF (ISO 8601-2) code of each: 2020-35 for Q3 2020, a time with the offset its zone has then
        "start_edtf": start.edtf(default_zone) if start else None,
        "end_edtf": end.edtf(default_zone) if end else None,
        "fixed": span is not None and span.fixed,
        "earliest": span.start.isoformat() if span else None,
        "latest": span.end.isoformat() if span else None,
        "when": display_span(start, end, default_zone, display_zone),
        "display_zone": display_zone,
        "display_start": _shown(start, default_zone, display_zone),
        "display_end": _shown(end, default_zone, display_zone),
    }


def _record(event: Event, dated: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": event.id,
        "title": event.title,
        "kind": str(event.kind),
        "status": str(event.status),
        **dated,
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
    return json_text_document(map(json_record(default_zone, display_zone), occurrences))


def json_text_document(records: Iterable[str]) -> Iterator[str]:
    """``json_document`` of records made already (``json_record``'s)."""
    yield f'{{\n  "schema": {RECORD_SCHEMA},\n  "events": ['
    separator = "\n"
    for text in records:
        yield f"{separator}    {text}"
        separator = ",\n"
    yield "]\n}\n" if separator == "\n" else "\n  ]\n}\n"


def json_record(default_zone: str, display_zone: str) -> Callable[[Occurrence], str]:
    """The maker of an occurrence's record as ``json_document`` writes it."""
    from sco_cal.output.record_json import dated_text, record_maker

    dated = _per_distinct_dates(dated_text, default_zone, display_zone)
    record_text = record_maker()

    def text(occurrence: Occurrence) -> str:
        event, start, end, span = occurrence
        return record_text(event, dated(start, end, span))

    return text


def _per_distinct_dates(make: Callable[..., _T], default_zone: str, display_zone: str) -> Callable[..., _T]:
    """``make`` of an occurrence's start, end and span, worked out once for each distinct three: in a big
    registry many events share their dates, and a listing by date brings those together. What is made is shared
    by the records and only read.

    The three are looked up as objects (the index gives the events of a registry shared date objects, and the
    query shared spans); equal threes that are distinct objects are rare, not worth hashing every new three."""
    made_of = partial(make, default_zone=default_zone, display_zone=display_zone)
    # the objects themselves are kept with what was made of them: an id is only unique while its object lives
    seen: dict[tuple[int, int, int], tuple[_T, object]] = {}

    def made(start: DateValue | None, end: DateValue | None, span: Span | None) -> _T:
        found = seen.get((id(start), id(end), id(span)))
        if found is None:
            if len(seen) >= _DISTINCT_DATES:
                seen.clear()
            found = seen[id(start), id(end), id(span)] = (made_of(start, end, span), (start, end, span))
        return found[0]

    return made


def csv_lines(occurrences: Iterable[Occurrence], default_zone: str, *, display_zone: str) -> Iterator[str]:
    """The header and one row under ``CSV_COLUMNS`` for each occurrence, as ``csv.writer(...,
    lineterminator="\\n")`` writes them: the record's values, dates as their storage text, lists joined by
    ``;``."""
    return csv_text_lines(map(csv_row(default_zone, display_zone), occurrences))


def csv_text_lines(rows: Iterable[str]) -> Iterator[str]:
    """``csv_lines`` of rows made already (``csv_row``'s)."""
    yield ",".join(CSV_COLUMNS) + "\n"
    yield from rows


def csv_row(default_zone: str, display_zone: str) -> Callable[[Occurrence], str]:
    """The maker of an occurrence's line in ``csv_lines``."""
    parts = _csv_parts(default_zone)
    shown = _per_distinct_dates(partial(_csv_shown, _csv_text()), default_zone, display_zone)

    def row(occurrence: Occurrence) -> str:
        event, start, end, span = occurrence
        head, tail = parts(event, start, end)
        return f"{head},{shown(start, end, span)},{tail}\n"

    return row


def kept_texts(kind: str, default_zone: str, display_zone: str) -> tuple[str, Callable[[Occurrence], str]]:
    """The form and the maker of the text a listing in ``kind`` (``csv`` or ``json``) may keep of each event of a
    big registry in its index (``csv_row``'s or ``json_record``'s). The form names everything the text is made
    of besides the event: the zones and the code that orders and writes it (the size and time of each module,
    so that an upgrade or an edit of the code starts afresh)."""
    files = [PACKAGE / "output" / "records.py", PACKAGE / "output" / "record_json.py", PACKAGE / "query.py"]
    sources = code_stamps([*files, PACKAGE / "model.py", *sorted((PACKAGE / "dates").glob("*.py"))])
    make = csv_row if kind == "csv" else json_record
    return repr((kind, RECORD_SCHEMA, default_zone, display_zone, sources)), make(default_zone, display_zone)


def _csv_parts(default_zone: str) -> Callable[[Event, DateValue | None, DateValue | None], tuple[str, str]]:
    """The maker of an occurrence's CSV cells before ``fixed`` and after ``when`` (which do not depend on the
    viewer's zone), each run of cells written as the csv writer writes it; the dates are the occurrence's (an
    occurrence of a series has its own)."""
    text = _csv_text()

    def date_cells(value: DateValue) -> tuple[str, str, str]:
        return value.to_text(), str(value.precision), value.edtf(default_zone)

    cells = per_object(date_cells)
    join = ";".join

    def parts(event: Event, start: DateValue | None, end: DateValue | None) -> tuple[str, str]:
        venue, sources, number = event.venue, event.sources, event.number
        start_text, start_precision, start_edtf = cells(start) if start else _NO_DATE
        end_text, end_precision, end_edtf = cells(end) if end else _NO_DATE
        head = [event.id, event.title, str(event.kind), str(event.status)]
        tail = [
            (venue.name or "") if venue else "",
            (venue.country or "") if venue else "",
            join(event.orgs),
            event.series or "",
            "" if number is None else str(number),
            join(event.tags),
            (sources[0].url or "") if sources else "",
        ]
        return text([*head, start_text, start_precision, end_text, end_precision]), text([*tail, start_edtf, end_edtf])

    return parts


def _csv_text() -> Callable[[list[str]], str]:
    """The maker of a run of cells' text in a CSV row: cells holding no comma, quote or line break are joined by
    commas, and only the others go through the writer, which reads every character to decide. A run of more
    than one cell is quoted cell by cell as within a whole row."""
    import csv
    import io

    quoted = io.StringIO()
    writer = csv.writer(quoted, lineterminator="\n")

    def text(cells: list[str]) -> str:
        line = ",".join(cells)
        if line.count(",") == len(cells) - 1 and '"' not in line and "\n" not in line and "\r" not in line:
            return line
        quoted.seek(0)
        quoted.truncate()
        writer.writerow(cells)
        return quoted.getvalue()[:-1]

    return text


def _csv_shown(
    text: Callable[[list[str]], str],
    start: DateValue | None,
    end: DateValue | None,
    span: Span | None,
    default_zone: str,
    display_zone: str,
) -> str:
    """The cells of a row that depend on the viewer's zone, ``fixed`` to ``when``, as ``text`` writes them."""
    fixed = "yes" if span is not None and span.fixed else "no"
    when = "date unknown" if start is None else display_span(start, end, default_zone, display_zone)
    return text([fixed, span.start.isoformat() if span else "", span.end.isoformat() if span else "", when])


_NO_DATE: Final = ("", "", "")
