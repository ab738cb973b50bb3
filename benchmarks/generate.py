"""Deterministic synthetic registries for the benchmarks, plus the same events for calcurse, remind and khal.

Run ``python benchmarks/generate.py --sizes 1000,10000`` to (re)write ``benchmarks/data/``; ``run.py`` calls
``ensure()`` itself, so this is only needed to inspect the files. The files are written as text, without PyYAML,
because a registry edited by hand is text: comments between events, inline comments, flow lists, block notes.

One seeded random stream draws the events in order, so the 1,000-event registry is the first 1,000 events of the
10,000-event one, and every run on every machine gets the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

__all__ = [
    "DATA_DIR",
    "REFERENCE_NOW",
    "DataSet",
    "Event",
    "baseline_app",
    "ensure",
    "generate_events",
    "new_events_ics",
]

DATA_DIR: Final = Path(__file__).resolve().parent / "data"
REFERENCE_NOW: Final = date(2030, 3, 9)  # the fixed "today" every case counts from, so runs are reproducible
SEED: Final = 20300309
GENERATOR_VERSION: Final = 1  # bump when the output changes, so cached data sets are rewritten
REGISTRY_ZONE: Final = "UTC"  # the reference tools run with TZ=UTC, so their windows match sco-cal's

FIRST_DAY: Final = date(2020, 1, 1)
SPREAD_DAYS: Final = (date(2040, 12, 31) - FIRST_DAY).days + 1

KINDS: Final = {
    "meeting": 35,
    "summit": 8,
    "exercise": 10,
    "agreement": 8,
    "deadline": 12,
    "presidency": 4,
    "anniversary": 5,
    "other": 18,
}
# (name, country, zone); the zones are the ones timed starts are written in, too
VENUES: Final = (
    ("Moscow", "Russia", "Europe/Moscow"),
    ("Saint Petersburg", "Russia", "Europe/Moscow"),
    ("Qingdao", "China", "Asia/Shanghai"),
    ("Beijing", "China", "Asia/Shanghai"),
    ("Tashkent", "Uzbekistan", "Asia/Tashkent"),
    ("Samarkand", "Uzbekistan", "Asia/Samarkand"),
    ("Astana", "Kazakhstan", "Asia/Almaty"),
    ("Bishkek", "Kyrgyzstan", "Asia/Bishkek"),
    ("Dushanbe", "Tajikistan", "Asia/Dushanbe"),
    ("Minsk", "Belarus", "Europe/Minsk"),
    ("New Delhi", "India", "Asia/Kolkata"),
    ("Islamabad", "Pakistan", "Asia/Karachi"),
    ("Tehran", "Iran", "Asia/Tehran"),
    ("Yerevan", "Armenia", "Asia/Yerevan"),
    ("Москва", "Россия", "Europe/Moscow"),  # non-ASCII text, as hand-typed registries have
)
ORGS: Final = ("SCO", "CIS", "CSTO", "BRICS", "EAEU", "CICA", "NO")  # "NO" is YAML 1.1's false: must stay text
BODIES: Final = (
    "Expert Working Group",
    "Council of Defence Ministers",
    "Council of Foreign Ministers",
    "Committee of Secretaries of Security Councils",
    "Joint Staff",
    "Heads of State Council",
    "Coordination Council on Border Issues",
)
TOPICS: Final = (
    "counter-terrorism",
    "border security",
    "air defence",
    "military medicine",
    "cyber security",
    "logistics",
    "peacekeeping",
)
EXERCISES: Final = ("Peace Mission", "Interaction", "Indestructible Brotherhood", "Cooperation", "Search and Rescue")
TAGS: Final = ("ewg", "defence-ministers", "exercise", "anniversary", "presidency", "border", "on", "yes", "2031")
LEADS: Final = ("30d", "14d", "7d", "1d", "2h", "1w")
NOTE_LINES: Final = (
    "The press release gives no year; it follows from context.",
    "Dates were announced at the previous meeting and may move.",
    "Venue to be confirmed by the host ministry.",
    "Agenda: #1 exercises, #2 the protocol, #3 next year's plan.",
    "Observers: Belarus, Iran (since 2023): see the source.",
)
SECTION_COMMENTS: Final = (
    "# --- entered from the ministry's weekly digest ---",
    "# --- checked against the secretariat's calendar ---",
    "# --- dates below are from press releases; verify before publishing ---",
)
EVENT_COMMENTS: Final = (
    '# "held its regular meeting in {city}"',
    "# date from the host's announcement",
    "# TODO: confirm the day with the secretariat",
    "# moved once already; keep an eye on it",
)
INLINE_COMMENTS: Final = ("# the day is not fixed yet", "# per the joint communique", "# announced, not confirmed")

# A plain YAML scalar is safe when it starts with a letter or digit and holds nothing YAML reads as structure.
_PLAIN_RE: Final = re.compile(r"[A-Za-z0-9\u0400-\u04ff][^:#\n\"'\[\]{},&*!|>%@`]*")
_FLOW_ITEM_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]*")


@dataclass(frozen=True, slots=True)
class Timing:
    """When an event falls, in the terms the reference tools share: whole days, or UTC times.

    ``first``/``last`` are dates (inclusive) for all-day spans and aware UTC datetimes for timed ones.
    """

    first: date | datetime
    last: date | datetime
    yearly: bool = False

    @property
    def all_day(self) -> bool:
        return not isinstance(self.first, datetime)


@dataclass(slots=True)
class Event:
    """One generated event: the registry's text values, and its timing for the other formats."""

    id: str
    title: str
    kind: str
    status: str
    start: str | None = None
    end: str | None = None
    timing: Timing | None = None
    recurrence: str | None = None
    venue: tuple[str, str, str] | None = None
    venue_style: str = "mapping"
    orgs: tuple[str, ...] = ()
    series: tuple[str, int] | None = None
    participants: tuple[tuple[str, str], ...] = ()
    sources: tuple[tuple[str, str, str | None], ...] = ()
    tags: tuple[str, ...] = ()
    reminders: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    updated: str | None = None
    comment_above: str | None = None
    section_comment: str | None = None
    status_comment: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


