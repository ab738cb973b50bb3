"""``export`` and ``import``: iCalendar feeds out, calendars from other apps in (issue 3).

icalendar is imported inside the commands (through ``sco_cal.ics``), so ``--help``, ``list`` and the other
commands never load it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from enum import StrEnum
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
from sco_cal.errors import InvalidCalendar, InvalidInput, StorageError
from sco_cal.ics.publish import Policy, file_stem, file_stems
from sco_cal.model import Event, LeadTime
from sco_cal.query import select
from sco_cal.words import counted

if TYPE_CHECKING:  # for annotations only: icalendar is loaded by the commands that need it
    from sco_cal.ics.core import Written
    from sco_cal.ics.merge import Plan
    from sco_cal.registry import Registry

Write = Callable[[bytes], object]  # where a feed's bytes go, a piece at a time

# `-o` is the output here, as in every tool that writes a file; the organisation filter keeps its long name.
ExportOrgOpt = Annotated[list[str] | None, typer.Option("--org", help="Only events of this organisation (repeatable).")]


class SplitBy(StrEnum):
    ORG = "org"
    KIND = "kind"
    SERIES = "series"


def _groups(events: Iterable[Event], split_by: SplitBy) -> dict[str, tuple[str, list[Event]]]:
    """Feed file stem -> (group name, events), one file per group. An event of three organisations is in all
    three feeds."""
    members: dict[str, list[Event]] = {}
    for event in events:
        if split_by is SplitBy.ORG:
            names = list(event.orgs) or ["no organisation"]
        elif split_by is SplitBy.KIND:
            names = [str(event.kind)]
        else:
            names = [event.series or "no series"]
        for name in names:
            members.setdefault(name, []).append(event)
    return {stem: (name, members[name]) for name, stem in file_stems(members).items()}


def _write_if_changed(path: Path, export: Callable[[Write], Written]) -> tuple[Written, bool]:
    """Write the feed ``export`` produces to ``path`` (see ``_ChangedFeed``); what it held, and whether the file
    was replaced."""
    from sco_cal.storage import ChangedFile

    if path.is_dir():
        raise StorageError(f"{path}: is a folder; give a file name, or --split-by to write one file per group")
    with ChangedFile(path) as feed:
        written = export(feed.write)
        return written, feed.finish()


def _refresh(text: str) -> LeadTime | None:
    if text.strip() in ("0", "none", "off"):
        return None
    try:
        return LeadTime.from_text(text)
    except InvalidInput:  # the lead time's message would call a refresh interval a lead time
        raise InvalidInput(f"--refresh: {text!r} is not an interval; write a number and m, h, d or w, e.g. 6h, "
                           "1d (0 for no hint)") from None  # fmt: skip


def _export_events(
    registry: Registry,
    events: list[Event],
    name: str,
    policy: Policy,
    refresh: str,
    output: Path | None,
    quiet: bool,
    suffix: str = "",
) -> None:
    from sco_cal.ics import core as ics

    lead = _refresh(refresh)
    feed = ics.Feed(
        name=name,
        uid_domain=registry.uid_domain,
        default_zone=registry.timezone,
        policy=policy,
        refresh=lead.delta if lead else None,
        default_reminders=registry.default_reminders,
        calendar_uid=f"{file_stem(name)}{suffix}@{registry.uid_domain}",
    )
    _emit_feed(lambda write: ics.write_calendar(events, feed, write), output, quiet)


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
            help="Month/year dates: span the whole period (tentative, 'date TBC'), put them on their first day, "
            "or skip them.",
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
    registry = session().registry()
    zone = session().display_zone(registry.timezone)
    span = window_from(window, start, end, today=session().today(zone), zone=zone)
    filters = filters_from(span, org=org, kind=kind, status=status, tag=tag, series=series, search=search, exact=exact)
    found = select(registry.events_in(span), filters, floating_zone=zone, default_zone=registry.timezone)
    events = list({o.event.id: o.event for o in found}.values())  # a repeating event once, with its RRULE
    if split_by is not None:
        _export_split(registry, events, split_by, output, partial, refresh, quiet)
        return
    _export_events(registry, events, registry.name, partial, refresh, output, quiet)


def _emit_feed(export: Callable[[Write], Written], output: Path | None, quiet: bool) -> None:
    """Stream the feed to stdout, or to the ``output`` file when it changed."""
    if output is None or str(output) == "-":
        written = export(sys.stdout.buffer.write)
        sys.stdout.flush()
    else:
        written, changed = _write_if_changed(output, export)
        if not quiet:
            state = "written" if changed else "unchanged"
            err_console().print(
                f"{output}: {counted(written.count, 'event')}{_left_out(written.left_out)}; {state}",
                markup=False,
                soft_wrap=True,
            )
    if output is None and not quiet and written.left_out:
        err_console().print(f"exported {counted(written.count, 'event')}{_left_out(written.left_out)}", markup=False)


def _left_out(left_out: list[tuple[str, str]]) -> str:
    if not left_out:
        return ""
    undated = sum(1 for _, why in left_out if why == "no date")
    vague = len(left_out) - undated
    parts = [f"{undated} without a date"] if undated else []
    parts += [f"{vague} with a date not fixed (--partial skip)"] if vague else []
    return f" ({', '.join(parts)} left out)"


def _export_split(
    registry: Registry,
    events: list[Event],
    split_by: SplitBy,
    output: Path | None,
    partial: Policy,
    refresh: str,
    quiet: bool,
) -> None:
    if output is None or str(output) == "-":
        raise InvalidInput("--split-by writes one file per group: give the folder with -o DIR")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(f"{output}: cannot create the folder: {error.strerror}") from None
    for stem, (name, members) in sorted(_groups(events, split_by).items()):
        suffix = stem.removeprefix(file_stem(name))  # the calendar's UID tells apart groups spelled alike, too
        calendar = f"{registry.name}: {name}"
        _export_events(registry, members, calendar, partial, refresh, output / f"{stem}.ics", quiet, suffix)


def _read_calendar(file: str) -> tuple[bytes, str]:
    from sco_cal.ics.scan import MAX_ICS_BYTES, too_big

    if file == "-":
        data = sys.stdin.buffer.read(MAX_ICS_BYTES + 1)
        return data, "<stdin>"
    path = Path(file).expanduser()
    try:
        size = path.stat().st_size
        if size > MAX_ICS_BYTES:
            raise too_big(size, file)  # said before reading it all into memory
        return path.read_bytes(), file
    except FileNotFoundError:
        raise InvalidInput(f"{file}: no such file") from None
    except IsADirectoryError:
        raise InvalidInput(f"{file}: is a folder; give an .ics file") from None
    except OSError as error:
        raise StorageError(f"{file}: cannot read: {error.strerror}") from None


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
    from sco_cal.ics import core as ics
    from sco_cal.ics import merge as ics_merge
    from sco_cal.registry import editing

    data, source = _read_calendar(file)
    path = session().registry_path
    registry = session().registry()
    parsed = ics.parse_calendar(data, source, registry.timezone)
    del data  # the file's bytes (100 MiB for 100,000 events) are not needed for the plan and the write
    for warning in parsed.warnings:
        err_console().print(f"warning: {warning}", markup=False, soft_wrap=True)
    stamp = datetime.now(UTC).replace(microsecond=0)  # the clock: only when the calendar gives no LAST-MODIFIED

    def decide(target: Registry) -> Plan:
        plan = ics_merge.plan(
            target.iter_events(),
            parsed.events,
            uid_domain=target.uid_domain,
            default_zone=target.timezone,
            stamp=stamp,
            default_reminders=target.default_reminders,
            source=source,
        )
        plan.errors[:0] = parsed.errors
        plan.not_kept = parsed.not_kept
        return plan

    def report(plan: Plan) -> None:
        _report(plan, registry.timezone, source, dry_run=dry_run, verbose=verbose)

    if dry_run or parsed.errors:
        plan = decide(registry)
        report(plan)
        _fail_on_errors(plan)
        return
    with editing(path, **session().write_options()) as editor:  # under the lock, on a fresh read: plan again
        plan = decide(editor.registry)
        parsed.events.clear()  # the plan holds the events now; the parsed ones would only add to the write's peak
        if plan.errors:
            report(plan)
            _fail_on_errors(plan)
        for event in ics_merge.ordered_for_adding(plan.changes):
            editor.add(event)
        for change in plan.changes:
            if change.action == "updated":
                editor.update(change.event)
    report(plan)


def _report(plan: Plan, zone: str, source: str, *, dry_run: bool, verbose: bool) -> None:
    from sco_cal.ics import merge as ics_merge

    # plain writes, not rich: an import of 100,000 events prints 100,000 lines
    lines = [ics_merge.describe(change, zone) for change in plan.changes if change.action != "unchanged"]
    if verbose:
        lines += plan.not_kept_lines(source)
    hint = " (--verbose lists them)" if plan.not_kept and not verbose else ""
    lines.append(plan.summary() + hint + (" (dry run: nothing written)" if dry_run else ""))
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    for error in plan.errors:
        err_console().print(f"error: {error}", markup=False, soft_wrap=True)


def _fail_on_errors(plan: Plan) -> None:
    if plan.errors:
        raise InvalidCalendar(f"{counted(len(plan.errors), 'event')} cannot be imported; nothing was written")
