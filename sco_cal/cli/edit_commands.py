"""``init``, ``add``, ``edit``, ``remove``, ``show`` and ``validate``: the commands that keep the registry."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from sco_cal.cli.app import DetailFormat, app, emit, err_console, out_console, session, user_errors
from sco_cal.errors import InvalidInput
from sco_cal.model import Kind, Status
from sco_cal.services.editing import CLEARABLE, OPTIONS, DateContext, EventInput, add_event, edit_event
from sco_cal.words import counted

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

# The options of an event that take one value each; the others may be repeated and give a list.
_REPEATABLE = frozenset({"orgs", "tags", "sources", "participants", "reminders", "related"})

T = TypeVar("T")


def _event_input(arguments: dict[str, Any]) -> EventInput:
    """The event options of ``add`` or ``edit``, taken from the command's arguments by name: the parameters
    carry the names of ``EventInput``'s fields."""
    return EventInput(
        **{
            name: arguments[name] if name in _REPEATABLE else _once(option, arguments[name])
            for name, (option, _) in OPTIONS.items()
        }
    )


def _once(option: str, values: list[T] | None) -> T | None:
    """The value of an option that takes one: given twice with different values, neither is the user's choice."""
    distinct = list(dict.fromkeys(values or ()))
    if len(distinct) > 1:
        given = " and ".join(f"{option} {str(value)!r}" for value in distinct[:2])
        raise InvalidInput(f"{given} conflict: give {option} once")
    return distinct[0] if distinct else None


def _cleared(names: list[str] | None) -> tuple[str, ...]:
    """The fields ``--clear`` names, each one an edit may empty."""
    for name in names or ():
        if name not in CLEARABLE:
            raise typer.BadParameter(
                f"{name!r} cannot be cleared; choose from {', '.join(CLEARABLE)}", param_hint="--clear"
            )
    return tuple(names or ())


def _dates() -> DateContext:
    """Typed dates are read relative to today in the display zone; their zones are the registry's."""
    return DateContext(
        today=lambda: session().today(session().display_zone("UTC")),
        registry_zone=lambda: session().registry().timezone,
        display_zone=session().display_zone,
    )


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
    orgs: OrgsOpt = None,
    kind: KindOpt = None,
    status: StatusOpt = None,
    tags: TagsOpt = None,
    series: SeriesOpt = None,
    number: NumberOpt = None,
    note: NoteOpt = None,
    sources: SourceOpt = None,
    participants: ParticipantOpt = None,
    reminders: RemindOpt = None,
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
    typed = _event_input(locals())
    chosen_id, chosen_file = _once("--id", event_id), _once("--file", file)
    new_id = add_event(
        session().registry_path,
        title,
        typed,
        dates=_dates(),
        stamp=_stamp(),
        event_id=chosen_id,
        file=chosen_file,
        force=force,
        write=session().write_options,
    )
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
    orgs: OrgsOpt = None,
    kind: KindOpt = None,
    status: StatusOpt = None,
    tags: TagsOpt = None,
    series: SeriesOpt = None,
    number: NumberOpt = None,
    note: NoteOpt = None,
    sources: SourceOpt = None,
    participants: ParticipantOpt = None,
    reminders: RemindOpt = None,
    repeat: RepeatOpt = None,
    related: RelatedOpt = None,
    clear: Annotated[
        list[str] | None, typer.Option("--clear", help=f"Empty a field (repeatable): {', '.join(CLEARABLE)}.")
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
    typed = _event_input(locals())
    cleared = _cleared(clear)
    typed.refuse_clearing_what_is_set(cleared)
    new_title = _once("--title", title)
    changed = edit_event(
        session().registry_path,
        event_id,
        typed,
        dates=_dates(),
        stamp=_stamp(),
        title=new_title,
        cleared=cleared,
        force=force,
        write=session().write_options,
    )
    if not changed:
        err_console().print(f"{event_id}: nothing to change")
        return
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
    from sco_cal.output.records import RECORD_SCHEMA, record
    from sco_cal.query import Occurrence

    registry = session().registry()
    event = registry.get(event_id)
    zone = registry.timezone
    shown_in = session().display_zone(zone)
    occurrence = Occurrence(event, event.start, event.end, event.span(shown_in, zone))
    emit(
        lambda: render.event_detail(event, zone, registry.location(event_id), display_zone=shown_in),
        lambda: {"schema": RECORD_SCHEMA, "event": record(occurrence, zone, display_zone=shown_in)},
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
