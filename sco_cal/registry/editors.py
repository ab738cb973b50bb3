"""The one editing contract: ``Editor`` checks every change the same way and records it as an operation; the
two editors differ only in what they ask (the files read whole, or the index of a big registry) and in what
``commit`` does with the operations.

- ``WholeFileEditor``: the registry parsed with its YAML nodes; each change is cut into the file's text at once.
- ``IndexedEditor``: a big registry's fresh index answers the checks; the operations are spliced into the
  changed events' own lines by ``commit``, which falls back to a whole-file editor when a splice is not sure.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from sco_cal.errors import Conflict, EventNotFound
from sco_cal.model import Event
from sco_cal.registry.assemble import parse_all, seasons_in
from sco_cal.registry.operations import Added, Operation, Removed, Replaced
from sco_cal.registry.read_model import Registry
from sco_cal.registry.yaml.edits import FileEdits
from sco_cal.registry.yaml.reader import ParsedFile, Problems, parse_file

if TYPE_CHECKING:
    from sco_cal.cache.index import RegistryIndex

__all__ = ["Editor", "IndexedEditor", "WholeFileEditor", "whole_file_editor"]


class Editor(ABC):
    """The changes of one save. Obtained from ``editing()``; every method checks before it records."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.operations: list[Operation] = []

    @property
    @abstractmethod
    def taken_ids(self) -> set[str]:
        """The ids in use once the changes recorded so far are made."""

    def add(self, event: Event, *, file: Path | None = None) -> None:
        event = self._as_read(event)
        event.check(self.registry.timezone)
        if self._taken(event.id):
            raise Conflict(f"id: {event.id!r} is already used; choose another with --id")
        self._check_related(event)
        self._record(Added(event, file))

    def update(self, event: Event) -> None:
        event = self._as_read(event)
        event.check(self.registry.timezone)
        self._check_related(event, already=self._named_before(event.id))
        if not self._stands(event.id):
            raise EventNotFound(event.id)
        self._record(Replaced(event))

    def remove(self, event_id: str) -> None:
        if not self._stands(event_id):
            raise EventNotFound(event_id)
        referrers = self._referrers(event_id)
        if referrers:
            raise Conflict(f"{event_id!r} is named in 'related' by {', '.join(referrers)}; remove it there first")
        moved = self._moved(event_id)
        if moved:
            raise Conflict(f"{event_id!r} has moved occurrences ({', '.join(moved)}); remove those first")
        self._record(Removed(event_id))

    def apply(self, operations: Iterable[Operation]) -> None:
        """Make the changes another editor recorded, with this editor's checks."""
        for operation in operations:
            match operation:
                case Added(event, file):
                    self.add(event, file=file)
                case Replaced(event):
                    self.update(event)
                case Removed(event_id):
                    self.remove(event_id)

    def _as_read(self, event: Event) -> Event:
        """A season is saved by its name, which the registry reads in its own hemisphere: a value built in the
        other (a northern summer from a phrase, or from another registry) is saved as that name means here."""
        return seasons_in(event, southern=self.registry.southern)

    def _check_related(self, event: Event, already: tuple[str, ...] = ()) -> None:
        """An edit names only events that are there; an id the event ``already`` named is kept as it is, so an
        event whose related one was deleted by hand can still be edited (``validate`` tells of that id)."""
        for related in event.related:
            if related not in already and not self._taken(related):
                raise Conflict(f"related: no event has the id {related!r}")
        if event.occurrence_of is not None and not self._taken(event.occurrence_of):
            raise Conflict(f"occurrence_of: no event has the id {event.occurrence_of!r}")

    def _named_before(self, event_id: str) -> tuple[str, ...]:
        """What the event names in ``related`` as the registry was read (nothing for one added in this save)."""
        return self.registry.get(event_id).related if event_id in self.registry else ()

    def _record(self, operation: Operation) -> None:
        self._carry_out(operation)
        self.operations.append(operation)

    @abstractmethod
    def _taken(self, event_id: str) -> bool:
        """Whether an event has the id once the changes recorded so far are made."""

    @abstractmethod
    def _stands(self, event_id: str) -> bool:
        """Whether an event with the id is there to be changed or removed."""

    @abstractmethod
    def _referrers(self, event_id: str) -> list[str]:
        """The events that name ``event_id`` in their ``related``."""

    @abstractmethod
    def _moved(self, event_id: str) -> list[str]:
        """The moved occurrences of the repeating event ``event_id``."""

    @abstractmethod
    def _carry_out(self, operation: Operation) -> None:
        """Whatever the editor does with a change that passed the checks."""


