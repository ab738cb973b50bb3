"""``content_hash``: a server's rewrite of an object's text is not a change; a change of what it says is."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sco_cal.errors import InvalidCalendar
from sco_cal.sync.content import content_hash, uids

DATA = Path(__file__).parent / "data" / "sync"
# A calendar object as ``resource_for`` writes one for a timed event with a zone, a reminder and escaped text
# (its VTIMEZONE then covered the event's days only), and what vobject 0.9.9, the library Radicale
# re-serialises every object with, writes back for it.
SENT = (DATA / "sent.ics").read_bytes()
VOBJECT = (DATA / "vobject-rewrite.ics").read_bytes()


def _unfolded(data: bytes) -> list[str]:
    return data.decode().replace("\r\n ", "").split("\r\n")[:-1]


def _folded(line: str, width: int) -> str:
    data = line.encode()
    pieces, start = [], 0
    while len(data) - start > width:
        cut = start + width
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        pieces.append(data[start:cut].decode())
        start = cut
    pieces.append(data[start:].decode())
    return "\n ".join(pieces)


def _rewrite(data: bytes, seed: int = 0, width: int = 60) -> bytes:
    """A server's rewrite, as Radicale's is: properties of each component in another order, folded at another
    width, LF line ends, its own PRODID and DTSTAMP, and its own VTIMEZONE text."""
    shuffle = random.Random(seed).shuffle
    stack: list[list[str]] = [[]]
    for line in _unfolded(data):
        if line.startswith("PRODID:"):
            line = "PRODID:-//Radicale//NONSGML Radicale Server//EN"
        elif line.startswith("DTSTAMP:"):
            line = "DTSTAMP:20260101T120000Z"
        if line.startswith("BEGIN:"):
            stack.append([line])
        elif line.startswith("END:"):
            block = stack.pop()
            head, body = block[0], block[1:]
            shuffle(body)
            if head == "BEGIN:VTIMEZONE":
                body = [
                    "TZID:Europe/Moscow",
                    "X-LIC-LOCATION:Europe/Moscow",
                    (
                        "BEGIN:STANDARD\nTZNAME:MSK\n"
                        "TZOFFSETFROM:+0300\nTZOFFSETTO:+0300\nDTSTART:19700101T000000\nEND:STANDARD"
                    ),
                ]
            text = "\n".join([head, *body, line])
            stack[-1].append(text)
        else:
            stack[-1].append(_folded(line, width))
    return ("\n".join(stack[0]) + "\n").encode()


def _changed(data: bytes, old: str, new: str) -> bytes:
    text = data.decode().replace("\r\n ", "")
    assert old in text, old
    return text.replace(old, new, 1).encode()


def test_the_rewrite_vobject_writes_hashes_as_what_was_sent() -> None:
    assert VOBJECT != SENT
    assert content_hash(VOBJECT) == content_hash(SENT)


def test_a_radicale_style_rewrite_hashes_as_what_was_sent() -> None:
    rewritten = _rewrite(SENT)
    assert b"\r\n" not in rewritten
    assert b"Radicale" in rewritten
    assert content_hash(rewritten) == content_hash(SENT)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32), width=st.integers(20, 74))
def test_any_reordering_and_refolding_hashes_the_same(seed: int, width: int) -> None:
    assert content_hash(_rewrite(SENT, seed, width)) == content_hash(SENT)


def test_parameter_spelling_and_order_do_not_count() -> None:
    one = _changed(SENT, "DTSTART;TZID=Europe/Moscow:", 'DTSTART;tzid="Europe/Moscow":')
    two = _changed(SENT, "DTSTART;TZID=Europe/Moscow:", "DTSTART;X-A=1;TZID=Europe/Moscow:")
    three = _changed(SENT, "DTSTART;TZID=Europe/Moscow:", "DTSTART;TZID=Europe/Moscow;X-A=1:")
    assert content_hash(one) == content_hash(SENT)
    assert content_hash(two) == content_hash(three)


def test_a_line_break_escaped_as_capital_n_is_the_same() -> None:
    assert content_hash(_changed(SENT, "Line one\\nC:", "Line one\\NC:")) == content_hash(SENT)


def test_a_bom_and_trailing_blank_lines_do_not_count() -> None:
    assert content_hash(b"\xef\xbb\xbf" + SENT + b"\r\n\r\n") == content_hash(SENT)


MEANINGFUL = [
    pytest.param("SUMMARY:8th meeting", "SUMMARY:9th meeting", id="summary"),
    pytest.param(
        "DTSTART;TZID=Europe/Moscow:20200624T100000", "DTSTART;TZID=Europe/Moscow:20200625T100000", id="start-value"
    ),
    pytest.param("DTSTART;TZID=Europe/Moscow:", "DTSTART;TZID=Europe/Berlin:", id="start-zone"),
    pytest.param("DTEND;TZID=Europe/Moscow:20200624T120000", "DTEND;VALUE=DATE:20200625", id="end-value-date"),
    pytest.param("DTEND;TZID=Europe/Moscow:20200624T120000\r\n", "", id="end-dropped"),
    pytest.param("SEQUENCE:0\r\n", "SEQUENCE:0\r\nRRULE:FREQ=YEARLY\r\n", id="rrule-added"),
    pytest.param("STATUS:CONFIRMED", "STATUS:CANCELLED", id="status"),
    pytest.param("X-SCO-PRECISION:minute", "X-SCO-PRECISION:day", id="x-sco-precision"),
    pytest.param("X-SCO-START:2020-06-24 10:00", "X-SCO-START:2020-06-24 11:00", id="x-sco-start"),
    pytest.param("X-SCO-STATUS:scheduled\r\n", "", id="x-sco-status-dropped"),
    pytest.param("TRIGGER:-P1D", "TRIGGER:-P2D", id="alarm"),
    pytest.param("CATEGORIES:meeting", "CATEGORIES:summit", id="categories"),
    pytest.param("DESCRIPTION:Line one", "DESCRIPTION:Line 1", id="description"),
    pytest.param("X-SCO-TIMEZONE:Europe/Moscow", "X-SCO-TIMEZONE:UTC", id="calendar-property"),
    pytest.param("END:VEVENT", "LOCATION:Moscow\r\nEND:VEVENT", id="property-added"),
]


@pytest.mark.parametrize(("old", "new"), MEANINGFUL)
def test_a_change_of_what_the_event_says_is_a_change(old: str, new: str) -> None:
    changed = _changed(SENT, old, new)
    assert content_hash(changed) != content_hash(SENT)
    assert content_hash(_rewrite(changed, seed=3)) == content_hash(changed)  # and stays one through a rewrite


def test_a_second_vevent_in_the_object_is_a_change() -> None:
    vevent = re.search(rb"BEGIN:VEVENT.*END:VEVENT\r\n", SENT, re.DOTALL)
    assert vevent is not None
    moved = vevent[0].replace(b"SEQUENCE:0", b"RECURRENCE-ID;TZID=Europe/Moscow:20210624T100000\r\nSEQUENCE:0")
    assert content_hash(SENT.replace(b"END:VCALENDAR", moved + b"END:VCALENDAR")) != content_hash(SENT)


def test_the_hash_is_hex_sha256_and_stable() -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", content_hash(SENT))
    assert content_hash(SENT) == content_hash(bytes(SENT))


def test_what_is_no_calendar_raises_invalid_calendar() -> None:
    with pytest.raises(InvalidCalendar):
        content_hash(b"<html>502 Bad Gateway</html>")
    with pytest.raises(InvalidCalendar):
        content_hash(SENT[: len(SENT) // 2])


def test_uids_are_the_components_uids() -> None:
    assert uids(SENT) == {"sco-ewg-08@sco.example"}
    assert uids(VOBJECT) == {"sco-ewg-08@sco.example"}
