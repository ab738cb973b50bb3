"""Resources: one calendar object per dated event (per UID), named from the event id, holding exactly the
feed's VEVENT and only its own VTIMEZONEs; and the export seam that writes one (``export_resource``)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_ics_support import generated_events

from sco_cal.dates import DateValue
from sco_cal.ics.export import Feed, export_calendar, export_resource
from sco_cal.ics.read import parse_calendar
from sco_cal.model import Event, Kind
from sco_cal.sync.resources import href_for, resource_for, resources

FEED = Feed(name="Generated", uid_domain="gen.example", default_zone="Europe/Moscow")
_SAFE_HREF = re.compile(r"[a-z0-9._A-F-]+\.ics")


def _vevents(data: bytes) -> list[bytes]:
    return re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", data, re.DOTALL)


def _tzids(data: bytes) -> set[bytes]:
    return set(re.findall(rb"BEGIN:VTIMEZONE\r\nTZID:([^\r]+)", data))


def _weekly() -> tuple[Event, Event]:
    series = Event(
        id="weekly",
        title="Weekly call",
        kind=Kind.MEETING,
        start=DateValue.from_text("2020-01-06 10:00 Europe/Berlin"),
        recurrence="FREQ=WEEKLY;COUNT=10",
    )
    moved = Event(
        id="weekly-moved",
        title="Weekly call (moved)",
        start=DateValue.from_text("2020-01-14 10:00 Europe/Berlin"),
        occurrence_of="weekly",
        replaces=DateValue.from_text("2020-01-13 10:00 Europe/Berlin"),
    )
    return series, moved


# --- href_for


@pytest.mark.parametrize("event_id", ["sco-ewg-07", "gen-01", "a.b", "sco-founding-2001", "x" * 80])
def test_the_href_of_a_slug_is_the_slug(event_id: str) -> None:
    assert href_for(event_id) == f"{event_id}.ics"


@pytest.mark.parametrize(
    ("event_id", "href"),
    [
        ("a_b", "a_5Fb.ics"),
        ("a@b", "a_40b.ics"),
        ("a/b", "a_2Fb.ics"),
        ("a%2Fb", "a_252_46b.ics"),
        (".hidden", "_2Ehidden.ics"),
        ("A", "_41.ics"),
        ("é", "_C3_A9.ics"),
    ],
)
def test_other_characters_are_written_as_hex_bytes(event_id: str, href: str) -> None:
    assert href_for(event_id) == href


@given(st.text(min_size=1, max_size=30))
def test_an_href_is_safe_for_every_server(event_id: str) -> None:
    href = href_for(event_id)
    assert _SAFE_HREF.fullmatch(href)
    assert not href.startswith(".")
    assert not set(href) & set("@/%?#:+ ")


@given(st.text(min_size=1, max_size=12), st.text(min_size=1, max_size=12))
def test_two_ids_never_share_an_href(one: str, two: str) -> None:
    assert (href_for(one) == href_for(two)) == (one == two)


def test_the_href_never_comes_from_the_uid() -> None:
    event = generated_events()[0]
    imported = replace(event, uid="Some/Other@Calendar")
    assert href_for(imported.id) == "gen-01.ics"
    found = resources([imported], FEED).by_uid["Some/Other@Calendar"]
    assert found.href == "gen-01.ics"


# --- resource_for


def test_each_resource_holds_the_feeds_vevent_byte_for_byte() -> None:
    events = generated_events()
    feed_vevents = _vevents(export_calendar(events, FEED).data)
    for event in events:
        data = resource_for(event, FEED)
        assert data is not None
        (vevent,) = _vevents(data)
        assert vevent in feed_vevents
        assert f"X-SCO-ID:{event.id}\r\n".encode() in vevent


def test_a_resource_holds_only_its_own_zones() -> None:
    events = generated_events()
    for event in events:
        data = resource_for(event, FEED)
        assert data is not None
        used = set(re.findall(rb";TZID=([^:;]+)", data))
        assert _tzids(data) == used


def test_removing_another_event_does_not_change_a_resource() -> None:
    events = generated_events()
    before = {r.uid: r.data for r in resources(events, FEED).by_uid.values()}
    after = {r.uid: r.data for r in resources(events[:-3], FEED).by_uid.values()}
    assert all(before[uid] == data for uid, data in after.items())


def test_a_resource_is_one_calendar_object_without_the_feeds_calendar_properties() -> None:
    data = resource_for(generated_events()[2], FEED)
    assert data is not None
    assert data.startswith(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//sco-cal//sco-cal//EN\r\nCALSCALE:GREGORIAN\r\n"
    )
    assert b"X-SCO-TIMEZONE:Europe/Moscow\r\n" in data
    head = data.split(b"BEGIN:VTIMEZONE")[0]
    for name in (b"NAME", b"X-WR-CALNAME", b"REFRESH-INTERVAL", b"X-PUBLISHED-TTL", b"\r\nUID"):
        assert name not in head
    assert data.endswith(b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert data.count(b"BEGIN:VEVENT") == 1


def test_resources_are_deterministic() -> None:
    assert resources(generated_events(), FEED) == resources(generated_events(), FEED)


def test_an_undated_event_has_no_resource_and_is_counted() -> None:
    undated = Event(id="agreement", title="Agreement in domestic procedures")
    assert resource_for(undated, FEED) is None
    found = resources([undated, *generated_events()[:2]], FEED)
    assert found.undated == ["agreement"]
    assert len(found.by_uid) == 2


def test_a_resource_imports_back_with_its_precision() -> None:
    for event in generated_events():
        data = resource_for(event, FEED)
        assert data is not None
        (imported,) = parse_calendar(data, default_zone="Europe/Moscow").events
        assert imported.fields["start"] == event.start
        assert imported.fields.get("end") == event.end


def test_a_moved_occurrence_shares_its_series_resource() -> None:
    series, moved = _weekly()
    found = resources([moved, series], FEED)
    assert list(found.by_uid) == ["weekly@gen.example"]
    resource = found.by_uid["weekly@gen.example"]
    assert resource.href == "weekly.ics"
    assert resource.ids == ("weekly", "weekly-moved")
    feed_vevents = _vevents(export_calendar([series, moved], FEED).data)
    assert _vevents(resource.data) == feed_vevents
    assert b"RECURRENCE-ID;TZID=Europe/Berlin:20200113T100000" in resource.data


def test_a_moved_occurrence_without_its_series_stands_alone() -> None:
    _series, moved = _weekly()
    found = resources([moved], FEED)
    assert list(found.by_uid) == ["weekly-moved@gen.example"]
    assert b"RECURRENCE-ID" not in found.by_uid["weekly-moved@gen.example"].data


def test_export_resource_counts_and_leaves_out_as_the_feed_does() -> None:
    undated = Event(id="agreement", title="Agreement")
    exported = export_resource([generated_events()[0], undated], FEED)
    assert exported.count == 1
    assert exported.left_out == [("agreement", "no date")]


def test_the_zones_of_a_resource_cover_its_own_whole_years_and_are_shared() -> None:
    june, march = (
        Event(id=f"m-{day}", title="Meeting", start=DateValue.from_text(f"2021-{day} 10:00 Europe/Berlin"))
        for day in ("06-15", "03-02")
    )
    june_data, march_data = resource_for(june, FEED), resource_for(march, FEED)
    assert june_data is not None
    assert march_data is not None
    zone = re.compile(rb"BEGIN:VTIMEZONE\r\n.*?END:VTIMEZONE\r\n", re.DOTALL)
    assert zone.findall(june_data) == zone.findall(march_data)
    assert b"DTSTART:20210328T030000" in june_data  # the spring change of 2021, before the June event
    assert b"DTSTART:20211031T030000" in june_data  # and the autumn one after it


@pytest.mark.parametrize(
    "name",
    ["Europe/Moscow", "Asia/Tashkent", "Europe/Berlin", "Europe/Dublin", "America/New_York", "America/Sao_Paulo",
     "Asia/Tehran", "Africa/Casablanca", "Australia/Lord_Howe", "Pacific/Chatham"],
)  # fmt: skip
def test_a_zone_of_whole_years_is_what_icalendar_builds_for_those_years(name: str) -> None:
    from datetime import date, timedelta

    from icalendar import Timezone

    from sco_cal.ics.export import _zone_of_years

    for first, last in ((2019, 2020), (2033, 2033), (1990, 2030), (2026, 2100)):
        first_day, last_day = date(first, 1, 1) - timedelta(days=1), date(last, 12, 31) + timedelta(days=2)
        built = Timezone.from_tzid(name, first_date=first_day, last_date=last_day).to_ical()
        assert _zone_of_years.__wrapped__(name, first, last) == bytes(built), (name, first, last)