class WholeFileEditor(Editor):
    """Edits the text of the files read whole, with their YAML nodes; ``new_texts`` gives the result."""

    def __init__(self, registry: Registry) -> None:
        super().__init__(registry)
        self._edits: dict[str, FileEdits] = {}
        self._ids = set(registry._where)
        self.expected: dict[str, Event | None] = {}  # each changed id's event after the save (None: removed)

    @property
    def taken_ids(self) -> set[str]:
        return set(self._ids)

    def _taken(self, event_id: str) -> bool:
        return event_id in self._ids

    def _stands(self, event_id: str) -> bool:
        return event_id in self.registry._where

    def _referrers(self, event_id: str) -> list[str]:
        return [e.id for e in self.registry.events if event_id in e.related]

    def _moved(self, event_id: str) -> list[str]:
        return [e.id for e in self.registry.events if e.occurrence_of == event_id]

    def _carry_out(self, operation: Operation) -> None:
        match operation:
            case Added(event, file):
                self._file_edits(self._target_file(file)).add(event)
                self._ids.add(event.id)
            case Replaced(event):
                parsed, node = self.registry._where[event.id]
                self._file_edits(parsed).replace(node, event)
            case Removed(event_id):
                parsed, node = self.registry._where[event_id]
                self._file_edits(parsed).remove(node)
                self._ids.discard(event_id)
        self.expected[operation.event_id] = operation.event

    def _file_edits(self, parsed: ParsedFile) -> FileEdits:
        if parsed.path not in self._edits:
            self._edits[parsed.path] = FileEdits(parsed)
        return self._edits[parsed.path]

    def _target_file(self, file: Path | None) -> ParsedFile:
        files = self.registry.files
        if file is None:
            with_header = [f for f in files if "events" in f.header_keys or "name" in f.header_keys]
            return (with_header or files)[0]
        wanted = (self.registry.path / file) if self.registry.path.is_dir() else file
        for parsed in files:  # by the file they stand for: a folder may be reached through a link too
            if os.path.realpath(parsed.path) == os.path.realpath(wanted):
                return parsed
        if not self.registry.path.is_dir():
            raise Conflict(f"--file only applies to a registry that is a folder of files, not {self.registry.path}")
        return parse_file(str(wanted), "", Problems())

    def actions(self) -> list[tuple[str, str]]:
        """What the save did to each changed id, as the save journal names it."""
        return [
            ("remove" if event is None else "edit" if event_id in self.registry._where else "add", event_id)
            for event_id, event in self.expected.items()
        ]

    def new_texts(self) -> dict[str, str]:
        """The changed files' new text, once: the pending edits are let go with it, so the check and the write
        of a big import need not hold both."""
        texts = {path: edits.apply() for path, edits in self._edits.items()}
        self._edits.clear()
        return texts


def whole_file_editor(path: Path) -> WholeFileEditor:
    """An editor of the registry's files parsed whole, with the YAML nodes the text surgery needs."""
    registry, report = parse_all(path, keep_nodes=True)
    report.raise_first()
    return WholeFileEditor(registry)


class IndexedEditor(Editor):
    """Answers the checks from a big registry's fresh index; the changes are only recorded here."""

    def __init__(self, registry: Registry, index: RegistryIndex) -> None:
        super().__init__(registry)
        self.index = index
        self._ids: set[str] | None = None  # loaded from the index at the first change that needs them

    @property
    def taken_ids(self) -> set[str]:
        return set(self._loaded_ids())

    def _loaded_ids(self) -> set[str]:
        if self._ids is None:
            self._ids = self.index.ids()
        return self._ids

    def _taken(self, event_id: str) -> bool:
        if self._ids is not None:
            return event_id in self._ids
        return self.index.get(event_id) is not None

    def _stands(self, event_id: str) -> bool:
        return self._taken(event_id)

    def _referrers(self, event_id: str) -> list[str]:
        return self.index.referrers(event_id)

    def _moved(self, event_id: str) -> list[str]:
        found = self.index.get(event_id)
        if found is None or not found.event.recurrence:  # only a repeating event has moved occurrences
            return []
        return [each.event.id for each in self.index.all() if each.event.occurrence_of == event_id]

    def _carry_out(self, operation: Operation) -> None:
        if isinstance(operation, Added):
            self._loaded_ids().add(operation.event_id)
        elif isinstance(operation, Removed):
            self._loaded_ids().discard(operation.event_id)

    def actions(self) -> list[tuple[str, str]]:
        return [(operation.verb, operation.event_id) for operation in self.operations]
