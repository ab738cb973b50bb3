"""VEVENTs written straight as text: the content lines of one event, byte for byte what icalendar 7 gives for it.

Building icalendar objects for every event was most of an export's time; formatting our own few properties is
a small part of that. icalendar is asked only what it alone can say, once per zone or rule: the TZID it writes
for a zone (a zone it finds equal to UTC gets ``Z``, see ``zone_param``) and how it writes an RRULE
(``sco_cal.ics.rules``). ``sco_cal.ics.export`` builds the VCALENDAR head and its VTIMEZONEs.

Properties come in the order ``content_lines(sorted=True)`` gives: VEVENT's canonical ones first (SUMMARY,
DTSTART, DTEND, DTSTAMP, UID, SEQUENCE, RRULE), then the rest by name; a VALARM's all by name.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo

from sco_cal.errors import InvalidInput
from sco_cal.ics import publish
from sco_cal.ics.publish import Policy
from sco_cal.model import Event, Kind, LeadTime

if TYPE_CHECKING:
    import json

__all__ = [
    "Occurrences",
    "VeventWriter",
    "check",
    "escape",
    "fixed_tzid",
    "folded",
    "rule_answers",
    "utc_offset",
    "zone_answers",
    "zone_param",
]

_FOLD_AT: Final = 75  # octets, CRLF not counted (RFC 5545 section 3.1)


def folded(line: str) -> bytes:
    """Fold a content line exactly as icalendar does, so feeds stay byte-identical, but on the encoded bytes
    instead of its per-character loop (which took most of an export's time)."""
    data = line.encode()
    if len(data) < _FOLD_AT:
        return data
    pieces = []
    start = 0
    while len(data) - start >= _FOLD_AT:
        cut = start + _FOLD_AT - 1
        while data[cut] & 0xC0 == 0x80:  # never inside a multi-byte character
            cut -= 1
        if cut - start > 1 and data[cut - 1] in b"\\^":
            cut -= 1  # a TEXT escape (\n) or parameter escape (^n) is never split: some clients misread it
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def escape(text: str) -> str:
    r"""RFC 5545 TEXT escaping, backslash first.

    icalendar 7's own escaping turns a literal backslash before N into a line break (``C:\New`` is written
    ``C:\new``), so every text property of ours is escaped here.

    >>> escape("C:\\New; a, b\nc")
    'C:\\\\New\\; a\\, b\\nc'
    """
    if "\r" in text:  # most texts have none: two scans spared
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _icalendar_escape(text: str) -> str:
    r"""icalendar's TEXT escaping, ``\N`` quirk and all: the UID always went through it, and a UID kept from
    another calendar must come out as it did before."""
    return (
        text.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


# icalendar's answers for zones (``zone_param``), by ``_zone_name``: what it said, in this run or in an earlier one
# with the same icalendar and zone data (``sco_cal.ics.reuse`` keeps them), so a run that makes a VEVENT or two
# need not load icalendar to learn how it writes a zone
zone_answers: Final[dict[str, str | None]] = {}


@functools.cache
def zone_param(zone: tzinfo) -> str | None:
    """The parameter icalendar marks a time in ``zone`` with (``TZID=Europe/Berlin``), or ``None`` when it writes
    the time with ``Z``: it does so for every zone it finds equal to UTC (Etc/UTC, but also Africa/Abidjan)."""
    if isinstance(zone, timezone) and zone.utcoffset(None):  # a repeating time's fixed offset (publish.instant)
        return f"TZID={fixed_tzid(zone)}"
    name = _zone_name(zone)
    if name is not None and name in zone_answers:
        return zone_answers[name]
    from icalendar import vDatetime  # here: a run that only reuses kept VEVENTs never loads icalendar

    value = vDatetime(datetime(2000, 1, 1, tzinfo=zone))
    answer = None if value.is_utc() else str(value.params.to_ical().decode())
    if name is not None:
        zone_answers[name] = answer
    return answer


# icalendar's RRULE values (``rrule_line``), by rule, kind of start and ``_zone_name`` of its zone: kept as
# ``zone_answers`` are, so a run that makes a series' VEVENT again need not load icalendar to write its rule
rule_answers: Final[dict[tuple[str, bool, str | None], str]] = {}


def _rrule_value(rule: str, start: date | datetime) -> str:
    """The RRULE value icalendar writes for ``rule`` beside ``start`` (an answer kept where there is one)."""
    timed = isinstance(start, datetime)
    zone = start.tzinfo if isinstance(start, datetime) else None
    name = None if zone is None else _zone_name(zone)
    key = (rule, timed, name) if zone is None or name is not None else None  # a nameless zone: asked each time
    if key is not None and key in rule_answers:
        return rule_answers[key]
    from sco_cal.ics.rules import rrule_line  # icalendar's; see zone_param

    answer = rrule_line(rule, start)
    if key is not None:
        rule_answers[key] = answer
    return answer


def _zone_name(zone: tzinfo) -> str | None:
    """What names the zone's rules wholly: an IANA zone's key (a zone read from a file has none), a fixed
    offset's repr (UTC itself among them)."""
    if isinstance(zone, ZoneInfo):
        return None if zone.key is None else f"zoneinfo {zone.key}"
    return repr(zone) if isinstance(zone, timezone) else None


def utc_offset(offset: timezone) -> str:
    minutes = int((offset.utcoffset(None) or timedelta()).total_seconds()) // 60
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def fixed_tzid(offset: timezone) -> str:
    """``UTC+1100``: no colon, so the TZID parameter needs no quotes, which some clients do not read."""
    return f"UTC{utc_offset(offset)}"


def _digits(moment: date | datetime) -> str:
    day = f"{moment.year:04}{moment.month:02}{moment.day:02}"
    if isinstance(moment, datetime):
        return f"{day}T{moment.hour:02}{moment.minute:02}{moment.second:02}"
    return day


def _utc(moment: datetime) -> str:
    """DTSTAMP and LAST-MODIFIED are UTC whatever they were given in; a naive time already is."""
    moment = moment.astimezone(UTC) if moment.tzinfo is not None else moment
    return _digits(moment) + "Z"


def _duration(delta: timedelta) -> str:
    """A DURATION as icalendar writes it: ``-P7D``, ``-PT2H``, ``-P1DT1H``, never weeks."""
    sign = ""
    if delta.days < 0:
        sign, delta = "-", -delta
    clock = ""
    if delta.seconds:
        hours, minutes, seconds = delta.seconds // 3600, delta.seconds % 3600 // 60, delta.seconds % 60
        clock = "T" + (f"{hours}H" if hours else "")
        clock += f"{minutes}M" if minutes or (hours and seconds) else ""
        clock += f"{seconds}S" if seconds else ""
    if delta.days == 0 and clock:
        return f"{sign}P{clock}"
    return f"{sign}P{delta.days}D{clock}"


def _url(event: Event) -> str | None:
    return next((s.url for s in event.sources if s.url), None)


def check(event: Event, start: date | datetime, end: date | datetime | None, default_zone: str) -> None:
    """Refuse, before a byte is written, an event the feed cannot hold (icalendar raised on these mid-export).

    Raises:
        InvalidInput: An end before the start once a time without a zone is read in the feed's zone (the
            registry checks it in UTC), a source URL with a line break, or a negative sequence.
    """
    if end is not None and start > end:  # both dates or both times (publish.when)
        raise InvalidInput(
            f"{event.id}: ends ({end}) before it starts ({start}) once a time without a zone is read in "
            f"{default_zone}; give both times a zone"
        )
    url = _url(event)
    if url is not None and ("\r" in url or "\n" in url):
        raise InvalidInput(f"{event.id}: sources.url {url!r} has a line break, which a URL cannot hold")
    if event.sequence < 0:
        raise InvalidInput(f"{event.id}: sequence {event.sequence} is negative")


@functools.cache
def _json() -> json.JSONEncoder:
    """X-SCO-DATA's encoder, made once (``json.dumps`` with these options makes one per call); loaded only when
    a VEVENT is made, not when every one is taken from the kept texts."""
    import json

    return json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Occurrences:
    """How a VEVENT is tied to its series: RECURRENCE-ID for a moved occurrence (which then carries the series'
    UID), EXDATE and RDATE for a series, each written as the series' DTSTART is."""

    recurrence_id: date | datetime | None = None
    exdates: tuple[date | datetime, ...] = ()
    rdates: tuple[date | datetime, ...] = ()


@dataclass(frozen=True)
class VeventWriter:
    """Writes the VEVENTs of one feed."""

    policy: Policy
    default_zone: str
    default_reminders: Callable[[Kind], tuple[LeadTime, ...]]
    unknown_stamp: datetime  # DTSTAMP of an event with no `updated`

    def _moment(self, name: str, moment: date | datetime) -> str:
        if not isinstance(moment, datetime):
            return f"{name};VALUE=DATE:{_digits(moment)}"
        assert moment.tzinfo is not None  # publish.when gives zoned times only
        param = zone_param(moment.tzinfo)
        return f"{name}:{_digits(moment)}Z" if param is None else f"{name};{param}:{_digits(moment)}"

    def vevent(
        self,
        event: Event,
        uid: str,
        start: date | datetime,
        end: date | datetime | None,
        links: Occurrences = Occurrences(),
    ) -> bytes:
        """The VEVENT of an event the feed holds at ``start``..``end`` (see ``publish.when``), CRLF-terminated."""
        # in the order icalendar sorts them (see the module docstring): the feed's bytes must not change
        fixed = publish.fixed_span(event.start, event.end)
        title = event.title + publish.title_marks(event.start, event.end, event.status, fixed=fixed)
        lines = ["BEGIN:VEVENT", f"SUMMARY:{escape(title)}", self._moment("DTSTART", start)]
        if end is not None:
            lines.append(self._moment("DTEND", end))
        lines += [
            f"DTSTAMP:{_utc(event.updated or self.unknown_stamp)}",
            f"UID:{_icalendar_escape(uid)}",
        ]
        if links.recurrence_id is not None:
            lines.append(self._moment("RECURRENCE-ID", links.recurrence_id))
        lines.append(f"SEQUENCE:{event.sequence}")
        if event.recurrence:
            lines.append(f"RRULE:{_rrule_value(event.recurrence, start)}")
        lines += [self._moment("RDATE", moment) for moment in links.rdates]
        lines += [self._moment("EXDATE", moment) for moment in links.exdates]
        lines.append(f"CATEGORIES:{','.join([escape(c) for c in publish.categories(event)])}")
        description = publish.description(event, self.policy, self.default_zone, fixed=fixed)
        if description:
            lines.append(f"DESCRIPTION:{escape(description)}")
        if event.updated is not None:
            lines.append(f"LAST-MODIFIED:{_utc(event.updated)}")
        venue = event.venue.display() if event.venue else ""
        if venue:
            lines.append(f"LOCATION:{escape(venue)}")
        status = publish.status_of(event.start, event.end, event.status, fixed=fixed)
        lines.append(f"STATUS:{status}")
        all_day = not isinstance(start, datetime)
        lines.append("TRANSP:TRANSPARENT" if all_day or status == "CANCELLED" else "TRANSP:OPAQUE")
        url = _url(event)
        if url is not None:
            # A URI is written as it is, without TEXT escaping; but readers (icalendar among them) unescape
            # "\N" or "\," in any value, and RFC 3986 has no bare backslash, so it goes percent-encoded.
            lines.append("URL:" + url.replace("\\", "%5C"))
        lines += self._x_properties(event)
        reminders = event.reminders or self.default_reminders(event.kind)
        if reminders:
            note = "" if fixed else " (date not fixed yet)"
            alarm_text = f"DESCRIPTION:{escape(event.title + note)}"
            for lead in reminders:
                trigger = f"TRIGGER:{_duration(-lead.delta)}"
                lines += ["BEGIN:VALARM", "ACTION:DISPLAY", alarm_text, trigger, "END:VALARM"]
        lines.append("END:VEVENT")
        # a short ASCII line needs no folding: encoded in place, without a call of ``folded``
        return (
            b"\r\n".join([line.encode() if len(line) < _FOLD_AT and line.isascii() else folded(line) for line in lines])
            + b"\r\n"
        )

    @staticmethod
    def _x_properties(event: Event) -> list[str]:
        """The ``X-SCO-*`` lines, by name: what an import of our own feed restores the event from."""
        assert event.start is not None
        lines = []
        data = publish.data_of(event)
        if data:
            lines.append(f"X-SCO-DATA:{escape(_json().encode(data))}")
        if event.end is not None:
            lines.append(f"X-SCO-END:{escape(event.end.to_text())}")
        lines += [
            f"X-SCO-ID:{escape(event.id)}",
            f"X-SCO-KIND:{escape(str(event.kind))}",
            f"X-SCO-PRECISION:{escape(str(event.start.precision))}",
            f"X-SCO-START:{escape(event.start.to_text())}",
            f"X-SCO-STATUS:{escape(str(event.status))}",
        ]
        return lines
