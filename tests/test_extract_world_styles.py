"""House styles from beyond Hong Kong and the Mainland's releases, met at stop 29 (a
prefecture's press release, a state minister's media statement, a machine translation
from Chinese, a joint statement that tells of no meeting), each rule tested on a text
written for the test after the code."""

from __future__ import annotations

import functools

import pytest
from styles_support import extracted, filed, signed


@pytest.fixture
def extract(registry):
    return functools.partial(extracted, registry)


PREFECTURE = """\
Press Release

March 3, 2027 (Wed.)
Shizuoka Prefectural Government

Results of the Second Meeting of the Shizuoka–Hong Kong Economic Exchange Council

1 Attendees
  SATO Kenji, Governor of Shizuoka Prefecture (Co-chair)
  Mr. Algernon YAU Ying-wah, Secretary for Commerce and Economic Development (Co-chair)

2 Matters confirmed
  The two sides confirmed that they will promote cooperation in the following two fields.

  ① Green tea and food
   ・The Shizuoka Tea Association and the Hong Kong Trade Development Council will hold a \
tea fair in Hong Kong in May 2027.

  ② Tourism
   ・The Shizuoka Tourism Bureau and the Hong Kong Tourism Board will run a joint \
campaign for visitors from Southeast Asia.
"""


def test_circled_numbers_over_middle_dot_items(extract):
    ex = extract(PREFECTURE, date="2027-03-03")
    assert [a.label for a in ex.areas] == ["Green tea and food", "Tourism"]
    assert filed(ex) == [
        ("Green tea and food", "The Shizuoka Tea"),
        ("Tourism", "The Shizuoka Tourism"),
    ]


def test_an_exchange_council_and_a_list_of_attendees_surnames_first(extract):
    ex = extract(PREFECTURE, date="2027-03-03")
    assert ex.event is not None
    assert ex.event.mechanism == "Shizuoka–Hong Kong Economic Exchange Council"
    assert ex.event.ordinal == 2
    posts = {p.name: [h.post for h in p.posts] for p in ex.people}
    # The surname in capitals, first or after the English name, is written as in prose.
    assert posts["Sato Kenji"] == ["Governor of Shizuoka Prefecture"]
    assert posts["Algernon Yau"] == ["Secretary for Commerce and Economic Development"]


TRANSLATED = """\
Nantong and Hong Kong hold talks

On June 3，the Nantong-Hong Kong cooperation conference was held in Nantong。The meeting \
reached consensus on cooperation in two aspects：

（一）Trade cooperation
The Nantong municipal bureau of commerce and Invest Hong Kong will jointly hold an \
investment seminar in Hong Kong every year。

（二）Youth exchange cooperation
Nantong University will receive 50 Hong Kong students for summer internships。
"""


def test_chinese_numerals_and_full_width_sentence_ends(extract):
    ex = extract(TRANSLATED, date="2027-06-04")
    assert [a.label for a in ex.areas] == ["Trade cooperation", "Youth exchange cooperation"]
    assert filed(ex) == [
        ("Trade cooperation", "The Nantong municipal"),
        ("Youth exchange cooperation", "Nantong University will"),
    ]


STATEMENT = """\
New South Wales Government
Media release

New South Wales and Hong Kong launch partnership dialogue

The Honourable Anna Kovac, Minister for Trade, today co-chaired the inaugural New South \
Wales–Hong Kong Economic Partnership Dialogue in Sydney with Hong Kong's Secretary for \
Commerce and Economic Development, Algernon Yau.

The Dialogue agreed a work plan across three pillars: financial services, health and \
medical research, and education.

Under the financial services pillar, Investment NSW and Invest Hong Kong will run a \
fintech roadshow in Hong Kong in March.

On health and medical research, the University of Sydney and the University of Hong Kong \
will set up a joint clinical trials network.

For education, TAFE NSW and the Vocational Training Council will develop an exchange \
programme for apprentices.
"""


def test_pillars_named_in_a_sentence_then_leading_paragraphs(extract):
    ex = extract(STATEMENT, date="2027-02-10")
    assert [a.label for a in ex.areas] == [
        "financial services",
        "health and medical research",
        "education",
    ]
    assert [area for area, _ in filed(ex)] == [
        "financial services",
        "health and medical research",
        "education",
    ]


