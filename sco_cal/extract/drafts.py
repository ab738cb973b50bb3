"""Press-release text -> draft events: each dated statement becomes an ``Event`` with the words each field
came from, so that a person can check it before it is saved."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Final

from sco_cal.dates import DateValue, Precision
from sco_cal.dates.phrases import parse_date
from sco_cal.errors import ScoCalError
from sco_cal.extract.fields import Place, find_orgs, find_participants, find_places, status_of
from sco_cal.extract.phrases import Mention, find_mentions
from sco_cal.extract.text import Sentence, dateline, normalise, sentences
from sco_cal.extract.titles import Head, find_heads
from sco_cal.extract.when import Cue, Resolved, resolve, tense_at
from sco_cal.model import Event, Kind, Source, Venue, make_id

__all__ = ["Draft", "Extraction", "extract"]

_STARTS: Final = re.compile(r"\b(?:began|begins|begin|opened|opens|started|starts|kicked off|from)\s+(?:on\s+)?$")
_ENDS: Final = re.compile(
    r"\b(?:end|ends|ended|close|closes|closed|conclude|concludes|run until|last until|until|to)\s+"
    r"(?:on\s+|(?:tomorrow|today),?\s+)?$"
)
_ITS: Final = re.compile(
    r"^(?:The\s+)?(?P<subject>[A-Z].*?)\s+(?:held|holds|will\s+hold|hosted|convened|opened)\s+(?:its|their)\s"
)
_ABBREVIATION: Final = re.compile(r"\((?P<abbr>[A-Z]{2,6})\)|\b(?P<bare>[A-Z]{2,6})\b")
_REPORTED: Final = re.compile(
    r"\b(?:said|says|told(?:\s+\w+){0,2}|announced|reported|stated|noted|added|informed)\s+(?:on\s+|this\s+)?$"
)
_MEET: Final = re.compile(
    r"^(?P<subject>[A-Z][\w' -]{3,80}?)\s+"
    r"(?P<verb>(?:will|are\s+to|is\s+to)\s+(?:meet|convene|gather)|met|convened|gathered)\b"
)
_ANAPHORA: Final = re.compile(r"^(?:It|They|The event|The meeting|The talks|The summit)\b")


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft event and, for each field it sets, the words of the text it came from."""

    event: Event
    why: dict[str, str]
    head: str  # the event noun ("meeting"), to find it again when a later sentence speaks of "the meeting"


@dataclass(frozen=True, slots=True)
class Extraction:
    """The drafts of one text and the publication day their years were read against."""

    drafts: list[Draft]
    published: date | None
    published_from: str | None


@dataclass
class _Reading:
    """What the walk through a text carries from one sentence to the next."""

    published: date | None
    source: Source
    orgs: list[str]
    named: list[tuple[Head, Sentence]] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)


def extract(text: str, *, published: date | None = None, source_url: str | None = None) -> Extraction:
    """The draft events of a release's plain text.

    ``published`` is the day years and weekdays are read against; without it, the dateline's (or a date alone
    on a line at the top). The clock is never read.

    Raises:
        NeedsPublication: A phrase needs the publication day ("31 October", "on Thursday") and there is none.
    """
    text = normalise(text)
    published_from = "--published" if published else None
    found = dateline(text)
    body = text
    if found is not None:
        body = text[: found.end - len(found.date_text)].rsplit("\n", 1)[0] + "\n" + text[found.end :]
        if published is None and (day := _day_of(found.date_text)):
            published, published_from = day, f"dateline {found.date_text!r}"
    all_sentences = sentences(body)
    reading = _Reading(published, _source(text, source_url, published), _main_orgs(all_sentences))
    for sentence in all_sentences:
        _read(sentence, reading)
    return Extraction(_numbered(reading.drafts), published, published_from)


def _day_of(text: str) -> date | None:
    try:
        value = parse_date(text, today=date(2000, 1, 1))
    except ScoCalError:
        return None
    return value.first_day() if value.precision in (Precision.DAY, Precision.MINUTE) else None


def _source(text: str, url: str | None, published: date | None) -> Source:
    first = text.strip().split("\n", 1)[0].strip()
    title = first if first and not first.endswith(".") and len(first) < 200 and "\n" in text.strip() else None
    return Source(url=url, title=title, published=DateValue.of_day(published) if published else None)


def _main_orgs(all_sentences: list[Sentence]) -> list[str]:
    counts = Counter(org for sentence in all_sentences for org in find_orgs(sentence.text))
    return [counts.most_common(1)[0][0]] if counts else []


