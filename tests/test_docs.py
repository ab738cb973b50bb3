"""The README stays true: every command is documented, and the examples load."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer.main
from conftest import ROOT, Result

from sco_cal.cli import commands
from sco_cal.registry import load

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


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


def _whole_registries() -> list[tuple[str, str]]:
    """Each ```yaml block of the docs that is a whole registry (a header, not an excerpt of an events list)."""
    found = []
    for path in DOC_FILES:
        blocks = re.findall(r"^```yaml\n(.*?)^```", path.read_text(encoding="utf-8"), flags=re.MULTILINE | re.DOTALL)
        found += [(f"{path.name}:{n}", block) for n, block in enumerate(blocks) if not block.startswith(" ")]
    return found


@pytest.mark.parametrize(("where", "text"), _whole_registries(), ids=[where for where, _ in _whole_registries()])
def test_a_registry_shown_in_the_docs_validates(
    where: str, text: str, tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    """A reader copies the sample file to start from it: it must load as shown, without a problem."""
    copied = tmp_path / "copied.yaml"
    copied.write_text(text, encoding="utf-8")
    result = sco_cal("-r", copied, "validate")
    assert (result.code, result.stderr) == (0, ""), f"{where}: {result.stderr}"
    assert "no problems" in result.stdout


def test_readme_states_the_exit_codes() -> None:
    from sco_cal import errors

    for error in (errors.InvalidInput, errors.InvalidRegistry, errors.EventNotFound, errors.AmbiguousDate,
                  errors.Conflict, errors.InvalidCalendar, errors.HookFailed, errors.DamagedLedger, errors.StorageError,
                  errors.Busy, errors.ServerUnreachable, errors.ServerRefused, errors.LoginRefused):  # fmt: skip
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


# --- every console example runs and prints what the docs say --------------------------------------------------


@dataclass(frozen=True)
class Example:
    """One ``$ `` command of a console block and the output printed under it."""

    command: str
    output: str


def _console_blocks(text: str) -> list[list[Example]]:
    blocks = re.findall(r"^```console\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    return [_examples(block) for block in blocks]


def _examples(block: str) -> list[Example]:
    examples: list[Example] = []
    lines = block.splitlines()
    n = 0
    while n < len(lines):
        assert lines[n].startswith("$ "), f"console block line without '$ ' before it: {lines[n]!r}"
        command = [lines[n][2:]]
        while command[-1].endswith("\\"):
            n += 1
            command.append(lines[n])
        n += 1
        output = []
        while n < len(lines) and not lines[n].startswith("$ "):
            output.append(lines[n] + "\n")
            n += 1
        examples.append(Example("\n".join(command), "".join(output)))
    return examples


def _file_examples() -> list[tuple[str, list[Example]]]:
    """Each doc file's console examples, all its blocks in order: a file reads as one session, so the
    ``export SCO_CAL_REGISTRY=...`` of its first block holds in the later ones."""
    found = []
    for path in DOC_FILES:
        blocks = _console_blocks(path.read_text(encoding="utf-8"))
        if blocks:
            found.append((path.name, [example for block in blocks for example in block]))
    return found


def _run_block(examples: list[Example], folder: Path) -> list[str]:
    """Run a block's commands in order in one shell (so ``export`` and ``add`` carry to the next command);
    each command's stdout and stderr, as a reader of the docs sees them."""
    marker = "@@@ sco-cal docs example @@@"
    script = "".join(f"printf '%s\\n' '{marker}'\n{example.command} 2>&1\n" for example in examples)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("COLUMNS", None)  # a page that depends on the width says so with its own `export COLUMNS=...`
    env.update(NO_COLOR="1")
    done = subprocess.run(["bash", "-c", script], cwd=folder, env=env, capture_output=True, text=True, check=False,
                          timeout=300)  # fmt: skip
    return done.stdout.split(marker + "\n")[1:]


def test_the_docs_have_console_examples() -> None:
    assert sum(len(examples) for _, examples in _file_examples()) >= 5


@pytest.mark.parametrize(("name", "examples"), _file_examples(), ids=[name for name, _ in _file_examples()])
def test_every_console_example_prints_what_it_shows(name: str, examples: list[Example], tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    printed = _run_block(examples, tmp_path)
    assert len(printed) == len(examples), (name, printed)
    for example, output in zip(examples, printed, strict=True):
        assert output == example.output, f"{name}: $ {example.command}"
