"""More house styles of the areas section, each on a small release written for the test
after the code (not taken from the dev set): "Area 1 –" headings, areas ordered "First, on
...", a colon list of areas with paragraphs opening on an area's name, a "namely" list
followed by a clause, labelled paragraphs with unlabelled follow-ons, a table turned into
text, and a page copied with Markdown marks."""

from __future__ import annotations

import pytest

from kg.extract import extract_document
from kg.model import Extraction, Source


@pytest.fixture
def extract(registry):
    def run(text: str) -> Extraction:
        ex = extract_document(Source(path="inline", doc_id="inline", text=text), registry)
        for span in [c.span for c in ex.commitments] + [a.span for a in ex.areas if a.span]:
            assert text[span.start : span.end] == span.text
        return ex

    return run


def areas(ex: Extraction) -> list[str]:
    return [a.label for a in ex.areas]


def filed(ex: Extraction) -> list[tuple[str | None, str]]:
    """(area, first three words) of each commitment."""
    return [(c.area, " ".join(c.span.text.split()[:3])) for c in ex.commitments]


CHIEF = "The Chief Executive, Mr Lo Kin-wah, and the Governor of Anhui Province, Mr Ma Qiang"
SIGNED = 'After the meeting, Mr Lo and Mr Ma witnessed the signing of the "Agreement on Trade".'

NUMBERED = f"""\
Hong Kong and Anhui hold second meeting
     {CHIEF}, co-chaired the Second Meeting of the Hong Kong/Anhui Co-operation Conference \
in Hefei today (May 9).
     The two sides agreed to co-operate in three areas.

Area 1 – Logistics
     Support Anhui enterprises in using Hong Kong's air cargo services.

Area 2 — Legal services
     Promote mediation training for lawyers of the two places.
     Encourage Anhui firms to choose Hong Kong as the seat of arbitration.

Section III: Heritage and museums
     Support exchanges between the museums of the two places.
     {SIGNED}
"""


def test_headings_numbered_with_a_word(extract):
    ex = extract(NUMBERED)
    assert ex.stated_area_count == 3
    assert areas(ex) == ["Logistics", "Legal services", "Heritage and museums"]
    assert ex.areas[0].span.text == "Area 1 – Logistics"
    assert [c.area for c in ex.commitments] == [
        "Logistics", "Legal services", "Legal services", "Heritage and museums"
    ]  # fmt: skip


ORDERED = f"""\
Hong Kong and Anhui hold second meeting
     {CHIEF}, co-chaired the Second Meeting of the Hong Kong/Anhui Co-operation Conference \
in Hefei today (May 9).
     The two sides agreed to deepen co-operation in three areas.
     Firstly, on aviation, ports and logistics, the two sides will support the airport \
authorities in opening new cargo routes.
     Anhui will welcome Hong Kong investment in inland container terminals.
     Secondly, on legal services, Hong Kong will host a mediation seminar in Hefei.
     Lastly, regarding sports, the two sides will jointly organise a youth football tournament.
     {SIGNED}
"""


def test_areas_ordered_in_prose(extract):
    ex = extract(ORDERED)
    assert ex.stated_area_count == 3
    assert areas(ex) == ["aviation, ports and logistics", "legal services", "sports"]
    assert filed(ex) == [
        ("aviation, ports and logistics", "Firstly, on aviation,"),
        ("aviation, ports and logistics", "Anhui will welcome"),
        ("legal services", "Secondly, on legal"),
        ("sports", "Lastly, regarding sports,"),
    ]


COLON_LIST = f"""\
Hong Kong and Anhui hold second meeting
     {CHIEF}, co-chaired the Second Meeting of the Hong Kong/Anhui Co-operation Conference \
in Hefei today (May 9).
     Green finance was the theme of the morning session.
     The meeting settled four main areas of work: vehicle manufacturing, green
finance, agricultural trade, and sports and youth exchanges.
     Vehicle manufacturing co-operation is to centre on electric buses for Hong Kong.
     Green finance will see Anhui enterprises issue bonds in Hong Kong.
     Officials said that the bonds would be a first for the province.
     Agricultural trade is expected to grow with a new tea fair.
     Hong Kong buyers will also be invited to the fair.
     Sports and youth exchanges will bring 200 students to Huangshan.
     {SIGNED}
"""


