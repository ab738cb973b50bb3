"""The index is derived and disposable: whatever happens to the registry or the index, answers are the
registry's own."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLE, Result

from sco_cal.registry import INDEX_FROM_BYTES, load

Run = Callable[..., Result]


def big_registry(path: Path, copies: int = 60) -> None:
    """The example's events many times over (well above the size that gets an index)."""
    body = EXAMPLE.read_text(encoding="utf-8")
    head, events = body.split("events:\n", 1)
    parts = [head, "events:\n"]
    for copy in range(copies):
        parts.append(events.replace("  - id: ", f"  - id: c{copy}-").replace("related: [", f"related: [c{copy}-"))
    path.write_text("".join(parts), encoding="utf-8")
    assert path.stat().st_size > INDEX_FROM_BYTES


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SCO_CAL_CACHE", str(folder))
    return folder


def ids(sco_cal: Run, registry: Path, *args: str) -> list[str]:
    result = sco_cal("-r", registry, "list", *args, "--format", "json")
    assert result.code == 0, result.stderr
    return [event["id"] for event in json.loads(result.stdout)["events"]]


def titles(sco_cal: Run, registry: Path, window: str) -> list[str]:
    result = sco_cal("-r", registry, "list", window, "--format", "json")
    assert result.code == 0, result.stderr
    return [event["title"] for event in json.loads(result.stdout)["events"]]


def test_answers_match_a_fresh_parse(sco_cal: Run, tmp_path: Path, cache: Path) -> None:
    registry = tmp_path / "r.yaml"
    big_registry(registry)
    cold = ids(sco_cal, registry, "June 2020")
    assert list(cache.glob("*.sqlite3")), "the first read builds the index"
    warm = ids(sco_cal, registry, "June 2020")
    uncached = sco_cal("-r", registry, "list", "June 2020", "--format", "json", env={"SCO_CAL_CACHE": "off"})
    assert cold == warm == [e["id"] for e in json.loads(uncached.stdout)["events"]]
    assert len(warm) == 60 * 5
    everything = ids(sco_cal, registry)
    assert sorted(everything) == sorted(e.id for e in load(registry).events)
    plain = sco_cal("-r", registry, "list", "--format", "json", env={"SCO_CAL_CACHE": "off"})
    assert everything == [e["id"] for e in json.loads(plain.stdout)["events"]]
    shown = sco_cal("-r", registry, "show", "c7-sco-ewg-07", "--format", "json")
    assert json.loads(shown.stdout)["event"]["title"].startswith("7th meeting")


def test_a_hand_edit_is_seen_at_once(sco_cal: Run, tmp_path: Path, cache: Path) -> None:
    registry = tmp_path / "r.yaml"
    big_registry(registry)
    assert "Renamed by hand" not in titles(sco_cal, registry, "June 2020")
    text = registry.read_text().replace(
        "title: Joint meeting of the heads of defence agencies of the SCO, CIS and CSTO", "title: Renamed by hand", 1
    )
    registry.write_text(text)
    assert "Renamed by hand" in titles(sco_cal, registry, "June 2020")


def test_same_size_and_mtime_replacement_is_seen(sco_cal: Run, tmp_path: Path, cache: Path) -> None:
    registry = tmp_path / "r.yaml"
    big_registry(registry)
    before = registry.stat()
    titles(sco_cal, registry, "June 2020")
    replacement = tmp_path / "other.yaml"
    text = registry.read_text().replace("title: Russia's SCO presidency", "title: Russia's SCO presidenCY", 1)
    replacement.write_text(text)
    assert replacement.stat().st_size == before.st_size
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(replacement, registry)
    assert registry.stat().st_mtime_ns == before.st_mtime_ns
    assert "Russia's SCO presidenCY" in titles(sco_cal, registry, "2020")


def test_git_checkout_of_an_older_version(sco_cal: Run, tmp_path: Path, cache: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    registry = repo / "r.yaml"
    big_registry(registry)

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                       check=True, capture_output=True)  # fmt: skip

    git("init", "-q")
    git("add", "r.yaml")
    git("commit", "-qm", "old")
    assert sco_cal("-r", registry, "add", "Added later", "--id", "added-later", "--date", "2020-06-15").code == 0
    assert "added-later" in ids(sco_cal, registry, "June 2020")
    git("checkout", "--", "r.yaml")
    assert "added-later" not in ids(sco_cal, registry, "June 2020")


def test_folder_registry_sees_new_and_removed_files(sco_cal: Run, tmp_path: Path, cache: Path) -> None:
    folder = tmp_path / "reg"
    folder.mkdir()
    big_registry(folder / "main.yaml")
    assert "extra" not in ids(sco_cal, folder, "June 2020")
    (folder / "extra.yaml").write_text("events:\n  - id: extra\n    title: Extra\n    start: 2020-06-02\n")
    assert "extra" in ids(sco_cal, folder, "June 2020")
    (folder / "extra.yaml").unlink()
    assert "extra" not in ids(sco_cal, folder, "June 2020")


