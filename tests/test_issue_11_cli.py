"""Issue 11, the command line's own paths: one error style, a closed pipe, tables that fit, empty listings,
shell completion. Every test runs the installed ``sco-cal`` in a subprocess, as a user or cron would."""

from __future__ import annotations

import hashlib
import os
import pty
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SCO_CAL, Result

from sco_cal.registry import load

Run = Callable[..., Result]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
WIDTHS = (30, 40, 60, 80, 120)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_one_error(result: Result, code: int = 2) -> tuple[str, str | None]:
    """The one error style: ``error: ...`` and at most one ``hint: ...`` line on stderr, nothing on stdout."""
    assert result.code == code, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert 1 <= len(lines) <= 2, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    if len(lines) == 2:
        assert lines[1].startswith("hint: "), result.stderr
    for noise in ("╭", "Usage:", "Traceback"):
        assert noise not in result.stderr
    return lines[0], lines[1] if len(lines) == 2 else None


# --- one error style ---------------------------------------------------------------------------------------

EVERY_COMMAND = [
    ["init"],
    ["add", "X"],
    ["edit", "sco-ewg-07"],
    ["remove", "sco-ewg-07"],
    ["show", "sco-ewg-07"],
    ["validate"],
    ["undo"],
    ["export"],
    ["import", "x.ics"],
    ["list"],
    ["upcoming"],
    ["remind"],
    ["agenda"],
    ["calendar"],
    ["review"],
]


@pytest.mark.parametrize("command", EVERY_COMMAND, ids=lambda c: c[0])
def test_an_unknown_option_is_one_line_and_suggests_nothing_far(
    sco_cal: Run, example: Path, command: list[str]
) -> None:
    before = digest(example)
    first, hint = assert_one_error(sco_cal("-r", example, *command, "--bogus"))
    assert first == "error: no such option --bogus"
    assert hint == f"hint: 'sco-cal {command[0]} --help' lists the options"  # not "--org": it is nothing like it
    assert digest(example) == before


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (["list", "--form", "json"], "error: no such option --form", "hint: did you mean --format or --from?"),
        (["upcomin"], "error: no such command 'upcomin'", "hint: did you mean upcoming?"),
        (["frobnicate"], "error: no such command 'frobnicate'", "hint: 'sco-cal --help' lists the commands"),
        (["show"], "error: missing argument ID", "hint: 'sco-cal show --help' shows the usage"),
        (["list", "--format", "xml"], "error: --format: 'xml' is not one of 'table', 'json', 'csv', 'yaml'", None),
        (["show", "sco-ewg-07", "-f", "csv"], "error: --format: 'csv' is not one of 'table', 'json', 'yaml'", None),
        (["list", "--limit", "0"], "error: --limit: 0 is not in the range x>=1", None),
        (["list", "a", "b"], "error: unexpected extra argument: b", "hint: 'sco-cal list --help' shows the usage"),
        (
            ["list", "June 2020", "--from", "2020-01-01"],
            "error: WINDOW: give a window phrase or --from/--to, not both",
            None,
        ),
        (["--bogus"], "error: no such option --bogus", "hint: 'sco-cal --help' lists the options"),
        (
            ["export", "--refresh", "2x"],
            "error: --refresh: '2x' is not an interval; write a number and m, h, d or w, e.g. 6h, 1d (0 for no hint)",
            None,
        ),
        (
            ["list", "--from", "2020-07-01", "--to", "2020-06-01"],
            "error: --to '2020-06-01' is before --from '2020-07-01'; the window would be empty",
            None,
        ),
        (
            ["export", "--from", "2020-07-01", "--to", "2020-06-01"],
            "error: --to '2020-06-01' is before --from '2020-07-01'; the window would be empty",
            None,
        ),
    ],
)
def test_usage_errors_share_the_error_style(
    sco_cal: Run, example: Path, args: list[str], message: str, hint: str | None
) -> None:
    before = digest(example)
    assert assert_one_error(sco_cal("-r", example, *args)) == (message, hint)
    assert digest(example) == before


