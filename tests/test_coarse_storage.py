"""The parts of a year or month in a registry file: the readable forms a person writes (``2020-Q3``,
``2021-H1``, ``2020-spring``, ``2020-mid``, ``2020-06-early``), kept as written, each mapped to its EDTF code in
the records; bad forms named by file, line and field; the ``seasons:`` setting; cached copies made again."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MOSCOW_HEADER, Result, digest, registry

EVENTS = """\
  - id: q3
    title: Joint exercise
    start: 2020-Q3
  - id: h1
    title: Expert talks
    start: 2021-h1
  - id: spring
    title: Spring drills
    start: 2020-spring
  - id: winter
    title: Winter drills
    start: 2020-winter
  - id: mid
    title: Summit
    start: 2020-mid
  - id: early-june
    title: Working group
    start: 2020-06-early
  - id: whole-q3
    title: Presidency
    start: 2020-Q3
    end: 2020-Q3
"""

# id: stored value, precision, EDTF, earliest, latest (exclusive), fixed
EXPECTED = {
    "q3": ("2020-Q3", "quarter", "2020-35", "2020-07-01", "2020-10-01", False),
    "h1": ("2021-H1", "half", "2021-40", "2021-01-01", "2021-07-01", False),
    "spring": ("2020-spring", "season", "2020-25", "2020-03-01", "2020-06-01", False),
    "winter": ("2020-winter", "season", "2020-28", "2020-12-01", "2021-03-01", False),
    "mid": ("2020-mid", "part-of-year", "2020-38", "2020-05-01", "2020-09-01", False),
    "early-june": ("2020-06-early", "part-of-month", "2020-06-01/2020-06-10", "2020-06-01", "2020-06-11", False),
    "whole-q3": ("2020-Q3", "quarter", "2020-35", "2020-07-01", "2020-10-01", True),
}


def _records(sco_cal: Callable[..., Result], path: Path, *args: str) -> dict[str, dict[str, object]]:
    result = sco_cal("--registry", path, "list", *args, "--format", "json")
    assert result.code == 0, result.stderr
    return {record["id"]: record for record in json.loads(result.stdout)["events"]}


def test_each_form_loads_with_its_precision_edtf_and_span(sco_cal: Callable[..., Result], tmp_path: Path) -> None:
    path = registry(tmp_path, EVENTS, MOSCOW_HEADER.replace("Europe/Moscow", "UTC"))
    assert sco_cal("--registry", path, "validate").code == 0
    records = _records(sco_cal, path)
    for event_id, (value, precision, edtf, earliest, latest, fixed) in EXPECTED.items():
        start = records[event_id]["start"]
        assert (start, records[event_id]["start_edtf"]) == ({"value": value, "precision": precision}, edtf), event_id
        assert str(records[event_id]["earliest"]).startswith(earliest), event_id
        assert str(records[event_id]["latest"]).startswith(latest), event_id
        assert records[event_id]["fixed"] is fixed, event_id


def test_the_csv_gives_the_edtf_codes_in_columns_of_their_own(sco_cal: Callable[..., Result], tmp_path: Path) -> None:
    path = registry(tmp_path, EVENTS)
    result = sco_cal("--registry", path, "list", "--format", "csv")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert (rows["whole-q3"]["start_edtf"], rows["whole-q3"]["end_edtf"]) == ("2020-35", "2020-35")
    assert (rows["q3"]["start_precision"], rows["q3"]["end_edtf"]) == ("quarter", "")
    assert list(rows["q3"])[:5] == ["id", "title", "kind", "status", "start"]  # old columns keep their places


def test_the_file_keeps_what_was_written_when_another_event_is_added(
    sco_cal: Callable[..., Result], tmp_path: Path
) -> None:
    path = registry(tmp_path, EVENTS)
    before = path.read_text(encoding="utf-8")
    added = sco_cal("--registry", path, "add", "Talks", "--date", "third quarter of 2021")
    assert added.code == 0, added.stderr
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)  # 2021-h1 stays as it was typed
    assert "start: 2021-Q3\n" in after[len(before) :]


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("2020-Q5", "start: '2020-Q5' is not a date sco-cal stores; write 2020, 2020-H1, 2020-Q3, 2020-spring"),
        ("2021-H3", "start: '2021-H3' is not a date sco-cal stores"),
        ("2020-06-earl", "start: '2020-06-earl' is not a date sco-cal stores"),
        ("2020-13-early", "start: 2020-13 is not a month (01-12)"),
        ("2020-springtime", "start: '2020-springtime' is not a date sco-cal stores"),
        ("Q3 2020", "start: 'Q3 2020' is how a date is typed on the command line; in the file write 2020-Q3"),
    ],
)
def test_a_bad_form_is_one_line_naming_file_line_and_field(
    sco_cal: Callable[..., Result], tmp_path: Path, start: str, message: str
) -> None:
    path = registry(tmp_path, f"  - id: bad\n    title: Bad\n    start: {start}\n")
    before = digest(path)
    result = sco_cal("--registry", path, "validate")
    assert result.code == 3
    assert result.stdout.splitlines() == [result.stdout.strip()]
    assert result.stdout.startswith(f"{path}:8:12: {message}")
    refused = sco_cal("--registry", path, "add", "Other", "--date", "Q3 2020")
    assert refused.code == 3
    assert refused.stderr.startswith(f"error: {path}:8:12: start:")
    assert "Traceback" not in refused.stderr
    assert digest(path) == before


def test_a_season_end_before_its_start_is_refused_in_the_registrys_hemisphere(
    sco_cal: Callable[..., Result], tmp_path: Path
) -> None:
    # winter 2020 then summer 2020: December 2020 to June 2020 in the north, June to December 2020 in the south
    events = "  - id: drills\n    title: Drills\n    start: 2020-winter\n    end: 2020-summer\n"
    north = registry(tmp_path, events)
    result = sco_cal("--registry", north, "validate")
    assert (result.code, result.stdout.strip()) == (3, f"{north}:6:5: end: 2020-summer is before the start 2020-winter")
    (tmp_path / "south").mkdir()
    south = registry(tmp_path / "south", events, MOSCOW_HEADER.replace("events:", "seasons: southern\nevents:"))
    assert sco_cal("--registry", south, "validate").code == 0


def test_a_southern_registry_reads_its_seasons_six_months_on(sco_cal: Callable[..., Result], tmp_path: Path) -> None:
    header = MOSCOW_HEADER.replace("Europe/Moscow", "UTC").replace("events:", "seasons: southern\nevents:")
    path = registry(tmp_path, EVENTS, header)
    for attempt in ("parsed", "cached"):  # the second run answers from the derived copy
        records = _records(sco_cal, path)
        assert (records["spring"]["start"]["value"], records["spring"]["start_edtf"]) == ("2020-spring", "2020-29")
        assert str(records["spring"]["earliest"]).startswith("2020-09-01"), attempt
        assert str(records["winter"]["earliest"]).startswith("2020-06-01"), attempt
        assert str(records["q3"]["earliest"]).startswith("2020-07-01"), attempt
    in_window = _records(sco_cal, path, "spring 2020")
    assert "spring" in in_window
    assert "winter" not in in_window
    assert "q3" in in_window
    added = sco_cal("--registry", path, "add", "Talks", "--date", "autumn 2021")
    assert added.code == 0, added.stderr
    assert str(_records(sco_cal, path)[added.stdout.strip()]["earliest"]).startswith("2021-03-01")


def test_the_hemisphere_setting_is_checked(sco_cal: Callable[..., Result], tmp_path: Path) -> None:
    path = registry(tmp_path, EVENTS, MOSCOW_HEADER.replace("events:", "seasons: south\nevents:"))
    result = sco_cal("--registry", path, "validate")
    assert result.code == 3
    assert result.stdout.strip() == f"{path}:5:10: seasons: 'south' is not one of northern, southern"


def test_the_files_of_a_folder_must_agree_on_the_hemisphere(sco_cal: Callable[..., Result], tmp_path: Path) -> None:
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "a.yaml").write_text(MOSCOW_HEADER.replace("events:", "seasons: southern\nevents:") + EVENTS)
    (folder / "b.yaml").write_text("seasons: northern\nevents:\n")
    result = sco_cal("--registry", folder, "validate")
    assert result.code == 3
    assert "seasons: 'northern' here, but 'southern' in" in result.stdout


def test_a_cached_copy_made_before_the_new_precisions_is_never_read(tmp_path: Path) -> None:
    from sco_cal.cache.store import MODEL_SHAPES

    for name in ("quarter", "half", "season", "part-of-year", "part-of-month", "'part'", "'seasons'"):
        assert name in MODEL_SHAPES, name
