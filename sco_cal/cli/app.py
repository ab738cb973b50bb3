"""The typer application, its one error boundary, and what every command shares: the registry path,
the clock, the display zone, the consoles and the output formats.

This is the only place that reads the clock, the environment and the command line.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer

from sco_cal.cli.config import Config, load_config
from sco_cal.cli.folders import user_folder
from sco_cal.dates import zone_for
from sco_cal.errors import InvalidInput, ScoCalError

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from sco_cal.registry import CacheDir, Registry

DEFAULT_BACKUPS = 3
COMPLETE_VAR = "_SCO_CAL_COMPLETE"  # click's name for the variable the shell sets when it asks for completions
REGISTRY_META = "sco_cal.registry"  # where ``-r`` after the command name leaves its value for completion
NARROWEST = 20  # no layout is tried below this many columns

__all__ = [
    "COMPLETE_VAR",
    "DetailFormat",
    "Format",
    "Session",
    "app",
    "emit",
    "err_console",
    "out_console",
    "output_width",
    "registry_option_after_the_command",
    "session",
    "user_errors",
]

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="sco-cal",
    help="A calendar and reminder registry for events whose dates are only partly known.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help, as click prints it: it fits any width, and a closed pipe reaches main()
    context_settings={"help_option_names": ["-h", "--help"]},
)


def output_width() -> int:
    """The width to lay tables out in: the terminal's, or ``$COLUMNS`` (else 120) when output goes elsewhere."""
    if sys.stdout.isatty():
        return max(shutil.get_terminal_size().columns, NARROWEST)
    try:
        return max(int(os.environ.get("COLUMNS", "120")), NARROWEST)
    except ValueError:
        return 120


def _console(stderr: bool) -> Console:
    from rich.console import Console  # a JSON or CSV run never needs rich

    class QuietOnClosedPipe(Console):
        def on_broken_pipe(self) -> None:
            # rich would exit 1; the reader (head, less) took what it wanted, which main() treats as success
            raise BrokenPipeError

    # rich already drops colour off a TTY and honours NO_COLOR; a pipe gets a table as wide as $COLUMNS
    width = None if (sys.stderr if stderr else sys.stdout).isatty() else output_width()
    return QuietOnClosedPipe(stderr=stderr, highlight=False, width=width)


@functools.cache
def out_console() -> Console:
    return _console(stderr=False)


@functools.cache
def err_console() -> Console:
    return _console(stderr=True)


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    YAML = "yaml"


class DetailFormat(StrEnum):
    """The forms of one event's details: a CSV of one row has no use, so it is not offered."""

    TABLE = "table"
    JSON = "json"
    YAML = "yaml"


@dataclass
class Session:
    """What the global options chose; built lazily so ``--help`` reads no file."""

    registry_option: Path | None

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


def session() -> Session:
    assert _SESSION is not None, "the app callback runs before every command"
    return _SESSION


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"sco-cal {version('sco-cal')}")
        raise typer.Exit()


def _show_completion(value: bool) -> None:
    if value:
        from sco_cal.cli.completion import show_script

        show_script()
        raise typer.Exit()


def _install_completion(value: bool) -> None:
    if value:
        from sco_cal.cli.completion import install_script

        err_console().print(str(install_script()), markup=False, soft_wrap=True)
        raise typer.Exit()


@app.callback()
def main_options(
    registry: Annotated[
        Path | None,
        typer.Option(
            "--registry",
            "-r",
            envvar="SCO_CAL_REGISTRY",
            help="Registry file or folder. Default: the config file's, else the user data folder's.",
            show_default=False,
            readable=False,  # an unreadable registry is an I/O error (exit 74), said by the command that reads it
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    show_completion: Annotated[
        bool,
        typer.Option(
            "--show-completion",
            callback=_show_completion,
            is_eager=True,
            help="Print the completion script for $SHELL.",
        ),
    ] = False,
    install_completion: Annotated[
        bool,
        typer.Option(
            "--install-completion",
            callback=_install_completion,
            is_eager=True,
            help="Install completion for $SHELL (bash, zsh or fish).",
        ),
    ] = False,
) -> None:
    """Track the meetings and planned events of international organisations, at the precision sources give."""
    global _SESSION
    _SESSION = Session(registry)


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


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """The one error boundary: our own errors become one line on stderr and their exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ScoCalError as error:
            from rich.markup import escape  # messages may hold "[...]", which rich would read as markup

            err_console().print(f"[red]error:[/red] {escape(str(error))}", soft_wrap=True)
            raise typer.Exit(error.exit_code) from None

    return wrapper


def emit(renderable: Callable[[], RenderableType], document: Callable[[], object], fmt: Format | DetailFormat) -> None:
    """Print a table on the terminal, or the same data as JSON or YAML for scripts."""
    if fmt == Format.TABLE and sys.stdout.isatty():
        out_console().print(renderable())
    elif fmt == Format.TABLE:  # a grid pads its cells to the width: into a file or pipe, no trailing blanks
        console = out_console()
        with console.capture() as captured:
            console.print(renderable())
        sys.stdout.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))
    elif fmt == Format.JSON:
        import json

        sys.stdout.write(json.dumps(document(), ensure_ascii=False, indent=2) + "\n")
    elif fmt == Format.YAML:
        import yaml

        sys.stdout.write(yaml.safe_dump(document(), sort_keys=False, allow_unicode=True, width=100))
    else:
        raise typer.BadParameter("this command has no CSV form", param_hint="--format")