def test_an_error_of_sco_cal_itself_has_the_same_style(sco_cal: Run, example: Path) -> None:
    first, _ = assert_one_error(sco_cal("-r", example, "show", "nope"), code=4)
    assert first == "error: no event with id 'nope'; 'sco-cal list' shows the ids"


def test_show_offers_only_the_formats_it_has(sco_cal: Run) -> None:
    shown = sco_cal("show", "--help")
    assert shown.code == 0
    assert "<table|json|yaml>" in shown.stdout
    assert "csv" not in shown.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["list", "2020"],
        ["upcoming", "--from", "2020-06-01"],
        ["show", "sco-ewg-07"],
        ["validate"],
        ["export"],
        ["agenda", "--now", "2020-06-01T00:00Z"],
        ["review", "--now", "2020-07-15T00:00Z"],
    ],
    ids=lambda c: c[0],
)
def test_the_registry_option_works_after_the_command_name(sco_cal: Run, example: Path, command: list[str]) -> None:
    before = sco_cal("-r", example, *command)
    after = sco_cal(command[0], "-r", example, *command[1:])
    long_after = sco_cal(*command, "--registry", example)
    assert before.code == after.code == long_after.code == 0, after.stderr
    assert before.stdout
    assert before.stdout == after.stdout == long_after.stdout


def test_a_write_after_the_command_name_goes_to_that_registry(sco_cal: Run, example: Path) -> None:
    added = sco_cal("add", "Late option", "--date", "2021-03-01", "-r", example)
    assert added.code == 0, added.stderr
    assert added.stdout.strip() in {event.id for event in load(example).events}


# --- a closed pipe -----------------------------------------------------------------------------------------

PRINTING = [
    ["list"],
    ["list", "-f", "json"],
    ["list", "-f", "csv"],
    ["list", "-f", "yaml"],
    ["upcoming", "--from", "2020-06-01"],
    ["upcoming", "--from", "2020-06-01", "-f", "json"],
    ["upcoming", "--from", "2020-06-01", "-f", "csv"],
    ["show", "sco-ewg-07"],
    ["show", "sco-ewg-07", "-f", "json"],
    ["export"],
    ["agenda", "--now", "2020-06-01T00:00Z", "--days", "60"],
    ["calendar", "June 2020"],
    ["review", "--now", "2020-07-15T00:00Z"],
    ["validate"],
    ["--help"],
    ["list", "--help"],
]


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "rich"])
@pytest.mark.parametrize("command", PRINTING, ids=" ".join)
def test_a_closed_pipe_is_a_quiet_success(example: Path, command: list[str], colour: bool) -> None:
    """The reader (head, less) is gone before sco-cal writes a byte: every write fails with EPIPE."""
    assert SCO_CAL is not None
    reader, writer = os.pipe()
    os.close(reader)
    env = {**os.environ, **({"FORCE_COLOR": "1"} if colour else {})}
    try:
        done = subprocess.run([SCO_CAL, "-r", str(example), *command], stdout=writer, stderr=subprocess.PIPE,
                              text=True, env=env, check=False, timeout=60)  # fmt: skip
    finally:
        os.close(writer)
    said = [line for line in done.stderr.splitlines() if not line.startswith("exported ")]  # export's own note
    assert (done.returncode, said) == (0, [])


@pytest.mark.parametrize("command", [["list"], ["agenda", "--now", "2020-06-01T00:00Z"], ["export"]], ids=" ".join)
def test_head_takes_the_first_line_and_the_pipeline_succeeds(example: Path, command: list[str]) -> None:
    assert SCO_CAL is not None
    shell = f"set -o pipefail; '{SCO_CAL}' -r '{example}' {' '.join(command)} | head -1"
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 1
    assert "error" not in done.stderr  # export may note on stderr what it left out, whether or not head read it
    assert "Traceback" not in done.stderr


