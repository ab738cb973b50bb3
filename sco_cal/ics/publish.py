"""What a feed publishes for an event, in plain Python values: the dates (per month/year policy), the title with
its "date TBC" mark, the STATUS, the description, the categories, and the JSON of the fields RFC 5545 has no
home for. Export writes these; import compares against them to tell a real change from our own decoration.

No icalendar here: the mapping is testable, and usable, without it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any, Final

from sco_cal.dates import DateValue, Precision, display_span, zone_for
from sco_cal.model import Event, LeadTime, Participant, Source, Status, Venue, transliterated

__all__ = [
    "STATUS_IN",
    "Policy",
    "SplitBy",
    "When",
    "categories",
    "data_of",
    "description",
    "file_stem",
    "file_stems",
    "fixed",
    "fixed_span",
    "restore_data",
    "same_when",
    "shows",
    "status_of",
    "status_out",
    "timing",
    "title",
    "title_marks",
    "when",
]


class Policy(StrEnum):
    """What a feed does with a month or year that is not a fixed day."""

    SPAN = "span"  # an all-day event over the whole period, TENTATIVE and TRANSPARENT, titled "(date TBC)"
    START = "start"  # a one-day event on the period's first day, marked the same way
    SKIP = "skip"  # left out of the feed


_STATUS_OUT: Final = {
    Status.PLANNED: "TENTATIVE",
    Status.SCHEDULED: "CONFIRMED",
    Status.HELD: "CONFIRMED",
    Status.POSTPONED: "TENTATIVE",  # neither off nor on the shown date: TENTATIVE, and "(postponed)" in the title
    Status.CANCELLED: "CANCELLED",
}
# The statuses of ours an incoming STATUS agrees with; the first is the one a new event gets.
STATUS_IN: Final = {
    "TENTATIVE": (Status.PLANNED, Status.POSTPONED),
    "CONFIRMED": (Status.SCHEDULED, Status.HELD),
    "CANCELLED": (Status.CANCELLED,),
}

When = tuple[date | datetime, date | datetime | None]


class SplitBy(StrEnum):
    """What a folder of feeds has one feed per (``export --split-by``)."""

    ORG = "org"
    KIND = "kind"
    SERIES = "series"


def fixed(event: Event) -> bool:
    """Whether the event's whole span is certain (see ``Span.of``)."""
    return fixed_span(event.start, event.end)


def fixed_span(start: DateValue | None, end: DateValue | None) -> bool:
    """Whether a span from ``start`` to ``end`` (``None``: the start's own period) is certain."""
    if start is None:
        return False
    last = end or start
    return (start.is_fixed and last.is_fixed) or end == start


def instant(value: DateValue, default_zone: str, *, repeats: bool = False) -> datetime:
    """A time in its IANA zone; UTC and fixed offsets become UTC, which every client reads the same way.

    A repeating time keeps a fixed offset: a client expands the rule in the zone of DTSTART, so a Monday 09:00
    at +11:00 written in UTC (Sunday 22:00) would repeat on Sundays beside ``BYDAY=MO``.
    """
    zone = zone_for(value.zone or default_zone)
    local = datetime(value.year, value.month or 1, value.day or 1, value.hour or 0, value.minute or 0, tzinfo=zone)
    named = not isinstance(zone, timezone) and getattr(zone, "key", "UTC") != "UTC"  # zone_for's ZoneInfo
    kept = repeats and isinstance(zone, timezone) and zone.utcoffset(None) != timedelta()
    return local if named or kept else local.astimezone(UTC)


def when(event: Event, policy: Policy, default_zone: str) -> When | None:
    """DTSTART and DTEND (exclusive for days) of an event, or ``None`` when the feed leaves it out."""
    return timing(event.start, event.end, policy, default_zone, repeats=event.recurrence is not None)


def timing(
    start: DateValue | None, end: DateValue | None, policy: Policy, default_zone: str, *, repeats: bool = False
) -> When | None:
    """DTSTART and DTEND (exclusive for days) of dates ``start`` to ``end``, or ``None`` when a feed leaves them
    out; ``repeats`` for the dates of a repeating event (see ``instant``).

    >>> timing(DateValue.from_text("2020-06"), None, Policy.SPAN, "UTC")
    (datetime.date(2020, 6, 1), datetime.date(2020, 7, 1))
    """
    if start is None:
        return None
    last = end or start
    if not fixed_span(start, end):
        if policy is Policy.SKIP:
            return None
        first = start.first_day()
        return first, (first if policy is Policy.START else last.last_day()) + timedelta(days=1)
    if start.precision is Precision.MINUTE and last.precision is Precision.MINUTE:
        first = instant(start, default_zone, repeats=repeats)
        return first, instant(end, default_zone, repeats=repeats) if end else None
    return start.first_day(), last.last_day() + timedelta(days=1)


