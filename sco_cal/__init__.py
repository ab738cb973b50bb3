"""sco-cal: a calendar and reminder registry for events whose dates are only partly known.

The core API is importable without the CLI, and imports neither typer nor rich::

    from pathlib import Path
    import sco_cal

    registry = sco_cal.load(Path("examples/sco-defence.yaml"))
    for event in registry.events:
        print(event.id, event.start.display() if event.start else "date unknown")
"""

from __future__ import annotations

from sco_cal.dates import DateValue, Precision, Span, Window, display_span
from sco_cal.errors import (
    AmbiguousDate,
    Busy,
    Conflict,
    EventNotFound,
    InvalidCalendar,
    InvalidInput,
    InvalidRegistry,
    ScoCalError,
    StorageError,
)
from sco_cal.model import Event, Kind, LeadTime, Participant, Source, Status, Venue, make_id
from sco_cal.phrases import parse_date, parse_span, parse_window
from sco_cal.query import Filters, Occurrence, SortBy, select, stale
from sco_cal.registry import Editor, Registry, editing, load, loads, problems

__version__ = "0.1.0"

__all__ = [
    "AmbiguousDate",
    "Busy",
    "Conflict",
    "DateValue",
    "Editor",
    "Event",
    "EventNotFound",
    "Filters",
    "InvalidCalendar",
    "InvalidInput",
    "InvalidRegistry",
    "Kind",
    "LeadTime",
    "Occurrence",
    "Participant",
    "Precision",
    "Registry",
    "ScoCalError",
    "SortBy",
    "Source",
    "Span",
    "Status",
    "StorageError",
    "Venue",
    "Window",
    "__version__",
    "display_span",
    "editing",
    "load",
    "loads",
    "make_id",
    "parse_date",
    "parse_span",
    "parse_window",
    "problems",
    "select",
    "stale",
]
