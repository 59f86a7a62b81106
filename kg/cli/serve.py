"""`kg serve`: the graph as a SPARQL 1.1 Protocol endpoint, read-only unless told otherwise."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from kg.cli.app import DEFAULT_SHOWN, app, default_graph
from kg.cli.console import _err, _one_line, _say
from kg.errors import InputError

TOKEN_VARIABLE = "COOPKG_UPDATE_TOKEN"


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


@app.command()
@click.argument("graph", default=None, required=False, metavar="[GRAPH]")
@click.option(
    "--store",
    "store_path",
    metavar="FILE",
    help=f"The store folder or graph file (as GRAPH; default {DEFAULT_SHOWN}).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=7878,
    show_default=True,
    help="Port (0: any free one).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Query worker processes (default: the cores + 2, so a slow query leaves others free).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10,
    show_default=True,
    metavar="SECONDS",
    help="Stop each query after this long; the client gets 503.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Rows (or triples) per answer; the answer says when it was cut.",
)
@click.option(
    "--cors",
    metavar="ORIGIN",
    help="Let pages from ORIGIN (e.g. https://yasgui.org) query (CORS, no credentials).",
)
@click.option(
    "--allow-update",
    is_flag=True,
    help="Accept SPARQL Update with the token as Authorization: Bearer.",
)
@click.option(
    "--update-token",
    envvar=TOKEN_VARIABLE,
    metavar="TOKEN",
    help=f"The token --allow-update asks for (or the {TOKEN_VARIABLE} environment variable).",
)
@click.option(
    "--out",
    "-o",
    "out_dir",
    default="out",
    show_default=True,
    help="Folder whose page and report are served beside the endpoint.",
)
@click.option(
    "--with-ontology",
    is_flag=True,
    help="Add the ontology and the RDFS closure as named graphs (see kg query --with-ontology).",
)
@click.option(
    "--cache",
    type=click.IntRange(min=0),
    default=64,
    show_default=True,
    metavar="MB",
    help="Keep answers already given, up to this size (0: none); an update clears them.",
)
@click.option("--verbose", "-v", is_flag=True, help="Log each request to stderr.")
def serve(
    graph: str | None,
    store_path: str | None,
    host: str,
    port: int,
    workers: int | None,
    timeout: float,
    max_rows: int,
    cors: str | None,
    allow_update: bool,
    update_token: str | None,
    out_dir: str,
    with_ontology: bool,
    cache: int,
    verbose: bool,
) -> None:
    """Serve GRAPH at /sparql (SPARQL 1.1 Protocol) until Ctrl-C.

    Each query runs in a worker process that is stopped at --timeout; answers are capped
    at --max-rows; updates are refused unless --allow-update with a token.
    """
    import signal

    from kg.query import list_queries
    from kg.query_page import QueryPage
    from kg.resource_page import iri_of_path, resource_graph, resource_html
    from kg.server import ServeConfig, SparqlServer
    from kg.store import OxigraphStore

    if graph and store_path and graph != store_path:
        raise InputError(None, "give the graph once: as GRAPH or as --store, not both")
    source = graph or store_path or default_graph()
    if "://" in source or source.startswith("sparql:"):
        raise InputError(source, "kg serve serves a graph file, not another endpoint")
    token = update_token if allow_update else None
    if allow_update and not token:
        raise InputError(None, f"--allow-update needs a token: --update-token or {TOKEN_VARIABLE}")
    store = OxigraphStore.from_file(source)
    if allow_update and store.read_only:
        raise InputError(
            source, "a store folder is served read-only: --allow-update needs a graph file"
        )
    if with_ontology:
        store.add_ontology()
    config = ServeConfig(
        host=host,
        port=port,
        workers=workers or _cores() + 2,
        timeout=timeout,
        max_rows=max_rows,
        cors=cors,
        update_token=token,
        cache_bytes=cache << 20,
        out_dir=Path(out_dir) if Path(out_dir).is_dir() else None,
        log=(lambda line: _err(_one_line(line) + "\n")) if verbose else None,
    )
    server = SparqlServer(store, config)
    server.hooks.query_page = QueryPage(list_queries())
    server.hooks.resource_html = resource_html
    server.hooks.resource_graph = resource_graph
    server.hooks.iri_of_path = iri_of_path

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    # A shell's `cmd &` starts it with Ctrl-C ignored; a server should still stop on it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if host not in ("127.0.0.1", "localhost", "::1"):
            _err(f"kg: warning: listening on {_one_line(host)}: whoever reaches it can query\n")
        _say(f"Serving {server.triples} triples at {server.url}/sparql (query page {server.url}/)")
        sys.stdout.flush()
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        server.close()
