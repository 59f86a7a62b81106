"""The report's charts: matplotlib figures drawn as deterministic, CSP-safe inline SVG."""

from __future__ import annotations

import math
import textwrap
import xml.etree.ElementTree as ET
from typing import Any

from markupsafe import Markup
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FormatStrFormatter, MaxNLocator

NO_SIDE = "(no jurisdiction)"
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
_BAR = OKABE_ITO[0]
_TOP_BODIES = 15  # bodies in the centrality chart; the table lists every involved body
_PX_PER_PT = 1.6  # a chart's size on screen: 1.2 x its printed size (96 px = 72 pt)
_HEAT_ROWS = 60  # bodies in the heatmap (a printed page holds about that many); CSV: all
_SIDE_ROWS = 40  # jurisdictions in the chart of sides, most commitments first; CSV: all
_HEATMAP = LinearSegmentedColormap.from_list("coopkg-blues", ["#deebf7", "#08306b"])
_RC: dict[str, Any] = {
    "svg.fonttype": "none",  # text stays text: searchable, selectable, crisp in print
    "svg.hashsalt": "coopkg-report",  # clip-path ids from a fixed salt, not a random one
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
    "text.parse_math": False,  # "$" in a name is a dollar sign, not mathtext
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
}
# matplotlib style properties -> the same-named SVG presentation attributes.
_PRESENTATION = frozenset(
    (
        *("fill", "fill-opacity", "fill-rule", "opacity", "clip-path"),
        *("stroke", "stroke-width", "stroke-opacity", "stroke-linejoin", "stroke-linecap"),
        *("stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit"),
        *("font-size", "font-family", "font-style", "font-weight", "font-stretch"),
        *("font-variant", "text-anchor", "dominant-baseline"),
    )
)
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_XLINK_HREF = f"{{{_XLINK_NS}}}href"
ET.register_namespace("", _SVG_NS)
ET.register_namespace("xlink", _XLINK_NS)


def _clean(text: Any) -> str:
    """One line of text without control characters (XML, and so SVG, cannot hold them)."""
    return " ".join("".join(c for c in str(text) if c.isprintable() or c.isspace()).split())


def _wrap(text: Any, width: int) -> str:
    """Lines of about `width` characters; a word longer than that is never cut."""
    text = _clean(text)
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def _shorten(text: Any, width: int) -> str:
    """One line of at most `width` characters (the full name is in the CSV and the tables)."""
    text = _clean(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def _empty(fig: Figure, message: str) -> None:
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)


def _bars_height(n: int, lines: int = 1) -> float:
    return 0.9 + n * 0.24 * max(1, lines) ** 0.6


def _chart_areas(data: dict[str, Any]) -> Figure:
    rows = data["per_area"]
    labels = [_wrap(a, 44) for a, _ in rows]
    fig = _figure(7.0, _bars_height(len(rows), max((s.count("\n") + 1 for s in labels), default=1)))
    if not rows:
        _empty(fig, "No commitment in this graph")
        return fig
    ax = fig.add_subplot()
    y = range(len(rows))
    bars = ax.barh(y, [n for _, n in rows], color=_BAR, height=0.7)
    ax.bar_label(bars, padding=3)
    ax.set_yticks(list(y), labels)
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("commitments")
    ax.margins(x=0.08)
    return fig


