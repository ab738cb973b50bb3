"""One edit of a large registry through its index: parse only the changed event's own lines, not the file.

The index says where the event is written and where the next one starts. Those lines (with the comments and
blank lines just above, and the first line of the next event, so the neighbourhood looks as it does in the
whole file) are composed alone, edited by the same surgery as a whole-file edit, parsed again to prove the
result, and spliced back. When anything about the layout is unusual, ``None`` tells the caller to do the edit
the thorough way instead; the answer is the same either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from sco_cal.cache.index import Change, RegistryIndex
from sco_cal.model import Event, Header
from sco_cal.registry.operations import Added, Operation, Removed, Replaced
from sco_cal.registry.yaml.edits import FileEdits
from sco_cal.registry.yaml.reader import EventNode, ParsedFile, Problems, compose, may_hold_anchors_or_tags, read_events

__all__ = ["Spliced", "splice", "splice_added", "splice_many"]


@dataclass(frozen=True, slots=True)
class Spliced:
    path: Path
    text: str
    change: Change


def _read(path: Path) -> str:
    """A file's text with its own line ends: a file written with Windows line ends keeps them after a splice."""
    return path.read_bytes().decode("utf-8")


def _plain(line: str) -> str:
    return line.lstrip(" ")


def _is_blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _item_indent(line: str) -> int | None:
    body = _plain(line)
    return len(line) - len(body) if body.startswith("- ") else None


def _block_end(lines: list[str], first: int, indent: int) -> int:
    """The line after the events list, scanning from the item at ``first``."""
    for number in range(first + 1, len(lines)):
        line = lines[number]
        if _is_blank_or_comment(line):
            continue
        depth = len(line) - len(_plain(line))
        if depth < indent or (depth == indent and not _plain(line).startswith("-")):
            return number
    return len(lines)


def _region(lines: list[str], item: int, following: int | None) -> tuple[int, int] | None:
    """Lines ``[start, stop)``: the item, and what precedes it back to the previous item's text."""
    indent = _item_indent(lines[item]) if item < len(lines) else None
    if indent is None:
        return None
    stop = following if following is not None else _block_end(lines, item, indent)
    start = item
    while start > 0 and _is_blank_or_comment(lines[start - 1]):
        start -= 1
    return start, stop


def _events(path: str, text: str) -> tuple[yaml.SequenceNode | None, list[EventNode]] | None:
    """The events written in ``text`` (none when it holds only comments), or ``None`` if it is not a plain list."""
    if all(_is_blank_or_comment(line) for line in text.splitlines()):
        return None, []
    if may_hold_anchors_or_tags(text):
        return None
    problems = Problems()
    node = compose(path, text, problems)
    if not isinstance(node, yaml.SequenceNode) or problems.items:
        return None
    found = list(read_events(path, node, problems))
    return (node, found) if not problems.items and len(found) == len(node.value) else None


def splice(index: RegistryIndex, registry_path: Path, operation: Operation) -> Spliced | None:
    """The new text of the one file the operation changes, or ``None`` when only a whole-file edit will do."""
    if isinstance(operation, Added):
        if operation.file is not None or registry_path.is_dir():
            return None  # which file of a folder gets the event is the whole-file editor's decision
        path = str(registry_path)
        last = index.last_line(path)
        if last is None:
            return None
        # the two last events, so the new one follows the file's spacing between events
        item, following = (index.previous_line(path, last) or last) - 1, None
    else:
        found = index.get(operation.event_id)
        if found is None:
            return None
        path = found.path
        item = found.line - 1
        after = index.next_line(path, found.line)
        following = after - 1 if after is not None else None
    try:
        lines = _read(Path(path)).splitlines(keepends=True)
    except (OSError, UnicodeDecodeError):
        return None
    region = _region(lines, item, following)
    if region is None:
        return None
    start, stop = region
    return _edit(path, lines, start, stop, operation, index)


def _edit(
    path: str, lines: list[str], start: int, stop: int, operation: Operation, index: RegistryIndex
) -> Spliced | None:
    edited = _edit_region(path, lines, start, stop, [operation], index)
    if edited is None:
        return None
    new_text, before, after = edited
    line = start + _new_line(after, operation, before)
    shift = new_text.count("\n") - "".join(lines[start:stop]).count("\n")
    text = "".join(lines[:start]) + new_text + "".join(lines[stop:])
    return Spliced(Path(path), text, Change(operation.event_id, operation.event, path, line, shift))


def splice_many(index: RegistryIndex, registry_path: Path, operations: list[Operation]) -> str | None:
    """The new text of a one-file registry after several operations (an import), each done on its event's own
    lines; ``None`` when only a whole-file edit will do. The caller parses the result before saving it."""
    adds = [operation for operation in operations if isinstance(operation, Added)]
    if registry_path.is_dir() or any(operation.file is not None for operation in adds):
        return None
    changed = [operation.event_id for operation in operations if not isinstance(operation, Added)]
    if len(set(changed)) != len(changed):
        return None  # one event edited twice in one save: the whole-file editor orders that
    path = str(registry_path)
    try:
        lines = _read(registry_path).splitlines(keepends=True)
    except (OSError, UnicodeDecodeError):
        return None
    regions: list[tuple[int, int, list[Operation]]] = []
    for operation in operations:
        if isinstance(operation, Added):
            continue
        found = index.get(operation.event_id)
        if found is None or found.path != path:
            return None
        after = index.next_line(path, found.line)
        region = _region(lines, found.line - 1, after - 1 if after is not None else None)
        if region is None:
            return None
        regions.append((*region, [operation]))
    if adds:
        last = index.last_line(path)
        if last is None:
            return None
        region = _region(lines, (index.previous_line(path, last) or last) - 1, None)
        if region is None:
            return None
        regions.append((*region, [*adds]))
    merged: list[tuple[int, int, list[Operation]]] = []
    for start, stop, done in sorted(regions, key=lambda region: region[0]):
        if merged and start < merged[-1][1]:  # neighbours: one region, edited at once
            first, end, earlier = merged.pop()
            start, stop, done = first, max(end, stop), earlier + done
        merged.append((start, stop, done))
    pieces: list[str] = []
    position = 0
    for start, stop, done in merged:
        edited = _edit_region(path, lines, start, stop, done, index)
        if edited is None:
            return None
        pieces.extend(lines[position:start])
        pieces.append(edited[0])
        position = stop
    pieces.extend(lines[position:])
    return "".join(pieces)


