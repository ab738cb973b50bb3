"""Draft events as a person checks them: registry YAML (an ``events:`` list to paste into a registry) with a
comment on each field saying which words it came from, or the records ``list --format json`` prints."""

from __future__ import annotations

from typing import Any

from sco_cal.extract import Draft, Extraction
from sco_cal.model import Event, Source, Venue
from sco_cal.output.records import RECORD_SCHEMA, record
from sco_cal.query import Occurrence
from sco_cal.registry.yaml.emit import event_fields, key_lines

__all__ = ["change_text", "drafts_document", "drafts_yaml", "header", "offer_lines"]

_COMMENT_WIDTH = 100


def drafts_yaml(extraction: Extraction) -> str:
    """The drafts as YAML a registry takes, each field with a short comment naming the words it came from;
    empty when there are none."""
    if not extraction.drafts:
        return ""
    lines = [header(extraction), "events:"]
    for draft in extraction.drafts:
        lines += _item(draft)
    return "\n".join(lines) + "\n"


def header(extraction: Extraction) -> str:
    """The comment above the drafts, true of them: where the years the text leaves out came from, if any."""
    read = [d for d in extraction.drafts if "; year from " in d.why.get("start", "")]
    if read and extraction.published is not None:
        where = f" ({extraction.published_from})" if extraction.published_from else ""
        return f"# Drafts: check each one. Years and weekdays read against {extraction.published.isoformat()}{where}."
    return "# Drafts: check each one. Every date is as the text wrote it, year included."


def _item(draft: Draft) -> list[str]:
    lines: list[str] = []
    for position, (key, value) in enumerate(event_fields(draft.event).items()):
        inner = key_lines(key, value, 4)
        why = draft.why.get(key)
        if why:
            inner[0] = _commented(inner[0], why)
        lines += [("  - " if position == 0 else "    ") + inner[0], *inner[1:]]
    return lines


def _commented(line: str, why: str) -> str:
    room = max(_COMMENT_WIDTH - len(line) - 7, 30)
    text = " ".join(why.split())
    return f"{line}  # {text if len(text) <= room else text[: room - 3] + '...'}"


def drafts_document(extraction: Extraction) -> dict[str, Any]:
    """The JSON document: ``{"schema": ..., "events": [...]}``, each event the record ``list`` prints."""
    return {
        "schema": RECORD_SCHEMA,
        "events": [_record(draft) for draft in extraction.drafts],
    }


def _record(draft: Draft) -> dict[str, Any]:
    event = draft.event
    occurrence = Occurrence(event, event.start, event.end, event.span("UTC", "UTC"))
    return record(occurrence, "UTC", display_zone="UTC")


def offer_lines(draft: Draft, existing: Event | None, changes: dict[str, Any]) -> str:
    """One draft as the ``--add`` question shows it."""
    shown = draft.event
    when = shown.start.to_text() if shown.start else "no date"
    if shown.end is not None:
        when += f" .. {shown.end.to_text()}"
    if existing is None:
        return f"new: {shown.title} ({when}, {shown.status})"
    changed = ", ".join(change_text(name, getattr(existing, name), value) for name, value in changes.items())
    return f"update {existing.id}: {changed} (from: {shown.title})"


def change_text(name: str, old: object, new: object) -> str:
    """ "status planned -> held"; for sources, the release added."""
    if name == "sources" and isinstance(new, tuple) and new:
        added: Source = new[-1]
        return f"sources + {added.url or added.title or 'this release'}"
    return f"{name} {_shown(old)} -> {_shown(new)}"


def _shown(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, Venue):
        return value.display()
    to_text = getattr(value, "to_text", None)
    return str(to_text()) if callable(to_text) else str(value)
