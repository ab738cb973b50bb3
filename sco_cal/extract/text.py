"""The text of a release as the extractor reads it: tags stripped, spaces and dashes made plain, cut into
sentences, and the dateline (which gives the publication date, not an event) found at its top."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Final


def _words(text: str) -> list[str]:
    return text.split()


__all__ = ["Sentence", "dateline", "normalise", "sentences", "strip_html", "verbatim"]

_DROPPED_ELEMENTS: Final = re.compile(r"(?is)<(script|style|head|noscript)\b.*?</\1\s*>")
_BLOCK_TAGS: Final = re.compile(r"(?i)</?(p|div|br|h[1-6]|li|tr|td|th|section|article|header|footer|title)\b[^>]*>")
_TAG: Final = re.compile(r"<[^>]*>")
_SPACES: Final = re.compile(r"[\xa0\u2000-\u200b\u202f\u205f\u3000\t\f\v ]+")
# An en or em dash becomes "-" between two numbers ("3\u20134 March") and " - " elsewhere ("October \u2014 1").
_HYPHENS: Final = re.compile(r"[\u2010\u2011]")
_DASH_IN_NUMBERS: Final = re.compile(r"(?<=\d)[\u2012-\u2015\u2212](?=\d)")
_DASH: Final = re.compile(r"\s*[\u2012-\u2015\u2212]\s*")
# a dash between a name and its year joins them: "Combat Brotherhood \u2013 2020" is "Combat Brotherhood-2020"
_DASH_BEFORE_YEAR: Final = re.compile(
    r"(?<=[A-Za-z])\s*[\u2012-\u2015\u2212]\s*(?=(?:19|20)\d\d(?![\d-]|\s*[\u2012-\u2015\u2212-]))"
)
_GAP: Final = r"[\s\xa0\u2000-\u200b\u202f\u205f\u3000]*"
_VERBATIM: Final = {
    " ": _GAP,
    "-": f"{_GAP}[-\u2010-\u2015\u2212]?{_GAP}",
    "'": "['\u2018\u2019]",
    '"': '["\u201c\u201d\u00ab\u00bb]',
}
_QUOTES: Final = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"'}
)

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS: Final = frozenset(
    _words(
        "st mr mrs ms dr prof gen lt col maj capt adm sgt rev no nos vol art para fig approx etc vs ca cf jan "
        "feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun jr sr inc ltd co corp u.s "
        "u.k u.n e.g i.e dept govt amb"
    )
)
_END: Final = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


def strip_html(text: str) -> str:
    """The words of an HTML page, block elements on lines of their own, entities decoded."""
    text = _DROPPED_ELEMENTS.sub(" ", text)
    text = _BLOCK_TAGS.sub("\n", text)
    return html.unescape(_TAG.sub("", text))


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"(?i)<(html|body|p|div|br|h[1-6]|span|a)\b[^>]*>", text[:5000]))


def normalise(text: str) -> str:
    """Plain spaces and ``-`` dashes, straight quotes; line breaks kept (a blank line ends a sentence)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_QUOTES)
    text = _DASH_BEFORE_YEAR.sub("-", _DASH_IN_NUMBERS.sub("-", _HYPHENS.sub("-", text)))
    return "\n".join(_DASH.sub(" - ", _SPACES.sub(" ", line)).strip() for line in text.split("\n"))