# --- tables fit the width ----------------------------------------------------------------------------------

TABLES = [
    ["list"],
    ["list", "2020"],
    ["upcoming", "--from", "2020-06-01"],
    ["show", "sco-ewg-07"],
    ["review", "--now", "2020-07-15T00:00Z"],
]


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "rich"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", TABLES, ids=" ".join)
def test_every_line_fits_the_width(sco_cal: Run, example: Path, command: list[str], width: int, colour: bool) -> None:
    env = {"COLUMNS": str(width), **({"FORCE_COLOR": "1"} if colour else {})}
    result = sco_cal("-r", example, *command, env=env)
    assert result.code == 0, result.stderr
    lines = ANSI.sub("", result.stdout).splitlines()
    assert len(lines) > 2
    too_wide = [line for line in lines if len(line.rstrip()) > width]
    assert not too_wide, too_wide


@pytest.mark.parametrize("width", [60, 80, 120])
def test_ids_and_places_are_not_split_where_they_fit(sco_cal: Run, example: Path, width: int) -> None:
    result = sco_cal("-r", example, "list", env={"COLUMNS": str(width)})
    words = result.stdout.split()
    for event in load(example).events:
        assert event.id in words, (width, event.id)
    if "Where" in result.stdout.splitlines()[0]:
        assert "Tashkent," in words
        assert "Uzbekistan" in words


@pytest.mark.parametrize(
    ("width", "headers"),
    [
        (120, ["When", "Event", "Kind", "Status", "Where", "Orgs"]),
        (100, ["When", "Event", "Status", "Where", "Orgs"]),
        (80, ["When", "Event", "Status", "Orgs"]),
        (60, ["When", "Event"]),
        (30, ["When", "Event"]),
    ],
)
@pytest.mark.parametrize("colour", [False, True], ids=["plain", "rich"])
def test_columns_give_way_in_order(sco_cal: Run, example: Path, width: int, headers: list[str], colour: bool) -> None:
    env = {"COLUMNS": str(width), **({"FORCE_COLOR": "1"} if colour else {})}
    result = sco_cal("-r", example, "list", env=env)
    assert ANSI.sub("", result.stdout).splitlines()[0].split() == headers


# --- empty listings ----------------------------------------------------------------------------------------

EMPTY = [["list", "1990"], ["upcoming", "--from", "1990-01-01"], ["list", "--org", "NATO"]]


@pytest.mark.parametrize("command", EMPTY, ids=" ".join)
def test_nothing_found_prints_nothing_into_a_pipe(sco_cal: Run, example: Path, command: list[str]) -> None:
    result = sco_cal("-r", example, *command)
    assert (result.code, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("command", EMPTY, ids=" ".join)
def test_nothing_found_keeps_the_empty_form_of_each_format(sco_cal: Run, example: Path, command: list[str]) -> None:
    as_json = sco_cal("-r", example, *command, "-f", "json")
    assert as_json.stdout == '{\n  "schema": 1,\n  "events": []\n}\n'
    assert sco_cal("-r", example, *command, "-f", "yaml").stdout == "schema: 1\nevents: []\n"
    as_csv = sco_cal("-r", example, *command, "-f", "csv").stdout
    full = sco_cal("-r", example, "list", "-f", "csv").stdout
    assert as_csv == full.splitlines(keepends=True)[0]  # the header alone


@pytest.mark.parametrize("command", EMPTY, ids=" ".join)
def test_nothing_found_on_a_terminal_says_so(example: Path, command: list[str]) -> None:
    assert SCO_CAL is not None
    main, terminal = pty.openpty()
    try:
        done = subprocess.run([SCO_CAL, "-r", str(example), *command], stdout=terminal, stderr=subprocess.PIPE,
                              check=False, timeout=60)  # fmt: skip
        os.close(terminal)
        printed = b""
        while chunk := _read(main):
            printed += chunk
    finally:
        os.close(main)
    assert done.returncode == 0
    assert printed.replace(b"\r\n", b"\n") == b"no events\n"


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 4096)
    except OSError:  # the terminal's other end is closed: all is read
        return b""


