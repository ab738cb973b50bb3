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
    """The text of ``file`` (``-``: stdin), named in any error; text that is not UTF-8 is read as Latin-1,
    with a warning."""
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
    if b"\x00" in data[:8192]:
        raise InvalidInput(f"{file}: not text (it holds NUL bytes); give a plain text or HTML file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        _warn(f"{file}: not UTF-8 (byte {error.start + 1}); read as Latin-1, check the names")
        return data.decode("latin-1")


def _warn(message: str) -> None:
    err_console().print(f"warning: {message}", markup=False, soft_wrap=True)


def _published(text: str | None) -> date | None:
    """The day ``--published`` names; a word that depends on today ("tomorrow") is refused, as the clock is
    never read."""
    from sco_cal.dates import Precision
    from sco_cal.dates.phrases import parse_date

    if text is None:
        return None
    try:
        value = parse_date(text, today=date(2000, 1, 1))
        relative = value != parse_date(text, today=date(2001, 7, 15))
    except InvalidInput:
        raise InvalidInput(f"--published {text!r}: give the day, such as 2019-11-01") from None
    if relative:
        raise InvalidInput(f"--published {text!r}: give the date itself, such as 2019-11-01 (not a word for today)")
    if value.precision not in (Precision.DAY, Precision.MINUTE):
        raise InvalidInput(f"--published {text!r}: give the day, such as 2019-11-01")
    return value.first_day()


def _checked(fmt: DraftFormat, *, add: bool, yes: bool) -> None:
    if yes and not add:
        raise typer.BadParameter("it answers the questions of --add; pass --add too", param_hint="--yes")
    if add and fmt is DraftFormat.JSON:
        raise typer.BadParameter(
            "json is for printed drafts; --add prints the ids it adds, so leave --format out", param_hint="--format"
        )


def _said(extraction: Extraction, file: str) -> None:
    """What the drafts leave out, on stderr: date words no draft came from; on a terminal, that none were
    found."""
    for words in extraction.unplaced:
        _warn(f"{file}: {words!r}: a date sco-cal cannot place (no year, or no single period); not drafted")
    for clash in extraction.clashes:
        _warn(f"{file}: {clash}")
    if not extraction.drafts and sys.stdout.isatty():
        err_console().print(f"{file}: no dated statements found", markup=False, soft_wrap=True)


def _render(extraction: Extraction, fmt: DraftFormat) -> None:
    if fmt is DraftFormat.JSON:
        import json

        from sco_cal.output.drafts import drafts_document

        sys.stdout.write(json.dumps(drafts_document(extraction), ensure_ascii=False, indent=2) + "\n")
    else:
        from sco_cal.output.drafts import drafts_yaml

        sys.stdout.write(drafts_yaml(extraction))


def _ask(offer: Offer, extraction: Extraction) -> bool:
    from dataclasses import replace

    from sco_cal.output.drafts import drafts_yaml, offer_lines

    sys.stdout.write(drafts_yaml(replace(extraction, drafts=[offer.draft])))
    question = offer_lines(offer.draft, offer.existing, offer.changes)
    return typer.confirm(question + "?", default=False)


def _report(done: Added) -> None:
    from sco_cal.output.drafts import change_text

    for event_id in done.added:
        typer.echo(event_id)
    for event_id, changes in done.updated:
        typer.echo(f"updated: {event_id}: " + ", ".join(change_text(*change) for change in changes))
    for title, reason in done.skipped:
        err_console().print(f"skipped: {title}: {reason}", markup=False, soft_wrap=True)


def _add(extraction: Extraction, *, yes: bool, from_stdin: bool) -> None:
    from sco_cal.services.extracting import add_drafts, plan

    if not yes and (from_stdin or not sys.stdin.isatty()):
        raise InvalidInput("--add asks before adding each draft, and there is no terminal to ask on; pass --yes")
    offers = plan(session().registry_path, extraction.drafts, cache_dir=session().cache_dir)
    stamp = datetime.now(UTC).replace(microsecond=0)
    accept = (lambda _offer: True) if yes else (lambda offer: _ask(offer, extraction))
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

    _checked(fmt, add=add, yes=yes)
    extraction = draft_events(_read(file), published=_published(published), source_url=source_url)
    _said(extraction, file)
    if add:
        _add(extraction, yes=yes, from_stdin=file == "-")
    else:
        _render(extraction, fmt)
