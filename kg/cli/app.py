"""The `kg` command group, its shared arguments, and the store a GRAPH argument opens."""

from __future__ import annotations

from typing import Any

import click

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


@app.group()
def registry() -> None:
    """Work on the curated registry of bodies."""
