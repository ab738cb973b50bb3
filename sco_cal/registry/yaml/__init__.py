"""The YAML side of the registry: a file's text <-> its header and events.

Reading: ``reader`` (``parse_file``, and every name other modules use) over ``whole`` (the whole file, nodes
kept) and ``pieces`` (a few hundred events at a time, for querying), built on ``nodes`` (composing, shape,
known keys), ``scalars``, ``field_readers`` and ``events``; ``keys`` derives an event's keys from the model.
Writing: ``edits`` (surgical edits of one event's text), ``splice`` (edited text back into the file) and
``emit`` (new events' YAML). Nothing is imported here: the modules load only when a file must be read.
"""
