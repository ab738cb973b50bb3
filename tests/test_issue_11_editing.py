"""Issue 11, editing and ids: validate lists every problem once; add and edit refuse conflicting options, blank
values, self-references and twins; ids in any script; a stable uid_domain; init on an empty file."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MOSCOW_HEADER, Result, digest, registry

Run = Callable[..., Result]

SEVEN = "sco-ewg-07"  # in the example: series sco-ewg, number 7, 31 Oct 2019
PROTOCOL = "protocol-joint-exercises-agreement"  # names sco-joint-exercises-agreement-2007 in related

HEADER = MOSCOW_HEADER


# --- validate: every independent problem, once ------------------------------------------------------------


def test_validate_lists_each_problem_of_one_event(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(
        tmp_path,
        "  - id: a\n    title: A\n    status: done\n    start: 2019-10-32\n"
        "  - id: b\n    title: B\n    colour: red\n    number: seven\n",
    )
    result = sco_cal("-r", path, "validate")
    assert result.code == 3
    lines = result.stdout.splitlines()
    assert lines[0] == (f"{path}:8:13: status: 'done' is not one of planned, scheduled, held, postponed, cancelled")
    assert lines[1] == f"{path}:9:12: start: 2019-10-32 is not a day in the calendar"
    assert lines[2].startswith(f"{path}:12:5: colour: unknown field; the fields here are id, title")
    assert lines[3] == f"{path}:13:13: number: 'seven' is not a whole number"
    assert len(lines) == 4


def test_a_rule_on_a_field_that_could_not_be_read_is_not_reported(sco_cal: Run, tmp_path: Path) -> None:
    """A bad start is one problem: "an end needs a start" or "end before start" would be a second, false one."""
    path = registry(tmp_path, "  - id: a\n    title: A\n    start: 2019-13-01\n    end: 2019-01-02\n")
    result = sco_cal("-r", path, "validate")
    assert result.code == 3
    assert result.stdout.splitlines() == [f"{path}:8:12: start: 2019-13 is not a month (01-12)"]


def test_a_broken_event_named_in_related_is_not_reported_missing(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(
        tmp_path,
        "  - id: yearly\n    title: Y\n    start: 2020-01-01\n    recurrence: FREQ=SOMETIMES\n"
        "  - id: b\n    title: B\n    related: [yearly]\n"
        "  - id: c\n    title: C\n    related: yearly\n"
        "  - id: d\n    title: D\n    related: [nowhere]\n",
    )
    result = sco_cal("-r", path, "validate")
    assert result.code == 3
    lines = result.stdout.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"{path}:9:17: recurrence: 'FREQ=SOMETIMES' is not an RRULE")
    assert lines[1] == f"{path}:18:15: related: no event has the id 'nowhere'"


def test_validate_lists_each_problem_inside_a_field(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(
        tmp_path,
        "  - id: a\n    title: A\n"
        "    venue: {name: Minsk, colour: red, timezone: Nowhere/Zone}\n"
        "    participants:\n      - {name: X, rank: 1}\n      - {role: observer}\n"
        "    orgs: [SCO, [x], CIS]\n"
        "    reminders: [7d, 7x, 1y]\n",
    )
    result = sco_cal("-r", path, "validate")
    assert result.code == 3
    assert [line.split(": ", 2)[:2] for line in result.stdout.splitlines()] == [
        [f"{path}:8:26", "venue.colour"],
        [f"{path}:8:49", "venue.timezone"],
        [f"{path}:10:19", "participants.rank"],
        [f"{path}:11:9", "participants"],
        [f"{path}:12:17", "orgs"],
        [f"{path}:13:21", "reminders"],
        [f"{path}:13:25", "reminders"],
    ]


def test_validate_refuses_blank_values_and_self_references(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(
        tmp_path,
        "  - id: a\n    title: A\n    related: [a]\n    orgs: ['']\n    tags: [ok, ' ']\n"
        "    venue: {name: '', country: Russia}\n    series: ''\n",
    )
    result = sco_cal("-r", path, "validate")
    assert result.code == 3
    assert result.stdout.splitlines() == [
        f"{path}:8:14: related: 'a' is the event itself; name other events only",
        f"{path}:9:11: orgs: an empty value; write something or leave the field out",
        f"{path}:10:11: tags: an empty value; write something or leave the field out",
        f"{path}:11:12: venue.name: an empty value; write something or leave the field out",
        f"{path}:12:13: series: an empty value; write something or leave the field out",
    ]


# --- add and edit: conflicting options ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--clear", "venue", "--where", "Minsk"], "--clear venue and --where conflict"),
        (["--clear", "venue", "--country", "Belarus"], "--clear venue and --country conflict"),
        (["--clear", "venue", "--venue-tz", "Europe/Minsk"], "--clear venue and --venue-tz conflict"),
        (["--clear", "tags", "--tag", "a"], "--clear tags and --tag conflict"),
        (["--clear", "orgs", "--org", "SCO"], "--clear orgs and --org conflict"),
        (["--clear", "notes", "--note", "x"], "--clear notes and --note conflict"),
        (["--clear", "related", "--related", PROTOCOL], "--clear related and --related conflict"),
        (["--clear", "recurrence", "--repeat", "FREQ=YEARLY"], "--clear recurrence and --repeat conflict"),
        (["--clear", "number", "--number", "8"], "--clear number and --number conflict"),
        (["--clear", "reminders", "--remind", "7d"], "--clear reminders and --remind conflict"),
        (["--clear", "end", "--end", "2019-11-02"], "--clear end and --end conflict"),
        (["--date", "1-3 Nov 2019", "--end", "2019-11-05"], "--date '1-3 Nov 2019' is a range"),
        (["--date", "1-3 Nov 2019", "--clear", "end"], "--clear end conflicts with it"),
    ],
)
def test_edit_refuses_conflicting_options(sco_cal: Run, example: Path, args: list[str], message: str) -> None:
    before = digest(example)
    result = sco_cal("-r", example, "edit", SEVEN, *args)
    assert result.code == 2, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert digest(example) == before


def test_add_refuses_a_range_with_an_end(sco_cal: Run, example: Path) -> None:
    before = digest(example)
    result = sco_cal("-r", example, "add", "X", "--date", "1-3 Nov 2019", "--end", "2019-11-05")
    assert result.code == 2
    assert "--date '1-3 Nov 2019' is a range, with its own end, and --end conflicts with it" in result.stderr
    assert digest(example) == before


def test_a_single_day_with_an_end_is_no_conflict(sco_cal: Run, example: Path) -> None:
    result = sco_cal("-r", example, "add", "X", "--date", "1 Nov 2019", "--end", "2019-11-05")
    assert result.code == 0, result.stderr
    shown = sco_cal("-r", example, "show", result.stdout.strip(), "-f", "json").stdout
    assert '"value": "2019-11-01"' in shown
    assert '"value": "2019-11-05"' in shown


# --- blank values and self-references ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--related", SEVEN], f"related: '{SEVEN}' is the event itself; name other events only"),
        (["--org", ""], "orgs: an empty value"),
        (["--org", "SCO", "--org", "  "], "orgs: an empty value"),
        (["--tag", ""], "tags: an empty value"),
        (["--where", " "], "venue.name: an empty value"),
        (["--country", ""], "venue.country: an empty value"),
        (["--series", ""], "series: an empty value"),
        (["--note", ""], "notes: an empty value"),
        (["--source", ""], "sources.url: an empty value"),
        (["--title", " "], "title: an event needs a title"),
    ],
)
def test_edit_refuses_blank_values_and_itself(sco_cal: Run, example: Path, args: list[str], message: str) -> None:
    before = digest(example)
    result = sco_cal("-r", example, "edit", SEVEN, *args)
    assert result.code == 2, result.stderr
    assert message in result.stderr
    assert digest(example) == before


def test_add_refuses_blank_values(sco_cal: Run, example: Path) -> None:
    before = digest(example)
    result = sco_cal("-r", example, "add", "New", "--date", "2030", "--org", "")
    assert result.code == 2
    assert result.stderr.strip() == "error: orgs: an empty value; write something or leave the field out"
    assert digest(example) == before


# --- ids from titles in any script -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Совещание министров обороны ШОС", "soveshchanie-ministrov-oborony-shos-2030"),
        ("上海合作组织峰会", "shang-hai-he-zuo-zu-zhi-2030"),
        ("Ärzte-Treffen in Bischkek", "arzte-treffen-bischkek-2030"),
    ],
)
def test_ids_from_titles_in_any_script_are_transliterated(
    sco_cal: Run, example: Path, title: str, expected: str
) -> None:
    result = sco_cal("-r", example, "add", title, "--date", "2030")
    assert (result.code, result.stdout.strip()) == (0, expected), result.stderr
    assert sco_cal("-r", example, "show", expected).code == 0


def test_different_titles_in_another_script_get_different_ids(sco_cal: Run, example: Path) -> None:
    first = sco_cal("-r", example, "add", "Совещание", "--date", "2030").stdout.strip()
    second = sco_cal("-r", example, "add", "Саммит", "--date", "2031").stdout.strip()
    assert (first, second) == ("soveshchanie-2030", "sammit-2031")


# --- duplicates --------------------------------------------------------------------------------------------


def test_add_refuses_the_same_series_and_number(sco_cal: Run, example: Path) -> None:
    before = digest(example)
    result = sco_cal("-r", example, "add", "Another", "--series", "SCO-EWG", "--number", "7")
    assert result.code == 6
    assert re.fullmatch(
        rf"error: {SEVEN} \({re.escape(str(example))}:18\) has the same series and number \(SCO-EWG 7\); "
        r"pass --force if this is another event",
        result.stderr.strip(),
    )
    assert digest(example) == before


def test_add_refuses_the_same_title_and_date(sco_cal: Run, example: Path) -> None:
    before = digest(example)
    title = "7th meeting of the Expert Working Group of the SCO Defence Ministers'  MEETING"
    result = sco_cal("-r", example, "add", title, "--date", "31 Oct 2019")
    assert result.code == 6
    assert f"error: {SEVEN} ({example}:18) has the same title and date" in result.stderr
    assert digest(example) == before


def test_force_adds_a_twin_and_a_second_add_without_it_is_refused(sco_cal: Run, example: Path) -> None:
    forced = sco_cal("-r", example, "add", "Another", "--series", "sco-ewg", "--number", "7", "--force")
    assert (forced.code, forced.stdout.strip()) == (0, "sco-ewg-07-2"), forced.stderr
    first = sco_cal("-r", example, "add", "Eighth", "--series", "sco-ewg", "--number", "8")
    assert (first.code, first.stdout.strip()) == (0, "sco-ewg-08")
    before = digest(example)
    second = sco_cal("-r", example, "add", "Eighth again", "--series", "sco-ewg", "--number", "8")
    assert second.code == 6
    assert "sco-ewg-08 (" in second.stderr
    assert digest(example) == before


def test_edit_refuses_to_make_a_twin_unless_forced(sco_cal: Run, example: Path) -> None:
    added = sco_cal("-r", example, "add", "Eighth", "--series", "sco-ewg", "--number", "8")
    assert added.code == 0
    before = digest(example)
    result = sco_cal("-r", example, "edit", "sco-ewg-08", "--number", "7")
    assert result.code == 6
    assert f"{SEVEN} (" in result.stderr
    assert digest(example) == before
    assert sco_cal("-r", example, "edit", "sco-ewg-08", "--number", "7", "--force").code == 0


# --- uid_domain -------------------------------------------------------------------------------------------


def test_init_writes_a_random_uid_domain_that_survives_a_rename(sco_cal: Run, tmp_path: Path) -> None:
    one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
    assert sco_cal("-r", one, "init", "--name", "Same").code == 0
    assert sco_cal("-r", two, "init", "--name", "Same").code == 0
    domains = [re.search(r"^uid_domain: (\S+)", p.read_text(), re.MULTILINE) for p in (one, two)]
    assert domains[0]
    assert domains[1]
    assert domains[0][1] != domains[1][1], "two registries never share UIDs"
    assert sco_cal("-r", one, "add", "Meeting", "--date", "2030-01-10", "--id", "m").code == 0
    event_uid = f"UID:m@{domains[0][1]}"
    assert event_uid in sco_cal("-r", one, "export").stdout.splitlines()
    one.write_text(one.read_text().replace("name: Same", "name: Renamed"))
    assert event_uid in sco_cal("-r", one, "export").stdout.splitlines()
    validated = sco_cal("-r", one, "validate")
    assert (validated.code, validated.stderr) == (0, "")


def test_validate_and_review_warn_without_uid_domain(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(
        tmp_path, "  - id: a\n    title: A\n    start: 2030\n", HEADER.replace("uid_domain: test.example\n", "")
    )
    warning = (
        f"warning: {path}: uid_domain: not set, so feed UIDs follow the name and change when it does; "
        "add 'uid_domain: test.sco-cal' to the header to keep the UIDs published so far"
    )
    validated = sco_cal("-r", path, "validate")
    assert (validated.code, validated.stdout.strip(), validated.stderr.strip()) == (
        0,
        f"{path}: 1 event, no problems",
        warning,
    )
    reviewed = sco_cal("-r", path, "review", "--now", "2020-01-01T00:00Z")
    assert (reviewed.code, reviewed.stderr.strip()) == (0, warning)
    path.write_text(path.read_text().replace("events:", "uid_domain: test.sco-cal\nevents:"))
    assert sco_cal("-r", path, "validate").stderr == ""


def test_the_suggested_uid_domain_keeps_the_published_uids(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(
        tmp_path, "  - id: a\n    title: A\n    start: 2030-01-01\n", HEADER.replace("uid_domain: test.example\n", "")
    )
    before = re.findall(r"^UID:.*$", sco_cal("-r", path, "export").stdout, re.MULTILINE)
    suggested = re.search(r"add '(uid_domain: \S+)'", sco_cal("-r", path, "validate").stderr)
    assert suggested
    path.write_text(path.read_text().replace("events:", f"{suggested[1]}\nevents:"))
    assert re.findall(r"^UID:.*$", sco_cal("-r", path, "export").stdout, re.MULTILINE) == before


# --- an empty registry file ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n  \n", "# my registry\n\n"])
def test_the_empty_file_advice_works(sco_cal: Run, tmp_path: Path, text: str) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text(text)
    listed = sco_cal("-r", path, "list")
    assert listed.code == 3
    assert listed.stderr.strip() == f"error: {path}:1:1: the file is empty; 'sco-cal init' fills it with a new registry"
    created = sco_cal("-r", path, "init", "--name", "Filled", "--timezone", "Asia/Almaty")
    assert created.code == 0, created.stderr
    assert path.read_text().startswith(text.strip())
    assert "name: Filled\ntimezone: Asia/Almaty\n" in path.read_text()
    assert sco_cal("-r", path, "add", "First", "--date", "2030").code == 0
    assert sco_cal("-r", path, "validate").code == 0


def test_init_still_refuses_a_registry(sco_cal: Run, example: Path) -> None:
    before = digest(example)
    result = sco_cal("-r", example, "init")
    assert result.code == 6
    assert "a registry already exists here; nothing was changed" in result.stderr
    assert digest(example) == before


def test_an_empty_file_in_a_folder_registry_is_told_what_works(sco_cal: Run, tmp_path: Path) -> None:
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "main.yaml").write_text(HEADER + "  - id: a\n    title: A\n")
    (folder / "extra.yaml").write_text("")
    result = sco_cal("-r", folder, "validate")
    assert result.code == 3
    assert (
        result.stdout.strip() == f"{folder / 'extra.yaml'}:1:1: the file is empty; write 'events:' in it, or remove it"
    )
    (folder / "extra.yaml").write_text("events:\n")
    assert sco_cal("-r", folder, "validate").code == 0


@pytest.mark.parametrize(
    ("command", "args", "message"),
    [
        (["edit", SEVEN], ["--where", "Minsk", "--where", "Moscow"], "--where 'Minsk' and --where 'Moscow' conflict"),
        (["edit", SEVEN], ["--number", "7", "--number", "8"], "--number '7' and --number '8' conflict"),
        (["edit", SEVEN], ["-k", "meeting", "--kind", "summit"], "--kind 'meeting' and --kind 'summit' conflict"),
        (["edit", SEVEN], ["--title", "A", "--title", "B"], "--title 'A' and --title 'B' conflict"),
        (["add", "X"], ["--date", "2030", "--date", "2031"], "--date '2030' and --date '2031' conflict"),
        (["add", "X"], ["--id", "a", "--id", "b"], "--id 'a' and --id 'b' conflict"),
    ],
)
def test_an_option_that_takes_one_value_given_two_is_refused(
    sco_cal: Run, example: Path, command: list[str], args: list[str], message: str
) -> None:
    before = digest(example)
    result = sco_cal("-r", example, *command, *args)
    assert result.code == 2
    assert message in result.stderr
    assert digest(example) == before


def test_the_same_value_twice_is_no_conflict(sco_cal: Run, example: Path) -> None:
    result = sco_cal("-r", example, "edit", SEVEN, "--where", "Minsk", "--where", "Minsk")
    assert result.code == 0, result.stderr
    assert '"name": "Minsk"' in sco_cal("-r", example, "show", SEVEN, "-f", "json").stdout


def test_an_edit_of_a_forced_twin_is_not_refused_again(sco_cal: Run, example: Path) -> None:
    forced = sco_cal("-r", example, "add", "Another", "--series", "sco-ewg", "--number", "7", "--force")
    assert forced.code == 0
    renamed = sco_cal("-r", example, "edit", "sco-ewg-07-2", "--title", "Another, renamed")
    assert renamed.code == 0, renamed.stderr


def test_a_big_registry_edited_through_its_index_refuses_the_same(sco_cal: Run, tmp_path: Path) -> None:
    """Past the size where edits go through the index, the same refusals hold."""
    events = "".join(f"  - id: e{i}\n    title: Event {i}\n    start: 2020-01-{i % 28 + 1:02d}\n" for i in range(2000))
    path = registry(tmp_path, events)
    assert path.stat().st_size > 64 * 1024
    before = digest(path)
    twin = sco_cal("-r", path, "add", "EVENT 7", "--date", "2020-01-08")
    assert twin.code == 6
    assert f"error: e7 ({path}:27) has the same title and date" in twin.stderr
    itself = sco_cal("-r", path, "edit", "e10", "--related", "e10")
    assert (itself.code, itself.stderr.strip()) == (
        2,
        "error: related: 'e10' is the event itself; name other events only",
    )
    assert sco_cal("-r", path, "edit", "e10", "--clear", "tags", "--tag", "x").code == 2
    assert digest(path) == before
