"""What an event is called: the nouns that name events ("meeting", "exercises", "presidency") and the noun
phrase around one, which becomes the draft's title, kind, series and number."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

from sco_cal.extract.lexicon import EVENT_HEADS
from sco_cal.model import Kind


def _words(text: str) -> list[str]:
    return text.split()


__all__ = ["Head", "find_heads"]

_HEAD: Final = re.compile(
    r"\b(?:" + "|".join(sorted((re.escape(h) for h in EVENT_HEADS), key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_ORDINAL: Final = re.compile(r"(?i)^(\d{1,3})(?:st|nd|rd|th)$")
_ORDINAL_WORDS: Final = {
    w: n
    for n, w in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        ],
        start=1,
    )
}
# Words a title never reaches back over: determiners and possessives end it, verbs and prepositions too.
_LEFT_STOP: Final = frozenset(
    _words(
        "a an the its their his her our this that these those next last first previous upcoming forthcoming "
        "of to in on at for from by with and or but as during after before about into between under over is "
        "are was were be been will would shall held hold holds holding host hosts hosted attend attended "
        "attending said says told announced discussed considered preparing prepare organisation organization "
        "conduct conducted conducting invitation invitations invite invited regarding concerning including "
        "within without via per amid while where when which who whom whose than then also both each such "
        "other another new"
    )
)
_RIGHT_LINK: Final = re.compile(r"^\s+(?:of|between|among|on|for)\s+(?=\S)")
_RIGHT_STOP: Final = frozenset(
    _words(
        "scheduled slated planned expected set due will would shall is are was were to which that who where "
        "when held hosted took take takes taking in at during from until till since after before under with "
        "by as has have had being be been attended chaired opened began begins ended ends closed . ; : meets "
        "meet met discusses discussed agreed agree says said announced reported noted stressed opens closes "
        "starts started signs signed approved adopted concluded continues continued focused focuses"
    )
)
_MAX_LEFT: Final = 7
_MAX_RIGHT: Final = 16


@dataclass(frozen=True, slots=True)
class Head:
    """An event noun in a sentence and the phrase it heads: ``title`` as the text says it (without leading
    article), where the phrase is, its kind, and the ordinal number it carries."""

    noun: str
    start: int
    end: int
    phrase_start: int
    phrase_end: int
    title: str
    kind: Kind
    number: int | None
    bare: bool  # "the exercises", "the meeting": no words of its own, so it refers back to an earlier phrase


def find_heads(sentence: str, dates: list[tuple[int, int]]) -> list[Head]:
    """The event nouns of ``sentence`` with their phrases; ``dates`` are the spans of its date phrases, which
    a title never takes in (except a day before the noun, "the 27 June 2007 Agreement", which it drops)."""
    heads = []
    for m in _HEAD.finditer(sentence):
        if _is_verb_use(sentence, m):
            continue
        heads.append(_head(sentence, m, dates))
    return heads


def _is_verb_use(sentence: str, m: re.Match[str]) -> bool:
    """ "meeting" in "after meeting the minister", "visit" in "will visit": not an event noun."""
    before = sentence[: m.start()].rstrip().rsplit(" ", 1)[-1].lower()
    word = m[0].lower()
    if word in ("visit", "talks", "drill", "host", "council") and before in (
        "will",
        "to",
        "would",
        "also",
        "she",
        "he",
    ):
        return True
    return word == "meeting" and before in ("after", "before", "while", "when", "by")


@functools.lru_cache(maxsize=64)  # every event noun of a sentence walks the same words
def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m[0]) for m in re.finditer(r"(?:St\.|[\w'()-])+|[.,;:]", text)]


def _head(sentence: str, m: re.Match[str], dates: list[tuple[int, int]]) -> Head:
    tokens = _tokens(sentence)
    index = next(i for i, t in enumerate(tokens) if t[0] >= m.start())
    last_head = next(i for i, t in enumerate(tokens) if t[1] >= m.end())
    first, number = _left(tokens, index, dates)
    last = _right(sentence, tokens, last_head, dates)
    start, end = tokens[first][0], tokens[last][1]
    title = _clean(sentence[start:end])
    bare = first == index and last == last_head
    return Head(m[0].lower(), m.start(), m.end(), start, end, title, EVENT_HEADS[m[0].lower()], number, bare)


def _inside(position: int, dates: list[tuple[int, int]]) -> tuple[int, int] | None:
    return next(((a, b) for a, b in dates if a <= position < b), None)


def _left(tokens: list[tuple[int, int, str]], index: int, dates: list[tuple[int, int]]) -> tuple[int, int | None]:
    """The first token of the phrase, walking left over modifiers; the ordinal it meets is the number."""
    first, number, taken = index, None, 0
    while first > 0 and taken < _MAX_LEFT:
        start, _end, word = tokens[first - 1]
        if _inside(start, dates):
            break
        low = word.lower().rstrip(".")
        if low in _LEFT_STOP or word in ",.;:" or (word.endswith(")") and "(" not in word):
            if low in ("first", "next", "last") and number is None and low == "first":
                number = 1
            break
        ordinal = _ORDINAL.match(word) or (low in _ORDINAL_WORDS and low)
        if ordinal:
            number = int(ordinal[1]) if isinstance(ordinal, re.Match) else _ORDINAL_WORDS[low]
        elif word[:1].isdigit():
            break
        first, taken = first - 1, taken + 1
    return first, number


def _right(sentence: str, tokens: list[tuple[int, int, str]], index: int, dates: list[tuple[int, int]]) -> int:
    """The last token of the phrase: "of the SCO, the CIS and the CSTO", "between ... on Holding ...", up to a
    verb, a date, a venue or the end of the clause."""
    last = index
    position = tokens[index][1]
    while (link := _RIGHT_LINK.match(sentence[position:])) and last - index < _MAX_RIGHT:
        linked = position + link.end()
        after = sentence[linked:]
        if _inside(linked, dates) or (link[0].strip() == "on" and not after[:1].isupper()):
            break
        stop = _phrase_end(tokens, linked, dates)
        if stop is None:
            break
        last, position = stop, tokens[stop][1]
    return last


def _phrase_end(tokens: list[tuple[int, int, str]], linked: int, dates: list[tuple[int, int]]) -> int | None:
    """The last token of a noun phrase starting at ``linked`` (lists joined by commas and "and" included)."""
    found = None
    for i, (start, _end, word) in enumerate(tokens):
        if start < linked:
            continue
        low = word.lower()
        if _inside(start, dates) or low in _RIGHT_STOP or (low == "," and not _list_goes_on(tokens, i)):
            break
        if low == "and" and not _list_goes_on(tokens, i):
            break
        if low in ("of", "between", "on", "for", "among"):
            break
        found = i
    return found


def _list_goes_on(tokens: list[tuple[int, int, str]], index: int) -> bool:
    """ "the SCO, the CIS and the CSTO": after a comma or "and" comes another name, not a new clause."""
    following = [word for _s, _e, word in tokens[index + 1 : index + 3]]
    if not following:
        return False
    word = following[1] if following[0].lower() in ("the", "and") and len(following) > 1 else following[0]
    return word[:1].isupper()


def _clean(text: str) -> str:
    text = re.sub(r"^(?:the|a|an|its|their)\s+", "", text.strip(" ,"), flags=re.IGNORECASE)
    return text[:1].upper() + text[1:]
