"""Properties of every feed, over generated events: the shape RFC 5545 asks for, and an exact round trip
through our own import (precision included)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from sco_cal.dates import DateValue, Precision
from sco_cal.ics import export as ics_export
from sco_cal.ics import publish
from sco_cal.ics import read as ics_read
from sco_cal.model import Event, Kind, LeadTime, Participant, Source, Status, Venue
from sco_cal.services import importing

ZONES = (None, "UTC", "Europe/Moscow", "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati", "+05:30", "-03:00")
FEED = ics_export.Feed(name="Props, test; feed", uid_domain="props.example", default_zone="Europe/Moscow")

# 1- to 4-byte UTF-8, and the characters TEXT escaping is about
_ALPHABET = st.sampled_from("aZ9 ,;:\\\n\"'é€Жß北京🎌🇷🇺\t") | st.characters(
    codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")
)
text = st.text(_ALPHABET, min_size=1, max_size=80)
title = text.filter(lambda t: t.strip() != "")


@st.composite
def date_values(draw: st.DrawFn, precision: Precision | None = None) -> DateValue:
    kind = precision or draw(st.sampled_from(list(Precision)))
    year = draw(st.integers(1900, 2100))
    if kind is Precision.YEAR:
        return DateValue.of_year(year)
    month = draw(st.integers(1, 12))
    if kind is Precision.MONTH:
        return DateValue.of_month(year, month)
    day = draw(st.integers(1, 28))
    if kind is Precision.DAY:
        return DateValue(Precision.DAY, year, month, day)
    return DateValue(
        Precision.MINUTE,
        year,
        month,
        day,
        draw(st.integers(0, 23)),
        draw(st.integers(0, 59)),
        draw(st.sampled_from(ZONES)),
    )


def _later(start: DateValue, steps: int) -> DateValue:
    if start.precision is Precision.YEAR:
        return DateValue.of_year(min(start.year + steps, 9999))
    if start.precision is Precision.MONTH:
        months = start.year * 12 + (start.month or 1) - 1 + steps
        return DateValue.of_month(months // 12, months % 12 + 1)
    if start.precision is Precision.DAY:
        return DateValue.of_day(start.first_day() + timedelta(days=steps))
    wall = datetime(start.year, start.month or 1, start.day or 1, start.hour or 0, start.minute or 0)
    return DateValue.of_time(wall + timedelta(minutes=15 * steps), start.zone)


@st.composite
def events(draw: st.DrawFn, number: int = 0) -> Event:
    start = draw(date_values())
    shape = draw(st.sampled_from(["none", "same", "later"]))
    end = None
    if shape == "same" and start.precision in (Precision.YEAR, Precision.MONTH):
        end = start  # the whole period
    elif shape == "later":
        end = _later(start, draw(st.integers(1, 40)))
    recurrence = draw(st.sampled_from([None, "FREQ=YEARLY", "FREQ=YEARLY;COUNT=5"])) if start.is_fixed else None
    updated = draw(st.none() | st.datetimes(datetime(2000, 1, 1), datetime(2040, 1, 1)))
    return Event(
        id=f"ev-{number}",
        title=draw(title),
        kind=draw(st.sampled_from(list(Kind))),
        status=draw(st.sampled_from(list(Status))),
        start=start,
        end=end,
        venue=draw(st.none() | st.builds(Venue, name=title, country=st.none() | title)),
        orgs=tuple(draw(st.lists(title, max_size=3, unique=True))),
        series=draw(st.none() | title),
        number=draw(st.none() | st.integers(0, 99)),
        participants=tuple(draw(st.lists(st.builds(Participant, name=title, role=st.none() | title), max_size=3))),
        sources=tuple(
            draw(
                st.lists(
                    st.builds(
                        Source,
                        url=st.none() | st.just("https://example.org/a?b=c;d"),
                        title=st.none() | title,
                        excerpt=st.none() | title,  # a blank excerpt is refused
                    ).filter(lambda source: source.url or source.title),  # what a registry can hold
                    max_size=2,
                )
            )
        ),
        tags=tuple(draw(st.lists(title, max_size=3, unique=True))),
        notes=draw(st.none() | title),  # blank notes are refused
        reminders=tuple(
            draw(
                st.lists(
                    st.sampled_from([LeadTime(7, "d"), LeadTime(2, "h"), LeadTime(30, "m")]), max_size=2, unique=True
                )
            )
        ),
        recurrence=recurrence,
        sequence=draw(st.integers(0, 5)),
        updated=updated.replace(tzinfo=UTC, microsecond=0) if updated else None,
    )


event_lists = st.integers(1, 4).flatmap(lambda n: st.tuples(*(events(i) for i in range(n))))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(event_lists)
def test_feed_shape(found: tuple[Event, ...]) -> None:
    data = ics_export.export_calendar(found, FEED).data
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    for line in lines:
        assert b"\r" not in line
        assert b"\n" not in line
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never splits a character
    text = data.decode().replace("\r\n ", "")
    for required in ("VERSION:2.0", "PRODID:"):
        assert f"\r\n{required}" in text
    defined = set(re.findall(r"\r\nTZID:([^\r]+)", text))
    used = set(re.findall(r";TZID=([^:;]+)", text))
    assert used <= defined
    calendar = Calendar.from_ical(data)
    assert len(calendar.events) == len(found)
    for vevent, event in zip(calendar.events, found, strict=True):
        for name in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert name in vevent
        assert str(vevent["SUMMARY"]) == publish.title(event)
        assert str(vevent.get("DESCRIPTION", "")) == (publish.description(event, FEED.policy, FEED.default_zone) or "")
        if event.venue and event.venue.display():
            assert str(vevent["LOCATION"]) == event.venue.display()


@SETTINGS
@given(event_lists)
def test_export_then_import_restores_every_event_exactly(found: tuple[Event, ...]) -> None:
    data = ics_export.export_calendar(found, FEED).data
    parsed = ics_read.parse_calendar(data, "feed.ics", FEED.default_zone)
    assert parsed.errors == []
    plan = importing.plan(
        [],
        parsed.events,
        uid_domain=FEED.uid_domain,
        default_zone=FEED.default_zone,
        stamp=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert plan.errors == []
    assert [c.event for c in plan.changes] == list(found)


@SETTINGS
@given(event_lists)
def test_exports_are_deterministic(found: tuple[Event, ...]) -> None:
    assert ics_export.export_calendar(found, FEED).data == ics_export.export_calendar(list(found), FEED).data


@SETTINGS
@given(events(), st.sampled_from(["start", "end", "venue", "status"]))
def test_reimport_of_own_feed_is_unchanged_and_a_change_is_an_update(event: Event, what: str) -> None:
    data = ics_export.export_calendar([event], FEED).data
    incoming = ics_read.parse_calendar(data, "feed.ics", FEED.default_zone).events
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    same = importing.plan([event], incoming, uid_domain=FEED.uid_domain, default_zone="Europe/Moscow", stamp=stamp)
    assert [c.action for c in same.changes] == ["unchanged"]
    changed = {
        "start": {"start": DateValue.of_day(datetime(1899, 1, 1).date()), "end": None, "recurrence": None},
        "end": {"end": None} if event.end is not None else {"end": _later(event.start, 1)},  # type: ignore[arg-type]
        "venue": {"venue": Venue(name="Elsewhere")},
        "status": {"status": Status.CANCELLED if event.status is not Status.CANCELLED else Status.PLANNED},
    }[what]
    older = replace(event, **changed)  # type: ignore[arg-type]  # test data
    plan = importing.plan([older], incoming, uid_domain=FEED.uid_domain, default_zone="Europe/Moscow", stamp=stamp)
    assert [c.action for c in plan.changes] == ["updated"]
    assert plan.changes[0].event.sequence >= max(older.sequence + 1, event.sequence)  # subscribers update in place
    assert replace(plan.changes[0].event, sequence=0, updated=None) == replace(event, sequence=0, updated=None)
