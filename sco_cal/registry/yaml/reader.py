"""The registry file's schema: YAML nodes (every scalar read as text) to a header and events, with the
file, line and column of anything wrong.

Reading every scalar as text is what keeps ``2020`` a year, ``12:30`` a time and ``NO`` the word NO.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, TypeVar

import yaml

from sco_cal.dates import DateValue, zone_for
from sco_cal.errors import InvalidInput, InvalidRegistry
from sco_cal.model import (
    FIELD_OF_FILE_KEY,
    MAX_VALUE_CHARS,
    Event,
    Header,
    Kind,
    LeadTime,
    Participant,
    Source,
    Status,
    Venue,
)

_Parser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)

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

SCHEMA_VERSION: Final = 1
EMPTY_FILE: Final = "the file is empty; 'sco-cal init' fills it with a new registry"
MAX_DEPTH: Final = 64  # deeper than any registry needs; stops runaway nesting before it costs anything

EVENT_KEYS: Final = (
    "id",
    "title",
    "kind",
    "status",
    "start",
    "end",
    "venue",
    "orgs",
    "series",
    "number",
    "participants",
    "sources",
    "tags",
    "reminders",
    "recurrence",
    "except",
    "also",
    "occurrence_of",
    "replaces",
    "related",
    "notes",
    "uid",
    "sequence",
    "updated",
)
HEADER_KEYS: Final = ("schema", "name", "timezone", "uid_domain", "reminders", "events")
_VENUE_KEYS: Final = ("name", "country", "timezone")
_PARTICIPANT_KEYS: Final = ("name", "role")
_SOURCE_KEYS: Final = ("url", "title", "published", "excerpt")

_STR_TAG: Final = "tag:yaml.org,2002:str"
_MAP_TAG: Final = "tag:yaml.org,2002:map"
_SEQ_TAG: Final = "tag:yaml.org,2002:seq"
# What YAML 1.1 does not allow in a stream, spelled as the characters excluded rather than as "not the allowed
# ones": the negated class with ranges up to U+10FFFF takes the re module about 8 ms to compile on every run.
_UNPRINTABLE: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# An anchor, alias or tag starts a token: at a line's start or after a space, '[', '{' or ','. "R&D" is not one.
_INDICATOR_TOKEN: Final = re.compile(r"(?:^|[ \t\[\{,])[&*!][^ \t\r\n]", re.MULTILINE)
_DEFAULT_TAGS: Final[dict[type[yaml.Node], str]] = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}
_INT_RE: Final = re.compile(r"\d{1,10}")
_UPDATED_RE: Final = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})Z")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class EventNode:
    """An event and where its text is: the mapping node keeps the marks the surgical writer needs."""

    event: Event
    node: yaml.MappingNode | None  # None when read for querying only: the nodes are not kept
    line: int  # 1-based, for messages
    column: int = 1


@dataclass
class ParsedFile:
    path: str
    text: str
    root: yaml.MappingNode | None
    header: Header
    header_keys: dict[str, int]  # which header keys this file states, and on which line
    events_node: yaml.Node | None
    events: list[EventNode]


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

    def raise_first(self) -> None:
        if self.items:
            raise self.items[0]


class EventProblem(InvalidRegistry):
    """A problem of an event whose id could be read: the event is there, though broken, so an event that names
    it in ``related`` is not told that it is missing."""

    def __init__(self, message: str, *, path: str, line: int, column: int, event_id: str):
        super().__init__(message, path=path, line=line, column=column)
        self.event_id = event_id

    @classmethod
    def of(cls, problem: InvalidRegistry, event_id: str) -> EventProblem:
        return cls(problem.message, path=problem.path, line=problem.line, column=problem.column, event_id=event_id)


class _Bad(Exception):
    """A problem at a node, turned into an ``InvalidRegistry`` by the caller that knows the path; ``others`` are
    the independent problems found beside it in the same value (a venue with an unknown key and a bad zone)."""

    def __init__(self, node: yaml.Node, message: str, others: tuple[_Bad, ...] = ()):
        super().__init__(message)
        self.node = node
        self.message = message
        self.others = others

    @property
    def each(self) -> tuple[_Bad, ...]:
        return (self, *(inner for other in self.others for inner in other.each))


def _attempt(bads: list[_Bad], read: Callable[[], T]) -> T | None:
    """``read()``, or ``None`` with its problem added to ``bads``: to go on and find the problems beside it."""
    try:
        return read()
    except _Bad as bad:
        bads.append(bad)
        return None


def _raise_all(bads: list[_Bad]) -> None:
    if bads:
        raise _Bad(bads[0].node, bads[0].message, (*bads[0].others, *bads[1:]))


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
            from sco_cal.registry.yaml.pieces import parse_in_pieces  # the splitting rules live beside this module

            pieced = parse_in_pieces(path, text, problems, held)
            if pieced is not None:
                return pieced
        return parse_whole(path, text, problems)


def parse_whole(path: str, text: str, problems: Problems) -> ParsedFile:
    """Compose the whole file at once and keep every node (the surgical writer needs their marks)."""
    parsed = ParsedFile(path, text, None, Header(), {}, None, [])
    root = compose(path, text, problems)
    if root is None:
        return parsed
    if not isinstance(root, yaml.MappingNode) or root.tag != _MAP_TAG:
        problems.add(
            path,
            root,
            "a registry is a mapping with 'name', 'timezone' and 'events' keys",
        )
        return parsed
    parsed.root = root
    try:
        if may_hold_anchors_or_tags(text):
            _check_shape(root, 0, set())
    except _Bad as bad:
        problems.add(path, bad.node, bad.message)
        return parsed
    for key, value in _pairs(path, root, HEADER_KEYS, problems):
        parsed.header_keys[key] = value.start_mark.line + 1
        try:
            if key == "events":
                parsed.events_node = value
            else:
                _read_header_value(parsed.header, key, value)
        except _Bad as bad:
            problems.add(path, bad.node, bad.message)
    if parsed.events_node is not None:
        parsed.events = list(_read_events(path, parsed.events_node, problems))
    return parsed


class _TextLoader(_Parser or object):  # type: ignore[misc]  # CParser is untyped; absent without libyaml
    """Compose with every scalar as text. PyYAML's resolver would be asked about each of the hundreds of
    thousands of nodes only to answer "text" every time; answering directly halves the cost of a load."""

    def resolve(self, kind: type[yaml.Node], value: object, implicit: object) -> str:
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, parent: object, index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def dispose(self) -> None:
        pass


def may_hold_anchors_or_tags(text: str) -> bool:
    """Whether an anchor (&a), alias (*a) or tag (!t) may be present; a clean file skips the node walk."""
    if "&" not in text and "*" not in text and "!" not in text:
        return False
    return _INDICATOR_TOKEN.search(text) is not None


def compose(path: str, text: str, problems: Problems) -> yaml.Node | None:
    """One YAML document as nodes with every scalar as text, or ``None`` with the reason in ``problems``."""
    # PyYAML built without libyaml: the pure-Python loader is slower but reads the same
    loader: Any = _TextLoader if _Parser is not None else yaml.BaseLoader
    if bad := _UNPRINTABLE.search(text):
        line_start = text.rfind("\n", 0, bad.start()) + 1
        problems.items.append(
            InvalidRegistry(
                f"a control character (U+{ord(bad.group()):04X}) that YAML does not allow; remove it",
                path=path,
                line=text.count("\n", 0, bad.start()) + 1,
                column=bad.start() - line_start + 1,
            )
        )
        return None
    try:
        documents = list(yaml.compose_all(text, Loader=loader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        detail = error.problem or error.context or "not valid YAML"
        if mark is not None and text[mark.index : mark.index + 1] == "\t":
            detail = "a tab; YAML indents with spaces only"
        problems.items.append(
            InvalidRegistry(
                f"not valid YAML: {detail}",
                path=path,
                line=mark.line + 1 if mark else 0,
                column=mark.column + 1 if mark else 0,
            )
        )
        return None
    except yaml.YAMLError as error:
        problems.items.append(InvalidRegistry(f"not valid YAML: {error}", path=path))
        return None
    if len(documents) > 1:
        problems.add(
            path,
            documents[1],
            "a registry file holds one YAML document; remove the extra '---'",
        )
        return None
    if not documents or documents[0] is None:
        problems.items.append(InvalidRegistry(EMPTY_FILE, path=path, line=1, column=1))
        return None
    root: yaml.Node = documents[0]
    return root


def _check_shape(node: yaml.Node, depth: int, seen: set[int]) -> None:
    """Refuse aliases, explicit tags and runaway nesting before any field is read.

    A node met twice is an alias: refusing it keeps a 300-byte alias bomb from costing anything.
    """
    if depth > MAX_DEPTH:
        raise _Bad(node, f"nested deeper than {MAX_DEPTH} levels; a registry never needs this")
    if id(node) in seen:
        raise _Bad(
            node,
            "YAML aliases (*name) are not supported in a registry; write the value out",
        )
    seen.add(id(node))
    if node.tag not in (_STR_TAG, _MAP_TAG, _SEQ_TAG):
        raise _Bad(
            node,
            f"the tag {node.tag!r} is not allowed; a registry holds plain text, lists and mappings",
        )
    if isinstance(node, yaml.ScalarNode) and len(node.value) > MAX_VALUE_CHARS:
        raise _Bad(node, f"a value of {len(node.value):,} characters; sco-cal keeps at most {MAX_VALUE_CHARS:,}")
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise _Bad(key, "a mapping key must be a plain word")
            if key.value in keys:  # PyYAML would silently keep the last one; we say so instead
                raise _Bad(key, f"{key.value}: appears twice in the same mapping; keep one")
            keys.add(key.value)
            _check_shape(key, depth + 1, seen)
            _check_shape(value, depth + 1, seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_shape(item, depth + 1, seen)


def _pairs(
    path: str, node: yaml.MappingNode, allowed: tuple[str, ...], problems: Problems
) -> Iterator[tuple[str, yaml.Node]]:
    """The key/value pairs of a mapping, reporting unknown and duplicate keys instead of yielding them."""
    seen: set[str] = set()
    for key_node, value in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            problems.add(path, key_node, "a mapping key must be a plain word")
            continue
        key = key_node.value
        if key in seen:
            problems.add(path, key_node, f"{key}: appears twice in the same mapping; keep one")
            continue
        seen.add(key)
        if key not in allowed:
            problems.add(
                path,
                key_node,
                f"{key}: unknown field; the fields here are {', '.join(allowed)}",
            )
            continue
        yield key, value


def _text(node: yaml.Node, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise _Bad(
            node,
            f"{what}: expected text, found a {'list' if isinstance(node, yaml.SequenceNode) else 'mapping'}",
        )
    if len(node.value) > MAX_VALUE_CHARS:
        raise _Bad(node, f"a value of {len(node.value):,} characters; sco-cal keeps at most {MAX_VALUE_CHARS:,}")
    return str(node.value)


def _optional_text(node: yaml.Node, what: str) -> str | None:
    """Text, or ``None`` for an empty plain value (``notes:`` with nothing after it)."""
    value = _text(node, what)
    if value == "" and node.style in (None, ""):  # type: ignore[attr-defined]  # ScalarNode has style
        return None
    return value


def _list_of(node: yaml.Node, what: str, item: Callable[[yaml.Node], T]) -> tuple[T, ...]:
    """A list; a single value is accepted as a list of one, since that is what people write by hand."""
    if isinstance(node, yaml.ScalarNode):
        return () if _optional_text(node, what) is None else (item(node),)
    if not isinstance(node, yaml.SequenceNode):
        raise _Bad(node, f"{what}: expected a list")
    bads: list[_Bad] = []
    items = [_attempt(bads, lambda child=child: item(child)) for child in node.value]  # type: ignore[misc]
    _raise_all(bads)
    return tuple(value for value in items if value is not None)


def _converted(node: yaml.Node, what: str, convert: Callable[[str], T]) -> T:
    try:
        return convert(_text(node, what))
    except InvalidInput as error:
        raise _Bad(node, f"{what}: {error}") from None


def _choice(node: yaml.Node, what: str, enum: Callable[[str], T], options: type) -> T:
    value = _text(node, what)
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(str(member) for member in options)  # type: ignore[attr-defined]  # an Enum
        raise _Bad(node, f"{what}: {value!r} is not one of {allowed}") from None


def _integer(node: yaml.Node, what: str, largest: int = 999_999_999) -> int:
    value = _text(node, what)
    if not _INT_RE.fullmatch(value):
        raise _Bad(node, f"{what}: {value!r} is not a whole number")
    if int(value) > largest:
        raise _Bad(node, f"{what}: {value} is over {largest}, the largest it can be")
    return int(value)


def _zone(text: str) -> str:
    zone_for(text)
    return text


def _updated(text: str) -> datetime:
    m = _UPDATED_RE.fullmatch(text)
    if not m:
        raise InvalidInput(f"{text!r} is not a UTC time such as 2026-01-31T09:30:00Z")
    try:
        return datetime.fromisoformat(f"{m[1]}T{m[2]}+00:00")
    except ValueError:
        raise InvalidInput(f"{text!r} is not a real time") from None


def _mapping(node: yaml.Node, what: str) -> yaml.MappingNode:
    if not isinstance(node, yaml.MappingNode):
        raise _Bad(node, f"{what}: expected a mapping of fields")
    return node


def _fields(node: yaml.MappingNode, what: str, allowed: tuple[str, ...], bads: list[_Bad]) -> dict[str, yaml.Node]:
    """The known fields of a nested mapping; an unknown or repeated key goes to ``bads``."""
    fields: dict[str, yaml.Node] = {}
    for key_node, value in node.value:
        key = _text(key_node, what)
        if key not in allowed:
            bads.append(_Bad(key_node, f"{what}.{key}: unknown field; the fields here are {', '.join(allowed)}"))
        elif key in fields:
            bads.append(_Bad(key_node, f"{what}.{key}: appears twice; keep one"))
        else:
            fields[key] = value
    return fields


def _optional_field(fields: dict[str, yaml.Node], key: str, what: str, bads: list[_Bad]) -> str | None:
    node = fields.get(key)
    return None if node is None else _attempt(bads, lambda: _optional_text(node, f"{what}.{key}"))


def _read_header_value(header: Header, key: str, value: yaml.Node) -> None:
    if key == "schema":
        header.schema = _integer(value, "schema")
        if header.schema > SCHEMA_VERSION:
            raise _Bad(
                value,
                f"schema: version {header.schema} was written by a newer sco-cal; upgrade sco-cal",
            )
    elif key == "name":
        header.name = _text(value, "name")
    elif key == "timezone":
        header.timezone = _converted(value, "timezone", _zone)
    elif key == "uid_domain":
        header.uid_domain = _text(value, "uid_domain")
    elif key == "reminders":
        for kind_node, leads in _mapping(value, "reminders").value:
            kind = _choice(kind_node, "reminders", Kind, Kind)
            if kind in header.reminders:
                raise _Bad(kind_node, f"reminders.{kind}: appears twice; keep one")
            header.reminders[kind] = _list_of(leads, f"reminders.{kind}", _lead)


def _lead(node: yaml.Node) -> LeadTime:
    return _converted(node, "reminders", LeadTime.from_text)


def read_events(
    path: str,
    node: yaml.Node,
    problems: Problems,
    *,
    keep_nodes: bool = True,
    held: Mapping[str, Event | None] | None = None,
) -> Iterator[EventNode]:
    """The events of an ``events:`` sequence node; problems go to ``problems`` (with its line offset).

    Without nodes, an event equal to its entry in ``held`` is given as that very object (see ``parse_file``).
    """
    for found in _read_events(path, node, problems):
        if keep_nodes:
            yield found
            continue
        event = found.event
        if held is not None and (same := held.get(event.id)) is not None and same == event:
            event = same
        yield EventNode(event, None, found.line, found.column)


def _read_events(path: str, node: yaml.Node, problems: Problems) -> Iterator[EventNode]:
    if isinstance(node, yaml.ScalarNode) and _optional_text(node, "events") is None:
        return
    if not isinstance(node, yaml.SequenceNode):
        problems.add(
            path,
            node,
            "events: expected a list of events, each starting with '- id: ...'",
        )
        return
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            problems.add(
                path,
                item,
                "events: each event is a mapping of fields starting with '- id: ...'",
            )
            continue
        line, column = item.start_mark.line + 1 + problems.line_offset, item.start_mark.column + 1
        event, unread = _read_event(path, item, problems)
        if unread is None:
            yield EventNode(event, item, line, column)
        else:
            problems.broken.append(BrokenEvent(path, line, column, event, unread))


# What an event that lacks a required field is read with, so that its other fields are still checked.
_STAND_INS: Final = {"id": "x", "title": "x"}


def _read_event(path: str, item: yaml.MappingNode, problems: Problems) -> tuple[Event, frozenset[str] | None]:
    """The event and ``None``, or, with every independent problem of it in ``problems``, the event as far as it
    was read and the fields that could not be: a field that cannot be read is reported once, and the rules that
    depend on it are not tried."""
    before = len(problems.items)
    fields = dict(_pairs(path, item, EVENT_KEYS, problems))
    values: dict[str, object] = {}
    unread = {required for required in _STAND_INS if required not in fields}
    for required in sorted(unread):
        problems.add(path, item, f"{required}: every event needs one")
    for key, node in fields.items():
        try:
            values[FIELD_OF_FILE_KEY.get(key, key)] = _FIELD_READERS[key](node)
        except _Bad as bad:
            unread.add(key)
            for each in bad.each:
                problems.add(path, each.node, each.message)
    event = Event(**{**_STAND_INS, **values})  # type: ignore[arg-type]  # each reader returns its field's type
    # the registry's zone is known once every file is read: see registry._assemble
    for depends_on, message in event.problems(default_zone=None):
        if not depends_on & unread:
            problems.add(path, fields.get(message.split(":", 1)[0].split(".")[0], item), message)
    if len(problems.items) == before:
        return event, None
    problems.items[before:] = sorted(problems.items[before:], key=lambda problem: (problem.line, problem.column))
    if "id" not in unread:
        problems.items[before:] = [EventProblem.of(problem, event.id) for problem in problems.items[before:]]
    return event, frozenset(unread)


def _read_venue(node: yaml.Node) -> Venue | None:
    if isinstance(node, yaml.ScalarNode):
        name = _optional_text(node, "venue")
        return Venue(name=name) if name else None
    bads: list[_Bad] = []
    fields = _fields(_mapping(node, "venue"), "venue", _VENUE_KEYS, bads)
    name, country = (_optional_field(fields, key, "venue", bads) for key in ("name", "country"))
    timezone = _optional_field(fields, "timezone", "venue", bads)
    if timezone is not None:
        _attempt(bads, lambda: _converted(fields["timezone"], "venue.timezone", _zone))
    _raise_all(bads)
    return Venue(name=name, country=country, timezone=timezone)


def _read_participant(node: yaml.Node) -> Participant:
    if isinstance(node, yaml.ScalarNode):
        return Participant(name=_text(node, "participants"))
    bads: list[_Bad] = []
    fields = _fields(_mapping(node, "participants"), "participants", _PARTICIPANT_KEYS, bads)
    if "name" not in fields:
        bads.insert(0, _Bad(node, "participants: each participant needs a name"))
    name = _attempt(bads, lambda: _text(fields["name"], "participants.name")) if "name" in fields else None
    role = _optional_field(fields, "role", "participants", bads)
    _raise_all(bads)
    return Participant(name=name or "", role=role)


def _read_source(node: yaml.Node) -> Source:
    if isinstance(node, yaml.ScalarNode):
        return Source(url=_text(node, "sources"))
    bads: list[_Bad] = []
    fields = _fields(_mapping(node, "sources"), "sources", _SOURCE_KEYS, bads)
    if not fields and not bads:
        raise _Bad(node, "sources: a source needs at least a url or a title")
    url, title, excerpt = (_optional_field(fields, key, "sources", bads) for key in ("url", "title", "excerpt"))
    published = fields.get("published")
    when = (
        _attempt(bads, lambda: _converted(published, "sources.published", DateValue.from_text)) if published else None
    )
    _raise_all(bads)
    return Source(url=url, title=title, published=when, excerpt=excerpt)


def _read_recurrence(node: yaml.Node) -> str | None:
    text = _optional_text(node, "recurrence")
    if text is None:
        return None
    from sco_cal.recurrence import (
        check_rule,
    )  # dateutil's rrule is loaded only for registries that repeat

    return _converted(node, "recurrence", check_rule)


_FIELD_READERS: Final[dict[str, Callable[[yaml.Node], object]]] = {
    "id": lambda n: _text(n, "id"),
    "title": lambda n: _text(n, "title"),
    "kind": lambda n: _choice(n, "kind", Kind, Kind),
    "status": lambda n: _choice(n, "status", Status, Status),
    "start": lambda n: _converted(n, "start", DateValue.from_text) if _optional_text(n, "start") else None,
    "end": lambda n: _converted(n, "end", DateValue.from_text) if _optional_text(n, "end") else None,
    "venue": _read_venue,
    "orgs": lambda n: _list_of(n, "orgs", lambda c: _text(c, "orgs")),
    "series": lambda n: _optional_text(n, "series"),
    "number": lambda n: _integer(n, "number"),
    "participants": lambda n: _list_of(n, "participants", _read_participant),
    "sources": lambda n: _list_of(n, "sources", _read_source),
    "tags": lambda n: _list_of(n, "tags", lambda c: _text(c, "tags")),
    "reminders": lambda n: _list_of(n, "reminders", _lead),
    "recurrence": _read_recurrence,
    "except": lambda n: _list_of(n, "except", lambda c: _converted(c, "except", DateValue.from_text)),
    "also": lambda n: _list_of(n, "also", lambda c: _converted(c, "also", DateValue.from_text)),
    "occurrence_of": lambda n: _optional_text(n, "occurrence_of"),
    "replaces": lambda n: _converted(n, "replaces", DateValue.from_text) if _optional_text(n, "replaces") else None,
    "related": lambda n: _list_of(n, "related", lambda c: _text(c, "related")),
    "notes": lambda n: _optional_text(n, "notes"),
    "uid": lambda n: _optional_text(n, "uid"),
    "sequence": lambda n: _integer(n, "sequence", 2**31 - 1),  # an iCalendar INTEGER, as feeds send it
    "updated": lambda n: _converted(n, "updated", _updated),
}
