"""`kg query`: named queries, files and SPARQL text, bounded, streamed, printed safely."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from kg.cells import terminal_safe
from kg.cli.app import DEFAULT_SHOWN, app, store_option
from kg.cli.console import (
    _print_table,
    _readable,
    _say,
    out,
)
from kg.errors import InputError

TABLE_ROWS = 100  # a terminal shows this many rows unless --limit says otherwise


@app.command()
@click.argument("spec", required=False, metavar="NAME|FILE.rq|SPARQL")
@click.option(
    "--graph",
    "-g",
    default=None,
    show_default=DEFAULT_SHOWN,
    help="Store folder, graph file or endpoint (sparql:URL).",
)
@store_option
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
            if param.choices:
                default = f"one of: {', '.join(param.choices)}; {default}"
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
