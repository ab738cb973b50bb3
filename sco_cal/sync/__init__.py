"""CalDAV sync: the only package that talks to a calendar server. Nothing is imported here; a command loads the
modules it needs.

The network-free core (pure functions and small files):
    resources  one calendar object per UID of a dated event: ``href_for``, ``resource_for``, ``resources``,
               ``Resource``, ``Resources``.
    content    ``content_hash``: what an object says, so a server's rewrite of its text is not a change.
    state      what the last sync left, per target, in the user state folder: ``State``, ``Item``, ``load``,
               ``save``, ``file_name``, ``DamagedState``.
    plan       ``plan``: local events, state and server listing -> one ``Decision`` per UID (``Action``),
               ``Plan`` with its summary; ``Local``, ``Remote``, ``remote_item``, ``Prefer``.
"""
