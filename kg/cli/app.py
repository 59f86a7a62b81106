"""The `kg` command group, its shared arguments, and the store a GRAPH argument opens."""

from __future__ import annotations

import functools
import os
from typing import Any

import click

DEFAULT_STORE = "out/store"  # the store folder `kg build` writes: opened without parsing
DEFAULT_FILE = "out/graph.ttl"
DEFAULT_SHOWN = f"{DEFAULT_STORE} if it exists, else {DEFAULT_FILE}"


def default_graph() -> str:
    """The graph a command reads when given none: the build's store, else its Turtle."""
    return DEFAULT_STORE if os.path.isdir(DEFAULT_STORE) else DEFAULT_FILE


# The name older callers import; the default itself is chosen when a command runs.
DEFAULT_GRAPH = DEFAULT_FILE


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coopkg", prog_name="kg")
def app() -> None:
    """coopkg: a knowledge graph of co-operation frameworks' parties and commitments."""


def graph_argument(f: Any) -> Any:
    """GRAPH: a store folder (out/store), a graph file (.ttl, .nt, .nq, .jsonld) or a SPARQL
    endpoint (sparql:URL or an http(s) URL); `--store` names the same thing as an option."""
    return click.argument("graph", default=None, required=False, metavar="[GRAPH]")(store_option(f))


def store_option(f: Any) -> Any:
    """`--store LOCATION`: the command's graph (its GRAPH or --graph) given as an option."""

    @functools.wraps(f)
    def run(*args: Any, store: str | None = None, **kwargs: Any) -> Any:
        if store is not None:
            if kwargs.get("graph") is not None:
                raise click.UsageError("give the graph once: GRAPH (or --graph) or --store")
            kwargs["graph"] = store
        if "graph" in kwargs and kwargs["graph"] is None:
            kwargs["graph"] = default_graph()
        return f(*args, **kwargs)

    return click.option(
        "--store",
        metavar="LOCATION",
        help="Where the graph is: a store folder (out/store), a graph file, or sparql:URL "
        f"for a SPARQL endpoint (a store `kg push` loaded). Default: {DEFAULT_SHOWN}.",
    )(run)


def out_option(f: Any) -> Any:
    return click.option(
        "--out", "-o", "out_dir", default="out", show_default=True, help="Output folder."
    )(f)


def _store(graph: str) -> Any:
    from kg.store import open_store

    return open_store(graph)


@app.group()
def registry() -> None:
    """Work on the curated registry of bodies."""
