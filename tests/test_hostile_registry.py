"""Malformed and hostile registries: one located message, the documented exit code, the file untouched.

The mutation fuzzer's size is ``SCO_CAL_FUZZ_CASES`` (2,000 by default; the nightly run uses 100,000):
``SCO_CAL_FUZZ_CASES=100000 python -m pytest tests/test_hostile_registry.py``.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DATA, EXAMPLE, Result

from sco_cal.errors import DanglingReference, InvalidRegistry
from sco_cal.registry import MAX_FILE_BYTES, load, problems

Run = Callable[..., Result]
FUZZ_CASES = int(os.environ.get("SCO_CAL_FUZZ_CASES", "2000"))
LOCATED = re.compile(r"^error: (?P<path>.+?):(?P<line>\d+):(?P<column>\d+): \S.*$")


def _alias_bomb() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


HOSTILE: dict[str, tuple[bytes, str]] = {
    "tab-indent": (b"events:\n\t- id: a\n", "a tab; YAML indents with spaces only"),
    "invalid-utf8": (b"events:\n  - id: a\n    title: \xc3\x28\n", "not valid UTF-8"),
    "nul-byte": (b"events:\n  - id: a\x00\n", "a control character (U+0000)"),
    "bom-then-garbage": (b"\xef\xbb\xbfevents: [\n", "not valid YAML"),
    "deep-nesting": (b"events: " + b"[" * 5000 + b"]" * 5000 + b"\n", "not valid YAML"),
    "moderate-nesting": (
        b"events:\n  - id: a\n    title: A\n    notes: " + b"[" * 100 + b"]" * 100 + b"\n",
        "notes: expected text",
    ),
    "alias-bomb": (_alias_bomb().encode(), "aliases"),
    "duplicate-top-key": (b"name: a\nname: b\nevents:\n", "name: appears twice"),
    "duplicate-nested-key": (b"reminders:\n  meeting: [1d]\n  meeting: [2d]\nevents:\n", "meeting: appears twice"),
    "duplicate-event-key": (b"events:\n  - id: a\n    id: b\n    title: A\n", "id: appears twice"),
    "python-tag": (b"events:\n  - !!python/object/apply:os.system [ls]\n", "is not allowed"),
    "custom-tag": (b"name: !secret x\nevents:\n", "is not allowed"),
    "empty": (b"", "the file is empty"),
    "only-comments": (b"# nothing here\n", "the file is empty"),
    "two-documents": (b"events: []\n---\nevents: []\n", "holds one YAML document"),
    "non-string-key": (b"? [a, b]\n: c\n", "a mapping key must be a plain word"),
    "list-at-top": (b"- a\n- b\n", "a registry is a mapping"),
    "scalar-at-top": (b"just text\n", "a registry is a mapping"),
    "events-is-mapping": (b"events:\n  a: b\n", "events: expected a list"),
    "event-is-text": (b"events:\n  - hello\n", "each event is a mapping"),
    "title-is-list": (b"events:\n  - id: a\n    title: [x]\n", "title: expected text"),
    "venue-is-list": (b"events:\n  - id: a\n    title: A\n    venue: [x]\n", "venue: expected a mapping"),
    "number-not-number": (b"events:\n  - id: a\n    title: A\n    number: seven\n", "not a whole number"),
    "huge-number": (b"events:\n  - id: a\n    title: A\n    number: 99999999999999999999\n", "not a whole number"),
    "bad-id": (b"events:\n  - id: Not An Id\n    title: A\n", "is not an id"),
    "huge-value": (b"events:\n  - id: a\n    title: " + b"x" * (1024 * 1024 + 1) + b"\n", "characters; sco-cal keeps"),
    "unclosed-quote": (b'events:\n  - id: a\n    title: "open\n', "not valid YAML"),
    "bad-recurrence": (
        b"events:\n  - id: a\n    title: A\n    start: 2020-01-01\n    recurrence: FREQ=NEVER\n",
        "RRULE",
    ),
    "recurrence-without-day": (
        b"events:\n  - id: a\n    title: A\n    start: 2020\n    recurrence: FREQ=YEARLY\n",
        "needs a start",
    ),
    "windows-line-ends-bad": (b"events:\r\n  - id: a\r\n    title: A\r\n    start: 2020-02-30\r\n", "not a day"),
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_registry_gives_one_located_line(sco_cal: Run, tmp_path: Path, name: str) -> None:
    content, message = HOSTILE[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(content)
    before = digest(path)
    result = sco_cal("-r", path, "list", timeout=30)
    assert result.code == 3, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert LOCATED.match(lines[0]), lines[0]
    assert message in lines[0]
    assert digest(path) == before
    add = sco_cal("-r", path, "add", "New event", timeout=30)
    assert (add.code, add.stdout) == (3, "")
    assert digest(path) == before


def test_file_above_the_size_cap_is_refused_before_parsing(sco_cal: Run, tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"events:\n  - id: a\n    title: ")
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no need to write 64 MiB of real bytes
    result = sco_cal("-r", path, "list")
    assert result.code == 3
    assert "over the 64 MiB a registry file may hold" in result.stderr


def test_a_50_mb_file_with_one_huge_value_is_refused(sco_cal: Run, tmp_path: Path) -> None:
    path = tmp_path / "fifty.yaml"
    path.write_bytes(b"events:\n  - id: a\n    title: " + b"y" * (50 * 1024 * 1024) + b"\n")
    result = sco_cal("-r", path, "validate", timeout=120)
    assert result.code == 3
    assert re.search(r"fifty\.yaml:3:12: a value of 52,428,800 characters", result.stdout)


def _mutate(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    choice = rng.randrange(9)
    if choice == 0:  # drop a span of bytes
        start = rng.randrange(len(data))
        return data[:start] + data[start + rng.randrange(1, 40) :]
    if choice == 1:  # insert YAML syntax where it does not belong
        start = rng.randrange(len(data))
        return (
            data[:start]
            + rng.choice([b":", b"- ", b"[", b"{", b"&a ", b"*a", b"!!", b"|", b">", b"'", b'"', b"#", b"\t", b"? "])
            + data[start:]
        )
    if choice == 2:  # duplicate a line
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif choice == 3:  # swap two lines
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif choice == 4:  # shift a line's indentation
        i = rng.randrange(len(lines))
        lines[i] = b" " * rng.choice([0, 1, 3, 5, 8]) + lines[i].lstrip()
    elif choice == 5:  # truncate
        return data[: rng.randrange(len(data))]
    elif choice == 6:  # a random byte
        start = rng.randrange(len(data))
        return data[:start] + bytes([rng.randrange(256)]) + data[start + 1 :]
    elif choice == 7:  # break a date
        return data.replace(b"2019-10-31", rng.choice([b"2019-02-30", b"2019-13-01", b"20x9", b"31/10/2019"]), 1)
    else:  # an unknown key
        i = rng.randrange(len(lines))
        lines.insert(i, b"    colour: red")
    return b"\n".join(lines)


def test_mutation_fuzzer_never_escapes_as_anything_but_invalid_registry(tmp_path: Path) -> None:
    rng = random.Random(20191031)
    seeds = [EXAMPLE.read_bytes(), (DATA / "registries" / "commented.yaml").read_bytes()]
    path = tmp_path / "mutant.yaml"
    outcomes = {"loaded": 0, "refused": 0}
    for _case in range(FUZZ_CASES):
        data = rng.choice(seeds)
        for _ in range(rng.randrange(1, 4)):
            data = _mutate(rng, data) or b"x"
        path.write_bytes(data)
        found = problems(path)  # anything but InvalidRegistry escaping here fails the test
        assert all(str(problem).startswith(str(path)) for problem in found), found
        if any(not isinstance(problem, DanglingReference) for problem in found):  # that one stops no read
            outcomes["refused"] += 1
            with pytest.raises(InvalidRegistry):
                load(path)
        else:
            outcomes["loaded"] += 1
            load(path)
    assert outcomes["refused"] > FUZZ_CASES // 4, outcomes


def test_mutants_through_the_command_line(sco_cal: Run, tmp_path: Path) -> None:
    """A sample of mutants through the installed command: exit 3, one line, nothing on stdout."""
    rng = random.Random(7)
    path = tmp_path / "mutant.yaml"
    tried = 0
    while tried < 25:
        data = _mutate(rng, EXAMPLE.read_bytes())
        path.write_bytes(data)
        try:
            load(path)
            continue
        except InvalidRegistry:
            tried += 1
        result = sco_cal("-r", path, "list")
        assert (result.code, result.stdout) == (3, ""), result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert "Traceback" not in result.stderr
        assert path.read_bytes() == data


def test_the_unprintable_check_matches_yaml_11s_definition() -> None:
    """schema's character class is the complement of YAML 1.1's printable set, written the cheap way round."""
    from sco_cal.registry.yaml.nodes import _UNPRINTABLE

    printable = re.compile(r"[\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    for code in range(0x110000):
        char = chr(code)
        assert bool(_UNPRINTABLE.fullmatch(char)) != bool(printable.fullmatch(char)), hex(code)
