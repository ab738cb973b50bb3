"""A registry file's text as YAML nodes, every scalar as text, and the checks of their shape: one document, no
aliases or tags, no runaway nesting, and the known keys of a mapping.

Reading every scalar as text is what keeps ``2020`` a year, ``12:30`` a time and ``NO`` the word NO.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from typing import Any, Final

import yaml

from sco_cal.errors import InvalidRegistry
from sco_cal.model import MAX_VALUE_CHARS
from sco_cal.registry.yaml.problems import Bad, Problems
from sco_cal.registry.yaml.scalars import text

__all__ = ["EMPTY_FILE", "MAP_TAG", "check_shape", "compose", "known_fields", "may_hold_anchors_or_tags"]

_Parser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)

EMPTY_FILE: Final = "the file is empty; 'sco-cal init' fills it with a new registry"
MAX_DEPTH: Final = 64  # deeper than any registry needs; stops runaway nesting before it costs anything

_STR_TAG: Final = "tag:yaml.org,2002:str"
MAP_TAG: Final = "tag:yaml.org,2002:map"
_SEQ_TAG: Final = "tag:yaml.org,2002:seq"
# What YAML 1.1 does not allow in a stream, spelled as the characters excluded rather than as "not the allowed
# ones": a negated class with ranges up to U+10FFFF is slow for the re module to compile, on every run.
_UNPRINTABLE: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# An anchor, alias or tag starts a token: at a line's start or after a space, '[', '{' or ','. "R&D" is not one.
_INDICATOR_TOKEN: Final = re.compile(r"(?:^|[ \t\[\{,])[&*!][^ \t\r\n]", re.MULTILINE)
_DEFAULT_TAGS: Final[dict[type[yaml.Node], str]] = {
    yaml.ScalarNode: _STR_TAG,
    yaml.SequenceNode: _SEQ_TAG,
    yaml.MappingNode: MAP_TAG,
}


class _TextLoader(_Parser or object):  # type: ignore[misc]  # CParser is untyped; absent without libyaml
    """Compose with every scalar as text. PyYAML's resolver would be asked about each of the hundreds of
    thousands of nodes only to answer "text" every time; answering directly makes a load much cheaper."""

    def resolve(self, kind: type[yaml.Node], value: object, implicit: object) -> str:
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, parent: object, index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def dispose(self) -> None:
        pass


def may_hold_anchors_or_tags(text: str) -> bool:
    """Whether an anchor (&a), alias (*a) or tag (!t) may be present; a clean file skips the node walk."""
    if "&" not in text and "*" not in text and "!" not in text:
        return False
    return _INDICATOR_TOKEN.search(text) is not None


def compose(path: str, text: str, problems: Problems) -> yaml.Node | None:
    """One YAML document as nodes with every scalar as text, or ``None`` with the reason in ``problems``."""
    if bad := _UNPRINTABLE.search(text):
        line_start = text.rfind("\n", 0, bad.start()) + 1
        problems.at(
            path,
            text.count("\n", 0, bad.start()) + 1,
            bad.start() - line_start + 1,
            f"a control character (U+{ord(bad.group()):04X}) that YAML does not allow; remove it",
        )
        return None
    documents = _documents(path, text, problems)
    if documents is None:
        return None
    if len(documents) > 1:
        problems.add(path, documents[1], "a registry file holds one YAML document; remove the extra '---'")
        return None
    if not documents or documents[0] is None:
        problems.at(path, 1, 1, EMPTY_FILE)
        return None
    root: yaml.Node = documents[0]
    return root


def _documents(path: str, text: str, problems: Problems) -> list[yaml.Node] | None:
    # PyYAML built without libyaml: the pure-Python loader is slower but reads the same
    loader: Any = _TextLoader if _Parser is not None else yaml.BaseLoader
    try:
        return list(yaml.compose_all(text, Loader=loader))
    except yaml.MarkedYAMLError as error:
        mark, detail = _in_plain_words(error, text)
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problems.at(path, line, column, f"not valid YAML: {detail}")
    except yaml.YAMLError as error:
        problems.items.append(InvalidRegistry(f"not valid YAML: {error}", path=path))
    return None


def _in_plain_words(error: yaml.MarkedYAMLError, text: str) -> tuple[Any, str]:
    """Where a hand edit went wrong and what to do, for the slips people make; PyYAML's own words otherwise."""
    mark = error.problem_mark or error.context_mark
    detail = error.problem or error.context or "not valid YAML"
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        return mark, "a tab; YAML indents with spaces only"
    if detail.startswith("mapping values are not allowed"):
        return mark, "': ' inside a value; put the whole value in quotes"
    if error.context == "while scanning a quoted scalar" and error.context_mark is not None:
        return error.context_mark, "a quote opened here is never closed"  # the end of the file says nothing
    if mark is not None and isinstance(error, yaml.parser.ParserError):
        opened = _quote_run_to(text, mark)
        if opened is not None:  # a quote some line below (in a comment, another value) closed it: the opening
            return opened, "a quote opened here is not closed on its line; a quote further down closes it"
    return mark, detail


