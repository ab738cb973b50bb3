"""``timeline`` and ``publish``: the year at a glance, in the terminal, as an SVG or HTML file, and as a folder
of feeds with their page for a web server (issue 16). The renderers and services are imported inside the
commands, so no other command loads them.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sco_cal.cli.app import app, err_console, out_console, output_width, session, user_errors
from sco_cal.cli.options import (
    ExactOpt,
    FromOpt,
    KindOpt,
    SearchOpt,
    SeriesOpt,
    StatusOpt,
    TagOpt,
    ToOpt,
    filters_from,
    window_from,
)
from sco_cal.dates import zone_for
from sco_cal.dates.phrases import parse_now
from sco_cal.errors import InvalidInput
from sco_cal.timeline.layout import GroupBy
from sco_cal.words import counted

if TYPE_CHECKING:
    from sco_cal.timeline.layout import Timeline

# `-o` is the output file here, as for export; the organisation filter keeps its long name.
OrgOpt = Annotated[list[str] | None, typer.Option("--org", help="Only events of this organisation (repeatable).")]
NowOpt = Annotated[
    str | None,
    typer.Option(
        "--now", help="Draw as if it were this instant: ISO 8601 with an offset or Z, e.g. 2020-05-25T12:00Z."
    ),
]
COMING_MONTHS = 12


def _now(text: str | None) -> datetime:
    return parse_now(text) if text else session().now()


@app.command()
@user_errors
def timeline(
    window: Annotated[
        str | None,
        typer.Argument(
            help="When: 2020, 'June 2020', '2019 - 2022'. Default: the coming 12 months.", show_default=False
        ),
    ] = None,
    start: FromOpt = None,
    end: ToOpt = None,
    org: OrgOpt = None,
    kind: KindOpt = None,
    status: StatusOpt = None,
    tag: TagOpt = None,
    series: SeriesOpt = None,
    search: SearchOpt = None,
    exact: ExactOpt = False,
    by: Annotated[GroupBy, typer.Option("--by", help="One row per event, or per series, org or kind.")] = GroupBy.EVENT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write an .svg picture or an .html page instead.")
    ] = None,
    now: NowOpt = None,
) -> None:
    """Draw events against a month axis: solid where the dates are fixed, shaded where they may fall.

    Example: sco-cal timeline 2020 -o year.svg
    """
    from sco_cal.services.timeline import coming_months, timeline_of

    registry = session().registry()
    zone = session().display_zone(registry.timezone)
    moment = _now(now)
    today = moment.astimezone(zone_for(zone)).date()
    span = window_from(window, start, end, today=today, zone=zone) or coming_months(today, COMING_MONTHS, zone)
    filters = filters_from(span, org=org, kind=kind, status=status, tag=tag, series=series, search=search, exact=exact)
    drawn = timeline_of(registry, filters, by=by, now=moment, zone=zone)
    if output is None:
        _print(drawn)
    else:
        _write(drawn, output, registry.name)


def _print(drawn: Timeline) -> None:
    """On a terminal (or with FORCE_COLOR) in colour unless NO_COLOR; a pipe gets the plain characters."""
    from sco_cal.output.timeline_text import ASCII, UNICODE, coloured, plain, timeline_lines

    if not drawn.rows:
        if sys.stdout.isatty():
            sys.stdout.write("no events\n")
        return
    glyphs = UNICODE if (sys.stdout.encoding or "").lower().startswith("utf") else ASCII
    lines = timeline_lines(drawn, output_width(), glyphs)
    if (sys.stdout.isatty() or os.environ.get("FORCE_COLOR")) and not os.environ.get("NO_COLOR"):
        for text in coloured(lines):
            out_console().print(text, soft_wrap=True)
    else:
        sys.stdout.writelines(line + "\n" for line in plain(lines))


def _write(drawn: Timeline, output: Path, title: str) -> None:
    from sco_cal.services.timeline import write_if_changed

    suffix = output.suffix.lower()
    if suffix == ".svg":
        from sco_cal.output.timeline_svg import svg_document

        data = svg_document(drawn, title)
    elif suffix in (".html", ".htm"):
        from sco_cal.output.timeline_html import timeline_page

        data = timeline_page(drawn, title)
    else:
        raise InvalidInput(f"-o {output}: write a picture (.svg) or a page (.html); the name says which")
    changed = write_if_changed(output, data)
    events = len({entry.event.id for row in drawn.rows for entry in row.entries})
    err_console().print(f"{output}: {counted(events, 'event')}; {'written' if changed else 'unchanged'}", markup=False)


@app.command()
@user_errors
def publish(
    folder: Annotated[Path, typer.Argument(help="The folder to write: index.html, all.ics and org/*.ics.")],
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="The address the folder is served at, e.g. https://intranet.example/cal/: the page's subscribe "
            "links (webcal:// and https) start with it. Without it the page links the feeds by relative path.",
        ),
    ] = None,
    months: Annotated[int, typer.Option("--months", min=1, max=120, help="Months of timeline on the page.")] = 12,
    days: Annotated[int, typer.Option("--days", min=1, max=366, help="Days of agenda on the page.")] = 42,
    now: NowOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="Say nothing when all went well (for cron).")] = False,
) -> None:
    """Write the feeds and an index.html (timeline, agenda, subscribe links) for a web server; only changed files
    are replaced.

    Example: sco-cal publish /var/www/cal --base-url https://intranet.example/cal/ --quiet
    """
    from sco_cal.output.timeline_html import site_page
    from sco_cal.services import publishing

    site = publishing.Site(folder, publishing.base_url(base_url), months=months, days=days)
    zone = session().config.timezone  # None: the registry's, read only when the files must be made again
    published = publishing.publish(
        session().registry_path,
        session().registry,
        site,
        render=site_page,
        now=_now(now),
        zone=zone,
        cache_dir=session().cache_dir,
    )
    if not quiet:
        for path, changed in published.files:
            err_console().print(f"{path}: {'written' if changed else 'unchanged'}", markup=False)
