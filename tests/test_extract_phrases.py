"""Date phrases of press releases, as ``extract`` drafts them: the value and precision each gives, the year a
phrase leaves out (from the publication day and the tense, never the clock), and the pitfalls of issue 14."""

from __future__ import annotations

from datetime import date

import pytest

from sco_cal.dates import Precision
from sco_cal.dates.phrases import parse_span
from sco_cal.extract import NeedsPublication, extract

NOV_2019 = date(2019, 11, 1)  # a Friday

DAY, MONTH, YEAR = Precision.DAY, Precision.MONTH, Precision.YEAR


def _dates(text: str, published: date | None) -> list[tuple[str, str | None]]:
    return [
        (d.event.start.to_text() if d.event.start else "", d.event.end.to_text() if d.event.end else None)
        for d in extract(text, published=published).drafts
    ]


# (text, publication day, what a person would type to `add --date` for each event, the start's precision)
ROWS = [
    # non-breaking spaces and an em dash inside the date, no year: the seed's own sentence
    (
        "held its 7th meeting in\xa0Moscow on\xa031 October\xa0\u2014 1 November.",
        NOV_2019,
        ["31 Oct - 1 Nov 2019"],
        DAY,
    ),
    ("Russia's SCO presidency in\xa02020 was discussed.", NOV_2019, ["2020 (all year)"], YEAR),
    ("The summit is to be held on 5 March.", NOV_2019, ["5 Mar 2020"], DAY),
    ("The summit was held on 5 December.", NOV_2019, ["5 Dec 2018"], DAY),
    ("The meeting will be held on 5 December.", NOV_2019, ["5 Dec 2019"], DAY),
    (
        "The drills began on 15 September and will end tomorrow, 21 September.",
        date(2021, 9, 20),
        ["15 Sep - 21 Sep 2021"],
        DAY,
    ),
    (
        "The forum was held on 3 October, and the summit will be held on 3 March.",
        NOV_2019,
        ["3 Oct 2019", "3 Mar 2020"],
        DAY,
    ),
    ("MOSCOW, October 31 2019 (TASS) - The meeting was held on Wednesday.", None, ["30 Oct 2019"], DAY),
    ("The meeting will be held on Thursday.", NOV_2019, ["7 Nov 2019"], DAY),
    ("The meeting was held on Monday.", NOV_2019, ["28 Oct 2019"], DAY),
    ("The talks were held yesterday.", NOV_2019, ["31 Oct 2019"], DAY),
    ("The meeting will be held tomorrow.", NOV_2019, ["2 Nov 2019"], DAY),
    ("The summit will be held next year.", NOV_2019, ["2020"], YEAR),
    ("The Peace Mission-2016 exercise will be held in September.", date(2016, 3, 1), ["Sep 2016"], MONTH),
    ("The Peace Mission-2016 exercise was held in Kyrgyzstan.", date(2016, 12, 1), ["2016"], YEAR),
    ("The 2020 summit will take place in June.", NOV_2019, ["June 2020"], MONTH),
    ("The SCO summit and the CSTO summit will be held in 2018.", date(2017, 11, 30), ["2018", "2018"], YEAR),
    ("The summit will be held in St. Petersburg on 22-23 July 2020.", NOV_2019, ["22-23 Jul 2020"], DAY),
    ("The meeting will be held on 3-4 March.", date(2020, 1, 10), ["3-4 Mar 2020"], DAY),
    ("The meeting will be held on March 3-4, 2020.", NOV_2019, ["3-4 Mar 2020"], DAY),
    ("The exercise will run from 3 to 5 March 2020.", NOV_2019, ["3-5 Mar 2020"], DAY),
    ("The session took place on October 31 - November 1, 2019.", NOV_2019, ["31 Oct - 1 Nov 2019"], DAY),
    ("The session took place on 31 October \u2013 1 November 2019.", NOV_2019, ["31 Oct - 1 Nov 2019"], DAY),
    ("The Agreement was signed on 27 June 2007.", NOV_2019, ["27 Jun 2007"], DAY),
    (
        "Members discussed the 27 June 2007 Agreement on Holding Joint Military Exercises.",
        NOV_2019,
        ["27 Jun 2007"],
        DAY,
    ),
    ("A joint meeting is scheduled for June 2020.", NOV_2019, ["June 2020"], MONTH),
    ("The meeting will be held in June.", NOV_2019, ["June 2020"], MONTH),
    ("The meeting was held in June.", NOV_2019, ["June 2019"], MONTH),
    ("The exercises are slated to be conducted in the Russian Federation in 2020.", NOV_2019, ["2020"], YEAR),
    ("Joint exercises will be held in 2020-2021.", NOV_2019, ["2020 - 2021"], YEAR),
    ("Joint exercises will be held from 2020 to 2022.", NOV_2019, ["2020 - 2022"], YEAR),
    ("The meeting will be held on the 5th of June.", date(2020, 1, 1), ["5 Jun 2020"], DAY),
    ("The 7th meeting will be held in 2020.", NOV_2019, ["2020"], YEAR),
    ("The summit may be held in May 2020.", NOV_2019, ["May 2020"], MONTH),
    ("The summit will open on Thursday, 5 March 2020.", NOV_2019, ["5 Mar 2020"], DAY),
    ("Lavrov said on Wednesday that the summit will take place in June 2020.", NOV_2019, ["June 2020"], MONTH),
    ("The SCO has held summits every year since 2001.", NOV_2019, [], None),
    ("BEIJING, Aug. 1, 2018 (Xinhua) -- The exercise will be held from Aug. 22 to 29.", None, ["22-29 Aug 2018"], DAY),
    ("The ministers will meet in Almaty on Thursday.", date(2022, 6, 6), ["9 Jun 2022"], DAY),
    ("The International Army Games 2020 will be held in August.", date(2020, 2, 14), ["Aug 2020"], MONTH),
    (
        "The Council approved the operation Solidarity-2019-2021 at its meeting on 28 March.",
        date(2019, 3, 29),
        ["28 Mar 2019"],
        DAY,
    ),
    # two sentences, two events: "The meeting of ..." names its own event, it does not refer back
    (
        (
            "The meeting of the SCO Council of Heads of State will be held in 2018. "
            "The meeting of SCO foreign ministers is planned for spring 2018 in Beijing."
        ),
        date(2017, 11, 30),
        ["2018", "spring 2018"],
        None,
    ),
    # "the summit" after two summits is not clear: both stay, and it is drafted on its own
    (
        "The SCO summit and the CSTO summit will be held in 2018. The summit will take place in Qingdao in June 2018.",
        date(2017, 11, 30),
        ["2018", "2018", "June 2018"],
        None,
    ),
    # a date the event had before it moved is no event of its own
    ("The summit was postponed from April to 12 June 2020.", NOV_2019, ["12 Jun 2020"], DAY),
    ("The summit, originally scheduled for April, will be held on 12 June 2020.", NOV_2019, ["12 Jun 2020"], DAY),
    (
        "The summit will be held on 12 June 2020. The meeting was earlier postponed from April.",
        NOV_2019,
        ["12 Jun 2020"],
        DAY,
    ),
    ("The forum was moved from the first half of 2020 to October 2020.", NOV_2019, ["Oct 2020"], MONTH),
    # datelines on their own line, with a full stop, and in the TASS style: the publication day, not an event
    ("Moscow, 2 March 2020\nThe meeting was held on Monday.", None, ["2 Mar 2020"], DAY),
    ("Moscow, 1 November 2019.\nThe meeting was held on Monday.", None, ["28 Oct 2019"], DAY),
    ("MOSCOW, November 1, 2019 /TASS/. The meeting was held on Monday.", None, ["28 Oct 2019"], DAY),
    ("NUR-SULTAN, Kazakhstan, 3 February 2022\nThe talks were held on Monday.", None, ["31 Jan 2022"], DAY),
    # "next Friday" on a Friday is a week ahead, "last Friday" a week back
    ("The talks will be held next Friday.", NOV_2019, ["8 Nov 2019"], DAY),
    ("The talks were held last Friday.", NOV_2019, ["25 Oct 2019"], DAY),
    ("The talks will be held on Friday.", NOV_2019, ["1 Nov 2019"], DAY),
    # a time with the day, in the zone the text names
    ("The talks will begin at 10:00 Moscow time on 3 March 2020.", NOV_2019, ["2020-03-03 10:00 Europe/Moscow"], None),
    (
        "The talks will begin on 3 March 2020 at 15.30 (Beijing time).",
        NOV_2019,
        ["2020-03-03 15:30 Asia/Shanghai"],
        None,
    ),
    # a deadline: some time between the publication and it, never the deadline's own part
    ("The summit will be held before the end of 2020.", date(2020, 2, 1), ["2020"], YEAR),
    ("The summit will be held by the end of June 2020.", date(2020, 2, 1), ["H1 2020"], None),
    ("The drills will be held no later than 10 March 2020.", date(2020, 3, 2), ["early March 2020"], None),
    ("The summit will be held before the end of 2020.", date(2017, 2, 1), [], None),
    # "2020 or 2021" is no period sco-cal can store without inventing: nothing drafted
    ("The talks will be held in 2020 or 2021.", NOV_2019, [], None),
]
COARSE_ROWS = [
    ("The meeting will be held in the third quarter of 2020.", NOV_2019, "Q3 2020"),
    ("The meeting will be held in Q3 2020.", NOV_2019, "Q3 2020"),
    ("The exercise is planned for the first half of 2021.", NOV_2019, "first half of 2021"),
    ("The exercise is planned for H1 2021.", NOV_2019, "H1 2021"),
    ("The forum will take place in spring 2020.", NOV_2019, "spring 2020"),
    ("The forum will take place in the summer of 2020.", NOV_2019, "summer of 2020"),
    ("The talks will be held in early June 2020.", NOV_2019, "early June 2020"),
    ("The talks will be held in mid-June.", date(2020, 1, 10), "mid-June 2020"),
    ("The talks will be held in late June 2020.", NOV_2019, "late June 2020"),
    ("The summit will be held in early 2020.", NOV_2019, "early 2020"),
    ("The summit will be held in mid-2020.", NOV_2019, "mid-2020"),
    ("The summit will be held at the end of 2020.", NOV_2019, "late 2020"),
    ("The session will take place in late November.", NOV_2019, "late November 2019"),
    # a spaced dash between a name and its year keeps the year in the name, so the quarter dates the event
    (
        "The Combat Brotherhood \u2013 2020 joint exercises will be held in the third quarter of 2020.",
        NOV_2019,
        "Q3 2020",
    ),
    # one of two dates: some time in the period both lie in, never one fixed day
    ("The meeting will be held on 9 or 10 June 2020.", NOV_2019, "early June 2020"),
    ("The summit will be held on June 12 or 14, 2020.", NOV_2019, "mid-June 2020"),
    ("The talks will be held on 10 or 11 June.", NOV_2019, "June 2020"),
    ("The forum will be held in April or May 2020.", NOV_2019, "Q2 2020"),
    ("The forum will be held in April or May.", NOV_2019, "Q2 2020"),
    ("The forum will be held in June or July 2020.", NOV_2019, "mid-2020"),
    ("The forum will be held in March or April 2020.", NOV_2019, "early 2020"),
    ("The forum will be held in May or June 2020.", NOV_2019, "Q2 2020"),
    ("The drill will be held in the second half of April\u2014or early May 2020.", NOV_2019, "Q2 2020"),
    ("The forum will be held in May or August 2020.", NOV_2019, "mid-2020"),
    ("The forum will be held in April or August 2020.", NOV_2019, "2020"),
]


