"""Issue 11, display: one zone rule in every view, views that fit their width, and silence when nothing is due.

Every check runs the installed ``sco-cal`` in a subprocess. The expected days are worked out here with zoneinfo
from the stored instants, so a view that shows a time in the wrong zone (or a day shifted by a zone) fails.
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import SCO_CAL, Result

REGISTRY = """\
schema: 1
name: Zones
timezone: Europe/Moscow
uid_domain: zones.example
events:
  - id: new-york-call
    title: New York call
    kind: meeting
    status: scheduled
    start: 2020-06-10 23:00 America/New_York
    reminders: [1d]
  - id: utc-call
    title: UTC call
    kind: meeting
    status: scheduled
    start: 2020-06-12 22:00 UTC
    reminders: [1d]
  - id: offset-call
    title: Offset call
    kind: meeting
    status: scheduled
    start: 2020-06-13T22:30-05:00
    end: 2020-06-13T23:30-05:00
    reminders: [1d]
  - id: tokyo-call
    title: Tokyo call
    kind: meeting
    status: scheduled
    start: 2020-06-15 08:00 Asia/Tokyo
    reminders: [1d]
  - id: moscow-day
    title: Moscow day
    kind: meeting
    status: scheduled
    start: 2020-06-16
    reminders: [1d]
