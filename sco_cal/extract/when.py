"""When a date phrase falls: the tense of the words around it, the year it leaves out (from the publication
day and that tense, never the clock), and its value in sco-cal's own grammar (what ``add --date`` stores)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import Enum
from typing import Final

from sco_cal.dates import DateValue, Precision
from sco_cal.dates.phrases import parse_span
from sco_cal.errors import InvalidInput, ScoCalError
from sco_cal.extract.lexicon import FUTURE_WORDS, PAST_WORDS
from sco_cal.extract.phrases import Mention

__all__ = ["Resolved", "Tense", "common_period", "either", "resolve", "tense_at"]


class Tense(Enum):
    PAST = "past"
    FUTURE = "future"
    UNKNOWN = "unknown"


def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ordered) + r")\b", re.IGNORECASE)


_FUTURE: Final = _words_pattern(FUTURE_WORDS)
_PAST: Final = _words_pattern(PAST_WORDS)
# "to be held", "will be held": held here is not the past
_FUTURE_HELD: Final = re.compile(r"\b(?:to|will|would|shall|should)\s+be\s+(?:\w+\s+)?$", re.IGNORECASE)
# A clause ends at these; the tense of one clause does not cross into the next.
# a comma before a verb closes a relative clause: "Search-2020, which was to take place on 20-24 April, has been"
_CLAUSE_BREAK: Final = re.compile(
    r";|\s-\s|,\s+(?:and|but|while|whereas|which|and\s+will)\b|\s+but\s+|\.\s"
    r"|,\s+(?=(?:has|have|had|was|were|is|are|will)\b)"
)
_REPORTED_JUST_BEFORE: Final = re.compile(r"\b(said|told \w+|announced|stated)\s+$")
_AFTER_WEIGHT: Final = 1.5  # a verb before the date governs it more often than one after


@dataclass(frozen=True, slots=True)
class Cue:
    """The word that gave a tense, and where it is."""

    tense: Tense
    words: str
    distance: float


def tense_at(sentence: str, mention: Mention) -> Cue:
    """The tense of the clause around ``mention``: the nearest tense word, preferring one before it.

    >>> tense_at("It began on 15 September and will end on 21 September", Mention(40, 52, "", "")).tense
    <Tense.FUTURE: 'future'>
    """
    first, last = _clause(sentence, mention)
    if reported := _REPORTED_JUST_BEFORE.search(sentence[: mention.start]):
        return Cue(Tense.PAST, reported[1], 0)  # "said on Thursday at the session": the day it was said
    best = Cue(Tense.UNKNOWN, "", float("inf"))
    for pattern, tense in ((_FUTURE, Tense.FUTURE), (_PAST, Tense.PAST)):
        for m in pattern.finditer(sentence, first, last):
            if tense is Tense.PAST and _FUTURE_HELD.search(sentence[: m.start()]):
                continue
            if m.start() >= mention.start and m.end() <= mention.end:
                continue
            distance = (
                mention.start - m.end() if m.end() <= mention.start else (m.start() - mention.end) * _AFTER_WEIGHT
            )
            if distance < best.distance:
                best = Cue(tense, m[0], distance)
    return best


def _clause(sentence: str, mention: Mention) -> tuple[int, int]:
    first, last = 0, len(sentence)
    for m in _CLAUSE_BREAK.finditer(sentence):
        if m.end() <= mention.start:
            first = m.end()
        elif m.start() >= mention.end:
            last = m.start()
            break
    return first, last


@dataclass(frozen=True, slots=True)
class Resolved:
    """A phrase's value: its start and end as ``add --date`` would store them, and how its year was found."""

    start: DateValue
    end: DateValue | None
    phrase: str
    year_from: str | None = None  # "published 2019-11-01, past ('held')" when the year was not written


class NeedsPublication(InvalidInput):
    """A phrase needs the publication day ("31 October", "next year", "on Thursday") and none was given."""

    def __init__(self, words: str, *, dateline: str | None = None) -> None:
        self.words = words
        why = f"the dateline {dateline!r} has no year" if dateline else "the text has no dateline"
        super().__init__(
            f"{words!r} needs the publication date to fix its year or day, and {why}; pass --published DATE"
        )


def resolve(mention: Mention, cue: Cue, published: date | None) -> Resolved | None:
    """The value of ``mention``; ``None`` when the words are not a date after all (31 February). Two dates
    joined by "or" are some time in the period both lie in ("9 or 10 June": early June), never one fixed day.

    Raises:
        NeedsPublication: When the phrase leaves its year (or day) to the publication day and there is none.
    """
    found = _resolve(mention, cue, published)
    if found is None or not mention.either:
        return found
    return either(found, found.end or found.start)


