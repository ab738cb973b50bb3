"""The stretches between a month and a year that sources name, and the part of a month: quarters, halves,
seasons, the early, middle and late part of a year or of a month.

Each is a kind (the value of its ``Precision``), a year, and its ``part``: which quarter (1-4), half (1-2),
season (1 spring .. 4 winter), or third of a year or month (1 early, 2 mid, 3 late). This module knows their
months, their days, their storage text, their words and their EDTF (ISO 8601-2) codes; it works on plain
numbers, below ``values``, which builds ``DateValue`` on it.

Seasons are meteorological: in the northern hemisphere spring is March to May, summer June to August, autumn
September to November and winter December to February; in the southern hemisphere the same names fall six
months later. A season belongs to the year it begins in: winter 2020 is December 2020 to February 2021.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final

from sco_cal.dates.zones import MONTH_ABBR
from sco_cal.errors import InvalidInput

__all__ = [
    "HALF",
    "KINDS",
    "PARTS",
    "PART_OF_MONTH",
    "PART_OF_YEAR",
    "QUARTER",
    "SEASON",
    "SEASONS",
    "count",
    "edtf",
    "first_day",
    "first_month",
    "is_southern",
    "label",
    "last_day",
    "parse_storage",
    "part_of_day",
    "problem",
    "season_of",
    "start_of",
    "storage_text",
]


QUARTER: Final = "quarter"
HALF: Final = "half"
SEASON: Final = "season"
PART_OF_YEAR: Final = "part-of-year"
PART_OF_MONTH: Final = "part-of-month"

SEASONS: Final = ("spring", "summer", "autumn", "winter")
PARTS: Final = ("early", "mid", "late")

# How many parts each kind has, and how many months each part lasts (a part of a month: none).
_COUNT: Final = {QUARTER: 4, HALF: 2, SEASON: 4, PART_OF_YEAR: 3, PART_OF_MONTH: 3}
KINDS: Final = frozenset(_COUNT)
_MONTHS_LONG: Final = {QUARTER: 3, HALF: 6, SEASON: 3, PART_OF_YEAR: 4}
# The first day of the early, middle and late part of a month: 1-10, 11-20, 21 to the month's end.
_PART_DAYS: Final = (1, 11, 21)

# The storage forms: 2020-Q3, 2021-H1, 2020-spring, 2020-early, 2020-06-late (any case).
_STORAGE: Final = (
    r"(?i)(\d{4})-(?:q([1-4])|h([12])|(spring|summer|autumn|winter)|(early|mid|late))"
    r"|(\d{4})-(\d{2})-(early|mid|late)"
)
_SOUTHERN_SHIFT: Final = 6


def count(kind: str) -> int:
    return _COUNT[kind]


def start_of(kind: str, year: int, part: int, month: int | None = None) -> tuple[int, int]:
    """The month and day a part begins on (a season: the northern one), or ``InvalidInput`` for no part."""
    if not 1 <= (month or 1) <= 12:
        raise InvalidInput(f"{year:04d}-{month:02d} is not a month (01-12)")
    if not 1 <= part <= _COUNT[kind]:
        raise InvalidInput(f"{kind} {part} of {year} is not a part sco-cal knows")
    return first_month(kind, part, month), part_of_day(part) if kind == PART_OF_MONTH else 1


def problem(kind: str, year: int, part: int | None, month: int | None, day: int | None) -> str | None:
    """Why these fields are no part (a part begins on its first day, in either hemisphere); ``None`` if they are."""
    if kind not in _COUNT or part is None or not 1 <= part <= _COUNT[kind] or not 1 <= (month or 0) <= 12:
        return f"{kind} {part} of {year} is not a part sco-cal knows"
    assert month is not None
    starts = {first_month(kind, part, month, southern=south) for south in (False, True)}
    if month not in starts or day != first_day(kind, year, month, part).day:
        return f"{kind} {part} of {year} does not begin on {month}/{day}"
    return None


def first_month(kind: str, part: int, month: int | None = None, *, southern: bool = False) -> int:
    """The month a part begins in; a part of a month lies in ``month``."""
    if kind == PART_OF_MONTH:
        assert month is not None
        return month
    if kind == SEASON:
        northern = part * 3  # spring (1) begins in March
        return (northern + _SOUTHERN_SHIFT - 1) % 12 + 1 if southern else northern
    return (part - 1) * _MONTHS_LONG[kind] + 1


def season_of(month: int, *, southern: bool = False) -> int:
    """The season (1 spring .. 4 winter) that begins in ``month`` (3, 6, 9 or 12) in the given hemisphere."""
    return (month // 3 + 1) % 4 + 1 if southern else month // 3


def part_of_day(part: int) -> int:
    """The first day of the early (1), middle (2) or late (3) part of a month."""
    return _PART_DAYS[part - 1]


def first_day(kind: str, year: int, month: int, part: int) -> date:
    return date(year, month, part_of_day(part) if kind == PART_OF_MONTH else 1)


def last_day(kind: str, year: int, month: int, part: int) -> date:
    """The last day a part may fall on, inclusive: a winter ends in the next year's February."""
    if kind == PART_OF_MONTH:
        if part < len(_PART_DAYS):
            return date(year, month, _PART_DAYS[part] - 1)
        months_on = 1
    else:
        months_on = _MONTHS_LONG[kind]
    after = (month - 1) + months_on
    return date(year + after // 12, after % 12 + 1, 1) - timedelta(days=1)


def is_southern(kind: str, part: int, month: int) -> bool:
    return kind == SEASON and month != first_month(kind, part)


def storage_text(kind: str, year: int, month: int, part: int) -> str:
    """What a registry file holds: ``2020-Q3``, ``2021-H1``, ``2020-spring``, ``2020-mid``, ``2020-06-early``."""
    if kind == QUARTER:
        return f"{year:04d}-Q{part}"
    if kind == HALF:
        return f"{year:04d}-H{part}"
    if kind == SEASON:
        return f"{year:04d}-{SEASONS[part - 1]}"
    if kind == PART_OF_YEAR:
        return f"{year:04d}-{PARTS[part - 1]}"
    return f"{year:04d}-{month:02d}-{PARTS[part - 1]}"


def parse_storage(text: str) -> tuple[str, int, int, int | None] | None:
    """The kind, year, part and (for a part of a month) month of a storage form; ``None`` for anything else."""
    m = re.fullmatch(_STORAGE, text)
    if m is None:
        return None
    if m[6]:
        return PART_OF_MONTH, int(m[6]), PARTS.index(m[8].lower()) + 1, int(m[7])
    year = int(m[1])
    if m[2]:
        return QUARTER, year, int(m[2]), None
    if m[3]:
        return HALF, year, int(m[3]), None
    if m[4]:
        return SEASON, year, SEASONS.index(m[4].lower()) + 1, None
    return PART_OF_YEAR, year, PARTS.index(m[5].lower()) + 1, None


def label(kind: str, year: int | None, month: int, part: int) -> str:
    """The words for a part: ``Q3 2020``, ``H1 2021``, ``spring 2020``, ``winter 2020/21``, ``mid-2020``,
    ``early Jun 2020``; without the year when ``year`` is ``None`` (the left side of a range within one year)."""
    after = "" if year is None else f" {year}"
    if kind == QUARTER:
        return f"Q{part}{after}"
    if kind == HALF:
        return f"H{part}{after}"
    if kind == SEASON:
        return f"{SEASONS[part - 1]}{after}{_next_year(year, month, part)}"
    word = PARTS[part - 1]
    if kind == PART_OF_YEAR:
        return word if year is None else f"{word}{'-' if word == 'mid' else ' '}{year}"
    return f"{word}{'-' if word == 'mid' else ' '}{MONTH_ABBR[month - 1]}{after}"


def _next_year(year: int | None, month: int, part: int) -> str:
    """``/21`` after a season that ends in the next year (a northern winter: ``winter 2020/21``), else nothing."""
    if year is None or last_day(SEASON, year, month, part).year == year:
        return ""
    return f"/{(year + 1) % 100:02d}"


def edtf(kind: str, year: int, month: int, part: int) -> str:
    """The Extended Date/Time Format (ISO 8601-2) code: sub-year groupings 25-28 (northern seasons), 29-32
    (southern), 33-36 (quarters), 37-39 (thirds of a year: quadrimesters), 40-41 (halves). EDTF has no code for
    a third of a month: it is the interval of its days."""
    if kind == PART_OF_MONTH:
        first = first_day(kind, year, month, part)
        return f"{first.isoformat()}/{last_day(kind, year, month, part).isoformat()}"
    if kind == SEASON:
        return f"{year:04d}-{(28 if is_southern(kind, part, month) else 24) + part}"
    base = {QUARTER: 32, PART_OF_YEAR: 36, HALF: 39}[kind]
    return f"{year:04d}-{base + part}"
