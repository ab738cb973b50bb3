"""The save transaction: how ``commit`` writes what an editor recorded.

An indexed editor's changes are spliced into the changed events' own lines when the splice is sure (one event,
or new events after the last one: those lines alone are parsed again; other changes of several events: the
file is), and the index learns the change; otherwise, and for a
whole-file editor, the edited files are parsed again and saved only when they load back with exactly the
intended events. Each file is replaced atomically with its earlier versions kept, and the save is journaled
for ``undo``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final, Self

from sco_cal.errors import InvalidRegistry
from sco_cal.model import Event
from sco_cal.registry.assemble import assemble
from sco_cal.registry.caching import CacheDir, Identity, cache_folder, derive, identity
from sco_cal.registry.editors import Editor, IndexedEditor, WholeFileEditor, whole_file_editor
from sco_cal.registry.journal import Journal, Save, SavedFile, describe
from sco_cal.registry.read_model import Registry
from sco_cal.registry.versions import save_keeping, version_stamp
from sco_cal.registry.yaml.reader import Problems, parse_file
from sco_cal.storage import check_writable

if TYPE_CHECKING:
    from sco_cal.cache import index

__all__ = ["commit"]


def commit(path: Path, editor: Editor, *, backups: int, cache_dir: CacheDir, read_as: Identity | None) -> None:
    """Save what ``editor`` recorded, the way that suits it; ``read_as``: the files as the editor read them."""
    if isinstance(editor, IndexedEditor):
        if not editor.operations or _commit_spliced(path, editor, backups, cache_dir, read_as):
            return
        editor = _on_whole_files(path, editor)
    if not isinstance(editor, WholeFileEditor):
        raise TypeError(f"no way to save what a {type(editor).__name__} recorded")
    texts = editor.new_texts()
    if texts:
        _save_texts(path, editor.registry, texts, editor.expected, backups, cache_dir, editor.actions())


def _on_whole_files(path: Path, indexed: IndexedEditor) -> WholeFileEditor:
    """The changes an indexed editor recorded, made again on the files read whole (and checked again)."""
    whole = whole_file_editor(path)
    whole.apply(indexed.operations)
    return whole


def _commit_spliced(
    path: Path, editor: IndexedEditor, backups: int, cache_dir: CacheDir, read_as: Identity | None
) -> bool:
    """Splice the changes into the events' own lines; ``False`` when only a whole-file edit will do."""
    from sco_cal.registry.yaml.splice import splice, splice_added, splice_many

    operations = editor.operations
    if len(operations) > 1 and (added := splice_added(editor.index, path, operations)) is not None:
        editor.index.close()
        _write_spliced(path, path, editor, added[0], backups, cache_dir, read_as, added[1])
        return True
    if len(operations) > 1:
        text = splice_many(editor.index, path, operations)
        editor.index.close()
        if text is None:
            return False
        expected = {operation.event_id: operation.event for operation in operations}
        _save_texts(path, editor.registry, {str(path): text}, expected, backups, cache_dir, editor.actions())
        return True
    spliced = splice(editor.index, path, operations[0])
    editor.index.close()
    if spliced is None:
        return False
    _write_spliced(path, spliced.path, editor, spliced.text, backups, cache_dir, read_as, [spliced.change])
    return True


def _write_spliced(
    path: Path,
    file: Path,
    editor: IndexedEditor,
    text: str,
    backups: int,
    cache_dir: CacheDir,
    read_as: Identity | None,
    changes: list[index.Change],
) -> None:
    """Save a spliced text, proven by the splice, and tell the index what changed (in one transaction)."""
    from sco_cal.cache.changes import apply_changes  # SQLite, as for the splice itself

    with _SaveRecord(path, backups, editor.actions()) as record:
        record.write(file, text.encode("utf-8"))
    after = identity(path)
    folder = cache_folder(cache_dir) if cache_dir is not None else None
    if folder is not None and read_as is not None and after is not None and after.indexed:
        apply_changes(folder, path, read_as.fingerprint, after.fingerprint, changes)


