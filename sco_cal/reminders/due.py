"""Which reminders are due at a moment: lead times counted from an occurrence's earliest possible start.

Pure logic: the caller passes ``now``, the lead-time defaults and what was given before (a ``History``, which
``sco_cal.reminders.ledger`` provides). Nothing here reads the clock, a file or the environment.

Lead times for an event, first found wins:

1. the event's own ``reminders`` (``--remind`` on add/edit);
2. the user's config ``[reminders]`` for the event's kind;
3. the registry header's ``reminders`` for the event's kind.

A cancelled or postponed event has no reminders (a postponed event's date is no longer the date). A held event
has none once the occurrence has started; a yearly anniversary that is ``held`` still reminds before each
coming occurrence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final, Protocol

from sco_cal.dates import DateValue, Window
from sco_cal.model import Event, Kind, LeadTime, Status
from sco_cal.query import Filters, Occurrence, select

__all__ = [
    "Due",
    "History",
    "LeadPolicy",
    "Plan",
    "Reminder",
    "ReminderKey",
    "candidates",
    "due_time",
    "lookahead",
    "plan",
]

_SILENT: Final = frozenset({Status.CANCELLED, Status.POSTPONED})


@dataclass(frozen=True, slots=True)
class LeadPolicy:
    """Where lead times come from when an event sets none: the user's config, then the registry header."""

    config: Mapping[Kind, tuple[LeadTime, ...]] = field(default_factory=dict)
    registry: Mapping[Kind, tuple[LeadTime, ...]] = field(default_factory=dict)

    def for_event(self, event: Event) -> tuple[LeadTime, ...]:
        """The event's lead times after the precedence above.

        >>> LeadPolicy(registry={Kind.MEETING: (LeadTime.from_text("7d"),)}).for_event(
        ...     Event("x", "X", kind=Kind.MEETING)
        ... )
        (LeadTime(amount=7, unit='d'),)
        """
        if event.status in _SILENT:
            return ()
        if event.reminders:
            return event.reminders
        return self.config.get(event.kind) or self.registry.get(event.kind, ())


@dataclass(frozen=True, slots=True)
class ReminderKey:
    """What the ledger remembers a reminder by. ``computed_for`` is the start text the reminder counted from,
    so a moved date makes a new key (given again) while ``event``/``occurrence``/``lead`` stay the same."""

    event: str
    occurrence: str
    lead: str
    computed_for: str


@dataclass(frozen=True, slots=True)
class Reminder:
    """One lead time of one occurrence: due at ``due``, counted from the earliest possible ``start``."""

    occurrence: Occurrence
    lead: LeadTime
    start: datetime
    due: datetime

    @property
    def event(self) -> Event:
        return self.occurrence.event

    @property
    def start_value(self) -> DateValue:
        assert self.occurrence.start is not None  # only dated occurrences get reminders
        return self.occurrence.start

    @property
    def fixed(self) -> bool:
        """Whether the start names a certain day or time; a month or year is "not fixed yet"."""
        return self.start_value.is_fixed

    @property
    def occurrence_key(self) -> str:
        # A single event has one occurrence whatever its date; a repeating one is told apart by its date.
        return self.start_value.to_text() if self.event.recurrence else ""

    @property
    def key(self) -> ReminderKey:
        return ReminderKey(self.event.id, self.occurrence_key, self.lead.to_text(), self.start_value.to_text())


@dataclass(frozen=True, slots=True)
class Due:
    """A reminder to give now. ``moved_from`` is the start text an earlier reminder was given for."""

    reminder: Reminder
    moved_from: str | None = None


@dataclass(slots=True)
class Plan:
    """What a run does: reminders to give, and reminders to record as skipped with a reason."""

    give: list[Due] = field(default_factory=list)
    skip: list[tuple[Reminder, str]] = field(default_factory=list)


class History(Protocol):
    """What was given before; ``sco_cal.reminders.ledger.Ledger`` is one."""

    def has(self, key: ReminderKey) -> bool: ...

    def moved_from(self, key: ReminderKey) -> str | None: ...


