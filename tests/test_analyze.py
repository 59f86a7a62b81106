"""networkx analysis of tests/fixtures/mini.ttl and of small graphs checked by hand."""

from __future__ import annotations

import doctest
import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
import rdflib

import kg.analyze
from kg.analyze import (
    analyze,
    area_body_matrix,
    bridges,
    centrality,
    communities,
    project_bodies,
    to_networkx,
    write_analysis,
)
from kg.store import open_store

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.ttl"
ID = "https://w3id.org/coopkg/id/"
AE, AG = ID + "body/alpha-exchange", ID + "body/alpha-government"
MUSEUM = ID + "body/alpha-museum-script-alert-1-script-office"
ATDC = ID + "body/alpha-trade-development-council"
BCC, BEC = ID + "body/beta-commerce-commission", ID + "body/beta-equity-centre"
BG = ID + "body/beta-government"
C63, C142, C248, C379 = (ID + f"commitment/mini/{n}" for n in (63, 142, 248, 379))
MECH = ID + "mechanism/alpha-beta-co-operation-conference"


@pytest.fixture(scope="module")
def bipartite():
    return to_networkx(open_store(MINI))


@pytest.fixture(scope="module")
def projection(bipartite):
    return project_bodies(bipartite)


def test_bipartite_graph_of_mini(bipartite):
    assert sorted(bipartite) == sorted([AE, AG, MUSEUM, ATDC, BCC, BEC, BG, C63, C142, C248, C379])
    assert bipartite.number_of_edges() == 9
    assert all(type(n) is str for n in bipartite)  # not kg.store.IRI: writers need plain str
    assert bipartite.nodes[BCC] == {
        "label": "Beta Commerce Commission",
        "node_type": "body",
        "bipartite": 0,
        "kind": "agency",
        "klass": "Agency",
        "jurisdiction": "Beta",
        "reviewed": True,
    }
    assert bipartite.nodes[MUSEUM]["reviewed"] is False
    c248 = bipartite.nodes[C248]
    assert (c248["node_type"], c248["bipartite"], c248["area"]) == ("commitment", 1, "Trade")
    assert (c248["start"], c248["end"], c248["verbs"]) == (248, 370, ["Encourage", "Promote"])
    assert c248["quote"].startswith("Encourage the Alpha Trade & Development Council")
    assert (c248["source"], c248["mechanism"]) == (ID + "source/mini", MECH)
    assert c248["meeting"] == ID + "meeting/alpha-beta-co-operation-conference/2024-01-02"
    assert sorted(bipartite[C248]) == [ATDC, BCC, BEC]
    assert bipartite.graph["mechanisms"] == {
        MECH: {"label": "Alpha/Beta Co-operation Conference", "sides": ["Alpha", "Beta"]}
    }
    assert bipartite.graph["partnerships"] == {C63: [(AE, BEC)]}


def test_projection_onto_bodies(projection):
    edges = {
        frozenset((u, v)): (d["weight"], d["areas"], d["commitments"], d["basis"], d["stated"])
        for u, v, d in projection.edges(data=True)
    }
    assert edges == {
        frozenset((ATDC, BCC)): (2, ["Finance", "Trade"], [C142, C248], "co-mention", 0),
        frozenset((AE, BEC)): (1, ["Finance"], [C63], "stated", 1),
        frozenset((MUSEUM, BCC)): (1, ["Culture"], [C379], "co-mention", 0),
        frozenset((ATDC, BEC)): (1, ["Trade"], [C248], "co-mention", 0),
        frozenset((BCC, BEC)): (1, ["Trade"], [C248], "co-mention", 0),
    }
    assert projection.number_of_nodes() == 7  # the two governments share nothing but stay
    assert projection.degree(AG) == projection.degree(BG) == 0


def test_centrality_of_mini(projection):
    scores = centrality(projection)
    # degree: neighbours / 6; betweenness / 15 (pairs of the 6 others): Beta Equity Centre
    # lies on Alpha Exchange's paths to ATDC, BCC and the museum; BCC on the museum's
    # paths to Alpha Exchange, BEC and ATDC (ATDC-BCC is the shortest tie: 1/2).
    got = {n: (s["degree"], s["weighted_degree"], s["betweenness"]) for n, s in scores.items()}
    assert got == {
        AE: (0.166667, 1.0, 0.0),
        AG: (0.0, 0.0, 0.0),
        MUSEUM: (0.166667, 1.0, 0.0),
        ATDC: (0.333333, 3.0, 0.0),
        BCC: (0.5, 4.0, 0.2),
        BEC: (0.5, 3.0, 0.2),
        BG: (0.0, 0.0, 0.0),
    }
    eigen = {n: s["eigenvector"] for n, s in scores.items()}
    assert eigen[AG] == eigen[BG] == 0.0  # alone in their components
    assert max(eigen, key=eigen.get) == BCC
    assert sum(v * v for v in eigen.values()) == pytest.approx(1.0, abs=1e-5)


