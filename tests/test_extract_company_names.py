"""Company names and other shapes of the genre's bodies (kg/extract/shapes.py, edges.py,
bodies.py), and the phrasings of partnerships added with them (patterns.yaml,
`partnerships:`), each on sentences written after the code."""

from __future__ import annotations

import pytest

from kg.extract import extract_document
from kg.model import Extraction, Source

HEAD = (
    "Hong Kong/Guangxi Co-operation Conference holds first meeting in Nanning\n"
    "     At the meeting, the two sides agreed to co-operate in the following areas:\n"
    "Trade and finance\n"
)


@pytest.fixture
def release(registry):
    """What a release yields whose paragraphs under one heading are `paragraphs`."""

    def run(*paragraphs: str) -> Extraction:
        text = HEAD + "".join(f"     {p}\n" for p in paragraphs)
        ex = extract_document(Source(path="inline", doc_id="inline", text=text), registry)
        for o in ex.organizations:
            for span in o.mentions:
                assert text[span.start : span.end] == span.text
        return ex

    return run


def labels(ex: Extraction) -> list[str]:
    return [o.label for o in ex.organizations]


def pairs(ex: Extraction) -> list[tuple[str, str]]:
    return [(p.a, p.b) for c in ex.commitments for p in c.partnerships]


def test_a_legal_suffix_after_co_or_company_is_part_of_the_name(release):
    ex = release(
        "Encourage the Bank of Nanning Co., Ltd. to open a representative office in Hong Kong.",
        "Support The Kowloon Motor Bus Company, Limited in running coach routes to Nanning.",
    )
    assert labels(ex) == ["Bank of Nanning Co., Ltd.", "Kowloon Motor Bus Company, Limited"]


def test_a_bracketed_place_inside_a_company_name(release):
    ex = release(
        "Promote co-operation between Standard Chartered Bank (Hong Kong) Limited and the Bank "
        "of Nanning Co., Ltd. in trade finance."
    )
    bank_hk, bank_nn = "Standard Chartered Bank (Hong Kong) Limited", "Bank of Nanning Co., Ltd."
    assert labels(ex) == [bank_hk, bank_nn]
    assert pairs(ex) == [(bank_nn, bank_hk)]


def test_markdown_italics_marks_are_not_part_of_a_name(release):
    ex = release("Support the _Nanning Software Park_ in attracting Hong Kong start-ups.")
    assert labels(ex) == ["Nanning Software Park"]


def test_an_on_tail_stops_before_a_day(release):
    ex = release("Officials will tour the Nanning High-tech Industrial Development Zone on Friday.")
    assert labels(ex) == ["Nanning High-tech Industrial Development Zone"]


def test_a_two_word_head_ends_an_of_tail(release):
    ex = release("Support the Administrative Committee of Wuxiang New Area in attracting firms.")
    assert labels(ex) == ["Administrative Committee of Wuxiang New Area"]


def test_a_sub_branch_of_a_known_bank_is_one_body(release):
    ex = release(
        "The Nanning Central Sub-branch of the People's Bank of China will hold a seminar on "
        "cross-boundary payments."
    )
    assert labels(ex) == ["Nanning Central Sub-branch of the People's Bank of China"]


def test_a_name_before_and_a_whole_company_name_is_a_company(release):
    ex = release("Encourage Swire and China Merchants Group Co., Ltd. to jointly invest in ports.")
    assert labels(ex) == ["Swire", "China Merchants Group Co., Ltd."]
    assert ex.organizations[0].kind == "enterprise"
    assert pairs(ex) == [("China Merchants Group Co., Ltd.", "Swire")]


def test_and_inside_a_company_name_stays_in_it(release):
    ex = release(
        "Support the Hong Kong and Yaumati Ferry Company Limited and the Kadoorie Farm and "
        "Botanic Garden Corporation in jointly running nature tours."
    )
    assert labels(ex) == [
        "Hong Kong and Yaumati Ferry Company Limited",
        "Kadoorie Farm and Botanic Garden Corporation",
    ]


def test_a_short_name_in_brackets_of_the_names_own_words(release):
    ex = release(
        "Support the Administration Bureau of the Nansha Free Trade Zone of Guangzhou "
        "(Nansha Bureau) in hosting Hong Kong service providers.",
        "The Nansha Bureau will report on progress every year.",
    )
    (org,) = ex.organizations
    assert org.label == "Administration Bureau of the Nansha Free Trade Zone of Guangzhou"
    assert org.aliases == ["Nansha Bureau"]
    assert [m.text for m in org.mentions][1:] == ["Nansha Bureau", "Nansha Bureau"]


def test_a_name_without_its_of_tail_refers_to_it(release):
    ex = release(
        "Develop the Futian Park of the Nanning Big Data Co-operation Zone as a start-up base.",
        "Hong Kong start-ups will be invited to the Futian Park.",
    )
    (org,) = ex.organizations
    assert org.label == "Futian Park of the Nanning Big Data Co-operation Zone"
    assert len(org.mentions) == 2


# -- partnerships ------------------------------------------------------------------------
def test_a_bracket_after_a_partner_keeps_the_list_whole(release):
    ex = release(
        "Support the Guangxi Provincial Department of Commerce (貴州省商務廳) and the Hong Kong "
        "Productivity Council (HKPC) to jointly run a training programme."
    )
    assert pairs(ex) == [
        ("Guangxi Provincial Department of Commerce", "Hong Kong Productivity Council")
    ]


def test_a_joint_verb_in_the_past(release):
    ex = release(
        "The Hong Kong Productivity Council and the Nanning Municipal Bureau of Industry "
        "co-hosted a forum on smart factories."
    )
    assert pairs(ex) == [("Hong Kong Productivity Council", "Nanning Municipal Bureau of Industry")]


def test_organised_by_two_bodies(release):
    ex = release(
        "Hold a seminar on mediation organised by the Hong Kong Mediation Centre and the "
        "Nanning Arbitration Commission."
    )
    assert pairs(ex) == [("Hong Kong Mediation Centre", "Nanning Arbitration Commission")]


def test_two_bodies_that_will_deepen_exchanges_or_set_up_something_joint(release):
    ex = release(
        "The Hong Kong Trade Development Council and the Guangxi Provincial Department of "
        "Commerce will deepen exchanges on trade promotion, and Guangxi University and Lingnan "
        "University will set up a joint centre on subtropical ecology."
    )
    assert pairs(ex) == [
        ("Guangxi Provincial Department of Commerce", "Hong Kong Trade Development Council"),
        ("Guangxi University", "Lingnan University"),
    ]


def test_a_body_that_acts_with_another(release):
    ex = release(
        "The Hong Kong Tourism Board will hold roadshows with the Guangxi Provincial Department "
        "of Culture and Tourism, and the Hong Kong Science Museum will train guides with the "
        "support of the Guangxi Science and Technology Museum."
    )
    assert pairs(ex) == [
        ("Guangxi Provincial Department of Culture and Tourism", "Hong Kong Tourism Board"),
        ("Guangxi Science and Technology Museum", "Hong Kong Science Museum"),
    ]


def test_support_two_bodies_in_one_act_but_not_encourage_them_each(release):
    ex = release(
        "Support the Hong Kong Heritage Museum and the Guangxi Provincial Museum in staging an "
        "exhibition on Zhuang brocade.",
        "Encourage the Hong Kong Arts Centre and the Nanning Grand Theatre to enhance their "
        "own programmes.",
    )
    assert pairs(ex) == [("Guangxi Provincial Museum", "Hong Kong Heritage Museum")]
