"""Issue 11, import: strict about what is kept, lenient about what is dropped, and everything dropped counted.

Each calendar here is small and written for the case it tests; every run goes through the installed sco-cal,
and each file is imported twice, as a dry run and for real, which must agree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sco_cal.errors import InvalidCalendar
from sco_cal.ics import read as ics_read
from sco_cal.registry import load
from sco_cal.services import importing
from tests.conftest import Result

Run = Callable[..., Result]

HEAD = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//test//EN\n"
TAIL = "END:VCALENDAR\n"
DRY = " (dry run: nothing written)"
_STAMP = datetime(2026, 1, 1, tzinfo=UTC)


def _event(uid: str, summary: str, *extra: str, start: str = "DTSTART:20200601T100000Z") -> str:
    lines = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20200101T000000Z", start, f"SUMMARY:{summary}", *extra]
    return "\n".join([*lines, "END:VEVENT"]) + "\n"


def _file(tmp_path: Path, body: str, *, name: str = "in.ics", whole: bool = True) -> Path:
    path = tmp_path / name
    text = HEAD + body + TAIL if whole else body
    path.write_bytes(text.replace("\n", "\r\n").encode())
    return path


def _registry(tmp_path: Path, sco_cal: Run, zone: str = "Europe/Moscow") -> Path:
    path = tmp_path / "registry.yaml"
    assert sco_cal("-r", path, "init", "--timezone", zone).code == 0
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _import(sco_cal: Run, registry: Path, calendar: Path, *options: str) -> Result:
    """A dry run, then the real import; both must end alike, and the dry run must write nothing."""
    before = _sha(registry)
    dry = sco_cal("-r", registry, "import", "--dry-run", *options, calendar)
    assert _sha(registry) == before
    real = sco_cal("-r", registry, "import", *options, calendar)
    assert "Traceback" not in dry.stderr + real.stderr
    assert real.code == dry.code, (dry, real)
    assert real.stdout.splitlines()[-1:] == [line.removesuffix(DRY) for line in dry.stdout.splitlines()[-1:]]
    assert real.stderr.replace("cannot be imported; nothing was written", "") == dry.stderr.replace(
        "cannot be imported; nothing was written", ""
    )
    if real.code:
        assert _sha(registry) == before
    return real


def _refused(sco_cal: Run, registry: Path, calendar: Path, message: str) -> Result:
    result = _import(sco_cal, registry, calendar)
    assert result.code == InvalidCalendar.exit_code == 7, result
    assert message in result.stderr
    return result


# --- 1. what is not kept is counted and named ------------------------------------------------------------------


def test_components_and_properties_not_kept_are_counted_and_named_with_their_line(tmp_path: Path, sco_cal: Run) -> None:
    body = (
        _event("a@test", "Talks", "ATTENDEE;CN=Ann:mailto:ann@example.org", "ATTENDEE;CN=Bob:mailto:bob@example.org")
        + "BEGIN:VTODO\nUID:todo@test\nSUMMARY:Write the note\nEND:VTODO\n"
        + "BEGIN:VJOURNAL\nUID:j@test\nEND:VJOURNAL\n"
        + "BEGIN:VFREEBUSY\nUID:f@test\nEND:VFREEBUSY\n"
        + "BEGIN:X-VENDOR-THING\nX-A:1\nEND:X-VENDOR-THING\n"
    )
    registry = _registry(tmp_path, sco_cal)
    calendar = _file(tmp_path, body)
    result = _import(sco_cal, registry, calendar)
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "1 new, 0 updated, 0 unchanged, 0 errors; not kept: 2 ATTENDEE, 1 VTODO, 1 VJOURNAL, 1 VFREEBUSY, 1 X-* "
        "(--verbose lists them)"
    )
    again = sco_cal("-r", registry, "import", "--dry-run", "--verbose", calendar)
    assert again.stdout.splitlines()[:-1] == [
        f"{calendar}:9: ATTENDEE not kept",
        f"{calendar}:10: ATTENDEE not kept",
        f"{calendar}:12: VTODO not kept",
        f"{calendar}:16: VJOURNAL not kept",
        f"{calendar}:19: VFREEBUSY not kept",
        f"{calendar}:22: X-VENDOR-THING not kept",
    ]
    assert again.stdout.splitlines()[-1] == (
        "0 new, 0 updated, 1 unchanged, 0 errors; not kept: 2 ATTENDEE, 1 VTODO, 1 VJOURNAL, 1 VFREEBUSY, 1 X-*" + DRY
    )


def test_a_file_of_our_own_kind_reports_nothing_not_kept(example: Path, tmp_path: Path, sco_cal: Run) -> None:
    feed = tmp_path / "feed.ics"
    assert sco_cal("-r", example, "export", "-o", feed).code == 0
    result = _import(sco_cal, _registry(tmp_path, sco_cal), feed)
    assert result.code == 0, result.stderr
    assert "not kept" not in result.stdout
    assert result.stdout.splitlines()[-1].endswith(" unchanged, 0 errors")


# --- 2. alarms ---------------------------------------------------------------------------------------------------


def test_alarms_before_the_start_are_kept_whatever_they_are_relative_to(tmp_path: Path, sco_cal: Run) -> None:
    def alarm(trigger: str) -> str:
        return f"BEGIN:VALARM\nACTION:DISPLAY\nDESCRIPTION:x\n{trigger}\nEND:VALARM"

    body = _event(
        "alarms@test",
        "Alarms",
        "DTEND:20200601T110000Z",
        alarm("TRIGGER;RELATED=END:-PT3H"),  # 2 h before the start: kept
        alarm("TRIGGER;RELATED=END:-PT15M"),  # 45 min after the start: not kept
        alarm("TRIGGER;VALUE=DATE-TIME:20200531T100000Z"),  # a day before: kept
        alarm("TRIGGER;VALUE=DATE-TIME:20200601T120000Z"),  # after the start: not kept
        alarm("TRIGGER:-PT30M"),
    ) + _event("open@test", "No end", alarm("TRIGGER;RELATED=END:-PT1H"), start="DTSTART:20200602T100000Z")
    registry = _registry(tmp_path, sco_cal)
    calendar = _file(tmp_path, body)
    result = _import(sco_cal, registry, calendar, "--verbose")
    assert result.code == 0, result.stderr
    reminders = {event.uid: [lead.to_text() for lead in event.reminders] for event in load(registry).events}
    assert reminders == {"alarms@test": ["2h", "1d", "30m"], "open@test": []}
    assert result.stdout.splitlines()[-4:] == [
        f"{calendar}:15: VALARM not kept (fires after the start; sco-cal's reminders come before it)",
        f"{calendar}:25: VALARM not kept (fires after the start; sco-cal's reminders come before it)",
        f"{calendar}:41: VALARM not kept (an alarm relative to the end of an event without an end)",
        "2 new, 0 updated, 0 unchanged, 0 errors; not kept: 3 VALARM",
    ]


# --- 3. a zone that is not known ----------------------------------------------------------------------------------


@pytest.mark.parametrize("prop", ["DTSTART", "DTEND"])
def test_a_time_in_an_unknown_zone_is_refused_with_its_line(tmp_path: Path, sco_cal: Run, prop: str) -> None:
    times = {"DTSTART": "DTSTART:20200601T100000Z", "DTEND": "DTEND:20200601T120000Z"}
    times[prop] = f"{prop};TZID=Nowhere/Zone:20200601T{'10' if prop == 'DTSTART' else '12'}0000"
    body = _event("z@test", "Zoned", times["DTEND"], start=times["DTSTART"])
    line = 7 if prop == "DTSTART" else 9
    _refused(
        sco_cal,
        _registry(tmp_path, sco_cal),
        _file(tmp_path, body),
        f"in.ics:{line}: {prop}: TZID 'Nowhere/Zone' is not a zone sco-cal knows, and the file has no VTIMEZONE",
    )


def test_a_zone_the_file_defines_or_a_windows_name_is_not_refused(tmp_path: Path, sco_cal: Run) -> None:
    zone = (
        "BEGIN:VTIMEZONE\nTZID:Nowhere/Zone\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0300\n"
        "TZOFFSETTO:+0300\nEND:STANDARD\nEND:VTIMEZONE\n"
    )
    body = (
        zone
        + _event("defined@test", "Defined", start="DTSTART;TZID=Nowhere/Zone:20200601T100000")
        + _event("windows@test", "Windows", start="DTSTART;TZID=W. Europe Standard Time:20200601T100000")
    )
    registry = _registry(tmp_path, sco_cal)
    result = _import(sco_cal, registry, _file(tmp_path, body))
    assert result.code == 0, result.stderr
    starts = {event.uid: event.start.earliest(UTC, "UTC") for event in load(registry).events if event.start}
    assert starts == {
        "defined@test": datetime(2020, 6, 1, 7, tzinfo=UTC),
        "windows@test": datetime(2020, 6, 1, 8, tzinfo=UTC),
    }


# --- 4. the dry run and the real run agree -----------------------------------------------------------------------


def test_a_unix_time_as_sequence_is_imported_and_read_back(tmp_path: Path, sco_cal: Run) -> None:
    registry = _registry(tmp_path, sco_cal)
    calendar = _file(tmp_path, _event("seq@test", "Feed", "SEQUENCE:1387231331"))
    result = _import(sco_cal, registry, calendar)
    assert (result.code, result.stdout.splitlines()[-1]) == (0, "1 new, 0 updated, 0 unchanged, 0 errors")
    assert [event.sequence for event in load(registry).events] == [1387231331]
    assert sco_cal("-r", registry, "validate").code == 0
    again = sco_cal("-r", registry, "import", calendar)
    assert (again.code, again.stdout) == (0, "0 new, 0 updated, 1 unchanged, 0 errors\n")


def test_a_sequence_over_an_icalendar_integer_is_refused_by_both_runs(tmp_path: Path, sco_cal: Run) -> None:
    calendar = _file(tmp_path, _event("seq@test", "Feed", "SEQUENCE:2147483648"))
    result = _refused(
        sco_cal, _registry(tmp_path, sco_cal), calendar, "in.ics:9: SEQUENCE: 2147483648 is over 2147483647"
    )
    assert result.stdout == "0 new, 0 updated, 0 unchanged, 1 error\n"
    assert "error: 1 event cannot be imported; nothing was written" in result.stderr


def test_what_the_registry_reader_refuses_is_refused_by_the_dry_run_too(tmp_path: Path, sco_cal: Run) -> None:
    # sco-cal's own properties carrying a source with neither a url nor a title: a registry cannot hold it
    body = _event("ours@test", "Ours", "X-SCO-ID:ours", 'X-SCO-DATA:{"sources": [{}]}')
    result = _refused(
        sco_cal,
        _registry(tmp_path, sco_cal),
        _file(tmp_path, body),
        "in.ics:4: sources: a source needs at least a url or a title (UID 'ours@test')",
    )
    assert result.stdout == "0 new, 0 updated, 0 unchanged, 1 error\n"


# --- 5. no file gives an internal error ---------------------------------------------------------------------------


def test_a_vtimezone_with_two_tzids_keeps_the_first(tmp_path: Path, sco_cal: Run) -> None:
    zone = (
        "BEGIN:VTIMEZONE\nTZID:Europe/Berlin\nTZID:Europe/Paris\nBEGIN:STANDARD\nDTSTART:19701025T030000\n"
        "TZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nEND:STANDARD\nEND:VTIMEZONE\n"
    )
    registry = _registry(tmp_path, sco_cal)
    body = zone + _event("m@test", "Meeting", start="DTSTART;TZID=Europe/Berlin:20200601T100000")
    result = _import(sco_cal, registry, _file(tmp_path, body))
    assert result.code == 0, result.stderr
    assert "in.ics:6: TZID: a second name for the zone; sco-cal keeps the first" in result.stderr
    assert result.stdout.splitlines()[-1].endswith("; not kept: 1 TZID (--verbose lists them)")
    assert [str(event.start.to_text()) for event in load(registry).events if event.start] == [
        "2020-06-01 10:00 Europe/Berlin"
    ]


_SEED = (
    HEAD + "BEGIN:VTIMEZONE\nTZID:Custom/Zone\nBEGIN:STANDARD\nDTSTART:19701025T030000\nTZOFFSETFROM:+0200\n"
    "TZOFFSETTO:+0100\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD\nEND:VTIMEZONE\n"
    + _event(
        "one@test",
        "One",
        "DTEND;TZID=Custom/Zone:20200601T110000",
        "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3",
        "SEQUENCE:2",
        "BEGIN:VALARM\nACTION:DISPLAY\nTRIGGER;RELATED=END:-PT2H\nEND:VALARM",
        start="DTSTART;TZID=Custom/Zone:20200601T100000",
    )
    + "BEGIN:VTODO\nUID:t@test\nEND:VTODO\n"
    + TAIL
).splitlines()
_MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["delete", "repeat", "swap", "cut", "insert"]),
        st.integers(0, len(_SEED) - 1),
        st.integers(0, 40),
        st.sampled_from([";", ":", "=", ",", '"', " ", "\\", "TZID", "-", "Z", "T", "9", "BEGIN:VEVENT"]),
    ),
    min_size=1,
    max_size=3,
)


def _mutated(mutations: list[tuple[str, int, int, str]]) -> bytes:
    lines = list(_SEED)
    for kind, at, column, piece in mutations:
        at %= len(lines)
        if kind == "delete" and len(lines) > 1:
            del lines[at]
        elif kind == "repeat":
            lines.insert(at, lines[at])
        elif kind == "swap":
            lines[at], lines[at - 1] = lines[at - 1], lines[at]
        elif kind == "cut":
            lines[at] = lines[at][: column % (len(lines[at]) + 1)]
        else:
            lines[at] = lines[at][:column] + piece + lines[at][column:]
    return ("\r\n".join(lines) + "\r\n").encode()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MUTATIONS)
def test_small_mutations_of_a_calendar_are_read_or_refused_never_crash(
    mutations: list[tuple[str, int, int, str]],
) -> None:
    data = _mutated(mutations)
    try:
        parsed = ics_read.parse_calendar(data, "fuzz.ics", "Europe/Moscow")
    except InvalidCalendar as error:
        refusal = str(error)
    else:
        refusal = ""
    if refusal:
        assert refusal.startswith("fuzz.ics:"), refusal
        return
    plan = importing.plan([], parsed.events, uid_domain="t.example", default_zone="Europe/Moscow", stamp=_STAMP)
    assert all(error.startswith(("fuzz.ics:", "<calendar>:")) for error in plan.errors)
    assert all(error.startswith("fuzz.ics:") for error in parsed.errors)


# --- 6. refused whole no more: faults in what is not kept --------------------------------------------------------


def test_an_iphone_invitation_with_an_escaped_semicolon_in_a_parameter_imports(tmp_path: Path, sco_cal: Run) -> None:
    location = 'X-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-ADDRESS=Main St\\; 5;X-TITLE="Home":geo:55.7,37.6'
    registry = _registry(tmp_path, sco_cal)
    result = _import(sco_cal, registry, _file(tmp_path, _event("i@test", "Lunch", "LOCATION:Home", location)))
    assert result.code == 0, result.stderr
    assert (
        "in.ics:10: X-APPLE-STRUCTURED-LOCATION: cannot read the parameters from '; 5;X-TITLE=\"Home\":geo:55.7,37...' "
        "on (a backslash does not escape ';' in a parameter" in result.stderr
    )
    assert "folded" not in result.stderr
    assert result.stdout.splitlines()[-1] == (
        "1 new, 0 updated, 0 unchanged, 0 errors; not kept: 1 X-* (--verbose lists them)"
    )
    assert [event.venue.name for event in load(registry).events if event.venue] == ["Home"]


def test_an_attendee_with_a_space_before_a_parameter_is_dropped_with_a_warning(tmp_path: Path, sco_cal: Run) -> None:
    attendee = 'ATTENDEE;CN=Bob; ROLE="REQ-PARTICIPANT":mailto:bob@example.org'
    result = _import(sco_cal, _registry(tmp_path, sco_cal), _file(tmp_path, _event("a@test", "Talks", attendee)))
    assert result.code == 0, result.stderr
    assert "in.ics:9: ATTENDEE: cannot read the parameters from '; ROLE=" in result.stderr
    assert "a space after ';'" in result.stderr
    assert result.stdout.splitlines()[-1].endswith("; not kept: 1 ATTENDEE (--verbose lists them)")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("LOCATION;LANGUAGE=en; X=1:Room", "in.ics:9: LOCATION: cannot read the parameters from '; X=1:Room'"),
        (
            "DESCRIPTION:" + "a" * 70 + "\nthe rest of it",
            (
                "in.ics:10: 'the rest of it' is not a property (NAME:value); it looks like the end of the long "
                "line before it, folded without a leading space"
            ),
        ),
    ],
    ids=["bad-parameter", "fold-without-space"],
)
def test_a_broken_line_in_what_is_kept_is_refused_with_an_accurate_hint(
    tmp_path: Path, sco_cal: Run, line: str, message: str
) -> None:
    _refused(sco_cal, _registry(tmp_path, sco_cal), _file(tmp_path, _event("k@test", "Kept", line)), message)


def test_a_short_stray_line_is_not_called_a_bad_fold(tmp_path: Path, sco_cal: Run) -> None:
    result = _refused(
        sco_cal,
        _registry(tmp_path, sco_cal),
        _file(tmp_path, _event("k@test", "Kept", "SUMMARY here")),
        "in.ics:9: 'SUMMARY here' is not a property (NAME:value)",
    )
    assert "folded" not in result.stderr


def test_a_stray_line_after_the_calendar_is_a_warning(tmp_path: Path, sco_cal: Run) -> None:
    calendar = _file(tmp_path, HEAD + _event("a@test", "Talks") + TAIL + "<!-- served by x -->\n", whole=False)
    result = _import(sco_cal, _registry(tmp_path, sco_cal), calendar)
    assert result.code == 0, result.stderr
    assert "in.ics:11: '<!-- served by x -->' after END:VCALENDAR is not part of the calendar" in result.stderr
    assert result.stdout.splitlines()[-1] == "1 new, 0 updated, 0 unchanged, 0 errors"


def test_empty_rrules_of_a_holiday_feed_mean_no_rule(tmp_path: Path, sco_cal: Run) -> None:
    body = "".join(
        _event(f"h{day}@test", f"Holiday {day}", "RRULE:", start=f"DTSTART;VALUE=DATE:202001{day:02d}")
        for day in (1, 2, 7)
    )
    registry = _registry(tmp_path, sco_cal)
    result = _import(sco_cal, registry, _file(tmp_path, body))
    assert result.code == 0, result.stderr
    assert result.stderr.count("RRULE: empty, so the event does not repeat") == 3
    assert "in.ics:4: RRULE: empty" in result.stderr
    assert result.stdout.splitlines()[-1] == "3 new, 0 updated, 0 unchanged, 0 errors"
    assert [event.recurrence for event in load(registry).events] == [None, None, None]


def test_spaces_in_a_rule_are_normalised(tmp_path: Path, sco_cal: Run) -> None:
    registry = _registry(tmp_path, sco_cal)
    calendar = _file(tmp_path, _event("w@test", "Weekly", "RRULE:FREQ=WEEKLY; BYDAY=MO, TU;COUNT=4"))
    result = _import(sco_cal, registry, calendar)
    assert result.code == 0, result.stderr
    assert [event.recurrence for event in load(registry).events] == ["FREQ=WEEKLY;COUNT=4;BYDAY=MO,TU"]


def test_weeks_written_as_a_time_are_read_as_weeks(tmp_path: Path, sco_cal: Run) -> None:
    registry = _registry(tmp_path, sco_cal)
    result = _import(sco_cal, registry, _file(tmp_path, _event("d@test", "Course", "DURATION:PT1W")))
    assert result.code == 0, result.stderr
    assert "in.ics:4: DURATION: 'PT1W' read as P1W" in result.stderr
    assert [(e.start.to_text(), e.end.to_text()) for e in load(registry).events if e.start and e.end] == [
        ("2020-06-01 10:00 UTC", "2020-06-08 10:00 UTC")
    ]


def test_a_duration_that_is_no_duration_is_refused(tmp_path: Path, sco_cal: Run) -> None:
    calendar = _file(tmp_path, _event("d@test", "Course", "DURATION:soon"))
    _refused(sco_cal, _registry(tmp_path, sco_cal), calendar, "in.ics:9: DURATION: 'soon' is not a duration")


def test_versions_of_one_event_keep_the_highest_sequence(tmp_path: Path, sco_cal: Run) -> None:
    body = (
        _event("v@test", "First", "SEQUENCE:1")
        + _event("v@test", "Latest", "SEQUENCE:3")
        + _event("v@test", "Middle", "SEQUENCE:2")
    )
    registry = _registry(tmp_path, sco_cal)
    result = _import(sco_cal, registry, _file(tmp_path, body))
    assert result.code == 0, result.stderr
    assert (
        "in.ics:11: UID 'v@test': 3 versions of the event; sco-cal keeps the one with the highest SEQUENCE (3) "
        "and drops the older ones at line(s) 4, 18" in result.stderr
    )
    assert result.stdout.splitlines()[-1].endswith("; not kept: 2 VEVENT (--verbose lists them)")
    assert [(event.title, event.sequence) for event in load(registry).events] == [("Latest", 3)]


def test_two_events_with_one_uid_and_one_sequence_are_still_refused(tmp_path: Path, sco_cal: Run) -> None:
    body = _event("v@test", "First", "SEQUENCE:1") + _event("v@test", "Other", "SEQUENCE:1")
    _refused(
        sco_cal,
        _registry(tmp_path, sco_cal),
        _file(tmp_path, body),
        "in.ics:12: UID: 'v@test' is used by the event at line 4 too",
    )


# --- 7. bare events ------------------------------------------------------------------------------------------------


def test_bare_events_without_a_calendar_are_read_with_a_warning(tmp_path: Path, sco_cal: Run) -> None:
    calendar = _file(tmp_path, _event("b1@test", "One") + _event("b2@test", "Two"), whole=False)
    registry = _registry(tmp_path, sco_cal)
    result = _import(sco_cal, registry, calendar)
    assert result.code == 0, result.stderr
    assert "in.ics:1: BEGIN:VEVENT with no BEGIN:VCALENDAR around it" in result.stderr
    assert result.stdout.splitlines()[-1] == "2 new, 0 updated, 0 unchanged, 0 errors"
    assert sorted(event.uid or "" for event in load(registry).events) == ["b1@test", "b2@test"]


def test_a_file_that_starts_with_something_else_is_still_refused(tmp_path: Path, sco_cal: Run) -> None:
    calendar = _file(tmp_path, "BEGIN:VCARD\nFN:Ann\nEND:VCARD\n", whole=False)
    _refused(sco_cal, _registry(tmp_path, sco_cal), calendar, "in.ics:1: not an iCalendar file")


def test_an_event_after_the_calendar_is_read_as_a_bare_one(tmp_path: Path, sco_cal: Run) -> None:
    calendar = _file(tmp_path, HEAD + _event("a@test", "One") + TAIL + _event("b@test", "Two"), whole=False)
    registry = _registry(tmp_path, sco_cal)
    result = _import(sco_cal, registry, calendar)
    assert result.code == 0, result.stderr
    assert "in.ics:11: BEGIN:VEVENT with no BEGIN:VCALENDAR around it" in result.stderr
    assert sorted(event.uid or "" for event in load(registry).events) == ["a@test", "b@test"]


def test_an_alarm_icalendar_cannot_read_is_dropped_not_the_file(tmp_path: Path, sco_cal: Run) -> None:
    broken = "BEGIN:VALARM\nACTION:DISPLAY\nREPEAT:often\nTRIGGER:-PT5M\nEND:VALARM"
    good = "BEGIN:VALARM\nACTION:DISPLAY\nTRIGGER:-PT10M\nEND:VALARM"
    registry = _registry(tmp_path, sco_cal)
    calendar = _file(tmp_path, _event("a@test", "Talks", broken, good))
    result = _import(sco_cal, registry, calendar, "--verbose")
    assert result.code == 0, result.stderr
    assert f"{calendar}:9: VALARM not kept (cannot be read: " in result.stdout
    assert result.stdout.splitlines()[-1] == "1 new, 0 updated, 0 unchanged, 0 errors; not kept: 1 VALARM"
    assert [[lead.to_text() for lead in event.reminders] for event in load(registry).events] == [["10m"]]


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("STATUS:MAYBE", "STATUS: 'MAYBE' is not TENTATIVE, CONFIRMED or CANCELLED; not kept"),
        ("LAST-MODIFIED:yesterday", "LAST-MODIFIED: cannot be read"),
    ],
)
def test_a_value_that_cannot_be_kept_is_a_warning_and_counted(
    tmp_path: Path, sco_cal: Run, line: str, why: str
) -> None:
    result = _import(sco_cal, _registry(tmp_path, sco_cal), _file(tmp_path, _event("a@test", "Talks", line)))
    assert result.code == 0, result.stderr
    assert f"in.ics:9: {why}" in result.stderr
    name = line.partition(":")[0]
    assert result.stdout.splitlines()[-1] == (
        f"1 new, 0 updated, 0 unchanged, 0 errors; not kept: 1 {name} (--verbose lists them)"
    )


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("DTEND;VALUE=DATE:20200602", "DTEND: a day where the start is a time"),
        ("DTEND:20200601T090000Z", "DTEND: the end comes before the start; not kept"),
        ("DURATION:-PT1H", "DURATION: the end comes before the start; not kept"),
    ],
)
def test_an_end_that_cannot_be_one_is_a_warning_not_a_silent_drop(
    tmp_path: Path, sco_cal: Run, line: str, why: str
) -> None:
    registry = _registry(tmp_path, sco_cal)
    result = _import(sco_cal, registry, _file(tmp_path, _event("a@test", "Talks", line)))
    assert result.code == 0, result.stderr
    assert f"in.ics:9: {why}" in result.stderr
    assert [event.end for event in load(registry).events] == [None]
