"""``publish`` leaves a feed alone, neither made nor compared, when the stamp says it was made from the same
events and settings and its file is as that run left it. Whatever happens in the folder between runs (a feed
deleted, edited by hand, even to the same size; the address changed), every file is byte for byte what a run
without anything kept (``SCO_CAL_CACHE=off``) writes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result
from test_publish_cache import IN_WINDOW, _served, big_with_series
from test_publish_cache import _retitled as retitled

Run = Callable[..., Result]
NOW = "2020-05-25T12:00Z"
SCO_ONLY = "c7-sco-ewg-07"  # an event of the SCO alone


def _publish(
    sco_cal: Run, path: Path, folder: Path, cache: Path | str, base: str = "https://intranet.example/"
) -> None:
    result = sco_cal(
        "-r", path, "publish", folder, "--base-url", base, "--now", NOW, "--quiet", env={"SCO_CAL_CACHE": str(cache)}
    )
    assert (result.code, result.stdout, result.stderr) == (0, "", "")


@pytest.fixture
def big(tmp_path: Path) -> Path:
    return big_with_series(tmp_path)


def _both(sco_cal: Run, big: Path, tmp_path: Path, base: str = "https://intranet.example/") -> None:
    """Publish with kept texts and without, and check they serve the same bytes."""
    kept, afresh = tmp_path / "kept", tmp_path / "afresh"
    _publish(sco_cal, big, kept, tmp_path / "cache", base)
    _publish(sco_cal, big, afresh, "off", base)
    assert _served(kept) == _served(afresh)


def _retitle(big: Path, event_id: str, title: str) -> None:
    big.write_text(retitled(big.read_text(encoding="utf-8"), event_id, title), encoding="utf-8")


def test_an_unchanged_feed_is_left_as_it_was_and_a_changed_one_follows(sco_cal: Run, big: Path, tmp_path: Path) -> None:
    _both(sco_cal, big, tmp_path)
    kept = tmp_path / "kept"
    before = {path: path.stat().st_mtime_ns for path in kept.rglob("*.ics")}
    _retitle(big, SCO_ONLY, "Only the SCO feed and the whole one change")
    _both(sco_cal, big, tmp_path)
    changed = sorted(p.relative_to(kept).as_posix() for p, mtime in before.items() if p.stat().st_mtime_ns != mtime)
    assert changed == ["all.ics", "org/sco.ics"]
    stamp = (kept / ".sco-cal-publish").read_text(encoding="utf-8")
    assert "org/cis.ics\t" in stamp
    assert b"Only the SCO feed" in _served(kept)["org/sco.ics"].replace(b"\r\n ", b"")


def test_a_feed_deleted_by_hand_is_written_again(sco_cal: Run, big: Path, tmp_path: Path) -> None:
    _both(sco_cal, big, tmp_path)
    (tmp_path / "kept" / "org" / "cis.ics").unlink()
    _retitle(big, SCO_ONLY, "After a feed was deleted")
    _both(sco_cal, big, tmp_path)
    (tmp_path / "kept" / "org" / "cis.ics").unlink()  # and with the registry as it was
    _both(sco_cal, big, tmp_path)


@pytest.mark.parametrize("same_size", [False, True], ids=["longer", "same-size"])
def test_a_feed_edited_by_hand_is_written_again(sco_cal: Run, big: Path, tmp_path: Path, same_size: bool) -> None:
    _both(sco_cal, big, tmp_path)
    feed = tmp_path / "kept" / "org" / "cis.ics"
    text = feed.read_bytes()
    feed.write_bytes(text.replace(b"CIS", b"XYZ", 1) if same_size else text + b"X-EDITED:by hand\r\n")
    _retitle(big, SCO_ONLY, "After a feed was edited")
    _both(sco_cal, big, tmp_path)
    edited = tmp_path / "kept" / "org" / "csto.ics"
    os.truncate(edited, 10)
    _both(sco_cal, big, tmp_path)  # the registry unchanged since the last run


def test_a_new_address_changes_the_page_and_not_the_feeds(sco_cal: Run, big: Path, tmp_path: Path) -> None:
    _both(sco_cal, big, tmp_path)
    feeds = {p: p.stat().st_mtime_ns for p in (tmp_path / "kept").rglob("*.ics")}
    _both(sco_cal, big, tmp_path, base="https://elsewhere.example/calendars/")
    assert b"https://elsewhere.example/calendars/org/cis.ics" in _served(tmp_path / "kept")["index.html"]
    assert {p: p.stat().st_mtime_ns for p in feeds} == feeds
    _retitle(big, IN_WINDOW, "After the address changed")
    _both(sco_cal, big, tmp_path, base="https://elsewhere.example/calendars/")


def test_a_damaged_stamp_only_costs_time(sco_cal: Run, big: Path, tmp_path: Path) -> None:
    _both(sco_cal, big, tmp_path)
    stamp = tmp_path / "kept" / ".sco-cal-publish"
    damages = ("", "key\nUTC\norg/cis.ics\t1 2\tabc\tnot a number\n", "\t\t\t\n")
    for n, damage in enumerate(damages):
        stamp.write_text(damage, encoding="utf-8")
        _retitle(big, SCO_ONLY, f"After damaged stamp {n}")
        _both(sco_cal, big, tmp_path)
