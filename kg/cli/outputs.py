"""`kg analyze`, `kg viz`, `kg export`, `kg report`: files made from a graph, written as one set."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.app import _store, app, graph_argument, out_option
from kg.cli.console import (
    _err,
    _one_line,
    _print_table,
    _say,
    out,
)
from kg.errors import OutputError


@app.command()
@graph_argument
@out_option
@click.option(
    "--pairs",
    type=click.Choice(["stated", "co-mention"]),
    default="stated",
    show_default=True,
    help="How commitments link bodies: the pairs their text states (co-mention where it "
    "states none), or every two bodies a commitment names.",
)
def analyze(graph: str, out_dir: str, pairs: str) -> None:
    """Centrality, communities, bridges, area x body matrix; writes analysis.json and CSVs."""
    from kg.analyze import analyze as run_analysis
    from kg.analyze import write_analysis
    from kg.outset import OutputSet

    result = run_analysis(_store(graph), pairs=pairs)
    outputs = OutputSet(out_dir, "analyze")
    with outputs as stage:
        paths = [outputs.final(p) for p in write_analysis(result, stage)]
    data = result.to_json()
    labels = data.get("labels", {})
    top = sorted(data["centrality"].items(), key=lambda kv: (-kv[1]["betweenness"], kv[0]))[:10]
    _print_table(
        ["body", "degree", "betweenness", "eigenvector"],
        [(labels.get(k, k), v["degree"], v["betweenness"], v["eigenvector"]) for k, v in top],
        f"Bodies by betweenness (projection weighted by shared commitments, pairs: {pairs}; "
        f"{_how(result.betweenness)})",
    )
    communities = [
        (i + 1, "; ".join(labels.get(m, m) for m in members))
        for i, members in enumerate(data["communities"])
        if len(members) > 1
    ]
    _print_table(["community", "bodies"], communities, "Communities (Louvain, seed 0)")
    bridges = [
        (
            b["label"],
            b.get("jurisdiction") or "",
            "; ".join(f"{side}: {v['partners']}" for side, v in sorted(b["sides"].items())),
        )
        for b in data["bridges"]
    ]
    _print_table(["body", "jurisdiction", "partners per side"], bridges, "Bridges")
    for path in paths:
        _say(f"wrote {path}")


def _how(method: dict) -> str:
    if method.get("method") == "sampled":
        return f"betweenness sampled from {method['pivots']} source bodies, seed {method['seed']}"
    return f"betweenness exact, by {method.get('engine')}"


@app.command()
@graph_argument
@click.option(
    "--out", "-o", "out_file", default="out/graph.html", show_default=True, help="Page to write."
)
@click.option("--focus", help="A body's name, alias or IRI: write its ego network.")
@click.option(
    "--depth", type=click.IntRange(1, 2), default=1, show_default=True, help="Steps from --focus."
)
@click.option(
    "--view",
    type=click.Choice(["shared", "full", "areas", "mechanism"]),
    default="shared",
    show_default=True,
    help="Opening view: bodies joined by what they share (who works with whom), the whole "
    "graph, areas as hubs, or a mechanism's plenaries side by side (all switchable in the page).",
)
@click.option(
    "--sources",
    default="data/sources",
    show_default=True,
    help="Folder of the source texts, embedded so that quotes show in their paragraph.",
)
def viz(graph: str, out_file: str, focus: str | None, depth: int, view: str, sources: str) -> None:
    """Write the interactive page (offline: its JavaScript and CSS are embedded)."""
    from kg.outset import OutputSet, check_target
    from kg.viz import render_page

    page = Path(out_file)
    if page.is_dir():
        raise OutputError(out_file, "is a folder: give the page's file name")
    folder = Path(sources) if Path(sources).is_dir() else None
    check_target(page.parent, inside=[folder] if folder else [])
    store = _store(graph)
    outputs = OutputSet(page.parent, "viz", loose=True)
    with outputs as stage:
        written = render_page(
            store, stage / page.name, focus=focus, depth=depth, view=view, sources=folder
        )
    path = outputs.final(written)
    _say(f"wrote {path}")
    _say(f"Open the page: {Path(path).resolve()}")


@app.command()
@graph_argument
@out_option
def export(graph: str, out_dir: str) -> None:
    """Write GraphML and GEXF (for Gephi), N-Triples and CSV tables."""
    from kg.export import export_all
    from kg.outset import OutputSet

    store = _store(graph)
    outputs = OutputSet(out_dir, "export")
    with outputs as stage:
        paths = export_all(store, graph, stage)
    for path in paths:
        _say(f"wrote {outputs.final(path)}")


@app.command()
@graph_argument
@out_option
@click.option(
    "--pdf/--no-pdf", default=True, show_default=True, help="Also print it to PDF (chromium)."
)
def report(graph: str, out_dir: str, pdf: bool) -> None:
    """Write report.html (charts, tables, each figure's CSV beside it) and report.pdf.

    Reuses OUT/analysis.json when it is current for the graph (kg analyze wrote it from
    the same facts) instead of computing the analysis again."""
    from kg.analyze import read_analysis
    from kg.outset import OutputSet
    from kg.pool import default_jobs
    from kg.report import render_report

    store = _store(graph)
    saved = Path(out_dir) / "analysis.json"
    analysis = read_analysis(saved)
    outputs = OutputSet(out_dir, "report")
    with outputs as stage:
        result = render_report(store, stage, pdf=pdf, analysis=analysis, jobs=default_jobs())
    for note in result.notes:
        _err(f"kg: warning: {_one_line(note)}\n")
    if result.reused:
        _say(f"analysis: reused {saved} (current for the graph)")
    elif analysis is not None:
        _say(f"analysis: {saved} is not of this graph as it is now; computed anew")
    for path in [result.html, *result.csvs, *([result.pdf] if result.pdf else [])]:
        _say(f"wrote {outputs.final(path)}")
    out.print()
    _say(f"Open the report: {outputs.final(result.html).resolve()}")
