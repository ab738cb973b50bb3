"""A source URL reaches every reader as written: the characters iCalendar readers take for escapes are
percent-encoded in URL, and sco-cal's own feed imports back unchanged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, digest
from icalendar import Calendar


@pytest.mark.parametrize("url", ["https://a.example/x\\Ny", "https://a.example/a\\,b\\;c", "https://a.example/\\\\"])
def test_a_backslash_in_a_url_is_percent_encoded_and_reads_back(
    url: str, example: Path, tmp_path: Path, sco_cal: Callable[..., Result]
) -> None:
    added = sco_cal("-r", example, "add", "Talks", "--date", "2030-01-02", "--source", url)
    assert added.code == 0, added.stderr
    feed = tmp_path / "feed.ics"
    assert sco_cal("-r", example, "export", "-o", feed).code == 0
    vevent = next(v for v in Calendar.from_ical(feed.read_bytes()).walk("VEVENT") if v["SUMMARY"] == "Talks")
    assert str(vevent["URL"]) == url.replace("\\", "%5C")
    before = digest(example)
    again = sco_cal("-r", example, "import", feed)
    assert again.code == 0, again.stderr
    assert "0 new, 0 updated" in again.stdout + again.stderr
    assert digest(example) == before
