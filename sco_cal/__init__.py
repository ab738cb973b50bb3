"""sco-cal: a calendar and reminder registry for events whose dates are only partly known.

The core API is importable without the CLI, and imports neither typer nor rich::

    from pathlib import Path
    import sco_cal

    registry = sco_cal.load(Path("examples/sco-defence.yaml"))
    for event in registry.events:
        print(event.id, event.start.display() if event.start else "date unknown")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sco_cal.dates import DateValue, Precision, Span, Window, display_span
    from sco_cal.dates.phrases import parse_date, parse_span, parse_window
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
    from sco_cal.query import Filters, Occurrence, SortBy, select, stale
    from sco_cal.registry import Editor, Registry, editing, load, loads, problems

# Imported on first use: the command line imports this package first, and must not pay for YAML, SQLite and
# dateutil before it knows which command it runs.
_HOMES = {
    "dates": ("DateValue", "Precision", "Span", "Window", "display_span"),
    "errors": (
        "AmbiguousDate",
        "Busy",
        "Conflict",
        "EventNotFound",
        "InvalidCalendar",
        "InvalidInput",
        "InvalidRegistry",
        "ScoCalError",
        "StorageError",
    ),
    "model": ("Event", "Kind", "LeadTime", "Participant", "Source", "Status", "Venue", "make_id"),
    "dates.phrases": ("parse_date", "parse_span", "parse_window"),
    "query": ("Filters", "Occurrence", "SortBy", "select", "stale"),
    "registry": ("Editor", "Registry", "editing", "load", "loads", "problems"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    if name in _MODULE_OF:
        return getattr(importlib.import_module(f"sco_cal.{_MODULE_OF[name]}"), name)
    raise AttributeError(f"module 'sco_cal' has no attribute {name!r}")


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
