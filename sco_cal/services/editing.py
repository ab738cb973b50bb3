"""``add`` and ``edit`` from what the user typed to a saved event: reading the typed fields, the policy of an
edit (emptying the fields ``--clear`` names, which status changes need ``--force``, refusing a twin of another
event), and the one save under the registry's lock. Which fields there are to type or empty is in
``event_fields``.

The CLI parses the options into an ``EventInput`` and prints the outcome; the clock and the zones come in as
arguments (``DateContext``), so nothing here reads the environment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from sco_cal.dates import DateValue
from sco_cal.dates.phrases import parse_span
from sco_cal.errors import Conflict, InvalidInput, ScoCalError
from sco_cal.model import (
    FIELD_OF_FILE_KEY,
    Event,
    Kind,
    LeadTime,
    Participant,
    Source,
    Status,
    Venue,
    make_id,
)
from sco_cal.query import twin_of
from sco_cal.recurrence import check_rule
from sco_cal.registry import Registry, editing
from sco_cal.services.event_fields import EMPTY, OPTIONS

__all__ = ["DateContext", "EventInput", "add_event", "edit_event"]

T = TypeVar("T")


@dataclass(frozen=True)
class DateContext:
    """How typed dates are read: the day they are relative to, and the zones, asked for only when needed."""

    today: Callable[[], dt.date]  # asked once per edit, as it begins
    registry_zone: Callable[[], str]  # where a zoneless time is read, and must happen exactly once
    display_zone: Callable[[str], str]  # the zone dates are shown in, given the registry's
    southern: Callable[[], bool] = lambda: False  # whether the registry's seasons are the southern hemisphere's

    def abbreviation_zones(self) -> tuple[str, str]:
        """Where a typed zone abbreviation (MSK) is understood: the registry's zone and the display zone."""
        registry_zone = self.registry_zone()
        return registry_zone, self.display_zone(registry_zone)

    def check_wall_times(self, *values: object) -> None:
        """A typed time must happen exactly once in its zone (a zoneless one is read in the registry's)."""
        zone = self.registry_zone()
        for value in values:
            if isinstance(value, DateValue):
                value.check_wall_time(zone)

    def span(self, text: str, today: dt.date) -> tuple[DateValue, DateValue | None]:
        return parse_span(text, today=today, zones=self.abbreviation_zones, southern=self.southern())


@dataclass(frozen=True, kw_only=True)
class EventInput:
    """What the user typed for an event's fields; ``None`` means "not given"."""

    date: str | None = None
    end: str | None = None
    where: str | None = None
    country: str | None = None
    venue_tz: str | None = None
    orgs: Sequence[str] | None = None
    kind: Kind | None = None
    status: Status | None = None
    tags: Sequence[str] | None = None
    series: str | None = None
    number: int | None = None
    note: str | None = None
    sources: Sequence[str] | None = None
    participants: Sequence[str] | None = None
    reminders: Sequence[str] | None = None
    repeat: str | None = None
    related: Sequence[str] | None = None

    def setters(self, field_name: str) -> list[str]:
        """The options given that set ``field_name``, as typed."""
        return [
            option
            for attribute, (option, field_set) in OPTIONS.items()
            if field_set == field_name and getattr(self, attribute) is not None
        ]

    def refuse_clearing_what_is_set(self, cleared: Sequence[str]) -> None:
        """``--clear venue --where Minsk`` asks for two things at once: refuse rather than guess which one."""
        for name in cleared:
            for option in self.setters(name):
                raise InvalidInput(f"--clear {name} and {option} conflict: one empties {name}, the other sets it")

    def changes(self, current: Event | None, dates: DateContext, *, cleared: Sequence[str] = ()) -> dict[str, Any]:
        """The event fields these options set."""
        changes: dict[str, Any] = {**self._when(dates, dates.today(), cleared)}
        if self.where is not None or self.country is not None or self.venue_tz is not None:
            changes["venue"] = _named("--venue-tz", lambda: self._venue(current))
        simple = {"kind": self.kind, "status": self.status, "series": self.series, "number": self.number}
        changes.update({key: value for key, value in {**simple, "notes": self.note}.items() if value is not None})
        lists = {"orgs": self.orgs, "tags": self.tags, "related": self.related}
        changes.update({key: tuple(value) for key, value in lists.items() if value is not None})
        if self.sources is not None:
            changes["sources"] = tuple(Source(url=url) for url in self.sources)
        if self.participants is not None:
            changes["participants"] = tuple(_participant(text) for text in self.participants)
        if self.reminders is not None:
            changes["reminders"] = _named(
                "--remind", lambda: tuple(LeadTime.from_text(t) for t in self.reminders or ())
            )
        if self.repeat is not None:
            changes["recurrence"] = check_rule(self.repeat)
        return changes

    def _when(self, dates: DateContext, today: dt.date, cleared: Sequence[str]) -> dict[str, DateValue | None]:
        """``start`` and ``end`` from ``--date`` and ``--end``; a range in ``--date`` brings its own end."""
        when: dict[str, DateValue | None] = {}
        if self.date is not None:
            start, end = _named("--date", lambda: dates.span(self.date or "", today))
            _named("--date", lambda: dates.check_wall_times(start, end))
            when["start"], when["end"] = start, end
            if end is not None and (self.end is not None or "end" in cleared):
                other = "--end" if self.end is not None else "--clear end"
                raise InvalidInput(f"--date {self.date!r} is a range, with its own end, and {other} conflicts with it")
        if self.end is not None:
            when["end"] = _named("--end", lambda: dates.span(self.end or "", today))[0]
            _named("--end", lambda: dates.check_wall_times(when["end"]))
        return when

    def _venue(self, current: Event | None) -> Venue:
        """The venue with what was typed of it; the parts not typed stay as they were."""
        old = current.venue if current and current.venue else Venue()
        return Venue(
            name=self.where if self.where is not None else old.name,
            country=self.country if self.country is not None else old.country,
            timezone=self.venue_tz if self.venue_tz is not None else old.timezone,
        )


