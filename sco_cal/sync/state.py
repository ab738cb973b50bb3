"""What the last sync with one target left: the collection's URL, its sync-token, the registry's ``uid_domain``,
and per UID the resource's href, the server's ETag, the ``content_hash`` of what was sent and of what the server
holds, and the fingerprint of the events that were sent. One JSON file per registry and target in the user state
folder (the folder is the caller's, as for the reminder ledger), replaced atomically (``storage.atomic_write``);
between two saves, each change is appended to a log beside it (``record``), which ``load`` replays.

The state is a memory, never the truth: a missing file is an empty state, and so is one for another URL or
``uid_domain`` (``State.matching``). That never makes duplicates, because the plan adopts the server's
existing objects by UID (``sco_cal.sync.plan``). A damaged file is one clear error naming it, never a guess.
No password is ever part of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Final

from sco_cal.errors import ScoCalError, StorageError
from sco_cal.storage import atomic_write

__all__ = ["STATE_SCHEMA", "DamagedState", "Item", "State", "file_name", "load", "log_path", "record", "save"]

STATE_SCHEMA: Final = 1
_NAME_RE: Final = re.compile(r"[^A-Za-z0-9_-]+")


class DamagedState(ScoCalError):
    """The sync state file cannot be read as one; nothing was sent or changed."""

    exit_code: ClassVar[int] = 9  # as a damaged reminder ledger: a state file to set aside


@dataclass(frozen=True, slots=True)
class Item:
    """One synced object: where it is on the server, its ETag there (``None``: the server gave none), the
    ``content_hash`` of what was last sent and of what the server was last seen to hold."""

    href: str
    etag: str | None
    sent: str | None
    server: str | None
    key: str | None = None  # the ``Member.fingerprint`` of what was sent: unchanged, it need not be written again

    def to_json(self) -> dict[str, str | None]:
        return {"href": self.href, "etag": self.etag, "sent": self.sent, "server": self.server, "key": self.key}


@dataclass
class State:
    """The state of one target. ``existed``: read from a file (false for a first sync or a lost state)."""

    url: str = ""
    uid_domain: str = ""
    sync_token: str | None = None
    items: dict[str, Item] = field(default_factory=dict)
    existed: bool = False

    def matching(self, url: str, uid_domain: str) -> State:
        """This state if it is of ``url`` and ``uid_domain``, else an empty one for them: what was learnt of
        another collection says nothing of this one (a changed path must not read as everything deleted)."""
        if self.url == url and self.uid_domain == uid_domain:
            return self
        return State(url=url, uid_domain=uid_domain)

    def dumps(self) -> bytes:
        document: dict[str, Any] = {
            "schema": STATE_SCHEMA,
            "url": self.url,
            "uid_domain": self.uid_domain,
            "sync_token": self.sync_token,
            "items": {uid: self.items[uid].to_json() for uid in sorted(self.items)},
        }
        return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def file_name(registry: Path, target: str) -> str:
    """The state's file name in the state folder: one per registry (its resolved path) and target.

    >>> file_name(Path("/srv/events.yaml"), "work")
    'sync-events-work-5e504eb871be5f1f.json'
    """
    digest = hashlib.sha256(f"{registry}\0{target}".encode()).hexdigest()[:16]
    return f"sync-{registry.stem}-{_NAME_RE.sub('-', target)}-{digest}.json"


def _damaged(path: Path, why: str) -> DamagedState:
    return DamagedState(
        f"{path}: the sync state is damaged ({why}); nothing was synced. Move the file away: the next sync "
        "starts afresh and adopts what the server holds by UID, without duplicates"
    )


def load(path: Path) -> State:
    """Read the state at ``path``; a missing file is an empty state with ``existed`` false.

    Raises:
        DamagedState: The file is not JSON, or not a state this version reads.
        StorageError: The file cannot be read (permissions).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return State()
    except OSError as error:
        raise StorageError(f"{path}: cannot read the sync state: {error.strerror or error}") from None
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _damaged(path, f"not JSON: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("items"), dict):
        raise _damaged(path, "no table of items")
    if document.get("schema") != STATE_SCHEMA:
        raise _damaged(path, f"schema {document.get('schema')!r}, this sco-cal reads {STATE_SCHEMA}")
    try:
        state = _state(document)
    except (TypeError, ValueError) as error:
        raise _damaged(path, str(error)) from None
    _replay(state, log_path(path))
    return state


def log_path(path: Path) -> Path:
    """Where the changes since the state file was last written are appended: beside it, ``.log`` added."""
    return path.with_name(path.name + ".log")


def record(path: Path, uid: str, item: Item | None) -> None:
    """Append one change of the state at ``path`` (``None``: the UID is no longer synced) to its log, one JSON
    line: a push of a thousand objects appends a thousand short lines instead of writing the whole state a
    thousand times. ``save`` folds the log into the state file and removes it.

    Raises:
        StorageError: The log cannot be written.
    """
    line = json.dumps({"uid": uid, "item": item.to_json() if item else None}, ensure_ascii=False, sort_keys=True)
    try:
        with log_path(path).open("ab") as log:
            log.write(line.encode("utf-8") + b"\n")
    except OSError as error:
        raise StorageError(f"{log_path(path)}: cannot record the sync: {error.strerror or error}") from None


def _replay(state: State, log: Path) -> None:
    """Apply the logged changes in order; a line a crash cut short (the last one) is no change."""
    try:
        lines = log.read_bytes().splitlines()
    except FileNotFoundError:
        return
    except OSError as error:
        raise StorageError(f"{log}: cannot read the sync log: {error.strerror or error}") from None
    for line in lines:
        try:
            change = json.loads(line)
            uid, item = change["uid"], change["item"]
            fields = [_text(item.get(name), name) for name in ("href", "etag", "sent", "server", "key")] if item else []
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
        if not fields:
            state.items.pop(uid, None)
        elif isinstance(uid, str) and fields[0] is not None:
            state.items[uid] = Item(fields[0], *fields[1:])


def _text(value: object, what: str, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{what} is not text")
    return value


def _state(document: dict[str, Any]) -> State:
    state = State(
        url=_text(document.get("url"), "url", optional=False) or "",
        uid_domain=_text(document.get("uid_domain"), "uid_domain", optional=False) or "",
        sync_token=_text(document.get("sync_token"), "sync_token"),
        existed=True,
    )
    for uid, item in document["items"].items():
        if not isinstance(item, dict):
            raise TypeError(f"item {uid!r} is not an object")
        href = _text(item.get("href"), f"the href of {uid!r}", optional=False)
        assert href is not None
        fields = [_text(item.get(name), f"the {name} of {uid!r}") for name in ("etag", "sent", "server", "key")]
        state.items[uid] = Item(href, *fields)
    return state


def save(state: State, path: Path) -> None:
    """Replace the state file atomically: a crash leaves the old state or the new one.

    Raises:
        StorageError: The folder cannot be made or the file cannot be written.
    """
    try:
        with contextlib.suppress(FileExistsError):
            path.parent.mkdir(parents=True)
    except OSError as error:
        raise StorageError(f"{path.parent}: cannot create the state folder: {error.strerror or error}") from None
    atomic_write(path, state.dumps())
    with contextlib.suppress(FileNotFoundError):  # folded in: a crash before this replays what the file holds
        log_path(path).unlink()
    state.existed = True
