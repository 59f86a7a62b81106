"""The seed press release: exact answers for every part of the extraction."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kg.extract import extract_document
from kg.registry import load_corrections, load_registry
from kg.source import read_source

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
RELEASE = DATA / "sources" / "004_938a3d0296569c86.txt"

AREAS = [
    ("The Belt and Road Initiative, Economic, Trade and Investment Co-operation", True, 2),
    ("Finance", False, 2),
    ("Innovation and Technology", True, 2),
    ("Logistics", False, 1),
    ("Cultural Exchange and Tourism", True, 2),
    ("Education", False, 2),
    ("Talent Exchange", True, 2),
    ("Youth Development", True, 2),
    ("Legal and Dispute Resolution", True, 2),
    ("Health and Chinese Medicine", True, 2),
    ("Facilitation for Hong Kong People in the Mainland", True, 2),
]


@pytest.fixture(scope="module")
def registry():
    return load_registry(DATA / "registry")


@pytest.fixture(scope="module")
def ex(registry):
    return extract_document(read_source(RELEASE), registry, load_corrections(DATA / "corrections"))


def test_event(ex):
    ev = ex.event
    assert ev.label == (
        "High-Level Meeting cum First Plenary Session of "
        "Hong Kong/Chongqing Co-operation Conference"
    )
    assert (ev.mechanism, ev.ordinal, ev.place, ev.date) == (
        "Hong Kong/Chongqing Co-operation Conference", 1, "Chongqing", "2023-05-11"
    )  # fmt: skip
    assert ex.jurisdictions == ["Hong Kong", "Chongqing"]


def test_eleven_areas_in_order_three_restored(ex):
    assert ex.stated_area_count == 11
    assert [(a.label, a.heading_in_text) for a in ex.areas] == [(a, h) for a, h, _ in AREAS]
    restored = [a for a in ex.areas if not a.heading_in_text]
    assert [a.correction for a in restored] == [
        "004_938a3d0296569c86-finance",
        "004_938a3d0296569c86-logistics",
        "004_938a3d0296569c86-education",
    ]


def test_twenty_one_commitments_with_their_areas(ex):
    assert len(ex.commitments) == 21
    assert Counter(c.area for c in ex.commitments) == {a: n for a, _, n in AREAS}
    firsts = {c.span.text.split(",")[0][:60]: c.area for c in ex.commitments}
    assert firsts["Encourage Chongqing to make full use of the comprehensive ad"] == "Logistics"
    assert firsts["Chongqing fully implements the policies and measures introdu"] == (
        "Facilitation for Hong Kong People in the Mainland"
    )


def test_every_span_slices_the_source(ex):
    text = ex.source.text
    spans = [c.span for c in ex.commitments] + [a.span for a in ex.areas if a.span]
    spans += [m for o in ex.organizations for m in o.mentions]
    spans += [h.span for p in ex.people for h in p.posts] + [
        m for p in ex.people for m in p.mentions
    ]
    spans += [d.span for d in ex.documents] + [ex.event.span]
    assert len(spans) > 90
    for span in spans:
        assert text[span.start : span.end] == span.text
    for c in ex.to_json()["commitments"]:
        assert text[c["start"] : c["end"]] == c["text"]


def test_verbs(ex):
    def verbs(start):
        return next(c.verbs for c in ex.commitments if c.span.text.startswith(start))

    assert verbs("Chongqing fully implements") == ["Implement", "Explore"]
    assert verbs("Under the co-ordination") == ["Promote", "Deepen", "Explore", "Select"]
    assert verbs("Explore the establishment") == ["Explore", "Strengthen", "Promote"]
    assert verbs("Accelerate academic") == ["Accelerate", "Strengthen"]
    assert verbs("Support and promote") == ["Support", "Promote"]
    for c in ex.commitments:
        assert c.verbs and all(v[0].isupper() for v in c.verbs)


def test_hkex_and_the_share_transfer_center_share_a_commitment(ex):
    both = [
        c for c in ex.commitments
        if {"Hong Kong Exchanges and Clearing Limited", "Chongqing Share Transfer Center"}
        <= set(c.bodies)
    ]  # fmt: skip
    assert len(both) == 1 and both[0].area == "Finance"
    assert both[0].bodies == [
        "Hong Kong financial regulatory authorities",
        "Chongqing financial regulatory authorities",
        "Hong Kong Exchanges and Clearing Limited",
        "Chongqing Share Transfer Center",
    ]


def test_generic_groups_one_per_side(ex):
    law = next(c for c in ex.commitments if c.span.text.startswith("Encourage the law"))
    assert law.bodies == [
        "Hong Kong law associations",
        "Chongqing law associations",
        "China Chongqing Arbitration Commission",
        "Hong Kong arbitration institutions",
    ]
    orgs = {o.label: o for o in ex.organizations}
    assert orgs["Hong Kong chambers of commerce"].kind == "generic_group"
    assert orgs["Chongqing law associations"].jurisdiction == "Chongqing"


def test_organizations(ex):
    orgs = {o.label: o for o in ex.organizations}
    hkex = orgs["Hong Kong Exchanges and Clearing Limited"]
    assert (hkex.kind, hkex.jurisdiction, hkex.known, hkex.aliases) == (
        "exchange", "Hong Kong", True, ["HKEX"]
    )  # fmt: skip
    assert orgs["Chongqing Municipal Committee of the Communist Party of China"].kind == (
        "party_committee"
    )
    assert orgs["Mainland Enterprises Partnership Exchange and Interface Programme"].kind == (
        "programme"
    )
    assert orgs["Asia Summit on Global Health"].kind == "event"
    assert orgs["Hong Kong and Macao Affairs Office of the State Council"].parent == "State Council"
    assert all(o.known for o in ex.organizations)
    assert "Cultural Exchange" not in orgs and "Talent Exchange" not in orgs  # headings


def test_people_and_posts(ex):
    people = {p.name: p for p in ex.people}
    assert list(people) == [
        "John Lee", "Yuan Jiajun", "Wang Linggui", "Chan Kwok-ki",
        "Zhang Guozhi", "Algernon Yau", "Sun Dong", "Clement Woo",
    ]  # fmt: skip
    chan = people["Chan Kwok-ki"]
    assert [(h.post, h.body) for h in chan.posts] == [
        ("Chief Secretary for Administration",
         "Government of the Hong Kong Special Administrative Region")
    ]  # fmt: skip
    assert chan.posts[0].span.text == "Chief Secretary for Administration, Mr Chan Kwok-ki"
    assert len(chan.mentions) == 2
    zhang = people["Zhang Guozhi"].posts[0]
    assert (zhang.post, zhang.body) == (
        "Vice Mayor of Chongqing",
        "Chongqing Municipal People's Government",
    )
    assert people["Sun Dong"].honorific == "Professor"
    assert people["Sun Dong"].posts[0].post == "Secretary for Innovation, Technology and Industry"
    # "Mr Lee said" is John Lee again, not a new person.
    assert len(people["John Lee"].mentions) == 2


def test_documents(ex):
    docs = [(d.title, d.signatories, d.parties) for d in ex.documents]
    hk_gov = "Government of the Hong Kong Special Administrative Region"
    cq_gov = "Chongqing Municipal People's Government"
    assert docs == [
        ("Hong Kong/Chongqing Co-operation Conference Mechanism",
         ["Chan Kwok-ki", "Zhang Guozhi"], [hk_gov, cq_gov]),
        ("Co-operation Memorandum of the High-Level Meeting cum First Plenary Session of the "
         "Hong Kong/Chongqing Co-operation Conference", ["Chan Kwok-ki", "Zhang Guozhi"],
         [hk_gov, cq_gov]),
        ("Strategic Co-operation Memorandum between Chongqing Municipal Commission of Commerce "
         "and Hong Kong Trade Development Council", [],
         ["Chongqing Municipal Commission of Commerce", "Hong Kong Trade Development Council"]),
        ("Co-operation Memorandum on Innovation and Technology between Hong Kong and Chongqing",
         [], ["Hong Kong", "Chongqing"]),
    ]  # fmt: skip


def test_a_release_has_no_statements(ex):
    assert ex.statements == []


def test_without_corrections_lost_headings_leave_areas_unknown(registry):
    ex = extract_document(read_source(RELEASE), registry)
    assert ex.stated_area_count == 11 and len(ex.areas) == 8
    assert all(a.heading_in_text for a in ex.areas)
    assert len(ex.commitments) == 21
    assert sum(c.area is None for c in ex.commitments) == 5


def test_a_stale_correction_is_an_error(registry, tmp_path):
    from kg.corrections import Correction
    from kg.errors import InputError

    bad = Correction("x", "004_938a3d0296569c86", "lost_heading", "Finance", "No such words",
                     "r", "s", "fix.yaml", 7)  # fmt: skip
    with pytest.raises(InputError) as info:
        extract_document(read_source(RELEASE), registry, [bad])
    assert (info.value.path, info.value.line) == ("fix.yaml", 7)


def test_json_matches_the_contract(ex):
    out = ex.to_json()
    assert set(out) >= {"source", "event", "stated_area_count", "areas", "commitments",
                        "organizations", "people", "documents"}  # fmt: skip
    assert out["source"]["date"] == "2023-05-11"
    assert {o["kind"] for o in out["organizations"]} <= {
        "government", "party_committee", "agency", "statutory_body", "exchange", "institution",
        "academic", "enterprise", "association", "programme", "event", "generic_group",
    }  # fmt: skip


def test_json_keeps_generic_groups_apart(ex):
    """Named bodies in `organizations`; collectives such as "Hong Kong universities" in `groups`."""
    out = ex.to_json()
    named = {o["label"] for o in out["organizations"]}
    groups = {g["label"] for g in out["groups"]}
    assert "Hong Kong universities" in groups and "Hong Kong universities" not in named
    assert {g["kind"] for g in out["groups"]} == {"generic_group"}
    finance = next(c for c in out["commitments"] if "HKEX" in c["text"])
    assert set(finance["bodies"]) == {
        "Hong Kong Exchanges and Clearing Limited",
        "Chongqing Share Transfer Center",
    }
    assert "Hong Kong financial regulatory authorities" in finance["groups"]


def test_a_renamed_copy_is_corrected_too(registry, tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_bytes(RELEASE.read_bytes())
    ex = extract_document(read_source(copy), registry, load_corrections(DATA / "corrections"))
    assert ex.source.doc_id == "copy"
    assert len(ex.areas) == 11 and all(c.area for c in ex.commitments)
