"""``publish`` keeps each event's VEVENT (and, for a big registry, where it falls in the feeds) in the user's
cache folder, so a run after a small change makes again only what changed. The kept texts are derived and
disposable: after any edit the feeds and the page are byte for byte those made without them
(``SCO_CAL_CACHE=off``), the file is private to its owner, and a damaged or deleted one changes nothing.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result
from test_index import big_registry

from sco_cal.cache.texts import TEXTS_SUFFIX, open_texts

Run = Callable[..., Result]
NOW = "2020-05-25T12:00Z"
SERIES = (
    "  - id: weekly-series\n    title: Weekly series\n    kind: meeting\n    start: 2020-06-01T10:00\n"
    "    recurrence: FREQ=WEEKLY;COUNT=10\n    except: [2020-06-08T10:00, 2020-06-15T10:00]\n    orgs: [SCO]\n"
    "  - id: moved-occurrence\n    title: Moved\n    kind: meeting\n    start: 2020-06-09T10:00\n"
    "    occurrence_of: weekly-series\n    replaces: 2020-06-15T10:00\n    orgs: [SCO]\n"
)
IN_WINDOW = "c3-sco-cis-csto-defence-chiefs-2020-06"  # June 2020: on the page's timeline and in the agenda


def _publish(sco_cal: Run, path: Path, folder: Path, cache: Path | str) -> None:
    result = sco_cal(
        "-r", path, "publish", folder, "--base-url", "https://intranet.example/cal/", "--now", NOW, "--quiet",
        env={"SCO_CAL_CACHE": str(cache)},
    )  # fmt: skip
    assert (result.code, result.stdout, result.stderr) == (0, "", "")


def _served(folder: Path) -> dict[str, bytes]:
    """Every file a web server would serve (the stamp, sco-cal's own note, left out)."""
    found = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != ".sco-cal-publish")
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in found}


def _item(text: str, event_id: str) -> tuple[int, int]:
    """Where the event's item starts and ends in the registry's text."""
    start = text.index(f"  - id: {event_id}\n")
    following = re.compile(r"^  - id: ", re.MULTILINE).search(text, start + 1)
    return start, following.start() if following else len(text)


def _reorganised(text: str, event_id: str, orgs: str) -> str:
    start, end = _item(text, event_id)
    return text[:start] + re.sub(r"\n    orgs: [^\n]*", f"\n    orgs: {orgs}", text[start:end], count=1) + text[end:]


def _removed(text: str, event_id: str) -> str:
    start, end = _item(text, event_id)
    return text[:start] + text[end:]


def _retitled(text: str, event_id: str, title: str) -> str:
    start, end = _item(text, event_id)
    return text[:start] + re.sub(r"\n    title: [^\n]*", f"\n    title: {title}", text[start:end], count=1) + text[end:]


EDITS: list[tuple[str, Callable[[str], str]]] = [
    ("one title", lambda text: _retitled(text, IN_WINDOW, "Kept texts first title")),
    ("the same title again", lambda text: _retitled(text, IN_WINDOW, "Kept texts second title")),
    ("moved to another organisation", lambda text: _reorganised(text, IN_WINDOW, "[CIS]")),
    ("to a new organisation", lambda text: _reorganised(text, IN_WINDOW, "[BRICS, CIS]")),
    ("a date moved", lambda text: text.replace("    start: 2007-06-27\n", "    start: 2020-07-02\n", 1)),
    ("an event removed", lambda text: _removed(text, "c5-peace-mission-2020")),
    ("an exception dropped", lambda text: text.replace("[2020-06-08T10:00, 2020-06-15T10:00]", "[2020-06-15T10:00]")),
    ("a series retitled", lambda text: text.replace("title: Weekly series", "title: Weekly series renamed", 1)),
    ("a zone", lambda text: text.replace("    start: 2020-06-09T10:00\n", "    start: 2020-06-09T10:00+05:00\n", 1)),
    ("the registry's zone", lambda text: text.replace("timezone: Europe/Moscow ", "timezone: Asia/Tashkent ", 1)),
    ("the default reminders", lambda text: text.replace("meeting: [7d, 1d]", "meeting: [2d]", 1)),
]  # fmt: skip


def big_with_series(folder: Path) -> Path:
    """A registry big enough to be indexed, with a repeating series and a moved occurrence."""
    path = folder / "big.yaml"
    big_registry(path, copies=40)
    path.write_text(path.read_text(encoding="utf-8") + SERIES, encoding="utf-8")
    return path


