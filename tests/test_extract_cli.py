"""``sco-cal extract`` as a user runs it: a file or stdin, plain text or HTML, the publication day from
``--published`` or the dateline (else exit 2 naming the phrase), YAML that ``validate`` accepts as printed,
the JSON records ``list`` prints, and ``--add`` that asks, refuses without a terminal, and never duplicates."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import DATA, MOSCOW_HEADER, Result, digest, registry

SEED = DATA / "extract" / "seed-ewg-2019.txt"
Run = Callable[..., Result]
WIRE = (
    "MOSCOW, October 31 2019 (TASS) - The CSTO Collective Security Council will meet in Moscow on 28 November.\n"
    "The CIS summit was held in Ashgabat on 11 October. Belarus took part as an observer.\n"
)


def _seed_yaml(sco_cal: Run) -> str:
    done = sco_cal("extract", SEED, "--published", "2019-11-01")
    assert done.code == 0, done.stderr
    return done.stdout


def test_stdin_gives_what_the_file_gives(sco_cal: Run) -> None:
    piped = sco_cal("extract", "-", "--published", "2019-11-01", stdin=SEED.read_text(encoding="utf-8"))
    assert piped.code == 0, piped.stderr
    assert piped.stdout == _seed_yaml(sco_cal)


def test_html_is_read_without_its_tags(sco_cal: Run) -> None:
    page = (
        "<html><head><title>SCO</title><script>var d = '5 May 2031';</script></head><body>"
        "<p>The SCO summit will be held in Bishkek on June&nbsp;13&ndash;14.</p></body></html>"
    )
    done = sco_cal("extract", "-", "--published", "2019-06-01", "--format", "json", stdin=page)
    assert done.code == 0, done.stderr
    (event,) = json.loads(done.stdout)["events"]
    assert (event["start"]["value"], event["end"]["value"]) == ("2019-06-13", "2019-06-14")
    assert event["venue"]["name"] == "Bishkek"
    assert "<p>" not in event["sources"][0]["excerpt"]


def test_the_dateline_gives_the_publication_day(sco_cal: Run) -> None:
    done = sco_cal("extract", "-", "--format", "json", stdin=WIRE)
    assert done.code == 0, done.stderr
    events = json.loads(done.stdout)["events"]
    assert [(e["start"]["value"], e["status"]) for e in events] == [("2019-11-28", "scheduled"), ("2019-10-11", "held")]
    assert {e["sources"][0]["published"] for e in events} == {"2019-10-31"}


def test_a_phrase_needing_the_publication_day_without_one_exits_2_naming_it(sco_cal: Run) -> None:
    done = sco_cal("extract", SEED)
    assert done.code == 2
    assert done.stdout == ""
    assert "'31 October - 1 November' needs the publication date" in done.stderr
    assert "--published" in done.stderr
    assert "Traceback" not in done.stderr


def test_published_must_be_a_day(sco_cal: Run) -> None:
    done = sco_cal("extract", SEED, "--published", "2019")
    assert (done.code, done.stdout) == (2, "")
    assert "--published '2019': give the day" in done.stderr


def test_a_missing_file_is_named(sco_cal: Run, tmp_path: Path) -> None:
    done = sco_cal("extract", tmp_path / "nope.txt", "--published", "2019-11-01")
    assert done.code == 2
    assert "nope.txt: no such file" in done.stderr


def test_nothing_to_draft_prints_nothing(sco_cal: Run) -> None:
    done = sco_cal("extract", "-", stdin="The ministers exchanged views on regional security.\n")
    assert (done.code, done.stdout, done.stderr) == (0, "", "")


def test_the_yaml_has_a_comment_on_each_field_it_drafted(sco_cal: Run) -> None:
    text = _seed_yaml(sco_cal)
    assert "start: '2019-10-31'  # '31 October - 1 November'; year from published 2019-11-01, past ('held')" in text
    assert "status: planned  # 'slated'" in text
    assert "venue:  # 'in the Russian Federation'" in text


def test_every_draft_passes_validate_as_printed(sco_cal: Run, tmp_path: Path) -> None:
    drafts = _seed_yaml(sco_cal)
    path = tmp_path / "drafts.yaml"
    path.write_text(MOSCOW_HEADER.replace("events:\n", "") + drafts, encoding="utf-8")
    done = sco_cal("--registry", path, "validate")
    assert done.code == 0, done.stderr
    listed = sco_cal("--registry", path, "list", "--from", "2007-01-01", "--to", "2021-01-01", "--format", "json")
    assert len(json.loads(listed.stdout)["events"]) == 5


def test_json_has_the_shape_list_prints(sco_cal: Run, example: Path) -> None:
    drafts = json.loads(sco_cal("extract", SEED, "--published", "2019-11-01", "--format", "json").stdout)
    listed = json.loads(sco_cal("--registry", example, "list", "--from", "2019-01-01", "--format", "json").stdout)
    assert set(drafts) == set(listed) == {"schema", "events"}
    assert drafts["schema"] == listed["schema"]
    assert [set(e) for e in drafts["events"]] == [set(listed["events"][0])] * len(drafts["events"])


def test_add_yes_twice_adds_the_drafts_once(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(tmp_path, "")
    first = sco_cal("--registry", path, "extract", SEED, "--published", "2019-11-01", "--add", "--yes")
    assert first.code == 0, first.stderr
    assert first.stdout.split()[0] == "sco-ewg-07"
    assert len(first.stdout.split()) == 5
    saved = digest(path)
    second = sco_cal("--registry", path, "extract", SEED, "--published", "2019-11-01", "--add", "--yes")
    assert (second.code, second.stdout) == (0, "")
    assert second.stderr.count("already in the registry as") == 5
    assert digest(path) == saved
    assert sco_cal("--registry", path, "validate").code == 0
    undone = sco_cal("--registry", path, "undo")
    assert undone.code == 0, undone.stderr


def test_a_later_release_is_offered_as_an_update_not_a_twin(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(tmp_path, "")
    planned = "The SCO summit will be held in Bishkek in June 2019."
    held = "The SCO summit was held in Bishkek in June 2019."
    assert sco_cal("--registry", path, "extract", "-", "--published", "2019-01-10", "--add", "--yes",
                   stdin=planned).code == 0  # fmt: skip
    done = sco_cal("--registry", path, "extract", "-", "--published", "2019-07-01", "--add", "--yes", stdin=held)
    assert done.code == 0, done.stderr
    events = json.loads(sco_cal("--registry", path, "list", "--from", "2019-01-01", "--format", "json").stdout)
    assert [(e["id"], e["status"]) for e in events["events"]] == [("sco-summit-2019-06", "held")]


def test_add_without_a_terminal_and_without_yes_refuses(sco_cal: Run, tmp_path: Path) -> None:
    path = registry(tmp_path, "")
    saved = digest(path)
    done = sco_cal("--registry", path, "extract", SEED, "--published", "2019-11-01", "--add")
    assert done.code == 2
    assert "no terminal to ask on; pass --yes" in done.stderr
    assert done.stdout == ""
    assert digest(path) == saved


def test_add_asks_about_each_draft_on_a_terminal(tmp_path: Path) -> None:
    """On a terminal each draft is shown and asked about; "n" keeps it out, "y" adds it."""
    path = registry(tmp_path, "")
    script = (
        "import os, pty, sys\n"
        f"argv = [{str(Path(sys.executable).parent / 'sco-cal')!r}, '--registry', {str(path)!r}, 'extract', "
        f"{str(SEED)!r}, '--published', '2019-11-01', '--add']\n"
        "pid, fd = pty.fork()\n"
        "if pid == 0:\n    os.execv(argv[0], argv)\n"
        "seen = b''\n"
        "for answer in [b'y', b'n', b'n', b'n', b'n']:\n"
        "    while not seen.rstrip().endswith(b'[y/N]:'):\n"
        "        seen += os.read(fd, 4096)\n"
        "    os.write(fd, answer + b'\\n')\n"
        "    seen = b''\n"
        "while True:\n"
        "    try:\n        chunk = os.read(fd, 4096)\n    except OSError:\n        break\n"
        "    if not chunk:\n        break\n"
        "    seen += chunk\n"
        "os.waitpid(pid, 0)\n"
        "sys.stdout.write(seen.decode())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert "sco-ewg-07" in done.stdout
    assert path.read_text(encoding="utf-8").count("- id:") == 1


def test_other_commands_do_not_load_the_extractor() -> None:
    probe = (
        "import sys\nfrom sco_cal.cli import commands\napp = commands('list')\n"
        "sys.argv = ['sco-cal', 'list', '--help']\n"
        "try:\n    app(prog_name='sco-cal')\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert not [name for name in loaded if name.startswith(("sco_cal.extract", "sco_cal.services.extracting"))]
