"""`kg push` into real stores (Oxigraph server, Virtuoso), and commands reading them back."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import threading
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from kg.build import build_graph, write_outputs
from kg.cli import main
from kg.endpoint import EndpointStore
from kg.push import GRAPH_PREFIX, Auth, Target, push, read_named_graphs
from kg.query import bound_text, list_queries, run_query
from kg.stats import graph_stats
from kg.store import open_store

pytestmark = pytest.mark.server
ROOT = Path(__file__).resolve().parents[1]
AUTH_VAR = "COOPKG_TEST_STORE_AUTH"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The seed corpus built once: graph.ttl (the union) and graph.nq (named graphs)."""
    out = tmp_path_factory.mktemp("built")
    result = build_graph(ROOT / "data")
    write_outputs(result, out, ("ttl", "nq"))
    return out


@pytest.fixture(params=["oxigraph", "virtuoso"])
def store(request, built):
    running = request.getfixturevalue(f"{request.param}_store")
    _push_cli(running, built / "graph.nq")
    return running


def _target(running, **kw) -> Target:
    auth = Auth(*running.auth.split(":", 1)) if running.auth else None
    return Target(running.query, running.update, running.graph_store, auth, **kw)


def _push_cli(running, nq: Path, *extra: str) -> int:
    args = ["push", str(nq), "--endpoint", running.query, "--update", running.update]
    args += ["--graph-store", running.graph_store, *extra]
    if running.auth:
        os.environ[AUTH_VAR] = running.auth
        args += ["--auth-env", AUTH_VAR]
    return main(args)


def _rows(table, ordered: bool = False) -> list[tuple]:
    """Rows as tuples of values, numbers as numbers (Decimal, int, float alike); sorted
    unless `ordered` (the query's ORDER BY is compared too)."""

    def value(v):
        if isinstance(v, bool):
            return int(v)
        if isinstance(v, int | float | Decimal):
            return round(float(v), 9)
        return "" if v is None else str(v)

    rows = [tuple(value(v) for v in row) for row in table.rows]
    return rows if ordered else sorted(rows)


def _params(named, local) -> dict[str, str]:
    """A body with commitments for each required parameter: its IRI for a resource page's
    queries, else its label."""
    body = next(b for b in run_query(local, "bodies").dicts() if b["commitments"])
    return {
        p.name: str(body["body" if p.name == "resource" else "label"])
        for p in named.params
        if p.required
    }


# plenary-diff: one meeting per mechanism, nothing to compare; resource-quotes: the body
# given as the resource is stated by no span of its own.
NO_ROWS_ON_THE_SEED = {"plenary-diff", "resource-quotes"}


def test_every_named_query_gives_the_same_rows_from_the_store(store, built, capsys):
    local = open_store(built / "graph.ttl")
    remote = EndpointStore(store.query, timeout=30)
    for named in list_queries():
        params = _params(named, local)
        want = run_query(local, named, params)
        got = run_query(remote, named, params)
        assert got.columns == want.columns, named.name
        # In order where the query sorts: Virtuoso 7.2.5 sorts a long string literal by its
        # first characters only, so the named queries sort labels by STR(?label).
        ordered = "\nORDER BY" in named.text
        assert _rows(got, ordered) == _rows(want, ordered), named.name
        assert len(want) > 0 or named.name in NO_ROWS_ON_THE_SEED, named.name
    assert len(list_queries()) >= 28  # internal page-* queries included
    # The dataset is the coopkg graphs: no Virtuoso system triples among the distinct ones.
    assert graph_stats(remote)["triples"] == 1483


def test_repush_is_idempotent_and_checked_per_graph(store, built):
    graphs = read_named_graphs(built / "graph.nq")
    first = push(graphs, _target(store))
    again = push(graphs, _target(store), batch=100)  # batches: PUT, then appends
    assert first.stored == again.stored == first.sent
    assert first.sent == {
        GRAPH_PREFIX + "000_e2277f15603da9c5": 224,
        GRAPH_PREFIX + "004_938a3d0296569c86": 1219,
        GRAPH_PREFIX + "registry": 184,
    }
    assert again.requests > first.requests
    stats = EndpointStore(store.query).select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert stats.rows == [(1627,)]  # a triple in two graphs is two quads


def test_update_protocol_replaces_a_changed_document_and_prune_drops_the_old(store, built):
    graphs = read_named_graphs(built / "graph.nq")
    doc = GRAPH_PREFIX + "000_e2277f15603da9c5"
    old = GRAPH_PREFIX + "999_gone"
    changed = dict(graphs)
    changed[doc] = graphs[doc][:200]
    changed[old] = graphs[doc][:3]
    target = _target(store)
    target.graph_store = None  # SPARQL Update: DROP + INSERT DATA
    result = push(changed, target, batch=64)
    assert result.protocol == "update"
    assert result.stored[doc] == 200 and result.stored[old] == 3
    kept = push(graphs, _target(store))
    assert kept.kept == [old] and kept.pruned == []
    assert _push_cli(store, built / "graph.nq", "--prune") == 0
    remote = EndpointStore(store.query)
    assert str(old) not in remote._dataset(10)
    assert remote.graphs == sorted(graphs)


