"""Repeating events between sco-cal and other calendars (issue 11): exported rules that every client expands to
the occurrences sco-cal lists, recurring meetings with moved and cancelled occurrences, and zones a file
defines only by its VTIMEZONE. ``recurring-ical-events`` stands for "any client": it is the standard reader."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import recurring_ical_events
from conftest import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from sco_cal.dates import DateValue, Precision, Window, zone_for
from sco_cal.ics import export as ics_export
from sco_cal.ics import read as ics_read
from sco_cal.model import Event, Status
from sco_cal.query import Filters, select
from sco_cal.recurrence import occurrences
from sco_cal.services import importing

Run = Callable[..., Result]


def _registry(path: Path, zone: str, events_yaml: str) -> Path:
    path.write_text(f"schema: 1\nname: Test\ntimezone: {zone}\nuid_domain: test.example\nevents:\n{events_yaml}")
    return path


def _starts(data: bytes, first: date, last: date) -> list[datetime | date]:
    """What a standard reader expands the feed to: each occurrence's start, UTC for a time."""
    calendar = Calendar.from_ical(data)
    found = []
    for component in recurring_ical_events.of(calendar).between(first, last):
        start = component["DTSTART"].dt
        found.append(start.astimezone(UTC) if isinstance(start, datetime) else start)
    return sorted(found, key=_key)


def _key(moment: datetime | date) -> tuple[date, datetime]:
    if isinstance(moment, datetime):
        return moment.date(), moment
    return moment, datetime.combine(moment, datetime.min.time(), UTC)


def _listed(run: Run, registry: Path, first: str, last: str) -> list[str]:
    done = run("-r", registry, "list", "--from", first, "--to", last, "--format", "json")
    assert done.code == 0, done.stderr
    import json

    return [record["start"] for record in json.loads(done.stdout)["events"]]


# --- 1. an exported rule repeats where sco-cal lists it --------------------------------------------------------

SYDNEY = """  - id: sydney-call
    title: Sydney call
    status: scheduled
    start: 2024-01-08T09:00+11:00
    end: 2024-01-08T10:00+11:00
    recurrence: FREQ=WEEKLY;BYDAY=MO
"""


def test_a_weekly_call_at_a_fixed_offset_stays_on_mondays_in_every_client(tmp_path: Path, sco_cal: Run) -> None:
    registry = _registry(tmp_path / "r.yaml", "UTC", SYDNEY)
    done = sco_cal("-r", registry, "export")
    assert done.code == 0, done.stderr
    feed = done.stdout.encode()
    assert "DTSTART;TZID=UTC+1100:20240108T090000" in done.stdout
    assert "TZOFFSETTO:+1100" in done.stdout
    starts = _starts(feed, date(2024, 1, 1), date(2024, 3, 1))
    assert len(starts) == 8
    sydney = [s.astimezone(zone_for("+11:00")) for s in starts if isinstance(s, datetime)]
    assert {(s.weekday(), s.hour) for s in sydney} == {(0, 9)}
    listed = _listed(sco_cal, registry, "2024-01-01", "2024-02-29")
    assert len(listed) == len(starts)


def test_until_in_wall_time_west_of_utc_keeps_its_last_occurrence(tmp_path: Path, sco_cal: Run) -> None:
    events = """  - id: lima-call
    title: Lima call
    status: scheduled
    start: 2024-01-08T20:00-05:00
    recurrence: FREQ=DAILY;UNTIL=20240112T200000
  - id: day-rule
    title: Daily until a day
    status: scheduled
    start: 2024-01-08 18:00 America/New_York
    recurrence: FREQ=DAILY;UNTIL=20240112
"""
    registry = _registry(tmp_path / "r.yaml", "Europe/Moscow", events)
    done = sco_cal("-r", registry, "export")
    assert done.code == 0, done.stderr
    assert "UNTIL=20240113T010000Z" in done.stdout  # 20:00 at -05:00 is 01:00 UTC the next day
    starts = _starts(done.stdout.encode(), date(2024, 1, 1), date(2024, 2, 1))
    listed = _listed(sco_cal, registry, "2024-01-01", "2024-01-31")
    assert len(listed) == 5 + 5  # an UNTIL day beside a time is the whole of that day
    assert len(starts) == len(listed)


