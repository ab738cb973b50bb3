"""The cases of issue 15: the first query after a hand edit or a ``git checkout``, imports into a big registry,
``validate`` after an edit, streamed listings, and icalendar's own parse as the import's yardstick; and issue
16's ``publish`` after one event's title changed by hand, and a site's first ``publish`` (the registry's index
built, no VEVENT kept yet).

Each run edits fresh text (a round number goes into every new title or comment), so a cache that remembers
the bytes of an earlier run's edit cannot answer for this one. The check after each run reads the query's
answer: a stale index, still showing the text before the edit, fails the row.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Final

import handedit
from cases import NOW, Case, CaseError, Ctx, warm_once
from generate import new_events_ics

__all__ = ["EXTRA_CASES", "ordered"]

IN_WINDOW_DAY: Final = "2030-03-20"  # inside the 30 days from the reference today
NEW_EVENTS: Final = 1_000
_QUERY: Final = ("upcoming", "--from", NOW, "--days", "30")


def _query(ctx: Ctx) -> list[str]:
    return ctx.sco(*_QUERY, registry=ctx.copy)


def _next_round(ctx: Ctx) -> int:
    """1 for a case's first run at this size and side, then 2, 3...: a different edit each run."""
    counter = ctx.work / ".round"
    number = int(counter.read_text()) + 1 if counter.exists() else 1
    counter.write_text(str(number))
    return number


def _capture(ctx: Ctx, argv: list[str], cwd: Path | None = None) -> str:
    """Run an untimed command and return its stdout; a failure becomes the row's status."""
    try:
        done = subprocess.run(argv, capture_output=True, env=ctx.tools.env, timeout=ctx.timeout, check=False, cwd=cwd)
    except subprocess.TimeoutExpired:
        raise CaseError(f"setup timed out (>{ctx.timeout:.0f} s)") from None
    if done.returncode != 0:
        first = (done.stderr.decode(errors="replace").strip().splitlines() or [""])[0]
        raise CaseError(f"setup failed (exit {done.returncode}): {first}")
    return done.stdout.decode(errors="replace")


def _warm_copy(ctx: Ctx) -> str:
    """A fresh copy of the registry, queried once (untimed) so its index is built; the answer before the edit."""
    shutil.copyfile(ctx.dataset.registry, ctx.copy)
    before = _capture(ctx, _query(ctx))
    (ctx.work / "before.txt").write_text(before, encoding="utf-8")
    return before


def _pick(ctx: Ctx, answer: str, number: int, keep: set[str] | None = None) -> str:
    """An event of the 30-day answer near the middle of the file (none of ``keep``); a different one each round
    while there are."""
    shown = handedit.nearest_middle(handedit.event_ids(answer), ctx.dataset.size)
    candidates = [event_id for event_id in shown if event_id not in (keep or set())]
    if not candidates:
        raise CaseError("no event of the registry falls in the 30-day window")
    return candidates[(number - 1) % len(candidates)]


def _edit(ctx: Ctx, change: Callable[[str], str]) -> None:
    text = ctx.copy.read_text(encoding="utf-8")
    ctx.copy.write_text(change(text), encoding="utf-8")


# --- one event edited by hand -----------------------------------------------------------------------------


def _marker(ctx: Ctx) -> str:
    return (ctx.work / "marker.txt").read_text(encoding="utf-8")


def _set_marker(ctx: Ctx, text: str) -> None:
    (ctx.work / "marker.txt").write_text(text, encoding="utf-8")


def _retitled(ctx: Ctx) -> None:
    number = _next_round(ctx)
    target = _pick(ctx, _warm_copy(ctx), number)
    _set_marker(ctx, f"HandEdited{number}")
    _edit(ctx, lambda text: handedit.retitle(text, target, _marker(ctx)))


def _commented(ctx: Ctx) -> None:
    number = _next_round(ctx)
    target = _pick(ctx, _warm_copy(ctx), number)
    _edit(ctx, lambda text: handedit.add_comment(text, target, f"checked with the secretariat, round {number}"))


def _added(ctx: Ctx) -> None:
    number = _next_round(ctx)
    target = _pick(ctx, _warm_copy(ctx), number)
    _set_marker(ctx, f"HandAdded{number}")
    new_id = f"hand-added-{number}"
    _edit(ctx, lambda text: handedit.add_event(text, target, new_id, _marker(ctx), IN_WINDOW_DAY))


def _removed(ctx: Ctx) -> None:
    number = _next_round(ctx)
    answer = _warm_copy(ctx)
    target = _pick(ctx, answer, number, keep=handedit.referenced(ctx.copy.read_text(encoding="utf-8")))
    _set_marker(ctx, target)
    _edit(ctx, lambda text: handedit.remove_event(text, target))


