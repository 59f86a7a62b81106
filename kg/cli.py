"""The `kg` command: a thin layer that reads argv, calls the library, prints and exits.

Heavy modules are imported inside each command so that `kg extract` starts quickly.
"""

from __future__ import annotations

import json
import logging
import sys
import warnings
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table as RichTable

from kg.cells import terminal_safe
from kg.errors import InputError, KgError, OutputError, ValidationError

# Everything this module prints goes through terminal_safe (kg.cells): document text,
# file names and arguments may hold ESC sequences, carriage returns or bidi overrides.
out = Console(highlight=False, soft_wrap=True)
DEFAULT_GRAPH = "out/graph.ttl"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coopkg", prog_name="kg")
def app() -> None:
    """coopkg: a knowledge graph of co-operation frameworks' parties and commitments."""


def graph_argument(f: Any) -> Any:
    """GRAPH: a graph file (.ttl, .nt, .nq, .jsonld) or an http(s) SPARQL endpoint."""
    return click.argument("graph", default=DEFAULT_GRAPH, metavar="[GRAPH]")(f)


def out_option(f: Any) -> Any:
    return click.option(
        "--out", "-o", "out_dir", default="out", show_default=True, help="Output folder."
    )(f)


def _store(graph: str) -> Any:
    from kg.store import open_store

    return open_store(graph)


def _print_table(columns: list[str], rows: list[tuple[Any, ...]], title: str | None = None) -> None:
    table = RichTable(title=_cell(title) if title else None, title_justify="left")
    for column in columns:
        table.add_column(_cell(column), overflow="fold")
    for row in rows:
        # Document text may hold [brackets]: print it as text, never as rich markup.
        table.add_row(*(_cell(v) for v in row))
    out.print(table)


def _readable(
    columns: list[str], rows: list[tuple[Any, ...]], hidden: set[str]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """For the terminal: every column but those in `hidden`, IRIs as prefixed names.

    `hidden` is the echo of a named query's bound parameters (the same value on every
    row); a column the user's own SELECT names always shows.
    """
    from kg.namespace import curie
    from kg.store import IRI

    keep = [i for i, name in enumerate(columns) if name not in hidden] or list(range(len(columns)))

    def short(value: Any) -> Any:
        return curie(value) if isinstance(value, IRI) else value

    return [columns[i] for i in keep], [tuple(short(r[i]) for i in keep) for r in rows]


def _cell(value: Any) -> Any:
    """One line of text for the terminal, never read as rich markup, with no control
    character in it (a newline in document text is shown as a space)."""
    from rich.text import Text

    return Text("" if value is None else terminal_safe(str(value)))


def _say(text: str) -> None:
    """Print one line to stdout (no markup, no control characters)."""
    out.print(_cell(text))


def _err(text: str) -> None:
    """Write to stderr; `text` may hold the program's own newlines, nothing else."""
    sys.stderr.write(terminal_safe(text, keep="\n"))


@app.command()
@click.argument("file")
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object (the schema of docs/DESIGN.md)."
)
@click.option(
    "--data", default="data", show_default=True, help="Data folder with registry/, corrections/."
)
def extract(file: str, as_json: bool, data: str) -> None:
    """Show what one document FILE yields, before it joins the graph."""
    from kg.build import extract_path

    result = extract_path(file, data).to_json()
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    src, ev = result["source"], result["event"]
    out.print(_cell(f"{src['title'] or src['path']}  {src['date'] or ''}"))
    if ev:
        out.print(_cell(f"event: {ev['label']} ({ev['date']}, {ev['place']})"))
    stated = result["stated_area_count"]
    _say(f"areas: {len(result['areas'])}" + (f" (the text states {stated})" if stated else ""))
    rows = [
        (c["area"] or "", ", ".join(c["verbs"]), "; ".join(c["bodies"]), c["text"][:70] + "…")
        for c in result["commitments"]
    ]
    if not rows:
        _say("commitments: 0")
    _print_section(["area", "verbs", "bodies", "text"], rows, f"{len(rows)} commitments")
    # The other tables only when the JSON holds something for them: an analysis has
    # statements and no commitments, a release may name groups and no organisation.
    orgs = [
        (o["label"], o["kind"], o["jurisdiction"] or "", "yes" if o["known"] else "NEW")
        for o in result["organizations"]
    ]
    _print_section(["organisation", "kind", "jurisdiction", "in registry"], orgs)
    groups = [
        (g["label"], g["jurisdiction"] or "", "yes" if g["known"] else "NEW")
        for g in result.get("groups", [])
    ]
    _print_section(["generic group", "jurisdiction", "in registry"], groups)
    people = [(p["name"], "; ".join(p["posts"])) for p in result["people"]]
    _print_section(["person", "posts"], people)
    docs = [
        (d["title"], "; ".join(d["signatories"]), "; ".join(d["parties"]))
        for d in result["documents"]
    ]
    _print_section(["document", "signatories", "parties"], docs)
    statements = [
        (
            st["kind"],
            st["label"],
            "; ".join(st["jurisdictions"]),
            st["offered_by"] or "",
            "; ".join(str(o) for o in st["offers"]),
            f"{st['start']}–{st['end']}",
        )
        for st in result.get("statements", [])
    ]
    _print_section(
        ["statement", "about", "jurisdictions", "offered by", "offers", "offsets"],
        statements,
        f"{len(statements)} statements",
    )


