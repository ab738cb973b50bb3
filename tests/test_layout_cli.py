"""The commands stay thin: each parses its options, calls one service (or one core function) and renders, so a
command body longer than a screenful means a workflow that belongs in ``sco_cal.services``.

The source is read as text (ast), as tests/test_layering.py reads it; nothing of the CLI is run.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sco_cal.cli import COMMAND_MODULES

CLI = Path(__file__).resolve().parent.parent / "sco_cal" / "cli"
MAX_BODY_LINES = 25

# Commands allowed a longer body for now: name -> (the most lines it may have, why). Each is a debt with a
# limit: the body may shrink, never grow, and the entry goes once the body fits (a test below says when).
ALLOWANCES: dict[str, tuple[int, str]] = {}


def _registers_a_command(decorator: ast.expr) -> bool:
    """``@app.command``, ``@app.command("list")`` or ``@app.callback()``: typer's two registrations."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr in ("command", "callback")


def _command_name(function: ast.FunctionDef, decorator: ast.expr) -> str:
    """The name typer gives the command: the decorator's first argument, else the function's name with dashes."""
    if isinstance(decorator, ast.Call) and decorator.args and isinstance(decorator.args[0], ast.Constant):
        return str(decorator.args[0].value)
    return function.name.lower().replace("_", "-")


def body_lines(function: ast.FunctionDef) -> int:
    """The lines the function's statements span, its docstring left out."""
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return sum((statement.end_lineno or statement.lineno) - statement.lineno + 1 for statement in body)


def commands(folder: Path) -> Iterator[tuple[str, str, int]]:
    """(command name, file:line, body lines) for every function typer registers from the modules in ``folder``."""
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                for decorator in filter(_registers_a_command, node.decorator_list):
                    yield _command_name(node, decorator), f"{path.name}:{node.lineno}", body_lines(node)


def long_commands(folder: Path) -> list[str]:
    found = []
    for name, where, lines in commands(folder):
        most = ALLOWANCES.get(name, (MAX_BODY_LINES, ""))[0]
        if lines > most:
            found.append(f"{where}: {name} has a body of {lines} lines (at most {most})")
    return found


def test_every_command_body_is_short() -> None:
    assert long_commands(CLI) == []


def test_every_command_the_dispatch_knows_is_checked() -> None:
    """The lazy dispatch's table names each command's module: the scan must find every one, in that module."""
    found = {name: where.split(".py:")[0] for name, where, _ in commands(CLI)}
    assert {name: found.get(name) for name in COMMAND_MODULES} == COMMAND_MODULES


def test_an_allowance_names_a_command_that_is_still_long() -> None:
    """An allowance that is no longer needed is removed, so it cannot cover a body that grows again."""
    lengths = {name: lines for name, _, lines in commands(CLI)}
    assert {name for name in ALLOWANCES if lengths.get(name, 0) <= MAX_BODY_LINES} == set()


_LONG = '''
import typer

app = typer.Typer()


@app.command("big")
def big_command() -> None:
    """A docstring does not count."""
{body}


@app.command()
def small() -> None:
    print("short")
'''


@pytest.mark.parametrize(("statements", "caught"), [(MAX_BODY_LINES, False), (MAX_BODY_LINES + 1, True)])
def test_the_check_catches_a_long_body(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, statements: int, caught: bool
) -> None:
    body = "\n".join(f"    print({n})" for n in range(statements - 2)) + "\n    if True:\n        print('two')"
    (tmp_path / "big_commands.py").write_text(_LONG.format(body=body), encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ALLOWANCES", {})
    found = long_commands(tmp_path)
    assert found == ([f"big_commands.py:8: big has a body of {statements} lines (at most 25)"] if caught else [])


def test_an_allowance_is_a_limit_not_a_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "\n".join(f"    print({n})" for n in range(30))
    (tmp_path / "big_commands.py").write_text(_LONG.format(body=body), encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ALLOWANCES", {"big": (30, "moving")})
    assert long_commands(tmp_path) == []
    monkeypatch.setattr(sys.modules[__name__], "ALLOWANCES", {"big": (29, "moving")})
    assert long_commands(tmp_path) == ["big_commands.py:8: big has a body of 30 lines (at most 29)"]