def occurrence_moments(
    series: Event, values: tuple[DateValue, ...], start: date | datetime, default_zone: str
) -> list[date | datetime]:
    """Occurrences of a repeating event (``except``, ``also``, ``replaces``) as its DTSTART is written, for an
    EXDATE, RDATE or RECURRENCE-ID: a day for an all-day series; for a timed one, each of its times on a day
    given alone, or the time itself in DTSTART's zone."""
    if not isinstance(start, datetime):
        return [value.first_day() for value in values]
    moments: list[date | datetime] = []
    for value in values:
        if value.precision is Precision.MINUTE:
            moments.append(instant(value, default_zone, repeats=True).astimezone(start.tzinfo))
            continue
        from sco_cal.recurrence import occurrences

        bare = replace(series, excluded=(), also=())
        on_day = [found for found, _end in occurrences(bare, value.first_day(), value.first_day())]
        moments += [instant(found, default_zone, repeats=True).astimezone(start.tzinfo) for found in on_day]
    return moments


def same_when(event: Event, start: date | datetime, end: date | datetime | None, default_zone: str) -> bool:
    """Whether DTSTART/DTEND are what a feed (span or start policy) publishes for ``event``."""
    return shows(event.start, event.end, (start, end), default_zone, repeats=event.recurrence is not None)


def shows(
    first: DateValue | None, last: DateValue | None, written: When, default_zone: str, *, repeats: bool = False
) -> bool:
    """Whether DTSTART/DTEND (``written``) are what a feed (span or start policy) publishes for the dates
    ``first`` to ``last``."""
    start, end = written
    for policy in (Policy.SPAN, Policy.START):
        expected = timing(first, last, policy, default_zone, repeats=repeats)
        if expected is not None and _same(expected[0], start) and _same(expected[1], end):
            return True
    return False


def _same(want: date | datetime | None, got: date | datetime | None) -> bool:
    if isinstance(want, datetime) or isinstance(got, datetime):
        return (
            isinstance(want, datetime)
            and isinstance(got, datetime)
            and want.tzinfo is not None
            and got.tzinfo is not None
            and want == got
        )
    return want == got


def title(event: Event) -> str:
    """SUMMARY: the title, marked "(date TBC)" when the date is not fixed and "(postponed)" when it is."""
    return event.title + title_marks(event.start, event.end, event.status)


def title_marks(start: DateValue | None, end: DateValue | None, status: Status, *, fixed: bool | None = None) -> str:
    """What SUMMARY adds after the title for these dates and this status: `` (date TBC, postponed)`` or none.
    ``fixed``: ``fixed_span`` of the dates, when the caller knows it."""
    marks = [] if (fixed_span(start, end) if fixed is None else fixed) else ["date TBC"]
    if status is Status.POSTPONED:
        marks.append("postponed")
    return f" ({', '.join(marks)})" if marks else ""


def status_out(event: Event) -> str:
    """STATUS: an unfixed date is TENTATIVE whatever we intend, unless the event is off altogether."""
    return status_of(event.start, event.end, event.status)


def status_of(start: DateValue | None, end: DateValue | None, status: Status, *, fixed: bool | None = None) -> str:
    """STATUS for these dates and this status of ours (see ``status_out``); ``fixed`` as for ``title_marks``."""
    if (fixed_span(start, end) if fixed is None else fixed) or status is Status.CANCELLED:
        return _STATUS_OUT[status]
    return "TENTATIVE"


def description(event: Event, policy: Policy, default_zone: str, *, fixed: bool | None = None) -> str | None:
    """DESCRIPTION: why the date shows as it does, the notes, who takes part and in what role, the sources;
    ``fixed`` as for ``title_marks``."""
    parts: list[str] = []
    if event.start is not None and not (fixed_span(event.start, event.end) if fixed is None else fixed):
        shown = "shows the whole period" if policy is Policy.SPAN else "shows it on the first possible day"
        parts.append(f"Date not fixed yet: {display_span(event.start, event.end, default_zone)}; the calendar {shown}.")
    if event.notes:
        parts.append(event.notes.rstrip("\n"))
    if event.participants:
        rows = [f"- {p.name}" + (f" ({p.role})" if p.role else "") for p in event.participants]
        parts.append("Participants:\n" + "\n".join(rows))
    if event.sources:
        rows = []
        for source in event.sources:
            rows.append("- " + " ".join(x for x in (source.title, source.url) if x))
            if source.excerpt:
                rows.append(f"  “{source.excerpt}”")
        parts.append("Sources:\n" + "\n".join(rows))
    return "\n\n".join(parts) or None


def categories(event: Event) -> list[str]:
    """CATEGORIES: the kind, the organisations, then the tags."""
    return list(dict.fromkeys([str(event.kind), *event.orgs, *event.tags]))


