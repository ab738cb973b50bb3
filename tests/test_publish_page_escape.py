"""The published page and its picture escape registry text as ``html.escape`` does (quotes and apostrophes
too), without loading the ``html`` package: a title that would break out of an element or an attribute is shown
as text.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, registry

from sco_cal.output.timeline_svg import escape

Run = Callable[..., Result]
TITLE = """Talks <b>"O'Neil" & co</b> &amp; more"""
EVENT = f"""\
  - id: tricky
    title: '{TITLE.replace("'", "''")}'
    start: 2020-06-10
    sources:
      - {{title: "It's <here>", url: 'https://example.org/?a=1&b="2"'}}
"""


@pytest.mark.parametrize("text", [TITLE, "", "plain", "&&<<>>\"\"''", "Ünïcode — \u2018quotes\u2019 <>", "&amp;lt;"])
def test_escape_is_html_escape(text: str) -> None:
    assert escape(text) == html.escape(text)


def test_a_published_page_shows_quotes_apostrophes_and_markup_as_text(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(tmp_path, EVENT)
    site = tmp_path / "site"
    result = sco_cal("-r", path, "publish", site, "--now", "2020-06-01T12:00Z", "--quiet")
    assert (result.code, result.stdout, result.stderr) == (0, "", "")
    page = (site / "index.html").read_text(encoding="utf-8")
    assert html.escape(TITLE) in page
    assert TITLE not in page
    assert 'href="https://example.org/?a=1&amp;b=&quot;2&quot;"' in page
    assert html.escape("It's <here>") in page