def either(first: Resolved, last: DateValue) -> Resolved | None:
    """One of two dates: some time in the finest period that holds both (no end, so never a fixed span);
    ``None`` when they lie in different years ("2020 or 2021" is no date sco-cal can store honestly)."""
    period = common_period(first.start, last)
    return replace(first, start=period, end=None) if period else None


def common_period(first: DateValue, last: DateValue) -> DateValue | None:
    """The finest part of a month, month, quarter, early/mid/late part, half or year that holds the days from
    ``first``'s first to ``last``'s last."""
    begin, finish = first.first_day(), last.last_day()
    year, month = begin.year, begin.month
    candidates = [
        DateValue.of_part(Precision.PART_OF_MONTH, year, min(3, 1 + (begin.day - 1) // 10), month),
        DateValue.of_month(year, month),
        DateValue.of_part(Precision.QUARTER, year, 1 + (month - 1) // 3),
        DateValue.of_part(Precision.PART_OF_YEAR, year, 1 + (month - 1) // 4),
        DateValue.of_part(Precision.HALF, year, 1 + (month - 1) // 6),
    ]
    for candidate in candidates:
        if candidate.first_day() <= begin and finish <= candidate.last_day():
            return candidate
    return DateValue.of_year(year) if finish.year == year else None


def _resolve(mention: Mention, cue: Cue, published: date | None) -> Resolved | None:
    if not mention.needs_year:
        return _parsed(mention.phrase, date(2000, 1, 1))
    if published is None:
        raise NeedsPublication(mention.words)
    why = f"published {published.isoformat()}" + (f", {cue.tense.value} ({cue.words!r})" if cue.words else "")
    if mention.weekday is not None:
        day = _weekday(published, mention.weekday, cue.tense, mention.words.split()[0].lower())
        return Resolved(DateValue.of_day(day), None, day.isoformat(), why)
    if mention.relative:
        found = _parsed(mention.phrase, published)
        return Resolved(found.start, found.end, found.start.to_text(), why) if found else None
    return _with_year(mention.phrase, published, cue.tense, why)


def _parsed(phrase: str, today: date) -> Resolved | None:
    try:
        start, end = parse_span(phrase, today=today)
    except ScoCalError:
        return None
    return Resolved(start, end, phrase)


def _weekday(published: date, weekday: int, tense: Tense, word: str) -> date:
    """The day ``on Thursday`` names: the coming one for the future, the last one for the past (a day that is
    the publication's own weekday is that day, but "next Friday" and "last Friday" never are)."""
    ahead = (weekday - published.weekday()) % 7
    if word == "next" or (word in ("coming", "this") and tense is not Tense.PAST):
        return published + timedelta(days=ahead or (7 if word == "next" else 0))
    if word == "last" or tense is Tense.PAST:
        return published - timedelta(days=(7 - ahead) % 7 or (7 if word == "last" else 0))
    return published + timedelta(days=ahead)


def _with_year(phrase: str, published: date, tense: Tense, why: str) -> Resolved | None:
    """The phrase in the year the tense points to: the publication's year, or the one after (a future date
    already past) or before (a past date still ahead); with no tense, the reading nearest the publication."""
    this_year = _in_year(phrase, published.year, published)
    if "{year+" in phrase or "{year-" in phrase:  # "next spring": counted from the publication year
        return replace(this_year, year_from=why) if this_year else None
    if this_year is not None and tense is not Tense.UNKNOWN and not _fit(this_year, published, tense)[0]:
        return replace(this_year, year_from=why)  # the publication's year fits the tense: no other year is nearer
    years = (published.year - 1, published.year + 1)
    readings = [found for found in (this_year, *(_in_year(phrase, year, published) for year in years)) if found]
    if not readings:
        return None
    return replace(min(readings, key=lambda found: _fit(found, published, tense)), year_from=why)


def _in_year(phrase: str, year: int, published: date) -> Resolved | None:
    return _parsed(phrase.format(year=year, **{"year+1": year + 1, "year-1": year - 1}), published)


def _fit(found: Resolved, published: date, tense: Tense) -> tuple[int, int]:
    first = found.start.first_day()
    last = (found.end or found.start).last_day()
    wrong_side = (tense is Tense.FUTURE and last < published) or (tense is Tense.PAST and first > published)
    distance = 0 if first <= published <= last else min(abs((first - published).days), abs((last - published).days))
    return int(wrong_side), distance
