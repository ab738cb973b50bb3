"""A season that runs into the next year is shown with both years (``winter 2020/21``: December 2020 to February
2021), and what is shown reads back as the same season, in either hemisphere."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MOSCOW_HEADER, Result, registry

Run = Callable[..., Result]

SOUTHERN = MOSCOW_HEADER.replace("events:", "seasons: southern\nevents:")
EVENTS = (
    "  - id: w\n    title: Winter drills\n    start: 2020-winter\n"
    "  - id: s\n    title: Summer talks\n    start: 2020-summer\n"
)


def _when(sco_cal: Run, path: Path) -> dict[str, str]:
    listed = sco_cal("--registry", path, "list", "--format", "json")
    assert listed.code == 0, listed.stderr
    return {event["id"]: event["when"] for event in json.loads(listed.stdout)["events"]}


@pytest.mark.parametrize(
    ("header", "shown"),
    [
        (MOSCOW_HEADER, {"w": "winter 2020/21 (dates TBC)", "s": "summer 2020 (dates TBC)"}),
        (SOUTHERN, {"w": "winter 2020 (dates TBC)", "s": "summer 2020/21 (dates TBC)"}),
    ],
    ids=["northern", "southern"],
)
def test_a_season_into_the_next_year_shows_both_years_and_reads_back(
    sco_cal: Run, tmp_path: Path, header: str, shown: dict[str, str]
) -> None:
    path = registry(tmp_path, EVENTS, header)
    assert _when(sco_cal, path) == shown
    for event_id, when in shown.items():
        added = sco_cal("--registry", path, "add", "Again", "--id", f"again-{event_id}", "--date", when)
        assert added.code == 0, added.stderr
        assert _when(sco_cal, path)[f"again-{event_id}"] == when
        window = sco_cal("--registry", path, "list", when, "--format", "json")
        assert event_id in {event["id"] for event in json.loads(window.stdout)["events"]}


def test_a_range_ending_in_winter_names_both_years(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(tmp_path, "  - id: aw\n    title: AW\n    start: 2020-autumn\n    end: 2020-winter\n")
    assert _when(sco_cal, path) == {"aw": "autumn - winter 2020/21 (dates TBC)"}
    agenda = sco_cal("--registry", path, "agenda", "--now", "2020-11-01T00:00:00Z", "--days", "10")
    assert agenda.stdout.splitlines()[0] == "sometime in autumn - winter 2020/21  (date not fixed yet)"


def test_a_season_that_does_not_reach_the_next_year_is_refused_with_its_name(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(tmp_path, EVENTS)
    refused = sco_cal("--registry", path, "add", "X", "--date", "summer 2020/21")
    assert refused.code == 2
    assert refused.stderr == (
        "error: --date: summer 2020 ends in 2020 in this registry's hemisphere; write 'summer 2020'\n"
    )
