"""``validate``: every problem of a registry, or its warnings and how many events it holds.

An index exists only for a registry that was read without a problem that stops a read, from exactly the files
as they are now, under the same rules: such a registry has none to list but an id in ``related`` that no event
has, which the index finds in its table of them. Its warnings are kept with it (the header's,
and a mark on each event that has one of its own), so a big registry that has not changed, or whose index a
hand edit only patched, is judged without reading every event. Anything else is parsed in full, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sco_cal.registry.caching import CacheDir, cache_folder, identity
from sco_cal.registry.files import registry_files

if TYPE_CHECKING:
    from sco_cal.cache.index import RegistryIndex
    from sco_cal.errors import InvalidRegistry

__all__ = ["Verdict", "validate"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The problems (none for a sound registry), its warnings, and its events' count when it is sound."""

    problems: list[InvalidRegistry]
    warnings: list[str]
    count: int | None


def validate(path: Path, *, cache_dir: CacheDir = None) -> Verdict:
    """Judge the registry at ``path``, through its index when one answers for the files as they are now."""
    files = identity(path) if cache_dir is not None else None
    folder = cache_folder(cache_dir) if files is not None else None
    if folder is not None and files is not None and files.indexed:
        fresh = _fresh_index(folder, path, files.fingerprint)
        if fresh is not None and fresh.notes is not None:
            return _from_index(path, fresh, registry_files(path))
    return _parsed(path, folder, files)


def _fresh_index(folder: Path, path: Path, expected: str) -> RegistryIndex | None:
    from sco_cal.cache import index
    from sco_cal.registry.refresh import refresh

    return index.open_fresh(folder, path, expected) or refresh(folder, path, expected)


def _from_index(path: Path, fresh: RegistryIndex, files: list[Path]) -> Verdict:
    from sco_cal.registry.checks import end_inside_start

    if next(fresh.naming_missing(), None) is not None:
        from sco_cal.registry.read_model import Registry
        from sco_cal.registry.references import dangling

        found = dangling(Registry.from_index(path, fresh))
        fresh.close()
        return Verdict(found, [], None)
    order = {str(file): position for position, file in enumerate(files)}
    # in the order a full parse gives them: an event a save added may have a row number after the others'
    noted = sorted(fresh.notable(), key=lambda found: (order.get(found.path, len(order)), found.line))
    notes = [end_inside_start(found.event, found.path, found.line) for found in noted]
    warnings = [*(fresh.notes or ()), *(note for note in notes if note)]
    count = fresh.count
    fresh.close()
    return Verdict([], warnings, count)


def _parsed(path: Path, folder: Path | None, files: object) -> Verdict:
    from sco_cal.registry.assemble import check_with_items
    from sco_cal.registry.caching import Identity, derive
    from sco_cal.registry.checks import warnings

    indexed = isinstance(files, Identity) and files.indexed and folder is not None
    registry, problems, items = check_with_items(path, noting_items=indexed)
    if registry is not None and indexed and isinstance(files, Identity) and folder is not None:
        derive(folder, path, files, registry, items)  # so the next validate, and the next read, need no parse
    if registry is None or problems:
        return Verdict(problems, [], None)
    return Verdict([], warnings(registry), len(registry.events))
