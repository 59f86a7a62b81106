"""Exports of tests/fixtures/mini.ttl: readable by networkx and rdflib, the same every run."""

from __future__ import annotations

import doctest
from pathlib import Path

import networkx as nx
import pytest
import rdflib

import kg.export
from kg.analyze import project_bodies, to_networkx
from kg.export import export_all, export_csv, export_gexf, export_graphml, export_ntriples
from kg.output import to_ntriples
from kg.store import open_store

MINI = Path(__file__).parent / "fixtures" / "mini.ttl"
ID = "https://w3id.org/coopkg/id/"
BCC = ID + "body/beta-commerce-commission"


@pytest.fixture(scope="module")
def graphs():
    bipartite = to_networkx(open_store(MINI))
    return {"bipartite": bipartite, "bodies": project_bodies(bipartite)}


@pytest.mark.parametrize("kind", ["bipartite", "bodies"])
@pytest.mark.parametrize(
    ("write", "read", "suffix"),
    [(export_graphml, nx.read_graphml, ".graphml"), (export_gexf, nx.read_gexf, ".gexf")],
)
def test_graph_files_read_back(tmp_path, graphs, kind, write, read, suffix):
    graph = graphs[kind]
    path = write(graph, tmp_path / f"g{suffix}")
    back = read(path)
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        graph.number_of_nodes(),
        graph.number_of_edges(),
    )
    assert sorted(back) == sorted(graph)
    assert back.nodes[BCC]["label"] == "Beta Commerce Commission"
    assert back.nodes[BCC]["reviewed"] is True
    again = write(graph, tmp_path / f"again{suffix}")
    assert path.read_bytes() == again.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_attributes_are_legal_and_keep_their_meaning(tmp_path, graphs):
    gexf = nx.read_gexf(export_gexf(graphs["bipartite"], tmp_path / "g.gexf"))
    c248 = gexf.nodes[ID + "commitment/mini/248"]
    assert (c248["start_offset"], c248["end_offset"]) == (248, 370)  # not a GEXF time span
    assert c248["verbs"] == "Encourage; Promote"
    assert "lastmodifieddate" not in (tmp_path / "g.gexf").read_text(encoding="utf-8")
    assert gexf.graph.get("mode") != "dynamic"
    graphml = nx.read_graphml(export_graphml(graphs["bodies"], tmp_path / "b.graphml"))
    edge = graphml.edges[ID + "body/alpha-trade-development-council", BCC]
    assert (edge["weight"], edge["areas"], edge["basis"]) == (2, "Finance; Trade", "co-mention")
    stated = graphml.edges[ID + "body/alpha-exchange", ID + "body/beta-equity-centre"]
    assert (stated["basis"], stated["stated"]) == ("stated", 1)  # the text pairs them
    assert "parent" not in graphml.nodes[BCC]  # None is left out, not written as "None"


def test_mixed_types_become_text(tmp_path):
    graph = nx.Graph()
    graph.add_node("a", score=1, note=None, tags={"y", "x"})
    graph.add_node("b", score="high")
    back = nx.read_graphml(export_graphml(graph, tmp_path / "m.graphml"))
    assert back.nodes["a"] == {"score": "1", "tags": "x; y"}
    assert back.nodes["b"] == {"score": "high"}


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_ntriples_are_the_canonical_sorted_lines(tmp_path, engine):
    path = export_ntriples(open_store(MINI, engine=engine), tmp_path / "g.nt")
    data = path.read_bytes()
    expected = to_ntriples(rdflib.Graph().parse(MINI, format="turtle"))
    assert data == expected
    lines = data.decode("utf-8").splitlines()
    assert len(lines) == 209 and lines == sorted(lines)
    assert export_ntriples(MINI, tmp_path / "from-path.nt").read_bytes() == data


