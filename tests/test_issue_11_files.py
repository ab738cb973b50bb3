"""Files as a new user has them: registries reached through links, write-protected and unreadable files and
folders, pipes, undo that takes back exactly the last save over several levels, and a folder's shared header."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, SCO_CAL, Result

Run = Callable[..., Result]

HEADER = "schema: 1\nname: Defence\ntimezone: Europe/Moscow\n"
A_FILE = HEADER + "events:\n  - id: a1\n    title: A one\n    start: 2020-01-01\n"
B_FILE = HEADER + "events:\n  - id: b1\n    title: B one\n    start: 2020-01-02\n"


def snapshot(folder: Path, *, locks: bool = True) -> dict[str, bytes | str]:
    """Every entry under ``folder``, hidden ones too: a link as its target, a file as its bytes. ``locks=False``
    leaves out the lock file, which a folder registry's writer takes before it can know which files change."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if not locks and path.name == ".sco-cal.lock":
            continue
        if path.is_symlink():
            found[name] = f"-> {os.readlink(path)}"
        elif path.is_file():
            found[name] = path.read_bytes()
    return found


def rename_both(feed: Path) -> None:
    """Change the title of both events in an exported feed: importing it changes both files of the folder."""
    text = feed.read_text()
    feed.write_text(text.replace("SUMMARY:A one", "SUMMARY:A renamed").replace("SUMMARY:B one", "SUMMARY:B renamed"))


def ids(sco_cal: Run, registry: Path) -> list[str]:
    result = sco_cal("-r", registry, "list", "--format", "csv")
    assert result.code == 0, result.stderr
    return [line.split(",")[0] for line in result.stdout.splitlines()[1:]]


def one_line_error(result: Result, code: int, *parts: str) -> None:
    assert result.code == code, (result.code, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    for part in parts:
        assert part in lines[0], (part, lines[0])


# -- links ------------------------------------------------------------------------------------------------------


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path]:
    """A registry in one folder, and a link to it in another (as a user keeps it in a synced folder)."""
    (tmp_path / "store").mkdir()
    (tmp_path / "home").mkdir()
    real = tmp_path / "store" / "real.yaml"
    shutil.copyfile(EXAMPLE, real)
    link = tmp_path / "home" / "calendar.yaml"
    link.symlink_to(Path("..") / "store" / "real.yaml")
    return link, real


def assert_still_a_link(link: Path) -> None:
    assert link.is_symlink(), "the link was replaced by a copy"
    assert os.readlink(link) == str(Path("..") / "store" / "real.yaml")


@pytest.mark.parametrize(
    "command",
    [
        ("add", "Linked meeting", "--date", "2031-05-05", "--id", "linked"),
        ("edit", "sco-ewg-07", "--title", "Changed through the link"),
        ("remove", "peace-mission-2020", "--yes"),
    ],
    ids=["add", "edit", "remove"],
)
def test_a_write_through_a_link_changes_the_file_it_points_to(
    sco_cal: Run, linked: tuple[Path, Path], command: tuple[str, ...]
) -> None:
    link, real = linked
    before = real.read_bytes()
    result = sco_cal("-r", link, *command)
    assert result.code == 0, result.stderr
    assert_still_a_link(link)
    assert real.read_bytes() != before, "the file the link points to got the change"
    assert link.read_bytes() == real.read_bytes()
    assert (real.parent / ".real.yaml.bak.1").read_bytes() == before, "the backup is beside the real file"
    assert (real.parent / ".real.yaml.lock").exists(), "the lock is beside the real file"
    assert sorted(p.name for p in link.parent.iterdir()) == ["calendar.yaml"], "nothing is left beside the link"
    undone = sco_cal("-r", link, "undo")
    assert undone.code == 0, undone.stderr
    assert_still_a_link(link)
    assert real.read_bytes() == before, "undo through the link restores the real file"


