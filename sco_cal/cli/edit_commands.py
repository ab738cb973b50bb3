"""``init``, ``add``, ``edit``, ``remove``, ``show`` and ``validate``: the commands that keep the registry."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from sco_cal.cli.app import DetailFormat, app, emit, err_console, out_console, session, user_errors
from sco_cal.dates import DateValue
from sco_cal.dates.phrases import parse_span
from sco_cal.errors import Conflict, InvalidInput, ScoCalError
from sco_cal.model import (
    FIELD_OF_FILE_KEY,
    FILE_KEY_OF_FIELD,
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
from sco_cal.words import counted

if TYPE_CHECKING:
    from sco_cal.registry import Registry

DateOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--date", help="When: 'June 2020', 2020, '31 Oct - 1 Nov 2019', '2019-10-31 10:00 Europe/Moscow', +30d."
    ),
]
EndOpt = Annotated[
    list[str] | None, typer.Option("--end", help="The last day (or time), when --date gives only the start.")
]
WhereOpt = Annotated[list[str] | None, typer.Option("--where", help="The venue as sources give it: Moscow, Qingdao.")]
CountryOpt = Annotated[list[str] | None, typer.Option("--country", help="The venue's country.")]
TzOpt = Annotated[list[str] | None, typer.Option("--venue-tz", help="The venue's IANA time zone, e.g. Europe/Moscow.")]
OrgsOpt = Annotated[list[str] | None, typer.Option("--org", "-o", help="An organisation (repeatable): SCO, CIS, CSTO.")]
KindOpt = Annotated[list[Kind] | None, typer.Option("--kind", "-k", help="What it is.")]
StatusOpt = Annotated[
    list[Status] | None, typer.Option("--status", "-s", help="planned, scheduled, held, postponed, cancelled.")
]
TagsOpt = Annotated[list[str] | None, typer.Option("--tag", "-t", help="A tag (repeatable).")]
SeriesOpt = Annotated[list[str] | None, typer.Option("--series", help="The series it belongs to, e.g. sco-ewg.")]
NumberOpt = Annotated[
    list[int] | None, typer.Option("--number", min=0, help="Its number in the series: 7 for the 7th meeting.")
]
NoteOpt = Annotated[list[str] | None, typer.Option("--note", help="Free notes.")]
SourceOpt = Annotated[list[str] | None, typer.Option("--source", help="A source URL (repeatable).")]
ParticipantOpt = Annotated[
    list[str] | None, typer.Option("--participant", help="'Name' or 'Name:role' (repeatable), e.g. 'Belarus:observer'.")
]
RemindOpt = Annotated[
    list[str] | None, typer.Option("--remind", help="A reminder lead time (repeatable): 30d, 7d, 2h, 1w.")
]
RepeatOpt = Annotated[list[str] | None, typer.Option("--repeat", help="An RRULE, e.g. FREQ=YEARLY for an anniversary.")]
RelatedOpt = Annotated[list[str] | None, typer.Option("--related", help="The id of a related event (repeatable).")]

# The optional fields a user may empty: every field but the identity, the required ones and the revision.
_CLEARABLE = tuple(
    FILE_KEY_OF_FIELD.get(name, name)  # named as in the registry file
    for name in Event.__dataclass_fields__
    if name not in ("id", "title", "kind", "status", "start", "uid", "sequence", "updated")
)


# Each option of _Typed: its attribute, as the user types it, and the event field it sets.
_OPTIONS: dict[str, tuple[str, str]] = {
    "date": ("--date", "start"),
    "end": ("--end", "end"),
    "where": ("--where", "venue"),
    "country": ("--country", "venue"),
    "venue_tz": ("--venue-tz", "venue"),
    "orgs": ("--org", "orgs"),
    "kind": ("--kind", "kind"),
    "status": ("--status", "status"),
    "tags": ("--tag", "tags"),
    "series": ("--series", "series"),
    "number": ("--number", "number"),
    "note": ("--note", "notes"),
    "sources": ("--source", "sources"),
    "participants": ("--participant", "participants"),
    "reminders": ("--remind", "reminders"),
    "repeat": ("--repeat", "recurrence"),
    "related": ("--related", "related"),
}


@dataclass
class _Typed:
    """What the user typed for an event's fields; ``None`` means "not given"."""

    date: str | None = None
    end: str | None = None
    where: str | None = None
    country: str | None = None
    venue_tz: str | None = None
    orgs: list[str] | None = None
    kind: Kind | None = None
    status: Status | None = None
    tags: list[str] | None = None
    series: str | None = None
    number: int | None = None
    note: str | None = None
    sources: list[str] | None = None
    participants: list[str] | None = None
    reminders: list[str] | None = None
    repeat: str | None = None
    related: list[str] | None = None

    def setters(self, field_name: str) -> list[str]:
        """The options given that set ``field_name``, as typed."""
        return [
            option
            for attribute, (option, field_set) in _OPTIONS.items()
            if field_set == field_name and getattr(self, attribute) is not None
        ]

    def refuse_clearing_what_is_set(self, cleared: list[str]) -> None:
        """``--clear venue --where Minsk`` asks for two things at once: refuse rather than guess which one."""
        for name in cleared:
            for option in self.setters(name):
                raise InvalidInput(f"--clear {name} and {option} conflict: one empties {name}, the other sets it")

    def changes(self, current: Event | None, *, cleared: tuple[str, ...] = ()) -> dict[str, object]:
        """The event fields these options set."""
        today = session().today(session().display_zone("UTC"))
        changes: dict[str, object] = {}
        if self.date is not None:
            start, end = _typed("--date", lambda: parse_span(self.date or "", today=today, zones=_abbreviation_zones))
            _typed("--date", lambda: _check_wall_times(start, end))
            changes["start"], changes["end"] = start, end
            if end is not None and (self.end is not None or "end" in cleared):
                other = "--end" if self.end is not None else "--clear end"
                raise InvalidInput(f"--date {self.date!r} is a range, with its own end, and {other} conflicts with it")
        if self.end is not None:
            changes["end"] = _typed(
                "--end", lambda: parse_span(self.end or "", today=today, zones=_abbreviation_zones)
            )[0]
            _typed("--end", lambda: _check_wall_times(changes["end"]))
        if self.where is not None or self.country is not None or self.venue_tz is not None:
            old = current.venue if current and current.venue else Venue()
            changes["venue"] = _typed(
                "--venue-tz",
                lambda: Venue(
                    name=self.where if self.where is not None else old.name,
                    country=self.country if self.country is not None else old.country,
                    timezone=self.venue_tz if self.venue_tz is not None else old.timezone,
                ),
            )
        simple = {
            "kind": self.kind,
            "status": self.status,
            "series": self.series,
            "number": self.number,
            "notes": self.note,
        }
        changes.update({key: value for key, value in simple.items() if value is not None})
        lists = {"orgs": self.orgs, "tags": self.tags, "related": self.related}
        changes.update({key: tuple(value) for key, value in lists.items() if value is not None})
        if self.sources is not None:
            changes["sources"] = tuple(Source(url=url) for url in self.sources)
        if self.participants is not None:
            changes["participants"] = tuple(_participant(text) for text in self.participants)
        if self.reminders is not None:
            changes["reminders"] = _typed(
                "--remind", lambda: tuple(LeadTime.from_text(t) for t in self.reminders or ())
            )
        if self.repeat is not None:
            from sco_cal.recurrence import check_rule

            changes["recurrence"] = check_rule(self.repeat)
        return changes


