"""The registry: one YAML file, or a folder of them read as one, and the only way sco-cal changes them.

Reading never changes a byte. Writing happens inside ``editing()``: under the write lock, the files are read
afresh, the edits are spliced into their text, the result is parsed again to prove it is valid, and each changed
file is replaced atomically.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple, Self

from sco_cal.cache.store import INDEX_SUFFIX, SNAPSHOT_SUFFIX, EventStore, derived_file, fingerprint
from sco_cal.errors import Conflict, EventNotFound, InvalidInput, InvalidRegistry, ScoCalError, StorageError
from sco_cal.model import Event, Header, Kind, LeadTime
from sco_cal.storage import (
    DEFAULT_LOCK_TIMEOUT,
    atomic_write,
    check_readable_file,
    check_writable,
    sweep_temporary_files,
    version_stamp,
    write_lock,
)

if TYPE_CHECKING:
    from sco_cal.cache.index import RegistryIndex
    from sco_cal.dates import Window
    from sco_cal.registry.journal import SavedFile
    from sco_cal.registry.yaml.edits import FileEdits
    from sco_cal.registry.yaml.reader import BrokenEvent, EventNode, ParsedFile, Problems
    from sco_cal.registry.yaml.splice import IndexedEditor

# The YAML reader and the text surgery (sco_cal.registry.yaml) are imported where they are used: a read
# served from a fresh index needs neither.

__all__ = [
    "Editor",
    "Registry",
    "check",
    "editing",
    "init",
    "load",
    "loads",
    "problems",
    "undo",
    "warnings",
]

MAX_FILE_BYTES: Final = 64 * 1024 * 1024  # a 100,000-event registry is about 40 MiB
DEFAULT_BACKUPS: Final = 3
INDEX_FROM_BYTES: Final = 64 * 1024  # below this a parse takes a few milliseconds: no index is worth keeping
DEFAULT_ZONE: Final = "UTC"
_HEADER_FIELDS: Final = ("schema", "name", "timezone", "uid_domain", "reminders")


@dataclass
class Registry:
    """Every event of a registry, with its header and where each event's text lives.

    Read from the files (``files`` and ``_where`` filled), or from a fresh index (``_index`` set), in which
    case events are unpickled only when asked for.
    """

    path: Path
    header: Header
    files: list[ParsedFile]
    _events: tuple[Event, ...] | None = ()
    _where: dict[str, tuple[ParsedFile, EventNode]] = field(default_factory=dict, repr=False)
    _index: EventStore | None = field(default=None, repr=False)

    @classmethod
    def from_index(cls, path: Path, index: EventStore) -> Registry:
        return cls(path=path, header=index.header, files=[], _events=None, _index=index)

    @property
    def events(self) -> tuple[Event, ...]:
        if self._events is None:
            assert self._index is not None
            self._events = tuple(found.event for found in self._index.all())
        return self._events

    def iter_events(self) -> Iterator[Event]:
        """Every event once, in file order, without keeping them: one pass over a big registry read from its
        index holds a few events at a time, where ``events`` would hold them all from then on."""
        if self._events is not None or self._index is None:
            return iter(self.events)
        return (found.event for found in self._index.all())

    def events_in(self, window: Window | None) -> Sequence[Event]:
        """The events that may fall in ``window`` (all of them for ``None``): a superset the query narrows."""
        if window is None or self._index is None or self._events is not None:
            return self.events
        return self._index.candidates(window)

    @property
    def longest_own_lead(self) -> timedelta:
        """The longest reminder lead time any event sets for itself (defaults per kind are not counted)."""
        if self._index is not None and self._events is None:
            return self._index.longest_lead
        return max((lead.delta for event in self.events for lead in event.reminders), default=timedelta())

    @property
    def timezone(self) -> str:
        return self.header.timezone or DEFAULT_ZONE

    @property
    def name(self) -> str:
        return self.header.name or self.path.stem

    @property
    def uid_domain(self) -> str:
        """The registry's identity in UIDs: stated in the header, else derived from its name."""
        if self.header.uid_domain:
            return self.header.uid_domain
        slug = re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-") or "registry"
        return f"{slug}.sco-cal"

    def get(self, event_id: str) -> Event:
        if self._index is not None:
            found = self._index.get(event_id)
            if found is None:
                raise EventNotFound(event_id)
            return found.event
        try:
            return self._where[event_id][1].event
        except KeyError:
            raise EventNotFound(event_id) from None

    def location(self, event_id: str) -> tuple[str, int]:
        """The file and 1-based line where an event is written."""
        if self._index is not None:
            found = self._index.get(event_id)
            if found is None:
                raise EventNotFound(event_id)
            return found.path, found.line
        parsed, node = self._where[event_id]
        return parsed.path, node.line

    def default_reminders(self, kind: Kind) -> tuple[LeadTime, ...]:
        return self.header.reminders.get(kind, ())

    def __contains__(self, event_id: object) -> bool:
        if self._index is not None:
            return isinstance(event_id, str) and self._index.get(event_id) is not None
        return event_id in self._where


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


