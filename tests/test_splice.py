"""An edit through the index (only the changed event's lines parsed) writes exactly what the whole-file edit
writes, and leaves the index answering exactly what a fresh parse answers."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import DATA, EXAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sco_cal.cache import index, store
from sco_cal.dates import DateValue
from sco_cal.model import Event, Status, Venue
from sco_cal.registry import INDEX_FROM_BYTES, Registry, editing, load
from sco_cal.registry import assemble as assemble_module
from sco_cal.registry import editors as editors_module
from sco_cal.registry import writing as writing_module
from sco_cal.registry.editors import IndexedEditor, WholeFileEditor

SEEDS = {"example": EXAMPLE, "commented": DATA / "registries" / "commented.yaml"}


def inflate(seed: Path, target: Path) -> None:
    """Renamed copies of a seed's events, keeping its comments, spacing and odd layouts, until the file is big
    enough to be indexed."""
    head, events = seed.read_text(encoding="utf-8").split("events:\n", 1)
    body = [head, "events:\n"]
    copies = INDEX_FROM_BYTES // len(events.encode()) + 2
    for copy in range(copies):
        renamed = events.replace("id: ", f"id: k{copy}-").replace("related: [", f"related: [k{copy}-")
        body.append(renamed if renamed.endswith("\n") else renamed + "\n")
    target.write_text("".join(body), encoding="utf-8")


NEW = Event(id="brand-new", title="Brand new: added", start=DateValue.from_text("2031-06"), tags=("NO",))


def operations(registry: Registry) -> st.SearchStrategy[tuple[str, str, Event]]:
    ids = sorted(event.id for event in registry.events if not event.related)
    new = Event(id="brand-new", title="Brand new: added", start=DateValue.from_text("2031-06"), tags=("NO",))
    return st.tuples(
        st.sampled_from(["add", "update", "remove", "retitle", "move"]), st.sampled_from(ids), st.just(new)
    )


def apply(path: Path, kind: str, target: str, new: Event, cache_dir: Path | None) -> type[object]:
    with editing(path, cache_dir=cache_dir) as editor:
        if kind == "add":
            editor.add(new)
        elif kind == "remove":
            if any(target in e.related for e in editor.registry.events):
                return type(editor)
            editor.remove(target)
        else:
            event = editor.registry.get(target)
            changes = {
                "update": {"status": Status.CANCELLED, "venue": Venue("Astana", "Kazakhstan")},
                "retitle": {"title": event.title + " (renamed)", "notes": "Two\nlines"},
                "move": {"start": DateValue.from_text("2031-02-03"), "end": None},
            }[kind]
            editor.update(replace(event, **changes))  # type: ignore[arg-type]
        return type(editor)


@contextlib.contextmanager
def whole_file_edits() -> Iterator[None]:
    """The reference: every edit of a big registry parses the whole file with its nodes, as before the index."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writing_module, "index_for_editing", lambda *_args: None)
        yield


