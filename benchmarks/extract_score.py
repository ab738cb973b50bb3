"""Score ``sco-cal extract`` on the hand-written releases in benchmarks/extract/cases and print a table.

    python benchmarks/extract_score.py [--half tune|held-out|all] [--verbose] [--markdown]

Each case file holds a release (``text``), its publication day (``published``, else the text's own dateline)
and the events a careful analyst would draft from it. A draft matches an expected event when its start has
the same value at the same precision; see benchmarks/README.md for every column.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

import yaml

from sco_cal.dates.phrases import parse_span
from sco_cal.errors import ScoCalError
from sco_cal.extract import extract, looks_like_html, phrases, strip_html, titles
from sco_cal.model import Event

CASES: Final = Path(__file__).resolve().parent / "extract" / "cases"
_ANY_DAY: Final = date(2000, 1, 1)  # expected values are written in full; relative words are not used there


@dataclass
class Tally:
    """Counts over a set of cases."""

    cases: int = 0
    drafted: int = 0
    expected: int = 0
    dates_right: int = 0  # drafts whose start (value and precision) is an expected event's start
    spans_right: int = 0  # expected events drafted with the right start and end
    status: int = 0
    venue: int = 0
    orgs: int = 0
    finer: int = 0  # drafts more precise than the text (a day where an expected event in it is coarser)
    unreadable: int = 0  # expected values the installed grammar cannot read yet (coarse spans)
    misses: list[str] = field(default_factory=list)


def _value(text: object) -> str | None:
    """An expected date in sco-cal's stored form, read by its own grammar."""
    if text is None:
        return None
    try:
        start, _end = parse_span(str(text), today=_ANY_DAY)
    except ScoCalError:
        return None
    return start.to_text()


def _text_of(case: dict[str, Any]) -> str:
    text = str(case["text"])
    return strip_html(text) if looks_like_html(text) else text


def _venue_right(event: Event, expected: dict[str, Any] | None) -> bool:
    if not expected:
        return event.venue is None
    venue = event.venue
    if venue is None:
        return False
    return venue.country == expected.get("country") and venue.name == expected.get("name")


def _score(name: str, case: dict[str, Any], tally: Tally) -> None:
    published = date.fromisoformat(str(case["published"])) if case.get("published") else None
    try:
        drafts = [d.event for d in extract(_text_of(case), published=published).drafts]
    except ScoCalError as error:
        tally.misses.append(f"{name}: {error}")
        drafts = []
    expected = list(case["events"])
    tally.cases += 1
    tally.drafted += len(drafts)
    tally.expected += len(expected)
    unmatched = list(drafts)
    starts = {_value(e["start"]) for e in expected}
    tally.dates_right += sum(1 for d in drafts if d.start is not None and d.start.to_text() in starts)
    for wanted in expected:
        start, end = _value(wanted["start"]), _value(wanted.get("end"))
        if start is None:
            tally.unreadable += 1
        found = next((d for d in unmatched if _start_end(d) == (start, end)), None)
        if found is None:
            tally.misses.append(f"{name}: missed {wanted['start']}..{wanted.get('end')}")
            continue
        unmatched.remove(found)
        tally.spans_right += 1
        tally.status += str(found.status) == wanted["status"]
        tally.venue += _venue_right(found, wanted.get("venue"))
        tally.orgs += sorted(found.orgs) == sorted(wanted.get("orgs") or [])
        _explain(name, found, wanted, tally)
    tally.finer += sum(1 for d in unmatched if _finer(d, expected))
    tally.misses += [f"{name}: extra {_start_end(d)} {d.title!r}" for d in unmatched]


def _start_end(event: Event) -> tuple[str | None, str | None]:
    return (event.start.to_text() if event.start else None, event.end.to_text() if event.end else None)


