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
from sco_cal.extract.sentence import dated_heads
from sco_cal.extract.text import Sentence, dateline, normalise, sentences, verbatim
from sco_cal.extract.titles import Head
from sco_cal.extract.unplaced import unplaced
from sco_cal.extract.when import Cue, NeedsPublication, Resolved
from sco_cal.model import Event, Kind, Source, Status, Venue, make_id

__all__ = ["Draft", "Extraction", "extract", "id_words"]

_ITS: Final = re.compile(
    r"^(?:The\s+)?(?P<subject>[A-Z].*?)\s+(?:held|holds|will\s+hold|hosted|convened|opened)\s+(?:its|their)\s"
)
_NEXT: Final = re.compile(r"\b(?:next|following|another|new)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_ABBREVIATION: Final = re.compile(r"\((?P<abbr>[A-Z]{2,6})\)|\b(?P<bare>[A-Z]{2,6})\b")
_NAMED_YEAR: Final = re.compile(r"\b((?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+){0,3})-(?:19|20)\d\d\b")
_ANAPHORA: Final = re.compile(r"^(?:It|They|The event|The meeting|The talks|The summit)\b")


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft event and, for each field it sets, the words of the text it came from."""

    event: Event
    why: dict[str, str]
    head: str  # the event noun ("meeting"), to find it again when a later sentence speaks of "the meeting"
    refers_back: bool = False  # its title is an earlier sentence's ("the meeting", "it"): the same event


@dataclass(frozen=True, slots=True)
class Extraction:
    """The drafts of one text and the publication day their years were read against."""

    drafts: list[Draft]
    published: date | None
    published_from: str | None
    unplaced: tuple[str, ...] = ()  # date words no draft was made from ("in the third quarter": no year)
    clashes: tuple[str, ...] = ()  # "Thursday, 6 March 2020" when 6 March 2020 is a Friday: what to check


@dataclass
class _Reading:
    """What the walk through a text carries from one sentence to the next."""

    published: date | None
    source: Source
    orgs: list[str]
    original: str  # the text as given, for excerpts in its own words
    named: list[tuple[Head, Sentence]] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # date phrases with no value that can be stored
    clashes: list[str] = field(default_factory=list)


def extract(text: str, *, published: date | None = None, source_url: str | None = None) -> Extraction:
    """The draft events of a release's plain text.

    ``published`` is the day years and weekdays are read against; without it, the dateline's (or a date alone
    on a line at the top). The clock is never read.

    Raises:
        NeedsPublication: A phrase needs the publication day ("31 October", "on Thursday") and there is none.
    """
    original, text = text, normalise(text)
    published_from = "--published" if published else None
    found = dateline(text)
    body = text
    if found is not None:
        body = text[: found.start] + text[found.end :]
        if published is None and (day := _day_of(found.date_text)):
            published, published_from = day, f"dateline {found.date_text!r}"
    all_sentences = sentences(body)
    reading = _Reading(published, _source(text, source_url, published), _main_orgs(all_sentences), original)
    try:
        for sentence in all_sentences:
            _read(sentence, reading)
    except NeedsPublication as error:
        raise NeedsPublication(error.words, dateline=found.date_text if found else None) from None
    missed = (*reading.lost, *(words for sentence in all_sentences for words in unplaced(sentence.text)))
    clashes = tuple(dict.fromkeys(reading.clashes))
    return Extraction(_numbered(reading.drafts), published, published_from, missed, clashes)


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
    heads, dated, lost = dated_heads(text, reading.published)
    reading.lost += lost
    made = 0
    for head, mention, resolved, cue in dated:
        if text == reading.source.title and resolved.start == reading.source.published:
            continue  # "Press conference on June 28, 2023" in the headline: the release itself
        reading.clashes += _clash(mention, resolved)
        draft = _draft(sentence, mention, resolved, cue, head, reading)
        made += _added(draft, reading.drafts)
    if not made:
        _attach_participants(text, heads, reading)
    reading.named += [(head, sentence) for head in heads if not head.bare]


_WEEKDAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _clash(mention: Mention, found: Resolved) -> list[str]:
    """ "Thursday, 6 March 2020" when 6 March 2020 is a Friday: the date is drafted, the clash said."""
    named = mention.words.split(",")[0].split()[0]
    if named not in _WEEKDAYS or not found.start.is_fixed or mention.weekday is not None:
        return []
    actual = _WEEKDAYS[found.start.first_day().weekday()]
    if actual == named:
        return []
    return [f"{mention.words!r}: {found.start.first_day().isoformat()} is a {actual}; drafted as the date, check it"]


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
    if status is Status.HELD and end and not end.is_fixed and reading.published and reading.published < end.first_day():
        status, status_words = Status.SCHEDULED, "under way on the publication date"  # "took over ... for 2024-2025"
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
        sources=(replace(reading.source, excerpt=verbatim(reading.original, text)),),
    )
    return Draft(event, why, head.noun, antecedent is not None)


def _clause_of(text: str, mention: Mention) -> str:
    pieces = re.split(r";|,\s+(?:and|but|while|which)\b|\s+but\s+", text)
    position = 0
    for piece in pieces:
        if position <= mention.start <= position + len(piece) + 8:
            return piece
        position += len(piece)
    return text


def _same_noun(earlier: Head, head: Head) -> bool:
    """ "the exercises" may be the "drills" before; "the forum" is not "the meeting" before, though both are
    meetings."""
    return earlier.noun.rstrip("s") == head.noun.rstrip("s") or (earlier.kind is head.kind is Kind.EXERCISE)


def _antecedent(head: Head, reading: _Reading) -> tuple[Head, Sentence] | None:
    """The event "the summit" refers back to: the latest one of its kind, unless the sentence that named it
    named two ("the SCO summit and the CSTO summit"), when it is not clear which."""
    for earlier, sentence in reversed(reading.named[-12:]):
        if _same_noun(earlier, head):
            rivals = {h.title for h, s in reading.named if s is sentence and _same_noun(h, head)}
            return (earlier, sentence) if len(rivals) == 1 else None
    return None


def _title(text: str, head: Head, reading: _Reading, why: dict[str, str]) -> tuple[str, Sentence | None]:
    """The title from the noun phrase; "its 7th meeting" takes the subject's name, and a bare "the exercises"
    the fuller phrase an earlier sentence gave."""
    refers = head.bare or (_ANAPHORA.match(text) and head.start < 15 and head.phrase_end - head.phrase_start <= 12)
    if refers and (found := _antecedent(head, reading)) is not None:
        earlier, sentence = found
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
    mentions = [m for m in find_mentions(text) if not m.in_name or m == mention]
    # a place next to another date phrase is that one's: "in the first half of 2022 in Yerevan, and ... in November"
    own = [p for p in places if _inside(min(mentions, key=lambda m: _gap(m, p.start)), mention)]
    places = own or ([] if len(mentions) > 1 else places)
    if not places and antecedent is not None and not _NEXT.search(text[: head.phrase_start]):
        places = find_places(antecedent.text)  # "the next round of consultations" is elsewhere, maybe
    if not places:
        return None
    chosen: Place = min(places, key=lambda p: abs(p.start - mention.start))
    why["venue"] = repr(chosen.words)
    return chosen.venue


def _inside(part: Mention, whole: Mention) -> bool:
    return whole.start <= part.start and part.end <= whole.end


def _gap(mention: Mention, position: int) -> int:
    return mention.start - position if position < mention.start else position - mention.end


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
    if series is None and (named := _NAMED_YEAR.search(title)):  # "Peace Mission-2018": the whole name
        series = "-".join(named[1].lower().split())
        why["series"] = repr(named[0])
    if series is None and head.kind is Kind.EXERCISE and (name := re.match(r"((?:[A-Z][a-z]+\s)+)", title)):
        series = "-".join(name[1].lower().split())
        why["series"] = repr(name[1].strip())
    if number is not None:
        why["number"] = "the ordinal before the noun"
    return series, number if series else None


def _added(draft: Draft, drafts: list[Draft]) -> bool:
    """Add ``draft`` unless it is one already there: the headline and the body often say the same thing twice,
    and "ended on Saturday" then "was held from 20 to 25 September" is one exercise (the span is kept)."""
    title = draft.event.title.casefold()
    for index, old in enumerate(drafts):
        old_title = old.event.title.casefold()
        if old.head != draft.head or not (title in old_title or old_title in title):
            continue
        if old.event.sources[0].excerpt != draft.event.sources[0].excerpt and not (
            title == old_title or draft.refers_back
        ):
            continue  # another sentence names an event of its own: "a meeting" then "the meeting of ministers"
        if (old.event.start, old.event.end) == (draft.event.start, draft.event.end):
            return False
        if _within(old.event, draft.event) or _within(draft.event, old.event, sometime=True):
            drafts[index] = replace(draft, event=replace(draft.event, venue=draft.event.venue or old.event.venue))
            return False
    drafts.append(draft)
    return True


def _within(narrow: Event, wide: Event, *, sometime: bool = False) -> bool:
    """``narrow`` lies in ``wide``'s span; with ``sometime``, ``wide`` is a vague date ("2023") that ``narrow``
    makes more precise ("Q3 2023")."""
    if sometime and wide.start is not None and wide.end is None and narrow.start is not None:
        return (
            wide.start.first_day()
            <= narrow.start.first_day()
            <= (narrow.end or narrow.start).last_day()
            <= (wide.start.last_day())
        )
    if narrow.start is None or wide.start is None or wide.end is None:
        return False
    return (
        wide.start.first_day()
        <= narrow.start.first_day()
        <= (narrow.end or narrow.start).last_day()
        <= (wide.end.last_day())
    )


def _attach_participants(text: str, heads: list[Head], reading: _Reading) -> None:
    """ "The meeting was attended by ...", "thanked Russia for hosting the 7th EWG meeting": participants of an
    event drafted from an earlier sentence; with no event noun at all ("Belarus took part"), of the last one."""
    people = find_participants(text)
    if not people or not reading.drafts:
        return
    numbered = [h for h in heads if h.number is not None]
    for index in range(len(reading.drafts) - 1, -1, -1):
        draft = reading.drafts[index]
        if not heads or any(h.noun == draft.head and h.number in (None, draft.event.number) for h in numbered or heads):
            known = {p.name for p in draft.event.participants}
            added = tuple(p for p in people if p.name not in known)
            event = replace(draft.event, participants=draft.event.participants + added)
            reading.drafts[index] = replace(draft, event=event, why={**draft.why, "participants": "sentences about it"})
            return


def id_words(title: str) -> str:
    """The words of a title an id is made of: "Russia's SCO presidency" gives russia-sco-presidency."""
    return re.sub(r"(?<=\w)['\u2019]s\b", "", title)


def _numbered(drafts: list[Draft]) -> list[Draft]:
    taken: list[str] = []
    result = []
    for draft in drafts:
        event = draft.event
        new_id = make_id(id_words(event.title), event.start, series=event.series, number=event.number, taken=taken)
        taken.append(new_id)
        result.append(replace(draft, event=replace(event, id=new_id)))
    return result
