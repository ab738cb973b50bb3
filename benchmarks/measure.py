"""Timing one command as a user runs it: wall time and the command's own peak RSS, with a time-out.

Peak RSS comes from GNU ``/usr/bin/time -f %M`` when it is installed. ``os.wait4`` on our own child is the
fallback, but it over-reports small programs: Linux carries the high-water mark of the process that forked
across ``exec``, so a 5 MiB calcurse started from this 40 MiB Python shows 40 MiB. ``time`` is a small process,
so the mark it passes on to the command it starts is negligible.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

__all__ = ["GNU_TIME", "Sample", "Summary", "layout", "measure", "summarise"]

GNU_TIME: Final = "/usr/bin/time" if shutil.which("/usr/bin/time") else None


@dataclass(frozen=True, slots=True)
class Sample:
    """One run: seconds, peak resident memory in MiB, exit code, and whether the time-out killed it."""

    seconds: float
    rss_mib: float
    exit_code: int
    timed_out: bool
    first_line: float | None = None  # seconds until the first line of output arrived, when that was asked for
    cpu: float | None = None  # user + system seconds of the command (on a busy machine, steadier than the wall)


@dataclass(frozen=True, slots=True)
class Summary:
    median: float
    low: float
    high: float
    rss_mib: float  # the highest peak of all runs
    first_line: float | None = None  # the median of the runs' first-line times
    cpu: float | None = None  # the median of the runs' CPU seconds


def measure(
    argv: Sequence[str],
    *,
    env: dict[str, str],
    cwd: Path,
    timeout: float,
    stdout: Path,
    stderr: Path,
    first_line: bool = False,
) -> Sample:
    """Run ``argv`` once; output goes to files, so a large listing costs what writing it costs, not a pipe's.

    With ``first_line`` the output comes through a pipe instead, read as it arrives (and copied to ``stdout``),
    and the sample also says when its first line came: what a reader of a streamed listing waits for."""
    rss_file = stderr.with_name("rss.txt")
    command = [GNU_TIME, "-f", "%M", "-o", str(rss_file), *argv] if GNU_TIME else list(argv)
    first: float | None = None
    with stdout.open("wb") as out, stderr.open("wb") as err:
        started = time.perf_counter()
        # A session of its own, so the time-out kills the whole group (time and the command under it).
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if first_line else out,
            stderr=err,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        killer = threading.Timer(timeout, os.killpg, (process.pid, signal.SIGKILL))
        killer.start()
        try:
            if process.stdout is not None:
                first = _drain(process.stdout.fileno(), out, started)
                process.stdout.close()
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            killer.cancel()
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # tell Popen we reaped it
    timed_out = seconds >= timeout and process.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL)
    rss_kib = _gnu_time_rss(rss_file) if GNU_TIME else None
    rss_mib = (rss_kib or usage.ru_maxrss) / 1024  # KiB on Linux
    return Sample(seconds, rss_mib, process.returncode, timed_out, first, usage.ru_utime + usage.ru_stime)


def _drain(fd: int, out: BinaryIO, started: float) -> float | None:
    """Copy a pipe to ``out`` until it closes; the seconds from ``started`` to the first newline, if one came."""
    first: float | None = None
    while chunk := os.read(fd, 1 << 16):
        if first is None and b"\n" in chunk:
            first = time.perf_counter() - started
        out.write(chunk)
    return first


def _gnu_time_rss(path: Path) -> int | None:
    """The last line of time's -o file is %M; before it may stand 'Command exited with non-zero status N'."""
    try:
        lines = path.read_text().strip().splitlines()
        return int(lines[-1]) if lines else None
    except (OSError, ValueError):
        return None


def summarise(samples: Sequence[Sample]) -> Summary:
    times = [s.seconds for s in samples]
    firsts = [s.first_line for s in samples if s.first_line is not None]
    first = statistics.median(firsts) if firsts else None
    cpus = [s.cpu for s in samples if s.cpu is not None]
    cpu = statistics.median(cpus) if cpus else None
    return Summary(statistics.median(times), min(times), max(times), max(s.rss_mib for s in samples), first, cpu)


def layout(table: list[list[str]], right: set[int], *, markdown: bool) -> str:
    """A header row and its rows as Markdown, or as columns padded to their widest cell (``right``: the columns
    aligned to the right, the figures)."""
    if markdown:
        rule = ["---:" if i in right else "---" for i in range(len(table[0]))]
        return "\n".join("| " + " | ".join(cells) + " |" for cells in [table[0], rule, *table[1:]])
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    out = []
    for n, cells in enumerate(table):
        padded = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))]
        out.append("  ".join(padded).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)
