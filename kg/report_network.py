"""The report's picture of the network: the explorer page's first screen, drawn by matplotlib.

"Who works with whom" is the page's "Bodies that share commitments" view (kg.viz_views) as
the page draws it: the same precomputed positions, colour by side, shape by kind of body
(vis-network's shapes approximated by patches of the same size in the same units), generic
groups hollow, a solid line where a commitment's text states the pair and a dashed one for
co-mention, line width by shared commitments, and the names of the most connected bodies,
ranked as the page ranks its labels (page.js: size, then edges, then order). The export
button of the page (kg/static/page-export.js) draws the same picture in the browser.

Deterministic like the other charts: positions come rounded from kg.viz_layout, labels are
placed by a fixed greedy rule on text extents measured by Agg, which depend on the font only.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Polygon, RegularPolygon

from kg.report_charts import _empty, _shorten, _wrap
from kg.store import Store
from kg.viz_data import gather_page_data
from kg.viz_styles import CLASS_STYLES, SIDE_COLOURS, class_of, side_labels
from kg.viz_views import alone_note, home_side, sides, store_views

LABELS = 25  # names drawn at most: the page's HUBS (kg/static/page-labels.js)
_WIDTH = 7.0  # inches, as the other charts
_KEY_ROW = 0.155  # inches a legend's row takes, at its font size
_FONT = 7.5  # pt: the names
_STATED, _MENTIONED = "#555555", "#b0b0b0"  # the page's edge colours (page.js, visEdge)
_MARKERS = {  # vis-network shape -> matplotlib marker, for the legend
    "dot": "o",
    "square": "s",
    "diamond": "D",
    "triangle": "^",
    "triangleDown": "v",
    "star": "*",
    "hexagon": "h",
}


def network_data(store: Store) -> dict[str, Any]:
    """The shared view as plain rows: nodes (label, side, group, shape, hollow, x, y, size,
    edges, labelled) in the page's label order, edges (a, b, shared, stated), and what is
    left out."""
    data = gather_page_data(store)
    view = next(v for v in store_views(store, data) if v.key == "shared")
    side_of = sides(data)
    drawn = [i for i in (view.start or range(len(view.nodes))) if view.nodes[i].x is not None]
    keep = set(drawn)
    edges = [e for e in view.edges if e.a in keep and e.b in keep]
    degree: Counter[int] = Counter()
    for e in view.edges:  # the page ranks by the edges a node has in the view
        degree[e.a] += 1
        degree[e.b] += 1
    # page.js's label order with nothing chosen: size, then edges, then the view's order
    order = sorted(drawn, key=lambda i: (-view.nodes[i].size, -degree[i], i))
    at = {i: k for k, i in enumerate(order)}
    nodes = []
    for i in order:
        node = view.nodes[i]
        body = data.bodies[node.ref]
        group, shape, hollow = CLASS_STYLES[class_of(body)]
        nodes.append(
            {"body": node.ref, "label": body.label, "side": side_of.get(node.ref, "other"),
             "jurisdiction": data.jurisdictions.get(body.jurisdiction or ""),
             "group": group, "shape": shape, "hollow": hollow, "x": node.x, "y": node.y,
             "size": node.size, "edges": degree[i], "rank": at[i] + 1}
        )  # fmt: skip
    return {
        "title": view.title,
        "nodes": nodes,
        "edges": [
            {"a": at[e.a], "b": at[e.b], "shared": e.weight, "stated": e.stated} for e in edges
        ],
        "bodies": len(data.bodies),
        "alone": len(data.bodies) - len(view.nodes),
        "alone_note": alone_note(data, {n.ref for n in view.nodes}),
        "summary": view.start is not None,
        "view_nodes": len(view.nodes),
        "side_labels": side_labels(data, home_side(data)),
    }


def chart_network(data: dict[str, Any]) -> Figure:
    """The figure; marks the nodes whose name it draws (`labelled`) in `data` for the CSV."""
    net = data["network"]
    nodes, edges = net["nodes"], net["edges"]
    for n in nodes:
        n["labelled"] = False
    if not nodes:
        fig = Figure(figsize=(_WIDTH, 1.6))
        _empty(fig, "No two bodies share a commitment")
        return fig
    # Page coordinates: y points down; flipped here, it is the same picture.
    pad = 60.0  # pixels of the page around the outermost nodes, room for a name
    left = min(n["x"] - n["size"] for n in nodes) - pad * 1.5
    right = max(n["x"] + n["size"] for n in nodes) + pad * 1.5
    top = min(n["y"] - n["size"] for n in nodes) - pad
    bottom = max(n["y"] + n["size"] for n in nodes) + pad
    wide, tall = right - left, bottom - top
    height = min(max(_WIDTH * tall / wide, 3.2), 7.5)
    keys = _keys(net)
    rows = max(math.ceil(len(k) / _columns(k)) for _, k in keys)
    below = 0.32 + _KEY_ROW * rows  # inches under the network for the legend
    fig = Figure(figsize=(_WIDTH, height + below))
    ax = fig.add_axes((0.0, below / (height + below), 1.0, height / (height + below)))
    ax.set_axis_off()
    # one scale on both axes, the drawing centred in the room it has
    scale = min(_WIDTH / wide, height / tall)  # inches per page pixel
    cx, cy = (left + right) / 2, (top + bottom) / 2
    half_w, half_h = _WIDTH / scale / 2, height / scale / 2
    ax.set_xlim(cx - half_w, cx + half_w)
    ax.set_ylim(-cy - half_h, -cy + half_h)
    points = scale * 72  # pt per page pixel: line widths
    for e in sorted(edges, key=lambda e: (e["stated"], e["shared"])):  # stated lines on top
        a, b = nodes[e["a"]], nodes[e["b"]]
        width = min(1 + (e["shared"] - 1) * 1.5, 10)  # page.js, visEdge
        ax.add_line(
            Line2D(
                [a["x"], b["x"]],
                [-a["y"], -b["y"]],
                color=_STATED if e["stated"] else _MENTIONED,
                linewidth=max(width * points, 0.5),
                linestyle="-" if e["stated"] else _dashes(max(width * points, 0.5), points),
                zorder=1,
            )
        )
    for n in reversed(nodes):  # the biggest drawn last, on top
        ax.add_patch(_shape(n, points))
    _names(fig, ax, nodes)
    _legend(fig, keys, height, below)
    return fig


def _dashes(linewidth: float, points: float) -> tuple[float, tuple[float, float]]:
    """The page's dashes (6 on, 4 off, in page pixels), at least 3 pt long to be seen;
    matplotlib scales a dash pattern by the line's width."""
    on = max(6 * points, 3.0)
    return (0, (on / linewidth, on * 2 / 3 / linewidth))