# --- drawing events --------------------------------------------------------------------------------------


def generate_events(count: int, seed: int = SEED) -> list[Event]:
    """The first ``count`` events of the seeded stream (a prefix of any longer run)."""
    rng = random.Random(seed)
    events: list[Event] = []
    for index in range(count):
        events.append(_draw_event(rng, index, events))
    return events


def _draw_event(rng: random.Random, index: int, earlier: list[Event]) -> Event:
    kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    venue = rng.choice(VENUES)
    event = Event(id=f"ev-{index:06d}", title=_title(rng, kind, venue[0]), kind=kind, status="planned")
    _draw_when(rng, event, venue[2])
    event.status = _status(rng, event.timing)
    _draw_details(rng, event, venue, earlier)
    _draw_comments(rng, event, index, venue[0])
    return event


def _title(rng: random.Random, kind: str, city: str) -> str:
    body, topic = rng.choice(BODIES), rng.choice(TOPICS)
    titles = {
        "meeting": f"{rng.randint(1, 40)}th meeting of the {body}",
        "summit": f"{rng.choice(ORGS[:5])} summit in {city}",
        "exercise": f"{rng.choice(EXERCISES)} joint {topic} exercises",
        "agreement": f"Agreement on cooperation in {topic}",
        "deadline": f"Deadline: national reports on {topic}",  # ": " forces quoting in YAML
        "presidency": f"{rng.choice(('Russia', 'China', 'India', 'Kazakhstan'))}'s {rng.choice(ORGS[:3])} presidency",
        "anniversary": f"Anniversary of the {body}",
        "other": f"Seminar #{rng.randint(1, 9)} on {topic}",  # " #" would start a comment unquoted
    }
    return titles[kind]


