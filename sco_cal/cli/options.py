"""The options every reading command shares (``list``, ``upcoming``, ``export``...), and turning them into
the core's ``Filters``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from sco_cal.dates import Window, zone_for
from sco_cal.dates.phrases import parse_days, parse_window
from sco_cal.errors import InvalidInput
from sco_cal.model import Kind, Status
from sco_cal.query import Filters

__all__ = [
    "ExactOpt",
    "FromOpt",
    "KindOpt",
    "OrgOpt",
    "SearchOpt",
    "SeriesOpt",
    "StatusOpt",
    "TagOpt",
    "ToOpt",
    "filters_from",
    "window_from",
]

OrgOpt = Annotated[list[str] | None, typer.Option("--org", "-o", help="Only events of this organisation (repeatable).")]
KindOpt = Annotated[list[Kind] | None, typer.Option("--kind", "-k", help="Only events of this kind (repeatable).")]
StatusOpt = Annotated[
    list[Status] | None, typer.Option("--status", "-s", help="Only events with this status (repeatable).")
]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", "-t", help="Only events with this tag (repeatable).")]
SeriesOpt = Annotated[list[str] | None, typer.Option("--series", help="Only events of this series, e.g. sco-ewg.")]
SearchOpt = Annotated[str | None, typer.Option("--search", "-q", help="Only events whose text contains this.")]
ExactOpt = Annotated[bool, typer.Option("--exact", help="Only events whose whole span is certain (no TBC dates).")]
FromOpt = Annotated[str | None, typer.Option("--from", help="From this day on: 2020-01-01, 'June 2020', today.")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Up to this day, inclusive: 2020-12-31, 'June 2020', +30d.")]


def window_from(
    phrase: str | None, start: str | None, end: str | None, *, today: date, zone: str, southern: bool = False
) -> Window | None:
    """A window from a phrase (``June 2020``, ``Q3 2020``) or ``--from``/``--to``; ``None`` when none was given.
    Seasons are the southern hemisphere's when ``southern`` (the registry says ``seasons: southern``)."""
    tz = zone_for(zone)
    if phrase is not None:
        if start or end:
            raise typer.BadParameter("give a window phrase or --from/--to, not both", param_hint="WINDOW")
        return parse_window(phrase, today=today, zone=tz, zones=(zone,), wall_zone=zone, southern=southern)
    if start is None and end is None:
        return None
    first = _typed_day(start, today, zone, 0, southern)
    last = _typed_day(end, today, zone, 1, southern)
    if first is not None and last is not None and last < first:
        raise InvalidInput(f"--to {end!r} is before --from {start!r}; the window would be empty")
    return Window.from_to(first, last, tz)


def _typed_day(text: str | None, today: date, zone: str, which: int, southern: bool = False) -> date | None:
    """The first (``which`` 0) or last (1) day ``--from``/``--to`` names; a time in it must happen once."""
    return parse_days(text, today=today, zones=(zone,), wall_zone=zone, southern=southern)[which] if text else None


def upcoming_window(start: str | None, days: int, *, today: date, zone: str, southern: bool = False) -> Window:
    """``days`` whole days from ``--from`` (or today): the same stretch ``agenda`` shows."""
    return Window.days_ahead(_typed_day(start, today, zone, 0, southern) or today, days, zone)


def filters_from(
    window: Window | None,
    *,
    org: list[str] | None,
    kind: list[Kind] | None,
    status: list[Status] | None,
    tag: list[str] | None,
    series: list[str] | None,
    search: str | None,
    exact: bool,
) -> Filters:
    return Filters(
        window=window,
        orgs=tuple(org or ()),
        kinds=tuple(kind or ()),
        statuses=tuple(status or ()),
        tags=tuple(tag or ()),
        series=tuple(series or ()),
        text=search,
        exact=exact,
    )
