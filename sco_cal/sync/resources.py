"""One calendar object (resource) per dated event, as a CalDAV collection holds them: its name (href) from the
event id, its bytes exactly the feed's VEVENT for the event with only its own VTIMEZONEs.

A repeating event and its moved occurrences share one UID (the feed writes a moved occurrence with the series'
UID and a RECURRENCE-ID), and CalDAV keeps all components of one UID in one object (RFC 4791 section 4.1): they
make one resource, named after the series. Exports ``href_for``, ``resource_for``, ``resources``, ``Resource``
and ``Resources``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from sco_cal.ics.export import Feed, export_resource, uid_of
from sco_cal.model import Event

__all__ = ["Resource", "Resources", "href_for", "resource_for", "resources"]

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


def resources(events: Iterable[Event], feed: Feed) -> Resources:
    """Every resource of ``events``: one per dated event, a moved occurrence inside its series' resource when
    the series is in ``events``, else on its own under its own UID, as the feed writes it."""
    result = Resources()
    listed = list(events)
    series = {event.id for event in listed if event.recurrence is not None and event.start is not None}
    moved: dict[str, list[Event]] = {}
    for event in listed:
        if event.occurrence_of in series and event.start is not None:
            moved.setdefault(event.occurrence_of, []).append(event)
    for event in listed:
        if event.occurrence_of in series and event.start is not None:
            continue
        data = resource_for(event, feed, moved.get(event.id, ()))
        if data is None:
            result.undated.append(event.id)
            continue
        ids = (event.id, *(m.id for m in moved.get(event.id, ())))
        uid = uid_of(event, feed.uid_domain)
        result.by_uid[uid] = Resource(uid, href_for(event.id), data, ids)
    return result