def _print_section(columns: list[str], rows: list[tuple[Any, ...]], title: str = "") -> None:
    if rows:
        _print_table(columns, rows, title or None)


@app.command()
@click.argument("data", default="data")
@out_option
@click.option("--page/--no-page", default=True, show_default=True, help="Also write graph.html.")
@click.option(
    "--strict",
    is_flag=True,
    help="For CI: exit 1 and write nothing if any document is left out.",
)
@click.option("--verbose", "-v", is_flag=True, help="List every warning and every reason in full.")
def build(data: str, out_dir: str, page: bool, strict: bool, verbose: bool) -> None:
    """Build, validate (SHACL) and write the graph from every document in DATA/sources.

    A document that cannot be read or whose records break a shape is left out and
    reported (its file, the record, the quote it came from, the rule); the rest builds.
    """
    from kg.build import build_graph, write_outputs
    from kg.outset import OutputSet, check_target
    from kg.problem import explain
    from kg.store import OxigraphStore

    # Before the work, not after it: the next build would read outputs in sources/.
    check_target(out_dir, inside=[Path(data) / "sources"], containing=[data])
    result = build_graph(data)
    for path, why in result.skipped:
        _err(_one_line(f"kg: warning: skipped {path}: {why}") + "\n")
    for gone in result.left_out:
        _print_left_out(gone.path, gone.reasons, verbose)
    if not result.report.conforms:
        # Violations no document accounts for (the registry's own graph): nothing builds.
        found = explain((v for v in result.report.violations if v.severity == "Violation"),
                        result.graph)  # fmt: skip
        raise ValidationError("\n".join(_safe(f).text() for f in found), result.report.count)
    if not result.extractions or (strict and result.left_out):
        why = "--strict" if result.extractions else "no document is left"
        _err(f"kg: error: {result.summary()} ({why}): nothing written\n")
        raise click.exceptions.Exit(1)
    store = OxigraphStore.from_graph(result.graph)
    # The graph files and the page are one set: swapped into out_dir together, or not at all.
    outputs = OutputSet(out_dir, "build", supersede=True)
    with outputs as stage:
        paths = write_outputs(result, stage)
        if page:
            from kg.viz import render_page

            paths["html"] = render_page(store, stage / "graph.html", sources=Path(data) / "sources")
    paths = {k: outputs.final(p) for k, p in paths.items()}
    _say(result.summary() + (f" ({len(result.left_out)} left out)" if result.left_out else ""))
    _summary(store)
    _print_warnings(result.warnings, verbose, "kg build --verbose")
    for path in paths.values():
        _say(f"wrote {path}")
    if "html" in paths:
        out.print()
        _say(f"Open the page: {Path(paths['html']).resolve()}")


