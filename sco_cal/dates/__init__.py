"""Dates as sources give them: the precision model, zones, windows and how a date is shown.

What people type (``add --date``, windows) is read by ``sco_cal.dates.phrases``, imported on its own so that a
command that reads no phrase does not load its grammar.
"""

from __future__ import annotations

from sco_cal.dates.values import (
    MONTH_ABBR,
    DateValue,
    Precision,
    Span,
    Window,
    abbreviation_refused,
    display_lines,
    display_span,
    is_abbreviation,
    time_of_day,
    zone_for,
)

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
    "time_of_day",
    "zone_for",
]
