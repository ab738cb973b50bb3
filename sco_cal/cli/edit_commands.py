"""``add`` and ``edit``: an event from what the user typed, through ``sco_cal.services.editing``.

The service is imported by the commands that run it, so help, which lists every command, does not load it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from sco_cal.cli.app import app, err_console, session, user_errors
from sco_cal.errors import InvalidInput
from sco_cal.model import Kind, Status
from sco_cal.services.event_fields import CLEARABLE, OPTIONS, REPEATABLE

if TYPE_CHECKING:
    from sco_cal.services.editing import DateContext, EventInput

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

T = TypeVar("T")


def _event_input(arguments: dict[str, Any]) -> EventInput:
    """The event options of ``add`` or ``edit``, taken from the command's arguments by name: the parameters
    carry the names of ``EventInput``'s fields."""
    from sco_cal.services.editing import EventInput

    return EventInput(
        **{
            name: arguments[name] if name in REPEATABLE else _once(option, arguments[name])
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
    from sco_cal.services.editing import DateContext

    return DateContext(
        today=lambda: session().today(session().display_zone("UTC")),
        registry_zone=lambda: session().registry().timezone,
        display_zone=session().display_zone,
        southern=lambda: session().registry().southern,
    )


def _stamp() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


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
    from sco_cal.services.editing import add_event

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
    from sco_cal.services.editing import edit_event

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
