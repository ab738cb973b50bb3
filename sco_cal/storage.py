"""Crash-safe file replacement and the registry's write lock.

A save writes a temporary file beside the target, flushes it to disk, renames it over the target and flushes
the folder, so a crash at any moment leaves either the old file or the new one, never a mix. The lock is a
separate file: a lock on the registry itself would be lost when the rename swaps the file under it.

A path that is a symbolic link stands for the file it points to: the lock, the temporary file and the backups
are kept beside that file and the rename replaces it, so the link stays a link.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Final, Self

from sco_cal.errors import Busy, StorageError

__all__ = [
    "ChangedFile",
    "atomic_write",
    "check_readable_file",
    "check_writable",
    "fsync_folder",
    "hold_current",
    "lock_path",
    "new_temporary",
    "real_path",
    "replaced",
    "sweep_temporary_files",
    "write_lock",
]

DEFAULT_LOCK_TIMEOUT: Final = 10.0
_TEMP_SUFFIX: Final = ".sco-cal-tmp"


def real_path(path: Path) -> Path:
    """The file or folder ``path`` stands for, with every symbolic link on the way followed."""
    return Path(os.path.realpath(path))


def lock_path(target: Path) -> Path:
    """The lock file guarding a registry file or folder (beside the file a link points to)."""
    real = real_path(target)
    if real.is_dir():
        return real / ".sco-cal.lock"
    return real.with_name(f".{real.name}.lock")


_KINDS: Final = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "a device")


def check_readable_file(path: Path, status: os.stat_result) -> None:
    """Refuse what is not a regular file: reading a named pipe would wait forever for a writer."""
    if not stat.S_ISREG(status.st_mode):
        raise StorageError(f"{path}: is {_kind(status.st_mode)}, not a regular file")


def _read_only(path: Path, status: os.stat_result) -> bool:
    """Nobody may write it by its mode bits (which root's ``os.access`` ignores), or this user may not."""
    return status.st_mode & 0o222 == 0 or not os.access(path, os.W_OK)


def _check_folder_writable(shown: Path, folder: Path) -> None:
    try:
        status = folder.stat()
    except OSError:  # a missing folder is made by the save, or the save says why it cannot
        return
    if _read_only(folder, status):
        raise StorageError(
            f"{shown}: could not save: the folder {folder} is read-only (a save writes a new file beside the old "
            "one and renames it); nothing was changed"
        )


def check_writable(path: Path) -> None:
    """Refuse to replace a file nobody may write, or one in a folder nobody may write, before anything changes.

    Raises:
        StorageError: The file or its folder is write-protected, or the file is not a regular file.
    """
    real = real_path(path)
    try:
        status = real.stat()
    except FileNotFoundError:
        status = None
    except OSError as error:
        raise StorageError(f"{path}: could not save ({error.strerror or error}); nothing was changed") from None
    if status is not None:
        check_readable_file(path, status)
        if _read_only(real, status):
            raise StorageError(
                f"{path}: could not save: the file is read-only (mode {status.st_mode & 0o777:03o}); nothing was "
                f"changed ('chmod u+w {path}' lets sco-cal save it)"
            )
    _check_folder_writable(path, real.parent)


@contextlib.contextmanager
def write_lock(target: Path, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the registry's write lock; raise ``Busy`` when another process keeps it longer than ``timeout``,
    and ``StorageError`` without leaving a lock file behind when the lock's folder is write-protected."""
    from filelock import FileLock, Timeout  # only writers pay for the import

    path = lock_path(target)
    _check_folder_writable(target, path.parent)
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


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, so a rename in it survives a crash."""
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


def new_temporary(target: Path) -> tuple[int, str]:
    """An empty temporary file beside ``target`` (open descriptor, name), named so that
    ``sweep_temporary_files`` finds it if the writer is killed."""
    import tempfile  # only a write needs it, and most runs only read

    return tempfile.mkstemp(prefix=f".{target.name}.", suffix=_TEMP_SUFFIX, dir=target.parent)


@contextlib.contextmanager
def replaced(target: Path, *, durable: bool = True) -> Iterator[Path]:
    """The one way a file is replaced: the block writes the new content to the temporary file it is given,
    which a rename then puts over ``target``; a crash leaves the old or the new content, never a mix, and a
    block that raises leaves ``target`` as it was and no temporary file behind.

    ``durable``: the new content is on disk before the rename and the rename after it (a registry, a ledger);
    a disposable copy that a parse can make again skips those flushes.

    Raises:
        OSError: The temporary file cannot be made, or the rename fails.
    """
    descriptor, name = new_temporary(target)
    os.close(descriptor)
    try:
        yield Path(name)
        os.replace(name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    if durable:
        fsync_folder(target.parent)


def atomic_write(path: Path, data: bytes | Iterable[bytes], *, hold: bool = False) -> Path | None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new content, nothing else.

    ``data`` may come in chunks, written in turn: a big registry's text need not be held encoded whole too.

    ``hold``: the replaced version is kept by a hard link taken just before the rename, whose name is returned
    (``None``: there was no file); the caller files it, so a failed save leaves every earlier version as it was.

    Raises:
        StorageError: The disk is full, the file or folder is read-only, or any other I/O failure; the old file
            is untouched and no temporary file is left behind.
    """
    shown, path = path, real_path(path)
    check_writable(shown)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    held = None
    saved = False
    try:
        with replaced(path) as temp:
            with os.fdopen(os.open(temp, os.O_WRONLY), "wb") as handle:
                for chunk in [data] if isinstance(data, bytes | bytearray | memoryview) else data:
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, mode)
            if hold and path.exists():
                held = hold_current(path)
        saved = True
    except OSError as error:
        raise StorageError(f"{shown}: could not save ({error.strerror or error}); the file is unchanged") from None
    finally:
        if not saved and held is not None:  # the save failed: drop the hold on the old version
            with contextlib.suppress(OSError):
                os.unlink(held)
    return held


def hold_current(path: Path) -> Path:
    """A second name for the current version of ``path``, so a rename over it does not lose it."""
    held = path.with_name(f".{path.name}.bak-held{_TEMP_SUFFIX}")
    with contextlib.suppress(FileNotFoundError):
        held.unlink()
    try:
        os.link(path, held)
    except OSError:  # a file system without hard links: copy instead, keeping the time that identifies it
        import shutil

        shutil.copy2(path, held)
    return held


def sweep_temporary_files(path: Path) -> None:
    """Remove temporary files a killed writer left beside ``path``; call only while holding the lock."""
    path = real_path(path)
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
        self.shown = path
        self.path = real_path(path)  # a link to the feed stays a link; the file it points to gets the feed
        self.same = 0  # bytes so far equal to the current file's first bytes
        self.temp: IO[bytes] | None = None
        self.temp_name: str | None = None
        try:
            status: os.stat_result | None = self.path.stat()
        except OSError:
            status = None
        if status is not None and not stat.S_ISDIR(status.st_mode):  # a folder has its own message below
            check_readable_file(path, status)  # a pipe would keep the read waiting for a writer
        try:
            self.current: IO[bytes] | None = path.open("rb")
        except FileNotFoundError:
            self.current = None
        except IsADirectoryError:
            raise StorageError(f"{path}: is a folder; give a file name") from None
        except NotADirectoryError:
            raise StorageError(f"{path}: cannot be written: a folder on its way is a file") from None
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
        """Start the new file, with the part so far equal to the current one; a new file gets its folder, as
        a folder given to ``publish`` or ``export --split-by`` does."""
        if self.current is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StorageError(f"{self.path.parent}: cannot create the folder: {error.strerror}") from None
        try:
            descriptor, self.temp_name = new_temporary(self.path)
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
        check_writable(self.shown)
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
        fsync_folder(self.path.parent)
        return True