"""

# the instants of the timed events, as the registry states them
INSTANTS = {
    "new-york-call": datetime(2020, 6, 10, 23, 0, tzinfo=ZoneInfo("America/New_York")),
    "utc-call": datetime(2020, 6, 12, 22, 0, tzinfo=ZoneInfo("UTC")),
    "offset-call": datetime.fromisoformat("2020-06-13T22:30-05:00"),
    "tokyo-call": datetime(2020, 6, 15, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo")),
}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NOW = "2020-06-01T00:00Z"


@dataclass
class Viewer:
    """A display zone, and the config that sets it (``None``: no config, the registry's zone)."""

    zone: str
    config: str | None


VIEWERS = [Viewer("Europe/Moscow", None), Viewer("America/Los_Angeles", 'timezone = "America/Los_Angeles"\n')]


@pytest.fixture(params=VIEWERS, ids=lambda viewer: viewer.zone)
def viewer(request: pytest.FixtureRequest, tmp_path: Path) -> Viewer:
    chosen: Viewer = request.param
    if chosen.config is not None:
        config = tmp_path / "config.toml"
        config.write_text(chosen.config, encoding="utf-8")
        os.environ["SCO_CAL_CONFIG"] = str(config)  # the autouse fixture restores it after the test
    return chosen


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    path = tmp_path / "zones.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


def shown(event_id: str, zone: str) -> datetime:
    return INSTANTS[event_id].astimezone(ZoneInfo(zone))


def day_text(moment: datetime) -> str:
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def clock_text(moment: datetime) -> str:
    """The start of a shown time: its day and clock (a range goes on with "-HH:MM" before the zone)."""
    return f"{day_text(moment)} {moment:%H:%M}"


def agenda_days(text: str) -> dict[str, str]:
    """Each event id in an agenda, mapped to the heading of the day it is listed under."""
    found: dict[str, str] = {}
    heading = ""
    for line in text.splitlines():
        if line and not line.startswith(" "):
            heading = line.split("  (")[0]
        for word in line.split():
            found.setdefault(word, heading)
    return found


# --- one display zone, every view ----------------------------------------------------------------------------


def test_the_issue_example_in_a_moscow_registry(sco_cal: Callable[..., Result], registry: Path) -> None:
    listed = sco_cal("-r", registry, "list", env={"COLUMNS": "80"})
    assert listed.code == 0, listed.stderr
    rows = listed.stdout.splitlines()
    first = next(n for n, row in enumerate(rows) if row.startswith("11 Jun"))
    assert rows[first].split("  ")[0] == "11 Jun 2020 06:00 MSK"  # the When cell: the viewer's time, then the own
    assert rows[first + 1].split("  ")[0] == "(10 Jun 2020 23:00 EDT)"
    assert rows[first + 1].split()[-1] == "new-york-call"
    document = sco_cal("-r", registry, "list", "--format", "json")
    events = {e["id"]: e for e in json.loads(document.stdout)["events"]}
    assert events["new-york-call"]["when"] == "11 Jun 2020 06:00 MSK (10 Jun 23:00 EDT)"
    assert events["new-york-call"]["start"]["value"] == "2020-06-10 23:00 America/New_York"
    assert events["new-york-call"]["display_start"] == "2020-06-11 06:00 Europe/Moscow"
    agenda = sco_cal("-r", registry, "agenda", "--now", "2020-06-09T12:00Z", "--days", "10")
    assert agenda.code == 0, agenda.stderr
    assert "  06:00 MSK (10 Jun 23:00 EDT)  New York call  new-york-call" in agenda.stdout
    assert agenda_days(agenda.stdout)["new-york-call"] == "Thu 11 Jun 2020"
    show = sco_cal("-r", registry, "show", "new-york-call")
    assert show.code == 0, show.stderr
    assert "11 Jun 2020 06:00 MSK (10 Jun 23:00 EDT)   [2020-06-10 23:00 America/New_York]" in show.stdout


def test_a_time_in_the_display_zone_shows_no_second_clock(sco_cal: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "moscow.yaml"
    path.write_text(
        "schema: 1\nname: M\ntimezone: Europe/Moscow\nuid_domain: m.example\nevents:\n"
        "  - {id: a, title: A, kind: meeting, start: '2020-06-10 10:00 Europe/Moscow'}\n"
        "  - {id: b, title: B, kind: meeting, start: '2020-06-10 10:00'}\n",
        encoding="utf-8",
    )
    result = sco_cal("-r", path, "list", "--format", "json")
    assert result.code == 0, result.stderr
    assert [e["when"] for e in json.loads(result.stdout)["events"]] == ["10 Jun 2020 10:00 MSK"] * 2


def test_list_text_and_json_use_the_display_zone(
    sco_cal: Callable[..., Result], registry: Path, viewer: Viewer
) -> None:
    text = sco_cal("-r", registry, "list")
    document = sco_cal("-r", registry, "list", "--format", "json")
    assert text.code == document.code == 0, text.stderr + document.stderr
    events = {e["id"]: e for e in json.loads(document.stdout)["events"]}
    for event_id in INSTANTS:
        moment = shown(event_id, viewer.zone)
        assert f"{day_text(moment)} {moment:%H:%M}" in text.stdout, event_id
        assert events[event_id]["when"].startswith(f"{day_text(moment)} {moment:%H:%M}")
        assert events[event_id]["display_zone"] == viewer.zone
        assert events[event_id]["display_start"] == f"{moment:%Y-%m-%d %H:%M} {viewer.zone}"
        assert events[event_id]["start"]["value"] in REGISTRY  # the event's own zone and local time, as stored
    assert events["moscow-day"]["when"] == "16 Jun 2020"  # a day is a day in every zone
    assert events["moscow-day"]["display_start"] == "2020-06-16"


def test_agenda_groups_and_shows_by_the_display_day(
    sco_cal: Callable[..., Result], registry: Path, viewer: Viewer
) -> None:
    result = sco_cal("-r", registry, "agenda", "--now", NOW, "--days", "30")
    assert result.code == 0, result.stderr
    days = agenda_days(result.stdout)
    for event_id in INSTANTS:
        moment = shown(event_id, viewer.zone)
        assert days[event_id] == f"{moment:%a} {day_text(moment)}", event_id
        assert f"  {moment:%H:%M}" in result.stdout
    assert days["moscow-day"] == "Tue 16 Jun 2020"
    labels = {line.split()[1] for line in result.stdout.splitlines() if line.startswith("  ") and ":" in line}
    assert labels == {ZoneInfo(viewer.zone).tzname(datetime(2020, 6, 1))}  # one zone, not MSK beside UTC and EST


def test_calendar_marks_and_lists_the_display_day(
    sco_cal: Callable[..., Result], registry: Path, viewer: Viewer
) -> None:
    document = sco_cal("-r", registry, "calendar", "2020-06", "--now", NOW, "--format", "json")
    text = sco_cal("-r", registry, "calendar", "2020-06", "--now", NOW)
    assert document.code == text.code == 0, document.stderr + text.stderr
    days = json.loads(document.stdout)["months"][0]["days"]
    marked = {event_id: int(day) for day, ids in days.items() for event_id in ids}
    for event_id in INSTANTS:
        moment = shown(event_id, viewer.zone)
        assert marked[event_id] == moment.day, event_id
        assert f"{moment.day:>2}*" in text.stdout
        assert f"{day_text(moment)} {moment:%H:%M}" in text.stdout
    assert marked["moscow-day"] == 16


def test_show_uses_the_display_zone(sco_cal: Callable[..., Result], registry: Path, viewer: Viewer) -> None:
    for event_id in INSTANTS:
        moment = shown(event_id, viewer.zone)
        text = sco_cal("-r", registry, "show", event_id)
        document = sco_cal("-r", registry, "show", event_id, "--format", "json")
        assert text.code == document.code == 0, text.stderr + document.stderr
        assert clock_text(moment) in text.stdout
        assert json.loads(document.stdout)["event"]["when"].startswith(clock_text(moment))


def test_remind_text_json_and_hook_use_the_display_zone(
    sco_cal: Callable[..., Result], registry: Path, viewer: Viewer, tmp_path: Path
) -> None:
    ledger = tmp_path / "ledger.json"
    for event_id, instant in INSTANTS.items():
        moment = shown(event_id, viewer.zone)
        due = instant.astimezone(ZoneInfo("UTC")).isoformat()
        base = ("-r", registry, "remind", "--ledger", ledger, "--catch-up", "3d", "--now", due)
        text = sco_cal(*base, "--dry-run")
        document = sco_cal(*base, "--dry-run", "--format", "json")
        assert text.code == document.code == 0, text.stderr + document.stderr
        assert f"when:   {clock_text(moment)}" in text.stdout, event_id
        record = next(r for r in json.loads(document.stdout)["reminders"] if r["id"] == event_id)
        assert record["when"].startswith(clock_text(moment))
        assert record["display_start"] == f"{moment:%Y-%m-%d %H:%M} {viewer.zone}"
    dump = tmp_path / "hook.txt"
    fields = "os.environ['SCO_CAL_ID'], os.environ['SCO_CAL_WHEN'], os.environ['SCO_CAL_DISPLAY_ZONE']"
    script = f"import os; open({str(dump)!r}, 'a').write('|'.join([{fields}]) + chr(10))"
    hook = f'{sys.executable} -c "{script}"'
    given = sco_cal(
        "-r", registry, "remind", "--ledger", ledger, "--catch-up", "30d", "--now", "2020-06-16T00:00Z", "--exec", hook
    )
    assert given.code == 0, given.stderr
    lines = dict(line.split("|", 1) for line in dump.read_text(encoding="utf-8").splitlines())
    for event_id in INSTANTS:
        moment = shown(event_id, viewer.zone)
        assert lines[event_id].startswith(clock_text(moment)), event_id
        assert lines[event_id].endswith(f"|{viewer.zone}")


def test_review_shows_the_display_zone(sco_cal: Callable[..., Result], registry: Path, viewer: Viewer) -> None:
    result = sco_cal("-r", registry, "review", "--now", "2020-07-01T00:00Z", "--format", "json")
    assert result.code == 0, result.stderr
    findings = {f["id"]: f["when"] for f in json.loads(result.stdout)["findings"]}
    for event_id in INSTANTS:
        moment = shown(event_id, viewer.zone)
        assert findings[event_id].startswith(clock_text(moment)), event_id


# --- every view fits its width --------------------------------------------------------------------------------


@pytest.mark.parametrize("columns", [40, 80, 200])
@pytest.mark.parametrize("months", [("2020",), ("2020-06", "--months", "3"), ("2020-06",)])
def test_calendar_fits_the_width(
    sco_cal: Callable[..., Result], registry: Path, columns: int, months: tuple[str, ...]
) -> None:
    result = sco_cal("-r", registry, "calendar", *months, "--now", NOW, env={"COLUMNS": str(columns)})
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    expected = 12 if months == ("2020",) else int(months[-1]) if "--months" in months else 1
    titles = [name for line in lines for name in line.split() if name in ("January", "June", "July", "August")]
    assert len([line for line in lines if "Mo  Tu" in line]) == -(-expected // max((columns + 3) // 30, 1))
    assert titles  # the month names are drawn
    assert "new-york-call" in result.stdout  # the legend wraps, it is not cut


@pytest.mark.parametrize("columns", [40, 80])
def test_agenda_and_review_fit_the_width(sco_cal: Callable[..., Result], registry: Path, columns: int) -> None:
    env = {"COLUMNS": str(columns)}
    agenda = sco_cal("-r", registry, "agenda", "--now", NOW, "--days", "30", env=env)
    review = sco_cal("-r", registry, "review", "--now", "2020-07-01T00:00Z", env=env)
    assert agenda.code == review.code == 0, agenda.stderr + review.stderr
    for output in (agenda.stdout, review.stdout):
        assert max(len(line) for line in output.splitlines()) <= columns
        assert set(INSTANTS) <= set(output.split())  # ids wrap whole onto their own line, never cut


# --- nothing due, nothing said ----------------------------------------------------------------------------------


def test_empty_views_are_byte_empty_when_piped(sco_cal: Callable[..., Result], registry: Path, tmp_path: Path) -> None:
    later = "2030-01-01T00:00Z"
    before = registry.read_bytes()
    agenda = sco_cal("-r", registry, "agenda", "--now", later)
    remind = sco_cal("-r", registry, "remind", "--ledger", tmp_path / "l.json", "--now", later)
    empty = tmp_path / "empty.yaml"
    empty.write_text("schema: 1\nname: E\ntimezone: UTC\nuid_domain: e.example\nevents: []\n", encoding="utf-8")
    review = sco_cal("-r", empty, "review", "--now", later)
    for result in (agenda, remind, review):
        assert (result.code, result.stdout) == (0, "")
    assert registry.read_bytes() == before
    document = sco_cal("-r", registry, "agenda", "--now", later, "--format", "json")
    assert json.loads(document.stdout)["groups"] == []
    reminders = sco_cal("-r", registry, "remind", "--ledger", tmp_path / "l.json", "--now", later, "-f", "json")
    assert json.loads(reminders.stdout)["reminders"] == []


def test_an_empty_calendar_is_its_grid_alone_when_piped(sco_cal: Callable[..., Result], registry: Path) -> None:
    result = sco_cal("-r", registry, "calendar", "2031-02", "--now", NOW)
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "February 2031"
    assert lines[-1].split() == ["24", "25", "26", "27", "28"]  # no legend, no trailing blank line
    assert "no events" not in result.stdout


def run_on_a_terminal(*args: str | Path) -> tuple[int, str]:
    """Run sco-cal with its stdout on a pseudo-terminal, as a person at a shell would."""
    assert SCO_CAL is not None
    primary, secondary = pty.openpty()
    done = subprocess.run([SCO_CAL, *map(str, args)], stdout=secondary, stderr=subprocess.PIPE, check=False, timeout=60)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    text = b"".join(chunks).decode().replace("\r\n", "\n")
    return done.returncode, re.sub(r"\x1b\[[0-9;]*m", "", text)  # styles are the terminal's business


def test_on_a_terminal_an_empty_view_says_so_in_one_line(registry: Path, tmp_path: Path) -> None:
    later = "2030-01-01T00:00Z"
    assert run_on_a_terminal("-r", registry, "agenda", "--now", later) == (0, "no events\n")
    ledger = tmp_path / "l.json"
    assert run_on_a_terminal("-r", registry, "remind", "--ledger", ledger, "--now", later) == (0, "no reminders due\n")
    code, calendar = run_on_a_terminal("-r", registry, "calendar", "2031-02", "--now", NOW)
    assert code == 0
    assert calendar.splitlines()[-1] == "no events"
