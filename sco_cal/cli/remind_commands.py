"""``remind``, ``agenda``, ``calendar`` and ``review`` (issue 4): reminders that fire once from cron, and the views
of the coming days. The logic is in ``sco_cal.reminders`` (due, ledger, agenda); the workflows are in
``sco_cal.services`` (``remind``'s run, ``views`` for agenda and calendar)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sco_cal.cli.app import Format, app, emit, err_console, out_console, output_width, session, user_errors
from sco_cal.cli.folders import user_folder
from sco_cal.dates import zone_for
from sco_cal.dates.phrases import parse_now
from sco_cal.errors import HookFailed, InvalidInput
from sco_cal.model import Kind, LeadTime
from sco_cal.words import counted

# The reminder, ledger, service and view modules are imported inside the commands: each of the four needs only
# its own, and a cron run of remind should load no more than it uses.
if TYPE_CHECKING:
    from rich.console import RenderableType

    from sco_cal.registry import Registry
    from sco_cal.reminders.due import Due, LeadPolicy, Plan
    from sco_cal.reminders.ledger import Ledger
    from sco_cal.services.remind import ReminderRun

DEFAULT_HOOK_TIMEOUT = 60.0  # seconds a hook may run


class OutFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


NowOpt = Annotated[
    str | None,
    typer.Option("--now", help="Act as if it were this instant: ISO 8601 with an offset or Z, e.g. 2030-03-09T07:30Z."),
]
FormatOpt = Annotated[OutFormat, typer.Option("--format", "-f", help="text (plain off a terminal) or json.")]


def _now(text: str | None) -> datetime:
    return parse_now(text) if text else session().now()


def _today(moment: datetime, zone: str) -> date:
    return moment.astimezone(zone_for(zone)).date()


def _emit(renderable: Callable[[], RenderableType], document: Callable[[], object], fmt: OutFormat) -> None:
    """The views lay their own lines out to the width (``output_width``); rich prints them as they are."""
    if fmt is OutFormat.JSON:
        emit(renderable, document, Format.JSON)
    else:
        out_console().print(renderable(), soft_wrap=True)


def _nothing(message: str) -> None:
    """Nothing to show: one plain line on a terminal, and no output at all for a pipe or cron (no empty mail)."""
    if sys.stdout.isatty():
        out_console().print(message)


def _policy(registry: Registry) -> LeadPolicy:
    """Lead-time defaults: the config's ``[reminders]`` per kind, then the registry header's."""
    from sco_cal.reminders.due import LeadPolicy

    config = session().config
    parsed: dict[Kind, tuple[LeadTime, ...]] = {}
    for kind, leads in config.reminders.items():
        try:
            parsed[Kind(kind)] = tuple(LeadTime.from_text(lead) for lead in leads)
        except ValueError:
            kinds = ", ".join(k.value for k in Kind)
            raise InvalidInput(f"{config.path}: reminders: {kind!r} is not a kind; the kinds are {kinds}") from None
        except InvalidInput as error:
            raise InvalidInput(f"{config.path}: reminders.{kind}: {error}") from None
    return LeadPolicy(parsed, registry.header.reminders)


def _catch_up(text: str) -> timedelta:
    try:
        return LeadTime.from_text(text).delta
    except InvalidInput:
        raise InvalidInput(f"--catch-up {text!r}: write a number and m, h, d or w, e.g. 2d or 12h") from None


def _ledger_path(option: Path | None, beside: bool, registry_path: Path) -> Path:
    from sco_cal.reminders import ledger

    if option is not None and beside:
        raise typer.BadParameter("give --ledger or --ledger-beside-registry, not both", param_hint="--ledger")
    if option is not None:
        return option.expanduser()
    if beside:
        return ledger.beside_registry(registry_path)
    return user_folder("state") / ledger.file_name(registry_path.resolve())


def _note(text: str) -> None:
    # plain: a note is one unstyled line, and a cron run that prints only notes need not load rich
    sys.stderr.write(f"note: {text}\n")


def _notes(catch_up_text: str, *, dry_run: bool) -> Callable[[Ledger, Plan], None]:
    """What a person should know, on stderr: a new ledger, reminders skipped after a gap."""
    from sco_cal.services.remind import missed_note

    def report(book: Ledger, plan: Plan) -> None:
        if not book.existed:
            started = "it would be started now" if dry_run else "started it"
            given = f"reminders due in the last {catch_up_text} are given"
            _note(f"no reminder ledger at {book.path} yet; {started} ({given})")
        if missed := missed_note(plan, catch_up_text):
            _note(missed)

    return report


def _show(
    run_records: Callable[[list[Due]], dict[str, object]], now: datetime, zone: str, default_zone: str, fmt: OutFormat
) -> Callable[[list[Due]], None]:
    def show(dues: list[Due]) -> None:
        if fmt is OutFormat.JSON:
            import json

            sys.stdout.write(json.dumps(run_records(dues), ensure_ascii=False, indent=2) + "\n")
        elif not dues:
            _nothing("no reminders due")
        else:
            from rich.console import Group

            from sco_cal.output.agenda import reminder_block

            blocks = [reminder_block(d, now=now, display_zone=zone, default_zone=default_zone) for d in dues]
            out_console().print(Group(*[part for block in blocks for part in (block, "")][:-1]), soft_wrap=True)
        sys.stdout.flush()

    return show


def _preview(run: ReminderRun, path: Path, show: Callable[[list[Due]], None], catch_up_text: str) -> None:
    """``--dry-run``: what a run would give now, and the notes it would make; the ledger is only read."""
    book, plan = run.preview(path)
    _notes(catch_up_text, dry_run=True)(book, plan)
    show(plan.give)


def _hooks_failed(count: int, failures: list[str]) -> None:
    raise HookFailed(
        f"{counted(count, 'reminder hook')} failed, not recorded, tried again next run: " + "; ".join(failures)
    )


@app.command()
@user_errors
def remind(
    now: NowOpt = None,
    catch_up: Annotated[
        str, typer.Option("--catch-up", help="Give missed reminders due within this long ago; older are skipped.")
    ] = "2d",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be given; record nothing.")] = False,
    fmt: FormatOpt = OutFormat.TEXT,
    exec_: Annotated[
        str | None,
        typer.Option("--exec", help="Run this command per reminder (no shell) with SCO_CAL_* variables set."),
    ] = None,
    exec_timeout: Annotated[
        float, typer.Option("--exec-timeout", min=1, help="Seconds a hook may run before it counts as failed.")
    ] = DEFAULT_HOOK_TIMEOUT,
    ledger_file: Annotated[
        Path | None,
        typer.Option("--ledger", envvar="SCO_CAL_LEDGER", help="The ledger file. Default: the user state folder."),
    ] = None,
    beside: Annotated[
        bool, typer.Option("--ledger-beside-registry", help="Keep the ledger next to the registry file.")
    ] = False,
    reset_ledger: Annotated[
        bool, typer.Option("--reset-ledger", help="Set a damaged ledger aside and start a new one.")
    ] = False,
) -> None:
    """Give the reminders that are due now and were not given before; print nothing when none is due.

    Example (crontab): * * * * * sco-cal remind --exec 'sh -c "notify-send \\"$SCO_CAL_TITLE\\" \\"$SCO_CAL_UNTIL\\""'
    """
    from sco_cal.output.reminder_text import ReminderTexts
    from sco_cal.services.remind import Hook, ReminderRun, hook_command

    command = hook_command(exec_) if exec_ is not None else None
    registry = session().registry()
    zone = session().display_zone(registry.timezone)
    run = ReminderRun(registry, _now(now), _catch_up(catch_up), zone, _policy(registry))
    path = _ledger_path(ledger_file, beside, session().registry_path)
    texts = ReminderTexts(run.now, zone, registry.timezone)
    show = _show(texts.records, run.now, zone, registry.timezone, fmt)
    if dry_run:
        return _preview(run, path, show, catch_up)
    hook = Hook(command, exec_timeout, texts.hook_fields) if command else None
    failed = run.give(
        path,
        show=show,
        hook=hook,
        report=_notes(catch_up, dry_run=False),
        reset=reset_ledger,
        lock_timeout=session().lock_timeout,
        set_aside=lambda aside: _note(f"set the old ledger aside as {aside}"),
    )
    if hook and failed:
        _hooks_failed(len(failed), hook.failures)


@app.command()
@user_errors
def agenda(
    days: Annotated[int, typer.Option("--days", "-d", min=1, help="How many days ahead, counting today.")] = 14,
    now: NowOpt = None,
    fmt: FormatOpt = OutFormat.TEXT,
) -> None:
    """The coming days grouped by day; undated-within-month events under "sometime in June 2020".

    Example: sco-cal agenda --days 30
    """
    from sco_cal.services.views import agenda_days

    registry = session().registry()
    zone = session().display_zone(registry.timezone)
    today = _today(_now(now), zone)
    groups = agenda_days(registry, today=today, days=days, zone=zone)
    if not groups and fmt is OutFormat.TEXT:
        return _nothing("no events")
    from sco_cal.output.agenda import agenda_document, agenda_view

    _emit(
        lambda: agenda_view(groups, registry.timezone, display_zone=zone, width=output_width()),
        lambda: agenda_document(groups, today=today, default_zone=registry.timezone, display_zone=zone),
        fmt,
    )


@app.command()
@user_errors
def calendar(
    month: Annotated[
        str | None, typer.Argument(help="The month: 'June 2020', 2020-06, 'next month'; a year shows 12 months.")
    ] = None,
    months: Annotated[int, typer.Option("--months", "-m", min=1, max=24, help="How many months to show.")] = 1,
    now: NowOpt = None,
    fmt: FormatOpt = OutFormat.TEXT,
) -> None:
    """A month grid like cal(1), days with events marked *, and a legend of the events below it.

    Example: sco-cal calendar 'June 2020' --months 3
    """
    from sco_cal.dates.phrases import parse_date
    from sco_cal.services.views import month_grids

    registry = session().registry()
    zone = session().display_zone(registry.timezone)
    today = _today(_now(now), zone)
    first = parse_date(month, today=today, southern=registry.southern) if month else None
    grids = month_grids(registry, first, months, today=today, zone=zone)
    from sco_cal.output.agenda import calendar_document, calendar_view

    quiet = not sys.stdout.isatty()
    _emit(
        lambda: calendar_view(grids, registry.timezone, display_zone=zone, width=output_width(), quiet=quiet),
        lambda: calendar_document(grids, default_zone=registry.timezone, display_zone=zone),
        fmt,
    )


@app.command()
@user_errors
def review(now: NowOpt = None, fmt: FormatOpt = OutFormat.TEXT) -> None:
    """What needs a person's attention: stale plans, past events not marked held, missing sources, dates due
    to be fixed within a month. Prints nothing when all is well.

    Example (weekly crontab): 0 9 * * 1 sco-cal review
    """
    from sco_cal.registry import warnings
    from sco_cal.reminders import agenda as views

    registry = session().registry()
    for warning in warnings(registry):
        err_console().print(f"warning: {warning}", soft_wrap=True, markup=False)
    zone = session().display_zone(registry.timezone)
    findings = views.review(registry.events, now=_now(now), floating_zone=zone, default_zone=registry.timezone)
    if not findings and fmt is OutFormat.TEXT:
        return _nothing("nothing needs attention")
    from sco_cal.output.agenda import review_document, review_table

    _emit(
        lambda: review_table(findings, registry.timezone, display_zone=zone, width=output_width()),
        lambda: review_document(findings, default_zone=registry.timezone, display_zone=zone),
        fmt,
    )
