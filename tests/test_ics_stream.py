"""Big calendars are read one event at a time (issue 6): thousands of events in zones that only a VTIMEZONE or
a Windows name gives, zones and calendar properties written after the events that use them, several
VCALENDARs in one file, the size cap, and our own feed coming back whole. Through the installed command."""

from __future__ import annotations

import hashlib
import json
import subprocess
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import SCO_CAL, Result

from sco_cal.errors import InvalidCalendar
from sco_cal.ics import read as ics_read
from sco_cal.ics.lines import MAX_ICS_BYTES
from sco_cal.ics.scan import scan

Run = Callable[..., Result]
MIB = 1024 * 1024
EVENTS = 3000

CUSTOM_ZONE = (  # Outlook's "Customized Time Zone": defined by its VTIMEZONE alone, no IANA name
    "BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
    "TZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
)
WINDOWS_ZONE = (  # Outlook's Windows name, with bare rules: read as the IANA zone it names
    "BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16011028T030000\r\n"
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\nDTSTART:16010325T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _empty(tmp_path: Path, sco_cal: Run, zone: str = "Europe/Moscow") -> Path:
    registry = tmp_path / "imported.yaml"
    result = sco_cal("-r", registry, "init", "--timezone", zone)
    assert result.code == 0, result.stderr
    return registry


def _listed(registry: Path, sco_cal: Run) -> dict[str, dict[str, object]]:
    result = sco_cal("-r", registry, "list", "--format", "json")
    assert result.code == 0, result.stderr
    return {event["title"]: event for event in json.loads(result.stdout)["events"]}


def _event(uid: str, title: str, start: str, end: str | None = None) -> str:
    lines = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20210101T000000Z", start]
    lines += [end] if end else []
    lines += [f"SUMMARY:{title}", "END:VEVENT"]
    return "\r\n".join(lines) + "\r\n"


def _zoned_events(count: int) -> Iterator[tuple[str, str, dict[str, object], dict[str, object] | None]]:
    """(VEVENT text, title, expected start, expected end) for ``count`` events in turn in the four ways a
    foreign calendar places a time: a zone of its own, a Windows zone, floating, all-day."""
    for n in range(count):
        day = f"2021{1 + n % 12:02d}{1 + n % 28:02d}"
        iso = f"{day[:4]}-{day[4:6]}-{day[6:]}"
        hour = 8 + n % 9
        title, uid = f"Event {n:05d}", f"stream-{n}@test"
        if n % 4 == 0:
            text = _event(
                uid,
                title,
                f"DTSTART;TZID=Customized Time Zone:{day}T{hour:02d}0000",
                f"DTEND;TZID=Customized Time Zone:{day}T{hour:02d}3000",
            )
            start: dict[str, object] = {"value": f"{iso}T{hour:02d}:00+05:30", "precision": "minute", "zone": "+05:30"}
            end: dict[str, object] | None = {
                "value": f"{iso}T{hour:02d}:30+05:30",
                "precision": "minute",
                "zone": "+05:30",
            }
        elif n % 4 == 1:
            text = _event(
                uid,
                title,
                f"DTSTART;TZID=W. Europe Standard Time:{day}T{hour:02d}0000",
                f"DTEND;TZID=W. Europe Standard Time:{day}T{hour + 1:02d}0000",
            )
            start = {"value": f"{iso} {hour:02d}:00 Europe/Berlin", "precision": "minute", "zone": "Europe/Berlin"}
            end = {"value": f"{iso} {hour + 1:02d}:00 Europe/Berlin", "precision": "minute", "zone": "Europe/Berlin"}
        elif n % 4 == 2:
            text = _event(uid, title, f"DTSTART:{day}T{hour:02d}0000")
            start = {"value": f"{iso} {hour:02d}:00 Asia/Almaty", "precision": "minute", "zone": "Asia/Almaty"}
            end = None
        else:
            text = _event(uid, title, f"DTSTART;VALUE=DATE:{day}")
            start, end = {"value": iso, "precision": "day"}, None
        yield text, title, start, end


def _calendar(body: str, head: str = "", tail: str = "") -> str:
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//stream//EN\r\n{head}{body}{tail}END:VCALENDAR\r\n"


@pytest.mark.parametrize("layout", ["zones first", "zones and X-WR-TIMEZONE after the events"])
def test_thousands_of_events_in_vtimezone_only_and_windows_zones_import_exactly(
    layout: str, tmp_path: Path, sco_cal: Run
) -> None:
    """RFC 5545 lets a VTIMEZONE and a calendar property come after the events that use them; read one event
    at a time, those events must still get them, as a whole-file parse gives."""
    made = list(_zoned_events(EVENTS))
    calendar_lines = "X-WR-TIMEZONE:Asia/Almaty\r\n" + CUSTOM_ZONE + WINDOWS_ZONE
    body = "".join(text for text, *_ in made)
    text = _calendar(body, head=calendar_lines) if layout == "zones first" else _calendar(body, tail=calendar_lines)
    feed = tmp_path / "big.ics"
    feed.write_text(text, encoding="utf-8", newline="")
    registry = _empty(tmp_path, sco_cal)

    result = sco_cal("-r", registry, "import", feed, timeout=300)

    assert result.code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"{EVENTS} new, 0 updated, 0 unchanged, 0 errors"
    listed = _listed(registry, sco_cal)
    assert len(listed) == EVENTS
    for _text, title, start, end in made:
        assert (listed[title]["start"], listed[title]["end"]) == (start, end), title
    again = sco_cal("-r", registry, "import", feed, timeout=300)
    assert again.stdout == f"0 new, 0 updated, {EVENTS} unchanged, 0 errors\n", again.stderr


def test_each_vcalendar_of_a_file_keeps_its_own_zone_and_lines(tmp_path: Path, sco_cal: Run) -> None:
    first = _calendar(
        _event("m@test", "Moscow floating", "DTSTART:20210301T100000"),
        tail="X-WR-TIMEZONE:Europe/Moscow\r\n",  # after its event: it still applies to it, and only in this calendar
    )
    second = _calendar(
        _event("ny@test", "New York floating", "DTSTART:20210302T100000")
        + _event("c@test", "Own zone", "DTSTART;TZID=Customized Time Zone:20210303T100000"),
        head="X-WR-TIMEZONE:America/New_York\r\n" + CUSTOM_ZONE,
    )
    feed = tmp_path / "two.ics"
    feed.write_text(first + second, encoding="utf-8", newline="")
    registry = _empty(tmp_path, sco_cal, zone="UTC")

    result = sco_cal("-r", registry, "import", feed)

    assert result.code == 0, result.stderr
    listed = _listed(registry, sco_cal)
    assert {title: event["start"]["value"] for title, event in listed.items()} == {  # type: ignore[index]
        "Moscow floating": "2021-03-01 10:00 Europe/Moscow",
        "New York floating": "2021-03-02 10:00 America/New_York",
        "Own zone": "2021-03-03T10:00+05:30",
    }

    broken = (first + second).replace("SUMMARY:Own zone", "SUMMARY:Own zone\r\nRRULE:FREQ=SOMETIMES")
    feed.write_text(broken, encoding="utf-8", newline="")
    rrule_line = broken.split("\r\n").index("RRULE:FREQ=SOMETIMES") + 1
    before = _sha(registry)
    result = sco_cal("-r", registry, "import", feed)
    assert result.code == 7
    assert f"{feed}:{rrule_line}: RRULE:" in result.stderr, result.stderr
    assert "(UID 'c@test')" in result.stderr
    assert _sha(registry) == before


def _padded_calendar(path: Path, size: int) -> None:
    """A sound calendar of exactly ``size`` bytes: one event after a long X- property, folded as RFC 5545 asks."""
    head = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nX-PADDING:"
    tail = _event("pad@test", "Padded", "DTSTART;VALUE=DATE:20210301").encode() + b"END:VCALENDAR\r\n"
    fold = b"\r\n " + b"x" * 72
    block = fold * (MIB // len(fold))
    left = size - len(head) - len(tail) - 2
    with path.open("wb") as handle:
        handle.write(head)
        for _ in range(left // len(block)):
            handle.write(block)
        handle.write(b"y" * (left % len(block)) + b"\r\n" + tail)
    assert path.stat().st_size == size


def test_a_file_just_over_the_cap_is_refused_whole(example: Path, tmp_path: Path, sco_cal: Run) -> None:
    big = tmp_path / "big.ics"
    _padded_calendar(big, MAX_ICS_BYTES + 1)
    before = _sha(example)
    message = f"the file is over {MAX_ICS_BYTES // MIB} MiB"

    result = sco_cal("-r", example, "import", big)
    assert (result.code, result.stdout) == (7, "")
    assert message in result.stderr
    with big.open("rb") as handle:  # standard input is read up to the cap and no further
        piped = subprocess.run(
            [str(SCO_CAL), "-r", str(example), "import", "-"], stdin=handle, capture_output=True, check=False
        )
    assert piped.returncode == 7
    assert message in piped.stderr.decode()
    assert _sha(example) == before


def test_a_file_of_exactly_the_cap_is_not_refused_for_its_size(example: Path, tmp_path: Path, sco_cal: Run) -> None:
    at_cap = tmp_path / "at-cap.ics"
    with at_cap.open("wb") as handle:  # sparse: zeros, so it is refused as binary instead, and cheaply
        handle.truncate(MAX_ICS_BYTES)
    result = sco_cal("-r", example, "import", at_cap)
    assert result.code == 7
    assert "holds a NUL byte" in result.stderr
    assert "MiB" not in result.stderr


def test_the_cap_leaves_room_for_a_feed_of_100000_events() -> None:
    assert MAX_ICS_BYTES >= 2 * 100 * MIB  # our own 100,000-event feed is about 96 MiB


def test_import_of_an_export_of_the_example_restores_its_events(example: Path, tmp_path: Path, sco_cal: Run) -> None:
    feed = tmp_path / "example.ics"
    assert sco_cal("-r", example, "export", "-o", feed).code == 0
    registry = _empty(tmp_path, sco_cal, zone="Europe/Moscow")

    result = sco_cal("-r", registry, "import", feed)

    assert result.code == 0, result.stderr
    dated = {title: event for title, event in _listed(example, sco_cal).items() if event["start"] is not None}
    assert _listed(registry, sco_cal) == dated
    assert result.stdout.splitlines()[-1] == f"{len(dated)} new, 0 updated, 0 unchanged, 0 errors"


def test_scan_hands_on_each_event_before_it_reads_the_rest() -> None:
    data = _calendar(
        _event("one@test", "One", "DTSTART;VALUE=DATE:20210301") + "BEGIN:VEVENT\r\nUID:two@test\r\n"
    ).encode()
    parts = scan(data, "cut.ics")
    event = next(part for part in parts if part.name == "VEVENT")
    assert event.index is not None
    assert (event.index.line, event.index.uid, event.lines[-1]) == (4, "one@test", "END:VEVENT")
    with pytest.raises(InvalidCalendar, match=r"^cut\.ics:12: END:VCALENDAR does not close BEGIN:VEVENT \(line 10\)"):
        list(parts)


def test_memory_of_a_parse_follows_one_event_not_the_file() -> None:
    """A whole-file parse holds every event's icalendar objects at once: 4,500 bytes an event of this size at
    the peak, 16,000 for one of our own (1.6 GiB for 100,000). What each further event adds to the peak is what
    is kept of it, about 1,100 bytes; what a parse needs besides (modules, zones) does not grow with the file,
    so two sizes are compared."""
    peaks = {}
    for count in (1000, 3000):
        data = _calendar("".join(text for text, *_ in _zoned_events(count)), head=CUSTOM_ZONE + WINDOWS_ZONE).encode()
        tracemalloc.start()
        try:
            parsed = ics_read.parse_calendar(data, "big.ics", "UTC")
            peaks[count] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert (len(parsed.events), parsed.errors) == (count, [])
        del parsed
    per_event = (peaks[3000] - peaks[1000]) / 2000
    assert per_event < 2500, f"{per_event:.0f} bytes per further event at the peak"
