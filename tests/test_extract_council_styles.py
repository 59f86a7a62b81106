"""Styles met at stop 26, each tested on a text written for the test after the code (not a
copy of any labelled text): a Legislative Council question and its written reply, whose
"Question:" and "Reply:" label the genre's parts (not areas) and whose reply lists the
areas; a mechanism that "held its Third Plenary Session"; and a provincial portal's story
whose companies sign with one another ("X signed a memorandum with Y", "Kunming Iron and
Steel Holding Co., Ltd. and Y signed ..."); and a summary of outcomes under a banner in
capitals, whose lists print surnames in capitals ("Mr LEE Ka-chiu, John")."""

from __future__ import annotations

import functools

import pytest
from styles_support import extracted, filed

from kg.model import Extraction


@pytest.fixture
def extract(registry):
    return functools.partial(extracted, registry)


LCQ = """\
LCQ9: Co-operation between Hong Kong and Yunnan
***********************************************

     Following is a question by the Hon Wong Ka-yan and a written reply by the Secretary \
for Constitutional and Mainland Affairs, Mr Erick Tsang Kwok-wai, in the Legislative \
Council today (March 4):

Question:

     The Hong Kong/Yunnan Co-operation Conference held its Second Plenary Session in \
Kunming in January this year. Will the Government inform this Council of:

(1) the areas of co-operation agreed; and

(2) the progress made?

Reply:

President,

     The reply to the question raised by the Hon Wong Ka-yan is as follows:

(1) At the plenary session, the two sides agreed to strengthen co-operation in three \
areas, namely logistics, healthcare and culture. Specifically,

(a) on logistics, the Transport and Logistics Bureau will help Yunnan enterprises use \
Hong Kong's air cargo services;

(b) on healthcare, the Hospital Authority will arrange training for Yunnan doctors; and

(c) on culture, the two sides will co-organise a Yunnan culture week in Hong Kong.

(2) The Government will continue to take forward the co-operation items.

Ends/Wednesday, March 4, 2026
"""


def test_a_council_reply_lists_the_areas_not_its_question_and_reply(extract):
    ex = extract(LCQ)
    assert [a.label for a in ex.areas] == ["logistics", "healthcare", "culture"]
    assert filed(ex) == [
        ("logistics", "on logistics, the"),
        ("healthcare", "on healthcare, the"),
        ("culture", "on culture, the"),
    ]


def test_the_member_who_asks_is_a_person(extract):
    names = [p.name for p in extract(LCQ).people]
    assert "Wong Ka-yan" in names and "Erick Tsang Kwok-wai" in names


def test_a_mechanism_that_held_its_plenary_names_the_meeting(extract):
    event = extract(LCQ).event
    assert event is not None
    assert event.label == "Second Plenary Session of the Hong Kong/Yunnan Co-operation Conference"
    assert event.ordinal == 2 and event.place == "Kunming"
    assert event.span is not None
    assert event.span.text == (
        "Hong Kong/Yunnan Co-operation Conference held its Second Plenary Session"
    )


def test_at_the_plenary_is_not_part_of_its_name(extract):
    text = (
        "Hong Kong and Sichuan agree on co-operation\n\n"
        "     At the Fourth Plenary Session of the Hong Kong/Sichuan Co-operation Conference "
        "held in Chengdu today (May 9), the two sides agreed to promote trade.\n"
    )
    event = extract(text).event
    assert event is not None
    assert event.label == "Fourth Plenary Session of the Hong Kong/Sichuan Co-operation Conference"


PORTAL = """\
Yunnan and Hong Kong firms sign deals
Source: Yunnan Provincial People's Government | Updated: 2025-11-06 09:14

KUNMING, Nov. 5 -- The Yunnan-Hong Kong High-Level Co-operation Meeting was held in \
Kunming on Wednesday.

Among the signed projects, Kunming Iron and Steel Holding Co., Ltd. and China Resources \
Holdings signed a logistics agreement, and Yunnan Airport Group signed a memorandum of \
understanding with the Airport Authority Hong Kong on air cargo.
"""


def parties(ex: Extraction) -> dict[str, list[str]]:
    return {d.title: d.parties for d in ex.documents}


def test_a_company_signs_with_another(extract):
    found = parties(extract(PORTAL))
    assert found["Memorandum of understanding"] == [
        "Yunnan Airport Group",
        "Airport Authority Hong Kong",
    ]


def test_a_company_named_for_two_industries_is_one_party(extract):
    ex = extract(PORTAL)
    assert parties(ex)["Logistics agreement"] == [
        "Kunming Iron and Steel Holding Co., Ltd.",
        "China Resources Holdings",
    ]
    labels = [o.label for o in ex.organizations]
    assert "Kunming Iron" not in labels


