"""A coarse start with a finer end inside its period (start 2020-Q3, end 2020-07-15) loads, as it did, and
``validate`` and ``review`` warn on stderr, naming the file, line and event, what the start can only be, and
what to write; ranges that say what they seem to say are not warned about."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, digest, registry

Run = Callable[..., Result]

ODD = "  - id: odd\n    title: Odd\n    start: 2020-Q3\n    end: 2020-07-15\n"
WARNING = (
    "warning: {path}:6: odd: end: 2020-07-15 lies inside the start's period 2020-Q3, so the start can only be "
    "01 Jul - 15 Jul 2020; write the start as a day or a finer period (or the end as 2020-Q3)\n"
)


@pytest.mark.parametrize("command", ["validate", "review"])
def test_a_finer_end_inside_a_coarse_start_is_warned_about(sco_cal: Run, tmp_path: Path, command: str) -> None:
    path = registry(tmp_path, ODD)
    before = digest(path)
    now = ("--now", "2019-01-01T00:00:00Z") if command == "review" else ()
    result = sco_cal("--registry", path, command, *now)
    assert result.code == 0, result.stderr
    assert result.stderr == WARNING.format(path=path)
    assert digest(path) == before


@pytest.mark.parametrize(
    ("start", "end"),
    [("2020-Q3", "2020-Q4"), ("2020-05-04", "2020-Q3"), ("2020-Q3", "2020-10-15"), ("2020", "2020"), ("2020-Q3", "")],
)
def test_ranges_that_say_what_they_seem_are_not_warned_about(
    sco_cal: Run, tmp_path: Path, start: str, end: str
) -> None:
    path = registry(tmp_path, f"  - id: r\n    title: R\n    start: {start}\n" + (f"    end: {end}\n" if end else ""))
    result = sco_cal("--registry", path, "validate")
    assert result.code == 0, result.stderr
    assert result.stderr == ""
