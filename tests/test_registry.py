"""The registry: loading with file:line errors, and lookups that tolerate running text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.corrections import load_corrections
from kg.errors import InputError
from kg.model import KINDS
from kg.registry import load_registry, name_key

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "data" / "registry"
CORRECTIONS = ROOT / "data" / "corrections"


@pytest.fixture(scope="module")
def reg():
    return load_registry(REGISTRY)


def names(reg, text):
    return [(text[s:e], b.name) for s, e, b in reg.find_bodies(text)]


def test_every_body_is_well_formed(reg):
    assert len(reg.bodies) >= 20
    for body in reg.bodies.values():
        assert body.kind in KINDS
        assert body.jurisdiction is None or reg.resolve_jurisdiction(body.jurisdiction)
    assert set(reg.people) == {
        "John Lee", "Yuan Jiajun", "Wang Linggui", "Chan Kwok-ki",
        "Zhang Guozhi", "Algernon Yau", "Sun Dong", "Clement Woo",
    }  # fmt: skip


def test_abbreviations_and_aliases(reg):
    assert reg.body("HKEX").name == "Hong Kong Exchanges and Clearing Limited"
    assert reg.body("HKTDC").name == "Hong Kong Trade Development Council"
    assert reg.body("Trade Development Council").name == "Hong Kong Trade Development Council"
    cpc = reg.body("Chongqing Municipal Committee of the CPC")
    assert (cpc.name, cpc.kind) == (
        "Chongqing Municipal Committee of the Communist Party of China",
        "party_committee",
    )
    assert reg.ancestors("HKMAO") == ["State Council"]


def test_find_bodies_longest_match_and_tolerance(reg):
    text = (
        "the HKEX and the Hong Kong and Macao\u00a0Affairs  Office of State Council; "
        "Chongqing Municipal People’s Government; hkex; HKTDC"
    )
    assert names(reg, text) == [
        ("HKEX", "Hong Kong Exchanges and Clearing Limited"),
        ("Hong Kong and Macao\u00a0Affairs  Office of State Council",
         "Hong Kong and Macao Affairs Office of the State Council"),
        ("Chongqing Municipal People’s Government", "Chongqing Municipal People's Government"),
        ("HKTDC", "Hong Kong Trade Development Council"),
    ]  # fmt: skip


def test_longer_name_beats_its_prefix(reg):
    text = "the relevant Central Government departments and the Central Government"
    assert [b for _, b in names(reg, text)] == [
        "Central Government departments", "Central People's Government"
    ]  # fmt: skip


def test_jurisdictions_people_posts(reg):
    for alias in ("HKSAR", "Hong Kong Special Administrative Region", "Hong Kong SAR"):
        assert reg.resolve_jurisdiction(alias).name == "Hong Kong"
    for place in ("Chongqing", "China", "Sichuan", "Beijing", "Shanghai", "Guangdong",
                  "Fujian", "Hubei", "Guangxi", "Macao"):  # fmt: skip
        assert reg.resolve_jurisdiction(place).name == place
    assert reg.government_of("Sichuan Province").name == "Sichuan Provincial People's Government"
    assert reg.person("John Lee Ka-chiu").name == "John Lee"
    post = reg.post("Vice Mayor of Chongqing Municipal People's Government")
    assert (post.title, post.body) == (
        "Vice Mayor of Chongqing",
        "Chongqing Municipal People's Government",
    )
    assert (
        reg.post("chief secretary for administration").title == "Chief Secretary for Administration"
    )
    assert reg.organization("HKEX").known is True
    assert "HKSAR" in reg.jurisdiction_aliases()["Hong Kong"]


def test_name_key():
    assert name_key("The  Hong Kong\u00a0MTR Academy") == name_key("hong kong MTR academy")
    assert name_key("HKEX") != name_key("hkex")  # one-word names keep their case


def _copy(tmp_path):
    dest = tmp_path / "registry"
    shutil.copytree(REGISTRY, dest)
    return dest


def _fails(folder):
    with pytest.raises(InputError) as info:
        load_registry(folder)
    return info.value


def test_malformed_yaml_names_file_and_line(tmp_path):
    folder = _copy(tmp_path)
    (folder / "people.yaml").write_text("- name: A\n  aliases: [unclosed\n- name: B\n")
    err = _fails(folder)
    assert err.path.endswith("people.yaml") and err.line == 3


@pytest.mark.parametrize(
    ("text", "words", "line"),
    [
        ("- name: X\n  kind: agency\n- aliases: [Y]\n  kind: agency\n", "required field 'name'", 3),
        ("- name: X\n  kind: ministry\n", "unknown kind", 1),
        ("- name: X\n  kind: agency\n  parent: Nobody\n", "unknown parent", 1),
        ("- name: X\n  kind: agency\n  jurisdiction: Atlantis\n", "unknown jurisdiction", 1),
        ("- name: X\n  kind: agency\n  colour: red\n", "unknown field", 1),
        ("- name: X\n  kind: agency\n  aliases: XX\n", "wrong type", 1),
    ],
)
def test_bad_body_entries(tmp_path, text, words, line):
    folder = _copy(tmp_path)
    (folder / "bodies.yaml").write_text(text)
    (folder / "jurisdictions.yaml").write_text("- name: Hong Kong\n")
    (folder / "posts.yaml").write_text("")
    err = _fails(folder)
    assert words in err.message and err.line == line and err.path.endswith("bodies.yaml")


def test_one_alias_for_two_bodies_is_an_error(tmp_path):
    folder = _copy(tmp_path)
    (folder / "bodies.yaml").write_text(
        "- name: Alpha Council\n  kind: agency\n  aliases: [AC]\n"
        "- name: Beta Council\n  kind: agency\n  aliases: [AC]\n"
    )
    (folder / "jurisdictions.yaml").write_text("- name: Hong Kong\n")
    (folder / "posts.yaml").write_text("")
    err = _fails(folder)
    assert "'AC' names two body entries" in err.message and err.line == 4


def test_missing_registry(tmp_path):
    assert "no such registry folder" in _fails(tmp_path / "none").message
    (tmp_path / "empty").mkdir()
    assert "registry file missing" in _fails(tmp_path / "empty").message


def test_corrections_load_and_check(tmp_path):
    fixes = load_corrections(CORRECTIONS)
    assert [c.area for c in fixes.for_document("004_938a3d0296569c86")] == [
        "Finance", "Logistics", "Education"
    ]  # fmt: skip
    for c in fixes:
        assert c.reason and c.source and c.anchor and c.line
    assert set(fixes.as_mapping()["004_938a3d0296569c86-finance"]) >= {"reason", "source"}
    assert len(load_corrections(tmp_path / "none")) == 0

    (tmp_path / "bad.yaml").write_text(
        "document: d\ncorrections:\n  - id: x\n    kind: lost_heading\n    area: Finance\n"
    )
    with pytest.raises(InputError) as info:
        load_corrections(tmp_path)
    assert "'anchor'" in info.value.message and info.value.line == 3


def test_generic_group_labels_are_registry_organizations(reg):
    org = reg.organization("Chongqing law associations")
    assert (org.kind, org.jurisdiction, org.known) == ("generic_group", "Chongqing", True)
    assert reg.organization("arts groups").jurisdiction is None
    assert reg.ancestors("Hong Kong universities") == []
    with pytest.raises(KeyError):
        reg.organization("Atlantis law associations")


def test_bodies_of_the_genre_and_their_spellings(reg):
    for alias, name in [
        ("Liaison Office of the Central People's Government in the HKSAR",
         "Liaison Office of the Central People's Government in the Hong Kong Special "
         "Administrative Region"),
        ("Beijing Office of the HKSAR Government",
         "Office of the Government of the Hong Kong Special Administrative Region in Beijing"),
        ("Shanghai Municipal Commerce Commission", "Shanghai Municipal Commission of Commerce"),
        ("Ocean Park Hong Kong", "Ocean Park Corporation"),
        ("NEEQ", "National Equities Exchange and Quotations"),
        ("ASEAN", "Association of Southeast Asian Nations"),
        ("SAR Government", "Government of the Hong Kong Special Administrative Region"),
    ]:  # fmt: skip
        assert reg.body(alias).name == name
    text = (
        "the Culture, Sports and Tourism Bureau and the Hong Kong Economic and Trade Office "
        "in Wuhan"
    )
    assert [b for _, b in names(reg, text)] == [
        "Culture, Sports and Tourism Bureau", "Hong Kong Economic and Trade Office in Wuhan"
    ]  # fmt: skip
    eto = reg.body("Hong Kong Economic and Trade Office in Chengdu")
    assert (eto.kind, eto.jurisdiction, eto.parent) == (
        "agency", "Hong Kong", "Government of the Hong Kong Special Administrative Region"
    )  # fmt: skip
    assert reg.government_of("Shenzhen").name == "Shenzhen Municipal People's Government"


def test_a_registry_with_found_places_finds_what_one_regex_of_all_names_finds(reg):
    # `with_found` runs the registry's regex and one of the new names side by side; the
    # result must be the single regex's, also where a new name starts where a known one
    # does (longer: it wins) or holds one (the known one inside is not found).
    from kg.registry import Body, Jurisdiction, Registry

    places = [Jurisdiction("Xanadu", ("Xanadu Province",), "province", reviewed=False)]
    bodies = [
        Body("Xanadu Provincial People's Government", "government", "Xanadu",
             aliases=("Xanadu Government",), reviewed=False),
        Body("HKTDC Xanadu Office", "agency", "Xanadu", reviewed=False),
        Body("Xanadu Office of the State Council", "agency", "Xanadu", reviewed=False),
    ]  # fmt: skip
    found = reg.with_found(places, bodies)
    whole = Registry(
        [*((b, None) for b in reg.bodies.values()), *((b, None) for b in bodies)],
        [*((p, None) for p in reg.jurisdictions.values()), *((p, None) for p in places)],
    )
    text = (
        "The Xanadu  Government and HKTDC signed; the "
        "Xanadu Office of the State Council met the State Council, the "
        "Xanadu Province and HKEX. The HKTDC Xanadu Office too."
    )
    expected = [
        ("Xanadu  Government", "Xanadu Provincial People's Government"),
        ("HKTDC", "Hong Kong Trade Development Council"),
        ("Xanadu Office of the State Council", "Xanadu Office of the State Council"),
        ("State Council", "State Council"),
        ("HKEX", "Hong Kong Exchanges and Clearing Limited"),
        ("HKTDC Xanadu Office", "HKTDC Xanadu Office"),
    ]  # fmt: skip
    # Without the last sentence no known and new name start at one place (first: once
    # they do, the regex of all names is made and kept).
    head = text[: text.index(" The HKTDC")]
    assert names(found, head) == names(whole, head) == expected[:-1]
    assert names(found, text) == names(whole, text) == expected
    places_found = [(text[s:e], p.name) for s, e, p in found.find_jurisdictions(text)]
    assert ("Xanadu Province", "Xanadu") in places_found
    assert places_found == [(text[s:e], p.name) for s, e, p in whole.find_jurisdictions(text)]
    assert found.jurisdiction_pattern() == whole.jurisdiction_pattern()
    assert reg.body("HKTDC Xanadu Office") is None  # the registry itself is unchanged
