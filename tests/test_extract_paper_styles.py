"""House styles met in the spent fourth held-out set, each tested on a small release written
for the test after the code (not a copy of a held-out text): a council paper's lettered items
with dash lead-ins and sub-items, a wire copy's areas led by a bare "In <field>," and its
documents listed after "including" with ";", a table of signed documents, an annex listing
documents with their signatories in brackets, items numbered inline after "agreed to:", an
earlier signing told before the signing word, "Part One:" headings, a page that dates the
meeting "On June 17,", posts after names in lower case, and names of zones, troupes and labs;
then, from the notes of the last round: two posts after one name, a unit named after its
body and a comma, and people signing on behalf of the bodies that sign.
"""

from __future__ import annotations

import functools

import pytest
from styles_support import extracted, filed, signed

from kg.model import Extraction


@pytest.fixture
def extract(registry):
    return functools.partial(extracted, registry)


def bodies(ex: Extraction) -> set[str]:
    return {o.label for o in ex.organizations}


PANEL_PAPER = """\
LC Paper No. CB(2)101/25-26(01)

Legislative Council Panel on Commerce and Industry

Third Meeting of the Hong Kong/Lanzhou Co-operation Conference

Purpose

\tThis paper reports the outcome of the Third Meeting of the Hong Kong/Lanzhou \
Co-operation Conference held in Lanzhou on 4 March 2026.

Outcome

2.\tThe two sides agreed to take co-operation forward in the following three areas –

\t(a)\tTrade: the Hong Kong Trade Development Council will open a desk in the Lanzhou New \
Area to serve traders of the two places;

\t(b)\tHealth, elderly care and sports: the two sides agreed to –

\t\t(i)\tsupport the Hospital Authority in receiving nurses from Lanzhou for training; and

\t\t(ii)\tencourage Hong Kong operators to run care homes in Lanzhou; and

\t(c)\tEducation: the two sides agreed to –

\t\t(i)\tpromote exchanges between universities of the two places; and

\t\t(ii)\tarrange study tours to Lanzhou for Hong Kong pupils.

3.\tAfter the meeting, the two leaders witnessed the signing of two documents –

\t(a)\tthe Agreement on Co-operation in Elderly Care, signed by Mr Tang Wai-man and Ms Ma \
Lifang; and

\t(b)\tthe Memorandum of Understanding on Trade Promotion, signed between the Hong Kong \
Trade Development Council and the Lanzhou Municipal Bureau of Commerce.

Advice Sought

4.\tMembers are invited to note this paper.
"""


def test_council_paper_lettered_items_with_dash_lead_ins(extract) -> None:
    ex = extract(PANEL_PAPER, "2026-03-20")
    assert [a.label for a in ex.areas] == ["Trade", "Health, elderly care and sports", "Education"]
    assert filed(ex) == [
        ("Trade", "the Hong Kong"),
        ("Health, elderly care and sports", "support the Hospital"),
        ("Health, elderly care and sports", "encourage Hong Kong"),
        ("Education", "promote exchanges between"),
        ("Education", "arrange study tours"),
    ]
    assert ex.event is not None
    assert (ex.event.date, ex.event.place) == ("2026-03-04", "Lanzhou")
    assert signed(ex) == {
        "Agreement on Co-operation in Elderly Care": ["Tang Wai-man", "Ma Lifang"],
        "Memorandum of Understanding on Trade Promotion": [],
    }


WIRE = """\
HONG KONG, March 3 (Xinhua) -- Hong Kong and Ganzhou on Friday agreed to deepen cooperation in \
four areas at the first meeting of the Hong Kong-Ganzhou Cooperation Conference held in Hong \
Kong.

The meeting was co-chaired by HKSAR Financial Secretary Paul Chan and Ganzhou Mayor Li Ke.

In addition, the two leaders toured the West Kowloon Cultural District.

In logistics, the two sides will support the Ganzhou International Land Port in opening \
freight trains to Hong Kong.

In the green economy, Hong Kong will invite Ganzhou firms to the Eco Expo Asia.

In youth development, the two cities will organize exchange tours for students.

In the coming year, the two sides will review progress.

Four cooperation documents were signed at the meeting, including the Framework Agreement on \
Hong Kong-Ganzhou Cooperation; a memorandum of understanding on logistics cooperation between \
the Transport and Logistics Bureau of the HKSAR government and the Ganzhou Municipal Bureau of \
Commerce; and an agreement on green finance cooperation between the Hong Kong Green Finance \
Association and the Ganzhou Financial Work Bureau.

The framework agreement was signed by Chan and Li, with officials of the two sides watching.

Enditem
"""


