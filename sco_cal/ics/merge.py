"""What an import does to a registry: which incoming events are new, which update an event we have, which
are unchanged, told apart by UID. No icalendar here: the input is ``Imported``'s plain fields. That the plan's
events read back from the registry's YAML is checked by ``sco_cal.services.importing``, which owns the registry.

An event we published and a client sent back carries our decorations ("(date TBC)", the whole-month span,
the generated description). A field that still reads exactly as we would publish it is not a change.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal, Protocol, runtime_checkable

from sco_cal.dates import DateValue
from sco_cal.errors import InvalidInput
from sco_cal.ics import publish
from sco_cal.ics.incoming import Imported
from sco_cal.ics.scan import NotKept
from sco_cal.model import Event, Kind, LeadTime, Source, Status, Venue, make_id

__all__ = ["Action", "Change", "Events", "Existing", "Origins", "Plan", "ordered_for_adding", "plan"]

Action = Literal["new", "updated", "unchanged"]
_ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")


@dataclass(frozen=True, slots=True)  # one per incoming event, all of them alive through the write
class Change:
    action: Action
    event: Event
    before: Event | None = None


class Origins:
    """The line and UID in the file of each change, for messages about it. A big import keeps them through
    its write, so the lines are held as machine integers rather than a tuple and an int object each."""

    __slots__ = ("_lines", "_uids")

    def __init__(self) -> None:
        self._lines = array("q")
        self._uids: list[str] = []

    def append(self, line: int, uid: str) -> None:
        self._lines.append(line)
        self._uids.append(uid)

    def __getitem__(self, position: int) -> tuple[int, str]:
        return self._lines[position], self._uids[position]

    def __len__(self) -> int:
        return len(self._uids)


@dataclass
class Plan:
    changes: list[Change]
    errors: list[str]
    not_kept: Sequence[NotKept] = ()
    origins: Origins = field(default_factory=Origins)  # the line and UID in the file of each change

    def count(self, action: Action) -> int:
        return sum(1 for c in self.changes if c.action == action)


@runtime_checkable
class Existing(Protocol):
    """What a plan asks about the registry's events: a big registry's index answers without reading them all."""

    def has(self, event_id: str) -> bool: ...

    def event(self, event_id: str) -> Event | None: ...

    def with_uid(self, uid: str) -> Event | None:
        """The last event, in file order, whose own ``uid`` (the one a calendar gave it) is ``uid``."""
        ...

    def moved(self, series: str, replaces: DateValue) -> Event | None:
        """The last event, in file order, that moves the occurrence of ``series`` at ``replaces``."""
        ...


class Events:
    """``Existing`` over events read one by one, in file order: a small registry's, or a test's."""

    def __init__(self, events: Iterable[Event]):
        self._by_id: dict[str, Event] = {}
        self._by_uid: dict[str, Event] = {}
        self._moved: dict[tuple[str, DateValue], Event] = {}  # by series and the start it replaces
        for e in events:  # one pass, so that ``events`` may be a stream
            self._by_id[e.id] = e
            if e.uid:
                self._by_uid[e.uid] = e
            if e.occurrence_of is not None and e.replaces is not None:
                self._moved[(e.occurrence_of, e.replaces)] = e

    def has(self, event_id: str) -> bool:
        return event_id in self._by_id

    def event(self, event_id: str) -> Event | None:
        return self._by_id.get(event_id)

    def with_uid(self, uid: str) -> Event | None:
        return self._by_uid.get(uid)

    def moved(self, series: str, replaces: DateValue) -> Event | None:
        return self._moved.get((series, replaces))


def plan(
    existing: Existing,
    incoming: Iterable[Imported],
    *,
    uid_domain: str,
    default_zone: str,
    stamp: datetime,
    default_reminders: Callable[[Kind], tuple[LeadTime, ...]] = lambda _kind: (),
    source: str = "<calendar>",
) -> Plan:
    """Match incoming events to ours by UID (``event.uid``, or the ``id@uid_domain`` we publish) and decide.

    Parameters:
        stamp: The revision time of a changed event when the calendar gives no LAST-MODIFIED (the CLI's clock).
    """
    taken = _Taken(existing)
    series_ids: dict[str, str] = {}  # the id each series in the file has here (its occurrences come after it)
    result = Plan([], [])
    for item in incoming:
        try:
            replaces = item.fields.get("replaces")
            if replaces is not None:
                before = _occurrence_of(item, series_ids, existing)
            else:
                before = _by_uid(existing, item.uid, uid_domain)
            if before is None:
                event = _new(item, taken, uid_domain, stamp, default_zone)
                taken.planned.add(event.id)
                result.changes.append(Change("new", event))
            else:
                result.changes.append(_update(before, item, default_zone, stamp, default_reminders))
            result.origins.append(item.line, item.uid)
            if replaces is None:
                series_ids[item.uid] = result.changes[-1].event.id
        except InvalidInput as error:
            result.errors.append(f"{source}:{item.line}: {error} (UID {item.uid!r})")
    _drop_unknown_related(result, taken)
    return result


class _Taken:
    """The ids in use: the registry's, and those of the new events planned so far."""

    def __init__(self, existing: Existing):
        self.existing = existing
        self.planned: set[str] = set()

    def __contains__(self, event_id: object) -> bool:
        return isinstance(event_id, str) and (event_id in self.planned or self.existing.has(event_id))


def _by_uid(existing: Existing, uid: str, uid_domain: str) -> Event | None:
    """The event a UID names: one a calendar gave it wins over the ``id@uid_domain`` we publish."""
    found = existing.with_uid(uid)
    suffix = f"@{uid_domain}"
    if found is None and uid.endswith(suffix):
        found = existing.event(uid[: -len(suffix)])
    return found


def _fresh_id(title: str, start: DateValue | None, taken: _Taken) -> str:
    """``make_id``'s id for a new event, asking the index about each id it tries instead of handing it every id."""
    return make_id(title, start, taken=taken)


def _occurrence_of(item: Imported, series_ids: dict[str, str], existing: Existing) -> Event | None:
    """A moved occurrence: named after its series (``occurrence_of``); the one we have for it, if any."""
    series = series_ids.get(item.uid)
    if series is None:
        raise InvalidInput("RECURRENCE-ID: the repeating event of this occurrence could not be imported")
    item.fields["occurrence_of"] = series
    return existing.moved(series, item.fields["replaces"])


def _status(item: Imported, current: Status | None) -> Status:
    if current is not None and (not item.statuses or current in item.statuses):
        return current
    if item.statuses:
        return item.statuses[0]
    start = item.fields.get("start")
    return Status.SCHEDULED if isinstance(start, DateValue) and start.is_fixed else Status.PLANNED


def _new(item: Imported, taken: _Taken, uid_domain: str, stamp: datetime, default_zone: str) -> Event:
    values = dict(item.fields)
    suggested = item.suggested_id
    if suggested and _ID_RE.fullmatch(suggested) and suggested not in taken:
        event_id = suggested
    else:
        event_id = _fresh_id(values["title"], values.get("start"), taken)
    uid = None if item.uid == f"{event_id}@{uid_domain}" or "replaces" in values else item.uid
    updated = item.updated if item.ours else item.updated or stamp
    event = Event(
        id=event_id,
        **values,
        status=_status(item, None),
        uid=uid,
        sequence=item.sequence,
        updated=updated,
    )
    event.check(default_zone)
    return event


def _content(event: Event) -> Event:
    return replace(event, sequence=0, updated=None)


def _update(
    before: Event,
    item: Imported,
    default_zone: str,
    stamp: datetime,
    default_reminders: Callable[[Kind], tuple[LeadTime, ...]],
) -> Change:
    changes = dict(item.fields) if item.ours else _reconciled(before, item.fields, default_zone, default_reminders)
    changes["status"] = _status(item, before.status)
    candidate = before.with_changes(**changes)
    candidate.check(default_zone)
    if _content(candidate) == _content(before):
        return Change("unchanged", before, before)
    updated = item.updated if item.ours and item.updated else stamp
    sequence = max(candidate.sequence, item.sequence)
    return Change("updated", replace(candidate, sequence=sequence, updated=updated), before)


def _reconciled(
    before: Event,
    incoming: dict[str, Any],
    default_zone: str,
    default_reminders: Callable[[Kind], tuple[LeadTime, ...]],
) -> dict[str, Any]:
    """The fields a foreign event really changes: what still reads as we publish it stays as we have it,
    and what the calendar does not state at all is left alone."""
    changes: dict[str, Any] = {}
    title = incoming["title"]
    if title not in (before.title, publish.title(before)):
        changes["title"] = title
    start, end = incoming["start"], incoming["end"]
    if start is not None and not _published_dates(before, start, end, default_zone):
        changes["start"], changes["end"] = start, end
    venue: Venue | None = incoming.get("venue")
    if venue is not None and not (before.venue and before.venue.display() == venue.name):
        changes["venue"] = venue
    notes = incoming.get("notes")
    published = {publish.description(before, p, default_zone) for p in (publish.Policy.SPAN, publish.Policy.START)}
    if notes is not None and notes != before.notes and notes not in published:
        changes["notes"] = notes
    sources: tuple[Source, ...] = incoming.get("sources", ())
    if sources and sources[0].url not in {s.url for s in before.sources}:
        changes["sources"] = sources + before.sources
    tags = incoming.get("tags")
    if tags is not None and set(tags) != set(publish.categories(before)):
        changes["tags"] = tuple(t for t in tags if t not in (str(before.kind), *before.orgs))
    leads = incoming.get("reminders")
    published_leads = {lead.delta for lead in before.reminders or default_reminders(before.kind)}
    if leads is not None and {lead.delta for lead in leads} != published_leads:
        changes["reminders"] = leads
    rule = incoming.get("recurrence")
    if rule is not None and _rule_key(rule) != _rule_key(before.recurrence or ""):
        changes["recurrence"] = rule
    for key in ("excluded", "also"):  # what a series leaves out and adds is the file's whole list
        if rule is not None and set(incoming.get(key, ())) != set(getattr(before, key)):
            changes[key] = incoming.get(key, ())
    return changes


def _published_dates(before: Event, start: DateValue, end: DateValue | None, default_zone: str) -> bool:
    """Whether incoming dates are exactly what a feed shows for ``before`` (e.g. the whole of June 2020)."""
    if (start, end) == (before.start, before.end):
        return True
    timing = publish.timing(start, end, publish.Policy.SPAN, default_zone)
    return timing is not None and publish.same_when(before, *timing, default_zone)


def _rule_key(rule: str) -> tuple[str, ...]:
    return tuple(sorted(part.strip().upper() for part in rule.split(";") if part.strip()))


def _drop_unknown_related(result: Plan, ids: _Taken) -> None:
    """A feed may name related events the importing registry does not have; those links cannot be kept."""
    for position, change in enumerate(result.changes):
        kept = tuple(r for r in change.event.related if r in ids)
        if kept != change.event.related:
            result.changes[position] = replace(change, event=replace(change.event, related=kept))


def ordered_for_adding(changes: Sequence[Change]) -> list[Event]:
    """New events in an order where each one's related events exist before it is added."""
    pending = [c.event for c in changes if c.action == "new"]
    available = {r for c in changes for r in c.event.related} - {e.id for e in pending}
    ordered: list[Event] = []
    while pending:
        ready = [e for e in pending if all(r in available for r in (*e.related, *filter(None, [e.occurrence_of])))]
        if not ready:  # a cycle of links among new events: keep the events, drop the links that close it
            ready = [replace(pending[0], related=tuple(r for r in pending[0].related if r in available))]
            pending[0] = ready[0]
        for event in ready:
            ordered.append(event)
            available.add(event.id)
        ready_ids = {e.id for e in ready}
        pending = [e for e in pending if e.id not in ready_ids]
    return ordered