def _explain(name: str, found: Event, wanted: dict[str, Any], tally: Tally) -> None:
    if str(found.status) != wanted["status"]:
        tally.misses.append(f"{name}: {wanted['start']} status {found.status}, expected {wanted['status']}")
    if not _venue_right(found, wanted.get("venue")):
        tally.misses.append(f"{name}: {wanted['start']} venue {found.venue}, expected {wanted.get('venue')}")
    if sorted(found.orgs) != sorted(wanted.get("orgs") or []):
        tally.misses.append(f"{name}: {wanted['start']} orgs {list(found.orgs)}, expected {wanted.get('orgs')}")


def _finer(draft: Event, expected: list[dict[str, Any]]) -> bool:
    """A draft with a finer precision than an expected event whose period holds it."""
    if draft.start is None:
        return False
    for wanted in expected:
        try:
            start, end = parse_span(str(wanted["start"]), today=_ANY_DAY)
        except ScoCalError:
            continue
        holds = start.first_day() <= draft.start.first_day() <= (end or start).last_day()
        if holds and draft.start.precision.rank > start.precision.rank and end is None:
            return True
    return False


def _time_per_10kb(cases: list[dict[str, Any]]) -> tuple[float, float]:
    """Every text once, one after another as one release (no sentence twice, so no cache helps), scaled to
    10 KB; the median of 5 runs, each with the caches emptied: wall time, and the CPU time of this process
    (which other work on a shared machine does not inflate)."""
    blob = "\n\n".join(_text_of(case) for case in cases)
    walls, cpus = [], []
    for _ in range(5):
        _clear_caches()
        began, began_cpu = time.perf_counter(), time.process_time()
        extract(blob, published=date(2020, 1, 15))
        walls.append(time.perf_counter() - began)
        cpus.append(time.process_time() - began_cpu)
    scale = 10 * 1024 / len(blob.encode())
    return sorted(walls)[2] * scale, sorted(cpus)[2] * scale


def _clear_caches() -> None:
    for module in (phrases, titles):
        for value in vars(module).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f} ({part}/{whole})" if whole else "-"


def _rows(tally: Tally) -> list[tuple[str, str]]:
    return [
        ("texts", str(tally.cases)),
        ("dates precision (start value and precision)", _ratio(tally.dates_right, tally.drafted)),
        ("dates recall", _ratio(tally.spans_right, tally.expected)),
        ("events with the right start and end", _ratio(tally.spans_right, tally.expected)),
        ("  status right, among those", _ratio(tally.status, tally.spans_right)),
        ("  venue right, among those", _ratio(tally.venue, tally.spans_right)),
        ("  organisations right, among those", _ratio(tally.orgs, tally.spans_right)),
        ("drafts finer than the text", str(tally.finer)),
        ("expected values the grammar cannot read yet", str(tally.unreadable)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=("tune", "held-out", "fresh", "all"), default="all")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    arguments = parser.parse_args()
    loaded = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(CASES.glob("*.yaml"))}
    halves = ("tune", "held-out", "fresh") if arguments.half == "all" else (arguments.half,)
    tallies = {half: Tally() for half in halves}
    for name, case in loaded.items():
        if case["half"] in tallies:
            _score(name, case, tallies[case["half"]])
    seconds = _time_per_10kb([case for case in loaded.values() if case["half"] in tallies])
    _print(tallies, seconds, markdown=arguments.markdown)
    if arguments.verbose:
        for half, tally in tallies.items():
            for line in tally.misses:
                print(f"{half}: {line}")


def _print(tallies: dict[str, Tally], seconds: tuple[float, float], *, markdown: bool) -> None:
    names = list(tallies)
    table = [("measure", *names)]
    rows = [_rows(tally) for tally in tallies.values()]
    for index, (label, _value_text) in enumerate(rows[0]):
        table.append((label, *(row[index][1] for row in rows)))
    table.append(("seconds per 10 KB, wall (median of 5)", *([f"{seconds[0]:.3f}"] * len(names))))
    table.append(("seconds per 10 KB, CPU (median of 5)", *([f"{seconds[1]:.3f}"] * len(names))))
    if markdown:
        print("| " + " | ".join(table[0]) + " |")
        print("|" + " --- |" * len(table[0]))
        for row in table[1:]:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


if __name__ == "__main__":
    main()
