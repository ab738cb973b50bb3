"""An import's write: the save encodes a big text a slice at a time as it writes it, the YAML form of a value
takes a quick path when the value is plainly text, the read-back takes each event equal to the one it wrote
without checking it twice, and a large file is read in pieces found without keeping every item's place.
Whatever the path, the file and every answer are what they were."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Result

# Long notes, Cyrillic in most of them: the registry's text is well over a million characters, so its encoded
# slices meet inside notes, and a slice lost, doubled or cut inside a character would show in a note.
_NOTE_LINE = "Совещание министров обороны: повестка дня, итоги, решения. Defence ministers' meeting. "
_COUNT = 300


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _note(number: int) -> str:
    body = _NOTE_LINE * (40 + number % 7) + f"№{number}"
    return body if number % 3 else body.replace(". D", ".\nD")  # every third one on several lines: a block


def _calendar(path: Path, numbers: range) -> Path:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for number in numbers:
        lines += [
            "BEGIN:VEVENT",
            f"UID:long-{number}@test",
            f"DTSTART:2031{1 + number % 12:02d}{1 + number % 28:02d}T0{number % 10}0000Z",
            f"SUMMARY:Совещание {number}",
            "LAST-MODIFIED:20300101T000000Z",  # not the clock: the two registries are compared byte for byte
            f"DESCRIPTION:{_escaped(_note(number))}",
            "END:VEVENT",
        ]
    path.write_bytes(("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode())
    return path


def _init(sco_cal: Callable[..., Result], registry: Path) -> None:
    assert sco_cal("-r", registry, "init", "--timezone", "UTC").code == 0


def test_a_big_text_written_in_slices_is_every_character_of_it(tmp_path: Path, sco_cal: Callable[..., Result]) -> None:
    whole, halves = tmp_path / "whole.yaml", tmp_path / "halves.yaml"
    _init(sco_cal, whole)
    halves.write_bytes(whole.read_bytes())  # one header, one uid_domain
    imported = sco_cal("-r", whole, "import", _calendar(tmp_path / "all.ics", range(_COUNT)))
    assert imported.code == 0, imported.stderr
    assert imported.stdout.splitlines()[-1] == f"{_COUNT} new, 0 updated, 0 unchanged, 0 errors"
    for name, numbers in (("first.ics", range(_COUNT // 2)), ("second.ics", range(_COUNT // 2, _COUNT))):
        assert sco_cal("-r", halves, "import", _calendar(tmp_path / name, numbers)).code == 0
    text = whole.read_bytes().decode("utf-8")  # valid UTF-8: no slice ends inside a character
    assert len(text) > 1_200_000
    assert whole.read_bytes() == halves.read_bytes()  # new events appended to a list are written as in one go
    for env in ({}, {"SCO_CAL_CACHE": "off"}):
        listed = sco_cal("-r", whole, "list", "--format", "json", env=env)
        assert listed.code == 0, listed.stderr
        notes = {event["title"]: event["notes"] for event in json.loads(listed.stdout)["events"]}
        assert notes == {f"Совещание {number}": _note(number) for number in range(_COUNT)}
    assert sco_cal("-r", whole, "validate").code == 0


# (SUMMARY, LOCATION, CATEGORIES) and the lines they must be written as: words a YAML reader takes for a
# boolean or null quoted, however they are cased; text with a space, or starting with another letter, bare.
_VALUES = [
    ("Yes", "No", "On,off,Null"),
    ("no one came", "Off-site (HQ)", "Null island,y,Tbilisi"),
    ("O'Neil & Co. / talks", "N", "true story,TRUE,Astana"),
    ("Nairobi", "2020", "x-ray,A+B,12:30"),
    ("Москва, Россия: talks", "Москва\\, Россия", "Ёлка,ünïcode,_under"),
]
_WRITTEN = [
    ["    title: 'Yes'", "    venue: 'No'", "    tags: ['On', 'off', 'Null']"],
    ["    title: no one came", "    venue: Off-site (HQ)", "    tags: [Null island, 'y', Tbilisi]"],
    ["    title: O'Neil & Co. / talks", "    venue: 'N'", "    tags: [true story, 'TRUE', Astana]"],
    ["    title: Nairobi", "    venue: '2020'", "    tags: [x-ray, A+B, '12:30']"],
    ["    title: 'Москва, Россия: talks'", "    venue: Москва, Россия", "    tags: [Ёлка, ünïcode, '_under']"],
]


def test_plain_text_is_written_bare_and_words_a_reader_would_take_otherwise_are_quoted(
    tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for number, (title, venue, tags) in enumerate(_VALUES):
        lines += ["BEGIN:VEVENT", f"UID:v{number}@test", f"DTSTART;VALUE=DATE:2031050{number + 1}"]
        lines += [f"SUMMARY:{title}", f"LOCATION:{venue}", f"CATEGORIES:{tags}", "END:VEVENT"]
    calendar = tmp_path / "values.ics"
    calendar.write_text("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n", encoding="utf-8")
    registry = tmp_path / "r.yaml"
    _init(sco_cal, registry)
    assert sco_cal("-r", registry, "import", calendar).code == 0
    written = registry.read_text(encoding="utf-8").splitlines()
    for expected in _WRITTEN:
        for line in expected:
            assert line in written
    listed = json.loads(sco_cal("-r", registry, "list", "--format", "json").stdout)["events"]
    by_title = {event["title"]: event for event in listed}
    for title, venue, tags in _VALUES:
        event = by_title[title]
        assert (event["venue"]["name"], event["tags"]) == (venue.replace("\\", ""), tags.split(","))


def test_a_problem_deep_in_a_large_file_is_named_at_its_own_line(
    tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    registry = tmp_path / "r.yaml"
    _init(sco_cal, registry)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for number in range(1_000):  # three pieces of 400 items and a short last one
        lines += ["BEGIN:VEVENT", f"UID:p{number}@test", f"DTSTART;VALUE=DATE:2031{1 + number % 12:02d}15"]
        lines += [f"SUMMARY:Meeting {number}", "END:VEVENT"]
    calendar = tmp_path / "many.ics"
    calendar.write_text("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n", encoding="utf-8")
    assert sco_cal("-r", registry, "import", calendar).code == 0
    text = registry.read_text(encoding="utf-8").splitlines()
    for target in ("uid: p405@test", "uid: p950@test"):  # in the second piece and the last
        at = text.index(f"    {target}")
        start = next(n for n in range(at, 0, -1) if text[n].startswith("    start: "))
        text[start] = "    start: 2031-13-15"
        registry.write_text("\n".join(text) + "\n", encoding="utf-8")
        for env in ({}, {"SCO_CAL_CACHE": "off"}):
            checked = sco_cal("-r", registry, "validate", env=env)
            assert checked.code == 3
            assert f"r.yaml:{start + 1}:12: start: 2031-13 is not a month (01-12)" in checked.stdout, checked.stdout
        text[start] = "    start: 2031-01-15"
