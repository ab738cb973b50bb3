"""A registry file holds one spelling of each date: what is typed on the command line, an EDTF code or a slip
written there is refused on one line naming the file, line and field, with the spelling the file takes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, digest, registry

Run = Callable[..., Result]


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("Q3 2020", "'Q3 2020' is how a date is typed on the command line; in the file write 2020-Q3"),
        ("mid-2020", "in the file write 2020-mid"),
        ("June 2020", "in the file write 2020-06"),
        ("31 Oct 2019", "in the file write 2019-10-31"),
        ("the third quarter of 2020", "in the file write 2020-Q3"),
        ("winter 2020/21", "in the file write 2020-winter"),
        ("early June 2020", "in the file write 2020-06-early"),
        ("2020-35", "'2020-35' is the EDTF code of Q3 2020; the file spells it 2020-Q3"),
        ("2021-40", "'2021-40' is the EDTF code of H1 2021; the file spells it 2021-H1"),
        ("2020-spirng", "'2020-spirng' is not a date sco-cal stores; did you mean 2020-spring?"),
        ("2020-06-erly", "did you mean 2020-06-early?"),
        ("2020-q7", "is not a date sco-cal stores; write 2020, 2020-H1, 2020-Q3"),
        ("2020-13", "2020-13 is not a month (01-12)"),
        ("31 Oct - 1 Nov 2019", "in the file write start: 2019-10-31 and end: 2019-11-01"),
        ("2020 (all year)", "in the file write start: 2020 and end: 2020"),
        ("next month", "'next month' is not a date sco-cal stores; write 2020,"),
    ],
)
def test_a_date_the_file_does_not_hold_names_the_spelling_it_does(
    sco_cal: Run, tmp_path: Path, written: str, says: str
) -> None:
    path = registry(tmp_path, f"  - id: x\n    title: X\n    start: {written}\n")
    before = digest(path)
    result = sco_cal("--registry", path, "list")
    assert result.code == 3
    line = result.stderr.strip()
    assert "\n" not in line
    assert line.startswith(f"error: {path}:8:12: start: "), line
    assert says in line
    assert digest(path) == before


def test_a_source_date_and_an_end_are_refused_the_same_way(sco_cal: Run, tmp_path: Path) -> None:
    events = (
        "  - id: x\n    title: X\n    start: 2020-Q3\n    end: Q4 2020\n"
        "    sources:\n      - url: https://example.org\n        published: 10 January 2020\n"
    )
    path = registry(tmp_path, events)
    result = sco_cal("--registry", path, "validate")
    assert result.code == 3
    assert "end: 'Q4 2020' is how a date is typed on the command line; in the file write 2020-Q4" in result.stdout
    assert "sources.published: '10 January 2020' is how a date is typed on the command line" in result.stdout


def test_the_spelling_suggested_is_one_the_file_takes(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(tmp_path, "  - id: x\n    title: X\n    start: 2020-Q3\n    end: 2020-Q3\n")
    assert sco_cal("--registry", path, "validate").code == 0
    shown = sco_cal("--registry", path, "show", "x").stdout
    assert "Q3 2020 (all quarter)" in shown
