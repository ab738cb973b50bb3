"""Run the installed ``sco-cal`` (and calcurse, remind, khal when installed) on generated registries and print
a table of wall times and peak memory.

    python benchmarks/run.py [--sizes 1000,10000] [--runs 5] [--only list,upcoming] [--quick] [--markdown]

Every command is a subprocess, started as a user starts it, with a fixed "today" passed in (``--from``,
``--now``) so runs are reproducible. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from cases import CASES, Case, CaseError, Ctx, Tools
from generate import DATA_DIR, REFERENCE_NOW, baseline_app, ensure
from measure import Sample, Summary, layout, measure, summarise

HERE: Final = Path(__file__).resolve().parent
WORK_DIR: Final = HERE / ".work"  # gitignored scratch: copies to edit, exports, khal's caches
DEFAULT_SIZES: Final = (1_000, 10_000, 100_000)
REFERENCES: Final = ("calcurse", "remind", "khal")
BASELINE_TARGET: Final = 1.2  # issue 6: sco-cal may start at most 1.2x slower than a bare typer app
# How many options and commands the baseline gets when sco-cal cannot be asked (see _sco_cal_shape).
_FALLBACK_SHAPE: Final = (12, 9)


@dataclass
class Row:
    """One line of the table: a case at one size, its timings or why there are none."""

    case: Case
    size: int | None
    summary: Summary | None = None
    status: str = ""
    ratios: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# --- finding the tools -----------------------------------------------------------------------------------


def _sco_cal() -> Path:
    """The installed command beside this interpreter (the venv's), else the one on PATH."""
    beside = Path(sys.executable).parent / "sco-cal"
    found = beside if beside.exists() else shutil.which("sco-cal")
    if not found:
        sys.exit("sco-cal is not installed: run 'pip install -e .' in a venv and use that venv's python")
    return Path(found)


def _interpreter(script: Path) -> Path:
    """The python a console script runs on, from its #! line, so the baseline gets the same typer."""
    first = script.read_bytes()[:200].split(b"\n", 1)[0]
    if first.startswith(b"#!") and Path(first[2:].decode().strip()).exists():
        return Path(first[2:].decode().strip())
    return Path(sys.executable)


def _khal() -> str | None:
    configured = os.environ.get("SCO_CAL_KHAL")
    local = HERE.parent / ".ci" / "khal-venv" / "bin" / "khal"
    if configured:
        return configured if shutil.which(configured) else None
    return str(local) if local.exists() else shutil.which("khal")


def _environment() -> dict[str, str]:
    """The user's environment, pinned where it changes output: UTC, a fixed width, no user config."""
    env = dict(os.environ)
    env.update(
        TZ="UTC",
        COLUMNS="120",
        SCO_CAL_CONFIG=str(WORK_DIR / "no-config.toml"),
        XDG_CONFIG_HOME=str(WORK_DIR / "xdg-config"),
        XDG_DATA_HOME=str(WORK_DIR / "xdg-data"),
    )
    env.pop("SCO_CAL_REGISTRY", None)
    # Some sandboxes set this; a user's machine keeps .pyc files, and the startup cases assume it does.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _sco_cal_shape(python: Path, env: dict[str, str]) -> tuple[int, int]:
    """(options of ``upcoming``, number of commands) of the installed sco-cal, for a like-for-like baseline."""
    probe = (
        "import json, typer.main; from sco_cal import cli; "
        "app = cli.commands() if hasattr(cli, 'commands') else cli.app; g = typer.main.get_command(app); "
        "print(json.dumps([len(g.commands['upcoming'].params), len(g.commands)]))"
    )
    done = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, env=env, check=False)
    try:
        options, commands = json.loads(done.stdout)
        return int(options), int(commands)
    except (ValueError, TypeError):
        return _FALLBACK_SHAPE


def find_tools() -> Tools:
    env = _environment()
    sco = _sco_cal()
    python = _interpreter(sco)
    options, commands = _sco_cal_shape(python, env)
    return Tools(
        sco_cal=sco,
        python=python,
        baseline=baseline_app(DATA_DIR / "baseline_app.py", options, commands),
        calcurse=shutil.which("calcurse"),
        remind=shutil.which("remind"),
        khal=_khal(),
        env=env,
    )


