"""``show`` prints every field of an event, its sources' dates and words included: the excerpt is what an
analyst checks the event against."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import Result

Run = Callable[..., Result]

REGISTRY = """schema: 1
name: Sources
timezone: UTC
uid_domain: sources.example
events:
  - id: ewg-2020
    title: Expert Working Group
    start: 2020-06
    sources:
      - title: EWG meets in Moscow
        url: https://example.org/ewg
        published: 2019-10-31
        excerpt: the next meeting is scheduled for June 2020
      - url: https://example.org/bare
"""


def test_show_prints_each_sources_date_and_excerpt(sco_cal: Run, tmp_path: Path) -> None:
    registry = tmp_path / "r.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    shown = sco_cal("-r", registry, "show", "ewg-2020", env={"COLUMNS": "120", "NO_COLOR": "1"})
    assert shown.code == 0
    lines = [line.rstrip() for line in shown.stdout.splitlines()]
    at = lines.index("sources  EWG meets in Moscow - https://example.org/ewg")
    assert lines[at + 1 : at + 4] == [
        "         published 31 Oct 2019",
        '         "the next meeting is scheduled for June 2020"',
        "         https://example.org/bare",
    ]
