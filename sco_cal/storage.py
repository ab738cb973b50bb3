"""Crash-safe file replacement and the registry's write lock.

A save writes a temporary file beside the target, flushes it to disk, renames it over the target and flushes
the folder, so a crash at any moment leaves either the old file or the new one, never a mix. The lock is a
separate file: a lock on the registry itself would be lost when the rename swaps the file under it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from sco_cal.errors import Busy, StorageError

__all__ = ["atomic_write", "lock_path", "sweep_temporary_files", "write_lock"]

DEFAULT_LOCK_TIMEOUT: Final = 10.0
_TEMP_SUFFIX: Final = ".sco-cal-tmp"


def lock_path(target: Path) -> Path:
    """The lock file guarding a registry file or folder."""
    if target.is_dir():
        return target / ".sco-cal.lock"
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def write_lock(target: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the registry's write lock; raise ``Busy`` when another process keeps it longer than ``timeout``."""
    from filelock import FileLock, Timeout  # only writers pay for the import

    if timeout is None:
        timeout = float(os.environ.get("SCO_CAL_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))
    path = lock_path(target)
    try:
        lock = FileLock(str(path), timeout=timeout)
        with lock:
            yield
    except Timeout:
        raise Busy(
            f"{target}: another sco-cal process is writing the registry (lock {path}); try again in a moment"
        ) from None
    except PermissionError as error:
        raise StorageError(f"{path}: cannot take the write lock: {error.strerror}") from None


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # some platforms and file systems cannot open a folder; the rename is still atomic
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new content, nothing else.

    Raises:
        StorageError: The disk is full, the folder is read-only, or any other I/O failure; the old file is
            untouched and no temporary file is left behind.
    """
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    temp_name = None
    try:
        descriptor, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TEMP_SUFFIX, dir=folder)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
        temp_name = None
        _fsync_folder(folder)
    except OSError as error:
        raise StorageError(f"{path}: could not save ({error.strerror or error}); the file is unchanged") from None
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)


def sweep_temporary_files(path: Path) -> None:
    """Remove temporary files a killed writer left beside ``path``; call only while holding the lock."""
    for leftover in path.parent.glob(f".{path.name}.*{_TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            leftover.unlink()
