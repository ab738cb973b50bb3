"""The ``sco-cal`` command: typer commands over the core, plus the last-resort handler for bugs."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from typer.main import get_command_name

from sco_cal.cli import edit_commands, ics_commands, query_commands, remind_commands  # noqa: F401  # registers them
from sco_cal.cli.app import app

if TYPE_CHECKING:
    from typer.models import CommandInfo

__all__ = ["app", "main"]

EXIT_BUG = 70  # EX_SOFTWARE: an internal error, distinct from every input error
_GLOBAL_OPTIONS_WITH_VALUE = frozenset({"--registry", "-r"})


def _command_word(argv: list[str]) -> str | None:
    """The subcommand the command line names, found as click finds it: the first word that is neither an
    option of the app itself nor that option's value."""
    words = iter(argv)
    for word in words:
        if word == "--":
            return next(words, None)
        if word in _GLOBAL_OPTIONS_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


@contextlib.contextmanager
def _only_the_named_command(argv: list[str]) -> Iterator[None]:
    """Register only the command being run while it runs.

    typer turns every registered command's signature into click options on every run, about 1 ms a command;
    a cron job every few minutes needs one command. Without a known command word (``sco-cal --help``, a typo)
    all of them stay, so the overview and click's "No such command" list are whole.
    """
    registered = app.registered_commands
    word = _command_word(argv)
    chosen = [c for c in registered if word is not None and _name_of(c) == word]
    app.registered_commands = chosen or registered
    try:
        yield
    finally:
        app.registered_commands = registered


def _name_of(command: CommandInfo) -> str:
    if command.name:
        return command.name
    assert command.callback is not None
    return get_command_name(command.callback.__name__)


def main() -> None:
    """Run the app; a bug prints a few lines and a hint, never a 20-line traceback into a cron mail."""
    for stream in (sys.stdout, sys.stderr):
        # Under LANG=C or PYTHONIOENCODING=ascii a title in Cyrillic must not crash the run: escape it instead.
        if isinstance(stream, io.TextIOWrapper) and not (stream.encoding or "").lower().startswith("utf"):
            stream.reconfigure(errors="backslashreplace")
    try:
        with _only_the_named_command(sys.argv[1:]):
            app(prog_name="sco-cal")
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        # the reader (head, less) went away: not an error of ours, and nothing more to say to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(141)
    except Exception as error:
        if os.environ.get("SCO_CAL_DEBUG"):
            raise
        print(
            f"sco-cal: internal error: {type(error).__name__}: {error}\n"
            "This is a bug in sco-cal. Please report it with the command you ran;\n"
            "set SCO_CAL_DEBUG=1 to see the full traceback.",
            file=sys.stderr,
        )
        sys.exit(EXIT_BUG)
