"""Whatever text comes in, ``extract`` gives drafts a registry takes as printed, or the one documented
refusal (a phrase needing the publication day); never a crash, never a draft finer than the text."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import MOSCOW_HEADER
from hypothesis import given, settings
from hypothesis import strategies as st

from sco_cal.extract import NeedsPublication, extract, looks_like_html, strip_html
from sco_cal.output.drafts import drafts_yaml
from sco_cal.registry import loads

CASES = sorted((Path(__file__).resolve().parent.parent / "benchmarks" / "extract" / "cases").glob("*.yaml"))
FRAGMENTS = [
    "The SCO summit", " will be held", " was held", " in Moscow", " in the Russian Federation", " on 31 October",
    " - 1 November", " in June 2020", " in 2020", " next year", " on Thursday", ", and", " the meeting of the CSTO",
    " Peace Mission-2016", " in the third quarter of 2020", " early June", " mid-2021", " St.", " Kazakhstan's",
    " Belarus took part", " postponed", " cancelled", ".", "\n\n", "\xa0", "\u2014", " 3-4 March", " 2020-2021",
    " attended by the Republic of Belarus, a SCO observer", "(EWG)", " its 7th meeting", " tomorrow, 21 September",
]  # fmt: skip


def _registry_of(text: str, published: date | None) -> int:
    """Load the drafts of ``text`` as a registry file; the number of events."""
    extraction = extract(text, published=published)
    printed = drafts_yaml(extraction)
    if not printed:
        return 0
    return len(loads(MOSCOW_HEADER.replace("events:\n", "") + printed).events)


@pytest.mark.parametrize("case", CASES, ids=[path.stem for path in CASES])
def test_every_benchmark_release_drafts_a_valid_registry(case: Path) -> None:
    loaded = yaml.safe_load(case.read_text(encoding="utf-8"))
    text = strip_html(loaded["text"]) if looks_like_html(loaded["text"]) else loaded["text"]
    published = date.fromisoformat(str(loaded["published"])) if loaded.get("published") else None
    assert _registry_of(text, published) >= 1


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=25))
def test_any_text_gives_valid_drafts_or_the_documented_refusal(pieces: list[str]) -> None:
    text = "".join(pieces)
    _registry_of(text, date(2019, 11, 1))
    with contextlib.suppress(NeedsPublication):  # the one refusal; its message is tested in test_extract_cli
        _registry_of(text, None)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["June 2020", "2020", "spring 2020", "the third quarter of 2020", "early June 2020"]))
def test_a_coarse_date_is_never_drafted_finer(phrase: str) -> None:
    (draft,) = extract(f"The summit will be held in {phrase}.", published=date(2019, 11, 1)).drafts
    assert draft.event.start is not None
    assert not draft.event.start.is_fixed
