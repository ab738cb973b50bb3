"""Surgical edits of a registry file's text: add, change or remove one event and leave every other byte alone.

Edits are computed against the marks of one parse and applied bottom-up in a single pass, so several edits in
one save (an import) never disturb each other's line numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import yaml

from sco_cal.errors import Conflict
from sco_cal.model import Event
from sco_cal.registry.yaml.emit import event_fields, item_lines, key_lines
from sco_cal.registry.yaml.reader import EventNode, ParsedFile

__all__ = ["FileEdits"]


@dataclass(order=True)
class _Splice:
    start: int  # first line replaced (0-based)
    stop: int  # first line kept after the replaced ones
    order: int
    # The new lines, each piece several whole lines in one string: a big import makes millions of lines, which as
    # separate strings would take far more memory than their text.
    parts: list[str] = field(compare=False)


def _is_blank(line: str) -> bool:
    return not line.strip()


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _last_line(node: yaml.Node, lines: list[str]) -> int:
    """The last line (0-based) holding this node's own text, not the blank lines or comments after it."""
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value and not node.flow_style:
        last = node.value[-1]
        return _last_line(last[1] if isinstance(last, tuple) else last, lines)
    end = node.end_mark
    line = end.line if end.column > 0 else end.line - 1
    while line > node.start_mark.line and line < len(lines) and _is_blank(lines[line]):
        line -= 1
    return max(line, node.start_mark.line)


def _node_of(found: EventNode) -> yaml.MappingNode:
    if found.node is None:
        raise ValueError("the registry was read without its nodes; edit it through registry.editing()")
    return found.node