def _chart_sides(data: dict[str, Any]) -> Figure:
    # Sorted by commitments: past a page of bars, the rest only lengthen the page (and a
    # thousand partners took three seconds to draw).
    rows = data["per_side"][:_SIDE_ROWS]
    fig = _figure(7.0, _bars_height(len(rows)) + 0.4)
    if not rows:
        _empty(fig, "No commitment names a body")
        return fig
    ax = fig.add_subplot()
    y = list(range(len(rows)))
    joint = [n[0] for _, n in rows]
    alone = [n[1] for _, n in rows]
    ax.barh(y, joint, color=OKABE_ITO[0], height=0.6, label="with a body of another side")
    bars = ax.barh(
        y,
        alone,
        left=joint,
        color=OKABE_ITO[1],
        height=0.6,
        hatch="//",
        edgecolor="#ffffff",
        linewidth=0,
        label="this side's bodies only",
    )
    ax.bar_label(bars, labels=[str(a + b) for a, b in zip(joint, alone, strict=True)], padding=3)
    ax.set_yticks(y, [_wrap(s, 30) for s, _ in rows])
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("commitments involving at least one body of the jurisdiction")
    ax.margins(x=0.08)
    fig.legend(loc="outside lower center", ncols=2, frameon=False)
    return fig


def _heat_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The heatmap's rows: every involved body, or the `_HEAT_ROWS` in most commitments."""
    rows = data["heat_bodies"]
    if len(rows) <= _HEAT_ROWS:
        return rows
    busiest = sorted(range(len(rows)), key=lambda i: (-sum(rows[i]["counts"]), i))
    return [rows[i] for i in sorted(busiest[:_HEAT_ROWS])]


def _chart_heatmap(data: dict[str, Any]) -> Figure:
    areas, rows = data["areas"], _heat_rows(data)
    # Sized to print at its own size on A4 for a dozen areas: names cut to one line, area
    # names wrapped into narrow columns (the full names are in the CSV and the tables).
    columns = [_wrap(a, 11) for a in areas]
    names = [_shorten(b["label"], 42) for b in rows]
    head = max((c.count("\n") + 1 for c in columns), default=1)
    width = 1.1 + 0.05 * max((len(n) for n in names), default=10) + 0.6 * len(areas)
    fig = _figure(max(5.5, width), 0.7 + 0.13 * head + 0.19 * len(rows))
    if not rows:
        _empty(fig, "No commitment involves a body")
        return fig
    ax = fig.add_subplot()
    values = [[float(v) if v else math.nan for v in b["counts"]] for b in rows]
    top = max(max(b["counts"]) for b in rows)
    for i in range(len(rows) + 1):  # faint rules: a row is easy to follow across
        ax.axhline(i, color="#e6e6e6", linewidth=0.5, zorder=0)
    ax.pcolormesh(
        values, cmap=_HEATMAP, vmin=0.5, vmax=max(top, 1) + 0.5, edgecolors="#ffffff", linewidth=0.6
    )
    for i, b in enumerate(rows):
        for j, v in enumerate(b["counts"]):
            if v:
                dark = (v - 0.5) / max(top, 1) > 0.45
                ax.text(
                    j + 0.5,
                    i + 0.5,
                    str(v),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="#ffffff" if dark else "#000000",
                )
    ax.set_xlim(0, len(areas))
    ax.set_ylim(len(rows), 0)
    ax.xaxis.tick_top()
    ax.set_xticks([j + 0.5 for j in range(len(areas))], columns, fontsize=6.8)
    ax.set_yticks([i + 0.5 for i in range(len(rows))], names, fontsize=7)
    for tick, b in zip(ax.get_yticklabels(), rows, strict=True):
        if b["generic"]:
            tick.set_fontstyle("italic")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    side = ax.secondary_yaxis("right")
    side.set_yticks(
        [i + 0.5 for i in range(len(rows))],
        [_shorten(b["jurisdiction"] or NO_SIDE, 24) for b in rows],
        fontsize=7,
        color="#444444",
    )
    side.tick_params(length=0)
    side.spines["right"].set_visible(False)
    generic = [i for i, b in enumerate(rows) if b["generic"]]
    if generic and generic[0] > 0:
        ax.axhline(generic[0], color="#333333", linewidth=1.0)
    return fig


