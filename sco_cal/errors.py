"""The errors a user can act on, each carrying the exit code the CLI ends with.

Anything raised that is not a ``ScoCalError`` is a bug in sco-cal, not a problem with the user's input.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "AmbiguousDate",
    "Busy",
    "Conflict",
    "DamagedLedger",
    "DanglingReference",
    "EventNotFound",
    "HookFailed",
    "InvalidCalendar",
    "InvalidInput",
    "InvalidRegistry",
    "LoginRefused",
    "ScoCalError",
    "ServerRefused",
    "ServerUnreachable",
    "StorageError",
]


class ScoCalError(Exception):
    """Base of every error caused by input, files or the environment rather than by a bug."""

    exit_code: ClassVar[int] = 1


class InvalidInput(ScoCalError):
    """A value typed on the command line cannot be used (an impossible date, an unknown zone...)."""

    exit_code: ClassVar[int] = 2


class InvalidRegistry(ScoCalError):
    """The registry file is not valid; the message names the file, line, column and field."""

    exit_code: ClassVar[int] = 3

    def __init__(self, message: str, *, path: str = "<registry>", line: int = 0, column: int = 0):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        return f"{where}: {self.message}"


class DanglingReference(InvalidRegistry):
    """An id named in ``related`` that no event has (say, one deleted by hand). ``validate`` lists it and
    ``review`` tells it, but the events read as they are: every query, reminder and export goes on.

    ``line`` and ``column`` are the referring event's until ``registry.references`` finds the list item; the
    item is the ``position``-th of the event's ``related``.
    """

    def __init__(self, target: str, *, path: str, line: int, column: int, position: int):
        super().__init__(f"related: no event has the id {target!r}", path=path, line=line, column=column)
        self.target = target
        self.position = position


class EventNotFound(ScoCalError):
    """No event has the id the user gave."""

    exit_code: ClassVar[int] = 4

    def __str__(self) -> str:
        return f"no event with id {self.args[0]!r}; 'sco-cal list' shows the ids"


class AmbiguousDate(ScoCalError):
    """A typed date could be read more than one way; the message shows the unambiguous spellings."""

    exit_code: ClassVar[int] = 5


class Conflict(ScoCalError):
    """The change would break the registry's rules (a duplicate id, an event that already exists)."""

    exit_code: ClassVar[int] = 6


class InvalidCalendar(ScoCalError):
    """An .ics file cannot be imported; the message names the line or UID and the property."""

    exit_code: ClassVar[int] = 7


class HookFailed(ScoCalError):
    """A ``remind --exec`` hook failed for at least one reminder; those reminders were not recorded as given."""

    exit_code: ClassVar[int] = 8


class DamagedLedger(ScoCalError):
    """The reminder ledger cannot be read as a ledger; nothing was given and nothing was changed."""

    exit_code: ClassVar[int] = 9


class StorageError(ScoCalError):
    """A file could not be read or written (disk full, permissions); nothing was changed."""

    exit_code: ClassVar[int] = 74  # EX_IOERR from sysexits.h, the convention cron users know


class Busy(ScoCalError):
    """Another sco-cal process holds the registry's write lock for longer than we wait."""

    exit_code: ClassVar[int] = 75  # EX_TEMPFAIL: "try again later"


class ServerUnreachable(ScoCalError):
    """A calendar server could not be reached, did not answer in time, or failed (5xx); what was done before
    stays recorded, and the next run finishes the work."""

    exit_code: ClassVar[int] = 69  # EX_UNAVAILABLE: a service is unavailable


class ServerRefused(ScoCalError):
    """A calendar server answered, but not as a calendar collection does (not a calendar, not XML)."""

    exit_code: ClassVar[int] = 76  # EX_PROTOCOL: a remote error in the protocol


class LoginRefused(ScoCalError):
    """A calendar server refused the user name and password (401, 403)."""

    exit_code: ClassVar[int] = 77  # EX_NOPERM
