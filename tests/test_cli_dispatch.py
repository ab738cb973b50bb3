"""Only the command being run is registered with typer while it runs (``sco_cal.cli._only_the_named_command``):
the overview, typos and options before the command word must still behave as if every command were there."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result

from sco_cal.cli import COMMAND_MODULES, _command_word, _name_of, _only_the_named_command, commands

app = commands()  # every command registered, as for the overview

Run = Callable[..., Result]

COMMANDS = (
    "init",
    "add",
    "edit",
    "remove",
    "show",
    "validate",
    "undo",
    "list",
    "upcoming",
    "export",
    "import",
    "remind",
    "agenda",
    "calendar",
    "review",
    "sync",
    "extract",
    "timeline",
    "publish",
)


@pytest.mark.parametrize(
    ("argv", "word"),
    [
        (["upcoming"], "upcoming"),
        (["--registry", "list", "upcoming"], "upcoming"),  # a registry file named "list"
        (["-r", "x.yaml", "remind", "--dry-run"], "remind"),
        (["--registry=x.yaml", "show", "ewg-7"], "show"),
        (["-rx.yaml", "agenda"], "agenda"),
        (["--version"], None),
        (["--help"], None),
        (["--", "list"], "list"),
        ([], None),
    ],
)
def test_the_command_word_is_found_past_the_apps_own_options(argv: list[str], word: str | None) -> None:
    assert _command_word(argv) == word


def test_the_full_list_of_commands_is_back_after_a_run() -> None:
    before = list(app.registered_commands)
    with _only_the_named_command(["upcoming"]):
        assert len(app.registered_commands) == 1
    assert app.registered_commands == before
    with _only_the_named_command(["no-such-command"]):
        assert app.registered_commands == before


def test_the_overview_lists_every_command(sco_cal: Run) -> None:
    result = sco_cal("--help")
    assert result.code == 0
    commands_part = result.stdout.split("\nCommands:\n", 1)[1]
    listed = {line.split()[0] for line in commands_part.splitlines() if line.startswith("  ") and line.strip()}
    assert set(COMMANDS) <= listed


def test_a_typo_names_the_commands_there_are(sco_cal: Run) -> None:
    result = sco_cal("upcomin")
    assert result.code == 2
    assert "error: no such command 'upcomin'\n" in result.stderr
    assert "hint: did you mean upcoming?" in result.stderr  # click's "Did you mean" needs every command registered


def test_a_registry_named_like_a_command_is_not_taken_for_one(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    registry = tmp_path / "list"
    registry.write_bytes(example.read_bytes())
    result = sco_cal("--registry", registry, "upcoming", "--from", "2020-06-01", "--days", "30", "--format", "json")
    assert result.code == 0, result.stderr
    assert '"id": "sco-cis-csto-defence-chiefs-2020-06"' in result.stdout
    assert sco_cal("-r", registry, "show", "no-such-id").code == 4


def test_a_commands_own_help_shows_its_options(sco_cal: Run) -> None:
    result = sco_cal("-r", "x.yaml", "remind", "--help")
    assert result.code == 0
    assert "--catch-up" in result.stdout
    assert "upcoming" not in result.stdout.split("Options")[0]


def test_each_command_is_registered_by_the_module_the_table_names() -> None:
    registered = {
        _name_of(command): command.callback.__module__ for command in app.registered_commands if command.callback
    }
    assert registered == {name: f"sco_cal.cli.{module}" for name, module in COMMAND_MODULES.items()}
    assert set(registered) == set(COMMANDS)


@pytest.mark.parametrize(("word", "module"), [("upcoming", "query_commands"), ("remind", "remind_commands")])
def test_a_run_imports_only_its_own_commands_module(example: Path, word: str, module: str) -> None:
    probe = (
        "import sys\nfrom sco_cal.cli import _only_the_named_command\n"
        f"with _only_the_named_command(['-r', {str(example)!r}, {word!r}]):\n"
        "    print(sorted(name for name in sys.modules if name.endswith('_commands')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == [str([f"sco_cal.cli.{module}"])]
