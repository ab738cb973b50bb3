"""Issue 11, second round: feeds split by a group named outside the Latin alphabet, and bash completion that
works without the bash-completion package. Every test runs the installed ``sco-cal`` in a subprocess."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result

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
