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

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Final

from sco_cal.registry import Registry
from sco_cal.services.importing import Place
from sco_cal.services.sync_local import (
    describes_old_dates,
    feed_for,
    of_uids,
    settle_by_meaning,
    shared,
    to_send,
    with_bytes,
)
from sco_cal.services.sync_outcome import PULLS, Direction, Outcome, Target
from sco_cal.services.sync_writes import push, write_pulls
from sco_cal.sync import state as sync_state
from sco_cal.sync.plan import Action, Decision, Plan, Prefer, Remote, plan, remote_item
from sco_cal.sync.resources import Member
from sco_cal.sync.server import Collection
from sco_cal.sync.state import Item, State

__all__ = ["Direction", "Outcome", "SyncRun", "Target"]

_ROUNDS: Final = 3


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
        feed = feed_for(registry)
        mine, undated = shared(list(registry.iter_events()), feed, self.target.filters, state)
        listing, token = _listing(server, state)
        locals_ = [to_send(member, feed, state.items.get(uid)) for uid, member in mine.items()]
        outcome.plan = plan(locals_, state, listing, prefer=prefer, force_delete=force_delete, undated=len(undated))
        outcome.labels = _labels(outcome.plan, mine, registry.uid_domain)
        outcome.zone = registry.timezone
        outcome.theirs = settle_by_meaning(outcome.plan, mine, registry, self.stamp)
        if outcome.dry_run:
            return
        if not state.existed:  # a state file for the log of this run's changes to apply to
            sync_state.save(state, self.state_path)
        if outcome.direction != "push":
            self._pull(outcome, state)
        if outcome.direction != "pull":
            with_bytes(outcome.plan, mine, feed)
            push(server, outcome, state, self.state_path)
        _learn(outcome.plan, state)
        if outcome.direction != "push" and _all_taken_in(outcome):
            state.sync_token = token
        sync_state.save(state, self.state_path)

    def _pull(self, outcome: Outcome, state: State) -> None:
        """Write every pull in one session under the lock; then record what the registry now sends for each UID
        pulled, so that the next run sees no change here."""
        pulls = [d for d in outcome.plan.decisions if d.action in PULLS]
        if not pulls:
            return
        taken = write_pulls(pulls, outcome, self.place, self.target.url, self.stamp)
        if not taken:
            return
        fresh = self.place.registry()
        feed = feed_for(fresh)
        now = of_uids(list(fresh.iter_events()), feed, taken.keys())
        for uid, decision in taken.items():
            if decision.action is Action.PULL_DELETE:
                state.items.pop(uid, None)
                continue
            assert decision.remote is not None
            assert decision.href is not None
            member = now.get(uid)
            sent = to_send(member, feed, None) if member is not None else None
            state.items[uid] = Item(
                decision.href,
                decision.remote.etag,
                sent.hash if sent else None,
                decision.remote.hash,
                sent.key if sent else None,
            )
            if member is not None:
                outcome.labels[uid] = member.ids[0]
            if sent is not None and describes_old_dates(decision, sent):
                state.items[uid] = replace(state.items[uid], sent=None, key=None)  # a run cut off here sends it
                why = "sent back: the server's copy still gave the old date's precision"
                outcome.plan.decisions.append(replace(decision, action=Action.PUSH_UPDATE, local=sent, reason=why))
        changed = {uid for uid, change in outcome.pulled.items() if change.action != "unchanged"}
        outcome.done += [d for uid, d in taken.items() if d.action is Action.PULL_DELETE or uid in changed]
        sync_state.save(state, self.state_path)


def _labels(result: Plan, mine: dict[str, Member], uid_domain: str) -> dict[str, str]:
    """How each UID is named to people: the id of its event here, else (an event deleted here) the id its UID
    was made from; the server's objects of other clients keep their name and UID."""
    labels = {uid: member.ids[0] for uid, member in mine.items()}
    suffix = f"@{uid_domain}"
    for decision in result.decisions:
        if decision.uid and decision.uid not in labels and decision.uid.endswith(suffix):
            labels[decision.uid] = decision.uid.removesuffix(suffix)
    return labels


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
