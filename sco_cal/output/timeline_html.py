"""HTML pages of the timeline: ``timeline -o page.html`` (the picture and a list of its events) and
``publish``'s ``index.html`` (subscribe links, the timeline of the coming months, the agenda of the coming
weeks with every event's sources).

One self-contained file: the SVG inline, the CSS inline (a print stylesheet too), no JavaScript, readable on a
phone. Every text from a registry is escaped; a source's address is a link only when it is http(s). The bytes
depend only on what is shown, never on the clock.
"""

from __future__ import annotations

from typing import Final

from sco_cal.dates import MONTH_ABBR, display_span
from sco_cal.model import Event, Source
from sco_cal.output.timeline_svg import escape, svg_element
from sco_cal.query import Occurrence
from sco_cal.reminders.agenda import AgendaGroup
from sco_cal.services.publishing import FeedLink, SitePage
from sco_cal.timeline.layout import Timeline

__all__ = ["site_page", "timeline_page"]

_CSS: Final = """\
:root { color-scheme: light; }
body { margin: 0 auto; max-width: 62rem; padding: 1rem; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", \
Roboto, sans-serif; color: #1a202c; background: #ffffff; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #d0d4da; }
h3 { font-size: 1rem; margin: 1.25rem 0 .25rem; }
.note, .when, .meta { color: #4a5568; }
.chart { overflow-x: auto; }
.chart svg { display: block; width: 100%; min-width: 40rem; height: auto; }
ul { padding-left: 1.25rem; }
li { margin: .35rem 0; }
.feeds a { margin-right: .75rem; }
.status { font-size: .85rem; border: 1px solid currentColor; border-radius: .25rem; padding: 0 .3rem; }
a { color: #2b6cb0; overflow-wrap: anywhere; }
@media (max-width: 40rem) { body { padding: .5rem; font-size: 15px; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .chart { overflow: visible; }
  .chart svg { min-width: 0; }
  a { color: inherit; text-decoration: none; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: .85em; }
  h2, h3 { break-after: avoid; }
  li { break-inside: avoid; }
}
"""


def _document(title: str, body: list[str]) -> bytes:
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{_CSS}</style>",
        "</head>",
        "<body>",
    ]
    return ("\n".join([*head, *body, "</body>", "</html>"]) + "\n").encode()


def _chart(timeline: Timeline, title: str) -> list[str]:
    if not timeline.rows:
        return ['<p class="note">No events in this stretch.</p>']
    return ['<div class="chart">', svg_element(timeline, title), "</div>"]


def timeline_page(timeline: Timeline, title: str) -> bytes:
    """The timeline and, under it, its events with their dates as the sources give them."""
    body = [f"<h1>{escape(title)}</h1>", *_chart(timeline, title), "<h2>Events</h2>", "<ul>"]
    for row in timeline.rows:
        for entry in row.entries:
            body.append(f"<li>{_event_line(entry.event, entry.when)}</li>")
    return _document(title, [*body, "</ul>"])


def site_page(page: SitePage) -> bytes:
    """``publish``'s ``index.html``."""
    title = page.title
    when = f"{page.today.day} {MONTH_ABBR[page.today.month - 1]} {page.today.year}"
    body = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="note">As of {when}. Dates are shown as the sources give them; "TBC" means not fixed yet.</p>',
        "<h2>Subscribe</h2>",
        *_feeds(page.feeds),
        "<h2>Timeline of the coming months</h2>",
        *_chart(page.timeline, f"{title}: the coming months"),
        "<h2>Agenda of the coming weeks</h2>",
        *_agenda(page.agenda, page.default_zone, page.zone),
    ]
    return _document(title, body)


def _feeds(feeds: list[FeedLink]) -> list[str]:
    lines = ['<ul class="feeds">']
    for feed in feeds:
        if feed.webcal and feed.https:
            links = (
                f'Subscribe: <a href="{escape(feed.webcal)}">{escape(feed.webcal)}</a><br>'
                f'Download: <a href="{escape(feed.https)}">{escape(feed.https)}</a>'
            )
        else:
            links = f'Download: <a href="{escape(feed.path)}">{escape(feed.path)}</a>'
        events = f"{feed.events} event" + ("" if feed.events == 1 else "s")
        lines.append(f'<li><strong>{escape(feed.name)}</strong> <span class="meta">({events})</span><br>{links}</li>')
    return [*lines, "</ul>"]


def _agenda(groups: list[AgendaGroup], default_zone: str, zone: str) -> list[str]:
    if not groups:
        return ['<p class="note">Nothing in the coming weeks.</p>']
    lines: list[str] = []
    for group in groups:
        lines.append(f'<h3>{escape(group.label)} <span class="meta">({escape(group.relative)})</span></h3>')
        lines.append("<ul>")
        lines += [f"<li>{_occurrence_line(o, default_zone, zone)}</li>" for o in group.occurrences]
        lines.append("</ul>")
    return lines


def _occurrence_line(occurrence: Occurrence, default_zone: str, zone: str) -> str:
    return _event_line(occurrence.event, display_span(occurrence.start, occurrence.end, default_zone, zone))


def _event_line(event: Event, when: str) -> str:
    """The title, its dates, status, place and organisations, and its sources as links."""
    meta = [str(event.kind)]
    if event.venue is not None:
        meta.append(event.venue.display())
    if event.orgs:
        meta.append(", ".join(event.orgs))
    text = (
        f'<strong>{escape(event.title)}</strong> <span class="status">{event.status}</span><br>'
        f'<span class="when">{escape(when)}</span> · <span class="meta">{escape(" · ".join(meta))}</span>'
    )
    if event.sources:
        text += "<br>Sources: " + "; ".join(_source(source) for source in event.sources)
    return text


def _source(source: Source) -> str:
    words = source.title or source.url or "untitled source"
    if source.url and source.url.startswith(("https://", "http://")):
        return f'<a href="{escape(source.url)}">{escape(words)}</a>'
    return escape(words)
