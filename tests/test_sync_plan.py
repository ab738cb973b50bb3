"""The plan of a sync, rule by rule: one table row per case of one UID (its local version, whether the last
sync tracked it, the server's version and ETag), then the rules across UIDs (mass deletions held back,
duplicates, unreadable objects, a lost state)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sco_cal.sync.content import content_hash
from sco_cal.sync.plan import Action, Decision, Duplicate, Local, Plan, Prefer, Remote, plan, remote_item
from sco_cal.sync.state import Item, State

URL = "https://dav.example/cal/"
FILLER = ("f1", "f2", "f3", "f4")  # tracked, unchanged on both sides: keep one deletion under the mass guard


def _ics(uid: str, version: str, *, rewritten: bool = False) -> bytes:
    """A small calendar object; ``rewritten``: the same content as a server re-serialises it."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//sco-cal//sco-cal//EN",
        "BEGIN:VEVENT",
        f"SUMMARY:{uid} {version}",
        "DTSTART;VALUE=DATE:20200101",
        "DTSTAMP:19700101T000000Z",
        f"UID:{uid}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    if rewritten:
        lines[2] = "PRODID:-//Radicale//NONSGML Radicale Server//EN"
        lines[4:8] = [f"UID:{uid}", "DTSTAMP:20260101T000000Z", "DTSTART;value=DATE:20200101", lines[4]]
        return ("\n".join(lines) + "\n").encode()
    return ("\r\n".join(lines) + "\r\n").encode()


def _hash(uid: str, version: str) -> str:
    return content_hash(_ics(uid, version))


def _local(uid: str, version: str) -> Local:
    return Local.of(uid, f"{uid}.ics", _ics(uid, version))


def _item(uid: str, version: str = "v1", etag: str = "e1") -> Item:
    return Item(f"{uid}.ics", etag, _hash(uid, version), _hash(uid, version))


def _listed(uid: str, version: str, etag: str, href: str | None = None, *, rewritten: bool = False) -> Remote:
    """As the network part lists it: fetched unless the href and ETag are the state's (``e1`` at ``uid.ics``)."""
    href = href or f"{uid}.ics"
    if etag == "e1" and href == f"{uid}.ics":
        return Remote(href, etag)
    return remote_item(href, etag, _ics(uid, version, rewritten=rewritten))


@dataclass(frozen=True)
class Side:
    version: str
    etag: str = "e1"
    href: str | None = None
    rewritten: bool = False


def _plan_one(
    local: str | None, tracked: bool, remote: Side | None, prefer: Prefer | None = None, **options: bool
) -> tuple[Plan, Decision]:
    """The plan for UID ``x`` beside the fillers, and its decision for ``x``."""
    state = State(url=URL, uid_domain="d", items={uid: _item(uid) for uid in FILLER})
    if tracked:
        state.items["x"] = _item("x")
    locals_ = [_local(uid, "v1") for uid in FILLER]
    listing = [_listed(uid, "v1", "e1") for uid in FILLER]
    if local is not None:
        locals_.append(_local("x", local))
    if remote is not None:
        listing.append(_listed("x", remote.version, remote.etag, remote.href, rewritten=remote.rewritten))
    result = plan(locals_, state, listing, prefer=prefer, **options)
    (decision,) = [d for d in result.decisions if d.uid == "x"]
    assert all(d.action is Action.UNCHANGED for d in result.decisions if d.uid in FILLER)
    return result, decision


