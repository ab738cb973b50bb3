"""``extract``: a release's text (plain or HTML) -> draft events, and adding the drafts a person accepted
through the one editing contract (lock, atomic write, backups, undo). A draft that matches an event already
in the registry (the same series and number, or the same title words on an overlapping date) is offered as
an update of that event or skipped, never added twice."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

from sco_cal.extract import Draft, Extraction, extract, id_words, looks_like_html, strip_html
from sco_cal.model import Event, Source, make_id
from sco_cal.registry import editing, load

__all__ = ["Added", "Offer", "add_drafts", "draft_events", "match_of", "plan"]

_SMALL_WORDS: Final = frozenset(("the", "a", "an", "of", "and", "in", "on", "for", "to", "with", "at", "by", "its"))


def draft_events(text: str, *, published: dt.date | None, source_url: str | None) -> Extraction:
    """The drafts of ``text``; an HTML page is read without its tags."""
    if looks_like_html(text):
        text = strip_html(text)
    return extract(text, published=published, source_url=source_url)


def _words(title: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", title.casefold()) if w not in _SMALL_WORDS}


def _overlap(a: Event, b: Event) -> bool:
    if a.start is None or b.start is None:
        return False
    a_last, b_last = (a.end or a.start).last_day(), (b.end or b.start).last_day()
    return a.start.first_day() <= b_last and b.start.first_day() <= a_last


def match_of(draft: Event, events: Iterable[Event]) -> Event | None:
    """The event ``draft`` repeats: the same series and number, or most of the same title words on an
    overlapping date."""
    words = _words(draft.title)
    for event in events:
        if draft.series and draft.number is not None and (event.series, event.number) == (draft.series, draft.number):
            return event
        shared = words & _words(event.title)
        if _overlap(draft, event) and len(shared) * 2 >= max(len(words), 1):
            return event
    return None


@dataclass(frozen=True)
class Offer:
    """One draft as it will be proposed: new, or an update of ``existing`` (``changes`` are the fields that
    differ), or nothing to do."""

    draft: Draft
    existing: Event | None
    changes: dict[str, Any]

    @property
    def is_new(self) -> bool:
        return self.existing is None

    @property
    def adds_nothing(self) -> bool:
        return self.existing is not None and not self.changes


_UPDATABLE: Final = ("status", "start", "end", "venue")


def plan(path: Path, drafts: list[Draft], *, cache_dir: Any = None) -> list[Offer]:
    """What adding ``drafts`` to the registry at ``path`` would do, draft by draft: an update also adds the
    release to the event's ``sources`` (unless it is there already)."""
    registry = load(path, cache_dir=cache_dir)
    events = list(registry.iter_events())
    offers = []
    for draft in (_as_southern(d) for d in drafts) if registry.southern else drafts:
        existing = match_of(draft.event, events)
        offers.append(Offer(draft, existing, _changes(draft.event, existing) if existing else {}))
    return offers


def _as_southern(draft: Draft) -> Draft:
    """A draft for a ``seasons: southern`` registry: a release's season is the northern one (the organisations
    whose releases these are lie north of the equator), so the draft keeps its months and takes the name the
    registry gives them (the release's summer 2020, June-August, is winter 2020 there)."""
    start, end = (
        v.in_hemisphere(southern=True, renamed=True) if v else None for v in (draft.event.start, draft.event.end)
    )
    return replace(draft, event=replace(draft.event, start=start, end=end))


def _changes(draft: Event, existing: Event) -> dict[str, Any]:
    changes = {
        name: getattr(draft, name)
        for name in _UPDATABLE
        if getattr(draft, name) is not None and getattr(draft, name) != getattr(existing, name)
    }
    if "status" in changes and not existing.status.can_become(changes["status"]):
        return {}  # a held event stays held: the draft is older news than the registry
    if changes and not any(_same_release(source, draft.sources[0]) for source in existing.sources):
        changes["sources"] = (*existing.sources, draft.sources[0])
    return changes


def _same_release(known: Source, new: Source) -> bool:
    """Whether ``new`` is a release the event already cites: the same URL, or (without one) the same title
    or words."""
    if known.url and new.url:
        return known.url == new.url
    return bool((known.title and known.title == new.title) or (known.excerpt and known.excerpt == new.excerpt))


@dataclass
class Added:
    """What an ``--add`` run did: the ids added, the ids updated, and the drafts skipped (with the reason)."""

    added: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[tuple[str, Any, Any]]]] = field(default_factory=list)  # id, (field, old, new)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def add_drafts(
    path: Path,
    offers: list[Offer],
    *,
    accept: Callable[[Offer], bool],
    stamp: dt.datetime,
    write: Callable[[], dict[str, Any]],
) -> Added:
    """Add (or apply as updates) the offers ``accept`` says yes to, in one save under the registry's lock; a
    draft that meanwhile matches an event (another run added it) is skipped."""
    done = Added()
    accepted = []
    for offer in offers:
        if offer.adds_nothing:
            assert offer.existing is not None
            done.skipped.append((offer.draft.event.title, f"already in the registry as {offer.existing.id}"))
        elif accept(offer):
            accepted.append(offer)
        else:
            done.skipped.append((offer.draft.event.title, "declined"))
    if accepted:
        with editing(path, **write()) as editor:
            for offer in accepted:
                _apply(offer, editor, stamp, done)
    return done


def _apply(offer: Offer, editor: Any, stamp: dt.datetime, done: Added) -> None:
    events = list(editor.registry.iter_events())
    if offer.existing is not None:
        current = editor.registry.get(offer.existing.id)
        editor.update(current.with_changes(**offer.changes, updated=stamp))
        done.updated.append((current.id, [(name, getattr(current, name), new) for name, new in offer.changes.items()]))
        return
    event = offer.draft.event
    if (twin := match_of(event, events)) is not None:
        done.skipped.append((event.title, f"already in the registry as {twin.id}"))
        return
    new_id = make_id(
        id_words(event.title), event.start, series=event.series, number=event.number, taken=editor.taken_ids
    )
    editor.add(replace(event, id=new_id, updated=stamp))
    done.added.append(new_id)
