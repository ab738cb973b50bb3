"""Each event's VEVENT made once: taken from a store of texts made by earlier runs (``sco_cal.cache.texts``)
when everything it is made from is as it was, else made and filed there.

A text is filed under a digest of all it depends on, so a text found is the one that would be made now:
- the section: the feed's settings that shape a VEVENT (month policy, the registry's zone, its default
  reminders for every kind, its UID domain, the DTSTAMP of an event with no revision), and the code and data
  that make the text: this package's and the dates' sources (their size and time, so an upgrade or an edit of
  the code starts afresh), icalendar's version, and the time zone database;
- the key: the event's exact content (its pickled bytes), and for the VEVENT of a series or of a moved
  occurrence, its UID, times and the occurrences it names (these depend on other events of the feed).
One digest per event and run: the same event in several feeds is pickled once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Final, NamedTuple, Protocol, TypeVar, cast

from sco_cal.code_stamps import PACKAGE, code_stamps
from sco_cal.ics import publish
from sco_cal.ics.publish import When
from sco_cal.ics.write import Occurrences, VeventWriter, check, rule_answers, zone_answers
from sco_cal.model import Event, Kind

try:  # the C pickler alone, as the cache uses: the pickle module around it is slow to import
    import _pickle as pickle
except ImportError:  # pragma: no cover  # interpreters without the C accelerator
    import pickle  # type: ignore[no-redef]

__all__ = ["Placed", "Reuse", "TextStore"]

_FORMAT: Final = b"vevent 2"  # 2: the feed's head and rules' UNTIL kept too
Made = TypeVar("Made")
_PLAIN: Final = Occurrences()
_ZONES: Final = b"ZONE ANSWERS"  # icalendar's answers of how it writes each zone (``write.zone_answers``)
_RULES: Final = b"RULE ANSWERS"  # and of how it writes each rule (``write.rule_answers``)


class Placed(NamedTuple):
    """What a feed needs of an event that stands alone (no series, no moved occurrence), kept from an earlier
    run: its groups, where the feed places it (``when``; ``None``: left out, for ``left_out``'s reason), and
    its VEVENT. Made by ``Reuse.placed`` for a feed of the same settings, and only valid in one. A tuple:
    thousands are read back at once."""

    id: str
    orgs: tuple[str, ...]
    kind: str
    series: str | None
    recurrence: None  # for the feed's zones, as an event's: a Placed event never repeats
    when: When | None
    left_out: str
    text: bytes


class TextStore(Protocol):
    """Texts by section and key (``sco_cal.cache.texts.Texts``)."""

    def get(self, section: bytes, key: bytes) -> object | None: ...

    def put(self, section: bytes, key: bytes, text: object) -> None: ...


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _sources() -> list[tuple[str, int, int]]:
    """The name, size and time of every module that shapes a VEVENT's text."""
    files = [*sorted((PACKAGE / "ics").glob("*.py")), *sorted((PACKAGE / "dates").glob("*.py"))]
    return code_stamps([*files, PACKAGE / "model.py", PACKAGE / "recurrence.py"])


def _zone_data() -> list[object]:
    """What the zones' rules are read from: the system's database (its file of every rule, when there is one)
    and the tzdata package zoneinfo falls back on."""
    import zoneinfo

    found: list[object] = []
    for folder in zoneinfo.TZPATH:
        for name in ("tzdata.zi", "."):
            try:
                status = Path(folder, name).stat()
            except OSError:
                continue
            found.append((folder, name, status.st_size, status.st_mtime_ns))
            break
    try:
        import tzdata  # type: ignore[import-untyped]

        found.append(tzdata.IANA_VERSION)
    except ImportError:
        pass
    return found


def _icalendar() -> object:
    """Which icalendar is installed, without loading it (a run that only reuses kept texts never needs it): its
    folder, and the size and time of the files that say its version."""
    import importlib.util

    spec = importlib.util.find_spec("icalendar")
    if spec is None or spec.origin is None:  # pragma: no cover  # not a plain package: ask it
        import icalendar

        return icalendar.__version__
    folder = Path(spec.origin).parent
    found: list[object] = [str(folder)]
    for name in ("__init__.py", "_version.py", "version.py"):
        try:
            status = (folder / name).stat()
        except OSError:
            continue
        found.append((name, status.st_size, status.st_mtime_ns))
    return found


def _section(writer: VeventWriter, uid_domain: str) -> bytes:
    reminders = [(str(kind), writer.default_reminders(kind)) for kind in Kind]
    settings = (str(writer.policy), writer.default_zone, reminders, uid_domain, writer.unknown_stamp)
    made_by = (_sources(), _icalendar(), _zone_data())
    # repr, not pickle: a pickle's bytes also tell which equal values are one object (a parse shares lead times
    # between kinds, a read from the index does not), and the same settings must always name the same section
    return _FORMAT + b" " + _digest(repr((settings, made_by)).encode())


class Reuse:
    """The VEVENTs of feeds that share a writer and a UID domain, taken from ``store`` where they were made
    before from the same inputs."""

    def __init__(self, store: TextStore, writer: VeventWriter, uid_domain: str) -> None:
        self.store = store
        self.writer = writer
        self.uid_domain = uid_domain
        self.section = _section(writer, uid_domain)
        self._digests: dict[int, tuple[Event, bytes]] = {}  # by id(): the event is held, so the id stays its own
        self._zones: dict[str, str | None] | None = None  # the answers kept, once read
        self._rules: dict[tuple[str, bool, str | None], str] = {}

    def _making(self) -> VeventWriter:
        """The writer, once it knows what icalendar said of each zone in earlier runs of this section (the zone
        data and icalendar's version are in it), and of each rule: making a VEVENT or two then does not load
        icalendar."""
        if self._zones is None:
            kept = self.store.get(self.section, _ZONES)
            self._zones = kept if isinstance(kept, dict) else {}
            zone_answers.update(self._zones)
            rules = self.store.get(self.section, _RULES)
            self._rules = rules if isinstance(rules, dict) else {}
            rule_answers.update(self._rules)
        return self.writer

    def _made(self, text: bytes) -> bytes:
        """``text`` as made, after filing any answer of icalendar's learned in making it."""
        if zone_answers != self._zones:
            self._zones = dict(zone_answers)
            self.store.put(self.section, _ZONES, self._zones)
        if rule_answers != self._rules:
            self._rules = dict(rule_answers)
            self.store.put(self.section, _RULES, self._rules)
        return text

    def suits(self, writer: VeventWriter, uid_domain: str) -> bool:
        """Whether this feed's VEVENTs are made as the ones this was made for."""
        return writer == self.writer and uid_domain == self.uid_domain

    def _of(self, event: Event) -> bytes:
        held = self._digests.get(id(event))
        if held is None:
            held = self._digests[id(event)] = (event, _digest(pickle.dumps(event, protocol=5)))
        return held[1]

    def vevent(
        self, event: Event, uid: str, start: date | datetime, end: date | datetime | None, links: Occurrences
    ) -> bytes:
        """The VEVENT ``VeventWriter.vevent`` gives for these arguments."""
        key = self._of(event)
        if links != _PLAIN or uid != (event.uid or f"{event.id}@{self.uid_domain}"):
            key = _digest(key + pickle.dumps((uid, start, end, links), protocol=5))
        text = self.store.get(self.section, key)
        if not isinstance(text, bytes):
            text = self._made(self._making().vevent(event, uid, start, end, links))
            self.store.put(self.section, key, text)
        return text

    def made(self, key: bytes, make: Callable[[], Made]) -> Made:
        """What ``make`` gives, as an earlier run of these settings made it under ``key`` (the key says all the
        value depends on beyond the section: the feed's head, a rule's UNTIL)."""
        kept = self.store.get(self.section, key)
        if isinstance(kept, tuple) and len(kept) == 1:  # in a tuple: ``None`` is a value too
            return cast("Made", kept[0])
        value = make()
        self.store.put(self.section, key, (value,))
        return value

    def made_from(self, kind: bytes, make: Callable[[str], Made], text: str) -> Made:
        """``made`` for what ``make`` gives for ``text`` alone."""
        return self.made(kind + text.encode(), lambda: make(text))

    def zone(self, name: str, first: date, last: date, make: Callable[[], bytes]) -> bytes:
        """The VTIMEZONE ``make`` gives for a zone over ``first`` to ``last`` (its rules are in the section)."""
        key = b"VTIMEZONE " + repr((name, first, last)).encode()
        text = self.store.get(self.section, key)
        if not isinstance(text, bytes):
            text = make()
            self.store.put(self.section, key, text)
        return text

    def placed(self, event: Event) -> Placed | None:
        """The event as a feed of these settings holds it, VEVENT made; ``None`` for an event tied to others
        (a series or a moved occurrence), whose VEVENT depends on which of them the feed holds.

        Raises:
            InvalidInput: An event the feed cannot hold (``check``).
        """
        if event.recurrence is not None or event.occurrence_of is not None:
            return None
        writer = self.writer
        timing = publish.when(event, writer.policy, writer.default_zone)
        text = b""
        if timing is not None:
            check(event, *timing, writer.default_zone)
            text = self._made(self._making().vevent(event, event.uid or f"{event.id}@{self.uid_domain}", *timing))
        left_out = "no date" if event.start is None else "date not fixed"
        return Placed(event.id, event.orgs, str(event.kind), event.series, None, timing, left_out, text)
