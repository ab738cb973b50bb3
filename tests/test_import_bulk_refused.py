"""A change the registry's reader would refuse, in a real import: refused as the dry run refuses it, with the
same messages, and nothing written, though a real run leaves the reading back to the save.

No event sco-cal can import is refused by its reader today (the importer checks what the reader checks), so
the reader is made to refuse some titles here, in this process, as a future reader rule might."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_import_bulk import _big_registry

from sco_cal.errors import InvalidCalendar
from sco_cal.ics.merge import Plan
from sco_cal.registry import Registry, init, load
from sco_cal.registry.yaml import field_readers
from sco_cal.registry.yaml.problems import Bad
from sco_cal.registry.yaml.scalars import text
from sco_cal.services.importing import ImportRun


def _refusing_title(node: yaml.Node, what: str) -> str:
    value = text(node, what)
    if value.startswith("Refuse me"):
        raise Bad(node, f"{what}: refused by this test's reader")
    return value


@dataclass
class _Place:
    registry_path: Path

    def registry(self) -> Registry:
        return load(self.registry_path)

    def write_options(self) -> dict[str, Any]:
        return {}


@dataclass
class _Outcome:
    reports: list[tuple[int, list[str]]] = field(default_factory=list)  # the new events and errors of each report
    raised: str = ""


def _import(path: Path, calendar: bytes, *, dry_run: bool) -> _Outcome:
    outcome = _Outcome()

    def report(plan: Plan, _source: str, _zone: str) -> None:
        outcome.reports.append((plan.count("new"), list(plan.errors)))

    run = ImportRun(_Place(path), datetime(2030, 1, 1, tzinfo=UTC), lambda _warning: None, report)
    with pytest.raises(InvalidCalendar) as raised:
        run.run("-", io.BytesIO(calendar), dry_run=dry_run)
    outcome.raised = str(raised.value)
    return outcome


def _calendar(count: int, refused: set[int]) -> bytes:
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:r-{n}@test\r\nDTSTART;VALUE=DATE:2031{n % 12 + 1:02d}10\r\n"
        f"SUMMARY:{'Refuse me' if n in refused else 'Kept'} {n}\r\nEND:VEVENT\r\n"
        for n in range(count)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n".encode()


@pytest.mark.parametrize("kind", ["empty", "big"])
def test_a_change_the_reader_refuses_is_refused_alike_in_a_real_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    path = tmp_path / "registry.yaml"
    if kind == "big":
        _big_registry(path)
    else:
        init(path, name="t", timezone="UTC")
    before = path.read_bytes()
    monkeypatch.setitem(field_readers.READ_AS, "title", ("title", _refusing_title))
    calendar = _calendar(120, {7, 99})
    dry = _import(path, calendar, dry_run=True)
    real = _import(path, calendar, dry_run=False)
    assert real == dry
    assert dry.reports == [
        (
            118,
            [
                f"<stdin>:{line}: title: refused by this test's reader (UID {uid!r})"
                for line, uid in ((3 + 7 * 5, "r-7@test"), (3 + 99 * 5, "r-99@test"))
            ],
        )
    ]
    assert real.raised == "2 events cannot be imported; nothing was written"
    assert path.read_bytes() == before
