"""An event deleted by hand while another still names it in ``related``: a problem of the registry that
``validate`` lists (exit 3, at the item of the list) and ``review`` tells, never a reason for the other commands
to stop answering; a registry read whole and one read through its index tell it in the same words."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLE, Result
from test_index import Size

from sco_cal.errors import DanglingReference
from sco_cal.registry import load, problems

Run = Callable[..., Result]
GONE = "sco-joint-exercises-agreement-2007"
REFERRER = "protocol-joint-exercises-agreement"
OFF = {"SCO_CAL_CACHE": "off"}


@pytest.fixture(params=[Size(1, ".pickle"), Size(60, ".sqlite3")], ids=["small-whole", "big-index"])
def size(request: pytest.FixtureRequest) -> Size:
    chosen: Size = request.param
    return chosen


def prefix(size: Size) -> str:
    """The ids of the copy whose event is deleted: the example itself, or its sixth copy in a big registry."""
    return "" if size.copies == 1 else "c5-"


def without_the_named_event(path: Path, size: Size) -> tuple[int, int]:
    """Write the registry, then delete by hand the event its referrer names; the line and column of the item
    of ``related`` that now names nothing."""
    if size.copies == 1:
        path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    else:
        size.write(path)
    text = path.read_text(encoding="utf-8")
    first = text.index(f"  - id: {prefix(size)}{GONE}\n")
    text = text[:first] + text[text.index("  - id: ", first + 1) :]
    path.write_text(text, encoding="utf-8")
    item = text.index(f"related: [{prefix(size)}{GONE}]") + len("related: [")
    return text.count("\n", 0, item) + 1, item - text.rfind("\n", 0, item)


def test_validate_names_the_item_and_exits_3_read_whole_or_through_the_index(
    sco_cal: Run, tmp_path: Path, cache: Path, size: Size
) -> None:
    path = tmp_path / "r.yaml"
    line, column = without_the_named_event(path, size)
    expected = f"{path}:{line}:{column}: related: no event has the id '{prefix(size)}{GONE}'\n"
    assert sco_cal("-r", path, "list", "--format", "json").code == 0  # the read derives the copy
    runs = [sco_cal("-r", path, "validate"), sco_cal("-r", path, "validate"), sco_cal("-r", path, "validate", env=OFF)]
    assert [(run.code, run.stdout, run.stderr) for run in runs] == [(3, expected, "")] * 3
    assert [each.suffix for each in cache.iterdir()] == [size.suffix]


def test_the_first_validate_after_the_edit_derives_the_index_and_the_next_reads_it(
    sco_cal: Run, tmp_path: Path, cache: Path
) -> None:
    """Without a read before it, validate parses; the registry reads, so it keeps the index for what follows."""
    big = Size(60, ".sqlite3")
    path = tmp_path / "r.yaml"
    line, column = without_the_named_event(path, big)
    first = sco_cal("-r", path, "validate")
    assert [each.suffix for each in cache.iterdir()] == [".sqlite3"]
    again = sco_cal("-r", path, "validate")
    assert first.stdout == again.stdout == f"{path}:{line}:{column}: related: no event has the id 'c5-{GONE}'\n"
    assert first.code == again.code == 3


def test_every_read_goes_on_and_says_nothing_of_it(sco_cal: Run, tmp_path: Path, cache: Path, size: Size) -> None:
    path = tmp_path / "r.yaml"
    without_the_named_event(path, size)
    for command in (
        ["list", "--format", "json"],
        ["upcoming", "--from", "2020-06-01"],
        ["show", f"{prefix(size)}{REFERRER}"],
        ["agenda", "--now", "2020-06-01T09:00:00Z"],
        ["calendar", "June 2020"],
        ["timeline", "2020"],
    ):
        warm, whole = sco_cal("-r", path, *command), sco_cal("-r", path, *command, env=OFF)
        assert (warm.code, warm.stderr) == (0, ""), command
        assert warm.stdout == whole.stdout != "", command
    listed = json.loads(sco_cal("-r", path, "list", "--format", "json").stdout)["events"]
    assert any(event["related"] == [f"{prefix(size)}{GONE}"] for event in listed)
    assert all(event["id"] != f"{prefix(size)}{GONE}" for event in listed)


def test_export_publish_and_a_quiet_remind_go_on(sco_cal: Run, tmp_path: Path, cache: Path, size: Size) -> None:
    path = tmp_path / "r.yaml"
    without_the_named_event(path, size)
    exported = sco_cal("-r", path, "export", "-o", tmp_path / "all.ics")
    assert exported.code == 0, exported.stderr
    assert "BEGIN:VCALENDAR" in (tmp_path / "all.ics").read_text(encoding="utf-8")
    published = sco_cal("-r", path, "publish", tmp_path / "site", "--base-url", "https://example.org/sco")
    assert published.code == 0, published.stderr
    assert (tmp_path / "site" / "index.html").exists()
    sco_cal("-r", path, "remind", "--now", "2020-06-01T09:00:00Z")  # starts the ledger
    quiet = sco_cal("-r", path, "remind", "--now", "2020-06-01T09:05:00Z")
    assert (quiet.code, quiet.stdout, quiet.stderr) == (0, "", ""), "cron mails whatever a run prints"


def test_review_warns_of_it_on_stderr(sco_cal: Run, tmp_path: Path, cache: Path, size: Size) -> None:
    path = tmp_path / "r.yaml"
    line, column = without_the_named_event(path, size)
    command = ("-r", path, "review", "--now", "2020-06-01T09:00:00Z", "--format", "json")
    parsed, derived, whole = sco_cal(*command), sco_cal(*command), sco_cal(*command, env=OFF)
    assert [each.suffix for each in cache.iterdir()] == [size.suffix], "the second review read the derived copy"
    told = f"warning: {path}:{line}:{column}: related: no event has the id '{prefix(size)}{GONE}'"
    for review in (parsed, derived, whole):
        assert review.code == 0
        assert review.stderr.splitlines()[0] == told
        assert review.stdout == parsed.stdout
    assert json.loads(parsed.stdout)["findings"]  # the findings themselves are still listed


def test_edits_go_on_but_never_name_a_missing_event(sco_cal: Run, tmp_path: Path, cache: Path, size: Size) -> None:
    path = tmp_path / "r.yaml"
    without_the_named_event(path, size)
    referrer, other = f"{prefix(size)}{REFERRER}", f"{prefix(size)}sco-founding-2001"
    assert sco_cal("-r", path, "edit", other, "--status", "held").code == 0
    kept = sco_cal("-r", path, "edit", referrer, "--status", "scheduled")  # keeps the id it named already
    assert kept.code == 0, kept.stderr
    for refused in (
        sco_cal("-r", path, "edit", other, "--related", "nowhere"),
        sco_cal("-r", path, "edit", referrer, "--related", f"{prefix(size)}{GONE}", "--related", "nowhere"),
        sco_cal("-r", path, "add", "New", "--date", "2031-01-01", "--related", "nowhere"),
    ):
        assert (refused.code, refused.stderr) == (6, "error: related: no event has the id 'nowhere'\n")
    assert sco_cal("-r", path, "edit", other, "--related", referrer).code == 0
    named = sco_cal("-r", path, "remove", referrer, "--yes")
    assert named.code == 6
    assert f"{referrer!r} is named in 'related' by {other}; remove it there first" in named.stderr
    assert sco_cal("-r", path, "edit", referrer, "--clear", "related").code == 0
    clean = sco_cal("-r", path, "validate")
    assert clean.code == 0, clean.stdout
    assert re.fullmatch(rf"{re.escape(str(path))}: \d+ events, no problems\n", clean.stdout)


def test_the_library_reads_it_and_lists_it_as_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    line, column = without_the_named_event(path, Size(1, ".pickle"))
    assert REFERRER in load(path)
    [found] = problems(path)
    assert isinstance(found, DanglingReference)
    assert (found.line, found.column, found.target) == (line, column, GONE)


@pytest.mark.parametrize(
    ("related", "place"),
    [
        ("    related: [a, ghost]\n", (9, 18)),
        ("    related: ghost\n", (9, 14)),
        ("    related:\n      - a\n      # a comment\n      - ghost\n", (12, 9)),
    ],
    ids=["flow", "single", "block"],
)
def test_the_item_is_found_however_the_list_is_written(
    sco_cal: Run, tmp_path: Path, related: str, place: tuple[int, int]
) -> None:
    path = tmp_path / "r.yaml"
    header = "name: T\ntimezone: UTC\nuid_domain: t.sco-cal\nevents:\n"
    path.write_text(f"{header}  - id: a\n    title: A\n  - id: b\n    title: B\n{related}  - id: c\n    title: C\n")
    result = sco_cal("-r", path, "validate")
    assert (result.code, result.stdout) == (3, f"{path}:{place[0]}:{place[1]}: related: no event has the id 'ghost'\n")


@pytest.mark.parametrize("edit", ["delete the named event", "name a missing id"])
def test_a_hand_edit_that_leaves_an_id_dangling_is_patched_into_the_index(
    sco_cal: Run, tmp_path: Path, cache: Path, edit: str
) -> None:
    """Such an edit no longer sends a big registry's next read to a full parse and a new index."""
    big = Size(60, ".sqlite3")
    path = tmp_path / "r.yaml"
    big.write(path)
    assert sco_cal("-r", path, "list", "--format", "json").code == 0
    (index,) = cache.iterdir()
    before = index.stat().st_ino
    if edit == "delete the named event":
        text = path.read_text(encoding="utf-8")
        first = text.index(f"  - id: c5-{GONE}\n")
        path.write_text(text[:first] + text[text.index("  - id: ", first + 1) :], encoding="utf-8")
        missing = f"c5-{GONE}"
    else:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(f"related: [c5-{GONE}]", "related: [c5-never-was]", 1), encoding="utf-8")
        missing = "c5-never-was"
    listing = ("-r", path, "list", "--format", "json")
    warm, whole = sco_cal(*listing), sco_cal(*listing, env=OFF)
    assert (warm.code, warm.stderr, warm.stdout) == (0, "", whole.stdout)
    assert index.stat().st_ino == before  # patched in place, not built again
    checked = sco_cal("-r", path, "validate")
    assert (checked.code, checked.stdout.count(f"no event has the id '{missing}'")) == (3, 1)
