"""kg.graphxml writes, byte for byte, what networkx's GraphML and GEXF writers wrote, and
networkx reads back the plain graph it was given."""

from __future__ import annotations

import doctest
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ElementTree

import networkx as nx
import pytest
from networkx.readwrite.gexf import GEXFWriter
from networkx.readwrite.graphml import GraphMLWriter

import kg.graphxml
from kg.analyze import project_bodies, to_networkx
from kg.drawing import annotate_both
from kg.export import _plain_graph, export_all, export_gexf, export_graphml
from kg.graphxml import gexf_chunks, graphml_chunks
from kg.store import open_store

MINI = Path(__file__).parent / "fixtures" / "mini.ttl"
# The whitespace, a form feed, U+2028, NEL, NUL, a lone surrogate and a non-character.
HOSTILE = "a\rb\tc\nd\r\ne\x0cf\u2028g\x85h\x00i\ud800j\ufffek\r"
MARKUP = "&<>\"' &amp; ]]> 粤港合作 😀"
FULL_VIZ = {
    "color": {"r": 255, "g": 0, "b": 17, "a": 0.5},
    "size": 12.25,
    "position": {"x": 1.5, "y": -0.0, "z": 0.0},
}


# --- the reference: kg.export's two writers as they were, on networkx's element trees -----


def old_export_graphml(graph: nx.Graph) -> bytes:
    return networkx_graphml(_plain_graph(graph))


def old_export_gexf(graph: nx.Graph) -> bytes:
    return networkx_gexf(_plain_graph(graph, viz=True))


def networkx_graphml(plain: nx.Graph) -> bytes:
    writer = GraphMLWriter(encoding="utf-8")
    writer.add_graph_element(plain)
    text = str(writer).replace("\r", "&#13;")
    return (text + ("" if text.endswith("\n") else "\n")).encode("utf-8")