def _check_wall_times(*values: object) -> None:
    """A typed time must happen exactly once in its zone (a zoneless one is read in the registry's)."""
    zone = session().registry().timezone
    for value in values:
        if isinstance(value, DateValue):
            value.check_wall_time(zone)


def _abbreviation_zones() -> tuple[str, str]:
    """Where a typed zone abbreviation (MSK) is understood: the registry's zone and the display zone."""
    registry_zone = session().registry().timezone
    return registry_zone, session().display_zone(registry_zone)


T = TypeVar("T")


def _typed(option: str, parse: Callable[[], T]) -> T:
    """Run a parser, naming the option in its message; the exception type (and exit code) stays the same."""
    try:
        return parse()
    except ScoCalError as error:
        error.args = (f"{option}: {error}",)
        raise


def _once(option: str, values: list[T] | None) -> T | None:
    """The value of an option that takes one: given twice with different values, neither is the user's choice."""
    distinct = list(dict.fromkeys(values or ()))
    if len(distinct) > 1:
        given = " and ".join(f"{option} {str(value)!r}" for value in distinct[:2])
        raise InvalidInput(f"{given} conflict: give {option} once")
    return distinct[0] if distinct else None


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
        path, line = registry.location(twin.id)
        raise Conflict(f"{twin.id} ({path}:{line}) has the same {shared}; pass --force if this is another event")


