"""Shell completion for bash, zsh and fish: the scripts, and the answers to them (commands, options, and the
registry's own ids, organisations, tags and series, and zone names).

Imported only when the shell asks (``_SCO_CAL_COMPLETE`` is set) or a completion option is given, so an
ordinary run pays nothing for it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from shlex import quote
from typing import TYPE_CHECKING

import typer
from typer import _click
from typer import main as typer_main
from typer._click.shell_completion import CompletionItem, ShellComplete, get_completion_class

from sco_cal.cli.session import COMPLETE_VAR, REGISTRY_META, Session, registry_option_after_the_command
from sco_cal.errors import InvalidInput, StorageError

if TYPE_CHECKING:
    from sco_cal.model import Event

__all__ = ["Installed", "complete", "install_script", "script_for", "show_script"]

PROG = "sco-cal"
SHELLS = ("bash", "zsh", "fish")
_ACTIONS = ("complete", "source")

Values = Callable[[_click.Context], list[str]]


def complete(instruction: str, app: typer.Typer) -> int:
    """Answer the shell about ``app`` (every command registered): ``bash_complete`` (click's order) or
    ``complete_bash`` (the scripts'), or a ``_source``."""
    first, _, second = instruction.partition("_")
    action, shell = (first, second) if first in _ACTIONS else (second, first)
    completer = _completer(shell, app)
    if completer is None or action not in _ACTIONS:
        print(f"error: {COMPLETE_VAR}={instruction}: expected SHELL_complete or SHELL_source, SHELL one of "
              f"{', '.join(SHELLS)}")  # fmt: skip
        return 2
    answer = completer.complete() if action == "complete" else completer.source()
    if answer:
        print(answer)
    return 0


def script_for(shell: str, app: typer.Typer) -> str:
    completer = _completer(shell, app)
    if completer is None:
        raise InvalidInput(f"no completion for the shell {shell!r}; sco-cal completes in {', '.join(SHELLS)}")
    return completer.source()


def show_script(app: typer.Typer) -> None:
    print(script_for(_user_shell(), app))


@dataclass(frozen=True)
class Installed:
    """Where the script went, and the line that makes the shell load it (in ``rc_file``), if one is needed."""

    script: Path
    rc_file: Path | None = None
    line: str = ""
    added: bool = False  # False: the rc file held the line already

    def __str__(self) -> str:
        said = f"installed completion in {self.script}"
        if self.rc_file is not None:
            done = f"added the line {self.line!r} to" if self.added else "the line loading it is already in"
            said += f"; {done} {self.rc_file}"
        return f"{said}; it works in new shells"


def install_script(app: typer.Typer) -> Installed:
    """Write the script where the user's shell loads it, and make sure the shell does load it."""
    shell = _user_shell()
    script = script_for(shell, app)
    home = Path.home()
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    target = {
        "bash": data / "bash-completion" / "completions" / PROG,  # bash-completion loads it by command name
        "zsh": data / PROG / "completion.zsh",
        "fish": config / "fish" / "completions" / f"{PROG}.fish",
    }[shell]
    try:
        return _install(shell, script, target, home)
    except OSError as error:
        raise StorageError(f"{error.filename}: cannot install completion: {error.strerror}") from None


def _install(shell: str, script: str, target: Path, home: Path) -> Installed:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(script + "\n", encoding="utf-8")
    if shell == "fish":  # fish loads its completions folder by itself
        return Installed(target)
    # bash without the bash-completion package reads only ~/.bashrc; the guard keeps a removed script harmless
    line = f"source {target}" if shell == "zsh" else f"[ -r {quote(str(target))} ] && . {quote(str(target))}"
    rc_file = home / (".zshrc" if shell == "zsh" else ".bashrc")
    return Installed(target, rc_file, line, _add_line(rc_file, line))


def _add_line(rc_file: Path, line: str) -> bool:
    text = rc_file.read_text(encoding="utf-8") if rc_file.exists() else ""
    if line in text.splitlines():
        return False
    rc_file.write_text(text + ("" if text.endswith("\n") or not text else "\n") + line + "\n", encoding="utf-8")
    return True


def _user_shell() -> str:
    shell = Path(os.environ.get("SHELL", "")).name
    if shell not in SHELLS:
        raise InvalidInput(f"SHELL={shell or '(unset)'}: sco-cal completes in {', '.join(SHELLS)}; "
                           f"set SHELL, e.g. SHELL=bash sco-cal --show-completion")  # fmt: skip
    return shell


def _completer(shell: str, app: typer.Typer) -> ShellComplete | None:
    from typer._completion_classes import completion_init

    completion_init()
    kind = get_completion_class(shell) if shell in SHELLS else None
    return kind(_command_tree(app), {}, PROG, COMPLETE_VAR) if kind else None


def _command_tree(app: typer.Typer) -> _click.Command:
    group = typer_main.get_command(app)
    for command in getattr(group, "commands", {}).values():
        command.params.append(registry_option_after_the_command())
        for param in command.params:
            values = _values_for(param)
            if values is not None:
                param._custom_shell_complete = _offering(values)  # click's own hook for this
    return group


def _values_for(param: _click.Parameter) -> Values | None:
    names = set(param.opts)
    if names & {"--org", "-o"} and "--output" not in names:
        return lambda context: sorted({org for event in _events(context) for org in event.orgs})
    if "--tag" in names:
        return lambda context: sorted({tag for event in _events(context) for tag in event.tags})
    if "--series" in names:
        return lambda context: sorted({event.series for event in _events(context) if event.series})
    if names & {"--related"} or param.name == "event_id":
        return lambda context: [event.id for event in _events(context)]
    if names & {"--venue-tz", "--timezone"}:
        return lambda _: _zones()
    return None


def _offering(values: Values) -> Callable[[_click.Context, _click.Parameter, str], list[CompletionItem]]:
    def offer(context: _click.Context, _: _click.Parameter, incomplete: str) -> list[CompletionItem]:
        try:
            found = values(context)
        except Exception:  # noqa: BLE001  # a missing or broken registry offers nothing; it must not spill into the shell
            return []
        return [CompletionItem(value) for value in found if value.startswith(incomplete)]

    return offer


def _events(context: _click.Context) -> list[Event]:
    chosen = context.meta.get(REGISTRY_META) or context.find_root().params.get("registry")
    return list(Session(Path(chosen) if chosen else None).registry().events)


def _zones() -> list[str]:
    from zoneinfo import available_timezones

    return sorted(zone for zone in available_timezones() if "/" in zone or zone == "UTC")
