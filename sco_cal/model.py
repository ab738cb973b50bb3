"""Events as a registry records them: what, when (at its true precision), where, who, and from which source."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Final

from sco_cal.dates import DateValue, Hemisphere, Precision, Span, zone_for
from sco_cal.errors import InvalidInput
from sco_cal.pickling import quick_pickle

__all__ = [
    "Event",
    "Header",
    "Kind",
    "LeadTime",
    "Participant",
    "Source",
    "Status",
    "Venue",
    "make_id",
    "sequence_fields",
    "transliterated",
]


class Kind(StrEnum):
    MEETING = "meeting"
    SUMMIT = "summit"
    EXERCISE = "exercise"
    AGREEMENT = "agreement"
    DEADLINE = "deadline"
    PRESIDENCY = "presidency"
    ANNIVERSARY = "anniversary"
    OTHER = "other"


class Status(StrEnum):
    """``planned`` (intended, date may be vague) -> ``scheduled`` (date fixed) -> ``held``;
    or ``postponed`` / ``cancelled``."""

    PLANNED = "planned"
    SCHEDULED = "scheduled"
    HELD = "held"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"

    def can_become(self, other: Status) -> bool:
        return other == self or other in _TRANSITIONS[self]


# A held event stays held: changing it is almost always a typo, so the CLI asks for --force.
_TRANSITIONS: Final[dict[Status, frozenset[Status]]] = {
    Status.PLANNED: frozenset({Status.SCHEDULED, Status.HELD, Status.POSTPONED, Status.CANCELLED}),
    Status.SCHEDULED: frozenset({Status.PLANNED, Status.HELD, Status.POSTPONED, Status.CANCELLED}),
    Status.POSTPONED: frozenset({Status.PLANNED, Status.SCHEDULED, Status.HELD, Status.CANCELLED}),
    Status.CANCELLED: frozenset({Status.PLANNED, Status.SCHEDULED}),
    Status.HELD: frozenset(),
}

MAX_VALUE_CHARS: Final = 1024 * 1024  # one field's text; a registry's longest notes are a few pages
_LEAD_RE: Final = re.compile(r"(\d{1,4})\s*([mhdw])")
_LEAD_UNITS: Final = {
    "m": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
}


@quick_pickle
@dataclass(frozen=True, slots=True)
class LeadTime:
    """How long before an event's earliest possible start a reminder is due: ``30d``, ``2h``, ``1w``, ``15m``."""

    amount: int
    unit: str

    @classmethod
    def from_text(cls, text: str) -> LeadTime:
        """Parse ``7d`` and friends.

        >>> LeadTime.from_text("2h").delta
        datetime.timedelta(seconds=7200)
        """
        m = _LEAD_RE.fullmatch(text.strip().lower())
        if not m:
            raise InvalidInput(f"{text!r} is not a lead time; write a number and m, h, d or w, e.g. 30d, 2h, 1w")
        return cls(int(m[1]), m[2])

    def to_text(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def delta(self) -> timedelta:
        return self.amount * _LEAD_UNITS[self.unit]

    def __str__(self) -> str:
        return self.to_text()


@quick_pickle
@dataclass(frozen=True, slots=True)
class Venue:
    """Where an event takes place: free text, plus the country and IANA zone where known."""

    name: str | None = None
    country: str | None = None
    timezone: str | None = None

    def __post_init__(self) -> None:
        if self.timezone is not None:
            zone_for(self.timezone)

    def display(self) -> str:
        return ", ".join(part for part in (self.name, self.country) if part)


@quick_pickle
@dataclass(frozen=True, slots=True)
class Participant:
    """Who took part, and as what: member, observer, secretariat, guest, host, chair..."""

    name: str
    role: str | None = None


@quick_pickle
@dataclass(frozen=True, slots=True)
class Source:
    """Where a statement about the event comes from."""

    url: str | None = None
    title: str | None = None
    published: DateValue | None = None
    excerpt: str | None = None


@quick_pickle
@dataclass(frozen=True, slots=True)
class Event:
    """One meeting, exercise, agreement or other dated statement.

    ``start`` may be absent (an agreement still in domestic procedures has no date yet). ``uid`` is kept only for
    events imported from another calendar; sco-cal derives its own UIDs from ``id``. ``sequence`` and ``updated``
    are the event's revision, which calendar feeds publish so subscribers update in place.
    """

    id: str
    title: str
    kind: Kind = Kind.OTHER
    status: Status = Status.PLANNED
    start: DateValue | None = None
    end: DateValue | None = None
    venue: Venue | None = None
    orgs: tuple[str, ...] = ()
    series: str | None = None
    number: int | None = None
    participants: tuple[Participant, ...] = ()
    sources: tuple[Source, ...] = ()
    tags: tuple[str, ...] = ()
    notes: str | None = None
    related: tuple[str, ...] = ()
    reminders: tuple[LeadTime, ...] = ()
    recurrence: str | None = None
    excluded: tuple[DateValue, ...] = ()  # `except:` occurrences of the rule that do not take place
    also: tuple[DateValue, ...] = ()  # occurrences beside the rule's
    occurrence_of: str | None = None  # the repeating event one of whose occurrences this is, moved or changed
    replaces: DateValue | None = None  # that occurrence's start as the rule gives it
    uid: str | None = None
    sequence: int = 0
    updated: datetime | None = field(default=None, compare=True)

    def check(self, default_zone: str | None = "UTC") -> None:
        """Raise ``InvalidInput`` (naming the field first, ``field: problem``) at the first rule the event breaks.

        ``default_zone`` is the registry's zone, in which a time without a zone is read, as every query and
        export reads it. ``None`` means it is not known yet (a file of a folder registry is read before the
        folder's header is settled): an end whose order with the start depends on it is left to
        ``check_order``.
        """
        if found := self.problems(default_zone):
            raise InvalidInput(found[0][1])

    def problems(self, default_zone: str | None = "UTC") -> list[tuple[frozenset[str], str]]:
        """Every rule the event breaks, each with the fields it depends on (so a reader that could not read one
        of them leaves the rule out) and its message, ``field: problem``."""
        found = [(frozenset(fields), message) for fields, message in _rule_breaks(self)]
        if default_zone is not None or not self.order_depends_on_zone:
            try:
                self.check_order(default_zone or "UTC")
            except InvalidInput as error:
                found.append((frozenset({"start", "end"}), str(error)))
        return found

    @property
    def order_depends_on_zone(self) -> bool:
        """Whether the end may come before or after the start depending on the registry's header: exactly one
        of them is a time without a zone (read in its zone), or one is a season (read in its hemisphere)."""
        if self.start is None or self.end is None:
            return False
        seasons = Precision.SEASON in (self.start.precision, self.end.precision)
        return seasons or _zoneless_time(self.start) != _zoneless_time(self.end)

    def check_order(self, default_zone: str) -> None:
        """Raise ``InvalidInput`` when the end is not after the start, times without a zone read in
        ``default_zone``."""
        if self.start is None or self.end is None:
            return
        if self.end.latest(UTC, default_zone) <= self.start.earliest(UTC, default_zone):
            reading = f" (a time without a zone is in the registry's zone, {default_zone})"
            zoneless = _zoneless_time(self.start) != _zoneless_time(self.end)
            raise InvalidInput(f"end: {self.end} is before the start {self.start}{reading if zoneless else ''}")

    def span(self, floating_zone: str, default_zone: str) -> Span | None:
        """The instants this event may cover, or ``None`` when it has no date."""
        if self.start is None:
            return None
        return Span.of(self.start, self.end, zone_for(floating_zone), default_zone)

    def with_changes(self, **changes: object) -> Event:
        """A copy with ``changes``; the sequence rises when what subscribers see of the date, place or
        status changes (RFC 5545 section 3.8.7.4)."""
        changed = replace(self, **changes)  # type: ignore[arg-type]  # field names are checked by replace
        if sequence_fields(changed) != sequence_fields(self):
            changed = replace(changed, sequence=self.sequence + 1)
        return changed


def _rule_breaks(event: Event) -> Iterator[tuple[tuple[str, ...], str]]:
    if not _ID_RE.fullmatch(event.id):
        yield ("id",), f"id: {event.id!r} is not an id; use lower-case letters, digits and dashes, e.g. sco-ewg-07"
    if not event.title.strip():
        yield ("title",), "title: an event needs a title"
    if event.end is not None and event.start is None:
        yield ("start", "end"), "end: an event with an end needs a start"
    if event.recurrence is not None and (event.start is None or not event.start.is_fixed):
        yield ("start", "recurrence"), "recurrence: a repeating event needs a start to the day or the minute"
    if event.number is not None and event.number < 0:
        yield ("number",), "number: must be 0 or more"
    if event.id in event.related:
        yield ("id", "related"), f"related: {event.id!r} is the event itself; name other events only"
    if event.excluded or event.also or event.replaces or event.occurrence_of:  # few events: a read checks all
        yield from _occurrence_breaks(event)
    if _may_hold_a_blank(event):
        for name, text in _texts(event):
            if not text or text.isspace():
                yield (name.split(".")[0],), f"{name}: an empty value; write something or leave the field out"


def _occurrence_breaks(event: Event) -> Iterator[tuple[tuple[str, ...], str]]:
    """The rules of a series' changed occurrences (``except``, ``also``) and of a moved one (``replaces``)."""
    if (event.excluded or event.also) and event.recurrence is None:
        key = "except" if event.excluded else "also"
        yield (key, "recurrence"), f"{key}: only a repeating event (with a recurrence) has occurrences to change"
    for key, values in (("except", event.excluded), ("also", event.also), ("replaces", (event.replaces,))):
        if any(value is not None and not value.is_fixed for value in values):
            yield (key,), f"{key}: an occurrence is a day or a time, e.g. 2024-01-15 or 2024-01-15 09:00"
    if (event.occurrence_of is None) != (event.replaces is None):
        key = "replaces" if event.replaces is None else "occurrence_of"
        yield (key,), f"{key}: a moved occurrence gives both occurrence_of and replaces"
    if event.occurrence_of is not None and event.recurrence is not None:
        yield ("recurrence",), "recurrence: a moved occurrence does not repeat itself; its series does"


def _may_hold_a_blank(event: Event) -> bool:
    """A quick first look, as every event of a registry is checked on every read: ``_texts`` names the field."""
    texts = [*event.orgs, *event.tags, *event.related, event.series, event.notes, event.uid]
    if event.venue is not None:
        texts += (event.venue.name, event.venue.country)
    for participant in event.participants:
        texts += (participant.name, participant.role)
    for source in event.sources:
        texts += (source.url, source.title, source.excerpt)
    return "" in texts or any(map(str.isspace, filter(None, texts)))


def _texts(event: Event) -> Iterator[tuple[str, str]]:
    """Every piece of free text and every list item an event holds, named as its field is in messages."""
    for name in ("series", "notes", "uid"):
        value = getattr(event, name)
        if value is not None:
            yield name, value
    for name in ("orgs", "tags", "related"):
        yield from ((name, item) for item in getattr(event, name))
    if event.venue is not None:
        for part in ("name", "country"):
            if (value := getattr(event.venue, part)) is not None:
                yield f"venue.{part}", value
    for participant in event.participants:
        yield "participants.name", participant.name
        if participant.role is not None:
            yield "participants.role", participant.role
    for source in event.sources:
        for part in ("url", "title", "excerpt"):
            if (value := getattr(source, part)) is not None:
                yield f"sources.{part}", value


def _zoneless_time(value: DateValue) -> bool:
    return value.precision is Precision.MINUTE and value.zone is None


# The one list of an event's fields as a registry file writes them: in the file's order (the writer's, and the
# reader's in its messages), each with its key, which is the field's name but where that is a Python keyword.
# The reader's keys and readers and the writer's keys are derived from it; a field missing here fails the import.
FILE_KEY_OF_FIELD: Final = {"excluded": "except"}
FIELD_OF_FILE_KEY: Final = {key: name for name, key in FILE_KEY_OF_FIELD.items()}
EVENT_FILE_KEYS: Final = {
    name: FILE_KEY_OF_FIELD.get(name, name)
    for name in (
        *("id", "title", "kind", "status", "start", "end", "venue", "orgs", "series", "number"),
        *("participants", "sources", "tags", "reminders"),
        *("recurrence", "excluded", "also", "occurrence_of", "replaces"),
        *("related", "notes", "uid", "sequence", "updated"),
    )
}
if EVENT_FILE_KEYS.keys() != Event.__dataclass_fields__.keys():
    raise TypeError(
        f"EVENT_FILE_KEYS and Event differ in {sorted(EVENT_FILE_KEYS.keys() ^ Event.__dataclass_fields__)}"
    )


@dataclass
class Header:
    """What a registry says about itself: its name, default zone, schema version, reminder defaults, and the
    hemisphere its seasons are read in (northern unless it says ``seasons: southern``)."""

    name: str | None = None
    timezone: str | None = None
    schema: int | None = None
    uid_domain: str | None = None
    reminders: dict[Kind, tuple[LeadTime, ...]] = field(default_factory=dict)
    seasons: Hemisphere | None = None


def sequence_fields(event: Event) -> tuple[object, ...]:
    """What a calendar client must be told about by a higher SEQUENCE when it changes."""
    return (event.start, event.end, event.venue, event.status, event.recurrence, event.excluded, event.also)


_ID_RE: Final = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")
_STOP_WORDS: Final = frozenset(
    {"a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with", "held"}
)


def _slug_words(text: str) -> list[str]:
    ascii_text = text if text.isascii() else transliterated(text)
    return [w for w in re.split(r"[^a-z0-9]+", ascii_text.lower()) if w]


def transliterated(text: str) -> str:
    """Latin letters for a title in any script, so its id reads like it: "Совещание" -> "soveshchanie".

    A wide (CJK) character is a syllable of its own, kept apart so the id has words rather than one run of them.
    """
    from anyascii import anyascii  # only when an id is made from a title outside ASCII

    return "".join(f" {anyascii(c)} " if unicodedata.east_asian_width(c) == "W" else anyascii(c) for c in text)


_ID_LENGTH: Final = 72


def make_id(
    title: str,
    start: DateValue | None,
    *,
    series: str | None = None,
    number: int | None = None,
    taken: Container[str] = (),
) -> str:
    """A readable, stable id: ``sco-ewg-07`` for a numbered series, else title words and the year.

    >>> make_id("Joint meeting of SCO, CIS and CSTO defence chiefs", DateValue.from_text("2020-06"))
    'joint-meeting-sco-cis-csto-defence-2020-06'
    >>> make_id("Sovmestnoe zasedanie rukovoditeley oboronnykh vedomstv gosudarstv", DateValue.from_text("2020-06"))
    'sovmestnoe-zasedanie-rukovoditeley-oboronnykh-vedomstv-2020-06'
    """
    if series and number is not None:
        base = f"{'-'.join(_slug_words(series))[:68].strip('-') or 'event'}-{number:02d}"
    else:
        words = [w for w in _slug_words(title) if w not in _STOP_WORDS][:6] or ["event"]
        cut = None if start is None or start.part else 10 if start.is_fixed else 7  # a part: all, "2020-q3"
        when = "-" + start.to_text()[:cut].rstrip("-").lower() if start is not None else ""
        # long (transliterated) titles lose whole words, never the date: the id still says when the event is
        while len(words) > 1 and len("-".join(words)) + len(when) > _ID_LENGTH:
            words.pop()
        base = "-".join(words)[: _ID_LENGTH - len(when)] + when
    candidate, suffix = base, 2
    while candidate in taken:  # asked, never copied: an import makes thousands of ids against a growing set
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate
