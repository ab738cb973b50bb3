"""``sync``: the registry both ways with the CalDAV collections of the config's ``[sync.NAME]`` tables (issue 13).
The command picks the targets, finds each password, hands each to ``sco_cal.services.syncing`` and prints what
it did; the service, caldav and icalendar are imported only here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sco_cal.cli.app import app, err_console, session, user_errors
from sco_cal.cli.folders import user_folder
from sco_cal.cli.sync_config import ACTIONS, SyncSettings
from sco_cal.errors import Conflict, InvalidInput, LoginRefused, ScoCalError, ServerRefused, ServerUnreachable
from sco_cal.query import Filters

if TYPE_CHECKING:
    from sco_cal.services.syncing import Direction, Outcome, Target
    from sco_cal.sync.plan import Prefer

PASSWORD_VARIABLE = "SCO_CAL_DAV_PASSWORD"
_WORDS = "A [sync.NAME] of the config (default: each), then status (what would happen), pull or push (one way only)."


@app.command("sync")
@user_errors
def sync(
    words: Annotated[list[str] | None, typer.Argument(metavar="[TARGET] [status|pull|push]", help=_WORDS)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Show what would change; change nothing.")] = False,
    prefer: Annotated[
        str | None, typer.Option("--prefer", metavar="local|remote", help="Settle conflicts: this side's version wins.")
    ] = None,
    force_delete: Annotated[
        bool, typer.Option("--force-delete", help="Delete even when more than half the synced events vanished.")
    ] = False,
) -> None:
    """Sync the registry with a CalDAV calendar (Radicale, Nextcloud, Fastmail, iCloud): pull, then push.

    Targets are [sync.NAME] tables of the config file (url, username, password_command); the password may also
    come from $SCO_CAL_DAV_PASSWORD. Silent when nothing changed. Conflicts (changed on both sides) are listed
    and left alone: exit 6.

    Example: sco-cal sync team status
    """
    _check_installed()
    from sco_cal.services.syncing import SyncRun
    from sco_cal.sync.state import DamagedState

    targets, action = _chosen(words or [])
    direction, dry_run = _direction(action, dry_run)
    chosen = _prefer(prefer)
    failures: list[ScoCalError] = []
    for settings in targets:  # one target's failure (a server down) does not keep the others from syncing
        stamp = datetime.now(UTC).replace(microsecond=0)  # for a pulled change that carries no LAST-MODIFIED
        run = SyncRun(session(), _target(settings), _state_path(settings.name), stamp)
        try:
            outcome = run.run(direction, dry_run=dry_run, prefer=chosen, force_delete=force_delete)
        except (ServerUnreachable, ServerRefused, LoginRefused, DamagedState, InvalidInput) as error:
            failures.append(_named(error, settings.name))  # this target's: the others may still sync
            continue
        _print(outcome, settings.name, always=action == "status" or dry_run)
        failures += _failures(outcome, settings.name)
    for failure in failures[:-1]:
        err_console().print(f"error: {failure}", markup=False, soft_wrap=True)
    if failures:
        raise failures[-1]


def _check_installed() -> None:
    import importlib.util

    if importlib.util.find_spec("caldav") is None:
        raise ScoCalError("sync needs the CalDAV client, an extra of sco-cal: pip install 'sco-cal[sync]' (or, in a "
                          "checkout, pip install -e '.[sync]')")  # fmt: skip


def _named(error: ScoCalError, name: str) -> ScoCalError:
    """The error with the target's name in front, of the same kind (and so the same exit code)."""
    return type(error)(f"{name}: {error}")


def _chosen(words: list[str]) -> tuple[list[SyncSettings], str]:
    """The targets and the action the words name, in either order: ``[TARGET] [status|pull|push]``."""
    configured = session().config.sync
    if not configured:
        raise InvalidInput(f"no sync target: add a [sync.NAME] table with url and username to "
                           f"{session().config.path} (README: 'Sync with a CalDAV server')")  # fmt: skip
    actions = [word for word in words if word in ACTIONS]
    names = [word for word in words if word not in ACTIONS]
    if len(actions) > 1 or len(names) > 1:
        raise InvalidInput(f"sync takes one target and one of {', '.join(ACTIONS)}; got {' '.join(words)!r}")
    if names and names[0] not in configured:
        raise InvalidInput(f"no sync target {names[0]!r} in {session().config.path}; the targets are "
                           f"{', '.join(configured)}")  # fmt: skip
    return ([configured[names[0]]] if names else list(configured.values())), (actions or ["sync"])[0]


