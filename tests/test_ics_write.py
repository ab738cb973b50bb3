"""VEVENTs written as text (issue 6): the same bytes icalendar wrote, the values clients read back, and a feed
streamed to stdout or to a file that is replaced only when it changed."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from icalendar import Alarm, Calendar, Component, vRecur, vText
from icalendar import Event as VEvent
from icalendar.caselessdict import canonsort_keys
from test_ics_properties import events as plain_events

from sco_cal.dates import DateValue, Precision
from sco_cal.errors import InvalidInput, StorageError
from sco_cal.ics import export as ics_export
from sco_cal.ics import publish
from sco_cal.ics import rules as ics_rules
from sco_cal.ics import write as ics_write
from sco_cal.ics.lines import unescape_text
from sco_cal.ics.publish import Policy
from sco_cal.model import Event, Kind, LeadTime, Source, Status
from sco_cal.services.feeds import write_if_changed

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- the VEVENT icalendar 7.3 built before issue 6, kept here only as the reference for the bytes -------------


class _Escaped(vText):
    def to_ical(self) -> bytes:
        return str(self).encode("utf-8")


def _xtext(component: Component, name: str, value: str) -> None:
    component.add(name, _Escaped(ics_write.escape(value)))


def _percent_encoded(url: str | None) -> str | None:
    """icalendar writes a URL's backslash as it is and reads it back as an escape; sco-cal writes ``%5C``."""
    return url.replace("\\", "%5C") if url else None


def _reference_vevent(event: Event, feed: ics_export.Feed) -> bytes | None:
    timing = publish.when(event, feed.policy, feed.default_zone)
    if timing is None:
        return None
    start, end = timing
    assert event.start is not None
    vevent = VEvent.new(
        uid=ics_export.uid_of(event, feed.uid_domain),
        stamp=event.updated or ics_export.REVISION_UNKNOWN,
        last_modified=event.updated,
        start=start,
        end=end,
        url=_percent_encoded(next((s.url for s in event.sources if s.url), None)),
        sequence=event.sequence,
    )
    _xtext(vevent, "SUMMARY", publish.title(event))
    description = publish.description(event, feed.policy, feed.default_zone)
    if description:
        _xtext(vevent, "DESCRIPTION", description)
    venue = event.venue.display() if event.venue else ""
    if venue:
        _xtext(vevent, "LOCATION", venue)
    vevent.add("CATEGORIES", _Escaped(",".join(ics_write.escape(c) for c in publish.categories(event))))
    status = publish.status_out(event)
    vevent.add("status", status)
    vevent.add("transp", "TRANSPARENT" if not isinstance(start, datetime) or status == "CANCELLED" else "OPAQUE")
    if event.recurrence:
        vevent.add("rrule", ics_rules.rrule(event.recurrence, start))
    x_props = [("X-SCO-ID", event.id), ("X-SCO-PRECISION", str(event.start.precision))]
    x_props.append(("X-SCO-START", event.start.to_text()))
    if event.end is not None:
        x_props.append(("X-SCO-END", event.end.to_text()))
    x_props += [("X-SCO-STATUS", str(event.status)), ("X-SCO-KIND", str(event.kind))]
    data = publish.data_of(event)
    if data:
        x_props.append(("X-SCO-DATA", json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))))
    for name, value in x_props:
        _xtext(vevent, name, value)
    for lead in event.reminders or feed.default_reminders(event.kind):
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        _xtext(alarm, "DESCRIPTION", event.title + ("" if publish.fixed(event) else " (date not fixed yet)"))
        alarm.add("trigger", -lead.delta)
        vevent.add_component(alarm)
    lines = b"".join(ics_write.folded(str(line)) + b"\r\n" for line in vevent.content_lines(sorted=True) if line)
    # a repeating time keeps its fixed offset under TZID=UTC+0530, which needs no quotes; icalendar's own name
    # for such a zone is "UTC+05:30", quoted for its colon
    return re.sub(rb'TZID="UTC([+-]\d\d):(\d\d)"', rb"TZID=UTC\1\2", lines)


# --- generated events: those of test_ics_properties, with what the byte-exactness is most at risk from ---------

