"""iCalendar (RFC 5545), by direction of data. The only package that imports icalendar."""
