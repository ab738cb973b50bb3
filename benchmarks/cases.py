"""The benchmark cases, one line each: what to run, on which data, and what must hold afterwards.

A case's ``argv`` gets a ``Ctx`` (the tools found, the data set of this size, a scratch folder) and returns the
command line. ``prepare`` runs before every timed run and is not timed (a fresh copy of a registry to edit, an
emptied khal cache); ``verify`` runs after it and returns a problem, or ``None`` when all is well.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from generate import REFERENCE_NOW, DataSet

__all__ = ["CASES", "Case", "CaseError", "Ctx", "Tools"]

NOW: Final = REFERENCE_NOW.isoformat()
EXAMPLE: Final = Path(__file__).resolve().parent.parent / "examples" / "sco-defence.yaml"
EDIT_SIZE: Final = 10_000  # add and edit work on a copy of this registry, whatever --sizes says
_INLINE_COMMENT_RE: Final = re.compile(r"\s{2,}# ")  # two spaces: a title such as "Seminar #8" is not a comment


class CaseError(Exception):
    """A case could not be set up or checked; the message goes into the table."""


@dataclass
class Tools:
    """Where each program is; ``None`` when it is not installed. ``helps`` caches ``sco-cal CMD --help``."""

    sco_cal: Path
    python: Path  # the interpreter sco-cal runs on; it runs the typer baseline too
    baseline: Path
    calcurse: str | None
    remind: str | None
    khal: str | None
    env: dict[str, str]
    helps: dict[str, str | None] = field(default_factory=dict)

    def installed(self, program: str) -> bool:
        return program in ("sco-cal", "baseline", "icalendar") or getattr(self, program) is not None

    def command_help(self, command: str) -> str | None:
        """The help text of a sco-cal command, or ``None`` when this sco-cal has no such command."""
        if command not in self.helps:
            done = subprocess.run(
                [str(self.sco_cal), command, "--help"], capture_output=True, text=True, env=self.env, check=False
            )
            self.helps[command] = done.stdout if done.returncode == 0 else None
        return self.helps[command]


@dataclass(frozen=True)
class Ctx:
    """What one case at one size runs with. ``work`` is fresh for each case and size."""

    tools: Tools
    data: DataSet | None
    work: Path
    timeout: float
    side: str = "after"  # "before" for the --baseline executable's runs, which get a work folder of their own

    @property
    def stdout(self) -> Path:
        return self.work / "stdout.txt"

    @property
    def copy(self) -> Path:
        """The registry copy that add and edit change."""
        return self.work / "registry.yaml"

    def sco(self, *args: str, registry: Path | None = None) -> list[str]:
        """``sco-cal -r REGISTRY ARGS``; the registry is this size's unless another is given."""
        path = registry or self.dataset.registry
        return [str(self.tools.sco_cal), "-r", str(path), *args]

    @property
    def dataset(self) -> DataSet:
        assert self.data is not None, "only sized cases use the data set"
        return self.data


@dataclass(frozen=True)
class Case:
    task: str
    tags: tuple[str, ...]  # what --only selects on
    argv: Callable[[Ctx], list[str]]
    program: str = "sco-cal"  # sco-cal, baseline, calcurse, remind, khal or icalendar
    sized: bool = True  # False: once, with no data set
    fixed_size: int | None = None  # run at this size only
    min_size: int = 0  # skip the sizes below this one
    needs: str | None = None  # a sco-cal command that may not exist yet
    requires: str | None = None  # another program the case runs untimed, looked up on PATH (git)
    prepare: Callable[[Ctx], None] | None = None
    verify: Callable[[Ctx], str | None] | None = None
    compare: tuple[str, ...] = ()  # rows of one group and size get ratio columns against each other
    note: Callable[[Ctx], str] | None = None
    first_line: bool = False  # also time the first line of output, read through a pipe


# --- add and edit: a fresh copy per run, and every comment still there afterwards ------------------------


def _fresh_copy(ctx: Ctx) -> None:
    """A new copy, read once (untimed) as a user's registry is read between two edits: that builds its index."""
    shutil.copyfile(ctx.dataset.registry, ctx.copy)
    _untimed(ctx, ctx.sco("upcoming", "--from", NOW, "--days", "1", registry=ctx.copy))


def warm_once(*args: str) -> Callable[[Ctx], None]:
    """A prepare step: ``sco-cal ARGS`` once, untimed, before the first timed run, so "unchanged" rows find what
    sco-cal keeps between runs built even when the cache folder is new (--baseline gives each executable its own)."""

    def prepare(ctx: Ctx) -> None:
        marker = ctx.work / ".warmed"
        if not marker.exists():
            _untimed(ctx, ctx.sco(*args))
            marker.touch()

    return prepare


_WARM_QUERY: Final = warm_once("upcoming", "--from", NOW, "--days", "1")


def _registry_changed(ctx: Ctx) -> None:
    """Change the registry's identity as a hand edit or a git checkout would, so its index no longer applies."""
    status = ctx.dataset.registry.stat()
    os.utime(ctx.dataset.registry, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000))


