"""`kg push`: the built graph into a triple store, one named graph per document."""

from __future__ import annotations

import os
import sys
import time

import click

from kg.cli.app import app
from kg.cli.console import _err, _one_line, _print_table, _say, out
from kg.errors import InputError


@app.command()
@click.argument("graph", default="out/graph.nq", metavar="[GRAPH]")
@click.option("--endpoint", required=True, metavar="URL", help="The store's SPARQL query URL.")
@click.option(
    "--update",
    "update_url",
    metavar="URL",
    help="Its SPARQL Update URL, if not the query URL (Oxigraph: .../update).",
)
@click.option(
    "--graph-store",
    metavar="URL",
    help="Its Graph Store Protocol URL (Oxigraph: .../store); without it, SPARQL Update.",
)
@click.option(
    "--auth", metavar="USER:PASS", help="Credentials (`ps` shows them: prefer --auth-env)."
)
@click.option(
    "--auth-env",
    metavar="VAR",
    help="An environment variable holding USER:PASS (or the token, for bearer).",
)
@click.option(
    "--auth-scheme",
    type=click.Choice(["auto", "basic", "digest", "bearer"]),
    default="auto",
    show_default=True,
    help="auto answers the store's challenge (Basic or Digest).",
)
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=5000,
    show_default=True,
    metavar="TRIPLES",
    help="Triples per request.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Tries again after a reset connection, a timeout or HTTP 502/503/504.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60,
    show_default=True,
    metavar="SECONDS",
    help="Per request.",
)
@click.option(
    "--prune",
    is_flag=True,
    help="Drop the store's coopkg graphs (id:graph/...) that this push did not write.",
)
def push(
    graph: str,
    endpoint: str,
    update_url: str | None,
    graph_store: str | None,
    auth: str | None,
    auth_env: str | None,
    auth_scheme: str,
    batch: int,
    retries: int,
    timeout: float,
    prune: bool,
) -> None:
    """Load the graph's named graphs (out/graph.nq) into a SPARQL store, replacing each.

    A re-push replaces each document's graph (never duplicates it) and then checks that
    the store holds as many triples per graph as were sent.
    """
    from kg.push import Target, push, read_named_graphs

    credentials = _credentials(auth, auth_env, auth_scheme)
    target = Target(endpoint, update_url, graph_store, credentials, timeout, retries)
    graphs = read_named_graphs(graph)
    started = time.perf_counter()
    if out.is_terminal and sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(console=out, transient=True) as bar:
            task = bar.add_task("pushing", total=sum(map(len, graphs.values())))
            result = push(
                graphs, target, batch, prune, lambda done, _: bar.update(task, completed=done)
            )
    else:
        result = push(graphs, target, batch, prune)
    seconds = time.perf_counter() - started
    for note in result.notes:
        _err(f"kg: warning: {_one_line(note)}\n")
    _print_table(
        ["graph", "sent", "in the store"],
        [(g, n, result.stored.get(g, 0)) for g, n in result.sent.items()],
        f"Pushed by {result.protocol} to {endpoint}",
    )
    for g in result.pruned:
        _say(f"dropped {g} (--prune)")
    if result.kept:
        _say(f"kept {len(result.kept)} graph(s) this push did not write (--prune drops them)")
    _say(
        f"{result.triples} triples in {len(result.sent)} graphs, {result.requests} requests"
        f" ({result.retries} retried), {seconds:.2f} s; the store holds what was sent"
    )


def _credentials(auth: str | None, auth_env: str | None, scheme: str) -> object | None:
    from kg.push import Auth

    if auth and auth_env:
        raise InputError(None, "give --auth or --auth-env, not both")
    value = auth
    if auth_env:
        value = os.environ.get(auth_env)
        if not value:
            raise InputError(None, f"--auth-env {auth_env}: the variable is not set")
    if value is None:
        return None
    if scheme == "bearer":
        return Auth("", value, "bearer")
    user, sep, secret = value.partition(":")
    if not sep:  # the value itself is never shown
        raise InputError(None, "the credentials must read USER:PASS")
    return Auth(user, secret, scheme)
