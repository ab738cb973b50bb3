"""The plan of a sync, a pure function: the local resources, the state the last sync left and the server's
listing in, one ``Decision`` per UID out. No I/O; the network part carries the plan out and records each step.

The rules:
- Changed on one side only since the last sync: that side's version goes to the other (push or pull update).
  Locally changed: the resource's ``content_hash`` is not the one last sent. Remotely changed: the ETag changed
  AND the ``content_hash`` of what the server holds changed (a server's own rewrite is not a change).
- Changed on both sides to different content: a conflict, nothing done, unless ``prefer`` names the winner;
  changed to the same content: nothing to do.
- Deleted on one side and changed on the other: the change wins (the object is made again on the deleting side).
  Deleted on one side and unchanged on the other: deleted there too; but when more than half of the tracked
  objects vanished from one side at once, its deletions are held back unless ``force_delete``.
- Not tracked (a first sync, or a lost state): an object on both sides is adopted by UID (nothing to do when
  they say the same, else a conflict as above); local only is created (under ``NAME-2.ics`` when the server
  holds another UID under its name); server only is pulled.
- One UID under two or more hrefs on the server: reported with those hrefs; nothing is done for that UID, the
  rest go on.

Exports ``plan``, ``Plan``, ``Decision``, ``Action``, ``Prefer``, ``Local``, ``Remote``, ``remote_item``,
``Duplicate``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from sco_cal.errors import InvalidCalendar
from sco_cal.sync.content import content_hash, uids
from sco_cal.sync.state import Item, State

__all__ = ["Action", "Decision", "Duplicate", "Local", "Plan", "Prefer", "Remote", "plan", "remote_item"]


class Action(StrEnum):
    PUSH_CREATE = "push create"  # PUT with If-None-Match: *
    PUSH_UPDATE = "push update"  # PUT with If-Match: the server's ETag
    PUSH_DELETE = "push delete"  # DELETE with If-Match: the server's ETag
    PULL_CREATE = "pull create"  # import the server's object as a new event
    PULL_UPDATE = "pull update"  # import the server's object over the event
    PULL_DELETE = "pull delete"  # remove the local event (with the usual backup)
    CONFLICT = "conflict"  # changed on both sides: nothing written, listed
    HELD = "held"  # a deletion held back: too many vanished at once
    UNCHANGED = "unchanged"  # nothing to send or import (the state may still learn a new ETag or href)
    FORGET = "forget"  # gone from both sides: only the state forgets it
    DUPLICATE = "duplicate"  # the UID is under two hrefs on the server: reported, nothing done
    UNREADABLE = "unreadable"  # the server's object is no calendar: reported, nothing done


class Prefer(StrEnum):
    LOCAL = "local"
    REMOTE = "remote"


@dataclass(frozen=True)
class Local:
    """A resource as this registry would send it now: its UID, its name if it is new, its ``content_hash``, the
    fingerprint of its events, and its bytes (``None`` when the fingerprint is the one last sent, so the hash is
    known without writing them)."""

    uid: str
    href: str
    data: bytes | None
    hash: str
    key: str | None = None

    @classmethod
    def of(cls, uid: str, href: str, data: bytes, key: str | None = None) -> Local:
        return cls(uid, href, data, content_hash(data), key)


@dataclass(frozen=True)
class Remote:
    """An object of the server's listing: its href and ETag, and, when it was fetched (new or changed ETag), its
    UID, ``content_hash`` and bytes; ``problem`` when those bytes are no calendar object."""

    href: str
    etag: str | None
    uid: str | None = None
    hash: str | None = None
    data: bytes | None = None
    problem: str | None = None


def remote_item(href: str, etag: str | None, data: bytes) -> Remote:
    """A fetched object of the listing, read: its UID and content hash, or the reason it cannot be read."""
    try:
        found = uids(data)
        digest = content_hash(data)
    except InvalidCalendar as error:
        return Remote(href, etag, data=data, problem=str(error))
    if len(found) != 1:
        return Remote(href, etag, data=data, problem=f"holds {len(found)} UIDs; a calendar object holds one")
    return Remote(href, etag, found.pop(), digest, data)


@dataclass(frozen=True)
class Decision:
    """What to do for one UID. ``href``: where to act on the server; ``etag``: the If-Match of a push update or
    delete (``None`` with a create: If-None-Match ``*``); ``reason`` says why, for the listing."""

    uid: str | None  # ``None``: an unreadable object of no tracked UID
    action: Action
    href: str | None = None
    etag: str | None = None
    local: Local | None = None
    remote: Remote | None = None
    tracked: Item | None = None
    reason: str = ""
    both: bool = False  # both sides hold a version the other has not seen (a conflict, or one ``prefer`` settled)


@dataclass(frozen=True)
class Duplicate:
    """One UID the server holds under several hrefs."""

    uid: str
    hrefs: tuple[str, ...]


@dataclass
class Plan:
    """Every decision, by UID; the duplicates and unreadable objects; which side's deletions were held back."""

    decisions: list[Decision] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    held_local: bool = False  # more than half vanished locally: no push delete
    held_remote: bool = False  # more than half vanished from the server: no pull delete
    undated: int = 0

    def summary(self) -> dict[Action, int]:
        """How many decisions of each action, in the order of ``Action``, those with none left out."""
        counts = Counter(decision.action for decision in self.decisions)
        return {action: counts[action] for action in Action if counts[action]}

    @property
    def conflicts(self) -> list[Decision]:
        return [decision for decision in self.decisions if decision.action is Action.CONFLICT]

    @property
    def changes(self) -> list[Decision]:
        """The decisions that send, import or delete something."""
        return [decision for decision in self.decisions if decision.action in _CHANGES]


