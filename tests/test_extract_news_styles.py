"""House styles met in the spent held-out sets, each tested on a small release written for
the test after the code (not a copy of a held-out text): a newspaper's story with crossheads
and a byline, dates relative to the page ("on Tuesday", "yesterday"), areas ordered "First,
in ...", a lead-in that tells of a signing before the commitments it leads, documents named
by their numbers and signed "respectively", an untitled set signed in a second clause, long
title-case gerund headings, capitalised titles after "a" with a series inside them, posts
holding a comma before names without honorifics, and "Mayor of X Name in Y"; then short
releases: one area led in prose ("On port logistics, ..."), and one commitment alone; and a
joint statement's numbered run-in headings ("2. Finance. The ... will ...") after a review
of an earlier signing ("since the signing of the Agreement in 2024")."""

from __future__ import annotations

import functools

import pytest
from styles_support import extracted, filed, signed


@pytest.fixture
def extract(registry):
    return functools.partial(extracted, registry)


NEWSPAPER = """\
WORLD | CHINA

Nanning eyes Hong Kong know-how for its ports

Guangxi leaders meet a delegation led by Chief Secretary Lo Kin-wah

Priscilla Ho in Nanning
Published: 7:02am, 15 March 2025

Hong Kong and Guangxi yesterday agreed to work more closely on ports and finance at the \
second plenary session of the Hong Kong/Guangxi Co-operation Conference in Nanning.

Lo said the region was "a gateway to Asean, and Hong Kong is the gateway to the world".

Port deals

The Hong Kong Shipowners Association will open a liaison office in Beihai this summer.

Guangxi will send 30 port managers to train in Hong Kong each year, the officials said.

Money matters

The Hong Kong Monetary Authority will host a seminar on cross-border wealth management in \
Nanning in June.

Lo will fly back to Hong Kong today.

Additional reporting by Tony Chan
"""


def test_a_newspaper_story_has_crossheads_not_areas(extract):
    ex = extract(NEWSPAPER, date="2025-03-15")
    assert ex.areas == []
    # A measure the officials told ("..., the officials said.") is one; a quote is not.
    assert filed(ex) == [
        (None, "The Hong Kong"),
        (None, "Guangxi will send"),
        (None, "The Hong Kong"),
    ]
    assert "Shipowners" in ex.commitments[0].span.text
    assert "Monetary Authority" in ex.commitments[2].span.text
    assert ex.event is not None and ex.event.date == "2025-03-14"  # "yesterday"


PORTAL = """\
Home > News > Provincial Updates

Shaanxi and Hong Kong agree on cooperation in four fields

Updated: 2024-09-12 | Source: Shaanxi Daily

The second plenary session of the Shaanxi-Hong Kong Cooperation Conference was held in \
Xi'an on Wednesday. The two sides agreed to deepen cooperation in four fields.

According to the consensus reached at the session, the two sides will work on the \
following four fields:

First, in trade and logistics, the two sides will support the Xi'an International Port \
and Hong Kong logistics firms in opening a rail-sea route.

Second, in finance, Shaanxi will support eligible enterprises to list in Hong Kong.

The Hong Kong Institute of Bankers will run a training course for Shaanxi bankers.

Third, in science, technology and education, Northwestern Polytechnical University and \
City University of Hong Kong will set up a joint laboratory on aero-engines.

Fourth, in youth exchanges, Shaanxi will receive 300 Hong Kong students every summer.
"""


def test_areas_ordered_first_in_and_a_weekday_of_the_page(extract):
    ex = extract(PORTAL, date="2024-09-12")  # a Thursday
    assert [a.label for a in ex.areas] == [
        "trade and logistics",
        "finance",
        "science, technology and education",
        "youth exchanges",
    ]
    assert [area for area, _ in filed(ex)] == [
        "trade and logistics",
        "finance",
        "finance",
        "science, technology and education",
        "youth exchanges",
    ]
    assert ex.event is not None and ex.event.date == "2024-09-11"  # "on Wednesday"