def test_wire_areas_led_by_in_and_documents_listed_with_semicolons(extract) -> None:
    ex = extract(WIRE, "2023-03-04")
    assert [a.label for a in ex.areas] == ["logistics", "green economy", "youth development"]
    assert [area for area, _ in filed(ex)] == ["logistics", "green economy", "youth development"]
    titles = [d.title for d in ex.documents]
    assert titles[0] == "Framework Agreement on Hong Kong-Ganzhou Cooperation"
    # A description's title says what it is on; who signs it goes to its parties.
    assert titles[1:] == [
        "Memorandum of understanding on logistics cooperation",
        "Agreement on green finance cooperation",
    ]
    assert ex.documents[2].parties == [
        "Hong Kong Green Finance Association",
        "Ganzhou Financial Work Bureau",
    ]
    assert ex.documents[0].signatories == ["Paul Chan", "Li Ke"]


TABLE = """\
Hong Kong and Aba hold first meeting of co-operation conference

The First Meeting of the Hong Kong/Aba Co-operation Conference was held in Barkam today \
(April 9). It was co-chaired by the Secretary for Justice, Mr Paul Lam, and the Governor of \
Aba Tibetan and Qiang Autonomous Prefecture, Mr Yang Ke.

The two sides agreed to co-operate in the following areas:

TOURISM

• Support the Hong Kong Tourism Board in promoting Jiuzhaigou to overseas visitors.

EDUCATION

• Support the Aba Song and Dance Troupe in performing in Hong Kong schools.

The following documents were signed:

No. | Document                                   | Signatories
----+--------------------------------------------+------------------------------------------
1   | Framework Agreement on Hong Kong/Aba Co-operation | Mr Paul Lam; Mr Yang Ke
2   | Agreement on Tourism Promotion               | Hong Kong Tourism Board; \
Aba Prefectural Bureau of Culture, Sports and Tourism

Ends/Thursday, April 9, 2026
"""


def test_a_table_of_signed_documents_gives_titles_signatories_and_parties(extract) -> None:
    ex = extract(TABLE)
    assert signed(ex) == {
        "Framework Agreement on Hong Kong/Aba Co-operation": ["Paul Lam", "Yang Ke"],
        "Agreement on Tourism Promotion": [],
    }
    assert ex.documents[1].parties == [
        "Hong Kong Tourism Board",
        "Aba Prefectural Bureau of Culture, Sports and Tourism",
    ]
    assert "Aba Song and Dance Troupe" in bodies(ex)
    # The prefecture the registry lacks gets the government the genre names it by.
    assert "People's Government of Aba Tibetan and Qiang Autonomous Prefecture" in bodies(ex)


ALIGNED = """\
The Second Meeting of the Hong Kong/Jinhua Co-operation Conference was held in Jinhua today \
(May 5). The two sides agreed to:

(1) support the Hong Kong Productivity Council in helping Jinhua factories go digital.

After the meeting, the following documents were signed:

Document                                      Signed by
Agreement on Smart Manufacturing Co-operation    Hong Kong Productivity Council and Jinhua Lab
Memorandum on Hardware Trade Fairs             Ms Lee Ka-yan and Mr Zhou Bo

Ends/Tuesday, May 5, 2026
"""


def test_a_table_aligned_with_spaces_is_read_too(extract) -> None:
    ex = extract(ALIGNED)
    assert signed(ex) == {
        "Agreement on Smart Manufacturing Co-operation": [],
        "Memorandum on Hardware Trade Fairs": ["Lee Ka-yan", "Zhou Bo"],
    }
    assert ex.documents[0].parties == ["Hong Kong Productivity Council", "Jinhua Lab"]


