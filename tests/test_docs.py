"""The README stays true: every command is documented, and the examples load."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main
from conftest import ROOT

from sco_cal.cli import commands
from sco_cal.registry import load

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, str | None]:
    group = typer.main.get_command(commands())
    return {name: command.help for name, command in group.commands.items()}  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    assert _commands()[name], f"{name} has no help text"
    assert f"sco-cal {name}" in README, f"README never shows 'sco-cal {name}'"


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.name)
def test_example_registries_load(path: Path) -> None:
    assert load(path).events


def test_readme_states_the_exit_codes() -> None:
    from sco_cal import errors

    for error in (errors.InvalidInput, errors.InvalidRegistry, errors.EventNotFound, errors.AmbiguousDate,
                  errors.Conflict, errors.InvalidCalendar, errors.HookFailed, errors.DamagedLedger, errors.StorageError,
                  errors.Busy):  # fmt: skip
        assert f"| {error.exit_code} |" in README, f"exit code {error.exit_code} ({error.__name__}) not in README"


def test_library_snippet_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    snippet = README.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    exec(compile(snippet, "README.md", "exec"), {})  # noqa: S102  # the README's own snippet, written by us
    printed = capsys.readouterr().out
    assert "sco-cis-csto-defence-chiefs-2020-06 Jun 2020 (date TBC)" in printed


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "test-command" in ci, ".ci/run must take its test command from the README"
    assert "<!-- test-command -->\n```sh\n" in README
