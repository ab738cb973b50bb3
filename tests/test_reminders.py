"""Which reminders are due: lead times, precedence, precision, DST, status, and the give/skip plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sco_cal.dates import DateValue, relative
from sco_cal.model import Event, Kind, LeadTime, Status
from sco_cal.output.reminder_text import describe, hook_environment
from sco_cal.registry import load
from sco_cal.reminders.due import Due, LeadPolicy, Reminder, ReminderKey, candidates, due_time, plan

REGISTRY = Path(__file__).parent / "data" / "registries" / "remind-basic.yaml"
NOW = datetime(2030, 3, 9, 7, 30, tzinfo=UTC)


def lead(text: str) -> LeadTime:
    return LeadTime.from_text(text)


def due_now(
    now: datetime = NOW, since: datetime | None = None, policy: LeadPolicy | None = None
) -> dict[tuple[str, str], Reminder]:
    registry = load(REGISTRY)
    found = candidates(
        registry.events,
        policy or LeadPolicy(registry=registry.header.reminders),
        since=since or now - timedelta(days=2),
        now=now,
        floating_zone="UTC",
        default_zone=registry.timezone,
    )
    return {(r.event.id, r.lead.to_text()): r for r in found}


@dataclass
class FakeHistory:
    given: set[ReminderKey] = field(default_factory=set)
    moved: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def has(self, key: ReminderKey) -> bool:
        return key in self.given

    def moved_from(self, key: ReminderKey) -> str | None:
        return self.moved.get((key.event, key.occurrence, key.lead))


# --- lead times ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_id", "lead_text", "due"),
    [
        ("summit", "30d", datetime(2030, 3, 9, tzinfo=UTC)),
        ("ewg-meeting", "7d", datetime(2030, 3, 9, tzinfo=UTC)),
        ("exercise", "1w", datetime(2030, 3, 9, tzinfo=UTC)),
        ("video-call", "2h", datetime(2030, 3, 9, 7, 30, tzinfo=UTC)),
    ],
)
def test_each_lead_time_is_due_at_its_moment(event_id: str, lead_text: str, due: datetime) -> None:
    found = due_now()
    assert found[(event_id, lead_text)].due == due
    just_before = due_now(now=due - timedelta(minutes=1))
    assert (event_id, lead_text) not in just_before


def test_later_lead_times_are_not_due_yet() -> None:
    found = due_now()
    assert ("ewg-meeting", "1d") not in found
    assert ("video-call", "15m") not in found
    assert ("video-call", "15m") in due_now(now=datetime(2030, 3, 9, 9, 15, tzinfo=UTC))
    assert ("ewg-meeting", "1d") in due_now(now=datetime(2030, 3, 15, tzinfo=UTC))


def test_precedence_event_then_config_then_registry() -> None:
    policy = LeadPolicy(config={Kind.MEETING: (lead("3d"),)}, registry={Kind.MEETING: (lead("7d"), lead("1d"))})
    own = Event("a", "A", kind=Kind.MEETING, reminders=(lead("2h"),))
    plain = Event("b", "B", kind=Kind.MEETING)
    other = Event("c", "C", kind=Kind.SUMMIT)
    assert policy.for_event(own) == (lead("2h"),)
    assert policy.for_event(plain) == (lead("3d"),)
    assert LeadPolicy(registry=policy.registry).for_event(plain) == (lead("7d"), lead("1d"))
    assert policy.for_event(other) == ()


@pytest.mark.parametrize("status", [Status.CANCELLED, Status.POSTPONED])
def test_cancelled_and_postponed_events_have_no_reminders(status: Status) -> None:
    event = Event("a", "A", kind=Kind.MEETING, status=status, reminders=(lead("7d"),))
    assert LeadPolicy().for_event(event) == ()
    assert not any(key[0] == "cancelled-meeting" for key in due_now())


def test_a_held_event_has_no_reminder_after_it_started() -> None:
    start = DateValue.from_text("2030-03-09 06:00 UTC")
    event = Event("a", "A", status=Status.HELD, start=start, reminders=(lead("2h"),))
    found = candidates(
        [event], LeadPolicy(), since=NOW - timedelta(days=2), now=NOW, floating_zone="UTC", default_zone="UTC"
    )
    assert found == []
    upcoming = Event("b", "B", status=Status.SCHEDULED, start=start, reminders=(lead("2h"),))
    assert (
        len(
            candidates(
                [upcoming],
                LeadPolicy(),
                since=NOW - timedelta(days=2),
                now=NOW,
                floating_zone="UTC",
                default_zone="UTC",
            )
        )
        == 1
    )


def test_a_yearly_anniversary_reminds_each_year() -> None:
    this_year = due_now()[("agreement-anniversary", "7d")]
    next_year = due_now(now=datetime(2031, 3, 9, 7, 30, tzinfo=UTC))[("agreement-anniversary", "7d")]
    assert this_year.start_value.to_text() == "2030-03-16"
    assert next_year.start_value.to_text() == "2031-03-16"
    assert this_year.key != next_year.key
    assert this_year.key.occurrence == "2030-03-16"


# --- partial precision --------------------------------------------------------------------------------------


def test_a_month_date_counts_from_its_first_day_and_says_it_is_not_fixed() -> None:
    now = datetime(2030, 5, 2, 0, 0, tzinfo=UTC)
    reminder = due_now(now=now)[("defence-chiefs", "30d")]
    assert reminder.due == datetime(2030, 5, 2, tzinfo=UTC)
    assert not reminder.fixed
    lines = dict(describe(Due(reminder), now=now, display_zone="UTC", default_zone="UTC"))
    assert lines["when"] == "Jun 2030 (date TBC)"
    assert lines["starts"] == "in 30 days at the earliest (1 Jun 2030)"
    assert lines["note"] == "the date is not fixed yet"


def test_a_year_date_counts_from_the_first_of_january() -> None:
    now = datetime(2030, 12, 2, 0, 0, tzinfo=UTC)
    reminder = due_now(now=now)[("presidency-year", "30d")]
    assert reminder.start == datetime(2031, 1, 1, tzinfo=UTC)
    assert dict(describe(Due(reminder), now=now, display_zone="UTC", default_zone="UTC"))["when"] == "2031 (TBC)"


def test_a_fixed_date_has_no_not_fixed_note() -> None:
    lines = dict(describe(Due(due_now()[("ewg-meeting", "7d")]), now=NOW, display_zone="UTC", default_zone="UTC"))
    assert "note" not in lines
    assert lines["when"] == "16-17 Mar 2030"
    assert lines["where"] == "Moscow, Russia"
    assert lines["starts"] == "in 7 days"


# --- zones and DST ------------------------------------------------------------------------------------------


def test_a_day_lead_keeps_the_wall_clock_across_the_spring_dst_change() -> None:
    # DST starts in New York on Sunday 10 March 2030 at 02:00; the call is at 10:00 EDT (14:00 UTC) that day.
    found = due_now(now=datetime(2030, 3, 10, 12, 0, tzinfo=UTC))
    assert found[("new-york-call", "1d")].due == datetime(2030, 3, 9, 15, 0, tzinfo=UTC)  # 10:00 EST
    assert found[("new-york-call", "2h")].due == datetime(2030, 3, 10, 12, 0, tzinfo=UTC)  # 08:00 EDT
    assert ("new-york-call", "1d") not in due_now(now=datetime(2030, 3, 9, 14, 59, tzinfo=UTC))


def test_hours_are_elapsed_time_across_the_autumn_dst_change() -> None:
    # Berlin leaves DST on Sunday 27 October 2030 at 03:00 CEST -> 02:00 CET.
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2030, 10, 27, 9, 0, tzinfo=berlin)  # 08:00 UTC
    assert due_time(start, lead("1d")) == datetime(2030, 10, 26, 7, 0, tzinfo=UTC)  # 09:00 CEST, 25 hours before
    assert due_time(start, lead("24h")) == datetime(2030, 10, 26, 8, 0, tzinfo=UTC)


def test_a_multi_day_zoned_event_across_dst_counts_from_its_start() -> None:
    event = Event(
        "forum",
        "Forum in Berlin",
        status=Status.SCHEDULED,
        start=DateValue.from_text("2030-10-26 18:00 Europe/Berlin"),
        end=DateValue.from_text("2030-10-28 12:00 Europe/Berlin"),
        reminders=(lead("1d"),),
    )
    now = datetime(2030, 10, 25, 16, 0, tzinfo=UTC)
    (reminder,) = candidates(
        [event], LeadPolicy(), since=now - timedelta(days=2), now=now, floating_zone="Europe/Berlin", default_zone="UTC"
    )
    assert reminder.due == datetime(2030, 10, 25, 16, 0, tzinfo=UTC)  # 18:00 CEST the day before
    text = dict(describe(Due(reminder), now=now, display_zone="Europe/Berlin", default_zone="UTC"))
    assert text["when"] == "26 Oct 2030 18:00 CEST - 28 Oct 2030 12:00 CET"
    assert text["starts"] == "in 24 hours"


def test_whole_days_float_in_the_display_zone() -> None:
    event = Event("d", "D", status=Status.SCHEDULED, start=DateValue.from_text("2030-03-16"), reminders=(lead("7d"),))
    (moscow,) = candidates(
        [event], LeadPolicy(), since=NOW - timedelta(days=2), now=NOW, floating_zone="Europe/Moscow", default_zone="UTC"
    )
    assert moscow.due == datetime(2030, 3, 8, 21, 0, tzinfo=UTC)  # midnight in Moscow


# --- the plan -----------------------------------------------------------------------------------------------


def test_plan_gives_new_reminders_once() -> None:
    found = list(due_now().values())
    first = plan(found, FakeHistory(), now=NOW, since=NOW - timedelta(days=2), catch_up=timedelta(days=2))
    assert {d.reminder.event.id for d in first.give} == {
        "ewg-meeting",
        "video-call",
        "summit",
        "exercise",
        "agreement-anniversary",
    }
    history = FakeHistory(given={d.reminder.key for d in first.give})
    again = plan(found, history, now=NOW, since=NOW - timedelta(days=2), catch_up=timedelta(days=2))
    assert again.give == []
    assert again.skip == []


def test_after_a_gap_old_reminders_are_skipped_and_one_per_occurrence_is_given() -> None:
    now = datetime(2030, 3, 15, 12, 0, tzinfo=UTC)  # off since the 1st: the 7d and 1d of ewg-meeting are both due
    last_run = datetime(2030, 3, 1, tzinfo=UTC)
    found = list(due_now(now=now, since=last_run).values())
    result = plan(found, FakeHistory(), now=now, since=last_run, catch_up=timedelta(days=2))
    given = {(d.reminder.event.id, d.reminder.lead.to_text()) for d in result.give}
    skipped = {(r.event.id, r.lead.to_text(), why) for r, why in result.skip}
    assert ("ewg-meeting", "1d") in given
    assert ("ewg-meeting", "7d", "missed") in skipped
    assert ("summit", "30d", "missed") in skipped
    assert ("exercise", "1w", "missed") in skipped


def test_several_due_in_the_catch_up_window_give_only_the_latest() -> None:
    now = datetime(2030, 3, 15, 0, 0, tzinfo=UTC)
    found = [r for r in due_now(now=now, since=now - timedelta(days=10)).values() if r.event.id == "ewg-meeting"]
    result = plan(found, FakeHistory(), now=now, since=now - timedelta(days=10), catch_up=timedelta(days=10))
    assert [d.reminder.lead.to_text() for d in result.give] == ["1d"]
    assert [(r.lead.to_text(), why) for r, why in result.skip] == [("7d", "superseded")]


def test_a_moved_date_is_given_again_even_when_its_due_time_is_long_past() -> None:
    reminder = due_now()[("ewg-meeting", "7d")]
    history = FakeHistory(moved={("ewg-meeting", "", "7d"): "2030-03-20"})
    result = plan(
        [reminder], history, now=NOW + timedelta(days=5), since=NOW + timedelta(days=4), catch_up=timedelta(days=2)
    )
    assert [d.moved_from for d in result.give] == ["2030-03-20"]
    lines = dict(describe(result.give[0], now=NOW, display_zone="UTC", default_zone="UTC"))
    assert lines["moved"] == "the date moved from 20 Mar 2030"


def test_a_date_fixed_within_its_month_says_so() -> None:
    reminder = due_now()[("ewg-meeting", "7d")]
    lines = dict(describe(Due(reminder, moved_from="2030-03"), now=NOW, display_zone="UTC", default_zone="UTC"))
    assert lines["moved"] == "the date is now fixed (it was Mar 2030 (date TBC))"


@pytest.mark.parametrize(
    ("start", "whole_days", "expected"),
    [
        (datetime(2030, 3, 9, 23, 0, tzinfo=UTC), True, "today"),
        (datetime(2030, 3, 10, tzinfo=UTC), True, "tomorrow"),
        (datetime(2030, 3, 12, tzinfo=UTC), True, "in 3 days"),
        (datetime(2030, 3, 6, tzinfo=UTC), True, "3 days ago"),
        (datetime(2030, 3, 9, 7, 45, tzinfo=UTC), False, "in 15 minutes"),
        (datetime(2030, 3, 9, 8, 30, tzinfo=UTC), False, "in 60 minutes"),
        (datetime(2030, 3, 16, 7, 27, tzinfo=UTC), False, "in 7 days"),
        (datetime(2030, 3, 9, 5, 30, tzinfo=UTC), False, "2 hours ago"),
        (datetime(2030, 3, 9, 7, 30, 20, tzinfo=UTC), False, "now"),
    ],
)
def test_relative_wording(start: datetime, whole_days: bool, expected: str) -> None:
    assert relative(start, NOW, whole_days=whole_days, zone="UTC") == expected


def test_hook_environment_carries_the_fields_as_text() -> None:
    reminder = due_now()[("ewg-meeting", "7d")]
    env = hook_environment(Due(reminder), now=NOW, display_zone="UTC", default_zone="UTC")
    assert env["SCO_CAL_ID"] == "ewg-meeting"
    assert env["SCO_CAL_TITLE"] == "Expert Working Group meeting"
    assert env["SCO_CAL_START"] == "2030-03-16"
    assert env["SCO_CAL_END"] == "2030-03-17"
    assert env["SCO_CAL_LEAD"] == "7d"
    assert env["SCO_CAL_FIXED"] == "yes"
    assert env["SCO_CAL_MOVED_FROM"] == ""
    assert env["SCO_CAL_EARLIEST"] == "2030-03-16T00:00:00+00:00"
    assert env["SCO_CAL_TEXT"].startswith("Expert Working Group meeting\n  when:   16-17 Mar 2030")
    assert all(isinstance(v, str) for v in env.values())


def test_the_reminder_core_imports_neither_typer_nor_rich() -> None:
    import subprocess
    import sys

    code = (
        "import sys, sco_cal.reminders.due, sco_cal.reminders.ledger, sco_cal.reminders.agenda, "
        "sco_cal.output.reminder_text; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_late_reminder_says_the_event_began() -> None:
    reminder = due_now()[("video-call", "2h")]
    later = datetime(2030, 3, 9, 11, 30, tzinfo=UTC)
    lines = dict(describe(Due(reminder), now=later, display_zone="UTC", default_zone="UTC"))
    assert lines["began"] == "2 hours ago"
    assert "starts" not in lines