def test_a_state_named_as_its_text_names_its_government(extract):
    ex = extract(STATEMENT, date="2027-02-10")
    assert ex.event is not None
    # "inaugural" is the meeting's rank, not a word of the state's name.
    assert ex.event.mechanism == "New South Wales–Hong Kong Economic Partnership Dialogue"
    (place,) = ex.new_jurisdictions
    assert place.name == "New South Wales"
    assert place.government == "New South Wales Government"
    people = {p.name: p for p in ex.people}
    assert people["Anna Kovac"].honorific == "The Honourable"
    assert [h.post for h in people["Anna Kovac"].posts] == ["Minister for Trade"]


COUNTRY = """\
Hong Kong and Kazakhstan set up trade commission

The Hong Kong-Kazakhstan Joint Commission on Trade held its first meeting in Astana on \
14 April 2027. The Kazakh Invest National Company and Invest Hong Kong will jointly hold \
a roadshow for Hong Kong family offices in Almaty. The Hong Kong Trade Development Council \
will open a desk in Astana.
"""


def test_a_listed_country_and_a_commission_named_for_its_subject(extract):
    ex = extract(COUNTRY, date="2027-04-14")
    (place,) = ex.new_jurisdictions
    assert (place.name, place.level, place.government) == (
        "Kazakhstan",
        "country",
        "Government of Kazakhstan",
    )
    labels = {o.label: o.jurisdiction for o in ex.organizations}
    assert not any("Commission" in label for label in labels)  # the mechanism, no body
    assert labels["Kazakh Invest National Company"] == "Kazakhstan"


NO_MEETING = """\
Joint statement on the Hong Kong and Lishui work plan

The Hong Kong Trade Development Council and the Lishui Municipal Bureau of Commerce will \
jointly organise a trade fair for Lishui enterprises in Hong Kong in 2027.

The Hong Kong Productivity Council will work with Lishui University to set up a smart \
manufacturing laboratory.
"""


def test_commitments_of_a_document_that_tells_of_no_meeting_keep_one(extract):
    ex = extract(NO_MEETING, date="2027-01-20")
    assert len(ex.commitments) == 2
    # Made at the meeting the document reports: named by its headline, dated by the document.
    assert ex.event is not None
    assert ex.event.label == "Joint statement on the Hong Kong and Lishui work plan"
    assert ex.event.date == "2027-01-20"


DELEGATION = """\
Hong Kong delegation visits Ganzhou

The First Meeting of the Hong Kong/Ganzhou Co-operation Conference was held in Ganzhou on \
9 March 2027. It was co-chaired by the Chief Secretary for Administration, Mr Chan \
Kwok-ki; the Hong Kong delegation also included Under Secretary for Commerce and Economic \
Development Lau Wai-ming and the Director of the Hong Kong Economic and Trade Office in \
Wuhan, Ho Siu-fung.
"""


def test_a_post_that_holds_another_persons_name_is_not_the_next_ones(extract):
    ex = extract(DELEGATION, date="2027-03-09")
    posts = {p.name: [h.post for h in p.posts] for p in ex.people}
    assert posts["Lau Wai-ming"] == ["Under Secretary for Commerce and Economic Development"]
    assert posts["Ho Siu-fung"] == ["Director of the Hong Kong Economic and Trade Office in Wuhan"]


# Stop 30: a paragraph that promises a deed and names a document signed in passing is a
# commitment, not the signing that closes the areas.
TASMANIA = """\
Media release

Tasmania and Hong Kong chart a course for trade at first Policy Dialogue

Monday, 8 March 2027

Minister for Trade, the Honourable Eric Abetz-Rowe

The first Tasmania–Hong Kong Policy Dialogue was held in Hobart today.

The Dialogue agreed on two pillars: premium food and beverages, and Antarctic science.

On premium food and beverages, Brand Tasmania and the Hong Kong Trade Development \
Council will hold a Tasmanian produce week in Hong Kong in June.

The Tasmanian Institute of Agriculture will host Hong Kong food safety officials, \
building on a letter of intent on food testing signed by the two agencies at the Dialogue.

Under the Antarctic science pillar, the University of Tasmania and the City University \
of Hong Kong will run a joint summer school on polar ecosystems.

The Australian Antarctic Division will also welcome two researchers from Hong Kong each \
season.

At the close of the Dialogue, the two sides signed a Memorandum of Understanding on \
Trade and Investment Promotion, witnessed by the Minister.
"""


