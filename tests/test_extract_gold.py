"""The extraction of the seed release against its hand-checked gold answer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kg.extract import extract_document
from kg.registry import load_corrections, load_registry
from kg.source import read_source

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
GOLD = yaml.safe_load((ROOT / "tests" / "gold" / "004_938a3d0296569c86.yaml").read_text())


def f1(found: set[str], gold: set[str]) -> float:
    hits = len(found & gold)
    if not hits:
        return 0.0
    precision, recall = hits / len(found), hits / len(gold)
    return 2 * precision * recall / (precision + recall)


@pytest.fixture(scope="module")
def ex():
    src = read_source(DATA / "sources" / f"{GOLD['document']}.txt")
    return extract_document(
        src, load_registry(DATA / "registry"), load_corrections(DATA / "corrections")
    )


def test_organization_f1(ex):
    named = {o.label for o in ex.organizations if o.kind != "generic_group"}
    groups = {o.label for o in ex.organizations if o.kind == "generic_group"}
    assert f1(named, set(GOLD["organizations"])) >= 0.9
    assert f1(named | groups, set(GOLD["organizations"]) | set(GOLD["generic_groups"])) >= 0.9


def test_areas_and_commitments(ex):
    assert ex.stated_area_count == GOLD["stated_area_count"]
    assert [{"label": a.label, "heading_in_text": a.heading_in_text} for a in ex.areas] == (
        GOLD["areas"]
    )
    assert len(ex.commitments) == len(GOLD["commitments"])
    for got, want in zip(ex.commitments, GOLD["commitments"], strict=True):
        assert got.span.text.startswith(want["starts"]) and got.area == want["area"]


def test_people_and_documents(ex):
    assert [(p.name, p.posts[0].post) for p in ex.people] == [
        (p["name"], p["post"]) for p in GOLD["people"]
    ]
    for got, want in zip(ex.documents, GOLD["documents"], strict=True):
        assert (got.title, got.signatories) == (want["title"], want["signatories"])
        if "parties" in want:
            assert got.parties == want["parties"]


def test_event(ex):
    want = GOLD["event"]
    ev = ex.event
    assert (ev.label, ev.mechanism, ev.ordinal, ev.date, ev.place) == (
        want["label"], want["mechanism"], want["ordinal"], str(want["date"]), want["place"]
    )  # fmt: skip
