"""An import reads a plain event straight from its lines (``sco_cal.ics.plain``) and hands every other event to
icalendar: whatever a file holds, what is read (events, field by field and in order, errors, warnings, what is
not kept) must be what reading every event through icalendar gives. A corpus of odd inputs and random events
are read both ways in-process; the installed sco-cal imports the corpus both ways into empty registries."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sco_cal.errors import InvalidCalendar
from sco_cal.ics import read
from sco_cal.ics.read import Parsed, parse_calendar

_MOSCOW_ZONE = (
    "BEGIN:VTIMEZONE\nTZID:Custom/Zone\nBEGIN:STANDARD\nDTSTART:19701025T030000\nTZOFFSETFROM:+0200\n"
    "TZOFFSETTO:+0100\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD\nBEGIN:DAYLIGHT\n"
    "DTSTART:19700329T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\n"
    "END:DAYLIGHT\nEND:VTIMEZONE"
)

# Events of every kind a plain reading takes or must hand on: each a list of content lines (unfolded).
CORPUS: list[list[str]] = [
    ["UID:day@t", "DTSTAMP:20300101T000000Z", "DTSTART;VALUE=DATE:20310502", "DTEND;VALUE=DATE:20310504", "SUMMARY:D"],
    ["UID:utc@t", "DTSTART:20311231T131500Z", "DTEND:20311231T151500Z", "SUMMARY:UTC", r"LOCATION:Astana\, KZ"],
    ["UID:floating@t", "DTSTART:20310310T100000", "DTEND:20310310T120000", "SUMMARY:Floating"],
    ["UID:zoned@t", "DTSTART;TZID=Europe/Moscow:20310310T100000", "DTEND;TZID=Asia/Almaty:20310310T130000"],
    ["UID:lower@t", "dtstart;tzid=Europe/Moscow:20310310T100000", "summary:lower case names"],
    ["UID:two-tzids@t", "DTSTART;TZID=Europe/Moscow;TZID=Asia/Almaty:20310310T100000", "SUMMARY:x"],
    ["UID:day-tzid@t", "DTSTART;TZID=Europe/Berlin:20310310", "SUMMARY:a day with a zone is a time to icalendar"],
    ["UID:windows@t", "DTSTART;TZID=W. Europe Standard Time:20310601T100000", "SUMMARY:Outlook"],
    ["UID:unknown-zone@t", "DTSTART;TZID=Nowhere/Zone:20310601T100000", "SUMMARY:refused"],
    ["UID:custom@t", "DTSTART;TZID=Custom/Zone:20310601T100000", "RRULE:FREQ=WEEKLY;COUNT=3", "SUMMARY:custom"],
    ["UID:quoted-zone@t", 'DTSTART;TZID="Europe/Moscow":20310310T100000', "SUMMARY:quoted"],
    ["UID:utc-name@t", "DTSTART;TZID=UTC:20310310T100000", "DTEND;TZID=Etc/GMT+3:20310310T130000"],
    ["UID:datetime@t", "DTSTART;VALUE=DATE-TIME:20310310T100000Z", "SUMMARY;LANGUAGE=ru:Совещание"],
    ["UID:date-no-value@t", "DTSTART:20310310", "DTEND:20310311", "SUMMARY:no VALUE"],
    ["UID:mixed@t", "DTSTART;VALUE=DATE:20310310", "DTEND:20310311T100000Z", "SUMMARY:end of another kind"],
    ["UID:backwards@t", "DTSTART:20310310T100000Z", "DTEND:20310309T100000Z", "SUMMARY:end before start"],
    ["UID:same@t", "DTSTART:20310310T100000Z", "DTEND:20310310T100000Z"],
    ["UID:duration@t", "DTSTART:20310312T090000Z", "DURATION:PT2H", "SUMMARY:duration"],
    ["UID:weeks@t", "DTSTART:20310312T090000Z", "DURATION:PT1W"],
    ["UID:escapes@t", "DTSTART:20310312", r"SUMMARY:a\, b\; c\\d\nnext\Nline\:x\q", r"DESCRIPTION:one\ntwo\\"],
    ["UID:blank@t", "DTSTART:20310312", "SUMMARY:   ", "LOCATION: ", "DESCRIPTION:"],
    ["UID:no-summary@t", "DTSTART:20310312"],
    ["UID:  spaced@t  ", "DTSTART:20310312", "SUMMARY:  spaced  "],
    ["DTSTART:20310313", "SUMMARY:no uid"],
    [r"UID:esc\,aped@t", "DTSTART:20310313", "SUMMARY:uid"],
    ["UID:url@t", "DTSTART:20310313", r"URL:https://e.example/a?b=c\,d;e%3A"],
    ["UID:url-param@t", "DTSTART:20310313", "URL;VALUE=URI:https://e.example/"],
    ["UID:altrep@t", "DTSTART:20310313", 'LOCATION;ALTREP="http://x.example/a:b":Moscow'],
    ["UID:language-quoted@t", "DTSTART:20310313", 'SUMMARY;LANGUAGE="en":quoted language'],
    ["UID:value-text@t", "DTSTART:20310313", "SUMMARY;VALUE=TEXT:typed text"],
    ["UID:status@t", "DTSTART:20310313", "STATUS:tentative "],
    ["UID:status-bad@t", "DTSTART:20310313", "STATUS:MAYBE"],
    ["UID:cancelled@t", "DTSTART:20310313", "STATUS:CANCELLED", "SEQUENCE:7"],
    ["UID:seq-plus@t", "DTSTART:20310313", "SEQUENCE:+3"],
    ["UID:seq-huge@t", "DTSTART:20310313", "SEQUENCE:99999999999"],
    ["UID:seq-bad@t", "DTSTART:20310313", "SEQUENCE:three"],
    ["UID:modified@t", "DTSTART:20310313", "LAST-MODIFIED:20300102T030405Z"],
    ["UID:modified-floating@t", "DTSTART:20310313", "LAST-MODIFIED:20300102T030405"],
    ["UID:modified-day@t", "DTSTART:20310313", "LAST-MODIFIED:20300102"],
    ["UID:modified-bad@t", "DTSTART:20310313", "LAST-MODIFIED:yesterday"],
    ["UID:modified-zoned@t", "DTSTART:20310313", "LAST-MODIFIED;TZID=Europe/Moscow:20300102T030405"],
    ["UID:rule@t", "DTSTART;VALUE=DATE:20021007", "DTEND;VALUE=DATE:20021008", "RRULE:FREQ=YEARLY"],
    ["UID:rule-until@t", "DTSTART;TZID=Europe/Moscow:20310310T100000", "RRULE:FREQ=DAILY;UNTIL=20310320T000000Z"],
    ["UID:rule-until-day@t", "DTSTART;VALUE=DATE:20310310", "RRULE:FREQ=WEEKLY;UNTIL=20310410T120000Z;BYDAY=MO"],
    ["UID:rule-spaces@t", "DTSTART:20310310T100000Z", "RRULE:FREQ=WEEKLY;BYDAY=MO, TU"],
    ["UID:rule-bad@t", "DTSTART:20310310T100000Z", "RRULE:FREQ=SOMETIMES"],
    ["UID:rule-empty@t", "DTSTART:20310310T100000Z", "RRULE:"],
    ["UID:rule-no-start@t", "RRULE:FREQ=DAILY", "SUMMARY:no start"],
    ["UID:rules@t", "DTSTART:20310310T100000Z", "RRULE:FREQ=DAILY;COUNT=2", "RRULE:FREQ=WEEKLY"],
    ["UID:exdate@t", "DTSTART:20310310T100000Z", "RRULE:FREQ=DAILY;COUNT=5", "EXDATE:20310311T100000Z"],
    ["UID:rdate@t", "DTSTART;VALUE=DATE:20310310", "RRULE:FREQ=WEEKLY;COUNT=5", "RDATE;VALUE=DATE:20310401"],
    ["UID:exdate@t", "RECURRENCE-ID:20310312T100000Z", "DTSTART:20310312T150000Z", "SUMMARY:moved"],
    [
        "UID:exdates@t",
        "DTSTART;TZID=Europe/Moscow:20310310T100000",
        "RRULE:FREQ=DAILY;COUNT=9",
        "EXDATE;TZID=Europe/Moscow:20310311T100000,20310312T100000",
        "EXDATE:20310313T070000Z",
        "EXDATE:20310314T100000",
        "EXDATE;VALUE=DATE:20310315",
        "EXDATE:20310311T070000Z",
        "RDATE;TZID=Asia/Almaty:20310401T120000",
        "RDATE;VALUE=DATE:20310402",
    ],
    ["UID:exdate-alone@t", "DTSTART:20310310T100000Z", "EXDATE:20310311T100000Z", "RDATE:20310312T100000Z"],
    [
        "UID:exdate-zone@t",
        "DTSTART;TZID=Custom/Zone:20310310T100000",
        "RRULE:FREQ=DAILY",
        "EXDATE;TZID=Custom/Zone:20310311T100000",
    ],
    [
        "UID:exdate-nowhere@t",
        "DTSTART;VALUE=DATE:20310310",
        "RRULE:FREQ=DAILY",
        "EXDATE;TZID=Nowhere/Zone:20310311T100000",
    ],
    ["UID:rdate-period@t", "DTSTART:20310310T100000Z", "RRULE:FREQ=DAILY", "RDATE:20310401T100000Z/PT1H"],
    [
        "UID:rdate-period-value@t",
        "DTSTART:20310310T100000Z",
        "RRULE:FREQ=DAILY",
        "RDATE;VALUE=PERIOD:20310401T100000Z/PT1H",
    ],
    ["UID:rdate-empty@t", "DTSTART:20310310T100000Z", "RRULE:FREQ=DAILY", "RDATE:"],
    ["UID:rdate-empty-alone@t", "DTSTART:20310310T100000Z", "RDATE:"],  # icalendar drops it: no warning
    ["UID:exdate-bad@t", "DTSTART:20310310T100000Z", "RRULE:FREQ=DAILY", "RDATE:tomorrow"],
    ["UID:exdate-empty-item@t", "DTSTART:20310310T100000Z", "RRULE:FREQ=DAILY", "RDATE:20310311T100000Z,"],
    ["UID:categories@t", "DTSTART:20310313", r"CATEGORIES:SCO,defence\,x"],
    ["UID:twice@t", "DTSTART:20310313", "SUMMARY:first", "SUMMARY:second"],
    ["UID:start-twice@t", "DTSTART:20310313", "DTSTART:20310314"],
    ["UID:ours@t", "DTSTART:20310313", "X-SCO-ID:ours-2031", "SUMMARY:ours"],
    ["UID:x-other@t", "DTSTART:20310313", 'X-APPLE-STRUCTURED-LOCATION;X-TITLE="a:b";VALUE=URI:geo:1,2', "X-A:b"],
    ["UID:attendee@t", "DTSTART:20310313", 'ATTENDEE;CN="Doe, J";ROLE=CHAIR:mailto:j@x.example', "GEO:bad"],
    ["UID:alarm@t", "DTSTART:20310313T090000Z", "BEGIN:VALARM", "TRIGGER:-P1D", "ACTION:DISPLAY", "END:VALARM"],
    ["UID:bad-alarm@t", "DTSTART:20310313T090000Z", "BEGIN:VALARM", "TRIGGER:soon", "END:VALARM"],
    ["UID:long-line@t", "DTSTART:20310313", "DESCRIPTION:" + "Долгое описание, " * 40],
    ["UID:lone-cr@t", "DTSTART:20310313", "SUMMARY:a\rb"],
    ["UID:bad-date@t", "DTSTART:2031031", "SUMMARY:short date"],
    ["UID:dtend-only@t", "DTEND:20310313", "SUMMARY:end alone"],
    ["UID:period@t", "DTSTART:20310313T090000Z/PT1H"],
    ["UID:empty-value@t", "DTSTART;VALUE=DATE:", "SUMMARY:x"],
]


def _calendar(events: list[list[str]], *, header: tuple[str, ...] = (), zones: bool = True) -> list[str]:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *header]
    if zones:
        lines += _MOSCOW_ZONE.split("\n")
    for event in events:
        lines += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    return [*lines, "END:VCALENDAR"]


def _fold(line: str, width: int) -> str:
    """RFC 5545 folding at ``width`` characters (a multi-byte character never split)."""
    pieces = [line[i : i + width] for i in range(0, len(line), width)] or [""]
    return "\r\n ".join(pieces)


def _bytes(lines: list[str], *, newline: str = "\r\n", width: int = 0) -> bytes:
    text = newline.join(_fold(line, width) if width else line for line in lines) + newline
    return text.replace("\r\n ", newline + " ").encode()


def _all_through_icalendar(data: bytes, zone: str, monkeypatch: pytest.MonkeyPatch) -> Parsed | str:
    with monkeypatch.context() as patched:
        patched.setattr(read, "plain_event", lambda part, context: None)
        return _read(data, zone)


def _read(data: bytes, zone: str) -> Parsed | str:
    try:
        return parse_calendar(data, "in.ics", zone)
    except InvalidCalendar as error:
        return f"refused: {error}"


def _shape(parsed: Parsed | str) -> Any:
    """What is compared: everything, and each event's fields in order with their types."""
    if isinstance(parsed, str):
        return parsed
    fields = [[(key, type(value), value) for key, value in event.fields.items()] for event in parsed.events]
    return parsed, fields, [type(event.recurrence_id) for event in parsed.events]


