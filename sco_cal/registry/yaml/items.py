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

__all__ = ["EVENTS_KEY", "FIRST_CONTENT", "Items", "cut", "cut_between", "header_digest", "list_ending"]

EVENTS_KEY: Final = re.compile(r"^events:[ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)
FIRST_CONTENT: Final = re.compile(r"^( *)(?=[^ \t\r\n#])", re.MULTILINE)

_DIGEST_SIZE: Final = 16


_KEY_LINE: Final = re.compile(EVENTS_KEY.pattern.encode(), re.MULTILINE)
_CONTENT_LINE: Final = re.compile(FIRST_CONTENT.pattern.encode(), re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Items:
    """Items of one file's events list, from ``start`` (the first one's offset) to ``end``: the text around the
    whole list (the header), and each item's text, digest and first line (0-based). The list's last item's text
    runs to the end of the list, with its line break if it has one; ``more`` says another item follows these.

    All in UTF-8 bytes: a line break, a blank or a '-' is one byte that no other character holds, so the cut is
    the one the text gives, and only the items read again need decoding.
    """

    header: bytes  # a digest of the text before and after the list
    indent: int
    bodies: list[bytes]  # each item's text after its '-', without the line break that ends it
    digests: list[bytes]
    lines: list[int]
    start: int
    end: int
    more: bool = False

    def text(self, first: int, stop: int) -> str:
        """The exact text of items ``first`` to ``stop`` (excluded), as it stands in the file.

        Raises:
            UnicodeDecodeError: The items are not UTF-8.
        """
        lead = b" " * self.indent + b"-"
        joined = b"\n".join(lead + body for body in self.bodies[first:stop])
        return (joined + b"\n" if stop < len(self.bodies) or self.more else joined).decode()

    def offsets(self, numbers: range) -> list[int]:
        """Where items ``numbers`` start in the file."""
        ends = list(accumulate(map(len, self.bodies), initial=self.start))  # each body and what came before
        step = self.indent + 2  # the indentation, '-' and the line break around each body
        return [ends[k] + k * step for k in numbers]


def _digests(bodies: list[bytes], indent: int, *, more: bool) -> list[bytes]:
    # The indentation is part of an item's text, and the last item is the only one not ended by a line break:
    # each gets a digest of its own kind, so equal digests always mean equal texts.
    inner = partial(hashlib.blake2b, digest_size=_DIGEST_SIZE, person=b"item %d" % indent)
    if more:
        return list(map(methodcaller("digest"), map(inner, bodies)))
    found = list(map(methodcaller("digest"), map(inner, bodies[:-1])))
    last = hashlib.blake2b(bodies[-1], digest_size=_DIGEST_SIZE, person=b"last item %d" % indent)
    return [*found, last.digest()]


def _events_key(data: bytes) -> re.Match[bytes] | None:
    """The one ``events:`` line, found as ``pieces`` finds it (a line-start regex would scan every character)."""
    found = [match] if (match := _KEY_LINE.match(data)) else []
    position = data.find(b"\nevents:")
    while position >= 0:
        if match := _KEY_LINE.match(data, position + 1):
            found.append(match)
        position = data.find(b"\nevents:", position + 1)
    return found[0] if len(found) == 1 else None


def list_ending(indent: int) -> re.Pattern[bytes]:
    """The line break before the first line at most as deep as the items that does not start one: the line
    that ends a list of items at ``indent``."""
    shallower = rb" {0,%d}[^ \t\r\n#]|" % (indent - 1) if indent else b""
    return re.compile(rb"\n(?:%b {%d}(?!-[ \n\r])[^ \t\r\n#])" % (shallower, indent))


def header_digest(data: bytes, start: int, end: int) -> bytes:
    """A digest of the text before ``start`` and after ``end``: the file's header around its list."""
    head = hashlib.blake2b(memoryview(data)[:start], digest_size=_DIGEST_SIZE, person=b"header")
    head.update(b"\0")
    head.update(memoryview(data)[end:])
    return head.digest()


def cut(data: bytes) -> Items | None:
    """The items of the events list of a file's text (UTF-8, no byte-order mark), or ``None`` when ``pieces``
    would not read it piece by piece."""
    key = _events_key(data)
    first = _CONTENT_LINE.search(data, key.end()) if key else None
    if first is None or not data.startswith(b"-", first.end()):
        return None
    indent = len(first.group(1))
    start = first.start()
    found = list_ending(indent).search(data, start - 1)
    end = found.start() + 1 if found else len(data)
    return cut_between(data, start, end, indent, data.count(b"\n", 0, start), header_digest(data, start, end))


def cut_between(
    data: bytes, start: int, stop: int, indent: int, first_line: int, header: bytes, *, more: bool = False
) -> Items:
    """The items from ``start`` (where one starts, on line ``first_line``) to ``stop``: the end of the list, or
    with ``more`` the line break before the next item."""
    bodies = data[start + indent + 1 : stop - 1 if more else stop].split(b"\n" + b" " * indent + b"-")
    lines = list(accumulate(map(add, map(methodcaller("count", b"\n"), bodies[:-1]), repeat(1)), initial=first_line))
    return Items(header, indent, bodies, _digests(bodies, indent, more=more), lines, start, stop, more)
