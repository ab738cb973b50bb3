"""Derived, disposable copies of a registry, and when each may be trusted; deleting them loses nothing.

- ``store``: what every copy shares: the fingerprint of the registry's files, the copy's file name, and the
  ``EventStore`` questions a read asks of a copy.
- ``snapshot``: the pickled copy of a small registry (no SQLite, no YAML reader loaded).
- ``index``: the SQLite index of a big registry, which an edit also brings up to date (``Change``).
- ``rows``: a fresh index's events as their pickled bytes, which name each event's exact content.
- ``texts``: texts made from the events (a feed's VEVENTs), each under a digest of what it was made from.

The package itself exports nothing and imports nothing, so reading a snapshot loads neither SQLite nor the index.
Each copy is swapped in by ``storage.replaced``, the one atomic replace the registry uses too.
"""