def test_paragraphs_open_with_an_area_listed_after_a_colon(extract):
    ex = extract(COLON_LIST)
    assert ex.stated_area_count == 4
    assert areas(ex) == [
        "vehicle manufacturing", "green finance", "agricultural trade",
        "sports and youth exchanges",
    ]  # fmt: skip
    assert filed(ex) == [
        ("vehicle manufacturing", "Vehicle manufacturing co-operation"),
        ("green finance", "Green finance will"),
        ("agricultural trade", "Agricultural trade is"),
        ("agricultural trade", "Hong Kong buyers"),
        ("sports and youth exchanges", "Sports and youth"),
    ]


NAMELY = f"""\
Hong Kong and Anhui hold second meeting
     {CHIEF}, co-chaired the Second Meeting of the Hong Kong/Anhui Co-operation Conference \
in Hefei today (May 9).
     The two sides agreed to co-operate in three areas, namely logistics, legal services \
and sports, and to carry out the following items:
     • Support Anhui enterprises in using Hong Kong's air cargo services.
     • Promote mediation training for lawyers of the two places.
     {SIGNED}
"""


def test_namely_list_then_a_clause(extract):
    ex = extract(NAMELY)
    assert ex.stated_area_count == 3
    assert areas(ex) == ["logistics", "legal services", "sports"]
    assert filed(ex) == [(None, "Support Anhui enterprises"), (None, "Promote mediation training")]


TWO_LED = """\
Hong Kong and Dunmore deepen ties in ports and nursing
     The Secretary for Transport, Mr Ho Kam, met the Mayor of Dunmore, Mr Sun Li, today \
(March 3, 2026). The two sides agreed to step up co-operation in two areas: ports and nursing.
     On ports, the Marine Department and the Dunmore Municipal Port Authority will jointly \
organise a pilots' course.
     On nursing, the Hospital Authority and the Dunmore Municipal Health Commission agreed to \
exchange ward managers.
     After the meeting, the two sides signed a memorandum on port co-operation.
"""


def test_two_areas_joined_by_and_then_led_in_prose(extract):
    ex = extract(TWO_LED)
    assert ex.stated_area_count == 2
    assert areas(ex) == ["ports", "nursing"]
    assert filed(ex) == [("ports", "On ports, the"), ("nursing", "On nursing, the")]
    # The verb after the named subject: no action verb leads these clauses.
    assert [c.verbs for c in ex.commitments] == [["Organise"], ["Exchange"]]
    pairs = [(p.a, p.b) for c in ex.commitments for p in c.partnerships]
    assert pairs == [
        ("Dunmore Municipal Port Authority", "Marine Department"),
        ("Dunmore Municipal Health Commission", "Hospital Authority"),
    ]


LABELLED = f"""\
Hong Kong and Anhui hold second meeting
     {CHIEF}, co-chaired the Second Meeting of the Hong Kong/Anhui Co-operation Conference \
in Hefei today (May 9).
     The two sides agreed on the following three areas:
     Logistics: Anhui will open a cargo office at Hong Kong International Airport.
     The Hong Kong Logistics Association will lead a mission to Hefei.
     Legal services: The two sides will hold a mediation seminar.
     Sports: Hong Kong will send a youth football team to Hefei.
     Anhui will jointly host the tournament with the Hong Kong Football Association.
     {SIGNED}
     Mr Lo said he hoped the links would grow.
"""


def test_labelled_paragraphs_with_follow_ons(extract):
    ex = extract(LABELLED)
    assert areas(ex) == ["Logistics", "Legal services", "Sports"]
    assert filed(ex) == [
        # The label is the area; the commitment quotes what follows it.
        ("Logistics", "Anhui will open"),
        ("Logistics", "The Hong Kong"),
        ("Legal services", "The two sides"),
        ("Sports", "Hong Kong will"),
        ("Sports", "Anhui will jointly"),
    ]


TABLE = f"""\
Hong Kong and Anhui hold second meeting
     {CHIEF}, co-chaired the Second Meeting of the Hong Kong/Anhui Co-operation Conference \
in Hefei today (May 9).
     The items agreed in three areas are listed in the table below:

Field\tItem agreed
Logistics\tSupport Anhui enterprises in using Hong Kong's air cargo services.
\tReview the customs clearance of cold-chain goods.
Legal services\tPromote mediation training for lawyers of the two places.
Sports\tHold a youth football tournament in Hefei.
\tHong Kong will send two teams.

     {SIGNED}
"""


def test_table_turned_into_text(extract):
    ex = extract(TABLE)
    assert ex.stated_area_count == 3
    assert areas(ex) == ["Logistics", "Legal services", "Sports"]
    assert not ex.areas[0].span.text.startswith("Field")
    assert filed(ex) == [
        ("Logistics", "Support Anhui enterprises"),
        ("Logistics", "Review the customs"),
        ("Legal services", "Promote mediation training"),
        ("Sports", "Hold a youth"),
        ("Sports", "Hong Kong will"),
    ]
    # The item is the cell after the tab, not the row with its area.
    assert ex.commitments[0].span.text.startswith("Support")