BUREAU = """\
Hong Kong and Ningbo sign four co-operation documents

     The Secretary for Transport and Logistics, Mr Lam Sai-hung, and the Vice Mayor of \
Ningbo Ms Chen Yuxin co-chaired the First Meeting of the Hong Kong/Ningbo Co-operation \
Conference in Hong Kong today (June 4).

     Under the documents signed and the consensus reached at the meeting, the two sides will:

(a) promote port co-operation between the Marine Department and the Ningbo Port Authority;

(b) encourage Ningbo enterprises to use Hong Kong's maritime services; and

(c) support the Hong Kong Tourism Board in promoting cruise tourism with Ningbo.

     The documents signed at the meeting are:

(1) "Memorandum of Understanding on Port Co-operation";
(2) "Co-operation Arrangement on Maritime Training";
(3) "Memorandum of Understanding on Cruise Tourism"; and
(4) "Co-operation Agreement on Legal Services".

     Document (1) was signed by Mr Lam and Ms Chen. Documents (2) to (4) were signed \
respectively by the Director of Marine, Mr Wong Chi-kin, and the Director of the Ningbo \
Port Authority, Mr Xu Bin; the Executive Director of the Hong Kong Tourism Board, Ms Dane \
Cheng, and the Director of the Ningbo Municipal Bureau of Culture and Tourism, Ms Ye Qin; \
and the Deputy Secretary for Justice, Mr Cheung Kwok-kwan, and the Director of the Ningbo \
Municipal Bureau of Justice, Mr Hu Jun.
"""


def test_a_lead_in_after_signing_and_documents_signed_respectively(extract):
    ex = extract(BUREAU)
    assert filed(ex) == [
        (None, "promote port co-operation"),
        (None, "encourage Ningbo enterprises"),
        (None, "support the Hong"),
    ]
    assert signed(ex) == {
        "Memorandum of Understanding on Port Co-operation": ["Lam Sai-hung", "Chen Yuxin"],
        "Co-operation Arrangement on Maritime Training": ["Wong Chi-kin", "Xu Bin"],
        "Memorandum of Understanding on Cruise Tourism": ["Dane Cheng", "Ye Qin"],
        "Co-operation Agreement on Legal Services": ["Cheung Kwok-kwan", "Hu Jun"],
    }


def test_respectively_with_too_few_shares_assigns_nobody(extract):
    text = BUREAU.replace(
        "; and the Deputy Secretary for Justice, Mr Cheung Kwok-kwan, and the Director of the "
        "Ningbo Municipal Bureau of Justice, Mr Hu Jun.",
        ".",
    )
    assert text != BUREAU
    ex = extract(text)
    # Three documents, two shares: which is whose is not said, so none is guessed.
    docs = signed(ex)
    assert docs["Memorandum of Understanding on Port Co-operation"] == [
        "Lam Sai-hung",
        "Chen Yuxin",
    ]
    assert PAIRS & {tuple(v) for v in docs.values()} == set()


PAIRS = {("Wong Chi-kin", "Xu Bin"), ("Dane Cheng", "Ye Qin")}


SECOND_CLAUSE = """\
Hong Kong and Jilin hold first plenary

     The Chief Secretary for Administration, Mr Chan Kwok-ki, and the Governor of Jilin \
Province, Mr Hu Yuting, co-chaired the First Plenary Session of the Hong Kong/Jilin \
Co-operation Conference in Changchun today (August 8).

     After the session, Mr Chan and Mr Hu signed a framework agreement on Hong Kong/Jilin \
co-operation, while officials of the two sides inked three memorandums covering ice and \
snow tourism, ginseng trade and youth internships.
"""


def test_an_untitled_set_signed_in_a_second_clause(extract):
    ex = extract(SECOND_CLAUSE)
    assert signed(ex) == {
        "Framework agreement on Hong Kong/Jilin co-operation": ["Chan Kwok-ki", "Hu Yuting"],
        "Memorandum on ice and snow tourism": [],
        "Memorandum on ginseng trade": [],
        "Memorandum on youth internships": [],
    }


GERUNDS = """\
Fourth Plenary Meeting of Macao/Yunnan Co-operation Conference held in Kunming

     The Chief Executive, Mr Lao Chi Keong, and the Governor of Yunnan Province, Mr Wang \
Yubo, co-chaired the Fourth Plenary Meeting of the Macao/Yunnan Co-operation Conference in \
Kunming today (3 December). The progress made and the directions for future co-operation \
are set out below:

Expanding Two-way Investment and Supporting Yunnan Enterprises in Using Macao as a Bridge to \
the Markets of Portuguese-speaking Countries and Southeast Asia
• The two sides will co-organise an investment fair for Portuguese-speaking enterprises.

Strengthening Co-operation in Flowers, Tea and Coffee and Jointly Opening Up New Sales \
Channels for Yunnan Products in Macao and Abroad
• Yunnan will open a showroom of its tea and coffee in Macao in 2025.
"""


def test_long_title_case_gerund_headings(extract):
    ex = extract(GERUNDS)
    labels = [a.label for a in ex.areas]
    assert [(len(label.split()), label.split()[-1]) for label in labels] == [
        (22, "Asia"),
        (21, "Abroad"),
    ]
    assert [area.split()[0] for area, _ in filed(ex)] == ["Expanding", "Strengthening"]