def test_an_import_and_an_export_through_links(sco_cal: Run, linked: tuple[Path, Path], tmp_path: Path) -> None:
    link, real = linked
    feed_target = tmp_path / "store" / "feed.ics"
    feed_target.write_text("old feed\n")
    feed_link = tmp_path / "home" / "feed.ics"
    feed_link.symlink_to(feed_target)
    exported = sco_cal("-r", link, "export", "-o", feed_link)
    assert exported.code == 0, exported.stderr
    assert feed_link.is_symlink(), "the feed link stays a link"
    assert feed_target.read_text().startswith("BEGIN:VCALENDAR")
    exported_feed = feed_target.read_bytes()
    calendar = tmp_path / "other.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:linked-import@example.org\r\n"
        "DTSTAMP:20240101T000000Z\r\nDTSTART;VALUE=DATE:20310101\r\nSUMMARY:Imported through a link\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    imported = sco_cal("-r", link, "import", calendar)
    assert imported.code == 0, imported.stderr
    assert_still_a_link(link)
    assert "Imported through a link" in real.read_text()
    feed_target.chmod(0o444)  # a feed nobody may write is not replaced either
    refused = sco_cal("-r", link, "export", "-o", feed_link)
    one_line_error(refused, 74, f"{feed_link}: could not save: the file is read-only (mode 444)")
    assert feed_target.read_bytes() == exported_feed


def test_a_folder_of_links_and_a_linked_folder(sco_cal: Run, tmp_path: Path) -> None:
    store, other, registry = tmp_path / "store", tmp_path / "other", tmp_path / "registry"
    for folder in (store, other, registry):
        folder.mkdir()
    (store / "a.yaml").write_text(A_FILE)
    (other / "s.yaml").write_text("events:\n  - id: s1\n    title: S one\n    start: 2020-01-03\n")
    (registry / "a.yaml").symlink_to(store / "a.yaml")
    (registry / "sub").symlink_to(other, target_is_directory=True)
    (registry / "loop").symlink_to(registry, target_is_directory=True)  # a loop ends; nothing is read twice
    assert ids(sco_cal, registry) == ["a1", "s1"], "a linked subfolder is read, a loop once"
    assert (
        sco_cal("-r", registry, "add", "Into a", "--date", "2031-01-01", "--id", "into-a", "--file", "a.yaml").code == 0
    )
    added = sco_cal("-r", registry, "add", "Into s", "--date", "2031-01-02", "--id", "into-s", "--file", "sub/s.yaml")
    assert added.code == 0, added.stderr
    assert (registry / "a.yaml").is_symlink()
    assert (registry / "sub").is_symlink()
    assert "into-a" in (store / "a.yaml").read_text()
    assert "id: s1" in (other / "s.yaml").read_text()
    assert "into-s" in (other / "s.yaml").read_text()
    assert (store / ".a.yaml.bak.1").read_text() == A_FILE
    assert sorted(p.name for p in registry.iterdir() if not p.name.startswith(".sco-cal")) == ["a.yaml", "loop", "sub"]
    linked_folder = tmp_path / "linked-registry"
    linked_folder.symlink_to(store, target_is_directory=True)
    assert sco_cal("-r", linked_folder, "edit", "a1", "--title", "Through the folder link").code == 0
    assert linked_folder.is_symlink()
    assert "Through the folder link" in (store / "a.yaml").read_text()
    undone = sco_cal("-r", registry, "undo")
    assert undone.code == 0, undone.stderr
    assert "undid: add into-s (sub/s.yaml)" in undone.stderr
    assert "into-s" not in (other / "s.yaml").read_text()
    assert (registry / "sub").is_symlink()


def test_a_dangling_or_looping_link_in_a_folder_is_named_not_skipped(sco_cal: Run, tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "a.yaml").write_text(A_FILE)
    (registry / "gone.yaml").symlink_to("moved-away.yaml")
    before = snapshot(registry, locks=False)
    for command in (("list",), ("add", "Not saved", "--date", "2031-01-01")):
        one_line_error(
            sco_cal("-r", registry, *command), 74, "gone.yaml: a link to moved-away.yaml, which does not exist"
        )
    (registry / "gone.yaml").unlink()
    (registry / "self.yaml").symlink_to("self.yaml")
    one_line_error(sco_cal("-r", registry, "list"), 74, "self.yaml: cannot read the registry file")
    (registry / "self.yaml").unlink()
    assert snapshot(registry, locks=False) == {k: v for k, v in before.items() if k != "gone.yaml"}


