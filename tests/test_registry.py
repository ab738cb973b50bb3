"""Reading a registry as text, reporting where it is wrong, and editing it without touching anything else."""

from __future__ import annotations

import difflib
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import DATA, EXAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sco_cal.dates import DateValue
from sco_cal.errors import Conflict, EventNotFound, InvalidInput, InvalidRegistry
from sco_cal.model import Event, Kind, LeadTime, Participant, Source, Status, Venue
from sco_cal.registry import editing, load, loads, problems

COMMENTED = DATA / "registries" / "commented.yaml"


@pytest.fixture
def commented(tmp_path: Path) -> Path:
    target = tmp_path / "commented.yaml"
    shutil.copyfile(COMMENTED, target)
    return target


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed and added between two texts."""
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def test_scalars_stay_text() -> None:
    registry = loads(COMMENTED.read_text())
    joint = registry.get("joint-2020-06")
    assert joint.tags == ("NO", "yes", "12:30")
    assert joint.start == DateValue.from_text("2020-06")
    assert registry.get("odd-indent").start == DateValue.from_text("2021")
    assert registry.get("sco-ewg-07").notes == "Folded notes that a person wrote over two lines.\n"


def test_example_registry_loads_every_statement_of_the_press_release() -> None:
    registry = load(EXAMPLE)
    assert registry.timezone == "Europe/Moscow"
    ewg = registry.get("sco-ewg-07")
    assert (ewg.start, ewg.end) == (DateValue.from_text("2019-10-31"), DateValue.from_text("2019-11-01"))
    assert Participant("Republic of Belarus", "observer") in ewg.participants
    joint = registry.get("sco-cis-csto-defence-chiefs-2020-06")
    assert joint.start == DateValue.from_text("2020-06")
    assert joint.status is Status.PLANNED
    assert registry.get("peace-mission-2020").start == DateValue.from_text("2020")
    agreement = registry.get("sco-joint-exercises-agreement-2007")
    assert agreement.recurrence == "FREQ=YEARLY"
    protocol = registry.get("protocol-joint-exercises-agreement")
    assert protocol.start is None
    assert protocol.related == ("sco-joint-exercises-agreement-2007",)
    assert registry.default_reminders(Kind.MEETING) == (LeadTime(7, "d"), LeadTime(1, "d"))


def test_edit_rewrites_only_the_changed_field(commented: Path) -> None:
    before = commented.read_text()
    with editing(commented) as editor:
        event = editor.registry.get("sco-ewg-07")
        editor.update(replace(event, status=Status.CANCELLED))
    after = commented.read_text()
    removed, added = changed_lines(before, after)
    assert removed == ["    status: held   # confirmed by the press release"]
    assert added == ["    status: cancelled   # confirmed by the press release"]
    assert load(commented).get("sco-ewg-07").status is Status.CANCELLED


def test_edit_adds_a_new_field_in_its_place(commented: Path) -> None:
    before = commented.read_text()
    with editing(commented) as editor:
        event = editor.registry.get("joint-2020-06")
        editor.update(replace(event, venue=Venue("Moscow"), reminders=(LeadTime(7, "d"),)))
    removed, added = changed_lines(before, commented.read_text())
    assert removed == []
    assert added == ["    venue: Moscow", "    reminders: [7d]"]
    lines = commented.read_text().splitlines()
    assert lines.index("    venue: Moscow") == lines.index("    start: 2020-06") + 1


def test_edit_of_an_inline_event_rewrites_that_event_only(commented: Path) -> None:
    before = commented.read_text()
    with editing(commented) as editor:
        editor.update(replace(editor.registry.get("flow-event"), title="Renamed"))
    after = commented.read_text()
    assert after.startswith(before[: before.index("  - {id: flow-event")])
    assert after.endswith("# trailing comment at the end of the file\n")
    assert load(commented).get("flow-event").title == "Renamed"


def test_remove_takes_the_event_and_its_own_comments(commented: Path) -> None:
    before = commented.read_text()
    with editing(commented) as editor:
        editor.remove("joint-2020-06")
    removed, added = changed_lines(before, commented.read_text())
    assert added == []
    assert removed[:2] == ["  # The June 2020 meeting: still no day.", "  # (Two comment lines.)"]
    assert "  # --- 2019 -------------------------------------------------------------" in commented.read_text()
    assert [e.id for e in load(commented).events] == ["sco-ewg-07", "odd-indent", "flow-event"]


def test_add_appends_in_the_files_own_layout(commented: Path) -> None:
    before = commented.read_text()
    new = Event(id="new-one", title="New: with a colon", start=DateValue.from_text("2023-05"), tags=("NO",))
    with editing(commented) as editor:
        editor.add(new)
    after = commented.read_text()
    last_event = "  - {id: flow-event, title: Written inline, start: 2022-01-15, status: scheduled}\n"
    head, tail = before.split(last_event)
    assert after.startswith(head + last_event + "  - id: new-one\n")
    assert after.endswith(tail), "the comment closing the file stays last"
    assert load(commented).get("new-one") == new
    assert "    tags: ['NO']" in after


def test_add_to_an_empty_registry(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("schema: 1\nname: Empty\ntimezone: UTC\nevents:\n")
    event = Event(id="a", title="A", start=DateValue.from_text("2020"))
    with editing(path) as editor:
        editor.add(event)
    with editing(path) as editor:
        editor.add(replace(event, id="b"))
    assert [e.id for e in load(path).events] == ["a", "b"]
    with editing(path) as editor:
        editor.remove("a")
        editor.remove("b")
    assert load(path).events == ()


@pytest.mark.parametrize(
    "head",
    [
        "schema: 1\nname: Empty\ntimezone: UTC\n",  # no events key at all
        "schema: 1\nname: Empty\ntimezone: UTC\nevents:\n",
        "schema: 1\nname: Empty\n  # indented comment\ntimezone: UTC\nevents: []  # none yet\n",
    ],
)
def test_many_events_added_in_one_save_to_a_file_without_any(tmp_path: Path, head: str) -> None:
    """An import's save: the first event starts the list, every later one goes after it, in order."""
    path = tmp_path / "r.yaml"
    path.write_text(head)
    events = [Event(id=f"e{n}", title=f"Event {n}", start=DateValue.from_text(f"20{n:02}")) for n in range(30)]
    with editing(path) as editor:
        for event in events:
            editor.add(event)
    assert load(path).events == tuple(events)
    text = path.read_text()
    assert text.count("events:") == 1
    assert text.startswith(head.split("events:")[0])