def _worded(finding: Any) -> str:
    """A finding with the document it is in, when the graph says."""
    finding = _safe(finding)
    return (f"document {finding.document}: " if finding.document else "") + finding.text()


def _safe(finding: Any) -> Any:
    """A finding whose words from documents (labels, values, the quote) hold no control
    character, so that the only line breaks in its text are the ones `text()` puts."""
    from dataclasses import replace

    def clean(value: str | None) -> str | None:
        return None if value is None else terminal_safe(value)

    return replace(
        finding,
        record=terminal_safe(finding.record),
        value=clean(finding.value),
        quote=clean(finding.quote),
        document=clean(finding.document),
    )


_SHOWN = 5  # reasons shown per document left out, without --verbose


def _print_left_out(path: str, reasons: tuple[str, ...], verbose: bool) -> None:
    shown = reasons if verbose else reasons[:_SHOWN]
    _err(f"kg: left out {terminal_safe(path)}:\n")
    for reason in shown:
        # Only "\n" breaks a line: str.splitlines would also break at a form feed or U+2028.
        _err("".join(f"  {terminal_safe(line)}\n" for line in reason.split("\n")))
    if len(shown) < len(reasons):
        _err(f"  ... and {len(reasons) - len(shown)} more (--verbose lists them)\n")


def _print_warnings(warnings: list[Any], verbose: bool, how: str) -> None:
    """Warnings counted by kind; each one in full with `verbose`."""
    from kg.problem import count_by_kind

    if not warnings:
        return
    if verbose:
        _say(f"Warnings ({len(warnings)}):")
        for finding in sorted(warnings, key=lambda f: (f.kind, f.document or "", f.record)):
            for line in _worded(finding).split("\n"):
                _say(f"  {line}")
        return
    _say(f"Warnings ({how} lists each):")
    for count, kind in count_by_kind(warnings):
        _say(f"  {count:>4}  {kind}")


def _summary(store: Any) -> None:
    from kg.query import resolve_query, run_query
    from kg.stats import body_breakdown, breakdown_text, graph_stats

    counts: dict[str, Any] = dict(graph_stats(store))
    counts["organizations"] = breakdown_text(body_breakdown(store))
    _print_table(list(counts), [tuple(counts.values())], "The graph")
    shared = run_query(store, resolve_query("shared-commitments"), {}).dicts()
    rows = [(r["label_a"], r["label_b"], r["shared"], r["basis"], r["areas"]) for r in shared[:10]]
    _print_table(
        ["body", "body", "shared", "basis", "areas"],
        rows,
        "Top pairs by shared commitments (pairs the text states first, then co-mentions)",
    )


@app.command()
@graph_argument
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def stats(graph: str, as_json: bool) -> None:
    """Count triples, documents, meetings, areas, commitments, organisations, people, memoranda."""
    from kg.stats import body_breakdown, breakdown_text, graph_stats

    store = _store(graph)
    counts = graph_stats(store)
    if as_json:
        sys.stdout.write(json.dumps(counts) + "\n")
        return
    # The JSON keeps docs/DESIGN.md's keys; the table adds the breakdown of the bodies.
    bodies = body_breakdown(store)
    rows: list[tuple[Any, ...]] = []
    for key, value in counts.items():
        if key == "organizations":
            rows.append((key, breakdown_text(bodies)))
            rows.append(("programmes and events", bodies["programmes_events"]))
        else:
            rows.append((key, value))
    _print_table(["count", "value"], rows)


@app.command()
@graph_argument
@click.option("--verbose", "-v", is_flag=True, help="List every warning.")
def validate(graph: str, verbose: bool) -> None:
    """Check a graph file against the SHACL shapes of ontology/, reported in words."""
    from kg.problem import explain
    from kg.store import RdflibStore
    from kg.validate import validate_graph

    if graph.startswith(("http://", "https://")):
        raise InputError(graph, "validate reads a graph file, not an endpoint")
    data = RdflibStore.from_file(graph).graph
    report = validate_graph(data)
    findings = explain(report.violations, data)
    if report.conforms:
        _say(f"{graph}: conforms to the coopkg shapes")
    _print_warnings([f for f in findings if f.severity == "Warning"], verbose, "--verbose")
    if not report.conforms:
        lines = [_worded(f) for f in findings if f.severity == "Violation"]
        raise ValidationError("\n".join(lines), report.count)


