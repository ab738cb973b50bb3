"""What one sync is told and what it tells: the target, the direction, and the ``Outcome`` the CLI prints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Literal

from sco_cal.ics.merge import Change
from sco_cal.query import Filters
from sco_cal.sync.plan import Action, Decision, Plan

__all__ = ["CHANGED_HERE", "MIDWAY", "PULLS", "PUSHES", "STALE", "Direction", "Outcome", "Target"]

Direction = Literal["both", "pull", "push"]
PULLS: Final = frozenset({Action.PULL_CREATE, Action.PULL_UPDATE, Action.PULL_DELETE})
PUSHES: Final = (Action.PUSH_CREATE, Action.PUSH_UPDATE, Action.PUSH_DELETE)  # the order they are sent in


@dataclass(frozen=True)
class Target:
    """One configured collection: its name in the config, URL, login and which events it shares.
    ``password`` is asked only when the server is reached."""

    name: str
    url: str
    username: str
    password: Callable[[], str] = field(repr=False)
    filters: Filters = field(default_factory=Filters)
    timeout: int = 30


STALE: Final = "changed on the server while this sync ran; the next round takes it up"
CHANGED_HERE: Final = "changed here while this sync ran; the next run takes it up"
MIDWAY: Final = frozenset({STALE, CHANGED_HERE})  # reasons a change was left that the next run settles alone


@dataclass
class Outcome:
    """What a sync did (or, for a dry run, would do): the plan, the decisions carried out, those not carried
    out with why, and the label (event id, or the server's name) of each UID."""

    plan: Plan
    done: list[Decision] = field(default_factory=list)
    left: list[tuple[Decision, str]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    pulled: dict[str, Change] = field(default_factory=dict)  # UID -> what the import did to its event here
    theirs: dict[str, Change] = field(default_factory=dict)  # UID -> what the server's side of a conflict says
    dry_run: bool = False
    direction: Direction = "both"
    zone: str = "UTC"  # the registry's, in which a pulled event's dates are shown

    @property
    def pending(self) -> list[Decision]:
        """The decisions that need a person: conflicts, duplicates, unreadable objects, held deletions."""
        kinds = (Action.CONFLICT, Action.DUPLICATE, Action.UNREADABLE, Action.HELD)
        return [decision for decision in self.plan.decisions if decision.action in kinds]

    @property
    def quiet(self) -> bool:
        """Nothing was done and nothing needs a person: a cron run says nothing."""
        return not (self.done or self.left or self.pending)

    @property
    def stale(self) -> bool:
        return any(why == STALE for _decision, why in self.left)
