"""Dates counted from today: ``today``, ``tomorrow``, ``yesterday``, ``+30d``, ``-2w``, ``+1m``, ``next month``,
``last year``. ``today`` is always an argument: only the CLI reads the clock."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final

from sco_cal.dates.values import DateValue

__all__ = ["RELATIVE", "relative_date"]

RELATIVE: Final = r"([+-])\s*(\d{1,4})\s*([dwmy])"


def relative_date(lowered: str, today: date) -> DateValue | None:
    """The day, month or year a word counted from ``today`` names; ``None`` for anything else."""
    words = {"today": 0, "tomorrow": 1, "yesterday": -1}
    if lowered in words:
        return DateValue.of_day(today + timedelta(days=words[lowered]))
    year_words = {"this year": 0, "next year": 1, "last year": -1}
    if lowered in year_words:
        return DateValue.of_year(today.year + year_words[lowered])
    month_words = {"this month": 0, "next month": 1, "last month": -1}
    m = re.fullmatch(RELATIVE, lowered)
    if m is None and lowered not in month_words:
        return None
    # month steps clip to the month's last day; imported only here, not for every date typed
    from dateutil.relativedelta import relativedelta

    if m is not None:
        amount = int(m[2]) * (-1 if m[1] == "-" else 1)
        step = {
            "d": relativedelta(days=amount),
            "w": relativedelta(weeks=amount),
            "m": relativedelta(months=amount),
            "y": relativedelta(years=amount),
        }[m[3]]
        return DateValue.of_day(today + step)
    first = today.replace(day=1) + relativedelta(months=month_words[lowered])
    return DateValue.of_month(first.year, first.month)
