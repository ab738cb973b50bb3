"""New events imported into a big registry are spliced after its last event from the file's last lines alone: the
text before them is kept byte for byte, whatever stands above the last event (a long comment, blank lines), with
Windows line ends (kept, in the new lines too), and a file with a line break a newline count
misses (U+2028) is still written right, the thorough way."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result

from sco_cal.registry import INDEX_FROM_BYTES

Run = Callable[..., Result]

HEADER = "schema: 1\nname: Splice\ntimezone: Europe/Moscow\nuid_domain: test.example\nevents:\n"
COMMENT = "".join(f"  # a note on the last event, line {n}\n" + ("\n" if n % 7 == 0 else "") for n in range(60))


def _text(before_last: str) -> str:
    fillers = "".join(
        f"  - id: filler-{n:04d}\n    title: Filler meeting {n} в Москве\n    start: 2030-{n % 12 + 1:02d}-01\n"
        f"    notes: Text enough to make the registry big enough for its index to be kept.\n"
        for n in range(INDEX_FROM_BYTES // 110 + 50)
    )
    last = "  - id: the-last\n    title: The last\n    start: 2031-01-01  # its own comment\n"
    return HEADER + fillers + before_last + last + "# the end of the file\n"


def _calendar(path: Path, count: int) -> Path:
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:new-{n}@elsewhere\r\nDTSTAMP:20300101T000000Z\r\n"
        f"DTSTART;VALUE=DATE:2032{n % 12 + 1:02d}01\r\nSUMMARY:New meeting {n}\r\nEND:VEVENT\r\n"
        for n in range(count)
    )
    path.write_bytes(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n".encode())
    return path


def _listed(sco_cal: Run, registry: Path, env: dict[str, str] | None = None) -> object:
    listed = sco_cal("-r", registry, "list", "--format", "json", env=env)
    assert listed.code == 0, listed.stderr
    return json.loads(listed.stdout)


@pytest.mark.parametrize(
    ("before_last", "newline"),
    [
        (COMMENT, "\n"),  # the region reaches further back than the first lines looked at
        ("\n\n", "\r\n"),
        ("  # one\u2028  # two\n", "\n"),  # a line break the reader counts and a newline count does not
    ],
    ids=["long-comment", "crlf", "line-separator"],
)
def test_new_events_follow_the_last_one_and_the_rest_is_kept(
    tmp_path: Path, sco_cal: Run, before_last: str, newline: str
) -> None:
    registry = tmp_path / "r.yaml"
    registry.write_bytes(_text(before_last).replace("\n", newline).encode())
    assert sco_cal("-r", registry, "upcoming").code == 0  # the index is built
    before = registry.read_bytes()
    done = sco_cal("-r", registry, "import", _calendar(tmp_path / "new.ics", 40))
    assert done.code == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "40 new, 0 updated, 0 unchanged, 0 errors"
    after = registry.read_bytes()
    assert after.startswith(before.removesuffix(f"# the end of the file{newline}".encode()))
    assert after.count(b"\n") == after.count(newline.encode())  # every line keeps the file's own line end
    assert after.count(b"title: New meeting") == 40
    through_index = _listed(sco_cal, registry)
    shutil.rmtree(os.environ["XDG_CACHE_HOME"])
    assert through_index == _listed(sco_cal, registry, env={"SCO_CAL_CACHE": "off"})
    assert sco_cal("-r", registry, "validate").code == 0
