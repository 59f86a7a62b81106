"""Partnerships: who a commitment pairs with whom where its text says so (kg/extract/partners.py).

Each phrasing of `patterns.yaml` (`partnerships:`) on a sentence written after the code, in a
tiny release; and the seed's paragraph that named four bodies where the text pairs two.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import extract_path
from kg.extract import extract_document
from kg.model import Commitment, Source

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sources" / "004_938a3d0296569c86.txt"
HEAD = (
    "Hong Kong/Guangxi Co-operation Conference holds first plenary session in Nanning\n"
    "     At the plenary session, the two sides agreed to co-operate in the following areas:\n"
    "Trade and logistics\n"
)


@pytest.fixture
def commitment(registry):
    """The one commitment of a release whose only paragraph is `sentence`."""

    def run(sentence: str) -> Commitment:
        text = HEAD + "     " + sentence + "\n"
        ex = extract_document(Source(path="inline", doc_id="inline", text=text), registry)
        (c,) = ex.commitments
        for p in c.partnerships:
            assert text[p.span.start : p.span.end] == p.span.text
            assert c.span.start <= p.span.start < p.span.end <= c.span.end
        return c

    return run


def pairs(c: Commitment) -> list[tuple[str, str]]:
    return [(p.a, p.b) for p in c.partnerships]


def test_two_betweens_are_two_partnerships_not_a_clique(commitment):
    c = commitment(
        "Deepen co-operation between the Hong Kong Productivity Council and the Guangzhou "
        "Municipal Bureau of Industry, and between the Hospital Authority and the Guangzhou "
        "Municipal Health Commission in the training of nurses."
    )
    assert len(c.bodies) == 4
    assert pairs(c) == [
        ("Guangzhou Municipal Bureau of Industry", "Hong Kong Productivity Council"),
        ("Guangzhou Municipal Health Commission", "Hospital Authority"),
    ]
    assert c.partnerships[1].span.text == (
        "between the Hospital Authority and the Guangzhou Municipal Health Commission"
    )


def test_a_list_after_between_pairs_everyone_named_in_it(commitment):
    c = commitment(
        "Promote exchanges between the Hong Kong Arts Development Council, the Sichuan Museum "
        "and the Chengdu Academy of Fine Arts."
    )
    assert sorted(pairs(c)) == [
        ("Chengdu Academy of Fine Arts", "Hong Kong Arts Development Council"),
        ("Chengdu Academy of Fine Arts", "Sichuan Museum"),
        ("Hong Kong Arts Development Council", "Sichuan Museum"),
    ]
    assert {p.span.text for p in c.partnerships} == {
        "exchanges between the Hong Kong Arts Development Council, the Sichuan Museum and the "
        "Chengdu Academy of Fine Arts"
    }


def test_partnership_between(commitment):
    c = commitment(
        "Strengthen the partnership between the Hong Kong Polytechnic University and the "
        "Guangxi Normal University in materials science."
    )
    assert pairs(c) == [("Guangxi Normal University", "Hong Kong Polytechnic University")]


def test_a_and_b_will_jointly(commitment):
    c = commitment(
        "The Hong Kong Trade Development Council and the Guangxi Department of Commerce will "
        "jointly stage a trade fair in Nanning."
    )
    assert pairs(c) == [("Guangxi Department of Commerce", "Hong Kong Trade Development Council")]
    assert c.partnerships[0].span.text.startswith("The Hong Kong Trade Development Council")


def test_support_a_and_b_in_jointly(commitment):
    c = commitment(
        "Support the Hong Kong Tourism Board and the Guangxi Culture and Tourism Department in "
        "jointly promoting cruise tourism."
    )
    assert pairs(c) == [("Guangxi Culture and Tourism Department", "Hong Kong Tourism Board")]


def test_support_a_and_b_to_carry_out_exchanges(commitment):
    c = commitment(
        "Support the Hong Kong Polytechnic University and the Guangxi Normal University to carry "
        "out academic exchanges."
    )
    assert pairs(c) == [("Guangxi Normal University", "Hong Kong Polytechnic University")]


def test_support_a_in_working_with_b(commitment):
    c = commitment(
        "Support the Vocational Training Council in working with the Nanning Technical College "
        "on curriculum design."
    )
    assert pairs(c) == [("Nanning Technical College", "Vocational Training Council")]


def test_jointly_with(commitment):
    c = commitment(
        "Support the Hong Kong Trade Development Council in promoting the China-ASEAN Expo "
        "jointly with the Guangxi Department of Commerce."
    )
    # The expo is an event: named between them, it is no partner.
    assert pairs(c) == [("Guangxi Department of Commerce", "Hong Kong Trade Development Council")]


def test_co_operation_of_a_with_b(commitment):
    c = commitment(
        "Expand the co-operation of the Hong Kong Science and Technology Parks Corporation with "
        "the Nanning High-tech Zone Administrative Committee in incubation."
    )
    assert pairs(c) == [
        (
            "Hong Kong Science and Technology Parks Corporation",
            "Nanning High-tech Zone Administrative Committee",
        )
    ]


def test_a_s_co_operation_with_b(commitment):
    c = commitment(
        "Deepen the Airport Authority Hong Kong's co-operation with the Guangxi Airport "
        "Management Group in air cargo."
    )
    assert pairs(c) == [("Airport Authority Hong Kong", "Guangxi Airport Management Group")]


def test_each_other(commitment):
    c = commitment(
        "Support the Hong Kong Trade Development Council and the Guangxi Department of Commerce "
        "to take part in each other's trade fairs."
    )
    assert pairs(c) == [("Guangxi Department of Commerce", "Hong Kong Trade Development Council")]


def test_a_mechanism_for_a_and_b(commitment):
    c = commitment(
        "Set up a co-ordination mechanism for the Hong Kong Tourism Board and the Guangxi "
        "Culture and Tourism Department."
    )
    assert pairs(c) == [("Guangxi Culture and Tourism Department", "Hong Kong Tourism Board")]


def test_groups_of_the_two_places_and_their_examples(commitment):
    c = commitment(
        "Encourage universities of the two places, including Lingnan University and Guangxi "
        "University, to deepen co-operation in research."
    )
    # The examples pair with each other, not with the groups they exemplify.
    assert sorted(pairs(c)) == [
        ("Guangxi University", "Lingnan University"),
        ("Guangxi universities", "Hong Kong universities"),
    ]


def test_places_programmes_and_events_are_never_partners(commitment):
    c = commitment(
        "Promote co-operation between Hong Kong and Guangxi in logistics, and strengthen "
        "co-operation between the China-ASEAN Expo and the Hong Kong Trade Development Council."
    )
    assert c.bodies == ["China-ASEAN Expo", "Hong Kong Trade Development Council"]
    assert pairs(c) == []


def test_bodies_side_by_side_without_a_joint_action_are_not_paired(commitment):
    c = commitment(
        "Encourage the Hong Kong Trade Development Council and the Guangxi Department of "
        "Commerce to promote their services in Europe."
    )
    assert len(c.bodies) == 2
    assert pairs(c) == []


# -- the seed ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed():
    return extract_path(SEED, ROOT / "data")


def test_the_seed_airport_group_paragraph_yields_exactly_two_partnerships(seed):
    text = seed.source.text
    (c,) = [c for c in seed.commitments if "Chongqing Airport Group" in c.bodies]
    assert len(c.bodies) == 4
    got = [(p.a, p.b, p.span.start, p.span.end, p.span.text) for p in c.partnerships]
    first = "co-operation between the Chongqing Vocational College of Public Transportation and the Hong Kong MTR Academy"  # noqa: E501
    second = "co-operation between the Chongqing Airport Group and the Hong Kong International Aviation Academy"  # noqa: E501
    s1, s2 = text.index(first), text.index(second)
    assert got == [
        (
            "Chongqing Vocational College of Public Transportation",
            "Hong Kong MTR Academy",
            s1,
            s1 + len(first),
            first,
        ),
        (
            "Chongqing Airport Group",
            "Hong Kong International Aviation Academy",
            s2,
            s2 + len(second),
            second,
        ),
    ]
    assert (s1, s2) == (6216, 6438)


def test_the_seed_pairs_no_programme_or_event(seed):
    kinds = {o.label: o.kind for o in seed.organizations}
    found = [(p.a, p.b) for c in seed.commitments for p in c.partnerships]
    assert len(found) == 23
    assert not [p for p in found if {kinds[p[0]], kinds[p[1]]} & {"programme", "event"}]


def test_extract_json_has_each_commitments_partnerships(seed):
    data = seed.to_json()
    (c,) = [c for c in data["commitments"] if "Chongqing Airport Group" in c["bodies"]]
    assert [p["partners"] for p in c["partnerships"]] == [
        ["Chongqing Vocational College of Public Transportation", "Hong Kong MTR Academy"],
        ["Chongqing Airport Group", "Hong Kong International Aviation Academy"],
    ]
    text = seed.source.text
    assert all(text[p["start"] : p["end"]] == p["text"] for p in c["partnerships"])
    assert all("partnerships" in c for c in data["commitments"])


def test_a_long_list_is_read_once_whatever_its_length(commitment):
    # Lists whose places and qualifiers can be cut several ways: a failed pattern must not
    # try every way (the ways multiply along the list). Names are chosen to be found.
    item = (
        "the Hong Kong Trade Development Council, universities and research institutes of the "
        "two places, the Guangxi Department of Commerce, arts groups and museums in Hong Kong "
        "and Guangxi, Hong Kong and Guangxi universities"
    )
    c = commitment("Support " + ", ".join([item] * 12) + " to jointly hold trade fairs.")
    labels = set(c.bodies)
    assert {"Hong Kong universities", "Guangxi arts groups"} <= labels
    # One list, everyone in it paired once: n labels give n(n-1)/2 pairs.
    assert len(c.partnerships) == len(labels) * (len(labels) - 1) // 2
