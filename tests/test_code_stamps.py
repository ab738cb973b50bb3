"""A kept text is keyed on the code that made it: a module's edit or an upgrade changes its stamp."""

from __future__ import annotations

import os
from pathlib import Path

from sco_cal.code_stamps import PACKAGE, code_stamps


def test_an_edited_module_gets_another_stamp(tmp_path: Path) -> None:
    module = tmp_path / "writer.py"
    module.write_text("A = 1\n", encoding="utf-8")
    os.utime(module, ns=(1_000_000_000, 1_000_000_000))
    before = code_stamps([module])
    module.write_text("A = 2\n", encoding="utf-8")
    os.utime(module, ns=(1_000_000_000, 1_000_000_000))
    assert code_stamps([module]) == before  # the same size and time: taken as the same code
    module.write_text("A = 22\n", encoding="utf-8")
    assert code_stamps([module]) != before


def test_a_module_that_is_not_a_file_is_named_alone(tmp_path: Path) -> None:
    assert code_stamps([tmp_path / "gone.py"]) == [("gone.py", -1, -1)]


def test_the_package_is_the_installed_sco_cal() -> None:
    assert (PACKAGE / "code_stamps.py").is_file()
    assert (PACKAGE / "output" / "records.py").is_file()
