"""Press-release text -> draft events, keeping the text's honesty: a month stays a month, a year a year.

Pure functions, no network, no models: ``extract`` reads plain text (``strip_html`` first for a web page) and
gives ``Draft`` events, each with the words every field came from. Inside: ``text`` (normalising, sentences,
the dateline), ``phrases`` (finding date phrases), ``when`` (tense, the missing year, the value in sco-cal's
own grammar), ``titles`` (event nouns and their phrases),
``sentence`` (which phrase dates which noun), ``fields`` (venue, organisations, participants,
status), ``lexicon`` (the words it knows), ``unplaced`` (date words no draft came from), ``drafts``
(putting it together).
"""

from __future__ import annotations

from sco_cal.extract.drafts import Draft, Extraction, extract, id_words
from sco_cal.extract.text import looks_like_html, strip_html
from sco_cal.extract.when import NeedsPublication

__all__ = ["Draft", "Extraction", "NeedsPublication", "extract", "id_words", "looks_like_html", "strip_html"]
