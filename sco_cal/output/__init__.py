"""Everything that formats for people or scripts: rich tables, plain text, JSON/CSV records. The only package
that imports rich."""
