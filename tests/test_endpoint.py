"""A real SPARQL server (Oxigraph's, from PyPI) behind the same Store interface."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kg.query import list_queries, run_query
from kg.sparql_values import with_values
from kg.store import IRI, EndpointStore, QueryError, open_store

MINI = Path(__file__).parent / "fixtures" / "mini.ttl"
pytestmark = pytest.mark.server


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.fail("the oxigraph server is a test dependency: pip install -e '.[test]'")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    exe = _oxigraph()
    location = tmp_path_factory.mktemp("oxigraph")
    subprocess.run(
        [exe, "load", "--location", str(location), "--file", str(MINI)],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [exe, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("the oxigraph server did not start")
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_endpoint_answers_every_named_query_as_the_local_store(endpoint):
    local = open_store(MINI)
    remote = EndpointStore(endpoint)
    assert len(remote) == len(local) == 209
    for named in list_queries():
        params = {p.name: "Beta Commerce Commission" for p in named.params if p.required}
        want = run_query(local, named, params)
        got = run_query(remote, named, params)
        assert got.columns == want.columns, named.name
        assert sorted(map(repr, got.rows)) == sorted(map(repr, want.rows)), named.name


def test_endpoint_binds_parameters_as_terms(endpoint):
    remote = EndpointStore(endpoint)
    query = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?b WHERE { ?b rdfs:label ?label FILTER(STR(?label) = ?name) }"""
    assert len(remote.select(query, {"name": "Alpha Exchange"})) == 1
    assert len(remote.select(query, {"name": 'x" || true || "'})) == 0


def test_endpoint_reports_malformed_sparql(endpoint):
    with pytest.raises(QueryError, match="malformed SPARQL"):
        EndpointStore(endpoint).select("SELECT ?x WHERE {")


# Parameters bound by a VALUES block in the WHERE group (kg.sparql_values): the query
# forms whose first "{" is not that group, and braces or the word WHERE in comments,
# strings and IRIs. Each is checked against the same text with the IRI written in.
BODY = "https://w3id.org/coopkg/id/body/beta-commerce-commission"
P = "PREFIX coop: <https://w3id.org/coopkg/ontology#>\n"
BOUND_FORMS = {
    "construct template and WHERE": (
        P + 'CONSTRUCT { ?c coop:involves ?body ; coop:note "{ WHERE }" } '
        "WHERE { ?c a coop:Commitment ; coop:involves ?body }",
        6,
    ),
    "construct without the WHERE keyword": (
        P + "CONSTRUCT { ?c coop:involves ?body } # { WHERE\n{ ?c coop:involves ?body }",
        3,
    ),
    "construct where, short form": (P + "CONSTRUCT WHERE { ?c coop:involves ?body }", 3),
    "describe with WHERE": (P + "DESCRIBE ?c WHERE { ?c coop:involves ?body }", 29),
    "select with WHERE": (
        P + "SELECT ?c (EXISTS { ?c a coop:Commitment } AS ?is) WHERE {\n"
        "  ?c coop:involves ?body FILTER(?c != <urn:x:WHERE>) }",
        3,
    ),
    "select without WHERE": (
        P + "SELECT ?where { ?where coop:involves ?body FILTER(STR(?where) != '}{') }",
        3,
    ),
    "ask": (P + "ASK { ?c coop:involves ?body }", 1),
}


@pytest.mark.parametrize("name", BOUND_FORMS)
def test_parameters_bind_in_the_where_group_of_every_query_form(endpoint, name):
    text, count = BOUND_FORMS[name]
    remote = EndpointStore(endpoint)
    written = text.replace("?body", f"<{BODY}>")
    if text.split("\n", 1)[1].startswith("ASK"):
        assert remote.ask(text, {"body": IRI(BODY)}) is remote.ask(written) is True
        return
    if "SELECT" in text:
        got = sorted(remote.select(text, {"body": IRI(BODY)}).rows)
        assert got == sorted(remote.select(written).rows)
    else:
        got = sorted(remote.iter_triples(text, {"body": IRI(BODY)})[1])
        assert got == sorted(remote.iter_triples(written)[1])
    assert len(got) == count


def test_a_query_without_a_where_group_cannot_take_parameters():
    with pytest.raises(QueryError, match="no WHERE group"):
        with_values("DESCRIBE <urn:x:a> # WHERE {", {"body": IRI(BODY)})
    assert with_values("DESCRIBE <urn:x:a>", {}) == "DESCRIBE <urn:x:a>"
