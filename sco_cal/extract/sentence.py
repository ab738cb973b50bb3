"""What one sentence says is dated: its date phrases (less those that date a statement or a state, not an
event), its event nouns (and the verbs that name one: "will meet", "will chair"), and which phrase dates
which noun."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Final

from sco_cal.dates import DateValue, Precision
from sco_cal.extract.phrases import OR_BETWEEN, Mention, find_mentions
from sco_cal.extract.titles import Head, find_heads
from sco_cal.extract.when import Cue, Resolved, common_period, either, resolve, tense_at
from sco_cal.model import Kind

__all__ = ["Dated", "dated_heads"]

_STARTS: Final = re.compile(r"\b(?:began|begins|begin|opened|opens|started|starts|kicked off|from)\s+(?:on\s+)?$")
_ENDS: Final = re.compile(
    r"\b(?:end|ends|ended|close|closes|closed|conclude|concludes|run until|last until|until|to)\s+"
    r"(?:on\s+|(?:tomorrow|today),?\s+)?$"
)
_REPORTED: Final = re.compile(
    r"\b(?:said|says|told(?:\s+\w+){0,2}|announced|reported|stated|noted|added|informed)\s+(?:on\s+|this\s+)?$"
)
# A date the event had before it moved: "postponed from April", "earlier planned for May", "had been set for".
_FORMERLY: Final = re.compile(
    r"\b(?:(?:previously|originally|initially|earlier|first|once)\s+(?:\w+\s+){0,2}(?:for|on|in|at)?\s*"
    r"|(?:postponed|moved|rescheduled|delayed|shifted|pushed\s+back|brought\s+forward|put\s+off|deferred)"
    r"\s+from\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
# a deadline, not a date: the event lies some time before it ("before 2021", "by the end of 2020")
_DEADLINE: Final = re.compile(r"(?:\bbefore|\b(?:no|not)\s+later\s+than|\b(?P<by>by))\s+$", re.IGNORECASE)
_MEET: Final = re.compile(
    r"(?:^|,\s+and\s+|;\s+)(?P<subject>(?:the\s+)?[A-Z][\w' -]{3,80}?)\s+"
    r"(?P<verb>(?:will|are\s+to|is\s+to)\s+(?:meet|convene|gather)|met|convened|gathered)\b"
)
_WILL_CHAIR: Final = re.compile(
    r"(?:the\s+)?(?:Republic\s+of\s+)?(?P<who>[A-Z][a-z]+)\s+(?P<verb>will\s+chair|chairs|is\s+to\s+chair)\s+"
    r"(?:the\s+)?(?P<org>[A-Z]{2,5})\b"
)

Dated = tuple[Head, Mention, Resolved, Cue]


def dated_heads(text: str, published: date | None) -> tuple[list[Head], list[Dated], list[str]]:
    """The event nouns of ``text``, and each one that a date phrase dates with that phrase, its value and tense
    (each phrase dates one noun, or nouns joined by "and"; see ``_pairs``), and the date phrases that give no
    storable value ("2020 or 2021", "31 February").

    Raises:
        NeedsPublication: A phrase needs the publication day and there is none.
    """
    mentions = _usable([m for m in find_mentions(text) if not _says_when_not_what(text, m)])
    heads = _outermost(find_heads(text, [(m.start, m.end) for m in mentions]))
    heads += [h for h in _verb_heads(text) if not any(o.phrase_start <= h.start < o.phrase_end for o in heads)]
    heads.sort(key=lambda h: h.start)
    values = _resolved(text, mentions, published)
    lost = [m.words for m in mentions if not any(v[0].start <= m.start < v[0].end for v in values)]
    picks = _pairs([[_cost(text, value[0], head) for head in heads] for value in values])
    dated: dict[int, Dated] = {}
    for value, pick in zip(values, picks, strict=True):
        if pick is not None:
            for head in [heads[pick], *_coordinated(text, heads[pick], heads)]:
                dated.setdefault(head.start, (head, *value))
    return heads, sorted(dated.values(), key=lambda item: item[0].start), lost


def _says_when_not_what(text: str, mention: Mention) -> bool:
    """ "said on Wednesday", "since they joined in 2017": a date of a statement or of a state, not an event."""
    before, after = text[: mention.start], text[mention.end :]
    if _REPORTED.search(before) and not re.match(r"\s+(?:at|during|on\s+the\s+sidelines\s+of)\s+(?:the|a)\s", after):
        return True  # "said on Thursday" (but "said on Thursday at the session" dates the session)
    lead = "from " if mention.words.startswith("from ") else ""  # "postponed from April": the old date
    return bool(re.search(r"\bsince\b[^,;]{0,40}$", before) or _FORMERLY.search(before + lead))


def _outermost(heads: list[Head]) -> list[Head]:
    """ "the meeting of the CSTO Collective Security Council": one event, not a meeting and a council."""
    return [
        head
        for head in heads
        if not any(
            o is not head and o.phrase_start <= head.start and head.end <= o.phrase_end and o.start != head.start
            for o in heads
        )
    ]


def _verb_heads(text: str) -> list[Head]:
    """A meeting named after who meets ("Defence ministers of CSTO member states will meet in Almaty"), a
    presidency after who chairs ("Uzbekistan will chair the SCO in 2022")."""
    if chair := _WILL_CHAIR.search(text):
        title = f"{chair['who']}'s {chair['org']} presidency"
        span = (chair.start("verb"), chair.end("verb"), chair.start(), chair.end())
        return [Head("presidency", *span, title, Kind.PRESIDENCY, None, False)]
    heads = []
    for m in _MEET.finditer(text):
        subject = re.sub(r"^(?:The|the)\s+", "", m["subject"])
        title = f"Meeting of {_as_inside(subject)}"
        span = (m.start("verb"), m.end("verb"), m.start("verb"), m.end("verb"))
        heads.append(Head("meeting", *span, title, Kind.MEETING, None, False))
    return heads


def _as_inside(subject: str) -> str:
    """The subject as it reads after "Meeting of": "Defence ministers of CSTO states" loses the capital its
    sentence gave it; "Sergey Lavrov" and "Defence Minister Sergey Shoigu" are names and keep theirs."""
    first, *rest = subject.split()
    if first[1:].islower() and all(not word[:1].isupper() or word.isupper() for word in rest):
        return first.lower() + subject[len(first) :]
    return subject


def _usable(mentions: list[Mention]) -> list[Mention]:
    """A year that names something dates an event only when nothing else in the sentence does."""
    plain = [m for m in mentions if not m.in_name]
    return plain or mentions


def _resolved(text: str, mentions: list[Mention], published: date | None) -> list[tuple[Mention, Resolved, Cue]]:
    """Each date phrase with its value; "began on 15 September and will end on 21 September" is one span."""
    values = []
    for mention in mentions:
        cue = tense_at(text, mention)
        found = resolve(mention, cue, published)
        if found is not None and _is_deadline(text[: mention.start], mention.words):
            found = _by(found, published)
        if found is not None:
            values.append((mention, found, cue))
    merged: list[tuple[Mention, Resolved, Cue]] = []
    for item in values:
        if merged and OR_BETWEEN.match(text[merged[-1][0].end : item[0].start]):
            first = merged.pop()
            if (one := either(first[1], item[1].end or item[1].start)) is not None:
                merged.append((replace(first[0], end=item[0].end), one, first[2]))
        elif merged and _continues(text, merged[-1], item):
            first = merged.pop()
            span = Resolved(first[1].start, item[1].end or item[1].start, f"{first[1].phrase} - {item[1].phrase}")
            merged.append((replace(first[0], end=item[0].end), replace(span, year_from=first[1].year_from), first[2]))
        else:
            merged.append(item)
    return merged


def _is_deadline(before: str, words: str) -> bool:
    """ "before 2021", "no later than June"; "by" only with "the end of" ("by 2020" may be who, not when)."""
    found = _DEADLINE.search(before)
    if found is None:
        return False
    return not found["by"] or bool(re.match(r"(?:the\s+)?end\s+of\b", words))


def _by(deadline: Resolved, published: date | None) -> Resolved | None:
    """ "before the end of 2020", "no later than June 2020": some time from the publication (or the start of
    the deadline's year) to the deadline, at the finest period holding both; never the deadline's own part."""
    last = deadline.end or deadline.start
    first = published if published and published <= last.last_day() else date(last.year, 1, 1)
    period = common_period(DateValue.of_day(first), last)
    return replace(deadline, start=period, end=None) if period else None


def _continues(text: str, before: tuple[Mention, Resolved, Cue], after: tuple[Mention, Resolved, Cue]) -> bool:
    days = (Precision.DAY, Precision.MINUTE)
    if before[1].start.precision not in days or after[1].start.precision not in days or before[1].end:
        return False
    if after[1].start.first_day() <= before[1].start.first_day():
        return False
    return bool(_STARTS.search(text[: before[0].start])) and bool(_ENDS.search(text[: after[0].start]))


_FAR: Final = 400.0  # a phrase this far from a noun (in characters, or across a clause) does not date it
_MOST_PAIRS_TRIED: Final = 36  # phrases x nouns; beyond it (a rare long sentence) each phrase takes its nearest


def _cost(text: str, mention: Mention, head: Head) -> float:
    """How far ``mention`` is from dating ``head``: nothing for the noun right after it ("the 27 June 2007
    Agreement"), else the distance, weighed by the clauses between."""
    if 0 <= head.phrase_start - mention.end <= 1:
        return 0.0
    return _distance(text, mention, head)


def _pairs(costs: list[list[float]]) -> list[int | None]:
    """Which noun each phrase dates: one phrase per noun, as many pairs as there can be, the least distance
    among those. "the presidency for 2024-2025 at the summit held on Thursday": the nearest noun to 2024-2025
    is the summit, but the summit has its own day, so 2024-2025 dates the presidency."""
    if not costs or not costs[0]:
        return [None] * len(costs)
    if len(costs) * len(costs[0]) > _MOST_PAIRS_TRIED:
        return [min(range(len(row)), key=row.__getitem__) if min(row) < _FAR else None for row in costs]
    best: tuple[int, float, list[int | None]] = (0, 0.0, [None] * len(costs))

    def walk(index: int, used: frozenset[int], total: float, picks: list[int | None]) -> None:
        nonlocal best
        if index == len(costs):
            count = len(used)
            if count > best[0] or (count == best[0] and total < best[1]):
                best = (count, total, picks)
            return
        walk(index + 1, used, total, [*picks, None])
        for head, cost in enumerate(costs[index]):
            if head not in used and cost < _FAR:
                walk(index + 1, used | {head}, total + cost, [*picks, head])

    walk(0, frozenset(), 0.0, [])
    return best[2]


def _distance(text: str, mention: Mention, head: Head) -> float:
    gap = (
        float(mention.start - head.phrase_end) if head.phrase_end <= mention.start else (head.start - mention.end) * 1.5
    )
    crossing = text[min(head.end, mention.end) : max(head.start, mention.start)]
    return gap + 200 * crossing.count(";") + (100 if re.search(r",\s+(?:and|but|while|which)\b", crossing) else 0)


def _coordinated(text: str, chosen: Head, heads: list[Head]) -> list[Head]:
    others = []
    for other in heads:
        first, second = sorted((chosen, other), key=lambda h: h.start)
        if other is not chosen and re.fullmatch(
            r",?\s+and\s+(?:the\s+|a\s+|an\s+)?", text[first.phrase_end : second.phrase_start]
        ):
            others.append(other)
    return others
