"""The changes an editor records, one type each: what a command asked for, carried out by ``commit`` (spliced
into the changed event's own lines, or on the whole file)."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from sco_cal.model import Event

__all__ = ["Added", "Operation", "Removed", "Replaced"]

# NamedTuples, not dataclasses: every save makes these classes, and a NamedTuple is made many times faster.


class Added(NamedTuple):
    event: Event
    file: Path | None = None  # in a registry that is a folder: which of its files gets the event

    @property
    def event_id(self) -> str:
        return self.event.id

    @property
    def verb(self) -> str:
        """The change as the save journal names it."""
        return "add"


class Replaced(NamedTuple):
    event: Event  # the new version of the event with the same id

    @property
    def event_id(self) -> str:
        return self.event.id

    @property
    def verb(self) -> str:
        return "edit"


class Removed(NamedTuple):
    event_id: str

    @property
    def event(self) -> None:
        """What stands under the id afterwards: nothing."""
        return None

    @property
    def verb(self) -> str:
        return "remove"


Operation = Added | Replaced | Removed