def _comment_lines(text: str) -> Counter[str]:
    return Counter(
        line for line in text.splitlines() if line.lstrip().startswith("#") or _INLINE_COMMENT_RE.search(line)
    )


def _comments_kept(ctx: Ctx) -> str | None:
    before = _comment_lines(ctx.dataset.registry.read_text(encoding="utf-8"))
    lost = before - _comment_lines(ctx.copy.read_text(encoding="utf-8"))
    return f"lost {sum(lost.values())} of {sum(before.values())} comment lines" if lost else None


def _added(ctx: Ctx) -> str | None:
    new_id = ctx.stdout.read_text(encoding="utf-8").strip()
    if f"- id: {new_id}\n" not in ctx.copy.read_text(encoding="utf-8"):
        return f"the new event {new_id!r} is not in the file"
    return _comments_kept(ctx)


_EDITED_TITLE: Final = "Edited by the benchmark"


def _edited(ctx: Ctx) -> str | None:
    if f"title: {_EDITED_TITLE}\n" not in ctx.copy.read_text(encoding="utf-8"):
        return "the new title is not in the file"
    return _comments_kept(ctx)


# --- export and import: commands a teammate is building --------------------------------------------------


def _export_argv(ctx: Ctx) -> list[str]:
    # Without an --output option the export is taken to go to stdout, which _exported then keeps.
    help_text = ctx.tools.command_help("export") or ""
    target = ["--output", str(ctx.work / "export.ics")] if "--output" in help_text else []
    return ctx.sco("export", *target)


def _exported(ctx: Ctx) -> str | None:
    target = ctx.work / "export.ics"
    if not target.exists():
        shutil.copyfile(ctx.stdout, target)
    head = target.read_text(encoding="utf-8", errors="replace")[:15]
    if not head.startswith("BEGIN:VCALENDAR"):
        return "the export is not an iCalendar file"
    shutil.copyfile(target, _export_of(ctx))  # for the import case
    return None


def _export_of(ctx: Ctx) -> Path:
    return ctx.work.parent / f"sco-cal-export-{ctx.dataset.size}-{ctx.side}.ics"


def _import_source(ctx: Ctx) -> Path:
    """sco-cal's own export of this size when the export case ran, else the generated .ics of the same events."""
    exported = _export_of(ctx)
    return exported if exported.exists() else ctx.dataset.ics


def _empty_registry(ctx: Ctx) -> None:
    target = ctx.work / "empty.yaml"
    target.unlink(missing_ok=True)
    _untimed(ctx, ctx.sco("init", "--timezone", "UTC", registry=target))


def _import_argv(ctx: Ctx) -> list[str]:
    return ctx.sco("import", str(_import_source(ctx)), registry=ctx.work / "empty.yaml")


def _import_note(ctx: Ctx) -> str:
    return "of sco-cal's export" if _import_source(ctx) == _export_of(ctx) else "of the generated .ics"


# --- the reference tools ---------------------------------------------------------------------------------

_KHAL_CONFIG: Final = """\
[calendars]
[[bench]]
path = {calendar}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = UTC
default_timezone = UTC
[sqlite]
path = {database}
"""


def _khal_argv(ctx: Ctx) -> list[str]:
    return [str(ctx.tools.khal), "-c", str(ctx.work / "khal.conf"), "list", NOW, "30d"]


def _khal_cold(ctx: Ctx) -> None:
    """khal keeps an SQLite index of the vdir; without it every event is parsed again, as on a first run."""
    config = _KHAL_CONFIG.format(calendar=ctx.dataset.khal_dir, database=ctx.work / "khal.db")
    (ctx.work / "khal.conf").write_text(config)
    (ctx.work / "khal.db").unlink(missing_ok=True)


def _khal_warm(ctx: Ctx) -> None:
    if not (ctx.work / "khal.db").exists():
        _khal_cold(ctx)
        _untimed(ctx, _khal_argv(ctx))


def _untimed(ctx: Ctx, argv: list[str]) -> None:
    try:
        done = subprocess.run(argv, capture_output=True, env=ctx.tools.env, timeout=ctx.timeout, check=False)
    except subprocess.TimeoutExpired:
        raise CaseError(f"setup timed out (>{ctx.timeout:.0f} s)") from None
    if done.returncode != 0:
        first = (done.stderr.decode(errors="replace").strip().splitlines() or [""])[0]
        raise CaseError(f"setup failed (exit {done.returncode}): {first}")


def _remind_argv(ctx: Ctx) -> list[str]:
    return ctx.sco("remind", "--now", f"{NOW}T07:30:00Z", "--ledger", str(ctx.work / "ledger.json"))


def _remind_ledger(ctx: Ctx) -> None:
    """A cron run finds the ledger of the run before it; the first run, which starts the ledger, is not timed."""
    if not (ctx.work / "ledger.json").exists():
        _untimed(ctx, _remind_argv(ctx))