# -- permissions ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ("add", "Refused", "--date", "2031-05-05"),
        ("edit", "sco-ewg-07", "--status", "held"),
        ("remove", "peace-mission-2020", "--yes"),
    ],
    ids=["add", "edit", "remove"],
)
def test_a_write_protected_registry_is_refused_and_left_as_it_was(
    sco_cal: Run, tmp_path: Path, command: tuple[str, ...]
) -> None:
    path = tmp_path / "r.yaml"
    shutil.copyfile(EXAMPLE, path)
    path.chmod(0o444)
    before = snapshot(tmp_path)
    result = sco_cal("-r", path, *command)
    one_line_error(result, 74, f"{path}: could not save: the file is read-only (mode 444); nothing was changed")
    assert snapshot(tmp_path) == before, "no byte changed, and no lock, temporary or backup file was left"
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert sco_cal("-r", path, "list", "2019").code == 0, "reading a write-protected registry is fine"


def test_undo_refuses_a_write_protected_file(sco_cal: Run, example: Path) -> None:
    assert sco_cal("-r", example, "add", "Saved", "--date", "2031-01-01").code == 0
    example.chmod(0o444)
    before = snapshot(example.parent)
    one_line_error(sco_cal("-r", example, "undo"), 74, "the file is read-only (mode 444)")
    assert snapshot(example.parent) == before


def test_a_save_over_two_files_checks_both_before_writing_either(sco_cal: Run, tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "a.yaml").write_text(A_FILE)
    (registry / "b.yaml").write_text(B_FILE)
    feed = tmp_path / "feed.ics"
    assert sco_cal("-r", registry, "export", "-o", feed).code == 0
    rename_both(feed)
    (registry / "b.yaml").chmod(0o444)
    before = snapshot(registry, locks=False)
    one_line_error(sco_cal("-r", registry, "import", feed), 74, "b.yaml: could not save: the file is read-only")
    assert snapshot(registry, locks=False) == before, "a.yaml is not saved when b.yaml cannot be"


def test_a_write_protected_file_in_a_folder_leaves_the_others_writable(sco_cal: Run, tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "a.yaml").write_text(A_FILE)
    (registry / "b.yaml").write_text(B_FILE)
    (registry / "b.yaml").chmod(0o444)  # an archived year, say
    assert sco_cal("-r", registry, "edit", "a1", "--title", "A changed").code == 0
    one_line_error(sco_cal("-r", registry, "edit", "b1", "--title", "B changed"), 74, "b.yaml: could not save")
    assert (registry / "b.yaml").read_text() == B_FILE


