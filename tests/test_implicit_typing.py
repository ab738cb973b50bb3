"""YAML's implicit typing never surprises: what a user writes stays text, and what sco-cal writes reads back as
the same text under YAML 1.1 (PyYAML) and YAML 1.2 (ruamel.yaml) readers alike."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import Result
from ruamel.yaml import YAML

from sco_cal.dates import DateValue
from sco_cal.registry import load, loads

Run = Callable[..., Result]

TRICKY = ["NO", "yes", "off", "On", "~", "null", "12:30", "1_000", "0o17", "0x1F", "2020", "2020-06", "2020-06-12",
          ".inf", "-.5", "1e3", "y", "n", "=", "<<", "2019-10-31T10:00:00+03:00"]  # fmt: skip


@pytest.mark.parametrize("text", TRICKY)
def test_a_bare_value_in_the_file_stays_text(text: str) -> None:
    registry = loads(f"events:\n  - id: a\n    title: {text}\n    tags: [{text}]\n    notes: {text}\n")
    event = registry.get("a")
    assert (event.title, event.tags, event.notes) == (text, (text,), text)


@pytest.mark.parametrize(
    ("field", "text", "meaning"),
    [
        ("start", "2020", DateValue.from_text("2020")),
        ("start", "2020-06", DateValue.from_text("2020-06")),
        ("start", "2020-06-12", DateValue.from_text("2020-06-12")),
        ("start", "2019-10-31T10:00:00+03:00", DateValue.from_text("2019-10-31T10:00+03:00")),
    ],
)
def test_dates_get_their_documented_meaning(field: str, text: str, meaning: DateValue) -> None:
    assert getattr(loads(f"events:\n  - id: a\n    title: A\n    {field}: {text}\n").get("a"), field) == meaning


@pytest.mark.parametrize(("text", "message"), [("0o17", "not a whole number"), ("1_000", "not a whole number")])
def test_numbers_are_plain_digits(text: str, message: str) -> None:
    with pytest.raises(Exception, match=message):
        loads(f"events:\n  - id: a\n    title: A\n    number: {text}\n")


def _yaml_1_2(text: str) -> object:
    return YAML(typ="safe", pure=True).load(io.StringIO(text))


def test_what_sco_cal_writes_reads_the_same_under_yaml_1_1_and_1_2(sco_cal: Run, example: Path) -> None:
    for position, text in enumerate(TRICKY):
        result = sco_cal("-r", example, "add", f"--id=tricky-{position}", f"--tag={text}", f"--note={text}", "--", text)
        assert result.code == 0, result.stderr
    written = example.read_text(encoding="utf-8")
    for reader in (yaml.safe_load, _yaml_1_2):
        document = reader(written)
        assert isinstance(document, dict)
        by_id = {event["id"]: event for event in document["events"]}
        for position, text in enumerate(TRICKY):
            event = by_id[f"tricky-{position}"]
            assert (event["title"], event["tags"], event["notes"]) == (text, [text], text), (reader, text)
    registry = load(example)
    assert [registry.get(f"tricky-{i}").title for i in range(len(TRICKY))] == TRICKY
    for bare in ("yes", "NO", "12:30", "off", "~"):
        assert f"title: {bare}\n" not in written
