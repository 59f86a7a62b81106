"""Several releases of several mechanisms in one graph: one identity per body, person and
mechanism across documents, comparable areas, and the named queries and `kg.compare`
tables that compare mechanisms and plenaries (tests/fixtures/multi/README.md)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from multi_support import make_data

from kg.build import build_graph, write_outputs
from kg.compare import (
    area_matrix,
    compare,
    plenary_diff,
    shared_areas,
    shared_bodies,
    write_comparison,
)
from kg.query import resolve_query, run_query
from kg.store import OxigraphStore, RdflibStore

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/coopkg/id/"
SICHUAN = "Hong Kong/Sichuan Co-operation Conference"
BRI = "The Belt and Road Initiative, Economic, Trade and Investment Co-operation"
PREFIXES = """
PREFIX coop: <https://w3id.org/coopkg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_data(tmp_path_factory.mktemp("multi"))


@pytest.fixture(scope="module")
def built(data):
    return build_graph(data)


@pytest.fixture(scope="module")
def store(built):
    return OxigraphStore.from_graph(built.graph)


def rows(store, name, **params):
    return run_query(store, resolve_query(name), params).dicts()


def test_the_graph_of_several_releases_conforms(built):
    assert built.report.conforms, built.report.text()
    assert built.report.violations == [], built.report.text()


def test_mechanisms_and_their_plenaries(store):
    got = store.select(
        PREFIXES
        + """SELECT ?mechanism ?ordinal ?date WHERE {
            ?m a coop:Meeting ; coop:ofMechanism/rdfs:label ?mechanism ; schema:startDate ?date .
            OPTIONAL { ?m coop:ordinal ?ordinal } } ORDER BY ?date"""
    ).rows
    assert got == [
        (SICHUAN, 1, "2021-09-28"),
        ("Hong Kong/Chongqing Co-operation Conference", 1, "2023-05-11"),
        (SICHUAN, 2, "2023-11-07"),
        ("Hong Kong/Guangxi Co-operation Conference", 1, "2024-06-18"),
    ]


# --- identity across documents ------------------------------------------------------------


def test_one_iri_for_hktdc_whatever_the_spelling(store):
    hktdc = ID + "body/hong-kong-trade-development-council"
    got = store.select(
        PREFIXES
        + """SELECT DISTINCT ?source ?body WHERE {
            ?c a coop:Commitment ; coop:involves ?body ; prov:wasDerivedFrom ?source .
            ?body rdfs:label "Hong Kong Trade Development Council" }
            ORDER BY ?source"""
    ).rows
    assert got == [
        (ID + "source/hk-guangxi-2024-first-plenary", hktdc),  # "the Trade Development Council"
        (ID + "source/hk-sichuan-2021-first-plenary", hktdc),  # "the Hong Kong Trade ..."
        (ID + "source/hk-sichuan-2023-second-plenary", hktdc),  # "the HKTDC"
    ]
    labels = store.select(PREFIXES + f"SELECT DISTINCT ?l WHERE {{ <{hktdc}> rdfs:label ?l }}")
    assert labels.rows == [("Hong Kong Trade Development Council",)]
    aliases = store.select(PREFIXES + f"SELECT DISTINCT ?a WHERE {{ <{hktdc}> skos:altLabel ?a }}")
    assert {"HKTDC", "Trade Development Council"} <= {a for (a,) in aliases.rows}


def test_one_iri_for_a_body_the_registry_lacks_across_spellings(store):
    centre = ID + "body/chengdu-international-commercial-arbitration-center"
    facts = store.select(
        PREFIXES
        + f"""SELECT DISTINCT ?label ?alias ?reviewed WHERE {{
            <{centre}> rdfs:label ?label ; skos:altLabel ?alias ; coop:reviewed ?reviewed }}"""
    ).rows
    assert facts == [
        (
            "Chengdu International Commercial Arbitration Center",
            "Chengdu International Commercial Arbitration Centre",
            False,
        )
    ]
    sources = store.select(
        PREFIXES
        + f"""SELECT DISTINCT ?quote ?source WHERE {{
            <{centre}> coop:mentionedIn ?span . ?span coop:quote ?quote ; coop:inSource ?source }}
            ORDER BY ?source"""
    ).rows
    assert sources == [
        (
            "Chengdu International Commercial Arbitration Centre",
            ID + "source/hk-sichuan-2021-first-plenary",
        ),
        (
            "Chengdu International Commercial Arbitration Center",
            ID + "source/hk-sichuan-2023-second-plenary",
        ),
    ]
    others = store.select(
        PREFIXES
        + """SELECT DISTINCT ?b WHERE {
            ?b coop:kind ?kind ; rdfs:label ?l . FILTER(CONTAINS(?l, "Chengdu International")) }"""
    )
    assert [str(b) for (b,) in others.rows] == [centre]


