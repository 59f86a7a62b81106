"""The page's picture for other tools: each node's position, colour, size, side and community.

Gephi opens GEXF with the positions, colours and sizes of its `viz` namespace, so the
exports carry the drawing of the page's views (kg.viz_views), not a second layout: the
bipartite graph gets the "Bodies and commitments" view, the bodies' projection the "Bodies
that share commitments" view. A node the view does not place (a body that shares nothing,
or beyond a large graph's summary) gets its colour and size but no position; Gephi lays it
out with the rest.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kg.analyze import communities
from kg.store import Store
from kg.viz_data import gather_page_data
from kg.viz_styles import KIND_STYLES, SIDE_COLOURS
from kg.viz_views import sides, store_views


@dataclass(frozen=True)
class Drawn:
    """How one node is drawn; `x`/`y` None where the view leaves it unplaced."""

    colour: str  # "#rrggbb"
    size: float
    x: float | None = None
    y: float | None = None


def drawings(store: Store) -> tuple[dict[str, dict[str, Drawn]], dict[str, str]]:
    """Per view ("full" for the bipartite graph, "shared" for the projection): node IRI ->
    how the page draws it; and each body's side."""
    data = gather_page_data(store)
    side_of = sides(data)
    found: dict[str, dict[str, Drawn]] = {}
    for view in store_views(store, data):
        if view.key not in ("full", "shared"):
            continue
        drawn = {}
        for node in view.nodes:
            side = side_of.get(node.ref) if node.kind == "body" else None
            colour = SIDE_COLOURS[side] if side else KIND_STYLES[node.kind][0]
            drawn[node.id] = Drawn(colour, node.size, node.x, node.y)
        found[view.key] = drawn
    return found, side_of


def annotate(
    graph: nx.Graph,
    drawn: dict[str, Drawn],
    side_of: dict[str, str],
    groups: list[list[str]],
    areas: dict[str, list[str]],
) -> None:
    """Give each node of `graph` its `viz` (GEXF's drawing), `community` (its Louvain
    community's number, 1 the largest; None for a commitment) and, for a body, `side` and
    `areas` (the areas of its commitments, most frequent first)."""
    member = {b: i for i, group in enumerate(groups, 1) for b in group}
    for node, attrs in graph.nodes(data=True):
        how = drawn.get(node)
        attrs["community"] = member.get(node)
        if attrs.get("node_type") == "body":
            attrs["side"] = side_of.get(node)
            attrs["areas"] = areas.get(node) or None
        if how is None:
            continue
        viz: dict[str, Any] = {"color": _rgb(how.colour), "size": how.size}
        if how.x is not None and how.y is not None:
            # Gephi's y axis points up, the page's down: flipped, it is the same picture.
            viz["position"] = {"x": how.x, "y": -how.y, "z": 0.0}
        attrs["viz"] = viz


def body_areas(bipartite: nx.Graph) -> dict[str, list[str]]:
    """Each body's areas, most frequent among its commitments first, then by name."""
    found = {}
    for node, attrs in bipartite.nodes(data=True):
        if attrs.get("node_type") != "body":
            continue
        counts = Counter(bipartite.nodes[c].get("area") for c in bipartite[node])
        counts.pop(None, None)
        found[node] = sorted(counts, key=lambda a: (-counts[a], a))
    return found


def _rgb(colour: str) -> dict[str, int]:
    value = colour.lstrip("#")
    return {"r": int(value[0:2], 16), "g": int(value[2:4], 16), "b": int(value[4:6], 16)}


def annotate_both(store: Store, bipartite: nx.Graph, projection: nx.Graph) -> None:
    """Annotate the bipartite graph and the projection with the page's two views."""
    views, side_of = drawings(store)
    groups = communities(projection)
    areas = body_areas(bipartite)
    annotate(bipartite, views.get("full", {}), side_of, groups, areas)
    annotate(projection, views.get("shared", {}), side_of, groups, areas)
