"""The registry: YAML files <-> events. Reading (whole or in pieces), checks, the editing contract, surgical
splices, atomic writes, locks, backups and undo.
"""

from __future__ import annotations

from sco_cal.registry.api import (
    INDEX_FROM_BYTES,
    MAX_FILE_BYTES,
    CacheDir,
    Editor,
    Registry,
    check,
    editing,
    init,
    load,
    loads,
    problems,
    undo,
    warnings,
)

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
