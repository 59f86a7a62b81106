"""Styles met at stop 28, each tested on a text written for the test after the code (not a
copy of any labelled text): items between semicolons after "agreed to:"; areas numbered
"[A]" or "Area 2 of 3 |"; a word processor's bullets, headings over "o" items; a
ministry's "H.E. Mr." and "The document was signed by"; a partner's briefing whose
numbered paragraphs open with their heading as a sentence, then "Next Steps" and its
distribution lines; a summary's "When:" and "Where:"; a letter's "travelling to X for the
..."; and a short story whose one paragraph tells of the meeting and of what the sides
will do."""

from __future__ import annotations

import functools

import pytest
from styles_support import extracted, filed, signed


@pytest.fixture
def extract(registry):
    return functools.partial(extracted, registry)


SEMICOLONS = """\
Hong Kong and Guiyang agree on closer ties

The Hong Kong/Guiyang Co-operation Meeting held its first meeting in Guiyang today \
(June 4). The two sides agreed to: set up a data centre working group; promote joint \
tourism routes; and hold a youth exchange camp in Hong Kong every summer. The Mayor said \
the city would welcome Hong Kong investors.
"""


def test_items_between_semicolons_after_agreed_to(extract):
    ex = extract(SEMICOLONS, date="2026-06-04")
    assert [c.span.text for c in ex.commitments] == [
        "set up a data centre working group",
        "promote joint tourism routes",
        "hold a youth exchange camp in Hong Kong every summer",
    ]
    assert [c.area for c in ex.commitments] == [None, None, None]


def test_semicolons_of_things_are_no_commitments(extract):
    # What follows the colon is not a verb's: a list of places, not of commitments.
    text = SEMICOLONS.replace(
        "set up a data centre working group; promote joint tourism routes; and hold a youth "
        "exchange camp in Hong Kong every summer",
        "the old town; the science park; and the new airport",
    ).replace("The two sides agreed to:", "The delegation will visit:")
    assert extract(text, date="2026-06-04").commitments == []


BRACKETED = """\
Readout: Hong Kong/Quanzhou Co-operation Conference, second meeting

The Second Meeting of the Hong Kong/Quanzhou Co-operation Conference was held in Quanzhou \
today (9 May). The two sides agreed on measures in three areas:

[A] Maritime trade
  * The Marine Department will share port safety practice with the Quanzhou Port \
Authority.
  * InvestHK will open a desk for Quanzhou shipping firms.

[B] Heritage
  * The Antiquities and Monuments Office will hold a Maritime Silk Road exhibition.

[C] Youth
  * The Home and Youth Affairs Bureau will fund forty study tours to Quanzhou.
"""


def test_areas_numbered_by_letters_in_square_brackets(extract):
    ex = extract(BRACKETED, date="2026-05-09")
    assert [a.label for a in ex.areas] == ["Maritime trade", "Heritage", "Youth"]
    assert filed(ex) == [
        ("Maritime trade", "The Marine Department"),
        ("Maritime trade", "InvestHK will open"),
        ("Heritage", "The Antiquities and"),
        ("Youth", "The Home and"),
    ]


SLIDES = """\
=== Slide 1 ===
Hong Kong/Nanning Co-operation Conference
First Meeting: what was agreed
Briefing for the Chamber, 3 March 2027

=== Slide 2 ===
At a glance
- When: Fri 20 Feb 2027
- Where: Nanning, Guangxi Zhuang Autonomous Region
- Result: 3 areas | 4 measures

=== Slide 3 ===
Area 1 of 3 | Logistics
- Airport Authority Hong Kong to study a cargo link with Nanning Wuxu Airport
- Nanning to set up a bonded warehouse for Hong Kong traders

=== Slide 4 ===
Area 2 of 3 | Education
- City University of Hong Kong to co-train engineers with Guangxi University

=== Slide 5 ===
Area 3 of 3 | Tourism
- Hong Kong Tourism Board to promote Nanning in its campaigns
"""