NAMED = ("Europe/Moscow", "Australia/Sydney", "America/New_York", "Europe/Berlin", "Asia/Kathmandu", "Asia/Kolkata")
OFFSETS = ("+11:00", "-05:00", "+05:30", "-09:30", "+00:00")
REGISTRY_ZONES = ("UTC", "Australia/Sydney", "America/New_York", "+03:00")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@st.composite
def repeating_events(draw: st.DrawFn) -> tuple[Event, str]:
    """A repeating event in any kind of zone, with its registry's zone."""
    day = date(2020, 1, 1) + timedelta(days=draw(st.integers(0, 1500)))
    timed = draw(st.booleans())
    if timed:
        zone = draw(st.sampled_from((None, "UTC", *NAMED, *OFFSETS)))
        hour = draw(st.integers(4, 23))  # clear of the hours clocks skip in the named zones
        start = DateValue(Precision.MINUTE, day.year, day.month, day.day, hour, draw(st.sampled_from((0, 30))), zone)
    else:
        start = DateValue.of_day(day)
    frequency = draw(st.sampled_from(("DAILY", "WEEKLY", "MONTHLY", "YEARLY")))
    parts = [f"FREQ={frequency}"]
    interval = draw(st.integers(1, 3))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if frequency == "WEEKLY" and draw(st.booleans()):
        parts.append("BYDAY=" + ",".join(draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True))))
    ending = draw(st.sampled_from(("count", "until-day", "until-time", "none")))
    if ending == "count":
        parts.append(f"COUNT={draw(st.integers(1, 30))}")
    elif ending != "none":
        until = day + timedelta(days=draw(st.integers(0, 400)))
        stamp = f"{until:%Y%m%d}"
        if ending == "until-time":
            stamp += f"T{draw(st.integers(0, 23)):02d}{draw(st.sampled_from((0, 30))):02d}00"
        parts.append(f"UNTIL={stamp}")
    event = Event("e", "E", status=Status.SCHEDULED, start=start, recurrence=";".join(parts))
    return event, draw(st.sampled_from(REGISTRY_ZONES))


def _sco_cal_starts(event: Event, registry_zone: str, first: date, last: date) -> list[datetime | date]:
    return _all_starts([event], registry_zone, first, last)


def _inside(starts: list[datetime | date], first: date, last: date) -> list[datetime | date]:
    return [s for s in starts if first <= (s.date() if isinstance(s, datetime) else s) <= last]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(repeating_events())
def test_every_exported_rule_gives_the_occurrences_sco_cal_lists(drawn: tuple[Event, str]) -> None:
    event, registry_zone = drawn
    assert event.start is not None
    feed = ics_export.Feed(name="Rules", uid_domain="rules.example", default_zone=registry_zone)
    data = ics_export.export_calendar([event], feed).data
    first = event.start.first_day() - timedelta(days=3)
    last = first + timedelta(days=450)
    inner_first, inner_last = first + timedelta(days=2), last - timedelta(days=2)
    ours = _inside(_sco_cal_starts(event, registry_zone, first, last), inner_first, inner_last)
    theirs = _inside(_starts(data, first, last), inner_first, inner_last)
    assert ours == theirs


# --- 2. a recurring meeting with moved and cancelled occurrences -----------------------------------------------