# --- shell completion --------------------------------------------------------------------------------------

SCRIPTS = {
    "bash": "complete -o default -F _sco_cal_completion sco-cal",
    "zsh": "#compdef sco-cal",
    "fish": "complete --command sco-cal",
}


@pytest.mark.parametrize("shell", sorted(SCRIPTS))
def test_each_shell_gets_its_script(sco_cal: Run, shell: str) -> None:
    source = sco_cal(env={"_SCO_CAL_COMPLETE": f"{shell}_source"})
    assert source.code == 0, source.stderr
    assert SCRIPTS[shell] in source.stdout
    assert "_SCO_CAL_COMPLETE=complete_" + shell in source.stdout
    shown = sco_cal("--show-completion", env={"SHELL": f"/usr/bin/{shell}"})
    assert (shown.code, shown.stdout) == (0, source.stdout)


def test_install_puts_the_script_where_the_shell_loads_it(sco_cal: Run, tmp_path: Path) -> None:
    config = tmp_path / "config"
    installed = sco_cal("--install-completion", env={"SHELL": "/bin/fish", "XDG_CONFIG_HOME": str(config)})
    assert installed.code == 0, installed.stderr
    script = config / "fish" / "completions" / "sco-cal.fish"
    assert SCRIPTS["fish"] in script.read_text(encoding="utf-8")
    assert str(script) in installed.stderr


def test_install_for_bash_and_zsh(sco_cal: Run, tmp_path: Path) -> None:
    data, home = tmp_path / "data", tmp_path / "home"
    home.mkdir()
    env = {"XDG_DATA_HOME": str(data), "HOME": str(home)}
    assert sco_cal("--install-completion", env={**env, "SHELL": "/bin/bash"}).code == 0
    assert SCRIPTS["bash"] in (data / "bash-completion" / "completions" / "sco-cal").read_text(encoding="utf-8")
    for _ in range(2):  # a second install does not add the line again
        assert sco_cal("--install-completion", env={**env, "SHELL": "/bin/zsh"}).code == 0
    script = data / "sco-cal" / "completion.zsh"
    assert SCRIPTS["zsh"] in script.read_text(encoding="utf-8")
    assert (home / ".zshrc").read_text(encoding="utf-8") == f"source {script}\n"


def test_an_unknown_shell_is_an_error_in_the_style(sco_cal: Run) -> None:
    first, _ = assert_one_error(sco_cal("--show-completion", env={"SHELL": "/bin/tcsh"}), code=2)
    assert "SHELL=tcsh" in first
    assert "bash, zsh, fish" in first


def bash_complete(run: Run, words: str, registry: Path | None) -> list[str]:
    typed = words.split(" ")
    env = {"_SCO_CAL_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(typed) - 1)}
    if registry is not None:
        env["SCO_CAL_REGISTRY"] = str(registry)
    result = run(env=env)
    assert result.code == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("sco-cal show ", lambda events: [e.id for e in events]),
        ("sco-cal edit sco-ewg", lambda events: [e.id for e in events if e.id.startswith("sco-ewg")]),
        ("sco-cal add X --related ", lambda events: [e.id for e in events]),
        ("sco-cal list --org ", lambda events: sorted({o for e in events for o in e.orgs})),
        ("sco-cal upcoming -o C", lambda events: sorted({o for e in events for o in e.orgs if o.startswith("C")})),
        ("sco-cal export --org ", lambda events: sorted({o for e in events for o in e.orgs})),
        ("sco-cal list --tag ", lambda events: sorted({t for e in events for t in e.tags})),
        ("sco-cal edit sco-ewg-07 --tag e", lambda events: sorted({t for e in events for t in e.tags if t[0] == "e"})),
        ("sco-cal list --series ", lambda events: sorted({e.series for e in events if e.series})),
    ],
)
def test_completion_offers_the_registry_values(
    sco_cal: Run, example: Path, words: str, expected: Callable[[list[object]], list[str]]
) -> None:
    events = list(load(example).events)
    wanted = expected(events)  # type: ignore[arg-type]  # the lambdas read Event fields
    assert wanted
    assert bash_complete(sco_cal, words, example) == wanted


