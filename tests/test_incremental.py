"""After a hand edit of a big registry, only what changed is read again, and the answer is always the full
parse's: the same events, files and lines, header, and the same first problem (file, line, column, wording)."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SCO_CAL, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_index import big_registry, registry_of

from sco_cal.errors import InvalidRegistry
from sco_cal.registry import load

Run = Callable[..., Result]
FIRST_ITEM = re.compile(r"^events:\n(?:[ \t]*#.*\n|[ \t]*\n)*( *)- ", re.MULTILINE)


def _items(text: str) -> tuple[str, list[str], str]:
    """The text before the events list, each item's text, and the text after (none in these registries).

    Items are found at the first item's indentation, which an earlier edit of a sequence may have changed."""
    found = FIRST_ITEM.search(text)
    assert found is not None
    item = re.compile(rf"^{found.group(1)}- ", re.MULTILINE)
    starts = [match.start() for match in item.finditer(text, found.start(1))]
    return text[: starts[0]], [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)], ""


def _edit(text: str, kind: str, k: int, j: int) -> str:
    head, items, tail = _items(text)
    k, j = k % len(items), j % len(items)
    item = items[k]
    if kind == "title":
        items[k] = re.sub(r"title: [^\n]*", f"title: Retitled {j}", item, count=1)
    elif kind == "comment":
        lines = item.split("\n")
        lines.insert(1 + j % max(1, len(lines) - 2), "    # a note added by hand")
        items[k] = "\n".join(lines)
    elif kind == "remove":
        del items[k]
    elif kind == "move":
        items.insert(j, items.pop(k))
    elif kind == "add":
        items.insert(j, re.sub(r"id: ([^\n]*)", rf"id: \1-new{j}", item, count=1))
    elif kind == "duplicate":
        items.insert(j, item)
    elif kind == "indent":
        return head + ("  " + "".join(items)).replace("\n", "\n  ").rstrip(" ") + tail
    elif kind == "flow":
        items[k] = f"  - {{id: flow-{j}, title: A flow event, kind: meeting, start: 2031-01-0{1 + j % 9}}}\n"
    elif kind == "break":
        items[k] = item.replace("title: ", "title: [unclosed ", 1)
    elif kind == "tab":
        items[k] = item.replace("\n    ", "\n\t  ", 1)
    elif kind == "header":
        head = head.replace("name: ", f"name: Renamed {j} ", 1)
    elif kind == "related":
        items[k] = re.sub(r"(\n    title: )", rf"\n    related: [nowhere-{j}]\1", item, count=1)
    elif kind == "unexcept":
        return text.replace("    except: [2031-01-13]\n", "", 1)
    elif kind == "series":
        return text.replace("title: Weekly series", f"title: Weekly series {j}", 1)
    elif kind == "zone":
        items[k] = re.sub(r"start: [^\n]*", "start: 2031-03-30T02:30", item, count=1)
    return head + "".join(items) + tail


def _answer(path: Path, cache: Path | None) -> object:
    """What a read gives: every event with its file and line and the header, or the problem it stops at."""
    try:
        registry = load(path, cache_dir=cache)
    except InvalidRegistry as problem:
        return ("problem", str(problem), problem.path, problem.line, problem.column)
    located = [(event, registry.location(event.id)) for event in registry.events]
    return ("events", registry.header, located)


SERIES = (
    "  - id: weekly-series\n    title: Weekly series\n    kind: meeting\n    start: 2031-01-06\n"
    "    recurrence: FREQ=WEEKLY\n    except: [2031-01-13]\n"
    "  - id: moved-occurrence\n    title: Moved\n    kind: meeting\n    start: 2031-01-14\n"
    "    occurrence_of: weekly-series\n    replaces: 2031-01-13\n"
)
EDITS = st.sampled_from(
    [
        "title",
        "comment",
        "remove",
        "move",
        "add",
        "duplicate",
        "indent",
        "flow",
        "break",
        "tab",
        "header",
        "related",
        "zone",
        "touch",
    ]
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds=st.lists(st.tuples(EDITS, st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=3))
def test_a_read_after_hand_edits_is_the_full_parse(tmp_path_factory: pytest.TempPathFactory, rounds: list) -> None:
    folder = tmp_path_factory.mktemp("edits")
    path, cache = folder / "big.yaml", folder / "cache"
    big_registry(path, copies=12)
    path.write_text(path.read_text(encoding="utf-8") + SERIES, encoding="utf-8")
    assert _answer(path, cache) == _answer(path, None)
    for kind, k, j in rounds:
        text = path.read_text(encoding="utf-8")
        path.write_text(_edit(text, kind, k, j), encoding="utf-8")
        assert _answer(path, cache) == _answer(path, None), kind


def test_an_edit_that_moves_events_across_pieces_is_read_right(tmp_path: Path) -> None:
    path, cache = tmp_path / "big.yaml", tmp_path / "cache"
    big_registry(path, copies=80)
    _answer(path, cache)
    text = path.read_text(encoding="utf-8")
    for kind, k, j in [("move", 3, 700), ("move", 650, 2), ("remove", 399, 0), ("add", 401, 5)]:
        text = _edit(text, kind, k, j)
        path.write_text(text, encoding="utf-8")
        assert _answer(path, cache) == _answer(path, None), kind


def test_the_index_is_patched_not_rebuilt(tmp_path: Path) -> None:
    """The index file stays the same file (patched in place), and only the edited event's row is new."""
    path, cache = tmp_path / "big.yaml", tmp_path / "cache"
    big_registry(path)
    load(path, cache_dir=cache)
    (index_file,) = cache.iterdir()
    before = index_file.stat()
    path.write_text(_edit(path.read_text(encoding="utf-8"), "title", 5, 1), encoding="utf-8")
    registry = load(path, cache_dir=cache)
    assert registry.get(registry.events[5].id).title == "Retitled 1"
    after = index_file.stat()
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)


