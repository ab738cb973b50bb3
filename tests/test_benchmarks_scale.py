"""The benchmark script's own pieces: the log-log plot, the hand edits it makes, and the first-line timing.

These check what the script draws and edits, not how fast anything is (speed is measured by benchmarks/run.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402  (the benchmark modules import each other by their bare names)
import handedit  # noqa: E402
import measure  # noqa: E402
import plot  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
WINDOW = ("upcoming", "--from", "2030-03-09", "--days", "30")


def _record(task: str, size: int, median: float | None, before: float | None = None) -> dict[str, Any]:
    return {
        "task": task,
        "size": size,
        "median": median,
        "status": "" if median is not None else "not installed",
        "before": {"median": before} if before is not None else None,
    }


MADE_UP = [
    *(_record("upcoming 30 days", n, t, t * 1.1) for n, t in ((1_000, 0.09), (10_000, 0.1), (100_000, 0.2))),
    *(_record("upcoming 30d, just changed", n, t) for n, t in ((1_000, 0.37), (10_000, 1.99), (100_000, 20.9))),
    *(_record("calcurse -Q 30 days", n, t) for n, t in ((1_000, 0.03), (10_000, 0.22), (100_000, 44.0))),
    *(_record("remind -s+5 (5 weeks)", n, t) for n, t in ((1_000, 0.04), (10_000, 0.3), (100_000, 3.1))),
    *(_record("khal list 30d (warm cache)", n, t) for n, t in ((10_000, 0.9), (100_000, 6.5))),
    *(_record("khal list 30d (cold cache)", n, t) for n, t in ((10_000, 10.0), (100_000, 103.0))),
    _record("khal list 30d (cold cache)", 1_000, None),  # a row without a time is left out, not drawn at 0
    _record("validate, unchanged", 1_000, 0.3),  # not a 30-day query: not drawn
]
EXPECTED_SERIES = {
    "sco-cal, unchanged",
    "sco-cal, unchanged (before)",
    "sco-cal, just changed",
    "calcurse",
    "remind",
    "khal, warm cache",
    "khal, cold cache",
}


def _texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def _points(polyline: ET.Element) -> list[tuple[float, float]]:
    pairs = (pair.split(",") for pair in polyline.attrib["points"].split())
    return [(float(x), float(y)) for x, y in pairs]


def test_plot_parses_names_every_series_and_puts_slower_higher() -> None:
    series = plot.series_from(MADE_UP)
    assert set(series) == EXPECTED_SERIES
    assert series["khal, cold cache"] == [(10_000, 10.0), (100_000, 103.0)]
    root = ET.fromstring(plot.svg(series, "A title & more"))
    texts = _texts(root)
    assert "A title & more" in texts
    assert set(texts) >= EXPECTED_SERIES, "every series is named in the legend"
    assert {"1,000", "10,000", "100,000", "0.01 s", "0.1 s", "1 s", "10 s", "100 s", "1000 s"} <= set(texts)
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == len(EXPECTED_SERIES)
    by_label = dict(zip(series, lines, strict=True))
    unchanged = _points(by_label["sco-cal, unchanged"])
    changed = _points(by_label["sco-cal, just changed"])
    assert [x for x, _ in unchanged] == sorted(x for x, _ in unchanged), "sizes from left to right"
    assert all(c[1] < u[1] for c, u in zip(changed, unchanged, strict=True)), "the slower line is higher"
    assert all(plot.LEFT <= x <= plot.WIDTH - plot.RIGHT for x, _ in unchanged + changed)
    assert all(plot.TOP <= y <= plot.HEIGHT - plot.BOTTOM for _, y in unchanged + changed)


def test_plot_with_nothing_to_draw_is_refused() -> None:
    with pytest.raises(ValueError, match="no timed row"):
        plot.svg(plot.series_from([_record("validate, unchanged", 1_000, 0.3)]), "t")


def _run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCH / "run.py"), *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_plot_from_a_saved_run(tmp_path: Path) -> None:
    saved = tmp_path / "run.json"
    saved.write_text(json.dumps(MADE_UP), encoding="utf-8")
    done = _run_script("--plot-from", str(saved), "--plot", str(tmp_path / "time.svg"))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    root = ET.parse(tmp_path / "time.svg").getroot()
    assert set(_texts(root)) >= EXPECTED_SERIES


def test_plot_from_without_a_target_or_rows_says_so(tmp_path: Path) -> None:
    saved = tmp_path / "run.json"
    saved.write_text(json.dumps([_record("validate, unchanged", 1_000, 0.3)]), encoding="utf-8")
    missing = _run_script("--plot-from", str(saved))
    assert missing.returncode == 2
    assert "--plot-from needs --plot" in missing.stderr
    empty = _run_script("--plot-from", str(saved), "--plot", str(tmp_path / "time.svg"))
    assert empty.returncode == 1
    assert empty.stderr.strip().splitlines() == [f"no timed row of the 30-day query to plot in {saved}"]
    assert not (tmp_path / "time.svg").exists()


# --- the hand edits, checked with the installed sco-cal ---------------------------------------------------


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """The first 300 generated events as a registry."""
    path = tmp_path / "registry.yaml"
    path.write_text(generate.registry_text(generate.generate_events(300), "Small"), encoding="utf-8")
    return path


def _sco(sco_cal: Callable[..., Any], path: Path, *args: str) -> str:
    result = sco_cal("-r", str(path), *args)
    assert result.code == 0, result.stderr
    return str(result.stdout)


def _edit(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def test_an_added_event_and_a_new_title_show_in_the_window(sco_cal: Callable[..., Any], small: Path) -> None:
    shown = handedit.event_ids(_sco(sco_cal, small, *WINDOW))
    middle = handedit.nearest_middle(shown, 300)[0]
    assert middle in shown
    _edit(small, lambda text: handedit.add_event(text, middle, "pasted-1", "PastedByHand", "2030-03-20"))
    _edit(small, lambda text: handedit.retitle(text, middle, "RetitledByHand"))
    answer = _sco(sco_cal, small, *WINDOW)
    assert "PastedByHand" in answer
    assert "RetitledByHand" in answer
    assert "pasted-1" in answer


def test_a_comment_changes_nothing_and_a_removal_drops_the_event(sco_cal: Callable[..., Any], small: Path) -> None:
    before = _sco(sco_cal, small, *WINDOW)
    keep = handedit.referenced(small.read_text(encoding="utf-8"))
    assert keep, "the generated events name some related ones"
    target = next(i for i in handedit.nearest_middle(handedit.event_ids(before), 300) if i not in keep)
    _edit(small, lambda text: handedit.add_comment(text, target, "typed by hand"))
    assert "    # typed by hand\n" in small.read_text(encoding="utf-8")
    assert _sco(sco_cal, small, *WINDOW) == before
    _edit(small, lambda text: handedit.remove_event(text, target))
    assert target not in _sco(sco_cal, small, *WINDOW)
    assert target not in small.read_text(encoding="utf-8")
    _sco(sco_cal, small, "validate")


def test_retitle_every_hundredth(sco_cal: Callable[..., Any], small: Path) -> None:
    text, changed = handedit.retitle_every(small.read_text(encoding="utf-8"), 100, 7, "Changed on a branch")
    assert changed == 3  # ev-000007, ev-000107, ev-000207
    small.write_text(text, encoding="utf-8")
    listing = _sco(sco_cal, small, "list", "--format", "csv")
    assert listing.count("Changed on a branch") == 3
    with pytest.raises(ValueError, match="ev-999999"):
        handedit.retitle(text, "ev-999999", "x")


def test_first_line_is_timed_before_the_rest_arrives(tmp_path: Path) -> None:
    script = "import sys, time; print('first', flush=True); time.sleep(2); print('second')"
    sample = measure.measure(
        [sys.executable, "-c", script],
        env={},
        cwd=tmp_path,
        timeout=60,
        stdout=tmp_path / "out.txt",
        stderr=tmp_path / "err.txt",
        first_line=True,
    )
    assert sample.exit_code == 0
    assert (tmp_path / "out.txt").read_text() == "first\nsecond\n"
    assert sample.first_line is not None
    assert sample.first_line <= sample.seconds - 1.0, "the first line came before the two-second pause"
