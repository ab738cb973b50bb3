"""The other fields of a draft from the words of its sentence: the venue (city and country, never a
possessive such as "Kazakhstan's minister"), the organisations, the participants and their roles, and the
status the tense and the wording give."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from sco_cal.extract.lexicon import CANCELLED_WORDS, CITIES, COUNTRIES, COUNTRY_ZONES, HEDGES, ORGS, POSTPONED_WORDS
from sco_cal.extract.when import Tense
from sco_cal.model import Participant, Status, Venue

__all__ = ["Place", "find_orgs", "find_participants", "find_places", "status_of"]


def _alternatives(names: object) -> str:
    assert isinstance(names, dict)
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


_PLACE: Final = re.compile(
    rf"\b(?P<prep>in|at|to|near|on)\s+(?:the\s+)?(?:(?:\w+\s+)?(?:city|capital|town|territory)\s+of\s+(?:the\s+)?)?"
    rf"(?P<city>{_alternatives(CITIES)})?(?:,?\s*(?:the\s+)?)?(?P<country>{_alternatives(COUNTRIES)})?(?!['\w])"
)
_HOST: Final = re.compile(
    rf"\b(?:hosted\s+by\s+(?:the\s+)?(?P<by>{_alternatives(COUNTRIES)})"
    rf"|(?P<who>{_alternatives(COUNTRIES)})\s+(?:will\s+host|hosts|hosted|is\s+hosting|to\s+host))\b"
)
# "in Chebarkul, Russia": a town the lexicon does not know, named with its country
_TOWN_IN_COUNTRY: Final = re.compile(
    rf"\b(?:in|at|near)\s+(?P<town>[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?),\s+(?:the\s+)?"
    rf"(?P<country>{_alternatives(COUNTRIES)})\b"
)
_ORG_PATTERN: Final = re.compile(
    "|".join(
        rf"\b(?P<{abbreviation}>" + "|".join((re.escape(abbreviation), *full)) + r")\b"
        for abbreviation, full in ORGS.items()
    )
)


@dataclass(frozen=True, slots=True)
class Place:
    """A venue found in a sentence, where it is, and the words it came from."""

    venue: Venue
    start: int
    words: str


def find_places(sentence: str) -> list[Place]:
    """Venues said with ``in``/``at`` ("in Moscow", "in the Russian Federation", "in Bishkek, Kyrgyzstan"), and
    a host country ("hosted by Kazakhstan"). "Kazakhstan's minister" names no venue."""
    found = []
    for m in _PLACE.finditer(sentence):
        if not (m["city"] or m["country"]):
            continue
        if m["prep"] == "on" and "territory" not in m[0]:
            continue  # only "on the territory of Russia" is a place said with "on"
        if m["prep"] == "to" and not m["city"]:
            continue  # "an envoy to China", "delegations to Russia"
        if re.match(r"\s+(?:region|oblast|province|district)\b", sentence[m.end() :]):
            continue  # "in the Orenburg region" is not the city
        found.append(Place(_venue(m["city"], m["country"]), m.start(), m[0]))
    for m in _TOWN_IN_COUNTRY.finditer(sentence):
        if not any(p.start == m.start() for p in found):
            found.append(Place(Venue(name=m["town"], country=COUNTRIES[m["country"]]), m.start(), m[0]))
    for m in _HOST.finditer(sentence):
        found.append(Place(_venue(None, m["by"] or m["who"]), m.start(), m[0]))
    return found


def _venue(city: str | None, country_words: str | None) -> Venue:
    country = COUNTRIES.get(country_words or "")
    if city:
        city_country, zone = CITIES[city]
        return Venue(name=city.replace("St ", "St. "), country=country or city_country, timezone=zone)
    assert country is not None
    return Venue(country=country, timezone=COUNTRY_ZONES.get(country))


def find_orgs(text: str) -> list[str]:
    """The organisations ``text`` names, by abbreviation or full name, in the order of first mention."""
    return list(dict.fromkeys(str(m.lastgroup) for m in _ORG_PATTERN.finditer(text)))


_ATTENDED: Final = re.compile(
    r"\b(?:attended\s+by|participants\s+(?:were|included)|with\s+the\s+participation\s+of)\s+(?P<list>[^.;]+)"
)
_TOOK_PART: Final = re.compile(
    rf"\b(?:the\s+)?(?P<name>(?:Republic\s+of\s+)?(?:{_alternatives(COUNTRIES)}))\s+(?:also\s+)?"
    rf"(?:took\s+part|participated|joined|attended|will\s+take\s+part|will\s+participate)"
)
_ROLE_AFTER: Final = re.compile(
    r"^,?\s+(?:a|an|as\s+an?|as)\s+(?:\w+\s+){0,2}?(?P<role>observer|guest|partner|member)s?\b"
)
_CHAIR: Final = re.compile(
    rf"\b(?:(?P<poss>{_alternatives(COUNTRIES)})'s\s+(?:\w+\s+)?(?:presidency|chairmanship)"
    rf"|chaired\s+by\s+(?:the\s+)?(?P<by>[A-Z][\w' ]+?)(?=[,.;]|\s+(?:and|in|on|at)\b))"
)
_WILL_CHAIR: Final = re.compile(
    rf"\b(?:the\s+)?(?P<who>(?:Republic\s+of\s+)?(?:{_alternatives(COUNTRIES)}))\s+"
    rf"(?:will\s+chair|chairs|is\s+to\s+chair|will\s+take\s+over\s+the\s+chairmanship\s+of)\b"
)
_HOSTED_BY: Final = re.compile(
    r"\b(?:hosted\s+by\s+(?:the\s+)?(?P<by>[A-Z][\w' ]+?)(?=[,.;]|\s+(?:and|in|on|at)\b)"
    r"|(?:the\s+)?(?P<poss>(?:[A-Z][\w-]*\s)*[A-Z][\w-]*)'s\s+(?:work\s+in\s+(?:preparing\s+and\s+)?holding|hospitality))"
)


def find_participants(sentence: str) -> list[Participant]:
    """Who took part, and as what: "attended by A, B and C, a SCO observer", "Belarus took part", "Russia's
    SCO presidency" (chair), "hosted by ..." (host)."""
    people: list[Participant] = []
    if m := _ATTENDED.search(sentence):
        people += _listed(m["list"])
    for m in _TOOK_PART.finditer(sentence):
        people.append(Participant(_full_country(m["name"]), _role_after(sentence[m.end() :])))
    for m in _WILL_CHAIR.finditer(sentence):
        people.append(Participant(_full_country(m["who"]), "chair"))
    for m in _CHAIR.finditer(sentence):
        people.append(Participant(_full_country(m["poss"] or m["by"]), "chair"))
    for m in _HOSTED_BY.finditer(sentence):
        people.append(Participant((m["by"] or m["poss"]).strip(), "host"))
    return list({p.name: p for p in people}.values())


