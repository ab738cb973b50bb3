"""Run the installed ``sco-cal`` (and calcurse, remind, khal when installed) on generated registries and print
a table of wall times and peak memory.

    python benchmarks/run.py [--sizes 1000,10000] [--runs 5] [--only list,upcoming] [--quick] [--markdown]
                             [--baseline OTHER/sco-cal] [--save run.json] [--plot time.svg] [--plot-from run.json]

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
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from cases import CASES, Case, CaseError, Ctx, Tools
from generate import DATA_DIR, REFERENCE_NOW, DataSet, baseline_app, ensure
from measure import Sample, Summary, layout, measure, summarise
from plot import series_from, svg
from scale_cases import ordered

HERE: Final = Path(__file__).resolve().parent
WORK_DIR: Final = HERE / ".work"  # gitignored scratch: copies to edit, exports, khal's caches
DEFAULT_SIZES: Final = (1_000, 10_000, 100_000)
REFERENCES: Final = ("calcurse", "remind", "khal")
RATIO_COLUMNS: Final = (*REFERENCES, "icalendar")
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
    before: Summary | None = None  # the --baseline executable's runs of the same case
    before_status: str = ""


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


def find_tools(sco_cal: Path | None = None) -> Tools:
    env = _environment()
    sco = sco_cal or _sco_cal()
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


def baseline_tools(tools: Tools, executable: Path) -> tuple[Tools, Tools]:
    """The tools under test and those of the baseline executable, each sco-cal with a cache folder of its own:
    two versions sharing one would each throw the other's index away."""
    if not executable.exists():
        sys.exit(f"--baseline: {executable} does not exist")
    after = replace(tools, env={**tools.env, "SCO_CAL_CACHE": str(WORK_DIR / "cache-after")})
    env = {**tools.env, "SCO_CAL_CACHE": str(WORK_DIR / "cache-before")}
    before = replace(tools, sco_cal=executable, python=_interpreter(executable), env=env, helps={})
    return after, before


# --- running ---------------------------------------------------------------------------------------------


def _plan(cases: Sequence[Case], sizes: Sequence[int]) -> Iterator[tuple[Case, int | None]]:
    for case in cases:
        if not case.sized:
            yield case, None
        elif case.fixed_size is not None:
            yield case, case.fixed_size
        else:
            yield from ((case, size) for size in sizes if size >= case.min_size)


def run_all(cases: Sequence[Case], tools: Tools, args: argparse.Namespace, before: Tools | None = None) -> list[Row]:
    """Every case at every size; a missing program or command gives one row, and a time-out skips larger sizes."""
    rows: list[Row] = []
    given_up: dict[str, str] = {}
    for case, size in _plan(cases, args.sizes):
        if case.task in given_up:
            if given_up[case.task]:
                rows.append(Row(case, size, status=given_up[case.task]))
            continue
        missing = _unavailable(case, tools)
        row = Row(case, None, status=missing) if missing else run_case(case, size, tools, args, before)
        rows.append(row)
        if missing:
            given_up[case.task] = ""
        elif row.status.startswith("timed out"):
            given_up[case.task] = f"skipped (timed out at {size:,})" if size else ""
    return rows


def _unavailable(case: Case, tools: Tools) -> str:
    if not tools.installed(case.program):
        return "not installed"
    if case.requires and not shutil.which(case.requires):
        return f"not installed ({case.requires})"
    if case.needs and tools.command_help(case.needs) is None:
        return "n/a (command not available)"
    return ""


def run_case(case: Case, size: int | None, tools: Tools, args: argparse.Namespace, before: Tools | None = None) -> Row:
    """The case's runs; with a baseline, each run of a sco-cal case is made by both executables in turn."""
    row = Row(case, size)
    formats = [case.program] if case.program in REFERENCES else []
    data = ensure(size, formats) if size is not None else None
    sides = {"after": tools}
    if before is not None and case.program == "sco-cal":
        sides["before"] = before
    contexts = {name: _context(case, size, data, side, name, args) for name, side in sides.items()}
    status = {name: _unavailable(case, ctx.tools) for name, ctx in contexts.items()}
    samples = _runs(case, contexts, status, args)
    row.status = status["after"]
    row.summary = summarise(samples["after"]) if samples["after"] and not row.status else None
    if before is not None and "before" in contexts:
        row.before_status = status["before"]
        row.before = summarise(samples["before"]) if samples["before"] and not row.before_status else None
    if case.note and row.summary:
        row.notes.append(case.note(contexts["after"]))
    return row


def _context(
    case: Case, size: int | None, data: DataSet | None, tools: Tools, side: str, args: argparse.Namespace
) -> Ctx:
    suffix = "" if side == "after" else f"-{side}"
    work = WORK_DIR / f"{_slug(case.task)}-{size or 'once'}{suffix}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    return Ctx(tools, data, work, args.timeout, side=side)