SERIES_TITLE = """\
Hong Kong and Qinghai sign memorandum on trade

     The Secretary for Commerce and Economic Development, Mr Algernon Yau, and the Director \
of the Qinghai Provincial Department of Commerce, Mr Ma Lin, today (April 2) signed a \
Memorandum of Understanding on Co-operation in the Promotion of Trade, Investment and \
Logistics between the Commerce and Economic Development Bureau and the Qinghai Provincial \
Department of Commerce.
"""


def test_a_capitalised_title_after_a_with_a_series_inside(extract):
    ex = extract(SERIES_TITLE)
    title = (
        "Memorandum of Understanding on Co-operation in the Promotion of Trade, Investment "
        "and Logistics between the Commerce and Economic Development Bureau and the Qinghai "
        "Provincial Department of Commerce"
    )
    assert signed(ex) == {title: ["Algernon Yau", "Ma Lin"]}


def test_a_series_after_a_title_is_not_part_of_it(extract):
    text = SERIES_TITLE.replace(
        "Department of Commerce.\n",
        "Department of Commerce, Mr Yau and Mr Ma said.\n",
    )
    ex = extract(text)
    assert all("Mr Yau" not in t for t in signed(ex))


POSTS = """\
HK, Ningxia to deepen ties

Hong Kong's Secretary for Culture, Sports and Tourism Kevin Yeung, Secretary for \
Innovation, Technology and Industry Sun Dong and Under Secretary for Commerce and Economic \
Development Bernard Chan attended the meeting in Yinchuan today (May 20), as did Mayor of \
Yinchuan Zhao Xuefeng in Yinchuan's convention centre.
"""


def test_posts_holding_a_comma_and_a_mayor_of_a_place_before_names(extract):
    ex = extract(POSTS)
    posts = {p.name: [h.post for h in p.posts] for p in ex.people}
    assert posts == {
        "Kevin Yeung": ["Secretary for Culture, Sports and Tourism"],
        "Sun Dong": ["Secretary for Innovation, Technology and Industry"],
        "Bernard Chan": ["Under Secretary for Commerce and Economic Development"],
        "Zhao Xuefeng": ["Mayor of Yinchuan"],
    }


WORKING_MEETING = """\
Hong Kong/Ningxia Co-operation Working Meeting held

     The Under Secretary for Constitutional and Mainland Affairs, Mr Clement Woo, and the \
Vice-Chairman of the Ningxia Hui Autonomous Region, Mr Ma Hanchen, co-chaired the Hong \
Kong/Ningxia Co-operation Working Meeting by video conference today (March 3).

     The two sides will promote wine trade through the Hong Kong Wine and Dine Festival.

     The two sides will support Ningxia University in working with Lingnan University on \
desert ecology.

     At the meeting, the Constitutional and Mainland Affairs Bureau and the Ningxia Hui \
Autonomous Region Department of Commerce signed a memorandum of understanding on youth \
internships, while Ningxia University and Lingnan University signed the "Agreement on \
Academic Exchanges".
"""


def test_a_working_meeting_and_documents_signed_by_bodies(extract):
    ex = extract(WORKING_MEETING, date="2026-03-04")
    assert ex.event is not None
    assert ex.event.label == "Hong Kong/Ningxia Co-operation Working Meeting"
    assert ex.event.date == "2026-03-03"
    parties = {d.title: d.parties for d in ex.documents}
    assert parties == {
        "Memorandum of understanding on youth internships": [
            "Constitutional and Mainland Affairs Bureau",
            "Ningxia Hui Autonomous Region Department of Commerce",
        ],
        "Agreement on Academic Exchanges": ["Ningxia University", "Lingnan University"],
    }


# --- layouts the third held-out set found (scored once, then tuned on) -----------------------
CITY_STORY = """\
Weihai Municipal People's Government
Home > News > City News

Weihai, Hong Kong agree to cooperate in three fields

Updated: 2025-05-10 18:00    Source: Weihai Daily

Weihai and Hong Kong held the first meeting of the Weihai-Hong Kong Cooperation Conference in \
Weihai on Friday, agreeing to cooperate in three fields.

Under the consensus reached at the meeting, the two sides will focus on the following three \
fields:

(1) Developing marine fisheries cooperation. The Agriculture, Fisheries and Conservation \
Department will share its experience in fish farming with Weihai.

Weihai will also invite Hong Kong seafood traders to its annual fisheries expo.

(2) Expanding tourism exchanges. The two places will jointly promote cruise routes.

(3) Supporting youth exchanges. Weihai will offer 100 internship places for Hong Kong students.
"""


