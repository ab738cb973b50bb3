"""The workflows a command runs, shared by commands and cron jobs. Each takes the clock, the zones and the
session's settings as arguments and never reads the environment; none imports typer or rich. Nothing is
imported here: a command loads only the service it runs.

- ``remind``: a reminder run (read the ledger under its lock, plan, deliver, record) and its hook.
- ``editing``: ``add`` and ``edit``: typed fields -> a saved event, with the edit policy (what ``--clear``
  may empty, unusual status changes, twins); ``event_fields`` lists the fields those options set.
- ``importing``: an .ics import: read, plan against the registry, check the plan with the registry's own
  reader, write under the lock.
- ``feeds``: export: one feed or one per group, each file replaced only when its bytes changed.
- ``views``: the day groups of ``agenda`` and the month grids of ``calendar``.
- ``timeline``: the laid-out timeline of the events a filter keeps, and writing a page only when it changed.
- ``publishing``: ``publish``: the feeds and ``index.html`` a web server serves, each file replaced only when
  its bytes changed.
"""