def test_nothing_is_written_when_the_block_fails(commented: Path) -> None:
    before = commented.read_bytes()

    def fail_midway() -> None:
        with editing(commented) as editor:
            editor.update(replace(editor.registry.get("sco-ewg-07"), status=Status.CANCELLED))
            editor.remove("no-such-event")

    with pytest.raises(EventNotFound):
        fail_midway()
    assert commented.read_bytes() == before


def test_duplicate_id_is_refused(commented: Path) -> None:
    with pytest.raises(Conflict, match="already used"), editing(commented) as editor:
        editor.add(Event(id="sco-ewg-07", title="Again"))


def test_removing_a_related_event_is_refused(example: Path) -> None:
    with pytest.raises(Conflict, match="protocol-joint-exercises-agreement"), editing(example) as editor:
        editor.remove("sco-joint-exercises-agreement-2007")


def test_folder_registry_reads_as_one(tmp_path: Path) -> None:
    (tmp_path / "reg").mkdir()
    (tmp_path / "reg" / "main.yaml").write_text("schema: 1\nname: Folder\ntimezone: Asia/Almaty\nevents:\n")
    (tmp_path / "reg" / "csto").mkdir()
    (tmp_path / "reg" / "csto" / "2020.yaml").write_text("events:\n  - id: a\n    title: A\n    start: 2020\n")
    (tmp_path / "reg" / ".hidden.yaml").write_text("not: [valid")
    registry = load(tmp_path / "reg")
    assert registry.timezone == "Asia/Almaty"
    assert [e.id for e in registry.events] == ["a"]
    with editing(tmp_path / "reg") as editor:
        editor.add(Event(id="b", title="B"), file=Path("csto/2020.yaml"))
    assert "id: b" in (tmp_path / "reg" / "csto" / "2020.yaml").read_text()


def test_ids_are_unique_across_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("events:\n  - id: x\n    title: X\n")
    (tmp_path / "b.yaml").write_text("events:\n\n  - id: x\n    title: X again\n")
    with pytest.raises(InvalidRegistry, match=r"b\.yaml:3:5: id: 'x' is already used at .*a\.yaml:2"):
        load(tmp_path)