def _stamp() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@app.command()
@user_errors
def init(
    name: Annotated[str, typer.Option(help="The registry's name, shown as the calendar name in feeds.")] = "My events",
    timezone: Annotated[
        str, typer.Option("--timezone", help="The default zone for times written without one.")
    ] = "UTC",
) -> None:
    """Create an empty registry at --registry, $SCO_CAL_REGISTRY, the config's path or the default place."""
    import secrets

    from sco_cal.registry import init as create

    path = session().registry_path
    # random, not from the name: a renamed registry keeps its feed UIDs, and two registries never share them
    create(path, name=name, timezone=timezone, uid_domain=f"{secrets.token_hex(6)}.sco-cal")
    err_console().print(f"created {path}")


@app.command()
@user_errors
def add(
    title: Annotated[str, typer.Argument(help="What the event is, as the source names it.")],
    date: DateOpt = None,
    end: EndOpt = None,
    event_id: Annotated[
        list[str] | None, typer.Option("--id", help="The id; generated from series and number, or title and date.")
    ] = None,
    where: WhereOpt = None,
    country: CountryOpt = None,
    venue_tz: TzOpt = None,
    org: OrgsOpt = None,
    kind: KindOpt = None,
    status: StatusOpt = None,
    tag: TagsOpt = None,
    series: SeriesOpt = None,
    number: NumberOpt = None,
    note: NoteOpt = None,
    source: SourceOpt = None,
    participant: ParticipantOpt = None,
    remind: RemindOpt = None,
    repeat: RepeatOpt = None,
    related: RelatedOpt = None,
    file: Annotated[list[Path] | None, typer.Option("--file", help="In a folder registry: the file to add to.")] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Add it even when an event has the same title and date, or series and number."),
    ] = False,
) -> None:
    """Add an event and print its id.

    Example: sco-cal add "Joint meeting of SCO, CIS and CSTO defence chiefs" --date "June 2020"
    --where Moscow --org SCO --org CIS --org CSTO --status planned
    """
    from sco_cal.registry import editing

    typed = _Typed(
        _once("--date", date),
        _once("--end", end),
        _once("--where", where),
        _once("--country", country),
        _once("--venue-tz", venue_tz),
        org,
        _once("--kind", kind),
        _once("--status", status),
        tag,
        _once("--series", series),
        _once("--number", number),
        _once("--note", note),
        source,
        participant,
        remind,
        _once("--repeat", repeat),
        related,
    )
    chosen_id, chosen_file = _once("--id", event_id), _once("--file", file)
    fields = typed.changes(None)
    with editing(session().registry_path, **session().write_options()) as editor:
        start = fields.get("start")
        new_id = chosen_id or make_id(
            title,
            start if isinstance(start, DateValue) else None,
            series=typed.series,
            number=typed.number,
            taken=editor.taken_ids,
        )
        event = replace(Event(id=new_id, title=title, updated=_stamp()), **fields)  # type: ignore[arg-type]  # typed by _Typed
        if not force:
            _refuse_twin(event, editor.registry)
        editor.add(event, file=chosen_file)
    typer.echo(new_id)


