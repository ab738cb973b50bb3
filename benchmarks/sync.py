"""Time ``sco-cal sync`` against a local Radicale and print a table (issue 13's sync rows).

    python benchmarks/sync.py [--size 1000] [--runs 3] [--auth-delay 1] [--profile] [--markdown]

Radicale runs as tests/radicale_server.py starts it (plain htpasswd, its storage fsyncing each write) on a free
port, with its storage in benchmarks/.work/sync/. The rows, in the order they run:

- first push: ``sco-cal sync`` of the generated registry into an empty collection, with no state (one new
  collection per run). Next to it the server's own cost: the same objects sent by a plain keep-alive HTTP
  client (``--put-direct``, this file run again), one ``PUT`` with ``If-None-Match: *`` each, Basic credentials
  sent up front, into another empty collection.
- nothing changed: ``sco-cal sync`` again on the last push's collection and state (one untimed sync first).
- 10 events edited: ``sco-cal edit --title`` on 10 synced events (untimed), then the timed sync pushes them.
- remote changes pulled: another client changes every object's SUMMARY with plain PUTs (untimed), then the timed
  sync pulls them into the registry.

Every sync is the installed ``sco-cal`` in a subprocess, as cron runs it. The CPU columns say whose the time is:
sco-cal's own (its user + system time) and the server's (Radicale's, read from /proc during the run); the rest of
the wall time is waiting (the server's fsyncs, the network, the other). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import importlib.util
import os
import pstats
import re
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Self
from urllib.parse import urlsplit

from generate import ensure
from measure import Sample, layout, measure, summarise
from run import WORK_DIR, _environment, _interpreter, _sco_cal

HERE: Final = Path(__file__).resolve().parent
WORK: Final = WORK_DIR / "sync"
TARGETS: Final = {"nothing changed": 1.5, "10 events edited, pushed": 2.0, "remote changes pulled": 5.0}
DIRECT_TARGET: Final = 1.2  # issue 13: a first push within 1.2x of the server's own cost for the same PUTs
EDITED: Final = 10
_SUMMARY_RE: Final = re.compile(r"^(SUMMARY[^:\r\n]*:.*?)(?: \(remote edit \d+\))?(\r?)$", re.MULTILINE)
_TICKS: Final = os.sysconf("SC_CLK_TCK")


@dataclass
class Row:
    task: str
    objects: int = 0
    samples: list[Sample] = field(default_factory=list)
    own_cpu: list[float] = field(default_factory=list)
    server_cpu: list[float] = field(default_factory=list)
    status: str = ""
    notes: list[str] = field(default_factory=list)

    def median(self) -> float:
        return summarise(self.samples).median


@dataclass
class Bench:
    """One server, one registry copy, and the environment every sco-cal run gets."""

    args: argparse.Namespace
    sco_cal: Path
    python: Path
    env: dict[str, str]
    registry: Path
    objects: int  # what a first push sends: the registry's dated events, one object each
    server: Any  # tests/radicale_server.Radicale, imported only once Radicale is known to be installed
    profiles: dict[str, Path] = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return int(self.server.process.pid)

    def collection(self, name: str) -> Path:
        return Path(self.server.storage) / "collection-root" / self.server.user / name

    def target(self, name: str, *, make: bool = True) -> str:
        """Make collection ``name`` (unless it exists); point the config and the state folder at it."""
        url: str = self.server.make_calendar(name) if make else f"{self.server.home_url}{name}/"
        config = WORK / "config.toml"
        config.write_text(f'[sync.bench]\nurl = "{url}"\nusername = "{self.server.user}"\n')
        self.env.update(SCO_CAL_CONFIG=str(config), XDG_STATE_HOME=str(WORK / f"state-{name}"))
        return url

    def sco(self, *words: str) -> list[str]:
        return [str(self.sco_cal), "-r", str(self.registry), *words]


# --- timing ----------------------------------------------------------------------------------------------


def _server_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime and stime, fields 14 and 15 of stat(5)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(bench: Bench, row: Row, argv: list[str], check: Callable[[Path], str | None]) -> bool:
    """One timed run of ``argv``; its sample and CPU times go into ``row``; ``False`` (and the row's status
    says why) when it failed or ``check`` of its stdout found a problem."""
    out, err = WORK / "stdout.txt", WORK / "stderr.txt"
    server, own = _server_cpu(bench.pid), _children_cpu()
    sample = measure(argv, env=bench.env, cwd=WORK, timeout=bench.args.timeout, stdout=out, stderr=err)
    own, server = _children_cpu() - own, _server_cpu(bench.pid) - server
    if sample.timed_out or sample.exit_code != 0:
        last = (err.read_text(errors="replace").strip().splitlines() or [""])[-1]
        row.status = f"failed (exit {sample.exit_code}): {last[:100]}"
    else:
        row.status = f"check failed: {problem}" if (problem := check(out)) else ""
    label = row.status or f"{sample.seconds:.3f} s (client CPU {own:.2f} s, server CPU {server:.2f} s)"
    print(f"  {row.task}: {label}", file=sys.stderr, flush=True)
    if not row.status:
        row.samples.append(sample)
        row.own_cpu.append(own)
        row.server_cpu.append(server)
    return not row.status


# sco-cal leaves by os._exit (no interpreter teardown), which would skip writing the profile: leave by SystemExit,
# which cProfile.run catches, instead. Imports are profiled too.
_PROFILED: Final = """\
import cProfile, os, sys
out, *sys.argv = sys.argv[1:]
os._exit = sys.exit
cProfile.run("from sco_cal.cli import main; main()", out)
"""


def profiled(bench: Bench, key: str, argv: list[str]) -> None:
    """One more run of the same sync under cProfile (not timed), kept for the summary at the end."""
    if not bench.args.profile:
        return
    out = WORK / f"profile-{key}.out"
    command = [str(bench.python), "-c", _PROFILED, str(out), *argv]
    done = subprocess.run(command, env=bench.env, cwd=WORK, capture_output=True, check=False)
    if done.returncode == 0:
        bench.profiles[key] = out


def untimed(bench: Bench, argv: list[str]) -> None:
    done = subprocess.run(argv, env=bench.env, cwd=WORK, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"setup failed: {' '.join(argv[-3:])}: {done.stderr.strip()}")


# --- checks on what a run printed ------------------------------------------------------------------------


def _lines(out: Path, sign: str, arrow: str) -> int:
    return sum(1 for line in out.read_text().splitlines() if line.startswith(sign) and f" {arrow} server" in line)


def _expect(count: int, sign: str, arrow: str) -> Callable[[Path], str | None]:
    def check(out: Path) -> str | None:
        found = _lines(out, sign, arrow)
        return None if found == count else f"{found} '{sign} ... {arrow} server' lines, expected {count}"

    return check


def _silent(out: Path) -> str | None:
    return f"printed {out.read_text()[:60]!r}" if out.read_text() else None


# --- the rows --------------------------------------------------------------------------------------------


def first_push(bench: Bench) -> tuple[Row, Row]:
    """sco-cal's first push and the direct PUTs of the same objects, run by run in turn, so that a busy moment of
    the machine falls on both rows alike."""
    push = Row("first push (empty collection)", bench.objects)
    direct = Row("server alone: the same PUTs, direct", bench.objects)
    for run in range(bench.args.runs):
        url = bench.target(f"direct{run}")
        objects = str(WORK / "objects")
        argv = [sys.executable, str(Path(__file__).resolve()), "--put-direct", url, bench.server.user, objects]
        if not timed(bench, direct, argv, _all_created):
            break
        bench.target(f"push{run}")
        if not timed(bench, push, bench.sco("sync"), _expect(bench.objects, "+", "->")):
            break
    return push, direct


def _all_created(out: Path) -> str | None:
    statuses = out.read_text().strip()
    return None if statuses == "201" else f"answers {statuses}, expected only 201"


def write_objects(registry_path: Path, folder: Path) -> int:
    """The objects sco-cal sends for this registry, one file each under its href, for the direct client."""
    from sco_cal.registry import load
    from sco_cal.services.sync_local import feed_for
    from sco_cal.sync.resources import resources

    registry = load(registry_path)
    folder.mkdir(parents=True)
    found = resources(registry.iter_events(), feed_for(registry)).by_uid.values()
    for item in found:
        (folder / item.href).write_bytes(item.data)
    return len(found)


def nothing_changed(bench: Bench, collection: str) -> Row:
    row = Row("nothing changed", bench.objects)
    bench.target(collection, make=False)
    untimed(bench, bench.sco("sync"))  # the first sync after a push learns the collection's new sync-token
    for _run in range(bench.args.runs):
        if not timed(bench, row, bench.sco("sync"), _silent):
            return row
    profiled(bench, "nothing-changed", bench.sco("sync"))
    return row


def _synced_ids(bench: Bench, collection: str) -> list[str]:
    names = sorted(path.stem for path in bench.collection(collection).glob("*.ics"))
    return [name for name in names if re.fullmatch(r"[a-z0-9][a-z0-9.-]*", name)]  # hrefs that are the id itself


def edits_pushed(bench: Bench, collection: str) -> Row:
    row = Row(f"{EDITED} events edited, pushed", EDITED)
    ids = _synced_ids(bench, collection)[: EDITED * (bench.args.runs + 1)]
    for run in range(bench.args.runs + bench.args.profile):
        for event_id in ids[run * EDITED : (run + 1) * EDITED]:
            untimed(bench, bench.sco("edit", event_id, "--title", f"Edited for the sync benchmark, run {run}"))
        if run == bench.args.runs:
            profiled(bench, "edits-pushed", bench.sco("sync"))
        elif not timed(bench, row, bench.sco("sync"), _expect(EDITED, "~", "->")):
            break
    return row


def change_remotely(bench: Bench, collection: str, url: str, run: int) -> int:
    """Another client: every object's SUMMARY gets ``(remote edit RUN)``, sent back with a plain PUT each."""
    sent = 0
    with _Client(url, bench.server.user, bench.env["SCO_CAL_DAV_PASSWORD"]) as client:
        for path in sorted(bench.collection(collection).glob("*.ics")):
            text = re.sub(r"\r?\n[ \t]", "", path.read_text(encoding="utf-8"))  # unfolded
            changed = _SUMMARY_RE.sub(lambda m: f"{m[1]} (remote edit {run}){m[2]}", text, count=1)
            status = client.put(path.name, changed.encode("utf-8"), {})
            if status not in (201, 204):
                sys.exit(f"the other client's PUT of {path.name} was answered {status}")
            sent += 1
    return sent


