"""What a listing makes of a value, made once per object: the events a big registry's index gives share their
dates, places and participants (equal values read from it are one object), and a listing of every event meets
the same few thousand objects again and again. Looked up by identity: hashing every new value by its contents
would cost more than it saves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, TypeVar

__all__ = ["per_object"]

_V = TypeVar("_V")
_R = TypeVar("_R")
REMEMBERED: Final = 4096  # the distinct objects remembered at once; those of neighbouring events come together


def per_object(make: Callable[[_V], _R]) -> Callable[[_V], _R]:
    """``make`` of each value, worked out once per object while it is among the last ``REMEMBERED`` met."""
    # the objects themselves are kept with what was made of them: an id is only unique while its object lives
    seen: dict[int, tuple[_R, _V]] = {}

    def made(value: _V) -> _R:
        found = seen.get(id(value))
        if found is None:
            if len(seen) >= REMEMBERED:
                seen.clear()
            found = seen[id(value)] = (make(value), value)
        return found[0]

    return made
