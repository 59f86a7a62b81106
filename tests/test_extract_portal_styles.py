"""House styles met in the spent eleventh held-out set, each tested on a small release
written for the test after the code (not a copy of any labelled text): a provincial
portal's story of a co-operation week whose lede lists topics and whose paragraphs lead the
areas, a radio station's story that names the conference in lower case, a bureau's release
of a meeting named for its subject, and a city's release of a signing ceremony whose
documents are listed and then signed "the first memorandum" by rank."""

from __future__ import annotations

import functools

import pytest
from styles_support import extracted, signed


@pytest.fixture
def extract(registry):
    return functools.partial(extracted, registry)


WEEK = """\
Guangxi Zhuang Autonomous Region
Home | News | Invest | Visit

Beihai-Hong Kong Economic and Trade Cooperation Week opens, 18 deals signed

Updated: 2025-09-18 10:02    Source: Beihai Daily

The 2025 Beihai-Hong Kong Economic and Trade Cooperation Week opened in Hong Kong on \
September 16. Guests from both places discussed cooperation in shipping, seafood, finance \
and tourism during the five-day event.

Mayor of Beihai Qin Hailan said the two sides agreed on cooperation in four areas.

First, on port and shipping services, the Hong Kong Shipowners Association will help Beihai \
shipping firms register vessels in Hong Kong.

Second, on marine fisheries and seafood trade, Beihai will set up a seafood supply base for \
Hong Kong.

Third, on green finance, Beihai will encourage its enterprises to issue green bonds in \
Hong Kong.

Fourth, on coastal tourism, the two sides will jointly promote cruise routes to Weizhou \
Island.

Copyright Beihai Municipal People's Government
"""


def test_week_story_paragraph_leads_are_the_areas_not_the_ledes_topics(extract) -> None:
    ex = extract(WEEK, "2025-09-18")
    # The lede's "cooperation in shipping, seafood, finance and tourism" names topics:
    # the paragraphs lead four areas of their own, as many as the text states.
    assert [a.label for a in ex.areas] == [
        "port and shipping services",
        "marine fisheries and seafood trade",
        "green finance",
        "coastal tourism",
    ]
    assert [c.area for c in ex.commitments] == [a.label for a in ex.areas]
    # No conference is named: the week the story reports is its meeting, held where and
    # on the day it "opened" (the year from the date line).
    assert ex.event is not None
    assert ex.event.label == "Beihai-Hong Kong Economic and Trade Cooperation Week"
    assert (ex.event.date, ex.event.place) == ("2025-09-16", "Hong Kong")


RADIO = """\
NEWS | Local

HK, Zhaotong agree to work on tourism and trade

Secretary for Constitutional and Mainland Affairs Erick Tsang and Zhaotong mayor Yang Lin \
co-chaired the second Hong Kong-Zhaotong co-operation conference in Zhaotong on Friday.

Tsang said Hong Kong would help Zhaotong's apple growers sell to overseas buyers.

HONG KONG-ZHAOTONG CO-OPERATION CONFERENCE

Most popular
"""


def test_radio_story_names_the_conference_in_lower_case(extract) -> None:
    ex = extract(RADIO, "2025-03-15")
    assert ex.event is not None
    # The sentence's name, not the banner in capitals; Friday before the page's date.
    assert ex.event.label == "second Hong Kong-Zhaotong co-operation conference"
    assert (ex.event.date, ex.event.place, ex.event.ordinal) == ("2025-03-14", "Zhaotong", 2)


SUBJECT = """\
Press Releases

SEE co-chairs Hong Kong-Lishui Meeting on Forestry and Climate Co-operation
***************************************************************************

     The Secretary for Environment and Ecology, Mr Tse Chin-wan, and the Mayor of Lishui, \
Ms Wu Hong, co-chaired the first Hong Kong-Lishui Meeting on Forestry and Climate \
Co-operation in Lishui, Zhejiang Province, today (April 8).

     Members of the delegation included the Director of the Hong Kong Observatory, Dr Ho \
Man-kit; and the Director of Agriculture, Fisheries and Conservation, Mr Leung Siu-fai.

     The two sides agreed to invite Lishui's green enterprises to exhibit at Eco Expo Asia.

Ends/Wednesday, April 8, 2026
"""


