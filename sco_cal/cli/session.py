"""What the global options chose for this run (the ``Session``): the registry path, the config file, the
clock, the display zone and the write settings; and ``--registry`` given after the command name.

This is the only place that reads the clock and the environment for the commands. Shell completion builds a
``Session`` of its own from the words on the line, so it needs this module but not the app.
"""

from __future__ import annotations

import functools
import os
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sco_cal.cli.config import Config, load_config
from sco_cal.cli.folders import user_folder
from sco_cal.dates import zone_for
from sco_cal.errors import InvalidInput

if TYPE_CHECKING:
    import typer

    from sco_cal.registry import CacheDir, Registry

__all__ = [
    "COMPLETE_VAR",
    "REGISTRY_META",
    "Session",
    "begin",
    "registry_option_after_the_command",
    "session",
]

DEFAULT_BACKUPS = 3
COMPLETE_VAR = "_SCO_CAL_COMPLETE"  # click's name for the variable the shell sets when it asks for completions
REGISTRY_META = "sco_cal.registry"  # where ``-r`` after the command name leaves its value for completion


class Session:
    """What the global options chose; built lazily so ``--help`` reads no file."""

    def __init__(self, registry_option: Path | None) -> None:  # not a dataclass: that is made on every run
        self.registry_option = registry_option

    @functools.cached_property
    def config(self) -> Config:
        return load_config()

    @property
    def registry_path(self) -> Path:
        """``--registry`` (or ``SCO_CAL_REGISTRY``, which typer folds into it) > config file > default."""
        if self.registry_option is not None:
            return self.registry_option.expanduser()
        if self.config.registry is not None:
            return self.config.registry
        return user_folder("data") / "registry.yaml"

    @property
    def backups(self) -> int:
        """How many earlier versions a save keeps: ``$SCO_CAL_BACKUPS`` > the config's ``backups`` > 3."""
        if "SCO_CAL_BACKUPS" in os.environ:
            text = os.environ["SCO_CAL_BACKUPS"]
            if not text.isdigit():
                raise InvalidInput(f"SCO_CAL_BACKUPS={text!r}: expected a whole number, e.g. 3 (0 for none)")
            return int(text)
        return self.config.backups if self.config.backups is not None else DEFAULT_BACKUPS

    @property
    def lock_timeout(self) -> float:
        """How long a writer waits for another to finish: ``$SCO_CAL_LOCK_TIMEOUT`` seconds, else 10."""
        text = os.environ.get("SCO_CAL_LOCK_TIMEOUT", "10")
        try:
            return max(float(text), 0.0)
        except ValueError:
            raise InvalidInput(f"SCO_CAL_LOCK_TIMEOUT={text!r}: expected seconds, e.g. 10") from None

    def write_options(self) -> dict[str, Any]:
        """What every command that saves passes to ``registry.editing``."""
        return {"backups": self.backups, "lock_timeout": self.lock_timeout, "cache_dir": self.cache_dir}

    @functools.cached_property
    def cache_dir(self) -> CacheDir:
        """Where the index of big registries is kept: ``$SCO_CAL_CACHE`` (``off`` for none), else the user's
        cache folder, looked up only when a registry is big enough to need it. The index is derived from the
        registry and safe to delete."""
        setting = os.environ.get("SCO_CAL_CACHE", "")
        if setting.lower() in ("off", "0", "no", "false"):
            return None
        if setting:
            return Path(setting).expanduser()
        return _user_cache_folder

    def registry(self) -> Registry:
        """The registry for a command that only reads it (through the index when it is fresh)."""
        from sco_cal.registry import load

        return load(self.registry_path, cache_dir=self.cache_dir)

    def display_zone(self, registry_zone: str) -> str:
        """The zone dates are shown and windows are read in: the config's, else the registry's; never $TZ."""
        return self.config.timezone or registry_zone

    def now(self) -> datetime:
        return datetime.now().astimezone()

    def today(self, zone: str) -> date:
        return datetime.now(zone_for(zone)).date()


def _user_cache_folder() -> Path:
    return user_folder("cache")


_SESSION: Session | None = None


def begin(registry_option: Path | None) -> None:
    """Start this run's session; the app's callback calls it before every command."""
    global _SESSION
    _SESSION = Session(registry_option)


def session() -> Session:
    assert _SESSION is not None, "the app callback runs before every command"
    return _SESSION


def registry_option_after_the_command() -> typer.core.TyperOption:
    """``--registry`` for a command itself, so ``sco-cal list -r FILE`` works as ``sco-cal -r FILE list`` does."""
    from typer.core import TyperOption

    def remember(context: typer.Context, _: object, value: str | None) -> None:
        if value is not None:
            context.meta[REGISTRY_META] = value
            if _SESSION is not None:  # None while the shell completes: nothing runs then
                _SESSION.registry_option = Path(value)

    return TyperOption(
        param_decls=["--registry", "-r"],
        metavar="PATH",
        expose_value=False,
        callback=remember,
        help="Registry file or folder, as before the command name.",
    )
