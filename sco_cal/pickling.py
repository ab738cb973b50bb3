"""Frozen, slotted dataclasses that pickle quickly: the index stores every event pickled and hands back a few
hundred per query.

``dataclass(slots=True)`` gives a class a ``__getstate__`` and a ``__setstate__`` that call ``fields()`` for
every object, and on a large registry that call is most of what pickling does, both ways. Reading and setting
the fields by a name tuple computed once per class does the same work without it; the fields are set by one
loop that runs in C (``map`` drained by a zero-length ``deque``), since a listing of every event of a large
registry spends much of its time here.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import fields
from itertools import repeat
from operator import attrgetter
from typing import Any, TypeVar

__all__ = ["quick_pickle"]

T = TypeVar("T")


def quick_pickle(cls: type[T]) -> type[T]:
    """Class decorator, applied above ``@dataclass(frozen=True, slots=True)``."""
    names = tuple(field.name for field in fields(cls))  # type: ignore[arg-type]
    values = attrgetter(*names)
    set_field = object.__setattr__  # frozen: the class's own __setattr__ refuses

    def __getstate__(self: T) -> tuple[Any, ...]:
        state = values(self)
        return state if len(names) > 1 else (state,)  # attrgetter of one name gives the value itself

    def __setstate__(self: T, state: Sequence[Any]) -> None:  # a list in indexes written before this
        if len(state) != len(names):
            raise TypeError(f"{cls.__name__} has {len(names)} fields, not {len(state)}")
        deque(map(set_field, repeat(self), names, state), 0)

    cls.__getstate__ = __getstate__  # type: ignore[method-assign,assignment]
    cls.__setstate__ = __setstate__  # type: ignore[attr-defined]
    return cls