@app.command()
@user_errors
def edit(
    event_id: Annotated[str, typer.Argument(metavar="ID", help="The event's id.")],
    title: Annotated[list[str] | None, typer.Option("--title", help="A new title.")] = None,
    date: DateOpt = None,
    end: EndOpt = None,
    where: WhereOpt = None,
    country: CountryOpt = None,
    venue_tz: TzOpt = None,
    org: OrgsOpt = None,
    kind: KindOpt = None,
    status: StatusOpt = None,
    tag: TagsOpt = None,
    series: SeriesOpt = None,
    number: NumberOpt = None,
    note: NoteOpt = None,
    source: SourceOpt = None,
    participant: ParticipantOpt = None,
    remind: RemindOpt = None,
    repeat: RepeatOpt = None,
    related: RelatedOpt = None,
    clear: Annotated[
        list[str] | None, typer.Option("--clear", help=f"Empty a field (repeatable): {', '.join(_CLEARABLE)}.")
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Allow an unusual status change (held -> planned), or the title and date, or series and number, "
            "of another event.",
        ),
    ] = False,
) -> None:
    """Change an event's fields; list options (--org, --tag, --remind...) replace the whole list.

    Example: sco-cal edit joint-sco-cis-csto-defence-chiefs-2020-06 --date 2020-06-24 --status scheduled
    """
    from sco_cal.registry import editing

    typed = _Typed(
        _once("--date", date),
        _once("--end", end),
        _once("--where", where),
        _once("--country", country),
        _once("--venue-tz", venue_tz),
        org,
        _once("--kind", kind),
        _once("--status", status),
        tag,
        _once("--series", series),
        _once("--number", number),
        _once("--note", note),
        source,
        participant,
        remind,
        _once("--repeat", repeat),
        related,
    )
    cleared = tuple(clear or ())
    for name in cleared:
        if name not in _CLEARABLE:
            raise typer.BadParameter(
                f"{name!r} cannot be cleared; choose from {', '.join(_CLEARABLE)}", param_hint="--clear"
            )
    typed.refuse_clearing_what_is_set(list(cleared))
    new_title = _once("--title", title)
    with editing(session().registry_path, **session().write_options()) as editor:
        current = editor.registry.get(event_id)
        fields = typed.changes(current, cleared=cleared)
        if new_title is not None:
            fields["title"] = new_title
        for name in (FIELD_OF_FILE_KEY.get(key, key) for key in cleared):
            fields[name] = None if Event.__dataclass_fields__[name].default is None else ()
        new_status = fields.get("status", current.status)
        if not force and not current.status.can_become(new_status):  # type: ignore[arg-type]
            raise InvalidInput(f"status: {current.status} -> {new_status} is unusual; pass --force if it is right")
        changed = current.with_changes(**fields)
        if changed == current:
            err_console().print(f"{event_id}: nothing to change")
            return
        if not force and _identity(changed) != _identity(current):
            _refuse_twin(changed, editor.registry, before=current)
        editor.update(changed.with_changes(updated=_stamp()))
    typer.echo(event_id)


@app.command()
@user_errors
def remove(
    event_id: Annotated[str, typer.Argument(metavar="ID", help="The event's id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask; needed when not at a terminal.")] = False,
) -> None:
    """Remove an event (its text, and the comment lines right above it)."""
    from sco_cal.registry import editing

    with editing(session().registry_path, **session().write_options()) as editor:
        event = editor.registry.get(event_id)
        if not yes:
            if not sys.stdin.isatty():
                raise InvalidInput(f"not removing {event_id!r} without --yes (no terminal to ask on)")
            typer.confirm(f"Remove {event_id} ({event.title})?", abort=True, err=True)
        editor.remove(event_id)
    err_console().print(f"removed {event_id}")


@app.command()
@user_errors
def show(
    event_id: Annotated[str, typer.Argument(metavar="ID", help="The event's id.")],
    fmt: Annotated[
        DetailFormat, typer.Option("--format", "-f", help="table (the default), json or yaml.")
    ] = DetailFormat.TABLE,
) -> None:
    """Show every field of one event."""
    from sco_cal.output import tables as render
    from sco_cal.output.records import record
    from sco_cal.query import Occurrence

    registry = session().registry()
    event = registry.get(event_id)
    zone = registry.timezone
    shown_in = session().display_zone(zone)
    occurrence = Occurrence(event, event.start, event.end, event.span(shown_in, zone))
    emit(
        lambda: render.event_detail(event, zone, registry.location(event_id), display_zone=shown_in),
        lambda: {"schema": 1, "event": record(occurrence, zone, display_zone=shown_in)},
        fmt,
    )


@app.command()
@user_errors
def validate() -> None:
    """Check the whole registry and list every problem as file:line:column: field: what is wrong."""
    from sco_cal.errors import InvalidRegistry
    from sco_cal.registry import check, warnings

    path = session().registry_path
    registry, found = check(path)
    for problem in found:
        out_console().print(str(problem), soft_wrap=True, markup=False)
    if registry is not None:
        for warning in warnings(registry):
            err_console().print(f"warning: {warning}", soft_wrap=True, markup=False)
    if registry is None:
        raise typer.Exit(InvalidRegistry.exit_code)
    out_console().print(f"{path}: {counted(len(registry.events), 'event')}, no problems", markup=False)


@app.command()
@user_errors
def undo(
    redo: Annotated[bool, typer.Option("--redo", help="Put back the save undone last.")] = False,
) -> None:
    """Take back the last save, whatever files it changed; run it again to go one save further back.

    Undo reaches back as many saves as each file keeps backups (.NAME.bak.1 is the newest; see SCO_CAL_BACKUPS).

    'sco-cal undo --redo' puts back what undo took back, until the next save.
    """
    from sco_cal.registry import undo as take_back

    done = take_back(session().registry_path, redo=redo)
    err_console().print(f"{'redid' if redo else 'undid'}: {done}", markup=False, soft_wrap=True)