TABLE_ROWS = 100  # a terminal shows this many rows unless --limit says otherwise


@app.command()
@click.argument("spec", required=False, metavar="NAME|FILE.rq|SPARQL")
@click.option(
    "--graph", "-g", default=DEFAULT_GRAPH, show_default=True, help="Graph file or endpoint URL."
)
@click.option("--param", "-p", multiple=True, metavar="NAME=VALUE", help="Bind a parameter.")
@click.option(
    "--format",
    "-f",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "csv", "json", "tsv", "turtle", "nt", "jsonld"]),
    help="table for SELECT and ASK, turtle for CONSTRUCT and DESCRIBE; json for ASK "
    'gives {"boolean": ...}; nt and jsonld for a graph.',
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=60,
    show_default=True,
    metavar="SECONDS",
    help="Stop the query after this long (0: no limit).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    metavar="N",
    help=f"Rows to show: default {TABLE_ROWS} for the table, all for csv/json/tsv.",
)
@click.option(
    "--allow-service", is_flag=True, help="Let SERVICE clauses send requests (refused otherwise)."
)
@click.option(
    "--max-response",
    type=click.IntRange(min=1),
    default=256,
    show_default=True,
    metavar="MB",
    help="Largest answer accepted from an endpoint.",
)
@click.option(
    "--with-ontology",
    is_flag=True,
    help="Add the ontology and the RDFS closure of types and properties, as the named "
    "graphs id:graph/ontology and id:graph/inferred (a graph file only).",
)
@click.option("--list", "list_", is_flag=True, help="List the named queries.")
def query(
    spec: str | None,
    graph: str,
    param: tuple[str, ...],
    fmt: str,
    timeout: float,
    limit: int | None,
    allow_service: bool,
    max_response: int,
    with_ontology: bool,
    list_: bool,
) -> None:
    """Run a named query, a .rq file or SPARQL text, with bound parameters.

    Rows are streamed as the engine finds them; the query runs in a child process that
    is stopped at --timeout or on Ctrl-C, leaving the graph as it was.
    """
    from kg.query import list_queries, open_result, resolve_query
    from kg.store import open_store

    if list_:
        _print_list([q for q in list_queries() if not q.internal])
        return
    if spec is None:
        raise InputError(None, "give a query name, a .rq file or SPARQL text (or --list)")
    params = {}
    for item in param:
        name, sep, value = item.partition("=")
        if not sep:
            raise InputError(None, f"--param {item!r}: expected NAME=VALUE")
        params[name.strip()] = value
    named = resolve_query(spec)
    store = open_store(graph, timeout=timeout or None, max_bytes=max_response << 20)
    if with_ontology:
        if not hasattr(store, "add_ontology"):
            raise InputError(graph, "--with-ontology needs a graph file, not an endpoint")
        store.add_ontology()
    shown = TABLE_ROWS if limit is None and fmt == "table" else limit
    try:
        result = open_result(store, named, params, timeout or None, allow_service, isolate=True)
        try:
            _print_result(result, fmt, shown, named)
        finally:
            close = getattr(result.rows, "close", None)
            if close is not None:
                close()
    except KeyboardInterrupt:
        raise _Interrupted from None


def _print_result(result: Any, fmt: str, shown: int | None, named: Any) -> None:
    if result.form == "ASK":
        answer = bool(next(result.rows)[0])
        if fmt == "json":
            sys.stdout.write(json.dumps({"boolean": answer}) + "\n")
        elif fmt in ("csv", "tsv"):
            _write_capped(["boolean"], iter([(answer,)]), None, fmt)
        else:
            sys.stdout.write("true\n" if answer else "false\n")
        return
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        if fmt in ("csv", "tsv"):
            _write_capped(result.columns, result.rows, shown, fmt)
            return
        from kg.graph_text import write_graph

        graph_fmt = {"table": "turtle", "json": "jsonld"}.get(fmt, fmt)
        stream: Any = _TerminalSafe(sys.stdout, "nt") if sys.stdout.isatty() else sys.stdout
        write_graph(result.rows, graph_fmt, stream)
        return
    if fmt in ("turtle", "nt", "jsonld"):
        raise InputError(None, f"--format {fmt} is for CONSTRUCT and DESCRIBE; a SELECT gives rows")
    if fmt == "table":
        # The echo of a named query's bound parameters is the same on every row.
        hidden = {p.name for p in named.params} if named.packaged else set()
        _print_capped(result.columns, result.rows, shown, hidden, named.title)
    else:
        _write_capped(result.columns, result.rows, shown, fmt)