def test_john_lee_is_one_person_with_two_posts_dated_by_their_meetings(store):
    got = {
        (r["post"], r["date"], r["person_iri"])
        for r in rows(store, "people-posts")
        if r["person"] == "John Lee"
    }
    person = ID + "person/john-lee"
    assert got == {
        ("Chief Secretary for Administration", "2021-09-28", person),
        ("Chief Executive", "2023-05-11", person),
        ("Chief Executive", "2023-11-07", person),
    }


# --- comparable areas ---------------------------------------------------------------------


def test_differently_worded_headings_map_to_one_canonical_area(store):
    got = store.select(
        PREFIXES
        + """SELECT ?heading ?match ?area ?date WHERE {
            ?m coop:hasHeading ?h ; schema:startDate ?date .
            ?h skos:prefLabel ?heading .
            { ?h skos:exactMatch ?a BIND("exact" AS ?match) }
            UNION { ?h skos:closeMatch ?a BIND("close" AS ?match) }
            ?a skos:prefLabel ?area .
            FILTER(CONTAINS(?area, "Belt and Road")) } ORDER BY ?date"""
    ).rows
    assert got == [
        ("Economic, trade, and the Belt and Road Initiative", "close", BRI, "2021-09-28"),
        (BRI, "exact", BRI, "2023-05-11"),
        (BRI, "exact", BRI, "2023-11-07"),
        (
            "Belt and Road Initiative and Economic and Trade Co-operation",
            "exact",
            BRI,
            "2024-06-18",
        ),
    ]


def test_commitments_keep_the_heading_as_published(store):
    got = store.select(
        PREFIXES
        + """SELECT DISTINCT ?heading ?area WHERE {
            ?c coop:heading/skos:prefLabel ?heading ; coop:area/skos:prefLabel ?area ;
               prov:wasDerivedFrom ?source .
            FILTER(?source = <https://w3id.org/coopkg/id/source/hk-guangxi-2024-first-plenary>) }
            ORDER BY ?heading"""
    ).rows
    assert got == [
        ("Belt and Road Initiative and Economic and Trade Co-operation", BRI),
        ("Financial Services", "Finance"),
        ("Innovation and Technology", "Innovation and Technology"),
        ("Logistics", "Logistics"),
        ("Youth Exchange", "Youth Development"),
    ]


# --- the questions of the issue, through named queries ------------------------------------


def test_bodies_that_take_part_in_more_than_one_mechanism(store):
    got = [(r["label"], r["mechanisms"]) for r in rows(store, "bodies-across-mechanisms", min="2")]
    assert got == [
        ("Government of the Hong Kong Special Administrative Region", 3),
        ("Hong Kong Exchanges and Clearing Limited", 3),
        ("Hong Kong Trade Development Council", 3),
    ]
    hktdc = rows(store, "bodies-across-mechanisms", min="2")[2]
    assert hktdc["mechanism_labels"] == (
        "Hong Kong/Chongqing Co-operation Conference; Hong Kong/Guangxi Co-operation Conference; "
        "Hong Kong/Sichuan Co-operation Conference"
    )
    assert hktdc["roles"] == "commitment; memorandum"
    assert hktdc["commitments"] == 3


def test_areas_every_mechanism_shares(store):
    got = [(r["area"], r["mechanisms"]) for r in rows(store, "areas-shared-by-all-mechanisms")]
    assert sorted(got) == [
        ("Finance", 3),
        ("Innovation and Technology", 3),
        (BRI, 3),
        ("Youth Development", 3),
    ]


