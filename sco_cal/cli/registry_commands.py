"""``init``, ``remove``, ``show``, ``validate`` and ``undo``: the commands that call the registry's own API
directly (create, remove an event, read one, check the whole, take a save back)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from sco_cal.cli.app import DetailFormat, app, emit, err_console, out_console, session, user_errors
from sco_cal.errors import InvalidInput, InvalidRegistry
from sco_cal.words import counted


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
    from sco_cal.output import tables
    from sco_cal.output.records import RECORD_SCHEMA, record
    from sco_cal.query import Occurrence

    registry = session().registry()
    event = registry.get(event_id)
    zone = registry.timezone
    shown_in = session().display_zone(zone)
    occurrence = Occurrence(event, event.start, event.end, event.span(shown_in, zone))
    emit(
        lambda: tables.event_detail(event, zone, registry.location(event_id), display_zone=shown_in),
        lambda: {"schema": RECORD_SCHEMA, "event": record(occurrence, zone, display_zone=shown_in)},
        fmt,
    )


@app.command()
@user_errors
def validate() -> None:
    """Check the whole registry and list every problem as file:line:column: field: what is wrong."""
    from sco_cal.registry.validation import validate as judge

    path = session().registry_path
    verdict = judge(path, cache_dir=session().cache_dir)
    for problem in verdict.problems:
        out_console().print(str(problem), soft_wrap=True, markup=False)
    for warning in verdict.warnings:
        err_console().print(f"warning: {warning}", soft_wrap=True, markup=False)
    if verdict.count is None:
        raise typer.Exit(InvalidRegistry.exit_code)
    out_console().print(f"{path}: {counted(verdict.count, 'event')}, no problems", markup=False)


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
