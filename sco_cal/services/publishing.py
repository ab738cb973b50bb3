"""``sco-cal publish``'s workflow: what a team puts on a web server, in one folder. The feeds (the whole registry
as ``all.ics``, one feed per organisation under ``org/``, as ``export`` writes them) and ``index.html``: the
timeline of the coming months, the agenda of the coming weeks, and a subscribe link for each feed.

Every file is replaced atomically and only when its bytes change, so cron can run it every few minutes without
churning a web server's caches; a failed write leaves the previous file in place. The page itself is drawn by a
renderer the caller passes in (``sco_cal.output.timeline_html.site_page``): services never import ``output``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final

from sco_cal.dates import zone_for
from sco_cal.errors import InvalidInput, StorageError
from sco_cal.ics.publish import Policy, SplitBy
from sco_cal.query import Filters, select
from sco_cal.reminders.agenda import AgendaGroup
from sco_cal.services.feeds import FeedExport, groups
from sco_cal.services.timeline import coming_months, timeline_of, write_if_changed
from sco_cal.services.views import agenda_days
from sco_cal.timeline.layout import GroupBy, Timeline

if TYPE_CHECKING:
    from sco_cal.ics.export import Written
    from sco_cal.registry import Registry

__all__ = ["ALL_FEED", "ORG_FOLDER", "FeedLink", "Published", "Site", "SitePage", "base_url", "publish"]

ALL_FEED: Final = "all.ics"
ORG_FOLDER: Final = "org"
PAGE: Final = "index.html"
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
    registry: Registry, site: Site, *, render: Callable[[SitePage], bytes], now: datetime, zone: str
) -> Published:
    """Write the feeds, then the page that links them."""
    _make_folder(site.folder)
    published = Published()
    _write_feeds(registry, site, zone, published)
    today = now.astimezone(zone_for(zone)).date()
    window = coming_months(today, site.months, zone)
    page = SitePage(
        title=registry.name,
        today=today,
        feeds=published.feeds,
        timeline=timeline_of(registry, Filters(window=window), by=GroupBy.EVENT, now=now, zone=zone),
        agenda=agenda_days(registry, today=today, days=site.days, zone=zone),
        default_zone=registry.timezone,
        zone=zone,
    )
    path = site.folder / PAGE
    published.files.append((path, write_if_changed(path, render(page))))
    return published


def _write_feeds(registry: Registry, site: Site, zone: str, published: Published) -> None:
    """``all.ics`` and one feed per organisation, each noted (with its subscribe links) as it is written."""
    found = select(registry.events_in(None), Filters(), floating_zone=zone, default_zone=registry.timezone)
    events = list({o.event.id: o.event for o in found}.values())
    names = {f"{stem}.ics": name for stem, (name, _) in groups(events, SplitBy.ORG).items()}

    def told(output: Path | None, written: Written, changed: bool) -> None:
        assert output is not None
        relative = output.relative_to(site.folder).as_posix()
        name = "All events" if relative == ALL_FEED else names[output.name]
        published.feeds.append(FeedLink(name, relative, written.count, *_links(site.base_url, relative)))
        published.files.append((output, changed))

    feeds = FeedExport(registry, Policy.SPAN, lambda: REFRESH, io.BytesIO(), told)
    feeds.run(events, site.folder / ALL_FEED, None)
    feeds.run(events, site.folder / ORG_FOLDER, SplitBy.ORG)


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