def _diff(table_rows):
    return {(r["what"], r["change"], r["label"]) for r in table_rows}


SECOND_ADDED = {
    ("area", "added", "Legal and Dispute Resolution"),
    ("area", "added", "Youth Development"),
    ("area", "dropped", "Tourism"),
    ("area", "kept", "Finance"),
    ("area", "kept", "Innovation and Technology"),
    ("area", "kept", BRI),
    ("body", "added", "Sichuan Provincial Youth Federation"),
    ("body", "added", "Tianfu International Bio-Town Management Committee"),
    ("body", "dropped", "Belt and Road Summit"),
    ("body", "dropped", "Hong Kong Tourism Board"),
    ("body", "dropped", "Sichuan Provincial Department of Culture and Tourism"),
    ("commitment", "added",
     "Encourage the Sichuan Provincial Youth Federation to organise internships in…"),
    ("commitment", "added",
     "Support the Hong Kong International Arbitration Centre and the Chengdu…"),
}  # fmt: skip


def test_what_the_second_plenary_added_to_the_first(store):
    table = rows(store, "plenary-diff", mechanism=SICHUAN, earlier="1", later="2")
    assert _diff(table) == SECOND_ADDED
    areas = {r["label"]: (r["earlier_commitments"], r["later_commitments"]) for r in table
             if r["what"] == "area"}  # fmt: skip
    assert areas == {
        "Legal and Dispute Resolution": (0, 1),
        "Youth Development": (0, 1),
        "Tourism": (1, 0),
        "Finance": (1, 1),
        "Innovation and Technology": (1, 1),
        BRI: (2, 1),
    }
    commitments = [r for r in table if r["what"] == "commitment"]
    assert [r["area"] for r in commitments] == ["Youth Development", "Legal and Dispute Resolution"]
    assert all(r["quote"].startswith(r["label"].rstrip("…")) for r in commitments)
    assert {(r["earlier_date"], r["later_date"]) for r in table} == {("2021-09-28", "2023-11-07")}


@pytest.mark.parametrize(
    "params",
    [
        {"mechanism": SICHUAN.upper(), "earlier": "2021-09-28", "later": "2023-11-07"},
        {"mechanism": ID + "mechanism/hong-kong-sichuan-co-operation-conference"},
        {"mechanism": SICHUAN, "earlier": "1"},
    ],
    ids=["dates-and-case", "iri-first-and-last", "later-defaults-to-last"],
)
def test_meetings_are_chosen_by_ordinal_date_or_default(store, params):
    assert _diff(rows(store, "plenary-diff", **params)) == SECOND_ADDED


def test_the_plenary_diff_of_an_unknown_mechanism_is_empty(store):
    assert rows(store, "plenary-diff", mechanism="Hong Kong/Atlantis Co-operation Conference") == []


def test_new_queries_agree_on_oxigraph_and_rdflib(built, store):
    reference = RdflibStore(built.graph)
    cases = [
        ("areas-by-mechanism", {}),
        ("areas-shared-by-all-mechanisms", {}),
        ("bodies-across-mechanisms", {"min": "2"}),
        ("plenary-diff", {"mechanism": SICHUAN, "earlier": "1", "later": "2"}),
        ("plenary-diff", {}),
    ]
    for name, params in cases:
        a = run_query(store, resolve_query(name), params)
        b = run_query(reference, resolve_query(name), params)
        assert a.columns == b.columns, name
        assert a.rows == b.rows, name


# --- kg.compare ---------------------------------------------------------------------------


def test_area_matrix(store):
    table = area_matrix(store)
    assert table.columns == [
        "area",
        "Hong Kong/Chongqing Co-operation Conference",
        "Hong Kong/Guangxi Co-operation Conference",
        SICHUAN,
        "mechanisms",
    ]
    by_area = {row[0]: row[1:] for row in table.rows}
    assert by_area[BRI] == (2, 1, 3, 3)
    assert by_area["Tourism"] == (None, None, 1, 1)
    assert by_area["Logistics"] == (1, 1, None, 2)
    assert [row[0] for row in table.rows[:4]] == [
        "Finance",
        "Innovation and Technology",
        BRI,
        "Youth Development",
    ]