def _chart_centrality(data: dict[str, Any]) -> Figure:
    rows = data["centrality"][:_TOP_BODIES]
    labels = [_wrap(b["label"], 40) for b in rows]
    lines = max((s.count("\n") + 1 for s in labels), default=1)
    fig = _figure(7.0, _bars_height(len(rows), lines) + 0.5)
    if not rows:
        _empty(fig, "No body is involved in a commitment")
        return fig
    sides = sorted({b["jurisdiction"] or NO_SIDE for b in rows})
    colour = {s: OKABE_ITO[i % len(OKABE_ITO)] for i, s in enumerate(sides)}
    colours = [colour[b["jurisdiction"] or NO_SIDE] for b in rows]
    left, right = fig.subplots(1, 2, sharey=True, width_ratios=[1, 1])
    y = list(range(len(rows)))
    left.barh(y, [b["betweenness"] for b in rows], color=colours, height=0.7)
    left.set_title("betweenness", loc="left")
    left.set_xlim(0, max([b["betweenness"] for b in rows] + [0.01]) * 1.15)
    left.xaxis.set_major_locator(MaxNLocator(nbins=3))
    left.xaxis.set_major_formatter(FormatStrFormatter("%.3g"))
    right.barh(y, [b["weighted_degree"] for b in rows], color=colours, height=0.7)
    right.set_title("weighted degree", loc="left")
    right.xaxis.set_major_locator(MaxNLocator(integer=True))
    right.set_xlim(0, max([b["weighted_degree"] for b in rows] + [1]) * 1.1)
    left.set_yticks(y, labels)
    left.invert_yaxis()
    right.tick_params(axis="y", length=0)
    handles = [Patch(color=colour[s], label=_shorten(s, 40)) for s in sides]
    fig.legend(handles=handles, loc="outside lower center", ncols=min(4, len(sides)), frameon=False)
    return fig


def inline_svg(svg: str, prefix: str, title: str) -> Markup:
    """matplotlib's SVG made fit to sit inside a page with a strict CSP.

    Style attributes become presentation attributes, metadata and the stylesheet go, every
    id gets `prefix`, the root gets a title and ``role="img"``. The result is serialised by
    ElementTree, which escapes all text, so it is safe to mark as Markup.
    """
    root = ET.fromstring(svg[svg.index("<svg") :])
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{_SVG_NS}}}metadata", f"{{{_SVG_NS}}}style"):
                parent.remove(child)
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            for declaration in style.split(";"):
                if not declaration.strip():
                    continue
                name, _, value = (part.strip() for part in declaration.partition(":"))
                if name not in _PRESENTATION:
                    raise RuntimeError(f"matplotlib wrote a style {name!r} with no SVG attribute")
                element.set(name, value)
        for key, value in list(element.attrib.items()):
            if key == "id":
                element.set(key, f"{prefix}-{value}")
            elif key in (_XLINK_HREF, "href") and value.startswith("#"):
                element.set(key, f"#{prefix}-{value[1:]}")
            elif "url(#" in value:
                element.set(key, value.replace("url(#", f"url(#{prefix}-"))
    # On screen a fifth larger than print size (CSS shrinks it to fit the column or page).
    _, _, width, height = (float(v) for v in root.get("viewBox", "0 0 0 0").split())
    root.set("width", f"{width * _PX_PER_PT:.0f}")
    root.set("height", f"{height * _PX_PER_PT:.0f}")
    # What the removed stylesheet said for every element, as inherited defaults.
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    root.set("role", "img")
    root.set("aria-labelledby", f"{prefix}-title")
    root.set("class", "chart")
    heading = ET.Element(f"{{{_SVG_NS}}}title", {"id": f"{prefix}-title"})
    heading.text = title
    root.insert(0, heading)
    text = ET.tostring(root, encoding="unicode")
    lowered = text.lower()
    if any(s in lowered for s in ("<script", "<foreignobject", "<style", "<a ", "<image")):
        raise RuntimeError("a chart's SVG holds active content")  # a bug, never data
    return Markup(text)
