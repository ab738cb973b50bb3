"""The slips of a hand edit get words a person can act on, at the line to fix, in a small registry and in a
big one read through its index."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result

Run = Callable[..., Result]

SLIPS = [
    pytest.param(
        "    title: SCO video call: part 2\n",
        ":{line}:26: not valid YAML: ': ' inside a value; put the whole value in quotes",
        id="colon-in-a-value",
    ),
    pytest.param(
        "    title: 'Consultations\n",
        ":{line}:12: not valid YAML: a quote opened here is never closed",
        id="unclosed-single-quote",
    ),
    pytest.param(
        '    title: "Consultations\n',
        ":{line}:12: not valid YAML: a quote opened here is never closed",
        id="unclosed-double-quote",
    ),
    pytest.param(
        '    title: "Consultations\n    # the "agenda" is open\n',
        ":{line}:12: not valid YAML: a quote opened here is not closed on its line; a quote further down closes it",
        id="a-quote-closed-lines-below",
    ),
    pytest.param(
        "    orgs: SCO, CIS, CSTO\n    title: Joint meeting\n",
        ":{line}:11: orgs: 'SCO, CIS, CSTO' reads as one value;"
        " write several as a list, [SCO, CIS, CSTO], or quote one",
        id="a-list-without-brackets",
    ),
]


def _registry(path: Path, events: int) -> list[str]:
    lines = ["schema: 1\n", "name: Slips\n", "timezone: UTC\n", "uid_domain: slips.example\n", "events:\n"]
    for n in range(events):
        lines += [f"  - id: meeting-{n}\n", f"    title: Meeting {n}\n", f"    start: 2020-06-{n % 28 + 1:02d}\n"]
    path.write_text("".join(lines), encoding="utf-8")
    return lines


def _slipped(path: Path, lines: list[str], slip: str) -> int:
    """The title of the middle event replaced by ``slip``; its line number."""
    at = lines.index(f"    title: Meeting {len(lines) // 6}\n")
    path.write_text("".join([*lines[:at], slip, *lines[at + 1 :]]), encoding="utf-8")
    return at + 1


@pytest.mark.parametrize("events", [5, 1200], ids=["small", "indexed"])
@pytest.mark.parametrize(("slip", "expected"), SLIPS)
def test_a_slip_is_named_where_it_is(sco_cal: Run, tmp_path: Path, events: int, slip: str, expected: str) -> None:
    registry = tmp_path / "slips.yaml"
    lines = _registry(registry, events)
    assert sco_cal("-r", registry, "list", "2020").code == 0  # a big registry now has its index
    line = _slipped(registry, lines, slip)
    before = registry.read_bytes()
    result = sco_cal("-r", registry, "list", "2020")
    assert (result.code, result.stdout) == (3, "")
    assert result.stderr == f"error: {registry}{expected.format(line=line)}\n"
    assert sco_cal("-r", registry, "list", "2020", env={"SCO_CAL_CACHE": "off"}).stderr == result.stderr
    assert registry.read_bytes() == before