_CHANGES = frozenset(
    {Action.PUSH_CREATE, Action.PUSH_UPDATE, Action.PUSH_DELETE, Action.PULL_CREATE}
    | {Action.PULL_UPDATE, Action.PULL_DELETE}
)


@dataclass
class _Sides:
    """The listing sorted out by UID, and what the rules need to know across UIDs."""

    local: dict[str, Local]
    remote: dict[str, list[Remote]]
    tracked: dict[str, Item]
    taken: dict[str, str]  # the server's href -> UID
    prefer: Prefer | None
    held_local: bool = False  # more than half vanished locally: no push delete
    held_remote: bool = False  # more than half vanished from the server: no pull delete


def _changed_remotely(remote: Remote, tracked: Item) -> bool:
    """Whether the server's object changed since the last sync: ETag and content both (or it moved href)."""
    if remote.href == tracked.href and remote.etag is not None and remote.etag == tracked.etag:
        return False
    if remote.hash is None:
        raise ValueError(f"{remote.href}: its ETag changed but it was not fetched")
    return remote.hash != tracked.server


def _both_changed(uid: str, local: Local, remote: Remote, sides: _Sides, why: str, item: Item | None) -> Decision:
    """Both sides hold a version the other has not seen: the same one is nothing to do, else ``prefer``
    decides, or it is a conflict."""
    action = Action.CONFLICT
    if local.hash == remote.hash:
        action, why = Action.UNCHANGED, "the same on both sides"
    elif sides.prefer is Prefer.LOCAL:
        action, why = Action.PUSH_UPDATE, f"{why}; local wins"
    elif sides.prefer is Prefer.REMOTE:
        action, why = Action.PULL_UPDATE, f"{why}; server wins"
    return Decision(
        uid, action, remote.href, remote.etag, local, remote, item, why, both=action is not Action.UNCHANGED
    )


def _untracked(uid: str, local: Local | None, remote: Remote | None, sides: _Sides) -> Decision:
    """A first sync or a lost state: what is on both sides is adopted by UID, never sent again."""
    if local is not None and remote is not None:
        why = "differs on the two sides, and no record says which changed (a first sync, or the state was lost)"
        return _both_changed(uid, local, remote, sides, why, None)
    if remote is not None:
        return Decision(uid, Action.PULL_CREATE, remote.href, remote.etag, remote=remote, reason="new on the server")
    assert local is not None
    if local.href in sides.taken:  # another client's event of the same id: ours goes under a free name beside it
        href = _free_name(local.href, sides.taken)
        sides.taken[href] = uid
        why = f"new here (as {href}: the server holds another event under {local.href})"
        return Decision(uid, Action.PUSH_CREATE, href, local=replace(local, href=href), reason=why)
    return Decision(uid, Action.PUSH_CREATE, local.href, local=local, reason="new here")


def _free_name(href: str, taken: dict[str, str]) -> str:
    """``x.ics`` -> the first of ``x-2.ics``, ``x-3.ics``... the server does not hold: still the event's id."""
    stem = href.removesuffix(".ics")
    return next(name for n in range(2, len(taken) + 3) if (name := f"{stem}-{n}.ics") not in taken)


