"""Reading a whole registry file at once, keeping every node: the header, and the events through ``events``.

The surgical writer needs the nodes' marks, and a file whose layout the piecewise reader does not follow is read
here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Final

import yaml

from sco_cal.dates import Hemisphere
from sco_cal.model import Header, Kind
from sco_cal.registry.yaml.events import EventNode, events_with_nodes
from sco_cal.registry.yaml.keys import HEADER_KEYS
from sco_cal.registry.yaml.nodes import MAP_TAG, check_shape, compose, known_fields, may_hold_anchors_or_tags
from sco_cal.registry.yaml.problems import Bad, Problems
from sco_cal.registry.yaml.scalars import choice, converted, integer, lead, list_of, mapping, text, zone

__all__ = ["SCHEMA_VERSION", "ParsedFile", "parse_whole"]

SCHEMA_VERSION: Final = 1


@dataclass
class ParsedFile:
    path: str
    text: str
    root: yaml.MappingNode | None
    header: Header
    header_keys: dict[str, int]  # which header keys this file states, and on which line
    events_node: yaml.Node | None
    events: list[EventNode]


def parse_whole(path: str, text: str, problems: Problems) -> ParsedFile:
    """Compose the whole file at once and keep every node (the surgical writer needs their marks)."""
    parsed = ParsedFile(path, text, None, Header(), {}, None, [])
    root = compose(path, text, problems)
    if root is None:
        return parsed
    if not isinstance(root, yaml.MappingNode) or root.tag != MAP_TAG:
        problems.add(path, root, "a registry is a mapping with 'name', 'timezone' and 'events' keys")
        return parsed
    parsed.root = root
    try:
        if may_hold_anchors_or_tags(text):
            check_shape(root, 0, set())
    except Bad as bad:
        problems.add(path, bad.node, bad.message)
        return parsed
    for key, value in known_fields(root, HEADER_KEYS, partial(problems.add, path)):
        parsed.header_keys[key] = value.start_mark.line + 1
        try:
            if key == "events":
                parsed.events_node = value
            else:
                _read_header_value(parsed.header, key, value)
        except Bad as bad:
            problems.add(path, bad.node, bad.message)
    if parsed.events_node is not None:
        parsed.events = list(events_with_nodes(path, parsed.events_node, problems))
    return parsed


def _read_header_value(header: Header, key: str, value: yaml.Node) -> None:
    if key == "schema":
        header.schema = integer(value, "schema")
        if header.schema > SCHEMA_VERSION:
            raise Bad(value, f"schema: version {header.schema} was written by a newer sco-cal; upgrade sco-cal")
    elif key == "name":
        header.name = text(value, "name")
    elif key == "timezone":
        header.timezone = converted(value, "timezone", zone)
    elif key == "uid_domain":
        header.uid_domain = text(value, "uid_domain")
    elif key == "seasons":
        header.seasons = choice(value, "seasons", Hemisphere, Hemisphere)
    elif key == "reminders":
        for kind_node, leads in mapping(value, "reminders").value:
            kind = choice(kind_node, "reminders", Kind, Kind)
            if kind in header.reminders:
                raise Bad(kind_node, f"reminders.{kind}: appears twice; keep one")
            header.reminders[kind] = list_of(leads, f"reminders.{kind}", lead)
