"""House styles of the genre for areas, commitments and names, each on a small release
written for the test (not taken from the dev set): areas led in prose, progress reports,
wrapped and gerund headings, news reports, portal chrome and separators, and names with
subject lists, nested parents and Chinese names."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import extract_document
from kg.extract.segment import segment
from kg.extract.vocab import load_vocabulary
from kg.model import Extraction, Source

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def extract(registry):
    def run(text: str) -> Extraction:
        ex = extract_document(Source(path="inline", doc_id="inline", text=text), registry)
        for span in [c.span for c in ex.commitments] + [a.span for a in ex.areas if a.span]:
            assert text[span.start : span.end] == span.text
        for org in ex.organizations:
            for span in org.mentions:
                assert text[span.start : span.end] == span.text
        return ex

    return run


def areas(ex: Extraction) -> list[str]:
    return [a.label for a in ex.areas]


def filed(ex: Extraction) -> list[tuple[str | None, str]]:
    """(area, first three words) of each commitment."""
    return [(c.area, " ".join(c.span.text.split()[:3])) for c in ex.commitments]


def orgs(ex: Extraction) -> list[str]:
    return [o.label for o in ex.organizations]


# -- areas led in prose -------------------------------------------------------------------
LED = """\
Macao and Zhejiang step up co-operation
     The Chief Executive, Mr Lei Chi-wai, and the Governor of Zhejiang Province, Mr Xu Tao, \
attended the Third Meeting of the Zhejiang/Macao Co-operation Conference in Hangzhou today \
(March 4).
     The two sides agreed to co-operate in four areas.
     On trade and investment, the two sides will encourage their enterprises to take part \
in the Zhejiang Investment Fair.
     Zhejiang will also organise a delegation to the Macao Franchise Expo in the autumn.
     On the same day, officials toured a tea plantation.
     Regarding cultural tourism, Macao will support the Zhejiang Provincial Department of \
Culture and Tourism in opening a promotion office.
     As for the digital economy, both sides will explore co-operation in cross-border data.
     On sports, Zhejiang welcomes Macao athletes to its marathon.
     After the meeting, Mr Lei and Mr Xu signed the "Co-operation Memorandum".
"""


def test_areas_led_in_prose_hold_the_paragraphs_that_follow(extract):
    ex = extract(LED)
    assert ex.stated_area_count == 4
    assert areas(ex) == ["trade and investment", "cultural tourism", "digital economy", "sports"]
    assert [a.heading_in_text for a in ex.areas] == [False] * 4
    assert filed(ex) == [
        ("trade and investment", "On trade and"),
        ("trade and investment", "Zhejiang will also"),
        ("cultural tourism", "Regarding cultural tourism,"),
        ("digital economy", "As for the"),
        ("sports", "On sports, Zhejiang"),
    ]


def test_a_turn_of_phrase_is_no_area_and_a_lone_lead_heads_its_commitment(extract):
    ex = extract(
        "Title of the release\n"
        "   On behalf of the HKSAR Government, Mr Lee Tai-man will promote exchanges.\n"
        "   On finance, the two sides will promote listings.\n"
        "   Mr Lee said the meeting was fruitful.\n"
    )
    assert areas(ex) == ["finance"]
    assert filed(ex) == [("finance", "On finance, the")]


# -- headings -----------------------------------------------------------------------------
def test_wrapped_long_and_numbered_headings(extract):
    ex = extract(
        "Hong Kong and Hubei hold Second Plenary Session\n"
        "     The two sides agreed to work together in the following four areas:\n"
        "I. Finance and\n"
        "Professional Services\n"
        "(1) Support Hubei enterprises in listing in Hong Kong.\n"
        "(2) Promote exchanges between the legal sectors of the two places.\n"
        "II. Strengthening co-operation in the research, development and testing of new\n"
        "energy vehicles and the training of their engineers\n"
        "     Encourage the universities of the two places to set up joint laboratories.\n"
        "III. Cross-boundary Logistics, Cold Chain and Port\n"
        "Co-operation\n"
        "     Jointly develop rail and sea intermodal routes.\n"
        "IV. Tourism\n"
        "     Jointly promote multi-destination tourism.\n"
        '     After the meeting, Mr Chan Tai-man and Mr Wong Siu-ming signed the "Memorandum".\n'
    )
    assert ex.stated_area_count == 4
    assert areas(ex) == [
        "Finance and Professional Services",
        "Strengthening co-operation in the research, development and testing of new energy "
        "vehicles and the training of their engineers",
        "Cross-boundary Logistics, Cold Chain and Port Co-operation",
        "Tourism",
    ]
    assert [area for area, _ in filed(ex)] == [
        "Finance and Professional Services",
        "Finance and Professional Services",
        areas(ex)[1],
        areas(ex)[2],
        "Tourism",
    ]


def test_two_headings_in_a_row_stay_two_when_both_have_paragraphs(extract):
    ex = extract(
        "Title of the release\n"
        "     The two sides agreed to co-operate in the following areas:\n"
        "Finance\n"
        "     Support listings in Hong Kong.\n"
        "Tourism\n"
        "Culture\n"
        "     Promote exchanges between museums.\n"
    )
    assert areas(ex) == ["Finance", "Tourism", "Culture"]


# -- progress reports ---------------------------------------------------------------------
PROGRESS = """\
Go to main content
Hong Kong and Shandong review progress of co-operation
     The Secretary for Constitutional and Mainland Affairs, Mr Ho Ka-ming, and the Vice \
