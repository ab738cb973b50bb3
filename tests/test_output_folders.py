"""``-o`` into a folder that does not exist yet: every command that writes a file creates the folder, as
``publish DIR`` and ``export --split-by org -o DIR`` always did; a file in the way is one clear error line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result

Run = Callable[..., Result]
NOW = "2020-05-25T12:00:00Z"


@pytest.mark.parametrize(
    ("command", "name", "told"),
    [
        (["timeline", "2020", "--now", NOW], "year.svg", "6 events; written"),
        (["timeline", "2020", "--now", NOW], "page.html", "6 events; written"),
        (["export"], "feed.ics", "7 events (1 without a date left out); written"),
    ],
    ids=["timeline-svg", "timeline-html", "export"],
)
def test_o_creates_the_missing_folders(
    sco_cal: Run, example: Path, tmp_path: Path, command: list[str], name: str, told: str
) -> None:
    target = tmp_path / "missing" / "deeper" / name
    first = sco_cal("-r", example, *command, "-o", target)
    assert (first.code, first.stderr) == (0, f"{target}: {told}\n")
    assert target.stat().st_size > 0
    again = sco_cal("-r", example, *command, "-o", target)
    assert (again.code, again.stderr) == (0, f"{target}: {told.replace('written', 'unchanged')}\n")


@pytest.mark.parametrize("command", [["timeline", "2020", "--now", NOW], ["export"]], ids=["timeline", "export"])
def test_a_file_where_a_folder_should_be_is_one_line(
    sco_cal: Run, example: Path, tmp_path: Path, command: list[str]
) -> None:
    (tmp_path / "plain").write_text("not a folder\n")
    target = tmp_path / "plain" / ("x.svg" if command[0] == "timeline" else "x.ics")
    result = sco_cal("-r", example, *command, "-o", target)
    assert (result.code, result.stdout) == (74, "")
    assert result.stderr == f"error: {target}: cannot be written: a folder on its way is a file\n"
    assert (tmp_path / "plain").read_text() == "not a folder\n"
