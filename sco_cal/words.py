"""Counted nouns in messages: "1 event", "2 events", never "1 events" or "event(s)"."""

from __future__ import annotations

__all__ = ["counted"]


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and ``noun``, the noun in the plural unless the count is one.

    >>> [counted(n, "event") for n in (0, 1, 2)]
    ['0 events', '1 event', '2 events']
    >>> counted(1, "reminder hook failed", "reminder hooks failed")
    '1 reminder hook failed'
    """
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
