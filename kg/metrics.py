"""Betweenness and eigenvector centrality that stay fast on large projections.

Betweenness goes through igraph (C, exact at every size) behind `betweenness`; networkx
gives the same numbers and is the reference the tests compare igraph with
(`betweenness_networkx`). Without igraph, networkx computes it exactly up to
`EXACT_LIMIT` nodes and, above, from `PIVOTS` source nodes drawn with a fixed seed
(Brandes' sampling): `betweenness_method` says which, and analysis.json records it.

Eigenvector centrality is networkx's power iteration on (A + I), with the same start,
normalisation and stopping rule, done as sparse matrix products: the loop networkx runs in
Python took 11 s on a 2,000-body component.
"""

from __future__ import annotations

import contextlib
import math
import sys
from collections.abc import Iterator
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse

EXACT_LIMIT = 1500  # nodes up to which networkx's betweenness is exact (without igraph)
PIVOTS = 500  # source nodes of the sampled betweenness above EXACT_LIMIT
SEED = 0  # of the sample: the same graph gives the same pivots, so the same scores


def _igraph() -> Any:
    try:
        with _without_matplotlib():
            import igraph
    except ImportError:  # an install without it still analyses, sampled above the limit
        return None
    return igraph


@contextlib.contextmanager
def _without_matplotlib() -> Iterator[None]:
    """igraph imports matplotlib.pyplot for its plots when it can (0.5 s of a build's
    analysis): we never plot with igraph, so while igraph loads, matplotlib seems absent,
    unless this process has loaded it already (then igraph finds it as it would)."""
    if "matplotlib" in sys.modules:
        yield
        return
    sys.modules["matplotlib"] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        yield
    finally:
        if sys.modules.get("matplotlib", 0) is None:
            del sys.modules["matplotlib"]


def betweenness_method(nodes: int) -> dict[str, Any]:
    """How `betweenness` computes it for a graph of `nodes` nodes: {"engine", "method",
    "pivots", "seed"} (pivots and seed None when exact)."""
    if _igraph() is not None:
        return {"engine": "igraph", "method": "exact", "pivots": None, "seed": None}
    if nodes <= EXACT_LIMIT:
        return {"engine": "networkx", "method": "exact", "pivots": None, "seed": None}
    return {"engine": "networkx", "method": "sampled", "pivots": PIVOTS, "seed": SEED}


def _distances(graph: nx.Graph, weight: str) -> list[tuple[str, str, float]]:
    """Edges as lengths: a tie of weight w is 1/w long (many shared commitments: close).
    A tie of weight 0 or less is no path at all."""
    edges = []
    for u, v, data in graph.edges(data=True):
        w = data.get(weight, 1)
        if w > 0:
            edges.append((u, v, 1.0 / w))
    return edges


def betweenness(graph: nx.Graph, weight: str = "weight") -> dict[str, float]:
    """Normalised weighted betweenness of every node, as networkx defines it (a tie's
    length being 1/weight), computed as `betweenness_method(len(graph))` says."""
    method = betweenness_method(len(graph))
    if method["engine"] == "networkx":
        return betweenness_networkx(graph, weight, method["pivots"], SEED)
    igraph = _igraph()
    names = list(graph)
    index = {name: i for i, name in enumerate(names)}
    edges = _distances(graph, weight)
    net = igraph.Graph(n=len(names), edges=[(index[u], index[v]) for u, v, _ in edges])
    # igraph compares path lengths with a relative tolerance, so paths that tie exactly
    # (1/2 + 1/2 against 1) tie here too, as they did with exact fractions.
    raw = net.betweenness(directed=False, weights=[d for _, _, d in edges]) if edges else []
    n = len(names)
    # networkx counts each unordered pair twice, then divides by (n-1)(n-2).
    scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return {name: (raw[i] * scale if edges else 0.0) for i, name in enumerate(names)}


def betweenness_networkx(
    graph: nx.Graph, weight: str = "weight", pivots: int | None = None, seed: int = SEED
) -> dict[str, float]:
    """The same measure by networkx: exact, or from `pivots` sources drawn with `seed`
    from the nodes in sorted order (the same sample whatever order the graph was built in)."""
    distance = nx.Graph()
    distance.add_nodes_from(sorted(graph))
    distance.add_weighted_edges_from(
        sorted((*sorted((u, v)), d) for u, v, d in _distances(graph, weight)), weight="distance"
    )
    k = pivots if pivots is not None and pivots < len(distance) else None
    return nx.betweenness_centrality(
        distance, k=k, seed=seed if k else None, weight="distance", normalized=True
    )


def eigenvector(graph: nx.Graph, weight: str = "weight") -> dict[str, float]:
    """Eigenvector centrality within each connected component (unit length per component;
    a lone node scores 0), as networkx's `eigenvector_centrality` with ``tol=1e-9`` and
    ``max_iter=1000`` would give it; a component that does not converge by then gets the
    10,000th iterate of (A + I)x, an approximate score rather than none."""
    scores: dict[str, float] = {}
    for component in sorted(sorted(c) for c in nx.connected_components(graph)):
        if len(component) == 1:
            scores[component[0]] = 0.0
            continue
        matrix = nx.to_scipy_sparse_array(graph, nodelist=component, weight=weight, format="csr")
        matrix = matrix + scipy.sparse.identity(len(component), format="csr")
        vector = _power(matrix)
        scores.update(zip(component, vector.tolist(), strict=True))
    return scores


def _power(matrix: Any, max_iter: int = 1000, tol: float = 1e-9, steps: int = 10_000) -> Any:
    size = matrix.shape[0]
    x = np.full(size, 1.0 / size)
    for _ in range(max_iter):
        last = x
        x = matrix @ last  # symmetric: the left eigenvector networkx computes is this one
        x = x / (math.hypot(*x) or 1.0)
        if np.abs(x - last).sum() < size * tol:
            return x
    x = np.ones(size)
    for _ in range(steps):
        x = matrix @ x
        x = x / (np.linalg.norm(x) or 1.0)
    return x