def test_deleted_or_corrupt_index_is_rebuilt(sco_cal: Run, tmp_path: Path, cache: Path) -> None:
    registry = tmp_path / "r.yaml"
    big_registry(registry)
    expected = ids(sco_cal, registry, "June 2020")
    (index_file,) = cache.glob("*.sqlite3")
    index_file.write_bytes(b"this is not a database")
    assert ids(sco_cal, registry, "June 2020") == expected
    index_file.unlink()
    assert ids(sco_cal, registry, "June 2020") == expected
    assert index_file.exists()


def test_unwritable_cache_folder_only_costs_time(sco_cal: Run, tmp_path: Path) -> None:
    registry = tmp_path / "r.yaml"
    big_registry(registry)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    result = sco_cal("-r", registry, "list", "June 2020", "--format", "json", env={"SCO_CAL_CACHE": str(blocked)})
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    assert len(json.loads(result.stdout)["events"]) == 300


def test_an_invalid_registry_is_never_answered_from_the_index(sco_cal: Run, tmp_path: Path, cache: Path) -> None:
    registry = tmp_path / "r.yaml"
    big_registry(registry)
    ids(sco_cal, registry, "June 2020")
    registry.write_text(registry.read_text().replace("start: 2020-06\n", "start: 2020-13\n", 1))
    result = sco_cal("-r", registry, "list", "June 2020")
    assert result.code == 3
    assert "2020-13 is not a month" in result.stderr


def test_remind_through_the_index_gives_what_a_parse_gives(sco_cal: Run, tmp_path: Path, cache: Path) -> None:
    registry = tmp_path / "r.yaml"
    big_registry(registry)
    args = ["-r", registry, "remind", "--now", "2020-05-25T09:00:00Z", "--dry-run", "--format", "json"]
    args += ["--ledger", tmp_path / "ledger.json"]
    cold, warm = sco_cal(*args), sco_cal(*args)
    assert list(cache.glob("*.sqlite3")), "the index was built"
    plain = sco_cal(*args, env={"SCO_CAL_CACHE": "off"})
    assert cold.code == warm.code == plain.code == 0, plain.stderr
    given = json.loads(plain.stdout)["reminders"]
    assert given, "the June 2020 meeting's 7-day reminder is due"
    assert json.loads(cold.stdout)["reminders"] == json.loads(warm.stdout)["reminders"] == given


def same_name_twice(tmp_path: Path) -> tuple[Path, Path]:
    """Two big registries called r.yaml in two folders, of 60 and 70 copies of the example."""
    first, second = tmp_path / "a" / "r.yaml", tmp_path / "b" / "r.yaml"
    for registry, copies in ((first, 60), (second, 70)):
        registry.parent.mkdir()
        big_registry(registry, copies)
    return first, second


def test_registries_of_the_same_name_in_two_folders_keep_their_own_index(
    sco_cal: Run, tmp_path: Path, cache: Path
) -> None:
    first, second = same_name_twice(tmp_path)
    for _ in range(2):  # cold, then from the index
        assert len(ids(sco_cal, first, "June 2020")) == 60 * 5
        assert len(ids(sco_cal, second, "June 2020")) == 70 * 5
    assert sorted(path.name[:2] for path in cache.glob("*.sqlite3")) == ["r-", "r-"]


def test_an_index_of_another_registry_in_its_place_is_rebuilt_not_read(
    sco_cal: Run, tmp_path: Path, cache: Path
) -> None:
    first, second = same_name_twice(tmp_path)
    assert len(ids(sco_cal, first, "June 2020")) == 60 * 5
    (built,) = cache.glob("*.sqlite3")
    kept = built.read_bytes()
    assert len(ids(sco_cal, second, "June 2020")) == 70 * 5
    (other,) = set(cache.glob("*.sqlite3")) - {built}
    other.write_bytes(kept)  # as if the two names collided: the second finds the first's index
    assert len(ids(sco_cal, second, "June 2020")) == 70 * 5


def test_a_save_that_makes_a_registry_big_builds_its_index(sco_cal: Run, tmp_path: Path, cache: Path) -> None:
    source = tmp_path / "big.yaml"
    big_registry(source)
    feed = tmp_path / "feed.ics"
    assert sco_cal("-r", source, "export", "-o", feed, "--quiet", env={"SCO_CAL_CACHE": "off"}).code == 0
    target = tmp_path / "new.yaml"
    assert sco_cal("-r", target, "init").code == 0
    assert not list(cache.glob("*.sqlite3"))  # a new registry is too small for an index
    result = sco_cal("-r", target, "import", feed)
    assert result.code == 0, result.stderr
    assert target.stat().st_size > INDEX_FROM_BYTES
    assert [path.name[:4] for path in cache.glob("*.sqlite3")] == ["new-"]  # built by the import's save
