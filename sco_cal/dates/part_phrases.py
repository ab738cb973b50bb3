"""What people type for a part of a year or of a month: ``Q3 2020``, ``the third quarter of 2020``,
``first half of 2021``, ``H1 2021``, ``spring 2020``, ``winter 2020/21``, ``early June 2020``, ``mid-June 2020``,
``the end of 2020``, ``mid-2020``, and the EDTF codes (``2020-35``).

``phrases`` asks here once its own forms are exhausted; the text comes cleaned (one space between words, the
marks sco-cal prints removed). Seasons are read in the northern hemisphere; ``phrases`` moves them.
"""

from __future__ import annotations

import re
from typing import Final

from sco_cal.dates.periods import HALF, PART_OF_MONTH, PART_OF_YEAR, QUARTER, SEASON
from sco_cal.dates.values import DateValue, Precision
from sco_cal.dates.zones import MONTH_ABBR
from sco_cal.errors import InvalidInput

__all__ = ["borrowed", "parse_part", "spelled_range"]

_ORDINALS: Final = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "final": 4,
    "last": 4,
    "latter": 2,
}
_PART_WORDS: Final = {
    "early": 1,
    "beginning of": 1,
    "start of": 1,
    "mid": 2,
    "middle of": 2,
    "late": 3,
    "end of": 3,
}
_SEASON_WORDS: Final = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}
_DASH: Final = r"[-\u2013\u2014]"
_THE: Final = r"(?:the\s+)?"
_YEAR: Final = r"(?:of\s+|in\s+)?(\d{4})"
_ORDINAL: Final = "|".join(_ORDINALS)
_PART: Final = r"early|beginning\s+of|start\s+of|mid|middle\s+of|late|end\s+of"
_SEASON: Final = "|".join(_SEASON_WORDS)
# Each form, with the precision it names; the groups are (part, year), or (part, month, year).
_FORMS: Final = (
    (QUARTER, rf"(?i){_THE}q([1-4]),?\s*{_YEAR}"),
    (QUARTER, rf"(?i)([1-4])q\s*{_YEAR}"),
    (QUARTER, rf"(?i){_THE}({_ORDINAL})\s+quarter\s+{_YEAR}"),
    (HALF, rf"(?i){_THE}h([12]),?\s*{_YEAR}"),
    (HALF, rf"(?i)([12])h\s*{_YEAR}"),
    (HALF, rf"(?i){_THE}({_ORDINAL})\s+half\s+{_YEAR}"),
    (SEASON, rf"(?i){_THE}({_SEASON})\s+{_YEAR}"),
    (PART_OF_MONTH, rf"(?i){_THE}({_PART})(?:\s*{_DASH}\s*|\s+)(?:in\s+)?([a-z]{{3,9}})\.?,?\s+(?:of\s+)?(\d{{4}})"),
    (PART_OF_YEAR, rf"(?i){_THE}({_PART})(?:\s*{_DASH}\s*|\s+){_YEAR}"),
)
# ``winter 2020/21`` and ``winter 2020-2021``: the season that begins in 2020 and ends in 2021 (a northern
# winter, a southern summer)
_ACROSS: Final = rf"(?i)(?:the\s+)?({_SEASON})\s+(?:of\s+)?(\d{{4}})\s*[/\u2013\u2014-]\s*(\d{{2}}|\d{{4}})"
# EDTF sub-year groupings: 21-24 seasons anywhere, 25-28 northern, 29-32 southern, 33-36 quarters,
# 37-39 thirds, 40-41 halves
_EDTF: Final = r"(\d{4})-(2[1-9]|3\d|4[01])"
_PART_DASH: Final = r"(?i)\b(early|mid|late)[\u2013\u2014](?=\S)"
# ``Q3-Q4 2020``, ``H1-H2 2021``: a range whose dash has no spaces around it
_TIGHT_RANGE: Final = rf"(?i)(q[1-4]|h[12])\s*{_DASH}\s*((?:q[1-4]|h[12])\s+\d{{4}})"


