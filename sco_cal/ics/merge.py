"""What an import does to a registry: which incoming events are new, which update an event we have, which
are unchanged, told apart by UID. No icalendar here: the input is ``ics.Imported``'s plain fields.

An event we published and a client sent back carries our decorations ("(date TBC)", the whole-month span,
the generated description). A field that still reads exactly as we would publish it is not a change.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any, Literal, Protocol

from sco_cal.dates import DateValue
from sco_cal.errors import InvalidInput
from sco_cal.ics import publish as ics_map
from sco_cal.model import Event, Kind, LeadTime, Source, Status, Venue, make_id

__all__ = ["Change", "Incoming", "Plan", "describe", "ordered_for_adding", "plan"]

Action = Literal["new", "updated", "unchanged"]
_ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")


@dataclass(frozen=True, slots=True)  # one per incoming event: 100,000 of them live through the write
class Change:
    action: Action
    event: Event
    before: Event | None = None


class Dropped(Protocol):
    """What the summary reads of ``ics_text.NotKept``."""

    @property
    def line(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def why(self) -> str: ...


@dataclass
class Plan:
    changes: list[Change]
    errors: list[str]
    not_kept: Sequence[Dropped] = ()

    def count(self, action: Action) -> int:
        return sum(1 for c in self.changes if c.action == action)

    def summary(self) -> str:
        """``4 new, 0 updated, 0 unchanged, 0 errors; not kept: 1 VTODO, 2 ATTENDEE``."""
        errors = len(self.errors)
        text = (
            f"{self.count('new')} new, {self.count('updated')} updated, {self.count('unchanged')} unchanged, "
            f"{errors} error{'' if errors == 1 else 's'}"
        )
        counts = Counter(_kind(item.name) for item in sorted(self.not_kept, key=lambda item: item.line))
        if counts:
            text += "; not kept: " + ", ".join(f"{n} {name}" for name, n in counts.most_common())
        return text

    def not_kept_lines(self, source: str) -> list[str]:
        """One line per thing not kept, in file order: ``file:12: ATTENDEE not kept``."""
        return [
            f"{source}:{item.line}: {item.name} not kept" + (f" ({item.why})" if item.why else "")
            for item in sorted(self.not_kept, key=lambda item: item.line)
        ]


def _kind(name: str) -> str:
    """How the summary counts a name: vendors' X- names together (an Outlook event holds a dozen)."""
    return "X-*" if name.startswith("X-") else name


class Incoming(Protocol):
    """What the merge reads of ``ics.Imported`` (a protocol, so that this module needs no icalendar)."""

    uid: str
    line: int
    fields: dict[str, Any]
    statuses: tuple[Status, ...]
    suggested_id: str | None
    ours: bool
    sequence: int
    updated: datetime | None


