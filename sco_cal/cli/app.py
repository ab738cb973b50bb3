"""The typer application, its one error boundary, and what every command shares: the session (see
``sco_cal.cli.session``), the consoles and the output formats."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

# session is re-exported: every command module takes what it shares from the app.
from sco_cal.cli.session import begin, session
from sco_cal.errors import ScoCalError

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

NARROWEST = 20  # no layout is tried below this many columns

__all__ = [
    "DetailFormat",
    "Format",
    "app",
    "emit",
    "err_console",
    "out_console",
    "output_width",
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


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"sco-cal {version('sco-cal')}")
        raise typer.Exit()


def _show_completion(value: bool) -> None:
    if value:
        from sco_cal.cli.completion import show_script

        show_script(app)
        raise typer.Exit()


def _install_completion(value: bool) -> None:
    if value:
        from sco_cal.cli.completion import install_script

        err_console().print(str(install_script(app)), markup=False, soft_wrap=True)
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
    begin(registry)


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
