"""Texts made from a registry's events (each event's VEVENT in a feed), kept so that a run after a small change
makes again only the texts of what changed.

Derived and disposable like the index: deleting the files loses nothing but time. Every text is filed under a
digest of everything it was made from, which its maker computes (``sco_cal.ics.reuse``), so a text found here
is always the one that would be made now: no entry is ever stale, only unused. Texts are grouped in sections,
one per set of settings that shapes them (a feed's zone, reminders, month policy, the code that made them...),
each in a file of its own, so a run reads only the sections it uses. A save keeps, for each section used in the
run, only the texts the run asked for (an event edited or removed leaves its old text behind), and only the few
sections used last, so the files stay about the size of one feed. A run that would change only a few texts
leaves its file as it is (the next run makes those few again), so a file is written only once the changes add
up. Each file is replaced atomically (a killed run leaves the old file or the new one) and, like every
temporary file, is readable by its owner only.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from sco_cal.cache.store import derived_file, pickle
from sco_cal.storage import replaced

__all__ = ["TEXTS_SUFFIX", "Texts", "open_texts", "uncollected"]

TEXTS_SUFFIX: Final = ".texts"
_FORMAT: Final = "texts 2"
_SECTIONS_KEPT: Final = 2  # e.g. publish's feeds and an export made with other options
_FEW: Final = 64  # texts a file may lack or hold in vain before it is written again (or 2% of a section's)

Section = dict[bytes, object]  # a text, or a small record of plain values made with it


class Texts:
    """The texts kept for one registry, by section and digest; what a run asks for is what a save keeps."""

    def __init__(self, cache_dir: Path | None, registry_path: Path) -> None:
        self._cache_dir = cache_dir
        self._registry_path = registry_path
        self._sections: dict[bytes, Section] = {}  # as read from their files
        self._used: dict[bytes, Section] = {}  # what this run asked for or made, by section

    def _file(self, section: bytes) -> Path | None:
        if self._cache_dir is None:
            return None
        name = hashlib.blake2b(section, digest_size=8).hexdigest()
        return derived_file(self._cache_dir, self._registry_path, f".{name}{TEXTS_SUFFIX}")

    def _section(self, section: bytes) -> Section:
        if section not in self._sections:
            self._sections[section] = _read(self._file(section), section)
        return self._sections[section]

    def get(self, section: bytes, key: bytes) -> object | None:
        """What is filed under ``key``, noted as used; ``None`` when there is nothing."""
        text = self._section(section).get(key)
        if text is not None:
            self._used.setdefault(section, {})[key] = text
        return text

    def put(self, section: bytes, key: bytes, text: object) -> None:
        self._used.setdefault(section, {})[key] = text

    def table(self, section: bytes) -> tuple[Section, Section]:
        """A section's texts as read, and those this run used, for a caller that looks up thousands at once:
        it must note in the second each text it takes from the first or makes (what ``get`` and ``put`` do)."""
        return self._section(section), self._used.setdefault(section, {})

    def save(self) -> None:
        """Write each section used whose file lacks or holds in vain more than a few texts, then drop the files
        of the sections used longest ago. A failure only costs the next run the time of making texts again."""
        for section, used in self._used.items():
            path = self._file(section)
            if path is None or not _worth_writing(self._section(section), used):
                continue
            with contextlib.suppress(OSError, pickle.PickleError):
                path.parent.mkdir(parents=True, exist_ok=True)
                with replaced(path, durable=False) as temp, temp.open("wb") as stream:
                    pickle.dump((_FORMAT, section), stream, protocol=5)
                    pickle.dump(used, stream, protocol=5)
                self._forget_old(path)

    def _forget_old(self, written: Path) -> None:
        """Delete the registry's other section files beyond the few used last (by modification time)."""
        pattern = written.name.split(".", 1)[0] + f".*{TEXTS_SUFFIX}"
        with contextlib.suppress(OSError):
            others = [p for p in written.parent.glob(pattern) if p != written]
            others.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
            for old in others[_SECTIONS_KEPT - 1 :]:
                old.unlink(missing_ok=True)


def _worth_writing(stored: Section, used: Section) -> bool:
    """Whether the texts the file lacks (made in this run) and holds in vain (asked for by none: an event
    edited or removed) are more than a few of the section's; always for a section with no file yet."""
    if not stored:
        return True
    found = sum(1 for key in used if key in stored)
    return (len(used) - found) + (len(stored) - found) > max(_FEW, len(used) // 50)


@contextlib.contextmanager
def uncollected() -> Iterator[None]:
    """Tens of thousands of small records made at once (a section read, the records kept of every event): the
    cyclic garbage collector would walk them over and over, and plain records of plain values make no cycles.
    Afterwards the survivors are frozen (moved out of the collector's sight), or the first collection after it
    is enabled again would walk them all anyway."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


def _read(path: Path | None, section: bytes) -> Section:
    """A section's texts, or none when its file is missing, damaged or of another format."""
    if path is None:
        return {}
    try:
        with uncollected(), path.open("rb") as stream:
            if pickle.load(stream) != (_FORMAT, section):
                return {}
            texts = pickle.load(stream)
        return texts if isinstance(texts, dict) else {}
    except Exception:  # noqa: BLE001  # missing, damaged or foreign: unpickling can raise nearly anything
        return {}


def open_texts(cache_dir: Path | None, registry_path: Path) -> Texts:
    """The texts kept for this registry in ``cache_dir``; none (and none saved) without a cache folder."""
    return Texts(cache_dir, registry_path)
