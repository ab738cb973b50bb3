"""The model's one list of event fields is what the YAML reader and writer are built from."""

from __future__ import annotations

from dataclasses import fields

import pytest

from sco_cal.model import EVENT_FILE_KEYS, FIELD_OF_FILE_KEY, Event, LeadTime
from sco_cal.registry.yaml import emit, field_readers
from sco_cal.registry.yaml.keys import EVENT_KEYS, by_file_key
from sco_cal.registry.yaml.problems import Problems
from sco_cal.registry.yaml.reader import parse_whole

# The order a registry file lists an event's keys in, as every message and every written event gave it.
FILE_ORDER = [
    "id",
    "title",
    "kind",
    "status",
    "start",
    "end",
    "venue",
    "orgs",
    "series",
    "number",
    "participants",
    "sources",
    "tags",
    "reminders",
    "recurrence",
    "except",
    "also",
    "occurrence_of",
    "replaces",
    "related",
    "notes",
    "uid",
    "sequence",
    "updated",
]


def test_every_field_has_one_key_in_the_files_order() -> None:
    assert set(EVENT_FILE_KEYS) == {field.name for field in fields(Event)}
    assert list(EVENT_KEYS) == FILE_ORDER
    assert {key: FIELD_OF_FILE_KEY.get(key, key) for key in EVENT_KEYS} == {
        key: name for name, key in EVENT_FILE_KEYS.items()
    }


def test_every_field_has_exactly_one_reader_and_one_writer() -> None:
    assert [(key, name) for key, (name, _read) in field_readers.READ_AS.items()] == [
        (key, name) for name, key in EVENT_FILE_KEYS.items()
    ]
    assert list(emit._WRITE_AS) == FILE_ORDER
    assert [name for name, _write in emit._WRITE_AS.values()] == list(EVENT_FILE_KEYS)


@pytest.mark.parametrize("table", [{"id": 1}, {**dict.fromkeys(EVENT_FILE_KEYS, 1), "colour": 1}])
def test_a_table_that_misses_or_adds_a_field_is_refused(table: dict[str, int]) -> None:
    with pytest.raises(TypeError, match="differ in"):
        by_file_key(table, "a table")


def test_an_event_reads_back_as_it_was_written() -> None:
    event = Event("e", "E", excluded=(), reminders=(LeadTime(2, "d"),), sequence=3, notes="two\nlines\n")
    text = "events:\n" + "\n".join(emit.item_lines(event, 2, 4)) + "\n"
    problems = Problems()
    parsed = parse_whole("r.yaml", text, problems)
    assert problems.items == []
    assert [found.event for found in parsed.events] == [event]


@pytest.mark.parametrize(
    ("fields_text", "messages"),
    [
        # at an event's top an unknown key given twice is told as given twice; in a venue, as unknown each time
        ("    colour: a\n    colour: b\n", ["colour: unknown field", "colour: appears twice in the same mapping"]),
        ("    venue: {hue: a, hue: b}\n", ["venue.hue: unknown field", "venue.hue: unknown field"]),
        ("    venue: {name: a, name: b}\n", ["venue.name: appears twice; keep one"]),
        ("    ? [a]\n    : b\n", ["a mapping key must be a plain word"]),
        ("    venue: {hue: a, [b]: c}\n", ["venue: expected text, found a list"]),
    ],
)
def test_unknown_and_repeated_keys_are_told_as_before(fields_text: str, messages: list[str]) -> None:
    problems = Problems()
    parse_whole("r.yaml", "events:\n  - id: e\n    title: E\n" + fields_text, problems)
    assert len(problems.items) == len(messages)
    for problem, message in zip(problems.items, messages, strict=True):
        assert problem.message.startswith(message)