def _read(path: Path) -> str:
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


def _merge_headers(files: list[ParsedFile], report: Problems) -> Header:
    header = Header()
    stated_in: dict[str, ParsedFile] = {}
    for parsed in files:
        for key in _HEADER_FIELDS:
            if key not in parsed.header_keys:
                continue
            if key in stated_in:  # each file of a folder may state the header, as long as they agree
                first = stated_in[key]
                if getattr(parsed.header, key) != getattr(first.header, key):
                    report.items.append(
                        InvalidRegistry(
                            f"{key}: {_header_value(parsed, key)} here, but {_header_value(first, key)} in "
                            f"{first.path}:{first.header_keys[key]}; the files of a folder must agree on it",
                            path=parsed.path,
                            line=parsed.header_keys[key],
                        )
                    )
                continue
            stated_in[key] = parsed
            setattr(header, key, getattr(parsed.header, key))
    return header


def _header_value(parsed: ParsedFile, key: str) -> str:
    value = getattr(parsed.header, key)
    if isinstance(value, dict):  # reminders: {kind: (lead times)}
        return "{" + ", ".join(f"{kind}: [{', '.join(map(str, leads))}]" for kind, leads in value.items()) + "}"
    return repr(value)


def _assemble(path: Path, files: list[ParsedFile], report: Problems) -> Registry:
    registry = Registry(path=path, header=_merge_headers(files, report), files=files)
    events: list[Event] = []
    first_at: dict[str, tuple[str, int]] = {}  # each id's first event, broken or not, for the duplicate rule
    broken = _broken_by_file(report)
    for parsed in files:
        for line, column, event, node in _in_file_order(parsed, broken.get(parsed.path, [])):
            if event.id in first_at:
                first_path, first_line = first_at[event.id]
                report.at(
                    parsed.path,
                    line,
                    column,
                    f"id: {event.id!r} is already used at {first_path}:{first_line}; "
                    "ids are unique across the registry",
                )
                continue
            first_at[event.id] = (parsed.path, line)
            if node is not None:
                registry._where[event.id] = (parsed, node)
                events.append(event)
    registry._events = tuple(events)
    _check_related(registry, report)
    _check_order_in_zone(registry, report)
    _check_wall_times(registry, report)
    return registry


def _check_wall_times(registry: Registry, report: Problems) -> None:
    """Every time of day happens exactly once in its zone (a zoneless one in the registry's, known now)."""
    from sco_cal.dates import Precision

    zone = registry.timezone
    for parsed, node in registry._where.values():
        event = node.event
        fields = (("start", event.start), ("end", event.end), ("replaces", event.replaces))
        for key, values in (
            *((key, (value,)) for key, value in fields),
            ("except", event.excluded),
            ("also", event.also),
        ):
            for value in values:
                if value is None or value.precision is not Precision.MINUTE:
                    continue
                try:
                    value.check_wall_time(zone)
                except ScoCalError as error:
                    report.at(parsed.path, node.line, node.column, f"{key}: {error}")


