"""Date words the extractor could not turn into a date ("in the third quarter" with no year, "next week",
"no later than June"): each is named to the user, so that a statement is never dropped in silence."""

from __future__ import annotations

import re
from typing import Final

from sco_cal.extract.phrases import find_mentions

__all__ = ["unplaced"]

_MONTHS: Final = r"January|February|March|April|June|July|August|September|October|November|December"
_LEAD: Final = r"(?:(?:no|not)\s+later\s+than\s+|(?:in|on|by|for|to|during|until|till|before|after|from|since)\s+)?"
_DATE_WORDS: Final = re.compile(
    rf"\b{_LEAD}(?:the\s+)?(?:"
    rf"(?:early|mid|late|(?:the\s+)?(?:beginning|start|middle|end)\s+of)?[-\s]?(?:{_MONTHS}|(?<=\w\s)May)\b"
    r"|(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:quarter|half)\b|\b[QH][1-4]\b"
    r"|(?:next|this|last|coming)\s+(?:week|weekend|quarter|decade)\b|\b(?:spring|summer|autumn|winter)\b"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b"
    r")"
)


def unplaced(sentence: str) -> list[str]:
    """The date words of ``sentence`` that no date phrase covers, as they stand in the text."""
    mentions = find_mentions(sentence)
    found = []
    for match in _DATE_WORDS.finditer(sentence):
        if not any(m.start <= match.start(0) < m.end or match.start(0) <= m.start < match.end() for m in mentions):
            found.append(" ".join(match[0].split()))
    return found