Governor of Shandong Province, Mr Zhou Liwei, co-chaired a working meeting in Jinan today \
(May 8).
     The progress made and the plans for the coming year are set out below.
==========
Advancing co-operation in port operation and shipping services
     The Marine Department and the Shandong Provincial Department of Transport have \
exchanged views on ship registration.
     Shandong will continue to invite Hong Kong shipping companies to invest in Qingdao.
     The two sides signed the Agreement on Port Co-operation in 2022 and have since held two \
joint training courses.
Deepening exchanges in education
     Shandong University and the Hong Kong Baptist University set up a joint laboratory \
in 2023.
==========
     At the meeting, a memorandum of understanding on maritime co-operation was signed by \
the two sides.
     Also attending the meeting was the Director of the Chief Executive's Office.
Ends/Wednesday, May 8, 2024
"""


def test_a_progress_report_files_what_was_done_and_will_be_done(extract):
    ex = extract(PROGRESS)
    assert ex.stated_area_count is None
    assert areas(ex) == [
        "Advancing co-operation in port operation and shipping services",
        "Deepening exchanges in education",
    ]
    port, education = areas(ex)
    assert filed(ex) == [
        (port, "The Marine Department"),
        (port, "Shandong will continue"),
        (port, "The two sides"),
        (education, "Shandong University and"),
    ]


# -- news reports and portals -------------------------------------------------------------
REPORT = """\
Skip to content
www.example-news.cn
Home > News > Regions
Guangxi, Hong Kong pledge closer ties
Officials agree on finance, trade and tourism
By Staff Reporter in Nanning
2024-05-12 10:21:33 Source: Example Daily

Hong Kong and Guangxi agreed today (May 12) to promote co-operation in finance, trade and \
tourism at their annual conference in Nanning.

Guangxi will support its enterprises in using Hong Kong's platforms to go global.

"We hope to learn from Hong Kong's experience," said the chairman of the region.

The Hong Kong Trade Development Council will set up a service centre in Nanning.

A seminar on listing in Hong Kong will also be held in Nanning in the autumn.

Mrs Wong will host a dinner for the delegation tonight.

