"""The quick listing of a big registry: events pickled flat in its index read back equal to what the YAML says,
every field of every kind of event; records written as text equal to the JSON of the records; and the order of
events that start together is the one the design note asks for (earliest start, exact before vague, title, id),
read from the index as from a parse, whatever the viewer's zone."""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLE, SCO_CAL

from sco_cal.output.records import document, json_document
from sco_cal.query import Filters, select
from sco_cal.registry import INDEX_FROM_BYTES, load

HEADER = "schema: 1\nname: Fast\ntimezone: Europe/Moscow\nuid_domain: fast.example\nevents:\n"

# One event of each shape a registry may hold, with every optional field somewhere, texts JSON must escape
# ("quotes", a backslash, a tab, a line break, Cyrillic), and every precision of date.
EVERY_KIND = """\
  - id: all-fields
    title: "A \\"quoted\\" title with a back\\\\slash, a\\ttab and Совещание"
    kind: summit
    status: scheduled
    start: 2030-06-10 10:00 Asia/Tokyo
    end: 2030-06-10 12:30 Asia/Tokyo
    venue: {name: Tokyo, country: Japan, timezone: Asia/Tokyo}
    orgs: [SCO, CSTO]
    series: fast-summit
    number: 3
    participants:
      - {name: Japan, role: host}
      - {name: Observer state}
    sources:
      - {url: "https://example.org/a", title: First, published: 2030-05-01, excerpt: "said \\"soon\\""}
      - {url: "https://example.org/b"}
      - {title: Only a title, published: 2030-05-02 09:00 UTC}
    tags: [summit, ministers]
    reminders: [30d, 2h]
    related: [weekly-series]
    notes: "Two lines,\\nthe second in Cyrillic: встреча"
    uid: all-fields@elsewhere.example
    sequence: 4
    updated: 2030-05-03T08:00:00Z
  - id: weekly-series
    title: Weekly series
    kind: meeting
    start: 2030-01-06
    recurrence: FREQ=WEEKLY;COUNT=10
    except: [2030-01-13]
    also: [2030-01-15 18:00]
  - id: moved-occurrence
    title: Moved
    kind: meeting
    start: 2030-01-14
    occurrence_of: weekly-series
    replaces: 2030-01-13
  - id: offset-time
    title: An offset
    start: 2030-03-01T09:00+05:30
  - id: zoneless-time
    title: Registry's zone
    start: 2030-03-01 09:00
    venue: {country: Russia}
  - {id: a-year, title: A year, start: 2030}
  - {id: whole-year, title: Whole year, kind: presidency, start: 2030, end: 2030}
  - {id: a-half, title: A half, start: 2030-H2}
  - {id: part-of-year, title: Part of a year, start: 2030-mid}
  - {id: a-quarter, title: A quarter, start: 2030-Q3, end: 2030-Q4}
  - {id: a-season, title: A season, start: 2030-spring}
  - {id: a-month, title: A month, start: 2030-06, end: 2030-07}
  - {id: whole-month, title: Whole month, start: 2030-06, end: 2030-06}
  - {id: part-of-month, title: Part of a month, start: 2030-06-early}
  - {id: day-range, title: Days, start: 2030-06-10, end: 2030-06-12}
  - {id: no-date, title: No date yet, kind: agreement}
  - {id: comma-title, title: "Talks, then a dinner", start: 2030-02-01, venue: {name: 'The "Old" Hall'}}
  - {id: line-break, title: "Two\\nlines", start: 2030-02-02}
"""

# Events that start together as a viewer in Moscow sees it, on 10 June 2030: midnight there is 21:00 UTC the
# day before. The design note's order: the earliest possible start, then the more exact, then the title
# (without case), then the id.
TIES = """\
  - {id: tie-b-day, title: beta, start: 2030-06-10}
  - {id: tie-a-day, title: Beta, start: 2030-06-10}
  - {id: tie-midnight, title: Zulu, start: 2030-06-10 00:00}
  - {id: tie-utc, title: Yankee, start: 2030-06-09 21:00 UTC}
  - {id: tie-early, title: Alpha, start: 2030-06-early}
  - {id: tie-month, title: Alpha, start: 2030-06}
  - {id: tie-quarter, title: Alpha, start: 2030-Q2}
  - {id: tie-later, title: Aardvark, start: 2030-06-10 00:01}
"""
TIED_ORDER = ["tie-utc", "tie-midnight", "tie-a-day", "tie-b-day", "tie-later"]


def _filler(count: int) -> str:
    """Plain events enough to make the registry one sco-cal keeps an index of, on the days around the ties."""
    return "".join(
        f"  - id: filler-{n:05d}\n    title: Filler {n % 37}\n    kind: meeting\n"
        f"    start: 2030-{1 + n % 12:02d}-{1 + n % 28:02d}\n    orgs: [CIS]\n"
        "    notes: A line of notes, so that the file is as big as a real registry of this many events.\n"
        for n in range(count)
    )


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fast") / "big.yaml"
    path.write_text(HEADER + EVERY_KIND + TIES + _filler(600), encoding="utf-8")
    assert path.stat().st_size > INDEX_FROM_BYTES
    return path