def test_numbered_items_led_by_a_label_and_a_full_stop(extract):
    ex = extract(CITY_STORY, date="2025-05-10")
    assert [a.label for a in ex.areas] == [
        "Developing marine fisheries cooperation",
        "Expanding tourism exchanges",
        "Supporting youth exchanges",
    ]
    assert filed(ex) == [
        ("Developing marine fisheries cooperation", "The Agriculture, Fisheries"),
        ("Developing marine fisheries cooperation", "Weihai will also"),
        ("Expanding tourism exchanges", "The two places"),
        ("Supporting youth exchanges", "Weihai will offer"),
    ]
    assert ex.event is not None and ex.event.date == "2025-05-09"  # "on Friday"


REVIEW = """\
Transport and Logistics Bureau
The Government of the Hong Kong Special Administrative Region

Hong Kong and Yantai review co-operation

Date: 3.7.2025

Two memorandums of understanding on co-operation in port services and logistics training \
were signed in Hong Kong today (July 3) after the Second Meeting of the Hong Kong/Yantai \
Co-operation Conference.

The achievements and the work plan in the two areas of co-operation are set out below:

Ports

Achievements:
– Yantai Port Group opened a liaison office in Hong Kong in 2024.
Work for the coming year:
– The Marine Department will train Yantai port state control officers.

Logistics

Achievements:
– Two Yantai logistics firms set up regional offices in Hong Kong.
Work for the coming year:
– The Vocational Training Council will run a logistics course in Yantai.

The Director of Marine, Mr Chow Kin-man, and the Chairman of Yantai Port Group, Mr Li Feng, \
signed the Memorandum of Understanding on Port Services Co-operation.

The Executive Director of the Vocational Training Council, Mr Lo Chun-wai, and the Director \
of the Yantai Municipal Bureau of Transport, Mr Sun Tao, signed the Memorandum of \
Understanding on Logistics Training Co-operation.
"""


def test_masthead_recurring_sublabels_and_documents_described_then_titled(extract):
    ex = extract(REVIEW)
    assert [a.label for a in ex.areas] == ["Ports", "Logistics"]
    assert [area for area, _ in filed(ex)] == ["Ports", "Ports", "Logistics", "Logistics"]
    assert signed(ex) == {
        "Memorandum of Understanding on Port Services Co-operation": ["Chow Kin-man", "Li Feng"],
        "Memorandum of Understanding on Logistics Training Co-operation": [
            "Lo Chun-wai",
            "Sun Tao",
        ],
    }


def test_a_described_set_that_no_title_follows_stays(extract):
    text = REVIEW[: REVIEW.index("The Director of Marine")]
    ex = extract(text)
    assert sorted(signed(ex)) == [
        "Memorandum of Understanding on co-operation in logistics training",
        "Memorandum of Understanding on co-operation in port services",
    ]


REPORTED_LEADS = """\
HK and Wuxi join hands

By Kit Chan in Wuxi

Hong Kong and Wuxi agreed today (June 5) to co-operate in two areas at the first meeting of \
the Hong Kong/Wuxi Co-operation Conference, held in Wuxi.

On trade, the two sides agreed that the Hong Kong Trade Development Council would co-host a \
Wuxi products week in Hong Kong.

When it comes to education, Jiangnan University will set up a joint centre with Lingnan \
University.
"""


def test_areas_led_when_it_comes_to_and_agreed_that_would(extract):
    ex = extract(REPORTED_LEADS)
    assert [a.label for a in ex.areas] == ["trade", "education"]
    assert filed(ex) == [("trade", "On trade, the"), ("education", "When it comes")]


def test_a_post_whose_portfolio_ends_in_a_topic_before_a_name(extract):
    text = (
        "HK and Dalian meet\n\nVice Mayor Geng Tao and Invest Hong Kong Director-General of "
        "Investment Promotion Diana Mak witnessed the signing in Dalian today (May 5), while "
        "Director of Marine Chow Kin-man met port officials.\n"
    )
    posts = {p.name: [h.post for h in p.posts] for p in extract(text).people}
    assert posts == {
        "Geng Tao": ["Vice Mayor"],
        "Diana Mak": ["Invest Hong Kong Director-General of Investment Promotion"],
        "Chow Kin-man": ["Director of Marine"],
    }


