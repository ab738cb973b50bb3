"""``export`` and ``import``: iCalendar feeds out, calendars from other apps in (issue 3). Each command parses
its options, hands them to its service (``sco_cal.services.feeds``, ``sco_cal.services.importing``) and prints
what it is told.

The services are imported inside the commands, so ``--help``, ``list`` and the other commands never load
icalendar (nor the services).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sco_cal.cli.app import app, err_console, session, user_errors
from sco_cal.cli.options import (
    ExactOpt,
    FromOpt,
    KindOpt,
    SearchOpt,
    SeriesOpt,
    StatusOpt,
    TagOpt,
    ToOpt,
    filters_from,
    window_from,
)
from sco_cal.errors import InvalidInput
from sco_cal.ics.publish import Policy, SplitBy
from sco_cal.model import LeadTime
from sco_cal.query import select
from sco_cal.words import counted

if TYPE_CHECKING:  # for annotations only: icalendar is loaded by the commands that need it
    from sco_cal.ics.export import Written
    from sco_cal.ics.merge import Plan
    from sco_cal.services.feeds import Told

# `-o` is the output here, as in every tool that writes a file; the organisation filter keeps its long name.
ExportOrgOpt = Annotated[list[str] | None, typer.Option("--org", help="Only events of this organisation (repeatable).")]


def _refresh(text: str) -> timedelta | None:
    if text.strip() in ("0", "none", "off"):
        return None
    try:
        return LeadTime.from_text(text).delta
    except InvalidInput:  # the lead time's message would call a refresh interval a lead time
        raise InvalidInput(f"--refresh: {text!r} is not an interval; write a number and m, h, d or w, e.g. 6h, "
                           "1d (0 for no hint)") from None  # fmt: skip


@app.command("export")
@user_errors
def export(
    window: Annotated[
        str | None,
        typer.Argument(help="When: 'June 2020', 2019, 'next month'. Default: every dated event.", show_default=False),
    ] = None,
    start: FromOpt = None,
    end: ToOpt = None,
    org: ExportOrgOpt = None,
    kind: KindOpt = None,
    status: StatusOpt = None,
    tag: TagOpt = None,
    series: SeriesOpt = None,
    search: SearchOpt = None,
    exact: ExactOpt = False,
    partial: Annotated[
        Policy,
        typer.Option(
            "--partial",
            help="Dates not fixed to a day (a month, quarter, season, year...): span the whole period (tentative, "
            "'date TBC'), put them on their first day, or skip them.",
        ),
    ] = Policy.SPAN,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (a folder with --split-by) instead of stdout."),
    ] = None,
    split_by: Annotated[
        SplitBy | None, typer.Option("--split-by", help="One feed per org, kind or series, into the -o folder.")
    ] = None,
    refresh: Annotated[
        str, typer.Option("--refresh", help="How often clients should fetch the feed again: 6h, 1d; 0 for no hint.")
    ] = "6h",
    quiet: Annotated[bool, typer.Option("--quiet", help="Say nothing when all went well (for cron).")] = False,
) -> None:
    """Write an iCalendar (RFC 5545) feed of the events 'list' would show.

    Example: sco-cal export -o /var/www/feeds/sco.ics --quiet
    """
    from sco_cal.services.feeds import FeedExport

    registry = session().registry()
    zone = session().display_zone(registry.timezone)
    span = window_from(window, start, end, today=session().today(zone), zone=zone, southern=registry.southern)
    filters = filters_from(span, org=org, kind=kind, status=status, tag=tag, series=series, search=search, exact=exact)
    found = select(registry.events_in(span), filters, floating_zone=zone, default_zone=registry.timezone)
    events = list({o.event.id: o.event for o in found}.values())  # a repeating event once, with its RRULE
    feeds = FeedExport(registry, partial, lambda: _refresh(refresh), sys.stdout.buffer, _told_of_feed(quiet))
    feeds.run(events, output, split_by)


def _told_of_feed(quiet: bool) -> Told:
    """What is said of each feed written: its file, events and whether it changed; on stdout, what it left out."""

    def told(output: Path | None, written: Written, changed: bool) -> None:
        if output is None or str(output) == "-":
            if output is None and not quiet and written.left_out:
                text = f"exported {counted(written.count, 'event')}{_left_out(written.left_out)}"
                err_console().print(text, markup=False)
        elif not quiet:
            state = "written" if changed else "unchanged"
            err_console().print(
                f"{output}: {counted(written.count, 'event')}{_left_out(written.left_out)}; {state}",
                markup=False,
                soft_wrap=True,
            )

    return told


def _left_out(left_out: list[tuple[str, str]]) -> str:
    if not left_out:
        return ""
    undated = sum(1 for _, why in left_out if why == "no date")
    vague = len(left_out) - undated
    parts = [f"{undated} without a date"] if undated else []
    parts += [f"{vague} with a date not fixed (--partial skip)"] if vague else []
    return f" ({', '.join(parts)} left out)"


@app.command("import")
@user_errors
def import_calendar(
    file: Annotated[str, typer.Argument(metavar="FILE", help="An .ics file, or - for standard input.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Show what would change; write nothing.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List, with its line, each thing in the file that is not kept.")
    ] = False,
) -> None:
    """Add and update events from an iCalendar file (Google, Outlook, Apple, Thunderbird, khal, sco-cal).

    Events are matched by UID: a second import of the same file changes nothing.

    What the file holds that sco-cal does not keep (to-dos, attendees...) is counted in the summary.

    Example: sco-cal import --dry-run ~/Downloads/calendar.ics
    """
    from sco_cal.services.importing import ImportRun

    run = ImportRun(
        place=session(),
        stamp=datetime.now(UTC).replace(microsecond=0),  # the clock: only when the calendar gives no LAST-MODIFIED
        warn=lambda warning: err_console().print(f"warning: {warning}", markup=False, soft_wrap=True),
        report=lambda plan, source, zone: _report(plan, zone, source, dry_run=dry_run, verbose=verbose),
    )
    run.run(file, sys.stdin.buffer, dry_run=dry_run)


def _report(plan: Plan, zone: str, source: str, *, dry_run: bool, verbose: bool) -> None:
    from sco_cal.output.import_report import report_lines

    # plain writes, not rich: an import of a large file prints a line per event
    sys.stdout.write("\n".join(report_lines(plan, zone, source, dry_run=dry_run, verbose=verbose)) + "\n")
    sys.stdout.flush()
    for error in plan.errors:
        err_console().print(f"error: {error}", markup=False, soft_wrap=True)
