"""``sco-cal publish``'s workflow: what a team puts on a web server, in one folder. The feeds (the whole registry
as ``all.ics``, one feed per organisation under ``org/``, as ``export`` writes them) and ``index.html``: the
timeline of the coming months, the agenda of the coming weeks, and a subscribe link for each feed.

Every file is replaced atomically and only when its bytes change, so cron can run it every few minutes without
churning a web server's caches; a failed write leaves the previous file in place. A stamp in the folder
(``.sco-cal-publish``: a digest of what the files were made from, and each file's size and mtime) lets a run
whose registry files, options, day and sco-cal version are all as before, and whose files nobody touched, stop
before reading the registry: cron's usual case costs a ``stat`` of each file. The stamp also keeps a digest of
the registry files' bytes, so files written again unchanged (touched, saved as they were, checked out again) cost
a read of their bytes and no parse. The page itself is drawn by a
renderer the caller passes in (``sco_cal.output.timeline_html.site_page``): services never import ``output``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final

from sco_cal import __version__
from sco_cal.cache.texts import open_texts, uncollected
from sco_cal.dates import zone_for
from sco_cal.errors import InvalidInput, ScoCalError, StorageError
from sco_cal.ics.publish import Policy, SplitBy
from sco_cal.query import Filters, select
from sco_cal.registry.caching import CacheDir, Identity, cache_folder, identity
from sco_cal.registry.files import registry_files
from sco_cal.reminders.agenda import AgendaGroup
from sco_cal.services.feeds import FeedExport
from sco_cal.services.timeline import coming_months, timeline_of, write_if_changed
from sco_cal.services.views import agenda_days
from sco_cal.storage import atomic_write
from sco_cal.timeline.layout import GroupBy, Timeline

if TYPE_CHECKING:
    from sco_cal.cache.rows import PickledEvents
    from sco_cal.cache.texts import Texts
    from sco_cal.ics.export import Feed, Written
    from sco_cal.ics.reuse import Placed
    from sco_cal.model import Event
    from sco_cal.registry import Registry

__all__ = ["ALL_FEED", "ORG_FOLDER", "FeedLink", "Published", "Site", "SitePage", "base_url", "publish"]

ALL_FEED: Final = "all.ics"
ORG_FOLDER: Final = "org"
PAGE: Final = "index.html"
STAMP: Final = ".sco-cal-publish"
REFRESH: Final = timedelta(hours=6)


def base_url(text: str | None) -> str | None:
    """The address the folder is served at, ending in ``/``; ``None`` when not given.

    >>> base_url("https://intranet.example/cal")
    'https://intranet.example/cal/'
    """
    if text is None:
        return None
    if not text.startswith(("https://", "http://")) or len(text.split("/", 3)[2]) == 0:
        raise InvalidInput(f"--base-url {text!r}: give the address the folder is served at, e.g. https://host/cal/")
    return text if text.endswith("/") else text + "/"


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed on the page: its name, file (relative to the folder), events, and where to subscribe."""

    name: str
    path: str
    events: int
    https: str | None
    webcal: str | None


@dataclass(frozen=True, slots=True)
class SitePage:
    """Everything ``index.html`` shows."""

    title: str
    today: date
    feeds: list[FeedLink]
    timeline: Timeline
    agenda: list[AgendaGroup]
    default_zone: str
    zone: str


@dataclass(frozen=True, slots=True)
class Site:
    """Where and what to publish: the folder, its public address, months of timeline, days of agenda."""

    folder: Path
    base_url: str | None
    months: int = 12
    days: int = 42


@dataclass(slots=True)
class Published:
    """The files written (``True``) or left as they were (``False``), in the order they were written."""

    files: list[tuple[Path, bool]] = field(default_factory=list)
    feeds: list[FeedLink] = field(default_factory=list)


