"""The timeline as data: which rows to draw against which axis, with what is certain drawn solid and what is only
possible shaded. Pure and terminal-free: it imports only the core below it (query, model, dates), takes the
clock and the zones as arguments, and knows nothing of characters, pixels or colours; the renderers in
``sco_cal.output`` (``timeline_text``, ``timeline_svg``, ``timeline_html``) draw it.

- ``layout``: ``Mark``, ``Piece``, ``pieces_of`` (an occurrence's certain and possible stretches, read from its
  values' earliest and latest instants, never from the kind of precision), ``Entry``, ``Row``, ``GroupBy``,
  ``Timeline`` and ``build``.
- ``axis``: ``Unit``, ``Tick``, ``ticks`` and ``choose_unit``: the months, quarters or years the axis is marked in,
  coarser as the window widens.

Import the modules themselves; this package re-exports nothing.
"""
