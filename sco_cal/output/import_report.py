"""What an import did or would do, for people: one line per new or updated event, the things in the file that
are not kept, and the summary line (``4 new, 0 updated, 0 unchanged, 0 errors; not kept: 1 VTODO``).

Plain text, not rich: an import of a large file prints a line per event. Exports ``report_lines``, ``describe``,
``differences``, ``summary`` and ``not_kept_lines``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import fields
from typing import Final

from sco_cal.dates import DateValue, display_span
from sco_cal.ics.merge import Change, Plan
from sco_cal.model import Event, Venue

__all__ = ["describe", "differences", "not_kept_lines", "report_lines", "summary"]

_COMPARED: Final = tuple(f.name for f in fields(Event) if f.name not in ("sequence", "updated"))


def report_lines(plan: Plan, zone: str, source: str, *, dry_run: bool, verbose: bool) -> list[str]:
    """The lines an import prints on stdout: the changes, what is not kept (``verbose``), the summary."""
    lines = [describe(change, zone) for change in plan.changes if change.action != "unchanged"]
    if verbose:
        lines += not_kept_lines(plan, source)
    hint = " (--verbose lists them)" if plan.not_kept and not verbose else ""
    lines.append(summary(plan) + hint + (" (dry run: nothing written)" if dry_run else ""))
    return lines


def summary(plan: Plan) -> str:
    """``4 new, 0 updated, 0 unchanged, 0 errors; not kept: 1 VTODO, 2 ATTENDEE``."""
    errors = len(plan.errors)
    text = (
        f"{plan.count('new')} new, {plan.count('updated')} updated, {plan.count('unchanged')} unchanged, "
        f"{errors} error{'' if errors == 1 else 's'}"
    )
    counts = Counter(_kind(item.name) for item in sorted(plan.not_kept, key=lambda item: item.line))
    if counts:
        text += "; not kept: " + ", ".join(f"{n} {name}" for name, n in counts.most_common())
    return text


def _kind(name: str) -> str:
    """How the summary counts a name: vendors' X- names together (an Outlook event holds a dozen)."""
    return "X-*" if name.startswith("X-") else name


def not_kept_lines(plan: Plan, source: str) -> list[str]:
    """One line per thing not kept, in file order: ``file:12: ATTENDEE not kept``."""
    return [
        f"{source}:{item.line}: {item.name} not kept" + (f" ({item.why})" if item.why else "")
        for item in sorted(plan.not_kept, key=lambda item: item.line)
    ]


def describe(change: Change, default_zone: str) -> str:
    """One line per change: ``+ id  title — when`` for a new event, ``~ id: field old -> new; ...`` for an update."""
    event = change.event
    when = display_span(event.start, event.end, default_zone)
    if change.action == "new":
        return f"+ {event.id}  {event.title} — {when}"
    if change.action == "unchanged" or change.before is None:
        return f"= {event.id}"
    return f"~ {event.id}: " + differences(change.before, event)


def differences(before: Event, after: Event) -> str:
    """What changed between two versions of an event: ``title A -> B; status planned -> scheduled``."""
    diffs = []
    for name in _COMPARED:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            diffs.append(f"{name} {_shown(old)} -> {_shown(new)}")
    return "; ".join(diffs)


def _shown(value: object) -> str:
    if value is None or value == ():
        return "-"
    if isinstance(value, DateValue):
        return value.to_text()
    if isinstance(value, Venue):
        return value.display() or "-"
    if isinstance(value, tuple):
        return ", ".join(_shown(v) if not isinstance(v, str) else v for v in value)
    text = str(value) if isinstance(value, str) else str(getattr(value, "name", value))
    text = text.replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"