def _answer(ctx: Ctx) -> str:
    return ctx.stdout.read_text(encoding="utf-8", errors="replace")


def _shows_marker(ctx: Ctx) -> str | None:
    return None if _marker(ctx) in _answer(ctx) else f"{_marker(ctx)!r} is not in the answer (a stale index?)"


def _same_answer(ctx: Ctx) -> str | None:
    before = (ctx.work / "before.txt").read_text(encoding="utf-8")
    return None if _answer(ctx) == before else "a comment changed the answer"


def _lost_removed(ctx: Ctx) -> str | None:
    gone = _marker(ctx)
    return f"the removed event {gone} is still in the answer (a stale index?)" if gone in _answer(ctx) else None


def _hand_edit(label: str, prepare: Callable[[Ctx], None], verify: Callable[[Ctx], str | None]) -> Case:
    return Case(f"upcoming after hand edit: {label}", ("edit-hand", "cold"), _query, prepare=prepare, verify=verify)


# --- a git checkout that changes 1% of the events -------------------------------------------------------------


def _git(ctx: Ctx, *args: str) -> str:
    identity = ("-c", "user.name=Benchmark", "-c", "user.email=bench@example.invalid", "-c", "gc.auto=0")
    return _capture(ctx, ["git", *identity, "-C", str(ctx.work / "repo"), *args])


def _checkout_registry(ctx: Ctx) -> Path:
    return ctx.work / "repo" / "registry.yaml"


def _repository(ctx: Ctx) -> None:
    """Branch ``a`` holds the generated registry; the offset of the 1% retitled is one that the window shows."""
    repo = ctx.work / "repo"
    if (repo / ".git").exists():
        return
    repo.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ctx.dataset.registry, _checkout_registry(ctx))
    _git(ctx, "init", "-q", "-b", "a")
    _git(ctx, "add", "registry.yaml")
    _git(ctx, "commit", "-q", "-m", "registry")
    answer = _capture(ctx, ctx.sco(*_QUERY, registry=_checkout_registry(ctx)))
    first = _pick(ctx, answer, 1)
    (ctx.work / "offset.txt").write_text(str(int(first[3:]) % 100))


def _checked_out(ctx: Ctx) -> None:
    """Untimed: commit branch ``bN`` (1% of the titles changed), go back to ``a``, query it, then check out ``bN``."""
    _repository(ctx)
    number = _next_round(ctx)
    offset = int((ctx.work / "offset.txt").read_text())
    registry = _checkout_registry(ctx)
    _git(ctx, "checkout", "-q", "a")
    _git(ctx, "checkout", "-q", "-b", f"b{number}")
    text, _ = handedit.retitle_every(registry.read_text(encoding="utf-8"), 100, offset, f"Retitled in round {number}")
    registry.write_text(text, encoding="utf-8")
    _git(ctx, "commit", "-q", "-a", "-m", f"1% of the titles changed, round {number}")
    _git(ctx, "checkout", "-q", "a")
    before = _capture(ctx, ctx.sco(*_QUERY, registry=registry))
    expected = sum(1 for event_id in handedit.event_ids(before) if int(event_id[3:]) % 100 == offset)
    (ctx.work / "expected.txt").write_text(str(expected))
    _git(ctx, "checkout", "-q", f"b{number}")


def _shows_checkout(ctx: Ctx) -> str | None:
    expected = int((ctx.work / "expected.txt").read_text())
    seen = _answer(ctx).count("Retitled")
    return None if seen == expected else f"{seen} retitled events in the answer, expected {expected} (a stale index?)"


# --- publish after one event's text changed ---------------------------------------------------------------


def _site(ctx: Ctx) -> Path:
    return ctx.work / "site"


def _publish_copy(ctx: Ctx) -> list[str]:
    site = str(_site(ctx))
    return ctx.sco(
        "publish", site, "--base-url", "https://example.org/cal/", "--now", f"{NOW}T07:30:00Z", "--quiet",
        registry=ctx.copy,
    )  # fmt: skip


def _published_retitled(ctx: Ctx) -> None:
    """Untimed: the first run copies the registry and publishes it once, as cron did before the edit; each run
    then gives one event of the coming 30 days (on the page's agenda and timeline) a new title."""
    number = _next_round(ctx)
    if number == 1:
        shutil.copyfile(ctx.dataset.registry, ctx.copy)
        _capture(ctx, _publish_copy(ctx))
    target = _pick(ctx, _capture(ctx, _query(ctx)), number)
    _set_marker(ctx, f"Published in round {number}")
    _edit(ctx, lambda text: handedit.retitle(text, target, _marker(ctx)))


