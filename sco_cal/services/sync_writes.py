"""The writes of a sync on both sides: pulls into the registry (under its lock, on a fresh read, the new and
changed events in one save and the deletions in another) and pushes to the server (each on condition of its
ETag, the state saved after each).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sco_cal.ics.export import uid_of
from sco_cal.ics.incoming import Imported
from sco_cal.ics.merge import ordered_for_adding
from sco_cal.ics.read import parse_calendar
from sco_cal.registry import Registry, editing
from sco_cal.services.importing import Place
from sco_cal.services.importing import plan as import_plan
from sco_cal.services.sync_local import feed_for, of_uids
from sco_cal.services.sync_outcome import CHANGED_HERE, PUSHES, STALE, Outcome
from sco_cal.sync import state as sync_state
from sco_cal.sync.plan import Action, Decision
from sco_cal.sync.server import Collection
from sco_cal.sync.state import Item, State

__all__ = ["push", "write_pulls"]


def write_pulls(
    pulls: list[Decision], outcome: Outcome, place: Place, url: str, stamp: datetime
) -> dict[str, Decision]:
    """Carry out the pulls on a fresh read under the lock, the new and changed events in one save and the
    deletions in another (so that ``undo`` right after a sync brings back what it deleted, and only that); the
    decisions carried out, by UID."""
    incoming: dict[str, list[Imported]] = {}
    zone = place.registry().timezone
    for decision in pulls:
        if decision.action is not Action.PULL_DELETE:
            assert decision.remote is not None
            assert decision.remote.data is not None
            assert decision.uid is not None
            parsed = parse_calendar(decision.remote.data, f"{url}{decision.href}", zone)
            if parsed.errors:
                outcome.left.append((decision, f"cannot be imported: {parsed.errors[0]}"))
            else:
                incoming[decision.uid] = parsed.events
    taken = _write_imports([d for d in pulls if d.uid in incoming], incoming, outcome, place, url, stamp)
    deletions = [decision for decision in pulls if decision.action is Action.PULL_DELETE]
    if deletions:
        with editing(place.registry_path, **place.write_options()) as editor:
            now = _current(editor.registry, deletions)
            named = _named_by(editor.registry)
            for decision in _as_planned(deletions, now, outcome):
                assert decision.uid is not None
                ids = now[decision.uid][1]
                others = sorted({other for event_id in ids for other in named.get(event_id, ())} - set(ids))
                if others:  # removing it would leave their `related` naming nothing: a person decides
                    why = f"deleted on the server, but {', '.join(others)} names it in related; kept here"
                    outcome.left.append((decision, why))
                    continue
                for event_id in reversed(ids):  # the moved occurrences before their series
                    editor.remove(event_id)
                taken[decision.uid] = decision
    return taken


def _named_by(registry: Registry) -> dict[str, list[str]]:
    """Event id -> the events that name it in their ``related``."""
    named: dict[str, list[str]] = {}
    for event in registry.iter_events():
        for other in event.related:
            named.setdefault(other, []).append(event.id)
    return named


def _write_imports(
    pulls: list[Decision],
    incoming: dict[str, list[Imported]],
    outcome: Outcome,
    place: Place,
    url: str,
    stamp: datetime,
) -> dict[str, Decision]:
    """The pulls of new and changed objects, through the import's plan, in one save."""
    if not pulls:
        return {}
    with editing(place.registry_path, **place.write_options()) as editor:
        current = editor.registry
        kept = _as_planned(pulls, _current(current, pulls), outcome)
        merged = import_plan(
            current.iter_events(),
            [item for decision in kept if decision.uid for item in incoming[decision.uid]],
            uid_domain=current.uid_domain,
            default_zone=current.timezone,
            stamp=stamp,
            default_reminders=current.default_reminders,
            source=url,
        )
        for event in ordered_for_adding(merged.changes):
            editor.add(event)
        for change in merged.changes:
            if change.action == "updated":
                editor.update(change.event)
    outcome.pulled |= {uid_of(change.event, current.uid_domain): change for change in merged.changes}
    taken = {}
    for decision in kept:
        assert decision.uid is not None
        if decision.uid in outcome.pulled:
            taken[decision.uid] = decision
        else:  # refused by the import's plan: its message names the UID
            why = next((error for error in merged.errors if repr(decision.uid) in error), "cannot be imported")
            outcome.left.append((decision, f"cannot be imported: {why}"))
    return taken


def _current(registry: Registry, pulls: list[Decision]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """For the UIDs of ``pulls``, what the registry holds now: the fingerprint of its object, its ids."""
    feed = feed_for(registry)
    now = of_uids(list(registry.iter_events()), feed, {d.uid for d in pulls if d.uid is not None})
    return {uid: (member.fingerprint(feed), member.ids) for uid, member in now.items()}


def _as_planned(pulls: list[Decision], now: dict[str, tuple[str, tuple[str, ...]]], outcome: Outcome) -> list[Decision]:
    """The pulls whose event here is still what the plan saw; the others are left for the next run."""
    kept = []
    for decision in pulls:
        assert decision.uid is not None
        held = now.get(decision.uid)
        if _still_as_planned(decision, held[0] if held else None):
            kept.append(decision)
        else:
            outcome.left.append((decision, CHANGED_HERE))
    return kept


def _still_as_planned(decision: Decision, now: str | None) -> bool:
    """Whether the registry still holds, for this UID, what the plan saw (nothing, for a pull of a new one):
    ``now`` is the fingerprint of what it holds."""
    if decision.action is Action.PULL_CREATE and decision.tracked is None:
        return now is None
    planned = decision.local
    if planned is None or now is None:
        return planned is None and now is None
    return now == planned.key


def push(server: Collection, outcome: Outcome, state: State, state_path: Path) -> None:
    """Send each push decision, creates first, deletes last; each change the state learns is recorded as soon
    as the server confirms it."""
    for action in PUSHES:
        for decision in outcome.plan.decisions:
            if decision.action is action:
                _send(server, decision, outcome, state)
                assert decision.uid is not None
                sync_state.record(state_path, decision.uid, state.items.get(decision.uid))


def _send(server: Collection, decision: Decision, outcome: Outcome, state: State) -> None:
    assert decision.uid is not None
    assert decision.href is not None
    local = decision.local
    if decision.action is Action.PUSH_DELETE:
        answer = server.delete(decision.href, decision.etag)
    elif decision.action is Action.PUSH_CREATE and decision.remote is None:
        assert local is not None
        assert local.data is not None
        answer = server.create(decision.href, local.data)
    else:
        assert local is not None
        assert local.data is not None
        answer = server.replace(decision.href, local.data, decision.etag)
    if answer.outcome == "stale":
        outcome.left.append((decision, STALE))
    elif answer.outcome == "refused":
        outcome.left.append((decision, f"the server refused it: {answer.reason}"))
    elif local is None:
        state.items.pop(decision.uid, None)
        outcome.done.append(decision)
    else:
        state.items[decision.uid] = Item(decision.href, answer.etag, local.hash, local.hash, local.key)
        outcome.done.append(decision)