ONE_AREA = """\
HK and Chongqing deepen co-operation on port logistics

The Secretary for Transport and Logistics met the Vice Mayor of Chongqing in Hong Kong \
today (September 14) to discuss co-operation in port logistics.

On port logistics, the two sides agreed that the Transport and Logistics Bureau and the \
Chongqing Municipal Port and Logistics Office will set up a working group on rail-sea \
transport.

Both sides will also encourage logistics enterprises to make better use of the New \
International Land-Sea Trade Corridor.

Ends/Thursday, September 14, 2023
"""


def test_one_area_led_in_prose_heads_the_commitments_after_it(extract):
    ex = extract(ONE_AREA)
    assert [(a.label, a.span.text) for a in ex.areas] == [("port logistics", "port logistics")]
    assert filed(ex) == [
        ("port logistics", "On port logistics,"),
        ("port logistics", "Both sides will"),
    ]


def test_a_lead_further_down_names_no_area_for_what_comes_before(extract):
    text = ONE_AREA.replace("On port logistics, the two sides", "The two sides").replace(
        "Both sides will also", "On tourism, both sides will also"
    )
    ex = extract(text)
    assert ex.areas == []
    assert filed(ex) == [(None, "The two sides"), (None, "On tourism, both")]


ONE_COMMITMENT = """\
Hong Kong and Sichuan to co-operate on elderly care

The Secretary for Labour and Welfare led a delegation to Chengdu on Monday (June 3).

During the visit, the Labour and Welfare Bureau and the Sichuan Provincial Department of \
Civil Affairs agreed to set up a platform for the exchange of elderly care professionals.

The Secretary will return to Hong Kong tomorrow.

Ends/Tuesday, June 4, 2024
"""


def test_a_release_of_one_commitment(extract):
    ex = extract(ONE_COMMITMENT)
    assert filed(ex) == [(None, "During the visit,")]
    assert {b for c in ex.commitments for b in c.bodies} == {
        "Labour and Welfare Bureau",
        "Sichuan Provincial Department of Civil Affairs",
    }


def test_a_lone_plan_of_any_verb_is_no_commitment(extract):
    text = ONE_COMMITMENT.replace("agreed to set up a platform for", "will tour a platform for")
    assert extract(text).commitments == []


RUN_IN = """\
Joint Statement of the Second Meeting of the Macao-Fujian Co-operation Mechanism

Fuzhou, 9 October 2025

1. The two sides reviewed the work done since the signing of the Co-operation Agreement in \
2024 and agreed to co-operate in the following three areas.

2. Finance. The Monetary Authority of Macao and the Fujian Provincial Local Financial \
Supervision and Administration Bureau will hold a joint seminar on green bonds each year.

3. Culture. The Cultural Affairs Bureau of Macao and the Fujian Provincial Department of \
Culture and Tourism will co-organise a festival of Minnan opera.

4. Sport. The two sides will host a youth football tournament in Xiamen.

5. After the meeting, the two sides signed the Memorandum on Sports Exchanges.
"""


def test_numbered_run_in_headings_after_a_review_of_an_earlier_signing(extract):
    ex = extract(RUN_IN)
    assert ex.stated_area_count == 3
    assert [(a.label, a.heading_in_text) for a in ex.areas] == [
        ("Finance", True),
        ("Culture", True),
        ("Sport", True),
    ]
    assert filed(ex) == [
        ("Finance", "The Monetary Authority"),
        ("Culture", "The Cultural Affairs"),
        ("Sport", "The two sides"),
    ]
    assert list(signed(ex)) == ["Memorandum on Sports Exchanges"]


def test_what_the_sides_will_do_under_what_they_signed(extract):
    # Written after the rule (stop 31): the lede's commitment, the signing, and then what
    # the memorandum binds the two sides to; the background after it is no commitment.
    text = (
        "Hong Kong and Yunnan deepen ties in tea trade\n\n"
        "The Secretary for Commerce and Economic Development, Mr Algernon Yau, met the Vice "
        "Governor of Yunnan, Mr Wang Xiangang, in Kunming today (April 8). Both sides agreed "
        "to set up a tea trade working group.\n\n"
        "Mr Yau also witnessed the signing of a Memorandum of Understanding between the Hong "
        "Kong Trade Development Council and the Yunnan Provincial Department of Commerce.\n\n"
        "Under the memorandum, the two sides will co-organise a tea expo in Hong Kong every "
        "year and share information on tea standards.\n\n"
        "Yunnan is one of the largest tea-growing provinces of the Mainland.\n"
    )
    ex = extract(text, date="2027-04-08")
    assert [" ".join(c.span.text.split()[:3]) for c in ex.commitments] == [
        "Both sides agreed",
        "Under the memorandum,",
    ]
