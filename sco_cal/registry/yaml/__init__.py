"""The YAML side of the registry: reading a file (whole or in pieces) into events, surgical edits of one
event's text, splicing edited text back, and emitting new events' YAML."""
