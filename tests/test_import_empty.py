"""An import into an empty registry reads each event from the lines the scan unfolded: a plain line or one with
simple parameters is split without icalendar's character walk, a property name's value type is looked up once,
and the properties nothing reads never reach icalendar. Each event must come out as icalendar's own parse of
its text gives it, whatever its lines hold."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Result
from icalendar import Component

from sco_cal.ics.contentlines import QUICK_SPLIT, component_of
from sco_cal.ics.scan import UNREAD, Notes, scan

# Every kind of line the quick paths take or hand on: plain, simple parameters (any case, a name given twice),
# parameters only the walk reads (quoted, RFC 6868 ^-escapes, %-encoding), X- names taken verbatim, escapes.
_EVENTS = [
    [
        "UID:plain@test",
        "DTSTAMP:garbage",  # nothing reads it: a value icalendar would refuse does not matter
        "CREATED:nonsense",
        "PRIORITY:high",
        "TRANSP:maybe",
        "dtstart;tzid=Europe/Moscow:20310310T100000",
        "DTEND;TZID=Europe/Moscow;TZID=Asia/Almaty:20310310T130000",
        "SUMMARY:yes",
        r"LOCATION:Astana\, Kazakhstan",
        r"DESCRIPTION:Line one\nline two\; three \\ four",
        "CATEGORIES:SCO,defence",
        "X-SCO-NOTE:a\\,b:c;d",
    ],
    [
        "UID:params@test",
        "DTSTART;VALUE=DATE:20310311",
        'DTEND;VALUE="DATE":20310312',
        "SUMMARY;LANGUAGE=ru:Совещание",
        'LOCATION;ALTREP="http://x.example/a:b":Moscow',
        "DESCRIPTION;X-NOTE=a^'b:Quoted ^n note",
        "URL;X-A=%41:https://news.example.org/a?b=c;d",
        "STATUS:TENTATIVE",
        "SEQUENCE:3",
    ],
    [
        "UID:alarm@test",
        "DTSTART:20310312T090000Z",
        "DURATION:PT2H",
        "SUMMARY:12:30",
        "RRULE:FREQ=YEARLY;COUNT=3",
        "EXDATE:20320312T090000Z",
        "BEGIN:VALARM",
        "TRIGGER;RELATED=START:-P1D",
        "ACTION:DISPLAY",
        "DESCRIPTION:Reminder",
        "END:VALARM",
    ],
]


def _calendar(path: Path) -> Path:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for event in _EVENTS:
        lines += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    path.write_bytes(("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode())
    return path


def _described(component: Component) -> list[tuple[str, str, list[tuple[str, Any]], bytes]]:
    """Each property of a component as icalendar holds it: name, value type, parameters and text."""
    found = []
    for part in component.walk():
        for name, value in part.property_items(recursive=False):
            values = value if isinstance(value, list) else [value]
            for each in values:
                params = sorted(getattr(each, "params", {}).items())
                found.append((name, type(each).__name__, params, each.to_ical() if hasattr(each, "to_ical") else b""))
    return found


@pytest.mark.skipif(not QUICK_SPLIT, reason="the installed icalendar lacks the parser parts the quick split uses")
def test_each_event_is_the_component_icalendar_itself_reads_from_its_text(tmp_path: Path) -> None:
    parts = list(scan(_calendar(tmp_path / "a.ics").read_bytes(), "a.ics", Notes(), leave_out=UNREAD))
    events = [part for part in parts if part.name == "VEVENT"]
    assert len(events) == len(_EVENTS)
    for part in events:
        assert not any(line.split(":")[0].upper() in UNREAD for line in part.lines)  # left out by the scan
        ours = component_of(part.lines)
        theirs = Component.from_ical("\r\n".join(part.lines) + "\r\n")
        assert _described(ours) == _described(theirs)
        assert ours.to_ical() == theirs.to_ical()
        assert [sub.name for sub in ours.walk()] == [sub.name for sub in theirs.walk()]


def test_an_import_into_an_empty_registry_keeps_what_each_kind_of_line_says(
    tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    registry = tmp_path / "r.yaml"
    assert sco_cal("-r", registry, "init", "--timezone", "UTC").code == 0
    result = sco_cal("-r", registry, "import", "--verbose", _calendar(tmp_path / "a.ics"))
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "3 new, 0 updated, 0 unchanged, 0 errors; not kept: 1 PRIORITY, 1 X-*"
    listed = json.loads(sco_cal("-r", registry, "list", "--format", "json").stdout)["events"]
    by_id = {event["id"]: event for event in listed}
    plain, params = by_id["yes-2031-03-10"], by_id["soveshchanie-2031-03-11"]
    alarm = by_id["12-30-2031-03-12"]
    assert plain["title"] == "yes"
    assert plain["start"]["value"] == "2031-03-10 10:00 Europe/Moscow"  # lower-case name and parameter
    assert plain["end"]["value"] == "2031-03-10 13:00 Asia/Almaty"  # the last TZID of two, as icalendar keeps it
    assert plain["venue"]["name"] == "Astana, Kazakhstan"
    assert plain["notes"] == "Line one\nline two; three \\ four"
    assert plain["tags"] == ["SCO", "defence"]
    assert params["title"] == "Совещание"
    assert params["start"]["value"] == "2031-03-11"
    assert params["end"] is None  # a quoted VALUE is not a day to icalendar: no end, as before
    assert params["venue"]["name"] == "Moscow"
    assert params["notes"] == "Quoted ^n note"
    assert params["sources"] == [
        {"url": "https://news.example.org/a?b=c;d", "title": None, "published": None, "excerpt": None}
    ]
    assert params["status"] == "planned"
    assert alarm["title"] == "12:30"
    assert alarm["recurrence"] == "FREQ=YEARLY;COUNT=3"
    assert alarm["except"] == ["2032-03-12 09:00 UTC"]
    assert alarm["reminders"] == ["1d"]
    text = registry.read_text(encoding="utf-8")
    assert "    title: 'yes'\n" in text
    assert "    title: '12:30'\n" in text
    assert [line.strip() for line in text.splitlines() if line.strip().startswith("uid:")] == [
        "uid: plain@test",
        "uid: params@test",
        "uid: alarm@test",
    ]
    assert sco_cal("-r", registry, "validate").code == 0


def test_values_a_reader_would_take_for_other_than_text_are_quoted_every_time(
    tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    risky = ["yes", "NO", "12:30", "2020", "0o17", ".inf", "~", "on", "Moscow", "- dash", "a: b", "#tag"]
    events = []
    for round_ in range(3):  # each value met again: the remembered answer must be the same one
        for n, title in enumerate(risky):
            events += [
                "BEGIN:VEVENT",
                f"UID:r{round_}-{n}@test",
                f"DTSTART;VALUE=DATE:2031{n % 12 + 1:02d}{round_ + 1:02d}",
                f"SUMMARY:{title}",
                f"CATEGORIES:{title.replace(',', '')}",
                "END:VEVENT",
            ]
    calendar = tmp_path / "risky.ics"
    calendar.write_bytes(("\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *events, "END:VCALENDAR"]) + "\r\n").encode())
    registry = tmp_path / "r.yaml"
    assert sco_cal("-r", registry, "init", "--timezone", "UTC").code == 0
    result = sco_cal("-r", registry, "import", calendar)
    assert result.code == 0, result.stderr
    listed = json.loads(sco_cal("-r", registry, "list", "--format", "json").stdout)["events"]
    titles = sorted(event["title"] for event in listed)
    assert titles == sorted(risky * 3)
    assert all(event["tags"] == [event["title"]] for event in listed)
    text = registry.read_text(encoding="utf-8")
    for quoted in ("'yes'", "'NO'", "'12:30'", "'2020'", "'0o17'", "'.inf'", "'~'", "'on'", "'- dash'", "'a: b'"):
        assert text.count(f"    title: {quoted}\n") == 3
    assert text.count("    title: Moscow\n") == 3


def test_a_scan_for_anything_but_an_import_keeps_every_line_of_an_event(tmp_path: Path) -> None:
    """Sync's content hash and its precision lines read every property of a server's object: the lines an import
    leaves out are still there when nothing is asked to be left out."""
    data = _calendar(tmp_path / "a.ics").read_bytes()
    for part in (part for part in scan(data, "a.ics", Notes()) if part.name == "VEVENT"):
        assert part.index is not None
        kept = {line.split(":")[0].split(";")[0].upper() for line in part.lines}
        assert {name for name, _line in part.index.every_prop} <= kept