def remote_pulled(bench: Bench, collection: str, url: str) -> Row:
    row = Row("remote changes pulled")
    for run in range(bench.args.runs + bench.args.profile):
        row.objects = change_remotely(bench, collection, url, run)
        if run == bench.args.runs:
            profiled(bench, "remote-pulled", bench.sco("sync"))
        elif not timed(bench, row, bench.sco("sync"), _expect(row.objects, "~", "<-")):
            break
    return row


# --- a plain HTTP client: the other client, and the server's own cost for the PUTs -----------------------


class _Client:
    """One keep-alive connection to the collection at ``url``, Basic credentials on every request."""

    def __init__(self, url: str, user: str, password: str) -> None:
        parts = urlsplit(url)
        self.path = parts.path
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}", "Content-Type": "text/calendar; charset=utf-8"}
        self.connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=60)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.connection.close()

    def put(self, name: str, data: bytes, condition: dict[str, str]) -> int:
        self.connection.request("PUT", self.path + name, data, {**self.headers, **condition})
        answer = self.connection.getresponse()
        answer.read()
        return answer.status


def put_direct(url: str, user: str, folder: Path) -> int:
    """Create every object of ``folder`` in the collection; print the statuses seen (``201`` when all went in)."""
    statuses: set[int] = set()
    with _Client(url, user, os.environ["SCO_CAL_DAV_PASSWORD"]) as client:
        for path in sorted(folder.iterdir()):
            statuses.add(client.put(path.name, path.read_bytes(), {"If-None-Match": "*"}))
    print(",".join(str(s) for s in sorted(statuses)))
    return 0