def splice_added(
    index: RegistryIndex, registry_path: Path, operations: list[Operation]
) -> tuple[str, list[Change]] | None:
    """The new text of a one-file registry after events are added after its last one (an import of new
    events), and the index's change for each; ``None`` when anything else is asked or the layout is unusual.

    Only the list's last events and the new ones are composed, alone, as a read in pieces composes them: the
    rest of the file is kept byte for byte, so the file reads as before plus what these lines prove. The
    events already in these lines must be where and what the index says, and must not move.
    """
    if registry_path.is_dir() or not all(isinstance(op, Added) and op.file is None for op in operations):
        return None
    path = str(registry_path)
    last = index.last_line(path)
    if last is None:
        return None
    try:
        text = _read(registry_path)
    except (OSError, UnicodeDecodeError):
        return None
    tail = _last_region(text, (index.previous_line(path, last) or last) - 1)
    if tail is None:
        return None
    edited = _edit_region(path, tail.lines, tail.start, tail.stop, operations, index)
    if edited is None:
        return None
    new_text, before, after = edited
    start = tail.first + tail.start  # the region's first line in the file
    for old, new in zip(before, after, strict=False):
        indexed = index.get(old.event.id)
        if indexed is None or indexed.event != old.event or indexed.line != start + old.line or new.line != old.line:
            return None
    # each new event follows every event of the file, so no event after it moves
    changes = [Change(own.event.id, own.event, path, start + own.line, 0) for own in after[len(before) :]]
    if not changes:
        return None
    return "".join([text[: tail.offset], *tail.lines[: tail.start], new_text, *tail.lines[tail.stop :]]), changes


@dataclass(frozen=True, slots=True)
class _Tail:
    """A file's lines from ``first`` (at ``offset``) to its end, and the region ``[start, stop)`` among them."""

    first: int
    offset: int
    lines: list[str]
    start: int
    stop: int


def _last_region(text: str, item: int) -> _Tail | None:
    """The region of the item at line ``item`` (0-based) to the end of its list, cut from the file's last lines
    alone: a big file is neither split into lines nor joined again.

    Lines are counted by newline here. Where the reader counts another line break before them (a lone carriage
    return), the events' lines disagree with the index's by that many, and the caller gives up on the splice.
    """
    newlines = text.count("\n")
    extra = 16
    while True:
        first = max(min(item, newlines) - extra, 0)
        offset = 0
        if first > 0:
            offset = len(text)
            for _ in range(newlines - first + 1):  # back to the newline that ends line ``first - 1``
                offset = text.rfind("\n", 0, offset)
            offset += 1
        lines = text[offset:].splitlines(keepends=True)
        region = _region(lines, item - first, None)
        if region is None:
            return None
        if region[0] > 0 or first == 0:  # the comments and blank lines above the item are all among these lines
            return _Tail(first, offset, lines, *region)
        extra *= 16


def _edit_region(
    path: str, lines: list[str], start: int, stop: int, operations: list[Operation], index: RegistryIndex
) -> tuple[str, list[EventNode], list[EventNode]] | None:
    """The new text of lines ``[start, stop)`` after ``operations``, proven to read back as intended, with the
    events the lines held before and hold after."""
    # Whatever follows the region (the next event, a header key) is text, never a blank line; a comment line
    # stands in for it so the surgery sees the same neighbourhood as in the whole file.
    sentinel = "# sco-cal: end of the edited lines\n" if stop < len(lines) else ""
    old_text = "".join(lines[start:stop]) + sentinel
    before = _events(path, old_text)
    if before is None or before[0] is None:
        return None
    sequence, found = before
    edits = FileEdits(ParsedFile(path, old_text, None, Header(), {}, sequence, found))
    expected = {own.event.id: own.event for own in found}
    added: list[Event] = []
    for operation in operations:
        if isinstance(operation, Added):
            edits.add(operation.event)
            added.append(operation.event)
            continue
        own = next((own for own in found if own.event.id == operation.event_id), None)
        indexed = index.get(operation.event_id)
        if own is None or indexed is None or own.event != indexed.event:
            return None  # the index and the text disagree: leave it to the thorough path
        if isinstance(operation, Replaced):
            edits.replace(own, operation.event)
            expected[own.event.id] = operation.event
        else:
            edits.remove(own)
            del expected[own.event.id]
    new_text = edits.apply()
    if not new_text.endswith(sentinel):
        return None
    after = _events(path, new_text)
    if after is None or [own.event for own in after[1]] != [*expected.values(), *added]:
        return None
    return new_text[: len(new_text) - len(sentinel)], found, after[1]


def _new_line(after: list[EventNode], operation: Operation, before: list[EventNode]) -> int:
    """The 1-based line, within the region, of the event the index keeps for this operation."""
    if isinstance(operation, Removed):
        return before[-1].line
    return after[-1].line