def verbatim(original: str, sentence: str) -> str:
    """``sentence`` (normalised) as ``original`` writes it, its own dashes and quotes (spaces plain); the
    normalised words when it cannot be found."""
    pattern = "".join(_VERBATIM.get(char, re.escape(char)) for char in " ".join(sentence.split()))
    found = re.search(pattern, original)
    return _SPACES.sub(" ", found[0].replace("\n", " ")) if found else sentence  # a space is a space


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence and where it starts in the normalised text."""

    text: str
    offset: int
    paragraph: int


def sentences(text: str) -> list[Sentence]:
    """The sentences of normalised text: paragraphs (and lines) split on ``.``, ``!``, ``?`` before a capital
    or digit, except after an abbreviation (``St.``, ``Gen.``) or an initial."""
    found: list[Sentence] = []
    offset = 0
    for number, paragraph in enumerate(text.split("\n")):
        found += _split(paragraph, offset, number)
        offset += len(paragraph) + 1
    return found


def _split(paragraph: str, offset: int, number: int) -> list[Sentence]:
    pieces: list[Sentence] = []
    begin = 0
    for match in _END.finditer(paragraph):
        before = paragraph[begin : match.start()].rstrip("\"')]")
        last_word = re.findall(r"[\w.]+$", before[:-1])
        word = last_word[0].lower() if last_word else ""
        if word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word) or re.fullmatch(r"(\w\.)+\w", word):
            continue
        pieces.append(Sentence(paragraph[begin : match.start()].strip(), offset + begin, number))
        begin = match.end()
    rest = paragraph[begin:].strip()
    if rest:
        pieces.append(Sentence(rest, offset + begin, number))
    return [piece for piece in pieces if piece.text]


# "MOSCOW, October 31 (TASS) -", "BEIJING, 5 June 2019 /Xinhua/ -", "Moscow, 31 October 2019 -"
_DATELINE: Final = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.' ]{1,40}?)(?:,\s*[A-Z][A-Za-z. ]{1,30}?)?,\s+(?P<date>[^()/\n]{3,40}?)"
    r"\s*(?:\((?P<agency>[^)]{2,30})\)|/(?P<agency2>[^/]{2,30})/)?\s*-{1,2}\s+"
)
# "Moscow, 2 March 2020" alone on a line, "Moscow, 1 November 2019.", "MOSCOW, November 1, 2019 /TASS/. The..."
_FULL_DATE: Final = r"\d{1,2}\s+[A-Z][a-z]+\.?,?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}"
_NAME: Final = r"[A-Z][A-Za-z.'-]*(?:\s+[A-Z][A-Za-z.'-]*){0,3}"  # every word capitalised: a place
_PLACE_AND_DATE: Final = re.compile(
    rf"^(?P<place>{_NAME})(?:,\s*{_NAME})?,\s+(?P<date>{_FULL_DATE})"
    r"\s*(?:\((?P<agency>[^)]{2,30})\)|/(?P<agency2>[^/]{2,30})/)?(?:\.?$|\.\s+(?=[A-Z]))"
)
_DATE_ONLY_LINE: Final = re.compile(
    r"^(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?P<date>\d{1,2}[ ./]\s?\w+[ ./]\s?\d{4}|\w+ \d{1,2},? \d{4}"
    r"|\d{4}-\d{2}-\d{2})\.?$"
)


_ENDS_WITH_DATE: Final = re.compile(
    r"^[A-Z][A-Z .,'/-]{2,60}\s-\s(?P<date>\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4})$"
)


@dataclass(frozen=True, slots=True)
class Dateline:
    """The text of the date at the top of a release and where the dateline ends (events are looked for after)."""

    date_text: str
    start: int
    end: int


def dateline(text: str) -> Dateline | None:
    """The dateline of normalised text: ``MOSCOW, 31 October (TASS) -`` at the start of a paragraph near the top,
    or a line that is only a date within the first lines."""
    offset = 0
    for line in text.split("\n")[:8]:
        if m := _DATE_ONLY_LINE.match(line):
            return Dateline(m["date"].strip(), offset, offset + len(line))
        if (m := _DATELINE.match(line) or _PLACE_AND_DATE.match(line)) and re.search(r"\d", m["date"]):
            return Dateline(m["date"].strip(" ,"), offset, offset + m.end())
        if len(line) <= 80 and (m := _ENDS_WITH_DATE.search(line)):  # "NUR-SULTAN. KAZINFORM - 3 February 2022"
            return Dateline(m["date"], offset, offset + len(line))
        offset += len(line) + 1
    return None
