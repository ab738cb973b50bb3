"""JSON text exactly as ``json.dumps(value, ensure_ascii=False, indent=2)`` writes it, for one piece of a bigger
document at a given depth, so a long listing is written record by record as one document.

The standard library writes indented JSON through its pure-Python encoder, a generator per level and a piece per
token; this builds each record's text in one pass, with the C string encoder for every string.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring

__all__ = ["indented_json"]


def indented_json(value: object, depth: int = 0) -> str:
    """``value`` as indented JSON whose inner lines sit ``depth`` levels (two blanks each) deep; the first line
    is not indented, as it follows a key or a list's indent in the document around it.

    Raises:
        TypeError: A value JSON has no form for, or a key that is not a string.
    """
    parts: list[str] = []
    _write(value, "\n" + "  " * depth, parts)
    return "".join(parts)


def _write(value: object, newline: str, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(encode_basestring(value))
    elif isinstance(value, dict):
        _write_object(value, newline, parts)
    elif isinstance(value, list | tuple):
        _write_array(value, newline, parts)
    else:
        parts.append(_scalar(value))


def _scalar(value: object) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    return json.dumps(value)  # numbers: the standard encoder's spelling (int.__repr__, float.__repr__, NaN...)


def _write_object(value: dict[object, object], newline: str, parts: list[str]) -> None:
    if not value:
        parts.append("{}")
        return
    inner = newline + "  "
    opening = "{" + inner
    for key, item in value.items():
        if type(key) is not str:
            raise TypeError(f"keys must be str, not {type(key).__name__}")
        # the common cases inline: most of a record is strings and nulls
        if type(item) is str:
            parts.append(f"{opening}{encode_basestring(key)}: {encode_basestring(item)}")
        elif item is None:
            parts.append(f"{opening}{encode_basestring(key)}: null")
        else:
            parts.append(f"{opening}{encode_basestring(key)}: ")
            _write(item, inner, parts)
        opening = "," + inner
    parts.append(newline + "}")


def _write_array(value: list[object] | tuple[object, ...], newline: str, parts: list[str]) -> None:
    if not value:
        parts.append("[]")
        return
    inner = newline + "  "
    opening = "[" + inner
    for item in value:
        if type(item) is str:
            parts.append(opening + encode_basestring(item))
        else:
            parts.append(opening)
            _write(item, inner, parts)
        opening = "," + inner
    parts.append(newline + "]")