def _read(sentence: Sentence, reading: _Reading) -> None:
    text = sentence.text
    mentions = _usable([m for m in find_mentions(text) if not _says_when_not_what(text, m)])
    heads = _outermost(find_heads(text, [(m.start, m.end) for m in mentions])) or _verb_heads(text)
    chosen: dict[int, tuple[float, Mention, Resolved, Cue]] = {}
    for mention, resolved, cue in _resolved(text, mentions, reading.published):
        if text == reading.source.title and resolved.start == reading.source.published:
            continue  # "Press conference on June 28, 2023" in the headline: the release itself
        for head in _heads_for(text, mention, heads):
            distance = _distance(text, mention, head)
            if head.start not in chosen or distance < chosen[head.start][0]:
                chosen[head.start] = (distance, mention, resolved, cue)
    made = 0
    for head in heads:
        if head.start in chosen:
            mention, resolved, cue = chosen[head.start][1:]
            draft = _draft(sentence, mention, resolved, cue, head, reading)
            if not _seen(draft, reading.drafts):
                reading.drafts.append(draft)
                made += 1
    if not made:
        _attach_participants(text, heads, reading)
    reading.named += [(head, sentence) for head in heads if not head.bare]


def _says_when_not_what(text: str, mention: Mention) -> bool:
    """ "said on Wednesday", "since they joined in 2017": a date of a statement or of a state, not an event."""
    before = text[: mention.start]
    return bool(_REPORTED.search(before) or re.search(r"\bsince\b[^,;]{0,40}$", before))


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
    """ "Defence ministers of CSTO member states will meet in Almaty": a meeting, named after who meets."""
    m = _MEET.search(text)
    if m is None:
        return []
    subject = re.sub(r"^(?:The|the)\s+", "", m["subject"])
    title = f"Meeting of {subject[:1].lower() + subject[1:] if not subject[1:2].isupper() else subject}"
    return [
        Head(
            "meeting", m.start("verb"), m.end("verb"), m.start("verb"), m.end("verb"), title, Kind.MEETING, None, False
        )
    ]


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
        if found is not None:
            values.append((mention, found, cue))
    merged: list[tuple[Mention, Resolved, Cue]] = []
    for item in values:
        if merged and _continues(text, merged[-1], item):
            first = merged.pop()
            span = Resolved(first[1].start, item[1].end or item[1].start, f"{first[1].phrase} - {item[1].phrase}")
            merged.append((replace(first[0], end=item[0].end), replace(span, year_from=first[1].year_from), first[2]))
        else:
            merged.append(item)
    return merged


def _continues(text: str, before: tuple[Mention, Resolved, Cue], after: tuple[Mention, Resolved, Cue]) -> bool:
    days = (Precision.DAY, Precision.MINUTE)
    if before[1].start.precision not in days or after[1].start.precision not in days or before[1].end:
        return False
    if after[1].start.first_day() <= before[1].start.first_day():
        return False
    return bool(_STARTS.search(text[: before[0].start])) and bool(_ENDS.search(text[: after[0].start]))


def _heads_for(text: str, mention: Mention, heads: list[Head]) -> list[Head]:
    """The event(s) a date phrase dates: the noun right after it ("the 27 June 2007 Agreement"), else the
    nearest in its clause; two nouns joined by "and" ("X and Y will be held in 2018") are two events."""
    if not heads:
        return []
    following = [h for h in heads if 0 <= h.phrase_start - mention.end <= 1]
    if following:
        return following[:1]
    chosen = min(heads, key=lambda h: _distance(text, mention, h))
    if _distance(text, mention, chosen) > 400:
        return []
    return [chosen, *_coordinated(text, chosen, heads)]


def _distance(text: str, mention: Mention, head: Head) -> float:
    gap = float(mention.start - head.end) if head.phrase_end <= mention.start else (head.start - mention.end) * 1.5
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


def _draft(sentence: Sentence, mention: Mention, found: Resolved, cue: Cue, head: Head, reading: _Reading) -> Draft:
    text = sentence.text
    why: dict[str, str] = {}
    title, antecedent = _title(text, head, reading, why)
    start, end = found.start, found.end
    if head.kind is Kind.PRESIDENCY and end is None and start.precision not in (Precision.DAY, Precision.MINUTE):
        end = start  # "Russia's presidency in 2020" covers the year
        why["end"] = "a presidency covers the whole period"
    why["start"] = repr(mention.words) + (f"; year from {found.year_from}" if found.year_from else "")
    ahead = start.first_day() > reading.published if reading.published else None
    fixed = start.precision in (Precision.DAY, Precision.MINUTE) or end == start
    status, status_words = status_of(_clause_of(text, mention), cue.tense, fixed=fixed, ahead=ahead)
    why["status"], why["kind"] = status_words, repr(head.noun)
    venue = _venue(text, mention, head, antecedent, why)
    orgs = _orgs(title, text, antecedent, reading, why)
    series, number = _series(title, head, orgs, why)
    event = Event(
        id="draft",
        title=title,
        kind=head.kind,
        status=status,
        start=start,
        end=end,
        venue=venue,
        orgs=tuple(orgs),
        series=series,
        number=number,
        participants=tuple(find_participants(text)) if head.kind is not Kind.AGREEMENT else (),
        sources=(replace(reading.source, excerpt=text),),
    )
    return Draft(event, why, head.noun)


