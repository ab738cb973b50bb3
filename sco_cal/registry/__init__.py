"""The registry: YAML files <-> events, and the only way sco-cal changes them.

Reading: ``load`` (through a fresh derived copy when there is one, see ``caching``), ``loads``, ``check``,
``problems``, ``warnings``; the read model is ``Registry``. Writing: ``init``, and ``editing``, which yields an
``Editor`` (the one editing contract, whole-file or through the index) and commits what it recorded atomically,
journaled so that ``undo`` takes it back. The ``yaml`` part reads, splices and emits the text.

Only the read side is imported with the package; the write side (and the YAML reader) on first use, so that a
read served by a snapshot loads neither.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sco_cal.registry.caching import INDEX_FROM_BYTES, CacheDir, load
from sco_cal.registry.files import MAX_FILE_BYTES
from sco_cal.registry.read_model import Registry

if TYPE_CHECKING:
    from sco_cal.registry.assemble import check, loads, problems
    from sco_cal.registry.checks import warnings
    from sco_cal.registry.editors import Editor
    from sco_cal.registry.journal import undo
    from sco_cal.registry.writing import editing, init

__all__ = [
    "INDEX_FROM_BYTES",
    "MAX_FILE_BYTES",
    "CacheDir",
    "Editor",
    "Registry",
    "check",
    "editing",
    "init",
    "load",
    "loads",
    "problems",
    "undo",
    "warnings",
]

_WRITE_SIDE = {
    "check": "assemble",
    "loads": "assemble",
    "problems": "assemble",
    "warnings": "checks",
    "Editor": "editors",
    "undo": "journal",
    "editing": "writing",
    "init": "writing",
}


def __getattr__(name: str) -> Any:
    if name not in _WRITE_SIDE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WRITE_SIDE[name]}"), name)
    globals()[name] = value
    return value
