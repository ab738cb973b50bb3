"""What names the code that made a kept text (a listing's row, a feed's VEVENT): the name, size and modification
time of each module it comes from. A cache keyed on it starts afresh after an upgrade or an edit of that code."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = ["PACKAGE", "code_stamps"]

PACKAGE = Path(__file__).resolve().parent


def code_stamps(modules: Iterable[Path]) -> list[tuple[str, int, int]]:
    """Each module's name, size and modification time in nanoseconds; a module that is not a file (a zipped
    install) by its name alone."""
    found = []
    for module in modules:
        try:
            status = module.stat()
        except OSError:
            found.append((module.name, -1, -1))
            continue
        found.append((module.name, status.st_size, status.st_mtime_ns))
    return found
