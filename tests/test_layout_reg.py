"""The registry's layout holds: one editing contract for both editors, typed operations, a facade that loads only
the read side, and derived copies swapped in by the one atomic replace, leaving nothing behind on a failure."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MOSCOW_HEADER, digest

from sco_cal import storage
from sco_cal.cache import building, index, snapshot
from sco_cal.cache.store import fingerprint
from sco_cal.dates import DateValue
from sco_cal.errors import Conflict, EventNotFound, ScoCalError
from sco_cal.model import Event
from sco_cal.registry import INDEX_FROM_BYTES, Editor, editing, load
from sco_cal.registry.editors import IndexedEditor, WholeFileEditor
from sco_cal.registry.operations import Added, Removed, Replaced

SERIES = (
    "  - id: weekly\n    title: Weekly\n    start: 2030-01-07\n    recurrence: FREQ=WEEKLY\n"
    "    except: [2030-01-14]\n"
    "  - id: moved\n    title: Moved\n    start: 2030-01-15\n    occurrence_of: weekly\n    replaces: 2030-01-14\n"
    "  - id: cited\n    title: Cited\n    start: 2030-02\n"
    "  - id: citing\n    title: Citing\n    start: 2030-03\n    related: [cited]\n"
)


def write_registry(path: Path, *, big: bool) -> None:
    """The series, its moved occurrence and a related pair; padded past the index threshold when ``big``."""
    padding = "".join(
        f"  - id: pad-{n}\n    title: Padding event number {n} of a big registry\n    start: 2031-01\n"
        for n in range(INDEX_FROM_BYTES // 60 if big else 0)
    )
    path.write_text(MOSCOW_HEADER + SERIES + padding, encoding="utf-8")
    assert (path.stat().st_size >= INDEX_FROM_BYTES) == big


@pytest.fixture(params=[False, True], ids=["whole-file", "indexed"])
def registry_path(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / "r.yaml"
    write_registry(path, big=request.param)
    return path


REFUSALS: list[tuple[Callable[[Editor], None], type[ScoCalError], str]] = [
    (
        lambda e: e.add(Event(id="cited", title="Again")),
        Conflict,
        "id: 'cited' is already used; choose another with --id",
    ),
    (lambda e: e.add(Event(id="n", title="N", related=("ghost",))), Conflict, "related: no event has the id 'ghost'"),
    (
        lambda e: e.add(Event(id="n", title="N", occurrence_of="ghost", replaces=DateValue.from_text("2030-01-21"))),
        Conflict,
        "occurrence_of: no event has the id 'ghost'",
    ),
    (lambda e: e.update(Event(id="ghost", title="Ghost")), EventNotFound, "ghost"),
    (lambda e: e.remove("ghost"), EventNotFound, "ghost"),
    (lambda e: e.remove("cited"), Conflict, "'cited' is named in 'related' by citing; remove it there first"),
    (lambda e: e.remove("weekly"), Conflict, "'weekly' has moved occurrences (moved); remove those first"),
]


@pytest.mark.parametrize(("change", "error", "message"), REFUSALS)
def test_both_editors_refuse_the_same_changes_with_the_same_words(
    registry_path: Path, tmp_path: Path, change: Callable[[Editor], None], error: type[ScoCalError], message: str
) -> None:
    before = digest(registry_path)
    with editing(registry_path, cache_dir=tmp_path / "cache") as editor:
        assert isinstance(editor, Editor)
        with pytest.raises(error, match=re.escape(message)):
            change(editor)
    assert digest(registry_path) == before, "a refusal writes nothing"


def test_each_change_is_recorded_as_a_typed_operation(registry_path: Path, tmp_path: Path) -> None:
    big = registry_path.stat().st_size >= INDEX_FROM_BYTES
    added = Event(id="added", title="Added", start=DateValue.from_text("2030-05"))
    with editing(registry_path, cache_dir=tmp_path / "cache") as editor:
        assert type(editor) is (IndexedEditor if big else WholeFileEditor)
        editor.add(added)
        editor.update(load(registry_path).get("cited").with_changes(title="Cited, renamed"))
        editor.remove("citing")
        recorded = list(editor.operations)
    assert [type(operation) for operation in recorded] == [Added, Replaced, Removed]
    assert [operation.verb for operation in recorded] == ["add", "edit", "remove"]
    events = {event.id: event for event in load(registry_path).events}
    assert events["added"] == added
    assert events["cited"].title == "Cited, renamed"
    assert "citing" not in events


def test_the_registry_facade_loads_only_the_read_side() -> None:
    probe = (
        "import sys, sco_cal.registry\n"
        "heavy = ['yaml', 'sqlite3', *(f'sco_cal.registry.{name}' for name in ('editors', 'commit', 'writing'))]\n"
        "print([name for name in heavy if name in sys.modules])\n"
        "from sco_cal.registry import Editor, editing, undo\n"
        "print(editing.__module__, Editor.__module__, undo.__module__)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == [
        "[]",
        "sco_cal.registry.writing sco_cal.registry.editors sco_cal.registry.journal",
    ]


@pytest.mark.parametrize("kind", ["snapshot", "index"])
def test_a_derived_copy_that_cannot_be_swapped_in_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    path, cache = tmp_path / "r.yaml", tmp_path / "cache"
    write_registry(path, big=kind == "index")
    registry = load(path)
    located = [(event, *registry.location(event.id)) for event in registry.events]
    expected = fingerprint([path])

    def fail(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", fail)
    write = snapshot.write if kind == "snapshot" else building.build
    write(cache, path, expected, registry.header, iter(located))  # a failure costs the copy, never the run
    assert list(cache.iterdir()) == []
    monkeypatch.undo()
    write(cache, path, expected, registry.header, iter(located))
    (made,) = cache.iterdir()
    assert not made.name.startswith("."), "the copy itself, no temporary file"
    opened = (snapshot.open_fresh if kind == "snapshot" else index.open_fresh)(cache, path, expected)
    assert opened is not None
    assert [found.event for found in opened.all()] == list(registry.events)
    if isinstance(opened, index.RegistryIndex):
        opened.close()


def test_a_save_replaces_the_file_in_place_of_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    write_registry(real, big=False)
    link = tmp_path / "link.yaml"
    os.symlink(real, link)
    with editing(link) as editor:
        editor.add(Event(id="through-link", title="Through the link"))
    assert link.is_symlink()
    assert "through-link" in load(real)
