"""Repeating events: the shortcuts for plain anniversaries and far-away windows give exactly what dateutil gives."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dateutil.rrule import rruleset, rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from sco_cal.dates import DateValue
from sco_cal.model import Event
from sco_cal.recurrence import occurrences

RULES = [
    "FREQ=YEARLY",
    "FREQ=YEARLY;INTERVAL=3",
    "FREQ=YEARLY;BYMONTH=6;BYDAY=2SA",
    "FREQ=MONTHLY;INTERVAL=2",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
    "FREQ=DAILY;INTERVAL=5",
    "FREQ=YEARLY;COUNT=5",
    "FREQ=YEARLY;UNTIL=20400101T000000",
]


@settings(max_examples=300, deadline=None)
@given(
    rule=st.sampled_from(RULES),
    start=st.dates(min_value=date(1900, 1, 1), max_value=date(2040, 12, 31)),
    timed=st.booleans(),
    first=st.dates(min_value=date(1890, 1, 1), max_value=date(2060, 12, 31)),
    days=st.integers(0, 800),
)
def test_occurrences_match_dateutil(rule: str, start: date, timed: bool, first: date, days: int) -> None:
    value = (
        DateValue.of_time(datetime(start.year, start.month, start.day, 10, 30), "Europe/Moscow")
        if timed
        else DateValue.of_day(start)
    )
    event = Event("x", "X", start=value, recurrence=rule)
    last = first + timedelta(days=days)
    dtstart = datetime(start.year, start.month, start.day, 10 if timed else 0, 30 if timed else 0)
    series = rruleset()  # the start is an occurrence even where the rule misses it, as in every client
    series.rrule(rrulestr(rule, dtstart=dtstart))
    if "UNTIL" not in rule or dtstart <= datetime(2040, 1, 1):
        series.rdate(dtstart)
    expected = series.between(
        datetime.combine(first, datetime.min.time()), datetime.combine(last, datetime.max.time()), inc=True
    )
    got = [occurrence for occurrence, _end in occurrences(event, first, last)]
    assert [(o.year, o.month, o.day, o.hour, o.minute) for o in got] == [
        (m.year, m.month, m.day, m.hour if timed else None, m.minute if timed else None) for m in expected
    ]


def test_anniversary_of_a_29_february() -> None:
    event = Event("leap", "Leap", start=DateValue.from_text("2000-02-29"), recurrence="FREQ=YEARLY")
    found = [o.to_text() for o, _ in occurrences(event, date(2001, 1, 1), date(2009, 12, 31))]
    assert found == ["2004-02-29", "2008-02-29"]


def test_a_range_moves_with_its_occurrence() -> None:
    event = Event(
        "ewg",
        "EWG",
        start=DateValue.from_text("2019-10-31"),
        end=DateValue.from_text("2019-11-01"),
        recurrence="FREQ=YEARLY",
    )
    ((start, end),) = list(occurrences(event, date(2023, 10, 1), date(2023, 10, 31)))
    assert (start.to_text(), end and end.to_text()) == ("2023-10-31", "2023-11-01")
