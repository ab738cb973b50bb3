"""The iCalendar package's layout holds: what reads or merges plain values never loads icalendar, the package
loads nothing by itself, and one rule for UNTIL serves both directions."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import vRecur

from sco_cal.dates import DateValue
from sco_cal.ics import publish
from sco_cal.ics.rules import rrule_line, until_beside
from sco_cal.model import Event, Status

PACKAGE = Path(__file__).resolve().parent.parent / "sco_cal" / "ics"


def _loaded(module: str) -> set[str]:
    probe = f"import {module}, sys\nprint('\\n'.join(sys.modules))"
    return set(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split())


@pytest.mark.parametrize(
    "module",
    [
        "sco_cal.ics",
        "sco_cal.ics.lines",
        "sco_cal.ics.scan",
        "sco_cal.ics.publish",
        "sco_cal.ics.incoming",
        "sco_cal.ics.merge",
    ],
)
def test_plain_value_modules_do_not_load_icalendar(module: str) -> None:
    assert "icalendar" not in _loaded(module)


def test_the_package_init_imports_nothing() -> None:
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]


def test_until_beside_a_day_is_a_date_both_ways() -> None:
    for written in (True, False):
        recur = until_beside(vRecur.from_ical("FREQ=DAILY;UNTIL=20300105T120000Z"), None, written=written)
        assert recur["UNTIL"] == [date(2030, 1, 5)]


def test_until_beside_a_time_is_utc_in_a_feed_and_wall_time_in_a_registry() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    out = until_beside(vRecur.from_ical("FREQ=DAILY;UNTIL=20300105"), berlin, written=True)
    assert out["UNTIL"] == [datetime(2030, 1, 5, 22, 59, 59, tzinfo=UTC)]  # the whole day, in Berlin
    back = until_beside(vRecur.from_ical("FREQ=DAILY;UNTIL=20300105T225959Z"), berlin, written=False)
    assert back["UNTIL"] == [datetime(2030, 1, 5, 23, 59, 59)]
    assert rrule_line("FREQ=DAILY;UNTIL=20300105", datetime(2030, 1, 1, 9, tzinfo=berlin)).endswith(
        "UNTIL=20300105T225959Z"
    )


@pytest.mark.parametrize("start", ["2020-06", "2020-06-03", "2020-06-03T10:00 Europe/Berlin"])
@pytest.mark.parametrize("status", [Status.PLANNED, Status.POSTPONED, Status.CANCELLED])
def test_what_an_event_publishes_is_what_its_dates_publish(start: str, status: Status) -> None:
    value = DateValue.from_text(start)
    event = Event("e", "Summit", start=value, status=status)
    for policy in publish.Policy:
        assert publish.when(event, policy, "UTC") == publish.timing(value, None, policy, "UTC")
    assert publish.title(event) == "Summit" + publish.title_marks(value, None, status)
    assert publish.status_out(event) == publish.status_of(value, None, status)
    timing = publish.when(event, publish.Policy.SPAN, "UTC")
    assert timing is not None
    assert publish.same_when(event, *timing, "UTC")
    assert publish.shows(value, None, timing, "UTC")


@pytest.mark.parametrize("argv", [["--help"], ["export", "--help"], ["import", "--help"]])
def test_help_loads_no_service_and_no_icalendar(argv: list[str]) -> None:
    probe = (
        "import sys\nfrom sco_cal.cli import commands\napp = commands()\n"
        f"sys.argv = ['sco-cal', *{argv!r}]\n"
        "try:\n    app(prog_name='sco-cal')\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert not {"icalendar", "sco_cal.services.feeds", "sco_cal.services.importing"} & set(loaded)
