"""``sco-cal timeline`` in the terminal: golden pictures of the example registry at three widths, with and
without colour, and what the picture must say (the shade, the axis that coarsens, today's line, the filters).

Golden files live in tests/data/timeline/; ``pytest --update-golden`` rewrites them (review the diff).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DATA, MOSCOW_HEADER, Result, registry

GOLDEN = DATA / "timeline"
NOW = "2020-05-25T12:00Z"
WINDOWS = {"2020": "2020", "years": "2017 - 2023"}

Run = Callable[..., Result]


@pytest.fixture
def timeline_golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"{path} does not exist; run pytest --update-golden and review the file"
        assert text == path.read_text(encoding="utf-8"), f"output differs from {path}"

    return check


def _draw(sco_cal: Run, path: Path, *args: str, columns: int = 80, env: dict[str, str] | None = None) -> Result:
    result = sco_cal("-r", path, "timeline", *args, "--now", NOW, env={"COLUMNS": str(columns), **(env or {})})
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    return result


@pytest.mark.parametrize("columns", [40, 80, 160])
@pytest.mark.parametrize("window", sorted(WINDOWS))
def test_golden_without_colour(sco_cal: Run, example: Path, timeline_golden: Callable[[str, str], None],
                               window: str, columns: int) -> None:  # fmt: skip
    result = _draw(sco_cal, example, WINDOWS[window], columns=columns)
    assert max(len(line) for line in result.stdout.splitlines()) <= columns
    assert "\x1b[" not in result.stdout
    timeline_golden(f"{window}-{columns}.txt", result.stdout)


@pytest.mark.parametrize("columns", [40, 80, 160])
@pytest.mark.parametrize("window", sorted(WINDOWS))
def test_golden_with_colour(sco_cal: Run, example: Path, timeline_golden: Callable[[str, str], None],
                            monkeypatch: pytest.MonkeyPatch, window: str, columns: int) -> None:  # fmt: skip
    monkeypatch.delenv("NO_COLOR")
    result = _draw(sco_cal, example, WINDOWS[window], columns=columns, env={"FORCE_COLOR": "1", "TERM": "xterm"})
    assert "\x1b[33m" in result.stdout  # planned rows in yellow
    timeline_golden(f"{window}-{columns}-colour.txt", result.stdout)


def test_no_color_wins_over_force_color(sco_cal: Run, example: Path) -> None:
    result = _draw(sco_cal, example, "2020", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in result.stdout


def _row(output: str, label: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(label))


def test_certain_is_solid_and_possible_is_shaded(sco_cal: Run, example: Path) -> None:
    out = _draw(sco_cal, example, "2020", columns=160).stdout
    assert set(_row(out, "Russia's SCO presidency")[-100:]) == {"█"}  # "2020 (all year)": solid all year
    assert set(_row(out, "Peace Mission")[-100:]) == {"░"}  # "2020 (TBC)": shaded all year
    june = _row(out, "Joint meeting of the")
    assert "░" in june
    assert "█" not in june
    assert "◆" in _row(out, "Collective Security Treaty signed")  # a single day is a marker
    assert "█ certain" in out
    assert "░ may fall in (date TBC)" in out
    assert "◆ one day" in out


def test_june_shade_covers_june_and_nothing_else(sco_cal: Run, example: Path) -> None:
    out = _draw(sco_cal, example, "2020", columns=40 + 12 * 10).stdout  # 12 months, ~10 columns each
    axis = out.splitlines()[1]
    june, july = axis.index("Jun"), axis.index("Jul")
    row = _row(out, "Joint meeting of the")
    shaded = [i for i, char in enumerate(row) if char == "░"]
    assert june - 1 <= shaded[0] <= june + 1
    assert july - 2 <= shaded[-1] <= july


def test_a_range_of_months_is_certain_in_its_middle_and_shaded_at_its_ends(sco_cal: Run, tmp_path: Path) -> None:
    """From some day in June to some day in August: July is certain, June and August only possible."""
    path = registry(tmp_path, "  - {id: tour, title: Tour, start: 2020-06, end: 2020-08}\n")
    out = _draw(sco_cal, path, "2020", columns=160).stdout
    row = _row(out, "Tour")
    axis = out.splitlines()[1]
    assert row[axis.index("Jun") + 3] == "░"
    assert row[axis.index("Jul") + 3] == "█"
    assert row[axis.index("Aug") + 3] == "░"
    assert len(row) <= axis.index("Sep")  # nothing from September on (trailing blanks are dropped)


def test_no_colour_and_no_unicode_still_tell_the_marks_apart(sco_cal: Run, example: Path) -> None:
    out = _draw(sco_cal, example, "2020", env={"PYTHONIOENCODING": "ascii"}).stdout
    assert out.isascii()
    assert set(_row(out, "Russia's SCO presidency").split(" S ", 1)[1]) == {"#"}
    assert set(_row(out, "Peace Mission").split(" P ", 1)[1]) == {":"}
    assert "# certain" in out
    assert ": may fall in (date TBC)" in out
    assert "* one day" in out
    assert "| today" in out


def test_the_axis_coarsens_as_the_window_widens(sco_cal: Run, example: Path) -> None:
    year_wide = _draw(sco_cal, example, "2020", columns=160).stdout.splitlines()
    assert year_wide[0].split() == ["2020"]
    assert year_wide[1].split()[:3] == ["Jan", "Feb", "Mar"]
    year_narrow = _draw(sco_cal, example, "2020", columns=40).stdout.splitlines()
    assert year_narrow[1].split() == ["Q1", "Q2", "Q3", "Q4"]
    years = _draw(sco_cal, example, "2017 - 2023", columns=80).stdout.splitlines()
    assert years[0].split() == [str(year) for year in range(2017, 2024)]
    assert "Jan" not in years[1]
    assert "Q1" not in years[1]


def test_today_is_a_line_only_inside_the_window(sco_cal: Run, example: Path) -> None:
    inside = _draw(sco_cal, example, "2020").stdout
    assert "│ today 25 May 2020" in inside
    assert "│" in _row(inside, "Joint meeting of the")  # the line crosses rows where nothing else is
    outside = _draw(sco_cal, example, "2019").stdout
    assert "today" not in outside
    assert "│" not in outside


def test_the_default_window_is_the_coming_twelve_months(sco_cal: Run, example: Path) -> None:
    lines = _draw(sco_cal, example, columns=160).stdout.splitlines()
    assert lines[0].split() == ["2020", "2021"]
    assert lines[1].split() == ["May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr"]
    assert not any(line.startswith("7th meeting") for line in lines)  # held in 2019: before the window


def test_the_filters_of_list_apply(sco_cal: Run, example: Path) -> None:
    out = _draw(sco_cal, example, "2020", "--org", "CSTO").stdout
    assert [line.split()[0] for line in out.splitlines()[2:-2]] == ["Collective", "Joint"]
    planned = _draw(sco_cal, example, "2020", "--status", "planned", "--kind", "exercise").stdout
    assert [line for line in planned.splitlines() if line.startswith(("Peace", "Russia", "Joint"))] == [
        _row(planned, "Peace Mission")
    ]


def test_one_row_per_org_series_or_kind(sco_cal: Run, example: Path) -> None:
    by_org = _draw(sco_cal, example, "2020", "--by", "org").stdout
    assert [line.split()[0] for line in by_org.splitlines()[2:5]] == ["SCO", "CSTO", "CIS"]
    assert "+ mixed statuses" in by_org  # SCO's row holds planned, scheduled and held events
    by_kind = _draw(sco_cal, example, "2020", "--by", "kind").stdout
    assert {line.split()[0] for line in by_kind.splitlines()[2:6]} == {"exercise", "presidency", "agreement", "meeting"}
    by_series = _draw(sco_cal, example, "2019 - 2020", "--by", "series").stdout
    assert _row(by_series, "peace-mission")
    assert _row(by_series, "sco-ewg")
    assert _row(by_series, "(no series)")


def test_nothing_to_draw_prints_nothing(sco_cal: Run, example: Path) -> None:
    result = _draw(sco_cal, example, "1990")
    assert result.stdout == ""


def test_a_time_is_a_marker_on_its_day(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(tmp_path, "  - {id: call, title: Call, start: 2020-03-10 10:00, end: 2020-03-10 11:00}\n")
    out = _draw(sco_cal, path, "2020", columns=160).stdout
    assert _row(out, "Call").count("◆") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2020", "-o", "year.png"], "write a picture (.svg) or a page (.html)"),
        (["2020", "--by", "venue"], "'venue' is not one of"),
        (["not a window"], "not a date"),
    ],
)
def test_bad_input_is_one_line_and_a_documented_code(sco_cal: Run, example: Path, tmp_path: Path,
                                                     args: list[str], message: str) -> None:  # fmt: skip
    before = example.read_bytes()
    result = sco_cal("-r", example, "timeline", *args, "--now", NOW)
    assert result.code == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert example.read_bytes() == before
    assert not (tmp_path / "year.png").exists()


def test_bad_now_is_refused(sco_cal: Run, example: Path) -> None:
    result = sco_cal("-r", example, "timeline", "--now", "2020-05-25")
    assert result.code == 2
    assert "needs an offset or Z" in result.stderr


def test_header_only_registry(sco_cal: Run, tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text(MOSCOW_HEADER.replace("events:\n", "events: []\n"), encoding="utf-8")
    result = sco_cal("-r", path, "timeline", "--now", NOW)
    assert result.code == 0
    assert result.stdout == ""
