"""Frozen, slotted dataclasses that pickle quickly: the index stores every event pickled and a listing of every
event of a large registry unpickles them all.

A class's pickle is one call of ``rebuilt`` with the class's name and a flat tuple of its fields: a field
holding another such class (a date, a venue) is written as that class's own tuple, a tuple of them as a tuple of
tuples, and an enum as its value. So a pickled event names one global instead of a class per part, and reading
it back calls one builder instead of a ``__setstate__`` per part and an enum lookup per enum. Which field holds
what is read from the fields' annotations, resolved in the class's module when the class is decorated.

Small values made of plain fields only (a date, a venue, a lead time) are built through a cache: the events of
a registry share most of their dates and places, and equal frozen values may be one object.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import fields
from enum import Enum
from functools import lru_cache
from operator import attrgetter
from typing import Any, Final, TypeVar

__all__ = ["quick_pickle", "rebuilt"]

T = TypeVar("T")
_Convert = Callable[[Any], Any]

_SHARED_VALUES: Final = 4096  # the distinct small values (dates, places) kept for sharing while reading
_NEW: Final = object.__new__
_SET: Final = object.__setattr__  # frozen: the class's own __setattr__ refuses
_FREEZE: dict[type, _Convert] = {}  # each class's object -> flat tuple
_THAW: dict[str, _Convert] = {}  # each class's name -> (flat tuple -> object)


def rebuilt(name: str, state: tuple[Any, ...]) -> object:
    """The object of the class named ``name`` whose flat fields are ``state``: what a pickle calls."""
    thaw = _THAW.get(name)
    if thaw is None:  # the class's module is not imported yet: importing it registers the class
        __import__(name.rpartition(".")[0])
        thaw = _THAW[name]
    return thaw(state)


def quick_pickle(cls: type[T]) -> type[T]:
    """Class decorator, applied above ``@dataclass(frozen=True, slots=True)``; the classes its fields name must
    be decorated (or be enums) before it."""
    names = tuple(field.name for field in fields(cls))  # type: ignore[arg-type]
    scope = vars(sys.modules[cls.__module__])
    plans = [_plan(str(field.type), scope) for field in fields(cls)]  # type: ignore[arg-type]
    key = f"{cls.__module__}.{cls.__qualname__}"
    freeze = _freezer(names, [plan[0] for plan in plans])
    thaw = _thawer(cls, names, [plan[1] for plan in plans])
    if all(plan is _AS_IS or plan[2] for plan in plans):  # plain fields only: a small value, often repeated
        thaw = lru_cache(maxsize=_SHARED_VALUES)(thaw)
    _FREEZE[cls], _THAW[key] = freeze, thaw

    def __reduce__(self: T) -> tuple[Callable[..., object], tuple[str, tuple[Any, ...]]]:
        return rebuilt, (key, freeze(self))

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    return cls


_Plan = tuple["_Convert | None", "_Convert | None", bool]  # freeze, thaw, and whether the field's value is plain
_AS_IS: Final[_Plan] = (None, None, True)


def _plan(annotation: str, scope: dict[str, Any]) -> _Plan:
    """How a field of this annotation is frozen and thawed; a name the scope does not hold is kept as it is."""
    text = annotation.removesuffix(" | None")
    many = text.startswith("tuple[") and text.endswith(", ...]")
    found = scope.get(text[6:-6] if many else text)
    if isinstance(found, type) and issubclass(found, Enum):
        if many or not all(member.value for member in found):  # a falsy value would be taken for "no value"
            return _AS_IS
        by_value = {member.value: member for member in found}
        return attrgetter("value"), by_value.__getitem__, True
    if not isinstance(found, type) or found not in _FREEZE:
        return _AS_IS
    freeze, thaw = _FREEZE[found], _THAW[f"{found.__module__}.{found.__qualname__}"]
    if many:
        return (lambda values: tuple(map(freeze, values))), (lambda states: tuple(map(thaw, states))), False
    return freeze, thaw, False


def _freezer(names: tuple[str, ...], converters: Sequence[_Convert | None]) -> _Convert:
    """The flat tuple of an object's fields, written out for the class as ``_thawer`` writes its builder: each
    field read as an attribute (which the interpreter finds in its slot once and then directly), and each
    converted field converted unless it is ``None``."""
    if not any(converters):
        return attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),))
    reads = [
        f"        c{i}(v) if (v := obj.{name}) is not None else None,\n" if converters[i] else f"        obj.{name},\n"
        for i, name in enumerate(names)
    ]
    source = f"def freeze(obj):\n    return (\n{''.join(reads)}    )\n"
    scope: dict[str, Any] = {f"c{i}": convert for i, convert in enumerate(converters) if convert}
    exec(source, scope)  # noqa: S102  # our own text, made of the class's field names and positions only
    freeze: _Convert = scope["freeze"]
    return freeze


def _thawer(cls: type[T], names: tuple[str, ...], thaws: Sequence[_Convert | None]) -> Callable[..., T]:
    """The builder of ``cls`` from its flat tuple, written out for the class as ``dataclass`` writes an
    ``__init__``: each field set through its slot's own setter, which is quicker than ``object.__setattr__``
    finding it by name, and each converted field thawed in place (``None`` and an empty tuple stay as they
    are)."""
    fields_ = [f"f{i}" for i in range(len(names))]
    sets = [
        f"    s{i}(obj, {f} and t{i}({f}))\n" if thaws[i] else f"    s{i}(obj, {f})\n" for i, f in enumerate(fields_)
    ]
    source = f"def thaw(state):\n    {', '.join(fields_)}, = state\n    obj = new(cls)\n{''.join(sets)}    return obj\n"
    scope: dict[str, Any] = {"new": _NEW, "cls": cls}
    scope |= {f"s{i}": _setter(cls, name) for i, name in enumerate(names)}
    scope |= {f"t{i}": thaw for i, thaw in enumerate(thaws) if thaw}
    exec(source, scope)  # noqa: S102  # our own text, made of field positions only
    thaw: Callable[..., T] = scope["thaw"]
    return thaw


def _setter(cls: type, name: str) -> Callable[[object, Any], None]:
    slot = vars(cls).get(name)
    if type(slot).__name__ == "member_descriptor":  # a slot: its setter ignores the frozen class's __setattr__
        setter: Callable[[object, Any], None] = slot.__set__  # type: ignore[union-attr]
        return setter
    return lambda obj, value: _SET(obj, name, value)