def _publishes_marker(ctx: Ctx) -> str | None:
    """The new title on the page and in the whole feed (its lines unfolded): a kept text made before the edit
    would still show the old one."""
    for name in ("index.html", "all.ics"):
        text = (_site(ctx) / name).read_bytes().decode("utf-8").replace("\r\n ", "")
        if _marker(ctx) not in text:
            return f"{_marker(ctx)!r} is not in {name} (a stale kept text?)"
    return None


# --- a site's first publish: the index built, no VEVENT kept yet ---------------------------------------------


def _cache_folder(ctx: Ctx) -> Path:
    """Where the sco-cal under test keeps what it derives from a registry (as ``sco_cal.cli.session`` finds it
    on Linux): ``$SCO_CAL_CACHE``, else the XDG cache folder."""
    env = ctx.tools.env
    if env.get("SCO_CAL_CACHE"):
        return Path(env["SCO_CAL_CACHE"]).expanduser()
    base = env.get("XDG_CACHE_HOME", "")
    return Path(base, "sco-cal") if os.path.isabs(base) else Path(env.get("HOME", Path.home()), ".cache", "sco-cal")


def _kept_vevents(ctx: Ctx) -> list[Path]:
    """The files of VEVENTs kept for the registry copy (named as ``sco_cal.cache.store.derived_file`` names
    them): the copy's own, never another case's."""
    resolved = ctx.copy.resolve()
    checksum = zlib.crc32(str(resolved).encode("utf-8", "surrogateescape"))
    return sorted(_cache_folder(ctx).glob(f"{glob.escape(resolved.stem)}-{checksum:08x}.*.texts"))


def _first_publish(ctx: Ctx) -> None:
    """Untimed: a copy of the registry queried once (its index built, as for a registry in daily use); before
    each run the site folder and the VEVENTs an earlier run kept are removed, so every run makes them all."""
    if not ctx.copy.exists():
        shutil.copyfile(ctx.dataset.registry, ctx.copy)
        _capture(ctx, _query(ctx))
    shutil.rmtree(_site(ctx), ignore_errors=True)
    for path in _kept_vevents(ctx):
        path.unlink()


def _published_afresh(ctx: Ctx) -> str | None:
    if not (_site(ctx) / "all.ics").exists() or not (_site(ctx) / "index.html").exists():
        return "the site was not written"
    if not _kept_vevents(ctx):
        return f"no VEVENTs kept in {_cache_folder(ctx)} after the run (is the cache elsewhere, or off?)"
    return None


# --- imports, validate, listings ------------------------------------------------------------------------------


def _new_events(ctx: Ctx) -> Path:
    return new_events_ics(ctx.work.parent / f"new-events-{NEW_EVENTS}.ics", NEW_EVENTS)


def _events_in(path: Path) -> int:
    return path.read_text(encoding="utf-8").count("\n  - id: ")


def _import_prepare(ctx: Ctx) -> None:
    _new_events(ctx)
    _warm_copy(ctx)
    (ctx.work / "expected.txt").write_text(str(_events_in(ctx.copy) + NEW_EVENTS))


def _imported(ctx: Ctx) -> str | None:
    expected = int((ctx.work / "expected.txt").read_text())
    found = _events_in(ctx.copy)
    return None if found == expected else f"{found} events in the registry after the import, expected {expected}"


def _validate_edited(ctx: Ctx) -> None:
    """A copy validated once (untimed), then one title changed: the next validate is timed."""
    shutil.copyfile(ctx.dataset.registry, ctx.copy)
    _capture(ctx, ctx.sco("validate", registry=ctx.copy))
    number = _next_round(ctx)
    target = ctx.dataset.edit_target
    _edit(ctx, lambda text: handedit.retitle(text, target, f"Checked again in round {number}"))


def _first_line_note(ctx: Ctx) -> str:
    return "first line: time until the first line arrives on a pipe"


_ICALENDAR_PARSE: Final = "import icalendar, sys; icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())"


def _icalendar_argv(ctx: Ctx) -> list[str]:
    """icalendar's parse of the file the import row read, on the interpreter sco-cal runs on."""
    exported = ctx.work.parent / f"sco-cal-export-{ctx.dataset.size}-after.ics"
    source = exported if exported.exists() else ctx.dataset.ics
    return [str(ctx.tools.python), "-c", _ICALENDAR_PARSE, str(source)]


_AFTER_CHANGED: Final = (
    _hand_edit("one title", _retitled, _shows_marker),
    _hand_edit("a comment", _commented, _same_answer),
    _hand_edit("an event added", _added, _shows_marker),
    _hand_edit("an event removed", _removed, _lost_removed),
    Case(
        "upcoming after git checkout (1%)",
        ("checkout", "edit-hand", "cold"),
        lambda c: c.sco(*_QUERY, registry=_checkout_registry(c)),
        requires="git",
        min_size=10_000,
        prepare=_checked_out,
        verify=_shows_checkout,
    ),
)


