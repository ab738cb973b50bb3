"""The terminal timeline fits any width a terminal can have, down to the narrowest ``$COLUMNS`` allowed:
a legend entry wider than the screen wraps its words under its mark instead of running past the edge."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result

Run = Callable[..., Result]
NOW = "2020-05-25T12:00Z"
LEGEND = ["certain", "may fall in (date TBC)", "one day", "today 25 May 2020", "planned", "scheduled", "held"]


@pytest.mark.parametrize("columns", [20, 23, 26, 31, 39])
def test_every_line_fits_and_the_legend_says_everything(sco_cal: Run, example: Path, columns: int) -> None:
    result = sco_cal("-r", example, "timeline", "2020", "--now", NOW, env={"COLUMNS": str(columns)})
    assert (result.code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    words = " ".join(lines).split()
    for entry in LEGEND:
        assert " ".join(entry.split()) in " ".join(words), (columns, entry)
