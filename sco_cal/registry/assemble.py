"""Assembling a registry from its parsed files: the header they agree on, ids unique across them, and the
registry-wide checks; the entry points that always parse (``loads``, ``check``, ``problems``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Final

from sco_cal.cache.store import file_identity
from sco_cal.dates import Hemisphere
from sco_cal.errors import InvalidRegistry
from sco_cal.model import Event, Header
from sco_cal.registry.checks import check_across
from sco_cal.registry.files import read_text, registry_files
from sco_cal.registry.read_model import Registry
from sco_cal.registry.yaml.reader import EMPTY_FILE, BrokenEvent, EventNode, ParsedFile, Problems, parse_file

__all__ = [
    "assemble",
    "check",
    "check_with_items",
    "every_file",
    "loads",
    "parse_all",
    "problems",
    "seasons_in",
]

if TYPE_CHECKING:
    from sco_cal.cache.index import FileItems

_HEADER_FIELDS: Final = ("schema", "name", "timezone", "uid_domain", "seasons", "reminders")


def parse_all(
    path: Path, *, keep_nodes: bool = False, items: list[FileItems | None] | None = None
) -> tuple[Registry, Problems]:
    """Parse every file of the registry; ``keep_nodes`` for an edit, whose surgery needs the YAML nodes.

    ``items`` gets every file's items (for an index a later read can patch; ``None`` for a file whose events
    cannot be told apart item by item).
    """
    report = Problems()
    files = []
    for file in registry_files(path):
        identity = file_identity(file) if items is not None else ""  # before reading: see registry/refresh.py
        text = read_text(file)
        files.append(parse_file(str(file), text, report, keep_nodes=keep_nodes))
        if items is not None:
            _note_items(items, files[-1], identity, text)
    if path.is_dir():
        # 'sco-cal init' would write registry.yaml beside an empty file, not fill it
        for problem in report.items:
            if problem.message == EMPTY_FILE:
                problem.message = "the file is empty; write 'events:' in it, or remove it"
    if path.is_dir() and not files:
        report.items.append(
            InvalidRegistry(
                "the folder holds no .yaml files; create one with 'sco-cal init'",
                path=str(path),
            )
        )
    return assemble(path, files, report), report


def _note_items(items: list[FileItems | None], parsed: ParsedFile, identity: str, text: str) -> None:
    """A file's items, or ``None`` when its events are not one per item, each within its item's lines."""
    from sco_cal.cache.index import FileItems, item_row
    from sco_cal.registry.yaml.items import cut
    from sco_cal.registry.yaml.reader import may_hold_anchors_or_tags
    from sco_cal.registry.yaml.runs import Runs

    data = text.encode()
    found = cut(data)
    if found is None or may_hold_anchors_or_tags(text) or len(found.lines) != len(parsed.events):
        items.append(None)
        return
    ends = [*found.lines[1:], len(text) + 1]
    inside = all(start < node.line <= end for start, end, node in zip(found.lines, ends, parsed.events, strict=True))
    if not inside:
        items.append(None)
        return
    runs = Runs.of(data, found, [item_row(len(items), k) for k in range(len(found.lines))])
    items.append(FileItems(parsed.path, identity, found.header, found.digests, found.lines, runs.pack()))


def loads(text: str, path: str = "<string>") -> Registry:
    """Read a registry from text (one file's worth)."""
    report = Problems()
    parsed = parse_file(path, text, report)
    registry = assemble(Path(path), [parsed], report)
    report.raise_first()
    return registry


def check(path: Path) -> tuple[Registry | None, list[InvalidRegistry]]:
    """Read a registry and collect every problem in it (``validate``): the registry when it is sound."""
    registry, found, _ = check_with_items(path, noting_items=False)
    return (None if found else registry), found


def check_with_items(
    path: Path, *, noting_items: bool
) -> tuple[Registry | None, list[InvalidRegistry], list[FileItems]]:
    """``check``, but the registry is given whenever it reads (``load`` would not stop at a problem listed);
    with ``noting_items``, every file's items for the index (none when a file has none)."""
    from sco_cal.registry.references import placed

    items: list[FileItems | None] | None = [] if noting_items else None
    try:
        registry, report = parse_all(path, items=items)
    except InvalidRegistry as unreadable:
        return None, [unreadable], []
    return (None if report.fatal else registry), placed(report.items), every_file(items)


def every_file(items: list[FileItems | None] | None) -> list[FileItems]:
    """The items of every file, or none at all when a file's are not known."""
    known = [each for each in items or () if each is not None]
    return known if items and len(known) == len(items) else []


def problems(path: Path) -> list[InvalidRegistry]:
    """Every problem in a registry; an empty list when it is sound."""
    return check(path)[1]


def _merge_headers(files: list[ParsedFile], report: Problems) -> Header:
    header = Header()
    stated_in: dict[str, ParsedFile] = {}
    for parsed in files:
        for key in _HEADER_FIELDS:
            if key not in parsed.header_keys:
                continue
            if key in stated_in:  # each file of a folder may state the header, as long as they agree
                first = stated_in[key]
                if getattr(parsed.header, key) != getattr(first.header, key):
                    report.items.append(
                        InvalidRegistry(
                            f"{key}: {_header_value(parsed, key)} here, but {_header_value(first, key)} in "
                            f"{first.path}:{first.header_keys[key]}; the files of a folder must agree on it",
                            path=parsed.path,
                            line=parsed.header_keys[key],
                        )
                    )
                continue
            stated_in[key] = parsed
            setattr(header, key, getattr(parsed.header, key))
    return header


def _header_value(parsed: ParsedFile, key: str) -> str:
    value = getattr(parsed.header, key)
    if isinstance(value, dict):  # reminders: {kind: (lead times)}
        return "{" + ", ".join(f"{kind}: [{', '.join(map(str, leads))}]" for kind, leads in value.items()) + "}"
    return repr(str(value) if isinstance(value, str) else value)  # a Hemisphere as the file writes it


def assemble(path: Path, files: list[ParsedFile], report: Problems) -> Registry:
    """One registry of the parsed files, each problem found across them added to ``report``."""
    header = _merge_headers(files, report)
    if header.seasons is Hemisphere.SOUTHERN:
        _seasons_in_the_south(files)
    events: list[Event] = []
    where: dict[str, tuple[ParsedFile, EventNode]] = {}
    first_at: dict[str, tuple[str, int]] = {}  # each id's first event, broken or not, for the duplicate rule
    broken = _broken_by_file(report)
    for parsed in files:
        for line, column, event, node in _in_file_order(parsed, broken.get(parsed.path, [])):
            if event.id in first_at:
                first_path, first_line = first_at[event.id]
                report.at(
                    parsed.path,
                    line,
                    column,
                    f"id: {event.id!r} is already used at {first_path}:{first_line}; "
                    "ids are unique across the registry",
                )
                continue
            first_at[event.id] = (parsed.path, line)
            if node is not None:
                where[event.id] = (parsed, node)
                events.append(event)
    registry = Registry(path, header, files, tuple(events), where)
    check_across(registry, report)
    return registry


def _seasons_in_the_south(files: list[ParsedFile]) -> None:
    """A file holds a season by its name: in a southern registry, spring 2020 is September-November 2020. Only
    once every file is read is the header known, so the events are moved then."""
    for parsed in files:
        parsed.events = [
            node if (moved := seasons_in(node.event, southern=True)) is node.event else replace(node, event=moved)
            for node in parsed.events
        ]


def seasons_in(event: Event, *, southern: bool) -> Event:
    """The event with its seasons named as a file names them and read in the given hemisphere (what a save
    writes is what a load reads back); the event itself when that changes nothing."""
    start, end = (value.in_hemisphere(southern=southern) if value else None for value in (event.start, event.end))
    sources = tuple(
        replace(s, published=s.published.in_hemisphere(southern=southern)) if s.published else s for s in event.sources
    )
    changed = (start, end, sources) != (event.start, event.end, event.sources)
    return replace(event, start=start, end=end, sources=sources) if changed else event


def _broken_by_file(report: Problems) -> dict[str, list[BrokenEvent]]:
    """The events with problems whose id was read (one without an id cannot clash with another's)."""
    by_file: dict[str, list[BrokenEvent]] = {}
    for broken in report.broken:
        if broken.read("id"):
            by_file.setdefault(broken.path, []).append(broken)
    return by_file


def _in_file_order(parsed: ParsedFile, broken: list[BrokenEvent]) -> Iterator[tuple[int, int, Event, EventNode | None]]:
    """A file's events, sound (with their node) and broken (with ``None``), in the order they stand in it."""
    sound = ((node.line, node.column, node.event, node) for node in parsed.events)
    if not broken:
        yield from sound
        return
    others = ((each.line, each.column, each.event, None) for each in broken)
    yield from sorted((*sound, *others), key=lambda found: (found[0], found[1]))