def _two_runs(sco_cal: Run, path: Path, *args: str) -> tuple[Result, Result]:
    cached = sco_cal("--registry", path, *args)
    full = sco_cal("--registry", path, *args, env={"SCO_CAL_CACHE": "off"})
    return cached, full


def test_the_next_query_and_validate_see_a_hand_edit(sco_cal: Run, tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    big_registry(path)
    assert sco_cal("--registry", path, "list").code == 0
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Peace Mission joint", "title: Hand-edited Peace Mission joint", 1))
    cached, full = _two_runs(sco_cal, path, "list")
    assert "Hand-edited Peace Mission" in cached.stdout
    assert (cached.code, cached.stdout, cached.stderr) == (full.code, full.stdout, full.stderr)
    _, items, _ = _items(path.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8") + items[3])  # an event twice: its id is used twice
    cached, full = _two_runs(sco_cal, path, "validate")
    assert cached.code != 0
    assert "is already used at" in cached.stdout
    assert (cached.code, cached.stdout, cached.stderr) == (full.code, full.stdout, full.stderr)
    cached, full = _two_runs(sco_cal, path, "list")
    assert cached.code != 0
    assert (cached.code, cached.stdout, cached.stderr) == (full.code, full.stdout, full.stderr)


def test_a_run_killed_while_patching_the_index_leaves_a_sound_one(sco_cal: Run, tmp_path: Path) -> None:
    """Killed at random moments of the read that patches the index, the next run answers as a full parse."""
    assert SCO_CAL is not None
    path = tmp_path / "big.yaml"
    big_registry(path, copies=300)
    env = {**os.environ, "SCO_CAL_CACHE": str(tmp_path / "cache")}
    assert sco_cal("--registry", path, "list", env=env).code == 0
    chance = random.Random(15)
    for round_number in range(6):
        text = _edit(path.read_text(encoding="utf-8"), "title", chance.randrange(2000), round_number)
        path.write_text(_edit(text, "remove", chance.randrange(2000), 0), encoding="utf-8")
        started = subprocess.Popen([str(SCO_CAL), "--registry", str(path), "list"], env=env, stdout=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.05, 0.6))
        started.send_signal(signal.SIGKILL)
        started.wait()
        cached = sco_cal("--registry", path, "list", env=env)
        full = sco_cal("--registry", path, "list", env={"SCO_CAL_CACHE": "off"})
        assert cached.code == 0
        assert (cached.stdout, cached.stderr) == (full.stdout, full.stderr)


def _validate_both(sco_cal: Run, path: Path, cache: Path) -> Result:
    cached = sco_cal("--registry", path, "validate", env={"SCO_CAL_CACHE": str(cache)})
    full = sco_cal("--registry", path, "validate", env={"SCO_CAL_CACHE": "off"})
    assert (cached.code, cached.stdout, cached.stderr) == (full.code, full.stdout, full.stderr)
    return cached


WARNED = "  - id: warned-{0}\n    title: A quarter that ends inside itself\n    kind: meeting\n    start: 2031-Q3\n" + (
    "    end: 2031-07-15\n"
)


def test_validate_answers_from_the_index_as_a_full_parse_would(sco_cal: Run, tmp_path: Path) -> None:
    path, cache = tmp_path / "big.yaml", tmp_path / "cache"
    big_registry(path)
    text = re.sub(r"\nuid_domain:[^\n]*", "", path.read_text(encoding="utf-8"))
    path.write_text(text + WARNED.format(1), encoding="utf-8")
    first = _validate_both(sco_cal, path, cache)
    assert first.code == 0
    assert "no problems" in first.stdout
    assert "uid_domain: not set" in first.stderr
    assert "warned-1: end: 2031-07-15 lies inside" in first.stderr
    (index_file,) = cache.iterdir()
    built = index_file.stat().st_ino
    assert _validate_both(sco_cal, path, cache) == first  # from the index, unchanged
    _, items, _ = _items(path.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8").replace(items[4], WARNED.format(0) + items[4], 1))
    second = _validate_both(sco_cal, path, cache)  # the index patched: the new warning, in file order
    assert second.code == 0
    assert second.stderr.index("warned-0") < second.stderr.index("warned-1")
    assert index_file.stat().st_ino == built
    path.write_text(path.read_text(encoding="utf-8").replace("start: 2031-Q3", "start: 2031-Q9", 1))
    assert _validate_both(sco_cal, path, cache).code != 0


def test_a_folder_registry_is_patched_file_by_file(tmp_path: Path) -> None:
    folder, cache = tmp_path / "registry", tmp_path / "cache"
    folder.mkdir()
    for number in range(3):
        registry_of(folder / f"part{number}.yaml", copies=5)
        text = (folder / f"part{number}.yaml").read_text(encoding="utf-8")
        (folder / f"part{number}.yaml").write_text(
            text.replace("id: c", f"id: p{number}-c").replace("[c", f"[p{number}-c")
        )
    assert _answer(folder, cache) == _answer(folder, None)
    for kind, k, j in [("title", 3, 1), ("remove", 5, 0), ("add", 2, 7), ("header", 0, 0), ("duplicate", 1, 2)]:
        target = folder / f"part{k % 3}.yaml"
        target.write_text(_edit(target.read_text(encoding="utf-8"), kind, k, j), encoding="utf-8")
        assert _answer(folder, cache) == _answer(folder, None), kind
    (folder / "part3.yaml").write_text(
        "events:\n  - id: late\n    title: Late\n    kind: meeting\n    start: 2031-01-01\n"
    )
    assert _answer(folder, cache) == _answer(folder, None)
