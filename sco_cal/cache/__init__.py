"""Derived, disposable copies of a registry (a pickled snapshot for small registries, an SQLite index for big
ones) and when each may be trusted. Deleting them loses nothing."""