The delegation will visit a port in Beihai tomorrow.
———
Share this
Tags: Guangxi, Hong Kong
Print | Email | Back to top
-----
Related news
Guangxi will promote tourism in Hong Kong next month
Copyright 2024 Example News
"""


def test_a_news_report_yields_the_paragraphs_of_what_a_side_will_do(extract):
    ex = extract(REPORT)
    assert areas(ex) == []
    assert filed(ex) == [
        (None, "Guangxi will support"),
        (None, "The Hong Kong"),
        (None, "A seminar on"),
    ]


def test_chrome_and_separators_are_never_areas_or_commitments(extract):
    blocks = segment(REPORT, load_vocabulary())
    assert [b.text for b in blocks if b.chrome] == [
        "Skip to content",
        "www.example-news.cn",
        "Home > News > Regions",
        "By Staff Reporter in Nanning",
        "2024-05-12 10:21:33 Source: Example Daily",
        "———",
        "Share this",
        "Tags: Guangxi, Hong Kong",
        "Print | Email | Back to top",
        "-----",
        "Related news",
        "Guangxi will promote tourism in Hong Kong next month",  # a headline under "Related"
        "Copyright 2024 Example News",
    ]


# -- lists without headings ---------------------------------------------------------------
def test_imperative_paragraphs_after_a_lead_in_are_a_list(extract):
    ex = extract(
        "Title of the release\n"
        "     The two sides agreed to take forward the following work this year:\n"
        "     Support enterprises of the two places in joining trade fairs.\n"
        "     Jointly develop cruise tourism products.\n"
        "     Continue to promote exchanges between young people.\n"
        "     The Secretary for Justice, Ms Lam Pui-yee, also attended.\n"
    )
    assert filed(ex) == [
        (None, "Support enterprises of"),
        (None, "Jointly develop cruise"),
        (None, "Continue to promote"),
    ]


def test_labelled_paragraphs_after_a_stated_count(extract):
    ex = extract(
        "Hong Kong, Shanxi agree to co-operate in three key areas\n"
        "Hong Kong and Shanxi held their first meeting in Taiyuan today (April 2), agreeing to "
        "co-operate in three key areas.\n"
        "Energy transition: Shanxi will work with Hong Kong banks on green bonds.\n"
        "Tourism and culture - The two sides will jointly promote heritage tours.\n"
        "Education: The two sides will promote student exchanges.\n"
    )
    assert ex.stated_area_count == 3
    assert areas(ex) == ["Energy transition", "Tourism and culture", "Education"]
    assert [c.area for c in ex.commitments] == areas(ex)


# -- names --------------------------------------------------------------------------------
def test_names_with_subject_lists_nested_parents_and_chinese_names(extract):
    ex = extract(
        "Title of the release\n"
        "     The two sides agreed to co-operate in the following areas:\n"
        "Culture\n"
        "     Support the Bureau of Culture, Sports and Tourism of the Shenzhen Municipal "
        "Government and the Hong Kong Arts Development Council in holding a festival.\n"
        "     Support the Hong Kong, Macao and Taiwan Affairs Office of the Fujian Provincial "
        "People's Government in arranging visits.\n"
        "     Promote co-operation between the Department of Culture, Radio, Film and "
        "Television of Hunan Province and the Lantau Heritage Museum (大嶼山文物館).\n"
        "Trade\n"
        "     Support the Department of Commerce, Fujian and Guangdong in holding fairs.\n"
    )
    assert orgs(ex) == [
        "Bureau of Culture, Sports and Tourism of the Shenzhen Municipal Government",
        "Hong Kong Arts Development Council",
        "Hong Kong, Macao and Taiwan Affairs Office of the Fujian Provincial People's Government",
        "Department of Culture, Radio, Film and Television of Hunan Province",
        "Lantau Heritage Museum",
        "Department of Commerce",
    ]
    museum = next(o for o in ex.organizations if o.label == "Lantau Heritage Museum")
    assert museum.chinese_name == "大嶼山文物館"


def test_a_post_is_not_a_body_and_a_short_form_is_its_body(extract):
    ex = extract(
        "Title of the release\n"
        "     The two sides agreed to co-operate in the following areas:\n"
        "Zones\n"
        "     Support the Chief Secretary for Administration of the HKSAR Government and "
        "Chief Executive Chan Ka-yan and CPC Xanadu Provincial Committee in developing the "
        "Xanadu-Hong Kong Modern Services Co-operation Zone in Lakeside.\n"
        "     Encourage Hong Kong enterprises to invest in the Co-operation Zone, and young "
        "people to join the Youth Internship Scheme in the Mainland.\n"
    )
    labels = orgs(ex)
    assert "Administration of the HKSAR Government" not in labels
    assert "CPC Xanadu Provincial Committee" in labels
    assert "Xanadu-Hong Kong Modern Services Co-operation Zone in Lakeside" in labels
    assert "Co-operation Zone" not in labels
    assert "Youth Internship Scheme in the Mainland" in labels


def test_parenthesised_roman_headings_and_decimal_items(extract):
    ex = extract(
        "Title of the release\n"
        "     The two sides will co-operate in two areas, as follows:\n"
        "(I) Trade and Investment\n"
        "1.1 Support enterprises in joining each other's fairs.\n"
        "1.2 Promote investment in the two places.\n"
        "(II) Youth\n"
        "2.1 Organise internships for students.\n"
    )
    assert ex.stated_area_count == 2
    assert areas(ex) == ["Trade and Investment", "Youth"]
    assert filed(ex) == [
        ("Trade and Investment", "Support enterprises in"),
        ("Trade and Investment", "Promote investment in"),
        ("Youth", "Organise internships for"),
    ]


def test_areas_led_by_in_the_field_of(extract):
    ex = extract(
        "Title of the release\n"
        "   In the field of finance, the two sides will support listings in Hong Kong.\n"
        "   In the field of medical care, the two sides agreed to promote training.\n"
        "   The Secretary for Health, Mr Lo Chung-wai, also attended.\n"
    )
    assert areas(ex) == ["finance", "medical care"]
    assert [c.area for c in ex.commitments] == ["finance", "medical care"]


def test_a_name_whose_first_words_come_before_a_list(extract):
    ex = extract(
        "Title of the release\n"
        "     The two sides agreed to co-operate in the following areas:\n"
        "Events\n"
        "     Invite enterprises to the Pacific Shipping, Ports and Logistics Forum, and "
        "support Xanadu University, Lakeside University and Hill College in joint research.\n"
        "Trade\n"
        "     Support listings in Hong Kong.\n"
    )
    assert orgs(ex) == [
        "Pacific Shipping, Ports and Logistics Forum",
        "Xanadu University",
        "Lakeside University",
        "Hill College",
    ]


def test_a_person_named_after_a_body_is_not_part_of_its_name(extract):
    ex = extract(
        "Title of the release\n"
        "     The two sides agreed to co-operate in the following areas:\n"
        "Trade\n"
        "     The Hong Kong Economic and Trade Office in Lakeside will hold seminars.\n"
        "Youth\n"
        "     Support internships in Hong Kong.\n"
        "     Director of the Hong Kong Economic and Trade Office in Lakeside Ada Wong "
        "also attended.\n"
    )
    office = "Hong Kong Economic and Trade Office in Lakeside"
    assert orgs(ex) == [office]
    assert [m.text for m in ex.organizations[0].mentions] == [office, office]