# --- the table -------------------------------------------------------------------------------------------

HEADERS: Final = ("task", "objects", "median", "min-max", "peak RSS", "client CPU", "server CPU", "target", "note")
_RIGHT: Final = {1, 2, 3, 4, 5, 6}


def _verdict(row: Row, direct: Row) -> str:
    """The row against issue 13's target: seconds, or for the first push a ratio to the direct PUTs."""
    if not row.samples:
        return ""
    if row.task.startswith("first push"):
        if not direct.samples:
            return ""
        ratio = row.median() / direct.median()
        return f"{ratio:.2f}x direct (<= {DIRECT_TARGET}x: {'ok' if ratio <= DIRECT_TARGET else 'missed'})"
    limit = next((seconds for task, seconds in TARGETS.items() if row.task.startswith(task)), None)
    return "" if limit is None else f"<= {limit:g} s: {'ok' if row.median() <= limit else 'missed'}"


def _median(values: list[float]) -> str:
    return f"{sorted(values)[len(values) // 2]:.2f} s"


def _cells(row: Row, direct: Row) -> list[str]:
    note = "; ".join(filter(None, [*row.notes, row.status]))
    if not row.samples:
        return [row.task, f"{row.objects:,}", "", "", "", "", "", "", note]
    s = summarise(row.samples)
    timing = [f"{s.median:.3f} s", f"{s.low:.3f}-{s.high:.3f}", f"{s.rss_mib:.0f} MiB"]
    return [row.task, f"{row.objects:,}", *timing, _median(row.own_cpu), _median(row.server_cpu),
            _verdict(row, direct), note]  # fmt: skip


