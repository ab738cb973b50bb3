"""The two ways sco-cal writes a registry: ``editing`` (lock, read afresh, let the caller change it, commit) and
``init`` (a new, empty registry)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from sco_cal.dates import zone_for
from sco_cal.errors import Conflict, StorageError
from sco_cal.registry.caching import CacheDir, Identity, cache_folder, identity, index_for_editing
from sco_cal.registry.commit import commit
from sco_cal.registry.editors import Editor, IndexedEditor, whole_file_editor
from sco_cal.registry.files import read_text, registry_files
from sco_cal.registry.journal import journal_path
from sco_cal.registry.read_model import Registry
from sco_cal.registry.yaml.emit import scalar
from sco_cal.registry.yaml.reader import SCHEMA_VERSION
from sco_cal.storage import DEFAULT_LOCK_TIMEOUT, atomic_write, check_writable, sweep_temporary_files, write_lock

__all__ = ["DEFAULT_BACKUPS", "editing", "init"]

DEFAULT_BACKUPS: Final = 3


@contextlib.contextmanager
def editing(
    path: Path,
    *,
    backups: int = DEFAULT_BACKUPS,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    cache_dir: CacheDir = None,
) -> Iterator[Editor]:
    """Lock the registry, read it afresh, yield an editor, then save what changed.

    Nothing is written when the block raises, or when the edited text would not load back as expected. Each
    changed file keeps its previous ``backups`` versions beside it (``.NAME.bak.1`` is the newest). The edits
    of a big registry go through its index in ``cache_dir`` (built first if it is stale): each edits only the
    lines of its own event, and the index is brought up to date.
    """
    _refuse_unwritable(path)
    with write_lock(path, lock_timeout), contextlib.ExitStack() as scratch:
        read_as = _swept_identity(path)
        editor = _open_editor(path, read_as, cache_dir, scratch)
        yield editor
        commit(path, editor, backups=backups, cache_dir=cache_dir, read_as=read_as)


def _refuse_unwritable(path: Path) -> None:
    """Refused before the lock, so a write-protected registry is left without a trace."""
    if not path.is_dir():
        if path.exists() and not os.access(path, os.R_OK):
            raise StorageError(f"{path}: cannot read the registry: Permission denied")
        check_writable(path)


def _swept_identity(path: Path) -> Identity | None:
    """The files as they are once the temporary files a killed writer left are gone."""
    for file in [*registry_files(path), journal_path(path)]:
        sweep_temporary_files(file)
    return identity(path)


def _open_editor(path: Path, read_as: Identity | None, cache_dir: CacheDir, scratch: contextlib.ExitStack) -> Editor:
    """Through the index for a big registry (built first if it is stale), else on the files read whole."""
    if read_as is not None and read_as.indexed:
        folder = cache_folder(cache_dir) if cache_dir is not None else None
        fresh = index_for_editing(path, read_as, folder, scratch)
        if fresh is not None:
            scratch.callback(fresh.close)
            return IndexedEditor(Registry.from_index(path, fresh), fresh)
    return whole_file_editor(path)


def init(path: Path, *, name: str, timezone: str, uid_domain: str | None = None) -> None:
    """Write a new, empty registry; refuses to overwrite an existing one.

    A file that holds nothing but blank lines and comments is no registry yet: it is filled, its comments kept.
    ``uid_domain`` is the registry's identity in feed UIDs, written once so that renaming the registry never
    changes them.
    """
    zone_for(timezone)
    target = path / "registry.yaml" if path.is_dir() else path
    _refuse_a_registry(target)
    with contextlib.suppress(FileExistsError):
        target.parent.mkdir(parents=True)
    lines = [
        "# sco-cal registry: edit by hand or with sco-cal add/edit/remove; 'sco-cal validate' checks it.",
        f"schema: {SCHEMA_VERSION}",
        f"name: {scalar(name)}",
        f"timezone: {scalar(timezone)}",
        *(
            [f"uid_domain: {scalar(uid_domain)}  # the registry's identity in feed UIDs; never change it"]
            if uid_domain
            else []
        ),
        "events:",
    ]
    with write_lock(target):
        kept = _refuse_a_registry(target)
        atomic_write(target, (kept + "".join(line + "\n" for line in lines)).encode())


def _refuse_a_registry(target: Path) -> str:
    """Refuse when ``target`` holds a registry (anything but blank lines and comments); else its comments."""
    if not target.exists():
        return ""
    text = read_text(target)
    kept = [line for line in text.splitlines() if line.strip()]
    if any(not line.lstrip().startswith("#") for line in kept):
        raise Conflict(f"{target}: a registry already exists here; nothing was changed")
    return "".join(line + "\n" for line in kept)
