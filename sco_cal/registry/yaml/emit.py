"""Writing an event as YAML text that any reader, YAML 1.1 or 1.2, loads back as the same text.

sco-cal reads every scalar as text, but users also feed their registries to other tools. So a value is written
bare only when no common reader would turn it into something else (``yes``, ``NO``, ``12:30``, ``2020``,
``2019-10-31``, ``0o17``, ``.inf`` are all quoted).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from operator import attrgetter
from typing import Any, Final

import yaml

from sco_cal.dates import DateValue
from sco_cal.model import Event, Kind, Source, Venue
from sco_cal.registry.yaml.keys import by_file_key

__all__ = ["event_fields", "item_lines", "key_lines", "scalar"]

# What a YAML 1.2 core-schema reader (or a strict YAML 1.1 one) reads as other than a string, beyond what
# PyYAML's own 1.1 resolver already catches.
_NOT_TEXT_ELSEWHERE: Final = re.compile(
    r"[-+]?[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|y|Y|n|N|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF"
    r"|true|True|TRUE|false|False|FALSE|null|Null|NULL|~|<<|="
)
_INDICATORS: Final = frozenset("-?:,[]{}#&*!|>'\"%@`")
# Inside [...] PyYAML's scanner is stricter than the spec; words, spaces and a little punctuation are safe.
_FLOW_PLAIN: Final = re.compile(r"[^\W_][\w .()/&'+@-]*")
# YAML's printable set, less NEL, LS and PS, which YAML 1.1 readers treat as line breaks inside quotes.
_PRINTABLE: Final = re.compile(r"[\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")


def _resolves_to_text(text: str) -> bool:
    resolvers = yaml.SafeLoader.yaml_implicit_resolvers.get(text[0], [])
    return not any(regexp.match(text) for _tag, regexp in resolvers) and not _NOT_TEXT_ELSEWHERE.fullmatch(text)


def _plain_ok(text: str, *, flow: bool) -> bool:
    if not text or text != text.strip() or "\t" in text or "\n" in text or not _PRINTABLE.fullmatch(text):
        return False
    if text[0] in _INDICATORS and not (text[0] in "-?:" and len(text) > 1 and text[1] not in " \t"):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    if flow and not _FLOW_PLAIN.fullmatch(text):
        return False
    return _resolves_to_text(text)


def scalar(text: str, *, flow: bool = False) -> str:
    """One-line YAML for ``text``: bare when safe, else single-quoted, else double-quoted with escapes.

    >>> [scalar(s) for s in ("Moscow", "2020", "NO", "12:30", "it's")]
    ['Moscow', "'2020'", "'NO'", "'12:30'", "it's"]
    """
    return _scalar(text, flow)


_REMEMBERED_CHARS: Final = 64  # longer values (a title, a note) seldom recur, and are not kept
# Most titles, names and ids: a letter first, then letters, digits and punctuation YAML gives no meaning to
# there, and no space at the end. Such a text is plain (in a flow list too, without a comma), and no resolver
# reads it as other than text: they only take numbers, dates and a few words, which start with a digit, a
# sign, a dot or one of _WORD_STARTS and never hold a space.
_SURELY_PLAIN: Final = (
    re.compile(r"[^\W\d_](?:[\w .,()/&'+@-]*[\w.,()/&'+@-])?"),
    re.compile(r"[^\W\d_](?:[\w .()/&'+@-]*[\w.()/&'+@-])?"),  # in a flow list: _FLOW_PLAIN, less the ends
)
_WORD_STARTS: Final = frozenset("yYnNtTfFoO")


# A day as a date is stored (2019-10-31): every YAML 1.1 reader takes it for a date, so it is always quoted. The
# days of a big import are too many to remember, and each would be judged afresh.
_DAY: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _scalar(text: str, flow: bool) -> str:
    if _SURELY_PLAIN[flow].fullmatch(text) and (text[0] not in _WORD_STARTS or " " in text):
        return text
    if _DAY.fullmatch(text):
        return f"'{text}'"
    return _remembered(text, flow) if len(text) <= _REMEMBERED_CHARS else _judged(text, flow)


# The same organisations, countries, zones, tags and dates recur through a big import: each is judged once.
@lru_cache(maxsize=4096)
def _remembered(text: str, flow: bool) -> str:
    return _judged(text, flow)


def _judged(text: str, flow: bool) -> str:
    if _plain_ok(text, flow=flow):
        return text
    if "\n" not in text and _PRINTABLE.fullmatch(text) and "\t" not in text:
        return "'" + text.replace("'", "''") + "'"
    return _double_quoted(text)


def _double_quoted(text: str) -> str:
    """A YAML double-quoted scalar; anything YAML calls unprintable is escaped, so the file stays valid."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char != "\t" and _PRINTABLE.fullmatch(char):
            out.append(char)
        elif ord(char) <= 0xFF:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def _block_text(text: str, indent: str) -> list[str] | None:
    """A literal block (``|``) for multi-line text, or ``None`` when one cannot hold it exactly."""
    if "\n" not in text.rstrip("\n") or not _PRINTABLE.fullmatch(text) or "\r" in text:
        return None
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    chomp = "-" if trailing == 0 else "" if trailing == 1 else "+"
    # YAML finds a block's indentation from its first line with text: one that starts with a blank or a tab
    # (after empty lines, too) needs the indentation said
    first = next((line for line in body.split("\n") if line), "")
    indicator = "2" if first[:1] in (" ", "\t") else ""
    lines = [f"|{indicator}{chomp}"]
    lines += [indent + line if line else "" for line in body.split("\n")]
    lines += [""] * (trailing - 1)
    return lines


