"""A season is saved by its name and read in the registry's hemisphere: every way a season reaches the file
(``add --date``, ``edit --date``, ``extract --add``, ``import``) saves what a load reads back, in either
hemisphere. A season typed is the one of that name in the registry's hemisphere; a season a release names keeps
its months (the releases come from the north)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MOSCOW_HEADER, Result, registry

Run = Callable[..., Result]

SOUTHERN = MOSCOW_HEADER.replace("events:", "seasons: southern\nevents:")
BOTH = pytest.mark.parametrize("header", [MOSCOW_HEADER, SOUTHERN], ids=["northern", "southern"])
# a month each hemisphere's summer 2020 may fall in, and one it may not
SUMMER = {MOSCOW_HEADER: ("Jun 2020", "Dec 2020"), SOUTHERN: ("Dec 2020", "Jun 2020")}
RELEASE = "The meeting of SCO foreign ministers is planned for summer 2020 in Beijing.\n"


def _in_month(sco_cal: Run, path: Path, month: str) -> str:
    listed = sco_cal("--registry", path, "list", month, "--format", "json")
    assert listed.code == 0, listed.stderr
    return " ".join(event["id"] for event in json.loads(listed.stdout)["events"])


@BOTH
def test_extract_add_saves_a_releases_season_with_its_months(sco_cal: Run, tmp_path: Path, header: str) -> None:
    """The releases come from organisations north of the equator: their summer is June to August, which a
    southern registry names winter (docs/extract.md)."""
    path = registry(tmp_path, "  - id: x\n    title: X\n    start: 2020\n", header)
    (tmp_path / "release.txt").write_text(RELEASE, encoding="utf-8")
    added = sco_cal(
        "--registry", path, "extract", tmp_path / "release.txt", "--published", "2020-01-10", "--add", "--yes"
    )
    assert added.code == 0, added.stderr
    name = "2020-summer" if header == MOSCOW_HEADER else "2020-winter"
    assert f"start: {name}\n" in path.read_text()
    assert sco_cal("--registry", path, "validate").code == 0
    assert f"meeting-sco-foreign-ministers-{name}" in _in_month(sco_cal, path, "Jun 2020")
    assert f"meeting-sco-foreign-ministers-{name}" not in _in_month(sco_cal, path, "Dec 2020")


@BOTH
def test_add_and_edit_save_a_season_in_either_hemisphere(sco_cal: Run, tmp_path: Path, header: str) -> None:
    path = registry(tmp_path, "  - id: x\n    title: X\n    start: 2020\n", header)
    assert sco_cal("--registry", path, "add", "Talks", "--id", "t", "--date", "summer 2020").code == 0
    edited = sco_cal("--registry", path, "edit", "x", "--date", "winter 2020")
    assert edited.code == 0, edited.stderr
    text = path.read_text()
    assert "start: 2020-summer\n" in text
    assert "start: 2020-winter\n" in text
    inside, _ = SUMMER[header]
    assert "t" in _in_month(sco_cal, path, inside).split()


def test_a_northern_feed_imported_into_a_southern_registry_keeps_its_months(sco_cal: Run, tmp_path: Path) -> None:
    north = registry(tmp_path, "  - id: s\n    title: Summer talks\n    start: 2020-summer\n")
    feed = tmp_path / "feed.ics"
    assert sco_cal("--registry", north, "export", "-o", feed).code == 0
    (tmp_path / "south").mkdir()
    south = registry(tmp_path / "south", "  - id: x\n    title: X\n    start: 2020\n", SOUTHERN)
    imported = sco_cal("--registry", south, "import", feed)
    assert imported.code == 0, imported.stderr
    # the northern summer (June-August) is what the south calls winter 2020
    assert "start: 2020-winter\n" in south.read_text()
    assert sco_cal("--registry", south, "validate").code == 0