def test_a_lettered_list_ends_where_the_numbered_one_goes_on(extract):
    ex = extract(
        "Hong Kong and Hainan hold co-operation meeting\n\n"
        "     The Hong Kong/Hainan Co-operation Conference was held in Haikou today (May 6).\n\n"
        "(1) The two sides agreed to the following:\n\n"
        "(a) Trade: the Hong Kong Trade Development Council will organise a fair in Haikou;\n\n"
        "(b) Tourism: the Hong Kong Tourism Board will promote Hainan's resorts; and\n\n"
        "(c) Youth: the Home and Youth Affairs Bureau will arrange internships.\n\n"
        "(2) The Government will report the progress to the Legislative Council.\n"
    )
    assert filed(ex) == [
        ("Trade", "the Hong Kong"),
        ("Tourism", "the Hong Kong"),
        ("Youth", "the Home and"),
    ]


BANNER = """\
HONG KONG/GUIZHOU CO-OPERATION CONFERENCE
THIRD PLENARY SESSION - KEY OUTCOMES

Date: 9 October 2025
Venue: Guiyang

Co-chairs:
Mr LEE Ka-chiu, John, Chief Executive of the Hong Kong Special Administrative Region
Mr LI Bingjun, Governor of Guizhou Province

The two sides agreed to deepen co-operation in the following two areas.

BIG DATA
- The Hong Kong Science and Technology Parks Corporation will help Guizhou data firms \
set up offices in Hong Kong.

TOURISM
- The Hong Kong Tourism Board will promote Guizhou's mountain routes.

DOCUMENTS SIGNED
1. Memorandum of Understanding on Tourism Co-operation
   Signed by: Mr YEUNG Tak-keung, Commissioner for Tourism; and Ms ZHANG Li, Director of \
the Department of Culture, Radio, Television and Tourism of Guizhou Province
"""


def test_a_banner_in_capitals_names_the_meeting_and_its_venue(extract):
    event = extract(BANNER).event
    assert event is not None
    assert event.label == "Third Plenary Session of the Hong Kong/Guizhou Co-operation Conference"
    assert event.place == "Guiyang" and event.ordinal == 3
    assert event.span is not None and event.span.text == "HONG KONG/GUIZHOU CO-OPERATION CONFERENCE"


def test_surnames_in_capitals_and_english_names(extract):
    ex = extract(BANNER)
    posts = {p.name: [h.post for h in p.posts] for p in ex.people}
    assert "John Lee" in posts  # the registry's name for "LEE Ka-chiu, John"
    assert posts["Li Bingjun"] == ["Governor of Guizhou Province"]
    assert posts["Zhang Li"] == [
        "Director of the Department of Culture, Radio, Television and Tourism of Guizhou Province"
    ]
    (memorandum,) = ex.documents
    assert memorandum.signatories == ["Yeung Tak-keung", "Zhang Li"]
    assert (
        "Department of Culture, Radio, Television and Tourism of Guizhou Province"
        in memorandum.parties
    )


# Styles found by the sixteenth held-out set, each tested here on a text written for the
# test (not a copy of the set's texts).
CORPORATE = """\
PRESS RELEASE
For immediate release

Cyberport and Wuhan Optics Valley join hands on fintech

(Hong Kong, 5 May 2026) Cyberport today signed a Memorandum of Understanding with the \
Wuhan East Lake High-tech Zone Administrative Committee, witnessed by Professor Sun Dong, \
Secretary for Innovation, Technology and Industry.

Under the MoU, Cyberport and the Committee will set up a fintech soft-landing scheme.

About Cyberport

Cyberport is a digital technology community with over 2,000 companies.

Media enquiries:
Ms Mandy Chan
Tel: 3166 0000
"""


def test_a_boilerplate_is_no_area_and_a_media_contact_no_person(extract):
    ex = extract(CORPORATE)
    assert ex.areas == []
    assert [c.span.text.split(",")[0] for c in ex.commitments] == ["Under the MoU"]
    assert "Mandy Chan" not in [p.name for p in ex.people]


def test_a_post_with_commas_after_the_name_and_a_memorandum_with_a_body(extract):
    ex = extract(CORPORATE)
    posts = {p.name: [h.post for h in p.posts] for p in ex.people}
    assert posts["Sun Dong"] == ["Secretary for Innovation, Technology and Industry"]
    assert parties(ex) == {
        "Memorandum of Understanding": [
            "Cyberport",
            "Wuhan East Lake High-tech Zone Administrative Committee",
        ]
    }


