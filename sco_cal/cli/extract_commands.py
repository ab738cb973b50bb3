"""``extract``: draft events from a press release's text, printed as registry YAML (or JSON), or added after a
person said yes to each, through ``sco_cal.services.extracting``.

The extractor and the service are imported inside the command, so no other command loads them.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from sco_cal.cli.app import app, err_console, session, user_errors
from sco_cal.errors import InvalidInput

if TYPE_CHECKING:
    from sco_cal.extract import Extraction
    from sco_cal.services.extracting import Added, Offer


class DraftFormat(StrEnum):
    YAML = "yaml"
    JSON = "json"


_MAX_TEXT_BYTES = 5 * 1024 * 1024  # a release is a few pages; anything this big is not one


def _read(file: str) -> str:
    """The text of ``file`` (``-``: stdin), named in any error."""
    from pathlib import Path

    if file == "-":
        data = sys.stdin.buffer.read(_MAX_TEXT_BYTES + 1)
    else:
        try:
            data = Path(file).expanduser().read_bytes()
        except FileNotFoundError:
            raise InvalidInput(f"{file}: no such file") from None
        except IsADirectoryError:
            raise InvalidInput(f"{file}: is a folder; give a text or HTML file") from None
    if len(data) > _MAX_TEXT_BYTES:
        raise InvalidInput(f"{file}: over {_MAX_TEXT_BYTES // (1024 * 1024)} MB; give one release at a time")
    return data.decode("utf-8", errors="replace")


def _published(text: str | None) -> date | None:
    from sco_cal.dates import Precision
    from sco_cal.dates.phrases import parse_date

    if text is None:
        return None
    value = parse_date(text, today=session().today("UTC"))
    if value.precision not in (Precision.DAY, Precision.MINUTE):
        raise InvalidInput(f"--published {text!r}: give the day, such as 2019-11-01")
    return value.first_day()


def _render(extraction: Extraction, fmt: DraftFormat) -> None:
    if fmt is DraftFormat.JSON:
        import json

        from sco_cal.output.drafts import drafts_document

        sys.stdout.write(json.dumps(drafts_document(extraction), ensure_ascii=False, indent=2) + "\n")
    else:
        from sco_cal.output.drafts import drafts_yaml

        sys.stdout.write(drafts_yaml(extraction))


def _ask(offer: Offer) -> bool:
    from sco_cal.extract import Extraction
    from sco_cal.output.drafts import drafts_yaml, offer_lines

    sys.stdout.write(drafts_yaml(Extraction([offer.draft], None, None)))
    question = offer_lines(offer.draft, offer.existing.id if offer.existing else None, offer.changes)
    return typer.confirm(question + "?", default=False)


def _report(done: Added) -> None:
    for event_id in done.added + done.updated:
        typer.echo(event_id)
    for title, reason in done.skipped:
        err_console().print(f"skipped: {title}: {reason}", markup=False, soft_wrap=True)


def _add(extraction: Extraction, *, yes: bool, from_stdin: bool) -> None:
    from sco_cal.services.extracting import add_drafts, plan

    if not yes and (from_stdin or not sys.stdin.isatty()):
        raise InvalidInput("--add asks before adding each draft, and there is no terminal to ask on; pass --yes")
    offers = plan(session().registry_path, extraction.drafts, cache_dir=session().cache_dir)
    stamp = datetime.now(UTC).replace(microsecond=0)
    accept = (lambda _offer: True) if yes else _ask
    _report(add_drafts(session().registry_path, offers, accept=accept, stamp=stamp, write=session().write_options))


@app.command()
@user_errors
def extract(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A release as plain text or HTML; - reads stdin.")],
    published: Annotated[
        str | None,
        typer.Option("--published", help="The publication day, which years and weekdays are read against."),
    ] = None,
    source_url: Annotated[str | None, typer.Option("--source-url", help="The release's URL, for each source.")] = None,
    fmt: Annotated[DraftFormat, typer.Option("--format", "-f", help="yaml (to paste) or json.")] = DraftFormat.YAML,
    add: Annotated[bool, typer.Option("--add", help="Add the drafts, asking about each one.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --add: add without asking (for scripts).")] = False,
) -> None:
    """Draft events from a press release: dates at the precision the text gives, venues, organisations.

    Example: sco-cal extract release.txt --published 2019-11-01 --source-url https://example.org/release
    """
    from sco_cal.services.extracting import draft_events

    extraction = draft_events(_read(file), published=_published(published), source_url=source_url)
    if add:
        _add(extraction, yes=yes, from_stdin=file == "-")
    else:
        _render(extraction, fmt)