def apply_all(path: Path, steps: list[tuple[str, str, Event]], cache_dir: Path | None) -> type[object]:
    """Every step in one save, as an import makes them."""
    with editing(path, cache_dir=cache_dir) as editor:
        for number, (kind, target, new) in enumerate(steps):
            if kind == "add":
                editor.add(replace(new, id=f"brand-new-{number}"))
            elif kind == "remove":
                editor.remove(target)
            else:
                event = editor.registry.get(target)
                editor.update(replace(event, title=f"{event.title} ({kind})", status=Status.CANCELLED))
        return type(editor)


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_a_save_of_many_edits_through_the_index_writes_what_whole_file_edits_write(
    tmp_path_factory: pytest.TempPathFactory, seed: str
) -> None:
    base = tmp_path_factory.mktemp("base") / "r.yaml"
    inflate(SEEDS[seed], base)
    registry = load(base)
    named = {other for event in registry.events for other in event.related}
    ids = sorted(event.id for event in registry.events if not event.related and event.id not in named)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        targets=st.lists(st.sampled_from(ids), min_size=1, max_size=6, unique=True),
        kinds=st.lists(st.sampled_from(["add", "update", "remove"]), min_size=6, max_size=6),
    )
    def check(targets: list[str], kinds: list[str]) -> None:
        steps = [(kind, target, NEW) for kind, target in zip(kinds, targets, strict=False)]
        folder = tmp_path_factory.mktemp("case")
        quick, thorough, cache = folder / "quick.yaml", folder / "thorough.yaml", folder / "cache"
        shutil.copyfile(base, quick)
        shutil.copyfile(base, thorough)
        load(quick, cache_dir=cache)
        assert apply_all(quick, steps, cache) is IndexedEditor
        with whole_file_edits():
            assert apply_all(thorough, steps, None) is WholeFileEditor
        assert quick.read_bytes() == thorough.read_bytes()
        assert load(quick, cache_dir=cache).events == load(quick).events, "the index follows the save"

    check()


def test_an_import_sized_save_splices_instead_of_parsing_the_whole_file(tmp_path: Path) -> None:
    registry, cache = tmp_path / "r.yaml", tmp_path / "cache"
    inflate(EXAMPLE, registry)
    load(registry, cache_dir=cache)
    whole_file_parses = []
    real = assemble_module.parse_all

    def spy(path: Path, *, keep_nodes: bool = False) -> object:
        whole_file_parses.append(keep_nodes)
        return real(path, keep_nodes=keep_nodes)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assemble_module, "parse_all", spy)  # the read that builds an index
        patch.setattr(editors_module, "parse_all", spy)  # the read of a whole-file edit
        steps = [("update", "k1-sco-ewg-07", NEW), ("remove", "k2-sco-founding-2001", NEW), ("add", "", NEW)]
        assert apply_all(registry, [*steps, ("add", "", NEW)], cache) is IndexedEditor
    assert True not in whole_file_parses, "no parse kept the YAML nodes of the whole file"
    events = {event.id: event for event in load(registry).events}
    assert "k2-sco-founding-2001" not in events
    assert events["k1-sco-ewg-07"].status is Status.CANCELLED
    assert {"brand-new-2", "brand-new-3"} <= set(events)


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_indexed_edits_write_what_whole_file_edits_write(tmp_path_factory: pytest.TempPathFactory, seed: str) -> None:
    base = tmp_path_factory.mktemp("base") / "r.yaml"
    inflate(SEEDS[seed], base)
    registry = load(base)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(steps=st.lists(operations(registry), min_size=1, max_size=4))
    def check(steps: list[tuple[str, str, Event]]) -> None:
        folder = tmp_path_factory.mktemp("case")
        quick, thorough, cache = folder / "quick.yaml", folder / "thorough.yaml", folder / "cache"
        shutil.copyfile(base, quick)
        shutil.copyfile(base, thorough)
        load(quick, cache_dir=cache)  # builds the index
        done: set[str] = set()
        for kind, target, new in steps:
            if target in done or (kind == "add" and "brand-new" in done):
                continue
            done.add("brand-new" if kind == "add" else target)
            used = apply(quick, kind, target, new, cache)
            assert used is IndexedEditor, "a fresh index serves the edit"
            with whole_file_edits():
                assert apply(thorough, kind, target, new, None) is WholeFileEditor
            assert quick.read_bytes() == thorough.read_bytes()
        fingerprint = store.fingerprint([quick])
        fresh = index.open_fresh(cache, quick, fingerprint)
        assert fresh is not None, "the edit brought the index up to date"
        indexed = Registry.from_index(quick, fresh)
        parsed = load(quick)
        assert indexed.events == parsed.events
        assert [indexed.location(e.id) for e in parsed.events] == [parsed.location(e.id) for e in parsed.events]
        fresh.close()

    check()