def test_a_slide_decks_areas_and_its_when_and_where(extract):
    ex = extract(SLIDES, date="2027-03-03")
    assert [a.label for a in ex.areas] == ["Logistics", "Education", "Tourism"]
    assert [c.area for c in ex.commitments] == ["Logistics", "Logistics", "Education", "Tourism"]
    # The meeting's day and city, not the briefing's.
    assert (ex.event.date, ex.event.place) == ("2027-02-20", "Nanning")


MINISTRY = """\
MINISTRY OF TRADE OF THE REPUBLIC OF KAZAKHSTAN
Press Service

Kazakhstan and Hong Kong sign memorandum

On 2 June 2026, the second meeting of the Kazakhstan – Hong Kong Joint Commission on Trade \
was held in Astana.

The Kazakh side was represented by the Vice Minister of Trade of the Republic of \
Kazakhstan H.E. Mr. Arman Seitkali, the Chairman of the Chamber of Commerce of Kazakhstan \
Mr. Daulet Nurlanov and the Director of the Export Agency Ms. Aigerim Bekova.

Following the meeting, a Memorandum of Understanding on Trade Facilitation between the \
Ministry of Trade of the Republic of Kazakhstan and the Commerce and Economic Development \
Bureau was signed. The document was signed by H.E. Mr. Arman Seitkali and Mr. Algernon Yau.

The parties agreed on joint actions in the following two areas:

  • Trade fairs
      o the Export Agency will organise a Kazakh pavilion at a Hong Kong food fair;
      o the Hong Kong Trade Development Council will send buyers to Astana;

  • Air cargo
      o Air Astana will study a cargo route to Hong Kong with the Airport Authority Hong \
Kong.
"""


def test_a_ministrys_excellencies_and_the_document_it_signed(extract):
    ex = extract(MINISTRY, date="2026-06-03")
    posts = {p.name: [h.post for h in p.posts] for p in ex.people}
    assert posts["Arman Seitkali"] == ["Vice Minister of Trade of the Republic of Kazakhstan"]
    # The post before "Mr. Nurlanov" is his, not the previous name's.
    assert posts["Daulet Nurlanov"] == ["Chairman of the Chamber of Commerce of Kazakhstan"]
    assert posts["Aigerim Bekova"] == ["Director of the Export Agency"]
    title = (
        "Memorandum of Understanding on Trade Facilitation between the Ministry of Trade of "
        "the Republic of Kazakhstan and the Commerce and Economic Development Bureau"
    )
    assert signed(ex) == {title: ["Arman Seitkali", "Algernon Yau"]}
    assert ex.event.label == "second meeting of the Kazakhstan – Hong Kong Joint Commission"
    assert ex.event.place == "Astana"


def test_headings_over_a_word_processors_second_level_bullets(extract):
    ex = extract(MINISTRY, date="2026-06-03")
    assert [a.label for a in ex.areas] == ["Trade fairs", "Air cargo"]
    assert filed(ex) == [
        ("Trade fairs", "the Export Agency"),
        ("Trade fairs", "the Hong Kong"),
        ("Air cargo", "Air Astana will"),
    ]


BRIEFING = """\
Anhui Hong Kong Affairs
WORK BRIEFING No. 9

Our Province and Hong Kong Hold the Third Meeting of the Anhui-Hong Kong Cooperation \
Conference in Hefei

On October 12, the third meeting of the Anhui-Hong Kong Cooperation Conference was held in \
Hefei. The meeting reached consensus on cooperation in three fields.

1. Deepening cooperation in new energy vehicles and the advanced manufacturing of their \
batteries. Our province will support battery makers to list in Hong Kong.

2. Expanding trade. The Provincial Department of Commerce will hold an Anhui week in Hong \
Kong.

3. Promoting youth exchanges. Our province will offer 100 internships to Hong Kong youth.

Next Steps

Our office will work with the relevant departments to follow up the consensus.

Submitted to: Leaders of the Provincial Government
Sent to: Provincial Department of Commerce, Provincial Department of Education
"""


