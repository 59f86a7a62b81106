"""The page's views as lists of nodes and edges, laid out here so that the browser draws at once.

Four kinds of view, all switchable in the page:

- ``full``: bodies and commitments, an edge for each body a commitment involves;
- ``shared``: bodies only, joined when commitments link them (the edge's weight): the pairs
  a commitment's text states, or where it states none every two bodies it names,
  programmes and events aside (co-mention); each edge says which (`ViewEdge.stated`);
- ``areas``: co-operation areas as hubs, joined to the bodies acting in them;
- ``mechanism``: one co-operation mechanism's meetings side by side, a column per meeting
  and a row per area, a cell for each area a meeting made commitments in.

Every edge carries the commitments it stands for, so that the page's filters (area,
meeting, mechanism ...) work the same way in every view. Above `max_nodes` (bodies plus
commitments) the graph is "large": each view then starts from a summary (the most central
bodies, and areas as hubs) and only that summary is laid out here; the page places the
rest around whatever it expands. Layouts are kg.viz_layout's: ForceAtlas2, deterministic,
each side pulled to its half, components packed to fill a screen.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from kg.store import Store, derived
from kg.viz_data import Commitment, PageData, gather_page_data
from kg.viz_layout import layout

LARGE_GRAPH = 1500  # nodes (bodies + commitments) above which the page starts from a summary
SUMMARY_BODIES = 120  # bodies a summary keeps at most, the most central first
SUMMARY_NODES = 400  # bodies and commitments a summary draws at most (besides area hubs)
_COLUMN, _ROW = 300.0, 80.0  # the mechanism view's grid
_NOT_PARTNERS = ("programme", "event")  # kinds of body that are never partners


@dataclass
class ViewNode:
    id: str  # the vis-network id: the entity's IRI, or "<meeting IRI>|<area IRI>" for a cell
    kind: str  # body | commitment | area | meeting | cell | row
    ref: str  # the entity's IRI (a cell: its area's)
    size: float
    meeting: str | None = None  # a cell's meeting
    commitments: list[str] = field(default_factory=list)  # what a cell stands for
    x: float | None = None
    y: float | None = None


@dataclass
class ViewEdge:
    a: int  # indices into View.nodes
    b: int
    weight: int
    commitments: list[str]
    stated: bool = False  # a commitment's text states the pair (else: named together)


@dataclass
class View:
    key: str  # full | shared | areas | mechanism:<n>
    title: str
    nodes: list[ViewNode]
    edges: list[ViewEdge]
    start: list[int] | None = None  # a large graph's summary: the nodes drawn first
    note: str = ""  # what the view leaves out
    mechanism: str | None = None

    def index(self) -> dict[str, int]:
        return {n.id: i for i, n in enumerate(self.nodes)}


def body_ranking(data: PageData) -> list[str]:
    """Bodies by centrality: partners (bodies a commitment links them to, as the bodies-only
    view draws them), then commitments."""
    partners: dict[str, set[str]] = defaultdict(set)
    for c in data.commitments.values():
        for a, b in links(data, c.iri):
            partners[a].add(b)
            partners[b].add(a)
    return sorted(
        data.bodies,
        key=lambda b: (-len(partners[b]), -len(data.bodies[b].commitments), b),
    )


def home_side(data: PageData) -> str | None:
    """The jurisdiction the graph is about: a side of the most co-operation mechanisms (Hong
    Kong, in conferences with each province), then the one with the most bodies, then by
    name. None without a mechanism that names its sides."""
    mechanisms: dict[str, int] = defaultdict(int)
    for m in data.mechanisms.values():
        for side in m.sides:
            mechanisms[side] += 1
    if not mechanisms:
        return None
    bodies: dict[str, int] = defaultdict(int)
    for b in data.bodies.values():
        if b.jurisdiction:
            bodies[b.jurisdiction] += 1
    return min(
        mechanisms, key=lambda j: (-mechanisms[j], -bodies[j], data.jurisdictions.get(j, j), j)
    )


def sides(data: PageData) -> dict[str, str]:
    """Each body's side: ``home`` (the home jurisdiction's bodies), ``partner`` (a body of
    another side of a mechanism: the province or city it meets) or ``other`` (national
    bodies, other places, and bodies whose jurisdiction the graph does not state)."""
    home = home_side(data)
    partners = {s for m in data.mechanisms.values() for s in m.sides} - {home}
    out = {}
    for b in data.bodies.values():
        j = b.jurisdiction
        out[b.iri] = "home" if j and j == home else "partner" if j in partners else "other"
    return out


def store_views(
    store: Store, data: PageData | None = None, max_nodes: int = LARGE_GRAPH
) -> list[View]:
    """`build_views` of the store's records (`data`: `gather_page_data`'s, or a copy of
    them that `own_page_data` made, whose texts no view reads), laid out once per frozen
    store (`kg.store.derived`): the page, the report's network and the exports' drawings
    show the same layout, which took 0.5 s each at 1,000 releases. Read it only."""
    data = gather_page_data(store) if data is None else data
    if max_nodes != LARGE_GRAPH:
        return build_views(data, max_nodes)
    return derived(store, "views", lambda: build_views(data))


def build_views(data: PageData, max_nodes: int = LARGE_GRAPH) -> list[View]:
    """Every view of the page; each view's summary and layout decided by the graph's size."""
    large = len(data.bodies) + len(data.commitments) > max_nodes
    ranking = body_ranking(data)
    side_of = sides(data)
    views = [_shared(data), _full(data), _areas(data)]
    # Each mechanism's grid reads its meetings' commitments: grouped once, not searched
    # for in every commitment once per mechanism.
    by_meeting: dict[str | None, list[Commitment]] = defaultdict(list)
    for c in data.commitments.values():
        by_meeting[c.meeting].append(c)
    views += [_mechanism(data, iri, n, by_meeting) for n, iri in enumerate(data.mechanisms)]
    for view in views:
        if view.key.startswith("mechanism"):
            continue  # a grid: positioned already
        if large:
            view.start = _summary(view, ranking, max_nodes)
            left = len(view.nodes) - len(view.start)
            view.note = (
                f"This graph is large: the view starts from a summary of {len(view.start)} "
                f"of its {len(view.nodes)} nodes (the most central bodies"
                + (", areas as hubs" if view.key == "areas" else "")
                + f"). {left} are left out until you search for a body or click a node."
                + (" " + view.note if view.note else "")
            )
        _place(view, side_of)
    return views


# --- the views ------------------------------------------------------------------------------


def _size(value: float, top: float, low: float, high: float) -> float:
    return round(low + (high - low) * math.sqrt(value / top), 1) if top > 0 else low


def _full(data: PageData) -> View:
    nodes: list[ViewNode] = []
    top = max((len(b.commitments) for b in data.bodies.values()), default=0)
    for body in data.bodies.values():
        nodes.append(ViewNode(body.iri, "body", body.iri, _size(len(body.commitments), top, 8, 28)))
    widest = max((len(c.bodies) for c in data.commitments.values()), default=0)
    for c in data.commitments.values():
        nodes.append(ViewNode(c.iri, "commitment", c.iri, _size(len(c.bodies), widest, 5, 12)))
    at = {n.id: i for i, n in enumerate(nodes)}
    edges = [
        ViewEdge(at[c.iri], at[b], 1, [c.iri]) for c in data.commitments.values() for b in c.bodies
    ]
    return View("full", "Bodies and commitments", nodes, edges)


def _shared(data: PageData) -> View:
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    stated: set[tuple[str, str]] = set()
    for c in data.commitments.values():
        for a, b in links(data, c.iri):
            pairs[a, b].append(c.iri)
        stated.update(c.partnerships)
    strength: dict[str, int] = defaultdict(int)
    for (a, b), items in pairs.items():
        strength[a] += len(items)
        strength[b] += len(items)
    top = max(strength.values(), default=0)
    nodes = [
        ViewNode(b, "body", b, _size(strength[b], top, 8, 28)) for b in data.bodies if strength[b]
    ]
    at = {n.id: i for i, n in enumerate(nodes)}
    edges = [
        ViewEdge(at[a], at[b], len(cs), cs, (a, b) in stated)
        for (a, b), cs in sorted(pairs.items())
    ]
    note = alone_note(data, {n.ref for n in nodes})
    return View("shared", "Bodies that share commitments", nodes, edges, note=note)


def alone_note(data: PageData, drawn: set[str]) -> str:
    """What the bodies-only view leaves out, counted as `kg stats` counts: bodies, then
    programmes and events apart ("" when nothing is left out)."""
    left = [b for b in data.bodies.values() if b.iri not in drawn]
    events = sum(b.kind in _NOT_PARTNERS for b in left)
    bodies = len(left) - events
    parts = [f"{bodies} {'body' if bodies == 1 else 'bodies'}"] if bodies else []
    if events:
        parts.append(f"{events} {'programme or event' if events == 1 else 'programmes and events'}")
    if not parts:
        return ""
    verb = "shares" if len(left) == 1 else "share"
    return f"{' and '.join(parts)} that {verb} no commitment are not drawn here."


def links(data: PageData, commitment: str) -> list[tuple[str, str]]:
    """The pairs of bodies a commitment links, each sorted: those its text states, or where
    it states none every two bodies it names that may be partners (not programmes or
    events), as kg.analyze.project_bodies does."""
    c = data.commitments[commitment]
    if c.partnerships:
        return list(c.partnerships)
    partners = [b for b in c.bodies if data.bodies[b].kind not in _NOT_PARTNERS]
    return list(combinations(partners, 2))  # bodies are sorted: a < b


def _areas(data: PageData) -> View:
    by_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
    per_area: dict[str, int] = defaultdict(int)
    per_body: dict[str, int] = defaultdict(int)
    unplaced = 0
    for c in data.commitments.values():
        unplaced += not c.areas
        for area in c.areas:
            per_area[area] += 1
            for b in c.bodies:
                by_pair[area, b].append(c.iri)
    for _area, b in by_pair:
        per_body[b] += 1
    top_area = max(per_area.values(), default=0)
    top_body = max((len(data.bodies[b].commitments) for b in per_body), default=0)
    nodes = [
        ViewNode(a, "area", a, _size(per_area[a], top_area, 14, 34))
        for a in data.areas
        if per_area[a]
    ]
    nodes += [
        ViewNode(b, "body", b, _size(len(data.bodies[b].commitments), top_body, 8, 24))
        for b in data.bodies
        if per_body[b]
    ]
    at = {n.id: i for i, n in enumerate(nodes)}
    edges = [ViewEdge(at[a], at[b], len(cs), cs) for (a, b), cs in sorted(by_pair.items())]
    note = f"{unplaced} commitments without an area are not drawn here." if unplaced else ""
    return View("areas", "Areas as hubs", nodes, edges, note=note)


def _mechanism(
    data: PageData, iri: str, number: int, by_meeting: dict[str | None, list[Commitment]]
) -> View:
    mechanism = data.mechanisms[iri]
    meetings = mechanism.meetings
    cells: dict[tuple[str, str], list[str]] = defaultdict(list)
    unplaced = 0
    # A cell holds one meeting's commitments, in the order of the whole list.
    for c in (c for m in dict.fromkeys(meetings) for c in by_meeting.get(m, ())):
        unplaced += not c.areas
        for area in c.areas:
            cells[c.meeting, area].append(c.iri)
    areas = sorted({a for _, a in cells}, key=lambda a: (data.areas[a], a))
    row = {a: i for i, a in enumerate(areas)}
    top = max((len(v) for v in cells.values()), default=0)
    nodes = [
        ViewNode(m, "meeting", m, 16, x=round(col * _COLUMN, 1), y=0.0)
        for col, m in enumerate(meetings)
    ]
    nodes += [
        ViewNode(a, "row", a, 12, x=round(-_COLUMN * 0.75, 1), y=round((row[a] + 1) * _ROW, 1))
        for a in areas
    ]
    for col, m in enumerate(meetings):
        for a in areas:
            if (m, a) in cells:
                items = cells[m, a]
                nodes.append(
                    ViewNode(
                        f"{m}|{a}",
                        "cell",
                        a,
                        _size(len(items), top, 8, 26),
                        meeting=m,
                        commitments=items,
                        x=round(col * _COLUMN, 1),
                        y=round((row[a] + 1) * _ROW, 1),
                    )
                )
    note = f"{unplaced} commitments without an area are not drawn here." if unplaced else ""
    title = f"Meetings of the {mechanism.label}"
    return View(f"mechanism:{number}", title, nodes, [], note=note, mechanism=iri)


def _summary(view: View, ranking: Sequence[str], max_nodes: int) -> list[int]:
    """The nodes a large view starts from: areas as hubs, the most central bodies, and (in
    the full view) the commitments that join most of them. The budget grows with
    `max_nodes` (a quarter of it, at most SUMMARY_NODES; a third of that for bodies)."""
    budget = min(SUMMARY_NODES, max(4, max_nodes // 4))
    at = view.index()
    hubs = [i for i, n in enumerate(view.nodes) if n.kind == "area"]
    top = [at[b] for b in ranking if b in at][: min(SUMMARY_BODIES, max(2, budget // 3))]
    keep = top[:]
    if view.key == "full":
        chosen = set(top)
        reach: dict[int, int] = defaultdict(int)
        for e in view.edges:
            if e.b in chosen:
                reach[e.a] += 1
        for commitment in sorted(reach, key=lambda i: (-reach[i], view.nodes[i].id)):
            if len(keep) >= budget:
                break
            keep.append(commitment)
    return sorted({*hubs, *keep})


# --- layout ---------------------------------------------------------------------------------


def _place(view: View, sides: Mapping[str, str]) -> None:
    """Positions in pixels for the nodes the page draws first (all of a small view)."""
    chosen = range(len(view.nodes)) if view.start is None else view.start
    local = {g: i for i, g in enumerate(chosen)}
    edges = [
        (local[e.a], local[e.b], float(min(e.weight, 3)))
        for e in view.edges
        if e.a in local and e.b in local
    ]
    sizes = [view.nodes[g].size for g in local]
    side_of = {i: sides.get(view.nodes[g].ref, "") for g, i in local.items()}
    for g, (x, y) in zip(local, layout(len(local), edges, sizes=sizes, sides=side_of), strict=True):
        view.nodes[g].x, view.nodes[g].y = x, y
