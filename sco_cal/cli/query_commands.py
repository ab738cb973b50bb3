"""``list`` and ``upcoming``: the reading commands."""

from __future__ import annotations

import functools
import itertools
import os
import sys
from collections.abc import Iterable
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


def _run(registry: Registry, filters: Filters, *, zone: str, sort: SortBy, limit: int | None, fmt: Format) -> None:
    """Select the events ``filters`` let through, in ``sort`` order, and print at most ``limit`` of them."""
    found = select(
        registry.events_in(filters.window), filters, floating_zone=zone, default_zone=registry.timezone, sort=sort
    )
    _print(found, registry.timezone, zone, fmt, limit)


def _print(occurrences: Iterable[Occurrence], default_zone: str, zone: str, fmt: Format, limit: int | None) -> None:
    """Print ``occurrences`` (at most ``limit``); CSV and JSON are written as they come, the rest once all are in."""
    if limit:
        occurrences = itertools.islice(occurrences, limit)
    if fmt is Format.CSV:
        return _print_csv(occurrences, default_zone, zone)
    if fmt is Format.JSON:
        from sco_cal.output.records import json_document

        sys.stdout.writelines(json_document(occurrences, default_zone, display_zone=zone))
        return None
    return _print_whole(list(occurrences), default_zone, zone, fmt)


def _print_whole(occurrences: list[Occurrence], default_zone: str, zone: str, fmt: Format) -> None:
    if fmt is Format.TABLE and not occurrences:
        # a table of nothing is noise in a cron mail or a pipe; a person at a terminal is told plainly
        if sys.stdout.isatty():
            sys.stdout.write("no events\n")
        return None
    coloured = sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR"))  # FORCE_COLOR: colour into a pipe too
    if fmt is Format.TABLE and (not coloured or len(occurrences) > PLAIN_FROM_ROWS):
        return _print_plain(occurrences, default_zone, zone)
    from sco_cal.output.records import document

    def table() -> RenderableType:
        from sco_cal.output.tables import event_table  # rich is loaded only when a table is printed

        return event_table(occurrences, default_zone, width=out_console().width, display_zone=zone)

    return emit(table, lambda: document(occurrences, default_zone, display_zone=zone), fmt)


def _print_csv(occurrences: Iterable[Occurrence], default_zone: str, zone: str) -> None:
    from sco_cal.output.records import csv_lines

    sys.stdout.writelines(csv_lines(occurrences, default_zone, display_zone=zone))


def _print_plain(occurrences: list[Occurrence], default_zone: str, zone: str) -> None:
    from sco_cal.output.plain import event_lines

    rule = "─" if (sys.stdout.encoding or "").lower().startswith("utf") else "-"
    lines = event_lines(occurrences, default_zone, width=output_width(), rule=rule, display_zone=zone)
    sys.stdout.writelines(line + "\n" for line in lines)


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
    span = window_from(window, start, end, today=session().today(zone), zone=zone, southern=registry.southern)
    filters = filters_from(span, org=org, kind=kind, status=status, tag=tag, series=series, search=search, exact=exact)
    _print_listing(registry, filters, zone=zone, sort=sort, fmt=fmt, limit=limit)


def _print_listing(
    registry: Registry, filters: Filters, *, zone: str, sort: SortBy, fmt: Format, limit: int | None
) -> None:
    """``list``'s output: CSV and JSON of every event of a big registry from the texts its index keeps."""
    # the streamed listing's modules: not on upcoming's path
    from sco_cal.services.listing import listing, listing_kept

    if fmt in (Format.CSV, Format.JSON):
        from sco_cal.output.records import csv_text_lines, json_text_document, kept_texts

        texts = functools.partial(kept_texts, fmt.value, registry.timezone, zone)  # only for a big registry
        kept = listing_kept(registry, filters, zone=zone, sort=sort, kind=fmt.value, texts=texts)
        if kept is not None:
            shown = itertools.islice(kept, limit)
            sys.stdout.writelines(csv_text_lines(shown) if fmt is Format.CSV else json_text_document(shown))
            return
    _print(listing(registry, filters, zone=zone, sort=sort), registry.timezone, zone, fmt, limit)


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
    window = upcoming_window(start, days, today=session().today(zone), zone=zone, southern=registry.southern)
    filters = filters_from(
        window, org=org, kind=kind, status=status, tag=tag, series=series, search=search, exact=exact
    )
    _run(registry, filters, zone=zone, sort=SortBy.DATE, limit=limit, fmt=fmt)
