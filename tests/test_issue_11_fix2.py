"""Issue 11, second round: feeds split by a group named outside the Latin alphabet, and bash completion that
works without the bash-completion package. Every test runs the installed ``sco-cal`` in a subprocess."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SCO_CAL, Result

Run = Callable[..., Result]

REGISTRY = """\
schema: 1
name: Реестр встреч
timezone: Europe/Moscow
uid_domain: fix2.example
events:
  - id: first
    title: Встреча
    kind: meeting
    start: 2024-05-01
    orgs: [ШОС, ОДКБ]
    series: Совет
  - id: second
    title: Саммит
    kind: summit
    start: 2024-06-01
    orgs: [СНГ, SCO]
    series: совет
  - id: third
    title: Talks
    kind: meeting
    start: 2024-07-01
    orgs: [sco]
"""


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    path = tmp_path / "registry.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


def feeds(folder: Path) -> dict[str, str]:
    """File name -> its text, long lines unfolded (RFC 5545 folds at 75 octets)."""
    return {path.name: path.read_bytes().decode().replace("\r\n ", "") for path in sorted(folder.iterdir())}


def field(feed: str, name: str) -> list[str]:
    return re.findall(rf"^{name}[;:](.*)\r$", feed, flags=re.MULTILINE)


def test_each_organisation_in_another_script_gets_its_own_transliterated_file(sco_cal: Run, registry: Path) -> None:
    out = registry.parent / "feeds"
    result = sco_cal("-r", registry, "export", "--split-by", "org", "-o", out)
    assert result.code == 0, result.stderr
    written = feeds(out)
    for stem, org, event in [("shos", "ШОС", "first"), ("odkb", "ОДКБ", "first"), ("sng", "СНГ", "second")]:
        assert field(written[f"{stem}.ics"], "X-WR-CALNAME") == [f"Реестр встреч: {org}"]
        assert field(written[f"{stem}.ics"], "X-SCO-ID") == [event]
        assert f"{out / stem}.ics: 1 event; written" in result.stderr.splitlines()
    assert "unnamed.ics" not in written


def test_groups_spelled_alike_keep_apart_files_and_calendar_uids(sco_cal: Run, registry: Path) -> None:
    out = registry.parent / "feeds"
    assert sco_cal("-r", registry, "export", "--split-by", "org", "-o", out).code == 0
    alike = {name: text for name, text in feeds(out).items() if name.startswith("sco")}
    assert len(alike) == 2
    assert all(re.fullmatch(r"sco-[0-9a-f]{6}\.ics", name) for name in alike)
    names = sorted(field(text, "X-WR-CALNAME")[0] for text in alike.values())
    assert names == ["Реестр встреч: SCO", "Реестр встреч: sco"]
    assert sorted(field(text, "X-SCO-ID")[0] for text in alike.values()) == ["second", "third"]
    assert len({field(text, "UID")[0] for text in alike.values()}) == 2  # the calendars' own UIDs, first in each


def test_series_spelled_alike_in_another_script_keep_apart_files(sco_cal: Run, registry: Path) -> None:
    out = registry.parent / "feeds"
    assert sco_cal("-r", registry, "export", "--split-by", "series", "-o", out).code == 0
    written = feeds(out)
    sovet = sorted(name for name in written if name.startswith("sovet-"))
    assert len(sovet) == 2
    assert "no-series.ics" in written
    assert sorted(field(written[name], "X-WR-CALNAME")[0] for name in sovet) == [
        "Реестр встреч: Совет",
        "Реестр встреч: совет",
    ]


def test_split_file_names_and_bytes_are_the_same_every_run(sco_cal: Run, registry: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    assert sco_cal("-r", registry, "export", "--split-by", "org", "-o", first).code == 0
    assert sco_cal("-r", registry, "export", "--split-by", "org", "-o", second).code == 0
    assert {n: (first / n).read_bytes() for n in feeds(first)} == {n: (second / n).read_bytes() for n in feeds(second)}
    again = sco_cal("-r", registry, "export", "--split-by", "org", "-o", first)
    assert again.code == 0
    lines = again.stderr.splitlines()
    assert len(lines) == 5
    assert all(line.endswith("; unchanged") for line in lines)


# --- bash completion without the bash-completion package ---------------------------------------------------


def interactive_bash(home: Path, command: str) -> subprocess.CompletedProcess[str]:
    """A new interactive bash, as a user opens one, with only the rc files of ``home``."""
    env = {
        **os.environ,
        "HOME": str(home),
        "PATH": f"{Path(SCO_CAL or 'sco-cal').parent}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("BASH_ENV", None)
    return subprocess.run(
        ["bash", "-ic", command],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


def install_for_bash(run: Run, home: Path) -> Result:
    return run("--install-completion", env={"HOME": str(home), "SHELL": "/bin/bash", "XDG_DATA_HOME": ""})


def test_a_new_bash_completes_after_install(sco_cal: Run, home: Path) -> None:
    assert interactive_bash(home, "complete -p sco-cal").returncode != 0  # nothing else provides it here
    installed = install_for_bash(sco_cal, home)
    assert installed.code == 0, installed.stderr
    shell = interactive_bash(home, "complete -p sco-cal")
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.strip() == "complete -o default -F _sco_cal_completion sco-cal"
    asked = "COMP_WORDS=(sco-cal upc); COMP_CWORD=1; _sco_cal_completion sco-cal; printf '%s\\n' \"${COMPREPLY[@]}\""
    assert interactive_bash(home, asked).stdout.splitlines() == ["upcoming"]


def test_the_install_message_names_the_line_it_wrote(sco_cal: Run, home: Path) -> None:
    installed = install_for_bash(sco_cal, home)
    script = home / ".local" / "share" / "bash-completion" / "completions" / "sco-cal"
    line = f"[ -r {script} ] && . {script}"
    assert (home / ".bashrc").read_text(encoding="utf-8") == line + "\n"
    assert installed.stderr == (
        f"installed completion in {script}; added the line {line!r} to {home / '.bashrc'}; it works in new shells\n"
    )
    again = install_for_bash(sco_cal, home)
    assert again.code == 0
    assert f"the line loading it is already in {home / '.bashrc'}" in again.stderr


def test_a_second_install_adds_the_line_once_and_keeps_the_users_lines(sco_cal: Run, home: Path) -> None:
    (home / ".bashrc").write_text("alias ll='ls -l'", encoding="utf-8")  # no newline at the end
    for _ in range(2):
        assert install_for_bash(sco_cal, home).code == 0
    lines = (home / ".bashrc").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "alias ll='ls -l'"
    assert len(lines) == 2
    assert lines[1].startswith("[ -r ")
    assert interactive_bash(home, "complete -p sco-cal").returncode == 0


def test_a_removed_script_leaves_a_new_bash_quiet(sco_cal: Run, home: Path) -> None:
    assert install_for_bash(sco_cal, home).code == 0
    (home / ".local" / "share" / "bash-completion" / "completions" / "sco-cal").unlink()
    shell = interactive_bash(home, "echo started")
    assert shell.stdout == "started\n"
    assert "sco-cal" not in shell.stderr


def test_an_rc_file_that_cannot_be_written_is_one_error_line(sco_cal: Run, home: Path) -> None:
    (home / ".bashrc").mkdir()
    failed = install_for_bash(sco_cal, home)
    assert failed.code == 74
    assert failed.stderr == f"error: {home / '.bashrc'}: cannot install completion: Is a directory\n"
    assert list((home / ".bashrc").iterdir()) == []