# Zones icalendar finds equal to UTC (it writes their times with Z) next to ordinary ones.
ODD_ZONES = ("Africa/Abidjan", "Etc/UTC", "Iceland", "Europe/Berlin", "Asia/Kathmandu", "America/St_Johns")
LEADS = [LeadTime(1, "w"), LeadTime(25, "h"), LeadTime(90, "m"), LeadTime(0, "m"), LeadTime(30, "d"), LeadTime(2, "h")]
RULES = [
    "FREQ=YEARLY",
    "FREQ=YEARLY;UNTIL=20300624",
    "FREQ=YEARLY;UNTIL=20300624T100000",
    "FREQ=YEARLY;UNTIL=20300624T100000Z",
    "freq=monthly;byday=1mo;interval=2",
    "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=3;WKST=SU",
    "INTERVAL=2;FREQ=DAILY;BYMONTH=1,2",
]
_UID_TEXT = st.lists(
    st.sampled_from(["ab", "@", ".", ",", ";", ":", "\\", "N", "\\N", "\n", "\r", " ", "é", "北", "🎌"]),
    min_size=1,
    max_size=20,
).map("".join)
_URL_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=90)
_MOMENTS = st.datetimes(datetime(1990, 1, 1), datetime(2040, 1, 1))


def _in_zone(value: DateValue | None, zone: str) -> DateValue | None:
    if value is None or value.precision is not Precision.MINUTE:
        return value
    return replace(value, zone=zone)


@st.composite
def events(draw: st.DrawFn, number: int = 0, odd_zones: bool = True) -> Event:
    event = draw(plain_events(number))
    assert event.start is not None
    if odd_zones and event.start.precision is Precision.MINUTE and draw(st.booleans()):
        zone = draw(st.sampled_from(ODD_ZONES))
        event = replace(event, start=_in_zone(event.start, zone), end=_in_zone(event.end, zone))
    updated = draw(
        st.none()
        | _MOMENTS.map(lambda m: m.replace(tzinfo=UTC, microsecond=0))
        | _MOMENTS  # naive, with microseconds: both as UTC, to the second
        | _MOMENTS.map(lambda m: m.replace(tzinfo=timezone(timedelta(hours=5, minutes=30))))
        | _MOMENTS.map(lambda m: m.replace(tzinfo=ZoneInfo("America/New_York")))
    )
    sources = event.sources
    if draw(st.booleans()):
        sources = (Source(url=draw(_URL_TEXT).replace("\r", "").replace("\n", "")), *sources)
    return replace(
        event,
        uid=draw(st.none() | _UID_TEXT),
        updated=updated,
        sources=sources,
        recurrence=draw(st.none() | st.sampled_from(RULES)) if event.start.is_fixed else None,
        reminders=tuple(draw(st.lists(st.sampled_from(LEADS), max_size=3, unique=True))),
        sequence=draw(st.integers(0, 10**9)),
    )


@st.composite
def feeds(draw: st.DrawFn) -> ics_export.Feed:
    defaults = tuple(draw(st.lists(st.sampled_from(LEADS), max_size=2, unique=True)))
    return ics_export.Feed(
        name=draw(st.text(min_size=1, max_size=30)),
        uid_domain="write.example",
        default_zone=draw(st.sampled_from(["Europe/Moscow", "UTC", "Africa/Abidjan", "America/St_Johns"])),
        policy=draw(st.sampled_from(list(Policy))),
        default_reminders=lambda kind: defaults if kind in (Kind.MEETING, Kind.SUMMIT) else (),
    )


def _feedable(event: Event, feed: ics_export.Feed) -> None:
    timing = publish.when(event, feed.policy, feed.default_zone)
    if timing is not None:
        try:
            ics_write.check(event, *timing, feed.default_zone)
        except InvalidInput:
            assume(False)


# --- the bytes ---------------------------------------------------------------------------------------------------


@SETTINGS
@given(st.lists(events(), min_size=1, max_size=4), feeds())
def test_vevents_are_the_bytes_icalendar_wrote(found: list[Event], feed: ics_export.Feed) -> None:
    found = [replace(event, id=f"ev-{i}") for i, event in enumerate(found)]
    for event in found:
        _feedable(event, feed)
    data = ics_export.export_calendar(found, feed).data
    reference = [r for r in (_reference_vevent(e, feed) for e in found) if r is not None]
    body = data[data.index(b"BEGIN:VEVENT") :] if reference else data[-len(b"END:VCALENDAR\r\n") :]
    assert body == b"".join(reference) + b"END:VCALENDAR\r\n"