def _runs(
    case: Case, contexts: dict[str, Ctx], status: dict[str, str], args: argparse.Namespace
) -> dict[str, list[Sample]]:
    """Timed runs, the sides taking turns (the order flips every run, so a busy moment falls on both alike);
    startup cases get one untimed run first so every timed one finds .pyc files and a warm cache."""
    warmup = 0 if case.sized else 1
    samples: dict[str, list[Sample]] = {name: [] for name in contexts}
    for index in range(warmup + args.runs):
        names = list(contexts) if index % 2 == 0 else list(reversed(contexts))
        for name in (n for n in names if not status[n]):
            sample = _one_run(case, contexts[name], status, name, args)
            label = name if len(contexts) > 1 else ""
            _progress(case, contexts[name], label, index - warmup, args.runs, sample, status[name])
            if sample is not None and index >= warmup:
                samples[name].append(sample)
        if all(status.values()):
            break  # a time-out or failure would only repeat: do not spend the time again
    return samples


def _one_run(case: Case, ctx: Ctx, status: dict[str, str], name: str, args: argparse.Namespace) -> Sample | None:
    try:
        if case.prepare:
            case.prepare(ctx)
    except CaseError as error:
        status[name] = str(error)
        return None
    sample = measure(
        case.argv(ctx),
        env=ctx.tools.env,
        cwd=ctx.work,
        timeout=args.timeout,
        stdout=ctx.stdout,
        stderr=ctx.work / "stderr.txt",
        first_line=case.first_line,
    )
    status[name] = _problem(case, ctx, sample)
    return None if status[name] else sample


def _problem(case: Case, ctx: Ctx, sample: Sample) -> str:
    if sample.timed_out:
        return f"timed out (>{ctx.timeout:.0f} s)"
    if sample.exit_code != 0:
        lines = (ctx.work / "stderr.txt").read_text(encoding="utf-8", errors="replace").strip().splitlines()
        last = lines[-1] if lines else ""
        return f"failed (exit {sample.exit_code}): {last[:100]}".rstrip(" ;,")
    problem = case.verify(ctx) if case.verify else None
    return f"check failed: {problem}" if problem else ""


def _progress(case: Case, ctx: Ctx, side: str, index: int, runs: int, sample: Sample | None, status: str) -> None:
    label = "warm-up" if index < 0 else f"run {index + 1}/{runs}"
    cpu = f", CPU {sample.cpu:.3f} s" if sample and sample.cpu is not None else ""
    result = status or (f"{sample.seconds:.3f} s, {sample.rss_mib:.0f} MiB{cpu}" if sample else "")
    size = ctx.data.size if ctx.data else "-"
    where = f" [{side}]" if side else ""
    print(f"  {case.task} @ {size}{where}: {label}: {result}", file=sys.stderr, flush=True)


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

_OPTIONAL: Final = ("first line", "CPU", *(f"vs {p}" for p in RATIO_COLUMNS))  # left out when empty in every row


def _headers(baseline: bool) -> list[str]:
    figures = ["before", "after", "after/before", "min-max (after)", "peak RSS before/after"]
    return ["task", "size", *(figures if baseline else ["median", "min-max", "peak RSS"]), *_OPTIONAL, "note"]


def _figures(row: Row, baseline: bool) -> list[str]:
    s, b = row.summary, row.before
    if not baseline:
        return [f"{s.median:.3f} s", f"{s.low:.3f}-{s.high:.3f}", f"{s.rss_mib:.0f} MiB"] if s else ["", "", ""]
    if row.case.program != "sco-cal":  # the other tools run once, in the "after" column
        return ["", f"{s.median:.3f} s", "", f"{s.low:.3f}-{s.high:.3f}", f"{s.rss_mib:.0f} MiB"] if s else [""] * 5
    ratio = f"{s.median / b.median:.2f}" if s and b and b.median > 0 else ""
    return [
        f"{b.median:.3f} s" if b else row.before_status or "-",
        f"{s.median:.3f} s" if s else "",
        ratio,
        f"{s.low:.3f}-{s.high:.3f}" if s else "",
        " / ".join(f"{x.rss_mib:.0f}" if x else "-" for x in (b, s)) + " MiB" if s or b else "",
    ]


def _cells(row: Row, baseline: bool) -> list[str]:
    size = f"{row.size:,}" if row.size is not None else "-"
    first = f"{row.summary.first_line:.3f} s" if row.summary and row.summary.first_line is not None else ""
    ratios = [f"{row.ratios[p]:.2f}x" if p in row.ratios else "" for p in RATIO_COLUMNS]
    note = "; ".join(filter(None, [row.status, *row.notes]))
    return [row.case.task, size, *_figures(row, baseline), first, _cpu(row, baseline), *ratios, note]


