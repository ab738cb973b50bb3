"""No crash loses a registry: kills mid-save (add, edit, import), a full disk, injected I/O errors, racing
writers, a held lock.

The kill count is ``SCO_CAL_KILLS`` (200 by default); the nightly run uses more:
``SCO_CAL_KILLS=2000 python -m pytest tests/test_crash_safety.py``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLE, SCO_CAL, Result

from sco_cal import storage
from sco_cal.dates import DateValue
from sco_cal.errors import StorageError
from sco_cal.model import Event
from sco_cal.registry import editing, load
from sco_cal.registry.versions import backup_path

Run = Callable[..., Result]
KILLS = int(os.environ.get("SCO_CAL_KILLS", "200"))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def big_registry(path: Path, events: int) -> None:
    """A registry of a few hundred KB: the example's events, many times over, with comments between."""
    body = EXAMPLE.read_text(encoding="utf-8")
    head, first_event = body.split("events:\n", 1)
    chunks = [head, "events:\n"]
    for copy in range(events // 8):
        chunks.append(f"  # copy {copy}\n")
        chunks.append(first_event.replace("  - id: ", f"  - id: c{copy}-").replace("related: [", f"related: [c{copy}-"))
    path.write_text("".join(chunks), encoding="utf-8")


def _two_events(kill: int) -> str:
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:kill-{kill}-{n}@test\r\nDTSTAMP:20300101T000000Z\r\n"
        f"DTSTART;VALUE=DATE:2031010{n + 1}\r\nSUMMARY:Imported {kill} {n}\r\nEND:VEVENT\r\n"
        for n in range(2)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n"


def temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.sco-cal-tmp"))


def test_sigkill_at_random_moments_leaves_the_old_or_the_new_registry(tmp_path: Path) -> None:
    assert SCO_CAL is not None
    path = tmp_path / "big.yaml"
    big_registry(path, 400)
    assert path.stat().st_size > 200_000
    rng = random.Random(1031)
    started = time.monotonic()
    subprocess.run([SCO_CAL, "-r", str(path), "edit", "c0-sco-ewg-07", "--note", "warm-up"], check=True)
    duration = time.monotonic() - started  # kill anywhere from start-up to a little past a normal save
    outcomes = {"old": 0, "new": 0}
    for kill in range(KILLS):
        before_text = path.read_bytes()
        before_ids = [e.id for e in load(path).events]
        if kill % 3 == 1:
            argv = ["add", f"Killed add {kill}", "--id", f"kill-{kill}", "--date", "2031-06"]
        elif kill % 3 == 2:
            feed = tmp_path / "incoming.ics"
            feed.write_text(_two_events(kill), newline="")
            argv = ["import", str(feed)]
        else:
            argv = ["edit", rng.choice(before_ids), "--note", f"edited by kill {kill}"]
        process = subprocess.Popen(
            [SCO_CAL, "-r", str(path), *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.3, 1.2) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = path.read_bytes()
        if after == before_text:
            outcomes["old"] += 1
            continue
        outcomes["new"] += 1
        after_ids = [e.id for e in load(path).events]
        added = {1: 1, 2: 2}.get(kill % 3, 0)
        assert after_ids[: len(before_ids)] == before_ids, f"kill {kill}: neither the old nor the new registry"
        assert len(after_ids) == len(before_ids) + added, f"kill {kill}: neither the old nor the new registry"
    print(f"{KILLS} kills: {outcomes['old']} left the old registry, {outcomes['new']} the new one, none anything else")
    assert outcomes["old"], outcomes  # some kills landed before the rename...
    assert outcomes["new"], outcomes  # ...and some after it
    clean = subprocess.run([SCO_CAL, "-r", str(path), "add", "After the kills"], capture_output=True, check=False)
    assert clean.returncode == 0
    assert temp_files(tmp_path) == [], "the next write sweeps what killed writers left"
    listing = [SCO_CAL, "-r", str(path), "list", "--format", "json"]
    indexed = subprocess.run(listing, capture_output=True, text=True, check=True).stdout
    parsed = subprocess.run(
        listing, capture_output=True, text=True, check=True, env={**os.environ, "SCO_CAL_CACHE": "off"}
    )
    assert indexed == parsed.stdout, "killed index updates never leave a wrong answer behind"


@contextlib.contextmanager
def tiny_tmpfs(size: str) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="sco-cal-full-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=False)
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip("cannot mount a tmpfs here (not root?); the injected-error test covers the same paths")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)
        folder.rmdir()


@pytest.mark.skipif(os.geteuid() != 0 and not os.environ.get("CI"), reason="mounting a tmpfs needs root")
def test_a_full_disk_changes_nothing(sco_cal: Run) -> None:
    with tiny_tmpfs("96k") as folder:
        path = folder / "r.yaml"
        shutil.copyfile(EXAMPLE, path)
        assert sco_cal("-r", path, "add", "Fits", "--id", "fits").code == 0
        filler = folder / "filler"
        with filler.open("wb") as handle, contextlib.suppress(OSError):
            handle.write(b"x" * (200 * 1024))  # fill the rest of the disk
        before, backup_before = digest(path), digest(backup_path(path, 1))
        result = sco_cal("-r", path, "add", "Does not fit", "--note", "n" * 20_000)
        assert result.code == 74, result.stderr
        assert "could not save (No space left on device); the file is unchanged" in result.stderr
        assert (digest(path), digest(backup_path(path, 1))) == (before, backup_before)
        assert temp_files(folder) == []


@pytest.mark.parametrize("failing", ["mkstemp", "write", "fsync", "chmod", "replace"])
def test_injected_io_errors_change_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    path = tmp_path / "r.yaml"
    shutil.copyfile(EXAMPLE, path)
    with editing(path) as editor:
        editor.add(Event(id="first", title="First"))
    before, backup_before = digest(path), digest(backup_path(path, 1))

    def fail(*_args: object, **_kwargs: object) -> None:
        raise OSError(5, "Input/output error")

    if failing == "mkstemp":
        monkeypatch.setattr(tempfile, "mkstemp", fail)  # storage imports it when it writes
    elif failing == "write":
        real_fdopen = os.fdopen

        def broken_fdopen(fd: int, *args: object, **kwargs: object) -> object:
            handle = real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]
            handle.write = fail
            return handle

        monkeypatch.setattr(storage.os, "fdopen", broken_fdopen)
    else:
        monkeypatch.setattr(storage.os, failing, fail)
    with pytest.raises(StorageError, match="the file is unchanged"), editing(path) as editor:
        editor.add(Event(id="second", title="Second", start=DateValue.from_text("2030")))
    monkeypatch.undo()
    assert (digest(path), digest(backup_path(path, 1))) == (before, backup_before)
    assert temp_files(tmp_path) == []