def test_csv_tables(tmp_path):
    paths = export_csv(open_store(MINI), tmp_path)
    assert [p.name for p in paths] == ["commitments.csv", "bodies.csv", "people.csv"]
    commitments = (tmp_path / "commitments.csv").read_text(encoding="utf-8").splitlines()
    assert commitments[0] == "iri,area,verbs,bodies,quote,start,end,source,meeting,date"
    assert commitments[3] == (
        f"{ID}commitment/mini/248,Trade,Encourage; Promote,"
        "Alpha Trade & Development Council; Beta Commerce Commission; Beta Equity Centre,"
        '"Encourage the Alpha Trade & Development Council, the Beta Equity Centre and the '
        'Beta Commerce Commission to promote trade.",248,370,'
        f"{ID}source/mini,Mini Plenary of the Alpha/Beta Co-operation Conference,2024-01-02"
    )
    assert len(commitments) == 5
    bodies = (tmp_path / "bodies.csv").read_text(encoding="utf-8").splitlines()
    assert bodies[0] == "iri,label,class,kind,jurisdiction,reviewed,parent,aliases,commitments"
    assert bodies[5] == f"{BCC},Beta Commerce Commission,Agency,agency,Beta,true,Beta Government,,3"
    people = (tmp_path / "people.csv").read_text(encoding="utf-8").splitlines()
    assert people == [
        "iri,name,title,posts,bodies",
        f"{ID}person/alpha-one,Alpha One,Mr,Chief Secretary,Alpha Government",
        f"{ID}person/beta-two,Beta Two,Ms,Vice Mayor,Beta Government",
    ]


def test_export_all_is_the_same_from_either_engine(tmp_path):
    first = export_all(open_store(MINI), str(MINI), tmp_path / "ox")
    names = ["graph.graphml", "graph.gexf", "bodies.graphml", "bodies.gexf", "graph.nt"]
    assert [p.name for p in first] == [*names, "commitments.csv", "bodies.csv", "people.csv"]
    export_all(open_store(MINI, engine="rdflib"), str(MINI), tmp_path / "rdflib")
    for path in first:
        assert path.read_bytes() == (tmp_path / "rdflib" / path.name).read_bytes(), path.name


def test_doctests():
    assert doctest.testmod(kg.export).failed == 0


def test_gexf_carries_the_pages_picture(tmp_path):
    """Gephi opens bodies.gexf with the page's "Bodies that share commitments" drawing: the
    same positions (y flipped: Gephi's axis points up), side colours and sizes, and each
    body's side, areas and community as attributes."""
    from kg.viz_data import gather_page_data
    from kg.viz_styles import SIDE_COLOURS
    from kg.viz_views import build_views, sides

    store = open_store(MINI)
    export_all(store, str(MINI), tmp_path)
    data = gather_page_data(store)
    shared = next(v for v in build_views(data) if v.key == "shared")
    side_of = sides(data)
    gexf = nx.read_gexf(tmp_path / "bodies.gexf")
    placed = [n for n in shared.nodes if n.x is not None]
    assert placed
    for node in placed:
        viz = gexf.nodes[node.id]["viz"]
        assert (viz["position"]["x"], viz["position"]["y"]) == (node.x, -node.y)
        assert viz["size"] == node.size
        colour = SIDE_COLOURS[side_of[node.ref]].lstrip("#")
        assert (viz["color"]["r"], viz["color"]["g"], viz["color"]["b"]) == tuple(
            int(colour[i : i + 2], 16) for i in (0, 2, 4)
        )
    assert {d["side"] for _, d in gexf.nodes(data=True)} >= {"home", "partner"}
    assert gexf.nodes[BCC]["side"] == side_of[BCC]
    assert gexf.nodes[BCC]["community"] >= 1
    assert gexf.nodes[BCC]["areas"]
    # Every node of the bipartite graph is placed (the full view draws them all); GraphML
    # keeps the attributes but has no drawing.
    bipartite = nx.read_gexf(tmp_path / "graph.gexf")
    assert all("position" in d["viz"] for _, d in bipartite.nodes(data=True))
    graphml = nx.read_graphml(tmp_path / "bodies.graphml")
    assert "viz" not in graphml.nodes[BCC] and graphml.nodes[BCC]["side"] == side_of[BCC]