class FileEdits:
    """The edits pending for one file; ``apply`` returns the new text."""

    def __init__(self, parsed: ParsedFile):
        self.parsed = parsed
        self.lines = parsed.text.splitlines(keepends=True)
        self.newline = "\r\n" if self.lines and self.lines[0].endswith("\r\n") else "\n"
        self._splices: list[_Splice] = []
        # When this save gives the file its first events, the list it starts and the indents of its items: the
        # events added after the first go to the end of that list.
        self._new_list: tuple[_Splice, int, int] | None = None

    # --- public operations -----------------------------------------------------------------------------

    def add(self, event: Event) -> None:
        if self._new_list is not None:
            splice, dash, keys = self._new_list
            splice.parts.append(self._ended(item_lines(event, dash, keys)))
            return
        events = self.parsed.events_node
        if isinstance(events, yaml.SequenceNode) and events.value and not events.flow_style:
            self._append_item(events, event)
        elif events is None:
            self._add_events_key(event)
        elif (isinstance(events, yaml.SequenceNode) and not events.value) or isinstance(events, yaml.ScalarNode):
            self._fill_empty_events(event)
        else:
            raise Conflict(
                f"{self.parsed.path}: the events list is written inline ([...]); write it as a block list "
                "(one '- id: ...' per event) so sco-cal can add to it"
            )

    def replace(self, old: EventNode, new: Event) -> None:
        node = _node_of(old)
        keys = [key.value for key, _value in node.value]
        fields = event_fields(new)
        first_key = keys[0] if keys else None
        if node.flow_style or first_key not in fields:
            self._replace_whole(old, new)
            return
        self._replace_changed_keys(node, old.event, new, fields)

    def remove(self, old: EventNode) -> None:
        first, last = self._item_region(_node_of(old))
        first = self._with_leading_comments(first)
        before = first - 1
        after = last + 1
        if before >= 0 and _is_blank(self.lines[before]) and (after >= len(self.lines) or _is_blank(self.lines[after])):
            first -= 1  # keep one blank line between the neighbours, not two
        self._splice(first, last + 1, [])

    def apply(self) -> str:
        lines = list(self.lines)
        for splice in sorted(self._splices, reverse=True):
            lines[splice.start : splice.stop] = splice.parts
        return "".join(lines)

    # --- the pieces ----------------------------------------------------------------------------------------

    def _splice(self, start: int, stop: int, lines: list[str]) -> _Splice:
        splice = _Splice(start, stop, len(self._splices), [self._ended(lines)] if lines else [])
        self._splices.append(splice)
        return splice

    def _ended(self, lines: list[str]) -> str:
        return self.newline.join(lines) + self.newline if lines else ""

    def _item_region(self, node: yaml.MappingNode) -> tuple[int, int]:
        first = node.start_mark.line
        if first > 0 and self.lines[first - 1].strip() == "-":  # "-" alone, the fields on the lines below
            first -= 1
        return first, _last_line(node, self.lines)

    def _with_leading_comments(self, first: int) -> int:
        while first > 0 and _is_comment(self.lines[first - 1]):
            first -= 1
        return first

    def _indents(self, node: yaml.MappingNode) -> tuple[int, int]:
        """The column of this item's dash and of its keys, so new text matches the user's layout."""
        key_indent = node.start_mark.column
        line = self.lines[node.start_mark.line]
        dash = line.find("-", 0, key_indent)
        if dash < 0:
            return max(key_indent - 2, 0), key_indent
        return dash, key_indent

    def _append_item(self, events: yaml.SequenceNode, event: Event) -> None:
        last_item = events.value[-1]
        dash, keys = self._indents(last_item)
        _first, last = self._item_region(last_item)
        separated = len(events.value) > 1 and self._blank_between(events.value[-2], last_item)
        lines = ([""] if separated else []) + item_lines(event, dash, keys)
        self._ensure_final_newline(last)
        self._splice(last + 1, last + 1, lines)

    def _blank_between(self, earlier: yaml.MappingNode, later: yaml.MappingNode) -> bool:
        end = _last_line(earlier, self.lines)
        return any(_is_blank(line) for line in self.lines[end + 1 : later.start_mark.line])

    def _ensure_final_newline(self, line: int) -> None:
        if line == len(self.lines) - 1 and not self.lines[line].endswith("\n"):
            self.lines[line] += self.newline

    def _add_events_key(self, event: Event) -> None:
        end = len(self.lines)
        if end:
            self._ensure_final_newline(end - 1)
        self._new_list = (self._splice(end, end, ["events:", *item_lines(event, 2, 4)]), 2, 4)

    def _fill_empty_events(self, event: Event) -> None:
        assert self.parsed.root is not None
        for key, value in self.parsed.root.value:
            if key.value == "events":
                line = key.start_mark.line
                stop = _last_line(value, self.lines) + 1
                prefix = self.lines[line][: key.start_mark.column]
                dash, keys = key.start_mark.column + 2, key.start_mark.column + 4
                splice = self._splice(line, stop, [f"{prefix}events:", *item_lines(event, dash, keys)])
                self._new_list = (splice, dash, keys)
                return

    def _replace_whole(self, old: EventNode, new: Event) -> None:
        node = _node_of(old)
        first, last = self._item_region(node)
        dash, keys = self._indents(node)
        self._splice(first, last + 1, item_lines(new, dash, keys))

    def _replace_changed_keys(
        self, node: yaml.MappingNode, old: Event, new: Event, fields: Mapping[str, object]
    ) -> None:
        old_fields = event_fields(old)
        present = [(key, value) for key, value in node.value]
        indent = node.start_mark.column
        last_kept = 0
        for position, (key, value) in enumerate(present):
            name = key.value
            start, stop = key.start_mark.line, _last_line(value, self.lines)
            if name not in fields:
                self._splice(start, stop + 1, [])
                continue
            last_kept = position
            if fields[name] == old_fields.get(name):
                continue
            prefix = self.lines[start][: key.start_mark.column]
            new_lines = key_lines(name, fields[name], indent)  # type: ignore[arg-type]  # a field value
            comment = self._trailing_comment(value, start, stop)
            if comment and len(new_lines) == 1:
                new_lines[0] += comment
            self._splice(start, stop + 1, [prefix + new_lines[0], *new_lines[1:]])
        self._insert_new_keys(node, present, fields, indent, last_kept)

    def _insert_new_keys(
        self,
        node: yaml.MappingNode,
        present: list[tuple[yaml.Node, yaml.Node]],
        fields: Mapping[str, object],
        indent: int,
        last_kept: int,
    ) -> None:
        names = [key.value for key, _value in present]
        order = list(fields)
        for name in order:
            if name in names:
                continue
            # after the last present key that comes before it in the canonical order
            anchor = last_kept
            for position, existing in enumerate(names):
                if existing in fields and order.index(existing) < order.index(name):
                    anchor = position
            after = _last_line(present[anchor][1], self.lines)
            lines = key_lines(name, fields[name], indent)  # type: ignore[arg-type]  # a field value
            self._ensure_final_newline(after)
            self._splice(after + 1, after + 1, [" " * indent + lines[0], *lines[1:]])

    def _trailing_comment(self, value: yaml.Node, start: int, stop: int) -> str:
        if start != stop or value.end_mark.line != start:
            return ""
        rest = self.lines[start][value.end_mark.column :].rstrip("\r\n")
        return rest if rest.strip().startswith("#") else ""
