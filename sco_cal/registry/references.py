"""An id named in ``related`` that no event has, told where it is written: the item of the list itself, found
in the file's text, so a registry read whole and one read through its index tell it in the same words.

Such an id stops no read (see ``errors.DanglingReference``); only ``validate`` and ``review`` tell it, so a
file is read again here only when there is one to tell.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from sco_cal.errors import DanglingReference, InvalidRegistry, ScoCalError
from sco_cal.registry.files import read_text, registry_files
from sco_cal.registry.read_model import Registry
from sco_cal.registry.yaml.nodes import compose
from sco_cal.registry.yaml.problems import Problems

__all__ = ["dangling", "placed"]

_Lines = list[str] | None  # a file's lines, or None when it cannot be read again


def dangling(registry: Registry) -> list[InvalidRegistry]:
    """Every item of a ``related`` list that names an id no event has, in file order, each at its place."""
    order = {str(file): position for position, file in enumerate(registry_files(registry.path))}
    referrers = sorted(registry.naming_missing(), key=lambda found: (order.get(found.path, len(order)), found.line))
    return placed(
        [
            DanglingReference(target, path=found.path, line=found.line, column=0, position=position)
            for found in referrers
            for position, target in enumerate(found.event.related)
            if target not in registry
        ]
    )


def placed(problems: list[InvalidRegistry]) -> list[InvalidRegistry]:
    """``problems`` with each dangling reference moved from its event's line to its item in ``related``."""
    files: dict[str, _Lines] = {}
    return [_placed(problem, files) if isinstance(problem, DanglingReference) else problem for problem in problems]


def _placed(problem: DanglingReference, files: dict[str, _Lines]) -> DanglingReference:
    if problem.path not in files:
        files[problem.path] = _lines(problem.path)
    lines = files[problem.path]
    if lines is None or not 0 < problem.line <= len(lines):
        return problem
    found = _item_at(lines, problem.line, problem.position)
    line, column = found or (problem.line, _mapping_column(lines[problem.line - 1]))
    return DanglingReference(problem.target, path=problem.path, line=line, column=column, position=problem.position)


def _lines(path: str) -> _Lines:
    try:
        return read_text(Path(path)).splitlines(keepends=True)
    except ScoCalError:  # changed since it was read: the event's own line is told
        return None


def _mapping_column(line: str) -> int:
    """Where an event's mapping starts on its first line: after the list's ``-``, if the line has it."""
    body = line.lstrip(" ")
    if body.startswith("-") and body[1:2] in (" ", "\t"):
        body = body[1:].lstrip(" \t")
    return len(line) - len(body) + 1


def _item_at(lines: list[str], line: int, position: int) -> tuple[int, int] | None:
    """The line and column of the ``position``-th item of ``related`` in the event whose mapping starts on
    ``line``; ``None`` when its lines do not compose alone."""
    indent = _mapping_column(lines[line - 1]) - 1
    block = [" " * indent + lines[line - 1][indent:]]
    for text in lines[line:]:
        body = text.lstrip(" ")
        if body.strip() and not body.startswith("#") and len(text) - len(body) < indent:
            break  # the next event, or the key after the events list
        block.append(text)
    node = compose("<event>", "".join(block), Problems())
    if not isinstance(node, yaml.MappingNode):
        return None
    values = [value for key, value in node.value if isinstance(key, yaml.ScalarNode) and key.value == "related"]
    if len(values) != 1:
        return None
    items = values[0].value if isinstance(values[0], yaml.SequenceNode) else [values[0]]
    if not 0 <= position < len(items):
        return None
    mark = items[position].start_mark
    return line + mark.line, mark.column + 1
