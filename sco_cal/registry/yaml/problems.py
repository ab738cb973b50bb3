"""What is wrong in a registry file, collected rather than raised at the first, so ``validate`` lists it all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import yaml

from sco_cal.errors import DanglingReference, InvalidRegistry
from sco_cal.model import Event

__all__ = ["Bad", "BrokenEvent", "EventProblem", "Problems", "attempt", "raise_all"]

T = TypeVar("T")


@dataclass(frozen=True)
class BrokenEvent:
    """An event that has problems, as far as it could be read: the registry-wide checks (unique ids, ``related``,
    ``occurrence_of``) still judge the fields in it that were read, so one run of ``validate`` lists them all."""

    path: str
    line: int
    column: int
    event: Event  # the fields named in ``unread`` hold stand-ins
    unread: frozenset[str]

    def read(self, key: str) -> bool:
        return key not in self.unread


@dataclass
class Problems:
    """Collects every problem of a file, for ``validate``; ``raise_first`` for commands that stop at one."""

    items: list[InvalidRegistry] = field(default_factory=list)
    broken: list[BrokenEvent] = field(default_factory=list)
    line_offset: int = 0  # where the text that was parsed starts in its file, when it is a piece of it

    def at(self, path: str, line: int, column: int, message: str) -> None:
        self.items.append(InvalidRegistry(message, path=path, line=line, column=column))

    def add(self, path: str, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 + self.line_offset if node is not None else 0
        column = node.start_mark.column + 1 if node is not None else 0
        self.items.append(InvalidRegistry(message, path=path, line=line, column=column))

    @property
    def fatal(self) -> list[InvalidRegistry]:
        """The problems that stop a read: all but a ``related`` naming an id no event has."""
        return [problem for problem in self.items if not isinstance(problem, DanglingReference)]

    def raise_first(self) -> None:
        if fatal := self.fatal:
            raise fatal[0]


class EventProblem(InvalidRegistry):
    """A problem of an event whose id could be read: the event is there, though broken, so an event that names
    it in ``related`` is not told that it is missing."""

    def __init__(self, message: str, *, path: str, line: int, column: int, event_id: str):
        super().__init__(message, path=path, line=line, column=column)
        self.event_id = event_id

    @classmethod
    def of(cls, problem: InvalidRegistry, event_id: str) -> EventProblem:
        return cls(problem.message, path=problem.path, line=problem.line, column=problem.column, event_id=event_id)


class Bad(Exception):
    """A problem at a node, turned into an ``InvalidRegistry`` by the caller that knows the path; ``others`` are
    the independent problems found beside it in the same value (a venue with an unknown key and a bad zone)."""

    def __init__(self, node: yaml.Node, message: str, others: tuple[Bad, ...] = ()):
        super().__init__(message)
        self.node = node
        self.message = message
        self.others = others

    @property
    def each(self) -> tuple[Bad, ...]:
        return (self, *(inner for other in self.others for inner in other.each))


def attempt(bads: list[Bad], read: Callable[[], T]) -> T | None:
    """``read()``, or ``None`` with its problem added to ``bads``: to go on and find the problems beside it."""
    try:
        return read()
    except Bad as bad:
        bads.append(bad)
        return None


def raise_all(bads: list[Bad]) -> None:
    if bads:
        raise Bad(bads[0].node, bads[0].message, (*bads[0].others, *bads[1:]))
