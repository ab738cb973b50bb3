"""Rich renderables for the terminal: the event table and one event's details. Nothing here prints."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from sco_cal.dates import display_lines, display_span
from sco_cal.model import Event, Source, Status
from sco_cal.output.plain import event_columns, fit_columns, id_lines
from sco_cal.query import Occurrence

__all__ = ["event_detail", "event_table"]

_STATUS_STYLE = {
    Status.PLANNED: "yellow",
    Status.SCHEDULED: "green",
    Status.HELD: "dim",
    Status.POSTPONED: "magenta",
    Status.CANCELLED: "red strike",
}


def _when(occurrence: Occurrence, default_zone: str, display_zone: str | None) -> Text:
    text = Text("\n".join(display_lines(occurrence.start, occurrence.end, default_zone, display_zone)))
    if occurrence.start is not None and not occurrence.fixed:
        text.stylize("italic")
    if occurrence.repeats:
        text.append("\nrepeats", style="dim")
    return text


def event_table(
    occurrences: list[Occurrence],
    default_zone: str,
    *,
    width: int = 120,
    title: str | None = None,
    display_zone: str | None = None,
) -> Table:
    """One row per occurrence: when (at its true precision), what (with its id below), kind, status, where, orgs.

    The columns and their widths are the plain table's (``sco_cal.output.plain.fit_columns``): every line fits
    ``width``, columns giving way in ``DROP_ORDER`` so titles and ids stay readable.
    """
    layout = dict(fit_columns(event_columns(occurrences, default_zone, width, display_zone), width, gap=2))
    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    for header, column_width in layout.items():
        # every column wraps at spaces, and folds only a word wider than itself; the id is broken as the plain
        # table breaks it, after its dashes
        table.add_column(header, width=column_width, overflow="fold")
    for occurrence in occurrences:
        cells = _cells(occurrence, default_zone, display_zone, layout["Event"])
        table.add_row(*(cells[header] for header in layout))
    return table


def _cells(
    occurrence: Occurrence, default_zone: str, display_zone: str | None, event_width: int
) -> dict[str, Text | str]:
    event = occurrence.event
    return {
        "When": _when(occurrence, default_zone, display_zone),
        "Event": Text.assemble(event.title, "\n", ("\n".join(id_lines(event.id, event_width)), "cyan")),
        "Kind": str(event.kind),
        "Status": Text(str(event.status), style=_STATUS_STYLE[event.status]),
        "Where": event.venue.display() if event.venue else "",
        "Orgs": ", ".join(event.orgs),
    }


def event_detail(
    event: Event, default_zone: str, location: tuple[str, int], *, display_zone: str | None = None
) -> RenderableType:
    """Every field of one event, as ``show`` prints it."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")  # a long URL or tag folds at the edge instead of ending in "..."

    def row(label: str, value: str | Text | None) -> None:
        if value:
            grid.add_row(label, value)

    row("id", Text(event.id, style="cyan"))
    row("title", event.title)
    row("kind", str(event.kind))
    row("status", Text(str(event.status), style=_STATUS_STYLE[event.status]))
    when = display_span(event.start, event.end, default_zone, display_zone)
    if event.start is not None:
        stored = event.start.to_text() + (f" .. {event.end.to_text()}" if event.end else "")
        when += f"   [{stored}]"
    row("when", when)
    row("repeats", event.recurrence)
    row("except", ", ".join(value.to_text() for value in event.excluded))
    row("also", ", ".join(value.to_text() for value in event.also))
    if event.occurrence_of and event.replaces:
        row("replaces", f"{event.occurrence_of} on {event.replaces.to_text()}")
    if event.venue:
        row("where", event.venue.display() + (f" ({event.venue.timezone})" if event.venue.timezone else ""))
    row("orgs", ", ".join(event.orgs))
    if event.series:
        row("series", event.series + (f" #{event.number}" if event.number is not None else ""))
    row("participants", "\n".join(p.name + (f" ({p.role})" if p.role else "") for p in event.participants))
    row("sources", "\n".join(_source_lines(source) for source in event.sources))
    row("tags", ", ".join(event.tags))
    row("reminders", ", ".join(lead.to_text() for lead in event.reminders))
    row("related", ", ".join(event.related))
    row("notes", event.notes)
    row("uid", event.uid)
    path, line = location
    footer = Text(f"{path}:{line}", style="dim")
    return Group(grid, footer)


def _source_lines(source: Source) -> str:
    """A source's title and address, then when it was published and the words it says (what an analyst checks
    the event against)."""
    lines = [" - ".join(part for part in (source.title, source.url) if part)]
    if source.published is not None:
        lines.append(f"published {source.published.display()}")
    if source.excerpt:
        lines.append(f'"{source.excerpt}"')
    return "\n".join(line for line in lines if line.strip())
