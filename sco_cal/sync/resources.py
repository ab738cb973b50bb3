"""One calendar object (resource) per dated event, as a CalDAV collection holds them: its name (href) from the
event id, its bytes exactly the feed's VEVENT for the event with only its own VTIMEZONEs.

A repeating event and its moved occurrences share one UID (the feed writes a moved occurrence with the series'
UID and a RECURRENCE-ID), and CalDAV keeps all components of one UID in one object (RFC 4791 section 4.1): they
make one resource, named after the series. Exports ``href_for``, ``members`` (the objects, bytes on demand) and
``Member``, ``resource_for``, ``resources`` (with their bytes), ``Resource`` and ``Resources``.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from sco_cal.ics.export import Feed, export_resource, uid_of
from sco_cal.model import Event

__all__ = ["Member", "Resource", "Resources", "href_for", "members", "resource_for", "resources"]

_KEPT_RE: Final = re.compile(r"[a-z0-9.-]")  # safe in a URL path and a file name on every server


def href_for(event_id: str) -> str:
    """The resource name of an event: its id, which is a slug already, with ``.ics``; any other character
    (``_``, upper case, ``@``, ``/``, ``%``, a leading dot) as ``_XX`` per UTF-8 byte, so that two ids never
    share a name and no server or client misreads one.

    >>> href_for("sco-ewg-07")
    'sco-ewg-07.ics'
    >>> href_for("a_b")
    'a_5Fb.ics'
    """
    name = "".join(
        char if _KEPT_RE.fullmatch(char) and not (char == "." and position == 0) else _escaped(char)
        for position, char in enumerate(event_id)
    )
    return f"{name}.ics"


def _escaped(char: str) -> str:
    return "".join(f"_{byte:02X}" for byte in char.encode("utf-8"))


@dataclass(frozen=True)
class Member:
    """The events of one calendar object: a dated event and, for a series, its moved occurrences; its UID and
    name. Its bytes are made only when they are needed (``data``): a sync that finds the same ``fingerprint``
    as last time knows what it would send without writing it."""

    uid: str
    href: str
    events: tuple[Event, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(event.id for event in self.events)

    def data(self, feed: Feed) -> bytes:
        """The object's bytes (see ``resource_for``).

        Raises:
            InvalidInput: An event the feed cannot hold.
        """
        data = resource_for(self.events[0], feed, self.events[1:])
        assert data is not None, "a member has a date"
        return data

    def fingerprint(self, feed: Feed) -> str:
        """A digest of everything the object's bytes are made from: its events' fields, the feed's settings
        that reach an event (its zone, the reminders of its kinds) and the version of sco-cal that writes it."""
        kinds = sorted({event.kind for event in self.events})
        made_of = (
            _VERSION,
            feed.uid_domain,
            feed.default_zone,
            str(feed.policy),
            [(kind, feed.default_reminders(kind)) for kind in kinds],
            self.events,
        )
        return hashlib.sha256(repr(made_of).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Resource:
    """One calendar object to send: its UID, its name, its bytes, and the ids of the events it holds (the
    series first)."""

    uid: str
    href: str
    data: bytes
    ids: tuple[str, ...]


@dataclass
class Resources:
    """The resources of a set of events, by UID, and the ids of the events that have no date (not sent)."""

    by_uid: dict[str, Resource] = field(default_factory=dict)
    undated: list[str] = field(default_factory=list)


def resource_for(event: Event, feed: Feed, moved: Sequence[Event] = ()) -> bytes | None:
    """The calendar object of ``event`` (with ``moved``, its moved occurrences), or ``None`` when the feed leaves
    the event out (no date, or a date the feed's policy skips).

    Raises:
        InvalidInput: An event the feed cannot hold (see ``sco_cal.ics.write.check``).
    """
    exported = export_resource([event, *moved], feed)
    if exported.left_out and exported.left_out[0][0] == event.id:
        return None
    return exported.data


def members(events: Iterable[Event], feed: Feed) -> tuple[dict[str, Member], list[str]]:
    """The calendar objects ``events`` make, by UID, without their bytes; and the ids of the events without a
    date (not sent). A moved occurrence is in its series' object when the series is in ``events``, else on its
    own under its own UID, as the feed writes it."""
    listed = list(events)
    series = {event.id for event in listed if event.recurrence is not None and event.start is not None}
    moved: dict[str, list[Event]] = {}
    for event in listed:
        if event.occurrence_of in series and event.start is not None:
            moved.setdefault(event.occurrence_of, []).append(event)
    found: dict[str, Member] = {}
    undated = []
    for event in listed:
        if event.occurrence_of in series and event.start is not None:
            continue
        if event.start is None:
            undated.append(event.id)
            continue
        uid = uid_of(event, feed.uid_domain)
        found[uid] = Member(uid, href_for(event.id), (event, *moved.get(event.id, ())))
    return found, undated


def resources(events: Iterable[Event], feed: Feed) -> Resources:
    """Every resource of ``events`` with its bytes (see ``members``)."""
    found, undated = members(events, feed)
    result = Resources(undated=undated)
    for uid, member in found.items():
        result.by_uid[uid] = Resource(uid, member.href, member.data(feed), member.ids)
    return result


def _version() -> str:
    try:
        return importlib.metadata.version("sco-cal")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree: every rendering is new
        return "unknown"


_VERSION: Final = _version()
