"""The printable report: the corpus at a glance, charts as inline SVG, tables, CSVs beside it.

`render_report` reads the graph only through the store, the named queries (`kg.query`), the
analysis (`kg.analyze`) and the counts (`kg.stats`). It writes one offline HTML file (no
script at all; a Content-Security-Policy forbids every fetch and admits only its own
stylesheet), the data of every figure and table as CSV in ``report/`` beside it and, on
request, a PDF printed by headless Chromium when one is installed.

Charts are drawn by matplotlib (``Figure`` objects, never pyplot, so no global backend is
switched) as SVG with real text, then rewritten for a page with a CSP: matplotlib's
``style="…"`` attributes become SVG presentation attributes (a CSP without
``'unsafe-inline'`` would refuse them), its metadata and stylesheet go, and its ids get a
prefix per chart so that four charts in one page cannot collide. Text from documents reaches
the page escaped exactly once: by Jinja's autoescape, or by the XML serialiser of the SVG.
Two renders of the same graph are byte-identical whatever PYTHONHASHSEED is.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import matplotlib
from markupsafe import Markup

from kg import __version__
from kg.analyze import NO_AREA, Analysis, analyze_graph, area_body_matrix, fingerprint, to_networkx
from kg.cells import csv_text
from kg.chromium import CHROMIUM_ARGS, find_chromium
from kg.errors import KgError
from kg.html import csp_hash, template_environment
from kg.output import atomic_write_text
from kg.pool import Beside
from kg.query import resolve_query, run_query
from kg.report_charts import (
    _HEAT_ROWS,
    _RC,
    _SIDE_ROWS,
    _TOP_BODIES,
    NO_SIDE,
    _chart_areas,
    _chart_centrality,
    _chart_heatmap,
    _chart_sides,
    inline_svg,
)
from kg.report_network import caption as network_caption
from kg.report_network import chart_network, edge_rows, network_data, network_rows
from kg.stats import body_breakdown, breakdown_text, graph_stats
from kg.store import Store

CSV_DIR = "report"  # beside report.html; the page links its CSVs relatively
# Okabe & Ito's colour-blind-safe palette, as in kg.viz.
_MEETINGS = """
PREFIX coop: <https://w3id.org/coopkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
SELECT ?meeting ?label ?date ?location ?mechanism ?commitments ?areas ?attendees ?signed
WHERE {
  ?meeting a coop:Meeting .
  OPTIONAL { ?meeting rdfs:label ?label }
  OPTIONAL { ?meeting schema:startDate ?date }
  OPTIONAL { ?meeting schema:location ?location }
  OPTIONAL { ?meeting coop:ofMechanism/rdfs:label ?mechanism }
  OPTIONAL { SELECT ?meeting (COUNT(DISTINCT ?c) AS ?nc) WHERE { ?c coop:madeAt ?meeting }
             GROUP BY ?meeting }
  OPTIONAL { SELECT ?meeting (COUNT(DISTINCT ?a) AS ?na) WHERE { ?meeting coop:hasArea ?a }
             GROUP BY ?meeting }
  OPTIONAL { SELECT ?meeting (COUNT(DISTINCT ?p) AS ?np) WHERE { ?meeting schema:attendee ?p }
             GROUP BY ?meeting }
  OPTIONAL { SELECT ?meeting (COUNT(DISTINCT ?d) AS ?nd) WHERE { ?d coop:signedAt ?meeting }
             GROUP BY ?meeting }
  BIND(COALESCE(?nc, 0) AS ?commitments)
  BIND(COALESCE(?na, 0) AS ?areas)
  BIND(COALESCE(?np, 0) AS ?attendees)
  BIND(COALESCE(?nd, 0) AS ?signed)
}
"""


@dataclass(frozen=True)
class ReportResult:
    """What `render_report` wrote; `notes` says what it could not do (e.g. no PDF)."""

    html: Path
    csvs: list[Path]
    pdf: Path | None
    notes: list[str] = field(default_factory=list)
    reused: bool = False  # the analysis given was current for the graph, not recomputed


@dataclass(frozen=True)
class Chart:
    """One figure of the report: its inline SVG and the CSV that holds its data."""

    key: str
    title: str
    caption: str
    svg: Markup
    csv: str
    more: list[str] = field(default_factory=list)  # further CSVs of the same figure


@dataclass(frozen=True)
class Table:
    """Rows for a CSV file: a header and cells (None is written as an empty cell)."""

    name: str
    header: list[str]
    rows: list[list[Any]]


def render_report(
    store: Store,
    out_dir: str | Path,
    *,
    pdf: bool = False,
    chromium: str | None = None,
    analysis: Analysis | None = None,
    jobs: int = 1,
) -> ReportResult:
    """Write ``report.html``, its CSVs in ``report/`` and, if asked and possible, a PDF.

    Parameters
    ----------
    store : Store
        Where the graph lives.
    out_dir : str or Path
        The folder of ``report.html``; the CSVs go to ``out_dir/report/``.
    pdf : bool
        Also print ``report.pdf`` with headless Chromium. Without a Chromium (on PATH as
        ``chromium`` or ``chromium-browser``, or given as `chromium`) no PDF is written and
        `ReportResult.notes` says so; nothing is ever downloaded.
    analysis : Analysis, optional
        One already computed (`kg.analyze.analyze`, or read back from analysis.json): used
        when it is current for the graph (its fingerprint is the graph's, pairs "stated",
        seed 0; `ReportResult.reused`), else the report computes its own.
    jobs : int
        With 2 or more, two of the charts are drawn by a forked process beside this one
        (`kg.pool.Beside`) while it draws the others and writes the CSVs: the same bytes
        either way.

    Every file is written atomically; the HTML and CSVs are byte-identical for one graph.
    """
    out = Path(out_dir)
    data = gather(store, analysis)
    # Two charts are drawn beside (`jobs` > 1; else when asked for, here) while this
    # process draws the others and writes the CSVs: the network's drawing says which
    # names it drew, which its CSV lists.
    beside = Beside(lambda: _draw(data, _BESIDE), jobs)
    here = _draw(data, _HERE)
    tables = _tables(data)
    csvs = [atomic_write_text(out / CSV_DIR / f"{t.name}.csv", _csv(t)) for t in tables]
    charts = _assemble(data, here | beside.result())
    html = atomic_write_text(out / "report.html", _html(data, charts))
    notes: list[str] = []
    pdf_path = None
    if pdf:
        browser = chromium or find_chromium()
        if browser is None:
            notes.append("no PDF: no chromium on PATH to print it with (nothing was downloaded)")
        else:
            pdf_path = print_pdf(html, out / "report.pdf", browser)
    return ReportResult(html=html, csvs=csvs, pdf=pdf_path, notes=notes, reused=data["reused"])


# --- data -----------------------------------------------------------------------------------


def _rows(store: Store, name: str) -> list[dict[str, Any]]:
    return run_query(store, resolve_query(name), {}).dicts()


def _by_count(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def gather(store: Store, analysis: Analysis | None = None) -> dict[str, Any]:
    """Everything the report shows, as plain sorted data (the page and CSVs are made from it);
    `analysis` is reused when current for the graph (see `render_report`)."""
    bipartite = to_networkx(store)
    if analysis is not None and analysis.inputs.get("fingerprint") != fingerprint(bipartite):
        analysis = None  # of another graph, or of this one as it was: not what it holds now
    reused = analysis is not None
    analysis = analysis or analyze_graph(bipartite)
    labels = analysis.labels
    info = {b["body"]: b for b in analysis.bodies}
    commitments = sorted(
        (n for n, d in bipartite.nodes(data=True) if d.get("node_type") == "commitment"),
        key=lambda n: (
            str(bipartite.nodes[n].get("source") or ""),
            bipartite.nodes[n]["start"] or 0,
            n,
        ),
    )

    per_area = {str(r["area"]): 0 for r in _rows(store, "areas") if r["area"] is not None}
    per_side: dict[str, list[int]] = {}  # side -> [with another side, this side only]
    unnamed = 0
    for c in commitments:
        area = bipartite.nodes[c].get("area") or NO_AREA
        per_area[area] = per_area.get(area, 0) + 1
        sides = {bipartite.nodes[b].get("jurisdiction") or NO_SIDE for b in bipartite[c]}
        unnamed += not sides
        for side in sides:
            per_side.setdefault(side, [0, 0])[0 if len(sides) > 1 else 1] += 1

    areas, bodies, matrix = area_body_matrix(bipartite)

    def heat_order(b: str) -> tuple[bool, str, str, str]:
        generic = info.get(b, {}).get("kind") == "generic_group"
        return generic, info.get(b, {}).get("jurisdiction") or "~", labels.get(b, b), b

    order = sorted(range(len(bodies)), key=lambda j: heat_order(bodies[j]))
    heat_bodies = [
        {
            "label": labels.get(bodies[j], bodies[j]),
            "jurisdiction": info.get(bodies[j], {}).get("jurisdiction"),
            "generic": heat_order(bodies[j])[0],
            "counts": [matrix[i][j] for i in range(len(areas))],
        }
        for j in order
    ]

    scores = analysis.centrality
    ranked = sorted(
        (b for b in analysis.bodies if b["commitments"] > 0),
        key=lambda b: (
            -scores[b["body"]]["betweenness"],
            -scores[b["body"]]["weighted_degree"],
            b["label"],
            b["body"],
        ),
    )
    documents = _rows(store, "documents")
    titles = {str(d["document"]): d["title"] or str(d["document"]) for d in documents}
    breakdown = body_breakdown(store)
    charted = Counter(
        info.get(b, {}).get("kind") in ("programme", "event") for b in bodies
    )  # the area chart's rows, in kg stats' terms: bodies, and programmes and events apart
    return {
        "reused": reused,
        "betweenness": analysis.betweenness,
        "stats": graph_stats(store),
        "network": network_data(store),
        "bodies": {**breakdown, "text": breakdown_text(breakdown)},
        "charted": {"bodies": charted[False], "programmes_events": charted[True]},
        "summary": analysis.summary,
        "mechanisms": _mechanisms(_rows(store, "mechanisms")),
        "documents": documents,
        "meetings": _meetings(store),
        "per_area": _by_count(per_area),
        "per_side": sorted(per_side.items(), key=lambda kv: (-sum(kv[1]), kv[0])),
        "unnamed": unnamed,
        "areas": areas,
        "heat_bodies": heat_bodies,
        "centrality": [{**b, **scores[b["body"]], "rank": i} for i, b in enumerate(ranked, 1)],
        "left_out": len(analysis.bodies) - len(ranked),
        "shared": analysis.shared,
        "signed": _signed(_rows(store, "signatories")),
        "commitments": [
            {
                "area": bipartite.nodes[c].get("area") or NO_AREA,
                "bodies": sorted(labels.get(b, b) for b in bipartite[c]),
                "quote": bipartite.nodes[c].get("quote") or bipartite.nodes[c].get("label"),
                "source": titles.get(str(bipartite.nodes[c].get("source"))),
                "start": bipartite.nodes[c].get("start"),
                "end": bipartite.nodes[c].get("end"),
                "meeting": bipartite.nodes[c].get("meeting_label"),
            }
            for c in commitments
        ],
    }


def _mechanisms(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = found.setdefault(
            str(row["mechanism"]),
            {"label": row["label"] or str(row["mechanism"]), "sides": set(), "meetings": 0},
        )
        entry["meetings"] = max(entry["meetings"], int(row["meetings"] or 0))
        if row["side"] is not None:
            entry["sides"].add(str(row["side"]))
    listed = [{**e, "sides": sorted(e["sides"])} for e in found.values()]
    return sorted(listed, key=lambda e: e["label"])


def _meetings(store: Store) -> list[dict[str, Any]]:
    chosen: dict[str, dict[str, Any]] = {}
    rows = store.select(_MEETINGS).dicts()
    # One row per meeting, the same one every run if a meeting has two labels or places.
    for row in sorted(rows, key=lambda r: [repr(r[k]) for k in sorted(r)]):
        chosen.setdefault(str(row["meeting"]), row)
    return sorted(
        chosen.values(), key=lambda r: (str(r["date"] or ""), str(r["label"] or ""), r["meeting"])
    )


def _signed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Signatories grouped by document, documents in the query's order (date, title)."""
    documents: dict[str, dict[str, Any]] = {}
    for row in rows:
        doc = documents.setdefault(
            str(row["document_iri"]),
            {
                "title": row["document"] or str(row["document_iri"]),
                "parties": row["parties"],
                "meeting": row["meeting"],
                "date": row["date"],
                "signatories": [],
            },
        )
        if row["signatory"] is not None or row["signatory_iri"] is not None:
            doc["signatories"].append(
                {
                    "name": row["signatory"] or str(row["signatory_iri"]),
                    "posts": row["posts"],
                    "on_behalf_of": row["on_behalf_of"],
                }
            )
    return list(documents.values())