def test_validate_collects_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "schema: 1\ntimezone: Mars/Olympus\nevents:\n"
        "  - id: a\n    title: A\n    start: 2019-02-30\n"
        "  - id: b\n    title: B\n    colour: red\n"
        "  - id: c\n    title: C\n    start: 2020-06-02\n    end: 2020-06-01\n"
    )
    found = [str(p).split(": ", 1)[1] for p in problems(path)]
    assert len(found) == 4
    assert found[0].startswith("timezone: unknown time zone 'Mars/Olympus'")
    assert found[1] == "start: 2019-02-30 is not a day in the calendar"
    assert found[2].startswith("colour: unknown field")
    assert found[3] == "end: 2020-06-01 is before the start 2020-06-02"


_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30).filter(lambda t: t.strip() != "")


@st.composite
def events(draw: st.DrawFn, event_id: str) -> Event:
    start = draw(st.sampled_from([None, "2020", "2020-06", "2019-10-31", "2019-10-31 10:00 Europe/Moscow"]))
    return Event(
        id=event_id,
        title=draw(_text),
        kind=draw(st.sampled_from(list(Kind))),
        status=draw(st.sampled_from(list(Status))),
        start=DateValue.from_text(start) if start else None,
        venue=draw(st.none() | st.builds(Venue, _text, st.none() | _text)),
        orgs=tuple(draw(st.lists(_text, max_size=3))),
        participants=tuple(draw(st.lists(st.builds(Participant, _text, st.none() | _text), max_size=2))),
        sources=tuple(draw(st.lists(st.builds(Source, _text, _text), max_size=2))),
        tags=tuple(draw(st.lists(_text, max_size=3))),
        notes=draw(st.none() | st.text(min_size=1, max_size=80).filter(lambda t: "\r" not in t and t.strip() != "")),
        number=draw(st.none() | st.integers(0, 99)),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=events("first"), second=events("sco-ewg-07"))
def test_any_event_survives_add_and_edit_and_the_rest_of_the_file_stays(
    tmp_path_factory: pytest.TempPathFactory, first: Event, second: Event
) -> None:
    path = tmp_path_factory.mktemp("prop") / "r.yaml"
    shutil.copyfile(COMMENTED, path)
    before = path.read_text()
    with editing(path) as editor:
        editor.add(first)
        editor.update(second)
    registry = load(path)
    assert registry.get("first") == first
    assert registry.get("sco-ewg-07") == second
    others = [e for e in loads(before).events if e.id not in ("sco-ewg-07",)]
    assert [registry.get(e.id) for e in others] == others
    with editing(path) as editor:
        editor.remove("first")
    assert "first" not in load(path)


def test_a_folder_checks_times_without_a_zone_in_the_zone_another_file_states(tmp_path: Path) -> None:
    """The event's file says no zone; the folder's other file says Europe/Moscow, and that decides."""
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "a.yaml").write_text("schema: 1\nname: Folder\ntimezone: Europe/Moscow\nevents:\n")
    (folder / "b.yaml").write_text(
        "events:\n  - id: early-end\n    title: Early end\n    start: 2030-03-10 10:00 UTC\n    end: 2030-03-10 12:00\n"
    )
    found = [(Path(p.path).name, p.line, p.message) for p in problems(folder)]
    message = (
        "end: 2030-03-10 12:00 is before the start 2030-03-10 10:00 UTC"
        " (a time without a zone is in the registry's zone, Europe/Moscow)"
    )
    assert found == [("b.yaml", 2, message)]
    (folder / "a.yaml").write_text("schema: 1\nname: Folder\ntimezone: Europe/London\nevents:\n")  # 12:00 UTC
    assert problems(folder) == []


def test_check_leaves_an_order_that_depends_on_the_zone_for_later() -> None:
    event = Event(
        id="e",
        title="E",
        start=DateValue.from_text("2030-03-10 10:00 UTC"),
        end=DateValue.from_text("2030-03-10 12:00"),
    )
    assert event.order_depends_on_zone
    event.check(default_zone=None)  # the zone is not known yet: nothing to say
    event.check("Europe/London")  # 12:00 there is 12:00 UTC
    with pytest.raises(InvalidInput, match="registry's zone, Europe/Moscow"):
        event.check("Europe/Moscow")
    both_zoneless = replace(event, start=DateValue.from_text("2030-03-10 13:00"))
    assert not both_zoneless.order_depends_on_zone
    with pytest.raises(InvalidInput, match=r"is before the start 2030-03-10 13:00$"):
        both_zoneless.check(default_zone=None)