# --- running ---------------------------------------------------------------------------------------------


def _plan(cases: Sequence[Case], sizes: Sequence[int]) -> Iterator[tuple[Case, int | None]]:
    for case in cases:
        if not case.sized:
            yield case, None
        elif case.fixed_size is not None:
            yield case, case.fixed_size
        else:
            yield from ((case, size) for size in sizes)


def run_all(cases: Sequence[Case], tools: Tools, args: argparse.Namespace) -> list[Row]:
    """Every case at every size; a missing program or command gives one row, and a time-out skips larger sizes."""
    rows: list[Row] = []
    given_up: dict[str, str] = {}
    for case, size in _plan(cases, args.sizes):
        if case.task in given_up:
            if given_up[case.task]:
                rows.append(Row(case, size, status=given_up[case.task]))
            continue
        missing = _unavailable(case, tools)
        row = Row(case, None, status=missing) if missing else run_case(case, size, tools, args)
        rows.append(row)
        if missing:
            given_up[case.task] = ""
        elif row.status.startswith("timed out"):
            given_up[case.task] = f"skipped (timed out at {size:,})" if size else ""
    return rows


def _unavailable(case: Case, tools: Tools) -> str:
    if not tools.installed(case.program):
        return "not installed"
    if case.needs and tools.command_help(case.needs) is None:
        return "n/a (command not available)"
    return ""


def run_case(case: Case, size: int | None, tools: Tools, args: argparse.Namespace) -> Row:
    row = Row(case, size)
    formats = [case.program] if case.program in REFERENCES else []
    data = ensure(size, formats) if size is not None else None
    work = WORK_DIR / f"{_slug(case.task)}-{size or 'once'}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ctx = Ctx(tools, data, work, args.timeout)
    try:
        samples = _runs(case, ctx, row, args)
    except CaseError as error:
        row.status = str(error)
        return row
    if samples and not row.status:
        row.summary = summarise(samples)
    if case.note:
        row.notes.append(case.note(ctx))
    return row


def _runs(case: Case, ctx: Ctx, row: Row, args: argparse.Namespace) -> list[Sample]:
    """Timed runs; startup cases get one untimed run first so every timed one finds .pyc files and a warm cache."""
    warmup = 0 if case.sized else 1
    samples: list[Sample] = []
    for index in range(warmup + args.runs):
        if case.prepare:
            case.prepare(ctx)
        sample = measure(
            case.argv(ctx),
            env=ctx.tools.env,
            cwd=ctx.work,
            timeout=args.timeout,
            stdout=ctx.stdout,
            stderr=ctx.work / "stderr.txt",
        )
        row.status = _problem(case, ctx, sample)
        _progress(case, row.size, index - warmup, args.runs, sample, row.status)
        if row.status:
            break  # a time-out or failure would only repeat: do not spend the time again
        if index >= warmup:
            samples.append(sample)
    return samples


def _problem(case: Case, ctx: Ctx, sample: Sample) -> str:
    if sample.timed_out:
        return f"timed out (>{ctx.timeout:.0f} s)"
    if sample.exit_code != 0:
        lines = (ctx.work / "stderr.txt").read_text(encoding="utf-8", errors="replace").strip().splitlines()
        last = lines[-1] if lines else ""
        return f"failed (exit {sample.exit_code}): {last[:100]}".rstrip(" ;,")
    problem = case.verify(ctx) if case.verify else None
    return f"check failed: {problem}" if problem else ""


def _progress(case: Case, size: int | None, index: int, runs: int, sample: Sample, status: str) -> None:
    label = "warm-up" if index < 0 else f"run {index + 1}/{runs}"
    result = status or f"{sample.seconds:.3f} s, {sample.rss_mib:.0f} MiB"
    print(f"  {case.task} @ {size or '-'}: {label}: {result}", file=sys.stderr, flush=True)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


# --- ratios ----------------------------------------------------------------------------------------------


