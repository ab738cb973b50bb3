"""Dates as sources give them, the bottom of sco-cal's core: it imports nothing of sco-cal but ``errors`` and
``pickling``. Outside ``sco_cal.dates`` import from here; the modules inside import one another directly.

- ``values``: ``Precision`` and ``DateValue``, a date known to a precision, its storage grammar and its
  display; ``MONTH_ABBR`` and the day and clock texts ``display`` shares.
- ``windows``: ``Window``, the stretch of time a query asks about, and ``Span``, what an event may cover.
- ``display``: ``display_span``, ``display_lines``, ``time_of_day``; ``relative`` and ``relative_days``.
- ``zones``: ``zone_for``; ``is_abbreviation`` and ``abbreviation_refused`` for ``EST``-like names.
- ``periods``: the parts of a year or month (quarters, halves, seasons, early/mid/late): months, words, EDTF.
- ``refusals``: why a date in a registry file is refused, naming the spelling the file takes.
- ``phrases`` (with ``part_phrases``, ``wording`` and ``counted``): what people type (``add --date``,
  windows). ``parse_date``, ``parse_span``, ``parse_window`` and ``parse_days`` are importable from here, but
  load the grammar only when first asked for, so that a command that reads no phrase does not load it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sco_cal.dates.display import display_lines, display_span, relative, relative_days, time_of_day
from sco_cal.dates.values import MONTH_ABBR, DateValue, Precision
from sco_cal.dates.windows import Span, Window
from sco_cal.dates.zones import Hemisphere, abbreviation_refused, is_abbreviation, zone_for

if TYPE_CHECKING:
    from sco_cal.dates.phrases import parse_date, parse_days, parse_span, parse_window

_PHRASES = ("parse_date", "parse_days", "parse_span", "parse_window")


def __getattr__(name: str) -> Any:
    if name in _PHRASES:
        return getattr(importlib.import_module("sco_cal.dates.phrases"), name)
    raise AttributeError(f"module 'sco_cal.dates' has no attribute {name!r}")


__all__ = [
    "MONTH_ABBR",
    "DateValue",
    "Hemisphere",
    "Precision",
    "Span",
    "Window",
    "abbreviation_refused",
    "display_lines",
    "display_span",
    "is_abbreviation",
    "parse_date",
    "parse_days",
    "parse_span",
    "parse_window",
    "relative",
    "relative_days",
    "time_of_day",
    "zone_for",
]