SPEECH_AND_ANNEX = """\
FS hails ties with Baotou at co-operation conference

The Financial Secretary, Mr Paul Chan, and the Mayor of Baotou, Mr Wu Jun, co-chaired the \
Third Meeting of the Hong Kong/Baotou Co-operation Conference in Hong Kong today (June 2).

Mr Chan said, "Last year, when we met for the Second Meeting, we signed the Agreement on Rare \
Earth Research Co-operation, and it has borne fruit."

The two sides agreed to co-operate in three areas, namely rare earths, finance and tourism.

The two sides agreed to: (i) support the Hong Kong Science and Technology Parks Corporation in \
hosting Baotou start-ups; (ii) encourage Baotou firms to list in Hong Kong; and (iii) promote \
Baotou's grasslands to Hong Kong visitors.

Mr Chan and Mr Wu witnessed the signing of two documents, listed in the Annex.

Annex

Documents signed at the Third Meeting

1. Memorandum of Understanding on Grassland Tourism (the Secretary for Culture, Sports and \
Tourism, Miss Rosanna Law, and the Vice Mayor of Baotou, Ms Gao Min)

2. Agreement on Listing Services (Hong Kong Exchanges and Clearing Limited and Baotou \
Municipal Financial Work Office)
"""


def test_items_numbered_inline_and_an_annex_with_signatories_in_brackets(extract) -> None:
    ex = extract(SPEECH_AND_ANNEX)
    assert [a.label for a in ex.areas] == ["rare earths", "finance", "tourism"]
    assert filed(ex) == [
        (None, "support the Hong"),
        (None, "encourage Baotou firms"),
        (None, "promote Baotou's grasslands"),
    ]
    assert ex.commitments[2].span.text == "promote Baotou's grasslands to Hong Kong visitors"
    # The agreement recalled from the last meeting was not signed at this one.
    assert signed(ex) == {
        "Memorandum of Understanding on Grassland Tourism": ["Rosanna Law", "Gao Min"],
        "Agreement on Listing Services": [],
    }
    assert ex.documents[1].parties == [
        "Hong Kong Exchanges and Clearing Limited",
        "Baotou Municipal Financial Work Office",
    ]
    assert "Annex" not in [a.label for a in ex.areas]


PORTAL = """\
Foreign Affairs Office of the People's Government of Qinghai Province
Home | News | Hong Kong and Macao Affairs | Contact

The 3rd Meeting of the Qinghai-Hong Kong Cooperation Conference Held in Xining

Source: Division of Hong Kong and Macao Affairs | Date: 2025/09/03

On September 2, the 3rd Meeting of the Qinghai-Hong Kong Cooperation Conference was held in \
Xining. Wu Xiaojun, governor of Qinghai province, and Tony Ho, chief secretary for \
administration of the Hong Kong Special Administrative Region (HKSAR) government, co-chaired \
the meeting. Zhang Wen, director general of the Commerce Department of Qinghai Province, \
attended.

Part One: Salt Lake Industries

The two sides will support the Hong Kong Productivity Council in helping lithium firms in \
Qinghai.

Part Two: Ecology and Tourism

The two sides will promote Qinghai Lake and Hong Kong as one trip.

Part Three: Signing

Zhang Wen and a Hong Kong official signed the Memorandum on Qinghai-Hong Kong Exchanges and \
Cooperation.
"""


def test_portal_parts_date_and_lower_case_posts(extract) -> None:
    ex = extract(PORTAL, "2025-09-03")
    assert [a.label for a in ex.areas] == ["Salt Lake Industries", "Ecology and Tourism"]
    assert ex.event is not None
    assert (ex.event.date, ex.event.place) == ("2025-09-02", "Xining")
    posts = {p.name: [h.post for h in p.posts] for p in ex.people}
    assert posts["Tony Ho"] == [
        "chief secretary for administration of the Hong Kong Special Administrative Region "
        "(HKSAR) government"
    ]
    assert posts["Zhang Wen"] == ["director general of the Commerce Department of Qinghai Province"]
    # "Qinghai-Hong Kong Exchanges" is a compound of places, not the stock exchange.
    assert "Hong Kong Exchanges and Clearing Limited" not in bodies(ex)