# local version, tracked, server side, prefer -> action, href acted on, If-Match ETag
RULES = [
    pytest.param("v1", True, Side("v1"), None, Action.UNCHANGED, "x.ics", "e1", id="unchanged"),
    pytest.param("v2", True, Side("v1"), None, Action.PUSH_UPDATE, "x.ics", "e1", id="changed-here"),
    pytest.param("v1", True, Side("v2", "e2"), None, Action.PULL_UPDATE, "x.ics", "e2", id="changed-there"),
    pytest.param(
        "v1",
        True,
        Side("v1", "e2", rewritten=True),
        None,
        Action.UNCHANGED,
        "x.ics",
        "e2",
        id="server-rewrite-new-etag-same-content",
    ),
    pytest.param(
        "v2",
        True,
        Side("v1", "e2", rewritten=True),
        None,
        Action.PUSH_UPDATE,
        "x.ics",
        "e2",
        id="server-rewrite-and-changed-here",
    ),
    pytest.param("v2", True, Side("v3", "e2"), None, Action.CONFLICT, "x.ics", "e2", id="both-changed"),
    pytest.param("v2", True, Side("v2", "e2"), None, Action.UNCHANGED, "x.ics", "e2", id="both-same-change"),
    pytest.param(
        "v2", True, Side("v3", "e2"), Prefer.LOCAL, Action.PUSH_UPDATE, "x.ics", "e2", id="both-changed-prefer-local"
    ),
    pytest.param(
        "v2", True, Side("v3", "e2"), Prefer.REMOTE, Action.PULL_UPDATE, "x.ics", "e2", id="both-changed-prefer-remote"
    ),
    pytest.param(
        "v2", True, Side("v1"), Prefer.REMOTE, Action.PUSH_UPDATE, "x.ics", "e1", id="prefer-settles-conflicts-only"
    ),
    pytest.param("v1", False, None, None, Action.PUSH_CREATE, "x.ics", None, id="new-here"),
    pytest.param(
        None,
        False,
        Side("v1", "e7", "made-by-phone.ics"),
        None,
        Action.PULL_CREATE,
        "made-by-phone.ics",
        "e7",
        id="new-there",
    ),
    pytest.param(
        "v1",
        False,
        Side("v1", "e7", "named-by-server.ics", rewritten=True),
        None,
        Action.UNCHANGED,
        "named-by-server.ics",
        "e7",
        id="lost-state-adopted-by-uid",
    ),
    pytest.param("v1", False, Side("v2", "e7"), None, Action.CONFLICT, "x.ics", "e7", id="lost-state-differs"),
    pytest.param(
        "v1",
        False,
        Side("v2", "e7"),
        Prefer.LOCAL,
        Action.PUSH_UPDATE,
        "x.ics",
        "e7",
        id="lost-state-differs-prefer-local",
    ),
    pytest.param(
        "v1",
        False,
        Side("v2", "e7"),
        Prefer.REMOTE,
        Action.PULL_UPDATE,
        "x.ics",
        "e7",
        id="lost-state-differs-prefer-remote",
    ),
    pytest.param("v1", True, None, None, Action.PULL_DELETE, "x.ics", None, id="deleted-there"),
    pytest.param("v2", True, None, None, Action.PUSH_CREATE, "x.ics", None, id="deleted-there-changed-here-wins"),
    pytest.param(None, True, Side("v1"), None, Action.PUSH_DELETE, "x.ics", "e1", id="deleted-here"),
    pytest.param(
        None, True, Side("v2", "e2"), None, Action.PULL_CREATE, "x.ics", "e2", id="deleted-here-changed-there-wins"
    ),
    pytest.param(
        None,
        True,
        Side("v1", "e2", rewritten=True),
        None,
        Action.PUSH_DELETE,
        "x.ics",
        "e2",
        id="deleted-here-rewritten-there",
    ),
    pytest.param(None, True, None, None, Action.FORGET, "x.ics", None, id="gone-both"),
    pytest.param(
        "v1",
        True,
        Side("v1", "e1", "moved.ics"),
        None,
        Action.UNCHANGED,
        "moved.ics",
        "e1",
        id="moved-href-same-content",
    ),
    pytest.param(
        "v1", True, Side("v2", "e1", "moved.ics"), None, Action.PULL_UPDATE, "moved.ics", "e1", id="moved-href-changed"
    ),
]


@pytest.mark.parametrize(("local", "tracked", "remote", "prefer", "action", "href", "etag"), RULES)
def test_each_rule(
    local: str | None,
    tracked: bool,
    remote: Side | None,
    prefer: Prefer | None,
    action: Action,
    href: str,
    etag: str | None,
) -> None:
    result, decision = _plan_one(local, tracked, remote, prefer)
    assert (decision.action, decision.href, decision.etag) == (action, href, etag)
    assert decision.reason or action is Action.UNCHANGED
    assert result.summary()[action] >= 1
    if action in (Action.PUSH_CREATE, Action.PUSH_UPDATE):
        assert decision.local is not None
        assert decision.local.data == _ics("x", local or "")
    if action in (Action.PULL_CREATE, Action.PULL_UPDATE):
        assert decision.remote is not None
        assert decision.remote.data is not None


def test_a_change_of_etag_alone_is_no_change_but_the_decision_carries_the_new_etag() -> None:
    _result, decision = _plan_one("v1", True, Side("v1", "e2", rewritten=True))
    assert decision.remote is not None
    assert (decision.action, decision.remote.etag, decision.remote.hash) == (Action.UNCHANGED, "e2", _hash("x", "v1"))


