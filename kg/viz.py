"""Interactive pages: the graph drawn with vis-network in one HTML file that works offline.

The only module that knows pyvis or HTML. pyvis's `Network` holds the nodes, edges and their
vis-network options; the page itself comes from our own Jinja template, because every
`cdn_resources` mode of pyvis 0.3.2 still links a CDN and its template has no autoescape
(see shared/TRAPS.md). Text from documents is escaped exactly once: in the JSON data block
(`<`, `>`, `&` as `\\u003c`...) or by Jinja's autoescape, never both; the page's script then
puts it on screen through `textContent` and vis-network's plain-text tooltips.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import networkx as nx
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from pyvis.network import Network

from kg.analyze import centrality, project_bodies, to_networkx
from kg.errors import InputError
from kg.output import atomic_write_text
from kg.store import Store

View = Literal["full", "shared"]

# Okabe & Ito's colour-blind-safe palette. There are more body classes than colours, so the
# shape is a second cue: no two classes share both colour and shape.
_BLUE, _SKY, _GREEN, _ORANGE = "#0072B2", "#56B4E9", "#009E73", "#E69F00"
_VERMILLION, _PURPLE, _YELLOW, _BLACK, _GREY = "#D55E00", "#CC79A7", "#F0E442", "#000000", "#999999"
CLASS_STYLES: dict[str, tuple[str, str]] = {
    "Government": (_BLUE, "dot"),
    "PartyCommittee": (_BLUE, "diamond"),
    "Agency": (_SKY, "dot"),
    "StatutoryBody": (_GREEN, "dot"),
    "Exchange": (_ORANGE, "dot"),
    "Institution": (_PURPLE, "dot"),
    "AcademicInstitution": (_PURPLE, "diamond"),
    "Enterprise": (_VERMILLION, "dot"),
    "Association": (_YELLOW, "dot"),
    "GenericGroup": (_BLACK, "dot"),
    "Programme": (_ORANGE, "triangle"),
    "NamedEvent": (_SKY, "star"),
    "Commitment": (_GREY, "square"),
}
_OTHER_STYLE = (_GREY, "triangleDown")
# The extractor's `kind` names, for bodies whose class the graph does not give.
_CLASS_OF_KIND = {
    "government": "Government",
    "party_committee": "PartyCommittee",
    "agency": "Agency",
    "statutory_body": "StatutoryBody",
    "exchange": "Exchange",
    "institution": "Institution",
    "academic": "AcademicInstitution",
    "enterprise": "Enterprise",
    "association": "Association",
    "generic_group": "GenericGroup",
    "programme": "Programme",
    "event": "NamedEvent",
}
LAYOUT_SEED = 20230511  # any fixed number: the same graph always gets the same picture
_QUOTES_PER_BODY = 3  # a tooltip is read at a glance: a few quotes, then "and N more"
_QUOTE_CHARS = 280

_LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?s ?label ?alias WHERE {
  { ?s rdfs:label|dcterms:title ?label }
  UNION { ?s skos:prefLabel ?label FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")) }
  UNION { ?s skos:altLabel|skos:prefLabel ?alias }
}
"""


def render_page(
    store: Store,
    out_path: str | Path,
    *,
    focus: str | None = None,
    depth: int = 1,
    view: View = "full",
) -> Path:
    """Write the interactive page of the graph in `store` to `out_path` and return the path.

    `view="full"` draws bodies and commitments; `view="shared"` only bodies that share a
    commitment, joined by edges as wide as the number they share. `focus` (a body's label,
    alias or IRI) keeps its ego network: `depth` steps from it in the view's graph (in the
    full view, 1 = its commitments, 2 = also the bodies that share them). The file is written
    atomically and is byte-identical for the same graph and arguments.
    """
    if view not in ("full", "shared"):
        raise InputError(None, f"unknown view {view!r} (full, shared)")
    if depth not in (1, 2):
        raise InputError(None, f"depth must be 1 or 2, not {depth!r}")
    bipartite = to_networkx(store)
    labels, aliases = _names(store)
    focus_iri = _resolve_body(bipartite, labels, aliases, focus) if focus is not None else None

    if view == "shared":
        graph = project_bodies(bipartite)
        # A body that shares nothing is a lone dot that says nothing here; the full view has it.
        graph = graph.subgraph(n for n in graph if graph.degree(n) or n == focus_iri).copy()
    else:
        graph = bipartite
    scores: Mapping[str, Mapping[str, float]] = centrality(graph)
    if focus_iri is not None:
        if focus_iri not in graph:  # the focus body is in the bipartite graph; keep it here too
            graph = graph.copy()
            graph.add_node(focus_iri, **bipartite.nodes[focus_iri])
        graph = nx.ego_graph(graph, focus_iri, radius=depth)

    net = _network(graph, bipartite, scores, labels, aliases, view)
    title = _title(graph, labels, focus_iri, depth, view)
    html = _page(net, graph, labels, aliases, view, title, focus_iri)
    return atomic_write_text(out_path, html)