def _shape(n: dict[str, Any], points: float) -> Any:
    """vis-network's shape of a node, `size` being its radius in the page's pixels."""
    x, y, r = n["x"], -n["y"], n["size"]
    colour = SIDE_COLOURS.get(n["side"], SIDE_COLOURS["other"])
    style: dict[str, Any] = {
        "facecolor": "#ffffff" if n["hollow"] else colour,
        "edgecolor": colour if n["hollow"] else "#333333",
        "linewidth": max((3 if n["hollow"] else 1) * points, 0.6 if n["hollow"] else 0.3),
        "zorder": 2,
    }
    shape = n["shape"]
    if shape == "square":
        return RegularPolygon((x, y), 4, radius=r * math.sqrt(2), orientation=math.pi / 4, **style)
    if shape == "diamond":
        return RegularPolygon((x, y), 4, radius=r, **style)
    if shape == "triangle":
        return RegularPolygon((x, y), 3, radius=r, **style)
    if shape == "triangleDown":
        return RegularPolygon((x, y), 3, radius=r, orientation=math.pi, **style)
    if shape == "hexagon":
        return RegularPolygon((x, y), 6, radius=r, orientation=math.pi / 6, **style)
    if shape == "star":
        corners = [
            (x + (r if k % 2 == 0 else r * 0.45) * math.sin(k * math.pi / 5),
             y + (r if k % 2 == 0 else r * 0.45) * math.cos(k * math.pi / 5))
            for k in range(10)
        ]  # fmt: skip
        return Polygon(corners, closed=True, **style)
    return Circle((x, y), r, **style)