def _broken_by_file(report: Problems) -> dict[str, list[BrokenEvent]]:
    """The events with problems whose id was read (one without an id cannot clash with another's)."""
    by_file: dict[str, list[BrokenEvent]] = {}
    for broken in report.broken:
        if broken.read("id"):
            by_file.setdefault(broken.path, []).append(broken)
    return by_file


def _in_file_order(parsed: ParsedFile, broken: list[BrokenEvent]) -> Iterator[tuple[int, int, Event, EventNode | None]]:
    """A file's events, sound (with their node) and broken (with ``None``), in the order they stand in it."""
    sound = ((node.line, node.column, node.event, node) for node in parsed.events)
    if not broken:
        yield from sound
        return
    others = ((each.line, each.column, each.event, None) for each in broken)
    yield from sorted((*sound, *others), key=lambda found: (found[0], found[1]))


def _check_order_in_zone(registry: Registry, report: Problems) -> None:
    """The end-after-start rule for the events whose answer depends on the registry's zone, now it is known."""
    for parsed, node in registry._where.values():
        if node.event.order_depends_on_zone:
            try:
                node.event.check_order(registry.timezone)
            except InvalidInput as error:
                report.at(parsed.path, node.line, node.column, str(error))


def _check_related(registry: Registry, report: Problems) -> None:
    """Every id named in ``related`` is an event's, and a moved occurrence names its series; the fields of a
    broken event that were read are judged too, and an event that is there but broken is not called missing
    (its own problems are listed)."""
    broken = [each for each in report.broken if each.read("id")]
    broken_ids = {each.event.id for each in broken}
    judged = [
        (parsed.path, node.line, node.column, node.event, frozenset[str]()) for parsed, node in registry._where.values()
    ]
    judged += [(each.path, each.line, each.column, each.event, each.unread) for each in report.broken]
    for file, line, column, event, unread in judged:
        if "related" not in unread:
            for related in event.related:
                if related not in registry._where and related not in broken_ids:
                    report.at(file, line, column, f"related: no event has the id {related!r}")
        if not unread & {"occurrence_of", "replaces"}:
            message = _occurrence_problem(registry, event, broken_ids)
            if message is not None:
                report.at(file, line, column, message)


def _occurrence_problem(registry: Registry, event: Event, broken_ids: set[str]) -> str | None:
    """A moved occurrence names a repeating event that leaves the replaced start out (``except``); a broken
    series is not judged, its own problems are listed."""
    if event.occurrence_of is None or event.replaces is None or event.occurrence_of in broken_ids:
        return None
    found = registry._where.get(event.occurrence_of)
    if found is None or not found[1].event.recurrence:
        return f"occurrence_of: no repeating event has the id {event.occurrence_of!r}"
    if event.replaces not in found[1].event.excluded:
        return f"replaces: {event.replaces} is not under 'except' of {event.occurrence_of!r}; add it there"
    return None


def _parse_all(path: Path, *, keep_nodes: bool = False) -> tuple[Registry, Problems]:
    from sco_cal.registry.yaml.reader import EMPTY_FILE, Problems, parse_file

    report = Problems()
    files = [parse_file(str(file), _read(file), report, keep_nodes=keep_nodes) for file in registry_files(path)]
    if path.is_dir():
        # 'sco-cal init' would write registry.yaml beside an empty file, not fill it
        for problem in report.items:
            if problem.message == EMPTY_FILE:
                problem.message = "the file is empty; write 'events:' in it, or remove it"
    if path.is_dir() and not files:
        report.items.append(
            InvalidRegistry(
                "the folder holds no .yaml files; create one with 'sco-cal init'",
                path=str(path),
            )
        )
    return _assemble(path, files, report), report


# Where derived copies may be kept: a folder, or a function giving one, so that a command that reads no
# registry never pays for finding the user's cache folder.
CacheDir = Path | Callable[[], Path | None] | None


