"""Everything that formats for people or scripts. The only package that imports rich, and only in the
modules that draw tables and views; nothing is imported here.

- ``tables``: the rich table of events; ``plain``: the same rows as plain text for pipes and narrow terminals.
- ``records``: the JSON and CSV records of events (stable, versioned by ``RECORD_SCHEMA``), whole or streamed.
- ``json_text``: indented JSON text of one record, as ``json.dumps`` writes it, for a document written in pieces.
- ``agenda``: the agenda, month calendar and review views, with their JSON documents.
- ``reminder_text``: a reminder's lines, its JSON record and its hook's environment (no rich).
- ``import_report``: what an import did or would do, as plain lines.
- ``timeline_text``, ``timeline_svg``, ``timeline_html``: the timeline in a terminal, as an SVG picture, and
  as HTML pages (``timeline -o page.html`` and ``publish``'s ``index.html``).
"""
