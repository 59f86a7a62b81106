"""The seed news analysis: read once despite its repeated body; themes, sectors, complementarity."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import extract_document
from kg.registry import load_registry
from kg.source import read_source

ROOT = Path(__file__).resolve().parents[1]
ANALYSIS = ROOT / "data" / "sources" / "000_e2277f15603da9c5.txt"


@pytest.fixture(scope="module")
def ex():
    return extract_document(read_source(ANALYSIS), load_registry(ROOT / "data" / "registry"))


def test_no_meeting_no_areas(ex):
    assert ex.event is None and ex.areas == [] and ex.commitments == [] and ex.documents == []
    assert ex.jurisdictions == ["Hong Kong", "Chongqing"]


def test_two_themes_once_each(ex):
    themes = [(s.label, s.span.text) for s in ex.statements if s.kind == "theme"]
    assert themes == [("strong industry", "strong industry"), ("real scenarios", "real scenarios")]


def test_statements_are_read_once(ex):
    keys = [(s.kind, s.label) for s in ex.statements]
    assert len(keys) == len(set(keys))
    half = len(ex.source.text) / 2
    assert all(s.span.end < half for s in ex.statements)  # all from the first printing
    starts = [s.span.start for s in ex.statements]
    assert len(starts) == len(set(starts))  # statement IRIs are minted from span starts


def test_complementarity(ex):
    comp = [s for s in ex.statements if s.kind == "complementarity"]
    assert [(s.offered_by, s.offers) for s in comp] == [
        ("Hong Kong", ["international capital", "professional services",
                       "global regulatory connectivity"]),
        ("Chongqing", ["industrial scale", "production capacity", "supply chain depth"]),
    ]  # fmt: skip
    assert all(s.jurisdictions == ["Hong Kong", "Chongqing"] for s in comp)
    assert comp[0].span.text.startswith("Hong Kong provides access to international capital")
    assert comp[1].span.text == (
        "Chongqing offers industrial scale, production capacity, and supply chain depth"
    )


def test_sectors(ex):
    sectors = {s.label: s for s in ex.statements if s.kind == "sector"}
    assert {"advanced manufacturing", "logistics", "automotive manufacturing",
            "electronics assembly", "finance", "professional services"} <= set(sectors)  # fmt: skip
    assert sectors["automotive manufacturing"].jurisdictions[0] == "Chongqing"


def test_spans_slice_the_source(ex):
    text = ex.source.text
    for s in ex.statements:
        assert text[s.span.start : s.span.end] == s.span.text