def test_each_save_keeps_the_previous_versions_and_undo_walks_them(sco_cal: Run, example: Path) -> None:
    versions = [example.read_bytes()]
    for n in range(4):
        assert sco_cal("-r", example, "add", f"Event {n}", "--id", f"e{n}").code == 0
        versions.append(example.read_bytes())
    assert [backup_path(example, i).read_bytes() for i in (1, 2, 3)] == versions[3:0:-1]
    assert not backup_path(example, 4).exists(), "three backups by default"
    assert sco_cal("-r", example, "undo").code == 0
    assert example.read_bytes() == versions[3]
    assert sco_cal("-r", example, "undo").code == 0, "a second undo goes one save further back"
    assert example.read_bytes() == versions[2]
    assert sco_cal("-r", example, "undo", "--redo").code == 0
    assert sco_cal("-r", example, "undo", "--redo").code == 0
    assert example.read_bytes() == versions[4]
    assert sco_cal("-r", example, "add", "No backups", env={"SCO_CAL_BACKUPS": "0"}).code == 0
    assert backup_path(example, 1).read_bytes() == versions[3]


def test_undo_without_a_backup_says_so(sco_cal: Run, example: Path) -> None:
    result = sco_cal("-r", example, "undo")
    assert result.code == 74
    assert "there is no earlier version to go back to" in result.stderr


def test_a_writer_that_cannot_get_the_lock_exits_busy(sco_cal: Run, example: Path) -> None:
    from filelock import FileLock

    with FileLock(str(storage.lock_path(example))):
        started = time.monotonic()
        result = sco_cal("-r", example, "add", "Blocked", env={"SCO_CAL_LOCK_TIMEOUT": "0.5"})
        waited = time.monotonic() - started
    assert result.code == 75
    assert "another sco-cal process is writing the registry" in result.stderr
    assert waited < 10
    assert "Blocked" not in example.read_text()


def test_eight_writers_and_a_reader_lose_nothing(tmp_path: Path) -> None:
    assert SCO_CAL is not None
    path = tmp_path / "race.yaml"
    path.write_text("schema: 1\nname: Race\ntimezone: UTC\nevents:\n")
    per_writer = int(os.environ.get("SCO_CAL_RACE_ADDS", "50"))
    script = 'for i in $(seq 1 {n}); do "{cmd}" -r "{path}" add "Writer {w} event $i" --date 2030-0{m} || exit 1; done'
    patient = {**os.environ, "SCO_CAL_LOCK_TIMEOUT": "120"}
    writers = [
        subprocess.Popen(
            ["sh", "-c", script.format(n=per_writer, cmd=SCO_CAL, path=path, w=w, m=w % 9 + 1)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=patient,
        )
        for w in range(8)
    ]
    reader_errors = 0
    reads = 0
    commands = [["list", "--format", "json"], ["upcoming", "--days", "400"]]
    if subprocess.run([SCO_CAL, "remind", "--help"], capture_output=True, check=False).returncode == 0:
        commands.append(["remind", "--dry-run"])
    while any(writer.poll() is None for writer in writers):
        command = commands[reads % len(commands)]
        read = subprocess.run([SCO_CAL, "-r", str(path), *command], capture_output=True, text=True, check=False)
        reads += 1
        if read.returncode != 0:
            reader_errors += 1
            print(read.stderr, file=sys.stderr)
    assert [writer.returncode for writer in writers] == [0] * 8, [w.stderr.read() for w in writers if w.stderr]
    assert reader_errors == 0
    assert reads >= 3
    assert len(load(path).events) == 8 * per_writer
