"""The interactive page's data block: what kg.viz puts in the page as one JSON object.

Entities (bodies, commitments, areas, meetings, mechanisms, jurisdictions, sources) are a
list, and everything refers to them by index: the views' nodes and edges, a body's
commitments, a commitment's bodies. A 5,000-node graph then weighs a few megabytes, not
tens. The filters' choices, the legend, the styles (Okabe–Ito colours with a shape as a
second cue) and the search suggestions are computed here too; page.js reads them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kg.viz_data import ID, Body, PageData
from kg.viz_styles import CLASS_STYLES, KIND_STYLES, SIDE_COLOURS, class_of, legend
from kg.viz_views import View, home_side, sides

_NONE = "(none)"
# What a filter calls the value "the graph does not say", and the tooltip that explains it.
_NOT_STATED = {
    "area": ("no area stated", "Commitments whose text names no co-operation area (no heading "
             "or phrase of the release places them in one)."),
    "mechanism": ("no mechanism stated", "Commitments made at no meeting of a known mechanism."),
    "meeting": ("no meeting stated", "Commitments the graph ties to no meeting."),
    "year": ("no date stated", "Commitments whose meeting has no date in the graph."),
    "kind": ("kind not stated", "Bodies the graph gives no kind."),
    "jurisdiction": ("jurisdiction not stated", "Bodies the graph places in no jurisdiction."),
}  # fmt: skip


def _kind(body: Body) -> str:
    return (body.kind or _NONE).replace("_", " ")


def page_payload(
    data: PageData,
    views: list[View],
    initial: str,
    focus: str | None,
    depth: int,
    large: bool,
) -> dict[str, Any]:
    """The page's data: entities, views (nodes and edges by index), the view it opens with,
    the focus (an entity index), the filters, legend, styles, search names and vis options."""
    order: list[str] = [
        *data.bodies,
        *data.commitments,
        *data.areas,
        *data.meetings,
        *data.mechanisms,
        *data.jurisdictions,
        *data.sources,
        *data.people,
    ]
    at = {iri: i for i, iri in enumerate(order)}
    side_of = sides(data)
    home = home_side(data)

    def ref(iri: str | None) -> int | None:
        return at.get(iri) if iri is not None else None

    def refs(iris: Iterable[str]) -> list[int]:
        return [at[i] for i in iris if i in at]

    entities: list[dict[str, Any]] = []
    for b in data.bodies.values():
        entities.append(
            {
                "t": "body",
                "id": b.iri,
                "label": b.label,
                "aliases": data.aliases.get(b.iri, []),
                "cls": class_of(b),
                "side": side_of[b.iri],
                "kind": _kind(b),
                "jur": ref(b.jurisdiction),
                "parent": ref(b.parent),
                "parentName": data.labels.get(b.parent) if b.parent else None,
                "reviewed": b.reviewed,
                "c": refs(b.commitments),
                "posts": [[p, who, ref(m)] for p, who, m in b.posts],
                "memoranda": [[role, t, who, ref(m)] for role, t, who, m in b.memoranda],
                "mech": refs(b.mechanisms),
            }
        )
    for c in data.commitments.values():
        entities.append(
            {
                "t": "commitment",
                "id": c.iri,
                "label": c.label,
                "quote": c.quote,
                "areas": refs(c.areas),
                "meeting": ref(c.meeting),
                "bodies": refs(c.bodies),
                "pairs": [refs(list(pair)) for pair in c.partnerships],  # stated by the text
                "src": ref(c.source),
                "start": c.start,
                "end": c.end,
                "para": c.paragraph,
            }
        )
    by_area: dict[str, list[str]] = {a: [] for a in data.areas}
    by_meeting: dict[str, list[str]] = {m: [] for m in data.meetings}
    for c in data.commitments.values():
        for a in c.areas:
            by_area[a].append(c.iri)
        if c.meeting in by_meeting:
            by_meeting[c.meeting].append(c.iri)
    for a, label in data.areas.items():
        entities.append({"t": "area", "id": a, "label": label, "c": refs(by_area[a])})
    for m in data.meetings.values():
        entities.append(
            {
                "t": "meeting",
                "id": m.iri,
                "label": m.label,
                "date": m.date,
                "place": m.place,
                "mech": ref(m.mechanism),
                "c": refs(by_meeting[m.iri]),
            }
        )
    for mech in data.mechanisms.values():
        entities.append(
            {
                "t": "mechanism",
                "id": mech.iri,
                "label": mech.label,
                "sides": refs(mech.sides),
                "meetings": refs(mech.meetings),
            }
        )
    for j, label in data.jurisdictions.items():
        entities.append({"t": "jurisdiction", "id": j, "label": label})
    for s in data.sources.values():
        entities.append(
            {
                "t": "source",
                "id": s.iri,
                "label": s.title,
                "date": s.date,
                "publisher": s.publisher,
                "url": s.url,
                "chars": s.characters,
                "text": s.text,
                "note": s.note,
            }
        )
    entities += _people(data, ref)
    return {
        "entities": entities,
        "views": [_view_json(v, at) for v in views],
        "view": initial,
        "focus": ref(focus),
        "depth": depth,
        "only": focus is not None,
        "large": large,
        "base": ID + "body/",
        "facets": _facets(data),
        "legend": legend(data, side_of, home),
        "styles": {
            "sides": SIDE_COLOURS,
            "classes": {k: [shape, hollow] for k, (_, shape, hollow) in CLASS_STYLES.items()},
            "kinds": {k: list(v) for k, v in KIND_STYLES.items()},
        },
        "search": _search(data, at),
        "options": _VIS_OPTIONS,
    }


def _people(data: PageData, ref: Any) -> list[dict[str, Any]]:
    """Officials: the posts they hold and the documents they signed, with the body and the
    meeting of each (the graph records people through their posts and signatures)."""
    # Indexed by name once, in the bodies' order: a scan of every body per person was
    # quadratic (1.3 s of the page at a thousand releases).
    posts: dict[str, list[list[Any]]] = {}
    signed: dict[str, list[list[Any]]] = {}
    for b in data.bodies.values():
        for post, who, meeting in b.posts:
            posts.setdefault(who, []).append([post, ref(b.iri), ref(meeting)])
        for role, title, who, meeting in b.memoranda:
            if role == "signature":
                signed.setdefault(who, []).append([title, ref(b.iri), ref(meeting)])
    out = []
    for iri, name in data.people.items():
        out.append(
            {"t": "person", "id": iri, "label": name, "aliases": data.aliases.get(iri, []),
             "posts": posts.get(name, []), "signed": signed.get(name, [])}
        )  # fmt: skip
    return out


def _view_json(view: View, at: Mapping[str, int]) -> dict[str, Any]:
    nodes = []
    for n in view.nodes:
        node: dict[str, Any] = {"e": at[n.ref], "k": n.kind, "s": n.size, "x": n.x, "y": n.y}
        if n.kind == "cell":
            node["m"] = at[n.meeting or ""]
            node["c"] = [at[c] for c in n.commitments]
        nodes.append(node)
    return {
        "key": view.key,
        "title": view.title,
        "note": view.note,
        "mech": at.get(view.mechanism or ""),
        "nodes": nodes,
        # [a, b, weight, commitments, 1 if the text states the pair (drawn solid) else 0]
        "edges": [
            [e.a, e.b, e.weight, [at[c] for c in e.commitments], int(e.stated)] for e in view.edges
        ],
        "start": view.start,
    }


def _facets(data: PageData) -> list[dict[str, Any]]:
    """The filters' choices: [key, label, count]. The page computes each node's keys by the
    same rules (page.js, facetKeys): area and jurisdiction by label, kind as displayed,
    mechanism and meeting by IRI, year from the meeting's date."""
    counts: dict[str, dict[str, int]] = {
        k: {} for k in ("area", "mechanism", "meeting", "year", "kind", "jurisdiction")
    }
    labels: dict[str, dict[str, str]] = {k: {} for k in counts}

    def add(facet: str, key: str, label: str) -> None:
        counts[facet][key] = counts[facet].get(key, 0) + 1
        labels[facet][key] = _NOT_STATED[facet][0] if key == _NONE else label

    for c in data.commitments.values():
        for area in c.areas or [None]:
            name = data.areas[area] if area else _NONE
            add("area", name, name)
        meeting = data.meetings.get(c.meeting or "")
        mech = data.mechanisms.get(meeting.mechanism or "") if meeting else None
        add("mechanism", mech.iri if mech else _NONE, mech.label if mech else _NONE)
        if meeting is None:
            add("meeting", _NONE, _NONE)
        else:
            when = f"{meeting.date} · " if meeting.date else ""
            add("meeting", meeting.iri, when + meeting.label)
        year = meeting.date[:4] if meeting and meeting.date else _NONE
        add("year", year, year)
    for b in data.bodies.values():
        add("kind", _kind(b), _kind(b))
        j = data.jurisdictions.get(b.jurisdiction or "", _NONE)
        add("jurisdiction", j, j)
    titles = {
        "area": "Area",
        "mechanism": "Mechanism",
        "meeting": "Meeting",
        "year": "Year",
        "kind": "Kind",
        "jurisdiction": "Jurisdiction",
    }
    return [
        {
            "key": facet,
            "title": titles[facet],
            "of": "bodies" if facet in ("kind", "jurisdiction") else "commitments",
            "values": [
                [key, labels[facet][key], counts[facet][key]]
                + ([_NOT_STATED[facet][1]] if key == _NONE else [])
                for key in sorted(counts[facet], key=lambda k: (labels[facet][k], k))
            ],
        }
        for facet in titles
        if counts[facet]
    ]


def _search(data: PageData, at: Mapping[str, int]) -> list[list[Any]]:
    """[name, entity index] for every body's label and alias, for the search suggestions."""
    pairs = {
        (name, at[b.iri])
        for b in data.bodies.values()
        for name in (b.label, *data.aliases.get(b.iri, ()))
    }
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
