"""The event's fields as ``add`` and ``edit`` name them: the option that sets each, and which fields an edit may
empty. Kept apart from ``editing`` because a command's help lists them, and help must not load the workflow."""

from __future__ import annotations

from dataclasses import fields
from typing import Final

from sco_cal.model import FILE_KEY_OF_FIELD, Event

__all__ = ["CLEARABLE", "EMPTY", "OPTIONS", "REPEATABLE"]

# What an edit may empty: every field but the identity, the required ones and the revision; emptied, a field
# holds what a new event holds.
_KEPT: Final = frozenset({"id", "title", "kind", "status", "start", "uid", "sequence", "updated"})
EMPTY: Final = {field.name: field.default for field in fields(Event) if field.name not in _KEPT}
CLEARABLE: Final = tuple(FILE_KEY_OF_FIELD.get(name, name) for name in EMPTY)  # named as in the registry file

# Each field of what the user typed (``editing.EventInput``): the option it comes from, as the user types it,
# and the event field it sets.
OPTIONS: Final[dict[str, tuple[str, str]]] = {
    "date": ("--date", "start"),
    "end": ("--end", "end"),
    "where": ("--where", "venue"),
    "country": ("--country", "venue"),
    "venue_tz": ("--venue-tz", "venue"),
    "orgs": ("--org", "orgs"),
    "kind": ("--kind", "kind"),
    "status": ("--status", "status"),
    "tags": ("--tag", "tags"),
    "series": ("--series", "series"),
    "number": ("--number", "number"),
    "note": ("--note", "notes"),
    "sources": ("--source", "sources"),
    "participants": ("--participant", "participants"),
    "reminders": ("--remind", "reminders"),
    "repeat": ("--repeat", "recurrence"),
    "related": ("--related", "related"),
}
# The options that may be given more than once, each time adding to a list; the others take one value.
REPEATABLE: Final = frozenset({"orgs", "tags", "sources", "participants", "reminders", "related"})
