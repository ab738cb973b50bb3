"""Imports of many events: into a big registry through its index (only the new lines are read back), and into an
empty one (the save's read-back is the one check of a real run), with the same refusals and messages as ever."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from conftest import EXAMPLE, SCO_CAL, Result

from sco_cal.registry import INDEX_FROM_BYTES, load

DRY = " (dry run: nothing written)"


def _big_registry(target: Path) -> Path:
    """The example's events copied under new ids until the file is big enough to be indexed."""
    head, events = EXAMPLE.read_text(encoding="utf-8").split("events:\n", 1)
    body = [head, "events:\n"]
    for copy in range(INDEX_FROM_BYTES // len(events.encode()) + 2):
        renamed = events.replace("id: ", f"id: k{copy}-").replace("related: [", f"related: [k{copy}-")
        body.append(renamed if renamed.endswith("\n") else renamed + "\n")
    target.write_text("".join(body), encoding="utf-8")
    return target


def _calendar(path: Path, count: int, *, bad_at: int | None = None) -> Path:
    events = []
    for n in range(count):
        sequence = "SEQUENCE:2147483648\r\n" if n == bad_at else ""
        events.append(
            f"BEGIN:VEVENT\r\nUID:bulk-{n}@test\r\nDTSTAMP:20300101T000000Z\r\n{sequence}"
            f"DTSTART;VALUE=DATE:2031{n % 12 + 1:02d}{n % 28 + 1:02d}\r\nSUMMARY:Bulk meeting {n}\r\n"
            f"LOCATION:Astana\\, Kazakhstan\r\nDESCRIPTION:Line one\\nline two {n}\r\nCATEGORIES:SCO,bulk\r\n"
            "END:VEVENT\r\n"
        )
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "".join(events) + "END:VCALENDAR\r\n", newline="")
    return path


def _listed(sco_cal: Callable[..., Result], registry: Path) -> list[dict[str, object]]:
    result = sco_cal("-r", registry, "list", "--format", "json")
    assert result.code == 0, result.stderr
    listed: list[dict[str, object]] = json.loads(result.stdout)
    return listed


def test_an_import_into_a_big_indexed_registry_reads_back_exactly(
    tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    registry = _big_registry(tmp_path / "big.yaml")
    assert sco_cal("-r", registry, "upcoming").code == 0  # the index is built and fresh
    before = registry.read_text(encoding="utf-8")
    result = sco_cal("-r", registry, "import", _calendar(tmp_path / "bulk.ics", 300))
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "300 new, 0 updated, 0 unchanged, 0 errors"
    after = registry.read_text(encoding="utf-8")
    assert after.startswith(before)  # the events there are kept byte for byte
    through_index = _listed(sco_cal, registry)  # the index, told of each new event, answers
    shutil.rmtree(tmp_path / "home" / ".cache", ignore_errors=True)
    with_cache_off = sco_cal("-r", registry, "list", "--format", "json", env={"SCO_CAL_CACHE": "off"})
    assert through_index == json.loads(with_cache_off.stdout)  # ... as a full parse of the file does
    parsed = {event.id: event for event in load(registry).events}
    new = [event for event in parsed.values() if event.title.startswith("Bulk meeting ")]
    assert len(new) == 300
    assert {event.notes for event in new} == {f"Line one\nline two {n}" for n in range(300)}
    assert all(event.tags == ("SCO", "bulk") and event.venue is not None for event in new)
    assert sco_cal("-r", registry, "validate").code == 0


def test_a_refused_event_in_a_big_import_is_refused_alike_and_nothing_is_written(
    tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    calendar = _calendar(tmp_path / "bulk.ics", 300, bad_at=250)
    for registry in (_big_registry(tmp_path / "big.yaml"), tmp_path / "empty.yaml"):
        if not registry.exists():
            assert sco_cal("-r", registry, "init", "--name", "t", "--timezone", "UTC").code == 0
        before = registry.read_bytes()
        dry = sco_cal("-r", registry, "import", "--dry-run", calendar)
        real = sco_cal("-r", registry, "import", calendar)
        assert real.code == dry.code != 0
        assert "bulk.ics:" in real.stderr, real.stderr
        assert "SEQUENCE: 2147483648 is over 2147483647" in real.stderr, real.stderr
        assert real.stderr == dry.stderr
        assert real.stdout.splitlines()[-1] == dry.stdout.splitlines()[-1].removesuffix(DRY)
        assert registry.read_bytes() == before


def test_a_bulk_import_into_an_empty_registry_reads_back_exactly(
    tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    registry = tmp_path / "empty.yaml"
    assert sco_cal("-r", registry, "init", "--name", "t", "--timezone", "UTC").code == 0
    exported = tmp_path / "example.ics"
    assert sco_cal("-r", EXAMPLE, "export", "-o", exported).code == 0
    result = sco_cal("-r", registry, "import", exported)
    assert result.code == 0, result.stderr
    again = sco_cal("-r", registry, "import", "--dry-run", exported)
    assert again.stdout.splitlines()[-1].startswith("0 new, 0 updated, ")  # every event read back as imported


def test_a_kill_during_a_big_import_leaves_the_registry_as_it_was_or_imported(tmp_path: Path) -> None:
    assert SCO_CAL is not None
    registry = _big_registry(tmp_path / "big.yaml")
    subprocess.run([SCO_CAL, "-r", registry, "upcoming"], capture_output=True, check=True)
    before = registry.read_bytes()
    calendar = _calendar(tmp_path / "bulk.ics", 300)
    started = time.monotonic()
    subprocess.run([SCO_CAL, "-r", registry, "import", "--dry-run", calendar], capture_output=True, check=True)
    duration = time.monotonic() - started
    outcomes = set()
    for step in range(8):
        process = subprocess.Popen([SCO_CAL, "-r", registry, "import", calendar], stdout=subprocess.DEVNULL)
        time.sleep(duration * (0.4 + step * 0.15))
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = registry.read_bytes()
        if after == before:
            outcomes.add("old")
            continue
        outcomes.add("new")
        assert after.startswith(before)
        assert sum(1 for event in load(registry).events if event.title.startswith("Bulk meeting ")) == 300
        registry.write_bytes(before)
        subprocess.run([SCO_CAL, "-r", registry, "upcoming"], capture_output=True, check=True)
    assert outcomes <= {"old", "new"}