# As Google writes a recurring meeting: the series (EXDATE, RDATE, UNTIL in UTC), an occurrence moved to another
# day and hour, one only retitled, one cancelled by an override rather than an EXDATE. The overrides come first.
GOOGLE = """BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
X-WR-TIMEZONE:America/New_York
BEGIN:VEVENT
DTSTART;TZID=America/New_York:20240311T140000
DTEND;TZID=America/New_York:20240311T150000
RECURRENCE-ID;TZID=America/New_York:20240311T100000
UID:standup-42@google.com
SEQUENCE:1
SUMMARY:Standup (moved to the afternoon)
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=America/New_York:20240304T100000
DTEND;TZID=America/New_York:20240304T110000
DTSTAMP:20240101T000000Z
UID:standup-42@google.com
RRULE:FREQ=WEEKLY;WKST=SU;UNTIL=20240415T140000Z;BYDAY=MO,WE
EXDATE;TZID=America/New_York:20240313T100000,20240320T100000
RDATE;TZID=America/New_York:20240323T090000
SUMMARY:Standup
LOCATION:Room 4
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=America/New_York:20240327T100000
DTEND;TZID=America/New_York:20240327T110000
RECURRENCE-ID;TZID=America/New_York:20240327T100000
UID:standup-42@google.com
SUMMARY:Standup with the minister
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=America/New_York:20240403T100000
DTEND;TZID=America/New_York:20240403T110000
RECURRENCE-ID;TZID=America/New_York:20240403T100000
UID:standup-42@google.com
STATUS:CANCELLED
SUMMARY:Standup
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n")


def _listed_instants(run: Run, registry: Path, first: str, last: str) -> list[tuple[datetime, str]]:
    import json

    done = run("-r", registry, "list", "--from", first, "--to", last, "--format", "json")
    assert done.code == 0, done.stderr
    found = [
        (datetime.fromisoformat(r["earliest"]).astimezone(UTC), r["title"]) for r in json.loads(done.stdout)["events"]
    ]
    return sorted(found)


def _read_instants(data: bytes, first: date, last: date) -> list[tuple[datetime, str]]:
    calendar = Calendar.from_ical(data)
    found = []
    for component in recurring_ical_events.of(calendar).between(first, last):
        found.append((component["DTSTART"].dt.astimezone(UTC), str(component["SUMMARY"])))
    return sorted(found)


def _imported(tmp_path: Path, run: Run, text: str, zone: str = "Europe/Moscow") -> Path:
    registry = _registry(tmp_path / "r.yaml", zone, "")
    source = tmp_path / "google.ics"
    source.write_bytes(text.encode())
    done = run("-r", registry, "import", source)
    assert done.code == 0, done.stderr
    assert "error" not in done.stderr
    return registry


def test_a_google_series_with_moved_and_cancelled_occurrences_imports_as_a_reader_sees_it(
    tmp_path: Path, sco_cal: Run
) -> None:
    registry = _imported(tmp_path, sco_cal, GOOGLE)
    expected = _read_instants(GOOGLE.encode(), date(2024, 3, 1), date(2024, 5, 1))
    assert len(expected) == 12  # 13 by the rule, less 2 EXDATEs, plus the RDATE; 3 replaced in place
    assert _listed_instants(sco_cal, registry, "2024-03-01", "2024-04-30") == expected
    text = registry.read_text()
    assert "except: ['2024-03-11 10:00 America/New_York', '2024-03-13 10:00 America/New_York'," in text
    assert "also: ['2024-03-23 09:00 America/New_York']" in text
    assert text.count("occurrence_of: standup-") == 3
    assert "replaces: 2024-03-11 10:00 America/New_York" in text
    again = sco_cal("-r", registry, "import", tmp_path / "google.ics")
    assert (again.code, again.stdout.strip()) == (0, "0 new, 0 updated, 4 unchanged, 0 errors")


def test_the_series_exports_back_to_the_same_occurrences_without_duplicates(tmp_path: Path, sco_cal: Run) -> None:
    registry = _imported(tmp_path, sco_cal, GOOGLE)
    done = sco_cal("-r", registry, "export")
    assert done.code == 0, done.stderr
    feed = done.stdout.encode()
    expected = _read_instants(GOOGLE.encode(), date(2024, 3, 1), date(2024, 5, 1))
    assert _read_instants(feed, date(2024, 3, 1), date(2024, 5, 1)) == expected
    calendar = Calendar.from_ical(feed)
    keys = [(str(e["UID"]), e["RECURRENCE-ID"].dt if "RECURRENCE-ID" in e else None) for e in calendar.events]
    assert len(keys) == len(set(keys)) == 4
    assert {uid for uid, _ in keys} == {"standup-42@google.com"}
    assert "EXDATE;TZID=America/New_York:20240311T100000" not in done.stdout  # moved, not cancelled
    fresh = _registry(tmp_path / "fresh.yaml", "UTC", "")
    (tmp_path / "feed.ics").write_bytes(feed)
    assert sco_cal("-r", fresh, "import", tmp_path / "feed.ics").code == 0
    assert _listed_instants(sco_cal, fresh, "2024-03-01", "2024-04-30") == expected


SERIES = """  - id: board
    title: Board
    status: scheduled
    start: 2024-01-08 09:00 Europe/Berlin
    end: 2024-01-08 10:00 Europe/Berlin
    recurrence: FREQ=WEEKLY;BYDAY=MO;COUNT=6
    except: [2024-01-15 09:00 Europe/Berlin, 2024-01-22]
    also: [2024-01-24 14:00 Europe/Berlin]
    reminders: [1d]
  - id: board-moved
    title: Board (moved)
    status: scheduled
    start: 2024-01-16 11:00 Europe/Berlin
    end: 2024-01-16 12:00 Europe/Berlin
    occurrence_of: board
    replaces: 2024-01-15 09:00 Europe/Berlin