def _quote_run_to(text: str, mark: Any) -> Any:
    """The start of a quoted value that runs from an earlier line to the line of ``mark``, if one does."""
    end = text.find("\n", mark.index)
    scanner = _TextLoader if _Parser is not None else yaml.BaseLoader
    found = None
    try:
        for token in yaml.scan(text[: len(text) if end < 0 else end], Loader=scanner):
            quoted = isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
            if quoted and token.start_mark.line < token.end_mark.line == mark.line:
                found = token.start_mark
    except yaml.YAMLError:
        pass  # the text cut at the line's end may not scan to its end: what was found before stands
    return found


def check_shape(node: yaml.Node, depth: int, seen: set[int]) -> None:
    """Refuse aliases, explicit tags and runaway nesting before any field is read.

    A node met twice is an alias: refusing it keeps a 300-byte alias bomb from costing anything.
    """
    if depth > MAX_DEPTH:
        raise Bad(node, f"nested deeper than {MAX_DEPTH} levels; a registry never needs this")
    if id(node) in seen:
        raise Bad(node, "YAML aliases (*name) are not supported in a registry; write the value out")
    seen.add(id(node))
    if node.tag not in (_STR_TAG, MAP_TAG, _SEQ_TAG):
        raise Bad(node, f"the tag {node.tag!r} is not allowed; a registry holds plain text, lists and mappings")
    if isinstance(node, yaml.ScalarNode) and len(node.value) > MAX_VALUE_CHARS:
        raise Bad(node, f"a value of {len(node.value):,} characters; sco-cal keeps at most {MAX_VALUE_CHARS:,}")
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise Bad(key, "a mapping key must be a plain word")
            if key.value in keys:  # PyYAML would silently keep the last one; we say so instead
                raise Bad(key, f"{key.value}: appears twice in the same mapping; keep one")
            keys.add(key.value)
            check_shape(key, depth + 1, seen)
            check_shape(value, depth + 1, seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            check_shape(item, depth + 1, seen)


def known_fields(
    node: yaml.MappingNode, allowed: Collection[str], report: Callable[[yaml.Node, str], None], what: str = ""
) -> Iterator[tuple[str, yaml.Node]]:
    """The pairs of a mapping whose key is in ``allowed`` (listed in that order in messages); an unknown or
    repeated key goes to ``report`` instead.

    ``what`` names a nested mapping (``venue``): its keys are told as ``venue.country``, and a key that is not
    text is a ``Bad`` that ends the read of it. At the top of the file or of an event a key that is not text is
    reported and passed over, and an unknown key given twice is told as given twice.
    """
    prefix, twice = (f"{what}.", "appears twice") if what else ("", "appears twice in the same mapping")
    seen: set[str] = set()
    for key_node, value in node.value:
        if what:
            key = text(key_node, what)
        elif isinstance(key_node, yaml.ScalarNode):
            key = key_node.value
        else:
            report(key_node, "a mapping key must be a plain word")
            continue
        if key in seen:
            report(key_node, f"{prefix}{key}: {twice}; keep one")
        elif key not in allowed:
            report(key_node, f"{prefix}{key}: unknown field; the fields here are {', '.join(allowed)}")
            if not what:
                seen.add(key)
        else:
            seen.add(key)
            yield key, value