def _draw_when(rng: random.Random, event: Event, zone: str) -> None:
    """Pick a precision with realistic weights; about 0.5-1% of events then fall in any 30-day window."""
    form = rng.choices(
        ("none", "year", "month", "day", "days", "time", "floating", "offset"),
        weights=(2, 4, 14, 45, 12, 16, 3, 4),
    )[0]
    day = FIRST_DAY + timedelta(days=rng.randrange(SPREAD_DAYS))
    if form == "none":
        return
    if form == "year":
        _set_year(event, day.year, whole=event.kind == "presidency" or rng.random() < 0.3)
    elif form == "month":
        event.start = f"{day:%Y-%m}"
        event.timing = Timing(day.replace(day=1), _month_end(day))
    elif form == "day":
        _set_day(rng, event, day)
    elif form == "days":
        last = day + timedelta(days=rng.randint(1, 4))
        event.start, event.end = day.isoformat(), last.isoformat()
        event.timing = Timing(day, last)
    else:
        _set_time(rng, event, day, form, zone)


def _set_year(event: Event, year: int, *, whole: bool) -> None:
    event.start = str(year)
    if whole:  # "start: 2031, end: 2031" is the whole year; "start: 2031" alone is some time in it
        event.end = str(year)
    event.timing = Timing(date(year, 1, 1), date(year, 12, 31))


def _set_day(rng: random.Random, event: Event, day: date) -> None:
    # Anniversaries repeat yearly from an earlier origin, so some fall in every window.
    if event.kind in ("anniversary", "agreement") and rng.random() < 0.35:
        day = day.replace(year=rng.randint(1992, 2029), day=min(day.day, 28))
        event.recurrence = "FREQ=YEARLY"
    event.start = day.isoformat()
    event.timing = Timing(day, day, yearly=event.recurrence is not None)


def _set_time(rng: random.Random, event: Event, day: date, form: str, zone: str) -> None:
    hour, minute = rng.randint(8, 18), rng.choice((0, 0, 0, 15, 30, 45))
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone))
    clock = f"{day.isoformat()} {hour:02d}:{minute:02d}"
    if form == "time":
        event.start = f"{clock} {zone}"
    elif form == "floating":  # no zone written: the registry's zone applies
        local = local.replace(tzinfo=ZoneInfo(REGISTRY_ZONE))
        event.start = clock
    else:
        offset = local.strftime("%z")
        event.start = f"{day.isoformat()}T{hour:02d}:{minute:02d}{offset[:3]}:{offset[3:]}"
    end = local + timedelta(hours=rng.choice((1, 2, 3)))
    if rng.random() < 0.5:
        # starts end by 18:45 and last at most 3 hours, so the end is always the same day
        event.end = event.start.replace(f"{hour:02d}:{minute:02d}", f"{end:%H:%M}", 1)
    event.timing = Timing(local.astimezone(UTC), end.astimezone(UTC))


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _status(rng: random.Random, timing: Timing | None) -> str:
    if timing is None:
        return "planned"
    first = timing.first.date() if isinstance(timing.first, datetime) else timing.first
    if first < REFERENCE_NOW and not timing.yearly:
        return rng.choices(("held", "cancelled", "postponed"), weights=(90, 6, 4))[0]
    return rng.choices(("planned", "scheduled", "postponed", "cancelled"), weights=(50, 40, 6, 4))[0]


