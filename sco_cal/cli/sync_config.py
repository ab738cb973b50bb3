"""The ``[sync.NAME]`` tables of the config file: the CalDAV collections a registry syncs with.

    [sync.team]
    url = "https://cloud.example.org/remote.php/dav/calendars/analyst/sco/"
    username = "analyst"
    password_command = ["pass", "dav/team"]   # else $SCO_CAL_DAV_PASSWORD
    org = ["SCO", "CSTO"]                     # optional: share only these events (as `export --org`)

No password is ever read from the file: a URL with credentials in it is refused, and so is a ``password`` key.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TypeVar
from urllib.parse import urlsplit

from sco_cal.errors import InvalidInput
from sco_cal.model import Kind, Status

__all__ = ["ACTIONS", "SyncSettings", "sync_settings"]

ACTIONS: Final = ("status", "pull", "push")  # the words after `sync`: never a target's name
_FILTERS: Final = ("org", "kind", "status", "tag", "series")
_Choice = TypeVar("_Choice", Kind, Status)
_KEYS: Final = ("url", "username", "password_command", "timeout", *_FILTERS)


@dataclass(frozen=True)
class SyncSettings:
    name: str
    url: str
    username: str
    password_command: tuple[str, ...] = ()
    timeout: int = 30
    orgs: tuple[str, ...] = ()
    kinds: tuple[Kind, ...] = ()
    statuses: tuple[Status, ...] = ()
    tags: tuple[str, ...] = ()
    series: tuple[str, ...] = ()


def sync_settings(path: Path, tables: object) -> dict[str, SyncSettings]:
    """Every ``[sync.NAME]`` table, checked: one clear error naming the file, the table and the key."""
    if not isinstance(tables, dict) or not all(isinstance(table, dict) for table in tables.values()):
        raise InvalidInput(
            f'{path}: [sync]: expected one table per target, named: [sync.team] with url = "https://..."'
        )
    return {name: _one(path, name, table) for name, table in tables.items()}


def _one(path: Path, name: str, table: object) -> SyncSettings:
    where = f"{path}: [sync.{name}]"
    if name in ACTIONS:
        raise InvalidInput(f"{where}: {name!r} is a word of the sync command; give the target another name")
    if not isinstance(table, dict):
        raise InvalidInput(f'{where}: expected a table with url = "https://..." and username = "..."')
    if "password" in table:
        raise InvalidInput(f"{where}: a password is never kept in the config; use password_command or "
                           "$SCO_CAL_DAV_PASSWORD")  # fmt: skip
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise InvalidInput(f"{where}: unknown key {unknown[0]!r}; the keys are {', '.join(_KEYS)}")
    return SyncSettings(
        name=name,
        url=_url(where, table.get("url")),
        username=_text(where, "username", table.get("username")),
        password_command=_command(where, table.get("password_command")),
        timeout=_timeout(where, table.get("timeout", 30)),
        orgs=_words(where, "org", table.get("org")),
        kinds=tuple(_choice(where, "kind", word, Kind) for word in _words(where, "kind", table.get("kind"))),
        statuses=tuple(_choice(where, "status", word, Status) for word in _words(where, "status", table.get("status"))),
        tags=_words(where, "tag", table.get("tag")),
        series=_words(where, "series", table.get("series")),
    )


_EXAMPLES: Final = {"url": '"https://cloud.example.org/remote.php/dav/calendars/analyst/sco/"', "username": '"analyst"'}


def _text(where: str, key: str, value: object) -> str:
    if value is None:
        raise InvalidInput(f"{where}: {key} is missing: add {key} = {_EXAMPLES[key]}")
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{where}: {key}: expected text in quotes, e.g. {key} = {_EXAMPLES[key]}")
    return value


def _url(where: str, value: object) -> str:
    url = _text(where, "url", value)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"{where}: url: expected the calendar's http(s) address, e.g. "
                           '"https://cloud.example.org/remote.php/dav/calendars/analyst/sco/"')  # fmt: skip
    if parts.username or parts.password:
        raise InvalidInput(f"{where}: url: no user name or password in the URL; use username and password_command")
    return url if url.endswith("/") else url + "/"


def _command(where: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = shlex.split(value)
    if not isinstance(value, list) or not value or not all(isinstance(part, str) for part in value):
        raise InvalidInput(f'{where}: password_command: expected a command as a list, e.g. ["pass", "dav/team"]')
    return tuple(value)


def _timeout(where: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 600:
        raise InvalidInput(f"{where}: timeout: expected seconds from 1 to 600, e.g. 30")
    return value


def _words(where: str, key: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(word, str) and word.strip() for word in value):
        raise InvalidInput(f'{where}: {key}: expected a list of names in quotes, e.g. {key} = ["SCO"]')
    return tuple(value)


def _choice(where: str, key: str, word: str, kind: type[_Choice]) -> _Choice:
    try:
        return kind(word.lower())
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise InvalidInput(f"{where}: {key}: {word!r} is not one of {choices}") from None
