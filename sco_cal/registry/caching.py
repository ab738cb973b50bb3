"""The cache policy: when a derived copy of the registry (a snapshot, or the index of a big one) answers a read,
and when one is made afresh; ``load`` is the read that follows it.

The YAML reader and SQLite are imported only where a parse or an index is needed, so a read served by a fresh
snapshot loads neither.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple

from sco_cal.cache.store import INDEX_SUFFIX, SNAPSHOT_SUFFIX, EventStore, derived_file, fingerprint
from sco_cal.registry.files import registry_files
from sco_cal.registry.read_model import Registry

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sco_cal.cache.building import Notes
    from sco_cal.cache.index import FileItems, RegistryIndex

__all__ = [
    "INDEX_FROM_BYTES",
    "CacheDir",
    "Identity",
    "cache_folder",
    "derive",
    "identity",
    "index_for_editing",
    "load",
]

INDEX_FROM_BYTES: Final = 64 * 1024  # below this a parse is quick: no index is worth keeping


# Where derived copies may be kept: a folder, or a function giving one, so that a command that reads no
# registry never pays for finding the user's cache folder.
CacheDir = Path | Callable[[], Path | None] | None


def cache_folder(cache_dir: CacheDir) -> Path | None:
    return cache_dir() if callable(cache_dir) else cache_dir


def load(path: Path, *, cache_dir: CacheDir = None) -> Registry:
    """Read a registry file or folder.

    With ``cache_dir``, the registry is read from its derived copy there (the index of a registry of at least
    ``INDEX_FROM_BYTES``, else a snapshot) when that copy was made from the files exactly as they are now; after
    a parse otherwise, the copy is made afresh.

    Raises:
        InvalidRegistry: At the first problem, naming the file, line, column and field.
    """
    files = identity(path) if cache_dir is not None else None
    folder = cache_folder(cache_dir) if files is not None else None
    if folder is not None and files is not None:
        fresh = _open_derived(folder, path, files)
        if fresh is None and files.indexed:
            from sco_cal.registry.refresh import refresh  # after a hand edit: read only what changed

            fresh = refresh(folder, path, files.fingerprint)
        if fresh is not None:
            return Registry.from_index(path, fresh)
    from sco_cal.registry.assemble import every_file, parse_all  # the YAML reader: only when no fresh copy answers

    items: list[FileItems | None] | None = [] if folder is not None and files is not None and files.indexed else None
    registry, report = parse_all(path, items=items)
    report.raise_first()
    if folder is not None and files is not None:
        derive(folder, path, files, registry, every_file(items))
    return registry


class Identity(NamedTuple):  # not a dataclass: every run makes this class, and a NamedTuple is made faster
    """The registry's files as they are now, and which derived copy suits their size."""

    fingerprint: str
    indexed: bool  # big enough for the SQLite index; a smaller registry gets a snapshot


def identity(path: Path) -> Identity | None:
    """``None`` when the files cannot be read: the parse that follows says why."""
    try:
        found = registry_files(path)
        indexed = sum(file.stat().st_size for file in found) >= INDEX_FROM_BYTES
        return Identity(fingerprint(found), indexed)
    except OSError:
        return None


def _open_derived(folder: Path, path: Path, identity: Identity) -> EventStore | None:
    if identity.indexed:
        from sco_cal.cache import index  # SQLite: only for a registry big enough to index

        return index.open_fresh(folder, path, identity.fingerprint)
    from sco_cal.cache import snapshot

    return snapshot.open_fresh(folder, path, identity.fingerprint)


def derive(folder: Path, path: Path, identity: Identity, registry: Registry, items: Sequence[FileItems] = ()) -> None:
    """Make the derived copy of a registry just parsed, and drop one of the other kind, left from when the
    registry had another size; ``items`` (every file's, for an index) let a later read patch it."""
    located = ((event, *registry.location(event.id)) for event in registry.events)
    if identity.indexed:
        from sco_cal.cache import building

        building.build(folder, path, identity.fingerprint, registry.header, located, items, _notes(registry))
        stale = SNAPSHOT_SUFFIX
    else:
        from sco_cal.cache import snapshot

        snapshot.write(folder, path, identity.fingerprint, registry.header, located)
        stale = INDEX_SUFFIX
    with contextlib.suppress(OSError):
        derived_file(folder, path, stale).unlink(missing_ok=True)


def _notes(registry: Registry) -> Notes:
    from sco_cal.cache.building import Notes
    from sco_cal.registry.checks import ends_inside_start, uid_domain_warnings

    return Notes(uid_domain_warnings(registry), ends_inside_start)


def index_for_editing(
    path: Path, identity: Identity, folder: Path | None, scratch: contextlib.ExitStack
) -> RegistryIndex | None:
    """A fresh index of a big registry to edit through, built first when there is none.

    Without one, the edit would parse the whole file keeping every YAML node, many times the file's size. A
    read as a load reads (in pieces, no nodes) and an index cost what the first read after a change costs. With
    the cache turned off or unwritable, the index goes to a temporary folder that is gone after the edit.
    """
    from sco_cal.cache import building, index
    from sco_cal.registry.assemble import every_file, parse_all
    from sco_cal.registry.refresh import refresh

    if folder is not None:
        fresh = index.open_fresh(folder, path, identity.fingerprint) or refresh(folder, path, identity.fingerprint)
        if fresh is not None:
            return fresh
    items: list[FileItems | None] = []
    registry, report = parse_all(path, items=items)
    report.raise_first()
    if folder is not None:
        derive(folder, path, identity, registry, every_file(items))
        if (fresh := index.open_fresh(folder, path, identity.fingerprint)) is not None:
            return fresh
    import tempfile

    temporary = Path(scratch.enter_context(tempfile.TemporaryDirectory(prefix="sco-cal-index-")))
    located = ((event, *registry.location(event.id)) for event in registry.events)
    building.build(temporary, path, identity.fingerprint, registry.header, located, (), _notes(registry))
    return index.open_fresh(temporary, path, identity.fingerprint)