MARKDOWN = """\
[Home](https://example.org/) > [News](https://example.org/news/)

## Anhui and Hong Kong agree to co-operate in logistics and sports

The Second Meeting of the Hong Kong/Anhui Co-operation Conference was held in Hefei on \
Friday (May 9). Ma Qiang and Lo Kin-wah attended.

The two sides agreed on three fields of co-operation.

**Logistics**

Anhui will open a cargo office at Hong Kong International Airport.

__Legal services__

The two sides will hold a mediation seminar in Hefei.

**Sports**

Hong Kong will send a youth football team to Hefei.

### Documents signed

The two governments signed the _Agreement on Trade_.
"""


def test_markdown_marks(extract):
    ex = extract(MARKDOWN)
    assert ex.stated_area_count == 3
    assert areas(ex) == ["Logistics", "Legal services", "Sports"]
    assert [a.span.text for a in ex.areas] == ["Logistics", "Legal services", "Sports"]
    assert filed(ex) == [
        ("Logistics", "Anhui will open"),
        ("Legal services", "The two sides"),
        ("Sports", "Hong Kong will"),
    ]


def test_separator_lines_are_not_emphasis():
    from kg.extract.segment import segment
    from kg.extract.vocab import load_vocabulary

    text = "Title\n\n**Finance**\n\n******\n\n__Trade__\n\n______\n"
    blocks = segment(text, load_vocabulary())
    assert [(b.text, b.chrome) for b in blocks] == [
        ("Title", False), ("Finance", False), ("******", True), ("Trade", False),
        ("______", True),
    ]  # fmt: skip


MARKDOWN_INLINE = """\
# Hong Kong and Zhuhai hold co-operation meeting

**Zhuhai, 21 August 2025** – The Hong Kong/Zhuhai Co-operation Meeting was held in Zhuhai \
today.

The two sides will jointly promote cross-boundary yacht tourism.

At the meeting, the two sides signed the *Memorandum on Yacht Tourism* and the \
**Agreement on Co-operation in Legal Services**.
"""


def test_markdown_emphasis_inside_a_line_is_not_read_as_words(extract):
    ex = extract(MARKDOWN_INLINE)
    assert ex.event is not None and ex.event.date == "2025-08-21"
    assert [d.title for d in ex.documents] == [
        "Memorandum on Yacht Tourism",
        "Agreement on Co-operation in Legal Services",
    ]
    # The quote is the source's, marks and all.
    sentence = MARKDOWN_INLINE[MARKDOWN_INLINE.index("At the meeting") : -1]
    assert [d.span.text for d in ex.documents] == [sentence, sentence]


def test_a_date_line_with_its_place(extract):
    text = (
        "Outcome of the Second Hong Kong-Guizhou Co-operation Forum\n\nGuiyang, 3 December 2025\n\n"
        "The Second Hong Kong-Guizhou Co-operation Forum was held in Guiyang today.\n\n"
        "The two sides agreed to set up a working group on tea exports.\n"
    )
    ex = extract(text)
    assert ex.event is not None
    assert (ex.event.date, ex.event.place) == ("2025-12-03", "Guiyang")


PIPE_TABLE = """\
Outcome of the Second Hong Kong-Hubei Co-operation Forum

Wuhan, 14 May 2025

The Second Hong Kong-Hubei Co-operation Forum was held in Wuhan today.

The two sides agreed on the following items:

| Area | Item | Bodies responsible |
|:-----|:-----|:-------------------|
| Aviation | Open a cargo route between Wuhan and Chek Lap Kok | Airport Authority Hong Kong |
| Tourism | Promote cruise trips on the Yangtze River to visitors from Hong Kong and Macao | \
Tourism Commission; Hubei Provincial Department of Culture and Tourism |
"""


def test_a_markdown_table_of_areas_and_items(extract):
    ex = extract(PIPE_TABLE)
    assert areas(ex) == ["Aviation", "Tourism"]
    assert filed(ex) == [("Aviation", "Open a cargo"), ("Tourism", "Promote cruise trips")]
    # A name stops at its cell's bar: not "Hong Kong and Macao Tourism Commission".
    assert [c.bodies for c in ex.commitments] == [
        ["Airport Authority Hong Kong"],
        ["Tourism Commission", "Hubei Provincial Department of Culture and Tourism"],
    ]
