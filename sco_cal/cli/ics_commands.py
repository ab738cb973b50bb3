"""``export`` and ``import``: iCalendar feeds out, calendars from other apps in (issue 3)."""

from __future__ import annotations
