"""Finding and reading a registry's files: the file itself, or every visible YAML file of a folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from sco_cal.errors import InvalidRegistry, StorageError
from sco_cal.storage import check_readable_file

__all__ = ["MAX_FILE_BYTES", "read_text", "registry_files"]

MAX_FILE_BYTES: Final = 64 * 1024 * 1024  # far beyond a file kept by hand; a bigger registry is a folder of files


def registry_files(path: Path) -> list[Path]:
    """The files a registry is made of: the file itself, or every visible ``*.yaml``/``*.yml`` in a folder and
    its subfolders, symbolic links followed (each folder once, so a link loop ends).

    Raises:
        StorageError: A folder cannot be read, or a ``.yaml`` entry is not a file (a dangling link, a pipe):
            leaving it out would drop its events without a word.
    """
    if not path.is_dir():
        return [path]
    found: list[Path] = []
    seen: set[Path] = set()
    _walk(path, Path(), found, seen)
    return sorted(found, key=lambda file: file.relative_to(path).parts)


def _walk(root: Path, relative: Path, found: list[Path], seen: set[Path]) -> None:
    folder = root / relative
    real = Path(os.path.realpath(folder))
    if real in seen:
        return
    seen.add(real)
    try:
        # the real subfolders first, so a file is named by its own path rather than through a link to its folder
        entries = sorted(os.scandir(folder), key=lambda entry: (entry.is_symlink(), entry.name))
    except OSError as error:
        raise StorageError(f"{folder}: cannot read the registry folder: {error.strerror or error}") from None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if _is_folder(entry):
            _walk(root, relative / entry.name, found, seen)
        elif Path(entry.name).suffix in (".yaml", ".yml"):
            _check_entry(Path(entry.path))
            found.append(root / relative / entry.name)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link that loops: the check of a .yaml entry says so, and other names are not read
        return False


def _check_entry(file: Path) -> None:
    try:
        status = file.stat()
    except FileNotFoundError:
        raise StorageError(f"{file}: a link to {file.readlink()}, which does not exist") from None
    except OSError as error:
        raise StorageError(f"{file}: cannot read the registry file: {error.strerror or error}") from None
    check_readable_file(file, status)


def read_text(path: Path) -> str:
    """A registry file's text, refused when it is too big, not a regular file or not UTF-8."""
    try:
        status = path.stat()
        check_readable_file(path, status)
        size = status.st_size
        if size > MAX_FILE_BYTES:
            raise InvalidRegistry(
                f"the file is {size // (1024 * 1024)} MiB, over the {MAX_FILE_BYTES // (1024 * 1024)} MiB a "
                "registry file may hold; split it into a folder of files",
                path=str(path),
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidRegistry("no registry here; create one with 'sco-cal init'", path=str(path)) from None
    except IsADirectoryError:
        raise InvalidRegistry("is a folder; a registry file was expected", path=str(path)) from None
    except OSError as error:  # no permission, an I/O error
        raise StorageError(f"{path}: cannot read the registry: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        raise InvalidRegistry(
            "not valid UTF-8; save the file as UTF-8",
            path=str(path),
            line=data[: error.start].count(b"\n") + 1,
            column=error.start - line_start + 1,
        ) from None
    text = text.removeprefix("\ufeff")  # a byte-order mark some Windows editors add; it carries no meaning in UTF-8
    return text
