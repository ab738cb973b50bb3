"""Dates as sources give them, the bottom of sco-cal's core: it imports nothing of sco-cal but ``errors`` and
``pickling``. Outside ``sco_cal.dates`` import from here; the modules inside import one another directly.

- ``values``: ``Precision`` and ``DateValue``, a date known to a precision, its storage grammar and its
  display; ``MONTH_ABBR`` and the day and clock texts ``display`` shares.
- ``windows``: ``Window``, the stretch of time a query asks about, and ``Span``, what an event may cover.
- ``display``: ``display_span``, ``display_lines``, ``time_of_day``; ``relative`` and ``relative_days``.
- ``zones``: ``zone_for``; ``is_abbreviation`` and ``abbreviation_refused`` for ``EST``-like names.
- ``phrases``: what people type (``add --date``, windows); imported on its own, not from here, so that a
  command that reads no phrase does not load its grammar.
"""

from __future__ import annotations

from sco_cal.dates.display import display_lines, display_span, relative, relative_days, time_of_day
from sco_cal.dates.values import MONTH_ABBR, DateValue, Precision
from sco_cal.dates.windows import Span, Window
from sco_cal.dates.zones import abbreviation_refused, is_abbreviation, zone_for

__all__ = [
    "MONTH_ABBR",
    "DateValue",
    "Precision",
    "Span",
    "Window",
    "abbreviation_refused",
    "display_lines",
    "display_span",
    "is_abbreviation",
    "relative",
    "relative_days",
    "time_of_day",
    "zone_for",
]
