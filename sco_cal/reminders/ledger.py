"""The ledger of reminders already given or skipped: its file format, its lock, and carrying out a plan.

The ledger is what makes ``sco-cal remind`` exactly-once under cron: each reminder is recorded by
(event id, occurrence, lead time, the start it was computed for). A run holds the ledger's lock from reading it
to saving it, so two runs at once never give the same reminder; saves are atomic (``storage.atomic_write``).

A missing ledger is a first run. A damaged one is never guessed around: ``load`` raises ``DamagedLedger`` and
nothing is given until the user sets it aside (``sco-cal remind --reset-ledger``), because starting afresh
silently would give again every reminder of the catch-up window.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from sco_cal.errors import Busy, DamagedLedger, StorageError
from sco_cal.reminders.due import Due, Plan, Reminder, ReminderKey
from sco_cal.storage import DEFAULT_LOCK_TIMEOUT, atomic_write, lock_path, sweep_temporary_files, write_lock

__all__ = [
    "LEDGER_SCHEMA",
    "Entry",
    "Ledger",
    "beside_registry",
    "carry_out",
    "file_name",
    "load",
    "locked",
    "save",
    "set_aside",
]

LEDGER_SCHEMA: Final = 1
# Entries of occurrences that began this long ago cannot matter again (a run looks back over its catch-up
# window and its last run only); dropping them keeps the file small for registries that remind for years.
KEEP: Final = timedelta(days=400)
# Saving only to move last_run forward is skipped when it moved less than this, so a run every minute does not
# rewrite the file every minute; the run then looks back a little further, which is harmless.
LAST_RUN_SLACK: Final = timedelta(hours=1)
_STATES: Final = ("given", "skipped")


@dataclass(frozen=True, slots=True)
class Entry:
    """One reminder the ledger remembers. ``start`` is the earliest possible start it counted from (ISO)."""

    key: ReminderKey
    state: str
    at: str
    start: str
    reason: str | None = None

    def to_json(self) -> dict[str, str]:
        data = {
            "event": self.key.event,
            "occurrence": self.key.occurrence,
            "lead": self.key.lead,
            "for": self.key.computed_for,
            "state": self.state,
            "at": self.at,
            "start": self.start,
        }
        if self.reason:
            data["reason"] = self.reason
        return data


@dataclass
class Ledger:
    """The reminders given or skipped so far for one registry, and when remind last ran."""

    path: Path
    existed: bool = False
    last_run: datetime | None = None
    entries: dict[ReminderKey, Entry] = field(default_factory=dict)
    dirty: bool = False
    _by_occurrence: dict[tuple[str, str], list[Entry]] = field(default_factory=dict, repr=False)

    def add(self, entry: Entry) -> None:
        self.entries[entry.key] = entry
        self._by_occurrence.setdefault((entry.key.event, entry.key.occurrence), []).append(entry)

    def has(self, key: ReminderKey) -> bool:
        return key in self.entries

    def moved_from(self, key: ReminderKey) -> str | None:
        """The start an earlier reminder of this occurrence was given for, when none was given for this one."""
        given = [e for e in self._by_occurrence.get((key.event, key.occurrence), ()) if e.state == "given"]
        if not given or any(e.key.computed_for == key.computed_for for e in given):
            return None
        return max(given, key=lambda e: e.at).key.computed_for

    def record(self, reminder: Reminder, state: str, at: datetime, reason: str | None = None) -> None:
        # UTC text, so that entries written with different offsets still sort by time
        self.add(Entry(reminder.key, state, at.astimezone(UTC).isoformat(), reminder.start.isoformat(), reason))
        self.dirty = True

    def _run_worth_noting(self, now: datetime) -> bool:
        return self.last_run is None or abs(now - self.last_run) >= LAST_RUN_SLACK or self.dirty

    def _too_old(self, now: datetime) -> list[ReminderKey]:
        horizon = now - KEEP
        return [key for key, entry in self.entries.items() if datetime.fromisoformat(entry.start) < horizon]

    def unchanged_by(self, plan: Plan, now: datetime) -> bool:
        """Whether carrying out ``plan`` at ``now`` would give nothing and leave the file as it is."""
        return (
            self.existed
            and not plan.give
            and not plan.skip
            and not self._run_worth_noting(now)
            and not self._too_old(now)
        )

    def finish(self, now: datetime) -> None:
        """Note the run and forget entries too old to matter."""
        if self._run_worth_noting(now):
            self.last_run = now.astimezone(UTC)
            self.dirty = True
        old = self._too_old(now)
        for key in old:
            del self.entries[key]
        if old:
            self._by_occurrence.clear()
            for entry in self.entries.values():
                self._by_occurrence.setdefault((entry.key.event, entry.key.occurrence), []).append(entry)
            self.dirty = True

    def dumps(self, registry: Path | None = None) -> bytes:
        document: dict[str, Any] = {
            "schema": LEDGER_SCHEMA,
            "registry": str(registry) if registry else None,
            "last_run": self.last_run.isoformat() if self.last_run else None,
            "entries": [
                e.to_json()
                for e in sorted(self.entries.values(), key=lambda e: (e.key.event, e.key.occurrence, e.at, e.key.lead))
            ],
        }
        return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def file_name(registry: Path) -> str:
    """The ledger's file name in the state folder: one per registry, from a hash of its resolved path.

    >>> file_name(Path("/srv/events.yaml"))
    'ledger-events-be30a1967f746058.json'
    """
    digest = hashlib.sha256(str(registry).encode("utf-8")).hexdigest()[:16]
    return f"ledger-{registry.stem}-{digest}.json"


def beside_registry(registry: Path) -> Path:
    """The ledger kept next to the registry: ``events.yaml`` -> ``events.reminders.json``."""
    if registry.is_dir():
        return registry / "reminders.json"
    return registry.with_name(f"{registry.stem}.reminders.json")


def _damaged(path: Path, why: str) -> DamagedLedger:
    return DamagedLedger(
        f"{path}: the reminder ledger is damaged ({why}); no reminder was given. Run 'sco-cal remind "
        "--reset-ledger' to set it aside and start a new one (reminders due in the catch-up window are then "
        "given again)"
    )


def load(path: Path) -> Ledger:
    """Read the ledger at ``path``; a missing file is an empty ledger with ``existed`` false.

    Raises:
        DamagedLedger: The file is not JSON, or not a ledger this version understands.
        StorageError: The file cannot be read (permissions).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Ledger(path)
    except OSError as error:
        raise StorageError(f"{path}: cannot read the reminder ledger: {error.strerror or error}") from None
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _damaged(path, f"not JSON: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise _damaged(path, "no list of entries")
    if document.get("schema") != LEDGER_SCHEMA:
        raise _damaged(path, f"schema {document.get('schema')!r}, this sco-cal reads {LEDGER_SCHEMA}")
    ledger = Ledger(path, existed=True)
    try:
        last_run = document.get("last_run")
        ledger.last_run = datetime.fromisoformat(last_run) if last_run else None
        for number, item in enumerate(document["entries"], start=1):
            ledger.add(_entry(item, number))
    except (TypeError, ValueError, KeyError) as error:
        raise _damaged(path, str(error).strip("'\"")) from None
    return ledger


def _entry(item: object, number: int) -> Entry:
    if not isinstance(item, dict):
        raise TypeError(f"entry {number} is not an object")
    texts = {name: item.get(name) for name in ("event", "occurrence", "lead", "for", "state", "at", "start")}
    if not all(isinstance(value, str) for value in texts.values()) or texts["state"] not in _STATES:
        raise ValueError(f"entry {number} lacks a field or has a wrong one")
    datetime.fromisoformat(str(texts["start"]))  # checked now so that pruning cannot fail later
    key = ReminderKey(str(texts["event"]), str(texts["occurrence"]), str(texts["lead"]), str(texts["for"]))
    reason = item.get("reason")
    return Entry(key, str(texts["state"]), str(texts["at"]), str(texts["start"]), str(reason) if reason else None)


def save(ledger: Ledger, registry: Path | None = None) -> None:
    """Replace the ledger file atomically: a crash leaves the old ledger or the new one."""
    with contextlib.suppress(FileExistsError):
        ledger.path.parent.mkdir(parents=True)
    atomic_write(ledger.path, ledger.dumps(registry))
    ledger.existed = True
    ledger.dirty = False


def set_aside(path: Path, stamp: datetime) -> Path | None:
    """Rename a (damaged) ledger out of the way so the next run starts a new one; return its new name."""
    if not path.exists():
        return None
    target = path.with_name(f"{path.name}.damaged-{stamp:%Y%m%dT%H%M%SZ}")
    try:
        path.rename(target)
    except OSError as error:
        raise StorageError(f"{path}: cannot set the ledger aside: {error.strerror or error}") from None
    return target


@contextlib.contextmanager
def locked(path: Path, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the ledger's lock (a separate file beside it) so two runs never give the same reminder.

    Raises:
        Busy: Another run held it longer than ``timeout`` seconds (a slow hook, most likely).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(f"{path.parent}: cannot create the ledger folder: {error.strerror or error}") from None
    try:
        with write_lock(path, timeout):
            sweep_temporary_files(path)
            yield
    except Busy:
        raise Busy(
            f"{path}: another 'sco-cal remind' is still running (lock {lock_path(path)}); it gives what is due"
        ) from None


def carry_out(
    plan: Plan,
    ledger: Ledger,
    deliver: Callable[[Due], bool],
    *,
    now: datetime,
    save_each: bool,
    registry: Path | None = None,
) -> list[Due]:
    """Give each planned reminder through ``deliver`` and record it; return those whose delivery failed.

    A failed reminder is not recorded, so the next run tries it again. With ``save_each`` (hooks, which may take
    a while or be killed) the ledger is saved after every reminder, so a crash repeats at most one.
    """
    for reminder, reason in plan.skip:
        ledger.record(reminder, "skipped", now, reason)
    failed = []
    for due in plan.give:
        if not deliver(due):
            failed.append(due)
            continue
        ledger.record(due.reminder, "given", now)
        if save_each:
            save(ledger, registry)
    ledger.finish(now)
    if ledger.dirty or not ledger.existed:
        save(ledger, registry)
    return failed