def _clause_of(text: str, mention: Mention) -> str:
    pieces = re.split(r";|,\s+(?:and|but|while|which)\b|\s+but\s+", text)
    position = 0
    for piece in pieces:
        if position <= mention.start <= position + len(piece) + 8:
            return piece
        position += len(piece)
    return text


def _title(text: str, head: Head, reading: _Reading, why: dict[str, str]) -> tuple[str, Sentence | None]:
    """The title from the noun phrase; "its 7th meeting" takes the subject's name, and a bare "the exercises"
    the fuller phrase an earlier sentence gave."""
    if head.bare or (_ANAPHORA.match(text) and head.start < 15):
        for earlier, sentence in reversed(reading.named[-12:]):
            if earlier.noun == head.noun or earlier.kind is head.kind:
                why["title"] = f"{earlier.title!r}, which {text[head.phrase_start : head.end]!r} refers to"
                return earlier.title, sentence
    title = head.title
    if (
        (m := _ITS.match(text))
        and head.start > m.start("subject")
        and text[: head.phrase_start].rstrip().endswith(("its", "their"))
    ):
        title = f"{title} of the {m['subject'].strip()}"
    why["title"] = repr(text[head.phrase_start : head.phrase_end])
    return title, None


def _venue(text: str, mention: Mention, head: Head, antecedent: Sentence | None, why: dict[str, str]) -> Venue | None:
    places = [p for p in find_places(text) if not head.phrase_start <= p.start < head.phrase_end]
    if not places and antecedent is not None:
        places = find_places(antecedent.text)
    if not places:
        return None
    chosen: Place = min(places, key=lambda p: abs(p.start - mention.start))
    why["venue"] = repr(chosen.words)
    return chosen.venue


def _orgs(title: str, text: str, antecedent: Sentence | None, reading: _Reading, why: dict[str, str]) -> list[str]:
    for where, words in (
        ("the title", title),
        ("the sentence", text),
        ("the sentence before", antecedent.text if antecedent else ""),
    ):
        if found := find_orgs(words):
            why["orgs"] = f"named in {where}"
            return found
    if reading.orgs:
        why["orgs"] = "the organisation the text is about"
    return list(reading.orgs)


def _series(title: str, head: Head, orgs: list[str], why: dict[str, str]) -> tuple[str | None, int | None]:
    """ "7th meeting of the ... (EWG)" is number 7 of sco-ewg; "Peace Mission" exercises are a series."""
    number = head.number
    series = None
    for m in _ABBREVIATION.finditer(title):
        abbreviation = m["abbr"] or m["bare"]
        if abbreviation not in orgs and abbreviation not in ("RATS",) and (m["abbr"] or number is not None):
            prefix = f"{orgs[0].lower()}-" if orgs else ""
            series = prefix + abbreviation.lower()
            why["series"] = repr(m[0])
            break
    if series is None and head.kind is Kind.EXERCISE and (name := re.match(r"((?:[A-Z][a-z]+\s)+)", title)):
        series = "-".join(name[1].lower().split())
        why["series"] = repr(name[1].strip())
    if number is not None:
        why["number"] = "the ordinal before the noun"
    return series, number if series else None


def _seen(draft: Draft, drafts: list[Draft]) -> bool:
    """The headline and the body often say the same thing twice."""
    title = draft.event.title.casefold()
    return any(
        d.event.start == draft.event.start
        and d.event.end == draft.event.end
        and d.head == draft.head
        and (title in d.event.title.casefold() or d.event.title.casefold() in title)
        for d in drafts
    )


def _attach_participants(text: str, heads: list[Head], reading: _Reading) -> None:
    """ "The meeting was attended by ...", "thanked Russia for hosting the 7th EWG meeting": participants of an
    event drafted from an earlier sentence."""
    people = find_participants(text)
    if not people or not reading.drafts:
        return
    numbered = [h for h in heads if h.number is not None]
    for index in range(len(reading.drafts) - 1, -1, -1):
        draft = reading.drafts[index]
        if any(h.noun == draft.head and h.number in (None, draft.event.number) for h in numbered or heads):
            known = {p.name for p in draft.event.participants}
            added = tuple(p for p in people if p.name not in known)
            event = replace(draft.event, participants=draft.event.participants + added)
            reading.drafts[index] = replace(draft, event=event, why={**draft.why, "participants": "sentences about it"})
            return


def _numbered(drafts: list[Draft]) -> list[Draft]:
    taken: list[str] = []
    result = []
    for draft in drafts:
        event = draft.event
        new_id = make_id(event.title, event.start, series=event.series, number=event.number, taken=taken)
        taken.append(new_id)
        result.append(replace(draft, event=replace(event, id=new_id)))
    return result
