"""The ``sco-cal`` command line: typer commands that parse options, call one service (or core function) and
render; the one error boundary; the last-resort handler for bugs.

Exports ``main`` (the entry point), ``app`` and ``commands()`` (the app with its commands registered). The
commands live in the ``*_commands`` modules, each imported only when one of its commands runs (``COMMAND_MODULES``);
``app`` and ``session`` hold what they share, ``options`` the filters of the reading commands; ``completion`` and
``usage`` are loaded only when the shell asks or a usage error happens.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import io
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Final, NoReturn

from typer import main as typer_main
from typer.main import get_command_name

from sco_cal.cli.app import app
from sco_cal.cli.session import COMPLETE_VAR, registry_option_after_the_command
from sco_cal.errors import ScoCalError

if TYPE_CHECKING:
    import typer
    from typer.models import CommandInfo

__all__ = ["COMMAND_MODULES", "app", "commands", "main"]

EXIT_BUG = 70  # EX_SOFTWARE: an internal error, distinct from every input error
EXIT_IO = 74  # EX_IOERR, as for any file sco-cal cannot write
_DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})
_GLOBAL_OPTIONS_WITH_VALUE = frozenset({"--registry", "-r"})

# The module that registers each command, in the order the overview (``sco-cal --help``) lists them. A run
# imports only the one it needs, since the others' imports would slow every cron run; a test checks this table
# against what the modules register.
COMMAND_MODULES: Final = {
    "init": "registry_commands",
    **dict.fromkeys(("add", "edit"), "edit_commands"),
    **dict.fromkeys(("remove", "show", "validate", "undo"), "registry_commands"),
    **dict.fromkeys(("export", "import"), "ics_commands"),
    **dict.fromkeys(("list", "upcoming"), "query_commands"),
    **dict.fromkeys(("remind", "agenda", "calendar", "review"), "remind_commands"),
    "sync": "sync_commands",
    "extract": "extract_commands",
    **dict.fromkeys(("timeline", "publish"), "timeline_commands"),
}
_POSITION: Final = {name: place for place, name in enumerate(COMMAND_MODULES)}


def commands(word: str | None = None) -> typer.Typer:
    """The app with the command ``word`` registered, or with every command when ``word`` names none."""
    module = COMMAND_MODULES.get(word or "")
    for name in [module] if module else sorted(set(COMMAND_MODULES.values())):
        importlib.import_module(f"sco_cal.cli.{name}")
    # modules register in the order they are imported; the overview keeps the table's order
    app.registered_commands.sort(key=lambda command: _POSITION.get(_name_of(command), len(_POSITION)))
    return app


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
    """Import and register only the command being run while it runs.

    typer turns every registered command's signature into click options on every run, a cost paid per command;
    a cron job every few minutes needs one command. Without a known command word (``sco-cal --help``, a typo)
    all of them are there, so the overview and click's "No such command" list are whole.
    """
    word = _command_word(argv)
    registered = commands(word).registered_commands
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
        _run()
    except SystemExit as leaving:
        _leave(leaving.code)
    _leave(0)


def _run() -> None:
    try:
        if COMPLETE_VAR in os.environ:  # the shell asks what may follow; only then is completion's code imported
            from sco_cal.cli.completion import complete

            sys.exit(complete(os.environ[COMPLETE_VAR], commands()))
        with _only_the_named_command(sys.argv[1:]):
            _invoke(sys.argv[1:])
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        _reader_gone()
    except Exception as error:
        if isinstance(error, OSError) and error.errno in _DISK_FULL:
            _output_failed(error)  # our own files' errors arrive as StorageError: this one is the output's
        if os.environ.get("SCO_CAL_DEBUG"):
            raise
        print(
            f"error: internal error: {type(error).__name__}: {error}\n"
            "hint: this is a bug in sco-cal; please report it with the command you ran "
            "(SCO_CAL_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        sys.exit(EXIT_BUG)


def _invoke(args: list[str]) -> None:
    """Parse and run as click's ``main`` would, but let a closed pipe and a usage error reach our own handlers:
    click turns a closed pipe into exit 1, and prints usage errors in a box of its own."""
    import typer
    from typer import _click

    group = typer_main.get_command(app)
    for command in getattr(group, "commands", {}).values():
        command.params.append(registry_option_after_the_command())
    try:
        with group.make_context("sco-cal", args) as context:
            group.invoke(context)
    except typer.Exit as leaving:
        sys.exit(leaving.exit_code)
    except _click.exceptions.NoArgsIsHelpError as bare:
        print(bare.ctx.get_help())  # "sco-cal" alone: the overview, as a person typing it wants
        sys.exit(bare.exit_code)
    except _click.ClickException as error:
        from sco_cal.cli.usage import report_usage_error

        sys.exit(report_usage_error(error))
    except typer.Abort:  # "no" to a question (remove without --yes): nothing was done
        print("error: aborted; nothing was changed", file=sys.stderr)
        sys.exit(1)
    except ScoCalError as error:  # from an option's own callback (--show-completion), outside any command
        print(f"error: {error}", file=sys.stderr)
        sys.exit(error.exit_code)


def _output_failed(error: OSError) -> NoReturn:
    # a full disk under "> file": the output is incomplete, and the exit must say so
    print(f"error: could not write the output: {error.strerror or error}", file=sys.stderr)
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(EXIT_IO)  # the unwritten rest of the output must not be tried again at exit


def _reader_gone() -> NoReturn:
    # the reader (head, less) went away: it has all it wanted, so this is no error, and there is no one to tell
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    os._exit(0)


def _leave(code: object) -> NoReturn:
    """Exit with ``code`` as ``sys.exit`` would, but without the interpreter's teardown.

    Freeing every module and object one at a time is a noticeable part of a short run; the operating system
    takes the memory back at once. Every file sco-cal writes is closed (and synced) by the time a command
    returns, so only the standard streams are left to flush. Under coverage, which reports at exit, the exit is
    the ordinary one.
    """
    if code is None or isinstance(code, int):
        status = code or 0
    else:
        print(code, file=sys.stderr)
        status = 1
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _reader_gone()
    except OSError as error:
        _output_failed(error)
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    if "coverage" in sys.modules:
        sys.exit(status)
    os._exit(status)
