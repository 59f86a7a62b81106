"""Bodies the registry lacks are still found, by the shape of their names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from kg.extract import extract_document
from kg.registry import load_corrections, load_registry
from kg.source import read_source

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FIXTURE = ROOT / "tests" / "fixtures" / "docs" / "shapes.txt"


@pytest.fixture(scope="module")
def orgs():
    ex = extract_document(read_source(FIXTURE), load_registry(DATA / "registry"))
    return {o.label: o for o in ex.organizations}


def test_new_bodies_with_kind_and_jurisdiction(orgs):
    got = {label: (o.kind, o.jurisdiction, o.known) for label, o in orgs.items()}
    assert got == {
        "Nanning Port Logistics Council": ("statutory_body", None, False),
        "Guangxi Beibu Gulf Port Group": ("enterprise", "Guangxi", False),
        "Hong Kong Shipping Research Institute": ("academic", "Hong Kong", False),
        "Hong Kong Liaison Office of the Nanning Port Logistics Council":
            ("agency", "Hong Kong", False),
        "Guangxi Maritime Vocational College": ("academic", "Guangxi", False),
        "Hong Kong Institute of Port Management": ("academic", "Hong Kong", False),
        "Department of Commerce of Guangxi Zhuang Autonomous Region": ("agency", "Guangxi", False),
        "Hong Kong Logistics Association": ("association", "Hong Kong", False),
        "Qinzhou Port Exchange Center": ("exchange", None, False),
        "Beibu Gulf Logistics Forum": ("event", None, False),  # the title names the event
    }  # fmt: skip


def test_parent_from_of_the(orgs):
    office = orgs["Hong Kong Liaison Office of the Nanning Port Logistics Council"]
    assert office.parent == "Nanning Port Logistics Council"
    assert orgs["Hong Kong Institute of Port Management"].parent is None


def test_a_defined_abbreviation_is_learned(orgs):
    council = orgs["Nanning Port Logistics Council"]
    assert council.aliases == ["NPLC"]
    # Named in full three times, by its abbreviation twice ("(NPLC)" and "the NPLC").
    assert (
        sorted(m.text for m in council.mentions)
        == ["NPLC", "NPLC"] + ["Nanning Port Logistics Council"] * 3
    )


def _without(tmp_path, drop):
    folder = tmp_path / "registry"
    shutil.copytree(DATA / "registry", folder)
    bodies = yaml.safe_load((folder / "bodies.yaml").read_text())
    kept = [b for b in bodies if b["name"] not in drop]
    (folder / "bodies.yaml").write_text(yaml.safe_dump(kept, allow_unicode=True))
    return load_registry(folder)


def test_seed_with_a_registry_that_lacks_some_bodies(tmp_path):
    drop = {
        "Hong Kong Trade Development Council",
        "Chongqing Share Transfer Center",
        "Hong Kong MTR Academy",
        "China Chongqing Arbitration Commission",
    }
    registry = _without(tmp_path, drop)
    ex = extract_document(
        read_source(DATA / "sources" / "004_938a3d0296569c86.txt"),
        registry,
        load_corrections(DATA / "corrections"),
    )
    new = {o.label: (o.kind, o.jurisdiction) for o in ex.organizations if not o.known}
    assert new == {
        "Hong Kong Trade Development Council": ("statutory_body", "Hong Kong"),
        "Chongqing Share Transfer Center": ("institution", "Chongqing"),
        "Hong Kong MTR Academy": ("academic", "Hong Kong"),
        "China Chongqing Arbitration Commission": ("agency", "Chongqing"),
    }
    finance = [c for c in ex.commitments if "Chongqing Share Transfer Center" in c.bodies]
    assert len(finance) == 1 and "Hong Kong Exchanges and Clearing Limited" in finance[0].bodies
    strategic = ex.documents[2]
    assert strategic.parties == [
        "Chongqing Municipal Commission of Commerce",
        "Hong Kong Trade Development Council",
    ]


@pytest.mark.parametrize(
    ("sentence", "bodies"),
    [
        # Subjects of two words after the head's "of" (stop 31, sentences written after
        # the rule): the name runs to its last subject, and to its owner's whole name.
        (
            "Invest Hong Kong will work with the Ministry of Tourism, Creative Economy and "
            "Heritage to hold a forum.",
            ["Invest Hong Kong", "Ministry of Tourism, Creative Economy and Heritage"],
        ),
        (
            "The Institute of Soil, Water Resources and Ecology of the Xanadu Academy of "
            "Agricultural Sciences will host the visit.",
            [
                "Institute of Soil, Water Resources and Ecology of the Xanadu Academy of "
                "Agricultural Sciences"
            ],
        ),
        # A list of bodies, of people, of places: not a body's subjects.
        (
            "The Ministry of Culture, Film Development Council and Tourism Board met.",
            ["Ministry of Culture", "Film Development Council", "Tourism Board"],
        ),
        ("The Ministry of Health, Mr Lee Wing and Ms Chan Yee attended.", ["Ministry of Health"]),
        (
            "The Department of Commerce, Hong Kong and Macao will meet in May.",
            ["Department of Commerce"],
        ),
        # A post before its company's name is no part of it (stop 31, written after).
        (
            "The Chief Executive of Tasman Dairy Holdings Limited and the Vice President of "
            "the Xanadu Chamber of Commerce met.",
            ["Tasman Dairy Holdings Limited", "Xanadu Chamber of Commerce"],
        ),
    ],
)
def test_a_name_that_lists_its_subjects(sentence, bodies):
    from kg.model import Source

    text = "Hong Kong and Xanadu meet\n\n" + sentence + "\n"
    ex = extract_document(Source("inline", "inline", text), load_registry(DATA / "registry"))
    assert [o.label for o in ex.organizations if o.named] == bodies
