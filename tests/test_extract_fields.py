"""The fields beside the date, from the words of the release: statuses, venues (never a possessive),
organisations by abbreviation or full name, series and number, participants and their roles, kinds, titles."""

from __future__ import annotations

from datetime import date

import pytest

from sco_cal.extract import extract
from sco_cal.model import Event

NOV_2019 = date(2019, 11, 1)


def _one(text: str, published: date = NOV_2019) -> Event:
    (draft,) = extract(text, published=published).drafts
    return draft.event


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("The meeting was held in Moscow on 31 October.", "held"),
        ("The summit will be held in Bishkek on 13-14 June 2020.", "scheduled"),
        ("A joint meeting is scheduled for June 2020.", "planned"),
        ("The exercises are slated to be conducted in 2020.", "planned"),
        ("The summit is expected to take place on 5 June 2020.", "planned"),
        ("The forum will take place in spring 2020.", "planned"),
        ("The summit, scheduled for 29 May 2020, has been postponed.", "postponed"),
        ("The summit planned for June 2020 was cancelled.", "cancelled"),
        ("Russia's SCO presidency in 2020 will be busy.", "scheduled"),
        ("The 27 June 2007 Agreement on Holding Joint Military Exercises is in force.", "held"),
    ],
)
def test_status_follows_the_words_and_the_tense(text: str, status: str) -> None:
    assert str(_one(text).status) == status


@pytest.mark.parametrize(
    ("text", "venue"),
    [
        ("The meeting was held in Moscow on 31 October.", ("Moscow", "Russia", "Europe/Moscow")),
        ("The exercises will be conducted in the Russian Federation in 2020.", (None, "Russia", None)),
        (
            "The summit will be held in St. Petersburg on 22-23 July 2020.",
            ("St. Petersburg", "Russia", "Europe/Moscow"),
        ),
        ("The drill will be held in Chebarkul, Russia, in August 2020.", ("Chebarkul", "Russia", None)),
        ("Kazakhstan's minister said the summit will be held in June 2020.", None),
        ("The exercise will be held in the Orenburg region in 2020.", None),
        ("The drill will be held on the territory of the Russian Federation in 2020.", (None, "Russia", None)),
        ("The talks will be held on 5 March 2020 in Minsk.", ("Minsk", "Belarus", "Europe/Minsk")),
    ],
)
def test_venue_is_where_it_is_held_never_a_possessive(
    text: str, venue: tuple[str | None, str, str | None] | None
) -> None:
    found = _one(text).venue
    assert (found and (found.name, found.country, found.timezone)) == venue


@pytest.mark.parametrize(
    ("text", "orgs"),
    [
        ("A joint meeting of the SCO, the CIS and the CSTO is scheduled for June 2020.", ("SCO", "CIS", "CSTO")),
        ("The Agreement of the Shanghai Cooperation Organisation was signed on 27 June 2007.", ("SCO",)),
        ("The Collective Security Treaty Organization summit will be held in 2020.", ("CSTO",)),
        ("The Commonwealth of Independent States summit will be held in 2020.", ("CIS",)),
    ],
)
def test_organisations_by_abbreviation_or_full_name(text: str, orgs: tuple[str, ...]) -> None:
    assert _one(text).orgs == orgs


def test_series_and_number_of_a_numbered_meeting() -> None:
    event = _one("The Expert Working Group (EWG) of the SCO held its 7th meeting in Moscow on 31 October.")
    assert (event.series, event.number, str(event.kind)) == ("sco-ewg", 7, "meeting")
    assert event.title.startswith("7th meeting of the Expert Working Group (EWG)")


def test_participants_and_their_roles() -> None:
    text = (
        "The EWG held its 7th meeting in Moscow on 31 October. The meeting was attended by delegations of the SCO "
        "member states' armed forces, the SCO Secretariat and the Republic of Belarus, a SCO observer. "
        "Participants thanked the Russian Defence Ministry's work in preparing and holding the 7th EWG meeting."
    )
    roles = {p.name: p.role for p in _one(text).participants}
    assert roles == {
        "SCO member states' armed forces": "member",
        "SCO Secretariat": "secretariat",
        "Republic of Belarus": "observer",
        "Russian Defence Ministry": "host",
    }


