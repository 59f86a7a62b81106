"""Signed documents in the house styles of the genre, each on a few hand-written sentences
(written for these tests, not taken from the dev set): quoted inside prose, unquoted in
lower case, bulleted with and without a space, long unquoted titles, untitled sets, documents
signed at an earlier meeting, and who signed rather than witnessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import extract_document
from kg.model import Extraction, Source

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def extract(registry):
    def run(*paragraphs: str) -> Extraction:
        text = "Hong Kong and Zhejiang hold co-operation meeting\n" + "".join(
            p if p.startswith(("•", "-")) else f"     {p}\n" for p in paragraphs
        )
        ex = extract_document(Source(path="inline", doc_id="inline", text=text), registry)
        for doc in ex.documents:
            assert doc.span is None or text[doc.span.start : doc.span.end] == doc.span.text
        return ex

    return run


def signed(ex: Extraction) -> list[tuple[str, list[str]]]:
    return [(d.title, d.signatories) for d in ex.documents]


# -- quoted inside prose ------------------------------------------------------------------
def test_entered_into_a_title_in_curly_quotes(extract):
    ex = extract(
        "Following the talks, Mr Ho Chun-wai and Ms Gao Lin entered into the “Agreement on "
        "Co-operation in Marine Science between the Environment and Ecology Bureau and the "
        "Department of Natural Resources of Zhejiang Province”, witnessed by Mr Lam Tak-on."
    )
    assert signed(ex) == [
        (
            "Agreement on Co-operation in Marine Science between the Environment and Ecology "
            "Bureau and the Department of Natural Resources of Zhejiang Province",
            ["Ho Chun-wai", "Gao Lin"],
        )
    ]


def test_a_straight_quoted_title_in_the_middle_of_a_sentence(extract):
    ex = extract(
        'The two sides inked the "Memorandum on Youth Internships in Ningbo" this afternoon, '
        "and agreed to meet again next year."
    )
    assert signed(ex) == [("Memorandum on Youth Internships in Ningbo", [])]


# -- unquoted, lower case -----------------------------------------------------------------
def test_an_untitled_document_signed_in_the_passive(extract):
    ex = extract(
        "During the visit, a memorandum of understanding on co-operation in aviation training "
        "was signed by the Secretary for Transport and Logistics, Mr Yip Wing-kei, and the "
        "Director of the Department of Transport of Zhejiang Province, Ms Fang Hui."
    )
    assert signed(ex) == [
        (
            "Memorandum of understanding on co-operation in aviation training",
            ["Yip Wing-kei", "Fang Hui"],
        )
    ]


def test_an_untitled_document_signed_in_the_active(extract):
    ex = extract(
        "Ms Wong Siu-lan and Mr Zhou Wei signed a letter of intent on cross-boundary data "
        "flows at the ceremony. A total of 16 investment projects were also signed."
    )
    assert signed(ex) == [
        ("Letter of intent on cross-boundary data flows", ["Wong Siu-lan", "Zhou Wei"])
    ]


def test_the_document_named_again_by_its_noun_gets_its_signatories(extract):
    ex = extract(
        "Three documents were signed at the ceremony, including the "
        '"Memorandum of Understanding on Flood Control Co-operation". The memorandum was '
        "signed by Mr Yip Wing-kei and Ms Fang Hui."
    )
    assert signed(ex) == [
        ("Memorandum of Understanding on Flood Control Co-operation", ["Yip Wing-kei", "Fang Hui"])
    ]


# -- bullets and long unquoted titles -----------------------------------------------------
def test_bullets_with_and_without_a_space_each_with_its_signatories(extract):
    ex = extract(
        "After the meeting, the following documents were signed, witnessed by Mr Lam Tak-on:",
        "•Memorandum of Understanding on Cold Chain Logistics between the Transport and "
        "Logistics Bureau and the Department of Commerce of Zhejiang Province, signed by "
        "Mr Yip Wing-kei and Ms Fang Hui;\n",
        "• Agreement on Co-operation in Film, Television and Animation between Create Hong Kong "
        "and the Zhejiang Provincial Film Bureau, signed by Ms Wong Siu-lan and Mr Zhou Wei; and\n",
        "•a co-operation arrangement on water quality monitoring, signed by Mr Ho Chun-wai.\n",
    )
    assert signed(ex) == [
        (
            "Memorandum of Understanding on Cold Chain Logistics between the Transport and "
            "Logistics Bureau and the Department of Commerce of Zhejiang Province",
            ["Yip Wing-kei", "Fang Hui"],
        ),
        (
            "Agreement on Co-operation in Film, Television and Animation between Create Hong "
            "Kong and the Zhejiang Provincial Film Bureau",
            ["Wong Siu-lan", "Zhou Wei"],
        ),
        ("Co-operation arrangement on water quality monitoring", ["Ho Chun-wai"]),
    ]


def test_a_long_unquoted_title_before_was_signed(extract):
    ex = extract(
        "The Co-operation Arrangement on Food Traceability between the Government of the Hong "
        "Kong Special Administrative Region and the Zhejiang Provincial People's Government was "
        "also signed by Mr Ho Chun-wai and Ms Gao Lin."
    )
    assert signed(ex) == [
        (
            "Co-operation Arrangement on Food Traceability between the Government of the Hong "
            "Kong Special Administrative Region and the Zhejiang Provincial People's Government",
            ["Ho Chun-wai", "Gao Lin"],
        )
    ]


def test_two_short_forms_before_were_signed_name_the_signatories_of_both(extract):
    ex = extract(
        'Two documents were signed: the "Framework Agreement on Hong Kong/Zhejiang '
        'Co-operation" and the "Co-operation Memorandum of the Second Meeting".',
        "The Framework Agreement and the Co-operation Memorandum were signed by Mr Ho "
        "Chun-wai and Ms Gao Lin.",
    )
    assert signed(ex) == [
        ("Framework Agreement on Hong Kong/Zhejiang Co-operation", ["Ho Chun-wai", "Gao Lin"]),
        ("Co-operation Memorandum of the Second Meeting", ["Ho Chun-wai", "Gao Lin"]),
    ]


# -- untitled sets ------------------------------------------------------------------------
def test_a_set_of_agreements_one_per_topic(extract):
    ex = extract(
        "Departments of the two places signed three agreements on tourism, sports and healthcare."
    )
    assert signed(ex) == [
        ("Agreement on tourism", []),
        ("Agreement on sports", []),
        ("Agreement on healthcare", []),
    ]


def test_a_set_of_mous_one_per_topic(extract):
    ex = extract(
        "Witnessed by Mr Chan, the two sides signed three MoUs on tourism, trade and youth."
    )
    assert [d.title for d in ex.documents] == [
        "Memorandum of Understanding on tourism",
        "Memorandum of Understanding on trade",
        "Memorandum of Understanding on youth",
    ]


def test_a_shared_last_word_goes_where_the_topics_need_it(extract):
    ex = extract(
        "The two sides signed two co-operation agreements on aviation and youth exchanges.",
        "Their tourism boards signed agreements on cultural and sports exchanges.",
        "Their universities signed agreements on research, teaching and student co-operation.",
    )
    assert [d.title for d in ex.documents] == [
        "Co-operation Agreement on aviation",
        "Co-operation Agreement on youth exchanges",
        "Agreement on cultural exchanges",
        "Agreement on sports exchanges",
        "Agreement on research co-operation",
        "Agreement on teaching co-operation",
        "Agreement on student co-operation",
    ]


def test_a_set_described_then_listed_by_title_is_the_titles(extract):
    ex = extract(
        "The two sides signed two agreements on trade and tourism:",
        '- "Agreement on Trade Promotion between Hong Kong and Zhejiang"; and\n',
        '- "Agreement on Joint Tourism Marketing".\n',
    )
    assert [d.title for d in ex.documents] == [
        "Agreement on Trade Promotion between Hong Kong and Zhejiang",
        "Agreement on Joint Tourism Marketing",
    ]


# -- earlier signings ---------------------------------------------------------------------
def test_documents_signed_at_earlier_meetings_are_not_this_meetings(extract):
    ex = extract(
        'Mr Ho Chun-wai recalled that the "Framework Agreement on Hong Kong/Zhejiang '
        'Co-operation", signed at the First Meeting held in Hangzhou in 2018, had guided the '
        "work of both sides.",
        "Under the arrangement signed last year, 40 Zhejiang students took up internships.",
        "The two sides had signed the Memorandum on Port Co-operation before the pandemic.",
        "Zhejiang will make full use of the Mainland and Hong Kong Closer Economic Partnership "
        "Arrangement (CEPA), which was signed in 2003.",
        "Building on the Framework Agreement on Innovation signed in 2021, Mr Ho Chun-wai and "
        'Ms Gao Lin today signed the "Co-operation Memorandum of the Second Meeting".',
    )
    assert signed(ex) == [
        ("Co-operation Memorandum of the Second Meeting", ["Ho Chun-wai", "Gao Lin"])
    ]


# -- signatories and witnesses ------------------------------------------------------------
def test_a_fronted_witnessed_by_clause_names_witnesses_not_signatories(extract):
    ex = extract(
        "Witnessed by the Chief Executive, Mr Lam Tak-on, and Mr Zhou Wei, Mr Ho Chun-wai and "
        'Ms Fang Hui signed the "Agreement on Co-operation in Elderly Care".'
    )
    assert signed(ex) == [
        ("Agreement on Co-operation in Elderly Care", ["Ho Chun-wai", "Fang Hui"])
    ]


def test_parties_are_the_bodies_or_places_between_which_it_is_signed(extract):
    ex = extract(
        "The Co-operation Arrangement on Food Traceability between the Centre for Food Safety "
        "and the Zhejiang Provincial Administration for Market Regulation was signed.",
        'Mr Ho Chun-wai signed the "Agreement on Youth Exchange between Hong Kong and Zhejiang".',
    )
    assert [d.parties for d in ex.documents] == [
        ["Centre for Food Safety", "Zhejiang Provincial Administration for Market Regulation"],
        ["Hong Kong", "Zhejiang"],
    ]


def test_titles_listed_inside_the_signing_sentence(extract):
    ex = extract(
        "The two sides signed five documents, including the Framework Agreement on Smart City "
        "Co-operation and the Memorandum on Talent Exchange.",
        "The customs authorities signed two documents: the Arrangement on Customs Clearance "
        "and the Protocol on Mutual Recognition of Inspections.",
    )
    assert [d.title for d in ex.documents] == [
        "Framework Agreement on Smart City Co-operation",
        "Memorandum on Talent Exchange",
        "Arrangement on Customs Clearance",
        "Protocol on Mutual Recognition of Inspections",
    ]


def test_a_title_in_single_curly_quotes_keeps_its_apostrophes(extract):
    ex = extract(
        "Mr Ho Chun-wai and Ms Gao Lin signed the ‘Co-operation Agreement between the HKSAR "
        "Government and the Zhejiang Provincial People’s Government’ after the meeting."
    )
    assert signed(ex) == [
        (
            "Co-operation Agreement between the HKSAR Government and the Zhejiang Provincial "
            "People's Government",
            ["Ho Chun-wai", "Gao Lin"],
        )
    ]


def test_a_signing_at_another_plenary_or_still_to_come_is_not_this_meetings(extract):
    ex = extract(
        'Mr Ho Chun-wai reviewed the "Framework Agreement on Hong Kong/Zhejiang Co-operation" '
        "signed at the First Plenary Session, which had guided co-operation since.",
        "The two sides agreed to sign a memorandum of understanding on sports exchanges at the "
        "next meeting, and a co-operation agreement on water supply will be signed later.",
        'Mr Ho Chun-wai and Ms Gao Lin signed the "Co-operation Memorandum of the Third Plenary '
        'Session" at the Third Plenary Session today.',
    )
    assert signed(ex) == [
        ("Co-operation Memorandum of the Third Plenary Session", ["Ho Chun-wai", "Gao Lin"])
    ]


def test_a_signing_at_the_plenary_this_release_reports_is_this_meetings(extract):
    ex = extract(
        "The Second Plenary Session of the Hong Kong/Zhejiang Co-operation Conference was held "
        "in Hangzhou today (May 8).",
        'The "Agreement on Co-operation in Health" was signed at the second plenary session by '
        "Mr Yip Wing-kei and Ms Fang Hui.",
    )
    assert ex.event is not None and ex.event.ordinal == 2
    assert signed(ex) == [("Agreement on Co-operation in Health", ["Yip Wing-kei", "Fang Hui"])]


def test_an_abbreviation_in_brackets_does_not_cut_an_unquoted_title(extract):
    ex = extract(
        "The Memorandum of Understanding (MOU) on Smart Tourism was signed by Ms Wong Siu-lan "
        "and Mr Zhou Wei, who also signed a memorandum of understanding (MoU) on hotel training."
    )
    assert [d.title for d in ex.documents] == [
        "Memorandum of Understanding on Smart Tourism",
        "Memorandum of understanding on hotel training",
    ]


def test_a_sentence_of_two_signings_gives_each_document_its_own_signatories(extract):
    ex = extract(
        'Mr Ho Chun-wai and Ms Gao Lin signed the "Framework Agreement on Port Co-operation", '
        'and Mr Yip Wing-kei and Ms Fang Hui signed the "Memorandum on Rail Freight".',
        "The Arrangement on Cross-boundary Ambulance Transfers was signed by Ms Wong Siu-lan "
        "and Mr Zhou Wei, and the Agreement on Elderly Care Vouchers was signed by Mr Lam "
        "Tak-on.",
    )
    assert signed(ex) == [
        ("Framework Agreement on Port Co-operation", ["Ho Chun-wai", "Gao Lin"]),
        ("Memorandum on Rail Freight", ["Yip Wing-kei", "Fang Hui"]),
        ("Arrangement on Cross-boundary Ambulance Transfers", ["Wong Siu-lan", "Zhou Wei"]),
        ("Agreement on Elderly Care Vouchers", ["Lam Tak-on"]),
    ]


def test_witnesses_named_by_surname_alone_are_still_only_witnesses(extract):
    ex = extract(
        "Witnessed by Ho and Gao, the Secretary for Housing, Mr Yip Wing-kei, and Ms Fang Hui "
        "signed the Memorandum on Public Housing Research."
    )
    assert signed(ex) == [("Memorandum on Public Housing Research", ["Yip Wing-kei", "Fang Hui"])]


def test_a_title_then_signed_by_between_commas(extract):
    ex = extract(
        "The Co-operation Agreement on Wetland Conservation, signed by Mr Lam Tak-on and Ms Gao "
        "Lin, sets out joint surveys of migratory birds.",
        'The two sides also signed the "Agreement on Joint Research". The agreement, signed '
        "by Mr Ho Chun-wai and Mr Zhou Wei, covers five fields.",
    )
    assert signed(ex) == [
        ("Co-operation Agreement on Wetland Conservation", ["Lam Tak-on", "Gao Lin"]),
        ("Agreement on Joint Research", ["Ho Chun-wai", "Zhou Wei"]),
    ]


def test_a_title_line_about_signed_documents_leads_a_numbered_list(extract):
    ex = extract(
        "The meeting ended with a signing ceremony.",
        "Annex: co-operation documents signed at the meeting",
        "1. Agreement on Co-operation in Smart Ports between the Marine Department and the "
        "Zhejiang Provincial Department of Transport\n",
        "2. Memorandum of Understanding on Youth Internships\n",
    )
    assert [(d.title, d.parties) for d in ex.documents] == [
        (
            "Agreement on Co-operation in Smart Ports between the Marine Department and the "
            "Zhejiang Provincial Department of Transport",
            ["Marine Department", "Zhejiang Provincial Department of Transport"],
        ),
        ("Memorandum of Understanding on Youth Internships", []),
    ]


def test_a_quoted_name_is_a_document_only_where_it_is_what_is_signed(extract):
    ex = extract(
        'Ms Wong Siu-lan and Mr Zhou Wei signed a letter of intent on the "Green Harbour" project.',
        'Mr Ho Chun-wai and Ms Gao Lin then signed the "Hong Kong-Zhejiang Youth Compact" and '
        'the "Charter on River Clean-up", and witnessed the signing of the "Joint Pledge on '
        'Heritage".',
    )
    assert [d.title for d in ex.documents] == [
        "Letter of intent on the Green Harbour project",
        "Hong Kong-Zhejiang Youth Compact",
        "Charter on River Clean-up",
        "Joint Pledge on Heritage",
    ]


def test_a_list_item_ends_where_its_signing_is_told_in_brackets_after_a_dash_or_colon(extract):
    ex = extract(
        "The following documents were signed:",
        "• Memorandum of Understanding on Smart Ports between the Marine Department and the "
        "Ningbo Port Authority (signed by Mr Ho Chun-wai and Ms Gao Lin);\n",
        "•Agreement on Youth Exchange – signed by Mr Yip Wing-kei and Ms Fang Hui\n",
        "• Co-operation Arrangement on Tourism: signed by Ms Wong Siu-lan and Mr Zhou Wei.\n",
    )
    assert signed(ex) == [
        (
            "Memorandum of Understanding on Smart Ports between the Marine Department and the "
            "Ningbo Port Authority",
            ["Ho Chun-wai", "Gao Lin"],
        ),
        ("Agreement on Youth Exchange", ["Yip Wing-kei", "Fang Hui"]),
        ("Co-operation Arrangement on Tourism", ["Wong Siu-lan", "Zhou Wei"]),
    ]


def test_a_set_on_co_operation_alone_names_no_topic(extract):
    ex = extract(
        "Memoranda of understanding (MOUs) on co-operation between Hong Kong and Zhejiang in "
        "aviation, healthcare and sports were signed at the ceremony."
    )
    assert ex.documents == []


def test_the_signing_of_an_untitled_document_between_two_bodies(extract):
    ex = extract(
        "Mr Lam Tak-on witnessed the signing of a co-operation agreement between the Hong Kong "
        "Productivity Council and Zhejiang University."
    )
    assert [(d.title, d.signatories, d.parties) for d in ex.documents] == [
        (
            "Co-operation agreement between the Hong Kong Productivity Council and Zhejiang "
            "University",
            [],
            ["Hong Kong Productivity Council", "Zhejiang University"],
        )
    ]


def test_a_definite_description_is_a_document_only_when_it_says_what_on(extract):
    ex = extract(
        "Mr Ho Chun-wai and Ms Gao Lin signed the memorandum of understanding on smart "
        "logistics. The relevant agreement was signed by Mr Yip Wing-kei and Ms Fang Hui."
    )
    assert signed(ex) == [
        ("Memorandum of understanding on smart logistics", ["Ho Chun-wai", "Gao Lin"])
    ]


# -- house styles of other offices (sentences written after the rules) ---------------------
def test_a_numbered_list_with_translated_titles_ends_each_title_at_its_translation(extract):
    ex = extract(
        "After the meeting, Mr Ho Chun-wai and Ms Gao Lin witnessed the signing of two "
        "documents. The following documents were signed:",
        "1. Memorandum of Understanding on Cold Chain Logistics (《冷鏈物流合作備忘錄》) between "
        "the Logistics Council and the Department of Commerce of Zhejiang Province, signed "
        "by Mr Yip Wing-kei and Ms Fang Hui; and",
        "2. Agreement on Marine Ranching (《海洋牧場合作協議》), signed by Dr Lau Siu-ming "
        "and Mr Qian Jun.",
    )
    assert signed(ex) == [
        ("Memorandum of Understanding on Cold Chain Logistics", ["Yip Wing-kei", "Fang Hui"]),
        ("Agreement on Marine Ranching", ["Lau Siu-ming", "Qian Jun"]),
    ]


@pytest.mark.parametrize(
    "quoted",
    [
        "'Co-operation Agreement on Wetland Protection'",
        "«Co-operation Agreement on Wetland Protection»",
        "« Co-operation Agreement on Wetland Protection »",
        "_Co-operation Agreement on Wetland Protection_",
    ],
)
def test_titles_between_single_quotes_guillemets_or_underscores(extract, quoted):
    ex = extract(f"Mr Yip Wing-kei and Ms Fang Hui signed the {quoted} this morning.")
    assert signed(ex) == [
        ("Co-operation Agreement on Wetland Protection", ["Yip Wing-kei", "Fang Hui"])
    ]


def test_a_single_quoted_title_holds_apostrophes_and_an_earlier_one_is_not_this_meetings(
    extract,
):
    ex = extract(
        "Ms Gao Lin recalled that the 'Agreement between the Ningbo Municipal People's "
        "Government and the Trade Development Council' signed in 2021 had served both sides "
        "well.",
        "Mr Yip Wing-kei and Ms Fang Hui signed the 'Memorandum on the Zhejiang People's "
        "Orchestra Tour'.",
    )
    assert signed(ex) == [
        ("Memorandum on the Zhejiang People's Orchestra Tour", ["Yip Wing-kei", "Fang Hui"])
    ]


def test_a_counted_set_of_agreements_covering_topics_is_one_document_a_topic(extract):
    ex = extract(
        "The two sides also signed three co-operation agreements, covering seed breeding, "
        "cold storage and rural tourism."
    )
    assert signed(ex) == [
        ("Co-operation Agreement on seed breeding", []),
        ("Co-operation Agreement on cold storage", []),
        ("Co-operation Agreement on rural tourism", []),
    ]


def test_a_count_that_disagrees_with_the_topics_names_no_document(extract):
    ex = extract(
        "The two sides signed 15 co-operation agreements, covering agriculture and tourism."
    )
    assert ex.documents == []


def test_officiating_at_the_signing_ceremony_is_not_signing(extract):
    ex = extract(
        "Mr Ho Chun-wai and Ms Gao Lin officiated at the signing ceremony of the 'Memorandum "
        "of Understanding on Youth Internships'. The memorandum was signed by Mr Yip Wing-kei "
        "and Ms Fang Hui."
    )
    assert signed(ex) == [
        ("Memorandum of Understanding on Youth Internships", ["Yip Wing-kei", "Fang Hui"])
    ]


def test_officials_signing_on_behalf_of_their_governments_are_the_signatories(extract):
    ex = extract(
        "Witnessed by Mr Ho Chun-wai, the Director of Commerce, Ms Gao Lin, on behalf of the "
        "Zhejiang Provincial People's Government, and the Commissioner for Tourism, Mr Yip "
        "Wing-kei, on behalf of the HKSAR Government, signed the «Agreement on Joint Cruise "
        "Promotion».",
        "A memorandum on museum loans is to be signed by the end of the year.",
    )
    assert signed(ex) == [("Agreement on Joint Cruise Promotion", ["Gao Lin", "Yip Wing-kei"])]


def test_a_full_name_again_without_honorific_signs(extract):
    ex = extract(
        "Fang Hui, vice governor of Zhejiang province, and Yip Wing-kei, Commissioner for "
        "Tourism, spoke at the meeting.",
        'Witnessed by Mr Ho Chun-wai, Fang Hui and Yip Wing-kei inked the "Framework '
        'Agreement on Cruise Tourism" after the talks. Forty projects were also signed.',
    )
    assert signed(ex) == [("Framework Agreement on Cruise Tourism", ["Fang Hui", "Yip Wing-kei"])]


# -- stop 31: the document named again by its abbreviation or a generic noun --------------
def test_an_abbreviation_names_the_document_again(extract):
    ex = extract(
        "The Environment and Ecology Bureau and the Zhejiang Provincial Department of Ecology "
        "signed a Memorandum of Understanding on Marine Conservation today.",
        "The MOU was signed by the Permanent Secretary for Environment and Ecology, Ms Janice "
        "Tse, and the Director of the Department, Mr Zhou Wei.",
    )
    assert signed(ex) == [
        ("Memorandum of Understanding on Marine Conservation", ["Janice Tse", "Zhou Wei"])
    ]


def test_a_letter_of_intent_named_again_as_the_letter(extract):
    ex = extract(
        "Invest Hong Kong and the Zhejiang Provincial Department of Commerce signed a Letter "
        "of Intent on Investment Promotion.",
        "The LoI was signed by Ms Alpha Lau and Mr Chen Gang. Under the letter, the two "
        "sides will hold joint seminars.",
    )
    assert signed(ex) == [("Letter of Intent on Investment Promotion", ["Alpha Lau", "Chen Gang"])]


def test_the_agreement_is_the_one_document_a_release_signs(extract):
    ex = extract(
        "The Hong Kong Tourism Board and the Zhejiang Provincial Department of Culture and "
        "Tourism signed a Memorandum of Understanding on Cruise Tourism.",
        "The agreement was signed by the Executive Director of the Board, Mr Dane Cheng, "
        "and the Director of the Department, Ms Chu Ying.",
    )
    assert signed(ex) == [
        ("Memorandum of Understanding on Cruise Tourism", ["Dane Cheng", "Chu Ying"])
    ]


def test_the_agreement_of_two_is_the_one_titled_so(extract):
    ex = extract(
        "The two sides signed a Memorandum of Understanding on Youth Exchange and an "
        "Agreement on Film Co-production.",
        "The agreement was signed by Mr Yip Wing-kei and Ms Fang Hui.",
    )
    assert signed(ex) == [
        ("Memorandum of Understanding on Youth Exchange", []),
        ("Agreement on Film Co-production", ["Yip Wing-kei", "Fang Hui"]),
    ]


def test_those_in_whose_presence_it_was_signed_did_not_sign_it(extract):
    ex = extract(
        "The Hong Kong Productivity Council and the Zhejiang Provincial Department of Economy "
        "and Information Technology signed a Memorandum of Understanding on Smart Factories.",
        "The MoU was signed by Mr Mohamed Butt and Ms Xu Lan in the presence of the Secretary "
        "for Innovation, Technology and Industry, Professor Sun Dong.",
        "An Agreement on Robotics Training was signed by Mr Yip Wing-kei and Ms Fang Hui at a "
        "ceremony attended by the Vice Governor of Zhejiang, Mr Lu Shan.",
    )
    assert signed(ex) == [
        ("Memorandum of Understanding on Smart Factories", ["Mohamed Butt", "Xu Lan"]),
        ("Agreement on Robotics Training", ["Yip Wing-kei", "Fang Hui"]),
    ]


def test_signers_after_a_presence_clause_that_opens_the_sentence(extract):
    ex = extract(
        "In the presence of the Chief Executive, Mr John Lee, Mr Yip Wing-kei and Ms Fang Hui "
        "signed the Memorandum of Understanding on Cultural Exchange."
    )
    assert signed(ex) == [
        ("Memorandum of Understanding on Cultural Exchange", ["Yip Wing-kei", "Fang Hui"])
    ]


def test_the_meetings_place_ends_no_unquoted_title(registry):
    text = (
        "Second Plenary of the Hong Kong/Zhejiang Co-operation Conference held in Ningbo\n\n"
        "The Second Plenary Session of the Hong Kong/Zhejiang Co-operation Conference was "
        "held in Ningbo today (May 20). After the meeting, Mr Yip Wing-kei and Ms Fang Hui "
        "signed an Agreement on Co-operation in Port Logistics in Ningbo, and Mr Ho Chun-wai "
        "and Ms Gao Lin signed a Memorandum of Understanding on the Qianwan New Area in "
        "Ningbo.\n"
    )
    source = Source(path="inline", doc_id="inline", text=text, date="2027-05-20")
    ex = extract_document(source, registry)
    assert ex.event is not None and ex.event.place == "Ningbo"
    assert signed(ex) == [
        ("Agreement on Co-operation in Port Logistics", ["Yip Wing-kei", "Fang Hui"]),
        (
            "Memorandum of Understanding on the Qianwan New Area in Ningbo",
            ["Ho Chun-wai", "Gao Lin"],
        ),
    ]