def _draw_details(rng: random.Random, event: Event, venue: tuple[str, str, str], earlier: list[Event]) -> None:
    if rng.random() < 0.6:
        event.venue = venue
        event.venue_style = rng.choices(("mapping", "country", "scalar"), weights=(85, 10, 5))[0]
    event.orgs = tuple(rng.sample(ORGS, rng.choice((1, 1, 2, 3)))) if rng.random() < 0.9 else ()
    if event.kind == "meeting" and rng.random() < 0.2:
        event.series = (rng.choice(("sco-ewg", "csto-council", "cis-cdm")), rng.randint(1, 60))
    if rng.random() < 0.15:
        roles = ("member", "observer", "host", "chair", "guest")
        event.participants = tuple((rng.choice(VENUES)[1], rng.choice(roles)) for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.7:
        event.sources = tuple(_source(rng, event) for _ in range(rng.choice((1, 1, 2))))
    if rng.random() < 0.7:
        event.tags = tuple(rng.sample(TAGS, rng.randint(1, 3)))
    if rng.random() < 0.15:
        event.reminders = tuple(sorted(rng.sample(LEADS, rng.randint(1, 2))))
    if earlier and rng.random() < 0.03:
        event.related = (rng.choice(earlier[-50:]).id,)
    _draw_notes(rng, event)
    if rng.random() < 0.1:
        event.updated = f"2029-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T09:30:00Z"


def _source(rng: random.Random, event: Event) -> tuple[str, str, str | None]:
    url = f"https://news.example.org/{event.kind}/{event.id}-{rng.randint(100, 999)}"
    published = event.timing.first if event.timing and rng.random() < 0.3 else None
    day = published.date() if isinstance(published, datetime) else published
    return url, f"Press release: {event.title}", day.isoformat() if day else None


def _draw_notes(rng: random.Random, event: Event) -> None:
    draw = rng.random()
    if draw < 0.07:
        event.notes = tuple(rng.sample(NOTE_LINES, rng.randint(2, 3)))
    elif draw < 0.2:
        event.notes = (rng.choice(NOTE_LINES),)


def _draw_comments(rng: random.Random, event: Event, index: int, city: str) -> None:
    if index % 25 == 0:
        event.section_comment = rng.choice(SECTION_COMMENTS)
    if rng.random() < 0.2:
        event.comment_above = rng.choice(EVENT_COMMENTS).format(city=city)
    if rng.random() < 0.08:
        event.status_comment = rng.choice(INLINE_COMMENTS)


# --- the registry ----------------------------------------------------------------------------------------


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when YAML reads it back as the same text, else double-quoted."""
    if _PLAIN_RE.fullmatch(text) and text == text.strip():
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _flow(items: Iterable[str]) -> str:
    return "[" + ", ".join(i if _FLOW_ITEM_RE.fullmatch(i) else json.dumps(i) for i in items) + "]"


def registry_text(events: list[Event], name: str) -> str:
    head = [
        f"# Synthetic registry for sco-cal benchmarks: {len(events)} events, generated by benchmarks/generate.py.",
        "# Deterministic (seeded); regenerate rather than edit. Comments are kept on purpose: writes must keep them.",
        "schema: 1",
        f"name: {_scalar(name)}",
        f"timezone: {REGISTRY_ZONE}               # times written without a zone are UTC",
        "uid_domain: bench.sco-cal.example",
        "",
        "reminders:                  # lead times for events that set none of their own",
        "  meeting: [7d, 1d]",
        "  summit: [30d, 7d]",
        "  exercise: [30d]",
        "",
        "events:",
    ]
    body = (line for event in events for line in _event_lines(event))
    return "\n".join([*head, *body]) + "\n"


def _event_lines(event: Event) -> Iterator[str]:
    if event.section_comment:
        yield ""
        yield f"  {event.section_comment}"
    if event.comment_above:
        yield f"  {event.comment_above}"
    yield f"  - id: {event.id}"
    yield f"    title: {_scalar(event.title)}"
    yield f"    kind: {event.kind}"
    yield f"    status: {event.status}" + (f"    {event.status_comment}" if event.status_comment else "")
    if event.start:
        yield f"    start: {event.start}"  # bare dates and times are fine: sco-cal reads every scalar as text
    if event.end:
        yield f"    end: {event.end}"
    if event.recurrence:
        yield f"    recurrence: {event.recurrence}"
    yield from _venue_lines(event)
    yield from _list_lines(event)
    yield from _note_lines(event)


def _venue_lines(event: Event) -> Iterator[str]:
    if event.venue is None:
        return
    name, country, zone = event.venue
    if event.venue_style == "scalar":
        yield f"    venue: {_scalar(name)}"
    elif event.venue_style == "country":
        yield "    venue:"
        yield f"      country: {_scalar(country)}"
    else:
        yield "    venue:"
        yield f"      name: {_scalar(name)}"
        yield f"      country: {_scalar(country)}"
        yield f"      timezone: {zone}"


def _list_lines(event: Event) -> Iterator[str]:
    if event.orgs:
        yield f"    orgs: {_flow(event.orgs)}"
    if event.series:
        yield f"    series: {event.series[0]}"
        yield f"    number: {event.series[1]}"
    if event.participants:
        yield "    participants:"
        for name, role in event.participants:
            yield f"      - {{name: {json.dumps(name, ensure_ascii=False)}, role: {role}}}"
    if event.sources:
        yield "    sources:"
        for url, title, published in event.sources:
            yield f"      - url: {url}"
            yield f"        title: {_scalar(title)}"
            if published:
                yield f"        published: {published}"
    if event.tags:
        yield f"    tags: {_flow(event.tags)}"
    if event.reminders:
        yield f"    reminders: {_flow(event.reminders)}"
    if event.related:
        yield f"    related: {_flow(event.related)}"


def _note_lines(event: Event) -> Iterator[str]:
    if len(event.notes) > 1:
        yield "    notes: |"
        yield from (f"      {line}" for line in event.notes)
    elif event.notes:
        yield f"    notes: {_scalar(event.notes[0])}"
    if event.updated:
        yield f"    updated: {event.updated}"


# --- the reference tools' formats ------------------------------------------------------------------------
# Month and year dates have no equivalent there; they become all-day spans over the whole month or year,
# which is what sco-cal's "may fall in the window" shows. Times are converted to UTC (the tools run with TZ=UTC).


def calcurse_text(events: list[Event]) -> str:
    """calcurse's ``apts`` file: day events as ``[1]`` events, everything else as appointments."""
    return "".join(_calcurse_line(e) for e in events if e.timing)


def _calcurse_line(event: Event) -> str:
    timing, title = event.timing, _one_line(event.title)
    assert timing is not None
    repeat = " {1Y}" if timing.yearly else ""
    if timing.all_day and timing.first == timing.last:
        return f"{timing.first:%m/%d/%Y} [1]{repeat} {title}\n"
    if timing.all_day:  # a span of days: an appointment from midnight to the midnight after the last day
        end: date | datetime = timing.last + timedelta(days=1)
        return f"{timing.first:%m/%d/%Y @ 00:00} -> {end:%m/%d/%Y @ 00:00}{repeat} |{title}\n"
    return f"{timing.first:%m/%d/%Y @ %H:%M} -> {timing.last:%m/%d/%Y @ %H:%M}{repeat} |{title}\n"


def remind_text(events: list[Event]) -> str:
    """A remind script: ``REM`` lines with ``THROUGH`` for spans, ``AT``/``DURATION`` for times."""
    return "".join(_remind_line(e) for e in events if e.timing)


def _remind_line(event: Event) -> str:
    timing = event.timing
    assert timing is not None
    # '[' starts an expression and '%' a substitution in a MSG
    message = _one_line(event.title).replace("%", "%%").replace("[", "(").replace("]", ")")
    if timing.yearly:
        return f"REM {timing.first:%d %b} FROM {timing.first:%d %b %Y} MSG {message}\n"
    if not timing.all_day:
        assert isinstance(timing.first, datetime)
        assert isinstance(timing.last, datetime)
        minutes = int((timing.last - timing.first).total_seconds() // 60)
        return f"REM {timing.first:%d %b %Y AT %H:%M} DURATION {minutes // 60}:{minutes % 60:02d} MSG {message}\n"
    if timing.first == timing.last:
        return f"REM {timing.first:%d %b %Y} MSG {message}\n"
    return f"REM {timing.first:%d %b %Y} THROUGH {timing.last:%d %b %Y} MSG {message}\n"


def ics_events(events: list[Event]) -> Iterator[tuple[str, str]]:
    """(uid, VEVENT text) for each dated event."""
    stamp = "DTSTAMP:20300101T000000Z"
    for event in events:
        if event.timing is None:
            continue
        uid = f"{event.id}@bench.sco-cal.example"
        lines = ["BEGIN:VEVENT", f"UID:{uid}", stamp, *_ics_when(event.timing)]
        lines.append(f"SUMMARY:{_ics_escape(event.title)}")
        if event.notes:
            lines.append(f"DESCRIPTION:{_ics_escape(chr(10).join(event.notes))}")
        if event.venue:
            lines.append(f"LOCATION:{_ics_escape(', '.join(event.venue[:2]))}")
        lines.append("END:VEVENT")
        yield uid, "".join(_fold(line) for line in lines)


def _ics_when(timing: Timing) -> list[str]:
    rule = ["RRULE:FREQ=YEARLY"] if timing.yearly else []
    if timing.all_day:
        end = timing.last + timedelta(days=1)  # DTEND is exclusive for all-day events
        return [f"DTSTART;VALUE=DATE:{timing.first:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}", *rule]
    return [f"DTSTART:{timing.first:%Y%m%dT%H%M%SZ}", f"DTEND:{timing.last:%Y%m%dT%H%M%SZ}", *rule]


def ics_calendar(vevents: Iterable[str]) -> str:
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//sco-cal//benchmarks//EN\r\n"
    return head + "".join(vevents) + "END:VCALENDAR\r\n"


def _ics_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 folding: at most 75 octets a line, never splitting a UTF-8 character."""
    out, width = [], 0
    for char in line:
        size = len(char.encode())
        if width + size > 75:
            out.append("\r\n ")
            width = 1
        out.append(char)
        width += size
    return "".join(out) + "\r\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- the startup baseline --------------------------------------------------------------------------------


def baseline_app(path: Path, options: int, commands: int) -> Path:
    """A bare typer app with as many commands and options as sco-cal: the floor for ``--help`` and startup.

    ``options`` go on one command, ``upcoming``, like sco-cal's; the other commands take a single option.
    """
    params = ",\n".join(
        f'    opt{i}: Annotated[str | None, typer.Option("--opt{i}", help="Option {i}.")] = None'
        for i in range(options)
    )
    others = "".join(
        f'\n\n@app.command("cmd{i}")\ndef cmd{i}(x: Annotated[str | None, typer.Option(help="X.")] = None) -> None:\n'
        f'    """Command {i}."""\n'
        for i in range(max(commands - 1, 0))
    )
    source = (
        "from __future__ import annotations\n\nfrom typing import Annotated\n\nimport typer\n\n"
        'app = typer.Typer(add_completion=False, help="Baseline.")\n\n\n'
        f'@app.command()\ndef upcoming(\n{params},\n) -> None:\n    """Say hello."""\n    typer.echo("hello")\n'
        f'{others}\n\nif __name__ == "__main__":\n    app()\n'
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != source:
        path.write_text(source)
    return path


# --- writing the data sets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataSet:
    """The files of one size; the reference tools' files exist only when that tool was asked for."""

    size: int
    registry: Path
    ics: Path
    calcurse_dir: Path
    remind_file: Path
    khal_dir: Path
    edit_target: str

    @classmethod
    def at(cls, size: int, data_dir: Path = DATA_DIR) -> DataSet:
        return cls(
            size,
            data_dir / f"registry-{size}.yaml",
            data_dir / f"events-{size}.ics",
            data_dir / f"calcurse-{size}",
            data_dir / f"remind-{size}.rem",
            data_dir / f"khal-{size}" / "bench",
            edit_target=f"ev-{size // 2:06d}",
        )


def ensure(size: int, formats: Iterable[str] = (), data_dir: Path = DATA_DIR) -> DataSet:
    """Write the data set of ``size`` events unless an identical one is already there.

    ``formats`` names the reference tools' files to write besides the registry and .ics:
    ``calcurse``, ``remind``, ``khal``.
    """
    data = DataSet.at(size, data_dir)
    wanted = sorted({"registry", "ics", *formats})
    stamp = data_dir / f".stamp-{size}.json"
    done = json.loads(stamp.read_text()) if stamp.exists() else {}
    if done.get("version") == GENERATOR_VERSION and done.get("seed") == SEED:
        wanted = [w for w in wanted if w not in done.get("formats", [])]
    else:
        done = {"version": GENERATOR_VERSION, "seed": SEED, "formats": []}
    if not wanted:
        return data
    data_dir.mkdir(parents=True, exist_ok=True)
    events = generate_events(size)
    for what in wanted:
        _WRITERS[what](data, events)
    done["formats"] = sorted({*done["formats"], *wanted})
    stamp.write_text(json.dumps(done))
    return data


def _write_registry(data: DataSet, events: list[Event]) -> None:
    data.registry.write_text(registry_text(events, f"Benchmark registry, {data.size} events"), encoding="utf-8")


def _write_ics(data: DataSet, events: list[Event]) -> None:
    data.ics.write_text(ics_calendar(v for _, v in ics_events(events)), encoding="utf-8", newline="")


def _write_calcurse(data: DataSet, events: list[Event]) -> None:
    shutil.rmtree(data.calcurse_dir, ignore_errors=True)
    data.calcurse_dir.mkdir(parents=True)
    (data.calcurse_dir / "apts").write_text(calcurse_text(events), encoding="utf-8")
    (data.calcurse_dir / "todo").write_text("")


def _write_remind(data: DataSet, events: list[Event]) -> None:
    data.remind_file.write_text(remind_text(events), encoding="utf-8")


def _write_khal(data: DataSet, events: list[Event]) -> None:
    """A vdir: one .ics file per event, as vdirsyncer and khal keep them."""
    shutil.rmtree(data.khal_dir, ignore_errors=True)
    data.khal_dir.mkdir(parents=True)
    for uid, vevent in ics_events(events):
        name = uid.split("@", 1)[0]
        (data.khal_dir / f"{name}.ics").write_text(ics_calendar([vevent]), encoding="utf-8", newline="")


_WRITERS: Final = {
    "registry": _write_registry,
    "ics": _write_ics,
    "calcurse": _write_calcurse,
    "remind": _write_remind,
    "khal": _write_khal,
}


def new_events_ics(path: Path, count: int = 1_000) -> Path:
    """``count`` dated events that no registry of ``ensure`` holds (another seed, ids ``new-NNNNNN``), as one .ics
    file: what a user imports from another organisation's calendar. Written once; the same bytes every time."""
    if path.exists():
        return path
    drawn = [e for e in generate_events(count * 2, seed=SEED + 1) if e.timing is not None][:count]
    for number, event in enumerate(drawn):
        event.id = f"new-{number:06d}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ics_calendar(v for _, v in ics_events(drawn)), encoding="utf-8", newline="")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1000,10000,100000", help="Comma-separated event counts.")
    parser.add_argument(
        "--formats", default="calcurse,remind,khal", help="Reference formats to write too (comma-separated)."
    )
    args = parser.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f]
    for size in (int(s) for s in args.sizes.split(",") if s):
        data = ensure(size, formats)
        print(f"{size:>7} events: {data.registry}")


if __name__ == "__main__":
    main()