def _cache_folder(cache_dir: CacheDir) -> Path | None:
    return cache_dir() if callable(cache_dir) else cache_dir


def load(path: Path, *, cache_dir: CacheDir = None) -> Registry:
    """Read a registry file or folder.

    With ``cache_dir``, the registry is read from its derived copy there (the index of a registry of at least
    ``INDEX_FROM_BYTES``, else a snapshot) when that copy was made from the files exactly as they are now; after
    a parse otherwise, the copy is made afresh.

    Raises:
        InvalidRegistry: At the first problem, naming the file, line, column and field.
    """
    identity = _identity(path) if cache_dir is not None else None
    folder = _cache_folder(cache_dir) if identity is not None else None
    if folder is not None and identity is not None:
        fresh = _open_derived(folder, path, identity)
        if fresh is not None:
            return Registry.from_index(path, fresh)
    registry, report = _parse_all(path)
    report.raise_first()
    if folder is not None and identity is not None:
        _derive(folder, path, identity, registry)
    return registry


class _Identity(NamedTuple):  # not a dataclass: every run makes this class, and a NamedTuple is made faster
    """The registry's files as they are now, and which derived copy suits their size."""

    fingerprint: str
    indexed: bool  # big enough for the SQLite index; a smaller registry gets a snapshot


def _identity(path: Path) -> _Identity | None:
    """``None`` when the files cannot be read: the parse that follows says why."""
    try:
        files = registry_files(path)
        indexed = sum(file.stat().st_size for file in files) >= INDEX_FROM_BYTES
        return _Identity(fingerprint(files), indexed)
    except OSError:
        return None


def _open_derived(folder: Path, path: Path, identity: _Identity) -> EventStore | None:
    if identity.indexed:
        from sco_cal.cache import index  # SQLite: only for a registry big enough to index

        return index.open_fresh(folder, path, identity.fingerprint)
    from sco_cal.cache import snapshot

    return snapshot.open_fresh(folder, path, identity.fingerprint)


def _derive(folder: Path, path: Path, identity: _Identity, registry: Registry) -> None:
    """Make the derived copy of a registry just parsed, and drop one of the other kind, left from when the
    registry had another size."""
    located = ((event, *registry.location(event.id)) for event in registry.events)
    if identity.indexed:
        from sco_cal.cache import index

        index.build(folder, path, identity.fingerprint, registry.header, located)
        stale = SNAPSHOT_SUFFIX
    else:
        from sco_cal.cache import snapshot

        snapshot.write(folder, path, identity.fingerprint, registry.header, located)
        stale = INDEX_SUFFIX
    with contextlib.suppress(OSError):
        derived_file(folder, path, stale).unlink(missing_ok=True)


def loads(text: str, path: str = "<string>") -> Registry:
    """Read a registry from text (one file's worth)."""
    from sco_cal.registry.yaml.reader import Problems, parse_file

    report = Problems()
    parsed = parse_file(path, text, report)
    registry = _assemble(Path(path), [parsed], report)
    report.raise_first()
    return registry


def check(path: Path) -> tuple[Registry | None, list[InvalidRegistry]]:
    """Read a registry and collect every problem in it (``validate``): the registry when it is sound."""
    try:
        registry, report = _parse_all(path)
    except InvalidRegistry as unreadable:
        return None, [unreadable]
    return (None if report.items else registry), report.items


def problems(path: Path) -> list[InvalidRegistry]:
    """Every problem in a registry; an empty list when it is sound."""
    return check(path)[1]


