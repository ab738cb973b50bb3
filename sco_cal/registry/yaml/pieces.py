"""Reading a large registry file a few hundred events at a time, so memory stays bounded.

PyYAML builds a node for every value before anything can be read, and for a large registry that tree alone
dwarfs the file. The events of a registry are items of one block list, and an item starts on a line of its own
at the list's indentation, so the file can be cut there and each piece composed alone. Whenever the layout is
anything but that plain shape, or a piece does not compose, the caller parses the whole file instead, so the
answer (and every error message) is always the one the whole file gives.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

import yaml

from sco_cal.model import Event
from sco_cal.registry.yaml.events import EventNode, read_events
from sco_cal.registry.yaml.items import EVENTS_KEY, FIRST_CONTENT
from sco_cal.registry.yaml.nodes import compose, may_hold_anchors_or_tags
from sco_cal.registry.yaml.problems import Problems
from sco_cal.registry.yaml.whole import ParsedFile, parse_whole

__all__ = ["parse_in_pieces"]

EVENTS_PER_PIECE: Final = 400


def _item_starts(text: str, after: int, every: int = 1) -> tuple[list[tuple[int, int]], int] | None:
    """The (offset, line) of every ``every``-th item of the events list that starts after offset ``after``,
    from the first, and the offset where the list ends; ``None`` when the list is not a plain block list.
    Only the items a piece starts at are kept: a big file's other items would only add to a save's peak."""
    first = FIRST_CONTENT.search(text, after)
    if first is None or not text.startswith("-", first.end()):
        return None
    indent = len(first.group(1))
    # Only lines indented no deeper than the items can start an item or end the list: finding just those keeps
    # the scan in C however many lines each event has.
    boundary = re.compile(rf"^ {{0,{indent}}}(?=[^ \t\r\n#])", re.MULTILINE)
    starts: list[tuple[int, int]] = []
    line = text.count("\n", 0, first.start())
    position = first.start()
    for count, match in enumerate(boundary.finditer(text, first.start())):
        line += text.count("\n", position, match.start())
        position = match.start()
        is_item = len(match.group()) == indent and text[match.end() : match.end() + 2] in ("- ", "-\n", "-\r")
        if not is_item:
            return starts, match.start()
        if count % every == 0:
            starts.append((match.start(), line))
    return starts, len(text)


def parse_in_pieces(
    path: str, text: str, problems: Problems, held: Mapping[str, Event | None] | None = None
) -> ParsedFile | None:
    """Read the header once and the events piece by piece, keeping no nodes; ``None`` means "parse whole"."""
    keys = list(EVENTS_KEY.finditer(text))
    if len(keys) != 1:
        return None
    layout = _item_starts(text, keys[0].end(), EVENTS_PER_PIECE)
    if layout is None or not layout[0]:
        return None
    starts, end = layout
    # The header keeps its line numbers: the list's lines become empty lines.
    block_start = starts[0][0]
    header_text = text[:block_start] + "\n" * text.count("\n", block_start, end) + text[end:]
    header_problems = Problems()
    header = parse_whole(path, header_text, header_problems)
    if header_problems.items:
        return None
    events: list[EventNode] = []
    for number, (offset, line) in enumerate(starts):
        stop = starts[number + 1][0] if number + 1 < len(starts) else end
        piece = text[offset:stop]
        piece_problems = Problems(line_offset=line)
        node = compose(path, piece, piece_problems)
        if not isinstance(node, yaml.SequenceNode) or piece_problems.items or may_hold_anchors_or_tags(piece):
            return None
        events.extend(read_events(path, node, piece_problems, keep_nodes=False, held=held))
        problems.items.extend(piece_problems.items)
        problems.broken.extend(piece_problems.broken)
    # read-only: nobody splices into this text or its nodes, so neither is kept
    return ParsedFile(path, "", None, header.header, header.header_keys, None, events)
