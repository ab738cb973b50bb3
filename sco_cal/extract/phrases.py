"""Finding the date phrases of a sentence: days, day ranges (across months too), months, coarse spans
(quarters, halves, seasons, early/mid/late), years and year ranges, weekdays and relative words.

Each is returned as a ``Mention``: where it is, and the phrase in sco-cal's own grammar (what ``add --date``
reads), with ``{year}`` where the text leaves the year out.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

__all__ = ["OR_BETWEEN", "Mention", "find_mentions"]

_MONTH_NAMES: Final = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
M: Final = rf"(?:{_MONTH_NAMES})(?![a-z])"
D: Final = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
Y: Final = r"(?:19|20)\d\d(?![\d-])"
_TO: Final = r"\s*(?:-|to|until|till|through|and)\s*"
_WEEKDAY: Final = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_ORDINALS: Final = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_PARTS: Final = {
    "early": "early",
    "beginning of": "early",
    "start of": "early",
    "mid": "mid",
    "middle of": "mid",
    "late": "late",
    "end of": "late",
}
_PART: Final = r"(?:early|mid|late|(?:the\s+)?(?:beginning|start|middle|end)\s+of)"
_YEAR_WORD: Final = r"(?:(?P<y>(?:19|20)\d\d)(?![\d-])|(?P<rel>this|next|last|the\s+current|the)\s+year)"


@dataclass(frozen=True, slots=True)
class Mention:
    """A date phrase: where it is in its sentence, the words, and the phrase for ``parse_span``.

    ``phrase`` holds ``{year}`` (and perhaps ``{next_year}``) where the text gave no year; ``relative`` is a word
    ``parse_span`` reads against the publication day (``tomorrow``, ``next year``); ``weekday`` is 0-6 for
    ``on Thursday``. ``in_name`` marks a year that names something ("Peace Mission-2016", "the 2020 summit").
    """

    start: int
    end: int
    words: str
    phrase: str
    relative: bool = False
    weekday: int | None = None
    in_name: bool = False
    either: bool = False  # "9 or 10 June", "April or May": one of these, so some time in the period they share

    @property
    def needs_year(self) -> bool:
        return "{year" in self.phrase or self.relative or self.weekday is not None


def _day(text: str) -> str:
    return re.sub(r"(?:st|nd|rd|th)$", "", text)


def _month(text: str) -> str:
    return text.rstrip(".")


def _year_or_slot(m: re.Match[str], group: str = "y") -> str:
    return m[group] if m[group] else "{year}"


def _relative_year(m: re.Match[str]) -> tuple[str, bool]:
    """The year of a coarse span: written, or ``this``/``next``/``last year`` read against the publication."""
    if m["y"]:
        return m["y"], False
    word = " ".join(m["rel"].split())
    return {"this": "{year}", "the current": "{year}", "the": "{year}", "next": "{year+1}", "last": "{year-1}"}[
        word
    ], False


# Each form: its pattern and how to write the phrase from the match. The order is the order of preference
# where two overlap (the longer match wins anyway).
Builder = Callable[[re.Match[str]], str]
_FORMS: Final[list[tuple[str, Builder]]] = [
    (  # 9 or 10 June [2020] (one of the two days)
        rf"(?P<d1>{D}),?\s+or\s+(?P<d2>{D})\s+(?P<m>{M})(?:,?\s+(?P<y>{Y}))?",
        lambda m: f"{_day(m['d1'])}-{_day(m['d2'])} {_month(m['m'])} {_year_or_slot(m)}",
    ),
    (  # June 9 or 10[, 2020]
        rf"(?P<m>{M})\s+(?P<d1>{D}),?\s+or\s+(?P<d2>{D})(?:,?\s+(?P<y>{Y}))?",
        lambda m: f"{_day(m['d1'])}-{_day(m['d2'])} {_month(m['m'])} {_year_or_slot(m)}",
    ),
    (  # April or May [of] 2020 (one of the two months)
        rf"(?P<m1>{M}),?\s+or\s+(?P<m2>{M}),?\s+(?:of\s+)?(?P<y>{Y})",
        lambda m: f"{_month(m['m1'])} - {_month(m['m2'])} {m['y']}",
    ),
    (  # in April or May
        rf"(?:in|for|during|by|until)\s+(?P<m1>{M}),?\s+or\s+(?P<m2>{M})(?![\w-]|,?\s+\d)",
        lambda m: f"{_month(m['m1'])} - {_month(m['m2'])} {{year}}",
    ),
    (  # 2020 or 2021
        r"(?P<y1>(?:19|20)\d\d),?\s+or\s+(?P<y2>(?:19|20)\d\d)(?![\d-])",
        lambda m: f"{m['y1']}-{m['y2']}",
    ),
    (  # 31 October - 1 November [2019]
        rf"(?:from\s+)?(?P<d1>{D})\s+(?P<m1>{M})(?:,?\s+(?P<y1>{Y}))?{_TO}(?P<d2>{D})\s+(?P<m2>{M})(?:,?\s+(?P<y>{Y}))?",
        lambda m: (
            f"{_day(m['d1'])} {_month(m['m1'])}{' ' + m['y1'] if m['y1'] else ''} - "
            f"{_day(m['d2'])} {_month(m['m2'])} {_year_or_slot(m)}"
        ),
    ),
    (  # October 31 - November 1, 2019
        rf"(?:from\s+)?(?P<m1>{M})\s+(?P<d1>{D}){_TO}(?P<m2>{M})\s+(?P<d2>{D})(?:,?\s+(?P<y>{Y}))?",
        lambda m: f"{_day(m['d1'])} {_month(m['m1'])} - {_day(m['d2'])} {_month(m['m2'])} {_year_or_slot(m)}",
    ),
    (  # 3-4 March [2020], from 3 to 5 March
        rf"(?:from\s+|between\s+)?(?P<d1>{D}){_TO}(?P<d2>{D})\s+(?P<m>{M})(?:,?\s+(?P<y>{Y}))?",
        lambda m: f"{_day(m['d1'])}-{_day(m['d2'])} {_month(m['m'])} {_year_or_slot(m)}",
    ),
    (  # March 3-4, 2020
        rf"(?:from\s+)?(?P<m>{M})\s+(?P<d1>{D}){_TO}(?P<d2>{D})(?:,?\s+(?P<y>{Y}))?",
        lambda m: f"{_day(m['d1'])}-{_day(m['d2'])} {_month(m['m'])} {_year_or_slot(m)}",
    ),
    (  # 11 October last year, October 11 next year
        rf"(?:(?P<d>{D})\s+(?P<m>{M})|(?P<m2>{M})\s+(?P<d2>{D}))\s+(?P<rel>last|this|next)\s+year",
        lambda m: (
            f"{_day(m['d'] or m['d2'])} {_month(m['m'] or m['m2'])} "
            + {"last": "{year-1}", "this": "{year}", "next": "{year+1}"}[m["rel"]]
        ),
    ),
    (  # [Thursday,] 5 March [2020]; the 5th of March
        rf"(?:{_WEEKDAY},?\s+)?(?:the\s+)?(?P<d>{D})\s+(?:of\s+)?(?P<m>{M})(?:,?\s+(?P<y>{Y}))?",
        lambda m: f"{_day(m['d'])} {_month(m['m'])} {_year_or_slot(m)}",
    ),
    (  # [Thursday,] March 5[, 2020]
        rf"(?:{_WEEKDAY},?\s+)?(?P<m>{M})\s+(?P<d>{D})(?:,?\s+(?P<y>{Y}))?",
        lambda m: f"{_day(m['d'])} {_month(m['m'])} {_year_or_slot(m)}",
    ),
    (  # early June [2020], mid-June, the end of June
        rf"(?:the\s+)?(?P<part>{_PART})[-\s]+(?P<m>{M})(?:,?\s+(?:of\s+)?(?P<y>{Y}))?",
        lambda m: f"{_part(m['part'])}{'-' if _part(m['part']) == 'mid' else ' '}{_month(m['m'])} {_year_or_slot(m)}",
    ),
    (  # June - July 2020
        rf"(?P<m1>{M}){_TO}(?P<m2>{M}),?\s+(?:of\s+)?(?P<y>{Y})",
        lambda m: f"{_month(m['m1'])} - {_month(m['m2'])} {m['y']}",
    ),
    (  # June 2020, June of 2020
        rf"(?P<m>{M}),?\s+(?:of\s+)?(?P<y>{Y})",
        lambda m: f"{_month(m['m'])} {m['y']}",
    ),
    (  # in June (a month without its year, after a word that makes it a date, not the verb "may")
        rf"(?:in|for|during|until|till|by|from|to|of|this|next|last)\s+(?P<m>{M})(?![\w-]|\s+\d)",
        lambda m: f"{_month(m['m'])} {{year}}",
    ),
    (  # Q3 2020, the third quarter of 2020
        (
            rf"(?:Q(?P<q>[1-4])\s+|(?:the\s+)?(?P<qw>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?)"
            rf"{_YEAR_WORD}"
        ),
        lambda m: f"Q{m['q'] or _ORDINALS[m['qw']]} {_relative_year(m)[0]}",
    ),
    (  # H1 2021, the first half of 2021
        rf"(?:H(?P<h>[12])\s+|(?:the\s+)?(?P<hw>first|second|1st|2nd)\s+half\s+(?:of\s+)?){_YEAR_WORD}",
        lambda m: f"H{m['h'] or _ORDINALS[m['hw']]} {_relative_year(m)[0]}",
    ),
    (  # spring 2020, summer of 2020, this autumn
        (
            rf"(?P<s>spring|summer|autumn|fall|winter)\s+(?:of\s+)?(?P<y>{Y})"
            rf"|(?P<rel2>this|next|last)\s+(?P<s2>spring|summer|autumn|fall|winter)"
        ),
        lambda m: _season(m),
    ),
    (  # early 2020, mid-2020, the end of 2020, by the end of the year
        rf"(?:the\s+)?(?P<part>{_PART})[-\s]+{_YEAR_WORD}",
        lambda m: f"{_part(m['part'])}{'-' if _part(m['part']) == 'mid' else ' '}{_relative_year(m)[0]}",
    ),
    (  # 2020-2021, from 2020 to 2022, 2021-22
        (
            r"(?:from\s+|between\s+)?(?P<y1>(?:19|20)\d\d)(?:\s*-\s*|\s+(?:to|until|through|and)\s+)"
            r"(?P<y2>(?:19|20)\d\d|\d\d)(?![\d-])"
        ),
        lambda m: f"{m['y1']}-{m['y2'] if len(m['y2']) == 4 else m['y1'][:2] + m['y2']}",
    ),
    (rf"(?P<y>{Y})", lambda m: m["y"]),
]
_RELATIVE: Final = re.compile(
    r"\b(?P<w>today|tomorrow|yesterday|(?:later|earlier)\s+this\s+year|(?:this|next|last)\s+(?:year|month))\b",
    re.IGNORECASE,
)
_ON_WEEKDAY: Final = re.compile(rf"\b(?:on|this|next|last|coming)\s+(?P<wd>{_WEEKDAY})\b(?!,?\s+(?:\d|{M}))")
_COMPILED: Final = [(re.compile(rf"\b(?:{pattern})"), build) for pattern, build in _FORMS]
# A year that names something: "Peace Mission-2016", "Army-2020", "the 2020 summit", "its 2019 report".
_NAME_BEFORE: Final = re.compile(r"(?:[A-Za-z]-|(?:the|its|their|a|this|that|[A-Z][A-Za-z]+)\s)$")
_TITLE_WORD_BEFORE: Final = re.compile(
    r"\b(?!(?:In|By|For|Since|During|Until|From|Of|And|On|At|To|Before|After|Throughout)\s)[A-Z][a-z]+\s$"
)
_NAME_AFTER: Final = re.compile(r"^\s+(?:[A-Za-z][\w-]*\s+){0,2}?[A-Za-z][\w-]*")
_NOT_NAMING: Final = re.compile(r"^\s+(?:and|to|or|as|at|in|on|for|of|was|were|is|are|will|when|with|by)\b")


def _part(text: str) -> str:
    return _PARTS[" ".join(text.split()).removeprefix("the ")]


def _season(m: re.Match[str]) -> str:
    season = (m["s"] or m["s2"]).replace("fall", "autumn")
    if m["y"]:
        return f"{season} {m['y']}"
    return f"{season} " + {"this": "{year}", "next": "{year+1}", "last": "{year-1}"}[m["rel2"]]


def find_mentions(sentence: str) -> list[Mention]:
    """The date phrases of ``sentence``, left to right, none overlapping another (the longest wins).

    >>> [m.phrase for m in find_mentions("It met on 31 October - 1 November and will meet in June 2020.")]
    ['31 October - 1 November {year}', 'June 2020']
    """
    return list(_mentions(sentence))


@functools.lru_cache(maxsize=256)  # a sentence is read for its dates, then again for its venues
def _mentions(sentence: str) -> tuple[Mention, ...]:
    found: list[Mention] = []
    for pattern, build in _COMPILED:
        for m in pattern.finditer(sentence):
            if sentence[: m.start()].endswith(("since ", "Since ")):
                continue  # "since 2001" says how long something has lasted, not when an event is
            found.append(_mention(sentence, m.start(), m.end(), build(m)))
    for m in _RELATIVE.finditer(sentence):
        if sentence[m.end() :].startswith("'s"):
            continue  # "this year's session" names the session; its own date is elsewhere
        word = " ".join(m["w"].lower().split()).replace("later ", "").replace("earlier ", "")
        found.append(Mention(m.start(), m.end(), m[0], word, relative=True))
    for m in _ON_WEEKDAY.finditer(sentence):
        weekday = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday").index(m["wd"])
        found.append(Mention(m.start(), m.end(), m[0], m["wd"], weekday=weekday))
    return tuple(_with_times(sentence, _years_shared(sentence, _without_echoes(_longest_first(found)))))


_ZONES: Final = {
    "Moscow": "Europe/Moscow",
    "Beijing": "Asia/Shanghai",
    "Astana": "Asia/Almaty",
    "Almaty": "Asia/Almaty",
    "Minsk": "Europe/Minsk",
    "Tashkent": "Asia/Tashkent",
    "Bishkek": "Asia/Bishkek",
    "Dushanbe": "Asia/Dushanbe",
    "GMT": "UTC",
    "UTC": "UTC",
}
_CLOCK: Final = rf"at\s+(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?:\s+\(?(?P<zone>{'|'.join(_ZONES)}|local)\s+time\)?)?"
_TIME_AFTER: Final = re.compile(rf"^,?\s+{_CLOCK}")
_TIME_BEFORE: Final = re.compile(rf"{_CLOCK}\s+on\s+$")
_ONE_DAY: Final = re.compile(r"\d{1,2} [A-Za-z]+ (?:\d{4}|\{year[+-]?1?\})")


def _with_times(sentence: str, found: list[Mention]) -> list[Mention]:
    """ "at 10:00 Moscow time on 3 March", "on 3 March at 10:00": the day with its time (and zone, if named)."""
    result = []
    for mention in found:
        after = _TIME_AFTER.match(sentence[mention.end :])
        before = _TIME_BEFORE.search(sentence[: mention.start])
        clock = after or before
        if clock is None or not _ONE_DAY.fullmatch(mention.phrase):
            result.append(mention)
            continue
        zone = _ZONES.get(clock["zone"] or "")
        phrase = f"{mention.phrase} {int(clock['h']):02d}:{clock['mi']}" + (f" {zone}" if zone else "")
        start = before.start() if before else mention.start
        end = mention.end + after.end() if after else mention.end
        result.append(Mention(start, end, sentence[start:end], phrase))
    return result


OR_BETWEEN: Final = re.compile(r"^\s*(?:-\s*)?,?\s*or\s+(?:(?:in|on|by|during)\s+)?$")


def _years_shared(sentence: str, found: list[Mention]) -> list[Mention]:
    """ "late April or early May 2020": the first date takes the year the second one writes."""
    result = list(found)
    for index, (first, second) in enumerate(itertools.pairwise(found)):
        year = re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", second.phrase)
        if (
            first.phrase.count("{year}") == 1
            and "{" not in second.phrase
            and year
            and _joined_by_or(sentence, first, second)
        ):
            result[index] = Mention(first.start, first.end, first.words, first.phrase.replace("{year}", year[0]))
    return result


def _joined_by_or(sentence: str, first: Mention, second: Mention) -> bool:
    return bool(OR_BETWEEN.match(sentence[first.end : second.start]))


def _without_echoes(found: list[Mention]) -> list[Mention]:
    """ "tomorrow, 21 September": the relative word and the date name one day; the date is kept."""
    return [
        mention
        for mention, after in zip(found, [*found[1:], None], strict=False)
        if not (mention.relative and after is not None and after.start - mention.end <= 2 and not after.relative)
    ]


def _mention(sentence: str, start: int, end: int, phrase: str) -> Mention:
    words = sentence[start:end]
    if re.search(r"\sor\s", words):
        return Mention(start, end, words, phrase, either=True)
    in_name = bool(re.fullmatch(Y, words)) and _names_something(sentence, start, end)
    if re.fullmatch(r"\d{4}(?:-\d{2,4})?", words) and re.search(r"[A-Za-z]-$", sentence[:start]):
        in_name = True  # "Peace Mission-2016", "Solidarity-2019-2021"
    return Mention(start, end, words, phrase, in_name=in_name)


def _names_something(sentence: str, start: int, end: int) -> bool:
    before, after = sentence[:start], sentence[end:]
    if _TITLE_WORD_BEFORE.search(before):
        return True  # "the International Army Games 2020 will be held"
    if not _NAME_BEFORE.search(before):
        return False
    return bool(_NAME_AFTER.match(after)) and not _NOT_NAMING.match(after)


def _longest_first(found: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for mention in sorted(found, key=lambda m: (-(m.end - m.start), m.start)):
        if all(mention.end <= other.start or mention.start >= other.end for other in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)
