"""The dates and reminders packages after their split by job: the facade keeps its names, the modules inside
``sco_cal.dates`` import one another rather than the facade, and what the split changed inside reads as before."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import sco_cal.dates
from sco_cal.dates import DateValue, zone_for
from sco_cal.errors import InvalidInput

DATES = Path(sco_cal.dates.__file__).parent

# The names ``sco_cal.dates`` exported before the split; outside importers rely on every one of them.
BEFORE_SPLIT = {
    "MONTH_ABBR",
    "DateValue",
    "Precision",
    "Span",
    "Window",
    "abbreviation_refused",
    "display_lines",
    "display_span",
    "is_abbreviation",
    "time_of_day",
    "zone_for",
}


def test_the_facade_keeps_every_name_it_exported() -> None:
    assert set(sco_cal.dates.__all__) >= BEFORE_SPLIT
    assert all(hasattr(sco_cal.dates, name) for name in sco_cal.dates.__all__)


@pytest.mark.parametrize("path", sorted(DATES.glob("*.py")), ids=lambda path: path.name)
def test_modules_inside_dates_import_their_siblings_not_the_facade(path: Path) -> None:
    if path.name == "__init__.py":
        return
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            assert node.module != "sco_cal.dates", f"{path.name}:{node.lineno}"
        elif isinstance(node, ast.Import):
            assert all(alias.name != "sco_cal.dates" for alias in node.names), f"{path.name}:{node.lineno}"


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("2019-10-31T10:00+0300", "2019-10-31T10:00+03:00"),
        ("2019-10-31T10:00-05:30", "2019-10-31T10:00-05:30"),
    ],
)
def test_an_offset_is_stored_with_a_colon(text: str, stored: str) -> None:
    assert DateValue.from_text(text).to_text() == stored


@pytest.mark.parametrize("name", ["+24:00", "-2400"])
def test_an_offset_of_a_day_or_more_is_refused(name: str) -> None:
    with pytest.raises(InvalidInput, match="out of range"):
        zone_for(name)


def test_a_zone_name_is_not_read_as_an_offset() -> None:
    with pytest.raises(InvalidInput, match="unknown time zone '0300'"):
        zone_for("0300")


def test_importing_dates_compiles_no_grammar() -> None:
    """A run that reads its snapshot parses no date text: importing the package leaves the grammar uncompiled."""
    code = "import sco_cal.dates.values as v, sco_cal.dates.phrases; print(v._compiled == ())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"
