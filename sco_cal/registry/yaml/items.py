"""A registry file cut into the items of its events list, each named by a digest of its exact text.

Reading an item is a function of its text alone (the registry's header and the checks across events come
afterwards), so an item whose digest a cached copy already holds need not be read again. The cut is the one
``pieces`` makes, found with a few scans in C: a registry of 100,000 events is cut and named in a fraction of
the time one piece of it takes to read.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import partial
from itertools import accumulate, repeat
from operator import add, methodcaller
from typing import Final

from sco_cal.registry.yaml.pieces import EVENTS_KEY, FIRST_CONTENT

__all__ = ["Items", "cut"]

_DIGEST_SIZE: Final = 16


@dataclass(frozen=True, slots=True)
class Items:
    """One file's events list: the text around it (the header), and each item's text, digest and first line
    (0-based). The last item's text runs to the end of the list, with its line break if it has one."""

    header: bytes  # a digest of the text before and after the list
    indent: int
    bodies: list[str]  # each item's text after its '-', without the line break that ends it
    digests: list[bytes]
    lines: list[int]

    def text(self, first: int, stop: int) -> str:
        """The exact text of items ``first`` to ``stop`` (excluded), as it stands in the file."""
        lead = " " * self.indent + "-"
        joined = "\n".join(lead + body for body in self.bodies[first:stop])
        return joined if stop == len(self.bodies) else joined + "\n"


def _digests(bodies: list[str], indent: int) -> list[bytes]:
    # The indentation is part of an item's text, and the last item is the only one not ended by a line break:
    # each gets a digest of its own kind, so equal digests always mean equal texts.
    inner = partial(hashlib.blake2b, digest_size=_DIGEST_SIZE, person=b"item %d" % indent)
    found = list(map(methodcaller("digest"), map(inner, map(str.encode, bodies[:-1]))))
    last = hashlib.blake2b(bodies[-1].encode(), digest_size=_DIGEST_SIZE, person=b"last item %d" % indent)
    return [*found, last.digest()]


def _events_key(text: str) -> re.Match[str] | None:
    """The one ``events:`` line, found as ``pieces`` finds it (a line-start regex would scan every character)."""
    found = [match] if (match := EVENTS_KEY.match(text)) else []
    position = text.find("\nevents:")
    while position >= 0:
        if match := EVENTS_KEY.match(text, position + 1):
            found.append(match)
        position = text.find("\nevents:", position + 1)
    return found[0] if len(found) == 1 else None


def cut(text: str) -> Items | None:
    """The items of the file's events list, or ``None`` when ``pieces`` would not read it piece by piece."""
    key = _events_key(text)
    first = FIRST_CONTENT.search(text, key.end()) if key else None
    if first is None or not text.startswith("-", first.end()):
        return None
    indent = len(first.group(1))
    start = first.start()
    # The first line at most as deep as the items that does not start one ends the list.
    shallower = rf" {{0,{indent - 1}}}[^ \t\r\n#]|" if indent else ""
    ending = re.compile(rf"\n(?:{shallower} {{{indent}}}(?!-[ \n\r])[^ \t\r\n#])")
    found = ending.search(text, start - 1)
    end = found.start() + 1 if found else len(text)
    bodies = text[start + indent + 1 : end].split("\n" + " " * indent + "-")
    head = hashlib.blake2b(text[:start].encode(), digest_size=_DIGEST_SIZE, person=b"header")
    head.update(b"\0" + text[end:].encode())
    first_line = text.count("\n", 0, start)
    lines = list(accumulate(map(add, map(methodcaller("count", "\n"), bodies[:-1]), repeat(1)), initial=first_line))
    return Items(head.digest(), indent, bodies, _digests(bodies, indent), lines)