def test_betweenness_reads_weight_as_closeness():
    # a-c directly (weight 1, length 1) or through b (weights 3, length 1/3 + 1/3).
    weighted = nx.Graph()
    weighted.add_weighted_edges_from([("a", "b", 3), ("b", "c", 3), ("a", "c", 1)])
    assert centrality(weighted)["b"]["betweenness"] == 1.0
    assert centrality(nx.Graph(weighted.edges()))["b"]["betweenness"] == 0.0


def test_eigenvector_per_component():
    star = nx.star_graph(3)  # centre 0: 1/sqrt(2); leaves: 1/sqrt(6)
    graph = nx.relabel_nodes(star, str)
    graph.add_edge("p", "q")  # a pair: 1/sqrt(2) each within its own component
    graph.add_node("z")
    eigen = {n: s["eigenvector"] for n, s in centrality(graph).items()}
    assert eigen == {
        "0": 0.707107,
        "1": 0.408248,
        "2": 0.408248,
        "3": 0.408248,
        "p": 0.707107,
        "q": 0.707107,
        "z": 0.0,
    }


def test_eigenvector_survives_a_convergence_failure(monkeypatch):
    def fail(graph, **kwargs):
        raise nx.PowerIterationFailedConvergence(kwargs.get("max_iter", 0))

    monkeypatch.setattr(nx, "eigenvector_centrality", fail)
    eigen = {n: s["eigenvector"] for n, s in centrality(nx.star_graph(3)).items()}
    assert eigen == {0: 0.707107, 1: 0.408248, 2: 0.408248, 3: 0.408248}


def test_communities(projection):
    two_triangles = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f")])
    two_triangles.add_edges_from([("d", "f"), ("c", "d")])
    assert communities(two_triangles) == [["a", "b", "c"], ["d", "e", "f"]]
    found = communities(projection)
    assert found == communities(projection) == communities(projection.copy())
    assert found == [[MUSEUM, ATDC, BCC], [AE, BEC], [AG], [BG]]
    assert communities(nx.Graph()) == []


def test_bridges_of_mini(projection, bipartite):
    expected = [
        {
            "body": BCC,
            "label": "Beta Commerce Commission",
            "jurisdiction": "Beta",
            "mechanism": MECH,
            "mechanism_label": "Alpha/Beta Co-operation Conference",
            "sides": {
                "Alpha": {"partners": 2, "commitments": 3},
                "Beta": {"partners": 1, "commitments": 1},
            },
        },
        {
            "body": BEC,
            "label": "Beta Equity Centre",
            "jurisdiction": "Beta",
            "mechanism": MECH,
            "mechanism_label": "Alpha/Beta Co-operation Conference",
            "sides": {
                "Alpha": {"partners": 2, "commitments": 2},
                "Beta": {"partners": 1, "commitments": 1},
            },
        },
    ]
    assert bridges(projection) == expected
    assert bridges(bipartite) == expected  # projected first


def _four_bodies_one_commitment(partnerships: dict[str, list[tuple[str, str]]]) -> nx.Graph:
    """c1 names a1, b1, a2, b2 and a programme p; c2 names a1 and b2."""
    graph = nx.Graph(mechanisms={"m": {"label": "A/B", "sides": ["A", "B"]}})
    graph.graph["partnerships"] = partnerships
    for body, side, kind in [
        ("a1", "A", "enterprise"), ("a2", "A", "academic"), ("b1", "B", "academic"),
        ("b2", "B", "enterprise"), ("p", "A", "programme"),
    ]:  # fmt: skip
        graph.add_node(body, node_type="body", label=body, jurisdiction=side, kind=kind)
    for commitment, bodies in [("c1", ["a1", "b1", "a2", "b2", "p"]), ("c2", ["a1", "b2"])]:
        graph.add_node(commitment, node_type="commitment", mechanism="m", area=None)
        graph.add_edges_from((commitment, body) for body in bodies)
    return graph


