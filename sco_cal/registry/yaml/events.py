"""The events of an ``events:`` list: each mapping read field by field, with every independent problem of it
collected, and the broken ones kept as far as they could be read."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Final

import yaml

from sco_cal.model import Event
from sco_cal.registry.yaml.field_readers import READ_AS
from sco_cal.registry.yaml.nodes import known_fields
from sco_cal.registry.yaml.problems import Bad, BrokenEvent, EventProblem, Problems
from sco_cal.registry.yaml.scalars import optional_text

__all__ = ["EventNode", "events_with_nodes", "read_events"]

# What an event that lacks a required field is read with, so that its other fields are still checked.
_STAND_INS: Final = {"id": "x", "title": "x"}


@dataclass(frozen=True, slots=True)
class EventNode:
    """An event and where its text is: the mapping node keeps the marks the surgical writer needs."""

    event: Event
    node: yaml.MappingNode | None  # None when read for querying only: the nodes are not kept
    line: int  # 1-based, for messages
    column: int = 1


def read_events(
    path: str,
    node: yaml.Node,
    problems: Problems,
    *,
    keep_nodes: bool = True,
    held: Mapping[str, Event | None] | None = None,
) -> Iterator[EventNode]:
    """The events of an ``events:`` sequence node; problems go to ``problems`` (with its line offset).

    Without nodes, an event equal to its entry in ``held`` is given as that very object, so checking a save of
    many events never holds two copies of them. ``held`` events have passed ``Event.check``: one read back
    equal to its held event is not checked again.
    """
    for found in events_with_nodes(path, node, problems, None if keep_nodes else held):
        if keep_nodes:
            yield found
            continue
        event = found.event
        if held is not None and (same := held.get(event.id)) is not None and (same is event or same == event):
            event = same
        yield EventNode(event, None, found.line, found.column)


def events_with_nodes(
    path: str, node: yaml.Node, problems: Problems, checked: Mapping[str, Event | None] | None = None
) -> Iterator[EventNode]:
    """The events of an ``events:`` node, each with its mapping node; problems go to ``problems``. An event
    that reads equal to its entry in ``checked`` (events known to pass ``Event.check``) is given as that one."""
    if isinstance(node, yaml.ScalarNode) and optional_text(node, "events") is None:
        return
    if not isinstance(node, yaml.SequenceNode):
        problems.add(path, node, "events: expected a list of events, each starting with '- id: ...'")
        return
    report = partial(problems.add, path)
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            problems.add(path, item, "events: each event is a mapping of fields starting with '- id: ...'")
            continue
        line, column = item.start_mark.line + 1 + problems.line_offset, item.start_mark.column + 1
        event, unread = _read_event(item, problems, report, checked)
        if unread is None:
            yield EventNode(event, item, line, column)
        else:
            problems.broken.append(BrokenEvent(path, line, column, event, unread))


def _fields(item: yaml.MappingNode, report: Callable[[yaml.Node | None, str], None]) -> dict[str, yaml.Node]:
    """The known fields of an event's mapping; any key that is not one (or is given twice) is reported as
    ``known_fields`` reports it, which reads the mapping again only then."""
    fields: dict[str, yaml.Node] = {}
    for key_node, value in item.value:
        if type(key_node) is not yaml.ScalarNode or (key := key_node.value) in fields or key not in READ_AS:
            return dict(known_fields(item, READ_AS, report))
        fields[key] = value
    return fields


def _read_event(
    item: yaml.MappingNode,
    problems: Problems,
    report: Callable[[yaml.Node | None, str], None],
    checked: Mapping[str, Event | None] | None,
) -> tuple[Event, frozenset[str] | None]:
    """The event and ``None``, or, with every independent problem of it in ``problems``, the event as far as it
    was read and the fields that could not be: a field that cannot be read is reported once, and the rules that
    depend on it are not tried."""
    before = len(problems.items)
    fields = _fields(item, report)
    values: dict[str, object] = {}
    unread = {required for required in _STAND_INS if required not in fields}
    for required in sorted(unread):
        report(item, f"{required}: every event needs one")
    for key, node in fields.items():
        name, read = READ_AS[key]
        try:
            values[name] = read(node, key)
        except Bad as bad:
            unread.add(key)
            for each in bad.each:
                report(each.node, each.message)
    event = Event(**{**_STAND_INS, **values})  # type: ignore[arg-type]  # each reader returns its field's type
    same = checked.get(event.id) if checked is not None and len(problems.items) == before else None
    if same is not None and same == event:
        return same, None  # equal to an event that passed every rule below, and more
    # the registry's zone is known once every file is read: the registry checks that order then
    for depends_on, message in event.problems(default_zone=None):
        if not depends_on & unread:
            report(fields.get(message.split(":", 1)[0].split(".")[0], item), message)
    if len(problems.items) == before:
        return event, None
    problems.items[before:] = sorted(problems.items[before:], key=lambda problem: (problem.line, problem.column))
    if "id" not in unread:
        problems.items[before:] = [EventProblem.of(problem, event.id) for problem in problems.items[before:]]
    return event, frozenset(unread)