def _cpu(row: Row, baseline: bool) -> str:
    """The median user + system seconds (before / after with a baseline): what the run cost, whatever the load."""
    sides = [row.before, row.summary] if baseline and row.case.program == "sco-cal" else [row.summary]
    if not any(side and side.cpu is not None for side in sides):
        return ""
    return " / ".join(f"{side.cpu:.3f}" if side and side.cpu is not None else "-" for side in sides) + " s"


def format_table(rows: list[Row], *, markdown: bool, baseline: bool = False) -> str:
    """The table; optional columns (first line, ratios) appear only when some row fills them."""
    headers = _headers(baseline)
    table = [headers, *(_cells(r, baseline) for r in rows)]
    keep = [i for i, name in enumerate(headers) if name not in _OPTIONAL or any(line[i] for line in table[1:])]
    table = [[line[i] for i in keep] for line in table]
    right = {n for n, i in enumerate(keep) if 0 < i < len(headers) - 1}
    return layout(table, right, markdown=markdown)


# --- saving and plotting ----------------------------------------------------------------------------------


def records(rows: list[Row]) -> list[dict[str, Any]]:
    """The rows as plain data, for --save and --plot-from."""
    out = []
    for row in rows:
        summary = asdict(row.summary) if row.summary else {}
        before = asdict(row.before) if row.before else None
        out.append(
            {
                "task": row.case.task,
                "tags": list(row.case.tags),
                "program": row.case.program,
                "size": row.size,
                "status": row.status,
                **{key: summary.get(key) for key in ("median", "low", "high", "rss_mib", "first_line", "cpu")},
                "before": before,
                "before_status": row.before_status,
                "ratios": row.ratios,
                "notes": row.notes,
            }
        )
    return out


def write_plot(path: Path, saved: list[dict[str, Any]], origin: str) -> int:
    """The SVG of the 30-day query's rows; 1, with one line on stderr, when there is none to draw."""
    title = "The next 30 days: median time against events (log-log)"
    try:
        picture = svg(series_from(saved), title)
    except ValueError as error:
        print(f"{error} in {origin}", file=sys.stderr)
        return 1
    path.write_text(picture, encoding="utf-8")
    return 0


def _version(argv: list[str], env: dict[str, str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=30, check=False)
    except OSError:
        return "?"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0].strip() if text else "?"


def _load() -> str:
    """The 1, 5 and 15-minute load averages, which say how busy the shared machine was."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def describe(tools: Tools, args: argparse.Namespace, before: Tools | None = None) -> list[str]:
    baseline = (
        {"before": f"{_version([str(before.sco_cal), '--version'], before.env)} ({before.sco_cal})"} if before else {}
    )
    versions = {
        "sco-cal": f"{_version([str(tools.sco_cal), '--version'], tools.env)} ({tools.sco_cal})",
        **baseline,
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
        f"load average: {_load()}",
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
    parser.add_argument(
        "--baseline", type=Path, help="Another sco-cal executable; its runs alternate with ours, run by run."
    )
    parser.add_argument("--save", type=Path, help="Also write the rows as JSON to this file.")
    parser.add_argument("--plot", type=Path, help="Write a log-log SVG of the 30-day query's times to this file.")
    parser.add_argument("--plot-from", type=Path, help="Plot the rows of a --save file instead of running anything.")
    args = parser.parse_args(argv)
    if args.plot_from and not args.plot:
        parser.error("--plot-from needs --plot FILE.svg")
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else list(DEFAULT_SIZES)
    args.sizes = [s for s in sizes if not (args.quick and s >= 100_000)]
    args.only = set(args.only.split(",")) if args.only else None
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.plot_from:
        return write_plot(args.plot, json.loads(args.plot_from.read_text(encoding="utf-8")), str(args.plot_from))
    tools = find_tools()
    before = None
    if args.baseline:
        tools, before = baseline_tools(tools, args.baseline.resolve())
    cases = [c for c in ordered(CASES) if args.only is None or args.only & set(c.tags)]
    if not cases:
        print(f"no case has any of the tags {sorted(args.only or ())}", file=sys.stderr)
        return 2
    shutil.rmtree(WORK_DIR, ignore_errors=True)  # nothing of an earlier run (an old export) may leak in
    rows = run_all(cases, tools, args, before)
    add_ratios(rows)
    intro = describe(tools, args, before)
    print("\n".join(f"- {line}" for line in intro) if args.markdown else "\n".join(intro))
    print()
    print(format_table(rows, markdown=args.markdown, baseline=before is not None))
    if args.save:
        args.save.write_text(json.dumps(records(rows), indent=1), encoding="utf-8")
    return write_plot(args.plot, records(rows), "this run") if args.plot else 0


if __name__ == "__main__":
    sys.exit(main())
