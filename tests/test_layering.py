"""The core is a library: importing it pulls in neither the CLI's typer nor the terminal's rich, and the
commands that only read never load icalendar."""

from __future__ import annotations

import subprocess
import sys

import pytest


def modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(output.split())


def test_core_imports_neither_typer_nor_rich() -> None:
    loaded = modules_after("import sco_cal, sco_cal.query, sco_cal.records, sco_cal.phrases, sco_cal.registry")
    assert not {"typer", "rich", "click"} & loaded


@pytest.mark.parametrize("argv", [["--help"], ["list", "--help"], ["upcoming", "--help"]])
def test_reading_commands_do_not_load_icalendar(argv: list[str]) -> None:
    loaded = modules_after(
        "import sys\nfrom sco_cal.cli import commands\napp = commands()\n"
        f"sys.argv = ['sco-cal', *{argv!r}]\n"
        "try:\n    app(prog_name='sco-cal')\nexcept SystemExit:\n    pass"
    )
    assert "icalendar" not in loaded
