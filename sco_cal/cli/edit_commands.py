"""``init``, ``add``, ``edit``, ``remove``, ``show`` and ``validate``: the commands that keep the registry."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from sco_cal.cli.app import DetailFormat, app, emit, err_console, out_console, session, user_errors
from sco_cal.dates import DateValue
from sco_cal.errors import InvalidInput, ScoCalError
from sco_cal.model import Event, Kind, LeadTime, Participant, Source, Status, Venue, make_id
from sco_cal.phrases import parse_span
from sco_cal.words import counted

DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date", help="When: 'June 2020', 2020, '31 Oct - 1 Nov 2019', '2019-10-31 10:00 Europe/Moscow', +30d."
    ),
]
EndOpt = Annotated[str | None, typer.Option("--end", help="The last day (or time), when --date gives only the start.")]
WhereOpt = Annotated[str | None, typer.Option("--where", help="The venue as sources give it: Moscow, Qingdao.")]
CountryOpt = Annotated[str | None, typer.Option("--country", help="The venue's country.")]
TzOpt = Annotated[str | None, typer.Option("--venue-tz", help="The venue's IANA time zone, e.g. Europe/Moscow.")]
OrgsOpt = Annotated[list[str] | None, typer.Option("--org", "-o", help="An organisation (repeatable): SCO, CIS, CSTO.")]
KindOpt = Annotated[Kind | None, typer.Option("--kind", "-k", help="What it is.")]
StatusOpt = Annotated[
    Status | None, typer.Option("--status", "-s", help="planned, scheduled, held, postponed, cancelled.")
]
TagsOpt = Annotated[list[str] | None, typer.Option("--tag", "-t", help="A tag (repeatable).")]
SeriesOpt = Annotated[str | None, typer.Option("--series", help="The series it belongs to, e.g. sco-ewg.")]
NumberOpt = Annotated[
    int | None, typer.Option("--number", min=0, help="Its number in the series: 7 for the 7th meeting.")
]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Free notes.")]
SourceOpt = Annotated[list[str] | None, typer.Option("--source", help="A source URL (repeatable).")]
ParticipantOpt = Annotated[
    list[str] | None, typer.Option("--participant", help="'Name' or 'Name:role' (repeatable), e.g. 'Belarus:observer'.")
]
RemindOpt = Annotated[
    list[str] | None, typer.Option("--remind", help="A reminder lead time (repeatable): 30d, 7d, 2h, 1w.")
]
RepeatOpt = Annotated[str | None, typer.Option("--repeat", help="An RRULE, e.g. FREQ=YEARLY for an anniversary.")]
RelatedOpt = Annotated[list[str] | None, typer.Option("--related", help="The id of a related event (repeatable).")]

# The optional fields a user may empty: every field but the identity, the required ones and the revision.
_CLEARABLE = tuple(
    name
    for name in Event.__dataclass_fields__
    if name not in ("id", "title", "kind", "status", "start", "uid", "sequence", "updated")
)


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

    def changes(self, current: Event | None) -> dict[str, object]:
        """The event fields these options set."""
        today = session().today(session().display_zone("UTC"))
        changes: dict[str, object] = {}
        if self.date is not None:
            start, end = _typed("--date", lambda: parse_span(self.date or "", today=today))
            changes["start"], changes["end"] = start, end
        if self.end is not None:
            changes["end"] = _typed("--end", lambda: parse_span(self.end or "", today=today))[0]
        if self.where is not None or self.country is not None or self.venue_tz is not None:
            old = current.venue if current and current.venue else Venue()
            changes["venue"] = Venue(
                name=self.where if self.where is not None else old.name,
                country=self.country if self.country is not None else old.country,
                timezone=self.venue_tz if self.venue_tz is not None else old.timezone,
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
            changes["reminders"] = tuple(LeadTime.from_text(text) for text in self.reminders)
        if self.repeat is not None:
            from sco_cal.recurrence import check_rule

            changes["recurrence"] = check_rule(self.repeat)
        return changes


T = TypeVar("T")


def _typed(option: str, parse: Callable[[], T]) -> T:
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
    from sco_cal.registry import init as create

    path = session().registry_path
    create(path, name=name, timezone=timezone)
    err_console().print(f"created {path}")


@app.command()
@user_errors
def add(
    title: Annotated[str, typer.Argument(help="What the event is, as the source names it.")],
    date: DateOpt = None,
    end: EndOpt = None,
    event_id: Annotated[
        str | None, typer.Option("--id", help="The id; generated from series and number, or title and date.")
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
    file: Annotated[Path | None, typer.Option("--file", help="In a folder registry: the file to add to.")] = None,
) -> None:
    """Add an event and print its id.

    Example: sco-cal add "Joint meeting of SCO, CIS and CSTO defence chiefs" --date "June 2020"
    --where Moscow --org SCO --org CIS --org CSTO --status planned
    """
    from sco_cal.registry import editing

    typed = _Typed(
        date,
        end,
        where,
        country,
        venue_tz,
        org,
        kind,
        status,
        tag,
        series,
        number,
        note,
        source,
        participant,
        remind,
        repeat,
        related,
    )
    fields = typed.changes(None)
    with editing(session().registry_path, **session().write_options()) as editor:
        start = fields.get("start")
        new_id = event_id or make_id(
            title,
            start if isinstance(start, DateValue) else None,
            series=series,
            number=number,
            taken=editor.taken_ids,
        )
        event = replace(Event(id=new_id, title=title, updated=_stamp()), **fields)  # type: ignore[arg-type]  # typed by _Typed
        editor.add(event, file=file)
    typer.echo(new_id)


@app.command()
@user_errors
def edit(
    event_id: Annotated[str, typer.Argument(metavar="ID", help="The event's id.")],
    title: Annotated[str | None, typer.Option("--title", help="A new title.")] = None,
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
        bool, typer.Option("--force", help="Allow an unusual status change, such as held -> planned.")
    ] = False,
) -> None:
    """Change an event's fields; list options (--org, --tag, --remind...) replace the whole list.

    Example: sco-cal edit joint-sco-cis-csto-defence-chiefs-2020-06 --date 2020-06-24 --status scheduled
    """
    from sco_cal.registry import editing

    typed = _Typed(
        date,
        end,
        where,
        country,
        venue_tz,
        org,
        kind,
        status,
        tag,
        series,
        number,
        note,
        source,
        participant,
        remind,
        repeat,
        related,
    )
    with editing(session().registry_path, **session().write_options()) as editor:
        current = editor.registry.get(event_id)
        fields = typed.changes(current)
        if title is not None:
            fields["title"] = title
        for name in clear or ():
            if name not in _CLEARABLE:
                raise typer.BadParameter(
                    f"{name!r} cannot be cleared; choose from {', '.join(_CLEARABLE)}", param_hint="--clear"
                )
            fields[name] = None if Event.__dataclass_fields__[name].default is None else ()
        new_status = fields.get("status", current.status)
        if not force and not current.status.can_become(new_status):  # type: ignore[arg-type]
            raise InvalidInput(f"status: {current.status} -> {new_status} is unusual; pass --force if it is right")
        changed = current.with_changes(**fields)
        if changed == current:
            err_console().print(f"{event_id}: nothing to change")
            return
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
    from sco_cal import render
    from sco_cal.query import Occurrence
    from sco_cal.records import record

    registry = session().registry()
    event = registry.get(event_id)
    zone = registry.timezone
    occurrence = Occurrence(event, event.start, event.end, event.span(session().display_zone(zone), zone))
    emit(
        lambda: render.event_detail(event, zone, registry.location(event_id)),
        lambda: {"schema": 1, "event": record(occurrence, zone)},
        fmt,
    )


@app.command()
@user_errors
def validate() -> None:
    """Check the whole registry and list every problem as file:line:column: field: what is wrong."""
    from sco_cal.errors import InvalidRegistry
    from sco_cal.registry import check

    path = session().registry_path
    registry, found = check(path)
    for problem in found:
        out_console().print(str(problem), soft_wrap=True, markup=False)
    if registry is None:
        raise typer.Exit(InvalidRegistry.exit_code)
    out_console().print(f"{path}: {counted(len(registry.events), 'event')}, no problems", markup=False)


@app.command()
@user_errors
def undo() -> None:
    """Go back to the registry as it was before the last change sco-cal saved; run it again to redo.

    Each save keeps the earlier versions beside the file (.NAME.bak.1 is the newest; see SCO_CAL_BACKUPS).
    """
    from sco_cal.registry import undo as swap

    restored = swap(session().registry_path)
    err_console().print(f"restored the earlier version of {restored}; 'sco-cal undo' again redoes")