def test_projection_links_stated_pairs_and_co_mention_where_none_is_stated():
    # "co-operation between a1 and b1, and between a2 and b2": two pairs, not six.
    graph = _four_bodies_one_commitment({"c1": [("a1", "b1"), ("a2", "b2")]})
    edges = {
        (u, v) if u < v else (v, u): (d["commitments"], d["basis"])
        for u, v, d in project_bodies(graph).edges(data=True)
    }
    assert edges == {
        ("a1", "b1"): (["c1"], "stated"),
        ("a2", "b2"): (["c1"], "stated"),
        ("a1", "b2"): (["c2"], "co-mention"),  # c2 states no pair
    }
    # Only the stated pairs cross the sides through c1: no body bridges A and B.
    assert bridges(project_bodies(graph)) == []


def test_projection_by_co_mention_gives_every_pair_a_commitment_names():
    graph = _four_bodies_one_commitment({"c1": [("a1", "b1"), ("a2", "b2")]})
    projection = project_bodies(graph, "co-mention")
    assert projection.number_of_edges() == 10  # five bodies of c1, the programme too
    assert projection.edges["a1", "b2"]["commitments"] == ["c1", "c2"]
    assert {d["basis"] for _, _, d in projection.edges(data=True)} == {"co-mention"}
    assert [b["body"] for b in bridges(projection)] == ["a1", "a2", "b1", "b2", "p"]
    with pytest.raises(ValueError, match="pairs must be one of"):
        project_bodies(graph, "clique")


def test_co_mention_fallback_leaves_programmes_and_events_out():
    graph = _four_bodies_one_commitment({})
    projection = project_bodies(graph)
    assert projection.degree("p") == 0
    assert projection.number_of_edges() == 6  # a1, a2, b1, b2 pairwise


def test_bridges_count_only_the_mechanisms_own_commitments():
    graph = nx.Graph(
        mechanisms={
            "m1": {"label": "X/Y", "sides": ["X", "Y"]},
            "m2": {"label": "X/Z", "sides": ["X", "Z"]},
        }
    )
    for body, side in [("x1", "X"), ("x2", "X"), ("y1", "Y"), ("z1", "Z")]:
        graph.add_node(body, node_type="body", label=body, jurisdiction=side)
    for commitment, mechanism, bodies in [
        ("c1", "m1", ["x1", "y1"]),
        ("c2", "m2", ["x1", "x2"]),
        ("c3", "m2", ["x2", "z1"]),
    ]:
        graph.add_node(commitment, node_type="commitment", mechanism=mechanism, area=None)
        graph.add_edges_from((commitment, body) for body in bodies)
    # x1 meets X only in m2 and Y only in m1: it bridges neither conference.
    assert [(b["body"], b["mechanism"], b["sides"]) for b in bridges(graph)] == [
        (
            "x2",
            "m2",
            {"X": {"partners": 1, "commitments": 1}, "Z": {"partners": 1, "commitments": 1}},
        )
    ]


def test_area_body_matrix(bipartite):
    areas, bodies, matrix = area_body_matrix(bipartite)
    assert areas == ["Culture", "Finance", "Trade"]
    assert bodies == [AE, MUSEUM, ATDC, BCC, BEC]  # by label
    assert matrix == [[0, 1, 0, 1, 0], [1, 0, 1, 1, 1], [0, 0, 1, 1, 1]]
    assert area_body_matrix(open_store(MINI)) == (areas, bodies, matrix)