def data_of(event: Event) -> dict[str, Any]:
    """The fields RFC 5545 has no home for (X-SCO-DATA): what makes an import of our own feed exact."""
    data: dict[str, Any] = {}
    if event.venue:
        venue = {"name": event.venue.name, "country": event.venue.country, "timezone": event.venue.timezone}
        data["venue"] = {k: v for k, v in venue.items() if v is not None}
    fields: dict[str, Any] = {
        "orgs": list(event.orgs),
        "series": event.series,
        "number": event.number,
        "tags": list(event.tags),
        "notes": event.notes,
        "related": list(event.related),
        "recurrence": event.recurrence,
        "except": [value.to_text() for value in event.excluded],
        "also": [value.to_text() for value in event.also],
        "replaces": event.replaces.to_text() if event.replaces else None,
        "reminders": [lead.to_text() for lead in event.reminders],
        "participants": [{"name": p.name, "role": p.role} if p.role else {"name": p.name} for p in event.participants],
        "sources": [_source(s) for s in event.sources],
    }
    data |= {k: v for k, v in fields.items() if v not in (None, [])}
    return data


def _source(source: Source) -> dict[str, str]:
    found = {"url": source.url, "title": source.title, "excerpt": source.excerpt}
    if source.published:
        found["published"] = source.published.to_text()
    return {k: v for k, v in found.items() if v is not None}


def restore_data(data: dict[str, Any]) -> dict[str, Any]:
    """The event fields X-SCO-DATA holds (the inverse of ``data_of``); raises on damaged data."""
    venue = data.get("venue")
    return {
        "venue": Venue(**venue) if venue is not None else None,
        "orgs": tuple(data.get("orgs", ())),
        "tags": tuple(data.get("tags", ())),
        "series": data.get("series"),
        "number": data.get("number"),
        "notes": data.get("notes"),
        "related": tuple(data.get("related", ())),
        "recurrence": data.get("recurrence"),
        "excluded": tuple(DateValue.from_text(v) for v in data.get("except", ())),
        "also": tuple(DateValue.from_text(v) for v in data.get("also", ())),
        "replaces": DateValue.from_text(data["replaces"]) if "replaces" in data else None,
        "reminders": tuple(LeadTime.from_text(r) for r in data.get("reminders", ())),
        "participants": tuple(Participant(**p) for p in data.get("participants", ())),
        "sources": tuple(
            Source(
                url=s.get("url"),
                title=s.get("title"),
                excerpt=s.get("excerpt"),
                published=DateValue.from_text(s["published"]) if "published" in s else None,
            )
            for s in data.get("sources", ())
        ),
    }


def with_zone(value: DateValue | None, zone: str) -> DateValue | None:
    """A time written without a zone, given the zone the feed meant, for a registry whose default differs."""
    if value is None or value.precision is not Precision.MINUTE or value.zone is not None:
        return value
    return replace(value, zone=zone)


_RESERVED_STEMS: Final = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)


def file_stem(group: str) -> str:
    """A file name (without ``.ics``) safe on every system: ``[a-z0-9-]``, never empty, never reserved.

    A name in another script is spelled in Latin letters as event ids are, so each group keeps a file of its own.

    >>> file_stem("../CSTO/Ops")
    'csto-ops'
    >>> file_stem("NUL")
    'feed-nul'
    >>> file_stem("ШОС")
    'shos'
    """
    ascii_text = (group if group.isascii() else transliterated(group)).lower()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60].strip("-") or "unnamed"
    return f"feed-{stem}" if stem in _RESERVED_STEMS else stem


def file_stems(groups: Iterable[str]) -> dict[str, str]:
    """Group -> a file stem no other group has. Groups spelled alike ("SCO", "sco") each get a suffix made from
    their own name, so a group added later never takes over the file an existing group's readers fetch.

    >>> file_stems(["SCO", "sco", "CIS"])
    {'CIS': 'cis', 'SCO': 'sco-97aa9a', 'sco': 'sco-44f804'}
    """
    sharing: dict[str, list[str]] = {}
    for group in sorted(set(groups)):
        sharing.setdefault(file_stem(group), []).append(group)
    taken = set(sharing)
    stems: dict[str, str] = {}
    for stem, alike in sharing.items():
        for group in alike:
            stems[group] = stem if len(alike) == 1 else _suffixed(stem, group, taken)
            taken.add(stems[group])
    return stems


def _suffixed(stem: str, group: str, taken: set[str]) -> str:
    import hashlib

    digest = hashlib.sha256(group.encode("utf-8", "surrogatepass")).hexdigest()
    return next(f"{stem}-{digest[:n]}" for n in range(6, len(digest) + 1) if f"{stem}-{digest[:n]}" not in taken)