# --- CSV ------------------------------------------------------------------------------------


def _table(name: str, columns: dict[str, str], rows: list[dict[str, Any]]) -> Table:
    """A CSV table of `rows`: column header -> key of the row dict."""
    return Table(name, list(columns), [[row[key] for key in columns.values()] for row in rows])


def _same(*keys: str) -> dict[str, str]:
    return {k: k for k in keys}


def _tables(data: dict[str, Any]) -> list[Table]:
    areas = data["areas"]
    per_side = [
        {"jurisdiction": side, "commitments": sum(n), "with_another_side": n[0],
         "this_side_only": n[1]}
        for side, n in data["per_side"]
    ]  # fmt: skip
    heat = [
        {"body": b["label"], "jurisdiction": b["jurisdiction"], "generic_group": b["generic"],
         **dict(zip(areas, b["counts"], strict=True))}
        for b in data["heat_bodies"]
    ]  # fmt: skip
    signed = [
        {**d, **s, "document": d["title"], "signatory": s["name"]}
        for d in data["signed"]
        for s in d["signatories"] or [{"name": None, "posts": None, "on_behalf_of": None}]
    ]
    return [
        _table(
            "who_works_with_whom",
            {"rank": "rank", "body": "label"}
            | _same("jurisdiction", "side", "kind", "shape", "x", "y", "size", "edges",
                    "labelled"),
            network_rows(data),
        ),
        _table("who_works_with_whom_edges", _same("body_a", "body_b", "shared", "basis"),
               edge_rows(data)),
        Table("commitments_per_area", ["area", "commitments"], [list(r) for r in data["per_area"]]),
        _table(
            "commitments_per_side",
            _same("jurisdiction", "commitments", "with_another_side", "this_side_only"),
            per_side,
        ),
        _table("area_body_heatmap", _same("body", "jurisdiction", "generic_group", *areas), heat),
        _table(
            "centrality",
            {"rank": "rank", "body": "label"}
            | _same("jurisdiction", "kind", "commitments", "degree", "weighted_degree",
                    "betweenness", "eigenvector"),
            data["centrality"],
        ),
        _table(
            "shared_commitments",
            {"body_a": "label_a", "body_b": "label_b", "shared": "shared", "basis": "basis",
             "areas": "areas"},
            [{**r, "areas": "; ".join(r["areas"])} for r in data["shared"]],
        ),
        _table(
            "signatories",
            _same("document", "date", "meeting", "parties", "signatory", "posts", "on_behalf_of"),
            signed,
        ),
        _table(
            "commitments",
            _same("area", "bodies", "quote", "source", "start", "end", "meeting"),
            [{**c, "bodies": "; ".join(c["bodies"])} for c in data["commitments"]],
        ),
    ]  # fmt: skip