def init(path: Path, *, name: str, timezone: str, uid_domain: str | None = None) -> None:
    """Write a new, empty registry; refuses to overwrite an existing one.

    A file that holds nothing but blank lines and comments is no registry yet: it is filled, its comments kept.
    ``uid_domain`` is the registry's identity in feed UIDs, written once so that renaming the registry never
    changes them.
    """
    from sco_cal.dates import zone_for
    from sco_cal.registry.yaml.emit import scalar
    from sco_cal.registry.yaml.reader import SCHEMA_VERSION

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
    text = _read(target)
    kept = [line for line in text.splitlines() if line.strip()]
    if any(not line.lstrip().startswith("#") for line in kept):
        raise Conflict(f"{target}: a registry already exists here; nothing was changed")
    return "".join(line + "\n" for line in kept)


def warnings(registry: Registry) -> list[str]:
    """What is not wrong yet will hurt later: each a line saying what to add."""
    if registry.header.uid_domain:
        return []
    stating = [parsed.path for parsed in registry.files if "name" in parsed.header_keys]
    where = (stating or [parsed.path for parsed in registry.files] or [str(registry.path)])[0]
    advice = f"add 'uid_domain: {registry.uid_domain}' to the header to keep the UIDs published so far"
    return [f"{where}: uid_domain: not set, so feed UIDs follow the name and change when it does; {advice}"]


