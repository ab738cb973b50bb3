"""An import into a big registry asks its index only about the UIDs, series and ids it meets: the result (the
file's bytes, the messages, the dry run, the exit code) is exactly that of the same import with the cache off,
after a build, a hand edit, an ``add``, a ``remove`` and the import's own updates of the index."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import Result

from sco_cal.registry import INDEX_FROM_BYTES

Run = Callable[..., Result]

HEADER = "schema: 1\nname: Lookup\ntimezone: Europe/Moscow\nuid_domain: test.example\nevents:\n"
# Events the imports meet: a foreign UID shadowing one of ours, a foreign UID held twice, an id that titles collide
# with, and ours to be sent back.
KNOWN = """\
  - id: shadowed
    title: Shadowed
    start: 2031-01-01
  - id: shadower
    title: Shadower
    start: 2031-01-02
    uid: shadowed@test.example
  - id: dup-a
    title: Duplicate A
    start: 2031-01-03
    uid: dup@elsewhere
  - id: dup-b
    title: Duplicate B
    start: 2031-01-04
    uid: dup@elsewhere
  - id: ours-1
    title: Ours one
    start: 2031-02-02
  - id: board-meeting-2031-03-03
    title: Board meeting
    start: 2031-03-03
  - id: board-meeting-2031-03-03-2
    title: Board meeting
    start: 2031-03-03