def publish(
    registry_path: Path,
    load: Callable[[], Registry],
    site: Site,
    *,
    render: Callable[[SitePage], bytes],
    now: datetime,
    zone: str | None,
    cache_dir: CacheDir = None,
) -> Published:
    """Write the feeds, then the page that links them, in ``zone`` (``None``: the registry's); nothing at all
    when the stamp says everything is as it was. ``cache_dir``: where each event's VEVENT is kept between runs,
    so a run after a small change makes again only the changed events' (``None``: every one is made)."""
    _make_folder(site.folder)
    found = identity(registry_path)  # before the read: a change during it makes the next run start afresh
    kept = _unchanged(site, found.fingerprint if found else None, now, zone)
    if kept is not None:
        return kept
    content = _content(registry_path) if found is not None else None
    if content is not None and identity(registry_path) != found:
        content = None  # written while it was read: its bytes are not surely the fingerprinted files'
    kept = _same_content(site, found.fingerprint if found else None, content, now, zone)
    if kept is not None:
        return kept
    with uncollected():  # a run makes thousands of plain records and almost no cycles: none worth a collection
        made_of = (found, content)
        return _publish_afresh(
            registry_path, load(), site, render=render, now=now, zone=zone, cache_dir=cache_dir, made_of=made_of
        )


def _publish_afresh(
    registry_path: Path,
    registry: Registry,
    site: Site,
    *,
    render: Callable[[SitePage], bytes],
    now: datetime,
    zone: str | None,
    cache_dir: CacheDir,
    made_of: tuple[Identity | None, str | None],
) -> Published:
    """Write the feeds and the page, and the stamp; ``made_of``: the registry files' identity taken before the
    read, and their content's digest."""
    found, content = made_of
    shown_in = zone or registry.timezone
    today = now.astimezone(zone_for(shown_in)).date()
    published = Published()
    made_from = (cache_folder(cache_dir), found.fingerprint if found else None)
    inputs = _write_feeds(registry, site, shown_in, published, made_from)
    window = coming_months(today, site.months, shown_in)
    page = SitePage(
        title=registry.name,
        today=today,
        feeds=published.feeds,
        timeline=timeline_of(registry, Filters(window=window), by=GroupBy.EVENT, now=now, zone=shown_in),
        agenda=agenda_days(registry, today=today, days=site.days, zone=shown_in),
        default_zone=registry.timezone,
        zone=shown_in,
    )
    path = site.folder / PAGE
    published.files.append((path, write_if_changed(path, render(page))))
    if found is not None:
        key = _key(found.fingerprint, site, today, shown_in, zone)
        # the content only while the files are still the ones fingerprinted before the read: then it is what
        # was read, and not a version written (and perhaps written back) during the run
        same = content is not None and identity(registry_path) == found
        by_content = _key(content, site, today, shown_in, zone) if same and content is not None else ""
        _stamp(site.folder, f"{key}\t{by_content}", shown_in, published, inputs)
    return published


def _key(fingerprint: str, site: Site, today: date, shown_in: str, asked: str | None) -> str:
    """A digest of everything the files are made from."""
    made_of = [__version__, fingerprint, site.base_url, site.months, site.days, str(today), shown_in, asked]
    return hashlib.sha256(repr(made_of).encode()).hexdigest()  # the digest only: no server path in a served file


def _signature(path: Path) -> str:
    status = path.stat()
    return f"{status.st_size} {status.st_mtime_ns}"


def _content(registry_path: Path) -> str | None:
    """A digest of the registry's files, the path and bytes of each, as the key of a stamp made from them;
    ``None`` when one cannot be read."""
    digest = hashlib.sha256()
    try:
        for file in registry_files(registry_path):
            name = str(file.resolve()).encode("utf-8", "surrogateescape")
            data = file.read_bytes()
            digest.update(b"%d %d " % (len(name), len(data)) + name)
            digest.update(data)
    except (OSError, ScoCalError):
        return None
    return f"sha256:{digest.hexdigest()}"  # never a fingerprint: the two kinds of key cannot meet


def _unchanged(site: Site, fingerprint: str | None, now: datetime, zone: str | None) -> Published | None:
    """The files as they are, when the stamp was made from the same registry files, options, day and version,
    and no file has changed since. The stamp keeps the zone it was made in: the registry's, when ``zone`` is
    ``None``, which is still right while the registry's files are unchanged."""
    found = _stamped(site, fingerprint, now, zone, by_content=False)
    return None if found is None else Published(files=[(site.folder / name, False) for name, *_ in found[1]])


