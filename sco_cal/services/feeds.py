"""``sco-cal export``'s workflow: the selected events as one feed, or as one feed per organisation, kind or
series in a folder; each to standard output, or to a file that is replaced only when its bytes change (a cron
job must not churn a web server's caches). The CLI parses options and prints what ``told`` hears.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol, TypeVar

from sco_cal.errors import InvalidInput, StorageError
from sco_cal.ics.export import Feed, reuse_for, write_calendar
from sco_cal.ics.publish import Policy, SplitBy, file_stem, file_stems
from sco_cal.model import Event
from sco_cal.storage import ChangedFile

if TYPE_CHECKING:
    from typing import TypeAlias

    from sco_cal.ics.export import Written
    from sco_cal.ics.reuse import Placed, Reuse, TextStore
    from sco_cal.registry import Registry

    Write: TypeAlias = Callable[[bytes], object]  # where a feed's bytes go, a piece at a time
    # Each feed written: its file as given (``None`` or ``-``: standard output), what it holds, whether it was
    # replaced.
    Told: TypeAlias = Callable[[Path | None, Written, bool], None]
    # What a feed's file holds when it already holds what the feed would write (``None``: it may not).
    Kept: TypeAlias = Callable[[Path, Feed, Sequence[Event | Placed]], Written | None]

__all__ = ["FeedExport", "groups", "write_if_changed"]

_NO_ORGANISATION = ("no organisation",)


class _Grouped(Protocol):
    """What ``groups`` reads: an event's, or what an earlier run kept of one (``Placed``)."""

    @property
    def orgs(self) -> tuple[str, ...]: ...

    @property
    def kind(self) -> object: ...

    @property
    def series(self) -> str | None: ...


Member = TypeVar("Member", bound=_Grouped)


def groups(events: Iterable[Member], split_by: SplitBy) -> dict[str, tuple[str, list[Member]]]:
    """Feed file stem -> (group name, events), one file per group. An event of three organisations is in all
    three feeds."""
    members: defaultdict[str, list[Member]] = defaultdict(list)
    if split_by is SplitBy.ORG:  # the usual split, and a loop over every event: kept tight
        for event in events:
            for name in event.orgs or _NO_ORGANISATION:
                members[name].append(event)
    else:
        for event in events:
            members[str(event.kind) if split_by is SplitBy.KIND else event.series or "no series"].append(event)
    return {stem: (name, members[name]) for name, stem in file_stems(members).items()}


@dataclass
class FeedExport:
    """The feeds of one registry: how month and year dates are shown, the refresh hint (read from its option as
    each feed is made, so that a wrong folder is told first), where standard output goes, who is told of
    each feed written, where VEVENTs made by earlier runs are kept (``None``: each is made afresh), and what
    tells a feed whose file needs no writing at all (``None``: each is made and compared)."""

    registry: Registry
    policy: Policy
    refresh: Callable[[], timedelta | None]
    stdout: BinaryIO
    told: Told
    texts: TextStore | None = None
    kept: Kept | None = None
    _reuse: Reuse | None = field(default=None, init=False, repr=False)
    _grouped: tuple[object, SplitBy, dict[str, tuple[str, list[Event | Placed]]]] | None = field(
        default=None, init=False, repr=False
    )

    def groups(
        self, events: Sequence[Event | Placed], split_by: SplitBy
    ) -> dict[str, tuple[str, list[Event | Placed]]]:
        """``groups`` of ``events``, made once for the same events (the list itself) and split."""
        if self._grouped is None or self._grouped[0] is not events or self._grouped[1] is not split_by:
            self._grouped = (events, split_by, groups(events, split_by))
        return self._grouped[2]

    def run(self, events: Sequence[Event | Placed], output: Path | None, split_by: SplitBy | None) -> None:
        """Write ``events`` as one feed to ``output``, or one feed per group into the folder ``output``."""
        if split_by is None:
            self._write(events, self.registry.name, output, "")
            return
        folder = _folder(output)
        for stem, (name, members) in sorted(self.groups(events, split_by).items()):
            suffix = stem.removeprefix(file_stem(name))  # the calendar's UID tells apart groups spelled alike, too
            self._write(members, f"{self.registry.name}: {name}", folder / f"{stem}.ics", suffix)

    def _feed(self, name: str, suffix: str) -> Feed:
        registry = self.registry
        return Feed(
            name=name,
            uid_domain=registry.uid_domain,
            default_zone=registry.timezone,
            policy=self.policy,
            refresh=self.refresh(),
            default_reminders=registry.default_reminders,
            calendar_uid=f"{file_stem(name)}{suffix}@{registry.uid_domain}",
            southern=registry.southern,
        )

    def reuse(self) -> Reuse | None:
        """One ``Reuse`` for every feed of the run (they differ in name only): an event in several feeds is
        digested once. ``None`` without a store of texts."""
        if self.texts is not None and self._reuse is None:
            self._reuse = reuse_for(self.texts, self._feed(self.registry.name, ""))
        return self._reuse

    def _write(self, events: Sequence[Event | Placed], name: str, output: Path | None, suffix: str) -> None:
        feed = self._feed(name, suffix)
        reuse = self.reuse()
        if output is None or str(output) == "-":
            written = write_calendar(events, feed, self.stdout.write, reuse=reuse)
            self.stdout.flush()
            self.told(output, written, True)
            return
        held = None if self.kept is None else self.kept(output, feed, events)
        if held is not None:
            self.told(output, held, False)
            return
        written, changed = write_if_changed(output, lambda write: write_calendar(events, feed, write, reuse=reuse))
        self.told(output, written, changed)


def write_if_changed(path: Path, export: Callable[[Write], Written]) -> tuple[Written, bool]:
    """Write the feed ``export`` produces to ``path``, replacing the file only when its bytes change (see
    ``ChangedFile``); what it held, and whether the file was replaced."""
    if path.is_dir():
        raise StorageError(f"{path}: is a folder; give a file name, or --split-by to write one file per group")
    with ChangedFile(path) as feed:
        written = export(feed.write)
        return written, feed.finish()


def _folder(output: Path | None) -> Path:
    if output is None or str(output) == "-":
        raise InvalidInput("--split-by writes one file per group: give the folder with -o DIR")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(f"{output}: cannot create the folder: {error.strerror}") from None
    return output