def _names(fig: Figure, ax: Axes, nodes: list[dict[str, Any]]) -> None:
    """The names of the first LABELS nodes, each under its node, else over it, where it
    overlaps no name already placed and stays inside the figure (page-labels.js's rule)."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    frame = ax.get_window_extent(renderer)
    taken: list[tuple[float, float, float, float]] = []
    pixels = ax.transData.transform((1.0, 0.0))[0] - ax.transData.transform((0.0, 0.0))[0]
    gap = 2.0 / pixels  # two display pixels, in page pixels
    for n in nodes[:LABELS]:
        for below in (True, False):
            offset = (n["size"] + gap) * (-1 if below else 1)
            text = ax.text(
                n["x"],
                -n["y"] + offset,
                _wrap(n["label"], 24),
                ha="center",
                va="top" if below else "bottom",
                fontsize=_FONT,
                color="#1a1a1a",
                zorder=3,
                bbox={"boxstyle": "square,pad=0.08", "facecolor": "#ffffff", "alpha": 0.75,
                      "edgecolor": "none"},
            )  # fmt: skip
            box = _widened(text.get_window_extent(renderer))
            # a name wider than the room beside the edge moves inwards, as far as it must
            shift = max(frame.x0 - box[0], 0.0) - max(box[2] - frame.x1, 0.0)
            if shift:
                text.set_x(n["x"] + shift / pixels)
                box = _widened(text.get_window_extent(renderer))
            inside = frame.y0 <= box[1] and box[3] <= frame.y1
            if inside and not any(_overlap(box, t) for t in taken):
                taken.append(box)
                n["labelled"] = True
                break
            text.remove()


def _widened(box: Any) -> tuple[float, float, float, float]:
    """A name's box with room for a browser's font a tenth wider than the one measured (the
    SVG keeps its text as text, drawn by the browser with the fonts it has)."""
    x0, y0, x1, y1 = box.extents
    extra = (x1 - x0) * 0.06
    return (x0 - extra, y0, x1 + extra, y1)


def _overlap(a: Any, b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _columns(keys: list[Line2D]) -> int:
    return 2 if len(keys) > 4 else 1


def _keys(net: dict[str, Any]) -> list[tuple[str, list[Line2D]]]:
    """The page's legend for this view: colour (side), shape (kind of body), line; with
    how many of each the figure draws."""
    nodes, edges = net["nodes"], net["edges"]
    per_side = Counter(n["side"] for n in nodes)
    per_group = Counter((n["group"], n["shape"], n["hollow"]) for n in nodes)
    labels = net["side_labels"]
    sides = [
        Line2D([], [], marker="o", linestyle="", markersize=7, markerfacecolor=colour,
               markeredgecolor="#333333", markeredgewidth=0.6,
               label=f"{_shorten(labels[side], 34)} ({per_side[side]})")
        for side, colour in SIDE_COLOURS.items()
        if per_side[side]
    ]  # fmt: skip
    seen = [k for k in dict.fromkeys(CLASS_STYLES.values()) if k in per_group]
    shapes = [
        Line2D([], [], marker=_MARKERS.get(shape, "o"), linestyle="", markersize=7,
               markerfacecolor="#ffffff" if hollow else "#bbbbbb", markeredgecolor="#333333",
               markeredgewidth=1.6 if hollow else 0.6,
               label=f"{_shorten(group, 34)} ({per_group[group, shape, hollow]})")
        for group, shape, hollow in seen
    ]  # fmt: skip
    stated = sum(e["stated"] for e in edges)
    lines = [
        Line2D([], [], color=colour, linewidth=1.4, linestyle=style, label=label)
        for count, colour, style, label in (
            (stated, _STATED, "-", f"Partnership the text states ({stated})"),
            (len(edges) - stated, _MENTIONED, (0, (3, 2)),
             f"Named in one commitment ({len(edges) - stated})"),
        )
        if count
    ]  # fmt: skip
    lines.append(Line2D([], [], color=_STATED, linewidth=4, label="Wider: more shared"))
    return [("Colour: side", sides), ("Shape: kind of body", shapes),
            ("Line: a shared commitment", lines)]  # fmt: skip


def _legend(fig: Figure, keys: list[tuple[str, list[Line2D]]], height: float, below: float) -> None:
    """The three keys side by side under the network."""
    total = height + below
    starts, shares = (0.0, 0.27, 0.68), (0.27, 0.41, 0.32)
    for (title, handles), start, share in zip(keys, starts, shares, strict=True):
        box = fig.add_axes((start, 0.02 / total, share, (below - 0.04) / total))
        box.set_axis_off()
        box.legend(
            handles=handles,
            title=title,
            loc="upper left",
            frameon=False,
            fontsize=6.8,
            title_fontsize=7.5,
            alignment="left",
            ncols=_columns(handles),
            handlelength=1.8,
            borderaxespad=0.2,
            labelspacing=0.35,
            columnspacing=0.8,
        )


def network_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The figure's nodes for the CSV, in the page's label order (run chart_network first)."""
    return [
        {**n, "kind": n["group"], "shape": n["shape"], "labelled": n.get("labelled", False)}
        for n in data["network"]["nodes"]
    ]


def edge_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    nodes = data["network"]["nodes"]
    return [
        {"body_a": nodes[e["a"]]["label"], "body_b": nodes[e["b"]]["label"],
         "shared": e["shared"], "basis": "stated" if e["stated"] else "co-mention"}
        for e in data["network"]["edges"]
    ]  # fmt: skip


def caption(data: dict[str, Any]) -> str:
    net = data["network"]
    nodes, edges = net["nodes"], net["edges"]
    if not nodes:
        return "No two bodies share a commitment, so there is no network to draw."
    stated = sum(e["stated"] for e in edges)
    named = sum(n.get("labelled", False) for n in nodes)
    text = (
        f"The {len(nodes)} bodies that share at least one commitment and the {len(edges)} "
        f"pairs they form ({stated} stated by the text, {len(edges) - stated} co-mentions), "
        "laid out as the explorer page (kg viz) opens: the same view, positions, colours and "
        "shapes."
        + (
            " Home side to the left, the partner's to the right."
            if {"home", "partner"} <= {n["side"] for n in nodes}
            else ""
        )
        + " Size: commitments shared. "
        f"Names: {named} of the {min(LABELS, len(nodes))} most connected bodies, where they "
        "fit; every body is in the CSV."
    )
    if net["alone"]:
        text += " Left out: " + net["alone_note"].replace(" are not drawn here", "")
    if net["summary"]:
        text += (
            f" The graph is large: like the page, the figure shows its summary, {len(nodes)} "
            f"of the {net['view_nodes']} bodies that share commitments (the most central)."
        )
    return text
