"""A table's columns go to what its rows hold: a column empty in every row is not shown, and the organisations
outlast the place as the width shrinks."""

from __future__ import annotations

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
