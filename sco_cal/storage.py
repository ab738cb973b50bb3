"""Crash-safe file replacement and the registry's write lock.

A save writes a temporary file beside the target, flushes it to disk, renames it over the target and flushes
the folder, so a crash at any moment leaves either the old file or the new one, never a mix. The lock is a
separate file: a lock on the registry itself would be lost when the rename swaps the file under it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Final, Self

from sco_cal.errors import Busy, StorageError

__all__ = [
    "ChangedFile",
    "atomic_write",
    "backup_path",
    "lock_path",
    "swap_with_backup",
    "sweep_temporary_files",
    "write_lock",
]

DEFAULT_LOCK_TIMEOUT: Final = 10.0
_TEMP_SUFFIX: Final = ".sco-cal-tmp"


def lock_path(target: Path) -> Path:
    """The lock file guarding a registry file or folder."""
    if target.is_dir():
        return target / ".sco-cal.lock"
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def write_lock(target: Path, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the registry's write lock; raise ``Busy`` when another process keeps it longer than ``timeout``."""
    from filelock import FileLock, Timeout  # only writers pay for the import

    path = lock_path(target)
    lock = FileLock(str(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise Busy(
            f"{target}: another sco-cal process is writing the registry (lock {path}); try again in a moment"
        ) from None
    except OSError as error:  # a read-only folder or file system, no permission, a vanished folder
        raise StorageError(f"{path}: cannot take the write lock: {error.strerror or error}") from None
    try:
        yield
    finally:
        lock.release()


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


def backup_path(path: Path, number: int) -> Path:
    """The ``number``-th newest earlier version of ``path`` (1 is the version before the current one)."""
    return path.with_name(f".{path.name}.bak.{number}")


def atomic_write(path: Path, data: bytes, *, backups: int = 0) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new content, nothing else.

    With ``backups`` > 0 the replaced version becomes ``.NAME.bak.1`` and older ones move down the line. The old
    version is held by a hard link taken before the rename and filed only after it, so a failed save leaves
    the backups exactly as they were.

    Raises:
        StorageError: The disk is full, the folder is read-only, or any other I/O failure; the old file is
            untouched and no temporary file is left behind.
    """
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    temp_name = held = None
    try:
        import tempfile  # only a write needs it, and most runs only read

        descriptor, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TEMP_SUFFIX, dir=folder)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        if backups > 0 and path.exists():
            held = _hold_current(path)
        os.replace(temp_name, path)
        temp_name = None
        _fsync_folder(folder)
    except OSError as error:
        raise StorageError(f"{path}: could not save ({error.strerror or error}); the file is unchanged") from None
    finally:
        if temp_name is not None:  # the save failed: drop the new text and the hold on the old version
            for leftover in (temp_name, held):
                if leftover is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(leftover)
    if held is not None:
        _file_backup(path, held, backups)


def _hold_current(path: Path) -> Path:
    held = path.with_name(f".{path.name}.bak-held{_TEMP_SUFFIX}")
    with contextlib.suppress(FileNotFoundError):
        held.unlink()
    try:
        os.link(path, held)
    except OSError:  # a file system without hard links: copy instead
        held.write_bytes(path.read_bytes())
    return held


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


def swap_with_backup(path: Path) -> None:
    """Make the newest backup current and the current version the newest backup, so a second call redoes.

    Raises:
        StorageError: When there is no backup or the swap cannot be done; nothing is changed then.
    """
    newest = backup_path(path, 1)
    if not newest.exists():
        raise StorageError(f"{path}: there is no earlier version to go back to")
    try:
        held = _hold_current(path)
        os.replace(newest, path)
        os.replace(held, newest)
        _fsync_folder(path.parent)
    except OSError as error:
        raise StorageError(f"{path}: could not restore the earlier version ({error.strerror or error})") from None


def sweep_temporary_files(path: Path) -> None:
    """Remove temporary files a killed writer left beside ``path``; call only while holding the lock."""
    for leftover in path.parent.glob(f".{path.name}.*{_TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            leftover.unlink()


_COPY_CHUNK: Final = 1 << 20


class ChangedFile:
    """New content for ``path``, written a piece at a time, that replaces the file atomically and only when its
    bytes differ (an exported feed: a cron job must not churn a web server's caches).

    The new bytes are compared with the current file as they come; only from the first difference on are they
    written to a temporary file beside it (after the equal part, copied from the current file), which a
    rename then puts in place. So an unchanged feed, a cron job's usual case, writes nothing, and neither
    version is ever whole in memory.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.same = 0  # bytes so far equal to the current file's first bytes
        self.temp: IO[bytes] | None = None
        self.temp_name: str | None = None
        try:
            self.current: IO[bytes] | None = path.open("rb")
        except FileNotFoundError:
            self.current = None
        except IsADirectoryError:
            raise StorageError(f"{path}: is a folder; give a file name") from None
        except OSError as error:
            raise StorageError(f"{path}: cannot read the current file: {error.strerror}") from None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.current is not None:
            self.current.close()
        if self.temp is not None:
            self.temp.close()
        if self.temp_name is not None:  # not put in place: the current file stays as it was
            with contextlib.suppress(OSError):
                os.unlink(self.temp_name)

    def _read_current(self, size: int) -> bytes:
        assert self.current is not None
        try:
            return self.current.read(size)
        except OSError as error:
            raise StorageError(f"{self.path}: cannot read the current file: {error.strerror}") from None

    def _saving(self, error: OSError) -> StorageError:
        return StorageError(f"{self.path}: could not save ({error.strerror or error}); the file is unchanged")

    def _divert(self) -> IO[bytes]:
        """Start the new file, with the part so far equal to the current one."""
        try:
            import tempfile

            descriptor, self.temp_name = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=_TEMP_SUFFIX, dir=self.path.parent
            )
            self.temp = os.fdopen(descriptor, "wb")
        except OSError as error:
            raise self._saving(error) from None
        if self.same:
            assert self.current is not None
            self.current.seek(0)
            left = self.same
            while left:
                piece = self._read_current(min(left, _COPY_CHUNK))
                if not piece:
                    raise StorageError(f"{self.path}: the current file changed while it was being compared")
                self._write_temp(piece)
                left -= len(piece)
        return self.temp

    def _write_temp(self, data: bytes) -> None:
        assert self.temp is not None
        try:
            self.temp.write(data)
        except OSError as error:
            raise self._saving(error) from None

    def write(self, data: bytes) -> None:
        if self.temp is None and self.current is not None and self._read_current(len(data)) == data:
            self.same += len(data)
            return
        if self.temp is None:
            self._divert()
        self._write_temp(data)

    def finish(self) -> bool:
        """Put the new feed in place, unless it is the current one; whether it was put in place."""
        if self.temp is None:
            if self.current is not None and self._read_current(1) == b"":
                return False
            self._divert()
        assert self.temp is not None
        assert self.temp_name is not None
        try:
            mode = os.fstat(self.current.fileno()).st_mode & 0o7777 if self.current is not None else 0o644
            self.temp.flush()
            os.fsync(self.temp.fileno())
            self.temp.close()
            os.chmod(self.temp_name, mode)
            os.replace(self.temp_name, self.path)
            self.temp_name = None
        except OSError as error:
            raise self._saving(error) from None
        _fsync_folder(self.path.parent)
        return True