def test_a_document_signed_in_passing_does_not_close_the_areas(extract):
    ex = extract(TASMANIA, date="2027-03-08")
    assert filed(ex) == [
        ("premium food and beverages", "On premium food"),
        ("premium food and beverages", "The Tasmanian Institute"),
        ("Antarctic science", "Under the Antarctic"),
        ("Antarctic science", "The Australian Antarctic"),
    ]
    # The signing that follows still closes them: it is no commitment.
    assert [d.title for d in ex.documents] == [
        "Memorandum of Understanding on Trade and Investment Promotion"
    ]


# Stop 30: a follow-up list kept in a spreadsheet and saved as CSV. Quoted cells hold
# commas; an area's later rows leave its cell empty; an empty row ends the table.
SPREADSHEET = """\
Hong Kong/Hainan Co-operation Meeting - Third Meeting,,,,
Follow-up items,,,,
,,,,
Item,Field,Action,Lead (Hong Kong),Lead (Hainan)
1,"Aviation, logistics and trade","The Airport Authority Hong Kong and Haikou Meilan \
International Airport will study a joint cargo hub, with ""one-stop"" customs checks.",AAHK,\
Haikou Meilan International Airport
2,,Invest Hong Kong will hold a seminar in Haikou on the free trade port's tax rules.,InvestHK,
3,Medical tourism,The Hospital Authority will share its experience with the Boao Lecheng \
pilot zone.,HA,Boao Lecheng Administration
,,,,
Documents signed,,,,
No.,Document,Signed by,,
1,Memorandum on Aviation Co-operation,Airport Authority Hong Kong,,
"""


def test_a_spreadsheet_saved_as_csv(extract):
    ex = extract(SPREADSHEET, date="2027-01-20")
    assert [a.label for a in ex.areas] == ["Aviation, logistics and trade", "Medical tourism"]
    assert filed(ex) == [
        ("Aviation, logistics and trade", "The Airport Authority"),
        ("Aviation, logistics and trade", "Invest Hong Kong"),
        ("Medical tourism", "The Hospital Authority"),
    ]
    first = ex.commitments[0].span
    assert first.text.startswith("The Airport Authority Hong Kong and Haikou Meilan")
    assert '""one-stop""' in first.text  # the cell as the file prints it
    assert SPREADSHEET[first.start : first.end] == first.text


def test_a_spreadsheets_table_of_documents_signed(extract):
    ex = extract(SPREADSHEET, date="2027-01-20")
    assert [(d.title, d.parties) for d in ex.documents] == [
        ("Memorandum on Aviation Co-operation", ["Airport Authority Hong Kong"])
    ]


ATTENDANCE = """\
Meeting,Fourth Meeting of the Hong Kong/Yunnan Co-operation Conference,,
Co-chair (Yunnan),"Ms Li Shuhua, Vice Governor of Yunnan Province",,
,,,
Documents signed at the meeting,,,
No.,Document,Signed by (Hong Kong),Signed by (Yunnan)
1,Agreement on Tea Trade Promotion,"Ms Fiona Lam, Executive Director of the Hong Kong \
Trade Development Council","Mr Zhou Yang, Director of the Yunnan Provincial Department of \
Commerce"
"""


def test_a_spreadsheets_columns_with_a_side_in_brackets_and_posts_in_quoted_cells(extract):
    ex = extract(ATTENDANCE, date="2027-02-02")
    assert signed(ex) == {"Agreement on Tea Trade Promotion": ["Fiona Lam"]}
    posts = {p.name: [h.post for h in p.posts] for p in ex.people}
    assert posts["Li Shuhua"] == ["Vice Governor of Yunnan Province"]
