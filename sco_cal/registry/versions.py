"""The earlier and the undone versions of each registry file, kept beside it: ``.NAME.bak.1`` is the version
before the current one, ``.NAME.redo.1`` the version undo took back last.

A save files the version it replaces on the backup stack; undo and redo move one version between the stacks and
the file. Each move is a rename or a hard link, and no version is dropped before it is filed elsewhere, so a
crash leaves a whole file in place and every version on disk.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from sco_cal.errors import StorageError
from sco_cal.storage import atomic_write, fsync_folder, hold_current, real_path

__all__ = ["backup_path", "drop_redo", "redo_path", "save_keeping", "step", "version_stamp"]


def backup_path(path: Path, number: int) -> Path:
    """The ``number``-th newest earlier version of ``path`` (1 is the version before the current one)."""
    real = real_path(path)
    return real.with_name(f".{real.name}.bak.{number}")


def redo_path(path: Path, number: int) -> Path:
    """The ``number``-th most recently undone version of ``path``: what ``undo --redo`` puts back."""
    real = real_path(path)
    return real.with_name(f".{real.name}.redo.{number}")


def version_stamp(path: Path) -> list[int] | None:
    """Size and modification time of the file ``path`` stands for (``None``: there is none). A version keeps
    both when it is renamed or hard-linked into a backup, and any edit changes them."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return [status.st_size, status.st_mtime_ns]


def save_keeping(path: Path, data: bytes | Iterable[bytes], backups: int) -> None:
    """Replace ``path`` with ``data`` (whole, or chunks written in turn) atomically; with ``backups`` > 0 the
    replaced version becomes ``.NAME.bak.1`` and older ones move down the line.

    Raises:
        StorageError: The file could not be saved; it and its backups are as they were.
    """
    held = atomic_write(path, data, hold=backups > 0)
    if held is not None:
        _file_backup(real_path(path), held, backups)


def _file_backup(path: Path, held: Path, backups: int) -> None:
    """Move the backups down one place and file the held version as the newest.

    A failure here costs a backup, never the registry, which is already saved; so it is not an error.
    """
    try:
        with contextlib.suppress(FileNotFoundError):
            backup_path(path, backups).unlink()
        for number in range(backups - 1, 0, -1):
            with contextlib.suppress(FileNotFoundError):
                os.replace(backup_path(path, number), backup_path(path, number + 1))
        os.replace(held, backup_path(path, 1))
    except OSError:
        with contextlib.suppress(OSError):
            held.unlink()


def _shift(stack: Callable[[Path, int], Path], path: Path, by: int) -> None:
    """Move a stack of versions one place deeper (``by`` 1) or shallower (``by`` -1, over the top one)."""
    first = 1 if by > 0 else 2
    numbers = list(itertools.takewhile(lambda n: stack(path, n).exists(), itertools.count(first)))
    for number in reversed(numbers) if by > 0 else numbers:
        os.replace(stack(path, number), stack(path, number + by))


def step(path: Path, *, back: bool, created: bool) -> None:
    """Take back one save of ``path`` (``back``), or put an undone one back.

    Going back moves the current version onto the redo stack and the newest backup into place; going forward
    is the mirror image. ``created``: the save made the file, so going back removes it (onto the redo stack).

    Raises:
        StorageError: A file cannot be moved; the message names it.
    """
    real = real_path(path)
    source, target = (backup_path, redo_path) if back else (redo_path, backup_path)
    try:
        if back or not created:
            _shift(target, real, 1)
        if back and created:
            os.replace(real, target(real, 1))
        else:
            if real.exists():
                os.replace(hold_current(real), target(real, 1))
            os.replace(source(real, 1), real)
            _shift(source, real, -1)
        fsync_folder(real.parent)
    except OSError as error:
        raise StorageError(f"{path}: could not restore the version ({error.strerror or error})") from None


def drop_redo(path: Path) -> None:
    """Forget the undone versions of ``path``: a new save makes them unreachable."""
    for number in itertools.count(1):
        try:
            redo_path(path, number).unlink()
        except OSError:  # the end of the stack, or a file that cannot go: it is never read again either way
            return