def _csv(table: Table) -> str:
    # csv_text neutralises formulas in every cell (kg.cells, OWASP's rule).
    rows = (["true" if v is True else "false" if v is False else v for v in r] for r in table.rows)
    return csv_text([table.header, *rows])


_CHARTS = (
    ("network", "Who works with whom", "who_works_with_whom", chart_network),
    ("areas", "Commitments per area", "commitments_per_area", _chart_areas),
    ("sides", "Commitments per side", "commitments_per_side", _chart_sides),
    ("heatmap", "Areas and the bodies acting in them", "area_body_heatmap", _chart_heatmap),
    ("centrality", "Bodies ranked by centrality", "centrality", _chart_centrality),
)


# Drawn beside when there is a core for it: at 1,000 releases about as long as the other
# three and the CSVs together. Not the network: its drawing tells `data` which names it drew.
_BESIDE = ("sides", "heatmap")
_HERE = tuple(key for key, *_ in _CHARTS if key not in _BESIDE)


def _charts(data: dict[str, Any], jobs: int = 1) -> dict[str, Chart]:
    """Every chart of `data` (key -> Chart), as the report draws them."""
    beside = Beside(lambda: _draw(data, _BESIDE), jobs)
    here = _draw(data, _HERE)
    return _assemble(data, here | beside.result())