def test_a_read_only_folder_is_refused_even_for_root(sco_cal: Run, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "r.yaml"
    shutil.copyfile(EXAMPLE, path)
    folder.chmod(0o555)
    try:
        before = snapshot(folder)
        for command in (("add", "Refused", "--date", "2031-01-01"), ("undo",)):
            result = sco_cal("-r", path, *command)
            one_line_error(result, 74, f"the folder {folder} is read-only", "nothing was changed")
            assert snapshot(folder) == before, "not even a lock file is made"
    finally:
        folder.chmod(0o755)


@pytest.fixture
def as_other_user() -> Iterator[tuple[Path, Callable[..., Result]]]:
    """A folder an ordinary user can reach, and a runner that runs sco-cal as that user (as root: as nobody)."""
    assert SCO_CAL is not None
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot run sco-cal as an ordinary user")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    folder = Path(tempfile.mkdtemp(prefix="sco-cal-perm-"))
    folder.chmod(0o755)
    env = {
        **os.environ,
        "HOME": str(folder),
        "SCO_CAL_CONFIG": str(folder / "no-config.toml"),
        "SCO_CAL_CACHE": "off",
        "XDG_STATE_HOME": str(folder / "state"),
        "NO_COLOR": "1",
    }

    def run(*args: str | Path) -> Result:
        done = subprocess.run(
            [*prefix, SCO_CAL, *map(str, args)], capture_output=True, text=True, env=env, timeout=60, check=False
        )
        return Result(done.returncode, done.stdout, done.stderr)

    if run("--version").code != 0:
        shutil.rmtree(folder)
        pytest.skip("sco-cal cannot run as an ordinary user here (the install is not readable to others)")
    try:
        yield folder, run
    finally:
        for path in [folder, *folder.rglob("*")]:
            if not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(folder)


@pytest.mark.parametrize("command", [("list",), ("validate",), ("export",), ("add", "X", "--date", "2031-01-01")])
def test_an_unreadable_registry_is_an_io_error_in_one_line(
    as_other_user: tuple[Path, Callable[..., Result]], command: tuple[str, ...]
) -> None:
    folder, run = as_other_user
    path = folder / "r.yaml"
    shutil.copyfile(EXAMPLE, path)
    path.chmod(0o000)
    one_line_error(run("-r", path, *command), 74, f"{path}: cannot read the registry: Permission denied")
    path.chmod(0o644)
    assert path.read_bytes() == EXAMPLE.read_bytes()


def test_an_unreadable_folder_and_a_file_owned_by_another_user(
    as_other_user: tuple[Path, Callable[..., Result]],
) -> None:
    folder, run = as_other_user
    registry = folder / "registry"
    registry.mkdir()
    (registry / "a.yaml").write_text(A_FILE)
    registry.chmod(0o000)
    one_line_error(run("-r", registry, "list"), 74, f"{registry}: cannot read the registry folder: Permission denied")
    registry.chmod(0o755)
    if os.geteuid() == 0:  # a file only its owner (root) may write: others may read it, not save it
        (registry / "a.yaml").chmod(0o644)
        os.chmod(registry, 0o777)
        result = run("-r", registry / "a.yaml", "add", "Refused", "--date", "2031-01-01")
        one_line_error(result, 74, "could not save: the file is read-only (mode 644)")
        assert (registry / "a.yaml").read_text() == A_FILE


def test_a_pipe_is_refused_at_once_not_waited_on(sco_cal: Run, tmp_path: Path) -> None:
    pipe = tmp_path / "r.yaml"
    os.mkfifo(pipe)
    for command in (("list",), ("add", "X", "--date", "2031-01-01")):
        one_line_error(sco_cal("-r", pipe, *command, timeout=20), 74, f"{pipe}: is a named pipe, not a regular file")
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "a.yaml").write_text(A_FILE)
    os.mkfifo(registry / "b.yaml")
    one_line_error(sco_cal("-r", registry, "list", timeout=20), 74, "b.yaml: is a named pipe, not a regular file")
    (registry / "b.yaml").unlink()
    feed = tmp_path / "feed.ics"
    os.mkfifo(feed)
    one_line_error(sco_cal("-r", registry, "export", "-o", feed, timeout=20), 74, f"{feed}: is a named pipe")


def test_a_registry_path_that_is_a_folder_is_read_as_a_folder_registry(sco_cal: Run, tmp_path: Path) -> None:
    folder = tmp_path / "registry.yaml"
    folder.mkdir()
    one_line_error(sco_cal("-r", folder, "list"), 3, f"{folder}: the folder holds no .yaml files")
    (folder / "a.yaml").write_text(A_FILE)
    assert ids(sco_cal, folder) == ["a1"]


# -- undo -------------------------------------------------------------------------------------------------------


@pytest.fixture
def folder_registry(tmp_path: Path) -> Path:
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "a.yaml").write_text(A_FILE)
    (registry / "b.yaml").write_text(B_FILE)
    return registry


def test_undo_takes_back_the_last_save_even_when_it_created_a_file(sco_cal: Run, folder_registry: Path) -> None:
    registry = folder_registry
    original = snapshot(registry)
    assert (
        sco_cal("-r", registry, "add", "First", "--date", "2031-01-01", "--id", "first", "--file", "a.yaml").code == 0
    )
    after_first = (registry / "a.yaml").read_bytes()
    assert (
        sco_cal("-r", registry, "add", "New", "--date", "2031-02-01", "--id", "new-event", "--file", "new.yaml").code
        == 0
    )
    after_second = (registry / "new.yaml").read_bytes()

    undone = sco_cal("-r", registry, "undo")
    assert undone.code == 0, undone.stderr
    assert undone.stderr == "undid: add new-event (new.yaml)\n"
    assert undone.stdout == ""
    assert not (registry / "new.yaml").exists(), "the file the save created is gone"
    assert (registry / "a.yaml").read_bytes() == after_first, "the earlier save to a.yaml stays"
    assert ids(sco_cal, registry) == ["a1", "b1", "first"]

    undone = sco_cal("-r", registry, "undo")
    assert undone.stderr == "undid: add first (a.yaml)\n"
    assert {k: v for k, v in snapshot(registry).items() if not k.startswith(".")} == {
        k: v for k, v in original.items() if not k.startswith(".")
    }
    one_line_error(sco_cal("-r", registry, "undo"), 74, "there is no earlier version to go back to")

    redone = sco_cal("-r", registry, "undo", "--redo")
    assert redone.code == 0
    assert redone.stderr == "redid: add first (a.yaml)\n"
    redone = sco_cal("-r", registry, "undo", "--redo")
    assert redone.stderr == "redid: add new-event (new.yaml)\n"
    assert (registry / "new.yaml").read_bytes() == after_second
    assert (registry / "a.yaml").read_bytes() == after_first
    one_line_error(sco_cal("-r", registry, "undo", "--redo"), 74, "there is nothing undone to redo")


