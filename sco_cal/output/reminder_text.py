"""A reminder in words: the labelled lines ``remind`` prints, the same as plain text, the stable JSON record for
``--format json`` and the ``SCO_CAL_*`` environment of an ``--exec`` hook.

No rich here: a cron run with a hook reads these texts without loading a terminal library; the styled block is
``sco_cal.output.agenda.reminder_block``, drawn from ``describe``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sco_cal.dates import DateValue, display_span, relative
from sco_cal.model import Event
from sco_cal.reminders.due import Due, Reminder

__all__ = ["REMINDER_SCHEMA", "ReminderTexts", "describe", "hook_environment", "plain_text", "to_record"]

REMINDER_SCHEMA: Final = 1


def _where(event: Event) -> str:
    return event.venue.display() if event.venue else ""


def _moved_text(due: Due, default_zone: str, display_zone: str) -> str | None:
    if due.moved_from is None:
        return None
    old = DateValue.from_text(due.moved_from)
    new = due.reminder.start_value
    if not old.is_fixed and old.first_day() <= new.first_day() <= old.last_day() and new.is_fixed:
        return f"the date is now fixed (it was {old.display(default_zone, display_zone)})"
    return f"the date moved from {old.display(default_zone, display_zone)}"


def describe(due: Due, *, now: datetime, display_zone: str, default_zone: str) -> list[tuple[str, str]]:
    """The lines of a reminder as (label, text): what, when, where, how long until it, and its caveats."""
    reminder = due.reminder
    occurrence = reminder.occurrence
    event = reminder.event
    until = relative(reminder.start, now, whole_days=not _timed(reminder), zone=display_zone)
    when = display_span(occurrence.start, occurrence.end, default_zone, display_zone)
    lines = [("", event.title), ("when", when)]
    if _where(event):
        lines.append(("where", _where(event)))
    begun = reminder.start <= now  # a reminder given late, after a gap or a move
    if reminder.fixed:
        lines.append(("began" if begun else "starts", until))
    else:
        earliest = reminder.start_value.first_day()
        at_earliest = f"{until} at the earliest ({earliest.day} {earliest:%b %Y})"
        lines.append(("began", f"possibly, {at_earliest}") if begun else ("starts", at_earliest))
        lines.append(("note", "the date is not fixed yet"))
    moved = _moved_text(due, default_zone, display_zone)
    if moved:
        lines.append(("moved", moved))
    lines.append(("id", f"{event.id} ({reminder.lead.to_text()} reminder)"))
    return lines


def _timed(reminder: Reminder) -> bool:
    return reminder.start_value.hour is not None


def to_record(due: Due, *, now: datetime, display_zone: str, default_zone: str) -> dict[str, object]:
    """The stable JSON form of a reminder (``REMINDER_SCHEMA``); fields are only ever added."""
    reminder = due.reminder
    occurrence = reminder.occurrence
    event = reminder.event
    return {
        "id": event.id,
        "title": event.title,
        "kind": str(event.kind),
        "status": str(event.status),
        "occurrence": reminder.occurrence_key or None,
        "start": reminder.start_value.to_text(),
        "end": occurrence.end.to_text() if occurrence.end else None,
        "precision": str(reminder.start_value.precision),
        "fixed": reminder.fixed,
        "when": display_span(occurrence.start, occurrence.end, default_zone, display_zone),
        "display_zone": display_zone,
        "display_start": reminder.start_value.in_zone(default_zone, display_zone).to_text(),
        "display_end": occurrence.end.in_zone(default_zone, display_zone).to_text() if occurrence.end else None,
        "earliest": reminder.start.isoformat(),
        "lead": reminder.lead.to_text(),
        "due": reminder.due.isoformat(),
        "until": relative(reminder.start, now, whole_days=not _timed(reminder), zone=display_zone),
        "seconds_until": int((reminder.start - now).total_seconds()),
        "where": _where(event) or None,
        "moved_from": due.moved_from,
        "moved": _moved_text(due, default_zone, display_zone),
    }


def hook_environment(due: Due, *, now: datetime, display_zone: str, default_zone: str) -> dict[str, str]:
    """The ``SCO_CAL_*`` variables a ``--exec`` hook receives; event text travels only this way, never in argv.

    ``SCO_CAL_TEXT`` is the whole reminder as printed; the hook also gets it on its standard input.
    """
    fields = to_record(due, now=now, display_zone=display_zone, default_zone=default_zone)
    env = {f"SCO_CAL_{name.upper()}": _env_text(value) for name, value in fields.items()}
    env["SCO_CAL_TEXT"] = plain_text(due, now=now, display_zone=display_zone, default_zone=default_zone)
    return env


def _env_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def plain_text(due: Due, *, now: datetime, display_zone: str, default_zone: str) -> str:
    """The reminder as plain lines, the same text the terminal shows without styles."""
    lines = describe(due, now=now, display_zone=display_zone, default_zone=default_zone)
    return "\n".join(text if not label else f"  {label + ':':<7} {text}" for label, text in lines)


@dataclass(frozen=True, slots=True)
class ReminderTexts:
    """The texts of one run's reminders, as of ``now`` and shown in ``display_zone``: what a hook is given and what
    ``--format json`` prints."""

    now: datetime
    display_zone: str
    default_zone: str

    def hook_fields(self, due: Due) -> dict[str, str]:
        return hook_environment(due, now=self.now, display_zone=self.display_zone, default_zone=self.default_zone)

    def records(self, dues: list[Due]) -> dict[str, object]:
        """The JSON document of ``--format json``."""
        records = [
            to_record(d, now=self.now, display_zone=self.display_zone, default_zone=self.default_zone) for d in dues
        ]
        return {"schema": REMINDER_SCHEMA, "now": self.now.isoformat(), "reminders": records}
