"""A release of the same genre in another layout: numbered headings, bullet commitments,
a hard-wrapped line, the count in words, bodies and people the registry lacks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kg.extract import extract_document
from kg.registry import load_registry
from kg.source import read_source

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "docs" / "sichuan_plenary.txt"


@pytest.fixture(scope="module")
def ex():
    return extract_document(read_source(FIXTURE), load_registry(ROOT / "data" / "registry"))


def test_event_and_sides(ex):
    ev = ex.event
    assert (ev.label, ev.mechanism, ev.ordinal, ev.place, ev.date) == (
        "Fourth Plenary Session of Hong Kong/Sichuan Co-operation Conference",
        "Hong Kong/Sichuan Co-operation Conference",
        4,
        "Hong Kong",
        "2024-11-20",
    )
    assert ex.jurisdictions == ["Hong Kong", "Sichuan"]


def test_numbered_headings_and_bullets(ex):
    assert ex.stated_area_count == 8
    assert [a.label for a in ex.areas] == [
        "Economic and Trade Co-operation", "Finance", "Innovation and Technology", "Tourism",
        "Education", "Health", "Legal Services", "Youth",
    ]  # fmt: skip
    assert all(a.heading_in_text for a in ex.areas)
    assert len(ex.commitments) == 9
    assert Counter(c.area for c in ex.commitments)["Economic and Trade Co-operation"] == 2
    wrapped = ex.commitments[1]
    assert wrapped.span.text.endswith("jointly\norganise promotion activities in both places.")
    assert ex.source.text[wrapped.span.start : wrapped.span.end] == wrapped.span.text


def test_verbs_and_bodies(ex):
    by_area = {c.area: c for c in ex.commitments}
    assert by_area["Tourism"].verbs == ["Promote", "Strengthen"]
    assert by_area["Youth"].verbs == ["Promote"]
    assert by_area["Finance"].bodies == [
        "Hong Kong Exchanges and Clearing Limited", "Tianfu Equity Exchange Center"
    ]  # fmt: skip
    assert by_area["Legal Services"].bodies == [
        "Hong Kong law associations",
        "Sichuan law associations",
    ]
    orgs = {o.label: o for o in ex.organizations}
    dept = orgs["Sichuan Provincial Department of Commerce"]
    assert (dept.kind, dept.jurisdiction, dept.known) == ("agency", "Sichuan", False)


def test_people_posts_and_bodies(ex):
    people = {p.name: [(h.post, h.body) for h in p.posts] for p in ex.people}
    assert people == {
        "Chan Kwok-ki": [("Chief Secretary for Administration",
                          "Government of the Hong Kong Special Administrative Region")],
        "Luo Wenbin": [("Executive Vice Governor of Sichuan Province",
                        "Sichuan Provincial People's Government")],
        "Ho Ka-ming": [("Secretary for Constitutional and Mainland Affairs",
                        "Government of the Hong Kong Special Administrative Region")],
        "Zhou Ling": [("Director of the Sichuan Provincial Hong Kong and Macao Affairs Office",
                       "Sichuan Provincial Hong Kong and Macao Affairs Office")],
    }  # fmt: skip


def test_the_signed_agreement(ex):
    assert [(d.title, d.signatories, d.parties) for d in ex.documents] == [
        ("Co-operation Agreement on Youth Exchange between Hong Kong and Sichuan",
         ["Ho Ka-ming", "Zhou Ling"], ["Hong Kong", "Sichuan"]),
    ]  # fmt: skip
    assert "Youth Exchange" not in {o.label for o in ex.organizations}


def _extract(text):
    from kg.model import Source

    return extract_document(
        Source(path="inline", doc_id="inline", text=text), load_registry(ROOT / "data" / "registry")
    )


def test_meeting_named_in_the_text_and_witnesses_are_not_signatories():
    ex = _extract(
        "CE leads delegation to Beijing\n"
        "   The Chief Executive, Mr John Lee, attended the Second Plenary Session of the "
        "Hong Kong/Beijing Co-operation Conference in Beijing today (June 5). Mr Lee and the "
        'Mayor of Beijing, Mr Yin Yong, witnessed the signing of the "Co-operation Agreement '
        'on Culture between Hong Kong and Beijing".\n'
        "Ends/Monday, June 5, 2023\n"
    )
    ev = ex.event
    assert (ev.label, ev.ordinal, ev.place, ev.date) == (
        "Second Plenary Session of the Hong Kong/Beijing Co-operation Conference",
        2,
        "Beijing",
        "2023-06-05",
    )
    assert ex.source.text[ev.span.start : ev.span.end] == ev.label
    assert [(d.signatories, d.parties) for d in ex.documents] == [([], ["Hong Kong", "Beijing"])]
    mayor = next(p for p in ex.people if p.name == "Yin Yong").posts[0]
    assert (mayor.post, mayor.body) == ("Mayor of Beijing", "Beijing Municipal People's Government")


def test_commitments_listed_without_headings():
    ex = _extract(
        "Fifth Plenary Session of Hong Kong/Fujian Co-operation Conference held in Fuzhou\n"
        "   The two sides agreed to:\n"
        "(1) strengthen co-operation between the Fujian Provincial Department of Commerce and "
        "Invest Hong Kong;\n"
        "(2) promote exchanges between youths of the two places.\n"
        "   The Secretary for Justice, Mr Paul Example, also attended.\n"
    )
    assert ex.event.place == "Fuzhou" and ex.areas == []
    assert [c.verbs for c in ex.commitments] == [["Strengthen"], ["Promote"]]
    assert ex.commitments[0].bodies == [
        "Fujian Provincial Department of Commerce",
        "Invest Hong Kong",
    ]