def _print_list(queries: list[Any]) -> None:
    """Name and title, then the description and parameters, wrapped and indented."""
    import textwrap

    for index, named in enumerate(queries):
        if index:
            _say("")
        _say(f"{named.name} — {named.title}")
        for line in textwrap.wrap(named.description, 88):
            _say(f"    {line}")
        for param in named.params:
            default = f"default: {param.default}" if param.default else "optional"
            default = "required" if param.required else default
            _say(f"    -p {param.name}=…  {param.description} ({default})")


class _Interrupted(Exception):
    """Ctrl-C during a query: the child is stopped, main() says so in one line."""


def _print_capped(
    columns: list[str], rows: Any, shown: int | None, params: set[str], title: str
) -> None:
    from itertools import islice

    kept = list(rows if shown is None else islice(rows, shown + 1))
    more = shown is not None and len(kept) > shown
    columns, kept = _readable(columns, kept[:shown] if more else kept, params)
    if len(columns) * _NARROWEST > out.width:
        _print_records(columns, kept, title or None)
    else:
        _print_table(columns, kept, title or None)
    if more:
        _say(f"showing {shown} of at least {shown + 1} rows; use --limit or --format csv")


_NARROWEST = 12  # below this a column folds its header letter by letter


def _print_records(columns: list[str], rows: list[tuple[Any, ...]], title: str | None) -> None:
    """Too many columns for the screen: one block per row, one line per column."""
    if title:
        _say(title)
    width = max(len(c) for c in columns)
    for number, row in enumerate(rows, 1):
        _say(f"--- row {number} ---")
        for column, value in zip(columns, row, strict=True):
            _say(f"{column.ljust(width)}  {'' if value is None else value}")


def _write_capped(columns: list[str], rows: Any, shown: int | None, fmt: str) -> None:
    from itertools import islice

    from kg.query import write_rows

    # CSV is data and files keep it exact; a terminal gets no control characters.
    stream: Any = _TerminalSafe(sys.stdout, fmt) if sys.stdout.isatty() else sys.stdout
    try:
        write_rows(columns, rows if shown is None else islice(rows, shown), fmt, stream)
        sys.stdout.flush()
    except BrokenPipeError:
        # `kg query ... | head`: the reader has what it wanted. Point stdout at nothing so
        # that Python's final flush does not fail again.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


class _TerminalSafe:
    """A text stream that writes to `stream` what `terminal_safe` keeps of it."""

    def __init__(self, stream: Any, fmt: str) -> None:
        self.stream = stream
        self.keep = "\n\t" if fmt == "tsv" else "\n"

    def write(self, text: str) -> int:
        return self.stream.write(terminal_safe(text, keep=self.keep))


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
        f"Bodies by betweenness (projection weighted by shared commitments, pairs: {pairs})",
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
    """Write report.html (charts, tables, each figure's CSV beside it) and report.pdf."""
    from kg.outset import OutputSet
    from kg.report import render_report

    store = _store(graph)
    outputs = OutputSet(out_dir, "report")
    with outputs as stage:
        result = render_report(store, stage, pdf=pdf)
    for note in result.notes:
        _err(f"kg: warning: {_one_line(note)}\n")
    for path in [result.html, *result.csvs, *([result.pdf] if result.pdf else [])]:
        _say(f"wrote {outputs.final(path)}")
    out.print()
    _say(f"Open the report: {outputs.final(result.html).resolve()}")