def test_a_partners_briefing_its_heading_sentences_and_its_follow_up(extract):
    ex = extract(BRIEFING, date="2026-10-14")
    assert [a.label for a in ex.areas] == [
        "Deepening cooperation in new energy vehicles and the advanced manufacturing of "
        "their batteries",
        "Expanding trade",
        "Promoting youth exchanges",
    ]
    # "Next Steps" and the distribution lines are neither areas nor commitments.
    assert [" ".join(c.span.text.split()[:3]) for c in ex.commitments] == [
        "Our province will",
        "The Provincial Department",
        "Our province will",
    ]
    # The headline's verb is not part of the meeting's name.
    assert ex.event.label == "Third Meeting of the Anhui-Hong Kong Cooperation Conference"


LETTER = """\
YULIN MUNICIPAL PEOPLE'S GOVERNMENT

20 May 2026

Dear Secretary,

Hong Kong/Yulin Economic and Trade Co-operation Conference

Thank you for travelling to Yulin for the First Meeting of the Hong Kong/Yulin Economic \
and Trade Co-operation Conference, which you and I co-chaired on 12 May.

I set out below the actions we agreed.

Trade

Our Municipal Bureau of Commerce will open a service desk for Hong Kong investors.

Tourism

We will promote Yulin's heritage sites in Hong Kong with the Hong Kong Tourism Board.

Yours sincerely,
Mayor of Yulin
"""


def test_a_letter_places_and_dates_the_meeting_it_recalls(extract):
    ex = extract(LETTER, date="2026-05-20")
    assert (ex.event.date, ex.event.place) == ("2026-05-12", "Yulin")


STORY = """\
Hong Kong and Hainan step up financial co-operation

The Secretary for Financial Services and the Treasury, Mr Christopher Hui, met the Vice \
Governor of Hainan Province, Mr Liu Ping, in Haikou on 13 November. The Financial Services \
and the Treasury Bureau will arrange a training programme for Hainan regulators in 2027, \
and Hainan will set up a liaison office for Hong Kong banks. The next meeting will be held \
in Hong Kong in 2027.
"""


def test_a_short_storys_one_paragraph_tells_of_the_meeting_and_the_commitments(extract):
    ex = extract(STORY, date="2026-11-14")
    # The sentence that tells of the meeting, and the next meeting's, are none.
    assert [" ".join(c.span.text.split()[:4]) for c in ex.commitments] == [
        "The Financial Services and"
    ]
    assert (ex.event.date, ex.event.place) == ("2026-11-13", "Haikou")


PDF_COPY = """\
CHENGDU OFFICE BULLETIN                                  Issue 7 | May 2026

Hong Kong and Sichuan hold the Third Plenary Session

The Third Plenary Session of the Hong Kong/Sichuan Co-operation Confer-
ence was held in Chengdu on 6 May 2026. It was co-chaired by the Chief
Secretary for Administration, Mr Chan Kwok-ki, and the Governor of
Sichuan, Mr Shi Xiaolin.  The Secretary for Transport and Logistics,
Ms Mable Chan, and the Secretary for Labour and Welfare, Mr Chris Yuk-
han Sun, also attended.

The two sides agreed on work in two areas, namely logistics and talent.

Logistics
The Transport and Logistics Bureau and the Sichuan Provincial Depart-
ment of Transport will set up a task force on rail freight to Europe
and will meet in Chengdu every six months to review the timetable of
the trains, the customs arrangements and the handling of dangerous

                                 - 1 -
\fCHENGDU OFFICE BULLETIN                                  Issue 7 | May 2026

goods at the terminals in the two places.

Talent
The Labour Department will receive Sichuan technicians on placements
in Hong Kong.

At the session, witnessed by Mr Chan and Mr Shi, Mr Sun and the Vice
Governor of Sichuan, Mr Luo Qiang, signed the Agreement on Labour Co-
operation between Hong Kong and Sichuan.  The Memorandum on Rail Freight
Co-operation was also signed, by the two transport bodies.
"""