def test_a_zone_named_with_its_area_is_one_body(extract) -> None:
    text = (
        "The First Meeting of the Hong Kong/Nanchang Co-operation Conference was held in "
        "Nanchang today (May 6). The two sides agreed to:\n\n"
        "1. support Hong Kong banks in opening branches in the China (Jiangxi) Pilot Free Trade "
        "Zone Nanchang Area; and\n\n"
        "2. support the Hong Kong Arts Festival in inviting the Nanchang Opera Troupe.\n"
    )
    found = bodies(extract(text))
    assert "China (Jiangxi) Pilot Free Trade Zone Nanchang Area" in found
    assert "Nanchang Opera Troupe" in found


SIGNED_ON_BEHALF = """\
Hong Kong and Yichang open co-operation conference

The First Meeting of the Hong Kong/Yichang Co-operation Conference was held in Yichang today \
(October 8). Zhou Ping, deputy secretary of the CPC Yichang Municipal Committee and mayor of \
Yichang, and the Secretary for Transport and Logistics, Ms Mable Chan, co-chaired it.

The two sides agreed to:

(1) support the China Council for the Promotion of International Trade, Yichang Sub-council \
in leading trade missions to Hong Kong; and

(2) encourage Hong Kong shipping firms to serve the Three Gorges ports.

The Hong Kong Shipowners Association and the Yichang Municipal Port and Shipping Bureau \
signed the Agreement on River Shipping, with Mr Ho Siu-fung and Ms Qin Lan signing on behalf \
of the two organisations.

Ends/Thursday, October 8, 2026
"""


def test_two_posts_a_unit_after_a_comma_and_people_signing_for_bodies(extract) -> None:
    ex = extract(SIGNED_ON_BEHALF)
    posts = {p.name: [(h.post, h.body) for h in p.posts] for p in ex.people}
    assert posts["Zhou Ping"] == [
        (
            "deputy secretary of the CPC Yichang Municipal Committee",
            "Yichang Municipal Committee of the Communist Party of China",
        ),
        ("mayor of Yichang", "Yichang Municipal People's Government"),
    ]
    assert "China Council for the Promotion of International Trade, Yichang Sub-council" in (
        bodies(ex)
    )
    (doc,) = ex.documents
    assert (doc.title, doc.signatories) == (
        "Agreement on River Shipping",
        ["Ho Siu-fung", "Qin Lan"],
    )
    assert doc.parties == [
        "Hong Kong Shipowners Association",
        "Yichang Municipal Port and Shipping Bureau",
    ]


WIRE_SHORT_MONTH = """\
BEIHAI, Sept. 9 (Xinhua) -- Hong Kong and Beihai agreed to work together on \
marine science and port logistics, at a meeting held in Beihai.

On marine science, the Hong Kong Observatory will share typhoon data with the Beihai \
Municipal Meteorological Bureau.

On port logistics, the Marine Department will train pilots of the Beihai Port Authority.

Enditem
"""


def test_a_dateline_with_an_abbreviated_month_dates_the_meeting(extract) -> None:
    ex = extract(WIRE_SHORT_MONTH, "2026-09-10")
    assert ex.event is not None
    assert (ex.event.date, ex.event.place) == ("2026-09-09", "Beihai")
    # No headline line and no sidecar title: the meeting is named for its place, and is
    # stated where the dateline's paragraph tells of it.
    assert ex.event.label == "Meeting in Beihai"
    span = ex.event.span
    assert span is not None and WIRE_SHORT_MONTH[span.start : span.end] == span.text
    assert span.text.startswith("BEIHAI, Sept. 9 (Xinhua) --")
    assert ex.jurisdictions[1] == "Beihai"
    assert [c.area for c in ex.commitments] == ["marine science", "port logistics"]
    november = WIRE_SHORT_MONTH.replace("Sept. 9", "Nov 12")
    assert extract(november, "2026-11-13").event.date == "2026-11-12"
    # "May" is a month and a word: "Mar" and "Jun" are months only before a day.
    assert extract(WIRE_SHORT_MONTH.replace("Sept. 9", "Mar 31"), "2026-04-01").event.date == (
        "2026-03-31"
    )


