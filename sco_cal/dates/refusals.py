"""Why a date in a registry file is refused, and what to write instead.

A file holds the storage forms only (``2020-Q3``, ``2020-06``); people write there what they would type on the
command line (``Q3 2020``, ``June 2020``), an EDTF code (``2020-35``) or a slip (``2020-spirng``). Each gets a
message naming the stored spelling. Asked only when a date was refused, so a registry that loads never
imports the phrase grammar this needs.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Final

from sco_cal.dates.periods import PARTS, SEASONS
from sco_cal.dates.phrases import parse_span
from sco_cal.dates.values import DateValue
from sco_cal.errors import ScoCalError

__all__ = ["file_refusal"]

# A phrase that means the same on any day is one the file can hold in its stored spelling; "today" or "next
# month" depend on the day they are read, so they are refused as they are. Two days far apart tell them apart.
_PROBE_DAYS: Final = (date(2001, 1, 1), date(2011, 7, 15))
_STORED_WORDS: Final = (*SEASONS, *PARTS, "Q1", "Q2", "Q3", "Q4", "H1", "H2")
_NEAR_STORED: Final = r"(\d{4}-(?:\d{2}-)?)([A-Za-z][A-Za-z0-9]*)"
_EDTF_CODE: Final = r"\d{4}-(?:2[1-9]|3\d|4[01])"


def file_refusal(text: str, refused: str) -> str:
    """The message for ``text`` in a file, which the storage grammar refused with ``refused``."""
    cleaned = " ".join(text.split())
    if meant := _meant(cleaned):
        return _spelled(cleaned, meant)
    if near := _near_miss(cleaned):
        return f"{cleaned!r} is not a date sco-cal stores; did you mean {near}?"
    return refused


def _meant(text: str) -> tuple[DateValue, DateValue | None] | None:
    """What the command line would read ``text`` as, when that does not depend on the day it is read."""
    readings = set()
    for today in _PROBE_DAYS:
        try:
            readings.add(parse_span(text, today=today))
        except ScoCalError:  # not a date, or one that reads two ways: the storage grammar's message says more
            return None
    return readings.pop() if len(readings) == 1 else None


def _spelled(text: str, meant: tuple[DateValue, DateValue | None]) -> str:
    start, end = meant
    if re.fullmatch(_EDTF_CODE, text):
        assert start.part is not None
        return f"{text!r} is the EDTF code of {start.label()}; the file spells it {start.to_text()}"
    if end is None:
        return f"{text!r} is how a date is typed on the command line; in the file write {start.to_text()}"
    return (
        f"{text!r} is a span, as typed on the command line; in the file write start: {start.to_text()} "
        f"and end: {end.to_text()}"
    )


def _near_miss(text: str) -> str | None:
    """The stored form ``text`` is one slip away from (``2020-spirng``: ``2020-spring``), if any."""
    m = re.fullmatch(_NEAR_STORED, text)
    if m is None:
        return None
    close = difflib.get_close_matches(m[2].lower(), [word.lower() for word in _STORED_WORDS], n=1, cutoff=0.6)
    near = f"{m[1]}{close[0].upper() if close[0][0] in 'qh' else close[0]}" if close else None
    return near if near is not None and near.lower() != text.lower() else None  # the slip is elsewhere
