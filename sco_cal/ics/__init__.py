"""iCalendar (RFC 5545), by direction of data; the only package that imports icalendar. Nothing is imported
here: a command loads only the modules it needs, and the reading commands never load icalendar.

Both ways:
    publish    what a feed shows for an event (dates per month/year policy, title marks, STATUS, description,
               categories, X-SCO-DATA), which import compares against: ``Policy``, ``when``, ``title``...
    rules      RRULE both ways, with one rule for UNTIL: ``rrule_line``, ``read_rule``, ``until_beside``.
Export (events -> feed):
    export     ``Feed``, ``write_calendar`` (streamed), ``export_calendar``, ``Written``, ``to_vevent``;
               ``export_resource``: one calendar object of a CalDAV collection.
    write      one VEVENT as text, byte for byte what icalendar writes: ``VeventWriter``, ``escape``, ``folded``.
    reuse      VEVENTs kept between runs under a digest of all they are made from: ``Reuse``, ``Placed``.
    vtimezones the VTIMEZONEs a feed's times need (``Zones``); icalendar is loaded only to make one.
Reading (file -> incoming events):
    lines      content lines: size limit, unfolding, decoding: ``MAX_ICS_BYTES``, ``unescape_text``.
    scan       the file's structure checked, one part at a time: ``scan``, ``Part``, ``NotKept``.
    read       ``parse_calendar`` -> ``Parsed`` of ``Imported`` (``incoming``: the plain values it gives).
    plain      a plain event read from its lines without icalendar, equal to what ``fields`` makes of it.
    components, fields, moments, restore, zones: one component's text, fields, dates and times, our own
               X-SCO-* properties, zones known only by their VTIMEZONE.
Merging (incoming events -> changes):
    merge      ``plan`` (new, updated, unchanged, by UID), ``Plan``, ``Change``, ``ordered_for_adding``.
"""
