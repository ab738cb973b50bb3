"""Hostile calendars and hostile text: no traceback, a located message, the registry untouched, and nothing a
title or a group name contains can add to a feed or leave its folder.

The byte-mutation fuzzer's size is ``SCO_CAL_FUZZ_CASES`` (2,000 by default)."""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result
from icalendar import Calendar

from sco_cal.dates import DateValue
from sco_cal.errors import InvalidCalendar
from sco_cal.ics import export as ics_export
from sco_cal.ics import read as ics_read
from sco_cal.ics.publish import Policy
from sco_cal.model import Event, Venue

Run = Callable[..., Result]
FUZZ_CASES = int(os.environ.get("SCO_CAL_FUZZ_CASES", "2000"))
SEED_FEED = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nX-WR-TIMEZONE:Europe/Moscow\r\n"
    "BEGIN:VEVENT\r\nUID:one@test\r\nDTSTAMP:20200101T000000Z\r\nDTSTART;VALUE=DATE:20200624\r\n"
    "DTEND;VALUE=DATE:20200626\r\nSUMMARY:Talks\\, in Moscow\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:two@test\r\nDTSTAMP:20200101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20200301T100000\r\n"
    "SUMMARY:Совещание\r\nLOCATION:Berlin\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
).encode()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mutate(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data))
    choice = rng.randrange(6)
    if choice == 0:
        return data[:at] + data[at + rng.randrange(1, 30) :]
    if choice == 1:
        return data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
    if choice == 2:
        return (
            data[:at] + rng.choice([b"\r\n ", b"\r\n", b":", b";", b"BEGIN:VEVENT\r\n", b"END:VEVENT\r\n"]) + data[at:]
        )
    if choice == 3:
        return data[:at]
    if choice == 4:
        return data.replace(b"20200624", rng.choice([b"20200230", b"2020062", b"99999999", b"20201324"]), 1)
    return data[:at] + "é漢😀".encode()[rng.randrange(1, 8) :] + data[at:]


def test_byte_mutations_never_escape_as_anything_but_invalid_calendar() -> None:
    rng = random.Random(2007)
    outcomes = {"read": 0, "refused": 0}
    for _case in range(FUZZ_CASES):
        data = SEED_FEED
        for _ in range(rng.randrange(1, 4)):
            data = mutate(rng, data) or b"x"
        message = ""
        try:
            ics_read.parse_calendar(data, "mutant.ics", "UTC")
        except InvalidCalendar as error:  # anything else escaping fails the test
            message = str(error)
        outcomes["refused" if message else "read"] += 1
        assert not message or message.startswith("mutant.ics"), message
    assert outcomes["refused"] > FUZZ_CASES // 10, outcomes


def test_mutants_through_the_command_line(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    rng = random.Random(1031)
    before = digest(example)
    for case in range(20):
        mutant = tmp_path / f"m{case}.ics"
        mutant.write_bytes(mutate(rng, mutate(rng, SEED_FEED)))
        result = sco_cal("-r", example, "import", "--dry-run", mutant)
        assert result.code in (0, 7), result.stderr
        assert "Traceback" not in result.stderr
        assert digest(example) == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "many-properties",
            SEED_FEED.replace(b"SUMMARY:Talks", b"".join(b"X-P%d:v\r\n" % i for i in range(100_000)) + b"SUMMARY:T"),
        ),
        ("enormous-line", SEED_FEED.replace(b"SUMMARY:Talks", b"SUMMARY:" + b"w" * (8 * 1024 * 1024))),
        (
            "nested-components",
            SEED_FEED.replace(b"SUMMARY:Talks", b"BEGIN:VEVENT\r\n" * 2000 + b"END:VEVENT\r\n" * 2000 + b"SUMMARY:T"),
        ),
        ("only-begins", b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\n" * 50_000),
    ],
)
def test_adversarial_shapes(sco_cal: Run, example: Path, tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / f"{name}.ics"
    path.write_bytes(data)
    before = digest(example)
    result = sco_cal("-r", example, "import", path, timeout=120)
    assert result.code in (0, 7), result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) <= 3
    if result.code == 7:
        assert f"{path}:" in result.stderr
    else:
        assert digest(example) != before or "0 new" in result.stdout


HOSTILE_TEXT = "Talks\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@x\r\nSUMMARY:injected;X=1:2\\n,"


def test_text_can_never_add_a_property_or_a_component() -> None:
    event = Event(
        id="hostile",
        title=HOSTILE_TEXT,
        start=DateValue.from_text("2020-06-24"),
        venue=Venue(name="Moscow;\r\nLOCATION:Elsewhere", country=":Russia:"),
        notes="line\r\nBEGIN:VALARM\r\nTRIGGER:-PT1M\r\nEND:VALARM",
        orgs=("SCO,CIS", "A;B"),
    )
    feed = ics_export.Feed(name="Feed\r\nX-EVIL:1", uid_domain="d.example", default_zone="UTC", policy=Policy.SPAN)
    data = ics_export.export_calendar([event], feed).data
    (calendar,) = Calendar.from_ical(data, multiple=True)
    vevents = calendar.walk("VEVENT")
    assert len(vevents) == 1
    assert not calendar.walk("VALARM")
    assert str(vevents[0]["SUMMARY"]) == HOSTILE_TEXT.replace("\r\n", "\n")  # TEXT has no CR: a line break stays one
    assert str(vevents[0]["LOCATION"]).startswith("Moscow;\nLOCATION:Elsewhere")
    assert "X-EVIL" not in calendar
    assert b"\r\nUID:evil@x" not in data


def test_split_by_names_never_leave_the_folder(sco_cal: Run, tmp_path: Path) -> None:
    registry = tmp_path / "r.yaml"
    registry.write_text("schema: 1\nname: Hostile\ntimezone: UTC\nevents:\n")
    for position, org in enumerate(["../../escape", "/etc/passwd", "NUL", "con.txt", "a/b", "..", "."]):
        added = sco_cal("-r", registry, "add", f"Event {position}", "--date", "2030-01-01", f"--org={org}")
        assert added.code == 0, added.stderr
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    result = sco_cal("-r", registry, "export", "--split-by", "org", "-o", feeds)
    assert result.code == 0, result.stderr
    written = sorted(path for path in tmp_path.rglob("*.ics"))
    assert written, "feeds were written"
    assert all(path.parent == feeds for path in written), written
    assert not any(path.stem.upper() in ("NUL", "CON") for path in written)