"""


def test_list_and_remind_skip_an_excluded_or_moved_occurrence(tmp_path: Path, sco_cal: Run) -> None:
    registry = _registry(tmp_path / "r.yaml", "Europe/Berlin", SERIES)
    done = sco_cal("-r", registry, "list", "--from", "2024-01-01", "--to", "2024-02-29", "--format", "csv")
    assert done.code == 0, done.stderr
    rows = [line.split(",")[4] for line in done.stdout.splitlines()[1:]]
    assert rows == [
        "2024-01-08 09:00 Europe/Berlin",
        "2024-01-16 11:00 Europe/Berlin",
        "2024-01-24 14:00 Europe/Berlin",
        "2024-01-29 09:00 Europe/Berlin",
        "2024-02-05 09:00 Europe/Berlin",
        "2024-02-12 09:00 Europe/Berlin",
    ]
    for day, expected in (("2024-01-14T09:00:00Z", ""), ("2024-01-23T14:00:00Z", "Board")):
        due = sco_cal("-r", registry, "remind", "--now", day, "--dry-run")
        assert due.code == 0, due.stderr
        assert ("Board" in due.stdout) == bool(expected), due.stdout


def test_a_moved_occurrence_of_no_repeating_event_is_refused(tmp_path: Path, sco_cal: Run) -> None:
    registry = _registry(tmp_path / "r.yaml", "UTC", SERIES.replace("occurrence_of: board", "occurrence_of: nowhere"))
    before = registry.read_bytes()
    done = sco_cal("-r", registry, "validate")
    assert done.code != 0
    assert "occurrence_of: no repeating event has the id 'nowhere'" in done.stderr + done.stdout
    assert registry.read_bytes() == before


# --- 3. a zone the file defines only by its VTIMEZONE ----------------------------------------------------------


def _custom_zone(tzid: str, standard: str, daylight: str, spring: str, autumn: str) -> str:
    return f"""BEGIN:VTIMEZONE
