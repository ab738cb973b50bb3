"""A cached copy written by another version of sco-cal (its classes in other modules) only costs a parse: it is
never unpickled into a crash, in either direction of an upgrade or a rollback."""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result
from test_index import Size, ids

from sco_cal.cache.store import MODEL_SHAPES
from sco_cal.dates import DateValue
from sco_cal.model import Event, Header, LeadTime, Participant, Source, Venue

# What a pickle made by a layout whose classes lived elsewhere looks like: a reference to a module this
# version does not have.
FOREIGN_PICKLE = b"\x80\x04csco_cal.moved_away\nEvent\n."


def test_the_copys_version_names_the_module_of_every_pickled_class() -> None:
    for cls in (Event, Header, DateValue, Venue, Participant, Source, LeadTime):
        assert repr(cls.__module__) in MODEL_SHAPES, cls


def _foreign_index(derived: Path) -> None:
    with sqlite3.connect(derived) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'header'", (FOREIGN_PICKLE,))


def _foreign_snapshot(derived: Path) -> None:
    with derived.open("rb") as stream:
        identity = pickle.load(stream)
    derived.write_bytes(pickle.dumps(identity) + FOREIGN_PICKLE)


@pytest.mark.parametrize(
    ("size", "make_foreign"),
    [(Size(1, ".pickle"), _foreign_snapshot), (Size(60, ".sqlite3"), _foreign_index)],
    ids=["snapshot", "index"],
)
def test_a_copy_naming_modules_this_version_lacks_is_made_again(
    sco_cal: Callable[..., Result], tmp_path: Path, cache: Path, size: Size, make_foreign: Callable[[Path], None]
) -> None:
    registry = tmp_path / "r.yaml"
    size.write(registry)
    expected = ids(sco_cal, registry, "June 2020")
    (derived,) = cache.glob(f"*{size.suffix}")
    make_foreign(derived)
    foreign = derived.read_bytes()
    assert ids(sco_cal, registry, "June 2020") == expected
    assert derived.read_bytes() != foreign, "the foreign copy was replaced"