def _listed(text: str) -> list[Participant]:
    parts = re.split(r",\s+(?:and\s+)?(?=(?:the\s+)?[A-Z]|an?\s|as\s)|\s+and\s+(?=(?:the\s+)?[A-Z])", text)
    people: list[Participant] = []
    for part in parts:
        name = re.sub(r"^(?:delegations\s+of\s+|representatives\s+of\s+)?(?:the\s+)?", "", part.strip())
        if re.match(r"(?:a|an|as)\s", name) and people:
            role = _ROLE_AFTER.match(", " + name)
            if role:
                people[-1] = Participant(people[-1].name, role["role"])
            continue
        if name and name[0].isupper():
            people.append(Participant(name.rstrip(" ,"), _role_of(name)))
    return people


def _role_of(name: str) -> str | None:
    """ "SCO Secretariat", "RATS Executive Committee": secretariats; "the SCO member states' armed forces": members."""
    if re.search(r"\b(?:Secretariat|Executive Committee|Joint Staff)\b", name):
        return "secretariat"
    return "member" if re.search(r"\bmember states?\b", name, re.IGNORECASE) else None


def _role_after(text: str) -> str | None:
    m = _ROLE_AFTER.match(text)
    return m["role"] if m else None


def _full_country(name: str) -> str:
    """ "Russia's presidency": the participant is the country, in the form the text gives."""
    return {"Russia": "Russian Federation"}.get(name.strip(), name.strip())


def _any(words: tuple[str, ...], text: str) -> str | None:
    # case matters: "May" is a month, "may" a hedge
    m = re.search(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", text)
    return m[0] if m else None


def status_of(clause: str, tense: Tense, *, fixed: bool, ahead: bool | None) -> tuple[Status, str]:
    """The status and the words it came from: postponed or cancelled where the text says so; held in the past;
    scheduled for a fixed day (or a whole period) ahead said without a hedge; planned otherwise."""
    if words := _any(CANCELLED_WORDS, clause):
        return Status.CANCELLED, words
    if words := _any(POSTPONED_WORDS, clause):
        return Status.POSTPONED, words
    if tense is Tense.PAST or (tense is Tense.UNKNOWN and ahead is False):
        return Status.HELD, "past tense" if tense is Tense.PAST else "before the publication date"
    hedge = _any(HEDGES, clause)
    if fixed and not hedge:
        return Status.SCHEDULED, "a fixed date ahead"
    return Status.PLANNED, f"{hedge!r}" if hedge else "a date not fixed yet"
