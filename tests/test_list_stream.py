"""``list --format csv|json`` of a big registry is written as it is read, from the index in date order, and says
exactly what a listing sorted after reading every event says: the same rows, the same order, one JSON document."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import time
from pathlib import Path

import pytest
from conftest import SCO_CAL

# Zones far apart, so a day as the viewer sees it starts up to a day away from the UTC day the index keeps.
ZONES = ("Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kathmandu", "America/St_Johns", "Europe/Moscow", "UTC")


def _when(rng: random.Random, n: int, dated_only: bool) -> list[str]:
    """The date lines of one event: every precision, times with and without a zone, ranges, some that repeat or
    have no date (unless ``dated_only``), and clusters on a few days so that ties are ordered by precision, title
    and id."""
    year = rng.choice([1999, 2020, 2020, 2021]) if n % 7 else 2020
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    form = 6 if dated_only and n % 9 in (0, 5) else n % 9
    if form == 0:
        return []  # no date: listed last
    if form == 1:
        return [f"start: {year}"]
    if form == 2:
        return [f"start: {year}-{month:02d}", f"end: {year}-{min(month + 1, 12):02d}"]
    if form == 3:
        return [f"start: {year}-{month:02d}-{day:02d} {rng.randint(0, 23):02d}:{rng.choice([0, 30]):02d}"]
    if form == 4:
        zone = rng.choice(ZONES)
        return [f"start: {year}-{month:02d}-{day:02d} {rng.randint(0, 23):02d}:15 {zone}"]
    if form == 5:
        return [f"start: {year}-{month:02d}-{day:02d}", "recurrence: FREQ=YEARLY"]
    return [f"start: {year}-{month:02d}-{day:02d}", f"end: {year}-{month:02d}-{min(day + 2, 28):02d}"]


def big_registry(
    folder: Path, count: int, *, zone: str = "Pacific/Kiritimati", seed: int = 15, dated_only: bool = False
) -> Path:
    """A registry well over the size from which sco-cal keeps an index."""
    rng = random.Random(seed)
    lines = ["schema: 1", "name: Streamed", f"timezone: {zone}", "uid_domain: streamed.example", "events:"]
    for n in range(count):
        lines += [
            f"  - id: ev-{n:06d}",
            f"    title: {rng.choice(['Joint', 'joint', 'Expert', 'Ministers'])} meeting {rng.randint(1, 40)}",
            f"    kind: {rng.choice(['meeting', 'summit', 'exercise'])}",
            f"    status: {rng.choice(['planned', 'held'])}",
            *(f"    {line}" for line in _when(rng, n, dated_only)),
            f"    orgs: [{rng.choice(['SCO', 'CSTO', 'CIS'])}]",
            "    venue: {name: Bishkek, country: Kyrgyzstan}",
            "    notes: A line of notes, so that the file is as big as a real registry of this many events.",
        ]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "big.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _sco(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """sco-cal on a registry of this module, its index kept beside it (unless ``env`` says otherwise)."""
    registry = Path(args[1])
    env = {"SCO_CAL_CACHE": str(registry.parent / "cache"), **(env or {})}
    command = [str(SCO_CAL), *map(str, args)]
    return subprocess.run(command, check=False, capture_output=True, text=True, env={**os.environ, **env})


def _warm(path: Path, env: dict[str, str] | None = None) -> None:
    """Read the registry once, which leaves its index (a later read finds it fresh)."""
    assert _sco("-r", path, "list", "--limit", "1", "--format", "csv", env=env).returncode == 0
    assert list((path.parent / "cache").glob("*.sqlite3"))


def _both(path: Path, *args: str) -> tuple[str, str]:
    """The listing from a warm index, and the same listing from the YAML with no index at all."""
    _warm(path)
    indexed, parsed = _sco("-r", path, "list", *args), _sco("-r", path, "list", *args, env={"SCO_CAL_CACHE": "off"})
    assert indexed.returncode == parsed.returncode == 0, indexed.stderr + parsed.stderr
    assert indexed.stderr == parsed.stderr == ""
    return indexed.stdout, parsed.stdout


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return big_registry(tmp_path_factory.mktemp("stream"), 3000)


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "csv"),
        ("--format", "json"),
        ("--format", "csv", "--org", "CSTO", "--exact"),
        ("--format", "json", "--limit", "40", "--kind", "summit"),
        ("--format", "csv", "--search", "nothing matches this"),
        ("--format", "json", "--search", "nothing matches this"),
        ("--format", "yaml", "--limit", "30"),
        ("--format", "table"),
    ],
)
def test_a_listing_from_the_index_is_the_listing_sorted_after_a_parse(big: Path, args: tuple[str, ...]) -> None:
    indexed, parsed = _both(big, *args)
    assert indexed == parsed


def test_the_order_holds_when_the_viewer_is_a_day_away_from_utc(tmp_path: Path) -> None:
    # the registry 14 hours ahead of UTC, the viewer 11 behind: every whole day moves against the index's spans
    path = big_registry(tmp_path, 1500, zone="Pacific/Kiritimati", seed=4)
    config = tmp_path / "config.toml"
    config.write_text('timezone = "Pacific/Pago_Pago"\n', encoding="utf-8")
    _warm(path, env={"SCO_CAL_CONFIG": str(config)})
    shown = _sco("-r", path, "list", "--format", "csv", env={"SCO_CAL_CONFIG": str(config)})
    parsed = _sco("-r", path, "list", "--format", "csv", env={"SCO_CAL_CONFIG": str(config), "SCO_CAL_CACHE": "off"})
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == parsed.stdout
    rows = list(csv.DictReader(io.StringIO(shown.stdout)))
    assert len(rows) == 1500
    assert rows[0]["start"] != ""  # dated first, the undated last
    assert rows[-1]["start"] == ""


def test_the_streamed_json_is_one_document_with_every_event(big: Path) -> None:
    indexed, _ = _both(big, "--format", "json")
    document = json.loads(indexed)
    assert document["schema"] == 1
    assert len(document["events"]) == 3000
    assert len({record["id"] for record in document["events"]}) == 3000
    assert indexed == json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def test_an_empty_streamed_json_listing_is_still_a_document(big: Path) -> None:
    indexed, _ = _both(big, "--format", "json", "--search", "nothing matches this")
    assert json.loads(indexed) == {"schema": 1, "events": []}


def test_a_reader_that_stops_after_one_line_ends_the_listing_quietly(big: Path) -> None:
    _warm(big)
    done = subprocess.run(
        ["bash", "-c", '"$1" -r "$2" list --format csv | head -n 2; echo "exit ${PIPESTATUS[0]}"', "-", SCO_CAL, big],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "SCO_CAL_CACHE": str(big.parent / "cache")},
    )
    lines = done.stdout.splitlines()
    assert lines[0].startswith("id,title,kind,status,start,")
    assert lines[1].startswith("ev-")
    assert lines[2:] == ["exit 0"]
    assert done.stderr == ""


@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="needs Linux's per-process I/O counts")
def test_the_first_rows_are_written_before_the_rest_of_the_index_is_read(tmp_path: Path) -> None:
    """With nobody reading, the pipe fills and the writer stops. A listing that streams has by then read the
    same few hundred events of a registry twice as big; one that sorts everything first would have read all
    of each index, twice as much, before writing a byte."""
    small, large = (big_registry(tmp_path / str(n), n, seed=9, dated_only=True) for n in (6000, 12000))
    read, index_size = {}, {}
    for path in (small, large):
        _warm(path)
        (index,) = (path.parent / "cache").glob("*.sqlite3")
        index_size[path] = index.stat().st_size
        read[path], rest = _blocked_then_drained(path)
        assert rest == _sco("-r", path, "list", "--format", "csv", env={"SCO_CAL_CACHE": "off"}).stdout
    assert read[large] - read[small] < (index_size[large] - index_size[small]) / 2


def _blocked_then_drained(path: Path) -> tuple[int, str]:
    """The bytes a listing into a pipe nobody reads has read once it stops (the pipe full), and its output."""
    process = subprocess.Popen(
        [str(SCO_CAL), "-r", str(path), "list", "--format", "csv"],
        stdout=subprocess.PIPE,
        env={**os.environ, "SCO_CAL_CACHE": str(path.parent / "cache")},
    )
    try:
        read = _bytes_read_once_blocked(process)
        assert process.poll() is None, "the listing ended before the pipe filled"
        return read, process.communicate(timeout=300)[0].decode()
    finally:
        process.kill()


def _bytes_read_once_blocked(process: subprocess.Popen[bytes]) -> int:
    last, steady = -1, 0
    for _ in range(600):  # a guard, not a measure: the writer blocks within a few seconds
        time.sleep(0.1)
        fields = dict(line.split(": ") for line in Path(f"/proc/{process.pid}/io").read_text().splitlines())
        read = int(fields["rchar"])
        steady = steady + 1 if read == last else 0
        waits = Path(f"/proc/{process.pid}/wchan").read_text()
        if steady >= 10 and ("pipe" in waits or waits == "0"):  # "0": the kernel hides where a process waits
            return read
        last = read
    pytest.fail("sco-cal never blocked on the full pipe")