@app.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--data", default="data", show_default=True, help="Data folder to add them to.")
@click.option("--title", help="The document's title (one file only).")
@click.option("--date", help="Its date, YYYY-MM-DD.")
@click.option("--url", help="Where it was published (one file only).")
@click.option("--publisher", help="Who published it.")
@click.option("--language", help="Its language (default en).")
@click.option("--kind", type=click.Choice(["press_release", "analysis"]), help="Its genre.")
@click.option("--place", help="Where it was issued.")
def ingest(files: tuple[str, ...], data: str, **metadata: str | None) -> None:
    """Add documents FILES to DATA/sources with their metadata (or their own sidecar)."""
    from kg.ingest import ingest as ingest_files

    for done in ingest_files(list(files), data, metadata):
        _say(f"{done.status}: {done.path}")


@app.group()
def registry() -> None:
    """Work on the curated registry of bodies."""


@registry.command()
@click.argument("data", default="data")
@click.option(
    "--out",
    "-o",
    "out_file",
    default="out/registry-suggestions.yaml",
    show_default=True,
    help="Where to write the YAML patch ('-' for stdout).",
)
def suggest(data: str, out_file: str) -> None:
    """Propose registry entries for the places and bodies the texts name and the registry
    lacks: a new partner, its government and party committee, bodies found by shape (one
    reviewable YAML patch, each entry with the sentences that justify it)."""
    from kg.outset import OutputSet, check_target
    from kg.suggest import render_suggestions, suggest_registry, write_suggestions

    target = Path(out_file)
    if out_file != "-":
        if target.is_dir():
            raise OutputError(out_file, "is a folder: give the patch's file name")
        check_target(target.parent, inside=[Path(data) / "sources"])
    found = suggest_registry(data)
    if out_file == "-":
        sys.stdout.write(render_suggestions(found))
        return
    outputs = OutputSet(target.parent, "registry suggest", loose=True)
    with outputs as stage:
        path = outputs.final(write_suggestions(found, stage / target.name))
    _say(f"{len(found)} suggested registry entries: review {path}, then copy them into")
    _say(f"{data}/registry/jurisdictions.yaml and bodies.yaml")


@app.command()
@graph_argument
@click.option("--mechanism", default="", help="The mechanism of the plenary diff (name or IRI).")
@click.option("--earlier", default="", help="The earlier plenary: ordinal or date.")
@click.option("--later", default="", help="The later plenary: ordinal or date.")
@click.option("--min", "min_mechanisms", default=2, show_default=True, help="For shared bodies.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--out", "-o", "out_dir", help="Also write compare.json and CSVs here.")
def compare(
    graph: str,
    mechanism: str,
    earlier: str,
    later: str,
    min_mechanisms: int,
    as_json: bool,
    out_dir: str | None,
) -> None:
    """Compare mechanisms and plenaries: areas x mechanisms, shared bodies, what was added."""
    from kg.compare import compare as run_compare
    from kg.compare import write_comparison

    result = run_compare(_store(graph), mechanism, earlier, later, min_mechanisms)
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        for title, table in result.tables().items():
            if title == "plenary_diff" and not table.rows and result.notes:
                continue  # the notes below say why there is nothing to diff
            _print_table(*_readable(table.columns, table.rows, set()), title.replace("_", " "))
        for note in result.notes:
            _say(f"plenary diff: {note}")
    if out_dir:
        from kg.outset import OutputSet

        outputs = OutputSet(out_dir, "compare")
        with outputs as stage:
            paths = write_comparison(result, stage)
        for path in paths:
            _say(f"wrote {outputs.final(path)}")