# --- names --------------------------------------------------------------------------------


def _names(store: Store) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Every subject's display label and its aliases (altLabel, and prefLabel in any language)."""
    labels: dict[str, set[str]] = {}
    aliases: dict[str, set[str]] = {}
    for s, label, alias in store.select(_LABELS).rows:
        if label is not None:
            labels.setdefault(str(s), set()).add(str(label))
        if alias is not None:
            aliases.setdefault(str(s), set()).add(str(alias))
    # min(): a subject with two labels gets the same one on every run
    chosen = {s: min(v) for s, v in labels.items()}
    return chosen, {s: sorted(v - {chosen.get(s)}) for s, v in aliases.items()}


def _resolve_body(
    graph: nx.Graph, labels: Mapping[str, str], aliases: Mapping[str, list[str]], name: str
) -> str:
    """The body a label, alias or IRI names; InputError if none or more than one."""
    bodies = sorted(n for n, d in graph.nodes(data=True) if d.get("node_type") == "body")
    if name in bodies:
        return name

    def names_of(iri: str) -> set[str]:
        return {_label(graph, labels, iri), *aliases.get(iri, ())}

    matches = [b for b in bodies if name in names_of(b)]
    if not matches:  # be forgiving about case and spacing, never about spelling
        key = " ".join(name.split()).casefold()
        matches = [
            b for b in bodies if key in {" ".join(n.split()).casefold() for n in names_of(b)}
        ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise InputError(None, f"{name!r} names {len(matches)} bodies: {', '.join(matches)}")
    raise InputError(None, f"no body named {name!r} in the graph (give a label, alias or IRI)")


def _label(graph: nx.Graph, labels: Mapping[str, str], iri: str) -> str:
    return str(graph.nodes[iri].get("label") or labels.get(iri) or iri) if iri in graph else iri


def _display(value: Any, labels: Mapping[str, str]) -> str | None:
    """An attribute as people read it: an IRI becomes its label (or its last segment)."""
    if value is None or value == "":
        return None
    text = str(value)
    if text.startswith(("http://", "https://")):
        return labels.get(text) or text.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return text


def _class_of(attrs: Mapping[str, Any]) -> str:
    if attrs.get("node_type") == "commitment":
        return "Commitment"
    klass = str(attrs.get("klass") or "")
    for sep in ("#", "/", ":"):
        klass = klass.rsplit(sep, 1)[-1]
    return klass or _CLASS_OF_KIND.get(str(attrs.get("kind") or ""), "Other")


def _humanise(klass: str) -> str:
    words = "".join(f" {c}" if c.isupper() else c for c in klass).split()
    return " ".join([words[0], *(w.lower() for w in words[1:])]) if words else klass


# --- the network --------------------------------------------------------------------------


def _layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions in pixels, computed here so that the page draws at once with physics off.

    Each connected component is laid out on its own and the components are then packed in
    rows, largest first: one spring layout of everything flings lone bodies to the edges and
    squeezes the rest into the middle. Components and their nodes are taken in sorted order,
    because spring_layout's result depends on node order and a store's row order is no promise.
    """
    spacing = 160.0  # pixels between neighbours: room for a node and its wrapped label
    boxes: list[tuple[float, dict[str, tuple[float, float]]]] = []
    components = sorted(
        (sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0])
    )
    for nodes in components:
        if len(nodes) == 1:
            boxes.append((spacing, {nodes[0]: (0.0, 0.0)}))
            continue
        sub = nx.Graph()
        sub.add_nodes_from(nodes)
        sub.add_edges_from(
            sorted(
                (*sorted((u, v)), {"weight": d.get("weight", 1)})
                for u, v, d in graph.subgraph(nodes).edges(data=True)
            )
        )
        # networkx needs numpy here, and scipy for a component of 500 nodes or more. Small
        # components get more iterations (they are cheap); 1,500 nodes take ~10 s at 50.
        iterations = 200 if len(nodes) < 300 else 50
        pos = nx.spring_layout(sub, seed=LAYOUT_SEED, iterations=iterations)
        side = spacing * math.sqrt(len(nodes)) * 1.2
        boxes.append(
            (side, {n: (float(x) * side / 2, float(y) * side / 2) for n, (x, y) in pos.items()})
        )
    row_width = max(
        [boxes[0][0], math.sqrt(sum(side * side for side, _ in boxes)) * 1.4] if boxes else [0]
    )
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for side, pos in boxes:
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for n, (px, py) in pos.items():
            # rounded so that the last bits of floating point never change the page's bytes
            positions[n] = (round(x + side / 2 + px, 1), round(y + side / 2 + py, 1))
        x += side
        row_height = max(row_height, side)
    return positions


def _size(score: float, top: float, low: float, high: float) -> float:
    return round(low + (high - low) * math.sqrt(score / top), 1) if top > 0 else low


def _network(
    graph: nx.Graph,
    bipartite: nx.Graph,
    scores: Mapping[str, Mapping[str, float]],
    labels: Mapping[str, str],
    aliases: Mapping[str, list[str]],
    view: View,
) -> Network:
    net = Network(directed=False)
    positions = _layout(graph)
    top = max((scores.get(n, {}).get("degree", 0.0) for n in graph), default=0.0)
    for iri in sorted(graph):
        attrs = graph.nodes[iri]
        color, shape = CLASS_STYLES.get(_class_of(attrs), _OTHER_STYLE)
        is_body = attrs.get("node_type") != "commitment"
        degree = scores.get(iri, {}).get("degree", 0.0)
        x, y = positions[iri]
        net.add_node(
            iri,
            label=_label(graph, labels, iri),
            shape=shape,
            # vis-network's default highlight is light blue for every node: keep the class colour
            color={
                "background": color,
                "border": "#333333",
                "highlight": {"background": color, "border": "#000000"},
                "hover": {"background": color, "border": "#000000"},
            },
            title=_tooltip(iri, graph, bipartite, scores, labels, aliases),
            x=x,
            y=y,
            size=_size(degree, top, 8, 28) if is_body else _size(degree, top, 5, 12),
        )
        if not is_body:
            # pyvis puts the id where a label is empty; a commitment's words are in its tooltip,
            # and twenty sentences on the canvas would hide the bodies.
            net.get_node(iri)["label"] = ""
    for index, (u, v) in enumerate(sorted(tuple(sorted(e)) for e in graph.edges())):
        data = graph.edges[u, v]
        options: dict[str, Any] = {"id": f"e{index}"}
        if view == "shared":
            weight = int(data.get("weight", 1))
            areas = _areas(data.get("areas"), labels)
            options["width"] = weight
            options["title"] = (
                f"{_label(graph, labels, u)} — {_label(graph, labels, v)}\n"
                f"{_count(weight, 'shared commitment')}\n"
                f"Areas: {', '.join(areas) or '(none given)'}"
            )
        net.add_edge(u, v, **options)
    return net


def _areas(value: Any, labels: Mapping[str, str]) -> list[str]:
    """An `areas` attribute (one value, or a collection of IRIs or labels) as sorted labels."""
    if value is None:
        return []
    values = [value] if isinstance(value, str) else list(value)
    return sorted({a for a in (_display(v, labels) for v in values) if a})


def _tooltip(
    iri: str,
    graph: nx.Graph,
    bipartite: nx.Graph,
    scores: Mapping[str, Mapping[str, float]],
    labels: Mapping[str, str],
    aliases: Mapping[str, list[str]],
) -> str:
    """Plain text (vis-network shows a string title with innerText, never as HTML)."""
    attrs = graph.nodes[iri]
    label = _label(graph, labels, iri)
    if attrs.get("node_type") == "commitment":
        area = _display(attrs.get("area"), labels) or "no area"
        lines = [f"Commitment ({area})", f"“{attrs.get('quote') or label}”"]
        source = _display(attrs.get("source"), labels)
        if source:
            where = f", characters {attrs['start']}–{attrs['end']}" if attrs.get("end") else ""
            lines.append(f"Source: {source}{where}")
        meeting = _display(attrs.get("meeting"), labels)
        if meeting:
            lines.append(f"Meeting: {meeting}")
        return "\n".join(lines)
    lines = [label]
    if aliases.get(iri):
        lines.append("Also: " + ", ".join(aliases[iri]))
    facts = [
        _humanise(_class_of(attrs)),
        _display(attrs.get("jurisdiction"), labels),
    ]
    lines.append(" · ".join(f for f in facts if f))
    if attrs.get("reviewed") is False:
        lines.append("Not in the registry: found by its shape in the text")
    commitments = (
        sorted(
            (n for n in bipartite[iri] if bipartite.nodes[n].get("node_type") == "commitment"),
            key=lambda n: (
                str(bipartite.nodes[n].get("source") or ""),
                bipartite.nodes[n].get("start") or 0,
                n,
            ),
        )
        if iri in bipartite
        else []
    )
    score = scores.get(iri, {})
    lines.append(
        f"{_count(len(commitments), 'commitment')}"
        f" · betweenness {score.get('betweenness', 0.0):.3f}"
    )
    for n in commitments[:_QUOTES_PER_BODY]:
        quote = str(bipartite.nodes[n].get("quote") or _label(bipartite, labels, n))
        if len(quote) > _QUOTE_CHARS:
            quote = quote[: _QUOTE_CHARS - 1].rstrip() + "…"
        lines.append(f"“{quote}”")
    if len(commitments) > _QUOTES_PER_BODY:
        lines.append(f"… and {len(commitments) - _QUOTES_PER_BODY} more")
    return "\n".join(lines)


# --- the page -----------------------------------------------------------------------------


def _title(
    graph: nx.Graph, labels: Mapping[str, str], focus: str | None, depth: int, view: View
) -> str:
    what = "Bodies that share commitments" if view == "shared" else "Bodies and commitments"
    if focus is None:
        return what
    steps = "one step" if depth == 1 else f"{depth} steps"
    return f"{what} around {_label(graph, labels, focus)} ({steps})"


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def _subtitle(bodies: int, commitments: int, edges: int, view: View) -> str:
    if view == "shared":
        return f"{_count(bodies, 'body', 'bodies')}, {_count(edges, 'pair')} sharing commitments"
    return f"{_count(bodies, 'body', 'bodies')}, {_count(commitments, 'commitment')}"


def _facets(
    graph: nx.Graph, net: Network, labels: Mapping[str, str], view: View
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """What each node and edge offers the filters, and the filters' choices with counts."""
    info: dict[str, dict[str, Any]] = {}
    for iri, attrs in sorted(graph.nodes(data=True)):
        if attrs.get("node_type") == "commitment":
            info[iri] = {
                "type": "commitment",
                "areas": _areas(attrs.get("area"), labels) or ["(none)"],
            }
        else:
            info[iri] = {
                "type": "body",
                "kind": (_display(attrs.get("kind"), labels) or "(none)").replace("_", " "),
                "jurisdiction": _display(attrs.get("jurisdiction"), labels) or "(none)",
            }
    edge_areas: dict[str, list[str]] = {}
    if view == "shared":
        for edge in net.edges:
            edge_areas[edge["id"]] = _areas(
                graph.edges[edge["from"], edge["to"]].get("areas"), labels
            ) or ["(none)"]
    counts: dict[str, dict[str, int]] = {"area": {}, "kind": {}, "jurisdiction": {}}
    area_sources = (
        edge_areas.values() if view == "shared" else (i.get("areas", []) for i in info.values())
    )
    for areas in area_sources:
        for area in areas:
            counts["area"][area] = counts["area"].get(area, 0) + 1
    for item in info.values():
        for key in ("kind", "jurisdiction"):
            if key in item:
                counts[key][item[key]] = counts[key].get(item[key], 0) + 1
    titles = {"area": "Area", "kind": "Kind", "jurisdiction": "Jurisdiction"}
    facets = [
        {
            "key": key,
            "title": titles[key],
            "values": [[v, counts[key][v]] for v in sorted(counts[key])],
        }
        for key in ("area", "kind", "jurisdiction")
        if counts[key]
    ]
    return {"nodes": info, "edges": edge_areas}, facets


def _legend(graph: nx.Graph) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for _, attrs in graph.nodes(data=True):
        klass = _class_of(attrs)
        counts[klass] = counts.get(klass, 0) + 1
    order = list(CLASS_STYLES)
    entries = sorted(counts, key=lambda k: (order.index(k) if k in order else len(order), k))
    return [
        {
            "label": _humanise(k),
            "color": CLASS_STYLES.get(k, _OTHER_STYLE)[0],
            "shape": CLASS_STYLES.get(k, _OTHER_STYLE)[1],
            "count": counts[k],
        }
        for k in entries
    ]


def _search(
    graph: nx.Graph, labels: Mapping[str, str], aliases: Mapping[str, list[str]]
) -> list[list[str]]:
    """[name, node id] for every body's label and alias, for the search box's suggestions."""
    pairs = set()
    for iri, attrs in graph.nodes(data=True):
        if attrs.get("node_type") != "commitment":
            for name in (_label(graph, labels, iri), *aliases.get(iri, ())):
                pairs.add((name, iri))
    return [list(p) for p in sorted(pairs)]


_VIS_OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "physics": {"enabled": False},  # positions come from Python: nothing to simulate
    "layout": {"improvedLayout": False},
    "interaction": {"hover": True, "tooltipDelay": 150, "keyboard": False},
    "nodes": {
        "borderWidth": 1,
        "font": {"size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"},
        "widthConstraint": {"maximum": 180},  # long names wrap instead of running across
    },
    "edges": {
        "smooth": False,
        "color": {"color": "#b0b0b0", "highlight": "#333333", "hover": "#666666"},
    },
}