def _plain_count(data: bytes, zone: str, monkeypatch: pytest.MonkeyPatch) -> int:
    taken: list[object] = []
    plain = read.plain_event

    def counted(part: Any, context: Any) -> Any:
        found = plain(part, context)
        taken.extend([found] if found is not None else [])
        return found

    with monkeypatch.context() as patched:
        patched.setattr(read, "plain_event", counted)
        _read(data, zone)
    return len(taken)


def _each_event_alone() -> Iterator[list[list[str]]]:
    for event in CORPUS:
        yield [event]


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
@pytest.mark.parametrize("width", [0, 30, 75])
def test_the_corpus_reads_as_icalendar_reads_it(newline: str, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    kept = [event for event in CORPUS if "SUMMARY:a\rb" not in event]  # a lone CR is a line break once folded
    for events in [kept, *_each_event_alone()]:
        data = _bytes(_calendar(events), newline=newline, width=width)
        for zone in ("UTC", "Asia/Tashkent"):
            assert _shape(_read(data, zone)) == _shape(_all_through_icalendar(data, zone, monkeypatch)), events


def test_the_plain_reading_takes_the_plain_events_and_only_those(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = [
        "day@t",
        "utc@t",
        "floating@t",
        "zoned@t",
        "lower@t",
        "day-tzid@t",
        "utc-name@t",
        "datetime@t",
        "date-no-value@t",
        "mixed@t",
        "backwards@t",
        "same@t",
        "escapes@t",
        "blank@t",
        "no-summary@t",
        "  spaced@t  ",
        r"esc\,aped@t",
        "url@t",
        "status@t",
        "status-bad@t",
        "cancelled@t",
        "modified@t",
        "modified-floating@t",
        "modified-day@t",
        "rule@t",
        "rule-until@t",
        "rule-until-day@t",
        "rule-empty@t",
        "rule-no-start@t",
        "exdate@t",
        "rdate@t",
        "exdates@t",
        "exdate-alone@t",
        "exdate-nowhere@t",
        "rdate-period@t",
        "x-other@t",
        "attendee@t",
        "long-line@t",
        "dtend-only@t",
    ]
    for event in CORPUS:
        data = _bytes(_calendar([event], zones=False))
        moved = any(line.startswith("RECURRENCE-ID") for line in event)
        expected = 1 if event[0].removeprefix("UID:") in plain and not moved else 0
        assert _plain_count(data, "UTC", monkeypatch) == expected, event


def test_calendar_properties_and_a_late_zone_read_as_icalendar_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    events = [event for event in CORPUS if event[0] in ("UID:floating@t", "UID:custom@t", "UID:rule-until@t")]
    late = _calendar(events, zones=False)
    late[-1:-1] = [*_MOSCOW_ZONE.split("\n"), "X-WR-TIMEZONE:America/New_York"]
    for lines in (_calendar(events, header=("X-WR-TIMEZONE:Asia/Almaty",)), late):
        data = _bytes(lines)
        assert _shape(_read(data, "UTC")) == _shape(_all_through_icalendar(data, "UTC", monkeypatch))


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12).map(
    lambda text: text.replace("\n", "")
)
_VALUE = st.one_of(_TEXT, st.sampled_from([r"a\,b", r"\n", r"\\", r"x\;y\:z", "  ", r"\N\q", "Москва, Россия"]))
_DATE = st.sampled_from(["20310310", "20310311", "20310229", "2031031", "20310310T100000", "20310310T100000Z"])
_DATE_PARAMS = st.sampled_from(["", ";VALUE=DATE", ";VALUE=DATE-TIME", ";TZID=Europe/Moscow", ";tzid=Asia/Almaty"])
_LINE = st.one_of(
    st.tuples(st.sampled_from(["DTSTART", "DTEND", "LAST-MODIFIED", "dtstart"]), _DATE_PARAMS, _DATE),
    st.tuples(st.sampled_from(["SUMMARY", "DESCRIPTION", "LOCATION", "URL", "UID", "Summary"]), st.just(""), _VALUE),
    st.tuples(st.sampled_from(["SUMMARY", "LOCATION"]), st.sampled_from([";LANGUAGE=en", ';LANGUAGE="en"']), _VALUE),
    st.tuples(st.just("STATUS"), st.just(""), st.sampled_from(["CONFIRMED", "tentative", " CANCELLED", "x"])),
    st.tuples(st.just("SEQUENCE"), st.just(""), st.sampled_from(["0", "12", "+1", "2147483648", "a"])),
    st.tuples(st.just("RRULE"), st.just(""), st.sampled_from(["FREQ=YEARLY", "FREQ=WEEKLY;COUNT=3", "FREQ=NO"])),
    st.tuples(st.sampled_from(["X-FOO", "COMMENT", "CATEGORIES"]), st.just(""), _DATE),
    st.tuples(
        st.sampled_from(["EXDATE", "RDATE", "exdate"]),
        st.one_of(_DATE_PARAMS, st.just(";VALUE=PERIOD")),
        st.lists(st.one_of(_DATE, st.just("20310310T100000Z/PT1H")), max_size=3).map(",".join),
    ),
)


@st.composite
def _events(draw: st.DrawFn) -> list[list[str]]:
    events = []
    for number in range(draw(st.integers(1, 4))):
        lines = [f"{name}{params}:{value}" for name, params, value in draw(st.lists(_LINE, max_size=8))]
        if draw(st.booleans()):
            lines.insert(0, f"UID:e{number}@t")
        events.append(lines)
    return events


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    events=_events(),
    newline=st.sampled_from(["\r\n", "\n"]),
    width=st.sampled_from([0, 20, 75]),
    zone=st.sampled_from(["UTC", "Europe/Berlin"]),
)
def test_random_events_read_as_icalendar_reads_them(
    events: list[list[str]], newline: str, width: int, zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _bytes(_calendar(events), newline=newline, width=width)
    assert _shape(_read(data, zone)) == _shape(_all_through_icalendar(data, zone, monkeypatch))


_THROUGH_ICALENDAR = (
    "import sys; from sco_cal.ics import read; read.plain_event = lambda part, context: None; "
    "from sco_cal.cli import main; sys.argv[0] = 'sco-cal'; main()"
)


def _import_both_ways(tmp_path: Path, sco_cal: Callable[..., Result], data: bytes) -> tuple[Any, Any]:
    calendar = tmp_path / "in.ics"
    calendar.write_bytes(data)
    empty = tmp_path / "empty.yaml"
    assert sco_cal("-r", empty, "init", "--timezone", "Asia/Tashkent").code == 0
    found = []
    for way in ("plain", "icalendar"):
        registry = tmp_path / way / "r.yaml"
        registry.parent.mkdir()
        registry.write_bytes(empty.read_bytes())  # one identity (uid_domain) for both
        args = ["-r", str(registry), "import", "--verbose", str(calendar)]
        if way == "plain":
            result = sco_cal(*args)
            outcome = (result.code, result.stdout, result.stderr)
        else:
            command = [sys.executable, "-c", _THROUGH_ICALENDAR, *args]
            run = subprocess.run(command, capture_output=True, text=True, check=False)
            outcome = (run.returncode, run.stdout, run.stderr)
        found.append((outcome, _import_time_masked(registry.read_bytes())))
    return found[0], found[1]


def _import_time_masked(text: bytes) -> bytes:
    """The registry, with the time of the import (an event's ``updated`` without LAST-MODIFIED) masked: the two
    imports run a second apart. The corpus' LAST-MODIFIED times are in 2030."""
    return re.sub(rb"updated: '(?!2030-)[^']*'", b"updated: (the import's time)", text)


_REFUSED_FILE = ("bad-date", "lone-cr", "period", "empty-value")  # the scan refuses the whole file
_REFUSED_EVENT = ("unknown-zone", "seq-huge", "seq-bad", "rule-bad", "start-twice", "exdate-bad", "exdate-empty-item")


def _corpus_without(*left_out: str) -> list[list[str]]:
    return [event for event in CORPUS if not any(name in event[0] for name in left_out)]


def test_the_installed_sco_cal_imports_the_corpus_as_icalendar_reads_it(
    tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    events = _corpus_without(*_REFUSED_FILE, *_REFUSED_EVENT)
    plain, icalendar = _import_both_ways(tmp_path, sco_cal, _bytes(_calendar(events), newline="\n", width=60))
    assert plain == icalendar
    (code, stdout, stderr), text = plain
    assert code == 0, stderr
    assert text.count(b"\n  - id: ") == len(events)  # the moved occurrence too, tied to its series
    assert b"    uid: day@t\n" in text
    assert b"    occurrence_of: " in text
    assert text.count(b"updated: '2030-01-02T03:04:05Z'") == 2  # LAST-MODIFIED in UTC, and a floating one
    assert stdout.splitlines()[-1].startswith(f"{len(events)} new, 0 updated, 0 unchanged, 0 errors")


def test_events_that_cannot_be_read_get_the_same_messages_either_way(
    tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    events = _corpus_without(*_REFUSED_FILE)
    plain, icalendar = _import_both_ways(tmp_path, sco_cal, _bytes(_calendar(events)))
    assert plain == icalendar
    (code, _, stderr), text = plain
    assert code == 7
    errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(_REFUSED_EVENT) + 1  # and the line that says nothing was written
    unread = "this event cannot be read"  # a broken RDATE: where the event begins, as before
    fields = ("DTSTART: ", "SEQUENCE: ", "SEQUENCE: ", "RRULE: ", unread, unread, "DTSTART: ")
    for line, field in zip(errors, fields, strict=False):
        assert re.match(rf"error: {re.escape(str(tmp_path))}/in\.ics:\d+: {field}", line), line
    assert b"day@t" not in text


def test_a_bad_line_is_refused_with_its_file_line_and_field_either_way(
    tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    events = [CORPUS[0], ["UID:bad@t", "DTSTART;VALUE=DATE:20311340", "SUMMARY:thirteenth month"]]
    plain, icalendar = _import_both_ways(tmp_path, sco_cal, _bytes(_calendar(events, zones=False)))
    assert plain == icalendar
    (code, stdout, stderr), text = plain
    assert code == 7
    assert stdout == ""
    assert len(stderr.splitlines()) == 1
    assert "in.ics:13: DTSTART: " in stderr
    assert b"day@t" not in text
