"""Reading one value of a registry file: text, a choice, a whole number, a list; every problem is a ``Bad`` at
its node, named as its field (``what``) is in messages."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Final, TypeVar

import yaml

from sco_cal.dates import zone_for
from sco_cal.errors import InvalidInput
from sco_cal.model import MAX_VALUE_CHARS, LeadTime
from sco_cal.registry.yaml.problems import Bad, attempt, raise_all

__all__ = [
    "choice",
    "converted",
    "integer",
    "lead",
    "list_of",
    "mapping",
    "optional_text",
    "text",
    "updated",
    "zone",
]

_INT_RE: Final = re.compile(r"\d{1,10}")
_UPDATED_RE: Final = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})Z")

T = TypeVar("T")


def text(node: yaml.Node, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise Bad(
            node,
            f"{what}: expected text, found a {'list' if isinstance(node, yaml.SequenceNode) else 'mapping'}",
        )
    if len(node.value) > MAX_VALUE_CHARS:
        raise Bad(node, f"a value of {len(node.value):,} characters; sco-cal keeps at most {MAX_VALUE_CHARS:,}")
    return str(node.value)


def optional_text(node: yaml.Node, what: str) -> str | None:
    """Text, or ``None`` for an empty plain value (``notes:`` with nothing after it)."""
    value = text(node, what)
    if value == "" and node.style in (None, ""):  # type: ignore[attr-defined]  # ScalarNode has style
        return None
    return value


def list_of(node: yaml.Node, what: str, item: Callable[[yaml.Node], T]) -> tuple[T, ...]:
    """A list; a single value is accepted as a list of one, since that is what people write by hand. A single
    value written bare with ``, `` in it (``orgs: SCO, CIS``) is refused: read as one value it would quietly drop
    the event from each of the names' filters; quoted, it is the one value it says."""
    if isinstance(node, yaml.ScalarNode):
        value = optional_text(node, what)
        if value is not None and ", " in value and node.style in (None, ""):
            raise Bad(node, f"{what}: {value!r} reads as one value; write several as a list, [{value}], or quote one")
        return () if value is None else (item(node),)
    if not isinstance(node, yaml.SequenceNode):
        raise Bad(node, f"{what}: expected a list")
    bads: list[Bad] = []
    items = [attempt(bads, lambda child=child: item(child)) for child in node.value]  # type: ignore[misc]
    raise_all(bads)
    return tuple(value for value in items if value is not None)


def converted(node: yaml.Node, what: str, convert: Callable[[str], T]) -> T:
    try:
        return convert(text(node, what))
    except InvalidInput as error:
        raise Bad(node, f"{what}: {error}") from None


def choice(node: yaml.Node, what: str, enum: Callable[[str], T], options: type) -> T:
    value = text(node, what)
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(str(member) for member in options)  # type: ignore[attr-defined]  # an Enum
        raise Bad(node, f"{what}: {value!r} is not one of {allowed}") from None


def integer(node: yaml.Node, what: str, largest: int = 999_999_999) -> int:
    value = text(node, what)
    if not _INT_RE.fullmatch(value):
        raise Bad(node, f"{what}: {value!r} is not a whole number")
    if int(value) > largest:
        raise Bad(node, f"{what}: {value} is over {largest}, the largest it can be")
    return int(value)


def zone(value: str) -> str:
    zone_for(value)
    return value


def updated(value: str) -> datetime:
    m = _UPDATED_RE.fullmatch(value)
    if not m:
        raise InvalidInput(f"{value!r} is not a UTC time such as 2026-01-31T09:30:00Z")
    try:
        return datetime.fromisoformat(f"{m[1]}T{m[2]}+00:00")
    except ValueError:
        raise InvalidInput(f"{value!r} is not a real time") from None


def mapping(node: yaml.Node, what: str) -> yaml.MappingNode:
    if not isinstance(node, yaml.MappingNode):
        raise Bad(node, f"{what}: expected a mapping of fields")
    return node


def lead(node: yaml.Node) -> LeadTime:
    return converted(node, "reminders", LeadTime.from_text)