def test_analysis_and_its_files(tmp_path):
    analysis = analyze(open_store(MINI))
    data = analysis.to_json()
    assert data["summary"] == {
        "bodies": 7,
        "named_bodies": 7,
        "generic_groups": 0,
        "programmes_events": 0,
        "commitments": 4,
        "involvements": 9,
        "pairs": 5,
        "stated_pairs": 1,
        "components": 3,
        "communities": 4,
        "mechanisms": 1,
    }
    assert data["labels"][ATDC] == "Alpha Trade & Development Council"
    got = [
        (r["label_a"], r["label_b"], r["shared"], r["basis"]) for r in data["shared_commitments"]
    ]
    assert got[:2] == [  # the stated pair first
        ("Alpha Exchange", "Beta Equity Centre", 1, "stated"),
        ("Alpha Trade & Development Council", "Beta Commerce Commission", 2, "co-mention"),
    ]
    assert analyze(open_store(MINI), pairs="co-mention").summary["stated_pairs"] == 0
    paths = write_analysis(analysis, tmp_path)
    names = ["analysis.json", "centrality.csv", "shared_commitments.csv", "communities.csv"]
    names += ["area_body_matrix.csv", "bridges.csv"]
    assert sorted(p.name for p in paths) == sorted(names)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)  # no temporary files
    assert json.loads((tmp_path / "analysis.json").read_text(encoding="utf-8")) == data
    centrality_csv = (tmp_path / "centrality.csv").read_text(encoding="utf-8").splitlines()
    assert centrality_csv[0] == (
        "body,label,jurisdiction,community,degree,weighted_degree,betweenness,eigenvector"
    )
    assert centrality_csv[5].startswith(f"{BCC},Beta Commerce Commission,Beta,1,0.5,4.0,0.2,")
    matrix_csv = (tmp_path / "area_body_matrix.csv").read_text(encoding="utf-8").splitlines()
    assert matrix_csv[2] == "Finance,1,0,1,1,1"
    bridges_csv = (tmp_path / "bridges.csv").read_text(encoding="utf-8").splitlines()
    assert bridges_csv[1:3] == [
        f"{BCC},Beta Commerce Commission,Beta,{MECH},Alpha/Beta Co-operation Conference,Alpha,2,3",
        f"{BCC},Beta Commerce Commission,Beta,{MECH},Alpha/Beta Co-operation Conference,Beta,1,1",
    ]
    shared_csv = (tmp_path / "shared_commitments.csv").read_text(encoding="utf-8").splitlines()
    assert shared_csv[0] == "body_a,label_a,body_b,label_b,shared,basis,areas,commitments"
    assert shared_csv[2] == (
        f"{ATDC},Alpha Trade & Development Council,{BCC},Beta Commerce Commission,"
        f"2,co-mention,Finance; Trade,{C142}; {C248}"
    )


def test_files_are_byte_identical_across_processes_and_hash_seeds(tmp_path):
    script = (
        "import sys; from kg.store import open_store; "
        "from kg.analyze import analyze, write_analysis; "
        "write_analysis(analyze(open_store(sys.argv[1])), sys.argv[2])"
    )
    outputs = []
    for seed in ("0", "4242"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-c", script, str(MINI), str(out)], check=True, cwd=ROOT, env=env
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 6


def test_same_analysis_on_rdflib():
    oxigraph = analyze(open_store(MINI)).to_json()
    assert analyze(open_store(MINI, engine="rdflib")).to_json() == oxigraph


def test_same_analysis_when_facts_are_repeated_in_named_graphs(tmp_path):
    graph = rdflib.Graph().parse(MINI, format="turtle")
    lines = [f"{s.n3()} {p.n3()} {o.n3()} <{ID}graph/{g}> .\n" for s, p, o in graph for g in "ab"]
    doubled = tmp_path / "doubled.nq"
    doubled.write_text("".join(lines), encoding="utf-8")
    assert analyze(open_store(doubled)).to_json() == analyze(open_store(MINI)).to_json()


EXTRA = """
<https://w3id.org/coopkg/id/commitment/mini/600> a coop:Commitment ; rdfs:label "No area" ;
    coop:involves <https://w3id.org/coopkg/id/body/beta-week>, <https://w3id.org/coopkg/id/body/x> .
<https://w3id.org/coopkg/id/commitment/mini/700> a coop:Commitment ; rdfs:label "Nobody" .
<https://w3id.org/coopkg/id/body/beta-week> a coop:NamedEvent ; rdfs:label "Beta Week" ;
    coop:kind "event" ; coop:reviewed false .
"""


def test_commitments_without_area_bodies_or_typed_bodies(tmp_path):
    path = tmp_path / "edge.ttl"
    path.write_text(MINI.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    graph = to_networkx(open_store(path))
    assert graph.nodes[ID + "body/x"]["label"] == ID + "body/x"  # involved, never described
    assert graph.degree(ID + "commitment/mini/700") == 0
    areas, bodies, matrix = area_body_matrix(graph)
    assert areas[0] == "(no area)" and matrix[0] == [0, 0, 0, 0, 0, 1, 1]
    assert bodies[-2:] == [ID + "body/beta-week", ID + "body/x"]
    for engine in ("oxigraph", "rdflib"):
        write_analysis(analyze(open_store(path, engine=engine)), tmp_path / engine)
    for name in ("analysis.json", "area_body_matrix.csv", "bridges.csv"):
        assert (tmp_path / "oxigraph" / name).read_bytes() == (
            tmp_path / "rdflib" / name
        ).read_bytes()


def test_doctests():
    assert doctest.testmod(kg.analyze).failed == 0
