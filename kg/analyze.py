"""The graph as networkx: bodies and commitments, the bodies' projection, and its metrics.

Everything here reads the RDF graph through named queries (`kg.query`), never the
extractor. Results are deterministic whatever PYTHONHASHSEED is: graphs are built in
sorted order, sets are sorted before they leave a function, and floats are rounded.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx

from kg import metrics
from kg.cells import csv_text
from kg.output import atomic_write_text
from kg.query import resolve_query, run_query
from kg.store import Store, derived

NO_AREA = "(no area)"
PAIRS = ("stated", "co-mention")  # how commitments link bodies: see `project_bodies`
_NOT_PARTNERS = ("programme", "event")  # kinds of body that are never partners
_BRIDGE_KEYS = ("body", "label", "jurisdiction", "mechanism", "mechanism_label")
_DIGITS = 6
# analysis.json's layout and meaning: a file of another format is never taken as current.
ANALYSIS_FORMAT = 2
# Node attribute <- column of the named query that gives it.
_BODY = {k: k for k in ("label", "kind", "jurisdiction", "reviewed")} | {"klass": "class"}
_COMMITMENT = {k: k for k in ("label", "area", "verbs", "quote", "start", "end", "source", "date")}
_COMMITMENT |= {"meeting": "meeting_iri", "meeting_label": "meeting", "mechanism": "mechanism_iri"}


def _rows(store: Store, name: str) -> list[dict[str, Any]]:
    table = run_query(store, resolve_query(name), {})
    # Plain `str`, not kg.store.IRI: networkx's GraphML/GEXF writers reject str subclasses.
    return [
        {k: (str(v) if isinstance(v, str) else v) for k, v in row.items()} for row in table.dicts()
    ]


def _first(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    """One row per `key`, the same one every run when a query repeats a subject."""
    chosen: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: [(k, repr(r[k])) for k in sorted(r)]):
        chosen.setdefault(row[key], row)
    return dict(sorted(chosen.items()))


def to_networkx(store: Store) -> nx.Graph:
    """The bipartite body–commitment graph of `store`.

    Node ids are IRIs. Every node has `label`, `node_type` ("body" or "commitment") and
    `bipartite` (0 for bodies, 1 for commitments). Bodies also have `kind`, `klass` (the
    short class name, e.g. "Agency"), `jurisdiction` (its label or None) and `reviewed`;
    commitments `area` (label or None), `verbs` (sorted list), `quote`, `start`, `end`,
    `source`, `meeting`, `meeting_label`, `date` and `mechanism`. An edge joins a
    commitment to each body it involves. `graph.graph["mechanisms"]` maps each
    co-operation mechanism's IRI to its `label` and `sides` (its jurisdictions' labels);
    `graph.graph["partnerships"]` maps each commitment whose text pairs bodies to those
    pairs (sorted IRI pairs).

    A copy of one graph made once per read-only store (`kg.store.derived`): a build's
    analysis, report and exports read the same one.
    """
    return derived(store, "bipartite", lambda: _to_networkx(store)).copy()


def _to_networkx(store: Store) -> nx.Graph:
    stated: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in _rows(store, "partnerships"):
        a, b = sorted((row["body_a"], row["body_b"]))
        stated[row["commitment"]].add((a, b))
    graph = nx.Graph(
        mechanisms=_mechanisms(_rows(store, "mechanisms")),
        partnerships={c: sorted(p) for c, p in sorted(stated.items())},
    )
    for iri, row in _first(_rows(store, "bodies"), "body").items():
        graph.add_node(iri, node_type="body", bipartite=0, **_pick(row, _BODY))
    for iri, row in _first(_rows(store, "commitments"), "commitment").items():
        attrs = _pick(row, _COMMITMENT)
        attrs["label"] = attrs["label"] or iri
        attrs["verbs"] = attrs["verbs"].split("; ") if attrs["verbs"] else []
        graph.add_node(iri, node_type="commitment", bipartite=1, **attrs)
    for row in sorted(_rows(store, "involvements"), key=lambda r: (r["commitment"], r["body"])):
        if row["body"] not in graph:  # involved but untyped: keep the edge, say what we know
            attrs = {**dict.fromkeys(_BODY), "label": row["body"]}
            graph.add_node(row["body"], node_type="body", bipartite=0, **attrs)
        graph.add_edge(row["commitment"], row["body"])
    return graph


def _pick(row: dict[str, Any], columns: dict[str, str]) -> dict[str, Any]:
    return {attr: row[column] for attr, column in columns.items()}


def _mechanisms(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = found.setdefault(row["mechanism"], {"label": row["label"], "sides": set()})
        if row["side"] is not None:
            entry["sides"].add(row["side"])
    return {
        iri: {"label": entry["label"], "sides": sorted(entry["sides"])}
        for iri, entry in sorted(found.items())
    }


def _nodes_of(graph: nx.Graph, node_type: str) -> list[str]:
    return sorted(n for n, d in graph.nodes(data=True) if d.get("node_type") == node_type)


def project_bodies(bipartite: nx.Graph, pairs: str = "stated") -> nx.Graph:
    """The bodies, joined when commitments link them.

    With `pairs` "stated", a commitment links the bodies its text pairs ("co-operation
    between A and B": `graph.graph["partnerships"]`), and one that pairs none links every two
    bodies it involves, programmes and events aside (co-mention). With "co-mention", every
    commitment links every two bodies it involves.

    Every body of `bipartite` is a node (with its attributes), also one that shares
    nothing. Edge attributes: `weight` (number of linking commitments), `areas` (sorted
    area labels), `commitments` (sorted IRIs), `stated` (how many of them state the pair)
    and `basis` ("stated" when one does, else "co-mention"). The graph keeps `mechanisms`
    and adds `commitment_mechanism` (commitment IRI -> mechanism IRI or None) and `pairs`.
    """
    if pairs not in PAIRS:
        raise ValueError(f"pairs must be one of {', '.join(PAIRS)}, not {pairs!r}")
    projection = nx.Graph(mechanisms=dict(bipartite.graph.get("mechanisms", {})), pairs=pairs)
    for body in _nodes_of(bipartite, "body"):
        projection.add_node(body, **bipartite.nodes[body])
    stated_pairs = bipartite.graph.get("partnerships", {}) if pairs == "stated" else {}
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    stated: dict[tuple[str, str], int] = defaultdict(int)
    commitments = _nodes_of(bipartite, "commitment")
    for commitment in commitments:
        members = sorted(n for n in bipartite[commitment] if n in projection)
        said = [p for p in stated_pairs.get(commitment, []) if set(p) <= set(members)]
        if said:
            links = said
        elif pairs == "stated":
            partners = [m for m in members if projection.nodes[m].get("kind") not in _NOT_PARTNERS]
            links = list(combinations(partners, 2))
        else:
            links = list(combinations(members, 2))
        for pair in links:
            shared[pair].append(commitment)
            stated[pair] += bool(said)
    for (a, b), items in sorted(shared.items()):
        areas = sorted({bipartite.nodes[c].get("area") or "" for c in items} - {""})
        n_stated = stated[a, b]
        projection.add_edge(
            a, b, weight=len(items), areas=areas, commitments=items, stated=n_stated,
            basis="stated" if n_stated else "co-mention",
        )  # fmt: skip
    projection.graph["commitment_mechanism"] = {
        c: bipartite.nodes[c].get("mechanism") for c in commitments
    }
    return projection


def _canonical(graph: nx.Graph, weight: str) -> nx.Graph:
    """A copy with nodes and edges in sorted order: algorithms that walk the graph in
    insertion order then give the same answer however the caller built it."""
    canon = nx.Graph()
    canon.add_nodes_from(sorted(graph))
    edges = sorted(tuple(sorted((u, v))) for u, v in graph.edges())
    for u, v in edges:
        canon.add_edge(u, v, weight=graph.edges[u, v].get(weight, 1))
    return canon


def centrality(graph: nx.Graph, weight: str = "weight") -> dict[str, dict[str, float]]:
    """Degree, weighted degree, betweenness and eigenvector centrality of every node.

    Parameters
    ----------
    graph : nx.Graph
        Usually `project_bodies(...)`; an edge without `weight` counts 1.
    weight : str
        The edge attribute holding the strength of a tie.

    Returns
    -------
    dict
        node -> {"degree", "weighted_degree", "betweenness", "eigenvector"}, rounded to
        six places. `degree` is networkx's normalised degree centrality. `betweenness`
        is normalised and weighted, a tie's length being 1/weight (two bodies sharing
        many commitments are close); `kg.metrics.betweenness_method` says how it is
        computed (exact through igraph; sampled above a size without it). `eigenvector` is
        computed within each connected component (unit length per component; a lone node
        scores 0), so compare it between bodies that can reach each other.

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("b", "c")])
    >>> centrality(g)["b"]
    {'degree': 1.0, 'weighted_degree': 2.0, 'betweenness': 1.0, 'eigenvector': 0.707107}
    """
    canon = _canonical(graph, weight)
    degree = nx.degree_centrality(canon) if len(canon) > 1 else dict.fromkeys(canon, 0.0)
    strength = dict(canon.degree(weight="weight"))
    between = metrics.betweenness(canon)
    eigen = metrics.eigenvector(canon)
    return {
        node: {
            "degree": _round(degree[node]),
            "weighted_degree": _round(strength[node]),
            "betweenness": _round(between[node]),
            "eigenvector": _round(eigen[node]),
        }
        for node in canon
    }


def _round(value: float) -> float:
    rounded = round(float(value), _DIGITS)
    return 0.0 if rounded == 0 else rounded  # no "-0.0" in the output


def communities(graph: nx.Graph, seed: int = 0) -> list[list[str]]:
    """Louvain communities (weighted, fixed seed), largest first, members sorted.

    Examples
    --------
    >>> communities(nx.Graph([("a", "b"), ("c", "d")]))
    [['a', 'b'], ['c', 'd']]
    """
    if len(graph) == 0:
        return []
    names = sorted(graph)
    # Integer nodes: their hashes do not depend on PYTHONHASHSEED, so neither do the sets
    # Louvain builds internally.
    index = {name: i for i, name in enumerate(names)}
    numbered = nx.relabel_nodes(_canonical(graph, "weight"), index)
    parts = nx.community.louvain_communities(numbered, weight="weight", seed=seed)
    groups = [sorted(names[i] for i in part) for part in parts]
    return sorted(groups, key=lambda group: (-len(group), group))


def bridges(graph: nx.Graph) -> list[dict[str, Any]]:
    """Bodies that share a mechanism's commitments with bodies of at least two of its sides.

    For a two-sided conference, the bodies connected to bodies of both sides. Only the
    commitments made at that mechanism's meetings count. Accepts the projection (or the
    bipartite graph, which it projects first).

    Returns
    -------
    list of dict
        {"body", "label", "jurisdiction", "mechanism", "mechanism_label",
        "sides": {side: {"partners": bodies, "commitments": shared commitments}}},
        sorted by mechanism label, body label and IRI.
    """
    if _nodes_of(graph, "commitment"):
        graph = project_bodies(graph)
    of_mechanism = graph.graph.get("commitment_mechanism", {})
    mechanisms = graph.graph.get("mechanisms", {})
    sides = {iri: set(info["sides"]) for iri, info in mechanisms.items()}
    # One pass over the ties and their commitments (not one per mechanism and body):
    # (mechanism, body) -> side -> the partners there, and the commitments shared with them.
    partners: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    shared: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for body in graph:
        for other, data in graph[body].items():
            side = graph.nodes[other].get("jurisdiction")
            for commitment in data.get("commitments", []):
                mechanism = of_mechanism.get(commitment)
                if side in sides.get(mechanism, ()):
                    partners[mechanism, body][side].add(other)
                    shared[mechanism, body][side].add(commitment)
    found = [
        {
            "body": body,
            "label": graph.nodes[body].get("label"),
            "jurisdiction": graph.nodes[body].get("jurisdiction"),
            "mechanism": mechanism,
            "mechanism_label": mechanisms[mechanism]["label"],
            "sides": {
                s: {"partners": len(by_side[s]), "commitments": len(shared[mechanism, body][s])}
                for s in sorted(by_side)
            },
        }
        for (mechanism, body), by_side in partners.items()
        if len(by_side) >= 2
    ]
    return sorted(
        found,
        key=lambda b: (b["mechanism_label"] or "", b["label"] or "", b["body"], b["mechanism"]),
    )


def area_body_matrix(
    source: Store | nx.Graph,
) -> tuple[list[str], list[str], list[list[int]]]:
    """How many commitments of each area involve each body.

    Parameters
    ----------
    source : Store or nx.Graph
        A store, or the bipartite graph `to_networkx` made of it.

    Returns
    -------
    areas : list of str
        Area labels, sorted; commitments without an area are counted under "(no area)".
    bodies : list of str
        IRIs of the bodies involved in at least one commitment, sorted by label then IRI.
    matrix : list of list of int
        ``matrix[i][j]``: commitments of ``areas[i]`` that involve ``bodies[j]``.
    """
    bipartite = source if isinstance(source, nx.Graph) else to_networkx(source)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for commitment in _nodes_of(bipartite, "commitment"):
        area = bipartite.nodes[commitment].get("area") or NO_AREA
        for body in bipartite[commitment]:
            counts[area, body] += 1
    areas = sorted({area for area, _ in counts})
    bodies = sorted(
        {body for _, body in counts},
        key=lambda b: (str(bipartite.nodes[b].get("label") or b), b),
    )
    return areas, bodies, [[counts.get((a, b), 0) for b in bodies] for a in areas]


@dataclass
class Analysis:
    """Everything `analyze` computes. Lists are sorted; `to_json()` is analysis.json."""

    labels: dict[str, str]  # body IRI -> label
    bodies: list[dict[str, Any]]
    shared: list[dict[str, Any]]
    centrality: dict[str, dict[str, float]]
    communities: list[list[str]]
    bridges: list[dict[str, Any]]
    areas: list[str]
    matrix_bodies: list[str]
    matrix: list[list[int]]
    summary: dict[str, int]
    # What it was computed from: {"fingerprint", "format", "pairs", "seed"} (`fingerprint`)
    inputs: dict[str, Any] = field(default_factory=dict)
    # How betweenness was computed: kg.metrics.betweenness_method
    betweenness: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The analysis as JSON-ready data (write it with ``sort_keys=True``)."""
        return {
            "inputs": self.inputs,
            "betweenness": self.betweenness,
            "summary": self.summary,
            "labels": self.labels,
            "bodies": self.bodies,
            "shared_commitments": self.shared,
            "centrality": self.centrality,
            "communities": self.communities,
            "bridges": self.bridges,
            "area_body_matrix": {
                "areas": self.areas,
                "bodies": self.matrix_bodies,
                "counts": self.matrix,
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Analysis:
        """The analysis `to_json` gave (KeyError or TypeError when `data` is not one)."""
        matrix = data["area_body_matrix"]
        return cls(
            labels=dict(data["labels"]),
            bodies=list(data["bodies"]),
            shared=list(data["shared_commitments"]),
            centrality=dict(data["centrality"]),
            communities=list(data["communities"]),
            bridges=list(data["bridges"]),
            areas=list(matrix["areas"]),
            matrix_bodies=list(matrix["bodies"]),
            matrix=list(matrix["counts"]),
            summary=dict(data["summary"]),
            inputs=dict(data["inputs"]),
            betweenness=dict(data["betweenness"]),
        )


def fingerprint(bipartite: nx.Graph, pairs: str = "stated", seed: int = 0) -> str:
    """A hash of everything an analysis of `bipartite` reads, and of how it reads it.

    The bodies with their attributes, each commitment's area and mechanism, who each
    commitment involves, the stated pairs and the mechanisms' sides: an analysis.json
    whose fingerprint equals this one holds what `analyze` would compute now. It is made
    from the named queries' answers, so a graph file, a store or an endpoint holding the
    same facts give the same fingerprint.
    """
    nodes = []
    for node in sorted(bipartite):
        data = bipartite.nodes[node]
        keys = _BODY if data.get("node_type") == "body" else ("area", "mechanism")
        nodes.append([node, data.get("node_type"), [data.get(k) for k in keys]])
    content = {
        "format": ANALYSIS_FORMAT,
        "pairs": pairs,
        "seed": seed,
        "betweenness": metrics.betweenness_method(
            sum(d.get("node_type") == "body" for _, d in bipartite.nodes(data=True))
        ),
        "nodes": nodes,
        "edges": sorted(sorted(e) for e in bipartite.edges()),
        "mechanisms": bipartite.graph.get("mechanisms", {}),
        "partnerships": bipartite.graph.get("partnerships", {}),
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def analyze(store: Store, seed: int = 0, pairs: str = "stated") -> Analysis:
    """Build the graphs of `store` and compute every metric on the bodies' projection
    (`pairs`: how commitments link bodies, as `project_bodies` says)."""
    return analyze_graph(to_networkx(store), seed, pairs)


def analyze_graph(bipartite: nx.Graph, seed: int = 0, pairs: str = "stated") -> Analysis:
    """`analyze` of the bipartite graph `to_networkx` made."""
    projection = project_bodies(bipartite, pairs)
    labels = {n: str(d.get("label") or n) for n, d in projection.nodes(data=True)}
    order = sorted(projection, key=lambda n: (labels[n], n))
    bodies = [
        {
            "body": n,
            **{k: projection.nodes[n].get(k) for k in ("kind", "klass", "jurisdiction")},
            "label": labels[n],
            "reviewed": projection.nodes[n].get("reviewed"),
            "commitments": bipartite.degree(n),
        }
        for n in order
    ]
    shared = []
    for u, v, data in projection.edges(data=True):
        a, b = sorted((u, v), key=lambda n: (labels[n], n))
        shared.append(
            {
                "body_a": a,
                "label_a": labels[a],
                "body_b": b,
                "label_b": labels[b],
                "shared": data["weight"],
                "basis": data["basis"],
                "areas": data["areas"],
                "commitments": data["commitments"],
            }
        )
    # Pairs the texts state first: they are what a reader takes for partnerships.
    shared.sort(
        key=lambda r: (
            r["basis"] != "stated", -r["shared"], r["label_a"], r["label_b"], r["body_a"],
            r["body_b"],
        )
    )  # fmt: skip
    groups = communities(projection, seed=seed)
    areas, matrix_bodies, matrix = area_body_matrix(bipartite)
    kinds = [d.get("kind") for _, d in projection.nodes(data=True)]
    events = sum(k in _NOT_PARTNERS for k in kinds)
    summary = {
        # kg stats' one count of bodies (organisations), its breakdown, and the rest apart
        "bodies": len(kinds) - events,
        "named_bodies": len(kinds) - events - kinds.count("generic_group"),
        "generic_groups": kinds.count("generic_group"),
        "programmes_events": events,
        "commitments": len(_nodes_of(bipartite, "commitment")),
        "involvements": bipartite.number_of_edges(),
        "pairs": projection.number_of_edges(),
        "stated_pairs": sum(d["basis"] == "stated" for _, _, d in projection.edges(data=True)),
        "components": nx.number_connected_components(projection),
        "communities": len(groups),
        "mechanisms": len(projection.graph["mechanisms"]),
    }
    return Analysis(
        labels=dict(sorted(labels.items())),
        bodies=bodies,
        shared=shared,
        centrality=centrality(projection),
        communities=groups,
        bridges=bridges(projection),
        areas=areas,
        matrix_bodies=matrix_bodies,
        matrix=matrix,
        summary=summary,
        inputs={
            "fingerprint": fingerprint(bipartite, pairs, seed),
            "format": ANALYSIS_FORMAT,
            "pairs": pairs,
            "seed": seed,
        },
        betweenness=metrics.betweenness_method(len(projection)),
    )


def read_analysis(path: str | Path) -> Analysis | None:
    """The analysis in an analysis.json `write_analysis` wrote, or None when there is none
    or it is not one (unreadable, of an older format): the caller then computes it."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        analysis = Analysis.from_json(data)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return analysis if analysis.inputs.get("format") == ANALYSIS_FORMAT else None


def write_analysis(analysis: Analysis, out_dir: str | Path) -> list[Path]:
    """Write analysis.json and its CSV tables into `out_dir`, each file atomically.

    The same analysis gives byte-identical files: sorted keys, sorted rows, ``\\n`` line
    ends, floats already rounded.
    """
    out = Path(out_dir)
    labels = analysis.labels
    member = {b: i for i, group in enumerate(analysis.communities, 1) for b in group}
    scores = analysis.centrality
    keys = ("degree", "weighted_degree", "betweenness", "eigenvector")
    body_rows = [
        [b["body"], b["label"], b["jurisdiction"], member.get(b["body"])]
        + [scores[b["body"]][k] for k in keys]
        for b in analysis.bodies
    ]
    bridge_rows = [
        [*(b[k] for k in _BRIDGE_KEYS), side, counts["partners"], counts["commitments"]]
        for b in analysis.bridges
        for side, counts in b["sides"].items()
    ]
    tables = {
        "centrality.csv": (["body", "label", "jurisdiction", "community", *keys], body_rows),
        "shared_commitments.csv": (
            ["body_a", "label_a", "body_b", "label_b", "shared", "basis", "areas", "commitments"],
            [list(r.values()) for r in analysis.shared],
        ),
        "communities.csv": (
            ["community", "body", "label"],
            [[i, b, labels.get(b, b)] for i, g in enumerate(analysis.communities, 1) for b in g],
        ),
        "area_body_matrix.csv": (
            ["area", *(labels.get(b, b) for b in analysis.matrix_bodies)],
            [[area, *row] for area, row in zip(analysis.areas, analysis.matrix, strict=True)],
        ),
        "bridges.csv": (
            [*_BRIDGE_KEYS, "side", "partners", "commitments"],
            bridge_rows,
        ),
    }
    text = json.dumps(analysis.to_json(), sort_keys=True, ensure_ascii=False, indent=2)
    paths = [atomic_write_text(out / "analysis.json", text + "\n")]
    for name, (header, rows) in tables.items():
        paths.append(atomic_write_text(out / name, _csv(header, rows)))
    return paths


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    # csv_text neutralises formulas in every cell, the header too (it holds body labels).
    return csv_text([header, *([_cell(v) for v in row] for row in rows)])


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return value
