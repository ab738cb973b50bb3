"""What a sync did or would do, for people: one line per change (``+ ~ -`` with ``->`` for what went to the
server and ``<-`` for what came from it), one ``!`` line per thing that needs a person, and a summary line in
the manner of ``import``'s. Plain text: a first sync of a big registry prints a line per event.
"""

from __future__ import annotations

from typing import Final

from sco_cal.dates import display_span
from sco_cal.output.import_report import differences
from sco_cal.services.syncing import Outcome
from sco_cal.sync.plan import Action, Decision
from sco_cal.words import counted

__all__ = ["sync_lines"]

_SIGNS: Final = {
    Action.PUSH_CREATE: "+",
    Action.PUSH_UPDATE: "~",
    Action.PUSH_DELETE: "-",
    Action.PULL_CREATE: "+",
    Action.PULL_UPDATE: "~",
    Action.PULL_DELETE: "-",
}
_PUSHES: Final = (Action.PUSH_CREATE, Action.PUSH_UPDATE, Action.PUSH_DELETE)
_PULLS: Final = (Action.PULL_CREATE, Action.PULL_UPDATE, Action.PULL_DELETE)
_NEEDING_A_PERSON: Final = (
    (Action.CONFLICT, "conflict", "conflicts"),
    (Action.HELD, "deletion held back", "deletions held back"),
    (Action.DUPLICATE, "UID on the server twice", "UIDs on the server twice"),
    (Action.UNREADABLE, "unreadable object", "unreadable objects"),
)
_COUNTS: Final = " {} new, {} changed, {} deleted"
_SETTLE: Final = " (--prefer local or --prefer remote settles it)"


def sync_lines(outcome: Outcome, target: str) -> list[str]:
    """The lines of one target's sync: its changes, what needs a person, the summary."""
    shown = _planned(outcome) if outcome.dry_run else outcome.done
    lines = [_change(decision, outcome) for decision in shown]
    lines += [_pending(decision, outcome) for decision in outcome.pending]
    lines += [f"! {_label(decision, outcome)}: {why}" for decision, why in outcome.left]
    lines.append(_summary(outcome, target, shown))
    return lines


def _planned(outcome: Outcome) -> list[Decision]:
    wanted = {"both": (*_PULLS, *_PUSHES), "pull": _PULLS, "push": _PUSHES}[outcome.direction]
    return [decision for decision in outcome.plan.decisions if decision.action in wanted]


def _change(decision: Decision, outcome: Outcome) -> str:
    """``~ id -> server: changed here``; a pull carried out says what it changed here, as ``import`` does."""
    arrow = "->" if decision.action in _PUSHES else "<-"
    what = decision.reason
    change = outcome.pulled.get(decision.uid or "") if decision.action in _PULLS else None
    if change is not None and change.action == "new":
        what = f"{change.event.title} — {display_span(change.event.start, change.event.end, outcome.zone)}"
    elif change is not None and change.action == "updated" and change.before is not None:
        what = differences(change.before, change.event) or what
    return f"{_SIGNS[decision.action]} {_label(decision, outcome)} {arrow} server: {what}"


def _pending(decision: Decision, outcome: Outcome) -> str:
    """``! id: why``; for a conflict, how the two sides differ (here -> server) and how to settle it."""
    hint = _SETTLE if decision.action is Action.CONFLICT else ""
    reason = decision.reason
    theirs = outcome.theirs.get(decision.uid or "") if decision.action is Action.CONFLICT else None
    if theirs is not None and theirs.before is not None and (differ := differences(theirs.before, theirs.event)):
        reason += f"; here -> server: {differ}"
    if decision.action is Action.UNREADABLE and decision.remote is not None:
        reason = f"cannot be read: {decision.remote.problem}"
    return f"! {_label(decision, outcome)}: {reason}{hint}"


def _label(decision: Decision, outcome: Outcome) -> str:
    if decision.uid is not None and decision.uid in outcome.labels:
        return outcome.labels[decision.uid]
    if decision.href is not None:
        return f"{decision.href} (UID {decision.uid})" if decision.uid else decision.href
    return f"UID {decision.uid}"


def _summary(outcome: Outcome, target: str, shown: list[Decision]) -> str:
    counts = {action: sum(1 for d in shown if d.action is action) for action in (*_PUSHES, *_PULLS)}
    parts = []
    if outcome.direction != "pull":
        pushed = (counts[Action.PUSH_CREATE], counts[Action.PUSH_UPDATE], counts[Action.PUSH_DELETE])
        parts.append(
            ("would push" if outcome.dry_run else "pushed") + " {} new, {} changed, {} deleted".format(*pushed)
        )
    if outcome.direction != "push":
        pulled = (counts[Action.PULL_CREATE], counts[Action.PULL_UPDATE], counts[Action.PULL_DELETE])
        parts.append(
            ("would pull" if outcome.dry_run else "pulled") + " {} new, {} changed, {} deleted".format(*pulled)
        )
    unchanged = sum(1 for d in outcome.plan.decisions if d.action is Action.UNCHANGED)
    parts.append(f"{unchanged} unchanged")
    for action, word, words in _NEEDING_A_PERSON:
        if found := sum(1 for d in outcome.plan.decisions if d.action is action):
            parts.append(counted(found, word, words))
    if outcome.left:
        parts.append(f"{len(outcome.left)} not done")
    if outcome.plan.undated:
        parts.append(f"{counted(outcome.plan.undated, 'event')} without a date not sent")
    return f"{target}: " + "; ".join(parts) + (" (dry run: nothing sent or written)" if outcome.dry_run else "")
