"""A big registry written with Windows line ends keeps them through every save that splices its text (add, edit,
remove, import), and the file is then what the same commands make without the cache, byte for byte."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from conftest import Result
from test_index import big_registry

Run = Callable[..., Result]
OFF = {"SCO_CAL_CACHE": "off"}
STAMP = re.compile(rb"updated: '[^']*'")  # each save stamps its own moment


def _unstamped(path: Path) -> bytes:
    return STAMP.sub(b"updated: '-'", path.read_bytes())


CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:elsewhere-1@other.example\r\nDTSTAMP:20300101T000000Z\r\n"
    "DTSTART;VALUE=DATE:20320301\r\nSUMMARY:An imported meeting\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def _steps(calendar: Path) -> list[tuple[str, ...]]:
    return [
        ("add", "A meeting added", "--id", "added", "--kind", "meeting", "--org", "SCO", "--date", "2031-01-01"),
        ("edit", "added", "--where", "Moscow", "--note", "Edited"),
        ("import", str(calendar)),
        ("remove", "added", "--yes"),
    ]


def test_every_splicing_save_keeps_windows_line_ends(tmp_path: Path, sco_cal: Run) -> None:
    calendar = tmp_path / "other.ics"
    calendar.write_text(CALENDAR, encoding="utf-8", newline="")
    cached, plain = tmp_path / "cached.yaml", tmp_path / "plain.yaml"
    big_registry(cached)
    cached.write_bytes(cached.read_bytes().replace(b"\n", b"\r\n"))
    plain.write_bytes(cached.read_bytes())
    assert sco_cal("-r", cached, "upcoming").code == 0  # the index is built, so the saves splice
    for step in _steps(calendar):
        through_index = sco_cal("-r", cached, *step)
        assert through_index.code == 0, (step, through_index.stderr)
        assert sco_cal("-r", plain, *step, env=OFF).code == 0
        data = cached.read_bytes()
        assert data.count(b"\n") == data.count(b"\r\n"), step[0]  # no line lost its carriage return
        assert _unstamped(cached) == _unstamped(plain), step[0]
