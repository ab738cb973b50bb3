"""A component parsed by icalendar from lines ``scan`` has already unfolded, without icalendar unfolding and
splitting its text again, with the plainest lines split at their first colon, and with each property name's value
type looked up once.

icalendar splits each content line into name, parameters and value by walking it one character at a time in
Python, which for a long line (a description, sco-cal's own X-SCO-DATA) is most of what parsing an event costs.
A line that is a bare name, a colon and the value (no parameters, so no quotes and no escapes before the
colon) splits the same way at its first colon, which is all the walk finds for it: its name is the text before
the first colon and it has no parameters. Such a line then takes the steps icalendar's parser takes for it
(``ComponentIcalParser.parse_content_lines`` and ``handle_property``), less the wrapping of each line in an
object and the second look-up of its value type, which for a line without parameters depends on its name alone;
a text (or unknown) value, which icalendar makes twice and then gives empty parameters, is made once. A line
whose parameters need no quotes, escapes or decoding is split by a regular expression into the pairs the walk
finds. Every other line is split and handled by icalendar itself, and any component this way cannot read is read
again from its text by ``Component.from_ical``, so the result and every error message are icalendar's own.

Exports ``component_of``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

from icalendar import Component

try:  # icalendar's parser internals: another release may move them, and then only the quick split is lost
    from icalendar.parser.content_line import Contentline
    from icalendar.parser.ical.component import ComponentIcalParser
    from icalendar.parser.parameter import Parameters
    from icalendar.parser.property import unescape_backslash
    from icalendar.prop import vText, vUnknown
except ImportError:  # pragma: no cover  # depends on the installed icalendar
    QUICK_SPLIT = False
else:
    QUICK_SPLIT = True

__all__ = ["QUICK_SPLIT", "component_of"]

# a name icalendar accepts as it is (its token pattern, less what a non-strict read would strip), then the colon
_PLAIN: Final = re.compile(r"[A-Za-z0-9-]+(?=:)")
# a name with parameters whose values need no quotes, escapes or decoding (VALUE=DATE, TZID=Europe/Moscow)
_SIMPLE: Final = re.compile(r"([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=[A-Za-z0-9_/+.-]+)+):")
_PAIR: Final = re.compile(r";([A-Za-z0-9-]+)=([A-Za-z0-9_/+.-]+)")
# names icalendar's ``handle_property`` gives a path of their own: handed to it as they are
_OWN_PATH: Final = frozenset({"CATEGORIES", "FREEBUSY", "RDATE"})
_MAX_NAMES: Final = 256  # value types remembered; a hostile file may invent any number of X- names


if QUICK_SPLIT:

    class _Line(Contentline):
        """A content line whose plain form, or simple parameters, are split without the character walk."""

        __slots__ = ()

        def raw_parts(self) -> tuple[str, Parameters, str]:
            plain = _PLAIN.match(self)
            if plain is not None:
                colon = plain.end()
                return self[:colon], Parameters(), self[colon + 1 :]
            simple = _SIMPLE.match(self)
            if simple is not None:  # the walk finds these pairs, each key in upper case, the last of a key kept
                return simple[1], Parameters(_PAIR.findall(simple[2])), self[simple.end() :]
            return super().raw_parts()

    _line: Final[Callable[[str], Contentline]] = _Line  # icalendar's constructor is untyped

    class _Parser(ComponentIcalParser):
        """icalendar's parser of one component, fed the unfolded lines as plain strings (each made a content line
        only where icalendar's own steps use one)."""

        _types: Final[dict[str, Any]] = {}  # a property name's value type when the line has no parameters

        def parse_content_lines(self) -> None:
            for text in self._content_lines_iterator:
                plain = _PLAIN.match(text) if text else None
                if plain is None:
                    self._line_of_icalendar(text)
                    continue
                colon = plain.end()
                name = text[:colon].upper()
                if name == "BEGIN":
                    self.handle_begin_component(unescape_backslash(text[colon + 1 :]))
                elif name == "END":
                    self.handle_end_component(unescape_backslash(text[colon + 1 :]))
                elif name in _OWN_PATH or self.component is None:
                    self.handle_property(name, Parameters(), unescape_backslash(text[colon + 1 :]), _line(text))
                else:
                    self._plain_property(name, text, text[colon + 1 :])

        def _line_of_icalendar(self, text: str) -> None:
            """One line as icalendar's own loop takes it."""
            if not text:
                return
            line = _line(text)
            try:
                name, params, vals = line.parts()
            except ValueError as error:
                self.handle_line_parse_error(error)
                return
            name = name.upper()
            if name == "BEGIN":
                self.handle_begin_component(vals)
            elif name == "END":
                self.handle_end_component(vals)
            else:
                self.handle_property(name, params, vals, line)

        def _plain_property(self, name: str, text: str, raw: str) -> None:
            """``handle_property`` for a line without parameters: no TZID, the generic path."""
            factory = self._types.get(name) or self.get_factory_for_property(name, Parameters())
            if factory is vText or factory is vUnknown:
                # ``parse_and_add_property`` makes ``factory.from_ical(value)``, which for these two is
                # ``factory(value)``, makes it again by ``factory`` and gives it empty parameters: made once here
                component = self.component
                assert component is not None  # a line outside any component went to ``handle_property``
                component.add(name, factory(raw if factory is vUnknown else unescape_backslash(raw)), encode=False)
                return
            params = Parameters()
            verbatim = getattr(factory, "get_value_from_content_line", None)
            value = unescape_backslash(raw) if verbatim is None else verbatim(_line(text))
            # the line only reaches the handler of a value that cannot be read, which does not look at it (and
            # a failure there reads the component again by ``Component.from_ical``)
            self.parse_and_add_property(name, params, value, None, text)  # type: ignore[arg-type]

        def get_factory_for_property(self, name: str, params: Parameters) -> Any:
            if params:
                return super().get_factory_for_property(name, params)
            factory = self._types.get(name)
            if factory is None:
                factory = super().get_factory_for_property(name, params)
                if len(self._types) < _MAX_NAMES:
                    self._types[name] = factory
            return factory


def component_of(lines: list[str]) -> Component:
    """The one component that ``lines`` (unfolded, ``BEGIN`` to ``END``) hold, as ``Component.from_ical`` reads
    their text; any line break left in a line, or any failure, gets icalendar's own reading of the text."""
    if QUICK_SPLIT and not any("\n" in line or "\r" in line for line in lines):
        try:
            parser = _Parser(lines, Component._get_component_factory(), Component.types_factory)  # type: ignore[arg-type]
            found = parser.parse()
            if len(found) == 1:
                return found[0]
        except Exception:  # noqa: BLE001, S110  # read again below, so that the error is icalendar's own
            pass
    return Component.from_ical("\r\n".join(lines) + "\r\n")
