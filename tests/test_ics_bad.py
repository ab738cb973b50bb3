"""Bad calendar files: each gives one clear message with the line and property, exit code 7, and leaves the
registry untouched (issue 3, point 6)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result

from sco_cal.errors import InvalidCalendar
from sco_cal.ics import read as ics_read
from sco_cal.ics.lines import MAX_ICS_BYTES

GOOD = (
    "BEGIN:VCALENDAR\r\n"  # 1
    "VERSION:2.0\r\n"  # 2
    "PRODID:-//test//EN\r\n"  # 3
    "BEGIN:VEVENT\r\n"  # 4
    "UID:one@test\r\n"  # 5
    "DTSTAMP:20200101T000000Z\r\n"  # 6
    "DTSTART;VALUE=DATE:20200624\r\n"  # 7
    "SUMMARY:Talks\r\n"  # 8
    "END:VEVENT\r\n"  # 9
    "END:VCALENDAR\r\n"  # 10
)


def _with(old: str, new: str) -> bytes:
    assert old in GOOD
    return GOOD.replace(old, new).encode()


CASES: list[tuple[str, bytes, str]] = [
    ("empty", b"", "the file is empty"),
    ("blank", b"\r\n  \r\n", "the file is empty"),
    ("truncated", GOOD.encode()[:132], ":4: BEGIN:VEVENT is never closed: the file is truncated"),
    (
        "truncated-mid-line",
        GOOD.encode()[:120],
        ":7: the file ends in the middle of a line ('DTSTART;VALUE=DA'): it is truncated",
    ),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ":3: holds a NUL byte"),
    ("not-a-calendar", b"Hello, world\n", ":1: not an iCalendar file: it starts with 'Hello, world'"),
    ("invalid-utf8", _with("SUMMARY:Talks", "SUMMARY:Tal\xffks").replace(b"\xc3\xbf", b"\xff"), ":8: not valid UTF-8"),
    ("fold-first-line", b" BEGIN:VCALENDAR\r\n", ":1: a folded continuation"),
    (
        "unfolded-long-line",
        _with("SUMMARY:Talks", "SUMMARY:Talks about\r\nthe weather"),
        ":9: 'the weather' is not a property",
    ),
    ("unbalanced-end", _with("END:VEVENT", "END:VTODO"), ":9: END:VTODO does not close BEGIN:VEVENT (line 4)"),
    ("end-without-begin", GOOD.encode() + b"END:VCALENDAR\r\n", ":11: END:VCALENDAR with no BEGIN:VCALENDAR"),
    (
        "impossible-date",
        _with("DTSTART;VALUE=DATE:20200624", "DTSTART;VALUE=DATE:20200230"),
        ":7: DTSTART: '20200230' is not a day",
    ),
    (
        "impossible-time",
        _with("DTSTART;VALUE=DATE:20200624", "DTSTART:20200624T250000Z"),
        ":7: DTSTART: '20200624T250000Z' is not a time",
    ),
    (
        "garbled-date",
        _with("DTSTART;VALUE=DATE:20200624", "DTSTART:next tuesday"),
        ":7: DTSTART: 'next tuesday' is not a date",
    ),
    (
        "year-zero",
        _with("DTSTART;VALUE=DATE:20200624", "DTSTART;VALUE=DATE:00000624"),
        ":7: DTSTART: '00000624' is not a day",
    ),
    (
        "duplicate-uid",
        _with(
            "END:VCALENDAR",
            "BEGIN:VEVENT\r\nUID:one@test\r\nDTSTART;VALUE=DATE:20200625\r\nEND:VEVENT\r\nEND:VCALENDAR",
        ),
        ":11: UID: 'one@test' is used by the event at line 4 too",
    ),
    ("bad-rrule", _with("SUMMARY:Talks", "SUMMARY:Talks\r\nRRULE:FREQ=SOMETIMES"), ":9: RRULE:"),
    ("bad-sequence", _with("SUMMARY:Talks", "SUMMARY:Talks\r\nSEQUENCE:many"), "SEQUENCE"),
]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("name", "data", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_refused_with_its_line_and_the_registry_untouched(
    example: Path, tmp_path: Path, sco_cal: Callable[..., Result], name: str, data: bytes, message: str
) -> None:
    bad = tmp_path / f"{name}.ics"
    bad.write_bytes(data)
    before = _sha(example)
    for args in (["--dry-run"], []):
        result = sco_cal("-r", example, "import", *args, bad)
        assert result.code == InvalidCalendar.exit_code == 7, result.stderr
        assert message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert "error: " in result.stderr
        assert _sha(example) == before
    assert not [p for p in example.parent.iterdir() if p.name.endswith(".sco-cal-tmp")]


def test_event_errors_are_counted_in_the_dry_run(example: Path, tmp_path: Path, sco_cal: Callable[..., Result]) -> None:
    bad = tmp_path / "one-bad.ics"
    bad.write_bytes(_with("SUMMARY:Talks", "SUMMARY:Talks\r\nRRULE:FREQ=SOMETIMES"))
    result = sco_cal("-r", example, "import", "--dry-run", bad)
    assert result.code == 7
    assert result.stdout == "0 new, 0 updated, 0 unchanged, 1 error (dry run: nothing written)\n"
    assert f"{bad}:9: RRULE:" in result.stderr
    assert "(UID 'one@test')" in result.stderr


def test_huge_file_is_refused_before_it_is_read(example: Path, tmp_path: Path, sco_cal: Callable[..., Result]) -> None:
    huge = tmp_path / "huge.ics"
    with huge.open("wb") as handle:  # sparse: costs no disk and no time
        handle.truncate(MAX_ICS_BYTES + 1)
    before = _sha(example)
    result = sco_cal("-r", example, "import", huge)
    assert result.code == 7
    assert f"over {MAX_ICS_BYTES // 2**20} MiB" in result.stderr
    assert _sha(example) == before
    # standard input over the cap: tests/test_ics_stream.py, with a real calendar one byte too big


def test_missing_file_is_a_usage_error(example: Path, sco_cal: Callable[..., Result]) -> None:
    result = sco_cal("-r", example, "import", "no-such.ics")
    assert (result.code, result.stdout) == (2, "")
    assert "no-such.ics: no such file" in result.stderr


def test_a_fold_that_splits_a_multibyte_character_comes_back_exact() -> None:
    title = "Встреча 北京 🎌 é"
    raw = f"SUMMARY:{title}".encode()
    cut = raw.index("🎌".encode()) + 2  # in the middle of the 4-byte emoji
    folded = raw[:cut] + b"\r\n " + raw[cut:]
    data = GOOD.encode().replace(b"SUMMARY:Talks", folded)
    parsed = ics_read.parse_calendar(data, "split.ics")
    assert [e.fields["title"] for e in parsed.events] == [title]


def test_lf_line_ends_and_a_byte_order_mark_are_accepted() -> None:
    data = b"\xef\xbb\xbf" + GOOD.replace("\r\n", "\n").encode()
    assert [e.fields["title"] for e in ics_read.parse_calendar(data).events] == ["Talks"]


@pytest.mark.skipif(os.name != "posix", reason="permissions")
def test_unreadable_file_is_a_storage_error(example: Path, tmp_path: Path, sco_cal: Callable[..., Result]) -> None:
    locked = tmp_path / "locked.ics"
    locked.write_bytes(GOOD.encode())
    locked.chmod(0)
    if os.access(locked, os.R_OK):
        # Root reads any file whatever its mode; a read that fails at the device fails for root too.
        locked = Path("/proc/self/mem")
    result = sco_cal("-r", example, "import", locked)
    assert result.code == 74
