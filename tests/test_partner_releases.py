"""Twenty releases whose partner is renamed to a place the registry lacks, ingested with
`kg.ingest.ingest` into a copy of the registry (no edit) and built at once: every document
is in the graph, the shapes hold, each mechanism joins two places, and each new partner's
government is there, unreviewed. Then `kg registry suggest`'s patch, applied as it is,
builds the same facts with those places and bodies known."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from rdflib import RDF, RDFS, Literal

from kg.build import build_graph
from kg.ingest import ingest
from kg.namespace import COOP, ORG
from kg.rdf import jurisdiction_iri, mint
from kg.registry import load_registry
from kg.suggest import render_suggestions, suggest_registry

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "devset" / "docs"
MULTI = ROOT / "tests" / "fixtures" / "multi" / "sources"

# (release, its partner in the registry, the invented name, an invented Chinese name).
# Some releases appear twice under two names: each is then a mechanism of its own.
RELEASES = [
    (DEV / "004_938a3d0296569c86.txt", "Chongqing", "Xanadu", "仙乡"),
    (DEV / "dev01_sichuan_2017.txt", "Sichuan", "Arcadia", "阿卡"),
    (DEV / "dev02_chongqing_2024.txt", "Chongqing", "Elbonia", "埃博"),
    (DEV / "dev03_beijing_2019.txt", "Beijing", "Ruritania", "鲁里"),
    (DEV / "dev04_shanghai_2018.txt", "Shanghai", "Freedonia", "自由"),
    (DEV / "dev05_guangdong_2021.txt", "Guangdong", "Grand Fenwick", "芬威"),
    (DEV / "dev06_fujian_2022.txt", "Fujian", "Syldavia", "西尔"),
    (DEV / "dev07_hubei_2023.txt", "Hubei", "Upper Borduria", "博尔"),
    (DEV / "dev08_guangxi_2025.txt", "Guangxi", "Genovia", "吉诺"),
    (DEV / "dev09_sichuan_2025.txt", "Sichuan", "Xanadu Bay", "仙湾"),
    (DEV / "dev10_shanghai_2023.txt", "Shanghai", "Latveria", "拉特"),
    (MULTI / "hk-guangxi-2024-first-plenary.txt", "Guangxi", "Zubrowka", "祖布"),
    (MULTI / "hk-sichuan-2021-first-plenary.txt", "Sichuan", "Molvania", "莫尔"),
    (MULTI / "hk-sichuan-2023-second-plenary.txt", "Sichuan", "Carpathia", "喀尔"),
    (ROOT / "tests" / "fixtures" / "docs" / "sichuan_plenary.txt", "Sichuan", "Krakozhia", "克拉"),
    (ROOT / "data" / "sources" / "000_e2277f15603da9c5.txt", "Chongqing", "Kinakuta", "基纳"),
    (DEV / "dev02_chongqing_2024.txt", "Chongqing", "Sylvania", "西凡"),
    (DEV / "dev05_guangdong_2021.txt", "Guangdong", "Wadiya", "瓦迪"),
    (DEV / "dev07_hubei_2023.txt", "Hubei", "Markovia", "马尔"),
    (DEV / "dev03_beijing_2019.txt", "Beijing", "Inner Qumar", "库马"),
]  # fmt: skip
ANALYSIS = "Kinakuta"  # a news analysis: a place, but no meeting and no mechanism


def make_data(folder: Path) -> Path:
    """The renamed releases ingested into a copy of the registry and corrections."""
    registry = load_registry(ROOT / "data" / "registry")
    data, given = folder / "data", folder / "in"
    given.mkdir(parents=True)
    for part in ("registry", "corrections"):
        shutil.copytree(ROOT / "data" / part, data / part)
    files = []
    for path, old, new, zh in RELEASES:
        old_zh = registry.jurisdictions[old].chinese_name or old

        def rename(text: str, old: str = old, new: str = new, old_zh: str = old_zh,
                   zh: str = zh) -> str:  # fmt: skip
            return text.replace(old, new).replace(old_zh, zh)

        stem = f"{path.stem}_{new.lower().replace(' ', '_')}"
        text = rename(path.read_text(encoding="utf-8"))
        assert old not in text and new in text
        (given / f"{stem}.txt").write_text(text, encoding="utf-8")
        sidecar = path.with_suffix(".yaml")
        meta = {"title": path.stem, "date": "2024-01-01"}
        if sidecar.exists():
            meta = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
            meta.pop("id", None)
        meta = {k: rename(v) if isinstance(v, str) else v for k, v in meta.items()}
        (given / f"{stem}.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), "utf-8")
        files.append(given / f"{stem}.txt")
    added = ingest(files, data)
    assert [i.status for i in added] == ["added"] * len(RELEASES)
    return data


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_data(tmp_path_factory.mktemp("partners"))


@pytest.fixture(scope="module")
def built(data):
    return build_graph(data)


def test_every_release_is_in_the_graph_and_the_shapes_hold(built):
    assert built.report.conforms, built.report.text()
    assert built.report.count == 0
    sources = set(built.graph.subjects(RDF.type, COOP.SourceDocument))
    assert len(sources) == len(RELEASES) == 20
    assert len(set(built.graph.subjects(RDF.type, COOP.Meeting))) == 19


def test_each_mechanism_joins_hong_kong_and_its_new_partner(built):
    g = built.graph
    found = {}
    for mechanism in g.subjects(RDF.type, COOP.CooperationMechanism):
        places = {str(g.value(j, RDFS.label)) for j in g.objects(mechanism, COOP.jurisdiction)}
        found[str(g.value(mechanism, RDFS.label))] = places
    partners = [new for _, _, new, _ in RELEASES if new != ANALYSIS]
    assert len(found) == 19
    for new in partners:
        heads = [m for m, places in found.items() if places == {"Hong Kong", new}]
        assert len(heads) == 1, (new, found)
        assert heads[0].startswith(f"Hong Kong/{new} Co-operation")


def test_each_new_partner_and_its_government_are_unreviewed(built):
    g = built.graph
    for _, _, new, _ in RELEASES:
        place = jurisdiction_iri(new)
        assert g.value(place, COOP.reviewed) == Literal(False), new
        governments = [
            b for b in g.subjects(COOP.jurisdiction, place) if (b, RDF.type, COOP.Government) in g
        ]
        assert len(governments) == 1, new
        assert g.value(governments[0], COOP.reviewed) == Literal(False)
    assert g.value(jurisdiction_iri("Hong Kong"), COOP.reviewed) == Literal(True)
    labels = {
        str(g.value(b, RDFS.label))
        for b in g.subjects(RDF.type, COOP.Government)
        if g.value(b, COOP.reviewed) == Literal(False)
    }
    # The level read from the text names each government as the genre does.
    assert {
        "Xanadu Municipal People's Government",  # a municipality: "Municipal", "Vice Mayor"
        "Arcadia Provincial People's Government",  # a province: "Governor", "Provincial"
        "People's Government of Genovia Zhuang Autonomous Region",
        "Xanadu Bay Provincial People's Government",
        "Upper Borduria Provincial People's Government",
        "People's Government of Kinakuta",  # the analysis shows no level
    } <= labels


def test_no_body_is_named_after_a_place(built):
    g = built.graph
    places = {str(g.value(j, RDFS.label)) for j in g.subjects(RDF.type, COOP.Jurisdiction)}
    bodies = set(g.subjects(COOP.kind, None))
    assert not {mint("body", p) for p in places} & bodies
    for party in g.objects(None, COOP.party):
        assert (party, RDF.type, COOP.Jurisdiction) in g or party in bodies


def _facts(g) -> set[tuple[str, str, str]]:
    """The links queries read, without the review markers and the mentions of bodies.
    A registry body's IRI is the slug of its name, a found body's that of its key, which
    writes "co-operation" "cooperation": the two are compared alike."""
    links = (COOP.involves, COOP.party, ORG.postIn, COOP.jurisdiction, COOP.onBehalfOf)
    return {
        tuple(str(x).replace("co-operation", "cooperation") for x in (s, p, o))
        for p in links
        for s, o in g.subject_objects(p)
    }  # type: ignore[misc]


def test_the_suggested_patch_applied_as_it_is_makes_everything_known(data, built, tmp_path):
    patch = suggest_registry(data)
    assert sorted(p.name for p in patch.jurisdictions) == sorted(r[2] for r in RELEASES)
    xanadu = next(p for p in patch.jurisdictions if p.name == "Xanadu")
    assert (xanadu.level, xanadu.government) == (
        "municipality", "Xanadu Municipal People's Government")  # fmt: skip
    assert xanadu.seen[0].mention.text == "Xanadu"  # the mechanism's name in the title
    bodies = {b.name: b for b in patch.bodies}
    assert bodies["Xanadu Airport Group"].jurisdiction == "Xanadu"
    assert bodies["Xanadu Municipal People's Government"].kind == "government"

    patched = tmp_path / "data"
    shutil.copytree(data, patched)
    loaded = yaml.safe_load(render_suggestions(patch))
    for name, entries in loaded.items():
        accepted = [{k: v for k, v in e.items() if k != "seen"} for e in entries]
        path = patched / "registry" / name
        path.write_text(
            path.read_text(encoding="utf-8") + "\n" + yaml.safe_dump(accepted, sort_keys=False),
            encoding="utf-8",
        )
    assert len(suggest_registry(patched)) == 0
    after = build_graph(patched)
    assert after.report.conforms, after.report.text()
    assert not set(after.graph.subjects(COOP.reviewed, Literal(False)))
    before, now = _facts(built.graph), _facts(after.graph)
    # Only the government minted for the analysis's place goes: no text names it, and the
    # registry's bodies are in the graph only where a document refers to them.
    kinakuta = str(mint("body", "People's Government of Kinakuta"))
    assert before - now == {(kinakuta, str(COOP.jurisdiction), str(jurisdiction_iri("Kinakuta")))}
    # What the patch adds: the jurisdiction it guessed for a body whose name shows none.
    guessed = now - before
    assert guessed and {p for _, p, _ in guessed} == {str(COOP.jurisdiction)}
    placed = {str(s) for s in built.graph.subjects(COOP.jurisdiction, None)}
    assert not {s for s, _, _ in guessed} & placed
