"""The user's folders for sco-cal's config, data (the default registry), state (the reminder ledger) and cache.

On Linux and the BSDs they follow the XDG Base Directory rule, which is read here directly: platformdirs gives the
same answer (a test holds the two together) but is a noticeable share of a cron run's start-up to import.
Elsewhere (macOS, Windows, Android), and when HOME is unusable, platformdirs decides.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Final, Literal

__all__ = ["Kind", "user_folder"]

APP: Final = "sco-cal"
Kind = Literal["config", "data", "state", "cache"]

_XDG: Final[dict[str, tuple[str, str]]] = {
    "config": ("XDG_CONFIG_HOME", ".config"),
    "data": ("XDG_DATA_HOME", ".local/share"),
    "state": ("XDG_STATE_HOME", ".local/state"),
    "cache": ("XDG_CACHE_HOME", ".cache"),
}
_XDG_PLATFORMS: Final = ("linux", "freebsd", "openbsd", "netbsd", "dragonfly")


def user_folder(kind: Kind) -> Path:
    """sco-cal's folder of this kind for the current user; nothing is created."""
    if sys.platform.startswith(_XDG_PLATFORMS) and "ANDROID_DATA" not in os.environ:
        variable, default = _XDG[kind]
        # the spec ignores a relative path in the variable, and so does platformdirs
        if os.path.isabs(base := os.environ.get(variable, "")):
            return Path(base, APP)
        if os.path.isabs(home := os.environ.get("HOME", "")):
            return Path(home, default, APP)
    import platformdirs

    chosen: Path = getattr(platformdirs, f"user_{kind}_path")(APP)
    return chosen
