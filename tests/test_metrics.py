"""kg.metrics against networkx: igraph's betweenness and the sparse eigenvector iteration
give networkx's numbers (exact fractions as the reference), the sampled fallback says so,
and the report reuses an analysis only when it is current for the graph."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import networkx as nx
import pytest

import kg.metrics
from kg.analyze import (
    Analysis,
    analyze,
    fingerprint,
    project_bodies,
    read_analysis,
    to_networkx,
    write_analysis,
)
from kg.report import render_report
from kg.store import open_store

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.ttl"


def exact_betweenness(graph: nx.Graph) -> dict[str, float]:
    """networkx with exact fractions as lengths: ties are ties, no rounding luck."""
    lengths = nx.Graph()
    lengths.add_nodes_from(graph)
    for u, v, d in graph.edges(data=True):
        lengths.add_edge(u, v, length=Fraction(1, d.get("weight", 1)))
    scores = nx.betweenness_centrality(lengths, weight="length", normalized=True)
    return {n: round(float(s), 9) for n, s in scores.items()}


def random_graph(seed: int, nodes: int = 40, edges: int = 90) -> nx.Graph:
    rng = random.Random(seed)
    graph = nx.Graph()
    graph.add_nodes_from(f"n{i:02d}" for i in range(nodes))
    while graph.number_of_edges() < edges:
        u, v = rng.sample(sorted(graph), 2)
        graph.add_edge(u, v, weight=rng.choice([1, 2, 3, 5, 6, 10]))
    return graph


def graphs() -> list[nx.Graph]:
    ties = nx.Graph()  # a-d directly (1/2), or a-b-c-d (1/6 three times): a tie
    ties.add_weighted_edges_from([("a", "d", 2), ("a", "b", 6), ("b", "c", 6), ("c", "d", 6)])
    ties.add_weighted_edges_from([("d", "e", 10), ("e", "f", 5), ("d", "f", 1), ("x", "y", 1)])
    return [
        project_bodies(to_networkx(open_store(MINI))),
        ties,
        *(random_graph(seed) for seed in range(4)),
    ]


@pytest.mark.parametrize("index", range(6))
def test_igraph_betweenness_is_networkx_exact(index):
    graph = graphs()[index]
    assert kg.metrics.betweenness_method(len(graph))["engine"] == "igraph"
    got = {n: round(s, 9) for n, s in kg.metrics.betweenness(graph).items()}
    want = exact_betweenness(graph)
    assert got == want
    assert sum(want.values()) > 0  # the graphs have paths through nodes: not all zeros


@pytest.mark.parametrize("index", range(6))
def test_eigenvector_is_networkx_per_component(index):
    graph = graphs()[index]
    got = kg.metrics.eigenvector(graph)
    for component in nx.connected_components(graph):
        if len(component) == 1:
            assert got[next(iter(component))] == 0.0
            continue
        want = nx.eigenvector_centrality(
            graph.subgraph(component), max_iter=1000, tol=1e-9, weight="weight"
        )
        for node, value in want.items():
            assert got[node] == pytest.approx(value, abs=1e-9)


def test_without_igraph_large_graphs_are_sampled_and_say_so(monkeypatch, tmp_path):
    monkeypatch.setattr(kg.metrics, "_igraph", lambda: None)
    monkeypatch.setattr(kg.metrics, "EXACT_LIMIT", 5)
    monkeypatch.setattr(kg.metrics, "PIVOTS", 4)
    small = kg.metrics.betweenness_method(5)
    assert small == {"engine": "networkx", "method": "exact", "pivots": None, "seed": None}
    graph = random_graph(7)
    method = kg.metrics.betweenness_method(len(graph))
    assert method == {"engine": "networkx", "method": "sampled", "pivots": 4, "seed": 0}
    first, again = kg.metrics.betweenness(graph), kg.metrics.betweenness(random_graph(7))
    assert first == again != {n: round(s, 9) for n, s in exact_betweenness(graph).items()}
    analysis = analyze(open_store(MINI))  # 7 bodies: above the limit of 5
    assert analysis.betweenness == {"engine": "networkx", "method": "sampled", "pivots": 4,
                                    "seed": 0}  # fmt: skip
    result = render_report(open_store(MINI), tmp_path, analysis=analysis)
    assert "estimated from the shortest paths of 4 bodies" in result.html.read_text()


def test_analysis_json_records_inputs_and_reads_back(tmp_path):
    store = open_store(MINI)
    analysis = analyze(store)
    assert analysis.inputs == {
        "fingerprint": fingerprint(to_networkx(store)),
        "format": 2,
        "pairs": "stated",
        "seed": 0,
    }
    assert analysis.betweenness["method"] == "exact"
    write_analysis(analysis, tmp_path)
    data = json.loads((tmp_path / "analysis.json").read_text(encoding="utf-8"))
    assert data["inputs"]["fingerprint"].startswith("sha256:")
    assert read_analysis(tmp_path / "analysis.json") == analysis
    rdflib = analyze(open_store(MINI, engine="rdflib"))
    assert rdflib.inputs == analysis.inputs  # made from the queries' answers, not the file
    assert analyze(store, pairs="co-mention").inputs["fingerprint"] != data["inputs"]["fingerprint"]
    for text in ("", "{", "[]", '{"labels": 1}', json.dumps({**data, "inputs": {"format": 1}})):
        (tmp_path / "bad.json").write_text(text, encoding="utf-8")
        assert read_analysis(tmp_path / "bad.json") is None
    assert read_analysis(tmp_path / "missing.json") is None


def test_report_reuses_a_current_analysis_only(tmp_path):
    store = open_store(MINI)
    analysis = analyze(store)
    fresh = render_report(store, tmp_path / "fresh")
    reused = render_report(store, tmp_path / "reused", analysis=analysis)
    assert (fresh.reused, reused.reused) == (False, True)
    assert fresh.html.read_bytes() == reused.html.read_bytes()
    stale = Analysis.from_json({**analysis.to_json(), "summary": {**analysis.summary}})
    stale.inputs = {**stale.inputs, "fingerprint": "sha256:" + "0" * 64}
    stale.communities = [["made-up"]]
    again = render_report(store, tmp_path / "stale", analysis=stale)
    assert again.reused is False
    assert again.html.read_bytes() == fresh.html.read_bytes()


def test_kg_report_reads_the_current_analysis_json(tmp_path):
    graph = tmp_path / "g.ttl"
    graph.write_bytes(MINI.read_bytes())
    out = tmp_path / "out"

    def kg(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=ROOT
        )

    first = kg("report", str(graph), "--out", str(out), "--no-pdf")
    assert first.returncode == 0 and "analysis:" not in first.stdout
    assert kg("analyze", str(graph), "--out", str(out)).returncode == 0
    second = kg("report", str(graph), "--out", str(out), "--no-pdf")
    assert "analysis: reused" in second.stdout, second.stdout
    # one more commitment: the saved analysis is no longer the graph's
    graph.write_text(
        MINI.read_text(encoding="utf-8") + "<https://w3id.org/coopkg/id/commitment/mini/900> a "
        "<https://w3id.org/coopkg/ontology#Commitment> ;\n"
        "  <https://w3id.org/coopkg/ontology#involves> "
        "<https://w3id.org/coopkg/id/body/beta-government> .\n",
        encoding="utf-8",
    )
    third = kg("report", str(graph), "--out", str(out), "--no-pdf")
    assert third.returncode == 0
    assert "is not of this graph as it is now; computed anew" in third.stdout, third.stdout


IGRAPH_ALONE = """
import sys
import networkx as nx
from kg.metrics import betweenness, betweenness_method
assert betweenness_method(40)["engine"] == "igraph"
scores = betweenness(nx.karate_club_graph())
assert abs(scores[0] - 0.3958) < 0.001, scores[0]
print("matplotlib" in sys.modules)
"""


def test_betweenness_does_not_load_matplotlib() -> None:
    """igraph loads matplotlib.pyplot for its plots when it can (half a second of every
    analysis); the analysis never plots, so it is not loaded."""
    proc = subprocess.run(
        [sys.executable, "-c", IGRAPH_ALONE], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"
