"""A time the clocks pass twice, typed with the abbreviation sco-cal prints for it: ``3 Nov 2024 01:30 EST`` is the
second 01:30 in New York and ``01:30 EDT`` the first, so every such time sco-cal shows can be typed back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import Result

from sco_cal.dates.phrases import parse_date
from sco_cal.errors import InvalidInput

Run = Callable[..., Result]
NEW_YORK = ("America/New_York",)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("3 Nov 2024 01:30 EST", "2024-11-03T01:30-05:00"),
        ("3 Nov 2024 01:30 EDT", "2024-11-03T01:30-04:00"),
        ("15 Jan 2024 10:00 EST", "2024-01-15 10:00 America/New_York"),
        ("15 Jul 2024 10:00 EDT", "2024-07-15 10:00 America/New_York"),
    ],
)
def test_the_abbreviation_picks_the_clock_it_names(typed: str, stored: str) -> None:
    assert parse_date(typed, today=date(2024, 1, 1), zones=NEW_YORK).to_text() == stored


@pytest.mark.parametrize(
    ("typed", "refused"),
    [
        ("15 Jul 2024 10:00 EST", InvalidInput),  # not the zone's abbreviation on that day
        ("3 Nov 2024 01:30 MSK", InvalidInput),
    ],
)
def test_what_names_no_clock_of_the_zone_is_refused(typed: str, refused: type[Exception]) -> None:
    with pytest.raises(refused):
        parse_date(typed, today=date(2024, 1, 1), zones=NEW_YORK)


def test_each_time_shown_in_the_repeated_hour_can_be_typed_back(sco_cal: Run, tmp_path: Path) -> None:
    registry = tmp_path / "ny.yaml"
    assert sco_cal("-r", registry, "init", "--name", "NY", "--timezone", "America/New_York").code == 0
    for offset in ("-04:00", "-05:00"):
        assert sco_cal("-r", registry, "add", f"Call {offset}", "--date", f"2024-11-03T01:30{offset}").code == 0
    listed = sco_cal("-r", registry, "list", env={"COLUMNS": "120", "NO_COLOR": "1"}).stdout
    shown = ["3 Nov 2024 01:30 EDT", "3 Nov 2024 01:30 EST"]
    assert all(text in listed for text in shown), listed
    for text in shown:
        added = sco_cal("-r", registry, "add", f"Again {text}", "--date", text, "--force")
        assert added.code == 0, added.stderr
    stored = [line.strip() for line in registry.read_text(encoding="utf-8").splitlines() if "start:" in line]
    assert stored == [f"start: 2024-11-03T01:30{offset}" for offset in ("-04:00", "-05:00", "-04:00", "-05:00")]
    # without the abbreviation it is still either; a time the clocks skip stays refused
    assert sco_cal("-r", registry, "add", "Which", "--date", "3 Nov 2024 01:30").code == 5
    assert sco_cal("-r", registry, "add", "Skipped", "--date", "10 Mar 2024 02:30 EST").code == 2
