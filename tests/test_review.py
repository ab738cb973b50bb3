"""``review``: what needs a person's attention."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from conftest import Result

from sco_cal.dates import DateValue
from sco_cal.model import Event, Source, Status
from sco_cal.reminders.agenda import Issue, review

Run = Callable[..., Result]
NOW = datetime(2030, 3, 9, 7, 30, tzinfo=UTC)
SOURCE = (Source(url="https://example.org/release"),)


def event(event_id: str, start: str, status: Status, *, sourced: bool = True, end: str | None = None) -> Event:
    return Event(
        event_id,
        event_id,
        status=status,
        start=DateValue.from_text(start),
        end=DateValue.from_text(end) if end else None,
        sources=SOURCE if sourced else (),
    )


def findings(events: list[Event]) -> list[tuple[str, Issue]]:
    return [(f.event.id, f.issue) for f in review(events, now=NOW, floating_zone="UTC", default_zone="UTC")]


def test_each_issue() -> None:
    events = [
        event("stale-plan", "2030-02", Status.PLANNED),
        event("past-scheduled", "2030-03-01", Status.SCHEDULED),
        event("unfixed-april", "2030-04", Status.PLANNED),
        event("unsourced", "2030-09-01", Status.SCHEDULED, sourced=False),
    ]
    assert findings(events) == [
        ("stale-plan", Issue.STALE),
        ("past-scheduled", Issue.NOT_HELD),
        ("unfixed-april", Issue.UNFIXED_SOON),
        ("unsourced", Issue.NO_SOURCE),
    ]


def test_what_needs_no_attention() -> None:
    events = [
        event("held", "2030-03-01", Status.HELD),
        event("cancelled", "2030-02", Status.CANCELLED),
        event("postponed", "2030-02", Status.POSTPONED),
        event("may-fix-later", "2030-05", Status.PLANNED),  # more than a month away
        event("still-possible", "2030-03", Status.PLANNED),  # March is not over: not stale, but unfixed
        event("ongoing-year", "2030", Status.SCHEDULED, end="2030"),  # the whole year: nothing to fix
    ]
    assert findings(events) == [("still-possible", Issue.UNFIXED_SOON)]


def test_review_of_the_example(sco_cal: Run, example: Path, golden: Callable[[str, str], None]) -> None:
    result = sco_cal("-r", example, "review", "--now", "2020-07-15T09:00:00+03:00")
    assert result.code == 0
    assert result.stderr == ""
    assert "sco-cis-csto-defence-chiefs-2020-06" in result.stdout
    golden("review-example-2020-07-15.txt", result.stdout)
    document = json.loads(sco_cal("-r", example, "review", "--now", "2020-07-15T09:00:00+03:00", "-f", "json").stdout)
    assert ("sco-cis-csto-defence-chiefs-2020-06", "stale") in {(f["id"], f["issue"]) for f in document["findings"]}


def test_nothing_to_review_prints_nothing(sco_cal: Run, tmp_path: Path) -> None:
    registry = tmp_path / "r.yaml"
    registry.write_text("schema: 1\nname: Empty\ntimezone: UTC\nuid_domain: empty.example\nevents:\n")
    result = sco_cal("-r", registry, "review", "--now", "2030-03-09T07:30:00Z")
    assert (result.code, result.stdout, result.stderr) == (0, "", "")