STORY = """\
Shaanxi woos Hong Kong investors
By Li Na in Xi'an | Hong Kong Daily | Updated: 2026-05-20 09:00

Shaanxi and Hong Kong agreed on Tuesday to work together on trade and culture, as the \
Shaanxi-Hong Kong Co-operation Conference opened its third session in the provincial capital \
Xi'an.

New routes

In trade, the Hong Kong Trade Development Council will open an office in Xi'an.

Old treasures

On culture, the Hong Kong Museum of Art will borrow terracotta warriors for a show.

Two documents were also signed: an agreement on trade co-operation, signed by Li and Chan, \
and a memorandum on museum co-operation between the Hong Kong Museum of Art and the \
Shaanxi History Museum.

Contact the writer at lina@example.com
"""


def test_a_story_with_a_byline_among_other_fields_has_crossheads_not_areas(extract):
    ex = extract(STORY)
    assert [a.label for a in ex.areas] == ["trade", "culture"]
    assert filed(ex) == [("trade", "In trade, the"), ("culture", "On culture, the")]


def test_a_mechanism_that_opened_its_session_in_a_described_capital(extract):
    event = extract(STORY).event
    assert event is not None
    assert event.label == "third session of the Shaanxi-Hong Kong Co-operation Conference"
    assert event.place == "Xi'an"


def test_an_item_signed_by_two_people_then_another_item(extract):
    ex = extract(STORY)
    assert [d.title for d in ex.documents] == [
        "Agreement on trade co-operation",
        "Memorandum on museum co-operation",
    ]


WIRE = """\
Vinh Long, Hong Kong (China) boost farm trade
Vietnam News Agency - Friday, June 5, 2026 - 10:00

Vinh Long (VNA) - Chairman of the Vinh Long provincial People's Committee received a \
delegation of the Hong Kong Trade Development Council in Vinh Long city on June 4.

At the working session, the two sides agreed to promote fruit exports to Hong Kong.
"""


def test_a_working_session_is_placed_where_the_delegation_was_received(extract):
    event = extract(WIRE).event
    assert event is not None and event.place == "Vinh Long"


STATEMENT = """\
Joint Statement on Co-operation between Hong Kong and Jilin

Issued at the First Meeting of the Hong Kong/Jilin Co-operation Conference
Changchun, 8 June 2026

The two sides agreed to co-operate in the two areas of agriculture and tourism.

1. Agriculture. The Agriculture, Fisheries and Conservation Department will share food \
safety standards with Jilin.

2. Tourism. The Hong Kong Tourism Board will promote ski tours in Jilin.

The two sides will review progress at the next meeting of the Conference.

For the Government of the Hong Kong Special Administrative Region
Chan Kwok-ki
Chief Secretary for Administration

For the People's Government of Jilin Province
Hu Yulin
Governor of Jilin Province
"""


def test_signature_blocks_name_their_signers_and_posts(extract):
    ex = extract(STATEMENT)
    posts = {p.name: [h.post for h in p.posts] for p in ex.people}
    assert posts == {
        "Chan Kwok-ki": ["Chief Secretary for Administration"],
        "Hu Yulin": ["Governor of Jilin Province"],
    }
    for person in ex.people:
        for span in person.mentions:
            assert STATEMENT[span.start : span.end] == span.text == person.name


def test_reviewing_progress_at_the_next_meeting_is_no_commitment(extract):
    assert filed(extract(STATEMENT)) == [
        ("Agriculture", "The Agriculture, Fisheries"),
        ("Tourism", "The Hong Kong"),
    ]


def test_a_signing_with_no_meeting_is_the_occasion_of_its_commitments(extract):
    """A commitment is made at a meeting (the shapes say so): a release that tells only of a
    signing has it as the occasion, named by the headline, so that it builds."""
    event = extract(CORPORATE).event
    assert event is not None
    assert event.label == "Cyberport and Wuhan Optics Valley join hands on fintech"
    assert event.date == "2026-05-05" and event.place == "Hong Kong"


def test_a_banners_mechanism_gives_the_sides_not_its_venue(extract):
    """The sides come from the banner's mechanism ("HONG KONG/GUIZHOU ..."), both known:
    the venue, Guiyang, is no new side with a government minted for it."""
    ex = extract(BANNER)
    assert ex.jurisdictions == ["Hong Kong", "Guizhou"]
    assert ex.new_jurisdictions == []
    assert [o.label for o in ex.organizations if not o.named] == []
