"""The installed ``sco-cal`` command, run as a user runs it: exit codes, stdout, stderr, and the file on disk."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SCO_CAL, Result

from sco_cal.registry import load

Run = Callable[..., Result]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_list_all_in_json_carries_precision(sco_cal: Run, example: Path) -> None:
    result = sco_cal("-r", example, "list", "--format", "json")
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert document["schema"] == 1
    by_id = {event["id"]: event for event in document["events"]}
    joint = by_id["sco-cis-csto-defence-chiefs-2020-06"]
    assert joint["start"] == {"value": "2020-06", "precision": "month"}
    assert joint["fixed"] is False
    assert joint["when"] == "Jun 2020 (date TBC)"
    assert joint["earliest"] == "2020-06-01T00:00:00+03:00"
    assert by_id["protocol-joint-exercises-agreement"]["start"] is None
    assert [e["id"] for e in document["events"]][-1] == "protocol-joint-exercises-agreement", "undated last"


def test_window_includes_what_might_fall_in_it_and_exact_drops_it(sco_cal: Run, example: Path) -> None:
    result = sco_cal("-r", example, "list", "--from", "2020-06-10", "--to", "2020-06-20", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["id"]: row["when"] for row in rows} == {
        "peace-mission-2020": "2020 (TBC)",
        "russia-sco-presidency-2020": "2020 (all year)",
        "sco-cis-csto-defence-chiefs-2020-06": "Jun 2020 (date TBC)",
        "sco-founding-2001": "15 Jun 2020",
    }
    exact = sco_cal("-r", example, "list", "--from", "2020-06-10", "--to", "2020-06-20", "--exact", "--format", "csv")
    assert [row["id"] for row in csv.DictReader(io.StringIO(exact.stdout))] == [
        "russia-sco-presidency-2020",
        "sco-founding-2001",
    ]


def test_filters_combine(sco_cal: Run, example: Path) -> None:
    def ids(*args: str) -> list[str]:
        result = sco_cal("-r", example, "list", *args, "--format", "json")
        assert result.code == 0, result.stderr
        return [e["id"] for e in json.loads(result.stdout)["events"]]

    assert ids("--org", "csto") == ["collective-security-treaty-1992", "sco-cis-csto-defence-chiefs-2020-06"]
    assert ids("--kind", "exercise") == ["peace-mission-2020"]
    assert ids("--status", "planned", "--tag", "defence-ministers") == ["sco-cis-csto-defence-chiefs-2020-06"]
    assert ids("--series", "sco-ewg") == ["sco-ewg-07"]
    assert ids("--search", "BELARUS") == ["sco-ewg-07"]
    assert ids("2020", "--limit", "2") == ["peace-mission-2020", "russia-sco-presidency-2020"]
    assert ids("--sort", "title", "--kind", "presidency", "--kind", "exercise") == [
        "peace-mission-2020",
        "russia-sco-presidency-2020",
    ]


def test_upcoming_counts_days_from_a_given_day(sco_cal: Run, example: Path) -> None:
    result = sco_cal("-r", example, "upcoming", "--from", "2020-06-20", "--days", "10", "--format", "json")
    assert [e["id"] for e in json.loads(result.stdout)["events"]] == [
        "peace-mission-2020",
        "russia-sco-presidency-2020",
        "sco-cis-csto-defence-chiefs-2020-06",
        "sco-joint-exercises-agreement-2007",
    ]


def test_table_is_plain_text_off_a_terminal(sco_cal: Run, example: Path, golden: Callable[[str, str], None]) -> None:
    result = sco_cal("-r", example, "list", "2020", env={"COLUMNS": "120"})
    assert result.code == 0
    assert "\x1b[" not in result.stdout
    golden("list-2020.txt", result.stdout)


def test_colour_only_when_forced_and_never_with_no_color(sco_cal: Run, example: Path) -> None:
    forced = sco_cal("-r", example, "list", "2020", env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    yellow = "\x1b[33m"  # the colour of 'planned'
    assert yellow in forced.stdout
    quiet = sco_cal("-r", example, "list", "2020", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert yellow not in quiet.stdout


def test_add_edit_show_remove_round_trip(sco_cal: Run, example: Path) -> None:
    added = sco_cal(
        "-r", example, "add", "Joint meeting of SCO, CIS and CSTO defence chiefs",
        "--date", "June 2021", "--where", "Moscow", "--org", "SCO", "--org", "CIS", "--org", "CSTO",
        "--status", "planned", "--remind", "7d", "--participant", "Belarus:observer",
    )  # fmt: skip
    assert added.code == 0, added.stderr
    new_id = added.stdout.strip()
    assert new_id == "joint-meeting-sco-cis-csto-defence-2021-06"
    event = load(example).get(new_id)
    assert event.start is not None
    assert event.start.to_text() == "2021-06"
    assert event.orgs == ("SCO", "CIS", "CSTO")
    assert event.sequence == 0
    assert event.updated is not None

    edited = sco_cal("-r", example, "edit", new_id, "--date", "2021-06-24", "--status", "scheduled")
    assert edited.code == 0, edited.stderr
    event = load(example).get(new_id)
    assert event.start is not None
    assert event.start.to_text() == "2021-06-24"
    assert event.sequence == 1, "a date change raises the sequence, so subscribed calendars update"

    shown = sco_cal("-r", example, "show", new_id, "--format", "json")
    assert json.loads(shown.stdout)["event"]["participants"] == [{"name": "Belarus", "role": "observer"}]

    removed = sco_cal("-r", example, "remove", new_id, "--yes")
    assert removed.code == 0
    assert new_id not in load(example)
    assert example.read_text() == (Path(__file__).parent.parent / "examples" / "sco-defence.yaml").read_text()


def test_a_time_in_a_zone_is_stored_as_typed(sco_cal: Run, example: Path) -> None:
    result = sco_cal("-r", example, "add", "Video call", "--date", "31 Oct 2019 14:00 UTC", "--id", "call")
    assert result.code == 0, result.stderr
    assert "    start: 2019-10-31 14:00 UTC\n" in example.read_text()
    shown = sco_cal("-r", example, "list", "31 Oct 2019", "--format", "json")
    events = json.loads(shown.stdout)["events"]
    # shown in the registry's zone (Moscow), the time as typed beside it; the stored value stays as typed
    assert [e["when"] for e in events] == ["31 Oct - 1 Nov 2019", "31 Oct 2019 17:00 MSK (14:00 UTC)"]
    assert events[1]["start"]["value"] == "2019-10-31 14:00 UTC"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["add", "X", "--date", "03/04/2020"], 5, "--date: '03/04/2020' could be 03 Apr 2020 or 04 Mar 2020"),
        (["add", "X", "--date", "2019-02-30"], 2, "--date: '2019-02-30' is not a day in the calendar"),
        (["add", "X", "--date", "2020-01-01 10:00 Europe/Moskow"], 2, "unknown time zone 'Europe/Moskow'"),
        (["add", "X", "--date", "2020-06-02", "--end", "2020-06-01"], 2, "end: 2020-06-01 is before the start"),
        (["add", "X", "--id", "sco-ewg-07"], 6, "id: 'sco-ewg-07' is already used"),
        (["add", "X", "--remind", "soon"], 2, "'soon' is not a lead time"),
        (["add", "X", "--repeat", "FREQ=SOMETIMES"], 2, "is not an RRULE"),
        (["add", "X", "--related", "nothing"], 6, "related: no event has the id 'nothing'"),
        (["add", "X", "--kind", "party"], 2, "error: --kind: 'party' is not one of 'meeting'"),
        (["list", "--colour"], 2, "error: no such option --colour\n"),
        (["edit", "nope", "--status", "held"], 4, "no event with id 'nope'"),
        (["edit", "sco-ewg-07", "--status", "planned"], 2, "status: held -> planned is unusual; pass --force"),
        (["remove", "sco-ewg-07"], 2, "not removing 'sco-ewg-07' without --yes"),
        (["show", "nope"], 4, "no event with id 'nope'"),
    ],
)
def test_bad_command_line_input(sco_cal: Run, example: Path, args: list[str], code: int, message: str) -> None:
    before = digest(example)
    result = sco_cal("-r", example, *args)
    assert result.code == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert digest(example) == before


BAD_REGISTRIES = [
    ("events:\n  - id: a\n    title: [unclosed\n", "bad.yaml:4:1: not valid YAML"),
    ("events:\n  - id: a\n    title: A\n    colour: red\n", "bad.yaml:4:5: colour: unknown field"),
    ("events:\n  - id: a\n    title: A\n    start: 2019-02-30\n", "bad.yaml:4:12: start: 2019-02-30 is not a day"),
    (
        "events:\n  - id: a\n    title: A\n    start: 2020-06-02\n    end: 2020-06-01\n",
        "bad.yaml:5:10: end: 2020-06-01 is before the start 2020-06-02",
    ),
    ("timezone: Europe/Moskow\nevents:\n", "bad.yaml:1:11: timezone: unknown time zone 'Europe/Moskow'"),
    (
        "events:\n  - id: a\n    title: A\n  - id: a\n    title: B\n",
        "bad.yaml:4:5: id: 'a' is already used at",
    ),
    ("events:\n  - id: a\n    title: A\n    title: B\n", "bad.yaml:4:5: title: appears twice"),
    ("a: &x [1]\nb: *x\n", "bad.yaml:1:4: YAML aliases (*name) are not supported"),
    ("events:\n  - id: a\n    title: &t A\n    notes: *t\n", "aliases"),
    (
        "events:\n  - id: a\n    title: !!python/object:os.system A\n",
        "the tag 'tag:yaml.org,2002:python/object:os.system'",
    ),
    ("", "bad.yaml:1:1: the file is empty"),
    ("events: []\n---\nevents: []\n", "bad.yaml:3:1: a registry file holds one YAML document"),
    ("- just\n- a list\n", "bad.yaml:1:1: a registry is a mapping"),
    ("schema: 9\nevents:\n", "bad.yaml:1:9: schema: version 9 was written by a newer sco-cal"),
]


@pytest.mark.parametrize(("text", "message"), BAD_REGISTRIES)
def test_bad_registry_gives_one_located_message(sco_cal: Run, tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    before = digest(path)
    for command in (["list"], ["add", "New"], ["validate"]):
        result = sco_cal("-r", path, *command)
        assert result.code == 3, (command, result.stderr)
        assert message in (result.stderr if command != ["validate"] else result.stdout)
        assert "Traceback" not in result.stderr
        assert digest(path) == before


def test_invalid_utf8_and_nul_are_located(sco_cal: Run, tmp_path: Path) -> None:
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"events:\n  - id: a\n    title: \xff\xfe\n")
    result = sco_cal("-r", path, "list")
    assert (result.code, result.stderr.strip()) == (3, f"error: {path}:3:12: not valid UTF-8; save the file as UTF-8")
    path.write_bytes(b"events:\n\x00\n")
    assert f"{path}:2:1: a control character (U+0000)" in sco_cal("-r", path, "list").stderr


def test_validate_reports_every_problem_and_exit_code(sco_cal: Run, tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text("events:\n  - id: a\n    title: A\n    start: 2020-13\n  - id: b\n    title: B\n    kind: party\n")
    result = sco_cal("-r", path, "validate")
    assert result.code == 3
    assert result.stdout.splitlines() == [
        f"{path}:4:12: start: 2020-13 is not a month (01-12)",
        (
            f"{path}:7:11: kind: 'party' is not one of meeting, summit, exercise, agreement, deadline, presidency, "
            "anniversary, other"
        ),
    ]


def test_missing_registry_says_how_to_create_one(sco_cal: Run, tmp_path: Path) -> None:
    result = sco_cal("-r", tmp_path / "none.yaml", "list")
    assert result.code == 3
    assert "no registry here; create one with 'sco-cal init'" in result.stderr


def test_registry_from_option_environment_config_or_default(sco_cal: Run, tmp_path: Path, example: Path) -> None:
    default = sco_cal("init", "--name", "Mine", "--timezone", "Asia/Almaty")
    assert default.code == 0, default.stderr
    data_file = Path(default.stderr.split("created ", 1)[1].strip())
    assert data_file.name == "registry.yaml"
    assert str(tmp_path.parent) in str(data_file.parents[3])
    assert sco_cal("init").code == 6, "init never overwrites"

    config = tmp_path / "config.toml"
    config.write_text(f'registry = "{example}"\n')
    via_config = sco_cal("list", "--format", "json", env={"SCO_CAL_CONFIG": str(config)})
    assert len(json.loads(via_config.stdout)["events"]) == 8
    empty = tmp_path / "empty.yaml"
    assert sco_cal("-r", empty, "init").code == 0
    via_env = sco_cal("list", "--format", "json", env={"SCO_CAL_CONFIG": str(config), "SCO_CAL_REGISTRY": str(empty)})
    assert json.loads(via_env.stdout)["events"] == []


def test_broken_config_is_named(sco_cal: Run, tmp_path: Path, example: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("colour = 'red'\n")
    result = sco_cal("-r", example, "list", env={"SCO_CAL_CONFIG": str(config)})
    assert result.code == 2
    assert f"{config}: unknown setting 'colour'" in result.stderr


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "race.yaml"
    path.write_text("schema: 1\nname: Race\ntimezone: UTC\nevents:\n")
    assert SCO_CAL is not None
    writers = [
        subprocess.Popen(
            ["sh", "-c", f'for i in 1 2 3 4 5; do "{SCO_CAL}" -r "{path}" add "W{w} event $i" || exit 1; done'],
            stdout=subprocess.DEVNULL,
        )
        for w in range(4)
    ]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0, 0, 0]
    assert len(load(path).events) == 20


def test_no_args_shows_help(sco_cal: Run) -> None:
    result = sco_cal()
    assert "Usage: sco-cal" in result.stdout + result.stderr
