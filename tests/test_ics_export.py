"""``sco-cal export``: an RFC 5545 feed, deterministic, honest about dates that are not fixed (issue 3)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import SCO_CAL, Result
from icalendar import Calendar
from test_ics_support import generated_events, make_registry

from sco_cal.dates import DateValue
from sco_cal.ics import export as ics_export
from sco_cal.ics import publish
from sco_cal.ics.lines import unescape_text
from sco_cal.model import Event, Kind, LeadTime, Status
from sco_cal.registry import load

JUNE_MEETING = "sco-cis-csto-defence-chiefs-2020-06"


def _export(registry: Path, *args: str) -> bytes:
    done = subprocess.run([str(SCO_CAL), "-r", str(registry), "export", *args], capture_output=True, check=True)
    return done.stdout


def _vevent(data: bytes, event_id: str) -> dict[str, str]:
    """The unfolded properties of one VEVENT, by name (first value), parameters kept in the key."""
    text = data.decode().replace("\r\n ", "")
    block = text.split(f"X-SCO-ID:{event_id}\r\n")[0].rsplit("BEGIN:VEVENT\r\n", 1)[1]
    block += text.split(f"X-SCO-ID:{event_id}\r\n")[1].split("END:VEVENT")[0]
    props: dict[str, str] = {}
    for line in block.split("\r\n"):
        if ":" in line:
            name, value = line.split(":", 1)
            props.setdefault(name, value)
    return props


def test_example_feed_matches_golden(example: Path, golden: Callable[[str, str], None]) -> None:
    golden("export-sco-defence.ics", _export(example).decode().replace("\r\n", "\n"))  # CRLF: checked elsewhere


def test_generated_feed_matches_golden(tmp_path: Path, golden: Callable[[str, str], None]) -> None:
    registry = make_registry(tmp_path / "generated.yaml", generated_events())
    golden("export-generated.ics", _export(registry).decode().replace("\r\n", "\n"))


def test_two_exports_are_byte_identical(example: Path) -> None:
    assert _export(example) == _export(example)


def test_the_june_2020_meeting_is_in_the_default_feed_and_not_fixed(example: Path) -> None:
    props = _vevent(_export(example), JUNE_MEETING)
    assert props["DTSTART;VALUE=DATE"] == "20200601"
    assert props["DTEND;VALUE=DATE"] == "20200701"  # the whole month, exclusive end
    assert props["STATUS"] == "TENTATIVE"
    assert props["TRANSP"] == "TRANSPARENT"
    assert props["SUMMARY"].endswith("(date TBC)")
    assert props["DESCRIPTION"].startswith("Date not fixed yet: Jun 2020 (date TBC)")
    assert (props["X-SCO-PRECISION"], props["X-SCO-START"]) == ("month", "2020-06")


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("span", ("20200601", "20200701")), ("start", ("20200601", "20200602"))],
)
def test_partial_policy_places_the_month(example: Path, policy: str, expected: tuple[str, str]) -> None:
    props = _vevent(_export(example, "--partial", policy), JUNE_MEETING)
    assert (props["DTSTART;VALUE=DATE"], props["DTEND;VALUE=DATE"]) == expected
    assert props["SUMMARY"].endswith("(date TBC)")


def test_partial_skip_leaves_vague_dates_out_but_keeps_whole_periods(example: Path) -> None:
    done = subprocess.run(
        [str(SCO_CAL), "-r", str(example), "export", "--partial", "skip"], capture_output=True, check=True
    )
    assert b"X-SCO-ID:" + JUNE_MEETING.encode() not in done.stdout
    assert b"X-SCO-ID:peace-mission-2020" not in done.stdout
    assert b"X-SCO-ID:russia-sco-presidency-2020" in done.stdout  # start 2020, end 2020: the whole year, fixed
    assert b"2 with a date not fixed (--partial skip)" in done.stderr


def test_whole_year_is_a_fixed_all_day_span(example: Path) -> None:
    props = _vevent(_export(example), "russia-sco-presidency-2020")
    assert (props["DTSTART;VALUE=DATE"], props["DTEND;VALUE=DATE"]) == ("20200101", "20210101")
    assert props["STATUS"] == "CONFIRMED"
    assert props["SUMMARY"] == "Russia's SCO presidency"


def test_day_range_and_participants_and_sources(example: Path) -> None:
    props = _vevent(_export(example), "sco-ewg-07")
    assert (props["DTSTART;VALUE=DATE"], props["DTEND;VALUE=DATE"]) == ("20191031", "20191102")
    assert props["UID"] == "sco-ewg-07@sco-defence.example"
    assert props["LOCATION"] == "Moscow\\, Russia"
    assert "- Republic of Belarus (observer)" in props["DESCRIPTION"].replace("\\n", "\n")
    assert props["CATEGORIES"] == "meeting,SCO,ewg,defence-ministers"
    assert props["STATUS"] == "CONFIRMED"


def test_calendar_header(example: Path) -> None:
    head = _export(example).decode().split("BEGIN:VEVENT")[0]
    for line in (
        "VERSION:2.0",
        "PRODID:-//sco-cal//sco-cal//EN",
        "NAME:SCO\\, CIS and CSTO defence meetings",
        "X-WR-CALNAME:SCO\\, CIS and CSTO defence meetings",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
        "X-PUBLISHED-TTL:PT6H",
    ):
        assert f"\r\n{line}\r\n" in head


def test_undated_events_are_left_out_and_counted(example: Path, sco_cal: Callable[..., Result]) -> None:
    result = sco_cal("-r", example, "export")
    assert result.code == 0
    assert "protocol-joint-exercises-agreement" not in result.stdout
    assert result.stderr.strip() == "exported 7 events (1 without a date left out)"


def _event(**changes: object) -> Event:
    base = Event("e1", "Talks", start=DateValue.from_text("2020-06-24"))
    return replace(base, **changes)  # type: ignore[arg-type]  # test data


FEED = ics_export.Feed(name="Test", uid_domain="test.example", default_zone="Europe/Moscow")


@pytest.mark.parametrize(
    ("status", "start", "wanted"),
    [
        (Status.PLANNED, "2020-06-24", "TENTATIVE"),
        (Status.SCHEDULED, "2020-06-24", "CONFIRMED"),
        (Status.HELD, "2020-06-24", "CONFIRMED"),
        (Status.POSTPONED, "2020-06-24", "TENTATIVE"),
        (Status.CANCELLED, "2020-06-24", "CANCELLED"),
        (Status.SCHEDULED, "2020-06", "TENTATIVE"),  # a month is not fixed, whatever we intend
        (Status.CANCELLED, "2020-06", "CANCELLED"),
    ],
)
def test_status_mapping(status: Status, start: str, wanted: str) -> None:
    vevent = ics_export.to_vevent(_event(status=status, start=DateValue.from_text(start)), FEED)
    assert vevent is not None
    assert vevent["STATUS"] == wanted
    assert vevent["SUMMARY"].endswith("(postponed)") == (status is Status.POSTPONED)


def test_uid_is_kept_from_another_calendar_else_derived_from_id() -> None:
    assert ics_export.uid_of(_event(), "test.example") == "e1@test.example"
    assert ics_export.uid_of(_event(uid="abc@google.com"), "test.example") == "abc@google.com"


def test_revision_gives_dtstamp_last_modified_and_sequence() -> None:
    stamp = datetime(2026, 1, 31, 9, 30, tzinfo=UTC)
    vevent = ics_export.to_vevent(_event(updated=stamp, sequence=3), FEED)
    assert vevent is not None
    assert (vevent.DTSTAMP, vevent.last_modified, vevent.sequence) == (stamp, stamp, 3)
    unknown = ics_export.to_vevent(_event(), FEED)
    assert unknown is not None
    assert unknown.DTSTAMP == ics_export.REVISION_UNKNOWN
    assert "LAST-MODIFIED" not in unknown


def test_edit_raises_sequence_in_the_feed(example: Path, sco_cal: Callable[..., Result]) -> None:
    before = _vevent(_export(example), JUNE_MEETING)
    assert sco_cal("-r", example, "edit", JUNE_MEETING, "--date", "2020-06-24", "--status", "scheduled").code == 0
    after = _vevent(_export(example), JUNE_MEETING)
    assert (before["SEQUENCE"], after["SEQUENCE"]) == ("0", "1")
    assert after["UID"] == before["UID"]
    assert after["DTSTART;VALUE=DATE"] == "20200624"
    assert after["STATUS"] == "CONFIRMED"
    assert after["DTSTAMP"] == after["LAST-MODIFIED"] != before["DTSTAMP"]


def test_reminders_become_alarms_from_the_event_or_the_registry_defaults(example: Path) -> None:
    data = _export(example).decode()
    meeting = data.split("X-SCO-ID:sco-ewg-07")[1].split("END:VEVENT")[0]  # defaults for meetings: 7d, 1d
    assert meeting.count("BEGIN:VALARM") == 2
    assert "TRIGGER:-P7D" in meeting
    assert "TRIGGER:-P1D" in meeting
    june = data.split(f"X-SCO-ID:{JUNE_MEETING}")[1].split("END:VEVENT")[0]  # its own: 30d, 7d
    assert "TRIGGER:-P30D" in june
    assert "(date not fixed yet)" in june.replace("\r\n ", "")


def test_times_carry_tzid_with_a_vtimezone_for_the_years_they_need() -> None:
    events = [
        _event(id="a", start=DateValue.from_text("2090-05-09 10:00 Europe/Berlin")),
        _event(id="b", start=DateValue.from_text("1950-05-09 10:00")),  # the feed's default zone: Moscow
        _event(id="c", start=DateValue.from_text("2020-05-09T10:00+05:30")),  # fixed offset: UTC
    ]
    data = ics_export.export_calendar(events, FEED).data.decode()
    assert "DTSTART;TZID=Europe/Berlin:20900509T100000" in data
    assert "DTSTART;TZID=Europe/Moscow:19500509T100000" in data
    assert "DTSTART:20200509T043000Z" in data
    calendar = Calendar.from_ical(data)
    berlin = next(tz for tz in calendar.timezones if tz.tz_name == "Europe/Berlin")
    assert berlin.to_tz().utcoffset(datetime(2090, 5, 9, 10)).total_seconds() == 7200  # summer time in 2090
    assert berlin.to_tz().utcoffset(datetime(2090, 12, 9, 10)).total_seconds() == 3600


def test_repeating_times_get_until_in_utc_and_days_get_a_date() -> None:
    timed = _event(start=DateValue.from_text("2020-06-24 10:00 Europe/Moscow"), recurrence="FREQ=YEARLY;UNTIL=20300624")
    daily = _event(id="e2", recurrence="FREQ=YEARLY;UNTIL=20300624T100000")
    data = ics_export.export_calendar([timed, daily], FEED).data.decode()
    assert "RRULE:FREQ=YEARLY;UNTIL=20300624T205959Z" in data
    assert "RRULE:FREQ=YEARLY;UNTIL=20300624\r\n" in data


def test_output_file_is_replaced_only_when_changed(
    example: Path, tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    out = tmp_path / "feed.ics"
    first = sco_cal("-r", example, "export", "-o", out)
    assert (first.code, first.stdout) == (0, "")
    assert first.stderr.strip().endswith("; written")
    stat = out.stat()
    again = sco_cal("-r", example, "export", "-o", out)
    assert again.stderr.strip().endswith("; unchanged")
    assert (out.stat().st_ino, out.stat().st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    quiet = sco_cal("-r", example, "export", "-o", out, "--quiet")
    assert (quiet.code, quiet.stdout, quiet.stderr) == (0, "", "")
    assert out.read_bytes() == _export(example)


def test_split_by_org_writes_one_safe_feed_per_group(
    example: Path, tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    result = sco_cal("-r", example, "export", "--split-by", "org", "-o", tmp_path / "feeds")
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "feeds").iterdir()) == ["cis.ics", "csto.ics", "sco.ics"]
    csto = Calendar.from_ical((tmp_path / "feeds" / "csto.ics").read_bytes())
    assert sorted(str(e["X-SCO-ID"]) for e in csto.events) == ["collective-security-treaty-1992", JUNE_MEETING]
    assert unescape_text(str(csto["NAME"])) == "SCO, CIS and CSTO defence meetings: CSTO"
    assert unescape_text(str(csto["X-WR-CALNAME"])) == "SCO, CIS and CSTO defence meetings: CSTO"


def test_split_needs_a_folder(example: Path, sco_cal: Callable[..., Result]) -> None:
    result = sco_cal("-r", example, "export", "--split-by", "kind")
    assert result.code == 2
    assert "give the folder with -o DIR" in result.stderr


@pytest.mark.parametrize(
    ("group", "stem"),
    [
        ("SCO", "sco"),
        ("../../etc/passwd", "etc-passwd"),
        ("/absolute/path", "absolute-path"),
        ("CON", "feed-con"),
        ("nul", "feed-nul"),
        ("com1", "feed-com1"),
        ("a\x00b", "a-b"),
        ("Шанхай", "shankhay"),
        ("", "unnamed"),
        ("Café — Genève", "cafe-geneve"),
    ],
)
def test_feed_file_names_are_safe(group: str, stem: str) -> None:
    assert publish.file_stem(group) == stem


def test_filters_are_those_of_list(example: Path) -> None:
    data = _export(example, "--org", "CSTO", "June 2020")
    ids = sorted(str(e["X-SCO-ID"]) for e in Calendar.from_ical(data).events)
    assert ids == [JUNE_MEETING]


def test_a_repeating_event_is_exported_once_with_its_rule(example: Path) -> None:
    data = _export(example, "2030").decode()
    assert data.count("X-SCO-ID:sco-founding-2001\r\n") == 1
    assert "DTSTART;VALUE=DATE:20010615" in data


@pytest.mark.parametrize("args", [["--help"], ["list"], ["upcoming"], ["export", "--help"], ["import", "--help"]])
def test_commands_that_do_not_need_icalendar_never_import_it(example: Path, args: list[str]) -> None:
    code = (
        "import sys\nfrom sco_cal.cli import commands\napp = commands()\n"
        f"sys.argv = ['sco-cal', '-r', {str(example)!r}, *{args!r}]\n"
        "try:\n    app(prog_name='sco-cal')\nexcept SystemExit:\n    pass\n"
        "print('icalendar' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ)
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_core_export_reads_the_kind_defaults() -> None:
    feed = replace(FEED, default_reminders=lambda kind: (LeadTime(2, "h"),) if kind is Kind.MEETING else ())
    vevent = ics_export.to_vevent(_event(kind=Kind.MEETING), feed)
    assert vevent is not None
    assert [str(a["TRIGGER"].to_ical().decode()) for a in vevent.subcomponents] == ["-PT2H"]


def test_registry_loads_after_export(example: Path) -> None:
    before = example.read_bytes()
    _export(example)
    assert example.read_bytes() == before
    assert load(example).name == "SCO, CIS and CSTO defence meetings"


def test_issue_3_backslash_before_n_is_not_a_line_break() -> None:
    """icalendar 7 escapes a literal backslash-N as a line break ("C:\\New" comes out "C:\\new"); ours must not."""
    event = _event(title="C:\\New folder, \\n; done", notes="a\\Nb", venue=None)
    data = ics_export.export_calendar([event], FEED).data
    assert b"SUMMARY:C:\\\\New folder\\, \\\\n\\; done\r\n" in data
    parsed = Calendar.from_ical(data).events[0]
    assert str(parsed["SUMMARY"]) == "C:\\New folder, \\n; done"
    assert str(parsed["DESCRIPTION"]) == "a\\Nb"


def test_a_time_without_a_zone_is_checked_in_the_registrys_zone(tmp_path: Path, sco_cal: Callable[..., Result]) -> None:
    """10:00 UTC to 12:00 Moscow time ends before it starts. validate once compared in UTC and let it through,
    and export then refused it; now the registry is invalid for every command, which names file, line and zone."""
    registry = tmp_path / "r.yaml"
    registry.write_text(
        "schema: 1\nname: Test\ntimezone: Europe/Moscow\nuid_domain: test.example\nevents:\n"
        "  - id: early-end\n    title: Early end\n"
        "    start: 2030-03-10 10:00 UTC\n    end: 2030-03-10 12:00\n",
        encoding="utf-8",
    )
    before = registry.read_bytes()
    message = (
        f"{registry}:6:5: end: 2030-03-10 12:00 is before the start 2030-03-10 10:00 UTC"
        " (a time without a zone is in the registry's zone, Europe/Moscow)"
    )
    checked = sco_cal("-r", registry, "validate")
    assert checked.code == 3
    assert message in checked.stdout  # validate reports its findings as its output
    feed = tmp_path / "feed.ics"
    for args in (["export", "-o", feed], ["export"], ["list"]):
        result = sco_cal("-r", registry, *args)
        assert result.code == 3, result.stderr
        assert result.stdout == ""
        assert message in result.stderr
        assert "Traceback" not in result.stderr
    assert not feed.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["r.yaml"]  # no temporary file either
    assert registry.read_bytes() == before


def test_an_event_valid_only_in_the_registrys_zone_is_kept_and_exported(
    tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    """08:00 Tokyo time is 23:00 UTC the day before, so an end at 01:00 UTC comes after it. A check in UTC
    would refuse the file."""
    registry = tmp_path / "r.yaml"
    registry.write_text(
        "schema: 1\nname: Test\ntimezone: Asia/Tokyo\nuid_domain: test.example\nevents:\n"
        "  - id: late-start\n    title: Late start\n"
        "    start: 2030-03-10 08:00\n    end: 2030-03-10 01:00 UTC\n",
        encoding="utf-8",
    )
    assert sco_cal("-r", registry, "validate").code == 0
    result = sco_cal("-r", registry, "export")
    assert result.code == 0, result.stderr
    assert "DTSTART;TZID=Asia/Tokyo:20300310T080000" in result.stdout
    added = sco_cal("-r", registry, "add", "Other", "--date", "2030-03-11 08:00", "--end", "2030-03-11 00:30 UTC")
    assert added.code == 0, added.stderr
    before = registry.read_bytes()
    refused = sco_cal("-r", registry, "add", "Wrong", "--date", "2030-03-11 10:00", "--end", "2030-03-11 00:30 UTC")
    assert refused.code == 2
    assert "(a time without a zone is in the registry's zone, Asia/Tokyo)" in refused.stderr
    assert registry.read_bytes() == before
