"""What is due and when, as data: pure logic that takes the clock and the zones as arguments. It imports only
the core below it (query, recurrence, model, dates, storage); how a reminder or a view reads to people is
``sco_cal.output``'s (``reminder_text``, ``agenda``). Import the modules themselves; this package re-exports
nothing, so a command loads only the part it uses.

- ``due``: ``LeadPolicy``, ``Reminder``, ``Due``, ``Plan``, ``History``; ``candidates``, ``plan``, ``due_time``,
  ``lookahead``: which reminders are due at a moment and which to give.
- ``ledger``: ``Ledger``, the file that makes each reminder fire once; ``load``, ``locked``, ``carry_out``.
- ``agenda``: ``agenda``, ``month_grid``, ``months_from``, ``review``: the day groups, month grids and review
  findings behind ``agenda``, ``calendar`` and ``review``.
"""