def _sco(path: Path, *args: str, cache: str | None = None, zone: str | None = None) -> str:
    env = {**os.environ, "SCO_CAL_CACHE": cache or str(path.parent / "cache")}
    if zone is not None:
        config = path.parent / f"config-{zone.replace('/', '-')}.toml"
        config.write_text(f'timezone = "{zone}"\n', encoding="utf-8")
        env["SCO_CAL_CONFIG"] = str(config)
    done = subprocess.run([str(SCO_CAL), "-r", str(path), *args], check=False, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


def test_every_kind_of_event_reads_back_from_the_index_equal_to_the_yaml(rich: Path) -> None:
    _sco(rich, "list", "--limit", "1")  # leaves the index
    assert list((rich.parent / "cache").glob("*.sqlite3"))
    indexed = load(rich, cache_dir=rich.parent / "cache")
    parsed = load(rich, cache_dir=None)
    assert indexed.store is not None  # read from the index, not parsed again
    assert indexed.events == parsed.events
    by_id = {event.id: event for event in indexed.events}
    assert by_id["all-fields"].updated is not None
    assert by_id["all-fields"].sequence == 4
    assert by_id["weekly-series"].also
    assert by_id["moved-occurrence"].replaces is not None


def test_a_pickled_event_is_the_event_with_its_kinds_and_precisions() -> None:
    events = load(EXAMPLE, cache_dir=None).events
    for event in events:
        again = pickle.loads(pickle.dumps(event, protocol=5))
        assert again == event
        assert type(again.kind) is type(event.kind)
        assert again.start == event.start
        if event.start is not None:
            assert again.start is not None
            assert again.start.precision is event.start.precision


@pytest.mark.parametrize("zone", [None, "Pacific/Kiritimati", "America/St_Johns"])
@pytest.mark.parametrize("fmt", ["csv", "json", "yaml", "table"])
def test_the_listing_of_every_kind_of_event_from_the_index_is_the_parsed_one(
    rich: Path, fmt: str, zone: str | None
) -> None:
    _sco(rich, "list", "--limit", "1")
    indexed = _sco(rich, "list", "--format", fmt, zone=zone)
    assert indexed == _sco(rich, "list", "--format", fmt, cache="off", zone=zone)


def test_each_record_written_as_text_is_the_json_of_the_record(rich: Path) -> None:
    text = _sco(rich, "list", "--format", "json")
    document = json.loads(text)
    assert text == json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    record = next(r for r in document["events"] if r["id"] == "all-fields")
    assert record["title"] == 'A "quoted" title with a back\\slash, a\ttab and Совещание'
    assert record["participants"] == [{"name": "Japan", "role": "host"}, {"name": "Observer state", "role": None}]
    assert [s["published"] for s in record["sources"]] == ["2030-05-01", None, "2030-05-02 09:00 UTC"]
    assert record["reminders"] == ["30d", "2h"]
    assert record["number"] == 3
    assert record["notes"] == "Two lines,\nthe second in Cyrillic: встреча"


def test_the_csv_is_what_the_csv_writer_writes_of_its_rows(rich: Path) -> None:
    text = _sco(rich, "list", "--format", "csv")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    written = io.StringIO()
    csv.writer(written, lineterminator="\n").writerows(rows)
    assert text == written.getvalue()
    by_id = {row[0]: row for row in rows}
    assert by_id["comma-title"][1] == "Talks, then a dinner"
    assert by_id["comma-title"][12] == 'The "Old" Hall'
    assert by_id["line-break"][1] == "Two\nlines"


@pytest.mark.parametrize("zone", ["Europe/Moscow", "America/St_Johns"])
def test_the_streamed_document_is_json_dumps_of_the_records(rich: Path, zone: str) -> None:
    registry = load(rich, cache_dir=None)
    found = select(registry.events, Filters(), floating_zone=zone, default_zone=registry.timezone)
    streamed = "".join(json_document(found, registry.timezone, display_zone=zone))
    whole = document(found, registry.timezone, display_zone=zone)
    assert streamed == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    assert len(whole["events"]) == len(registry.events)


@pytest.mark.parametrize("zone", [None, "UTC", "Pacific/Pago_Pago"])
def test_events_that_start_together_are_ordered_exact_first_then_by_title_and_id(rich: Path, zone: str | None) -> None:
    rows = list(csv.DictReader(io.StringIO(_sco(rich, "list", "--format", "csv", zone=zone))))
    assert rows == list(csv.DictReader(io.StringIO(_sco(rich, "list", "--format", "csv", cache="off", zone=zone))))
    ids = [row["id"] for row in rows]
    assert ids[-1] == "no-date"
    if zone is None:  # Moscow: the UTC time, the midnight and the two days start at once
        assert [i for i in ids if i in TIED_ORDER] == TIED_ORDER
        assert ids.index("tie-quarter") < ids.index("tie-month") < ids.index("tie-utc")
    starts = [row["earliest"] for row in rows[:-1]]
    moments = [_instant(start) for start in starts]
    assert moments == sorted(moments)


def _instant(text: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(text).timestamp()
