"""The save journal: which files each save changed, so that ``undo`` takes back exactly the last save.

The journal is a small JSON file beside the registry (``.NAME.journal`` beside a registry file, ``.sco-cal.journal``
in a registry folder), replaced atomically after each save, undo and redo. It records, for every file a save
changed, the size and modification time of the version it replaced and of the version it wrote; the versions
themselves are the backups beside each file. Undo and redo check those against the files on disk before they
touch anything, so a journal left stale by a crash or a hand edit makes them refuse, never restore the wrong
version.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sco_cal.errors import StorageError
from sco_cal.registry.versions import backup_path, drop_redo, redo_path, step, version_stamp
from sco_cal.storage import atomic_write, check_writable, real_path, write_lock

__all__ = ["Journal", "SavedFile", "describe", "journal_path", "undo"]

JOURNAL_LIMIT: Final = 50  # saves remembered; older ones have lost their backups long before
_VERSION: Final = 1


def journal_path(registry: Path) -> Path:
    real = real_path(registry)
    if real.is_dir():
        return real / ".sco-cal.journal"
    return real.with_name(f".{real.name}.journal")


@dataclass
class SavedFile:
    """One file a save changed: its name in the registry and the version before and after (``None`` before: the
    save created it)."""

    name: str
    before: list[int] | None
    after: list[int] | None
    kept: bool = True  # whether the save kept the replaced version as a backup

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "before": self.before, "after": self.after, "kept": self.kept}


@dataclass
class Save:
    what: str
    files: list[SavedFile]

    def label(self) -> str:
        return f"{self.what} ({', '.join(file.name for file in self.files)})"


@dataclass
class Journal:
    """The saves of a registry, oldest first; the newest ``undone`` of them have been taken back."""

    registry: Path
    saves: list[Save] = field(default_factory=list)
    undone: int = 0

    @classmethod
    def load(cls, registry: Path) -> Journal:
        """The journal as recorded; an unreadable or damaged one counts as empty (it only serves undo)."""
        journal = cls(registry)
        try:
            data = json.loads(journal_path(registry).read_bytes())
            journal.saves = [
                Save(save["what"], [SavedFile(**file) for file in save["files"]]) for save in data["saves"]
            ]
            journal.undone = min(max(int(data["undone"]), 0), len(journal.saves))
        except (OSError, ValueError, KeyError, TypeError):
            journal.saves, journal.undone = [], 0
        return journal

    def write(self) -> None:
        data = {
            "version": _VERSION,
            "undone": self.undone,
            "saves": [{"what": s.what, "files": [f.to_json() for f in s.files]} for s in self.saves],
        }
        atomic_write(journal_path(self.registry), json.dumps(data, ensure_ascii=False, indent=1).encode())

    def file(self, name: str) -> Path:
        real = real_path(self.registry)
        return real / name if real.is_dir() else real

    def record(self, save: Save) -> None:
        """Add a save just made; the saves undone before it can no longer be redone. A journal that cannot be
        written costs the undo of this save, never the save, which is already on disk."""
        for dropped in self.saves[len(self.saves) - self.undone :]:
            for saved in dropped.files:
                drop_redo(self.file(saved.name))
        self.saves = [*self.saves[: len(self.saves) - self.undone], save][-JOURNAL_LIMIT:]
        self.undone = 0
        with contextlib.suppress(StorageError):
            self.write()

    def undo(self) -> Save:
        """Take back the newest save not yet undone; the files are checked first and nothing changes on a refusal.

        Raises:
            StorageError: Nothing is recorded to undo, or a file no longer matches the journal.
        """
        done = len(self.saves) - self.undone
        if done == 0:
            raise StorageError(f"{self.registry}: there is no earlier version to go back to{self._unrecorded()}")
        save = self.saves[done - 1]
        for saved in save.files:
            self._check_undo(save, saved)
        for saved in save.files:
            step(self.file(saved.name), back=True, created=saved.before is None)
        self.undone += 1
        self.write()
        return save

    def redo(self) -> Save:
        """Put back the save undone last.

        Raises:
            StorageError: Nothing was undone, or a file changed since the undo.
        """
        if self.undone == 0:
            raise StorageError(f"{self.registry}: there is nothing undone to redo")
        save = self.saves[len(self.saves) - self.undone]
        for saved in save.files:
            path = self.file(saved.name)
            self._check(save, saved, saved.before, redo_path(path, 1), saved.after, "undone")
        for saved in save.files:
            step(self.file(saved.name), back=False, created=saved.before is None)
        self.undone -= 1
        self.write()
        return save

    def _unrecorded(self) -> str:
        """A backup that no recorded save made (an older sco-cal's, or one whose journal was lost) is not
        swapped in blindly, but it is named, so the user can copy it back by hand."""
        backup = backup_path(self.file(""), 1) if not real_path(self.registry).is_dir() else None
        if backup is None or not backup.exists():
            return ""
        return f" that undo recorded; {backup} holds the version before an earlier save, to copy back by hand"

    def _check_undo(self, save: Save, saved: SavedFile) -> None:
        path = self.file(saved.name)
        if not saved.kept:
            raise StorageError(
                f"{path}: the save '{save.label()}' kept no earlier version (backups were off); nothing was undone"
            )
        self._check(save, saved, saved.after, backup_path(path, 1), saved.before, "earlier")

    def _check(
        self, save: Save, saved: SavedFile, now: list[int] | None, stacked: Path, wanted: list[int] | None, kind: str
    ) -> None:
        path = self.file(saved.name)
        if version_stamp(path) != now:
            since = "sco-cal saved it" if kind == "earlier" else "the undo"
            raise StorageError(
                f"{path}: changed since {since} ('{save.label()}'), by hand or by another program; nothing was "
                f"changed, so that change is not lost (the earlier versions are {backup_path(path, 1).name} and on)"
            )
        if wanted is not None and version_stamp(stacked) != wanted:
            raise StorageError(
                f"{path}: the {kind} version for '{save.label()}' is no longer kept ({stacked.name} is missing or "
                "different); nothing was changed"
            )
        check_writable(path)


def describe(actions: list[tuple[str, str]]) -> str:
    """What a save did, in a few words: ``add new-event``, ``edit a, b and 3 more; remove c``."""
    parts = []
    for verb in ("add", "edit", "remove"):
        ids = [event_id for done, event_id in actions if done == verb]
        if ids:
            shown = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
            parts.append(f"{verb} {shown}")
    return "; ".join(parts) or "save"


def undo(path: Path, *, redo: bool = False) -> str:
    """Take back the last save sco-cal made, whatever files it touched (``redo``: put back the last one taken
    back); what was undone or redone, e.g. ``add new-event (new.yaml)``. Each further call goes one save
    further back (or forward), as far as the backups reach.

    Raises:
        StorageError: Nothing to undo or redo, or a file changed since (by hand): nothing is changed then.
    """
    with write_lock(path):
        journal = Journal.load(path)
        save = journal.redo() if redo else journal.undo()
        return save.label()
