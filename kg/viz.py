"""Interactive pages: the graph drawn with vis-network in one HTML file that works offline.

The only module that knows HTML. `kg.viz_data` gathers what the page shows through the
store, `kg.viz_views` builds and lays out its views; this module writes them into one file
with our own Jinja template and scripts. pyvis 0.3.2 is not used to build the page: its
templates link CDNs and have no autoescape, and its `add_edge` is quadratic (docs/TRAPS.md);
the vis-network it ships is what the page embeds (kg/static/vis-network.min.js).

Text from documents is escaped exactly once: in the JSON data block (`<`, `>`, `&` as
`\\u003c`...) or by Jinja's autoescape, never both; the page's scripts then put it on screen
through `textContent`, DOM text nodes and vis-network's plain-text tooltips, never innerHTML.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from markupsafe import Markup

from kg.errors import InputError
from kg.html import csp_hash, template_environment
from kg.output import atomic_write_text
from kg.store import Store
from kg.viz_data import (
    Body,
    PageData,
    attach_texts,
    embed_texts,
    gather_page_data,
    own_page_data,
)
from kg.viz_layout import LAYOUT_SEED
from kg.viz_payload import page_payload
from kg.viz_styles import CLASS_STYLES, class_of
from kg.viz_views import LARGE_GRAPH, store_views

__all__ = ["CLASS_STYLES", "LARGE_GRAPH", "LAYOUT_SEED", "VIEWS", "render_page"]

ViewName = Literal["shared", "full", "areas", "mechanism"]
VIEWS: tuple[str, ...] = ("shared", "full", "areas", "mechanism")


def render_page(
    store: Store,
    out_path: str | Path,
    *,
    focus: str | None = None,
    depth: int = 1,
    view: ViewName = "shared",
    sources: str | Path | Iterable[str | Path] | None = None,
    texts: Mapping[str, str] | None = None,
    max_nodes: int = LARGE_GRAPH,
) -> Path:
    """Write the interactive page of the graph in `store` to `out_path` and return the path.

    Every view is in the page and can be switched there; `view` is the one it opens with:
    ``shared`` (bodies joined by what they share: the first screen, who works with whom),
    ``full`` (bodies and commitments),
    ``areas`` (areas as hubs) or ``mechanism`` (the first co-operation mechanism's meetings
    side by side). `focus` (a body's label, alias or IRI) opens the page on that body's ego
    network, `depth` steps from it (1 or 2), the rest of the graph hidden until the reader
    asks for it. `sources` (document files or folders of them, e.g. ``data/sources``) puts
    the texts the graph quotes into the page, each checked to be the text the graph was
    built from, so that a commitment shows its paragraph; `texts` (document id -> text) gives
    them as a build has just read them, nothing read or checked again. A graph of more than
    `max_nodes`
    bodies and commitments opens from a summary (in the areas view when `view` is ``full``).
    The file is written atomically and is byte-identical for the same graph and arguments.
    """
    if view not in VIEWS:
        raise InputError(None, f"unknown view {view!r} ({', '.join(VIEWS)})")
    if depth not in (1, 2):
        raise InputError(None, f"depth must be 1 or 2, not {depth!r}")
    # The page's own records when texts go into them (attach_texts, embed_texts change them).
    data = gather_page_data(store) if sources is None and texts is None else own_page_data(store)
    if sources is not None:
        attach_texts(data, store, [sources] if isinstance(sources, str | Path) else sources)
    if texts is not None:
        embed_texts(data, texts)
    focus_iri = _resolve_body(data, focus) if focus is not None else None
    views = store_views(store, data, max_nodes)
    large = len(data.bodies) + len(data.commitments) > max_nodes
    if view == "mechanism":
        if not data.mechanisms:
            raise InputError(None, "the mechanism view needs a co-operation mechanism in the graph")
        initial = "mechanism:0"
    else:
        initial = "areas" if large and view == "full" else view
    title = "Bodies and commitments"
    if focus_iri is not None:
        steps = "one step" if depth == 1 else f"{depth} steps"
        title += f" around {data.bodies[focus_iri].label} ({steps})"
    payload = page_payload(data, views, initial, focus_iri, depth, large)
    return atomic_write_text(out_path, _page(payload, title, _subtitle(data)))


def _resolve_body(data: PageData, name: str) -> str:
    """The body a label, alias or IRI names; InputError if none or more than one."""
    if name in data.bodies:
        return name

    def names_of(body: Body) -> set[str]:
        return {body.label, *data.aliases.get(body.iri, ())}

    matches = [b.iri for b in data.bodies.values() if name in names_of(b)]
    if not matches:  # be forgiving about case and spacing, never about spelling
        key = " ".join(name.split()).casefold()
        matches = [
            b.iri
            for b in data.bodies.values()
            if key in {" ".join(n.split()).casefold() for n in names_of(b)}
        ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise InputError(None, f"{name!r} names {len(matches)} bodies: {', '.join(matches)}")
    raise InputError(None, f"no body named {name!r} in the graph (give a label, alias or IRI)")


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def _subtitle(data: PageData) -> str:
    """The counts, bodies as `kg stats` counts its organizations: programmes and events
    apart, and the breakdown of the bodies into named ones and generic groups."""
    classes = [class_of(b) for b in data.bodies.values()]
    generic = classes.count("GenericGroup")
    events = sum(c in ("Programme", "NamedEvent") for c in classes)
    bodies = len(classes) - events
    return ", ".join(
        [
            _count(bodies, "body", "bodies")
            + f" ({bodies - generic} named, {_count(generic, 'generic group')})",
            _count(events, "programme or event", "programmes and events"),
            _count(len(data.commitments), "commitment"),
            _count(len(data.areas), "area"),
            _count(len(data.meetings), "meeting"),
            _count(len(data.sources), "source document"),
        ]
    )


# --- the page -------------------------------------------------------------------------------


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


SCRIPTS = (
    "vis-network.min.js",
    "page-panel.js",
    "page-legend.js",
    "page-labels.js",
    "page-search.js",
    "page-export.js",
    "page.js",
)
STYLES = ("vis-network.css", "page.css")


def _page(payload: dict[str, Any], title: str, subtitle: str) -> str:
    scripts = [_asset(name) for name in SCRIPTS]
    styles = [_asset(name) for name in STYLES]
    # Every script and style is allowed by its hash and nothing may be fetched: even a bug or
    # an injected tag could not reach the network or run code of its own. img-src data: is
    # for the PNG export (a data: URL made from the canvas).
    csp = (
        "default-src 'none'; "
        f"script-src {' '.join(csp_hash(s) for s in scripts)}; "
        f"style-src {' '.join(csp_hash(s) for s in styles)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return (
        template_environment()
        .get_template("page.html.j2")
        .render(
            title=title,
            subtitle=subtitle,
            csp=csp,
            data_json=_json_for_script(payload),
            scripts=[Markup(s) for s in scripts],
            styles=[Markup(s) for s in styles],
        )
    )
