"""The keys a registry file may hold, each level's in the order the file lists them; an event's are derived
from the model's one list of fields (``EVENT_FILE_KEYS``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, TypeVar

from sco_cal.model import EVENT_FILE_KEYS

__all__ = ["EVENT_KEYS", "HEADER_KEYS", "PARTICIPANT_KEYS", "SOURCE_KEYS", "VENUE_KEYS", "by_file_key"]

EVENT_KEYS: Final = tuple(EVENT_FILE_KEYS.values())
HEADER_KEYS: Final = ("schema", "name", "timezone", "uid_domain", "seasons", "reminders", "events")
VENUE_KEYS: Final = ("name", "country", "timezone")
PARTICIPANT_KEYS: Final = ("name", "role")
SOURCE_KEYS: Final = ("url", "title", "published", "excerpt")

T = TypeVar("T")


def by_file_key(by_field: Mapping[str, T], what: str) -> dict[str, tuple[str, T]]:
    """A table with one entry per field of an event, as ``{file key: (field, entry)}`` in the file's order.

    A field without an entry, or an entry without a field, fails the import of the module that builds the table,
    so the reader and the writer cannot fall out of step with the model.
    """
    if by_field.keys() != EVENT_FILE_KEYS.keys():
        raise TypeError(f"{what} and the event's fields differ in {sorted(by_field.keys() ^ EVENT_FILE_KEYS.keys())}")
    return {key: (name, by_field[name]) for name, key in EVENT_FILE_KEYS.items()}
