"""``sco-cal publish DIR``: the feeds (the whole registry and one per organisation) and index.html with the
timeline, the agenda (vague dates said as vague) and subscribe links; written atomically and only when bytes
change, so cron can run it every few minutes; a failed write leaves the previous page.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, registry
from test_timeline_pages import HOSTILE, HOSTILE_TITLE, strict_html

NOW = "2020-05-25T12:00Z"
BASE = "https://intranet.example/cal"
FEEDS = ["all.ics", "org/cis.ics", "org/csto.ics", "org/sco.ics"]

Run = Callable[..., Result]


def _publish(sco_cal: Run, path: Path, folder: Path, *args: str) -> Result:
    result = sco_cal("-r", path, "publish", folder, "--base-url", BASE, "--now", NOW, *args)
    assert result.code == 0, result.stderr
    return result


def _files(folder: Path) -> dict[str, int]:
    """The served files and their mtimes (the stamp, sco-cal's own note, left out)."""
    found = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != ".sco-cal-publish")
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in found}


def _age(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(1_000_000_000, 1_000_000_000))


def test_publish_writes_the_feeds_and_the_page(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = _publish(sco_cal, example, site)
    assert sorted(_files(site)) == sorted([*FEEDS, "index.html"])
    assert result.stderr.splitlines() == [f"{site / name}: written" for name in [*FEEDS, "index.html"]]
    for name in FEEDS:
        assert (site / name).read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    exported = sco_cal("-r", example, "export", "--split-by", "org", "-o", tmp_path / "export", "--quiet")
    assert exported.code == 0
    for name in ("cis.ics", "csto.ics", "sco.ics"):  # the same feeds export --split-by org writes
        assert (site / "org" / name).read_bytes() == (tmp_path / "export" / name).read_bytes()


def test_the_page_links_every_feed_both_ways(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _publish(sco_cal, example, site)
    document = strict_html((site / "index.html").read_bytes())
    links = {a.get("href") for a in document.iter("a")}  # type: ignore[attr-defined]
    for name in FEEDS:
        assert f"{BASE}/{name}" in links
        assert f"webcal://intranet.example/cal/{name}" in links


def test_the_agenda_says_vague_dates_vaguely(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _publish(sco_cal, example, site)
    text = "".join(strict_html((site / "index.html").read_bytes()).itertext())  # type: ignore[attr-defined]
    assert "sometime in June 2020" in text
    assert "Jun 2020 (date TBC)" in text
    assert "sometime in 2020" in text
    assert "Mon 15 Jun 2020" in text  # an exact day is a day of its own
    assert "As of 25 May 2020" in text


def test_sources_are_links_and_text_is_escaped(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(tmp_path, HOSTILE)
    site = tmp_path / "site"
    _publish(sco_cal, path, site)
    document = strict_html((site / "index.html").read_bytes())
    assert document.findall(".//script") == []  # type: ignore[attr-defined]
    assert HOSTILE_TITLE in [e.text for e in document.iter("strong")]  # type: ignore[attr-defined]
    links = {a.get("href"): a.text for a in document.iter("a")}  # type: ignore[attr-defined]
    assert links['https://example.org/a?b=1&c="2"'] == 'A "source" <b>'
    assert "javascript:alert(1)" not in links


def test_without_a_base_url_the_feeds_are_linked_by_path(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = sco_cal("-r", example, "publish", site, "--now", NOW, "--quiet")
    assert result.code == 0
    assert result.stderr == ""
    links = {a.get("href") for a in strict_html((site / "index.html").read_bytes()).iter("a")}  # type: ignore[attr-defined]
    assert set(FEEDS) <= links
    assert not any(link.startswith("webcal:") for link in links)


def test_unchanged_registry_rewrites_nothing(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _publish(sco_cal, example, site)
    _age(site)  # and so the stamp no longer matches: every file is made again and compared
    before = {name: (site / name).read_bytes() for name in _files(site)}
    result = _publish(sco_cal, example, site)
    assert set(_files(site).values()) == {1_000_000_000}
    assert {name: (site / name).read_bytes() for name in _files(site)} == before
    assert all(line.endswith(": unchanged") for line in result.stderr.splitlines())


def test_a_change_rewrites_what_it_touches(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _publish(sco_cal, example, site)
    _age(site)
    edited = sco_cal("-r", example, "edit", "sco-cis-csto-defence-chiefs-2020-06", "--title", "Joint meeting moved")
    assert edited.code == 0, edited.stderr
    _publish(sco_cal, example, site)
    changed = {name for name, mtime in _files(site).items() if mtime != 1_000_000_000}
    assert changed == {"index.html", "all.ics", "org/sco.ics", "org/cis.ics", "org/csto.ics"}
    assert "Joint meeting moved" in (site / "index.html").read_text(encoding="utf-8")


def test_the_stamp_lets_an_unchanged_run_stop_early(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _publish(sco_cal, example, site)
    stamp = (site / ".sco-cal-publish").read_text(encoding="utf-8")
    assert str(tmp_path) not in stamp  # a digest, the zone and file names: nothing of the server's paths
    before = {**_files(site), "stamp": (site / ".sco-cal-publish").stat().st_mtime_ns}
    result = _publish(sco_cal, example, site)
    assert {**_files(site), "stamp": (site / ".sco-cal-publish").stat().st_mtime_ns} == before
    assert result.stderr.splitlines() == [f"{site / name}: unchanged" for name in [*FEEDS, "index.html"]]


def test_a_registry_written_again_with_the_same_bytes_is_not_read(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    """Its files hold what the stamp's files were made from: nothing is parsed (no derived copy is made in the
    cache folder), no file is written, and the stamp, made again, lets the next run stop at a ``stat``."""
    site, cache = tmp_path / "site", {"SCO_CAL_CACHE": str(tmp_path / "cache")}
    sco_cal("-r", example, "publish", site, "--base-url", BASE, "--now", NOW, env=cache)
    before = _files(site)
    for derived in (tmp_path / "cache").iterdir():
        derived.unlink()
    example.write_bytes(example.read_bytes())  # a new mtime and ctime: another fingerprint
    stamps = []
    for _ in range(2):
        result = sco_cal("-r", example, "publish", site, "--base-url", BASE, "--now", NOW, env=cache)
        assert result.stderr.splitlines() == [f"{site / name}: unchanged" for name in [*FEEDS, "index.html"]]
        assert _files(site) == before
        assert list((tmp_path / "cache").iterdir()) == []
        stamps.append((site / ".sco-cal-publish").stat().st_mtime_ns)
    assert stamps[0] == stamps[1]


def test_the_same_bytes_with_a_served_file_changed_or_a_byte_changed_are_read(
    sco_cal: Run, example: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    _publish(sco_cal, example, site)
    feed = (site / "org" / "cis.ics").read_bytes()
    (site / "org" / "cis.ics").write_bytes(b"changed by hand")
    example.write_bytes(example.read_bytes())
    result = _publish(sco_cal, example, site)
    assert (site / "org" / "cis.ics").read_bytes() == feed
    assert f"{site / 'org' / 'cis.ics'}: written" in result.stderr.splitlines()
    text = example.read_text(encoding="utf-8")
    assert "Defence" in text
    example.write_text(text.replace("Defence", "Defense"), encoding="utf-8")  # the same size: only bytes differ
    _publish(sco_cal, example, site)
    assert "Defense" in (site / "all.ics").read_text(encoding="utf-8").replace("\n ", "")


def test_a_removed_feed_is_written_again(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _publish(sco_cal, example, site)
    feed = (site / "org" / "cis.ics").read_bytes()
    (site / "org" / "cis.ics").unlink()
    result = _publish(sco_cal, example, site)
    assert (site / "org" / "cis.ics").read_bytes() == feed
    assert f"{site / 'org' / 'cis.ics'}: written" in result.stderr.splitlines()
    assert f"{site / 'index.html'}: unchanged" in result.stderr.splitlines()


def test_a_new_day_rewrites_the_page_only(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _publish(sco_cal, example, site)
    _age(site)
    result = sco_cal("-r", example, "publish", site, "--base-url", BASE, "--now", "2020-05-26T12:00Z")
    assert result.code == 0
    assert {name for name, mtime in _files(site).items() if mtime != 1_000_000_000} == {"index.html"}
    assert "As of 26 May 2020" in (site / "index.html").read_text(encoding="utf-8")


def test_a_read_only_page_is_left_as_it_was(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    """sco-cal refuses a read-only file itself (as it does the registry), so this holds for root too."""
    site = tmp_path / "site"
    _publish(sco_cal, example, site)
    page = site / "index.html"
    before = page.read_bytes()
    page.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    sco_cal("-r", example, "edit", "peace-mission-2020", "--title", "Peace Mission 2020")
    result = sco_cal("-r", example, "publish", site, "--base-url", BASE, "--now", NOW, "--quiet")
    assert result.code == 74
    assert "index.html: could not save: the file is read-only" in result.stderr
    assert result.stderr.count("\n") == 1
    assert page.read_bytes() == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".")] == [".sco-cal-publish"]  # no temporary file


def test_a_folder_in_the_way_of_the_page(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "index.html").mkdir(parents=True)
    result = sco_cal("-r", example, "publish", site, "--now", NOW)
    assert result.code == 74
    assert "index.html: is a folder" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--base-url", "intranet.example/cal"], 2, "give the address the folder is served at"),
        (["--base-url", "https://"], 2, "give the address the folder is served at"),
        (["--months", "0"], 2, "--months"),
    ],
)
def test_bad_options(sco_cal: Run, example: Path, tmp_path: Path, args: list[str], code: int, message: str) -> None:
    result = sco_cal("-r", example, "publish", tmp_path / "site", "--now", NOW, *args)
    assert result.code == code
    assert message in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_file_in_the_way_of_the_folder(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    (tmp_path / "site").write_text("not a folder", encoding="utf-8")
    result = sco_cal("-r", example, "publish", tmp_path / "site", "--now", NOW)
    assert result.code == 74
    assert "is not a folder" in result.stderr
    assert (tmp_path / "site").read_text(encoding="utf-8") == "not a folder"