def _json_for_script(value: Any) -> Markup:
    """JSON that is safe as the text of a <script> element: it cannot close or open a tag.

    `<`, `>` and `&` become \\u escapes, which JSON.parse turns back into the same characters,
    so a name shows exactly as written ("Trade & Development", not "&amp;").
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


@cache
def _asset(name: str) -> str:
    """A file from kg/static, checked to be safe as the raw text of a <script> or <style>."""
    text = resources.files("kg").joinpath("static", name).read_text(encoding="utf-8")
    lowered = text.lower()
    if "</script" in lowered or "</style" in lowered or "<!--" in lowered:
        raise RuntimeError(f"kg/static/{name} cannot be embedded: it would end its element")
    return text


def _csp_hash(text: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


@cache
def _environment() -> Environment:
    # Our own environment: pyvis's has no autoescape (TRAPS.md).
    return Environment(
        loader=PackageLoader("kg", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _page(
    net: Network,
    graph: nx.Graph,
    labels: Mapping[str, str],
    aliases: Mapping[str, list[str]],
    view: View,
    title: str,
    focus: str | None,
) -> str:
    info, facets = _facets(graph, net, labels, view)
    data = {
        "view": view,
        "focus": focus,
        "nodes": net.nodes,
        "edges": net.edges,
        "options": _VIS_OPTIONS,
        "info": info,
        "facets": facets,
        "legend": _legend(graph),
        "search": _search(graph, labels, aliases),
    }
    scripts = [_asset("vis-network.min.js"), _asset("page.js")]
    styles = [_asset("vis-network.css"), _asset("page.css")]
    # Every script and style is allowed by its hash and nothing may be fetched: even a bug or
    # an injected tag could not reach the network or run code of its own.
    csp = (
        "default-src 'none'; "
        f"script-src {' '.join(_csp_hash(s) for s in scripts)}; "
        f"style-src {' '.join(_csp_hash(s) for s in styles)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    bodies = sum(1 for _, d in graph.nodes(data=True) if d.get("node_type") != "commitment")
    return (
        _environment()
        .get_template("page.html.j2")
        .render(
            title=title,
            subtitle=_subtitle(bodies, len(graph) - bodies, graph.number_of_edges(), view),
            node_count=len(graph),
            csp=csp,
            data_json=_json_for_script(data),
            scripts=[Markup(s) for s in scripts],
            styles=[Markup(s) for s in styles],
        )
    )