TZID:{tzid}
BEGIN:DAYLIGHT
TZOFFSETFROM:{standard}
TZOFFSETTO:{daylight}
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH={spring}
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:{daylight}
TZOFFSETTO:{standard}
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH={autumn}
END:STANDARD
END:VTIMEZONE
"""


def _zoned_calendar(zone: str, tzid: str) -> str:
    return f"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
{zone}BEGIN:VEVENT
UID:custom-1
DTSTART;TZID={tzid}:20221021T200000
DTEND;TZID={tzid}:20221021T210000
RRULE:FREQ=WEEKLY;COUNT=8
SUMMARY:Custom zone weekly
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n")


def test_a_custom_zone_with_european_rules_becomes_an_iana_zone_and_keeps_every_occurrence(
    tmp_path: Path, sco_cal: Run
) -> None:
    zone = _custom_zone("/Europe/CUSTOM", "+0100", "+0200", "3;BYDAY=-1SU", "10;BYDAY=-1SU")
    text = _zoned_calendar(zone, "/Europe/CUSTOM")
    registry = _imported(tmp_path, sco_cal, text)
    assert "start: 2022-10-21 20:00 Europe/" in registry.read_text()
    expected = _read_instants(text.encode(), date(2022, 10, 1), date(2023, 1, 1))
    assert {moment.hour for moment, _ in expected} == {18, 19}  # summer, then winter time
    assert _listed_instants(sco_cal, registry, "2022-10-01", "2022-12-31") == expected


def test_a_custom_zone_no_iana_zone_follows_is_refused_with_its_line(tmp_path: Path, sco_cal: Run) -> None:
    zone = _custom_zone("My Zone", "+0130", "+0230", "3;BYDAY=1SU", "11;BYDAY=1SU")
    registry = _registry(tmp_path / "r.yaml", "UTC", "")
    before = registry.read_bytes()
    source = tmp_path / "odd.ics"
    source.write_bytes(_zoned_calendar(zone, "My Zone").encode())
    done = sco_cal("-r", registry, "import", source)
    assert done.code == 7
    assert f"{source}:23: DTSTART: the zone 'My Zone' changes its offset by rules no IANA zone follows" in done.stderr
    assert "Traceback" not in done.stderr
    assert registry.read_bytes() == before


def test_a_moved_occurrence_its_series_does_not_leave_out_is_refused(tmp_path: Path, sco_cal: Run) -> None:
    registry = _registry(tmp_path / "r.yaml", "UTC", SERIES.replace("2024-01-15 09:00 Europe/Berlin, ", ""))
    before = registry.read_bytes()
    done = sco_cal("-r", registry, "validate")
    assert done.code == 3
    assert "replaces: 2024-01-15 09:00 Europe/Berlin is not under 'except' of 'board'" in done.stderr + done.stdout
    assert registry.read_bytes() == before


@st.composite
def series_with_changes(draw: st.DrawFn) -> tuple[list[Event], str]:
    """A repeating event with some occurrences left out, some added, some moved (its own events)."""
    master, registry_zone = draw(repeating_events())
    assert master.start is not None
    assert master.recurrence is not None
    rule = ";".join(p for p in master.recurrence.split(";") if not p.startswith(("UNTIL", "COUNT")))
    master = replace(master, id="series", recurrence=rule + f";COUNT={draw(st.integers(2, 12))}")
    first = master.start.first_day()
    given = [start for start, _end in occurrences(master, first, first + timedelta(days=3 * 366))]
    chosen = draw(st.lists(st.sampled_from(given), unique=True, max_size=len(given)))
    cut = draw(st.integers(0, len(chosen)))
    left_out, moved = chosen[:cut], chosen[cut:]
    shift = draw(st.integers(-30, 30)) * (
        timedelta(hours=1) if master.start.precision is Precision.MINUTE else timedelta(days=1)
    )
    also = [_moved(given[-1], timedelta(days=draw(st.integers(1, 40))))] if draw(st.booleans()) else []
    master = replace(master, excluded=tuple(chosen), also=tuple(also))
    overrides = [
        Event(
            f"moved-{n}",
            f"Moved {n}",
            status=Status.SCHEDULED,
            start=_moved(old, shift),
            occurrence_of="series",
            replaces=old,
        )
        for n, old in enumerate(moved)
    ]
    del left_out
    return [master, *overrides], registry_zone


def _moved(value: DateValue, by: timedelta) -> DateValue:
    if value.precision is Precision.DAY:
        return DateValue.of_day(value.first_day() + by)
    wall = datetime(value.year, value.month or 1, value.day or 1, value.hour or 0, value.minute or 0) + by
    return DateValue.of_time(wall, value.zone)


def _all_starts(events: list[Event], registry_zone: str, first: date, last: date) -> list[datetime | date]:
    window = Window.of_days(first, last, zone_for("UTC"))
    found = select(events, Filters(window=window), floating_zone="UTC", default_zone=registry_zone)
    starts: list[datetime | date] = []
    for occurrence in found:
        assert occurrence.start is not None
        value = occurrence.start
        starts.append(
            value.earliest(UTC, registry_zone).astimezone(UTC)
            if value.precision is Precision.MINUTE
            else value.first_day()
        )
    return sorted(starts, key=_key)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(series_with_changes())
def test_a_series_with_changes_round_trips_through_a_standard_reader(drawn: tuple[list[Event], str]) -> None:
    events, registry_zone = drawn
    first = events[0].start.first_day() - timedelta(days=45)  # type: ignore[union-attr]
    last = first + timedelta(days=3 * 366 + 90)
    ours = _all_starts(events, registry_zone, first, last)
    feed = ics_export.Feed(name="Series", uid_domain="series.example", default_zone=registry_zone)
    data = ics_export.export_calendar(events, feed).data
    assert _starts(data, first, last) == ours
    vevents = Calendar.from_ical(data).events
    keys = [(str(v["UID"]), str(v.get("RECURRENCE-ID", "").to_ical() if "RECURRENCE-ID" in v else "")) for v in vevents]
    assert len(keys) == len(set(keys))
    parsed = ics_read.parse_calendar(data, "feed.ics", registry_zone)
    assert parsed.errors == []
    stamp = datetime(2030, 1, 1, tzinfo=UTC)
    plan = importing.plan([], parsed.events, uid_domain="other.example", default_zone=registry_zone, stamp=stamp)
    assert plan.errors == []
    back = [change.event for change in plan.changes]
    assert _all_starts(back, registry_zone, first, last) == ours


def test_a_vtimezone_with_several_tzids_is_read_by_its_first(tmp_path: Path, sco_cal: Run) -> None:
    zone = _custom_zone("/Europe/CUSTOM", "+0100", "+0200", "3;BYDAY=-1SU", "10;BYDAY=-1SU")
    text = _zoned_calendar(zone.replace("TZID:/Europe/CUSTOM\n", "TZID:/Europe/CUSTOM\nTZID:Other\n"), "/Europe/CUSTOM")
    registry = _registry(tmp_path / "r.yaml", "UTC", "")
    source = tmp_path / "two.ics"
    source.write_bytes(text.encode())
    done = sco_cal("-r", registry, "import", source)
    assert (done.code, done.stdout.splitlines()[-1]) == (
        0,
        "1 new, 0 updated, 0 unchanged, 0 errors; not kept: 1 TZID (--verbose lists them)",
    )
    second = text.splitlines().index("TZID:Other") + 1
    assert f"{source}:{second}: TZID: a second name for the zone; sco-cal keeps the first" in done.stderr
    assert "start: 2022-10-21 20:00 Europe/" in registry.read_text()


def test_a_series_with_moved_occurrences_is_not_removed_from_under_them(tmp_path: Path, sco_cal: Run) -> None:
    registry = _registry(tmp_path / "r.yaml", "Europe/Berlin", SERIES)
    before = registry.read_bytes()
    done = sco_cal("-r", registry, "remove", "board", "--yes")
    assert done.code == 6
    assert "'board' has moved occurrences (board-moved); remove those first" in done.stderr
    assert registry.read_bytes() == before


def test_show_and_json_tell_how_a_series_changes(tmp_path: Path, sco_cal: Run) -> None:
    import json

    registry = _registry(tmp_path / "r.yaml", "Europe/Berlin", SERIES)
    series = sco_cal("-r", registry, "show", "board")
    assert series.code == 0, series.stderr
    assert re.search(r"\bexcept +2024-01-15 09:00 Europe/Berlin, 2024-01-22\b", series.stdout)
    assert re.search(r"\balso +2024-01-24 14:00 Europe/Berlin\b", series.stdout)
    moved = sco_cal("-r", registry, "show", "board-moved")
    assert re.search(r"\breplaces +board on 2024-01-15 09:00 Europe/Berlin\b", moved.stdout)
    listed = sco_cal("-r", registry, "list", "--from", "2024-01-16", "--to", "2024-01-16", "--format", "json")
    (record,) = json.loads(listed.stdout)["events"]
    assert (record["occurrence_of"], record["replaces"]) == ("board", "2024-01-15 09:00 Europe/Berlin")


def test_a_series_written_by_hand_comes_back_from_its_own_feed_as_written(tmp_path: Path, sco_cal: Run) -> None:
    events = """  - id: board
    title: Board
    status: scheduled
    start: 2024-01-08 09:00
    recurrence: FREQ=WEEKLY;BYDAY=MO;COUNT=8
    except: [2024-01-15 09:00, 2024-01-22]
    also: [2024-01-24]
  - id: board-moved
    title: Board (moved)
    status: scheduled
    start: 2024-01-16 11:00
    occurrence_of: board
    replaces: 2024-01-15 09:00
"""
    registry = _registry(tmp_path / "r.yaml", "Europe/Berlin", events)
    feed = tmp_path / "feed.ics"
    assert sco_cal("-r", registry, "export", "-o", feed).code == 0
    assert "RDATE;TZID=Europe/Berlin:20240124T090000" in feed.read_text()  # a day beside a time: at that time
    again = sco_cal("-r", registry, "import", feed)
    assert (again.code, again.stdout.strip()) == (0, "0 new, 0 updated, 2 unchanged, 0 errors")
    fresh = _registry(tmp_path / "fresh.yaml", "Europe/Berlin", "")
    assert sco_cal("-r", fresh, "import", feed).code == 0
    text = fresh.read_text()
    assert "except: ['2024-01-15 09:00', '2024-01-22']" in text
    assert "also: ['2024-01-24']" in text
    assert "replaces: 2024-01-15 09:00" in text
    assert _listed_instants(sco_cal, fresh, "2024-01-01", "2024-03-31") == _read_instants(
        feed.read_bytes(), date(2024, 1, 1), date(2024, 4, 1)
    )