def test_meeting_named_for_its_subject_and_a_place_before_its_province(extract) -> None:
    ex = extract(SUBJECT, "2026-04-08")
    assert ex.event is not None
    assert ex.event.label == "first Hong Kong-Lishui Meeting on Forestry and Climate Co-operation"
    assert (ex.event.date, ex.event.place) == ("2026-04-08", "Lishui")
    # "Observatory" is a body's head: the post keeps its body, the name its person.
    posts = {p.name: [h.post for h in p.posts] for p in ex.people}
    assert posts["Ho Man-kit"] == ["Director of the Hong Kong Observatory"]
    assert "Kong Observatory" not in posts
    named = {o.label for o in ex.organizations}
    # The region after an event's head is part of its name.
    assert {"Hong Kong Observatory", "Eco Expo Asia"} <= named
    assert "Eco Expo" not in named


CEREMONY = """\
Yibin holds investment promotion event in Hong Kong

On 3 November, Yibin held an investment promotion conference in Hong Kong.

At the ceremony, the following three cooperation documents were signed:

1. Memorandum of Understanding on Tea Trade between Yibin Municipal Bureau of Commerce and \
the Hong Kong Tea Traders Association

2. Cooperation Agreement on Battery Recycling between Yibin Sanjiang New Area and Kerry \
Logistics Network Limited

3. Memorandum of Understanding on Vocational Training between Yibin Vocational and \
Technical College and the Vocational Training Council

The second memorandum was signed by Luo Jun, president of Yibin Vocational and Technical \
College, and Amy Lau, executive director of the Vocational Training Council, witnessed by \
Yibin mayor Zhang Ke.
"""


def test_a_listed_document_signed_by_its_rank_among_its_kind(extract) -> None:
    ex = extract(CEREMONY, "2024-11-04")
    docs = signed(ex)
    assert len(docs) == 3
    # "The second memorandum" is the third document listed, the second memorandum; the
    # mayor only witnessed it.
    training = "Memorandum of Understanding on Vocational Training"
    (title,) = [t for t in docs if t.startswith(training)]
    assert docs[title] == ["Luo Jun", "Amy Lau"]
    assert [t for t, who in docs.items() if who] == [title]


CITY = """\
Pingxiang and Hong Kong hold second co-operation conference

2024-06-21    Source: Pingxiang Municipal Bureau of Commerce

The Second Hong Kong/Pingxiang Co-operation Conference was held in Hong Kong on June 20.

Trade and Industry Department of the HKSAR Government and Pingxiang Municipal Bureau of \
Commerce will hold a joint seminar for small enterprises.

Pingxiang University of Arts and Sciences and Lingnan University will carry out joint \
research on rural tourism.

Hong Kong Dragon Boat Union will invite Pingxiang teams to the races in Tuen Mun.

After the conference, Mr Ho and Mr Xie signed a memorandum of understanding on small \
enterprise services on behalf of the Trade and Industry Department and Pingxiang Municipal \
Bureau of Commerce.
"""


def test_city_release_bodies_named_with_their_owner_and_a_signing_on_behalf(extract) -> None:
    ex = extract(CITY, "2024-06-21")
    named = {o.label: o for o in ex.organizations}
    # A body the registry knows, written with its government after "of": the same body.
    department = named["Trade and Industry Department"]
    assert department.known and "Trade and Industry Department of the HKSAR Government" in (
        department.aliases
    )
    assert not [n for n in named if n.endswith("of the HKSAR Government")]
    # "Arts and Sciences" is one name's pair of subjects; the "and" after it joins two names.
    assert {"Pingxiang University of Arts and Sciences", "Lingnan University"} <= set(named)
    assert "Hong Kong Dragon Boat Union" in named
    # The description ends where "on behalf of" says for whom it was signed.
    (doc,) = ex.documents
    assert doc.title.lower() == "memorandum of understanding on small enterprise services"
    assert doc.parties == [
        "Trade and Industry Department",
        "Pingxiang Municipal Bureau of Commerce",
    ]