def test_completion_reads_the_registry_named_on_the_line(sco_cal: Run, example: Path) -> None:
    orgs = sorted({org for event in load(example).events for org in event.orgs})
    assert bash_complete(sco_cal, f"sco-cal -r {example} list --org ", None) == orgs
    assert bash_complete(sco_cal, f"sco-cal list -r {example} --org ", None) == orgs


@pytest.mark.parametrize("words", ["sco-cal add X --venue-tz Europe/Mosc", "sco-cal init --timezone Europe/Mosc"])
def test_completion_offers_zone_names(sco_cal: Run, example: Path, words: str) -> None:
    assert bash_complete(sco_cal, words, example) == ["Europe/Moscow"]


def test_completion_offers_commands_and_options(sco_cal: Run, example: Path) -> None:
    assert bash_complete(sco_cal, "sco-cal up", example) == ["upcoming"]
    assert "--format" in bash_complete(sco_cal, "sco-cal list --f", example)


def test_completion_without_a_registry_offers_nothing_and_says_nothing(sco_cal: Run, tmp_path: Path) -> None:
    assert bash_complete(sco_cal, "sco-cal show ", tmp_path / "missing.yaml") == []


def test_zsh_and_fish_get_the_same_values(sco_cal: Run, example: Path) -> None:
    ids = [event.id for event in load(example).events if event.id.startswith("sco-ewg")]
    env = {"SCO_CAL_REGISTRY": str(example), "_TYPER_COMPLETE_ARGS": "sco-cal show sco-ewg"}
    zsh = sco_cal(env={**env, "_SCO_CAL_COMPLETE": "zsh_complete"})
    assert all(f'"{event_id}"' in zsh.stdout for event_id in ids)
    fish = sco_cal(env={**env, "_SCO_CAL_COMPLETE": "fish_complete", "_TYPER_COMPLETE_FISH_ACTION": "get-args"})
    assert fish.stdout.split() == ids


def test_an_ordinary_run_does_not_load_completion_or_usage_code(example: Path) -> None:
    argv = [sys.executable, "-X", "importtime", "-m", "sco_cal", "-r", str(example), "upcoming", "--from", "2020-06-01"]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "sco_cal.cli.app" in imported  # the measurement sees our modules
    assert not {"sco_cal.cli.completion", "sco_cal.cli.usage"} & imported


# --- counts agree with their nouns -------------------------------------------------------------------------


def test_a_count_of_one_is_singular(sco_cal: Run, tmp_path: Path) -> None:
    registry = tmp_path / "one.yaml"
    assert sco_cal("-r", registry, "init", "--timezone", "Europe/Moscow").code == 0
    assert sco_cal("-r", registry, "add", "Only event", "--date", "2021-01-01").code == 0
    validated = sco_cal("-r", registry, "validate")
    assert validated.stdout == f"{registry}: 1 event, no problems\n"
    exported = sco_cal("-r", registry, "export", "-o", tmp_path / "feed.ics")
    assert exported.code == 0, exported.stderr
    assert exported.stderr == f"{tmp_path / 'feed.ics'}: 1 event; written\n"
    assert sco_cal("-r", registry, "add", "Second", "--date", "2021-01-02").code == 0
    assert sco_cal("-r", registry, "validate").stdout == f"{registry}: 2 events, no problems\n"
