"""Shared fixtures: every test works on copies in a temporary folder, never on the user's files."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from radicale_server import dav_calendar, radicale_server  # noqa: F401 (fixtures for the CalDAV sync tests)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sco-defence.yaml"
DATA = Path(__file__).resolve().parent / "data"
SCO_CAL = shutil.which("sco-cal", path=str(Path(sys.executable).parent)) or shutil.which("sco-cal")
# A small registry in Moscow, for tests that write their own events under it.
MOSCOW_HEADER = "schema: 1\nname: Test\ntimezone: Europe/Moscow\nuid_domain: test.example\nevents:\n"


def digest(path: Path) -> str:
    """The file's bytes as a hash: a refusal must leave it exactly as it was."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def registry(tmp_path: Path, events: str, header: str = MOSCOW_HEADER) -> Path:
    """``r.yaml`` in ``tmp_path``: ``header`` followed by the ``events`` text."""
    path = tmp_path / "r.yaml"
    path.write_text(header + events, encoding="utf-8")
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/data/golden/* from the output.")


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may read or write the real user's registry, config or state."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("SCO_CAL_CACHE", raising=False)
    monkeypatch.setenv("SCO_CAL_CONFIG", str(home / "config.toml"))
    monkeypatch.delenv("SCO_CAL_REGISTRY", raising=False)
    monkeypatch.delenv("SCO_CAL_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the bundled example registry."""
    target = tmp_path / "sco-defence.yaml"
    shutil.copyfile(EXAMPLE, target)
    return target


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def sco_cal() -> Callable[..., Result]:
    """Run the installed ``sco-cal`` command in a subprocess, as a user (or cron) would."""
    if SCO_CAL is None:
        pytest.fail("the sco-cal command is not installed; run: pip install -e '.[test]'")

    def run(
        *args: str | Path, stdin: str | None = None, env: dict[str, str] | None = None, timeout: float = 60
    ) -> Result:
        completed = subprocess.run(
            [str(SCO_CAL), *map(str, args)],
            input=stdin,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=timeout,
            check=False,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    return run


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own (``SCO_CAL_CACHE``), where sco-cal keeps a registry's snapshot or index."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("SCO_CAL_CACHE", str(folder))
    return folder


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with ``tests/data/golden/NAME``; ``--update-golden`` rewrites the file instead."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = DATA / "golden" / name
        if update or not path.exists():
            if not update:
                pytest.fail(f"{path} does not exist; run pytest --update-golden and review the file")
            path.write_text(text, encoding="utf-8")
        assert text == path.read_text(encoding="utf-8"), f"output differs from {path}"

    return check
