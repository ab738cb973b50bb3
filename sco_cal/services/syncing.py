"""One ``sco-cal sync`` with one target, from start to end: list what the server holds, plan against the
registry and the state the last sync left (``sco_cal.sync.plan``), pull, then push, recording each step.

Order and safety:
- The network is used outside the registry's lock. Pulls are written in one ``editing`` session (the lock, the
  usual backup, so ``undo`` takes a pull back), on a fresh read: an event changed here since it was planned is
  left for the next run, never overwritten.
- The state is saved after the pulls and after each push, so a run cut off anywhere leaves registry and state
  consistent; the next run finishes the work. A lost state makes no duplicates: the plan adopts by UID.
- The sync-token moves on only when every change the server reported was taken in; else the next run asks
  again from the old one.
- A write answered 412 (the server's object changed or appeared while we worked) starts the round again from a
  fresh listing, at most ``_ROUNDS`` times.

The CLI parses options and the config, finds the password and prints the ``Outcome``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Final, Literal

from sco_cal.errors import InvalidCalendar
from sco_cal.ics.export import Feed, uid_of
from sco_cal.ics.incoming import Imported
from sco_cal.ics.merge import Change, ordered_for_adding
from sco_cal.ics.publish import Policy
from sco_cal.ics.read import parse_calendar
from sco_cal.model import Event
from sco_cal.query import Filters
from sco_cal.registry import Registry, editing
from sco_cal.services.importing import Place
from sco_cal.services.importing import plan as import_plan
from sco_cal.sync import state as sync_state
from sco_cal.sync.content import precision_lines
from sco_cal.sync.plan import Action, Decision, Local, Plan, Prefer, Remote, plan, remote_item
from sco_cal.sync.resources import Member, members
from sco_cal.sync.server import Collection
from sco_cal.sync.state import Item, State

__all__ = ["Direction", "Outcome", "SyncRun", "Target"]

Direction = Literal["both", "pull", "push"]
_ROUNDS: Final = 3
_PULLS: Final = frozenset({Action.PULL_CREATE, Action.PULL_UPDATE, Action.PULL_DELETE})
_PUSHES: Final = (Action.PUSH_CREATE, Action.PUSH_UPDATE, Action.PUSH_DELETE)  # the order they are sent in


@dataclass(frozen=True)
class Target:
    """One configured collection: its name in the config, URL, login and which events it shares.
    ``password`` is asked only when the server is reached."""

    name: str
    url: str
    username: str
    password: Callable[[], str] = field(repr=False)
    filters: Filters = field(default_factory=Filters)
    timeout: int = 30


_STALE: Final = "changed on the server while this sync ran; the next round takes it up"


@dataclass
class Outcome:
    """What a sync did (or, for a dry run, would do): the plan, the decisions carried out, those not carried
    out with why, and the label (event id, or the server's name) of each UID."""

    plan: Plan
    done: list[Decision] = field(default_factory=list)
    left: list[tuple[Decision, str]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    pulled: dict[str, Change] = field(default_factory=dict)  # UID -> what the import did to its event here
    theirs: dict[str, Change] = field(default_factory=dict)  # UID -> what the server's side of a conflict says
    dry_run: bool = False
    direction: Direction = "both"
    zone: str = "UTC"  # the registry's, in which a pulled event's dates are shown

    @property
    def pending(self) -> list[Decision]:
        """The decisions that need a person: conflicts, duplicates, unreadable objects, held deletions."""
        kinds = (Action.CONFLICT, Action.DUPLICATE, Action.UNREADABLE, Action.HELD)
        return [decision for decision in self.plan.decisions if decision.action in kinds]

    @property
    def quiet(self) -> bool:
        """Nothing was done and nothing needs a person: a cron run says nothing."""
        return not (self.done or self.left or self.pending)

    @property
    def stale(self) -> bool:
        return any(why == _STALE for _decision, why in self.left)


@dataclass
class SyncRun:
    """One target of one registry: where the registry is, where the state is kept, the revision time of a pulled
    change that carries none (the CLI's clock)."""

    place: Place
    target: Target
    state_path: Path
    stamp: datetime

    def run(self, direction: Direction, *, dry_run: bool, prefer: Prefer | None, force_delete: bool) -> Outcome:
        """Sync once. Raises the server's errors (``ServerUnreachable``, ``LoginRefused``, ``ServerRefused``)
        and the state's (``DamagedState``); what was done before stays recorded."""
        registry = self.place.registry()
        state = sync_state.load(self.state_path).matching(self.target.url, registry.uid_domain)
        target = self.target
        with Collection(target.url, target.username, target.password(), target.timeout) as server:
            if not state.existed:
                server.check()
            done: list[Decision] = []
            for _round in range(_ROUNDS):
                outcome = Outcome(Plan(), dry_run=dry_run, direction=direction)
                self._round(server, registry, state, outcome, prefer=prefer, force_delete=force_delete)
                outcome.done[:0] = done
                if dry_run or not outcome.stale:
                    break
                done = outcome.done
                registry = self.place.registry()
        return outcome

    def _round(
        self,
        server: Collection,
        registry: Registry,
        state: State,
        outcome: Outcome,
        *,
        prefer: Prefer | None,
        force_delete: bool,
    ) -> None:
        feed = _feed(registry)
        mine, undated = _shared(list(registry.iter_events()), feed, self.target.filters, state)
        listing, token = _listing(server, state)
        locals_ = [_local(member, feed, state.items.get(uid)) for uid, member in mine.items()]
        outcome.plan = plan(locals_, state, listing, prefer=prefer, force_delete=force_delete, undated=len(undated))
        outcome.labels = _labels(outcome.plan, mine, registry.uid_domain)
        outcome.zone = registry.timezone
        outcome.theirs = _settle_by_meaning(outcome.plan, mine, registry, self.stamp)
        if outcome.dry_run:
            return
        if outcome.direction != "push":
            self._pull(outcome, state)
        if outcome.direction != "pull":
            _with_bytes(outcome.plan, mine, feed)
            _push(server, outcome, state, self.state_path)
        _learn(outcome.plan, state)
        if outcome.direction != "push" and _all_taken_in(outcome):
            state.sync_token = token
        sync_state.save(state, self.state_path)

    def _pull(self, outcome: Outcome, state: State) -> None:
        """Write every pull in one session under the lock; then record what the registry now sends for each UID
        pulled, so that the next run sees no change here."""
        pulls = [d for d in outcome.plan.decisions if d.action in _PULLS]
        if not pulls:
            return
        taken = _write_pulls(pulls, outcome, self.place, self.target.url, self.stamp)
        if not taken:
            return
        fresh = self.place.registry()
        feed = _feed(fresh)
        now = _of_uids(list(fresh.iter_events()), feed, taken.keys())
        for uid, decision in taken.items():
            if decision.action is Action.PULL_DELETE:
                state.items.pop(uid, None)
                continue
            assert decision.remote is not None
            assert decision.href is not None
            member = now.get(uid)
            sent = _local(member, feed, None) if member is not None else None
            state.items[uid] = Item(
                decision.href,
                decision.remote.etag,
                sent.hash if sent else None,
                decision.remote.hash,
                sent.key if sent else None,
            )
            if member is not None:
                outcome.labels[uid] = member.ids[0]
            if sent is not None and _describes_old_dates(decision, sent):
                state.items[uid] = replace(state.items[uid], sent=None, key=None)  # a run cut off here sends it
                why = "sent back: the server's copy still gave the old date's precision"
                outcome.plan.decisions.append(replace(decision, action=Action.PUSH_UPDATE, local=sent, reason=why))
        changed = {uid for uid, change in outcome.pulled.items() if change.action != "unchanged"}
        outcome.done += [d for uid, d in taken.items() if d.action is Action.PULL_DELETE or uid in changed]
        sync_state.save(state, self.state_path)


def _describes_old_dates(decision: Decision, sent: Local) -> bool:
    """Whether another client moved the event (a month to a day, say) and left sco-cal's precision properties
    as they were, so every other client would still show the old "(date TBC)": then our version goes back.
    A client that drops those properties is left alone, and so is another sco-cal, whose copy agrees."""
    if decision.action is not Action.PULL_UPDATE or decision.remote is None or decision.remote.data is None:
        return False
    assert sent.data is not None
    theirs = precision_lines(decision.remote.data)
    return bool(theirs) and theirs != precision_lines(sent.data)


def _labels(result: Plan, mine: dict[str, Member], uid_domain: str) -> dict[str, str]:
    """How each UID is named to people: the id of its event here, else (an event deleted here) the id its UID
    was made from; the server's objects of other clients keep their name and UID."""
    labels = {uid: member.ids[0] for uid, member in mine.items()}
    suffix = f"@{uid_domain}"
    for decision in result.decisions:
        if decision.uid and decision.uid not in labels and decision.uid.endswith(suffix):
            labels[decision.uid] = decision.uid.removesuffix(suffix)
    return labels


def _feed(registry: Registry) -> Feed:
    """The feed each resource is written as: every precision spanned (a month as a tentative month)."""
    return Feed(
        name=registry.name,
        uid_domain=registry.uid_domain,
        default_zone=registry.timezone,
        policy=Policy.SPAN,
        refresh=None,
        default_reminders=registry.default_reminders,
    )


def _shared(events: list[Event], feed: Feed, filters: Filters, state: State) -> tuple[dict[str, Member], list[str]]:
    """The calendar objects this registry shares with the target, and the undated events it would share: the
    events the filters keep, and every event synced before whatever the filters say now, so that an event the
    server gave us, or one edited out of the filters, is never deleted from the server for that."""
    synced = state.items.keys()
    chosen = {e.id for e in events if filters.keeps(e) or uid_of(e, feed.uid_domain) in synced}
    return members((e for e in events if e.id in chosen or e.occurrence_of in chosen), feed)


def _local(member: Member, feed: Feed, item: Item | None) -> Local:
    """What this registry would send for ``member``; its bytes are written only when its events changed since
    they were last sent (their fingerprint), which on a quiet day is never."""
    key = member.fingerprint(feed)
    if item is not None and item.key == key and item.sent is not None:
        return Local(member.uid, member.href, None, item.sent, key)
    return Local.of(member.uid, member.href, member.data(feed), key)


def _with_bytes(result: Plan, mine: dict[str, Member], feed: Feed) -> None:
    """Give each push its bytes: a push is of a changed object, whose bytes were written already; this is the
    safety net should a rule ever push one that was not."""
    for position, decision in enumerate(result.decisions):
        local = decision.local
        if decision.action in _PUSHES and local is not None and local.data is None:
            fresh = Local.of(local.uid, local.href, mine[local.uid].data(feed), local.key)
            result.decisions[position] = replace(decision, local=fresh)


def _of_uids(events: list[Event], feed: Feed, uids: Iterable[str]) -> dict[str, Member]:
    """The calendar objects of the UIDs ``uids`` only: what a pull compares and records."""
    wanted = set(uids)
    chosen = {e.id for e in events if uid_of(e, feed.uid_domain) in wanted}
    return members((e for e in events if e.id in chosen or e.occurrence_of in chosen), feed)[0]


def _listing(server: Collection, state: State) -> tuple[list[Remote], str | None]:
    """Every object of the collection, those new or changed since the state fetched; and the sync-token the
    listing came with. The changes since the state's token where the server gives them, else every ETag."""
    known = {item.href: item.etag for item in state.items.values()}
    changes = server.changes(state.sync_token) if state.sync_token else None
    if changes is not None:
        etags = {name: etag for name, etag in known.items() if name not in changes.deleted} | changes.changed
        token = changes.token
    else:
        everything = server.changes("")
        if everything is not None:
            etags, token = everything.changed, everything.token
        else:
            etags, token = server.members().etags, None
    wanted = {name for name, etag in etags.items() if etag is None or known.get(name) != etag}
    fetched = {item.name: item for item in server.fetch(wanted)}
    listing = []
    for name, etag in sorted(etags.items()):
        if name in fetched:
            listing.append(remote_item(name, fetched[name].etag or etag, fetched[name].data))
        elif name not in wanted:  # a wanted one not fetched was deleted meanwhile
            listing.append(Remote(name, etag))
    return listing, token


def _settle_by_meaning(result: Plan, mine: dict[str, Member], registry: Registry, stamp: datetime) -> dict[str, Change]:
    """A conflict whose two sides say the same once read (another client's rewrite of an event we sent, seen
    after a lost state or a cut-off run) is no conflict: the import would change nothing. For the others, what
    the server's version would change here, by UID, so that a person can decide."""
    theirs: dict[str, Change] = {}
    for position, decision in enumerate(result.decisions):
        if not decision.both or decision.remote is None or decision.remote.data is None:
            continue
        member = mine.get(decision.uid or "")
        if member is None:
            continue
        try:
            parsed = parse_calendar(decision.remote.data, decision.href or "", registry.timezone)
        except InvalidCalendar:
            continue
        same = import_plan(
            member.events,
            parsed.events,
            uid_domain=registry.uid_domain,
            default_zone=registry.timezone,
            stamp=stamp,
        )
        if not parsed.errors and not same.errors and all(c.action == "unchanged" for c in same.changes):
            result.decisions[position] = replace(decision, action=Action.UNCHANGED, reason="the same in meaning")
        elif same.changes and decision.uid is not None:
            theirs[decision.uid] = same.changes[0]
    return theirs


def _write_pulls(
    pulls: list[Decision], outcome: Outcome, place: Place, url: str, stamp: datetime
) -> dict[str, Decision]:
    """Carry out the pulls on a fresh read under the lock, the new and changed events in one save and the
    deletions in another (so that ``undo`` right after a sync brings back what it deleted, and only that); the
    decisions carried out, by UID."""
    incoming: dict[str, list[Imported]] = {}
    for decision in pulls:
        if decision.action is not Action.PULL_DELETE:
            assert decision.remote is not None
            assert decision.remote.data is not None
            assert decision.uid is not None
            parsed = parse_calendar(decision.remote.data, f"{url}{decision.href}", place.registry().timezone)
            if parsed.errors:
                outcome.left.append((decision, f"cannot be imported: {parsed.errors[0]}"))
            else:
                incoming[decision.uid] = parsed.events
    taken = _write_imports([d for d in pulls if d.uid in incoming], incoming, outcome, place, url, stamp)
    deletions = [decision for decision in pulls if decision.action is Action.PULL_DELETE]
    if deletions:
        with editing(place.registry_path, **place.write_options()) as editor:
            now = _current(editor.registry, deletions)
            for decision in _as_planned(deletions, now, outcome):
                assert decision.uid is not None
                for event_id in reversed(now[decision.uid][1]):  # the moved occurrences before their series
                    editor.remove(event_id)
                taken[decision.uid] = decision
    return taken


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
    feed = _feed(registry)
    now = _of_uids(list(registry.iter_events()), feed, {d.uid for d in pulls if d.uid is not None})
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
            outcome.left.append((decision, "changed here while this sync ran; the next run takes it up"))
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


def _push(server: Collection, outcome: Outcome, state: State, state_path: Path) -> None:
    """Send each push decision, creates first, deletes last; the state saved after each."""
    for action in _PUSHES:
        for decision in outcome.plan.decisions:
            if decision.action is action:
                _send(server, decision, outcome, state)
                sync_state.save(state, state_path)


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
        outcome.left.append((decision, _STALE))
    elif answer.outcome == "refused":
        outcome.left.append((decision, f"the server refused it: {answer.reason}"))
    elif local is None:
        state.items.pop(decision.uid, None)
        outcome.done.append(decision)
    else:
        state.items[decision.uid] = Item(decision.href, answer.etag, local.hash, local.hash, local.key)
        outcome.done.append(decision)


def _learn(result: Plan, state: State) -> None:
    """What the state learns from decisions that send nothing: a new ETag or name, a server's rewrite, an
    object adopted by UID, one gone from both sides."""
    for decision in result.decisions:
        if decision.uid is None:
            continue
        if decision.action is Action.FORGET:
            state.items.pop(decision.uid, None)
        elif decision.action is Action.UNCHANGED and decision.local and decision.remote and decision.href:
            tracked = state.items.get(decision.uid)
            server_hash = decision.remote.hash or (tracked.server if tracked else None)
            state.items[decision.uid] = Item(
                decision.href, decision.remote.etag, decision.local.hash, server_hash, decision.local.key
            )


def _all_taken_in(outcome: Outcome) -> bool:
    """Whether every change the server reported was taken in, so that the sync-token may move on."""
    if outcome.left:
        return False
    for decision in outcome.plan.decisions:
        if decision.action in (Action.CONFLICT, Action.DUPLICATE, Action.UNREADABLE):
            return False
        if decision.action is Action.HELD and decision.remote is None:
            return False
    return True
