"""Round trips that must hold for every value, not just the ones we thought of."""

from __future__ import annotations

from datetime import date

import yaml
from hypothesis import given
from hypothesis import strategies as st

from sco_cal.dates import DateValue, Precision
from sco_cal.dates.values import LAST_YEAR
from sco_cal.registry.yaml.emit import _judged, scalar

ZONES = st.sampled_from([None, "UTC", "Europe/Moscow", "Asia/Kolkata", "America/New_York", "+03:00", "-05:30"])


@st.composite
def date_values(draw: st.DrawFn) -> DateValue:
    precision = draw(st.sampled_from(list(Precision)))
    day = draw(st.dates(max_value=date(LAST_YEAR, 12, 31)))
    if precision is Precision.YEAR:
        return DateValue.of_year(day.year)
    if precision is Precision.MONTH:
        return DateValue.of_month(day.year, day.month)
    if precision is Precision.DAY:
        return DateValue.of_day(day)
    return DateValue(
        Precision.MINUTE, day.year, day.month, day.day, draw(st.integers(0, 23)), draw(st.integers(0, 59)), draw(ZONES)
    )


@given(date_values())
def test_date_value_text_round_trip(value: DateValue) -> None:
    assert DateValue.from_text(value.to_text()) == value


@given(st.text())
def test_scalar_reads_back_as_the_same_text_in_yaml_1_1(text: str) -> None:
    written = f"value: {scalar(text)}\n"
    assert yaml.safe_load(written) == {"value": text}
    assert yaml.load(written, Loader=yaml.BaseLoader) == {"value": text}


@given(
    st.one_of(
        st.text(),
        st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
        date_values().map(DateValue.to_text),
    ),
    st.booleans(),
)
def test_the_quick_ways_to_a_scalar_write_what_the_full_judgement_writes(text: str, flow: bool) -> None:
    assert scalar(text, flow=flow) == _judged(text, flow)


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_flow_lists_read_back_exactly(items: list[str]) -> None:
    written = "value: [" + ", ".join(scalar(item, flow=True) for item in items) + "]\n"
    assert yaml.safe_load(written) == {"value": items}


@given(date_values())
def test_date_values_survive_pickling_as_the_index_stores_them(value: DateValue) -> None:
    import pickle

    again = pickle.loads(pickle.dumps(value, protocol=5))
    assert again == value
    assert again.to_text() == value.to_text()


def test_every_event_of_the_example_survives_pickling() -> None:
    import pickle
    from pathlib import Path

    from sco_cal.registry import load

    events = load(Path(__file__).resolve().parent.parent / "examples" / "sco-defence.yaml").events
    assert len(events) >= 7
    for event in events:
        again = pickle.loads(pickle.dumps(event, protocol=5))
        assert again == event
        assert [getattr(again, name) for name in event.__slots__] == [getattr(event, n) for n in event.__slots__]