def _save_texts(
    path: Path,
    before: Registry,
    texts: dict[str, str],
    expected: dict[str, Event | None],
    backups: int,
    cache_dir: CacheDir,
    actions: list[tuple[str, str]],
) -> None:
    """Write the new texts once they are proven to load with exactly the ``expected`` events (``None``: gone);
    then derive the registry's copy from the result."""
    after = _verify(path, before, texts, expected)
    with _SaveRecord(path, backups, actions) as record:
        record.check([Path(file_path) for file_path in texts])
        for file_path in list(texts):
            target = Path(file_path)
            with contextlib.suppress(FileExistsError):
                target.parent.mkdir(parents=True)
            # encoded a chunk at a time as it is written: a big import never holds a file's text and its bytes
            record.write(target, _encoded(texts.pop(file_path)))
    # the derived copy of the result, whichever kind its new size calls for (an import may make a registry big)
    files = identity(path) if cache_dir is not None else None
    folder = cache_folder(cache_dir) if files is not None else None
    if folder is not None and files is not None:
        derive(folder, path, files, after)


_CHUNK_CHARS: Final = 1 << 20


def _encoded(text: str) -> Iterator[bytes]:
    """``text`` in UTF-8, a slice at a time; cut between characters, so the chunks join to ``text.encode()``."""
    for start in range(0, len(text), _CHUNK_CHARS):
        yield text[start : start + _CHUNK_CHARS].encode("utf-8")


def _verify(
    path: Path,
    before: Registry,
    texts: dict[str, str],
    expected: dict[str, Event | None],
) -> Registry:
    """Parse the edited text and refuse to save unless it loads back with exactly the intended events.

    A bug in the text surgery must never reach the user's file.
    """
    report = Problems()
    # Read back as a load reads (no nodes kept): the node tree of a big import is many times its text. What
    # reads back as intended shares the intended event objects instead of holding a second copy of each.
    files = [
        parse_file(parsed.path, texts[parsed.path], report, keep_nodes=False, held=expected)
        if parsed.path in texts
        else parsed
        for parsed in before.files
    ]
    files += [
        parse_file(p, t, report, keep_nodes=False, held=expected)
        for p, t in texts.items()
        if p not in {f.path for f in before.files}
    ]
    after = assemble(path, files, report)
    # an id in related that no event has was there before the edit (an editor refuses to name one): it stays
    problems = report.fatal
    for event_id, event in expected.items():
        if problems:
            break
        found = after._where.get(event_id)
        if (found[1].event if found else None) != event:
            problems.append(InvalidRegistry(f"{event_id}: the edited text reads back differently", path=str(path)))
    if problems:
        problem = problems[0]
        raise InvalidRegistry(
            f"the change was not saved because the result would not load: {problem.message}",
            path=problem.path,
            line=problem.line,
            column=problem.column,
        )
    return after


class _SaveRecord:
    """Writes the files of one save, each refused before any is written when it may not be, and records them
    in the save journal, which ``undo`` reads."""

    def __init__(self, registry: Path, backups: int, actions: list[tuple[str, str]]):
        self.registry = registry
        self.backups = backups
        self.actions = actions
        self.files: list[SavedFile] = []

    def __enter__(self) -> Self:
        return self

    def check(self, paths: Sequence[Path]) -> None:
        for target in paths:
            check_writable(target)

    def write(self, target: Path, data: bytes | Iterable[bytes]) -> None:
        before = version_stamp(target)
        save_keeping(target, data, self.backups)
        self.files.append(SavedFile(self._name(target), before, version_stamp(target), self.backups > 0))

    def _name(self, target: Path) -> str:
        if self.registry.is_dir():
            return os.path.relpath(target, self.registry)
        return Path(os.path.realpath(target)).name

    def __exit__(self, *_: object) -> None:
        if self.files:  # also after a failed second file: the first one is saved and may be undone
            Journal.load(self.registry).record(Save(describe(self.actions), self.files))