@pytest.mark.parametrize(
    ("lead", "trigger"),
    [
        (LeadTime(1, "w"), "-P7D"),
        (LeadTime(30, "d"), "-P30D"),
        (LeadTime(2, "h"), "-PT2H"),
        (LeadTime(25, "h"), "-P1DT1H"),
        (LeadTime(90, "m"), "-PT1H30M"),
        (LeadTime(15, "m"), "-PT15M"),
        (LeadTime(0, "m"), "P0D"),
    ],
)
def test_triggers_are_written_as_icalendar_writes_durations(lead: LeadTime, trigger: str) -> None:
    event = Event("e1", "Talks", start=DateValue.from_text("2020-06-24"), reminders=(lead,))
    data = ics_export.export_calendar([event], ics_export.Feed("F", "d.example", "UTC")).data
    assert f"\r\nTRIGGER:{trigger}\r\n".encode() in data
    assert data.count(b"BEGIN:VALARM") == 1


def test_a_zone_icalendar_takes_for_utc_is_written_with_z_as_before() -> None:
    event = Event("e1", "Talks", start=DateValue.from_text("2020-06-24 10:00 Africa/Abidjan"))
    data = ics_export.export_calendar([event], ics_export.Feed("F", "d.example", "UTC")).data
    assert b"\r\nDTSTART:20200624T100000Z\r\n" in data
    berlin = replace(event, start=DateValue.from_text("2020-06-24 10:00 Europe/Berlin"))
    assert b"\r\nDTSTART;TZID=Europe/Berlin:20200624T100000\r\n" in ics_export.export_calendar([berlin], FEED).data


# --- the values clients read back --------------------------------------------------------------------------------

FEED = ics_export.Feed(
    name="Write, test; feed",
    uid_domain="write.example",
    default_zone="Europe/Moscow",
    default_reminders=lambda kind: (LeadTime(1, "d"),) if kind is Kind.MEETING else (),
)


def _x(vevent: Component, name: str) -> str | None:
    return unescape_text(str(vevent[name])) if name in vevent else None


def _same_moment(got: date | datetime, want: date | datetime) -> bool:
    if isinstance(want, datetime):
        return isinstance(got, datetime) and got == want and got.utcoffset() == want.utcoffset()
    return not isinstance(got, datetime) and got == want


def _property_names(data: bytes, event_id: str) -> list[str]:
    """The VEVENT's own property names (not its VALARMs'), in the order the feed has them."""
    text = data.decode().replace("\r\n ", "")
    block = text[: text.index(f"\r\nX-SCO-ID:{event_id}\r\n")]
    block = text[block.rindex("BEGIN:VEVENT") : text.index("END:VEVENT", len(block))]
    names = []
    for line in block.split("\r\n")[1:]:
        if line.startswith("BEGIN:VALARM"):
            break
        if line:
            names.append(line.split(":", 1)[0].split(";", 1)[0])
    return names