def parse_part(cleaned: str, month_number: dict[str, int], *, southern: bool = False) -> DateValue | None:
    """The part ``cleaned`` names, a season in the registry's hemisphere; ``None`` when it names none."""
    if m := re.fullmatch(_EDTF, cleaned):
        return _from_edtf(int(m[1]), int(m[2]), southern)
    if m := re.fullmatch(_ACROSS, cleaned):
        return _across(_SEASON_WORDS[m[1].lower()], int(m[2]), m[3], southern)
    value = next(
        (_value(Precision(kind), m, month_number) for kind, p in _FORMS if (m := re.fullmatch(p, cleaned))), None
    )
    return value.in_hemisphere(southern=southern) if value is not None else None


def spelled_range(cleaned: str) -> str:
    """``Q3-Q4 2020`` as the range the general grammar reads, ``Q3 - Q4 2020``; ``mid\u2013June`` (a dash that
    a range would split at) as ``mid-June``; anything else as it is."""
    if m := re.fullmatch(_TIGHT_RANGE, cleaned):
        return f"{m[1]} - {m[2]}"
    return re.sub(_PART_DASH, r"\1-", cleaned)


def borrowed(left: str, end: DateValue) -> str:
    """What the left side of a range takes from the right: the year, and the month after a bare ``early``,
    ``mid`` or ``late`` when the right side is a part of a month (``early - mid June 2020``)."""
    if end.precision is Precision.PART_OF_MONTH and re.fullmatch(rf"(?i){_PART}", left):
        return f"{MONTH_ABBR[(end.month or 1) - 1]} {end.year}"
    return str(end.year)


def _value(precision: Precision, m: re.Match[str], month_number: dict[str, int]) -> DateValue | None:
    word = " ".join(m[1].lower().split())
    if precision is Precision.PART_OF_MONTH:
        month = month_number.get(m[2].lower())
        return None if month is None else DateValue.of_part(precision, int(m[3]), _PART_WORDS[word], month)
    if precision is Precision.SEASON:
        return DateValue.of_part(precision, int(m[2]), _SEASON_WORDS[word])
    if precision is Precision.PART_OF_YEAR:
        return DateValue.of_part(precision, int(m[2]), _PART_WORDS[word])
    part = int(word) if word.isdigit() else _ORDINALS[word]
    if precision is Precision.HALF:
        if part > 2 and word not in ("last", "final"):
            return None  # "the third half" names nothing
        part = min(part, 2)
    return DateValue.of_part(precision, int(m[2]), part)


def _across(season: int, year: int, following: str, southern: bool) -> DateValue | None:
    """A season named with both years, which must be one that ends in the second (``summer 2020/21`` is a
    southern summer only); ``None`` for years that do not follow each other."""
    end = int(following) if len(following) == 4 else year // 100 * 100 + int(following)
    value = DateValue.of_part(Precision.SEASON, year, season).in_hemisphere(southern=southern)
    if end != year + 1:
        return None
    if value.last_day().year != end:
        raise InvalidInput(f"{value.label()} ends in {year} in this registry's hemisphere; write '{value.label()}'")
    return value


def _from_edtf(year: int, code: int, southern: bool) -> DateValue:
    """An EDTF sub-year code as the value it names; a season of the other hemisphere is named as the registry's
    hemisphere names its months (the southern spring of 2020 is a northern registry's autumn 2020)."""
    if code <= 24:
        return DateValue.of_part(Precision.SEASON, year, code - 20).in_hemisphere(southern=southern)
    if code <= 32:
        first = DateValue.of_part(Precision.SEASON, year, (code - 25) % 4 + 1).in_hemisphere(southern=code > 28)
        return first.in_hemisphere(southern=southern, renamed=True)
    for precision, first_code, last_code in ((Precision.QUARTER, 33, 36), (Precision.PART_OF_YEAR, 37, 39)):
        if first_code <= code <= last_code:
            return DateValue.of_part(precision, year, code - first_code + 1)
    return DateValue.of_part(Precision.HALF, year, code - 39)
