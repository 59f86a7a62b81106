"""The `kg` command: a thin layer that reads argv, calls the library, prints and exits.

Heavy modules are imported inside each command so that `kg extract` starts quickly.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table as RichTable

from kg.errors import InputError, KgError, ValidationError

app = typer.Typer(
    name="kg",
    help="coopkg: a knowledge graph of co-operation frameworks' parties and commitments.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)

DEFAULT_GRAPH = "out/graph.ttl"
GraphArg = Annotated[
    str, typer.Argument(help="A graph file (.ttl/.nt/.nq) or a SPARQL endpoint URL.")
]
OutOpt = Annotated[str, typer.Option("--out", "-o", help="Output folder.")]


def _store(graph: str) -> Any:
    from kg.store import open_store

    return open_store(graph)


def _print_table(columns: list[str], rows: list[tuple[Any, ...]], title: str | None = None) -> None:
    table = RichTable(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    out.print(table)


@app.command()
def extract(
    file: Annotated[str, typer.Argument(help="A document's text file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    data: Annotated[
        str, typer.Option(help="Data folder with registry/ and corrections/.")
    ] = "data",
) -> None:
    """Show what one document yields before it joins the graph."""
    from kg.build import extract_path

    result = extract_path(file, data).to_json()
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    src, ev = result["source"], result["event"]
    out.print(f"[bold]{src['title'] or src['path']}[/bold]  {src['date'] or ''}")
    if ev:
        out.print(f"event: {ev['label']} ({ev['date']}, {ev['place']})")
    stated = result["stated_area_count"]
    out.print(f"areas: {len(result['areas'])}" + (f" (text states {stated})" if stated else ""))
    rows = [
        (c["area"] or "", ", ".join(c["verbs"]), "; ".join(c["bodies"]), c["text"][:70] + "…")
        for c in result["commitments"]
    ]
    _print_table(["area", "verbs", "bodies", "text"], rows, f"{len(rows)} commitments")
    orgs = [
        (o["label"], o["kind"], o["jurisdiction"] or "", "yes" if o["known"] else "NEW")
        for o in result["organizations"]
    ]
    _print_table(["organisation", "kind", "jurisdiction", "registry"], orgs)
    _print_table(
        ["person", "posts"], [(p["name"], "; ".join(p["posts"])) for p in result["people"]]
    )
    docs = [
        (d["title"], "; ".join(d["signatories"]), "; ".join(d["parties"]))
        for d in result["documents"]
    ]
    _print_table(["document", "signatories", "parties"], docs)


@app.command()
def build(
    data: Annotated[
        str, typer.Argument(help="Data folder (sources/, registry/, corrections/).")
    ] = "data",
    out_dir: OutOpt = "out",
    page: Annotated[bool, typer.Option(help="Also write graph.html.")] = True,
) -> None:
    """Build, validate and write the graph from every source document."""
    from kg.build import build_graph, write_outputs

    result = build_graph(data)
    if not result.report.conforms:
        raise ValidationError(result.report.text(), len(result.report.violations))
    paths = write_outputs(result, out_dir)
    from kg.store import OxigraphStore

    store = OxigraphStore.from_graph(result.graph)
    if page:
        from kg.viz import render_page

        paths["html"] = render_page(store, Path(out_dir) / "graph.html")
    _summary(store)
    for fmt, path in paths.items():
        out.print(f"wrote {path}  ({fmt})")
    if "html" in paths:
        out.print(f"\nOpen the page: {Path(paths['html']).resolve()}")


def _summary(store: Any) -> None:
    from kg.query import resolve_query, run_query
    from kg.stats import graph_stats

    counts = graph_stats(store)
    _print_table(list(counts), [tuple(counts.values())], "graph")
    shared = run_query(store, resolve_query("shared-commitments"), {})
    _print_table(shared.columns, shared.rows[:10], "top pairs of bodies by shared commitments")


@app.command()
def stats(
    graph: GraphArg = DEFAULT_GRAPH,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Count triples, documents, meetings, areas, commitments, organisations, people, memoranda."""
    from kg.stats import graph_stats

    counts = graph_stats(_store(graph))
    if as_json:
        sys.stdout.write(json.dumps(counts) + "\n")
    else:
        _print_table(["count", "value"], list(counts.items()))


@app.command()
def validate(graph: GraphArg = DEFAULT_GRAPH) -> None:
    """Check a graph file against the SHACL shapes of ontology/."""
    from kg.validate import load_graph_file, validate_graph

    report = validate_graph(load_graph_file(graph))
    if not report.conforms:
        raise ValidationError(report.text(), len(report.violations))
    out.print(f"{graph}: conforms to the coopkg shapes")


