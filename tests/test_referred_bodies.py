"""Every body the graph links to is described in it: a party committee minted for a new
partner stays unreviewed however the text writes it, and a body named only inside a post
becomes a body found by its shape. (Both once crashed or left a release out of the graph.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.build import build_graph
from kg.extract import extract_document
from kg.model import Source

ROOT = Path(__file__).resolve().parents[1]

RELEASE = """\
Zanzibar and Hong Kong hold first co-operation plenary
The Chief Executive, Mr Lau Chi-wing, and the Secretary of the Communist Party of China \
(CPC) Zanzibar Provincial Committee, Mr Omar Said, co-chaired the First Plenary \
Session of the Hong Kong/Zanzibar Co-operation Conference in Stone Town today (May 3).
The Chief of Office of the Chief Executive, Ms Leong Pui-kei, and the Governor of \
Zanzibar Province, Mr Ali Juma, also attended.
The two sides agreed to co-operate in two areas:
1. Trade
Support the Hong Kong Trade Development Council in organising missions to Zanzibar.
2. Tourism
Encourage the Zanzibar Provincial Committee of the Communist Party of China to welcome \
visitors from Hong Kong.
"""


@pytest.fixture(scope="module")
def extraction(registry):
    source = Source(path="inline", doc_id="zanzibar", text=RELEASE, date="2026-05-03")
    return extract_document(source, registry)


def test_a_minted_party_committee_stays_unreviewed(extraction):
    # Written once plainly, once with an abbreviation inside its name: both are the
    # committee minted for the new place, which no registry entry has reviewed.
    orgs = {o.label: o for o in extraction.organizations}
    committee = orgs["Zanzibar Provincial Committee of the Communist Party of China"]
    assert (committee.kind, committee.jurisdiction, committee.known) == (
        "party_committee",
        "Zanzibar",
        False,
    )


def test_a_body_named_only_inside_a_post_is_a_found_body(extraction):
    orgs = {o.label: o for o in extraction.organizations}
    office = orgs["Office of the Chief Executive"]
    assert office.known is False
    (mention,) = office.mentions
    assert RELEASE[mention.start : mention.end] == mention.text
    # The post before the body's name is the person's, not the body's (stop 31).
    assert mention.text == "Office of the Chief Executive"
    posts = {h.post: h.body for p in extraction.people for h in p.posts}
    assert posts["Chief of Office of the Chief Executive"] == "Office of the Chief Executive"


def test_the_release_builds_with_every_linked_body_described(tmp_path):
    data = tmp_path / "data"
    for part in ("registry", "corrections", "areas"):
        shutil.copytree(ROOT / "data" / part, data / part)
    (data / "sources").mkdir()
    (data / "sources" / "zanzibar.txt").write_text(RELEASE, encoding="utf-8")
    (data / "sources" / "zanzibar.yaml").write_text("date: 2026-05-03\n", encoding="utf-8")
    built = build_graph(data)
    assert built.left_out == []
    assert built.report.conforms, built.report.text()