def test_undo_takes_back_a_save_over_two_files_in_one_step(sco_cal: Run, folder_registry: Path, tmp_path: Path) -> None:
    registry = folder_registry
    feed = tmp_path / "feed.ics"
    assert sco_cal("-r", registry, "export", "-o", feed).code == 0
    rename_both(feed)
    imported = sco_cal("-r", registry, "import", feed)
    assert imported.code == 0, imported.stderr
    assert "A renamed" in (registry / "a.yaml").read_text()
    assert "B renamed" in (registry / "b.yaml").read_text()
    undone = sco_cal("-r", registry, "undo")
    assert undone.stderr == "undid: edit a1, b1 (a.yaml, b.yaml)\n"
    assert (registry / "a.yaml").read_text() == A_FILE
    assert (registry / "b.yaml").read_text() == B_FILE


def test_undo_walks_back_as_far_as_the_backups_reach(sco_cal: Run, example: Path) -> None:
    versions = [example.read_bytes()]
    for n in range(4):
        assert sco_cal("-r", example, "add", f"Event {n}", "--id", f"e{n}").code == 0
        versions.append(example.read_bytes())
    for back in (3, 2, 1):
        result = sco_cal("-r", example, "undo")
        assert result.stderr == f"undid: add e{back} ({example.name})\n"
        assert example.read_bytes() == versions[back]
    one_line_error(sco_cal("-r", example, "undo"), 74, "no longer kept", "nothing was changed")
    assert example.read_bytes() == versions[1]
    for forward in (1, 2, 3):
        assert sco_cal("-r", example, "undo", "--redo").stderr == f"redid: add e{forward} ({example.name})\n"
        assert example.read_bytes() == versions[forward + 1]


def test_undo_refuses_to_lose_a_hand_edit(sco_cal: Run, example: Path) -> None:
    assert sco_cal("-r", example, "add", "Saved", "--id", "saved").code == 0
    example.write_text(example.read_text() + "# a note added by hand\n")
    before = snapshot(example.parent)
    one_line_error(sco_cal("-r", example, "undo"), 74, "changed since sco-cal saved it", "nothing was changed")
    assert snapshot(example.parent) == before


def test_redo_refuses_to_lose_a_hand_edit_made_after_the_undo(sco_cal: Run, example: Path) -> None:
    assert sco_cal("-r", example, "add", "Saved", "--id", "saved").code == 0
    assert sco_cal("-r", example, "undo").code == 0
    example.write_text(example.read_text() + "# a note added by hand\n")
    before = snapshot(example.parent)
    one_line_error(sco_cal("-r", example, "undo", "--redo"), 74, "changed since the undo", "nothing was changed")
    assert snapshot(example.parent) == before


def test_a_new_save_after_undo_ends_the_redo(sco_cal: Run, example: Path) -> None:
    assert sco_cal("-r", example, "add", "One", "--id", "one").code == 0
    assert sco_cal("-r", example, "undo").code == 0
    assert sco_cal("-r", example, "add", "Two", "--id", "two").code == 0
    one_line_error(sco_cal("-r", example, "undo", "--redo"), 74, "there is nothing undone to redo")
    assert ids(sco_cal, example).count("one") == 0
    assert not list(example.parent.glob(".*.redo.*")), "the undone versions are dropped"
    assert sco_cal("-r", example, "undo").stderr == f"undid: add two ({example.name})\n"


