"""Edits a user makes by hand in a generated registry, done on its text as an editor would: one title changed,
a comment typed inside an event, an event pasted in or deleted, and the 1% of titles a teammate's commit changes.

The generated files write each event as ``  - id: ev-NNNNNN`` followed by its fields at four spaces, which is
what these functions rely on; each raises ``ValueError`` when the event it needs is not there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

__all__ = [
    "add_comment",
    "add_event",
    "event_ids",
    "nearest_middle",
    "referenced",
    "remove_event",
    "retitle",
    "retitle_every",
]

_ID_RE: Final = re.compile(r"\bev-(\d{6})\b")
_EVENT_START: Final = "\n  - id: "
_TITLE: Final = "\n    title: "


def event_ids(text: str) -> list[str]:
    """The generated ids (``ev-NNNNNN``) named in a command's output, in order, repeats kept."""
    return [match.group(0) for match in _ID_RE.finditer(text)]


def nearest_middle(ids: Iterable[str], size: int) -> list[str]:
    """Distinct ids ordered by how near the middle of a ``size``-event file they stand (the file is in id order)."""
    distinct = sorted(set(ids))
    return sorted(distinct, key=lambda event_id: (abs(int(event_id[3:]) - size // 2), event_id))


def referenced(text: str) -> set[str]:
    """The ids other events name in their ``related:`` lists (removing one of those is an error in the file)."""
    lines = re.findall(r"^    related:(.*)$", text, flags=re.MULTILINE)
    return {event_id for line in lines for event_id in event_ids(line)}


def _block(text: str, event_id: str) -> tuple[int, int]:
    """Where the event's block starts (its ``- id:`` line) and ends (the next event's line, or the end)."""
    start = text.find(f"{_EVENT_START}{event_id}\n")
    if start < 0:
        raise ValueError(f"event {event_id} is not in the registry")
    following = text.find(_EVENT_START, start + 1)
    return start + 1, len(text) if following < 0 else following + 1


def retitle(text: str, event_id: str, title: str) -> str:
    """The event's ``title:`` line replaced (one field of one event)."""
    start, end = _block(text, event_id)
    line = text.find(_TITLE, start - 1, end)
    if line < 0:
        raise ValueError(f"event {event_id} has no title line")
    line_end = text.index("\n", line + 1)
    return f"{text[: line + len(_TITLE)]}{title}{text[line_end:]}"


def add_comment(text: str, event_id: str, comment: str) -> str:
    """A comment line typed right under the event's ``- id:`` line, inside its mapping."""
    start, _ = _block(text, event_id)
    after_id = text.index("\n", start) + 1
    return f"{text[:after_id]}    # {comment}\n{text[after_id:]}"


def add_event(text: str, after_id: str, new_id: str, title: str, day: str) -> str:
    """A new dated meeting pasted in after ``after_id``'s block."""
    _, end = _block(text, after_id)
    fields = [f"id: {new_id}", f"title: {title}", "kind: meeting", "status: planned", f"start: {day}"]
    pasted = "  - " + "".join(f"{field}\n    " for field in fields).rstrip(" ")
    if end == len(text) and not text.endswith("\n"):
        pasted = "\n" + pasted
    return text[:end] + pasted + text[end:]


def remove_event(text: str, event_id: str) -> str:
    """The event's block deleted (with any comment lines between it and the next event)."""
    start, end = _block(text, event_id)
    return text[:start] + text[end:]


def retitle_every(text: str, step: int, offset: int, title: str) -> tuple[str, int]:
    """Every ``step``-th event (those whose number is ``offset`` modulo ``step``) retitled; and how many were."""
    out: list[str] = []
    changed = 0
    chosen = False
    for line in text.splitlines(keepends=True):
        if line.startswith("  - id: ev-"):
            number = line[len("  - id: ev-") :].strip()
            chosen = number.isdigit() and int(number) % step == offset
        elif chosen and line.startswith("    title: "):
            line = f"    title: {title}\n"
            changed += 1
            chosen = False
        out.append(line)
    return "".join(out), changed
