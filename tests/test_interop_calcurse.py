"""Our feeds in a real client: calcurse (the Debian package), headless, with the viewer in zones from UTC+14
to UTC-11.

calcurse stores times in the zone it runs in, so each viewer zone imports into its own data folder. What
calcurse does not keep, we do not assert: it has no STATUS (a cancelled event still shows) and no zones of
its own (a time is the viewer's wall time).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import EXAMPLE, SCO_CAL
from test_ics_support import VIEWER_ZONES, client, expected, generated_events, make_registry

from sco_cal.ics import publish
from sco_cal.model import Event
from sco_cal.registry import load

_DAY_RE = re.compile(r"(\d{4}-\d{2}-\d{2}):")


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[Event], str]]:
    folder = tmp_path_factory.mktemp("feeds")
    generated = make_registry(folder / "generated.yaml", generated_events())
    found = {}
    for name, registry in (("example", EXAMPLE), ("generated", generated)):
        out = folder / f"{name}.ics"
        subprocess.run([str(SCO_CAL), "-r", str(registry), "export", "-o", str(out), "--quiet"], check=True)
        loaded = load(registry)
        found[name] = (out, [e for e in loaded.events if e.start is not None], loaded.timezone)
    return found


def _calcurse(data: Path, viewer: str, *args: str) -> str:
    binary = client(None, "calcurse")
    env = {**os.environ, "TZ": viewer, "HOME": str(data)}
    done = subprocess.run(
        [binary, "-D", str(data), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _shown(data: Path, viewer: str, first: date, last: date) -> dict[str, tuple[set[date], set[tuple[str, str]]]]:
    """Title -> (days it shows as an all-day event, (start, end) of its appointments) in ``first..last``."""
    output = _calcurse(
        data,
        viewer,
        "--input-datefmt",
        "4",
        "--output-datefmt",
        "%Y-%m-%d",
        "-Q",
        "--from",
        first.isoformat(),
        "--days",
        str((last - first).days + 1),
        "--format-apt=A|%(start:%Y-%m-%d %H:%M)|%(end:%Y-%m-%d %H:%M)|%m\n",
        "--format-recur-apt=A|%(start:%Y-%m-%d %H:%M)|%(end:%Y-%m-%d %H:%M)|%m\n",
        "--format-event=E|%m\n",
        "--format-recur-event=E|%m\n",
    )
    shown: dict[str, tuple[set[date], set[tuple[str, str]]]] = defaultdict(lambda: (set(), set()))
    day = first
    for line in output.splitlines():
        if m := _DAY_RE.fullmatch(line):
            day = date.fromisoformat(m[1])
        elif line.startswith("E|"):
            shown[line[2:]][0].add(day)
        elif line.startswith("A|"):
            _, start, end, title = line.split("|", 3)
            shown[title][1].add((start, end))
    return shown


@pytest.mark.parametrize("viewer", VIEWER_ZONES)
@pytest.mark.parametrize("feed", ["example", "generated"])
def test_every_event_on_its_exact_dates_and_times(
    feeds: dict[str, tuple[Path, list[Event], str]], feed: str, viewer: str, tmp_path: Path
) -> None:
    path, events, zone = feeds[feed]
    report = _calcurse(tmp_path, viewer, "-i", str(path))
    counts = re.search(r"(\d+) apps? / (\d+) events? / \d+ todos? / (\d+) skipped", report)
    assert counts, report
    assert (int(counts[1]) + int(counts[2]), int(counts[3])) == (len(events), 0), report
    for event in events:
        want = expected(event, viewer, zone)
        title = publish.title(event)
        shown = _shown(tmp_path, viewer, want.first - timedelta(days=2), want.last + timedelta(days=2))
        days, appointments = shown.get(title, (set(), set()))
        if want.start is None:
            span = {want.first + timedelta(days=n) for n in range((want.last - want.first).days + 1)}
            assert days == span, f"{event.id} in {viewer}"
            assert not appointments, event.id
        else:
            assert appointments == {(f"{want.first} {want.start}", f"{want.last} {want.end}")}, f"{event.id} {viewer}"
            assert not days, event.id


@pytest.mark.parametrize("viewer", VIEWER_ZONES)
def test_yearly_anniversaries_repeat(
    feeds: dict[str, tuple[Path, list[Event], str]], viewer: str, tmp_path: Path
) -> None:
    path, events, zone = feeds["generated"]
    _calcurse(tmp_path, viewer, "-i", str(path))
    for event in (e for e in events if e.recurrence):
        first = expected(event, viewer, zone)
        later = first.first.replace(year=first.first.year + 10)
        shown = _shown(tmp_path, viewer, later - timedelta(days=1), later + timedelta(days=1))
        days, appointments = shown.get(publish.title(event), (set(), set()))
        if first.start is None:
            assert days == {later}, event.id
        else:
            end = first.last.replace(year=first.last.year + 10)
            assert appointments == {(f"{later} {first.start}", f"{end} {first.end}")}, event.id
