"""The plain table (pipes, cron mails, long listings) shows what the terminal table shows."""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLE

from sco_cal.dates import Window
from sco_cal.output.plain import event_lines
from sco_cal.query import Filters, select
from sco_cal.registry import load


def _lines(window: Window | None, width: int) -> list[str]:
    registry = load(EXAMPLE)
    found = select(registry.events, Filters(window=window), floating_zone=registry.timezone, default_zone="UTC")
    return list(event_lines(found, registry.timezone, width=width))


def test_every_event_keeps_its_id_whole_at_any_width() -> None:
    registry = load(EXAMPLE)
    for width in (60, 80, 100, 120, 200):
        text = "\n".join(_lines(None, width))
        for event in registry.events:
            assert event.id in text.split(), (width, event.id)
        if width >= 80:
            assert all(len(line) <= width for line in text.splitlines()), width


def test_columns_make_way_on_narrow_terminals() -> None:
    assert _lines(None, 120)[0].split() == ["When", "Event", "Kind", "Status", "Where", "Orgs"]
    assert _lines(None, 100)[0].split() == ["When", "Event", "Status", "Where", "Orgs"]
    assert _lines(None, 80)[0].split() == ["When", "Event", "Status", "Orgs"]


def test_vague_dates_are_shown_as_vague(tmp_path: Path) -> None:
    text = "\n".join(_lines(None, 120))
    assert "Jun 2020 (date TBC)" in text
    assert "2020 (all year)" in text
    assert "date unknown" in text