def test_a_country_that_took_part_is_a_participant_not_a_venue() -> None:
    event = _one("The CIS summit was held in Ashgabat on 11 October. Belarus took part as an observer.")
    assert event.venue is not None
    assert event.venue.name == "Ashgabat"
    assert [(p.name, p.role) for p in event.participants] == [("Belarus", "observer")]


def test_a_presidency_covers_its_whole_year_and_names_its_chair() -> None:
    event = _one("The Republic of Uzbekistan will chair the SCO in 2022.", date(2021, 9, 18))
    assert (str(event.kind), event.start and event.start.to_text(), event.end and event.end.to_text()) == (
        "presidency",
        "2022",
        "2022",
    )
    assert [(p.name, p.role) for p in event.participants] == [("Republic of Uzbekistan", "chair")]


def test_the_exercises_take_the_name_an_earlier_sentence_gave() -> None:
    text = (
        "They discussed the Peace Mission joint antiterrorist command-staff exercises. "
        "The exercises are slated to be conducted in the Russian Federation in 2020."
    )
    event = _one(text)
    assert (event.title, event.series, str(event.kind)) == (
        "Peace Mission joint antiterrorist command-staff exercises",
        "peace-mission",
        "exercise",
    )


@pytest.mark.parametrize(
    ("text", "title", "series", "event_id"),
    [
        (
            "The Peace Mission-2018 exercise will be held in August 2018.",
            "Peace Mission-2018 exercise",
            "peace-mission",
            "peace-mission-2018-exercise-2018-08",
        ),
        (
            "The Combat Brotherhood \u2013 2020 joint exercises will be held in the third quarter of 2020.",
            "Combat Brotherhood-2020 joint exercises",
            "combat-brotherhood",
            "combat-brotherhood-2020-joint-exercises-2020-q3",
        ),
        (
            "The Interaction-2021 exercise will be held in October 2021.",
            "Interaction-2021 exercise",
            "interaction",
            "interaction-2021-exercise-2021-10",
        ),
        (
            "Sergey Lavrov will meet Wang Yi on 5 December.",
            "Meeting of Sergey Lavrov",
            None,
            "meeting-sergey-lavrov-2019-12-05",
        ),
        (
            "Defence Minister Sergey Shoigu will meet his counterparts on 5 December.",
            "Meeting of Defence Minister Sergey Shoigu",
            None,
            "meeting-defence-minister-sergey-shoigu-2019-12-05",
        ),
        (
            "Defence ministers of CSTO member states will meet in Almaty on 5 December.",
            "Meeting of defence ministers of CSTO member states",
            None,
            "meeting-defence-ministers-csto-member-states-2019-12-05",
        ),
        (
            "Russia's SCO presidency in 2020 will be busy.",
            "Russia's SCO presidency",
            None,
            "russia-sco-presidency-2020",
        ),
    ],
)
def test_titles_keep_the_case_of_names_and_a_series_its_whole_name(
    text: str, title: str, series: str | None, event_id: str
) -> None:
    event = _one(text)
    assert (event.title, event.series, event.id) == (title, series, event_id)


def test_the_forum_is_not_the_meeting_before_it() -> None:
    text = (
        "The meeting of SCO foreign ministers is planned for spring 2020. The forum will be held on 9 or 10 June 2020."
    )
    titles = [d.event.title for d in extract(text, published=NOV_2019).drafts]
    assert titles == ["Meeting of SCO foreign ministers", "Forum"]


def test_a_day_then_the_span_holding_it_is_one_event() -> None:
    text = "The Peace Mission-2021 exercise ended on Saturday. The exercise was held from 20 to 25 September."
    event = _one(text, date(2021, 9, 25))
    assert (event.start and event.start.to_text(), event.end and event.end.to_text()) == ("2021-09-20", "2021-09-25")
