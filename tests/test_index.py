"""The derived copies (the index of a big registry, the snapshot of a small one) are disposable: whatever
happens to the registry or to them, answers are the registry's own."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import EXAMPLE, Result

from sco_cal.cache import index
from sco_cal.cache.store import fingerprint
from sco_cal.dates import DateValue
from sco_cal.model import Event
from sco_cal.registry import INDEX_FROM_BYTES, editing, load
from sco_cal.registry.editors import IndexedEditor

Run = Callable[..., Result]


def registry_of(path: Path, copies: int) -> None:
    """The example's events ``copies`` times over, each copy's ids prefixed ``c0-``, ``c1-``, ..."""
    body = EXAMPLE.read_text(encoding="utf-8")
    head, events = body.split("events:\n", 1)
    parts = [head, "events:\n"]
    for copy in range(copies):
        parts.append(events.replace("  - id: ", f"  - id: c{copy}-").replace("related: [", f"related: [c{copy}-"))
    path.write_text("".join(parts), encoding="utf-8")


def big_registry(path: Path, copies: int = 60) -> None:
    """Well above the size that gets an index."""
    registry_of(path, copies)
    assert path.stat().st_size > INDEX_FROM_BYTES


@dataclass(frozen=True)
class Size:
    """A registry size, and the derived file that size gets."""

    copies: int
    suffix: str

    def write(self, path: Path) -> None:
        registry_of(path, self.copies)
        assert (path.stat().st_size >= INDEX_FROM_BYTES) == (self.suffix == ".sqlite3")


@pytest.fixture(params=[Size(1, ".pickle"), Size(60, ".sqlite3")], ids=["small-snapshot", "big-index"])
def size(request: pytest.FixtureRequest) -> Size:
    chosen: Size = request.param
    return chosen


def ids(sco_cal: Run, registry: Path, *args: str) -> list[str]:
    result = sco_cal("-r", registry, "list", *args, "--format", "json")
    assert result.code == 0, result.stderr
    return [event["id"] for event in json.loads(result.stdout)["events"]]


def titles(sco_cal: Run, registry: Path, window: str) -> list[str]:
    result = sco_cal("-r", registry, "list", window, "--format", "json")
    assert result.code == 0, result.stderr
    return [event["title"] for event in json.loads(result.stdout)["events"]]


def test_answers_match_a_fresh_parse(sco_cal: Run, tmp_path: Path, cache: Path, size: Size) -> None:
    registry = tmp_path / "r.yaml"
    size.write(registry)
    cold = ids(sco_cal, registry, "June 2020")
    assert [path.suffix for path in cache.iterdir()] == [size.suffix], "the first read derives its copy"
    warm = ids(sco_cal, registry, "June 2020")
    uncached = sco_cal("-r", registry, "list", "June 2020", "--format", "json", env={"SCO_CAL_CACHE": "off"})
    assert cold == warm == [e["id"] for e in json.loads(uncached.stdout)["events"]]
    assert len(warm) == size.copies * 5
    everything = ids(sco_cal, registry)
    assert sorted(everything) == sorted(e.id for e in load(registry).events)
    plain = sco_cal("-r", registry, "list", "--format", "json", env={"SCO_CAL_CACHE": "off"})
    assert everything == [e["id"] for e in json.loads(plain.stdout)["events"]]
    shown = sco_cal("-r", registry, "show", "c0-sco-ewg-07", "--format", "json")
    assert json.loads(shown.stdout)["event"]["title"].startswith("7th meeting")


def test_a_warm_read_does_not_load_the_yaml_reader(tmp_path: Path, cache: Path, size: Size) -> None:
    """The point of the derived copy: an unchanged registry is answered without PyYAML or the schema."""
    registry = tmp_path / "r.yaml"
    size.write(registry)
    probe = (
        "import sys; from pathlib import Path; from sco_cal.registry import load\n"
        f"registry = load(Path({str(registry)!r}), cache_dir=Path({str(cache)!r}))\n"
        "print(len(registry.events), 'yaml' in sys.modules, 'sco_cal.registry.yaml.reader' in sys.modules)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True) for _ in range(2)]
    assert [run.stdout.split() for run in runs] == [
        [str(size.copies * 8), "True", "True"],  # cold: parsed, and the copy derived
        [str(size.copies * 8), "False", "False"],
    ], [run.stderr for run in runs]


def test_a_hand_edit_is_seen_at_once(sco_cal: Run, tmp_path: Path, cache: Path, size: Size) -> None:
    registry = tmp_path / "r.yaml"
    size.write(registry)
    assert "Renamed by hand" not in titles(sco_cal, registry, "June 2020")
    text = registry.read_text().replace(
        "title: Joint meeting of the heads of defence agencies of the SCO, CIS and CSTO", "title: Renamed by hand", 1
    )
    registry.write_text(text)
    assert "Renamed by hand" in titles(sco_cal, registry, "June 2020")


def test_same_size_and_mtime_replacement_is_seen(sco_cal: Run, tmp_path: Path, cache: Path, size: Size) -> None:
    registry = tmp_path / "r.yaml"
    size.write(registry)
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


def test_git_checkout_of_an_older_version(sco_cal: Run, tmp_path: Path, cache: Path, size: Size) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    registry = repo / "r.yaml"
    size.write(registry)

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


def test_folder_registry_sees_new_and_removed_files(sco_cal: Run, tmp_path: Path, cache: Path, size: Size) -> None:
    folder = tmp_path / "reg"
    folder.mkdir()
    size.write(folder / "main.yaml")
    assert "extra" not in ids(sco_cal, folder, "June 2020")
    (folder / "extra.yaml").write_text("events:\n  - id: extra\n    title: Extra\n    start: 2020-06-02\n")
    assert "extra" in ids(sco_cal, folder, "June 2020")
    (folder / "extra.yaml").unlink()
    assert "extra" not in ids(sco_cal, folder, "June 2020")


def test_deleted_or_corrupt_copy_is_made_again(sco_cal: Run, tmp_path: Path, cache: Path, size: Size) -> None:
    registry = tmp_path / "r.yaml"
    size.write(registry)
    expected = ids(sco_cal, registry, "June 2020")
    (derived,) = cache.glob(f"*{size.suffix}")
    for damage in (b"this is not a database", derived.read_bytes()[: derived.stat().st_size // 2]):
        derived.write_bytes(damage)
        assert ids(sco_cal, registry, "June 2020") == expected
        assert derived.read_bytes() != damage, "the damaged copy was replaced"
    derived.unlink()
    assert ids(sco_cal, registry, "June 2020") == expected
    assert derived.exists()


def test_unwritable_cache_folder_only_costs_time(sco_cal: Run, tmp_path: Path, size: Size) -> None:
    registry = tmp_path / "r.yaml"
    size.write(registry)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o555)
    for cache in (blocked, read_only):
        for _ in range(2):
            result = sco_cal("-r", registry, "list", "June 2020", "--format", "json", env={"SCO_CAL_CACHE": str(cache)})
            assert result.code == 0, result.stderr
            assert result.stderr == ""
            assert len(json.loads(result.stdout)["events"]) == size.copies * 5
    if os.geteuid() != 0:  # root writes through the mode bits anyway
        assert not list(read_only.iterdir())


def test_an_invalid_registry_is_never_answered_from_a_copy(
    sco_cal: Run, tmp_path: Path, cache: Path, size: Size
) -> None:
    registry = tmp_path / "r.yaml"
    size.write(registry)
    ids(sco_cal, registry, "June 2020")
    registry.write_text(registry.read_text().replace("start: 2020-06\n", "start: 2020-13\n", 1))
    result = sco_cal("-r", registry, "list", "June 2020")
    assert result.code == 3
    assert "2020-13 is not a month" in result.stderr


def test_remind_through_a_copy_gives_what_a_parse_gives(sco_cal: Run, tmp_path: Path, cache: Path, size: Size) -> None:
    registry = tmp_path / "r.yaml"
    size.write(registry)
    args = ["-r", registry, "remind", "--now", "2020-05-25T09:00:00Z", "--dry-run", "--format", "json"]
    args += ["--ledger", tmp_path / "ledger.json"]
    cold, warm = sco_cal(*args), sco_cal(*args)
    assert list(cache.glob(f"*{size.suffix}")), "the copy was derived"
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
    assert sco_cal("-r", target, "list").code == 0
    assert [path.suffix for path in cache.glob("new-*")] == [".pickle"]  # a new registry is too small for an index
    result = sco_cal("-r", target, "import", feed)
    assert result.code == 0, result.stderr
    assert target.stat().st_size > INDEX_FROM_BYTES
    # built by the import's save, and the snapshot of the small registry it was is gone
    assert [path.suffix for path in cache.glob("new-*")] == [".sqlite3"]


def test_an_edit_of_a_big_registry_builds_its_stale_index_first(tmp_path: Path, cache: Path) -> None:
    """A whole-file edit keeps every YAML node (gigabytes at 100,000 events); an edit goes through the index."""
    registry = tmp_path / "r.yaml"
    big_registry(registry)
    assert not cache.exists()  # never read: no index yet
    with editing(registry, cache_dir=cache) as editor:
        assert isinstance(editor, IndexedEditor)
        editor.add(Event(id="added", title="Added", start=DateValue.from_text("2020-06-15")))
    assert len(list(cache.glob("*.sqlite3"))) == 1
    fresh = index.open_fresh(cache, registry, fingerprint([registry]))
    assert fresh is not None, "built, then brought up to date with the edit"
    found = fresh.get("added")
    fresh.close()
    assert found is not None
    assert found.line == load(registry).location("added")[1]


def test_an_edit_with_the_cache_off_indexes_in_a_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    registry = tmp_path / "r.yaml"
    big_registry(registry)
    with editing(registry, cache_dir=None) as editor:
        assert isinstance(editor, IndexedEditor)
        assert list(scratch.iterdir()), "the index of this edit"
        editor.update(load(registry).get("c3-sco-ewg-07").with_changes(title="Renamed"))
    assert list(scratch.iterdir()) == [], "and it is gone"
    assert load(registry).get("c3-sco-ewg-07").title == "Renamed"
