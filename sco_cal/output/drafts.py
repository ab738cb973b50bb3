"""Draft events as a person checks them: registry YAML (an ``events:`` list to paste into a registry) with a
comment on each field saying which words it came from, or the records ``list --format json`` prints."""

from __future__ import annotations

from typing import Any

from sco_cal.extract import Draft, Extraction
from sco_cal.model import Venue
from sco_cal.output.records import RECORD_SCHEMA, record
from sco_cal.query import Occurrence
from sco_cal.registry.yaml.emit import event_fields, key_lines

__all__ = ["drafts_document", "drafts_yaml", "offer_lines"]

_COMMENT_WIDTH = 100


def drafts_yaml(extraction: Extraction) -> str:
    """The drafts as YAML a registry takes, each field with a short comment naming the words it came from;
    empty when there are none."""
    if not extraction.drafts:
        return ""
    if extraction.published is not None:
        head = f"# Drafts: check each one. Years and weekdays read against {extraction.published.isoformat()}"
        head += f" ({extraction.published_from}).\n" if extraction.published_from else ".\n"
    else:
        head = "# Drafts: check each one. Every date is as the text wrote it, year included.\n"
    lines = [head.rstrip("\n"), "events:"]
    for draft in extraction.drafts:
        lines += _item(draft)
    return "\n".join(lines) + "\n"


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


def offer_lines(draft: Draft, existing_id: str | None, changes: dict[str, Any]) -> str:
    """One draft as the ``--add`` question shows it."""
    shown = draft.event
    when = shown.start.to_text() if shown.start else "no date"
    if shown.end is not None:
        when += f" .. {shown.end.to_text()}"
    if existing_id is None:
        return f"new: {shown.title} ({when}, {shown.status})"
    changed = ", ".join(f"{name} -> {_shown(value)}" for name, value in changes.items())
    return f"update {existing_id}: {changed} (from: {shown.title})"


def _shown(value: object) -> str:
    if isinstance(value, Venue):
        return value.display()
    to_text = getattr(value, "to_text", None)
    return str(to_text()) if callable(to_text) else str(value)
