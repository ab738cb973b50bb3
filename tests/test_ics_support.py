"""Shared by the iCalendar tests: a generated registry with every date kind, and what a viewer in a given zone
must see of each event. (No tests here; pytest collects the module and finds none.)"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sco_cal.dates import DateValue, Precision
from sco_cal.ics import publish
from sco_cal.model import Event, Kind, Status, Venue
from sco_cal.registry import editing, init

VIEWER_ZONES = ("Pacific/Kiritimati", "UTC", "America/New_York", "Pacific/Pago_Pago")
REGISTRY_ZONE = "Europe/Moscow"


def _v(text: str) -> DateValue:
    return DateValue.from_text(text)


def generated_events() -> list[Event]:
    """One event per kind of date a feed must carry, each titled with a unique tag [gNN] to find it by."""
    specs: list[tuple[str, str | None, dict[str, object]]] = [
        ("2021-03-14", None, {}),  # a day, on the US DST change
        ("2020-12-31", "2021-01-01", {}),  # days across a year boundary
        ("2019-10-31 10:00 Europe/Moscow", "2019-10-31 12:00 Europe/Moscow", {}),
        ("2020-06-24 09:30", None, {}),  # the registry's zone, and a moment with no end
        ("2020-03-08 23:30 UTC", "2020-03-09 00:30 UTC", {}),  # over midnight UTC
        ("2021-07-01T08:00+05:30", "2021-07-01T09:00+05:30", {}),  # a fixed offset
        ("2021-03-14 03:30 America/New_York", "2021-03-14 04:30 America/New_York", {}),  # just after the jump
        ("2022-01-01 00:15 Pacific/Kiritimati", "2022-01-01 01:00 Pacific/Kiritimati", {}),
        ("2022-12-31 22:00 Pacific/Pago_Pago", "2022-12-31 23:30 Pacific/Pago_Pago", {}),
        ("2020-06", None, {"status": Status.PLANNED}),  # some day in June 2020
        ("2023", "2023", {"status": Status.SCHEDULED}),  # the whole of 2023
        ("2024-02", "2024-03", {}),  # some time in February or March 2024
        ("2010-03-01", None, {"recurrence": "FREQ=YEARLY", "status": Status.HELD}),
        ("2015-07-01 12:00 Europe/Berlin", "2015-07-01 13:00 Europe/Berlin", {"recurrence": "FREQ=YEARLY"}),
        ("2020-02-10", None, {"status": Status.CANCELLED}),
        ("1950-05-09", None, {"status": Status.HELD}),
        ("2090-05-09 10:00 Europe/Moscow", "2090-05-09 11:00 Europe/Moscow", {}),  # beyond 2038
        ("2020-11-05", "2020-11-06", {"status": Status.POSTPONED}),
    ]
    events = []
    for number, (start, end, extra) in enumerate(specs, start=1):
        title = f"[g{number:02d}] Встреча; «СНГ», 北京 — 🎌 \\ {start}"
        events.append(
            Event(
                id=f"gen-{number:02d}",
                title=title,
                kind=Kind.MEETING,
                start=_v(start),
                end=_v(end) if end else None,
                venue=Venue(name="Moscow, Kremlin; hall 2", country="Russia") if number % 3 == 0 else None,
                orgs=("SCO", "CSTO") if number % 2 else ("CIS",),
                notes="line one\nline two, with ; and \\ and : ok" if number % 4 == 0 else None,
                **extra,  # type: ignore[arg-type]  # the specs hold field values
            )
        )
    return events


def make_registry(path: Path, events: list[Event], zone: str = REGISTRY_ZONE) -> Path:
    init(path, name="Generated", timezone=zone)
    with editing(path) as editor:
        for event in events:
            editor.add(event)
    return path


@dataclass(frozen=True)
class Seen:
    """One occurrence as a viewer sees it: first and last day, and local start/end times for a timed event."""

    first: date
    last: date
    start: str | None = None  # "HH:MM"
    end: str | None = None


def expected(event: Event, viewer: str, default_zone: str = REGISTRY_ZONE) -> Seen:
    """The first occurrence of ``event`` as a viewer in ``viewer`` must see it (span policy)."""
    timing = publish.when(event, publish.Policy.SPAN, default_zone)
    assert timing is not None
    start, end = timing
    if isinstance(start, datetime):
        local = start.astimezone(ZoneInfo(viewer))
        local_end = (end if isinstance(end, datetime) else start).astimezone(ZoneInfo(viewer))
        return Seen(local.date(), local_end.date(), f"{local:%H:%M}", f"{local_end:%H:%M}")
    assert isinstance(end, date)
    return Seen(start, end - timedelta(days=1))


def is_timed(event: Event) -> bool:
    return event.start is not None and event.start.precision is Precision.MINUTE


def tag(event: Event) -> str:
    return event.title.split("]", 1)[0] + "]"


def client(env_name: str | None, binary: str) -> str:
    """The path of a client's binary, or skip (fail in CI: .ci/run installs them)."""
    local = Path(__file__).resolve().parent.parent / ".ci" / "khal-venv" / "bin" / binary  # where .ci/run puts it
    candidates = [os.environ.get(env_name) if env_name else None, shutil.which(binary), str(local)]
    for found in candidates:
        if found and Path(found).exists():
            return found
    message = f"{binary} not installed: .ci/run installs it (apt-get install calcurse; pip install khal)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
