"""The seed release gives exactly the example registry's dated events (issue 14): the same dates and
precisions, statuses, venues, organisations, series and numbers that a person drafted from it by hand."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, EXAMPLE, Result

from sco_cal.registry import load

SEED = DATA / "extract" / "seed-ewg-2019.txt"
# Beyond the release: two anchors a person added from the record, which the text never mentions.
ANCHORS = {"sco-founding-2001", "collective-security-treaty-1992"}
Run = Callable[..., Result]


def _drafts(sco_cal: Run) -> list[dict[str, Any]]:
    done = sco_cal("extract", SEED, "--published", "2019-11-01", "--format", "json")
    assert done.code == 0, done.stderr
    events: list[dict[str, Any]] = json.loads(done.stdout)["events"]
    return events


def _by_dates(events: list[dict[str, Any]]) -> dict[tuple[str, str | None], dict[str, Any]]:
    return {(e["start"]["value"], e["end"] and e["end"]["value"]): e for e in events}


def test_seed_gives_the_yaml_in_the_golden_file(sco_cal: Run, golden: Callable[[str, str], None]) -> None:
    done = sco_cal("extract", SEED, "--published", "2019-11-01", "--source-url", "https://example.org/ewg")
    assert done.code == 0, done.stderr
    golden("extract-seed.yaml", done.stdout)


def test_seed_gives_exactly_the_example_registrys_dated_events(sco_cal: Run) -> None:
    human = [e for e in load(EXAMPLE).iter_events() if e.start is not None and e.id not in ANCHORS]
    wanted = {(e.start.to_text(), e.end.to_text() if e.end else None): e for e in human if e.start}
    drafted = _by_dates(_drafts(sco_cal))
    assert set(drafted) == set(wanted)
    assert len(_drafts(sco_cal)) == len(wanted)


@pytest.mark.parametrize(
    "event_id",
    [
        "sco-ewg-07",
        "russia-sco-presidency-2020",
        "sco-cis-csto-defence-chiefs-2020-06",
        "peace-mission-2020",
        "sco-joint-exercises-agreement-2007",
    ],
)
def test_each_seed_event_has_the_fields_a_person_gave_it(sco_cal: Run, event_id: str) -> None:
    human = load(EXAMPLE).get(event_id)
    assert human.start is not None
    draft = _by_dates(_drafts(sco_cal))[(human.start.to_text(), human.end.to_text() if human.end else None)]
    assert (draft["start"]["precision"], draft["end"] and draft["end"]["precision"]) == (
        str(human.start.precision),
        human.end and str(human.end.precision),
    )
    assert (draft["kind"], draft["status"]) == (str(human.kind), str(human.status))
    venue = human.venue
    assert draft["venue"] == (
        {"name": venue.name, "country": venue.country, "timezone": venue.timezone} if venue else None
    )
    assert draft["orgs"] == list(human.orgs)
    assert (draft["series"], draft["number"]) == (human.series, human.number)


def test_the_seed_participants_carry_their_roles(sco_cal: Run) -> None:
    drafted = _by_dates(_drafts(sco_cal))
    roles = {p["name"]: p["role"] for p in drafted[("2019-10-31", "2019-11-01")]["participants"]}
    assert roles["Republic of Belarus"] == "observer"
    assert roles["Russian Defence Ministry"] == "host"
    assert drafted[("2020", "2020")]["participants"] == [{"name": "Russian Federation", "role": "chair"}]


def test_each_seed_draft_cites_its_sentence(sco_cal: Run) -> None:
    text = " ".join(SEED.read_text(encoding="utf-8").replace("\xa0", " ").split())  # the release's own dashes
    for draft in _drafts(sco_cal):
        (source,) = draft["sources"]
        assert source["published"] == "2019-11-01"
        assert source["excerpt"] in text
        assert source["title"].startswith("Expert Working Group affiliated with")


def test_extracting_the_seed_again_adds_nothing_to_the_example_registry(sco_cal: Run, example: Path) -> None:
    """The example registry already holds every dated statement of the seed: nothing is duplicated."""
    before = example.read_bytes()
    done = sco_cal("--registry", example, "extract", SEED, "--published", "2019-11-01", "--add", "--yes")
    assert done.code == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("skipped:") == 5
    assert example.read_bytes() == before