def _assemble(data: dict[str, Any], drawn: dict[str, tuple[str, Markup, str]]) -> dict[str, Chart]:
    captions = _captions(data)  # after drawing: the network's says how many names it drew
    return {
        key: Chart(
            key,
            title,
            captions[key],
            svg,
            f"{CSV_DIR}/{csv_name}.csv",
            [f"{CSV_DIR}/{csv_name}_edges.csv"] if key == "network" else [],
        )
        for key, (title, svg, csv_name) in ((k, drawn[k]) for k, *_ in _CHARTS)
    }


def _draw(data: dict[str, Any], keys: tuple[str, ...]) -> dict[str, tuple[str, Markup, str]]:
    """The charts of `keys`: key -> (title, inline SVG, CSV name)."""
    drawn = {}
    with matplotlib.rc_context(_RC), warnings.catch_warnings():
        # A name in a script DejaVu Sans lacks: the browser draws it with a font it has.
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        for key, title, csv_name, draw in _CHARTS:
            if key not in keys:
                continue
            fig = draw(data)
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None})
            drawn[key] = (title, inline_svg(buffer.getvalue(), f"fig-{key}", title), csv_name)
    return drawn


def _captions(data: dict[str, Any]) -> dict[str, str]:
    unnamed = data["unnamed"]
    named = (
        f" {_count(unnamed, 'commitment')} name{'s' if unnamed == 1 else ''} no body and "
        "count for no side."
        if unnamed
        else ""
    )
    top = min(_TOP_BODIES, len(data["centrality"]))
    shown = len(data["heat_bodies"])
    sides = len(data["per_side"])
    return {
        "network": network_caption(data),
        "areas": "How many commitments each co-operation area carries, most first.",
        "sides": (
            f"For the {_SIDE_ROWS} jurisdictions with most commitments (all {sides} are in the "
            "CSV), the commitments"
            if sides > _SIDE_ROWS
            else "For each jurisdiction, the commitments"
        )
        + " that involve at least one of its bodies, split by whether a body of another side "
        "takes part too." + named,
        "heatmap": "How many commitments of each area involve each body. Rows: "
        + (
            f"the {_HEAT_ROWS} bodies involved in most commitments (all {shown} are in the CSV)"
            if shown > _HEAT_ROWS
            else "the bodies involved in at least one commitment"
        )
        + ", named bodies first, then generic groups (in italics, below the line), each by "
        "jurisdiction (right) and name.",
        "centrality": f"The {top} most central bodies of the network of bodies that share "
        "commitments: betweenness (how often a body lies on the shortest paths between "
        "others) and weighted degree (the commitments it shares with each other body, added "
        "up). Colour: jurisdiction." + _sampled(data["betweenness"]),
    }