@app.command(name="eval")
@click.argument("docs")
@click.argument("gold")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (with misses).")
@click.option("--per-document", is_flag=True, help="Add a row per document and field.")
@click.option(
    "--data", default="data", show_default=True, help="Data folder with registry/, corrections/."
)
def eval_(docs: str, gold: str, as_json: bool, per_document: bool, data: str) -> None:
    """Score extraction of DOCS (file or folder) against GOLD: P/R/F1 per field."""
    from kg.evaluate import evaluate

    result = evaluate(docs, gold, f"{data}/registry", f"{data}/corrections")
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(terminal_safe(result.table(per_document), keep="\n") + "\n")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; library errors become one line on stderr and exit status 2."""
    args = sys.argv[1:] if argv is None else list(argv)
    if not args:  # `kg` alone: the help, as `kg --help` prints it, and success
        args = ["--help"]
    # rdflib logs a traceback for each ill-typed literal ("zz"^^xsd:date) it meets; the
    # value is still shown as written, and a graph that breaks the shapes is reported
    # by `kg validate`, so the screen gets no stack dumps.
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", category=UserWarning, module=r"rdflib\.")
    try:
        code = app.main(args=args, prog_name="kg", standalone_mode=False)
    except ValidationError as exc:
        _err(exc.report.rstrip() + "\n")
        _err(f"kg: error: {_one_line(str(exc))}\n")
        return 2
    except KgError as exc:
        _err(f"kg: error: {_one_line(str(exc))}\n")
        return 2
    except OSError as exc:  # a write or read no library function turned into KgError
        where = exc.filename if exc.filename is not None else "kg"
        _err(f"kg: error: {_one_line(f'{where}: {exc.strerror or exc}')}\n")
        return 2
    except _Interrupted:
        _err("kg: interrupted: the query was stopped (Ctrl-C)\n")
        return 130
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):
            sys.stderr.write("kg: interrupted (Ctrl-C)\n")
            return 130
        sys.stderr.write("kg: aborted\n")
        return 1
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "kg"
        _err(f"kg: error: {_one_line(exc.format_message())} (see '{_one_line(command)} --help')\n")
        return 2
    except click.ClickException as exc:
        _err(f"kg: error: {_one_line(exc.format_message())}\n")
        return 2
    except UnicodeError as exc:
        # Arguments that are not UTF-8 arrive as lone surrogates; most commands name the
        # argument themselves, the rest fail on encoding it (for an engine, a terminal).
        bad = _not_utf8(args)
        if bad is None:
            raise
        sys.stderr.write(f"kg: error: {bad} ({type(exc).__name__})\n")
        return 2
    except Exception as exc:
        # A graph that parses but breaks the shapes can trip any reader of the graph. Say
        # so in one line when that is the cause; anything else is coopkg's bug and shows.
        why = _graph_breaks_shapes(args)
        if why is None:
            raise
        _err(_one_line(f"kg: error: {why} ({type(exc).__name__}: {exc})")[:600] + "\n")
        return 2
    return code if isinstance(code, int) else 0


def _not_utf8(args: list[str]) -> str | None:
    """Arguments Python could only decode with surrogate escapes: not UTF-8 text."""
    for number, arg in enumerate(args, 1):
        if any("\ud800" <= c <= "\udfff" for c in arg):
            return (
                f"argument {number} ({ascii(arg)[:80]}) is not UTF-8 text: "
                "kg reads arguments and file names as UTF-8"
            )
    return None


def _graph_breaks_shapes(args: list[str]) -> str | None:
    """'GRAPH: breaks the shapes' when the command's graph file does not conform."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ctx = app.make_context("kg", list(args), resilient_parsing=True)
            rest = [*ctx.protected_args, *ctx.args]
            command = app.get_command(ctx, rest[0]) if rest else None
            if command is None:
                return None
            sub = command.make_context(rest[0], rest[1:], parent=ctx, resilient_parsing=True)
        graph = sub.params.get("graph")
        if not isinstance(graph, str) or graph.startswith(("http://", "https://")):
            return None
        from kg.store import RdflibStore
        from kg.validate import validate_graph

        report = validate_graph(RdflibStore.from_file(graph).graph)
    except Exception:
        return None
    if report.conforms:
        return None
    return (
        f"{graph}: the graph breaks the coopkg shapes ({report.count} violation(s); "
        f"`kg validate {graph}` lists them)"
    )


def _one_line(text: str) -> str:
    """One line with no control character (an error message may quote a document)."""
    return " ".join(terminal_safe(text).split())


if __name__ == "__main__":
    sys.exit(main())
