"""A VEVENT of the plainest kind read straight from the lines ``scan`` unfolded, without icalendar building a
component of it: most events of a calendar from another organisation are a UID, dates, a title, a place and a
description, and making icalendar's objects for them costs more than everything else the import does with them.

``plain_event`` reads an event only when every line it reads is one whose meaning is plain: a name it reads at
most once, no parameters but the few it understands (VALUE, TZID, LANGUAGE), no line break left in a line, no
inner component, nothing of sco-cal's own (X-SCO-*), and values of the forms icalendar reads the same way. It
then takes the steps ``fields.imported_event`` takes (TEXT unescaped as icalendar unescapes it, a date of plain
digits made as icalendar's date reader makes it, any other read by that reader), so the event equals what that
gives. Any other event, and any event whose reading
here fails in any way, is ``None``: the caller reads it through icalendar, which also words every error.

Exports ``plain_event``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, Final

from icalendar import Parameters, vDDDLists, vDDDTypes, vRecur
from icalendar.timezone import tzp

from sco_cal.ics.fields import MAX_SEQUENCE, described, end_not_kept, statuses_of
from sco_cal.ics.incoming import Context, Imported, RawDates
from sco_cal.ics.moments import aware, dates_of, occurrence_list
from sco_cal.ics.restore import shared_text
from sco_cal.ics.rules import rule_beside
from sco_cal.ics.scan import KEPT, Part

__all__ = ["plain_event"]

# a name, then parameters whose values need no quotes, escapes or decoding: then the first colon ends them
_HEAD: Final = re.compile(r"([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=[A-Za-z0-9_/+.-]+)*)")
_NAME: Final = re.compile(r"[A-Za-z0-9-]+")
_PAIR: Final = re.compile(r";([A-Za-z0-9-]+)=([A-Za-z0-9_/+.-]+)")
_TEXT_ESCAPE: Final = re.compile(r"\\([\\,;:nN])")  # icalendar's TEXT unescaping, colon included
_DIGITS: Final = re.compile(r"[0-9]+")

_TEXTS: Final = frozenset({"SUMMARY", "DESCRIPTION", "LOCATION"})  # the texts a LANGUAGE may be given to
_DATES: Final = frozenset({"DTSTART", "DTEND"})
_LISTS: Final = (("EXDATE", "excluded"), ("RDATE", "also"))  # each line a list of dates; the field it makes
_REPEATED: Final = frozenset(name for name, _ in _LISTS)  # the names that may have several lines
# the parameters each name read here may have, and the values of VALUE that keep icalendar's date reader
_PARAMS: Final = {
    **dict.fromkeys(("UID", "URL", "STATUS", "SEQUENCE", "LAST-MODIFIED", "RRULE"), frozenset[str]()),
    **dict.fromkeys(_TEXTS, frozenset({"LANGUAGE"})),
    **dict.fromkeys(_DATES | _REPEATED, frozenset({"VALUE", "TZID"})),
}
_DATE_KINDS: Final = frozenset({"DATE", "DATE-TIME"})
# what the event reads that only icalendar's reading handles (durations, categories, moved
# occurrences, sco-cal's own properties): such an event is not plain
_NOT_PLAIN: Final = KEPT["VEVENT"] - _PARAMS.keys()

Props = dict[str, list[tuple[dict[str, str], str]]]  # each name's lines: one, but for the date lists
Head = tuple[str, dict[str, str]]
# what each line's text before its colon said (a file has few: "SUMMARY", "DTSTART;VALUE=DATE"); the parameters
# are shared by the events and only read; a hostile file may invent any number, so only the first are kept
_HEADS: Final[dict[str, Head | None]] = {}
_MAX_HEADS: Final = 256
_UNSEEN: Final[Head] = ("?", {})
_date_of: Final[Callable[..., Any]] = vDDDTypes.from_ical  # icalendar's own reader of a date value (untyped)
_dates_of: Final[Callable[..., Any]] = vDDDLists.from_ical  # and of a list of them
_utc_of: Final[Callable[[datetime], datetime]] = tzp.localize_utc  # and its UTC, the zone it gives a time in Z
# the forms of a date value without a TZID whose reading by icalendar is plain digits (any other goes to it)
_PLAIN_DATE: Final = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})(?:T([0-9]{2})([0-9]{2})([0-9]{2})(Z?))?")


class _NotPlain(Exception):
    """A value this reading leaves to icalendar's."""


def plain_event(part: Part, context: Context) -> Imported | None:
    """The event ``fields.imported_event`` gives for this VEVENT part, or ``None`` if it is not plain."""
    index = part.index
    if index is None or index.inner:
        return None
    props = _props(part.lines)
    if props is None:
        return None
    try:
        return _imported(props, part, context)
    except Exception:  # noqa: BLE001  # icalendar's reading says what is wrong, and where
        return None


def _props(lines: list[str]) -> Props | None:
    """The properties read here, by name: their parameters and raw value; ``None`` if the event is not plain."""
    props: Props = {}
    for text in lines[1:-1]:
        head, colon, value = text.partition(":")
        known = _HEADS.get(head, _UNSEEN)
        if known is _UNSEEN:
            known = _head(head)
        if known is None or not colon or "\r" in text:
            return None
        name, params = known
        if not name:
            continue  # not read: whatever icalendar makes of it, nothing looks at it
        lines_of = props.setdefault(name, [])
        if lines_of and name not in _REPEATED:
            return None
        lines_of.append((params, value))
    return props