WIRE_MEETING_IN = """\
FANGCHENGGANG, Oct. 21 (Xinhua) -- Officials from Hong Kong and Fangchenggang signed three \
agreements and set out joint work in border trade and marine tourism at a meeting in \
Fangchenggang on Wednesday, local authorities said.

On border trade, the Hong Kong Trade Development Council will organise a trade fair with the \
Fangchenggang Municipal Bureau of Commerce next spring.

On marine tourism, the Tourism Commission and the Fangchenggang Municipal Culture and Tourism \
Bureau will jointly promote cruise routes linking the two cities.
"""


def test_a_wire_meeting_in_a_place_is_held_there(extract) -> None:
    ex = extract(WIRE_MEETING_IN, "2026-10-22")
    assert ex.event is not None
    assert (ex.event.label, ex.event.date) == ("Meeting in Fangchenggang", "2026-10-21")
    assert ex.jurisdictions[1] == "Fangchenggang"
    assert [c.area for c in ex.commitments] == ["border trade", "marine tourism"]


WIRE_ON_A_WEEKDAY = """\
QINZHOU, Dec. 2 (Xinhua) -- Hong Kong and Qinzhou agreed to deepen cooperation in port \
logistics and vocational training at a meeting held in Qinzhou on Tuesday.

On port logistics, the Hong Kong Shipowners Association will work with the Qinzhou Municipal \
Port Administration to open two new container routes.

On vocational training, the Vocational Training Council will pair up with the Qinzhou \
Municipal Human Resources and Social Security Bureau to train 200 technicians a year.
"""


def test_a_wire_meeting_on_a_weekday_is_dated_from_its_dateline(extract) -> None:
    # Filed on Wednesday, December 2: "on Tuesday" is December 1 (the sidecar is later).
    ex = extract(WIRE_ON_A_WEEKDAY, "2026-12-03")
    assert ex.event is not None
    assert (ex.event.date, ex.event.place) == ("2026-12-01", "Qinzhou")
    # Without the weekday, the dateline's own day.
    plain = WIRE_ON_A_WEEKDAY.replace(" on Tuesday.", ".")
    assert extract(plain, "2026-12-03").event.date == "2026-12-02"


# Written for the test: a council paper copied from its PDF, its lines wrapped by the
# typesetter, words broken at lines' ends, the page's number left in, and a lead-in that
# ends in a hyphen-minus.
PDF_PAPER = """\
LC Paper No. CB(1)77/25-26(02)

Outcome of the Third Meeting of the Hong Kong/Wuhan Co-operation Confer-
ence

2. The two sides agreed to take forward co-operation in the follow-
ing two areas -

(a) Aviation: the Transport and Logistics Bureau and the Wuhan Muni-
cipal Transport Bureau will study more cross-boundary air cargo and
co-
operation on air traffic control training;

                                                            Page 1 of 2

(b) Culture: the Leisure and Cultural Services Department will stage an
exhibition in Wuhan in 2026.

3. After the meeting, the Secretary for Transport and Logistics, Ms
Mable Chan, and the Vice Mayor of Wuhan, Mr Wang Qinghai, signed the
Memorandum of Understanding on Aviation Co-operation.
"""


def test_a_council_paper_copied_from_its_pdf(extract):
    ex = extract(PDF_PAPER)
    assert ex.event is not None
    assert ex.event.label == "Third Meeting of the Hong Kong/Wuhan Co-operation Conference"
    assert [a.label for a in ex.areas] == ["Aviation", "Culture"]
    assert [c.area for c in ex.commitments] == ["Aviation", "Culture"]
    aviation = ex.commitments[0]
    assert aviation.bodies == ["Transport and Logistics Bureau", "Wuhan Municipal Transport Bureau"]
    # The quote is the page's, broken words and all.
    assert "Wuhan Muni-\ncipal Transport Bureau" in aviation.span.text
    assert "co-\noperation on air traffic" in aviation.span.text
    assert signed(ex) == {
        "Memorandum of Understanding on Aviation Co-operation": ["Mable Chan", "Wang Qinghai"]
    }