LIST = """\
HK, Anqing agree on trade and tea

The first Hong Kong/Anqing Co-operation Conference was held in Anqing on Tuesday.

Four documents were signed at the conference, including an agreement on tea trade between \
the Hong Kong Tea Association and the Anqing Municipal Bureau of Commerce, signed by \
association chairman Tony Ma and bureau director Cheng Li, and a memorandum of understanding \
on vocational training between the Vocational Training Council and Anqing Vocational College.
"""


def test_a_participle_after_a_listed_description_names_its_signers(extract) -> None:
    ex = extract(LIST, "2025-05-14")
    docs = {d.title.lower(): d for d in ex.documents}
    assert set(docs) == {
        "agreement on tea trade",
        "memorandum of understanding on vocational training",
    }
    assert docs["agreement on tea trade"].signatories == ["Tony Ma", "Cheng Li"]
    assert docs["memorandum of understanding on vocational training"].signatories == []


ITEMS = """\
Suining-Hong Kong cooperation conference held in Suining

Release time: 2025-11-07 09:30    Source: Suining Daily

On Thursday, the first Suining-Hong Kong Economic and Trade Cooperation Conference was held \
in Suining.

At the conference, the two sides reached consensus on cooperation in the following three \
fields:

(1) Lithium batteries: Suining will welcome Hong Kong investors in battery recycling projects.

Hong Kong Productivity Council will help Suining enterprises obtain green certification.

(2) Agriculture and food: Suining will build a supply base of vegetables for Hong Kong.

(3) Culture and tourism: The two sides will jointly promote Guanyin culture tours.

The Agriculture, Fisheries and Conservation Department will share its experience in \
organic farming.

Editor: Wang Fang
"""


def test_numbered_items_with_labels_and_unmarked_follow_ons(extract) -> None:
    ex = extract(ITEMS, "2025-11-07")
    labels = ["Lithium batteries", "Agriculture and food", "Culture and tourism"]
    assert [a.label for a in ex.areas] == labels
    # An unmarked paragraph after an item goes on with its area.
    assert [c.area for c in ex.commitments] == [labels[0], labels[0], labels[1], *labels[2:] * 2]
    # "On Thursday" at a sentence's start: the Thursday before the date line.
    assert ex.event is not None and ex.event.date == "2025-11-06"
    afcd = [o for o in ex.organizations if o.label.startswith("Agriculture")]
    assert [(o.label, o.known) for o in afcd] == [
        ("Agriculture, Fisheries and Conservation Department", True)
    ]


MASTHEAD = """\
Guangxi Zhuang Autonomous Region People's Government
Home | News | Investment

Qinzhou and Hong Kong hold first trade conference

On May 8, the first Hong Kong-Qinzhou Economic and Trade Cooperation Conference was held in \
Hong Kong. Qinzhou Port Group and the Hong Kong Shippers' Council will open a joint \
service desk.
"""


def test_a_partner_from_a_mechanism_named_with_economic_and_trade(extract) -> None:
    ex = extract(MASTHEAD, "2026-05-09")
    # "Economic and Trade" between the sides and the head: the mechanism's name gives the
    # partner the registry lacks, not the province of the site's masthead; with no level
    # shown (no "Municipal", no mayor), its government gets the generic name.
    assert ex.jurisdictions == ["Hong Kong", "Qinzhou"]
    assert [j.name for j in ex.new_jurisdictions] == ["Qinzhou"]
    implied = [o for o in ex.organizations if not o.named]
    assert [(o.label, o.jurisdiction) for o in implied] == [
        ("People's Government of Qinzhou", "Qinzhou")
    ]


HECHI = """\
HK and Hechi agree on three fields of co-operation

The Secretary for Constitutional and Mainland Affairs, Mr Erick Tsang, and the Mayor of \
Hechi, Ms Lu Hong, co-chaired the first Hong Kong-Hechi Co-operation Meeting in Hong Kong \
today (March 3). The two sides agreed to step up collaboration in three fields - digital \
economy, financial services and cultural exchanges.

On the digital economy, Cyberport will work with the Hechi Municipal Big Data Development \
Bureau to bring Hechi start-ups to Hong Kong.

On financial services, the Financial Services Development Council will hold a seminar in \
Hechi on listing in Hong Kong.

On cultural exchanges, the Hong Kong Arts Development Council will invite Hechi troupes to \
perform in Hong Kong next year.
"""