def _typed(text: str) -> tuple[str, str | None]:
    start, end = parse_span(text, today=NOV_2019)
    return start.to_text(), end.to_text() if end else None


@pytest.mark.parametrize(("text", "published", "typed", "precision"), ROWS, ids=[r[0][:48] for r in ROWS])
def test_phrase_gives_the_value_add_date_would_store(
    text: str, published: date | None, typed: list[str], precision: Precision | None
) -> None:
    drafts = extract(text, published=published).drafts
    assert _dates(text, published) == [_typed(t) for t in typed]
    if precision is not None:
        assert {d.event.start.precision for d in drafts if d.event.start} == {precision}


@pytest.mark.parametrize(("text", "published", "typed"), COARSE_ROWS, ids=[r[2] for r in COARSE_ROWS])
def test_coarse_phrase_gives_the_value_add_date_would_store(text: str, published: date, typed: str) -> None:
    assert _dates(text, published) == [_typed(typed)]


def test_there_are_forty_phrases_or_more() -> None:
    assert len(ROWS) + len(COARSE_ROWS) >= 40


@pytest.mark.parametrize("text", ["The meeting was held on 31 October.", "It will meet on Thursday.",
                                  "The summit will be held next year."])  # fmt: skip
def test_a_phrase_that_needs_the_publication_day_is_refused_without_one(text: str) -> None:
    with pytest.raises(NeedsPublication, match="needs the publication date"):
        extract(text, published=None)


def test_a_dateline_is_the_publication_day_not_an_event() -> None:
    found = extract("MOSCOW, 31 October 2019 (TASS) - The summit will be held in June.", published=None)
    assert found.published == date(2019, 10, 31)
    assert [d.event.start.to_text() for d in found.drafts if d.event.start] == ["2020-06"]


def test_the_clock_is_never_read() -> None:
    """The same text and publication day give the same drafts, whatever the day the test runs."""
    text = "The meeting will be held on 5 March."
    assert _dates(text, date(2000, 1, 1)) == [("2000-03-05", None)]
    assert _dates(text, date(2000, 6, 1)) == [("2001-03-05", None)]
