"""What this registry shares with a target: its calendar objects (bytes made only for what changed), and how
its side compares with the server's once both are read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sco_cal.errors import InvalidCalendar
from sco_cal.ics.export import Feed, uid_of
from sco_cal.ics.merge import Change
from sco_cal.ics.publish import Policy
from sco_cal.ics.read import parse_calendar
from sco_cal.model import Event
from sco_cal.query import Filters
from sco_cal.registry import Registry
from sco_cal.services.importing import plan as import_plan
from sco_cal.services.sync_outcome import PUSHES
from sco_cal.sync.content import precision_lines
from sco_cal.sync.plan import Action, Decision, Local, Plan
from sco_cal.sync.resources import Member, members
from sco_cal.sync.state import Item, State

__all__ = ["describes_old_dates", "feed_for", "of_uids", "settle_by_meaning", "shared", "to_send", "with_bytes"]


def feed_for(registry: Registry) -> Feed:
    """The feed each resource is written as: every precision spanned (a month as a tentative month)."""
    return Feed(
        name=registry.name,
        uid_domain=registry.uid_domain,
        default_zone=registry.timezone,
        policy=Policy.SPAN,
        refresh=None,
        default_reminders=registry.default_reminders,
    )


def shared(events: list[Event], feed: Feed, filters: Filters, state: State) -> tuple[dict[str, Member], list[str]]:
    """The calendar objects this registry shares with the target, and the undated events it would share: the
    events the filters keep, and every event synced before whatever the filters say now, so that an event the
    server gave us, or one edited out of the filters, is never deleted from the server for that."""
    synced = state.items.keys()
    chosen = {e.id for e in events if filters.keeps(e) or uid_of(e, feed.uid_domain) in synced}
    return members((e for e in events if e.id in chosen or e.occurrence_of in chosen), feed)


def to_send(member: Member, feed: Feed, item: Item | None) -> Local:
    """What this registry would send for ``member``; its bytes are written only when its events changed since
    they were last sent (their fingerprint), which on a quiet day is never."""
    key = member.fingerprint(feed)
    if item is not None and item.key == key and item.sent is not None:
        return Local(member.uid, member.href, None, item.sent, key)
    return Local.of(member.uid, member.href, member.data(feed), key)


def of_uids(events: list[Event], feed: Feed, uids: Iterable[str]) -> dict[str, Member]:
    """The calendar objects of the UIDs ``uids`` only: what a pull compares and records."""
    wanted = set(uids)
    chosen = {e.id for e in events if uid_of(e, feed.uid_domain) in wanted}
    return members((e for e in events if e.id in chosen or e.occurrence_of in chosen), feed)[0]


def with_bytes(result: Plan, mine: dict[str, Member], feed: Feed) -> None:
    """Give each push its bytes: a push is of a changed object, whose bytes were written already; this is the
    safety net should a rule ever push one that was not."""
    for position, decision in enumerate(result.decisions):
        local = decision.local
        if decision.action in PUSHES and local is not None and local.data is None:
            fresh = Local.of(local.uid, local.href, mine[local.uid].data(feed), local.key)
            result.decisions[position] = replace(decision, local=fresh)


def settle_by_meaning(result: Plan, mine: dict[str, Member], registry: Registry, stamp: datetime) -> dict[str, Change]:
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


def describes_old_dates(decision: Decision, sent: Local) -> bool:
    """Whether another client moved the event (a month to a day, say) and left sco-cal's precision properties
    as they were, so every other client would still show the old "(date TBC)": then our version goes back.
    A client that drops those properties is left alone, and so is another sco-cal, whose copy agrees."""
    if decision.action is not Action.PULL_UPDATE or decision.remote is None or decision.remote.data is None:
        return False
    assert sent.data is not None
    theirs = precision_lines(decision.remote.data)
    return bool(theirs) and theirs != precision_lines(sent.data)
