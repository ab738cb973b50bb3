"""One event's record of a JSON listing as text, written straight from the event: the same text ``json.dumps(...,
ensure_ascii=False, indent=2)`` writes for the record ``records.record`` makes, inside the listing's document,
without making the record's dictionaries and lists first. A listing of every event of a big registry writes a
hundred thousand of these.

The record's keys and their order are ``records.record``'s; the tests compare the two texts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from json.encoder import encode_basestring as _quoted
from typing import TYPE_CHECKING, Final

from sco_cal.dates import display_span
from sco_cal.output.memo import per_object

if TYPE_CHECKING:
    from sco_cal.dates import DateValue, Span
    from sco_cal.model import Event, Participant, Source, Venue

__all__ = ["dated_text", "record_maker", "record_text"]

_SHARED: Final = 4096  # the distinct places, participants and lists of names a listing's records remember

# The document is {"events": [record, ...]}: a record's keys sit three levels deep, their items one further.
_KEY: Final = "\n      "
_ITEM: Final = _KEY + "  "
_FIELD: Final = _ITEM + "  "


def record_text(event: Event, dated: str) -> str:
    """The record of ``event`` whose date fields' text (``"start": ...`` to ``"display_end": ...``, each on its
    own line with its comma, but the last) is ``dated``."""
    return record_maker()(event, dated)


def record_maker() -> Callable[[Event, str], str]:
    """The maker of ``record_text``'s texts for a listing of many events. The events of a registry share their
    places and participants (equal values read from the index are one object) and many share their lists of
    organisations and tags: the text of each is written once and remembered."""
    venue_text = per_object(_venue)
    participant_text = per_object(_participant)
    strings: dict[tuple[str, ...], str] = {}

    def listed(values: tuple[str, ...]) -> str:
        found = strings.get(values)
        if found is None:
            if len(strings) >= _SHARED:
                strings.clear()
            found = strings[values] = _strings(values)
        return found

    def made(event: Event, dated: str) -> str:
        venue, participants = event.venue, event.participants
        shown = _items(map(participant_text, participants)) if participants else "[]"
        return "".join(
            (
                f'{{{_KEY}"id": {_quoted(event.id)},{_KEY}"title": {_quoted(event.title)},',
                f'{_KEY}"kind": {_quoted(event.kind)},{_KEY}"status": {_quoted(event.status)},{dated},',
                f'{_KEY}"venue": {"null" if venue is None else venue_text(venue)},',
                f'{_KEY}"orgs": {listed(event.orgs)},{_KEY}"series": {_text(event.series)},',
                f'{_KEY}"number": {"null" if event.number is None else int(event.number)},',
                f'{_KEY}"participants": {shown},{_KEY}"sources": {_sources(event.sources)},',
                f'{_KEY}"tags": {listed(event.tags)},',
                _repeats_and_links(event) if _has_any_of_the_rare(event) else _NONE_OF_THE_RARE,
                f',{_KEY}"notes": {_text(event.notes)}\n    }}',
            )
        )

    return made


def _venue(venue: Venue) -> str:
    return _object((venue.name, venue.country, venue.timezone), _VENUE, _ITEM, _KEY)


def _participant(participant: Participant) -> str:
    return _object((participant.name, participant.role), _PARTICIPANT, _FIELD, _ITEM)


def _has_any_of_the_rare(event: Event) -> bool:
    return bool(
        event.reminders or event.recurrence is not None or event.excluded or event.also or event.related
    ) or not (event.occurrence_of is None and event.replaces is None)


def _repeats_and_links(event: Event) -> str:
    """The fields from ``reminders`` to ``related``, which most events leave empty."""
    return "".join(
        (
            f'{_KEY}"reminders": {_strings([lead.to_text() for lead in event.reminders])},',
            f'{_KEY}"recurrence": {_text(event.recurrence)},',
            f'{_KEY}"except": {_strings([value.to_text() for value in event.excluded])},',
            f'{_KEY}"also": {_strings([value.to_text() for value in event.also])},',
            f'{_KEY}"occurrence_of": {_text(event.occurrence_of)},',
            f'{_KEY}"replaces": {"null" if event.replaces is None else _quoted(event.replaces.to_text())},',
            f'{_KEY}"related": {_strings(event.related)}',
        )
    )


_NONE_OF_THE_RARE: Final = (
    f'{_KEY}"reminders": [],{_KEY}"recurrence": null,{_KEY}"except": [],{_KEY}"also": [],'
    f'{_KEY}"occurrence_of": null,{_KEY}"replaces": null,{_KEY}"related": []'
)


def dated_text(
    start: DateValue | None, end: DateValue | None, span: Span | None, default_zone: str, display_zone: str
) -> str:
    """The date fields of a record (``records._dated``'s), each on a line of its own with the comma between
    them, as ``record_text`` takes them."""
    shown_start = start.in_zone(default_zone, display_zone).to_text() if start else None
    shown_end = end.in_zone(default_zone, display_zone).to_text() if end else None
    return "".join(
        (
            f'{_KEY}"start": {_date(start)},{_KEY}"end": {_date(end)},',
            f'{_KEY}"start_edtf": {_text(start.edtf(default_zone) if start else None)},',
            f'{_KEY}"end_edtf": {_text(end.edtf(default_zone) if end else None)},',
            f'{_KEY}"fixed": {"true" if span is not None and span.fixed else "false"},',
            f'{_KEY}"earliest": {_text(span.start.isoformat() if span else None)},',
            f'{_KEY}"latest": {_text(span.end.isoformat() if span else None)},',
            f'{_KEY}"when": {_quoted(display_span(start, end, default_zone, display_zone))},',
            f'{_KEY}"display_zone": {_quoted(display_zone)},',
            f'{_KEY}"display_start": {_text(shown_start)},{_KEY}"display_end": {_text(shown_end)}',
        )
    )


def _date(value: DateValue | None) -> str:
    if value is None:
        return "null"
    zone = f',{_ITEM}"zone": {_quoted(value.zone)}' if value.zone else ""
    return f'{{{_ITEM}"value": {_quoted(value.to_text())},{_ITEM}"precision": {_quoted(value.precision)}{zone}{_KEY}}}'


_VENUE: Final = ('"name": ', '"country": ', '"timezone": ')
_PARTICIPANT: Final = ('"name": ', '"role": ')


def _text(value: str | None) -> str:
    return "null" if value is None else _quoted(value)


def _strings(values: Sequence[str]) -> str:
    if not values:
        return "[]"
    return f"[{_ITEM}{f',{_ITEM}'.join(map(_quoted, values))}{_KEY}]"


def _object(values: Iterable[str | None], keys: Sequence[str], inner: str, outer: str) -> str:
    """An object of text (or null) values under ``keys``, whose keys sit at ``inner`` and closing brace at
    ``outer``."""
    pairs = [key + _text(value) for key, value in zip(keys, values, strict=True)]
    return f"{{{inner}{f',{inner}'.join(pairs)}{outer}}}"


def _sources(sources: Sequence[Source]) -> str:
    return _items(map(_source, sources)) if sources else "[]"


def _items(texts: Iterable[str]) -> str:
    """A list of one or more objects already written, each item a level deeper than the record's keys."""
    return f"[{_ITEM}{f',{_ITEM}'.join(texts)}{_KEY}]"


def _source(source: Source) -> str:
    """A source's object, written out: most of a record's text, and rarely shared."""
    published = source.published
    return (
        f'{{{_FIELD}"url": {_text(source.url)},{_FIELD}"title": {_text(source.title)},'
        f'{_FIELD}"published": {"null" if published is None else _quoted(published.to_text())},'
        f'{_FIELD}"excerpt": {_text(source.excerpt)}{_ITEM}}}'
    )
