"""``list`` and ``upcoming``: the reading commands."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from sco_cal.cli.app import Format, app, emit, out_console, output_width, session, user_errors
from sco_cal.cli.options import (
    ExactOpt,
    FromOpt,
    KindOpt,
    OrgOpt,
    SearchOpt,
    SeriesOpt,
    StatusOpt,
    TagOpt,
    ToOpt,
    filters_from,
    upcoming_window,
    window_from,
)
from sco_cal.query import Filters, Occurrence, SortBy, select

if TYPE_CHECKING:
    from rich.console import RenderableType

    from sco_cal.registry import Registry

# Off a terminal (unless FORCE_COLOR asks for colour), or for long listings, the table is written as plain
# text: rich lays out every row of a table, which long listings feel, and a pipe or a cron mail has no use for
# its colours.
PLAIN_FROM_ROWS = 500

FormatOpt = Annotated[
    Format, typer.Option("--format", "-f", help="table on a terminal; json, csv or yaml for scripts.")
]
LimitOpt = Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Show at most this many events.")]
SortOpt = Annotated[
    SortBy, typer.Option("--sort", help="Order by date (earliest possible start), title, id, status or kind.")
]


def _print(registry: Registry, occurrences: list[Occurrence], fmt: Format, zone: str, title: str | None) -> None:
    if fmt is Format.CSV:
        import csv

        from sco_cal.output.records import CSV_COLUMNS, csv_row

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(csv_row(o, registry.timezone, display_zone=zone) for o in occurrences)
        return
    if fmt is Format.TABLE and not occurrences:
        # a table of nothing is noise in a cron mail or a pipe; a person at a terminal is told plainly
        if sys.stdout.isatty():
            sys.stdout.write("no events\n")
        return
    coloured = sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR"))  # FORCE_COLOR: colour into a pipe too
    if fmt is Format.TABLE and (not coloured or len(occurrences) > PLAIN_FROM_ROWS):
        from sco_cal.output.plain import event_lines

        encoding = (sys.stdout.encoding or "").lower()
        rule = "─" if encoding.startswith("utf") else "-"
        lines = event_lines(occurrences, registry.timezone, width=output_width(), rule=rule, display_zone=zone)
        sys.stdout.writelines(line + "\n" for line in lines)
        return
    from sco_cal.output.records import document

    def table() -> RenderableType:
        from sco_cal.output.tables import event_table  # rich is loaded only when a table is printed

        return event_table(occurrences, registry.timezone, width=out_console().width, title=title, display_zone=zone)

    emit(table, lambda: document(occurrences, registry.timezone, display_zone=zone), fmt)


def _run(
    filters: Filters, fmt: Format, limit: int | None, sort: SortBy, registry: Registry, zone: str, title: str | None
) -> None:
    found = select(
        registry.events_in(filters.window), filters, floating_zone=zone, default_zone=registry.timezone, sort=sort
    )
    _print(registry, found[:limit] if limit else found, fmt, zone, title)


@app.command("list")
@user_errors
def list_events(
    window: Annotated[
        str | None,
        typer.Argument(help="When: 'June 2020', 2019, 'next month', '31 Oct - 1 Nov 2019'.", show_default=False),
    ] = None,
    start: FromOpt = None,
    end: ToOpt = None,
    org: OrgOpt = None,
    kind: KindOpt = None,
    status: StatusOpt = None,
    tag: TagOpt = None,
    series: SeriesOpt = None,
    search: SearchOpt = None,
    exact: ExactOpt = False,
    limit: LimitOpt = None,
    sort: SortOpt = SortBy.DATE,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """List events that may fall in a window (all events when no window is given).

    Example: sco-cal list 'June 2020' --org CSTO
    """
    registry = session().registry()
    zone = session().display_zone(registry.timezone)
    span = window_from(window, start, end, today=session().today(zone), zone=zone)
    filters = filters_from(span, org=org, kind=kind, status=status, tag=tag, series=series, search=search, exact=exact)
    _run(filters, fmt, limit, sort, registry, zone, None)


@app.command()
@user_errors
def upcoming(
    days: Annotated[int, typer.Option("--days", "-d", min=1, help="How many days ahead, counting the first.")] = 30,
    start: Annotated[str | None, typer.Option("--from", help="Count from this day instead of today.")] = None,
    org: OrgOpt = None,
    kind: KindOpt = None,
    status: StatusOpt = None,
    tag: TagOpt = None,
    series: SeriesOpt = None,
    search: SearchOpt = None,
    exact: ExactOpt = False,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Events that may fall in the coming days (30 by default), undated-within-month ones marked TBC.

    Example: sco-cal upcoming --from 2020-06-01 --days 30
    """
    registry = session().registry()
    zone = session().display_zone(registry.timezone)
    window = upcoming_window(start, days, today=session().today(zone), zone=zone)
    filters = filters_from(
        window, org=org, kind=kind, status=status, tag=tag, series=series, search=search, exact=exact
    )
    _run(filters, fmt, limit, SortBy.DATE, registry, zone, None)
