"""``sco-cal remind`` as cron runs it: the installed command in a subprocess, with a fixed ``--now``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DATA, SCO_CAL, Result

Run = Callable[..., Result]
NOW = "2030-03-09T07:30:00Z"
GIVEN_AT_NOW = ["video-call", "agreement-anniversary", "ewg-meeting", "exercise", "summit"]


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    target = tmp_path / "registry.yaml"
    shutil.copyfile(DATA / "registries" / "remind-basic.yaml", target)
    return target


@pytest.fixture
def remind(sco_cal: Run, registry: Path, tmp_path: Path) -> Callable[..., Result]:
    ledger = tmp_path / "ledger.json"

    def run(*args: str, now: str = NOW, env: dict[str, str] | None = None) -> Result:
        return sco_cal("-r", registry, "remind", "--ledger", ledger, "--now", now, *args, env=env)

    return run


def ids_in(text: str) -> list[str]:
    return [line.split()[1] for line in text.splitlines() if line.startswith("  id:")]


def entries(path: Path) -> list[dict[str, str]]:
    return list(json.loads(path.read_text())["entries"])


def hook_script(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "hook.py"
    script.write_text(f"#!{sys.executable}\nimport os, sys, time\n{body}\n")
    script.chmod(0o755)
    return script


def test_first_run_gives_the_due_reminders_once(
    remind: Callable[..., Result], golden: Callable[[str, str], None]
) -> None:
    first = remind()
    assert first.code == 0, first.stderr
    assert ids_in(first.stdout) == GIVEN_AT_NOW
    assert "no reminder ledger" in first.stderr
    golden("remind-basic.txt", first.stdout)
    second = remind()
    assert (second.code, second.stdout, second.stderr) == (0, "", "")


def test_nothing_due_prints_nothing_at_all(remind: Callable[..., Result]) -> None:
    remind(now="2030-01-01T00:00:00Z")
    quiet = remind(now="2030-01-01T00:01:00Z")
    assert (quiet.code, quiet.stdout, quiet.stderr) == (0, "", "")


def test_running_every_minute_gives_each_reminder_once(remind: Callable[..., Result]) -> None:
    seen: list[str] = []
    for minute in range(0, 121, 15):  # 07:30 .. 09:30
        hour, rest = divmod(30 + minute, 60)
        result = remind(now=f"2030-03-09T{7 + hour:02d}:{rest:02d}:00Z")
        assert result.code == 0
        seen += [f"{i}@{7 + hour:02d}:{rest:02d}" for i in ids_in(result.stdout)]
    assert sorted(seen) == sorted(
        [f"{i}@07:30" for i in GIVEN_AT_NOW] + ["video-call@09:15"]  # the 15m reminder of the 09:30 call
    )


def test_each_lead_time_and_precision_through_the_cli(remind: Callable[..., Result]) -> None:
    remind(now="2030-03-01T00:00:00Z")
    day = remind(now="2030-03-15T00:00:00Z")  # the 1d of the 16-17 March meeting
    assert "ewg-meeting (1d reminder)" in day.stdout
    month = remind(now="2030-05-02T00:00:00Z")
    assert "defence-chiefs (30d reminder)" in month.stdout
    assert "when:   Jun 2030 (date TBC)" in month.stdout
    assert "starts: in 30 days at the earliest (1 Jun 2030)" in month.stdout
    assert "note:   the date is not fixed yet" in month.stdout
    year = remind(now="2030-12-02T00:00:00Z")
    assert "when:   2031 (TBC)" in year.stdout
    assert "presidency-year (30d reminder)" in year.stdout


def test_a_cancelled_event_is_never_reminded(remind: Callable[..., Result]) -> None:
    result = remind("--catch-up", "30d")
    assert result.code == 0
    assert "cancelled-meeting" not in result.stdout
    assert "Cancelled meeting" not in result.stdout


def test_a_zoned_event_across_the_dst_change(remind: Callable[..., Result]) -> None:
    remind()
    early = remind(now="2030-03-09T14:59:00Z")  # 09:59 EST, a minute before 1d before 10:00 EDT on the 10th
    assert "new-york-call" not in early.stdout
    due = remind(now="2030-03-09T15:00:00Z")
    assert "new-york-call (1d reminder)" in due.stdout
    assert "when:   10 Mar 2030 14:00 UTC (10:00 EDT)" in due.stdout  # the registry's zone, the event's own beside
    assert "starts: in 23 hours" in due.stdout  # the clocks spring forward overnight
    two_hours = remind(now="2030-03-10T12:00:00Z")
    assert "new-york-call (2h reminder)" in two_hours.stdout


def test_a_date_moved_after_its_reminder_is_given_again_saying_so(
    remind: Callable[..., Result], registry: Path
) -> None:
    assert "ewg-meeting (7d reminder)" in remind().stdout
    text = registry.read_text()
    registry.write_text(
        text.replace("start: 2030-03-16\n    end: 2030-03-17", "start: 2030-03-12\n    end: 2030-03-13")
    )
    moved = remind(now="2030-03-09T08:00:00Z")
    assert moved.code == 0
    assert ids_in(moved.stdout) == ["ewg-meeting"]
    assert "when:   12-13 Mar 2030" in moved.stdout
    assert "moved:  the date moved from 16 Mar 2030" in moved.stdout
    assert "starts: in 3 days" in moved.stdout
    assert remind(now="2030-03-09T08:01:00Z").stdout == ""
    later = remind(now="2030-03-11T00:00:00Z")  # its 1d reminder for the new date: no second "moved"
    assert "ewg-meeting (1d reminder)" in later.stdout
    assert "moved:" not in later.stdout


def test_catch_up_after_a_gap_gives_recent_and_skips_old(remind: Callable[..., Result], tmp_path: Path) -> None:
    remind(now="2030-03-01T00:00:00Z")
    back = remind(now="2030-03-15T12:00:00Z")  # the machine was off for two weeks
    assert back.code == 0
    assert ids_in(back.stdout) == ["ewg-meeting"]
    assert "ewg-meeting (1d reminder)" in back.stdout
    assert "note: skipped" in back.stderr
    assert "due more than 2d ago" in back.stderr
    assert "summit" in back.stderr
    skipped = {(e["event"], e["lead"]) for e in entries(tmp_path / "ledger.json") if e["state"] == "skipped"}
    assert {("summit", "30d"), ("ewg-meeting", "7d"), ("video-call", "2h"), ("exercise", "1w")} <= skipped
    assert remind(now="2030-03-15T12:01:00Z").stdout == ""


def test_a_longer_catch_up_window_gives_more(remind: Callable[..., Result]) -> None:
    remind(now="2030-03-01T00:00:00Z")
    back = remind("--catch-up", "10d", now="2030-03-15T12:00:00Z")
    assert {"summit", "exercise", "ewg-meeting"} <= set(ids_in(back.stdout))
    assert "ewg-meeting (1d reminder)" in back.stdout  # one block per event: the latest of its reminders


def test_dry_run_records_nothing(remind: Callable[..., Result], tmp_path: Path) -> None:
    dry = remind("--dry-run")
    assert ids_in(dry.stdout) == GIVEN_AT_NOW
    assert not (tmp_path / "ledger.json").exists()
    assert ids_in(remind().stdout) == GIVEN_AT_NOW
    assert remind("--dry-run").stdout == ""


def test_json_output_is_stable(remind: Callable[..., Result]) -> None:
    result = remind("--format", "json")
    document = json.loads(result.stdout)
    assert document["schema"] == 1
    assert document["now"] == "2030-03-09T07:30:00+00:00"
    first = document["reminders"][0]
    assert first == {
        "id": "video-call",
        "title": "Video call of the secretariats",
        "kind": "meeting",
        "status": "scheduled",
        "occurrence": None,
        "start": "2030-03-09 09:30 UTC",
        "end": None,
        "precision": "minute",
        "fixed": True,
        "when": "9 Mar 2030 09:30 UTC",
        "display_zone": "UTC",
        "display_start": "2030-03-09 09:30 UTC",
        "display_end": None,
        "earliest": "2030-03-09T09:30:00+00:00",
        "lead": "2h",
        "due": "2030-03-09T07:30:00+00:00",
        "until": "in 2 hours",
        "seconds_until": 7200,
        "where": None,
        "moved_from": None,
        "moved": None,
    }
    assert json.loads(remind("--format", "json").stdout)["reminders"] == []


def test_two_concurrent_runs_give_each_reminder_exactly_once(registry: Path, tmp_path: Path) -> None:
    log = tmp_path / "given.log"
    hook = hook_script(
        tmp_path,
        f"time.sleep(0.3)\nline = os.environ['SCO_CAL_ID'] + ' ' + os.environ['SCO_CAL_LEAD']\n"
        f"open({str(log)!r}, 'a').write(line + '\\n')",
    )
    args = [str(SCO_CAL), "-r", str(registry), "remind", "--ledger", str(tmp_path / "ledger.json"), "--now", NOW]
    env = {**os.environ, "SCO_CAL_LOCK_TIMEOUT": "30"}
    with_hook = [*args, "--exec", str(hook)]
    runs = [
        subprocess.Popen(with_hook, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in "ab"
    ]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    given = log.read_text().splitlines()
    assert sorted(given) == sorted(
        ["video-call 2h", "agreement-anniversary 7d", "ewg-meeting 7d", "exercise 1w", "summit 30d"]
    )
    printing = [*args[:-1], "2030-03-10T12:00:00Z"]  # then two printing runs at once
    runs = [
        subprocess.Popen(printing, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in "ab"
    ]
    stdouts = [run.communicate(timeout=60)[0] for run in runs]
    assert sorted(ids_in("".join(stdouts))) == ["new-york-call", "video-call"]  # 1d+2h, and the 15m


def test_a_failing_hook_is_not_recorded_and_exits_8(
    sco_cal: Run, remind: Callable[..., Result], tmp_path: Path
) -> None:
    log = tmp_path / "given.log"
    failing = hook_script(
        tmp_path,
        f"if os.environ['SCO_CAL_ID'] == 'summit':\n    sys.exit(3)\n"
        f"open({str(log)!r}, 'a').write(os.environ['SCO_CAL_ID'] + '\\n')",
    )
    result = remind("--exec", str(failing))
    assert result.code == 8
    assert result.stdout == ""
    assert "error:" in result.stderr
    assert "summit (30d)" in result.stderr
    assert "exited with 3" in result.stderr
    assert "Traceback" not in result.stderr
    assert "summit" not in log.read_text()
    given = {e["event"] for e in entries(tmp_path / "ledger.json") if e["state"] == "given"}
    assert given == set(GIVEN_AT_NOW) - {"summit"}
    retry = remind(now="2030-03-09T07:31:00Z")
    assert ids_in(retry.stdout) == ["summit"]


def test_a_hook_gets_fields_in_its_environment_never_through_a_shell(
    remind: Callable[..., Result], registry: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "PWNED"
    registry.write_text(
        registry.read_text().replace(
            "title: Heads of State Council", f"title: 'Council $(touch {marker}); `touch {marker}`'"
        )
    )
    out = tmp_path / "env.json"
    hook = hook_script(
        tmp_path,
        f"if os.environ['SCO_CAL_ID'] == 'summit':\n"
        f"    json = __import__('json')\n"
        f"    fields = {{k: v for k, v in os.environ.items() if k.startswith('SCO_CAL_')}}\n"
        f"    fields |= {{'stdin': sys.stdin.read(), 'argv': sys.argv[1:]}}\n"
        f"    open({str(out)!r}, 'w').write(json.dumps(fields))",
    )
    result = remind("--exec", f"{hook} --flag 'two words'")
    assert result.code == 0, result.stderr
    assert result.stdout == ""  # hooks replace printing
    env = json.loads(out.read_text())
    assert env["SCO_CAL_TITLE"] == f"Council $(touch {marker}); `touch {marker}`"
    assert env["SCO_CAL_ID"] == "summit"
    assert env["SCO_CAL_START"] == "2030-04-08"
    assert env["SCO_CAL_LEAD"] == "30d"
    assert env["SCO_CAL_UNTIL"] == "in 30 days"
    assert env["argv"] == ["--flag", "two words"]
    assert env["stdin"].startswith(f"Council $(touch {marker})")
    assert not marker.exists()


def test_a_hook_not_on_path_says_so(remind: Callable[..., Result]) -> None:
    result = remind("--exec", "no-such-notifier-xyz")
    assert result.code == 8
    assert "'no-such-notifier-xyz' not found" in result.stderr


def test_a_damaged_ledger_is_reported_and_nothing_is_given(remind: Callable[..., Result], tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.json"
    ledger.write_text('{"schema": 1, "entries": [')
    result = remind()
    assert result.code == 9
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert "damaged" in result.stderr
    assert "--reset-ledger" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    reset = remind("--reset-ledger")
    assert reset.code == 0
    assert "set the old ledger aside" in reset.stderr
    assert ids_in(reset.stdout) == GIVEN_AT_NOW
    assert (tmp_path / "ledger.json.damaged-20300309T073000Z").read_text() == '{"schema": 1, "entries": ['


def test_the_default_ledger_lives_in_the_state_folder(sco_cal: Run, registry: Path) -> None:
    state = Path(os.environ["XDG_STATE_HOME"]) / "sco-cal"
    result = sco_cal("-r", registry, "remind", "--now", NOW)
    assert result.code == 0
    (ledger,) = state.glob("ledger-registry-*.json")
    assert str(ledger) in result.stderr
    beside = sco_cal("-r", registry, "remind", "--now", NOW, "--ledger-beside-registry")
    assert ids_in(beside.stdout) == GIVEN_AT_NOW  # a different ledger: given there too
    assert (registry.parent / "registry.reminders.json").exists()
    both = sco_cal("-r", registry, "remind", "--ledger", "x.json", "--ledger-beside-registry")
    assert both.code == 2


def test_config_reminders_override_the_registry_header(sco_cal: Run, registry: Path, tmp_path: Path) -> None:
    Path(os.environ["SCO_CAL_CONFIG"]).write_text('[reminders]\nmeeting = ["3d"]\nsummit = ["30d"]\n')
    result = sco_cal("-r", registry, "remind", "--ledger", tmp_path / "l.json", "--now", "2030-03-13T00:00:00Z")
    assert "ewg-meeting (3d reminder)" in result.stdout
    Path(os.environ["SCO_CAL_CONFIG"]).write_text('[reminders]\nmeetings = ["3d"]\n')
    bad = sco_cal("-r", registry, "remind", "--ledger", tmp_path / "l.json", "--now", NOW)
    assert bad.code == 2
    assert "'meetings' is not a kind" in bad.stderr


def test_it_works_in_crons_bare_environment(registry: Path, tmp_path: Path) -> None:
    """No TTY, PATH=/usr/bin:/bin, no TZ: the output is plain and the zone comes from the registry."""
    assert SCO_CAL is not None
    base = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SHELL": "/bin/sh", "LOGNAME": "cron"}
    outputs = []
    for extra in ({}, {"TZ": "Pacific/Kiritimati"}):
        done = subprocess.run(
            [SCO_CAL, "-r", str(registry), "remind", "--dry-run", "--ledger", str(tmp_path / "l.json"), "--now", NOW],
            env={**base, **extra},
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert ids_in(outputs[0]) == GIVEN_AT_NOW
    assert "\x1b[" not in outputs[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--now", "2030-03-09 07:30"], "needs an offset"),
        (["--catch-up", "two days"], "--catch-up 'two days'"),
        (["--exec", "'unbalanced"], "--exec"),
    ],
)
def test_bad_options_are_one_line_on_stderr(sco_cal: Run, registry: Path, args: list[str], message: str) -> None:
    result = sco_cal("-r", registry, "remind", *args)
    assert result.code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_the_example_crontab_hooks_work_with_a_bare_path(registry: Path, tmp_path: Path) -> None:
    """The commented notify-send and mail lines of examples/crontab, run as cron would (through /bin/sh)."""
    assert SCO_CAL is not None
    crontab = (Path(__file__).parent.parent / "examples" / "crontab").read_text()
    lines = [line.removeprefix("# ") for line in crontab.splitlines() if "sco-cal remind --exec" in line]
    assert len(lines) == 2
    fakes = tmp_path / "bin"
    fakes.mkdir()
    log = tmp_path / "hooks.log"
    for name in ("notify-send", "mail"):
        fake = fakes / name
        fake.write_text(f'#!/bin/sh\nprintf "%s|" "{name}" "$@" >> {log}\ncat >> {log}\n')
        fake.chmod(0o755)
    for number, line in enumerate(lines):
        command = line.split(maxsplit=5)[5]  # drop the five time fields
        command += f" --now {NOW} --ledger {tmp_path / f'ledger{number}.json'}"
        done = subprocess.run(
            ["/bin/sh", "-c", command],
            env={
                "PATH": f"{fakes}:{Path(SCO_CAL).parent}:/usr/bin:/bin",
                "HOME": str(tmp_path),
                "SCO_CAL_REGISTRY": str(registry),
                "SCO_CAL_CONFIG": os.environ["SCO_CAL_CONFIG"],
            },
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == ""
    text = log.read_text()
    assert "notify-send|-a|sco-cal|Heads of State Council|8 Apr 2030 - in 30 days|" in text
    assert "mail|-s|sco-cal: Heads of State Council (in 30 days)|me@example.org|Heads of State Council\n  when:" in text


def test_a_run_that_cannot_get_the_lock_exits_75(remind: Callable[..., Result], tmp_path: Path) -> None:
    from filelock import FileLock

    with FileLock(str(tmp_path / ".ledger.json.lock")):
        result = remind(env={"SCO_CAL_LOCK_TIMEOUT": "0.5"})
    assert result.code == 75
    assert result.stdout == ""
    assert "another 'sco-cal remind' is still running" in result.stderr
    assert ids_in(remind().stdout) == GIVEN_AT_NOW  # nothing was recorded by the run that gave up


def test_a_run_with_nothing_to_do_needs_no_lock(remind: Callable[..., Result], tmp_path: Path) -> None:
    from filelock import FileLock

    assert ids_in(remind().stdout) == GIVEN_AT_NOW
    ledger = tmp_path / "ledger.json"
    before = ledger.read_bytes()
    with FileLock(str(tmp_path / ".ledger.json.lock")):  # a slow hook of another run holds it
        quiet = remind(now="2030-03-09T07:35:00Z", env={"SCO_CAL_LOCK_TIMEOUT": "0.5"})
        assert (quiet.code, quiet.stdout, quiet.stderr) == (0, "", "")
        assert ledger.read_bytes() == before  # the lock-free run wrote nothing
        # an hour on, the run must record itself: that needs the lock, so it waits and gives up
        busy = remind(now="2030-03-09T08:40:00Z", env={"SCO_CAL_LOCK_TIMEOUT": "0.5"})
        assert busy.code == 75
    later = remind(now="2030-03-09T08:40:00Z")
    assert later.code == 0, later.stderr
    assert json.loads(ledger.read_text())["last_run"].startswith("2030-03-09T08:40")