def _startup_note(ctx: Ctx) -> str:
    return "example registry, 8 events"


def _publish_argv(ctx: Ctx) -> list[str]:
    site = str(ctx.work / "site")
    return ctx.sco("publish", site, "--base-url", "https://example.org/cal/", "--now", f"{NOW}T07:30:00Z", "--quiet")


def _calcurse_argv(ctx: Ctx) -> list[str]:
    start = REFERENCE_NOW.strftime("%m/%d/%Y")  # calcurse's default input format
    return [str(ctx.tools.calcurse), "-D", str(ctx.dataset.calcurse_dir), "-Q", "--from", start, "--days", "30"]


CASES: Final[tuple[Case, ...]] = (
    Case("sco-cal --help", ("startup",), lambda c: [str(c.tools.sco_cal), "--help"], sized=False, compare=("help",)),
    Case(
        "typer baseline --help",
        ("startup",),
        lambda c: [str(c.tools.python), str(c.tools.baseline), "--help"],
        program="baseline",
        sized=False,
        compare=("help",),
    ),
    Case(
        "sco-cal upcoming (example)",
        ("startup", "upcoming"),
        lambda c: c.sco("upcoming", "--from", NOW, "--days", "30", registry=EXAMPLE),
        sized=False,
        compare=("startup",),
        note=_startup_note,
    ),
    Case(
        "typer baseline hello",
        ("startup",),
        lambda c: [str(c.tools.python), str(c.tools.baseline), "upcoming"],
        program="baseline",
        sized=False,
        compare=("startup",),
    ),
    Case("list (all)", ("list",), lambda c: c.sco("list"), prepare=_WARM_QUERY),
    Case("list 2030-04", ("list",), lambda c: c.sco("list", "2030-04"), prepare=_WARM_QUERY),
    Case(
        "upcoming 30 days",
        ("upcoming",),
        lambda c: c.sco("upcoming", "--from", NOW, "--days", "30"),
        prepare=_WARM_QUERY,
        compare=("upcoming30",),
    ),
    Case(
        "upcoming 365 days",
        ("upcoming", "timeline", "publish"),
        lambda c: c.sco("upcoming", "--from", NOW, "--days", "365"),
        compare=("year",),
    ),
    Case(
        "timeline (coming 12 months)",
        ("timeline",),
        lambda c: c.sco("timeline", "--now", f"{NOW}T07:30:00Z"),
        needs="timeline",
        compare=("year",),
    ),
    Case(
        "publish (feeds + page, unchanged)",
        ("publish",),
        _publish_argv,
        needs="publish",
        compare=("year",),
    ),
    Case(
        "publish, registry just changed",
        ("publish", "cold"),
        _publish_argv,
        needs="publish",
        prepare=_registry_changed,
    ),
    Case(
        "upcoming 30d, just changed",
        ("upcoming", "cold"),
        lambda c: c.sco("upcoming", "--from", NOW, "--days", "30"),
        prepare=_registry_changed,
    ),
    Case("validate, unchanged", ("validate",), lambda c: c.sco("validate"), prepare=warm_once("validate")),
    Case(
        "add",
        ("add", "write"),
        lambda c: c.sco("add", "Benchmark meeting", "--date", "2030-03-20", "--kind", "meeting", registry=c.copy),
        fixed_size=EDIT_SIZE,
        prepare=_fresh_copy,
        verify=_added,
    ),
    Case(
        "edit",
        ("edit", "write"),
        lambda c: c.sco("edit", c.dataset.edit_target, "--title", _EDITED_TITLE, registry=c.copy),
        fixed_size=EDIT_SIZE,
        prepare=_fresh_copy,
        verify=_edited,
    ),
    Case("export (.ics)", ("export",), _export_argv, needs="export", verify=_exported),
    Case(
        "import (.ics into empty)",
        ("import",),
        _import_argv,
        needs="import",
        prepare=_empty_registry,
        compare=("import",),
        note=_import_note,
    ),
    Case(
        "remind (cron, nothing new)",
        ("remind",),
        _remind_argv,
        needs="remind",
        prepare=_remind_ledger,
        compare=("remind-cron",),
    ),
    Case(
        "calcurse -Q 30 days",
        ("reference", "calcurse", "upcoming"),
        _calcurse_argv,
        program="calcurse",
        compare=("upcoming30", "remind-cron"),
    ),
    Case(
        "remind -s+5 (5 weeks)",
        ("reference", "remind-tool", "upcoming"),
        lambda c: [str(c.tools.remind), "-s+5", str(c.dataset.remind_file), NOW],
        program="remind",
        compare=("upcoming30",),
    ),
    Case(
        "khal list 30d (cold cache)",
        ("reference", "khal", "upcoming"),
        _khal_argv,
        program="khal",
        prepare=_khal_cold,
    ),
    Case(
        "khal list 30d (warm cache)",
        ("reference", "khal", "upcoming"),
        _khal_argv,
        program="khal",
        prepare=_khal_warm,
        compare=("upcoming30",),
    ),
)
