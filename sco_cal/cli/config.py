"""The user's configuration file, read only by the CLI: default registry, display zone, reminder defaults.

It lives in the platform's config folder (``~/.config/sco-cal/config.toml`` on Linux), or where
``SCO_CAL_CONFIG`` points. A missing file is fine; a broken one is an error naming the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sco_cal.cli.folders import user_folder
from sco_cal.dates import zone_for
from sco_cal.errors import InvalidInput

if TYPE_CHECKING:
    from sco_cal.cli.sync_config import SyncSettings

__all__ = ["Config", "config_path", "load_config"]

_KEYS = ("registry", "timezone", "reminders", "backups", "sync")


@dataclass(frozen=True)
class Config:
    path: Path
    registry: Path | None = None
    timezone: str | None = None
    reminders: dict[str, list[str]] = field(default_factory=dict)
    backups: int | None = None
    sync: dict[str, SyncSettings] = field(default_factory=dict)


def config_path() -> Path:
    if "SCO_CAL_CONFIG" in os.environ:
        return Path(os.environ["SCO_CAL_CONFIG"])
    return user_folder("config") / "config.toml"


def load_config() -> Config:
    path = config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path)
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path}: cannot read the config file: {error}") from None
    import tomllib  # only when there is a file: most runs have none, and need not load the parser

    try:
        raw: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{path}: not valid TOML: {error}") from None
    unknown = sorted(set(raw) - set(_KEYS))
    if unknown:
        raise InvalidInput(f"{path}: unknown setting {unknown[0]!r}; the settings are {', '.join(_KEYS)}")
    registry = raw.get("registry")
    timezone = raw.get("timezone")
    reminders = raw.get("reminders", {})
    if registry is not None and not isinstance(registry, str):
        raise InvalidInput(f"{path}: registry: expected a path in quotes")
    if timezone is not None:
        if not isinstance(timezone, str):
            raise InvalidInput(f'{path}: timezone: expected a zone name in quotes, e.g. "Europe/Moscow"')
        try:
            zone_for(timezone)
        except InvalidInput as error:
            raise InvalidInput(f"{path}: timezone: {error}") from None
    if not isinstance(reminders, dict) or not all(
        isinstance(v, list) and all(isinstance(i, str) for i in v) for v in reminders.values()
    ):
        raise InvalidInput(f'{path}: reminders: expected a table of kind = ["7d", "1d"]')
    backups = raw.get("backups")
    if backups is not None and (not isinstance(backups, int) or isinstance(backups, bool) or backups < 0):
        raise InvalidInput(f"{path}: backups: expected how many earlier versions to keep, e.g. 3 (0 for none)")
    sync = {}
    if "sync" in raw:  # the sync tables' checks only for a config that has them
        from sco_cal.cli.sync_config import sync_settings

        sync = sync_settings(path, raw["sync"])
    return Config(path, Path(registry).expanduser() if registry else None, timezone, reminders, backups, sync)
