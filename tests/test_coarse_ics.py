"""Quarters, halves, seasons and parts of a year or month in feeds: a TENTATIVE all-day span of the period they
may fall in (its first day under ``--partial start``, nothing under ``skip``), the precision in
``X-SCO-PRECISION``, the value in ``X-SCO-START``, and back on import to the same events."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import MOSCOW_HEADER, Result, registry

from sco_cal.model import Event
from sco_cal.registry import load

Run = Callable[..., Result]

EVENTS = """\
  - id: q3
    title: Joint exercise
    kind: exercise
    start: 2020-Q3
    reminders: [30d]
  - id: whole-q3
    title: Chairmanship
    start: 2020-Q3
    end: 2020-Q3
  - id: early-june
    title: Working group
    start: 2020-06-early
    status: scheduled
  - id: spring
    title: Spring talks
    start: 2020-spring
  - id: winter
    title: Winter drills
    start: 2020-winter
  - id: mid
    title: Summit
    start: 2020-mid
  - id: h2
    title: Expert talks
    start: 2020-H2
  - id: q3q4
    title: Drills
    start: 2020-Q3
    end: 2020-Q4
  - id: day-to-quarter
    title: Long mission
    start: 2020-05-04
    end: 2020-Q3
"""

SOUTHERN = MOSCOW_HEADER.replace("events:", "seasons: southern\nevents:")


def _vevents(feed: str) -> dict[str, dict[str, str]]:
    """Each VEVENT's properties by X-SCO-ID (unfolded; the first of each name)."""
    found: dict[str, dict[str, str]] = {}
    unfolded = feed.replace("\r\n", "\n").replace("\n ", "")  # read as text, the lines end in \n
    for block in re.findall(r"BEGIN:VEVENT\n(.*?)END:VEVENT", unfolded, re.DOTALL):
        properties: dict[str, str] = {}
        for line in block.splitlines():
            name, _, value = line.partition(":")
            properties.setdefault(name, value)
        found[properties["X-SCO-ID"]] = properties
    return found


def _export(sco_cal: Run, path: Path, *args: str) -> str:
    result = sco_cal("--registry", path, "export", *args)
    assert result.code == 0, result.stderr
    return result.stdout


# id: DTSTART, DTEND (exclusive), X-SCO-PRECISION, X-SCO-START, STATUS
SPANS = {
    "q3": ("20200701", "20201001", "quarter", "2020-Q3", "TENTATIVE"),
    "whole-q3": ("20200701", "20201001", "quarter", "2020-Q3", "TENTATIVE"),
    "early-june": ("20200601", "20200611", "part-of-month", "2020-06-early", "TENTATIVE"),
    "spring": ("20200301", "20200601", "season", "2020-spring", "TENTATIVE"),
    "winter": ("20201201", "20210301", "season", "2020-winter", "TENTATIVE"),
    "mid": ("20200501", "20200901", "part-of-year", "2020-mid", "TENTATIVE"),
    "h2": ("20200701", "20210101", "half", "2020-H2", "TENTATIVE"),
    "q3q4": ("20200701", "20210101", "quarter", "2020-Q3", "TENTATIVE"),
    "day-to-quarter": ("20200504", "20201001", "day", "2020-05-04", "TENTATIVE"),
}


def test_a_feed_spans_the_period_each_may_fall_in(sco_cal: Run, tmp_path: Path) -> None:
    events = _vevents(_export(sco_cal, registry(tmp_path, EVENTS)))
    for event_id, (start, end, precision, value, status) in SPANS.items():
        vevent = events[event_id]
        written = (vevent["DTSTART;VALUE=DATE"], vevent["DTEND;VALUE=DATE"], vevent["X-SCO-PRECISION"])
        assert (*written, vevent["X-SCO-START"], vevent["STATUS"]) == (start, end, precision, value, status), event_id
    assert events["q3"]["SUMMARY"] == "Joint exercise (date TBC)"
    assert events["q3"]["TRANSP"] == "TRANSPARENT"
    assert events["whole-q3"]["SUMMARY"] == "Chairmanship"  # all of Q3 is certain: no mark
    # a scheduled event whose day is not fixed stays tentative, as a month does
    assert events["early-june"]["SUMMARY"] == "Working group (date TBC)"
    assert (events["q3q4"]["X-SCO-END"], events["day-to-quarter"]["X-SCO-END"]) == ("2020-Q4", "2020-Q3")


def test_partial_start_puts_each_on_its_first_day_and_skip_leaves_it_out(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(tmp_path, EVENTS)
    first_days = _vevents(_export(sco_cal, path, "--partial", "start"))
    for event_id, (start, _end, *_rest) in SPANS.items():
        if event_id == "whole-q3":
            continue
        vevent = first_days[event_id]
        assert vevent["DTSTART;VALUE=DATE"] == start, event_id
        assert int(vevent["DTEND;VALUE=DATE"]) - int(start) == 1, event_id  # no month ends inside these
    assert first_days["whole-q3"]["DTEND;VALUE=DATE"] == "20201001"  # certain: always its whole span
    assert set(_vevents(_export(sco_cal, path, "--partial", "skip"))) == {"whole-q3"}


def _same(imported: Event, original: Event) -> bool:
    return replace(imported, uid=None, updated=None) == replace(original, uid=None, updated=None)


@pytest.mark.parametrize("header", [MOSCOW_HEADER, SOUTHERN], ids=["northern", "southern"])
def test_export_then_import_into_an_empty_registry_gives_the_same_events(
    sco_cal: Run, tmp_path: Path, header: str
) -> None:
    original = registry(tmp_path, EVENTS, header)
    feed = tmp_path / "feed.ics"
    assert sco_cal("--registry", original, "export", "-o", feed).code == 0
    assert ("X-SCO-SEASONS:southern" in feed.read_text()) is (header == SOUTHERN)
    (tmp_path / "empty").mkdir()
    empty = registry(tmp_path / "empty", "", header)
    result = sco_cal("--registry", empty, "import", feed)
    assert result.code == 0, result.stderr
    before = {event.id: event for event in load(original).events}
    after = {event.id: event for event in load(empty).events}
    assert set(after) == set(before)
    for event_id, event in after.items():
        assert _same(event, before[event_id]), event_id
    again = sco_cal("--registry", empty, "import", feed)
    assert again.stdout.strip().endswith("0 new, 0 updated, 9 unchanged, 0 errors")


def test_a_southern_feed_imported_into_a_northern_registry_keeps_the_months(sco_cal: Run, tmp_path: Path) -> None:
    south = registry(tmp_path, EVENTS, SOUTHERN)
    feed = tmp_path / "feed.ics"
    assert sco_cal("--registry", south, "export", "-o", feed).code == 0
    (tmp_path / "north").mkdir()
    north = registry(tmp_path / "north", "")
    assert sco_cal("--registry", north, "import", feed).code == 0
    text = north.read_text(encoding="utf-8")
    # the southern spring 2020 (September-November) is the northern autumn 2020
    assert "id: spring\n    title: Spring talks\n    status: planned\n    start: 2020-autumn\n" in text
    assert "start: 2020-summer\n" in text  # the southern winter 2020: June-August
    events = {event.id: event for event in load(north).events}
    assert events["spring"].start is not None
    assert events["spring"].start.first_day().isoformat() == "2020-09-01"