@pytest.fixture
def big(tmp_path: Path) -> Path:
    return big_with_series(tmp_path)


def test_a_big_registry_publishes_the_same_bytes_with_kept_texts_after_every_edit(
    sco_cal: Run, big: Path, tmp_path: Path
) -> None:
    cache, kept, afresh = tmp_path / "cache", tmp_path / "kept", tmp_path / "afresh"
    _publish(sco_cal, big, kept, cache)
    _publish(sco_cal, big, afresh, "off")
    assert _served(kept) == _served(afresh)
    assert list(cache.glob(f"*{TEXTS_SUFFIX}")), "the texts were not kept"
    for name, edit in EDITS:
        big.write_text(edit(big.read_text(encoding="utf-8")), encoding="utf-8")
        _publish(sco_cal, big, kept, cache)
        _publish(sco_cal, big, afresh, "off")
        assert _served(kept) == _served(afresh), name
    served = {name: data.replace(b"\r\n ", b"") for name, data in _served(kept).items()}  # lines unfolded
    for name in ("all.ics", "index.html"):  # a stale text would still show the first title, or none
        assert b"Kept texts second title" in served[name]
        assert b"Kept texts first title" not in served[name]
    assert b"Weekly series renamed" in served["all.ics"]


def test_a_small_registry_publishes_the_same_bytes_with_kept_texts(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    cache, kept, afresh = tmp_path / "cache", tmp_path / "kept", tmp_path / "afresh"
    for title in ("A first title", "A second title"):
        example.write_text(_retitled(example.read_text(encoding="utf-8"), IN_WINDOW[3:], title), encoding="utf-8")
        _publish(sco_cal, example, kept, cache)
        _publish(sco_cal, example, afresh, "off")
        assert _served(kept) == _served(afresh)
        assert title.encode() in _served(kept)["all.ics"].replace(b"\r\n ", b"")


def test_the_kept_texts_are_private_and_disposable(sco_cal: Run, big: Path, tmp_path: Path) -> None:
    cache, kept, afresh = tmp_path / "cache", tmp_path / "kept", tmp_path / "afresh"
    _publish(sco_cal, big, kept, cache)
    (texts,) = cache.glob(f"*{TEXTS_SUFFIX}")
    assert stat.S_IMODE(texts.stat().st_mode) == 0o600
    for damage in (b"not a pickle", b"", None):
        if damage is None:
            texts.unlink()
        else:
            texts.write_bytes(damage)
        big.write_text(_retitled(big.read_text(encoding="utf-8"), IN_WINDOW, f"After {damage!r}"), encoding="utf-8")
        _publish(sco_cal, big, kept, cache)
        _publish(sco_cal, big, afresh, "off")
        assert _served(kept) == _served(afresh)
    assert not list(afresh.parent.glob(f"off/*{TEXTS_SUFFIX}"))


def test_without_a_cache_folder_nothing_is_kept(sco_cal: Run, big: Path, tmp_path: Path) -> None:
    _publish(sco_cal, big, tmp_path / "site", "off")
    assert not list(tmp_path.rglob(f"*{TEXTS_SUFFIX}"))


def _texts_file(cache: Path) -> Path:
    (found,) = cache.glob(f"*{TEXTS_SUFFIX}")
    return found


def test_the_file_is_written_again_only_once_changes_add_up_and_keeps_only_what_was_asked_for(
    tmp_path: Path,
) -> None:
    cache, registry = tmp_path / "cache", tmp_path / "r.yaml"
    texts = open_texts(cache, registry)
    for n in range(1000):
        texts.put(b"section", b"key %d" % n, b"text %d" % n)
    texts.save()
    first = _texts_file(cache).read_bytes()
    texts = open_texts(cache, registry)  # one event changed: its old text unasked, its new one made
    for n in range(1, 1000):
        assert texts.get(b"section", b"key %d" % n) == b"text %d" % n
    texts.put(b"section", b"key new", b"text new")
    texts.save()
    assert _texts_file(cache).read_bytes() == first  # a few texts are cheaper to make again than to write all
    texts = open_texts(cache, registry)  # a hundred changed: the file follows, without the unasked texts
    for n in range(100, 1000):
        texts.get(b"section", b"key %d" % n)
    for n in range(100):
        texts.put(b"section", b"other %d" % n, b"text")
    texts.save()
    again = open_texts(cache, registry)
    assert again.get(b"section", b"key 0") is None
    assert again.get(b"section", b"key 999") == b"text 999"
    assert again.get(b"section", b"other 99") == b"text"