def networkx_gexf(plain: nx.Graph) -> bytes:
    writer = GEXFWriter(graph=plain, encoding="utf-8", version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
    writer.indent(writer.xml)
    buffer = io.BytesIO()
    ElementTree(writer.xml).write(buffer, encoding="utf-8", xml_declaration=True)
    return buffer.getvalue() + b"\n"


# --- graphs ----------------------------------------------------------------------------------


def values_graph(nan: bool = True) -> nx.Graph:
    """Every kind of value _plain_graph takes, hostile text in values, keys and node ids."""
    graph = nx.Graph()
    graph.add_node(
        f"n {MARKUP}",
        label=MARKUP,
        quote=HOSTILE,
        count=3,
        big=10**30,
        ratio=0.1,
        huge=1e300,
        tiny=1e-20,
        zero=-0.0,
        inf=float("inf"),
        ninf=float("-inf"),
        reviewed=True,
        empty="",
        none=None,
        tags={"y", "x&y"},
        verbs=["b", "a<"],
        pair=("p", 1),
        nothing=[],
        weight=2,  # an ordinary attribute on a node
        key="k",  # GEXF calls this one networkx_key
        **{f"k {MARKUP}": "key name to escape", "line\nkey": "x"},
    )
    if nan:
        graph.nodes[f"n {MARKUP}"]["nan"] = float("nan")
    graph.add_node(f"n {HOSTILE}", label=HOSTILE, count="three", reviewed=False, ratio=2)
    graph.add_node("n plain", count=None, mixed=1, pid="n plain")  # GEXF's parent id
    graph.add_node("n other", mixed=1.5)
    graph.add_node("n lonely")
    graph.add_node("n\x0cfeed")
    graph.add_node("n\x1bfeed")  # the same id as the form feed's, once XML-safe
    graph.add_edge(f"n {MARKUP}", f"n {HOSTILE}", weight=3, areas=["Trade", MARKUP])
    graph.add_edge(f"n {MARKUP}", "n plain", weight=0.25, basis=HOSTILE, stated=True)
    graph.add_edge("n plain", "n other", weight=1, label="an edge", type="undirected", key=1)
    graph.add_edge("n other", "n\x0cfeed")
    graph.add_edge("n\x1bfeed", "n lonely", stated="two", note=None)
    return graph


def ids_graph() -> nx.Graph:
    """GEXF's node and edge `id` attributes: a node's is its id in GEXF, an edge's taken."""
    graph = nx.Graph()
    graph.add_node("a", id="alias & <a>")
    graph.add_edges_from([("a", "b", {"id": 1}), ("b", "c"), ("c", "d"), ("d", "e", {"id": "0"})])
    return graph


def viz_graph() -> nx.Graph:
    graph = nx.Graph()
    drawings = {
        "full": FULL_VIZ,
        "no alpha": {"color": {"r": 1, "g": 2, "b": 3}, "size": 1.0},
        "no g, no z": {"color": {"r": 1, "b": 3}, "position": {"x": 1.0, "y": 2.0}},
        "size only": {"size": 7},
        "shape": {"shape": 'disc "&"', "thickness": 2.5},
        "image": {"shape": "http://example.org/a.png?x=1&y=2"},
        "nothing drawn": {"size": None},
        "empty": {},
    }
    for name, viz in drawings.items():
        graph.add_node(name, viz=viz, label=name.upper())
    graph.add_node("undrawn", label="no viz")
    graph.add_node("bare")
    graph.add_edge("full", "no alpha", weight=2.5)
    graph.add_edge("full", "bare")
    return graph


def undrawn_viz_graph() -> nx.Graph:
    """A drawing that draws nothing: ElementTree then declares no viz namespace."""
    graph = nx.Graph()
    graph.add_node("a", viz={"size": None, "color": None})
    graph.add_node("b", viz={})
    graph.add_edge("a", "b")
    return graph


def no_edges_graph() -> nx.Graph:
    graph = nx.Graph()
    graph.add_node("b", viz=FULL_VIZ, label="B", size=1)
    graph.add_node("a")
    return graph


def bare_edges_graph() -> nx.Graph:
    return nx.Graph([(10, 2), (2, 1), (3, 4)])  # numbers: sorted as numbers, written as text


GRAPHS: dict[str, Callable[[], nx.Graph]] = {
    "values": values_graph,
    "ids": ids_graph,
    "viz": viz_graph,
    "undrawn viz": undrawn_viz_graph,
    "no edges": no_edges_graph,
    "bare edges": bare_edges_graph,
    "empty": nx.Graph,
}


def test_the_graphs_hold_the_cases(tmp_path):
    graphml, gexf = old_export_graphml(values_graph()), old_export_gexf(values_graph())
    for written in (b"&#13;", b"&amp;amp;", b"&lt;", b"&quot;", b"\xef\xbf\xbd"):
        assert written in graphml + gexf
    assert b"&#10;" in gexf and b"&#09;" in gexf and "粤".encode() in gexf
    assert b"&#31908;" in graphml and b"&#128512;" in graphml and b"\tc\n" in graphml
    assert b'attr.type="boolean"' in graphml and b">True<" in graphml
    assert b'value="NaN"' in gexf and b'value="-INF"' in gexf and b'weight="0.25"' in gexf
    assert b"xmlns:viz" in old_export_gexf(viz_graph())
    assert b"<viz:" not in old_export_gexf(undrawn_viz_graph())
    assert re.search(rb'\n      <data key="d\d+" />\n', graphml)  # an empty value's element


@pytest.mark.parametrize("name", GRAPHS)
def test_export_graphml_writes_what_networkx_wrote(tmp_path, name):
    graph = GRAPHS[name]()
    written = export_graphml(graph, tmp_path / "g.graphml").read_bytes()
    assert written == old_export_graphml(graph)


@pytest.mark.parametrize("name", GRAPHS)
def test_export_gexf_writes_what_networkx_wrote(tmp_path, name):
    graph = GRAPHS[name]()
    written = export_gexf(graph, tmp_path / "g.gexf").read_bytes()
    assert written == old_export_gexf(graph)


def test_one_type_per_key_is_not_needed():
    """GraphML keys a name per type; GEXF declares the type it meets first."""
    graph = nx.Graph()
    graph.add_node("b", score=1, other=True)
    graph.add_node("a", score="high", other=0.5)
    graph.add_edge("b", "a", score=2.0, weight="heavy")
    assert b"".join(graphml_chunks(graph)) == networkx_graphml(graph)
    assert b"".join(gexf_chunks(graph)) == networkx_gexf(graph)


def test_chunks_are_small():
    graph = nx.Graph((f"n{i}", f"n{i + 1}") for i in range(20_000))
    chunks = list(gexf_chunks(graph))
    assert len(chunks) > 5 and max(map(len, chunks)) < 1 << 20
    assert b"".join(chunks) == networkx_gexf(graph)


@pytest.mark.parametrize("key", ["start", "end", "parents", "spells"])
def test_gexf_refuses_the_keys_it_reserves_for_time_and_hierarchy(key):
    with pytest.raises(ValueError, match=key):
        b"".join(gexf_chunks(nx.Graph([("a", "b", {key: 1})])))
    graph = nx.Graph()
    graph.add_node("a", **{key: "x"})
    with pytest.raises(ValueError, match=key):
        b"".join(gexf_chunks(graph))


@pytest.mark.parametrize("chunks", [graphml_chunks, gexf_chunks])
@pytest.mark.parametrize(
    "graph", [nx.DiGraph([("a", "b")]), nx.MultiGraph([("a", "b")]), nx.Graph(name="g")]
)
def test_only_a_plain_graph_is_written(chunks, graph):
    with pytest.raises(ValueError, match="plain graph"):
        b"".join(chunks(graph))


def test_a_value_of_another_type_is_refused():
    with pytest.raises(TypeError, match="complex"):
        b"".join(graphml_chunks(nx.Graph([("a", "b", {"z": 1j})])))


# --- the seed corpus's graphs, as export_all makes them ------------------------------------


@pytest.fixture(scope="module")
def mini() -> dict[str, nx.Graph]:
    """The graphs export_all writes of the fixture, drawn."""
    store = open_store(MINI)
    bipartite = to_networkx(store)
    projection = project_bodies(bipartite)
    annotate_both(store, bipartite, projection)
    return {"graph": bipartite, "bodies": projection}


@pytest.mark.parametrize("name", ["graph", "bodies"])
def test_export_all_writes_what_networkx_wrote(tmp_path, mini, name):
    export_all(open_store(MINI), out_dir=tmp_path)
    gexf = (tmp_path / f"{name}.gexf").read_bytes()
    assert b"<viz:position" in gexf and b"&amp;" in gexf  # drawn, and text to escape
    assert gexf == old_export_gexf(mini[name])
    assert (tmp_path / f"{name}.graphml").read_bytes() == old_export_graphml(mini[name])


# --- what networkx reads back ----------------------------------------------------------------


@pytest.fixture(scope="module")
def round_trip(mini) -> dict[str, nx.Graph]:
    graphs = {"values": values_graph(nan=False), "no edges": no_edges_graph()}
    return {**graphs, "mini graph": mini["graph"], "mini bodies": mini["bodies"]}


@pytest.mark.parametrize("name", ["values", "no edges", "mini graph", "mini bodies"])
def test_graphml_reads_back_as_the_plain_graph(tmp_path, round_trip, name):
    plain = _plain_graph(round_trip[name])
    back = nx.read_graphml(export_graphml(round_trip[name], tmp_path / "g.graphml"))
    assert list(back.nodes(data=True)) == list(plain.nodes(data=True))
    assert _edges(back) == _edges(plain)


@pytest.mark.parametrize("name", ["values", "no edges", "mini graph", "mini bodies"])
def test_gexf_reads_back_as_the_plain_graph(tmp_path, round_trip, name):
    plain = _plain_graph(round_trip[name], viz=True)
    back = nx.read_gexf(export_gexf(round_trip[name], tmp_path / "g.gexf"))
    expected = [(node, _gexf_node(node, data)) for node, data in plain.nodes(data=True)]
    assert list(back.nodes(data=True)) == expected
    edges = [_gexf_edge(number, data) for number, data in enumerate(_edges(plain).values())]
    assert list(_edges(back)) == list(_edges(plain))
    assert list(_edges(back).values()) == edges
    assert any("viz" in data for _, data in back.nodes(data=True)) == (name != "values")


def _edges(graph: nx.Graph) -> dict[frozenset[str], dict[str, Any]]:
    return {frozenset((u, v)): data for u, v, data in graph.edges(data=True)}


def _gexf_node(node: str, data: dict[str, Any]) -> dict[str, Any]:
    """What GEXF gives back: a label always, the key `key` renamed, the drawing typed."""
    back = {("networkx_key" if k == "key" else k): v for k, v in data.items() if k != "viz"}
    back["label"] = data.get("label", node)
    if "viz" in data:
        viz = data["viz"]
        back["viz"] = {
            "color": {**viz["color"], "a": float(viz["color"].get("a", 1))},
            "size": float(viz["size"]),
            **({"position": viz["position"]} if "position" in viz else {}),
        }
    return back


def _gexf_edge(number: int, data: dict[str, Any]) -> dict[str, Any]:
    """What GEXF gives back: the edge's number, a float weight; `type` is read as the edge's
    direction and `key` as its key in a multigraph, and neither comes back."""
    back = {k: v for k, v in data.items() if k not in ("type", "key")}
    back["id"] = str(number)
    if "weight" in data:
        back["weight"] = float(data["weight"])
    return back


def test_doctests():
    assert doctest.testmod(kg.graphxml).failed == 0
