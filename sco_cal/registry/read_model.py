"""The read model: every event of a registry, with its header and where each event's text lives."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final

from sco_cal.cache.store import EventStore, IndexedEvent
from sco_cal.errors import EventNotFound
from sco_cal.model import Event, Header, Kind, LeadTime

if TYPE_CHECKING:
    from sco_cal.dates import Window
    from sco_cal.registry.yaml.reader import EventNode, ParsedFile

__all__ = ["DEFAULT_ZONE", "Registry"]

DEFAULT_ZONE: Final = "UTC"


@dataclass
class Registry:
    """Every event of a registry, with its header and where each event's text lives.

    Read from the files (``files`` and ``_where`` filled), or from a fresh index (``_index`` set), in which
    case events are unpickled only when asked for.
    """

    path: Path
    header: Header
    files: list[ParsedFile]
    _events: tuple[Event, ...] | None = ()
    _where: dict[str, tuple[ParsedFile, EventNode]] = field(default_factory=dict, repr=False)
    _index: EventStore | None = field(default=None, repr=False)

    @classmethod
    def from_index(cls, path: Path, index: EventStore) -> Registry:
        return cls(path=path, header=index.header, files=[], _events=None, _index=index)

    @property
    def events(self) -> tuple[Event, ...]:
        if self._events is None:
            assert self._index is not None
            self._events = tuple(found.event for found in self._index.all())
        return self._events

    def iter_events(self) -> Iterator[Event]:
        """Every event once, in file order, without keeping them: one pass over a big registry read from its
        index holds a few events at a time, where ``events`` would hold them all from then on."""
        if self._events is not None or self._index is None:
            return iter(self.events)
        return (found.event for found in self._index.all())

    @property
    def store(self) -> EventStore | None:
        """The derived copy events are read from while they have not all been read: ``None`` once they have,
        or when the registry was parsed."""
        return self._index if self._events is None else None

    def events_in(self, window: Window | None) -> Sequence[Event]:
        """The events that may fall in ``window`` (all of them for ``None``): a superset the query narrows."""
        if window is None or self._index is None or self._events is not None:
            return self.events
        return self._index.candidates(window)

    @property
    def longest_own_lead(self) -> timedelta:
        """The longest reminder lead time any event sets for itself (defaults per kind are not counted)."""
        if self._index is not None and self._events is None:
            return self._index.longest_lead
        return max((lead.delta for event in self.events for lead in event.reminders), default=timedelta())

    @property
    def timezone(self) -> str:
        return self.header.timezone or DEFAULT_ZONE

    @property
    def southern(self) -> bool:
        """Whether the registry reads its seasons in the southern hemisphere (``seasons: southern``)."""
        return self.header.seasons == "southern"

    @property
    def name(self) -> str:
        return self.header.name or self.path.stem

    @property
    def uid_domain(self) -> str:
        """The registry's identity in UIDs: stated in the header, else derived from its name."""
        if self.header.uid_domain:
            return self.header.uid_domain
        slug = re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-") or "registry"
        return f"{slug}.sco-cal"

    def get(self, event_id: str) -> Event:
        if self._index is not None:
            found = self._index.get(event_id)
            if found is None:
                raise EventNotFound(event_id)
            return found.event
        try:
            return self._where[event_id][1].event
        except KeyError:
            raise EventNotFound(event_id) from None

    def location(self, event_id: str) -> tuple[str, int]:
        """The file and 1-based line where an event is written."""
        if self._index is not None:
            found = self._index.get(event_id)
            if found is None:
                raise EventNotFound(event_id)
            return found.path, found.line
        parsed, node = self._where[event_id]
        return parsed.path, node.line

    def naming_missing(self) -> Iterator[IndexedEvent]:
        """The events whose ``related`` names an id no event has: the registry reads, ``validate`` tells them."""
        if self._index is not None:
            return self._index.naming_missing()
        return (
            IndexedEvent(node.event, parsed.path, node.line)
            for parsed, node in self._where.values()
            if any(target not in self._where for target in node.event.related)
        )

    def default_reminders(self, kind: Kind) -> tuple[LeadTime, ...]:
        return self.header.reminders.get(kind, ())

    def __contains__(self, event_id: object) -> bool:
        if self._index is not None:
            return isinstance(event_id, str) and self._index.get(event_id) is not None
        return event_id in self._where