def _sampled(method: dict[str, Any]) -> str:
    if method.get("method") != "sampled":
        return ""
    return (
        f" Betweenness is estimated from the shortest paths of {method['pivots']} bodies "
        f"drawn with a fixed seed ({method['seed']}), not of every body."
    )


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


# --- the page -------------------------------------------------------------------------------


@cache
def _stylesheet() -> str:
    text = resources.files("kg").joinpath("static", "report.css").read_text(encoding="utf-8")
    if "</style" in text.lower():
        raise RuntimeError("kg/static/report.css cannot be embedded: it would end its element")
    return text


def _html(data: dict[str, Any], charts: dict[str, Chart]) -> str:
    style = _stylesheet()
    # No script may run and nothing may be fetched; only this stylesheet applies.
    csp = (
        "default-src 'none'; script-src 'none'; "
        f"style-src {csp_hash(style)}; img-src data:; base-uri 'none'; form-action 'none'"
    )
    mechanisms = [m["label"] for m in data["mechanisms"]]
    title = "Report: " + "; ".join(mechanisms) if mechanisms else "coopkg report"
    return (
        template_environment()
        .get_template("report.html.j2")
        .render(
            title=title,
            csp=csp,
            style=Markup(style),
            charts=charts,
            csv_dir=CSV_DIR,
            version=__version__,
            count=_count,
            **data,
        )
    )


# --- PDF ------------------------------------------------------------------------------------

_CHROMIUM_ARGS = (
    "--headless",
    *CHROMIUM_ARGS,
    "--host-resolver-rules=MAP * ~NOTFOUND",  # even a bug could resolve no host
    "--no-pdf-header-footer",
)


def print_pdf(html: Path, out: Path, chromium: str, timeout: float = 120.0) -> Path:
    """Print `html` to `out` with headless Chromium; the file appears whole or not at all."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".report-pdf-", dir=out.parent) as tmp:
        target = Path(tmp) / "report.pdf"
        command = [
            chromium,
            *_CHROMIUM_ARGS,
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--print-to-pdf={target}",
            html.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise KgError(f"{chromium}: could not print the report to PDF: {exc}") from None
        if done.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
            detail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise KgError(f"{chromium}: could not print the report to PDF: {detail}")
        os.replace(target, out)
    return out


__all__: Sequence[str] = ("ReportResult", "gather", "inline_svg", "print_pdf", "render_report")
