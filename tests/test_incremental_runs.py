"""After a hand edit of a big registry, the index matches unchanged runs of items from the front and the back
and reads only the changed middle; whatever the edit (at the front, at the back, across a run boundary, in the
first or last run, more or fewer events, a whole run replaced, a list that ends early), the answer is the full
parse's: the same events, files and lines, header, and the same first problem."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_incremental import SERIES, _answer, _items
from test_index import registry_of

from sco_cal.registry import load
from sco_cal.registry.yaml import items as items_module
from sco_cal.registry.yaml.runs import RUN_ITEMS

Run = Callable[..., Result]

WHERE = ["first", "second", "end-of-first-run", "boundary", "after-boundary", "last-run", "second-last", "last"]


def _spot(items: list[str], where: str, j: int) -> int:
    last = len(items) - 1
    spots = {
        "first": 0,
        "second": 1,
        "end-of-first-run": RUN_ITEMS - 1,
        "boundary": RUN_ITEMS,
        "after-boundary": RUN_ITEMS + 1,
        "last-run": last - RUN_ITEMS // 2,
        "second-last": last - 1,
        "last": last,
    }
    return max(0, min(spots.get(where, j % len(items)), last))


def _renamed(item: str, tag: str) -> str:
    return re.sub(r"id: ([^\n]*)", rf"id: \1-{tag}", item, count=1)


def _put(items: list[str], k: int, text: str) -> None:
    items[k] = text


def _retitled(item: str, title: str) -> str:
    return re.sub(r"title: [^\n]*", f"title: {title}", item, count=1)


def _flow(j: int) -> str:
    return f"  - {{id: flow-{j}, title: A flow event, kind: meeting, start: 2031-01-0{1 + j % 9}}}\n"


Change = Callable[[list[str], int, int], None]
CHANGES: dict[str, Change] = {
    "title": lambda items, k, j: _put(items, k, _retitled(items[k], f"Retitled {j}")),
    "comment": lambda items, k, j: _put(items, k, items[k].replace("\n", "\n    # checked by hand\n", 1)),
    "comment-after": lambda items, k, j: _put(items, k, items[k] + f"# between events {j}\n"),
    "blank-after": lambda items, k, j: _put(items, k, items[k] + "\n"),
    "join": lambda items, k, j: _put(items, k, items[k].rstrip("\n") + " "),
    "add": lambda items, k, j: items.insert(k, _renamed(items[k], f"new{j}")),
    "append": lambda items, k, j: items.append(_renamed(items[-1].rstrip("\n") + "\n", f"tail{j}")),
    "remove": lambda items, k, j: items.pop(k) if len(items) > 1 else None,
    "remove-to-end": lambda items, k, j: items.__delitem__(slice(max(k, 1), None)),
    "move": lambda items, k, j: items.insert(j % len(items), items.pop(k)),
    "replace-run": lambda items, k, j: items.__setitem__(
        slice(k, k + RUN_ITEMS), [_retitled(each, f"Replaced {j}") for each in items[k : k + RUN_ITEMS]]
    ),
    "remove-run": lambda items, k, j: items.__delitem__(slice(k, k + RUN_ITEMS)) if len(items) > RUN_ITEMS else None,
    # not the first item: the helper that finds the items needs the first one's '- ' to learn the indentation
    "dash-alone": lambda items, k, j: _put(items, k or 1, items[k or 1].replace("  - id:", "  -\n    id:", 1)),
    "reindent-item": lambda items, k, j: _put(items, k, " " + items[k].replace("\n", "\n ").rstrip(" ")),
    "ending-line": lambda items, k, j: _put(items, k, items[k] + "  stray: 1\n"),
    "top-key": lambda items, k, j: _put(items, k, items[k] + "notes: a key after the list\n"),
    "no-final-newline": lambda items, k, j: _put(items, -1, items[-1].rstrip("\n")),
    "crlf": lambda items, k, j: _put(items, k, items[k].replace("\n", "\r\n")),
    "break": lambda items, k, j: _put(items, k, items[k].replace("title: ", "title: [unclosed ", 1)),
    "duplicate": lambda items, k, j: items.insert(j % len(items), items[k]),
    "flow": lambda items, k, j: _put(items, k, _flow(j)),
    "touch": lambda items, k, j: None,
}


def _edit(text: str, kind: str, where: str, j: int) -> str:
    head, items, tail = _items(text)
    if kind == "header":
        return head.replace("name: ", f"name: Renamed {j} ", 1) + "".join(items) + tail
    if kind == "after-list":
        return text + ("" if text.endswith("\n") else "\n") + "# the end of the registry\n"
    CHANGES[kind](items, _spot(items, where, j), j)
    return head + "".join(items) + tail


KINDS = st.sampled_from([*CHANGES, "header", "after-list"])
ROUNDS = st.lists(
    st.tuples(KINDS, st.sampled_from([*WHERE, "anywhere"]), st.integers(0, 10_000)), min_size=1, max_size=5
)


def _big(path: Path, copies: int = 40) -> None:
    """``copies`` times the example's 8 events (many runs of items), and a series with a moved occurrence."""
    registry_of(path, copies)
    path.write_text(path.read_text(encoding="utf-8") + SERIES, encoding="utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds=ROUNDS)
def test_a_read_after_edits_anywhere_in_the_runs_is_the_full_parse(
    tmp_path_factory: pytest.TempPathFactory, rounds: list[tuple[str, str, int]]
) -> None:
    folder = tmp_path_factory.mktemp("runs")
    path, cache = folder / "big.yaml", folder / "cache"
    _big(path)
    assert _answer(path, cache) == _answer(path, None)
    for kind, where, j in rounds:
        text = path.read_text(encoding="utf-8")
        path.write_bytes(_edit(text, kind, where, j).encode())
        assert _answer(path, cache) == _answer(path, None), (kind, where)


class _Cuts:
    """How many times the whole file was cut into items, and whether it was parsed in full."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.whole = 0
        real = items_module.cut

        def counted(data: bytes) -> object:
            self.whole += 1
            return real(data)

        monkeypatch.setattr(items_module, "cut", counted)


@pytest.mark.parametrize(
    ("kind", "where"),
    [
        ("title", "first"),
        ("title", "last"),
        ("comment", "boundary"),
        ("comment-after", "end-of-first-run"),
        ("add", "boundary"),
        ("add", "first"),
        ("append", "last"),
        ("remove", "after-boundary"),
        ("remove", "last"),
        ("remove", "last-run"),
        ("replace-run", "boundary"),
        ("remove-run", "boundary"),
        ("move", "second"),
        ("crlf", "last-run"),
        ("touch", "first"),
    ],
)
def test_an_edit_reads_only_between_the_runs_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, where: str
) -> None:
    """Neither a full parse nor a cut of the whole file, and the answer is still the full parse's; twice, so the
    runs the first patch wrote are the ones the second matches."""
    path, cache = tmp_path / "big.yaml", tmp_path / "cache"
    _big(path, copies=60)
    load(path, cache_dir=cache)
    cuts = _Cuts(monkeypatch)
    for j in (1, 2):
        path.write_bytes(_edit(path.read_text(encoding="utf-8"), kind, where, j).encode())
        before = cuts.whole
        answer = _answer(path, cache)
        assert cuts.whole == before, "the whole file was cut: the runs were not used"
        assert answer == _answer(path, None)


def test_after_a_save_the_next_hand_edit_is_still_the_full_parse(
    sco_cal: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save moves rows without the runs; the hand edit after it reads the file item by item, and the one after
    that uses runs again."""
    path, cache = tmp_path / "big.yaml", tmp_path / "cache"
    _big(path, copies=60)
    env = {"SCO_CAL_CACHE": str(cache)}
    assert sco_cal("--registry", path, "list", env=env).code == 0
    chiefs = "sco-cis-csto-defence-chiefs-2020-06"
    saved = sco_cal("--registry", path, "edit", f"c30-{chiefs}", "--title", "Saved", env=env)
    assert saved.code == 0, saved.stderr
    saved = sco_cal("--registry", path, "remove", f"c50-{chiefs}", "--yes", env=env)
    assert saved.code == 0, saved.stderr
    cuts = _Cuts(monkeypatch)
    for kind, where, j in [("comment", "last-run", 1), ("add", "boundary", 2), ("title", "last", 3)]:
        path.write_bytes(_edit(path.read_text(encoding="utf-8"), kind, where, j).encode())
        assert _answer(path, cache) == _answer(path, None), kind
    assert cuts.whole == 1  # only the first edit after the save


EDITS_THROUGH_THE_CLI = [
    ("title", "first"),
    ("title", "last"),
    ("comment", "end-of-first-run"),
    ("add", "boundary"),
    ("remove", "after-boundary"),
    ("replace-run", "boundary"),
    ("remove-run", "last-run"),
    ("append", "last"),
    ("remove", "last"),
    ("no-final-newline", "last"),
    ("move", "first"),
]


def test_the_installed_sco_cal_answers_as_a_full_parse_after_each_edit(sco_cal: Run, tmp_path: Path) -> None:
    """A registry of 2,400 events (dozens of runs): ``list`` and ``validate`` through the index after each edit
    are byte for byte those with the cache turned off; then a broken edit in the last run fails the same way."""
    path, cache = tmp_path / "big.yaml", tmp_path / "cache"
    _big(path, copies=300)
    env = {"SCO_CAL_CACHE": str(cache)}
    assert sco_cal("--registry", path, "list", env=env).code == 0
    for j, (kind, where) in enumerate(EDITS_THROUGH_THE_CLI):
        path.write_bytes(_edit(path.read_text(encoding="utf-8"), kind, where, j).encode())
        for command in ("list", "validate"):
            cached = sco_cal("--registry", path, command, env=env)
            full = sco_cal("--registry", path, command, env={"SCO_CAL_CACHE": "off"})
            assert (cached.code, cached.stdout, cached.stderr) == (full.code, full.stdout, full.stderr), kind
            assert command != "list" or kind != "title" or f"Retitled {j}" in cached.stdout
    path.write_bytes(_edit(path.read_text(encoding="utf-8"), "ending-line", "last-run", 0).encode())
    cached = sco_cal("--registry", path, "list", env=env)
    full = sco_cal("--registry", path, "list", env={"SCO_CAL_CACHE": "off"})
    assert cached.code != 0
    assert (cached.code, cached.stdout, cached.stderr) == (full.code, full.stdout, full.stderr)
