"""Texts made from a registry's events (each event's VEVENT in a feed), kept so that a run after a small change
makes again only the texts of what changed.

Derived and disposable like the index: deleting the file loses nothing but time. Every text is filed under a
digest of everything it was made from, which its maker computes (``sco_cal.ics.reuse``), so a text found here
is always the one that would be made now: no entry is ever stale, only unused. Texts are grouped in sections,
one per set of settings that shapes them (a feed's zone, reminders, month policy...); a save keeps, for each
section used in the run, only the texts the run asked for (an event gone or edited leaves its old text behind),
and only the few sections used last, so the file stays about the size of one feed. A run that would change only
a few texts leaves the file as it is (the next run makes those few again), so it is written only once the
changes add up. It is replaced atomically
(a killed run leaves the old file or the new one) and, like every temporary file, readable by its owner only.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Final

from sco_cal.cache.store import derived_file, pickle
from sco_cal.storage import replaced

__all__ = ["TEXTS_SUFFIX", "Texts", "open_texts"]

TEXTS_SUFFIX: Final = ".texts"
_FORMAT: Final = "texts 1"
_SECTIONS_KEPT: Final = 2  # e.g. publish's feeds and an export made with other options
_FEW: Final = 64  # texts a file may lack or hold in vain before it is written again (or 2% of a section's)

Section = dict[bytes, object]  # a text, or a small record of plain values made with it


class Texts:
    """The texts kept for one registry, by section and digest; what a run asks for is what a save keeps."""

    def __init__(self, path: Path | None, sections: dict[bytes, Section]) -> None:
        self._path = path
        self._sections = sections  # most recently used first
        self._used: dict[bytes, Section] = {}  # what this run asked for or made, by section

    def get(self, section: bytes, key: bytes) -> object | None:
        """What is filed under ``key``, noted as used; ``None`` when there is nothing."""
        text = self._sections.get(section, {}).get(key)
        if text is not None:
            self._used.setdefault(section, {})[key] = text
        return text

    def put(self, section: bytes, key: bytes, text: object) -> None:
        self._used.setdefault(section, {})[key] = text

    def save(self) -> None:
        """Replace the file with the sections used (their texts asked for only), then the others used last.

        Nothing is written while what the file lacks or holds in vain is a few texts (``_changed``): writing
        thousands of texts again costs far more than making a few again, and a run after a small change would
        pay that every time. A failure only costs the next run the time of making the texts again.
        """
        if self._path is None or not self._changed():
            return
        others = [(name, texts) for name, texts in self._sections.items() if name not in self._used]
        kept = dict([*self._used.items(), *others][:_SECTIONS_KEPT])
        with contextlib.suppress(OSError, pickle.PickleError):
            self._path.parent.mkdir(parents=True, exist_ok=True)
            with replaced(self._path, durable=False) as temp, temp.open("wb") as stream:
                pickle.dump(_FORMAT, stream, protocol=5)
                pickle.dump(kept, stream, protocol=5)

    def _changed(self) -> bool:
        """Whether a section used is new to the file, or the texts it lacks (made in this run) and holds in vain
        (asked for by none: an event edited or removed) are more than a few of the section's."""
        for name, used in self._used.items():
            stored = self._sections.get(name)
            if stored is None:
                return True
            found = sum(1 for key in used if key in stored)
            if (len(used) - found) + (len(stored) - found) > max(_FEW, len(used) // 50):
                return True
        return False


def open_texts(cache_dir: Path | None, registry_path: Path) -> Texts:
    """The texts kept for this registry in ``cache_dir``; none (and none saved) without a cache folder, and none
    when the file is missing, damaged or of another format."""
    if cache_dir is None:
        return Texts(None, {})
    path = derived_file(cache_dir, registry_path, TEXTS_SUFFIX)
    try:
        with path.open("rb") as stream:
            if pickle.load(stream) != _FORMAT:
                return Texts(path, {})
            sections = pickle.load(stream)
        if not isinstance(sections, dict):
            return Texts(path, {})
        return Texts(path, sections)
    except Exception:  # noqa: BLE001  # missing, damaged or foreign: unpickling can raise nearly anything
        return Texts(path, {})
