"""What reading a calendar gives, in plain values: ``Imported`` (one incoming event as fields of our ``Event``),
``Parsed`` (a whole file's events, errors, warnings and what is not kept), and the ``PropertyError`` and
``Context`` the readers share. No icalendar here: the merge reads these without loading it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sco_cal.errors import InvalidCalendar
from sco_cal.ics.scan import NotKept
from sco_cal.model import Status

__all__ = ["Context", "Imported", "Parsed", "PropertyError", "RawDates"]

RawDates = tuple[date | datetime, date | datetime | None]  # DTSTART and the exclusive end, as the file has them


@dataclass
class Imported:
    """One incoming event as fields of our ``Event``; only the fields the VEVENT states (no id: the merge
    chooses it). ``statuses`` are the statuses of ours its STATUS agrees with."""

    uid: str
    line: int
    fields: dict[str, Any]
    statuses: tuple[Status, ...] = ()
    suggested_id: str | None = None
    ours: bool = False  # written by sco-cal: every field came across, not only those RFC 5545 has
    sequence: int = 0
    updated: datetime | None = None
    warnings: list[str] = field(default_factory=list)
    not_kept: list[NotKept] = field(default_factory=list)
    recurrence_id: date | datetime | None = None  # a moved or changed occurrence of the series with this UID


@dataclass
class Parsed:
    """A calendar read in: its events, one message per event that could not be read, and warnings."""

    events: list[Imported]
    errors: list[str]
    warnings: list[str]
    not_kept: list[NotKept] = field(default_factory=list)  # what the file holds that sco-cal does not keep


class PropertyError(InvalidCalendar):
    """A problem with one property of one event; the caller adds the line."""

    def __init__(self, prop: str, message: str):
        super().__init__(f"{prop}: {message}")
        self.prop = prop


@dataclass(frozen=True)
class Context:
    """What a calendar's own properties say about reading its events, and where they come from."""

    source: str
    floating: str | None  # X-WR-TIMEZONE: what a time without TZID means in this file
    feed_zone: str | None  # X-SCO-TIMEZONE: the default zone of the sco-cal registry that wrote it
    default_zone: str  # the importing registry's
    feed_southern: bool = False  # X-SCO-SEASONS: the sco-cal registry that wrote it reads southern seasons
    southern: bool = False  # the importing registry reads southern seasons
