"""``remind``, ``agenda``, ``calendar`` and ``review`` (issue 4)."""

from __future__ import annotations