def add_ratios(rows: list[Row]) -> None:
    """sco-cal's median over each reference's, per comparison group and size: 2.0 means sco-cal is 2x slower."""
    groups: dict[tuple[str, int | None], dict[str, Row]] = {}
    for row in rows:
        for group in row.case.compare if row.summary else ():
            groups.setdefault((group, row.size), {})[row.case.program] = row
    for members in groups.values():
        ours = members.get("sco-cal")
        if ours is None or ours.summary is None:
            continue
        for program, other in members.items():
            if program != "sco-cal" and other.summary and other.summary.median > 0:
                ours.ratios[program] = ours.summary.median / other.summary.median
        if "baseline" in ours.ratios:
            ratio = ours.ratios.pop("baseline")
            verdict = "ok" if ratio <= BASELINE_TARGET else f"over the {BASELINE_TARGET}x target"
            ours.notes.append(f"{ratio:.2f}x typer baseline ({verdict})")


# --- the table -------------------------------------------------------------------------------------------

HEADERS: Final = ("task", "size", "median", "min-max", "peak RSS", "vs calcurse", "vs remind", "vs khal", "note")
_RIGHT: Final = {1, 2, 3, 4, 5, 6, 7}


def _cells(row: Row) -> list[str]:
    size = f"{row.size:,}" if row.size is not None else "-"
    ratios = [f"{row.ratios[p]:.2f}x" if p in row.ratios else "" for p in REFERENCES]
    note = "; ".join(row.notes)
    if row.summary is None:
        return [row.case.task, size, "", "", "", *ratios, "; ".join(filter(None, [row.status, note]))]
    s = row.summary
    return [
        row.case.task,
        size,
        f"{s.median:.3f} s",
        f"{s.low:.3f}-{s.high:.3f}",
        f"{s.rss_mib:.0f} MiB",
        *ratios,
        note,
    ]


def format_table(rows: list[Row], *, markdown: bool) -> str:
    return layout([list(HEADERS), *(_cells(r) for r in rows)], _RIGHT, markdown=markdown)


def _version(argv: list[str], env: dict[str, str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=30, check=False)
    except OSError:
        return "?"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0].strip() if text else "?"


def describe(tools: Tools, args: argparse.Namespace) -> list[str]:
    versions = {
        "sco-cal": _version([str(tools.sco_cal), "--version"], tools.env),
        "calcurse": _version([tools.calcurse, "--version"], tools.env) if tools.calcurse else "not installed",
        "remind": _version([tools.remind, "-h"], tools.env) if tools.remind else "not installed",
        "khal": _version([tools.khal, "--version"], tools.env) if tools.khal else "not installed",
    }
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    return [
        f"sco-cal benchmarks, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, on {platform.node() or '?'} ({machine})",
        f"runs per case: {args.runs} (median shown), time-out per run: {args.timeout:.0f} s, "
        + f"reference today: {REFERENCE_NOW.isoformat()}",
        *(f"{name}: {version}" for name, version in versions.items()),
    ]


# --- the command line ------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark the installed sco-cal against generated registries.")
    parser.add_argument("--sizes", help="Comma-separated event counts (default: 1000,10000,100000).")
    parser.add_argument("--runs", type=int, default=5, help="Timed runs per case (default: 5).")
    parser.add_argument(
        "--only",
        help="Comma-separated tags to run, e.g. list,upcoming (see cases.py; 'reference' = the other tools).",
    )
    parser.add_argument("--quick", action="store_true", help="Leave out the 100,000-event size.")
    parser.add_argument("--timeout", type=float, default=300.0, help="Seconds before a run is killed (default 300).")
    parser.add_argument("--markdown", action="store_true", help="Print the table as Markdown.")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else list(DEFAULT_SIZES)
    args.sizes = [s for s in sizes if not (args.quick and s >= 100_000)]
    args.only = set(args.only.split(",")) if args.only else None
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    tools = find_tools()
    cases = [c for c in CASES if args.only is None or args.only & set(c.tags)]
    if not cases:
        print(f"no case has any of the tags {sorted(args.only or ())}", file=sys.stderr)
        return 2
    shutil.rmtree(WORK_DIR, ignore_errors=True)  # nothing of an earlier run (an old export) may leak in
    rows = run_all(cases, tools, args)
    add_ratios(rows)
    intro = describe(tools, args)
    print("\n".join(f"- {line}" for line in intro) if args.markdown else "\n".join(intro))
    print()
    print(format_table(rows, markdown=args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
