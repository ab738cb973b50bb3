"""The published page in a real browser: headless Chromium (Debian's package, which .ci/run installs) loads
index.html and the timeline page from disk, and what it builds from them holds every event of the window and
every subscribe link as text, with no script, and prints to PDF with the print stylesheet.

Outside CI a missing Chromium skips these tests and says so; under CI=true it fails them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import html5lib
import pytest
from conftest import Result, registry
from test_timeline_pages import HOSTILE, HOSTILE_TITLE

NOW = "2020-05-25T12:00Z"
BASE = "https://intranet.example/cal/"
FEEDS = ["all.ics", "org/cis.ics", "org/csto.ics", "org/sco.ics"]

Run = Callable[..., Result]


def chromium() -> str:
    """The browser's path, or skip (fail in CI: .ci/run installs it)."""
    for found in (os.environ.get("SCO_CAL_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if found and Path(found).exists():
            return found
    message = "chromium not installed: .ci/run installs it (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _browse(page: Path, profile: Path, *action: str) -> subprocess.CompletedProcess[str]:
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",  # tests may run as root, where Chromium's sandbox refuses to start
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *action,
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def _text_in_browser(page: Path, profile: Path) -> tuple[str, object]:
    """The text of the DOM Chromium built from the page, and that DOM parsed again."""
    dom = _browse(page, profile, "--dump-dom").stdout
    document = html5lib.parse(dom, namespaceHTMLElements=False)
    return " ".join("".join(document.itertext()).split()), document


def _titles(sco_cal: Run, path: Path, *window: str) -> list[str]:
    listed = sco_cal("-r", path, "list", *window, "--format", "json")
    return [event["title"] for event in json.loads(listed.stdout)["events"]]


def test_published_page_shows_every_event_and_subscribe_link(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    published = sco_cal("-r", example, "publish", site, "--base-url", BASE, "--now", NOW, "--quiet")
    assert published.code == 0, published.stderr
    text, document = _text_in_browser(site / "index.html", tmp_path / "profile")
    titles = _titles(sco_cal, example, "--from", "2020-05-01", "--to", "2021-04-30")  # the page's twelve months
    assert len(titles) == 6
    for title in titles:
        assert title in text, f"{title!r} not shown"
    for name in FEEDS:
        assert f"webcal://intranet.example/cal/{name}" in text
        assert f"https://intranet.example/cal/{name}" in text
    assert "sometime in June 2020" in text
    assert document.findall(".//script") == []  # type: ignore[attr-defined]


def test_timeline_page_in_the_browser_keeps_hostile_text_as_text(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(tmp_path, HOSTILE)
    page = tmp_path / "page.html"
    assert sco_cal("-r", path, "timeline", "2020", "-o", page, "--now", NOW).code == 0
    text, document = _text_in_browser(page, tmp_path / "profile")
    assert HOSTILE_TITLE in text
    assert document.findall(".//script") == []  # type: ignore[attr-defined]


def test_the_page_prints(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert sco_cal("-r", example, "publish", site, "--base-url", BASE, "--now", NOW, "--quiet").code == 0
    pdf = tmp_path / "page.pdf"
    _browse(site / "index.html", tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert b"/Type /Page" in data or b"/Type/Page" in data  # at least one page was laid out
