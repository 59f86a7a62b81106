"""How the page draws a node, and the legend that says so.

Colour is the body's side (the home jurisdiction's bodies, the partner's, the rest), the
question the page answers first: who works with whom across the two sides. Shape is the
kind of body, a handful of groups that a reader can tell apart at a glance; a group of
bodies named generically ("Hong Kong universities") is drawn hollow. Colours are Okabe &
Ito's colour-blind-safe palette; side is also position (kg.viz_layout), so colour is never
the only cue.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kg.viz_data import Body, PageData

SIDE_COLOURS: dict[str, str] = {"home": "#0072B2", "partner": "#D55E00", "other": "#999999"}
# class -> (group shown in the legend, shape, hollow)
CLASS_STYLES: dict[str, tuple[str, str, bool]] = {
    "Government": ("Government", "square", False),
    "PartyCommittee": ("Government", "square", False),
    "Agency": ("Public body", "dot", False),
    "StatutoryBody": ("Public body", "dot", False),
    "Exchange": ("Company or exchange", "diamond", False),
    "Enterprise": ("Company or exchange", "diamond", False),
    "Institution": ("Institution or university", "triangle", False),
    "AcademicInstitution": ("Institution or university", "triangle", False),
    "Association": ("Association", "triangleDown", False),
    "GenericGroup": ("Group of bodies, named generically", "dot", True),
    "Programme": ("Programme or event", "star", False),
    "NamedEvent": ("Programme or event", "star", False),
    "Other": ("Other body", "hexagon", False),
}
# what the other views draw besides bodies: kind -> (colour, shape)
KIND_STYLES: dict[str, tuple[str, str]] = {
    "commitment": ("#777777", "square"),
    "area": ("#FFFFFF", "hexagon"),
    "meeting": ("#DDDDDD", "box"),
    "cell": ("#009E73", "square"),
}
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


def class_of(body: Body) -> str:
    klass = body.klass or _CLASS_OF_KIND.get(body.kind or "", "Other")
    return klass if klass in CLASS_STYLES else "Other"


def side_labels(data: PageData, home: str | None) -> dict[str, str]:
    """What each side is called in the legend: the home jurisdiction's name, the partner's
    (or how many partners there are), and what the third colour holds."""
    partners = sorted(
        {data.jurisdictions.get(s, s) for m in data.mechanisms.values() for s in m.sides}
        - {data.jurisdictions.get(home or "", "")}
    )
    if len(partners) == 1:
        partner = partners[0]
    elif partners:
        partner = f"Partner side ({len(partners)} places: {', '.join(partners[:3])}"
        partner += ", …)" if len(partners) > 3 else ")"
    else:
        partner = "Partner side"
    return {
        "home": data.jurisdictions.get(home or "", "Home side"),
        "partner": partner,
        "other": "National, other or unstated",
    }


def legend(data: PageData, side_of: dict[str, str], home: str | None) -> list[dict[str, Any]]:
    """The legend's entries: sides (colour), kinds of body (shape), the other views' nodes
    and the bodies-only view's lines. `count` is over the whole graph; the page counts
    what the current view draws."""
    labels = side_labels(data, home)
    per_side = Counter(side_of.values())
    entries: list[dict[str, Any]] = [
        {"kind": "side", "key": side, "label": labels[side], "count": per_side[side]}
        for side in SIDE_COLOURS
        if per_side[side]
    ]
    groups = Counter(CLASS_STYLES[class_of(b)][0] for b in data.bodies.values())
    seen: set[str] = set()
    for group, shape, hollow in CLASS_STYLES.values():
        if group in groups and group not in seen:
            seen.add(group)
            entries.append(
                {"kind": "body", "key": group, "label": group, "shape": shape,
                 "hollow": hollow, "count": groups[group]}
            )  # fmt: skip
    entries += [
        {"kind": "commitment", "key": "commitment", "label": "Commitment",
         "count": len(data.commitments)},
        {"kind": "area", "key": "area", "label": "Area", "count": len(data.areas)},
        {"kind": "meeting", "key": "meeting", "label": "Meeting", "count": len(data.meetings)},
        {"kind": "cell", "key": "cell", "label": "Area at a meeting", "count": None},
        {"kind": "pair", "key": "stated", "label": "Partnership the text states",
         "line": "solid", "count": None},
        {"kind": "pair", "key": "co-mention", "label": "Named in one commitment (co-mention)",
         "line": "dashed", "count": None},
    ]  # fmt: skip
    return entries
