"""A component parsed by icalendar from lines ``scan`` has already unfolded, without icalendar unfolding and
splitting its text again, and with the plainest lines split by a regular expression.

icalendar splits each content line into name, parameters and value by walking it one character at a time in
Python, which for a long line (a description, sco-cal's own X-SCO-DATA) is most of what parsing an event costs.
A line that is a bare name, a colon and the value (no parameters, so no quotes and no escapes before the
colon) splits the same way at its first colon, which is all the walk finds for it: its name is the text before
the first colon and it has no parameters. Every other line is split by icalendar itself, and any component
this way cannot read is read again from its text by ``Component.from_ical``, so the result and every error
message are icalendar's own.

Exports ``component_of``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from icalendar import Component

try:  # icalendar's parser internals: another release may move them, and then only the quick split is lost
    from icalendar.parser.content_line import Contentline
    from icalendar.parser.ical.component import ComponentIcalParser
    from icalendar.parser.parameter import Parameters
except ImportError:  # pragma: no cover  # depends on the installed icalendar
    QUICK_SPLIT = False
else:
    QUICK_SPLIT = True

__all__ = ["QUICK_SPLIT", "component_of"]

# a name icalendar accepts as it is (its token pattern, less what a non-strict read would strip), then the colon
_PLAIN: Final = re.compile(r"[A-Za-z0-9-]+(?=:)")


if QUICK_SPLIT:

    class _Line(Contentline):
        """A content line whose plain form is split without the character walk."""

        __slots__ = ()

        def raw_parts(self) -> tuple[str, Parameters, str]:
            plain = _PLAIN.match(self)
            if plain is None:
                return super().raw_parts()
            colon = plain.end()
            return self[:colon], Parameters(), self[colon + 1 :]

    _line: Final[Callable[[str], Contentline]] = _Line  # icalendar's constructor is untyped


def component_of(lines: list[str]) -> Component:
    """The one component that ``lines`` (unfolded, ``BEGIN`` to ``END``) hold, as ``Component.from_ical`` reads
    their text; any line break left in a line, or any failure, gets icalendar's own reading of the text."""
    if QUICK_SPLIT and not any("\n" in line or "\r" in line for line in lines):
        try:
            parser = ComponentIcalParser(
                [_line(line) for line in lines if line], Component._get_component_factory(), Component.types_factory
            )
            found = parser.parse()
            if len(found) == 1:
                return found[0]
        except Exception:  # noqa: BLE001, S110  # read again below, so that the error is icalendar's own
            pass
    return Component.from_ical("\r\n".join(lines) + "\r\n")
