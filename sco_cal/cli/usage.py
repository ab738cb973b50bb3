"""Usage errors (an unknown option, a missing argument, a value click refuses) in sco-cal's one error style:
``error: ...`` on one line, then a ``hint: ...`` line where one helps. Imported only when such an error happens."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from typer import _click
from typer._click import exceptions

from sco_cal.cli.app import err_console

__all__ = ["report_usage_error"]

# A suggestion must be close: "--form" for "--format", never "--org" for "--bogus" (click's "--" prefix alone
# makes any two long options look alike).
_CLOSE = 0.75


def report_usage_error(error: _click.ClickException) -> int:
    """Print ``error`` as one line plus an optional hint on stderr; return its exit code (2 for usage)."""
    message, hint = explain(error)
    console = err_console()
    console.print(f"[red]error:[/red] {_escaped(message)}", soft_wrap=True)
    if hint:
        console.print(f"hint: {_escaped(hint)}", soft_wrap=True)
    return error.exit_code


def explain(error: _click.ClickException) -> tuple[str, str | None]:
    """The message and the hint for a click error."""
    context = getattr(error, "ctx", None)
    help_hint = f"'{context.command_path} --help' shows the usage" if context is not None else None
    if isinstance(error, exceptions.NoSuchOption):
        return _no_such_option(error, context)
    if isinstance(error, exceptions.MissingParameter):
        kind = error.param.param_type_name if error.param else error.param_type or "value"
        return f"missing {kind} {_name_of(error.param, error.param_hint)}".rstrip(), help_hint
    if isinstance(error, exceptions.BadParameter):
        name = _name_of(error.param, error.param_hint)
        return (f"{name}: " if name else "") + _sentence(error.message), None
    text = _sentence(error.format_message())
    if text.startswith("no such command"):
        return _no_such_command(text, context)
    extra = re.fullmatch(r"got unexpected extra arguments? ?(?:\(s\))? \((.*)\)", text)
    if extra:
        words = extra.group(1).split()
        return f"unexpected extra argument{'s' if len(words) > 1 else ''}: {extra.group(1)}", help_hint
    return text, help_hint


def _no_such_option(error: exceptions.NoSuchOption, context: _click.Context | None) -> tuple[str, str | None]:
    known = [opt for param in (context.command.params if context else []) for opt in param.opts]
    close = _close_to(error.option_name, known)
    if close:
        return f"no such option {error.option_name}", f"did you mean {' or '.join(close)}?"
    where = f"'{context.command_path} --help'" if context else "'sco-cal --help'"
    return f"no such option {error.option_name}", f"{where} lists the options"


def _no_such_command(text: str, context: _click.Context | None) -> tuple[str, str | None]:
    text = text.split(".")[0]
    word = text.removeprefix("no such command").strip(" '\"")
    commands = sorted(getattr(context.command, "commands", {})) if context else []
    close = _close_to(word, commands)
    if close:
        return text, f"did you mean {' or '.join(close)}?"
    return text, "'sco-cal --help' lists the commands"


def _close_to(word: str, known: Iterable[str]) -> list[str]:
    bare = {name.lstrip("-"): name for name in known if len(name.lstrip("-")) > 1}
    return [bare[match] for match in difflib.get_close_matches(word.lstrip("-"), bare, n=2, cutoff=_CLOSE)]


def _name_of(param: _click.Parameter | None, given_hint: object) -> str:
    if isinstance(given_hint, str):
        return given_hint
    if param is None:
        return ""
    if param.param_type_name == "option":
        return max(param.opts, key=len)
    return (param.metavar or param.name or "").upper()


def _sentence(text: str) -> str:
    """click's "Invalid value." in sco-cal's style: lower-case first word, no full stop, one line."""
    text = " ".join(text.split()).rstrip(".")
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def _escaped(text: str) -> str:
    from rich.markup import escape  # a value may hold "[...]", which rich would read as markup

    return escape(text)
