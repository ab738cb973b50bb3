"""One ``sco-cal remind`` run from start to end: read the ledger under its lock, plan what is due, hand each
reminder to the printer or the ``--exec`` hook, record what was given.

The CLI only parses options and prints; this module holds the order of the steps, which is what makes a run
exactly-once: the plan is made and carried out under the ledger's lock, and a reminder is shown (or its hook
has succeeded) before it is recorded, so a crash in between repeats a reminder rather than losing it. What a
reminder says (its lines, its JSON record, a hook's fields) is ``sco_cal.output.reminder_text``'s; the CLI
passes the printer and the hook's fields in.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sco_cal.errors import InvalidInput
from sco_cal.reminders import due as reminders
from sco_cal.reminders import ledger
from sco_cal.reminders.due import Due, LeadPolicy, Plan
from sco_cal.words import counted

if TYPE_CHECKING:
    from sco_cal.registry import Registry

__all__ = ["Hook", "ReminderRun", "hook_command", "missed_note"]


def hook_command(text: str) -> list[str]:
    """``--exec``'s text split as a shell would split it, but never run by a shell: no injection through
    titles or places, which reach the command only as ``SCO_CAL_*`` variables and on stdin."""
    try:
        command = shlex.split(text)
    except ValueError as error:
        raise InvalidInput(f"--exec {text!r}: {error}") from None
    if not command:
        raise InvalidInput("--exec needs a command, e.g. --exec 'notify-send sco-cal'")
    return command


@dataclass
class Hook:
    """Runs the command once per reminder with the fields in its environment and the text on stdin."""

    command: list[str]
    timeout: float
    fields: Callable[[Due], dict[str, str]]
    failures: list[str] = field(default_factory=list)

    def __call__(self, due: Due) -> bool:
        env = {**os.environ, **self.fields(due)}
        name = f"{due.reminder.event.id} ({due.reminder.lead})"
        try:
            done = subprocess.run(
                self.command, env=env, input=env["SCO_CAL_TEXT"] + "\n", text=True, timeout=self.timeout, check=False
            )
        except FileNotFoundError:
            return self._failed(f"{name}: {self.command[0]!r} not found; under cron give its full path")
        except subprocess.TimeoutExpired:
            return self._failed(f"{name}: the hook took longer than {self.timeout:g}s and was stopped")
        except OSError as error:
            return self._failed(f"{name}: cannot run {self.command[0]!r}: {error.strerror or error}")
        if done.returncode != 0:
            return self._failed(f"{name}: {self.command[0]!r} exited with {done.returncode}")
        return True

    def _failed(self, why: str) -> bool:
        self.failures.append(why)
        return False


Report = Callable[[ledger.Ledger, Plan], None]  # told the ledger as read and the plan, before anything is given


@dataclass
class ReminderRun:
    """What one run reads: the registry, the clock, the catch-up window, the zone times are shown in and the
    lead-time defaults."""

    registry: Registry
    now: datetime
    catch_up: timedelta
    zone: str
    policy: LeadPolicy

    def plan(self, book: ledger.Ledger) -> Plan:
        """What is due since the last run (at most ``catch_up`` back), read from the registry's events whose
        reminders can be due in that window only."""
        since = min(book.last_run, self.now - self.catch_up) if book.last_run else self.now - self.catch_up
        window = reminders.lookahead(self.registry.longest_own_lead, self.policy, since, self.now)
        found = reminders.candidates(
            self.registry.events_in(window),
            self.policy,
            since=since,
            now=self.now,
            floating_zone=self.zone,
            default_zone=self.registry.timezone,
        )
        return reminders.plan(found, book, now=self.now, since=since, catch_up=self.catch_up)

    def preview(self, path: Path) -> tuple[ledger.Ledger, Plan]:
        """The plan without the lock and without recording anything (``--dry-run``)."""
        book = ledger.load(path)
        return book, self.plan(book)

    def give(
        self,
        path: Path,
        *,
        show: Callable[[list[Due]], None],
        hook: Hook | None,
        report: Report,
        reset: bool,
        lock_timeout: float,
        set_aside: Callable[[Path], None],
    ) -> list[Due]:
        """Plan and give under the ledger's lock; return the reminders whose hook failed (not recorded, so the
        next run tries them again). Without a hook, ``show`` prints all of them before any is recorded.

        Most cron runs find nothing due: such a run reads the ledger without the lock (it is only ever replaced
        whole, by a rename) and ends there, as the locked run would have, without writing anything.
        """
        if not reset:
            book = ledger.load(path)
            plan = self.plan(book)
            if book.unchanged_by(plan, self.now):
                report(book, plan)
                show(plan.give)
                return []
        with ledger.locked(path, lock_timeout):
            if reset and (aside := ledger.set_aside(path, self.now.astimezone(UTC))):
                set_aside(aside)
            book = ledger.load(path)
            plan = self.plan(book)
            report(book, plan)
            if hook is None:
                show(plan.give)
            return ledger.carry_out(plan, book, hook or (lambda _: True), now=self.now, save_each=hook is not None)


def missed_note(plan: Plan, catch_up_text: str) -> str | None:
    """One line naming the reminders skipped because they fell due before the catch-up window."""
    missed = [reminder for reminder, reason in plan.skip if reason == "missed"]
    if not missed:
        return None
    names = sorted({r.event.id for r in missed})
    ids = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return f"skipped {counted(len(missed), 'reminder')} due more than {catch_up_text} ago (was the machine off?): {ids}"