def test_a_new_local_object_whose_name_the_server_gives_another_uid_goes_under_a_free_name() -> None:
    state = State(url=URL, uid_domain="d")
    squatters = [
        remote_item("x.ics", "e5", _ics("someone-else", "v1")),
        remote_item("x-2.ics", "e6", _ics("third", "v1")),
    ]
    result = plan([_local("x", "v1")], state, squatters)
    by_uid = {d.uid: d for d in result.decisions}
    assert by_uid["x"].action is Action.PUSH_CREATE
    assert by_uid["x"].href == "x-3.ics"
    assert by_uid["x"].local is not None
    assert by_uid["x"].local.href == "x-3.ics"
    assert "the server holds another event under x.ics" in by_uid["x"].reason
    assert by_uid["someone-else"].action is Action.PULL_CREATE


def test_a_decision_on_two_changed_sides_says_so_whoever_wins() -> None:
    for prefer in (None, Prefer.LOCAL, Prefer.REMOTE):
        _result, decision = _plan_one("v2", True, Side("v3", "e2"), prefer=prefer)
        assert decision.both
    _result, same = _plan_one("v2", True, Side("v2", "e2"))
    assert not same.both


# --- deletions held back when more than half of the tracked objects vanished from one side


def _mass(vanished: int, tracked: int, side: str, force_delete: bool = False) -> Plan:
    uids = [f"u{n}" for n in range(tracked)]
    state = State(url=URL, uid_domain="d", items={uid: _item(uid) for uid in uids})
    gone = set(uids[:vanished])
    locals_ = [_local(uid, "v1") for uid in uids if side != "local" or uid not in gone]
    listing = [_listed(uid, "v1", "e1") for uid in uids if side != "remote" or uid not in gone]
    return plan(locals_, state, listing, force_delete=force_delete)


@pytest.mark.parametrize(
    ("side", "action", "flag"),
    [("remote", Action.PULL_DELETE, "held_remote"), ("local", Action.PUSH_DELETE, "held_local")],
)
def test_more_than_half_vanished_holds_the_deletions_back(side: str, action: Action, flag: str) -> None:
    held = _mass(3, 4, side)
    assert getattr(held, flag)
    assert held.summary() == {Action.HELD: 3, Action.UNCHANGED: 1}
    assert all("--force-delete" in d.reason for d in held.decisions if d.action is Action.HELD)
    forced = _mass(3, 4, side, force_delete=True)
    assert not getattr(forced, flag)
    assert forced.summary() == {action: 3, Action.UNCHANGED: 1}


@pytest.mark.parametrize("side", ["remote", "local"])
def test_half_or_fewer_vanished_are_deleted(side: str) -> None:
    assert not _mass(2, 4, side).held_local
    assert not _mass(2, 4, side).held_remote
    assert _mass(2, 4, side).summary()[Action.PULL_DELETE if side == "remote" else Action.PUSH_DELETE] == 2


def test_a_changed_object_is_still_made_again_while_deletions_are_held() -> None:
    uids = ["a", "b", "c"]
    state = State(url=URL, uid_domain="d", items={uid: _item(uid) for uid in uids})
    result = plan([_local("a", "v2"), _local("b", "v1"), _local("c", "v1")], state, [])
    assert result.held_remote
    actions = {d.uid: d.action for d in result.decisions}
    assert actions == {"a": Action.PUSH_CREATE, "b": Action.HELD, "c": Action.HELD}


def test_a_first_sync_of_an_empty_registry_holds_nothing_back() -> None:
    result = plan([], State(url=URL, uid_domain="d"), [remote_item("a.ics", "e", _ics("a", "v1"))])
    assert not result.held_local
    assert not result.held_remote
    assert result.summary() == {Action.PULL_CREATE: 1}


# --- one UID under two hrefs; objects that are no calendar


def test_one_uid_under_two_hrefs_is_reported_and_the_rest_goes_on() -> None:
    state = State(url=URL, uid_domain="d", items={"x": _item("x"), "y": _item("y")})
    listing = [
        _listed("x", "v1", "e1"),
        remote_item("copy-of-x.ics", "e9", _ics("x", "v2")),
        _listed("y", "v2", "e2"),
    ]
    result = plan([_local("x", "v1"), _local("y", "v1")], state, listing)
    assert result.duplicates == [Duplicate("x", ("copy-of-x.ics", "x.ics"))]
    actions = {d.uid: d.action for d in result.decisions}
    assert actions == {"x": Action.DUPLICATE, "y": Action.PULL_UPDATE}
    assert not result.held_remote


