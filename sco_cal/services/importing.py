"""One ``sco-cal import`` from start to end: read the file, parse it, plan what it changes in the registry, and
write the plan under the registry's lock, on a fresh read planned again.

The plan (``sco_cal.ics.merge``) is checked here against the registry's own reader too: whatever the YAML
reader would refuse once written is refused in the plan, which a dry run shares, so a dry run that says
"1 new" is what the real run does. The CLI parses options, reads the clock and prints; this module holds the
order of the steps.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from sco_cal.dates import DateValue
from sco_cal.errors import InvalidCalendar, InvalidInput, ScoCalError, StorageError
from sco_cal.ics.lines import MAX_ICS_BYTES, too_big
from sco_cal.ics.merge import Events, Existing, Origins, Plan, ordered_for_adding
from sco_cal.ics.merge import plan as merge_plan
from sco_cal.ics.read import Imported, Parsed, parse_calendar
from sco_cal.model import Event, Kind, LeadTime
from sco_cal.registry import Registry, editing
from sco_cal.words import counted

if TYPE_CHECKING:
    from sco_cal.cache.index import RegistryIndex

__all__ = ["ImportRun", "Place", "Report", "existing", "plan", "read_calendar"]

Report = Callable[[Plan, str, str], None]  # told the plan, the file's name in messages and the registry's zone


def read_calendar(file: str, stdin: BinaryIO) -> tuple[bytes, str]:
    """The bytes of ``file`` (``-``: ``stdin``) and its name in messages; one over the size limit is refused
    before it is read into memory."""
    if file == "-":
        data = stdin.read(MAX_ICS_BYTES + 1)
        return data, "<stdin>"
    path = Path(file).expanduser()
    try:
        size = path.stat().st_size
        if size > MAX_ICS_BYTES:
            raise too_big(size, file)
        return path.read_bytes(), file
    except FileNotFoundError:
        raise InvalidInput(f"{file}: no such file") from None
    except IsADirectoryError:
        raise InvalidInput(f"{file}: is a folder; give an .ics file") from None
    except OSError as error:
        raise StorageError(f"{file}: cannot read: {error.strerror}") from None


def plan(
    existing: Existing | Iterable[Event],
    incoming: Iterable[Imported],
    *,
    uid_domain: str,
    default_zone: str,
    stamp: datetime,
    default_reminders: Callable[[Kind], tuple[LeadTime, ...]] = lambda _kind: (),
    source: str = "<calendar>",
    check: bool = True,
) -> Plan:
    """The merge's plan (see ``sco_cal.ics.merge.plan``), without the changes the registry would refuse.

    ``existing`` is the registry's events in file order, or what answers for them (``existing(registry)``).
    ``check=False`` leaves that check to the caller (``_check_as_read_back``), which then keeps ``origins``.
    """
    result = merge_plan(
        existing if isinstance(existing, Existing) else Events(existing),
        incoming,
        uid_domain=uid_domain,
        default_zone=default_zone,
        stamp=stamp,
        default_reminders=default_reminders,
        source=source,
    )
    if not check:
        return result
    _check_as_read_back(result, source)
    result.origins = Origins()  # a line and UID per change, needed no more: the plan lives through the write
    return result


def _check_as_read_back(result: Plan, source: str) -> None:
    """Refuse in the plan whatever the registry's reader would refuse once written."""
    # PyYAML only for an import that changes something
    from sco_cal.registry.yaml.emit import item_lines
    from sco_cal.registry.yaml.reader import Problems, parse_file

    text = ["events:"]
    firsts: list[int] = []  # the first line of each change's text, or 0 for an unchanged event
    for change in result.changes:
        firsts.append(len(text) + 1 if change.action != "unchanged" else 0)
        text += item_lines(change.event, 2, 4) if change.action != "unchanged" else []
    if len(text) == 1:
        return
    problems = Problems()
    parse_file("<import>", "\n".join(text) + "\n", problems, keep_nodes=False)
    written = [(first, position) for position, first in enumerate(firsts) if first]
    refused: set[int] = set()
    for problem in problems.items:
        at = bisect.bisect_right(written, (problem.line, len(firsts))) - 1
        position = written[max(at, 0)][1]
        line, uid = result.origins[position]
        result.errors.append(f"{source}:{line}: {problem.message} (UID {uid!r})")
        refused.add(position)
    result.changes[:] = [change for i, change in enumerate(result.changes) if i not in refused]


class Place(Protocol):
    """Where the registry is, how it is read and how it is written; each asked only when the run needs it, so
    that the file's own errors come first and a dry run needs no write options (the CLI's session is one)."""

    @property
    def registry_path(self) -> Path: ...
    def registry(self) -> Registry: ...
    def write_options(self) -> dict[str, Any]: ...