def test_compare_tables(store, tmp_path):
    assert [r[0] for r in shared_areas(store).rows] == [BRI, "Finance", "Innovation and Technology",
                                                        "Youth Development"]  # fmt: skip
    assert [r[0] for r in shared_bodies(store).rows] == [
        "Government of the Hong Kong Special Administrative Region",
        "Hong Kong Exchanges and Clearing Limited",
        "Hong Kong Trade Development Council",
    ]
    diff = plenary_diff(store, SICHUAN, "1", "2")
    assert {(r["what"], r["change"], r["label"]) for r in diff.dicts()} == SECOND_ADDED
    everything = compare(store)
    # Only the mechanism with two meetings is diffed; the others are named, not diffed with
    # themselves.
    per_mechanism = {r["mechanism_label"] for r in everything.plenaries.dicts()}
    assert per_mechanism == {SICHUAN}
    assert everything.notes == (
        "Hong Kong/Chongqing Co-operation Conference has one meeting: there is no other "
        "plenary to compare it with",
        "Hong Kong/Guangxi Co-operation Conference has one meeting: there is no other "
        "plenary to compare it with",
    )
    paths = write_comparison(everything, tmp_path)
    assert sorted(p.name for p in paths) == [
        "areas_by_mechanism.csv",
        "areas_shared_by_all_mechanisms.csv",
        "bodies_across_mechanisms.csv",
        "compare.json",
        "plenary_diff.csv",
    ]
    data = json.loads((tmp_path / "compare.json").read_text(encoding="utf-8"))
    assert data["areas_shared_by_all_mechanisms"][0]["area"] == BRI
    assert len(data["plenary_notes"]) == 2


def test_a_meeting_is_never_diffed_with_itself(store):
    assert rows(store, "plenary-diff", mechanism=SICHUAN, earlier="2", later="2") == []
    one = compare(store, mechanism="Hong Kong/Guangxi Co-operation Conference")
    assert one.plenaries.rows == []
    assert one.notes == ("Hong Kong/Guangxi Co-operation Conference has one meeting: there is "
                         "no other plenary to compare it with",)  # fmt: skip
    same = compare(store, mechanism=SICHUAN, earlier="1", later="1")
    assert same.notes == (f"{SICHUAN}: no two different meetings match the chosen plenaries",)
    assert compare(store, mechanism="Hong Kong/Atlantis Co-operation Conference").notes == (
        "no mechanism is called 'Hong Kong/Atlantis Co-operation Conference': see "
        "`kg query mechanisms`",
    )


def test_outputs_of_several_releases_are_byte_identical_across_processes(data, tmp_path):
    script = (
        "import sys; from kg.build import build_graph, write_outputs; "
        "write_outputs(build_graph(sys.argv[1]), sys.argv[2])"
    )
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(data), str(out)], check=True, env=env)
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] == outputs[1]


def test_the_order_of_documents_does_not_change_the_graph(data, built, tmp_path):
    """Identities do not depend on which document comes first: renaming the files so that
    they sort the other way round gives the same triples, bar the documents' own ids."""
    other = tmp_path / "data"
    shutil.copytree(data, other)
    sources = other / "sources"
    names = sorted(p.stem for p in sources.glob("*.txt"))
    for rank, stem in enumerate(reversed(names)):
        for path in sources.glob(stem + ".*"):
            text = path.read_text(encoding="utf-8").replace(f"id: {stem}", f"id: z{rank}-{stem}")
            path.unlink()
            (sources / f"z{rank}-{stem}{path.suffix}").write_text(text, encoding="utf-8")
    again = build_graph(other)
    assert again.report.conforms, again.report.text()

    def facts(graph):
        return {
            (str(s), str(p), str(o))
            for s, p, o in graph
            if not any(k in str(x) for x in (s, o) for k in ("/source/", "/span/", "/graph/",
                                                              "/commitment/", "/holding/",
                                                              "/statement/", "/heading/",
                                                              "/scheme/headings/",
                                                              "/partnership/"))
        }  # fmt: skip

    assert facts(again.graph) == facts(built.graph)
    write_outputs(again, tmp_path / "out")