"""


def _vevent(uid: str, summary: str, start: str, *extra: str) -> str:
    lines = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20300101T000000Z", f"DTSTART;VALUE=DATE:{start}"]
    return "\r\n".join([*lines, f"SUMMARY:{summary}", *extra, "END:VEVENT"]) + "\r\n"


def _series(title: str, moved: dict[str, str]) -> str:
    """A weekly meeting as Google writes it, with occurrences moved (by original day: new title)."""
    rule = "RRULE:FREQ=WEEKLY;UNTIL=20240415;BYDAY=MO"
    text = _vevent("standup@google.com", title, "20240304", rule, "LOCATION:Room 4")
    for replaces, summary in moved.items():
        text += _vevent("standup@google.com", summary, replaces, f"RECURRENCE-ID;VALUE=DATE:{replaces}")
    return text


def _calendar(path: Path, *events: str) -> Path:
    path.write_bytes(("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "".join(events) + "END:VCALENDAR\r\n").encode())
    return path


@dataclass
class Pair:
    """The same registry twice: one read through its index, one with the cache off."""

    indexed: Path
    plain: Path
    since: datetime  # the import's clock stamps changed foreign events; stamps from here on are the run's

    def run(self, sco_cal: Run, *args: str | Path, code: int = 0) -> Result:
        """``sco-cal -r REGISTRY ARGS`` on both; the two give the same output, exit code and file."""
        indexed = sco_cal("-r", self.indexed, *args)
        plain = sco_cal("-r", self.plain, *args, env={"SCO_CAL_CACHE": "off"})
        assert (indexed.code, plain.code) == (code, code), indexed.stderr
        assert self._same(indexed.stdout, self.indexed) == self._same(plain.stdout, self.plain)
        assert self._same(indexed.stderr, self.indexed) == self._same(plain.stderr, self.plain)
        assert self._same(self.indexed.read_text(), self.indexed) == self._same(self.plain.read_text(), self.plain)
        return indexed

    def edit_by_hand(self, edit: Callable[[str], str]) -> None:
        for path in (self.indexed, self.plain):
            path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")

    def _same(self, text: str, path: Path) -> str:
        def now(found: re.Match[str]) -> str:
            return "'<now>'" if datetime.fromisoformat(found[1]) >= self.since else found[0]

        text = text.replace(str(path.parent), "<dir>")
        return re.sub(r"'(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)'", now, text)


@pytest.fixture
def pair(tmp_path: Path, sco_cal: Run) -> Pair:
    fillers = "".join(
        f"  - id: filler-{n:04d}\n    title: Filler meeting {n}\n    start: 2030-{n % 12 + 1:02d}-{n % 28 + 1:02d}\n"
        f"    notes: Text enough to make the registry big enough for its index to be kept.\n"
        for n in range(INDEX_FROM_BYTES // 120 + 50)
    )
    text = HEADER + KNOWN + fillers
    assert len(text.encode()) > INDEX_FROM_BYTES
    since = datetime.now(UTC).replace(microsecond=0)
    made = Pair(tmp_path / "indexed" / "r.yaml", tmp_path / "plain" / "r.yaml", since)
    for path in (made.indexed, made.plain):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    assert sco_cal("-r", made.indexed, "upcoming").code == 0  # builds the index
    assert _index_files()
    return made


def _index_files() -> list[Path]:
    return sorted(Path(os.environ["XDG_CACHE_HOME"]).rglob("*.sqlite3"))


def _summary(result: Result) -> str:
    return result.stdout.strip().splitlines()[-1]


def test_imports_find_the_same_events_through_the_index_as_without_it(tmp_path: Path, sco_cal: Run, pair: Pair) -> None:
    first = _calendar(
        tmp_path / "first.ics",
        _series("Standup", {"20240311": "Standup (moved)", "20240325": "Standup with the minister"}),
        _vevent("shadowed@test.example", "Shadower, renamed", "20310102"),
        _vevent("dup@elsewhere", "Duplicate, renamed", "20310104"),
        _vevent("ours-1@test.example", "Ours one, renamed", "20310202"),
        _vevent("board@elsewhere", "Board meeting", "20310303"),
        _vevent("board-2@elsewhere", "Board meeting", "20310303"),
        _vevent("foreign-1@elsewhere", "Foreign one", "20320101", "X-SCO-ID:filler-0001"),
    )
    dry = pair.run(sco_cal, "import", "--dry-run", first)
    assert _summary(dry) == "6 new, 3 updated, 0 unchanged, 0 errors (dry run: nothing written)"
    done = pair.run(sco_cal, "import", first)
    assert _summary(done) == "6 new, 3 updated, 0 unchanged, 0 errors"
    text = pair.indexed.read_text(encoding="utf-8")
    assert "title: Shadower, renamed" in text
    assert "title: Duplicate B" not in text
    assert "id: board-meeting-2031-03-03-3" in text
    assert "id: board-meeting-2031-03-03-4" in text
    assert text.count("occurrence_of: standup-") == 2
    again = pair.run(sco_cal, "import", first)
    assert _summary(again) == "0 new, 0 updated, 9 unchanged, 0 errors"

    second = _calendar(
        tmp_path / "second.ics",
        _series("Standup", {"20240311": "Standup (moved again)", "20240325": "Standup with the minister"}),
        _series("Standup", {"20240401": "Standup, a new move"}).split("END:VEVENT\r\n", 1)[1],
    )
    assert _summary(pair.run(sco_cal, "import", "--dry-run", second)) == (
        "1 new, 2 updated, 1 unchanged, 0 errors (dry run: nothing written)"
    )
    assert _summary(pair.run(sco_cal, "import", second)) == "1 new, 2 updated, 1 unchanged, 0 errors"
    assert "title: Standup (moved again)" in pair.indexed.read_text(encoding="utf-8")

    alarm = ("BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-P90D", "DESCRIPTION:Soon", "END:VALARM")
    far = _calendar(tmp_path / "far.ics", _vevent("far@elsewhere", "Far ahead", "20330601", *alarm))
    assert _summary(pair.run(sco_cal, "import", far)) == "1 new, 0 updated, 0 unchanged, 0 errors"
    # the index learnt the longest lead time: the reminder 90 days ahead is due through it too
    due = pair.run(
        sco_cal, "remind", "--ledger-beside-registry", "--dry-run", "--now", "2033-03-04T12:00Z", "--format", "json"
    )
    assert "Far ahead" in due.stdout


def test_refusals_are_the_same_through_the_index(tmp_path: Path, sco_cal: Run, pair: Pair) -> None:
    bad = _calendar(
        tmp_path / "bad.ics",
        _vevent("fine@elsewhere", "Fine", "20330101"),
        _vevent("orphan@elsewhere", "Orphan", "20330102", "RECURRENCE-ID;VALUE=DATE:20330102"),
        _vevent("huge@elsewhere", "Huge", "20330103", "SEQUENCE:2147483648"),
        _vevent("dup@elsewhere", "Duplicate", "20330104", "SEQUENCE:2147483648"),
    )
    before = pair.indexed.read_bytes()
    for args in (("import", "--dry-run", bad), ("import", bad)):
        refused = pair.run(sco_cal, *args, code=7)
        assert "orphan@elsewhere" in refused.stderr
        assert "huge@elsewhere" in refused.stderr
        assert pair.indexed.read_bytes() == before


def _dry_then_real(sco_cal: Run, pair: Pair, calendar: Path, index: Path, summary: str) -> None:
    """The dry run plans from the index as the last edit left it (patched or updated in place, not built again);
    then the import itself."""
    inode = index.stat().st_ino
    assert _summary(pair.run(sco_cal, "import", "--dry-run", calendar)) == f"{summary} (dry run: nothing written)"
    assert index.stat().st_ino == inode
    assert _summary(pair.run(sco_cal, "import", calendar)) == summary


def test_the_index_knows_the_uids_after_a_hand_edit_an_add_and_a_remove(
    tmp_path: Path, sco_cal: Run, pair: Pair
) -> None:
    [index] = _index_files()
    pair.edit_by_hand(
        lambda text: (
            text.replace("    uid: dup@elsewhere\n  - id: ours-1", "    uid: dup2@elsewhere\n  - id: ours-1")
            + "  - id: by-hand\n    title: By hand\n    start: 2032-05-05\n    uid: hand@elsewhere\n"
        )
    )
    after_edit = _calendar(
        tmp_path / "edit.ics",
        _vevent("hand@elsewhere", "By hand, renamed", "20320505"),
        _vevent("dup@elsewhere", "Duplicate A, renamed", "20310103"),
        _vevent("dup2@elsewhere", "Duplicate B", "20310104"),
    )
    _dry_then_real(sco_cal, pair, after_edit, index, "0 new, 2 updated, 1 unchanged, 0 errors")
    assert "title: Duplicate A, renamed" in pair.indexed.read_text(encoding="utf-8")

    pair.run(sco_cal, "add", "Added later", "--date", "2032-04-04", "--id", "added-later-2032-04-04")
    after_add = _calendar(
        tmp_path / "add.ics",
        _vevent("added-later-2032-04-04@test.example", "Added later, renamed", "20320404"),
        _vevent("other-added@elsewhere", "Added later", "20320404"),
    )
    _dry_then_real(sco_cal, pair, after_add, index, "1 new, 1 updated, 0 unchanged, 0 errors")
    assert "id: added-later-2032-04-04-2" in pair.indexed.read_text(encoding="utf-8")

    pair.run(sco_cal, "remove", "--yes", "shadower")
    pair.run(sco_cal, "remove", "--yes", "dup-a")
    after_remove = _calendar(
        tmp_path / "remove.ics",
        _vevent("shadowed@test.example", "Shadowed, renamed", "20310101"),
        _vevent("dup@elsewhere", "Duplicate again", "20310103"),
    )
    _dry_then_real(sco_cal, pair, after_remove, index, "1 new, 1 updated, 0 unchanged, 0 errors")
    shutil.rmtree(os.environ["XDG_CACHE_HOME"])  # and an index built afresh from the result answers alike
    assert _summary(pair.run(sco_cal, "import", after_remove)) == "0 new, 0 updated, 2 unchanged, 0 errors"


def test_many_events_of_one_title_and_day_get_the_next_free_ids(tmp_path: Path, sco_cal: Run, pair: Pair) -> None:
    """Each new id is asked of the index and the ids planned so far, one try at a time: 300 events named alike
    (two of their ids already taken) number on from -3, as without the cache."""
    alike = [_vevent(f"board-{n}@other", "Board meeting", "20310303") for n in range(3, 303)]
    done = pair.run(sco_cal, "import", _calendar(tmp_path / "alike.ics", *alike))
    assert _summary(done) == "300 new, 0 updated, 0 unchanged, 0 errors"
    ids = re.findall(r"^  - id: (board-meeting-2031-03-03\S*)$", pair.indexed.read_text(encoding="utf-8"), re.MULTILINE)
    assert ids == ["board-meeting-2031-03-03", *(f"board-meeting-2031-03-03-{n}" for n in range(2, 303))]