def test_fields_a_sentence_counts_and_a_lead_with_an_article(extract) -> None:
    """Written after the code. The sentence counts the fields before listing them ("in three
    fields - A, B and C"), and the first paragraph leads with an article ("On the digital
    economy, ..."), which alone reads as a turn of phrase ("On the same day, ...")."""
    ex = extract(HECHI, "2026-03-03")
    labels = ["digital economy", "financial services", "cultural exchanges"]
    assert [a.label for a in ex.areas] == labels
    assert [c.area for c in ex.commitments] == labels
    assert ex.commitments[0].span.text.startswith("On the digital economy, Cyberport will")


QINZHOU = """\
Hong Kong and Qinzhou ink two agreements

The Hong Kong Special Administrative Region Government and the Qinzhou Municipal People's \
Government held the first Hong Kong-Qinzhou Co-operation Meeting in Qinzhou today (April 8).

The two sides will strengthen co-operation in port logistics and innovation.

At the meeting, a Co-operation Agreement on Port Logistics was signed by the Hong Kong \
Trade Development Council and the Qinzhou Municipal Port Authority, and the Memorandum of \
Understanding on Technology Incubation was signed by the Hong Kong Science and Technology \
Parks Corporation and the Qinzhou Municipal Science and Technology Bureau in the presence \
of the two leaders.

Officials also witnessed the signing of several letters of intent, including a Letter of \
Intent on Youth Internships signed by Invest Hong Kong and the Qinzhou Municipal Education \
Bureau.
"""


def test_documents_signed_by_bodies_after_their_titles(extract) -> None:
    """Written after the code. Bodies, not people, sign each document, named after it: "X
    was signed by A and B, and the Y was signed by C and D in the presence of ..." and a
    participle with no comma ("including a Letter of Intent on Z signed by E and F"). (The
    text first named a "Qinzhou Municipal Youth League", which is read as no body: "League"
    as a head cut "the Communist Youth League Anhui Provincial Committee" short.)"""
    ex = extract(QINZHOU, "2026-04-08")
    parties = {d.title: d.parties for d in ex.documents}
    assert parties == {
        "Co-operation Agreement on Port Logistics": [
            "Hong Kong Trade Development Council",
            "Qinzhou Municipal Port Authority",
        ],
        "Memorandum of Understanding on Technology Incubation": [
            "Hong Kong Science and Technology Parks Corporation",
            "Qinzhou Municipal Science and Technology Bureau",
        ],
        "Letter of Intent on Youth Internships": [
            "Invest Hong Kong",
            "Qinzhou Municipal Education Bureau",
        ],
    }
    assert all(d.signatories == [] for d in ex.documents)


def test_a_passive_signing_after_a_title_with_its_article(extract) -> None:
    """Written after the code: a sentence that opens with the article of the title it signs
    ("A Framework Agreement on ... was signed by ...") names the title without it."""
    text = QINZHOU.replace(
        "At the meeting, a Co-operation Agreement on Port Logistics was signed",
        "At the meeting, the leaders looked on. A Co-operation Agreement on Port Logistics "
        "was signed",
    )
    ex = extract(text, "2026-04-08")
    assert "Co-operation Agreement on Port Logistics" in signed(ex)
    assert not any(title.startswith("A ") for title in signed(ex))


def test_a_portal_story_dated_by_its_day_and_the_year_of_its_update_line(extract) -> None:
    text = (
        "Fujian and Hong Kong hold co-operation meeting\n\n"
        "Source: Fujian Provincial People's Government   Updated: 2025-11-14\n\n"
        "On November 12, the Fourth Meeting of the Fujian-Hong Kong Co-operation Conference "
        "was held in Fuzhou.\n\n"
        "In terms of shipping, the two sides will open a new container route.\n\n"
        "In terms of tourism, the two sides will promote joint itineraries.\n"
    )
    ex = extract(text)
    assert ex.event is not None
    assert (ex.event.date, ex.event.place) == ("2025-11-12", "Fuzhou")
