"""One reader for each field of an event, keyed by the model's field name; the table of them by file key is
derived from the model's one list of fields, and fails the import when the two differ."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import yaml

from sco_cal.dates import DateValue
from sco_cal.errors import InvalidInput
from sco_cal.model import Kind, Participant, Source, Status, Venue
from sco_cal.registry.yaml.keys import PARTICIPANT_KEYS, SOURCE_KEYS, VENUE_KEYS, by_file_key
from sco_cal.registry.yaml.nodes import known_fields
from sco_cal.registry.yaml.problems import Bad, attempt, raise_all
from sco_cal.registry.yaml.scalars import choice, converted, integer, lead, list_of, mapping, optional_text, text
from sco_cal.registry.yaml.scalars import updated as utc_time
from sco_cal.registry.yaml.scalars import zone as known_zone

__all__ = ["READ_AS"]

FieldReader = Callable[[yaml.Node, str], object]  # a field's node and its key, as messages name it


def _nested(node: yaml.Node, what: str, allowed: tuple[str, ...], bads: list[Bad]) -> dict[str, yaml.Node]:
    """The known fields of a nested mapping; an unknown or repeated key goes to ``bads``."""
    return dict(known_fields(mapping(node, what), allowed, lambda at, message: bads.append(Bad(at, message)), what))


def _optional_field(fields: dict[str, yaml.Node], key: str, what: str, bads: list[Bad]) -> str | None:
    node = fields.get(key)
    return None if node is None else attempt(bads, lambda: optional_text(node, f"{what}.{key}"))


def _venue(node: yaml.Node, what: str) -> Venue | None:
    if isinstance(node, yaml.ScalarNode):
        name = optional_text(node, what)
        return Venue(name=name) if name else None
    bads: list[Bad] = []
    fields = _nested(node, what, VENUE_KEYS, bads)
    name, country = (_optional_field(fields, key, what, bads) for key in ("name", "country"))
    timezone = _optional_field(fields, "timezone", what, bads)
    if timezone is not None:
        attempt(bads, lambda: converted(fields["timezone"], f"{what}.timezone", known_zone))
    raise_all(bads)
    return Venue(name=name, country=country, timezone=timezone)


def _participant(node: yaml.Node) -> Participant:
    what = "participants"
    if isinstance(node, yaml.ScalarNode):
        return Participant(name=text(node, what))
    bads: list[Bad] = []
    fields = _nested(node, what, PARTICIPANT_KEYS, bads)
    if "name" not in fields:
        bads.insert(0, Bad(node, f"{what}: each participant needs a name"))
    name = attempt(bads, lambda: text(fields["name"], f"{what}.name")) if "name" in fields else None
    role = _optional_field(fields, "role", what, bads)
    raise_all(bads)
    return Participant(name=name or "", role=role)


def _source(node: yaml.Node) -> Source:
    what = "sources"
    if isinstance(node, yaml.ScalarNode):
        return Source(url=text(node, what))
    bads: list[Bad] = []
    fields = _nested(node, what, SOURCE_KEYS, bads)
    if not fields and not bads:
        raise Bad(node, f"{what}: a source needs at least a url or a title")
    url, title, excerpt = (_optional_field(fields, key, what, bads) for key in ("url", "title", "excerpt"))
    published = fields.get("published")
    when = attempt(bads, lambda: converted(published, f"{what}.published", stored_date)) if published else None
    raise_all(bads)
    return Source(url=url, title=title, published=when, excerpt=excerpt)


def _recurrence(node: yaml.Node, what: str) -> str | None:
    if optional_text(node, what) is None:
        return None
    from sco_cal.recurrence import check_rule  # dateutil's rrule is loaded only for registries that repeat

    return converted(node, what, check_rule)


def stored_date(written: str) -> DateValue:
    """A date as the file holds it; one written as typed on the command line is refused with its stored
    spelling (``June 2020``: write ``2020-06``)."""
    try:
        return DateValue.from_text(written)
    except InvalidInput as error:
        from sco_cal.dates.refusals import file_refusal  # the phrase grammar, only for a date refused

        raise InvalidInput(file_refusal(written, str(error))) from None


def _optional_date(node: yaml.Node, what: str) -> DateValue | None:
    return converted(node, what, stored_date) if optional_text(node, what) else None


def _texts(node: yaml.Node, what: str) -> tuple[str, ...]:
    return list_of(node, what, lambda child: text(child, what))


def _dates(node: yaml.Node, what: str) -> tuple[DateValue, ...]:
    return list_of(node, what, lambda child: converted(child, what, stored_date))


_READERS: Final[dict[str, FieldReader]] = {
    "id": text,
    "title": text,
    "kind": lambda node, what: choice(node, what, Kind, Kind),
    "status": lambda node, what: choice(node, what, Status, Status),
    "start": _optional_date,
    "end": _optional_date,
    "venue": _venue,
    "orgs": _texts,
    "series": optional_text,
    "number": integer,
    "participants": lambda node, what: list_of(node, what, _participant),
    "sources": lambda node, what: list_of(node, what, _source),
    "tags": _texts,
    "reminders": lambda node, what: list_of(node, what, lead),
    "recurrence": _recurrence,
    "excluded": _dates,
    "also": _dates,
    "occurrence_of": optional_text,
    "replaces": _optional_date,
    "related": _texts,
    "notes": optional_text,
    "uid": optional_text,
    "sequence": lambda node, what: integer(node, what, 2**31 - 1),  # an iCalendar INTEGER, as feeds send it
    "updated": lambda node, what: converted(node, what, utc_time),
}
# Each key an event may hold in a file: the field it fills and the reader of its value.
READ_AS: Final = by_file_key(_READERS, "the event field readers")
