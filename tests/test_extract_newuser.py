"""``sco-cal extract`` after a new user's first try: usage errors for options that do nothing, a publication
day that never depends on the clock, warnings for dates not drafted, updates that cite the release and say
what changed, a header that is true, and a word on a terminal when nothing is found."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DATA, MOSCOW_HEADER, Result, digest, registry

SEED = DATA / "extract" / "seed-ewg-2019.txt"
Run = Callable[..., Result]


@pytest.mark.parametrize(
    ("options", "named"),
    [(["--yes"], "--yes"), (["--add", "--yes", "--format", "json"], "--format")],
)
def test_an_option_that_would_do_nothing_is_a_usage_error(
    sco_cal: Run, tmp_path: Path, options: list[str], named: str
) -> None:
    path = registry(tmp_path, "")
    saved = digest(path)
    done = sco_cal("--registry", path, "extract", SEED, "--published", "2019-11-01", *options)
    assert done.code == 2
    assert done.stderr.startswith(f"error: {named}: ")
    assert (done.stdout, done.stderr.count("\n")) == ("", 1)
    assert digest(path) == saved


@pytest.mark.parametrize("word", ["tomorrow", "today", "Thursday", "next week"])
def test_published_must_be_a_date_not_a_word_for_today(sco_cal: Run, word: str) -> None:
    done = sco_cal("extract", SEED, "--published", word)
    assert done.code == 2
    assert done.stdout == ""
    assert f"--published {word!r}" in done.stderr
    assert "Traceback" not in done.stderr


def test_published_takes_a_written_date(sco_cal: Run) -> None:
    assert (
        sco_cal("extract", SEED, "--published", "1 Nov 2019").stdout
        == sco_cal("extract", SEED, "--published", "2019-11-01").stdout
    )


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("The talks will be held next week.", "'next week'"),
        ("The drill is planned for the third quarter.", "'for the third quarter'"),
        ("The report on the drills is due no later than June.", "'no later than June'"),
        ("The CIS council has been postponed to the autumn.", "'to the autumn'"),
        ("The talks will be held in 2020 or 2021.", "'2020 or 2021'"),
        ("The summit will be held before the end of 2021.", "'the end of 2021'"),
        ("The talks were held on 31 February 2019.", "'31 February 2019'"),
    ],
)
def test_a_date_not_drafted_is_named_on_stderr(sco_cal: Run, text: str, named: str) -> None:
    done = sco_cal("extract", "-", "--published", "2019-11-01", stdin=text)
    assert done.code == 0, done.stderr
    assert done.stdout == ""  # nothing invented
    assert (
        done.stderr == f"warning: -: {named}: a date sco-cal cannot place (no year, or no single period); not drafted\n"
    )


def test_a_drafted_date_gives_no_warning(sco_cal: Run) -> None:
    done = sco_cal("extract", SEED, "--published", "2019-11-01")
    assert (done.code, done.stderr) == (0, "")


def test_latin1_text_is_read_with_a_warning_and_binary_is_refused(sco_cal: Run, tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("The Café talks were held in Minsk on 3 March 2020.".encode("latin-1"))
    done = sco_cal("extract", latin)
    assert done.code == 0
    assert "title: Café talks" in done.stdout
    assert done.stderr == f"warning: {latin}: not UTF-8 (byte 8); read as Latin-1, check the names\n"
    binary = tmp_path / "page.pdf"
    binary.write_bytes(b"%PDF-1.4\x00\x00 3 March 2020")
    refused = sco_cal("extract", binary)
    assert (refused.code, refused.stdout) == (2, "")
    assert refused.stderr == f"error: {binary}: not text (it holds NUL bytes); give a plain text or HTML file\n"


def test_nothing_found_is_said_on_a_terminal_and_silent_into_a_pipe(sco_cal: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("The ministers discussed regional security.\n", encoding="utf-8")
    piped = sco_cal("extract", empty)
    assert (piped.code, piped.stdout, piped.stderr) == (0, "", "")
    script = (
        "import os, pty, sys\n"
        f"argv = [{str(Path(sys.executable).parent / 'sco-cal')!r}, 'extract', {str(empty)!r}]\n"
        "pid, fd = pty.fork()\n"
        "if pid == 0:\n    os.execv(argv[0], argv)\n"
        "seen = b''\n"
        "while True:\n"
        "    try:\n        chunk = os.read(fd, 4096)\n    except OSError:\n        break\n"
        "    if not chunk:\n        break\n"
        "    seen += chunk\n"
        "os.waitpid(pid, 0)\n"
        "sys.stdout.write(seen.decode())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == f"{empty}: no dated statements found"


def test_an_update_cites_the_release_and_says_what_changed(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(tmp_path, "")
    planned = "The SCO summit will be held in Bishkek in June 2019."
    held = "The SCO summit was held in Bishkek on 13-14 June 2019."
    first = sco_cal("--registry", path, "extract", "-", "--published", "2019-01-10", "--add", "--yes",
                    "--source-url", "https://example.org/a", stdin=planned)  # fmt: skip
    assert first.stdout == "sco-summit-2019-06\n"
    done = sco_cal("--registry", path, "extract", "-", "--published", "2019-07-01", "--add", "--yes",
                   "--source-url", "https://example.org/b", stdin=held)  # fmt: skip
    assert done.code == 0, done.stderr
    assert done.stdout == (
        "updated: sco-summit-2019-06: status planned -> held, start 2019-06 -> 2019-06-13, "
        "end (none) -> 2019-06-14, sources + https://example.org/b\n"
    )
    shown = json.loads(sco_cal("--registry", path, "show", "sco-summit-2019-06", "--format", "json").stdout)
    assert [s["url"] for s in shown["event"]["sources"]] == ["https://example.org/a", "https://example.org/b"]
    again = sco_cal("--registry", path, "extract", "-", "--published", "2019-07-01", "--add", "--yes",
                    "--source-url", "https://example.org/b", stdin=held)  # fmt: skip
    assert (again.code, again.stdout) == (0, "")
    assert sco_cal("--registry", path, "validate").code == 0


def test_the_header_says_where_years_came_from_only_when_they_did(sco_cal: Run) -> None:
    read = sco_cal("extract", "-", "--published", "2019-11-01", stdin="The summit will be held on 5 March.")
    assert read.stdout.splitlines()[0] == (
        "# Drafts: check each one. Years and weekdays read against 2019-11-01 (--published)."
    )
    written = sco_cal("extract", "-", "--published", "2019-11-01", stdin="The summit will be held on 5 March 2020.")
    assert (
        written.stdout.splitlines()[0] == "# Drafts: check each one. Every date is as the text wrote it, year included."
    )


def test_a_dateline_without_a_year_is_named_when_a_phrase_needs_one(sco_cal: Run) -> None:
    done = sco_cal("extract", "-", stdin="ASTANA, June 5 (TASS) \u2014 The SCO summit was held on Monday.\n")
    assert (done.code, done.stdout) == (2, "")
    assert done.stderr == (
        "error: 'on Monday' needs the publication date to fix its year or day, and the dateline 'June 5' has no "
        "year; pass --published DATE\n"
    )


def test_an_excerpt_is_the_sentence_as_the_release_wrote_it(sco_cal: Run) -> None:
    text = "The \u201cCombat Brotherhood \u2013 2020\u201d drills will be held on 3\u20134\xa0March 2020 in Minsk.\n"
    done = sco_cal("extract", "-", "--format", "json", stdin=text)
    (event,) = json.loads(done.stdout)["events"]
    assert event["sources"][0]["excerpt"] == text.strip().replace("\xa0", " ")


def test_a_weekday_that_does_not_fit_the_date_is_said(sco_cal: Run) -> None:
    text = "The summit will open on Thursday, 6 March 2020. The forum will open on Friday, 6 March 2020."
    done = sco_cal("extract", "-", "--published", "2020-01-01", stdin=text)
    assert done.code == 0
    assert done.stdout.count("start: '2020-03-06'") == 2
    assert done.stderr == (
        "warning: -: 'Thursday, 6 March 2020': 2020-03-06 is a Friday; drafted as the date, check it\n"
    )


def test_a_season_goes_into_a_southern_registry_with_the_release_s_months(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(tmp_path, "", header=MOSCOW_HEADER.replace("events:", "seasons: southern\nevents:"))
    text = "The SCO forum will be held in Moscow in summer 2020.\n"
    done = sco_cal("--registry", path, "extract", "-", "--published", "2020-01-10", "--add", "--yes", stdin=text)
    assert (done.code, done.stdout) == (0, "sco-forum-2020-winter\n"), done.stderr
    shown = json.loads(sco_cal("--registry", path, "show", "sco-forum-2020-winter", "--format", "json").stdout)
    assert (shown["event"]["earliest"][:10], shown["event"]["latest"][:10]) == ("2020-06-01", "2020-09-01")
    again = sco_cal("--registry", path, "extract", "-", "--published", "2020-01-10", "--add", "--yes", stdin=text)
    assert (again.code, again.stdout) == (0, "")
    assert sco_cal("--registry", path, "validate").code == 0