def format_table(rows: list[Row], *, markdown: bool) -> str:
    direct = next((r for r in rows if r.task.startswith("server alone")), Row(""))
    return layout([list(HEADERS), *(_cells(r, direct) for r in rows)], _RIGHT, markdown=markdown)


def print_profiles(profiles: dict[str, Path], top: int = 15) -> None:
    """The functions sco-cal spent its own time in (tottime), then the calls that took longest with all they
    called (cumtime), per profiled row; to stderr, and beside each profile as a .txt file."""
    for key, path in profiles.items():
        text = path.with_suffix(".txt")
        with text.open("w") as sink:
            pstats.Stats(str(path), stream=sink).sort_stats("tottime").print_stats(top)
            pstats.Stats(str(path), stream=sink).sort_stats("cumulative").print_stats("sco_cal/", top)
        print(f"profile of '{key}': {text}", file=sys.stderr)
        print(text.read_text(), file=sys.stderr)


# --- the command line ------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark the installed sco-cal's sync against a local Radicale.")
    parser.add_argument("--size", type=int, default=1000, help="Events in the generated registry (default 1000).")
    parser.add_argument("--runs", type=int, default=3, help="Timed runs per row (default 3).")
    parser.add_argument(
        "--auth-delay", type=float, default=1.0, help="Radicale's [auth] delay before a 401 (default 1, its own)."
    )
    parser.add_argument("--profile", action="store_true", help="One more run per row under cProfile, summarised.")
    parser.add_argument("--timeout", type=float, default=600.0, help="Seconds before a run is killed (default 600).")
    parser.add_argument("--markdown", action="store_true", help="Print the table as Markdown.")
    parser.add_argument("--put-direct", nargs=3, metavar=("URL", "USER", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def describe(bench: Bench, args: argparse.Namespace) -> list[str]:
    import platform
    from datetime import UTC, datetime

    import radicale

    version = subprocess.run([str(bench.sco_cal), "--version"], capture_output=True, text=True, check=False)
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, load {load} at the end, Python {platform.python_version()}"
    return [
        f"sco-cal sync benchmarks, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, on {platform.node() or '?'} ({machine})",
        f"{version.stdout.strip()}; Radicale {radicale.VERSION} (htpasswd plain, auth delay {args.auth_delay:g} s, "
        + "storage fsyncing)",
        f"registry: {args.size:,} generated events, {bench.objects:,} dated (one object each); "
        + f"runs per row: {args.runs} (median shown)",
    ]


def run_rows(bench: Bench) -> list[Row]:
    rows = list(first_push(bench))
    if rows[0].status or not rows[0].samples:
        return rows
    last = f"push{bench.args.runs - 1}"
    url = bench.target(last, make=False)
    return [*rows, nothing_changed(bench, last), edits_pushed(bench, last), remote_pulled(bench, last, url)]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.put_direct:
        url, user, folder = args.put_direct
        return put_direct(url, user, Path(folder))
    if importlib.util.find_spec("radicale") is None:
        sys.exit("Radicale is not installed: pip install -e '.[test]' installs it; use that venv's python")
    sys.path.insert(0, str(HERE.parent / "tests"))
    from radicale_server import start_radicale

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    registry = WORK / "registry.yaml"
    shutil.copyfile(ensure(args.size).registry, registry)
    objects = write_objects(registry, WORK / "objects")
    sco = _sco_cal()
    env = {**_environment(), "XDG_CACHE_HOME": str(WORK / "cache")}
    with start_radicale(WORK / "radicale", auth_delay=args.auth_delay) as server:
        env["SCO_CAL_DAV_PASSWORD"] = server.password
        bench = Bench(args, sco, _interpreter(sco), env, registry, objects, server)
        untimed(bench, bench.sco("validate"))  # a user's registry has been read before: its cached copy exists
        rows = run_rows(bench)
    intro = describe(bench, args)
    print("\n".join(f"- {line}" for line in intro) if args.markdown else "\n".join(intro))
    print()
    print(format_table(rows, markdown=args.markdown))
    print_profiles(bench.profiles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
