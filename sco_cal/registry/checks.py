"""The rules that span events: what one event's fields cannot tell alone (a named id exists, a moved occurrence
fits its series, the order and wall times in the registry's zone), and the warnings of a sound registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sco_cal.dates import Precision
from sco_cal.errors import DanglingReference, InvalidInput, ScoCalError
from sco_cal.model import Event
from sco_cal.registry.read_model import Registry

if TYPE_CHECKING:
    from sco_cal.registry.yaml.reader import Problems

__all__ = [
    "check_across",
    "check_in_zone",
    "end_inside_start",
    "ends_inside_start",
    "uid_domain_warnings",
    "warnings",
]


def check_across(registry: Registry, report: Problems) -> None:
    """Every registry-wide rule, each problem added to ``report``."""
    _check_related(registry, report)
    check_in_zone(registry, report)


def check_in_zone(registry: Registry, report: Problems) -> None:
    """The rules each event must keep once the registry's zone is known: it needs no other event."""
    _check_order_in_zone(registry, report)
    _check_wall_times(registry, report)


def _check_order_in_zone(registry: Registry, report: Problems) -> None:
    """The end-after-start rule for the events whose answer depends on the registry's zone, now it is known."""
    for parsed, node in registry._where.values():
        if node.event.order_depends_on_zone:
            try:
                node.event.check_order(registry.timezone)
            except InvalidInput as error:
                report.at(parsed.path, node.line, node.column, str(error))


def _check_related(registry: Registry, report: Problems) -> None:
    """Every id named in ``related`` is an event's, and a moved occurrence names its series; the fields of a
    broken event that were read are judged too, and an event that is there but broken is not called missing
    (its own problems are listed)."""
    broken = [each for each in report.broken if each.read("id")]
    broken_ids = {each.event.id for each in broken}
    judged = [
        (parsed.path, node.line, node.column, node.event, frozenset[str]()) for parsed, node in registry._where.values()
    ]
    judged += [(each.path, each.line, each.column, each.event, each.unread) for each in report.broken]
    for file, line, column, event, unread in judged:
        if "related" not in unread:
            for position, related in enumerate(event.related):
                if related not in registry._where and related not in broken_ids:
                    report.items.append(
                        DanglingReference(related, path=file, line=line, column=column, position=position)
                    )
        if not unread & {"occurrence_of", "replaces"}:
            message = _occurrence_problem(registry, event, broken_ids)
            if message is not None:
                report.at(file, line, column, message)


def _occurrence_problem(registry: Registry, event: Event, broken_ids: set[str]) -> str | None:
    """A moved occurrence names a repeating event that leaves the replaced start out (``except``); a broken
    series is not judged, its own problems are listed."""
    if event.occurrence_of is None or event.replaces is None or event.occurrence_of in broken_ids:
        return None
    found = registry._where.get(event.occurrence_of)
    if found is None or not found[1].event.recurrence:
        return f"occurrence_of: no repeating event has the id {event.occurrence_of!r}"
    if event.replaces not in found[1].event.excluded:
        return f"replaces: {event.replaces} is not under 'except' of {event.occurrence_of!r}; add it there"
    return None


def _check_wall_times(registry: Registry, report: Problems) -> None:
    """Every time of day happens exactly once in its zone (a zoneless one in the registry's, known now)."""
    zone = registry.timezone
    for parsed, node in registry._where.values():
        event = node.event
        fields = (("start", event.start), ("end", event.end), ("replaces", event.replaces))
        for key, values in (
            *((key, (value,)) for key, value in fields),
            ("except", event.excluded),
            ("also", event.also),
        ):
            for value in values:
                if value is None or value.precision is not Precision.MINUTE:
                    continue
                try:
                    value.check_wall_time(zone)
                except ScoCalError as error:
                    report.at(parsed.path, node.line, node.column, f"{key}: {error}")


def warnings(registry: Registry) -> list[str]:
    """What does not stop a read yet needs a person (``review`` tells it): an id in ``related`` that no event
    has (``validate`` lists those as problems), and what will hurt later; each a line saying what to change."""
    found = [
        end_inside_start(event, *registry.location(event.id))
        for event in registry.iter_events()
        if ends_inside_start(event)
    ]
    return [*_dangling(registry), *uid_domain_warnings(registry), *(warning for warning in found if warning)]


def _dangling(registry: Registry) -> list[str]:
    if next(iter(registry.naming_missing()), None) is None:
        return []
    from sco_cal.registry.references import dangling  # PyYAML, to find the item: only when there is one

    return [str(problem) for problem in dangling(registry)]


def ends_inside_start(event: Event) -> bool:
    """A coarse start with a finer end inside its period (start 2020-Q3, end 2020-07-15) says less than it
    seems: the start can only be the part of the period before the end. Loaded, but worth a person's look."""
    start, end = event.start, event.end
    if start is None or end is None or start.is_fixed or end.precision.rank <= start.precision.rank:
        return False
    return start.first_day() <= end.first_day() <= end.last_day() <= start.last_day()


def end_inside_start(event: Event, path: str, line: int) -> str | None:
    """The warning for an event whose end lies inside its start's period, written at ``path``:``line``."""
    start, end = event.start, event.end
    if start is None or end is None or not ends_inside_start(event):
        return None
    return (
        f"{path}:{line}: {event.id}: end: {end} lies inside the start's period {start}, so the start can only be "
        f"{start.first_day():%d %b} - {end.last_day():%d %b %Y}; write the start as a day or a finer period "
        f"(or the end as {start})"
    )


def uid_domain_warnings(registry: Registry) -> list[str]:
    if registry.header.uid_domain:
        return []
    stating = [parsed.path for parsed in registry.files if "name" in parsed.header_keys]
    where = (stating or [parsed.path for parsed in registry.files] or [str(registry.path)])[0]
    advice = f"add 'uid_domain: {registry.uid_domain}' to the header to keep the UIDs published so far"
    return [f"{where}: uid_domain: not set, so feed UIDs follow the name and change when it does; {advice}"]
