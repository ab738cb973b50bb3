"""Typed text brought to the form the phrase grammar reads: one space between words (non-breaking spaces
too), the hyphens a release prints (U+2010, U+2011) as ``-``, the marks sco-cal prints around a date removed,
a leading ``in``, ``on`` or ``during`` dropped, and a year written first (``2020 Q3``) put last.

``phrases`` asks here before reading any form; ``not_understood`` is its last word on a phrase it cannot read.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["cleaned", "not_understood", "without_year"]

_HYPHENS: Final = r"[\u2010\u2011]"
# What sco-cal prints around a date ("Jun 2020 (date TBC)", "sometime in June 2020", how far off a day is, and
# the event's own local time after the display zone's, "11 Jun 2020 06:00 MSK (10 Jun 23:00 EDT)"): typed back,
# it is read as the date it decorates; the local time names the same instant, so it adds nothing.
_MARKS: Final = (
    r"(?i)\s*\((?:dates?\s+)?TBC\)|^sometime\s+in\s+|\s*\([^()]*\d:\d\d[^()]*\)$"
    r"|\s*\((?:today|tomorrow|yesterday|in \d+ days|\d+ days ago)\)$"
)
# "in the third quarter of 2020", "on 31 Oct 2019": the words a release puts before a date
_LEADING: Final = r"(?i)^(?:in|on|during)\s+(?=\S)"
_YEAR_FIRST: Final = r"(?i)(\d{4}),?\s+(q[1-4]|h[12]|spring|summer|autumn|fall|winter)"


def cleaned(text: str) -> str:
    one = re.sub(_MARKS, "", " ".join(re.sub(_HYPHENS, "-", text).split())).strip()
    one = re.sub(_LEADING, "", one)
    if m := re.fullmatch(_YEAR_FIRST, one):
        return f"{m[2]} {m[1]}"
    return one


def not_understood(text: str) -> str:
    return (
        f"{text!r} is not a date sco-cal understands; try 2020, Q3 2020, first half of 2021, spring 2020, "
        "mid-2020, June 2020, early June 2020, 31 Oct 2019, 2019-10-31, '2019-10-31 10:00 Europe/Moscow', "
        "'31 Oct 2019 10:00-12:00', today, tomorrow, +30d or next month"
    )


def without_year(text: str, phrase: str, year: int) -> str:
    """The refusal of a phrase that reads as a date once a year is added (``June``, ``early June``, ``Q3``)."""
    return f"{text!r} has no year, and sco-cal does not guess one; write '{phrase} {year}' or the year you mean"
