"""Reading a registry file into its header and events, with the file, line and column of anything wrong.

A file read only to be queried is read a few hundred events at a time (``pieces``), one to be edited whole
(``whole``). The names other modules use from the YAML reading are all importable from here.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Mapping

from sco_cal.model import Event, Header
from sco_cal.registry.yaml.events import EventNode, read_events
from sco_cal.registry.yaml.keys import EVENT_KEYS, HEADER_KEYS
from sco_cal.registry.yaml.nodes import EMPTY_FILE, compose, may_hold_anchors_or_tags
from sco_cal.registry.yaml.pieces import parse_in_pieces
from sco_cal.registry.yaml.problems import BrokenEvent, EventProblem, Problems
from sco_cal.registry.yaml.whole import SCHEMA_VERSION, ParsedFile, parse_whole

__all__ = [
    "EMPTY_FILE",
    "EVENT_KEYS",
    "HEADER_KEYS",
    "SCHEMA_VERSION",
    "BrokenEvent",
    "EventNode",
    "EventProblem",
    "Header",
    "ParsedFile",
    "Problems",
    "compose",
    "may_hold_anchors_or_tags",
    "parse_file",
    "parse_whole",
    "read_events",
]


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a parse makes millions of objects and no cycles worth finding, and
    the collector's repeated passes over them cost more than the parse itself. Afterwards the survivors are
    frozen (moved out of the collector's sight), or the first full collection would scan them all anyway."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def parse_file(
    path: str,
    text: str,
    problems: Problems,
    *,
    keep_nodes: bool = True,
    held: Mapping[str, Event | None] | None = None,
) -> ParsedFile:
    """Read one registry file; every problem found goes to ``problems`` (the file is read as far as it can).

    ``keep_nodes=False`` is for reading only: the events are composed a few hundred at a time and their
    YAML nodes dropped as soon as they are read, so a 100,000-event file never holds its whole node tree.
    ``held`` are events the caller already has: an event that reads back equal to its held one is replaced by
    it as it is read, so checking a save of 100,000 events never holds two copies of them.
    """
    with _collector_paused():
        if not keep_nodes:
            pieced = parse_in_pieces(path, text, problems, held)
            if pieced is not None:
                return pieced
        return parse_whole(path, text, problems)