@SETTINGS
@given(st.lists(events(odd_zones=False), min_size=1, max_size=4))
def test_every_property_reads_back_as_the_event_says(found: list[Event]) -> None:
    found = [
        replace(event, id=f"ev-{i}", uid=event.uid and event.uid.replace("\\", "/")) for i, event in enumerate(found)
    ]
    for event in found:
        _feedable(event, FEED)
    data = ics_export.export_calendar(found, FEED).data
    by_id = {str(v["X-SCO-ID"]): v for v in Calendar.from_ical(data).events}
    for event in found:
        assert event.start is not None
        timing = publish.when(event, FEED.policy, FEED.default_zone)
        assert timing is not None  # policy span: every dated event is in
        start, end = timing
        vevent = by_id[event.id]
        uid = ics_export.uid_of(event, FEED.uid_domain)
        assert str(vevent["UID"]) == uid.replace("\r\n", "\n").replace("\r", "\n")
        assert _same_moment(vevent["DTSTART"].dt, start)
        assert ("DTEND" in vevent) == (end is not None)
        if end is not None:
            assert _same_moment(vevent["DTEND"].dt, end)
        revision = event.updated.replace(tzinfo=event.updated.tzinfo or UTC, microsecond=0) if event.updated else None
        assert vevent["DTSTAMP"].dt == (revision or ics_export.REVISION_UNKNOWN)
        assert ("LAST-MODIFIED" in vevent) == (revision is not None)
        if revision is not None:
            assert vevent["LAST-MODIFIED"].dt == revision
        assert vevent["SEQUENCE"] == event.sequence
        assert str(vevent["SUMMARY"]) == publish.title(event)
        assert str(vevent.get("DESCRIPTION", "")) == (publish.description(event, FEED.policy, FEED.default_zone) or "")
        assert str(vevent.get("LOCATION", "")) == (event.venue.display() if event.venue else "")
        assert list(vevent["CATEGORIES"].cats) == publish.categories(event)
        assert vevent["STATUS"] == publish.status_out(event)
        opaque = isinstance(start, datetime) and event.status is not Status.CANCELLED
        assert vevent["TRANSP"] == ("OPAQUE" if opaque else "TRANSPARENT")
        assert vevent.get("URL") == _percent_encoded(next((s.url for s in event.sources if s.url), None))
        assert ("RRULE" in vevent) == bool(event.recurrence)
        if event.recurrence:
            rule, stored = dict(vevent["RRULE"]), dict(vRecur.from_ical(event.recurrence))
            until = rule.pop("UNTIL", [None])[0]
            assert rule == {k: v for k, v in stored.items() if k != "UNTIL"}
            assert (until is None) == ("UNTIL" not in stored)
            if until is not None:  # a DATE beside a DATE, UTC beside a time (RFC 5545 3.3.10)
                assert isinstance(until, datetime) == isinstance(start, datetime)
                assert not isinstance(until, datetime) or until.utcoffset() == timedelta(0)
        assert json.loads(_x(vevent, "X-SCO-DATA") or "{}") == publish.data_of(event)
        assert _x(vevent, "X-SCO-START") == event.start.to_text()
        assert _x(vevent, "X-SCO-END") == (event.end.to_text() if event.end else None)
        assert _x(vevent, "X-SCO-PRECISION") == str(event.start.precision)
        assert (_x(vevent, "X-SCO-KIND"), _x(vevent, "X-SCO-STATUS")) == (str(event.kind), str(event.status))
        note = "" if publish.fixed(event) else " (date not fixed yet)"
        alarms = [(str(a["ACTION"]), str(a["DESCRIPTION"]), a["TRIGGER"].dt) for a in vevent.subcomponents]
        leads = event.reminders or FEED.default_reminders(event.kind)
        assert alarms == [("DISPLAY", event.title + note, -lead.delta) for lead in leads]
        names = _property_names(data, event.id)
        assert names == canonsort_keys(names, VEvent.canonical_order)  # the order icalendar sorts them in


# --- refusals and streaming -------------------------------------------------------------------------------------


def _never(_data: bytes) -> None:
    raise AssertionError("nothing may be written for a feed that cannot be made")


def test_an_end_before_the_start_in_the_feeds_zone_is_refused_before_a_byte_is_written() -> None:
    # the registry reads "12:00" in UTC and finds it after 10:00 UTC; the feed reads it in Moscow: 09:00 UTC
    event = Event(
        "e1", "Talks", start=DateValue.from_text("2020-06-24 10:00 UTC"), end=DateValue.from_text("2020-06-24 12:00")
    )
    fine = Event("e0", "Fine", start=DateValue.from_text("2020-06-24"))
    with pytest.raises(InvalidInput, match=r"e1: ends .* before it starts"):
        ics_export.write_calendar([fine, event], FEED, _never)
    ics_export.write_calendar([event], replace(FEED, default_zone="UTC"), lambda _data: None)


@pytest.mark.parametrize(("url", "sequence"), [("https://a.example/x\r\nX-EVIL:1", 0), ("https://a.example/", -1)])
def test_what_rfc_5545_cannot_hold_is_refused(url: str, sequence: int) -> None:
    event = Event("e1", "Talks", start=DateValue.from_text("2020-06-24"), sources=(Source(url=url),), sequence=sequence)
    with pytest.raises(InvalidInput, match="e1: "):
        ics_export.write_calendar([event], FEED, _never)


def test_a_big_feed_is_written_in_pieces_that_make_the_same_bytes() -> None:
    found = [Event(f"e{i}", f"Talks {i}", start=DateValue.from_text("2020-06-24")) for i in range(1201)]
    pieces: list[bytes] = []
    written = ics_export.write_calendar(iter(found), FEED, pieces.append)  # a generator will do: it is read once
    assert (written.count, written.left_out) == (1201, [])
    assert len(pieces) >= 4  # head, three batches of VEVENTs, end
    assert max(len(p) for p in pieces[1:]) < len(b"".join(pieces)) / 2
    assert b"".join(pieces) == ics_export.export_calendar(found, FEED).data


