"""The changes an editor records, one type each: what a command asked for, carried out by ``commit`` (spliced
into the changed event's own lines, or on the whole file)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from sco_cal.model import Event

__all__ = ["Added", "Operation", "Removed", "Replaced"]


@dataclass(frozen=True, slots=True)
class Added:
    event: Event
    file: Path | None = None  # in a registry that is a folder: which of its files gets the event
    verb: ClassVar[str] = "add"  # as the save journal names it

    @property
    def event_id(self) -> str:
        return self.event.id


@dataclass(frozen=True, slots=True)
class Replaced:
    event: Event  # the new version of the event with the same id
    verb: ClassVar[str] = "edit"

    @property
    def event_id(self) -> str:
        return self.event.id


@dataclass(frozen=True, slots=True)
class Removed:
    event_id: str
    verb: ClassVar[str] = "remove"

    @property
    def event(self) -> None:
        """What stands under the id afterwards: nothing."""
        return None


Operation = Added | Replaced | Removed