def _same_content(
    site: Site, fingerprint: str | None, content: str | None, now: datetime, zone: str | None
) -> Published | None:
    """The files as they are, when the registry's files hold the very bytes the stamp's files were made from
    (written again unchanged, touched, checked out again), and no file has changed since; the stamp is then
    made again for the files' new fingerprint, so the next run stops at a ``stat`` of each."""
    found = _stamped(site, content, now, zone, by_content=True)
    if found is None or fingerprint is None:
        return None
    (by_content, shown_in), files = found
    today = now.astimezone(zone_for(shown_in)).date()
    key = _key(fingerprint, site, today, shown_in, zone)
    lines = [f"{key}\t{by_content}", shown_in, *("\t".join(parts) for parts in files)]
    with contextlib.suppress(ScoCalError):
        atomic_write(site.folder / STAMP, ("\n".join(lines) + "\n").encode())
    return Published(files=[(site.folder / name, False) for name, *_ in files])


def _stamped(
    site: Site, made_of: str | None, now: datetime, zone: str | None, *, by_content: bool
) -> tuple[tuple[str, str], list[list[str]]] | None:
    """The stamp's key by content and zone, and its file lines (split), when the stamp was made from
    ``made_of`` (the files' fingerprint, or with ``by_content`` their content's digest), the same options,
    day and version, and no file has changed since; else ``None``."""
    folder = site.folder
    try:
        keys, shown_in, *lines = (folder / STAMP).read_text(encoding="utf-8").splitlines()
        by_fingerprint, content_key = keys.split("\t")
        files = [line.split("\t") for line in lines]
        if made_of is None or not files or (zone is not None and zone != shown_in):
            return None
        today = now.astimezone(zone_for(shown_in)).date()
        if (content_key if by_content else by_fingerprint) != _key(made_of, site, today, shown_in, zone):
            return None
        if any(_signature(folder / name) != signature for name, signature, *_ in files):
            return None
    except (OSError, ValueError, ScoCalError):
        return None
    return (content_key, shown_in), files


def _stamp(folder: Path, key: str, shown_in: str, published: Published, inputs: dict[str, str]) -> None:
    """The stamp: the key, the zone, and a line per file: its name and signature, and for a feed what it was
    made from (``_Inputs``) and how many events it holds."""
    counts = {link.path: link.events for link in published.feeds}
    lines = [key, shown_in]
    for path, _ in published.files:
        relative = path.relative_to(folder).as_posix()
        made = f"\t{inputs[relative]}\t{counts[relative]}" if relative in inputs else ""
        lines.append(f"{relative}\t{_signature(path)}{made}")
    atomic_write(folder / STAMP, ("\n".join(lines) + "\n").encode())


def _recorded(folder: Path) -> dict[str, tuple[str, str, int]]:
    """What the last stamp says of each feed: its file's signature, what it was made from, its events."""
    try:
        lines = (folder / STAMP).read_text(encoding="utf-8").splitlines()[2:]
    except (OSError, ValueError):
        return {}
    parts = [line.split("\t") for line in lines]
    return {p[0]: (p[1], p[2], int(p[3])) for p in parts if len(p) == 4 and p[3].isdecimal()}


def _write_feeds(
    registry: Registry, site: Site, zone: str, published: Published, made_from: tuple[Path | None, str | None]
) -> dict[str, str]:
    """``all.ics`` and one feed per organisation, each noted (with its subscribe links) as it is written;
    ``made_from``: the cache folder (``None``: nothing is kept) and the identity of the files read. Returns
    what each feed was made from, where that is known (``_Inputs``)."""
    cache, fingerprint = made_from
    texts = open_texts(cache, registry.path)  # none without a cache folder
    told = _Teller(site, published)
    feeds = FeedExport(registry, Policy.SPAN, lambda: REFRESH, io.BytesIO(), told, texts if cache else None)
    events, inputs = _feed_events(registry, feeds, texts, zone, lambda: _fresh(cache, registry.path, fingerprint))
    if inputs is not None:
        inputs.folder, inputs.recorded = site.folder, _recorded(site.folder)
    told.names.update({f"{stem}.ics": name for stem, (name, _) in feeds.groups(events, SplitBy.ORG).items()})
    feeds.kept = inputs.kept if inputs is not None else None
    feeds.run(events, site.folder / ALL_FEED, None)
    feeds.run(events, site.folder / ORG_FOLDER, SplitBy.ORG)
    texts.save()
    return inputs.made if inputs is not None else {}