class Editor:
    """The changes of one save. Obtained from ``editing()``; every method checks before it changes."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self._edits: dict[str, FileEdits] = {}
        self._ids = set(registry._where)
        self.expected: dict[str, Event | None] = {}

    def _file_edits(self, parsed: ParsedFile) -> FileEdits:
        from sco_cal.registry.yaml.edits import FileEdits

        if parsed.path not in self._edits:
            self._edits[parsed.path] = FileEdits(parsed)
        return self._edits[parsed.path]

    @property
    def taken_ids(self) -> set[str]:
        return set(self._ids)

    def add(self, event: Event, *, file: Path | None = None) -> None:
        event.check(self.registry.timezone)
        if event.id in self._ids:
            raise Conflict(f"id: {event.id!r} is already used; choose another with --id")
        self._check_related(event)
        parsed = self._target_file(file)
        self._file_edits(parsed).add(event)
        self._ids.add(event.id)
        self.expected[event.id] = event

    def update(self, event: Event) -> None:
        event.check(self.registry.timezone)
        self._check_related(event)
        parsed, node = self._located(event.id)
        self._file_edits(parsed).replace(node, event)
        self.expected[event.id] = event

    def remove(self, event_id: str) -> None:
        parsed, node = self._located(event_id)
        referrers = [e.id for e in self.registry.events if event_id in e.related]
        if referrers:
            raise Conflict(f"{event_id!r} is named in 'related' by {', '.join(referrers)}; remove it there first")
        moved = [e.id for e in self.registry.events if e.occurrence_of == event_id]
        if moved:
            raise Conflict(f"{event_id!r} has moved occurrences ({', '.join(moved)}); remove those first")
        self._file_edits(parsed).remove(node)
        self._ids.discard(event_id)
        self.expected[event_id] = None

    def _located(self, event_id: str) -> tuple[ParsedFile, EventNode]:
        if event_id not in self.registry._where:
            raise EventNotFound(event_id)
        return self.registry._where[event_id]

    def _check_related(self, event: Event) -> None:
        for related in event.related:
            if related not in self._ids:
                raise Conflict(f"related: no event has the id {related!r}")
        if event.occurrence_of is not None and event.occurrence_of not in self._ids:
            raise Conflict(f"occurrence_of: no event has the id {event.occurrence_of!r}")

    def _target_file(self, file: Path | None) -> ParsedFile:
        from sco_cal.registry.yaml.reader import Problems, parse_file

        files = self.registry.files
        if file is None:
            with_header = [f for f in files if "events" in f.header_keys or "name" in f.header_keys]
            return (with_header or files)[0]
        wanted = (self.registry.path / file) if self.registry.path.is_dir() else file
        for parsed in files:  # by the file they stand for: a folder may be reached through a link too
            if os.path.realpath(parsed.path) == os.path.realpath(wanted):
                return parsed
        if not self.registry.path.is_dir():
            raise Conflict(f"--file only applies to a registry that is a folder of files, not {self.registry.path}")
        return parse_file(str(wanted), "", Problems())

    def new_texts(self) -> dict[str, str]:
        """The changed files' new text, once: the pending edits are let go with it (the lines of 100,000 added
        events are 90 MB that the check and the write need not hold)."""
        texts = {path: edits.apply() for path, edits in self._edits.items()}
        self._edits.clear()
        return texts


@contextlib.contextmanager
def editing(
    path: Path,
    *,
    backups: int = DEFAULT_BACKUPS,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    cache_dir: CacheDir = None,
) -> Iterator[Editor | IndexedEditor]:
    """Lock the registry, read it afresh, yield an editor, then save what changed.

    Nothing is written when the block raises, or when the edited text would not load back as expected. Each
    changed file keeps its previous ``backups`` versions beside it (``.NAME.bak.1`` is the newest). The edits
    of a big registry go through its index in ``cache_dir`` (built first if it is stale): each edits only the
    lines of its own event, and the index is brought up to date.
    """
    if not path.is_dir():  # refused before the lock, so a write-protected registry is left without a trace
        if path.exists() and not os.access(path, os.R_OK):
            raise StorageError(f"{path}: cannot read the registry: Permission denied")
        check_writable(path)
    with write_lock(path, lock_timeout), contextlib.ExitStack() as scratch:
        from sco_cal.registry.journal import journal_path

        for file in [*registry_files(path), journal_path(path)]:
            sweep_temporary_files(file)
        identity = _identity(path)
        before = identity.fingerprint if identity is not None and identity.indexed else None
        folder = _cache_folder(cache_dir) if before is not None and cache_dir is not None else None
        fresh = None
        if identity is not None and identity.indexed:
            from sco_cal.cache import index

            fresh = _index_for_editing(path, identity, folder, scratch)
        if fresh is None:
            registry, report = _parse_all(path, keep_nodes=True)
            report.raise_first()
            editor = Editor(registry)
            yield editor
            _save(path, editor, backups, cache_dir)
            return
        from sco_cal.registry.yaml.splice import IndexedEditor, splice, splice_many

        quick = IndexedEditor(Registry.from_index(path, fresh), fresh)
        yield quick
        if not quick.operations:
            return
        actions = [(_VERBS_DONE.get(op.kind, op.kind), op.event_id) for op in quick.operations]
        if len(quick.operations) > 1:
            text = splice_many(fresh, path, quick.operations)
            fresh.close()
            if text is not None:
                expected = {operation.event_id: operation.event for operation in quick.operations}
                _save_texts(path, quick.registry, {str(path): text}, expected, backups, cache_dir, actions)
                return
            spliced = None
        else:
            spliced = splice(fresh, path, quick.operations[0])
            fresh.close()
        if spliced is None:
            registry, report = _parse_all(path, keep_nodes=True)
            report.raise_first()
            editor = Editor(registry)
            quick.replay(editor)
            _save(path, editor, backups, cache_dir)
            return
        with _SaveRecord(path, backups, actions) as record:
            record.write(spliced.path, spliced.text.encode("utf-8"))
        after = _identity(path)
        if folder is not None and before is not None and after is not None and after.indexed:
            index.apply_change(folder, path, before, after.fingerprint, spliced.change)


def _index_for_editing(
    path: Path, identity: _Identity, folder: Path | None, scratch: contextlib.ExitStack
) -> RegistryIndex | None:
    """A fresh index of a big registry to edit through, built first when there is none.

    Without one, the edit would parse the whole file keeping every YAML node: gigabytes at 100,000 events. A
    read as a load reads (in pieces, no nodes) and an index cost what the first read after a change costs. With
    the cache turned off or unwritable, the index goes to a temporary folder that is gone after the edit.
    """
    from sco_cal.cache import index

    if folder is not None and (fresh := index.open_fresh(folder, path, identity.fingerprint)) is not None:
        return fresh
    registry, report = _parse_all(path)
    report.raise_first()
    if folder is not None:
        _derive(folder, path, identity, registry)
        if (fresh := index.open_fresh(folder, path, identity.fingerprint)) is not None:
            return fresh
    import tempfile

    temporary = Path(scratch.enter_context(tempfile.TemporaryDirectory(prefix="sco-cal-index-")))
    located = ((event, *registry.location(event.id)) for event in registry.events)
    index.build(temporary, path, identity.fingerprint, registry.header, located)
    return index.open_fresh(temporary, path, identity.fingerprint)


_VERBS_DONE: Final = {"update": "edit"}


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

    def write(self, target: Path, data: bytes) -> None:
        from sco_cal.registry.journal import SavedFile

        before = version_stamp(target)
        atomic_write(target, data, backups=self.backups)
        self.files.append(SavedFile(self._name(target), before, version_stamp(target), self.backups > 0))

    def _name(self, target: Path) -> str:
        if self.registry.is_dir():
            return os.path.relpath(target, self.registry)
        return Path(os.path.realpath(target)).name

    def __exit__(self, *_: object) -> None:
        if self.files:  # also after a failed second file: the first one is saved and may be undone
            from sco_cal.registry.journal import Journal, Save, describe

            Journal.load(self.registry).record(Save(describe(self.actions), self.files))


def _save(path: Path, editor: Editor, backups: int, cache_dir: CacheDir) -> None:
    """Write what a whole-file editor changed, once the result is proven to load; then derive from the result."""
    actions = [
        ("remove" if event is None else "edit" if event_id in editor.registry._where else "add", event_id)
        for event_id, event in editor.expected.items()
    ]
    texts = editor.new_texts()
    if texts:
        _save_texts(path, editor.registry, texts, editor.expected, backups, cache_dir, actions)


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
            # each text is let go once encoded: a 100,000-event file is 84 MiB as text and 44 MiB encoded
            text = texts.pop(file_path)
            target = Path(file_path)
            with contextlib.suppress(FileExistsError):
                target.parent.mkdir(parents=True)
            encoded = text.encode("utf-8")
            del text
            record.write(target, encoded)
            del encoded
    # the derived copy of the result, whichever kind its new size calls for (an import may make a registry big)
    identity = _identity(path) if cache_dir is not None else None
    folder = _cache_folder(cache_dir) if identity is not None else None
    if folder is not None and identity is not None:
        _derive(folder, path, identity, after)


def _verify(
    path: Path,
    before: Registry,
    texts: dict[str, str],
    expected: dict[str, Event | None],
) -> Registry:
    """Parse the edited text and refuse to save unless it loads back with exactly the intended events.

    A bug in the text surgery must never reach the user's file.
    """
    from sco_cal.registry.yaml.reader import Problems, parse_file

    report = Problems()
    # Read back as a load reads (no nodes kept): the whole node tree of 100,000 new events is gigabytes. What
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
    after = _assemble(path, files, report)
    for event_id, event in expected.items():
        if report.items:
            break
        found = after._where.get(event_id)
        if (found[1].event if found else None) != event:
            report.items.append(
                InvalidRegistry(
                    f"{event_id}: the edited text reads back differently",
                    path=str(path),
                )
            )
    if report.items:
        problem = report.items[0]
        raise InvalidRegistry(
            f"the change was not saved because the result would not load: {problem.message}",
            path=problem.path,
            line=problem.line,
            column=problem.column,
        )
    return after


def undo(path: Path, *, redo: bool = False) -> str:
    """Take back the last save sco-cal made, whatever files it touched (``redo``: put back the last one taken
    back); what was undone or redone, e.g. ``add new-event (new.yaml)``. Each further call goes one save
    further back (or forward), as far as the backups reach.

    Raises:
        StorageError: Nothing to undo or redo, or a file changed since (by hand): nothing is changed then.
    """
    from sco_cal.registry.journal import Journal

    with write_lock(path):
        journal = Journal.load(path)
        save = journal.redo() if redo else journal.undo()
        return save.label()