@dataclass
class ImportRun:
    """What one import needs besides the file: the registry's place, the revision time of a change the calendar
    gives none for, and where warnings and the plan go."""

    place: Place
    stamp: datetime
    warn: Callable[[str], None]
    report: Report

    def run(self, file: str, stdin: BinaryIO, *, dry_run: bool) -> Plan:
        """Import ``file``: with ``dry_run``, or when some event cannot be read, only plan and report.

        Raises:
            InvalidCalendar: Some event cannot be imported (after the report); nothing was written then.
        """
        with _collector_paused():
            return self._run(file, stdin, dry_run=dry_run)

    def _run(self, file: str, stdin: BinaryIO, *, dry_run: bool) -> Plan:
        data, source = read_calendar(file, stdin)
        registry = self.place.registry()
        parsed = parse_calendar(data, source, registry.timezone, southern=registry.southern)
        del data  # the file's bytes are not needed for the plan and the write
        for warning in parsed.warnings:
            self.warn(warning)
        if dry_run or parsed.errors:
            result = self._plan(registry, parsed, source)
            self.report(result, source, registry.timezone)
            _fail_on_errors(result)
            return result
        return self._write(registry, parsed, source)

    def _write(self, registry: Registry, parsed: Parsed, source: str) -> Plan:
        """Plan again on a fresh read under the lock, and save.

        The plan is not read back here: the save reads back the very text it writes and refuses anything
        that does not load as exactly the intended events. Only when something refuses (the save's check, an
        editor's) is the plan checked as a dry run checks it, so that the same changes are refused with the
        same messages and nothing is written; a refusal the plan's check does not explain is raised as it is.
        """
        place = self.place
        result: Plan | None = None
        try:
            with editing(place.registry_path, **place.write_options()) as editor:  # under the lock, on a fresh read
                result = self._plan(editor.registry, parsed, source, check=False)
                parsed.events.clear()  # the plan holds the events now; the parsed ones would only add to the peak
                if result.errors:
                    self._refuse(result, source, registry.timezone)
                for event in ordered_for_adding(result.changes):
                    editor.add(event)
                for change in result.changes:
                    if change.action == "updated":
                        editor.update(change.event)
        except ScoCalError:
            if result is None or result.errors:
                raise
            self._refuse(result, source, registry.timezone)  # raises when the plan's check refuses a change
            raise
        result.origins = Origins()
        self.report(result, source, registry.timezone)
        return result

    def _refuse(self, result: Plan, source: str, zone: str) -> None:
        """Check the plan as a dry run does; when it refuses anything, report it and raise."""
        _check_as_read_back(result, source)
        result.origins = Origins()
        if result.errors:
            self.report(result, source, zone)
            _fail_on_errors(result)

    def _plan(self, target: Registry, parsed: Parsed, source: str, *, check: bool = True) -> Plan:
        result = plan(
            existing(target),
            parsed.events,
            uid_domain=target.uid_domain,
            default_zone=target.timezone,
            stamp=self.stamp,
            default_reminders=target.default_reminders,
            source=source,
            check=check,
        )
        result.errors[:0] = parsed.errors
        result.not_kept = parsed.not_kept
        return result


def existing(registry: Registry) -> Existing:
    """What the plan asks of ``registry``: its index when it is read from one, else its events."""
    # An index is only open once its module is loaded: a small registry's snapshot never loads SQLite for this.
    index = sys.modules.get("sco_cal.cache.index")
    store = registry.store
    if index is not None and isinstance(store, index.RegistryIndex):
        return _Indexed(store)
    return Events(registry.iter_events())


class _Indexed:
    """``Existing`` over a big registry's index: only the events an incoming UID or series names are unpickled."""

    def __init__(self, index: RegistryIndex):
        self._index = index
        self._series: dict[str, list[Event]] = {}  # a series' moved occurrences, read once for all of its own

    def has(self, event_id: str) -> bool:
        return self._index.has(event_id)

    def event(self, event_id: str) -> Event | None:
        found = self._index.get(event_id)
        return found.event if found is not None else None

    def with_uid(self, uid: str) -> Event | None:
        return self._index.with_uid(uid)

    def moved(self, series: str, replaces: DateValue) -> Event | None:
        if series not in self._series:
            self._series[series] = self._index.in_series(series)
        found = [each for each in self._series[series] if each.replaces == replaces]
        return found[-1] if found else None


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the run: a big import makes millions of small objects (the
    calendar's lines, the events, their YAML text) and almost no cycles, and the collector's full passes over
    all that is alive would cost a good part of the import. Whatever a run frees, it frees by reference counts."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _fail_on_errors(result: Plan) -> None:
    if result.errors:
        raise InvalidCalendar(f"{counted(len(result.errors), 'event')} cannot be imported; nothing was written")
