"""Odd environments: ASCII-only output, the C locale, no HOME, a read-only folder, unusual paths, and bugs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLE, SCO_CAL, Result

Run = Callable[..., Result]


@pytest.fixture
def cyrillic(example: Path, sco_cal: Run) -> Path:
    assert sco_cal("-r", example, "add", "Совещание министров обороны", "--id", "ru", "--date", "2030-05").code == 0
    return example


def test_ascii_only_output_escapes_instead_of_crashing(sco_cal: Run, cyrillic: Path) -> None:
    result = sco_cal("-r", cyrillic, "list", "2030", env={"PYTHONIOENCODING": "ascii"})
    assert result.code == 0, result.stderr
    assert "\\u0421\\u043e\\u0432" in result.stdout
    as_json = sco_cal("-r", cyrillic, "show", "ru", "--format", "json", env={"PYTHONIOENCODING": "ascii"})
    assert json.loads(as_json.stdout)["event"]["title"] == "Совещание министров обороны"


def test_c_locale(sco_cal: Run, cyrillic: Path) -> None:
    result = sco_cal("-r", cyrillic, "list", "2030", "--format", "csv", env={"LANG": "C", "LC_ALL": "C"})
    assert result.code == 0, result.stderr
    assert "ru," in result.stdout


def test_no_home(cyrillic: Path) -> None:
    assert SCO_CAL is not None
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")}
    result = subprocess.run(
        [SCO_CAL, "-r", str(cyrillic), "list", "2030"], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "ru" in result.stdout


@pytest.mark.parametrize("name", ["with spaces/реестр событий.yaml", "dir with 'quote'/r.yaml"])
def test_unusual_paths(sco_cal: Run, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True)
    shutil.copyfile(EXAMPLE, path)
    assert sco_cal("-r", path, "add", "Odd path", "--id", "odd").code == 0
    result = sco_cal("-r", path, "show", "odd", "--format", "json")
    assert json.loads(result.stdout)["event"]["id"] == "odd"
    assert sco_cal("-r", path, "edit", "odd", "--status", "cancelled").code == 0


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody can write to. Root ignores permission bits, so as root it is a read-only bind mount."""
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copyfile(EXAMPLE, folder / "r.yaml")
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    bound = subprocess.run(["mount", "--bind", str(folder), str(folder)], check=False).returncode == 0
    if not bound or subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=False).returncode:
        if bound:
            subprocess.run(["umount", str(folder)], check=False)
        pytest.skip("cannot make a read-only mount here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_read_only_folder_reads_fine_and_refuses_writes_clearly(sco_cal: Run, read_only_folder: Path) -> None:
    path = read_only_folder / "r.yaml"
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    listed = sco_cal("-r", path, "list", "2020")
    assert listed.code == 0, listed.stderr
    added = sco_cal("-r", path, "add", "Cannot be written")
    assert added.code == 74, added.stderr
    assert "Traceback" not in added.stderr
    assert "cannot take the write lock" in added.stderr or "could not save" in added.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("output", ["table", "json"])
def test_a_full_disk_under_the_output_is_an_io_error_not_a_bug(example: Path, output: str) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    assert SCO_CAL is not None
    with open("/dev/full", "w") as full:
        argv = [SCO_CAL, "-r", str(example), "list", "--format", output]
        result = subprocess.run(argv, stdout=full, stderr=subprocess.PIPE, text=True, check=False)
    assert result.returncode == 74
    assert result.stderr == "error: could not write the output: No space left on device\n"


def test_a_bug_prints_a_short_hint_not_a_traceback(example: Path) -> None:
    simulated_bug = (
        "import sys\n"
        "import sco_cal.registry as commands\n"
        "def broken(*args, **kwargs):\n"
        "    raise ZeroDivisionError('simulated bug')\n"
        "commands.load = broken\n"
        "from sco_cal.cli import main\n"
        f"sys.argv = ['sco-cal', '-r', {str(example)!r}, 'list']\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", simulated_bug], capture_output=True, text=True, check=False)
    assert result.returncode == 70
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) <= 4
    assert "internal error: ZeroDivisionError: simulated bug" in result.stderr
    assert "Traceback" not in result.stderr
    debug = subprocess.run([sys.executable, "-c", simulated_bug], capture_output=True, text=True, check=False,
                           env={**os.environ, "SCO_CAL_DEBUG": "1"})  # fmt: skip
    assert "Traceback" in debug.stderr
    assert debug.returncode != 0


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SCO_CAL_BACKUPS", "many", "SCO_CAL_BACKUPS='many': expected a whole number"),
        ("SCO_CAL_LOCK_TIMEOUT", "soon", "SCO_CAL_LOCK_TIMEOUT='soon': expected seconds"),
    ],
)
def test_bad_settings_in_the_environment(sco_cal: Run, example: Path, variable: str, value: str, message: str) -> None:
    before = hashlib.sha256(example.read_bytes()).hexdigest()
    result = sco_cal("-r", example, "add", "Never saved", env={variable: value})
    assert result.code == 2
    assert message in result.stderr
    assert hashlib.sha256(example.read_bytes()).hexdigest() == before


def test_columns_that_is_not_a_number_is_ignored(sco_cal: Run, example: Path) -> None:
    result = sco_cal("-r", example, "list", "2020", env={"COLUMNS": "wide"})
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines()[0].split() == ["When", "Event", "Kind", "Status", "Where", "Orgs"]
