"""Reading a large registry file a few hundred events at a time, so memory stays bounded.

PyYAML builds a node for every value before anything can be read; for 100,000 events that tree alone takes
over a gigabyte. The events of a registry are items of one block list, and an item starts on a line of its own
at the list's indentation, so the file can be cut there and each piece composed alone. Whenever the layout is
anything but that plain shape, or a piece does not compose, the caller parses the whole file instead, so the
answer (and every error message) is always the one the whole file gives.
"""

from __future__ import annotations

from typing import Final

import yaml

from sco_cal.schema import (
    EventNode,
    ParsedFile,
    Problems,
    compose,
    may_hold_anchors_or_tags,
    parse_whole,
    read_events,
)

__all__ = ["parse_in_pieces"]

EVENTS_PER_PIECE: Final = 400


def _is_blank_or_comment(stripped: str) -> bool:
    return not stripped.strip() or stripped.startswith("#")


def _events_line(lines: list[str]) -> int | None:
    found = [i for i, line in enumerate(lines) if line.startswith("events:") and _is_blank_or_comment(line[7:])]
    return found[0] if len(found) == 1 else None


def _item_starts(lines: list[str], events_line: int) -> tuple[list[int], int] | None:
    """The line of each item of the events list and the line after the list; ``None`` if unsure."""
    starts: list[int] = []
    indent = -1
    for number in range(events_line + 1, len(lines)):
        line = lines[number]
        stripped = line.lstrip(" ")
        if _is_blank_or_comment(stripped):
            continue
        depth = len(line) - len(stripped)
        is_item = stripped.startswith("- ") or stripped.rstrip("\r\n") == "-"
        if indent < 0:
            if not is_item:
                return None
            indent = depth
        if depth < indent or (depth == indent and not is_item):
            return starts, number
        if depth == indent:
            starts.append(number)
    return (starts, len(lines)) if starts else None


def parse_in_pieces(path: str, text: str, problems: Problems) -> ParsedFile | None:
    """Read the header once and the events piece by piece, keeping no nodes; ``None`` means "parse whole"."""
    lines = text.splitlines(keepends=True)
    events_line = _events_line(lines)
    if events_line is None:
        return None
    layout = _item_starts(lines, events_line)
    if layout is None:
        return None
    starts, end = layout
    # The header keeps its line numbers: the list's lines become empty lines.
    header_text = "".join(lines[: events_line + 1]) + "\n" * (end - events_line - 1) + "".join(lines[end:])
    header_problems = Problems()
    parsed = parse_whole(path, header_text, header_problems)
    if header_problems.items:
        return None
    events: list[EventNode] = []
    for first_item in range(0, len(starts), EVENTS_PER_PIECE):
        first = starts[first_item]
        stop = starts[first_item + EVENTS_PER_PIECE] if first_item + EVENTS_PER_PIECE < len(starts) else end
        piece = "".join(lines[first:stop])
        piece_problems = Problems(line_offset=first)
        node = compose(path, piece, piece_problems)
        if not isinstance(node, yaml.SequenceNode) or piece_problems.items or may_hold_anchors_or_tags(piece):
            return None
        events.extend(read_events(path, node, piece_problems, keep_nodes=False))
        problems.items.extend(piece_problems.items)
    parsed.text = ""  # read-only: nobody splices into this text, so it need not stay in memory
    parsed.root = None
    parsed.events_node = None
    parsed.events = events
    return parsed