@app.command()
def query(
    spec: Annotated[
        str | None, typer.Argument(help="A query name, a .rq file or SPARQL text.")
    ] = None,
    graph: Annotated[
        str, typer.Option("--graph", "-g", help="Graph file or endpoint.")
    ] = DEFAULT_GRAPH,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="name=value")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json")] = "table",
    list_: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
) -> None:
    """Run a named query, a .rq file or SPARQL text, with bound parameters."""
    from kg.query import format_table, list_queries, resolve_query, run_query

    if list_:
        rows = [(q.name, q.title, ", ".join(p.name for p in q.params)) for q in list_queries()]
        _print_table(["name", "title", "params"], rows)
        return
    if spec is None:
        raise InputError(None, "give a query name, a .rq file or SPARQL text (or --list)")
    params = {}
    for item in param or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise InputError(None, f"--param {item!r}: expected name=value")
        params[name.strip()] = value
    if fmt not in ("table", "csv", "json", "tsv"):
        raise InputError(None, f"unknown format {fmt!r} (table, csv, json, tsv)")
    named = resolve_query(spec)
    table = run_query(_store(graph), named, params)
    if fmt == "table":
        _print_table(table.columns, table.rows, named.title or None)
    else:
        sys.stdout.write(format_table(table, fmt))


@app.command()
def analyze(graph: GraphArg = DEFAULT_GRAPH, out_dir: OutOpt = "out") -> None:
    """Centrality, communities, bridges and the area x body matrix (writes analysis.json, CSVs)."""
    from kg.analyze import analyze as run_analysis
    from kg.analyze import write_analysis

    result = run_analysis(_store(graph))
    paths = write_analysis(result, out_dir)
    data = result.to_json()
    top = sorted(data["centrality"].items(), key=lambda kv: -kv[1]["betweenness"])[:10]
    labels = data.get("labels", {})
    _print_table(
        ["body", "degree", "betweenness", "eigenvector"],
        [(labels.get(k, k), v["degree"], v["betweenness"], v["eigenvector"]) for k, v in top],
        "bodies by betweenness",
    )
    _print_table(
        ["community", "bodies"],
        [
            (i + 1, "; ".join(labels.get(m, m) for m in c))
            for i, c in enumerate(data["communities"])
        ],
        "communities (Louvain)",
    )
    _print_table(
        ["bridge", "jurisdiction", "partners per side"],
        [
            (b["label"], b.get("jurisdiction") or "", json.dumps(b.get("sides", {})))
            for b in data["bridges"]
        ],
        "bodies that bridge the sides",
    )
    for path in paths:
        out.print(f"wrote {path}")


@app.command()
def viz(
    graph: GraphArg = DEFAULT_GRAPH,
    out_file: Annotated[
        str, typer.Option("--out", "-o", help="The page to write.")
    ] = "out/graph.html",
    focus: Annotated[
        str | None, typer.Option(help="A body's name, alias or IRI: its ego network.")
    ] = None,
    depth: Annotated[int, typer.Option(help="Steps from the focus body (1 or 2).")] = 1,
    view: Annotated[
        str, typer.Option(help="full, or shared (bodies weighted by shared commitments).")
    ] = "full",
) -> None:
    """Write the interactive page (offline: its JavaScript is embedded)."""
    from kg.viz import render_page

    if view not in ("full", "shared"):
        raise InputError(None, f"unknown view {view!r} (full, shared)")
    path = render_page(_store(graph), Path(out_file), focus=focus, depth=depth, view=view)
    out.print(f"wrote {path}\nOpen the page: {Path(path).resolve()}")


@app.command()
def export(graph: GraphArg = DEFAULT_GRAPH, out_dir: OutOpt = "out") -> None:
    """Write GraphML and GEXF (for Gephi), N-Triples and CSV tables."""
    from kg.export import export_all

    for path in export_all(_store(graph), graph, out_dir):
        out.print(f"wrote {path}")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; library errors become one line on stderr and exit status 2."""
    try:
        app(args=argv, standalone_mode=False)
    except ValidationError as exc:
        sys.stderr.write(exc.report.rstrip() + "\n")
        sys.stderr.write(f"kg: error: {exc}\n")
        return 2
    except KgError as exc:
        sys.stderr.write(f"kg: error: {_one_line(str(exc))}\n")
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        sys.stderr.write("kg: aborted\n")
        return 1
    except Exception as exc:  # click's usage errors
        import click

        if isinstance(exc, click.ClickException):
            sys.stderr.write(f"kg: error: {_one_line(exc.format_message())}\n")
            return 2
        raise
    return 0


def _one_line(text: str) -> str:
    return " ".join(text.split())


if __name__ == "__main__":
    sys.exit(main())