def add_event(
    path: Path,
    title: str,
    typed: EventInput,
    *,
    dates: DateContext,
    stamp: dt.datetime,
    event_id: str | None = None,
    file: Path | None = None,
    force: bool = False,
    write: Callable[[], dict[str, Any]],
) -> str:
    """Add an event made of ``title`` and ``typed`` to the registry at ``path``; its id (``event_id``, else one
    made from the series and number, or the title and date). ``write`` gives what ``registry.editing`` takes,
    asked for once what was typed has been read."""
    changes = typed.changes(None, dates)
    with editing(path, **write()) as editor:
        start = changes.get("start")
        new_id = event_id or make_id(
            title,
            start if isinstance(start, DateValue) else None,
            series=typed.series,
            number=typed.number,
            taken=editor.taken_ids,
        )
        event = replace(Event(id=new_id, title=title, updated=stamp), **changes)
        if not force:
            _refuse_twin(event, editor.registry)
        editor.add(event, file=file)
    return new_id


def edit_event(
    path: Path,
    event_id: str,
    typed: EventInput,
    *,
    dates: DateContext,
    stamp: dt.datetime,
    title: str | None = None,
    cleared: Sequence[str] = (),
    force: bool = False,
    write: Callable[[], dict[str, Any]],
) -> bool:
    """Change the event ``event_id`` as ``typed`` (and ``title``, ``cleared``) say; ``False`` when that changes
    nothing, and nothing is saved. An unusual status change or a new twin needs ``force``."""
    with editing(path, **write()) as editor:
        current = editor.registry.get(event_id)
        changes = typed.changes(current, dates, cleared=cleared)
        if title is not None:
            changes["title"] = title
        changes.update({name: EMPTY[name] for name in (FIELD_OF_FILE_KEY.get(key, key) for key in cleared)})
        _check_status_change(current.status, changes.get("status", current.status), force=force)
        changed = current.with_changes(**changes)
        if changed == current:
            return False
        if not force and _identity(changed) != _identity(current):
            _refuse_twin(changed, editor.registry, before=current)
        editor.update(changed.with_changes(updated=stamp))
    return True


def _check_status_change(old: Status, new: Status, *, force: bool) -> None:
    """A move off the usual path (held -> planned) is almost always a typo; ``force`` says it is not."""
    if not force and not old.can_become(new):
        raise InvalidInput(f"status: {old} -> {new} is unusual; pass --force if it is right")


def _named(option: str, parse: Callable[[], T]) -> T:
    """Run a parser, naming the option in its message; the exception type (and exit code) stays the same."""
    try:
        return parse()
    except ScoCalError as error:
        error.args = (f"{option}: {error}",)
        raise


def _participant(text: str) -> Participant:
    name, _, role = text.partition(":")
    if not name.strip():
        raise InvalidInput(f"--participant {text!r}: write 'Name' or 'Name:role'")
    return Participant(name=name.strip(), role=role.strip() or None)


def _identity(event: Event) -> tuple[object, ...]:
    """What tells an event from another: a change here may make it a twin of one."""
    return (event.title, event.start, event.series, event.number)


def _refuse_twin(event: Event, registry: Registry, *, before: Event | None = None) -> None:
    """A second event with the same title and date, or the same series and number, is almost always the first one
    typed again: refuse it, naming the first. An edit of an event that already had that twin is let be."""
    found = twin_of(event, registry.iter_events())
    if found is not None and (before is None or twin_of(before, [found[0]]) is None):
        twin, shared = found
        where, line = registry.location(twin.id)
        raise Conflict(f"{twin.id} ({where}:{line}) has the same {shared}; pass --force if this is another event")