def _fresh(cache: Path | None, path: Path, fingerprint: str | None) -> PickledEvents | None:
    """The pickled events of the index a parse of these very files has just built, if there is one, and only
    while the files are still the ones read (the page shows what was parsed; the feeds must show the same)."""
    now = identity(path) if cache is not None and fingerprint is not None else None
    if cache is None or now is None or now.fingerprint != fingerprint:
        return None
    from sco_cal.cache.rows import fresh_pickled_events

    return fresh_pickled_events(cache, path, fingerprint)


def _feed_events(
    registry: Registry, feeds: FeedExport, texts: Texts, zone: str, fresh: Callable[[], PickledEvents | None]
) -> tuple[list[Event | Placed], _Inputs | None]:
    """Every event, in the order ``select`` gives: from what earlier runs kept, where the registry has an index
    and the texts are kept, else from the events themselves; and, in the first case, what each feed is made
    from."""
    reuse = feeds.reuse()
    if reuse is not None:
        from sco_cal.services.feed_records import placed_events, placing

        with uncollected():
            kept = placed_events(registry, reuse, texts, zone, fresh)
        if kept is not None:
            events, digests = kept
            base = repr((__version__, reuse.section, placing(zone))).encode()
            return events, _Inputs(base, dict(zip(map(id, events), digests, strict=True)))
    found = select(registry.events_in(None), Filters(), floating_zone=zone, default_zone=registry.timezone)
    return list({o.event.id: o.event for o in found}.values()), None


@dataclass
class _Inputs:
    """What each feed is made from, as a digest: its settings, and the content of each of its events in its
    order. A feed made from what the last stamp recorded for it, whose file still has the size and time the
    stamp recorded, already holds the bytes it would be written with (the same inputs give the same bytes), so
    it is neither made nor compared: after a small change most organisations' feeds are as they were."""

    base: bytes  # the settings and code of the VEVENTs (``Reuse.section``) and of their order (``placing``)
    digests: dict[int, bytes]  # by id() of each event (or kept placing) of the run: a digest of its content
    folder: Path = Path()
    recorded: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # see ``_recorded``
    made: dict[str, str] = field(default_factory=dict)  # a feed's file -> what it was made from, this run

    def kept(self, output: Path, feed: Feed, events: Sequence[Event | Placed]) -> Written | None:
        """What ``output`` holds, when it holds what ``feed`` of ``events`` would write; else ``None``."""
        relative = output.relative_to(self.folder).as_posix()
        settings = [(f.name, getattr(feed, f.name)) for f in fields(feed) if f.name != "default_reminders"]
        made = hashlib.blake2b(self.base + repr(settings).encode(), digest_size=16)
        made.update(b"".join(map(self.digests.__getitem__, map(id, events))))  # mapped: every event, each feed
        self.made[relative] = made.hexdigest()
        signature, inputs, count = self.recorded.get(relative, ("", "", 0))
        try:
            if inputs != self.made[relative] or _signature(output) != signature:
                return None
        except OSError:
            return None
        from sco_cal.ics.export import Written

        return Written(count=count)


@dataclass
class _Teller:
    """Notes each feed written in ``published``, with its name and subscribe links."""

    site: Site
    published: Published
    names: dict[str, str] = field(default_factory=dict)  # an organisation's file name -> its name

    def __call__(self, output: Path | None, written: Written, changed: bool) -> None:
        assert output is not None
        relative = output.relative_to(self.site.folder).as_posix()
        name = "All events" if relative == ALL_FEED else self.names[output.name]
        link = FeedLink(name, relative, written.count, *_links(self.site.base_url, relative))
        self.published.feeds.append(link)
        self.published.files.append((output, changed))


def _links(base: str | None, relative: str) -> tuple[str | None, str | None]:
    if base is None:
        return None, None
    https = base + relative
    return https, "webcal://" + https.split("://", 1)[1]


def _make_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise StorageError(f"{folder}: is not a folder; publish writes a folder of files")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(f"{folder}: cannot create the folder: {error.strerror}") from None