def plan(
    existing: Iterable[Event],
    incoming: Iterable[Incoming],
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
    # one pass, so that ``existing`` may be a stream: a big registry's events need not all be held at once
    ours: dict[str, Event] = {}
    foreign: dict[str, Event] = {}
    moved: dict[tuple[str, DateValue], Event] = {}  # an occurrence moved by another calendar, by series and start
    taken: set[str] = set()
    for e in existing:
        ours[f"{e.id}@{uid_domain}"] = e
        if e.uid:
            foreign[e.uid] = e
        if e.occurrence_of is not None and e.replaces is not None:
            moved[(e.occurrence_of, e.replaces)] = e
        taken.add(e.id)
    by_uid = ours | foreign
    series_ids: dict[str, str] = {}  # the id each series in the file has here (its occurrences come after it)
    result = Plan([], [])
    origins: list[tuple[int, str]] = []  # the line and UID in the calendar of each change
    for item in incoming:
        try:
            replaces = item.fields.get("replaces")
            before = _occurrence_of(item, series_ids, moved) if replaces is not None else by_uid.get(item.uid)
            if before is None:
                event = _new(item, taken, uid_domain, stamp, default_zone)
                taken.add(event.id)
                result.changes.append(Change("new", event))
            else:
                result.changes.append(_update(before, item, default_zone, stamp, default_reminders))
            origins.append((item.line, item.uid))
            if replaces is None:
                series_ids[item.uid] = result.changes[-1].event.id
        except InvalidInput as error:
            result.errors.append(f"{source}:{item.line}: {error} (UID {item.uid!r})")
    _drop_unknown_related(result, taken)
    _check_as_read_back(result, origins, source)
    return result


def _check_as_read_back(result: Plan, origins: list[tuple[int, str]], source: str) -> None:
    """Refuse in the plan, which a dry run shares, whatever the registry's reader would refuse once written:
    a dry run that says "1 new" is then what the real run does."""
    from sco_cal.registry.yaml.emit import item_lines
    from sco_cal.registry.yaml.reader import Problems, parse_file

    text = ["events:"]
    firsts: list[int] = []  # the first line of each change's text, or 0 for an unchanged event
    for change in result.changes:
        firsts.append(len(text) + 1 if change.action != "unchanged" else 0)
        text += item_lines(change.event, 2, 4) if change.action != "unchanged" else []
    if len(text) == 1:
        return
    problems = Problems()
    parse_file("<import>", "\n".join(text) + "\n", problems, keep_nodes=False)
    written = [(first, position) for position, first in enumerate(firsts) if first]
    refused: set[int] = set()
    for problem in problems.items:
        at = bisect.bisect_right(written, (problem.line, len(firsts))) - 1
        position = written[max(at, 0)][1]
        line, uid = origins[position]
        result.errors.append(f"{source}:{line}: {problem.message} (UID {uid!r})")
        refused.add(position)
    result.changes[:] = [change for i, change in enumerate(result.changes) if i not in refused]


def _occurrence_of(
    item: Incoming, series_ids: dict[str, str], moved: dict[tuple[str, DateValue], Event]
) -> Event | None:
    """A moved occurrence: named after its series (``occurrence_of``); the one we have for it, if any."""
    series = series_ids.get(item.uid)
    if series is None:
        raise InvalidInput("RECURRENCE-ID: the repeating event of this occurrence could not be imported")
    item.fields["occurrence_of"] = series
    return moved.get((series, item.fields["replaces"]))


def _status(item: Incoming, current: Status | None) -> Status:
    if current is not None and (not item.statuses or current in item.statuses):
        return current
    if item.statuses:
        return item.statuses[0]
    start = item.fields.get("start")
    return Status.SCHEDULED if isinstance(start, DateValue) and start.is_fixed else Status.PLANNED


def _new(item: Incoming, taken: set[str], uid_domain: str, stamp: datetime, default_zone: str) -> Event:
    values = dict(item.fields)
    suggested = item.suggested_id
    if suggested and _ID_RE.fullmatch(suggested) and suggested not in taken:
        event_id = suggested
    else:
        event_id = make_id(values["title"], values.get("start"), taken=taken)
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
    item: Incoming,
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
    if title not in (before.title, ics_map.title(before)):
        changes["title"] = title
    start, end = incoming["start"], incoming["end"]
    if start is not None and not _published_dates(before, start, end, default_zone):
        changes["start"], changes["end"] = start, end
    venue: Venue | None = incoming.get("venue")
    if venue is not None and not (before.venue and before.venue.display() == venue.name):
        changes["venue"] = venue
    notes = incoming.get("notes")
    published = {ics_map.description(before, p, default_zone) for p in (ics_map.Policy.SPAN, ics_map.Policy.START)}
    if notes is not None and notes != before.notes and notes not in published:
        changes["notes"] = notes
    sources: tuple[Source, ...] = incoming.get("sources", ())
    if sources and sources[0].url not in {s.url for s in before.sources}:
        changes["sources"] = sources + before.sources
    tags = incoming.get("tags")
    if tags is not None and set(tags) != set(ics_map.categories(before)):
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
    timing = ics_map.when(Event("x", "x", start=start, end=end), ics_map.Policy.SPAN, default_zone)
    return timing is not None and ics_map.same_when(before, *timing, default_zone)


def _rule_key(rule: str) -> tuple[str, ...]:
    return tuple(sorted(part.strip().upper() for part in rule.split(";") if part.strip()))


def _drop_unknown_related(result: Plan, ids: set[str]) -> None:
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


def _shown(value: object) -> str:
    if value is None or value == ():
        return "-"
    if isinstance(value, DateValue):
        return value.to_text()
    if isinstance(value, Venue):
        return value.display() or "-"
    if isinstance(value, tuple):
        return ", ".join(_shown(v) if not isinstance(v, str) else v for v in value)
    text = str(value) if isinstance(value, str) else str(getattr(value, "name", value))
    text = text.replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"


def describe(change: Change, default_zone: str) -> str:
    """One line per change: ``+ id  title — when`` for a new event, ``~ id: field old -> new; ...`` for an update."""
    event = change.event
    when = ics_map.display_when(event, default_zone)
    if change.action == "new":
        return f"+ {event.id}  {event.title} — {when}"
    if change.action == "unchanged" or change.before is None:
        return f"= {event.id}"
    diffs = []
    for field in fields(Event):
        if field.name in ("sequence", "updated"):
            continue
        old, new = getattr(change.before, field.name), getattr(event, field.name)
        if old != new:
            diffs.append(f"{field.name} {_shown(old)} -> {_shown(new)}")
    return f"~ {event.id}: " + "; ".join(diffs)
