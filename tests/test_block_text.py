"""Multi-line text is written as a YAML literal block that reads back exactly, whatever its first lines hold:
a note that starts with an empty line and then a tab (found by the export/import property test) was refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result


@pytest.mark.parametrize(
    "note", ["\n\t0", "\n\n  indented\n\tx", "\tfirst\nsecond", " lead\nx", "a\n\tb\n", "\n\nx\n\n"]
)
def test_a_note_of_several_lines_reads_back_as_it_was(
    sco_cal: Callable[..., Result], tmp_path: Path, note: str
) -> None:
    registry = tmp_path / "r.yaml"
    assert sco_cal("--registry", registry, "init", "--timezone", "UTC").code == 0
    added = sco_cal("--registry", registry, "add", "Talks", "--date", "2020-06-01", "--note", note)
    assert added.code == 0, added.stderr
    shown = sco_cal("--registry", registry, "show", added.stdout.strip(), "--format", "json")
    assert json.loads(shown.stdout)["event"]["notes"] == note