def test_wrong_password_is_one_line_exit_2(virtuoso_store, built, capsys):
    os.environ[AUTH_VAR] = "dba:not-the-password"
    args = ["push", str(built / "graph.nq"), "--endpoint", virtuoso_store.query]
    args += ["--graph-store", virtuoso_store.graph_store, "--auth-env", AUTH_VAR]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "HTTP 401: the store refused the credentials" in err
    assert "not-the-password" not in err


def test_an_endpoint_that_drops_connections_is_retried_then_one_line(built, capsys):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []

    def drop() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(conn)
            conn.recv(65536)
            conn.close()  # no answer: "Remote end closed connection"

    threading.Thread(target=drop, daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        code = main(
            [
                "push",
                str(built / "graph.nq"),
                "--endpoint",
                url + "/sparql",
                "--graph-store",
                url + "/store",
                "--retries",
                "2",
                "--timeout",
                "5",
            ]
        )
    finally:
        listener.close()
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and url in err and "(after 3 tries)" in err
    assert len(accepted) == 3


def test_a_file_without_named_graphs_is_refused(built, capsys):
    assert main(["push", str(built / "graph.ttl"), "--endpoint", "http://127.0.0.1:9/"]) == 2
    assert "has no named graphs" in capsys.readouterr().err


def test_commands_read_a_store_as_they_read_the_file(store, built, tmp_path, capsys):
    sparql = f"sparql:{store.query}"
    assert main(["stats", str(built / "graph.ttl"), "--json"]) == 0
    want = json.loads(capsys.readouterr().out)
    assert main(["stats", "--store", sparql, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == want
    assert main(["query", "documents", "--store", sparql, "-f", "csv"]) == 0
    assert capsys.readouterr().out.count("\n") == 3
    construct = "CONSTRUCT { ?d ?p ?o } WHERE { ?d a coop:SourceDocument ; ?p ?o }"
    triples = []
    for graph in (str(built / "graph.ttl"), sparql):  # CONSTRUCT through the endpoint too
        assert main(["query", construct, "--graph", graph, "-f", "nt"]) == 0
        triples.append(sorted(capsys.readouterr().out.splitlines()))
    assert triples[0] == triples[1] and len(triples[0]) == 12
    for name, graph in (("local", str(built / "graph.ttl")), ("store", sparql)):
        assert main(["analyze", graph, "--out", str(tmp_path / name)]) == 0
        assert main(["export", graph, "--out", str(tmp_path / name / "x")]) == 0
    capsys.readouterr()
    files = sorted(p.relative_to(tmp_path / "local") for p in (tmp_path / "local").rglob("*"))
    assert len([f for f in files if f.parent.name == "x"]) == 9  # every export file
    for file in files:
        local, remote = tmp_path / "local" / file, tmp_path / "store" / file
        if local.is_file():
            assert local.read_bytes() == remote.read_bytes(), file


ACCEPT = {
    "application/sparql-results+json": lambda b: len(json.loads(b)["results"]["bindings"]),
    "application/sparql-results+xml": lambda b: b.count(b"<result>") + b.count(b"<result "),
    "text/csv": lambda b: len(list(csv.reader(io.StringIO(b.decode())))) - 1,
    "text/tab-separated-values": lambda b: len(b.decode().rstrip("\n").split("\n")) - 1,
}


def test_sparqlwrapper_and_each_accept_type_after_push(store, built):
    """What a user's own client sees: SPARQLWrapper and a plain POST with each Accept type
    give every named query's rows from the store (the TSV count holds: no value of the
    seed graph spans lines)."""
    local = open_store(built / "graph.ttl")
    wrapper = SPARQLWrapper(store.query)
    wrapper.setReturnFormat(JSON)
    wrapper.setTimeout(30)
    checked = 0
    for named in list_queries():
        params = _params(named, local)
        want = len(run_query(local, named, params))
        text = bound_text(named, params)
        wrapper.setQuery(text)  # headers included (test_query: none reads as an update)
        answer = wrapper.queryAndConvert()
        assert len(answer["results"]["bindings"]) == want, named.name
        for media, count in ACCEPT.items():
            request = urllib.request.Request(
                store.query,
                data=urllib.parse.urlencode({"query": text}).encode(),
                headers={"Accept": media, "Content-Type": "application/x-www-form-urlencoded"},
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status == 200
                assert count(response.read()) == want, (named.name, media)
        checked += 1
    assert checked >= 26