def test_a_pdf_copys_broken_words_page_break_and_surnames(extract):
    ex = extract(PDF_COPY, date="2026-05-20")
    assert [a.label for a in ex.areas] == ["Logistics", "Talent"]
    # One commitment per area: the paragraph a page break cut is one, and a word broken at
    # a line's end ("Depart-" / "ment") does not break its paragraph.
    assert filed(ex) == [("Logistics", "The Transport and"), ("Talent", "The Labour Department")]
    assert "Sichuan Provincial Department of Transport" in ex.commitments[0].bodies
    assert ex.commitments[0].span.text.endswith("dangerous")
    # A given name broken at its own hyphen keeps it; "Mr Sun" is that person, and "Mr Shi"
    # (a witness) signs nothing.
    assert "Chris Yuk-han Sun" in [p.name for p in ex.people]
    assert signed(ex) == {
        "Agreement on Labour Co-operation between Hong Kong and Sichuan": [
            "Chris Yuk-han Sun",
            "Luo Qiang",
        ],
        "Memorandum on Rail Freight Co-operation": [],
    }


STATEMENT = """\
JOINT PRESS STATEMENT
First Meeting of the Hong Kong-Cambodia Joint Commission
Phnom Penh, 14 October 2026

1. The First Meeting of the Hong Kong-Cambodia Joint Commission was held in Phnom Penh on \
14 October 2026, co-chaired by H.E. Mr. Sok Chenda, Minister of Commerce of the Kingdom of \
Cambodia, and Mr Algernon Yau, Secretary for Commerce and Economic Development.

2. The two sides agreed to: promote exports of Cambodian rice through Hong Kong; encourage \
Hong Kong investment in special economic zones; and organise a business forum in Hong Kong \
in 2027.

3. In the area of tourism, the Hong Kong Tourism Board will promote multi-destination \
itineraries with the Cambodia Ministry of Tourism.

4. The Second Meeting will be held in Hong Kong in 2028.
"""


def test_a_countrys_statement_its_government_and_its_paragraphs_after_the_list(extract):
    ex = extract(STATEMENT, date="2026-10-14")
    # Another country: its government as such a country names it, not a province's.
    assert [(j.name, j.government) for j in ex.new_jurisdictions] == [
        ("Cambodia", "Government of Cambodia")
    ]
    # The list's three items, then the paragraph after it that says what a side will do;
    # the next meeting's date is none.
    assert filed(ex) == [
        (None, "promote exports of"),
        (None, "encourage Hong Kong"),
        (None, "organise a business"),
        ("tourism", "In the area"),
    ]


GUANGXI = """\
HKSAR Government and Guangxi Zhuang Autonomous Region hold co-operation meeting

The Government of the Hong Kong Special Administrative Region and the People's Government \
of Guangxi Zhuang Autonomous Region held the Fourth Hong Kong-Guangxi Co-operation Meeting in \
Nanning today (April 2). The two sides agreed to: deepen co-operation in logistics; promote \
exchanges between universities; and support joint trade missions to ASEAN.
"""


def test_known_sides_behind_a_rank_and_a_level_word_are_no_new_places(extract):
    ex = extract(GUANGXI, date="2026-04-02")
    # "Fourth Hong Kong-Guangxi ...": the rank is no side's word; "Guangxi Zhuang
    # Autonomous Region" is a known place's alias; the meeting's city is no side.
    assert ex.jurisdictions == ["Hong Kong", "Guangxi"]
    assert ex.new_jurisdictions == []
    assert len(ex.commitments) == 3
