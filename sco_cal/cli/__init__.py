"""The ``sco-cal`` command: typer commands over the core, plus the last-resort handler for bugs."""

from __future__ import annotations

import io
import os
import sys

from sco_cal.cli import edit_commands, ics_commands, query_commands, remind_commands  # noqa: F401  # registers them
from sco_cal.cli.app import app

__all__ = ["app", "main"]

EXIT_BUG = 70  # EX_SOFTWARE: an internal error, distinct from every input error


def main() -> None:
    """Run the app; a bug prints a few lines and a hint, never a 20-line traceback into a cron mail."""
    for stream in (sys.stdout, sys.stderr):
        # Under LANG=C or PYTHONIOENCODING=ascii a title in Cyrillic must not crash the run: escape it instead.
        if isinstance(stream, io.TextIOWrapper) and not (stream.encoding or "").lower().startswith("utf"):
            stream.reconfigure(errors="backslashreplace")
    try:
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
