"""sco-cal reads the XDG rule itself on Linux, to spare every run importing platformdirs: it must agree with
platformdirs, which decides everywhere else."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from sco_cal.cli.folders import user_folder

KINDS = ("config", "data", "state", "cache")
VARIABLES = {"config": "XDG_CONFIG_HOME", "data": "XDG_DATA_HOME", "state": "XDG_STATE_HOME", "cache": "XDG_CACHE_HOME"}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG shortcut is taken on Linux and the BSDs")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "setting",
    [None, "", "relative/folder", "/srv/xdg/folder", "/srv/with space/", "~/tilde"],
    ids=["unset", "empty", "relative", "absolute", "trailing-slash", "tilde"],
)
def test_the_xdg_rule_gives_what_platformdirs_gives(
    kind: str, setting: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ANDROID_DATA", raising=False)
    for variable in VARIABLES.values():
        monkeypatch.delenv(variable, raising=False)
    if setting is not None:
        monkeypatch.setenv(VARIABLES[kind], setting)
    expected = getattr(platformdirs, f"user_{kind}_path")("sco-cal")
    assert user_folder(kind) == expected  # type: ignore[arg-type]  # one of the four kinds


def test_the_folders_are_the_documented_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the documented folders are Linux's")
    monkeypatch.setenv("HOME", str(tmp_path))
    for variable in VARIABLES.values():
        monkeypatch.delenv(variable, raising=False)
    assert user_folder("config") == tmp_path / ".config" / "sco-cal"
    assert user_folder("cache") == tmp_path / ".cache" / "sco-cal"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "elsewhere"))
    assert user_folder("cache") == tmp_path / "elsewhere" / "sco-cal"
