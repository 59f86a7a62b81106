"""People in the genre's other house styles, and the meeting's date, each on a tiny
release written for the test (not taken from the dev set): the post before the name with no
honorific, the post after the name in lower case, initials, one-word names, later references
by surname, posts that are not bodies, and "today (...)" read with the right year."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import extract_document
from kg.model import Extraction, Person, Source

ROOT = Path(__file__).resolve().parents[1]
HKSAR_GOVERNMENT = "Government of the Hong Kong Special Administrative Region"


@pytest.fixture
def extract(registry):
    def run(text: str, date: str | None = None) -> Extraction:
        source = Source(path="inline", doc_id="inline", text=text, date=date)
        return extract_document(source, registry)

    return run


def posts(ex: Extraction) -> dict[str, list[str]]:
    return {p.name: [h.post for h in p.posts] for p in ex.people}


def person(ex: Extraction, name: str) -> Person:
    return next(p for p in ex.people if p.name == name)


def spans_slice(ex: Extraction) -> None:
    text = ex.source.text
    spans = [h.span for p in ex.people for h in p.posts]
    spans += [m for p in ex.people for m in p.mentions]
    spans += [m for o in ex.organizations for m in o.mentions]
    for span in spans:
        assert text[span.start : span.end] == span.text


TITLE = "Hong Kong and Qinghai leaders meet in Xining\n\n"


# -- the post before the name, no honorific --------------------------------------------------
def test_post_before_the_name_without_an_honorific(extract):
    ex = extract(
        TITLE + "Chief Executive Mabel Tse and CPC Qinghai Provincial Committee Secretary Ren "
        "Haoyu met in Xining this morning. The talks were co-chaired by Chief Secretary for "
        "Administration Peter Ho and Qinghai Vice Governor Bai Lin.\n\n"
        "Secretary for Home and Youth Affairs Alice Fung, Secretary for Justice Paul Ng and "
        "Director of the Hong Kong Economic and Trade Office in Chengdu Ada Kwok also took "
        "part. Under Secretary for Security Victor Lai arrived later.\n"
    )
    assert posts(ex) == {
        "Mabel Tse": ["Chief Executive"],
        "Ren Haoyu": ["CPC Qinghai Provincial Committee Secretary"],
        "Peter Ho": ["Chief Secretary for Administration"],
        "Bai Lin": ["Qinghai Vice Governor"],
        "Alice Fung": ["Secretary for Home and Youth Affairs"],
        "Paul Ng": ["Secretary for Justice"],
        "Ada Kwok": ["Director of the Hong Kong Economic and Trade Office in Chengdu"],
        "Victor Lai": ["Under Secretary for Security"],
    }
    assert person(ex, "Mabel Tse").posts[0].body == HKSAR_GOVERNMENT
    # The registry's name of the committee the post names ("CPC Qinghai Provincial Committee").
    assert person(ex, "Ren Haoyu").posts[0].body == (
        "Qinghai Provincial Committee of the Communist Party of China"
    )
    assert person(ex, "Ada Kwok").posts[0].span.text == (
        "Director of the Hong Kong Economic and Trade Office in Chengdu Ada Kwok"
    )
    # A body's name stops before the person: no "... Committee Secretary Ren Haoyu", no
    # "Chief Executive Mabel Tse and CPC ...".
    labels = {o.label for o in ex.organizations}
    assert "Qinghai Provincial Committee of the Communist Party of China" in labels
    assert "Hong Kong Economic and Trade Office in Chengdu" in labels
    assert not [label for label in labels if "Tse" in label or "Kwok" in label]
    spans_slice(ex)


def test_an_abbreviation_in_brackets_inside_the_post(extract):
    ex = extract(
        TITLE + "Chief Executive of the Hong Kong Special Administrative Region (HKSAR) Mabel "
        "Tse arrived in Xining on Monday.\n"
    )
    assert posts(ex) == {
        "Mabel Tse": ["Chief Executive of the Hong Kong Special Administrative Region"]
    }
    assert person(ex, "Mabel Tse").posts[0].body == HKSAR_GOVERNMENT
    spans_slice(ex)


def test_a_post_in_lower_case_before_the_name(extract):
    ex = extract(
        TITLE + "Qinghai governor Gao Jiming hosted the talks, and vice governor Bai Lin "
        "toured a solar farm with the guests. The film's director said nothing.\n"
    )
    assert posts(ex) == {"Gao Jiming": ["Qinghai governor"], "Bai Lin": ["vice governor"]}
    spans_slice(ex)


def test_a_name_set_off_by_commas_after_a_post(extract):
    ex = extract(
        TITLE + "The Secretary for Labour and Welfare, Kenneth Yip, said the scheme would grow. "
        "The Director of the Qinghai Provincial Department of Culture, Radio Television, "
        "Film and Tourism, Mr Ma Jun, agreed.\n"
    )
    assert posts(ex) == {
        "Kenneth Yip": ["Secretary for Labour and Welfare"],
        "Ma Jun": [
            "Director of the Qinghai Provincial Department of Culture, Radio Television, Film "
            "and Tourism"
        ],
    }


def test_a_post_with_no_name_after_it_is_nobody(extract):
    ex = extract(
        TITLE + "The Secretary for Commerce and Economic Development will lead a business "
        "mission in March. Hong Kong Trade Development Council Chief Executive Officer Joan "
        "Lau briefed the Governor.\n"
    )
    council = "Hong Kong Trade Development Council"
    assert posts(ex) == {"Joan Lau": [f"{council} Chief Executive Officer"]}
    assert person(ex, "Joan Lau").posts[0].body == "Hong Kong Trade Development Council"


def test_a_title_case_headline_verb_is_not_a_name(extract):
    ex = extract(
        "Chief Secretary Visits Qinghai Lake Towns\n\nGovernor Meets Hong Kong Delegation\n\n"
        "Qinghai Governor Gao Jiming welcomed the visitors.\n"
    )
    assert posts(ex) == {"Gao Jiming": ["Qinghai Governor"]}


# -- the post after the name ------------------------------------------------------------------
def test_post_after_the_name_in_lower_case(extract):
    ex = extract(
        TITLE + "Gao Jiming, governor of Qinghai province, and Mabel Tse, chief executive of "
        "the Hong Kong Special Administrative Region, opened the forum. Zhou Ling, executive "
        "vice governor, spoke after them.\n"
    )
    assert posts(ex) == {
        "Gao Jiming": ["governor of Qinghai province"],
        "Mabel Tse": ["chief executive of the Hong Kong Special Administrative Region"],
        "Zhou Ling": ["executive vice governor"],
    }
    # The registry knows the post under its other spelling: its body comes from there.
    assert person(ex, "Mabel Tse").posts[0].body == HKSAR_GOVERNMENT
    spans_slice(ex)


def test_post_after_the_name_with_the_and_capitals(extract):
    ex = extract(
        TITLE + "Gao Jiming, the Governor of Qinghai Province, and Mr Ho Wai, the Secretary for "
        "Justice, opened the forum.\n"
    )
    assert posts(ex) == {
        "Gao Jiming": ["Governor of Qinghai Province"],
        "Ho Wai": ["Secretary for Justice"],
    }


def test_a_post_after_a_comma_that_the_next_name_follows_is_the_next_persons(extract):
    ex = extract(
        TITLE + "Attending were the Secretary for Labour and Welfare, Mr Kenneth Yip, the "
        "Director of the Chief Executive's Office, Ms Rita Chow, and others.\n"
    )
    assert posts(ex) == {
        "Kenneth Yip": ["Secretary for Labour and Welfare"],
        "Rita Chow": ["Director of the Chief Executive's Office"],
    }


# -- initials and one-word names ------------------------------------------------------------
def test_initials_and_one_word_names(extract):
    ex = extract(
        TITLE + "Mr P K Yip, chairman of the Hong Kong Qinghai Chamber of Commerce, greeted "
        "Mr Namkha, Vice Chairman of the Qinghai Provincial People's Congress. Mr Yip said "
        "trade had doubled; Mr Namkha agreed.\n"
    )
    assert posts(ex) == {
        "P K Yip": ["chairman of the Hong Kong Qinghai Chamber of Commerce"],
        "Namkha": ["Vice Chairman of the Qinghai Provincial People's Congress"],
    }
    assert len(person(ex, "P K Yip").mentions) == 2
    assert len(person(ex, "Namkha").mentions) == 2
    spans_slice(ex)


# -- later references by surname --------------------------------------------------------------
def test_later_references_by_surname_are_the_person_already_named(extract):
    ex = extract(
        TITLE + "Chief Executive Mabel Tse and Governor Gao Jiming co-chaired the meeting.\n\n"
        "Tse said the two places were complementary. Mrs Tse added that youth exchanges would "
        "grow, and Gao agreed.\n\n"
        'After the meeting, Tse and Gao signed the "Co-operation Agreement on Green '
        'Development between Hong Kong and Qinghai".\n'
    )
    assert [p.name for p in ex.people] == ["Mabel Tse", "Gao Jiming"]
    assert [p.honorific for p in ex.people] == ["Mrs", None]
    assert len(person(ex, "Mabel Tse").mentions) == 4
    assert len(person(ex, "Gao Jiming").mentions) == 3
    (doc,) = ex.documents
    assert doc.signatories == ["Mabel Tse", "Gao Jiming"]
    # "Governor" alone, later, is the post already held, not a second one.
    assert posts(ex)["Gao Jiming"] == ["Governor"]
    spans_slice(ex)


def test_a_surname_alone_never_makes_a_person(extract):
    ex = extract(TITLE + "Wong said the plan was sound, and Governor Chan agreed with Wong.\n")
    assert ex.people == []


def test_a_short_form_of_a_held_post_is_not_a_second_post(extract):
    ex = extract(
        TITLE + "The Governor of Qinghai Province, Mr Gao Jiming, met the delegation. "
        "Later, Governor Gao hosted a dinner.\n"
    )
    assert posts(ex) == {"Gao Jiming": ["Governor of Qinghai Province"]}


# -- a post is not a body ---------------------------------------------------------------------
def test_a_posts_portfolio_is_not_a_body(extract):
    ex = extract(
        TITLE + "The Chief Secretary for Administration of the HKSAR Government, Mr Peter Ho, "
        "met the Secretary for Development of the Qinghai Provincial Bureau, Mr Lo Wing.\n"
    )
    labels = {o.label for o in ex.organizations}
    assert not [label for label in labels if label.startswith(("Administration", "Development"))]
    assert HKSAR_GOVERNMENT in labels
    assert posts(ex) == {
        "Peter Ho": ["Chief Secretary for Administration of the HKSAR Government"],
        "Lo Wing": ["Secretary for Development of the Qinghai Provincial Bureau"],
    }
    assert person(ex, "Peter Ho").posts[0].body == HKSAR_GOVERNMENT


# -- the meeting's date -----------------------------------------------------------------------
MEETING = "the First Meeting of the Hong Kong/Qinghai Co-operation Conference in Xining"


def test_today_takes_its_year_from_the_metadata_when_the_text_has_none(extract):
    ex = extract(
        TITLE + f"Officials of the two places attended {MEETING} today (March 4).\n",
        date="2024-03-05",
    )
    assert ex.event is not None and ex.event.date == "2024-03-04"


def test_today_with_the_day_first(extract):
    ex = extract(
        TITLE + f"Officials attended {MEETING} today (Friday, 4 March).\n", date="2022-03-04"
    )
    assert ex.event is not None and ex.event.date == "2022-03-04"


def test_a_republished_copy_keeps_the_date_its_text_states(extract):
    text = (
        "Qinghai Business Portal\n"
        "Source: HKSAR Government    Published: 2022-01-01    Views: 12\n"
        f"{TITLE}Officials attended {MEETING} today (December 31).\n\n"
        "Ends/Friday, December 31, 2021\n"
    )
    ex = extract(text, date="2022-01-01")
    assert ex.event is not None and ex.event.date == "2021-12-31"


def test_a_line_that_is_only_a_date_is_the_dateline(extract):
    ex = extract(
        f"Qinghai, Hong Kong deepen ties\n8 July 2019\n\nOfficials attended {MEETING} today.\n",
        date="2019-07-09",
    )
    assert ex.event is not None and ex.event.date == "2019-07-08"


def test_a_date_the_opening_gives_the_meeting_beats_the_metadata(extract):
    ex = extract(
        f"{TITLE}Officials attended {MEETING}, which was held on 3 March 2020.\n",
        date="2020-03-09",
    )
    assert ex.event is not None and ex.event.date == "2020-03-03"


def test_a_long_post_after_the_name_and_the_full_name_again(extract):
    ex = extract(
        TITLE + "The talks were warm. Ma Wenqing, Deputy Director of the Foreign and Overseas "
        "Chinese Affairs Office of the People's Government of Qinghai Province, attended. "
        "In the afternoon, Ma Wenqing toured the port.\n"
    )
    spans_slice(ex)
    assert posts(ex) == {
        "Ma Wenqing": [
            "Deputy Director of the Foreign and Overseas Chinese Affairs Office of the "
            "People's Government of Qinghai Province"
        ]
    }
    assert [m.text for m in person(ex, "Ma Wenqing").mentions] == ["Ma Wenqing", "Ma Wenqing"]
