"""What a release prints, typed as it is: a year first (``2020 Q3``), a leading ``in`` or ``on``, the
non-breaking hyphen (U+2011); and a phrase without a year (``June``, ``early June``, ``Q3``) refused alike,
naming the phrase with a year, never read with a guessed one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, digest, registry

Run = Callable[..., Result]
ONE = "  - id: x\n    title: X\n    start: 2020\n"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2020 Q3", "2020-Q3"),
        ("2021 H1", "2021-H1"),
        ("2020 spring", "2020-spring"),
        ("in the third quarter of 2020", "2020-Q3"),
        ("in early June 2020", "2020-06-early"),
        ("on 31 Oct 2019", "'2019-10-31'"),
        ("during the first half of 2021", "2021-H1"),
        ("mid\u20112020", "2020-mid"),
        ("mid\u2011June\u00a02020", "2020-06-mid"),
        ("2019\u201110\u201131", "'2019-10-31'"),
    ],
)
def test_a_date_typed_as_a_release_prints_it_is_stored_at_its_precision(
    sco_cal: Run, tmp_path: Path, typed: str, stored: str
) -> None:
    path = registry(tmp_path, ONE)
    added = sco_cal("--registry", path, "add", "Talks", "--id", "t", "--date", typed)
    assert added.code == 0, added.stderr
    assert f"    start: {stored}\n" in path.read_text()


@pytest.mark.parametrize("typed", ["2020 Q3", "in the third quarter of 2020", "Q3\u00a02020"])
def test_the_same_phrases_are_windows(sco_cal: Run, tmp_path: Path, typed: str) -> None:
    path = registry(
        tmp_path,
        ONE + "  - id: q\n    title: Q\n    start: 2020-09-30\n  - id: o\n    title: O\n    start: 2020-10-01\n",
    )
    listed = sco_cal("--registry", path, "list", typed, "--format", "csv")
    assert listed.code == 0, listed.stderr
    assert [line.split(",")[0] for line in listed.stdout.splitlines()[1:]] == ["x", "q"]


@pytest.mark.parametrize("typed", ["June", "early June", "mid-June", "Q3", "spring", "31 Oct", "the third quarter of"])
def test_a_phrase_without_a_year_is_refused_like_a_month_without_one(sco_cal: Run, tmp_path: Path, typed: str) -> None:
    path = registry(tmp_path, ONE)
    before = digest(path)
    refused = sco_cal("--registry", path, "add", "Talks", "--date", typed)
    assert refused.code == 2
    line = refused.stderr.strip()
    assert "\n" not in line
    assert f"{typed!r} has no year, and sco-cal does not guess one; write '{typed} " in line
    assert digest(path) == before
    window = sco_cal("--registry", path, "list", typed)
    assert window.code == 2
    assert "has no year" in window.stderr
