"""``sco-cal timeline -o year.svg`` and ``-o page.html``: the SVG is well-formed XML with every event's title and
its dates as the sources give them; the page passes a strict HTML5 parser; registry text is escaped; the bytes
are the same for the same registry and --now, and a file is replaced only when they change.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import html5lib
import pytest
from conftest import ROOT, Result, registry

NOW = "2020-05-25T12:00Z"
SVG = "{http://www.w3.org/2000/svg}"
DOCS_SVG = ROOT / "docs" / "timeline-2020.svg"
# A title and a source that would break out of the markup if written as they are.
HOSTILE = """\
  - id: hostile
    title: '<script>alert("boo")</script> & "quoted" </svg>'
    start: 2020-06
    sources:
      - {title: 'A "source" <b>', url: 'https://example.org/a?b=1&c="2"'}
      - {title: Trap, url: 'javascript:alert(1)'}
"""
HOSTILE_TITLE = '<script>alert("boo")</script> & "quoted" </svg>'

Run = Callable[..., Result]


def _titles(sco_cal: Run, path: Path, window: str) -> dict[str, str]:
    """Title -> dates as ``list`` shows them, for every event in the window."""
    listed = sco_cal("-r", path, "list", window, "--format", "json")
    return {e["title"]: e["when"] for e in json.loads(listed.stdout)["events"]}


def _write(sco_cal: Run, path: Path, target: Path, window: str = "2020") -> Result:
    result = sco_cal("-r", path, "timeline", window, "-o", target, "--now", NOW)
    assert result.code == 0, result.stderr
    return result


def strict_html(data: bytes) -> object:
    """Parse with html5lib's strict parser, which raises on the first HTML5 parse error."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(data)


def test_svg_is_xml_with_every_title_and_its_dates(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    target = tmp_path / "year.svg"
    result = _write(sco_cal, example, target)
    assert result.stderr == f"{target}: 6 events; written\n"
    root = ET.fromstring(target.read_bytes())
    assert root.tag == f"{SVG}svg"
    shown = [text.text or "" for text in root.iter(f"{SVG}text")]
    tooltips = "\n".join(title.text or "" for title in root.iter(f"{SVG}title"))
    for title, when in _titles(sco_cal, example, "2020").items():
        assert f"{title}: {when}" in tooltips
        assert when in shown, f"{when!r} not written on the picture"
    assert {"certain", "may fall in (date TBC)", "one day", "today", "planned", "scheduled", "held"} <= set(shown)


def test_svg_is_standalone(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    target = tmp_path / "year.svg"
    _write(sco_cal, example, target)
    text = target.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
    assert "href" not in text  # no linked file, font or stylesheet
    assert "<script" not in text


def test_page_passes_a_strict_html5_parser_with_the_svg_inline(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    _write(sco_cal, example, target)
    document = strict_html(target.read_bytes())
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>\n")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
    assert "@media print" in text
    assert "<script" not in text
    assert "<link" not in text  # one self-contained file
    assert document.find(f".//{SVG}svg") is not None  # type: ignore[attr-defined]
    shown = "".join(document.itertext())  # type: ignore[attr-defined]
    for title, when in _titles(sco_cal, example, "2020").items():
        assert title in shown
        assert when in shown


def test_hostile_text_is_shown_as_text(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(tmp_path, HOSTILE)
    svg, page = tmp_path / "t.svg", tmp_path / "t.html"
    _write(sco_cal, path, svg)
    _write(sco_cal, path, page)
    root = ET.fromstring(svg.read_bytes())
    assert HOSTILE_TITLE in [text.text for text in root.iter(f"{SVG}text")]
    assert not list(root.iter(f"{SVG}script"))
    document = strict_html(page.read_bytes())
    assert document.findall(".//script") == []  # type: ignore[attr-defined]
    strong = [element.text for element in document.iter("strong")]  # type: ignore[attr-defined]
    assert HOSTILE_TITLE in strong
    links = {a.get("href"): a.text for a in document.iter("a")}  # type: ignore[attr-defined]
    assert links == {'https://example.org/a?b=1&c="2"': 'A "source" <b>'}  # javascript: is never a link
    assert "Trap" in page.read_text(encoding="utf-8")


def test_same_registry_same_bytes_and_the_file_is_left_alone(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    for name in ("year.svg", "page.html"):
        target = tmp_path / name
        _write(sco_cal, example, target)
        first = target.read_bytes()
        os.utime(target, ns=(1_000_000_000, 1_000_000_000))
        result = _write(sco_cal, example, target)
        assert result.stderr.endswith("; unchanged\n")
        assert target.read_bytes() == first
        assert target.stat().st_mtime_ns == 1_000_000_000


def test_a_folder_in_the_way_is_refused(sco_cal: Run, example: Path, tmp_path: Path) -> None:
    (tmp_path / "year.svg").mkdir()
    result = sco_cal("-r", example, "timeline", "2020", "-o", tmp_path / "year.svg", "--now", NOW)
    assert result.code == 74
    assert result.stderr.count("\n") == 1
    assert "is a folder" in result.stderr


def test_docs_picture_is_what_the_cli_draws(sco_cal: Run, tmp_path: Path) -> None:
    """docs/timeline-2020.svg is made by: sco-cal -r examples/sco-defence.yaml timeline 2020 --now 2020-05-25T12:00Z
    -o docs/timeline-2020.svg"""
    target = tmp_path / "timeline-2020.svg"
    _write(sco_cal, ROOT / "examples" / "sco-defence.yaml", target)
    assert target.read_bytes() == DOCS_SVG.read_bytes(), "regenerate docs/timeline-2020.svg with the command above"


@pytest.mark.parametrize("window", ["2020", "2017 - 2023"])
def test_svg_axis_and_rows(sco_cal: Run, example: Path, tmp_path: Path, window: str) -> None:
    target = tmp_path / "t.svg"
    _write(sco_cal, example, target, window)
    shown = [text.text for text in ET.fromstring(target.read_bytes()).iter(f"{SVG}text")]
    if window == "2020":
        assert [label for label in shown if label in ("Jan", "Feb", "Mar")] == ["Jan", "Feb", "Mar"]
    else:
        assert "Jan" not in shown
        assert {str(year) for year in range(2017, 2024)} <= set(shown)