def _tracked(uid: str, local: Local | None, remote: Remote | None, item: Item, sides: _Sides) -> Decision:
    """An object the last sync left on both sides."""
    local_changed = local is not None and local.hash != item.sent
    remote_changed = remote is not None and _changed_remotely(remote, item)
    if local is None and remote is None:
        return Decision(uid, Action.FORGET, item.href, tracked=item, reason="gone from both sides")
    if remote is None:
        assert local is not None
        if local_changed:
            why = "deleted on the server, changed here: the change wins"
            return Decision(uid, Action.PUSH_CREATE, item.href, local=local, tracked=item, reason=why)
        if sides.held_remote:
            return Decision(uid, Action.HELD, item.href, local=local, tracked=item, reason=_HELD.format("server"))
        return Decision(uid, Action.PULL_DELETE, item.href, local=local, tracked=item, reason="deleted on the server")
    if local is None:
        if remote_changed:
            why = "deleted here, changed on the server: the change wins"
            return Decision(uid, Action.PULL_CREATE, remote.href, remote.etag, remote=remote, tracked=item, reason=why)
        action, why = (
            (Action.HELD, _HELD.format("registry")) if sides.held_local else (Action.PUSH_DELETE, "deleted here")
        )
        return Decision(uid, action, remote.href, remote.etag, remote=remote, tracked=item, reason=why)
    if local_changed and remote_changed:
        return _both_changed(uid, local, remote, sides, "changed on both sides since the last sync", item)
    return _compare(uid, local, remote, item, (local_changed, remote_changed))


_HELD = "more than half of the synced events vanished from the {} at once; --force-delete deletes them"


def _compare(uid: str, local: Local, remote: Remote, item: Item, changed: tuple[bool, bool]) -> Decision:
    """An object on both sides, tracked, changed on one side at most."""
    if changed == (True, False):
        return Decision(uid, Action.PUSH_UPDATE, remote.href, remote.etag, local, remote, item, "changed here")
    if changed == (False, True):
        return Decision(uid, Action.PULL_UPDATE, remote.href, remote.etag, local, remote, item, "changed on the server")
    return Decision(uid, Action.UNCHANGED, remote.href, remote.etag, local, remote, item)


def _sort_out(listing: Iterable[Remote], state: State, result: Plan) -> dict[str, list[Remote]]:
    """The listing by UID: a fetched object's own, else the UID the state knows its href by. An unreadable
    object is reported, and its UID (if tracked) is left alone: it is neither deleted nor sent."""
    uid_of_href = {item.href: uid for uid, item in state.items.items()}
    by_uid: dict[str, list[Remote]] = {}
    for remote in listing:
        uid = remote.uid if remote.uid is not None else uid_of_href.get(remote.href)
        if remote.problem is not None:
            result.decisions.append(Decision(uid, Action.UNREADABLE, remote.href, remote.etag, remote=remote))
            continue
        if uid is None:
            raise ValueError(f"{remote.href}: not fetched, and the state knows no object by that href")
        by_uid.setdefault(uid, []).append(remote)
    return by_uid


def plan(
    local: Iterable[Local],
    state: State,
    listing: Iterable[Remote],
    *,
    prefer: Prefer | None = None,
    force_delete: bool = False,
    undated: int = 0,
) -> Plan:
    """Decide, for every UID here, on the server or in the state, what a sync does (see the module's rules).

    ``listing``: every object of the collection; those whose href the state does not know or whose ETag is not
    the state's must be fetched (``remote_item``), the others may be listed by href and ETag alone.

    Raises:
        ValueError: An object of the listing that should have been fetched was not (a bug of the caller).
    """
    result = Plan(undated=undated)
    by_uid = _sort_out(listing, state, result)
    unreadable = {decision.uid for decision in result.decisions}
    sides = _Sides(
        {item.uid: item for item in local},
        by_uid,
        state.items,
        {remote.href: uid for uid, remotes in by_uid.items() for remote in remotes},
        prefer,
    )
    tracked = len(state.items)
    gone_here = sum(uid not in sides.local for uid in state.items)
    gone_there = sum(uid not in by_uid and uid not in unreadable for uid in state.items)
    sides.held_local = result.held_local = not force_delete and gone_here * 2 > tracked
    sides.held_remote = result.held_remote = not force_delete and gone_there * 2 > tracked
    for uid in sorted((sides.local.keys() | by_uid.keys() | state.items.keys()) - unreadable):
        result.decisions.append(_decide(uid, sides, result))
    return result


def _decide(uid: str, sides: _Sides, result: Plan) -> Decision:
    remotes = sides.remote.get(uid, [])
    if len(remotes) > 1:
        hrefs = tuple(sorted(remote.href for remote in remotes))
        result.duplicates.append(Duplicate(uid, hrefs))
        return Decision(uid, Action.DUPLICATE, reason=f"on the server under {', '.join(hrefs)}")
    remote = remotes[0] if remotes else None
    local, item = sides.local.get(uid), sides.tracked.get(uid)
    if item is None:
        return _untracked(uid, local, remote, sides)
    return _tracked(uid, local, remote, item, sides)