def _cache_folder(ctx: Ctx) -> Path:
    """Where the sco-cal under test keeps its indexes (its rule on Linux)."""
    env = ctx.tools.env
    if env.get("SCO_CAL_CACHE"):
        return Path(env["SCO_CAL_CACHE"]).expanduser()
    base = env.get("XDG_CACHE_HOME", "")
    return Path(base if os.path.isabs(base) else Path(env.get("HOME", str(Path.home()))) / ".cache") / "sco-cal"


def _listing_copy(ctx: Ctx, fmt: str) -> Path:
    """The registry's copy a first listing reads: a name of its own, so that its index is found by its name."""
    return ctx.work / f"first-listing-{fmt}.yaml"


def _fresh_index(fmt: str) -> Callable[[Ctx], None]:
    """A prepare step: the case's own copy of the registry, its index deleted and built again by a query
    (untimed), so the timed listing is the first one on a fresh index, the one that keeps every event's row."""

    def prepare(ctx: Ctx) -> None:
        copy = _listing_copy(ctx, fmt)
        if not copy.exists():
            shutil.copyfile(ctx.dataset.registry, copy)
        folder = _cache_folder(ctx)
        for derived in folder.glob(f"{copy.stem}-*"):
            derived.unlink()
        _capture(ctx, ctx.sco(*_QUERY, registry=copy))
        if not list(folder.glob(f"{copy.stem}-*.sqlite3")):
            raise CaseError(f"no index of the copy in {folder}: the listing would not be the first")

    return prepare


_AFTER_LIST: Final = tuple(
    Case(
        f"list --format {fmt} (all)",
        ("list", "stream"),
        lambda c, fmt=fmt: c.sco("list", "--format", fmt),
        prepare=warm_once("upcoming", "--from", NOW, "--days", "1"),
        first_line=True,
    )
    for fmt in ("csv", "json")
) + tuple(
    Case(
        f"list --format {fmt} (all), first on a fresh index",
        ("list", "stream", "list-first"),
        lambda c, fmt=fmt: c.sco("list", "--format", fmt, registry=_listing_copy(c, fmt)),
        prepare=_fresh_index(fmt),
        first_line=True,
    )
    for fmt in ("csv", "json")
)
_AFTER_VALIDATE: Final = (
    Case(
        "validate, one event edited",
        ("validate", "edit-hand"),
        lambda c: c.sco("validate", registry=c.copy),
        prepare=_validate_edited,
    ),
)
_AFTER_IMPORT: Final = (
    Case(
        "icalendar parse (same file)",
        ("import", "reference"),
        _icalendar_argv,
        program="icalendar",
        compare=("import",),
    ),
    Case(
        f"import {NEW_EVENTS:,} new into N",
        ("import", "import-new"),
        lambda c: c.sco("import", str(_new_events(c)), registry=c.copy),
        needs="import",
        min_size=10_000,
        prepare=_import_prepare,
        verify=_imported,
    ),
)
_AFTER_PUBLISH: Final = (
    # the same kind of edit before the year's upcoming: what any command pays to see it, publish's included
    Case(
        "upcoming 365 days, one title changed",
        ("publish", "edit-hand"),
        lambda c: c.sco("upcoming", "--from", NOW, "--days", "365", registry=c.copy),
        prepare=_retitled,
        verify=_shows_marker,
        compare=("year",),
    ),
    Case(
        "publish, one title changed",
        ("publish", "edit-hand"),
        _publish_copy,
        needs="publish",
        prepare=_published_retitled,
        verify=_publishes_marker,
        compare=("year",),
    ),
    Case(
        "publish, a site's first (no kept VEVENTs)",
        ("publish", "cold"),
        _publish_copy,
        needs="publish",
        prepare=_first_publish,
        verify=_published_afresh,
        compare=("year",),
    ),
)
EXTRA_CASES: Final = {
    "publish, registry just changed": _AFTER_PUBLISH,
    "upcoming 30d, just changed": _AFTER_CHANGED,
    "list 2030-04": _AFTER_LIST,
    "validate, unchanged": _AFTER_VALIDATE,
    "import (.ics into empty)": _AFTER_IMPORT,
}


def ordered(base: tuple[Case, ...]) -> list[Case]:
    """The base cases with each group of new ones right after the case it belongs beside."""
    out: list[Case] = []
    for case in base:
        out.append(case)
        out.extend(EXTRA_CASES.get(case.task, ()))
    return out
