"""The layout holds: each package imports only the roles below it, nothing imports in a circle (lazy or not),
no module outgrows what one reader can hold, the core is a library without typer or rich, and the commands
that only read never load icalendar.

The role table is the one in docs/architecture.md; the source is read as text (ast), nothing is imported.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sco_cal"
MAX_MODULE_LINES = 400

# Which of sco-cal's own roles each role may import. A role is a top-level module or package of sco_cal.
_FOUNDATION = {"errors", "words", "pickling", "code_stamps"}
_BELOW: dict[str, set[str]] = {
    "errors": set(),
    "words": set(),
    "pickling": set(),
    "code_stamps": set(),
    "storage": {"errors"},
    "dates": {"errors", "pickling"},
    "model": {"dates"},
    "recurrence": {"model", "dates"},
    "query": {"recurrence", "model", "dates"},
    "cache": {"storage", "model", "dates"},
    "registry": {"cache", "storage", "recurrence", "model", "dates"},
    "ics": {"recurrence", "model", "dates"},
    "extract": {"query", "model", "dates", "errors", "words"},
    "reminders": {"storage", "query", "recurrence", "model", "dates"},
    "timeline": {"query", "recurrence", "model", "dates"},
    "sync": {"registry", "ics", "cache", "storage", "recurrence", "model", "dates"},
    "services": {"sync", "extract", "timeline", "reminders", "ics", "registry", "cache", "storage", "query"}
    | {"recurrence", "model", "dates"},
    "output": {"services", "sync", "extract", "timeline", "reminders", "ics", "registry", "query", "recurrence"}
    | {"model", "dates"},
    "cli": {"output", "services", "sync", "extract", "timeline", "reminders", "ics", "registry", "cache", "storage"}
    | {"query", "recurrence", "model", "dates"},
    "__init__": {"registry", "query", "model", "dates"},  # the public library API: the core only
    "__main__": {"cli"},
}
# Third-party packages owned by one role each: nobody else imports them.
_OWNED_BY = {"typer": "cli", "click": "cli", "rich": "output", "icalendar": "ics", "sqlite3": "cache", "caldav": "sync"}
_ALSO_MAY_USE = {"rich": {"cli"}}  # the CLI prints what output built, through a rich Console


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _role(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path, module: str) -> Iterator[tuple[str, int]]:
    """Every module named by an import anywhere in the file (top level, in functions, under TYPE_CHECKING)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base, node.lineno
            for alias in node.names:  # ``from sco_cal.ics import export`` names a module too
                yield f"{base}.{alias.name}", node.lineno


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        module: {name for name, _ in _imports(path, module) if name in modules and name != module}
        for module, path in modules.items()
    }


def role_violations() -> list[str]:
    modules = _modules()
    found = []
    for module, path in modules.items():
        role = _role(module)
        for name, line in _imports(path, module):
            top = name.split(".")[0]
            where = f"{path.relative_to(PACKAGE.parent)}:{line}"
            if top == "sco_cal" and name in modules and name != "sco_cal":
                other = _role(name)
                if other != role and other not in _BELOW[role] | _FOUNDATION:
                    found.append(f"{where}: {role} may not import {other} ({name})")
            owner = _OWNED_BY.get(top)
            if owner and role != owner and role not in _ALSO_MAY_USE.get(top, set()):
                found.append(f"{where}: only {owner} imports {top}")
    return sorted(set(found))


def cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while (member := stack.pop()) != node:
                component.append(member)
            component.append(node)
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_every_role_imports_only_the_roles_below_it() -> None:
    assert role_violations() == []


def test_no_module_imports_in_a_circle() -> None:
    assert cycles() == []


def test_no_module_is_longer_than_a_reader_holds() -> None:
    lengths = {module: len(path.read_text(encoding="utf-8").splitlines()) for module, path in _modules().items()}
    assert {module: n for module, n in lengths.items() if n > MAX_MODULE_LINES} == {}


def test_every_role_is_in_the_table() -> None:
    assert {_role(module) for module in _modules()} <= set(_BELOW)


def test_the_checks_catch_a_violation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same checks over a copy of the package with one wrong import and one circle added."""
    copy = tmp_path / "sco_cal"
    for path in PACKAGE.rglob("*.py"):
        target = copy / path.relative_to(PACKAGE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    model = copy / "model.py"
    model.write_text(model.read_text(encoding="utf-8") + "\nfrom sco_cal.query import Filters\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", copy)
    assert any("model may not import query" in line for line in role_violations())
    assert any({"sco_cal.model", "sco_cal.query"} <= set(component) for component in cycles())


def modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(output.split())


def test_core_imports_neither_typer_nor_rich() -> None:
    loaded = modules_after(
        "import sco_cal, sco_cal.query, sco_cal.output.records, sco_cal.dates.phrases, sco_cal.registry"
    )
    assert not {"typer", "rich", "click"} & loaded


def test_the_library_does_not_load_caldav() -> None:
    """Only a sync talks to a server: the network client is no part of importing sco-cal."""
    assert "caldav" not in modules_after("import sco_cal, sco_cal.query, sco_cal.registry, sco_cal.cli")


@pytest.mark.parametrize("argv", [["--help"], ["list", "--help"], ["upcoming", "--help"]])
def test_reading_commands_do_not_load_icalendar(argv: list[str]) -> None:
    loaded = modules_after(
        "import sys\nfrom sco_cal.cli import commands\napp = commands()\n"
        f"sys.argv = ['sco-cal', *{argv!r}]\n"
        "try:\n    app(prog_name='sco-cal')\nexcept SystemExit:\n    pass"
    )
    assert "icalendar" not in loaded
    assert "caldav" not in loaded