def _direction(action: str, dry_run: bool) -> tuple[Direction, bool]:
    if action == "status":
        return "both", True
    return ("both" if action == "sync" else action), dry_run  # type: ignore[return-value]


def _prefer(text: str | None) -> Prefer | None:
    from sco_cal.sync.plan import Prefer

    if text is None:
        return None
    try:
        return Prefer(text.lower())
    except ValueError:
        raise InvalidInput(f"--prefer: {text!r} is neither local nor remote") from None


def _target(settings: SyncSettings) -> Target:
    from sco_cal.services.syncing import Target

    filters = Filters(
        orgs=settings.orgs, kinds=settings.kinds, statuses=settings.statuses, tags=settings.tags, series=settings.series
    )
    return Target(
        settings.name, settings.url, settings.username, lambda: _password(settings), filters, settings.timeout
    )


def _password(settings: SyncSettings) -> str:
    """The password: from ``password_command`` when the target has one, else ``$SCO_CAL_DAV_PASSWORD``. What
    the command prints is never shown, not even when it fails."""
    if not settings.password_command:
        if os.environ.get(PASSWORD_VARIABLE):
            return os.environ[PASSWORD_VARIABLE]
        raise InvalidInput(f"[sync.{settings.name}]: no password: set ${PASSWORD_VARIABLE}, or password_command "
                           f"in {session().config.path}")  # fmt: skip
    command = settings.password_command
    try:
        done = subprocess.run(command, capture_output=True, stdin=subprocess.DEVNULL, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise InvalidInput(f"[sync.{settings.name}]: password_command {command[0]!r} could not run: "
                           f"{getattr(error, 'strerror', None) or type(error).__name__}") from None  # fmt: skip
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    if done.returncode != 0 or not lines or not lines[0]:
        why = f"exit status {done.returncode}" if done.returncode else "printed no password"
        said = [line.strip() for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        if said and not any(line and line in said[-1] for line in lines):  # its own words, never what it printed
            why += f": {said[-1][:200]}"
        raise InvalidInput(f"[sync.{settings.name}]: password_command {command[0]!r} failed ({why})")
    return lines[0]  # the first line, as pass and most password managers print it


def _state_path(name: str) -> Path:
    from sco_cal.sync.state import file_name

    return user_folder("state") / file_name(session().registry_path.resolve(), name)


def _print(outcome: Outcome, name: str, *, always: bool) -> None:
    from sco_cal.output.sync_report import sync_lines

    if outcome.quiet and not always:
        return
    sys.stdout.write("\n".join(sync_lines(outcome, name)) + "\n")
    sys.stdout.flush()


def _failures(outcome: Outcome, name: str) -> list[ScoCalError]:
    """What makes the run end with an error: a conflict, a held deletion or a deletion that `related` keeps (6);
    what the server refused, holds twice or holds unreadable (76); a change that met another mid-way (75: the
    next sync finishes it)."""
    from sco_cal.errors import Busy
    from sco_cal.services.sync_outcome import MIDWAY
    from sco_cal.sync.plan import Action

    found: list[ScoCalError] = []
    kinds = {decision.action for decision in outcome.pending}
    kept = [why for _, why in outcome.left if "in related" in why]
    refused = [why for _, why in outcome.left if why not in MIDWAY and why not in kept]
    if kinds & {Action.CONFLICT, Action.HELD} or kept:
        found.append(Conflict(f"{name}: some events need a decision; nothing was written for them (see above)"))
    if kinds & {Action.DUPLICATE, Action.UNREADABLE} or refused:
        found.append(ServerRefused(f"{name}: the server holds or refused something sco-cal cannot sync (see above)"))
    if any(why in MIDWAY for _, why in outcome.left) and not found:
        found.append(Busy(f"{name}: some changes met others mid-way; the next sync finishes them"))
    return found