def _head(head: str) -> Head | None:
    """What a line's name and parameters (the text before its first colon) say: the name read and its
    parameters, ``("", {})`` for a line not read, ``None`` for one that makes the event not plain."""
    simple = _HEAD.fullmatch(head)
    found = _NAME.match(head)
    name = (simple[1] if simple else found[0] if found else "").upper()
    allowed = _PARAMS.get(name)
    known: Head | None = ("", {})
    if name in _NOT_PLAIN:
        known = None
    elif allowed is not None:
        params = _params(simple[2], allowed) if simple else None
        known = None if params is None else (name, params)
    if len(_HEADS) < _MAX_HEADS:
        _HEADS[head] = known
    return known


def _params(text: str, allowed: frozenset[str]) -> dict[str, str] | None:
    if not text:
        return {}
    pairs = [(key.upper(), value) for key, value in _PAIR.findall(text)]
    params = dict(pairs)
    if len(params) < len(pairs) or not params.keys() <= allowed:
        return None
    if params.get("VALUE", "DATE") not in _DATE_KINDS:
        return None
    return params


def _imported(props: Props, part: Part, context: Context) -> Imported | None:
    index = part.index
    assert index is not None
    uid = (_text_value(props, "UID") or "").strip()
    if not uid:  # its messages name the UID it states: icalendar's way
        return None
    warnings: list[str] = []
    raw = _raw_dates(props, context)
    start, end = dates_of(raw, context.floating) if raw else (None, None)
    summary = _text(props, "SUMMARY") or ""
    fields: dict[str, Any] = {"title": summary.strip() or "(untitled)", "start": start, "end": end}
    rule = _one(props, "RRULE")
    recurrence = None
    if rule is not None and start is not None:
        recurrence, warnings = rule_beside(vRecur(vRecur.from_ical(_unescaped(rule[1]))), start, [], moved=False)
    fields["recurrence"] = recurrence
    for name, key in _LISTS:
        lines = props.get(name)
        if lines is None:
            continue
        if not all(value for _, value in lines):  # icalendar drops an empty RDATE and cannot read an EXDATE
            raise _NotPlain(name)
        if recurrence is None or start is None:
            warnings.append(f"{name}: dates taken out of or added to an event that does not repeat are not kept")
        else:
            fields[key] = occurrence_list(_date_lists(lines), start, context)
    described(lambda name: _text(props, name), fields)
    not_kept = end_not_kept(raw, index)
    status = _text_value(props, "STATUS")
    statuses = statuses_of(None if status is None else status.strip().upper(), index, not_kept)
    sequence, updated = _revision(props)
    imported = Imported(
        uid, index.line, fields, statuses, sequence=sequence, updated=updated, warnings=warnings, not_kept=not_kept
    )
    fields["title"] = shared_text(fields["title"])
    return imported


def _raw_dates(props: Props, context: Context) -> RawDates | None:
    """DTSTART and DTEND as ``moments.raw_dates`` gives them."""
    start = _moment(props, "DTSTART")
    if start is None:
        return None
    end = _moment(props, "DTEND")
    zone = context.floating or context.default_zone
    return aware(start, zone), aware(end, zone) if end is not None else None


def _moment(props: Props, name: str) -> date | datetime | None:
    """A date or date-time as icalendar reads it; a zone it cannot name (a time with a TZID left without one,
    a zone a VTIMEZONE of the file defines) raises: those take icalendar's way."""
    prop = _one(props, name)
    if prop is None:
        return None
    params, value = prop
    tzid = params.get("TZID")
    plain = None if tzid else _PLAIN_DATE.fullmatch(value)
    if plain is not None:
        return _plain_moment(plain)
    moment = _date_of(value, timezone=tzid) if tzid else _date_of(value)
    if not isinstance(moment, date):
        raise _NotPlain(name)
    if tzid and isinstance(moment, datetime) and not isinstance(getattr(moment.tzinfo, "key", None), str):
        raise _NotPlain(name)
    return moment


def _plain_moment(found: re.Match[str]) -> date | datetime:
    """A day, a floating time or a UTC time as icalendar's reader makes it of these digits."""
    year, month, day, hour, minute, second, utc = found.groups()
    if hour is None:
        return date(int(year), int(month), int(day))
    moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    return _utc_of(moment) if utc else moment


def _revision(props: Props) -> tuple[int, datetime | None]:
    sequence = _one(props, "SEQUENCE")
    number = 0
    if sequence is not None:
        if not _DIGITS.fullmatch(sequence[1]) or int(sequence[1]) > MAX_SEQUENCE:
            raise _NotPlain("SEQUENCE")
        number = int(sequence[1])
    modified = _moment(props, "LAST-MODIFIED")
    if not isinstance(modified, datetime):
        return number, None
    if modified.tzinfo is None:
        modified = modified.replace(tzinfo=UTC)
    return number, modified.astimezone(UTC).replace(microsecond=0)


def _one(props: Props, name: str) -> tuple[dict[str, str], str] | None:
    lines = props.get(name)
    return None if lines is None else lines[0]


def _date_lists(lines: list[tuple[dict[str, str], str]]) -> Any:
    """EXDATE or RDATE lines as icalendar holds them: a date list (or a list of them) with the line's
    parameters."""
    found = []
    for params, value in lines:
        tzid = params.get("TZID")
        dates = vDDDLists(_dates_of(value, timezone=tzid) if tzid else _dates_of(value))
        dates.params = Parameters(params)
        found.append(dates)
    return found[0] if len(found) == 1 else found


def _text_value(props: Props, name: str) -> str | None:
    prop = _one(props, name)
    return None if prop is None else _unescaped(prop[1])


def _text(props: Props, name: str) -> str | None:
    """A text property's value; one of only white space is none, as ``fields`` reads it."""
    value = _text_value(props, name)
    return None if value is None or value.isspace() or not value else value


def _unescaped(value: str) -> str:
    return _TEXT_ESCAPE.sub(lambda m: "\n" if m[1] in "nN" else m[1], value) if "\\" in value else value