def test_an_unreadable_object_is_reported_and_its_event_left_alone() -> None:
    state = State(url=URL, uid_domain="d", items={"x": _item("x")})
    broken = remote_item("x.ics", "e2", b"<html>oops</html>")
    stray = remote_item("stray.ics", "e3", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    result = plan([_local("x", "v1")], state, [broken, stray])
    assert [(d.uid, d.action, d.href) for d in result.decisions] == [
        ("x", Action.UNREADABLE, "x.ics"),
        (None, Action.UNREADABLE, "stray.ics"),
    ]
    assert broken.problem is not None
    assert "not an iCalendar file" in broken.problem
    assert stray.problem == "holds 0 UIDs; a calendar object holds one"
    assert not result.changes


def test_an_object_with_two_uids_is_unreadable() -> None:
    two = _ics("a", "v1").replace(b"END:VCALENDAR\r\n", b"") + _ics("b", "v1").split(b"VERSION:2.0\r\n", 1)[1]
    assert remote_item("two.ics", "e", two).problem == "holds 2 UIDs; a calendar object holds one"


def test_a_changed_etag_that_was_not_fetched_is_the_callers_bug() -> None:
    state = State(url=URL, uid_domain="d", items={"x": _item("x")})
    with pytest.raises(ValueError, match="was not fetched"):
        plan([_local("x", "v1")], state, [Remote("x.ics", "e2")])
    with pytest.raises(ValueError, match="knows no object"):
        plan([], state, [Remote("unknown.ics", "e2")])


# --- a lost state never makes duplicates


@given(
    here=st.sets(st.sampled_from("abcdefgh")),
    there=st.sets(st.sampled_from("abcdefgh")),
    differ=st.sets(st.sampled_from("abcdefgh")),
)
def test_a_lost_state_never_creates_what_the_server_holds(here: set[str], there: set[str], differ: set[str]) -> None:
    locals_ = [_local(uid, "v1") for uid in sorted(here)]
    listing = [
        remote_item(f"server-{uid}.ics", "e", _ics(uid, "v2" if uid in differ else "v1", rewritten=True))
        for uid in sorted(there)
    ]
    for prefer in (None, Prefer.LOCAL, Prefer.REMOTE):
        result = plan(locals_, State(url=URL, uid_domain="d"), listing, prefer=prefer)
        created = {d.uid for d in result.decisions if d.action is Action.PUSH_CREATE}
        pulled = {d.uid for d in result.decisions if d.action is Action.PULL_CREATE}
        assert created == here - there
        assert pulled == there - here
        assert not any(d.action in (Action.PUSH_DELETE, Action.PULL_DELETE) for d in result.decisions)
        same = {d.uid for d in result.decisions if d.action is Action.UNCHANGED}
        assert same == (here & there) - differ


# --- the plan as a whole


def test_the_summary_counts_each_action_in_order() -> None:
    state = State(url=URL, uid_domain="d", items={uid: _item(uid) for uid in ("a", "b", "c", "d")})
    locals_ = [_local("a", "v2"), _local("b", "v1"), _local("c", "v1"), _local("d", "v1"), _local("n", "v1")]
    listing = [_listed("a", "v1", "e1"), _listed("b", "v2", "e2"), _listed("c", "v1", "e1")]
    result = plan(locals_, state, listing, undated=2)
    assert result.summary() == {
        Action.PUSH_CREATE: 1,
        Action.PUSH_UPDATE: 1,
        Action.PULL_UPDATE: 1,
        Action.PULL_DELETE: 1,
        Action.UNCHANGED: 1,
    }
    assert result.undated == 2
    assert [d.uid for d in result.decisions] == ["a", "b", "c", "d", "n"]
    assert {d.uid for d in result.changes} == {"a", "b", "d", "n"}
    assert result.conflicts == []


def test_the_plan_is_pure() -> None:
    state = State(url=URL, uid_domain="d", items={"x": _item("x")})
    before = State(url=state.url, uid_domain=state.uid_domain, items=dict(state.items))
    args = ([_local("x", "v2")], state, [_listed("x", "v3", "e2")])
    assert plan(*args) == plan(*args)
    assert state == before