def test_a_damaged_journal_only_costs_the_undo(sco_cal: Run, example: Path) -> None:
    assert sco_cal("-r", example, "add", "One", "--id", "one").code == 0
    (example.parent / f".{example.name}.journal").write_text("{not json")
    one_line_error(sco_cal("-r", example, "undo"), 74, "there is no earlier version to go back to")
    assert sco_cal("-r", example, "add", "Two", "--id", "two").code == 0
    assert sco_cal("-r", example, "undo").stderr == f"undid: add two ({example.name})\n"


# -- a folder's header ------------------------------------------------------------------------------------------


def test_the_files_of_a_folder_may_each_state_the_header_when_they_agree(sco_cal: Run, folder_registry: Path) -> None:
    assert ids(sco_cal, folder_registry) == ["a1", "b1"]
    validated = sco_cal("-r", folder_registry, "validate")
    assert validated.code == 0, validated.stdout
    assert "2 events, no problems" in validated.stdout


@pytest.mark.parametrize(
    ("key", "a_value", "b_value", "line", "shown"),
    [
        ("timezone", "Europe/Moscow", "Europe/Minsk", 3, "'Europe/Minsk' here, but 'Europe/Moscow'"),
        ("name", "Defence", "CIS", 2, "'CIS' here, but 'Defence'"),
        ("reminders", None, None, 5, "{meeting: [2d]} here, but {meeting: [7d]}"),
    ],
)
def test_a_folder_whose_files_disagree_on_the_header_names_both(
    sco_cal: Run, folder_registry: Path, key: str, a_value: str | None, b_value: str | None, line: int, shown: str
) -> None:
    a, b = folder_registry / "a.yaml", folder_registry / "b.yaml"
    if key == "reminders":
        a.write_text(A_FILE.replace("events:", "reminders:\n  meeting: [7d]\nevents:"))
        b.write_text(B_FILE.replace("events:", "reminders:\n  meeting: [2d]\nevents:"))
    else:
        assert a_value is not None
        assert b_value is not None
        b.write_text(B_FILE.replace(f"{key}: {a_value}", f"{key}: {b_value}"))
    before = snapshot(folder_registry, locks=False)
    message = f"{b}:{line}:1: {key}: {shown} in {a}:{line}; the files of a folder must agree on it"
    one_line_error(sco_cal("-r", folder_registry, "list"), 3, message)
    one_line_error(sco_cal("-r", folder_registry, "add", "X", "--date", "2031-01-01"), 3, message)
    assert snapshot(folder_registry, locks=False) == before


def test_undo_of_a_big_registry_edited_through_its_index_and_a_link(sco_cal: Run, tmp_path: Path) -> None:
    lines = [HEADER.rstrip("\n"), "events:"]
    for n in range(1500):  # over the size from which edits go through the index
        lines += [
            f"  - id: e{n}",
            f"    title: Event number {n} of a registry big enough to index",
            "    start: 2020-01-02",
        ]
    real = tmp_path / "big.yaml"
    real.write_text("\n".join(lines) + "\n")
    original = real.read_bytes()
    link = tmp_path / "link.yaml"
    link.symlink_to(real.name)
    cache = {"SCO_CAL_CACHE": str(tmp_path / "cache")}
    assert sco_cal("-r", link, "list", "--format", "csv", env=cache).code == 0  # the index is made
    assert sco_cal("-r", link, "edit", "e5", "--title", "Changed", env=cache).code == 0
    edited = real.read_bytes()
    assert sco_cal("-r", link, "remove", "e7", "--yes", env=cache).code == 0
    assert sco_cal("-r", link, "undo", env=cache).stderr == "undid: remove e7 (big.yaml)\n"
    assert real.read_bytes() == edited
    assert sco_cal("-r", link, "undo", env=cache).stderr == "undid: edit e5 (big.yaml)\n"
    assert real.read_bytes() == original
    assert link.is_symlink()
    listed = sco_cal("-r", link, "list", "--format", "csv", env=cache).stdout
    assert "e5,Event number 5 of" in listed, "the index answers for the restored file"
    assert "e7," in listed
