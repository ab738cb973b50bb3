"""A table's columns go to what its rows hold: a column empty in every row is not shown, and the organisations
outlast the place as the width shrinks."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result

ANSI = re.compile(r"\x1b\[[0-9;]*m")
Run = Callable[..., Result]


def _headers(result: Result) -> list[str]:
    assert result.code == 0, result.stderr
    return ANSI.sub("", result.stdout).splitlines()[0].split()


@pytest.fixture
def placeless(tmp_path: Path, sco_cal: Run) -> Path:
    """A registry whose events have no venue, as a press release's coarse plans often have none."""
    registry = tmp_path / "placeless.yaml"
    assert sco_cal("-r", registry, "init", "--timezone", "UTC").code == 0
    for title, date, org in (("Summit", "mid-2020", "SCO"), ("Border talks", "early June 2020", "CIS")):
        assert sco_cal("-r", registry, "add", title, "--date", date, "--org", org).code == 0
    return registry


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "rich"])
@pytest.mark.parametrize("width", [80, 120])
def test_a_column_empty_in_every_row_is_left_out(sco_cal: Run, placeless: Path, colour: bool, width: int) -> None:
    env = {"COLUMNS": str(width), **({"FORCE_COLOR": "1"} if colour else {})}
    headers = _headers(sco_cal("-r", placeless, "list", env=env))
    assert "Where" not in headers
    assert headers[-2:] == ["Status", "Orgs"]


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "rich"])
def test_one_venue_brings_the_column_back(sco_cal: Run, placeless: Path, colour: bool) -> None:
    assert sco_cal("-r", placeless, "edit", "summit-2020-mid", "--where", "Tashkent").code == 0
    env = {"COLUMNS": "120", **({"FORCE_COLOR": "1"} if colour else {})}
    result = sco_cal("-r", placeless, "list", env=env)
    assert "Where" in _headers(result)
    assert "Tashkent" in result.stdout


def test_every_line_fits_when_the_organisations_stay(sco_cal: Run, example: Path) -> None:
    result = sco_cal("-r", example, "list", env={"COLUMNS": "80"})
    assert _headers(result) == ["When", "Event", "Status", "Orgs"]
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert sum(line.rstrip().endswith("SCO") for line in result.stdout.splitlines()) >= 3  # the rows' organisations


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "rich"])
@pytest.mark.parametrize("width", [20, 30, 40])
def test_a_narrow_table_breaks_an_id_only_after_its_dashes(
    sco_cal: Run, example: Path, colour: bool, width: int
) -> None:
    """At 40 columns and less the event column is narrower than some ids: an id goes on the next line whole
    when it fits there, else it is broken after a dash (never inside a part), and reads back by joining."""
    env = {"COLUMNS": str(width), **({"FORCE_COLOR": "1"} if colour else {})}
    result = sco_cal("-r", example, "list", "2020", env=env)
    assert result.code == 0, result.stderr
    lines = ANSI.sub("", result.stdout).splitlines()
    assert max(len(line) for line in lines) <= width
    event_column = lines[0].index("Event")
    cells = [line[event_column:].rstrip() for line in lines[2:]]
    listed = sco_cal("-r", example, "list", "2020", "--format", "json")
    for event_id in (event["id"] for event in json.loads(listed.stdout)["events"]):
        parts = [part + "-" for part in event_id.split("-")[:-1]] + [event_id.split("-")[-1]]
        if max(map(len, parts)) > width - event_column:
            continue  # a part wider than the column is folded: nothing to keep whole
        starts = [n for n, cell in enumerate(cells) if event_id.startswith(cell) and cell.endswith(("-", event_id))]
        assert any("".join(_joined(cells, n, event_id)) == event_id for n in starts), (event_id, cells)


def _joined(cells: list[str], first: int, event_id: str) -> list[str]:
    """The cells from ``first`` on whose text, joined, begins ``event_id``, each one ending at a dash or at the
    id's end."""
    taken: list[str] = []
    for cell in cells[first:]:
        so_far = "".join(taken)
        if not cell or not event_id.startswith(so_far + cell) or not cell.endswith(("-", event_id[-1:])):
            break
        taken.append(cell)
        if so_far + cell == event_id:
            break
    return taken