def test_left_out_events_are_counted_not_written() -> None:
    found = [
        Event("undated", "Talks"),
        Event("vague", "Talks", start=DateValue.from_text("2020-06")),
        Event("fixed", "Talks", start=DateValue.from_text("2020-06-24")),
    ]
    exported = ics_export.export_calendar(found, replace(FEED, policy=Policy.SKIP))
    assert (exported.count, exported.left_out) == (1, [("undated", "no date"), ("vague", "date not fixed")])
    assert exported.data.count(b"BEGIN:VEVENT") == 1


# --- a file replaced only when it changed ----------------------------------------------------------------------

OLD = b"BEGIN:VCALENDAR\r\n" + b"X-LINE:" + b"x" * 3000 + b"\r\nEND:VCALENDAR\r\n"


def _pieces(data: bytes, size: int = 700) -> Callable[[Callable[[bytes], object]], ics_export.Written]:
    def export(write: Callable[[bytes], object]) -> ics_export.Written:
        for first in range(0, len(data), size):
            write(data[first : first + size])
        return ics_export.Written(count=len(data))

    return export


def _temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".sco-cal-tmp")]


def test_an_unchanged_feed_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "feed.ics"
    path.write_bytes(OLD)
    before = path.stat()
    written, changed = write_if_changed(path, _pieces(OLD))
    assert (written.count, changed) == (len(OLD), False)
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert _temp_files(tmp_path) == []


@pytest.mark.parametrize(
    "new",
    [
        OLD[:-3] + b"X\r\n",  # differs in the last piece
        OLD[:1500] + b"y" + OLD[1501:],  # in the middle
        OLD + b"BEGIN:VEVENT\r\n",  # longer
        OLD[:1400],  # shorter, after equal pieces
        b"",
    ],
    ids=["end", "middle", "longer", "shorter", "empty"],
)
def test_a_changed_feed_replaces_the_file_with_its_mode(tmp_path: Path, new: bytes) -> None:
    path = tmp_path / "feed.ics"
    path.write_bytes(OLD)
    os.chmod(path, 0o640)
    assert write_if_changed(path, _pieces(new))[1]
    assert path.read_bytes() == new
    assert path.stat().st_mode & 0o777 == 0o640
    assert _temp_files(tmp_path) == []


def test_a_new_file_is_written(tmp_path: Path) -> None:
    path = tmp_path / "feed.ics"
    assert write_if_changed(path, _pieces(OLD))[1]
    assert path.read_bytes() == OLD
    assert path.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("fail_after", [0, 2, 4])  # OLD is five pieces
def test_a_failed_export_leaves_the_old_file_and_no_temporary_file(tmp_path: Path, fail_after: int) -> None:
    path = tmp_path / "feed.ics"
    path.write_bytes(OLD)
    new = OLD.replace(b"x", b"z")

    def export(write: Callable[[bytes], object]) -> ics_export.Written:
        for number, first in enumerate(range(0, len(new), 700)):
            if number == fail_after:
                raise InvalidInput("boom")
            write(new[first : first + 700])
        return ics_export.Written()

    with pytest.raises(InvalidInput, match="boom"):
        write_if_changed(path, export)
    assert path.read_bytes() == OLD
    assert _temp_files(tmp_path) == []


def test_a_folder_is_not_a_feed_file(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="is a folder; give a file name"):
        write_if_changed(tmp_path, _pieces(OLD))
    (tmp_path / "plain").write_bytes(OLD)
    with pytest.raises(StorageError, match=r"feed\.ics: cannot be written: a folder on its way is a file"):
        write_if_changed(tmp_path / "plain" / "feed.ics", _pieces(OLD))


def test_a_missing_folder_is_created_for_a_new_feed(tmp_path: Path) -> None:
    """As ``publish DIR`` and ``--split-by -o DIR`` create their folder, ``-o`` creates the file's."""
    path = tmp_path / "missing" / "deeper" / "feed.ics"
    assert write_if_changed(path, _pieces(OLD))[1] is True
    assert path.read_bytes() == OLD