def due_time(start: datetime, lead: LeadTime) -> datetime:
    """When a reminder is due, in UTC.

    Days and weeks count on the wall clock of the start's zone (1d before 10:00 is 10:00 the day before, even
    across a DST change); hours and minutes are elapsed time.

    >>> from zoneinfo import ZoneInfo
    >>> start = datetime(2030, 3, 10, 10, 0, tzinfo=ZoneInfo("America/New_York"))  # the day DST begins
    >>> due_time(start, LeadTime.from_text("1d")).isoformat()
    '2030-03-09T15:00:00+00:00'
    >>> due_time(start, LeadTime.from_text("24h")).isoformat()
    '2030-03-09T14:00:00+00:00'
    """
    if lead.unit in ("d", "w"):
        # aware arithmetic within one tzinfo is wall-clock arithmetic in Python, which is what a day means here
        return (start - lead.delta).astimezone(UTC)
    return start.astimezone(UTC) - lead.delta


def lookahead(longest_own_lead: timedelta, policy: LeadPolicy, since: datetime, now: datetime) -> Window:
    """A window holding every occurrence with a reminder due between ``since`` and ``now``: from ``since``
    (less a margin for occurrences under way) to ``now`` plus the longest lead time any event can have."""
    defaults = [lead.delta for leads in (*policy.config.values(), *policy.registry.values()) for lead in leads]
    longest = max([longest_own_lead, *defaults])
    return Window(min(since, now) - timedelta(days=2), now + longest + timedelta(days=2))


def candidates(
    events: Iterable[Event],
    policy: LeadPolicy,
    *,
    since: datetime,
    now: datetime,
    floating_zone: str,
    default_zone: str,
) -> list[Reminder]:
    """Every reminder due at or before ``now`` of the occurrences that start from ``since`` on, or are under way.

    Held occurrences that have started are left out; so are cancelled and postponed events.
    """
    leads: dict[str, tuple[LeadTime, ...]] = {}
    chosen_events = []
    for event in events:
        found = policy.for_event(event)
        if found and event.start is not None:
            leads[event.id] = found
            chosen_events.append(event)
    if not leads:
        return []
    longest = max(lead.delta for chosen in leads.values() for lead in chosen)
    window = Window(min(since, now), now + longest + timedelta(days=2))
    found_reminders: list[Reminder] = []
    for occurrence in select(
        chosen_events, Filters(window=window), floating_zone=floating_zone, default_zone=default_zone
    ):
        if occurrence.span is None:
            continue
        start = occurrence.span.start
        if occurrence.event.status is Status.HELD and start <= now:
            continue
        for lead in leads[occurrence.event.id]:
            due = due_time(start, lead)
            if due <= now:
                found_reminders.append(Reminder(occurrence, lead, start, due))
    return found_reminders


def plan(
    reminders: Iterable[Reminder], history: History, *, now: datetime, since: datetime, catch_up: timedelta
) -> Plan:
    """Decide, for each due reminder, whether to give it, skip it, or leave it (given before).

    - given before (same key): nothing;
    - due before ``since`` (the last run, or the catch-up window on a first run): an earlier run saw it, unless
      the date moved since a reminder was given; a moved one is given while the event has not begun;
    - due longer ago than ``catch_up``: skipped as missed (the machine was off), not given late;
    - several due for one occurrence at once (after a gap): only the latest is given, the others are skipped as
      superseded, so a user is not told "in 7 days" and "tomorrow" about the same meeting in one breath.
    """
    result = Plan()
    chosen: dict[tuple[str, str], list[Due]] = {}
    for reminder in reminders:
        key = reminder.key
        if history.has(key):
            continue
        moved = history.moved_from(key)
        late = now - reminder.due > catch_up
        if moved is not None and (not late or now < reminder.start):
            chosen.setdefault((key.event, key.occurrence), []).append(Due(reminder, moved))
        elif reminder.due < since:
            continue
        elif late:
            result.skip.append((reminder, "missed"))
        else:
            chosen.setdefault((key.event, key.occurrence), []).append(Due(reminder, None))
    for dues in chosen.values():
        dues.sort(key=lambda d: d.reminder.due)
        result.give.append(dues[-1])
        result.skip.extend((d.reminder, "superseded") for d in dues[:-1])
    result.give.sort(key=lambda d: (d.reminder.start, d.reminder.event.title.lower(), d.reminder.event.id))
    return result