Value = str | int | Sequence[str] | Sequence[Mapping[str, str]] | Mapping[str, str]


def key_lines(key: str, value: Value, indent: int) -> list[str]:
    """The lines of ``key: value``; the first without indentation (the caller places it), the rest indented."""
    pad = " " * (indent + 2)
    if isinstance(value, int):
        return [f"{key}: {value}"]
    if isinstance(value, str):
        block = _block_text(value, pad)
        if block is None:
            return [f"{key}: {_scalar(value, False)}"]
        return [f"{key}: {block[0]}", *block[1:]]
    if isinstance(value, Mapping):
        return [f"{key}:"] + [
            f"{pad}{line}" for name, item in value.items() for line in key_lines(name, item, indent + 2)
        ]
    if all(isinstance(item, str) for item in value):
        return [f"{key}: [{', '.join(_scalar(str(item), True) for item in value)}]"]
    lines = [f"{key}:"]
    for item in value:
        assert isinstance(item, Mapping)
        lines += _mapping_item(item, indent + 2)
    return lines


def _mapping_item(item: Mapping[str, str], indent: int) -> list[str]:
    """A list item that is a mapping: one flow line when short and simple, else a block."""
    pad = " " * indent
    flow = "{" + ", ".join(f"{k}: {_scalar(v, True)}" for k, v in item.items()) + "}"
    if len(flow) + indent + 2 <= 100 and all("\n" not in v for v in item.values()):
        return [f"{pad}- {flow}"]
    lines: list[str] = []
    for position, (name, value) in enumerate(item.items()):
        head = f"{pad}- " if position == 0 else f"{pad}  "
        inner = key_lines(name, value, indent + 2)
        lines += [head + inner[0], *inner[1:]]
    return lines


def item_lines(event: Event, dash_indent: int, key_indent: int) -> list[str]:
    """The whole event as a list item: ``- id: ...`` then each field, as the user's file indents them."""
    head = " " * dash_indent + "-" + " " * (key_indent - dash_indent - 1)
    pad = " " * key_indent
    lines: list[str] = []
    for key, value in event_fields(event).items():
        if type(value) is str and "\n" not in value:  # most fields: one line, as key_lines would write it
            lines.append(f"{head}{key}: {_scalar(value, False)}")
        else:
            inner = key_lines(key, value, key_indent)
            lines += [head + inner[0], *inner[1:]]
        head = pad
    return lines


def _date(value: DateValue | None) -> str | None:
    return value.to_text() if value is not None else None


def _venue(venue: Venue | None) -> Value | None:
    if venue is None:
        return None
    if venue.country is None and venue.timezone is None:
        return venue.name
    return _drop_empty({"name": venue.name, "country": venue.country, "timezone": venue.timezone})


def _source(source: Source) -> dict[str, str]:
    return _drop_empty(
        {"url": source.url, "title": source.title, "published": _date(source.published), "excerpt": source.excerpt}
    )


def _drop_empty(mapping: Mapping[str, str | None]) -> dict[str, str]:
    return {key: value for key, value in mapping.items() if value is not None}


def _list(values: tuple[str, ...]) -> list[str] | None:
    return list(values) or None


def _dates(values: tuple[DateValue, ...]) -> list[str] | None:
    return [value.to_text() for value in values] or None


# How each field is written: ``None`` for as it is; a writer that gives ``None`` leaves the key out.
_WRITERS: Final[dict[str, Callable[[Any], Value | None] | None]] = {
    "id": None,
    "title": None,
    "kind": lambda kind: str(kind) if kind is not Kind.OTHER else None,
    "status": str,
    "start": _date,
    "end": _date,
    "venue": _venue,
    "orgs": _list,
    "series": None,
    "number": None,
    "participants": lambda people: [_drop_empty({"name": p.name, "role": p.role}) for p in people] or None,
    "sources": lambda sources: [_source(source) for source in sources] or None,
    "tags": _list,
    "reminders": lambda leads: [lead.to_text() for lead in leads] or None,
    "recurrence": None,
    "excluded": _dates,
    "also": _dates,
    "occurrence_of": None,
    "replaces": _date,
    "related": _list,
    "notes": None,
    "uid": None,
    "sequence": lambda sequence: sequence or None,
    "updated": lambda updated: updated.strftime("%Y-%m-%dT%H:%M:%SZ") if updated else None,
}
_WRITE_AS: Final = by_file_key(_WRITERS, "the event field writers")
_KEYS_AND_WRITERS: Final = tuple((key, write) for key, (_name, write) in _WRITE_AS.items())
_VALUES: Final = attrgetter(*(name for name, _write in _WRITE_AS.values()))  # every field at once, in the file's order


def event_fields(event: Event) -> dict[str, Value]:
    """The fields to write, in the canonical order, leaving out what is empty or default."""
    fields: dict[str, Value] = {}
    for (key, write), value in zip(_KEYS_AND_WRITERS, _VALUES(event), strict=True):
        if write is not None:
            value = write(value)
        if value is not None:
            fields[key] = value
    return fields
