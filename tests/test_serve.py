"""`kg serve` as a real subprocess: the SPARQL 1.1 Protocol, its limits and its shutdown."""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import JSON, SPARQLWrapper

from kg.endpoint import EndpointStore
from kg.query import bound_text, list_queries, run_query
from kg.sparql_text import prepare
from kg.store import OxigraphStore, open_store

MINI = Path(__file__).parent / "fixtures" / "mini.ttl"
TIMEOUT = 2.0  # the servers' --timeout, short so that the watchdog test is quick
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?o ?q }"
pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    def __init__(self, tmp: Path, *args: str) -> None:
        self.port = _free_port()
        command = [sys.executable, "-m", "kg", "serve", str(MINI), "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "--timeout", str(TIMEOUT), "--workers", "3", "--cache", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp,
        )
        self.first_line = self._first_line()
        self.url = f"http://127.0.0.1:{self.port}"

    def _first_line(self) -> str:
        box: list[str] = []
        reader = threading.Thread(target=lambda: box.append(self.process.stdout.readline()))
        reader.start()
        reader.join(20)
        if not box or not box[0]:
            self.process.kill()
            pytest.fail(f"kg serve did not start: {self.process.stderr.read()[:500]}")
        return box[0]

    def request(self, method: str, path: str, body: bytes | str | None = None, **headers: str):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT + 10)
        try:
            conn.request(method, path, body, {k.replace("_", "-"): v for k, v in headers.items()})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def query(self, text: str, accept: str = "*/*", **extra: str):
        body = urllib.parse.urlencode({"query": text, **extra})
        content = "application/x-www-form-urlencoded"
        return self.request("POST", "/sparql", body, Content_Type=content, Accept=accept)

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        try:
            _, err = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            pytest.fail("kg serve did not stop on Ctrl-C")
        return self.process.returncode, err


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    (folder / "out").mkdir()
    (folder / "out" / "graph.html").write_text("<!doctype html><title>page</title>")
    (folder / "secret.txt").write_text("not served")
    server = Served(folder, "--max-rows", "100", "--cors", "https://example.org")
    yield server
    code, err = server.stop()
    assert code == 0, err
    assert "Traceback" not in err


@pytest.fixture(scope="module")
def local():
    return OxigraphStore.from_file(MINI)


def _named_texts():
    for named in list_queries():
        params = {p.name: "Beta Commerce Commission" for p in named.params if p.required}
        yield named, params, bound_text(named, params)


def _canonical(media: str, data: bytes):
    """What a result says, whatever order its rows came in."""
    if media.endswith("json"):
        parsed = json.loads(data)
        rows = sorted(json.dumps(b, sort_keys=True) for b in parsed["results"]["bindings"])
        return parsed["head"], rows
    if media.endswith("xml"):
        ns = "{http://www.w3.org/2005/sparql-results#}"
        root = ET.fromstring(data)
        names = [v.get("name") for v in root.iter(ns + "variable")]
        rows = sorted(ET.tostring(r) for r in root.iter(ns + "result"))
        return names, rows
    delimiter = "," if media == "text/csv" else "\t"
    if media == "text/csv":
        lines = list(csv.reader(io.StringIO(data.decode(), newline=""), delimiter=delimiter))
    else:
        lines = [line.split("\t") for line in data.decode().split("\n") if line]
    return lines[0], sorted(lines[1:])


NATIVE = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


def test_the_first_line_says_what_is_served(served):
    assert served.first_line == (
        f"Serving 209 triples at {served.url}/sparql (query page {served.url}/)\n"
    )


def test_every_named_query_gives_the_rows_of_kg_query_in_every_format(served, local):
    remote = EndpointStore(served.url + "/sparql")
    wrapper = SPARQLWrapper(served.url + "/sparql")
    wrapper.setReturnFormat(JSON)
    store = open_store(MINI)
    checked = 0
    for named, params, text in _named_texts():
        want = run_query(store, named, params)
        got = run_query(remote, named, params)
        assert got.columns == want.columns, named.name
        assert sorted(map(repr, got.rows)) == sorted(map(repr, want.rows)), named.name
        for media, fmt in NATIVE.items():
            status, headers, body = served.query(text, media)
            assert status == 200, (named.name, media, body[:200])
            assert headers["Content-Type"] == media + "; charset=utf-8"
            native = local._store.query(text, use_default_graph_as_union=True).serialize(format=fmt)
            assert _canonical(media, body) == _canonical(media, native), (named.name, media)
        # SPARQLWrapper guesses the query's form from its text, comments and all (the
        # word "added" in a header made it an ADD update): it gets the query without them.
        wrapper.setQuery("\n".join(x for x in text.splitlines() if not x.startswith("#")))
        assert wrapper.queryType == "SELECT", named.name
        answer = wrapper.queryAndConvert()
        assert answer["head"]["vars"] == want.columns, named.name
        assert len(answer["results"]["bindings"]) == len(want.rows), named.name
        checked += 1
    assert checked == len(list_queries()) >= 20


def test_ask_and_graphs_are_negotiated(served, local):
    status, _, body = served.query("ASK { ?b a coop:Government }")
    assert (status, json.loads(body)) == (200, {"head": {}, "boolean": True})
    status, _, body = served.query("ASK { ?b a coop:Nothing }", "application/sparql-results+xml")
    assert b"<boolean>false</boolean>" in body
    construct = "CONSTRUCT { ?b rdfs:label ?l } WHERE { ?b a coop:Government ; rdfs:label ?l }"
    native = local._store.query(prepare(construct).text, use_default_graph_as_union=True)
    nt = native.serialize(format=ox.RdfFormat.N_TRIPLES).decode()
    want = rdflib.Graph().parse(data=nt, format="nt")
    assert len(want) == 2
    for accept, fmt in [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("*/*", "turtle"),
        ("text/html, application/ld+json;q=0.5", "json-ld"),
    ]:
        status, headers, body = served.query(construct, accept)
        assert status == 200, (accept, body)
        got = rdflib.Graph().parse(data=body.decode(), format=fmt)
        assert got.isomorphic(want), accept
    status, headers, _ = served.query(construct, "image/png")
    assert status == 406
    status, headers, body = served.query(construct, "image/png", format="nt")
    assert (status, headers["Content-Type"]) == (200, "application/n-triples; charset=utf-8")


def test_get_and_sparql_query_bodies_are_read_too(served):
    text = "SELECT ?l WHERE { ?b a coop:Government ; rdfs:label ?l } ORDER BY ?l"
    status, _, body = served.request(
        "GET", "/sparql?" + urllib.parse.urlencode({"query": text}), Accept="text/csv"
    )
    assert (status, body) == (200, b"l\r\nAlpha Government\r\nBeta Government\r\n")
    status, _, body = served.request(
        "POST", "/sparql", text, Content_Type="application/sparql-query", Accept="text/csv"
    )
    assert (status, body) == (200, b"l\r\nAlpha Government\r\nBeta Government\r\n")


def test_update_is_refused_and_a_malformed_query_says_where(served):
    for body, content in [
        (
            "update=" + urllib.parse.quote("INSERT DATA { <a:b> <a:c> 1 }"),
            "application/x-www-form-urlencoded",
        ),
        ("CLEAR ALL", "application/sparql-update"),
    ]:
        status, _, answer = served.request("POST", "/sparql", body, Content_Type=content)
        assert status == 403, answer
    status, headers, body = served.query("SELECT ?x WHERE {\n  ?x a coop:Body .\n  ?x ?p }")
    assert status == 400
    assert body.startswith(b"malformed query: syntax error")
    assert (headers["X-Coopkg-Error-Line"], body.endswith(b"(line 3, column 10)\n")) == ("3", True)
    status, _, body = served.query("SELECT * WHERE { ?x a nope:Thing }")
    assert (status, body) == (400, b"malformed query: unknown prefix 'nope:' (line 1, column 23)\n")
    status, _, body = served.query("SELECT * WHERE { SERVICE <http://x.org/s> { ?a ?b ?c } }")
    assert status == 400 and b"SERVICE" in body


def test_rows_past_the_cap_are_cut_and_the_answer_says_so(served):
    status, headers, body = served.query("SELECT * WHERE { ?s ?p ?o }", "application/json")
    assert headers["X-Coopkg-Truncated"] == "100"
    data = json.loads(body)
    assert (status, len(data["results"]["bindings"]), data["coopkg"]) == (
        200,
        100,
        {"truncated": True, "max_rows": 100},
    )
    status, headers, body = served.query("SELECT * WHERE { ?s ?p ?o } LIMIT 100")
    assert "X-Coopkg-Truncated" not in headers
    assert "coopkg" not in json.loads(body)


def test_a_slow_query_is_stopped_while_others_are_answered(served):
    fast: list[int] = []
    finished = threading.Event()

    def others() -> None:
        while not finished.is_set():
            fast.append(served.query("SELECT ?b WHERE { ?b a coop:Government }")[0])

    thread = threading.Thread(target=others)
    thread.start()
    started = time.monotonic()
    status, _, body = served.query(SLOW)
    took = time.monotonic() - started
    finished.set()
    thread.join(10)
    assert (status, body) == (503, b"query stopped after 2 s (--timeout)\n")
    assert took < TIMEOUT + 1
    assert len(fast) >= 5 and set(fast) == {200}
    # The stopped worker was replaced: the server still answers as many at once.
    answers = []
    threads = [
        threading.Thread(target=lambda: answers.append(served.query("ASK {}")[0])) for _ in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert answers == [200] * 6


def test_cors_names_exactly_the_origin_given(served):
    status, headers, _ = served.request(
        "OPTIONS",
        "/sparql",
        Origin="https://example.org",
        Access_Control_Request_Method="POST",
    )
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "https://example.org"
    assert "Access-Control-Allow-Credentials" not in headers


def test_pages_files_and_nothing_else(served):
    status, headers, body = served.request("GET", "/graph.html")
    assert (status, headers["Content-Type"], body) == (
        200,
        "text/html; charset=utf-8",
        b"<!doctype html><title>page</title>",
    )
    for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/out/graph.html", "/.hidden.html"]:
        assert served.request("GET", path)[0] == 404, path
    # The query page, its files, and a page per instance IRI in HTML or RDF by Accept.
    status, headers, body = served.request("GET", "/", Accept="text/html")
    assert status == 200 and b"<title>coopkg SPARQL query</title>" in body
    assert b'id="yasqe"' in body and b'id="example"' in body
    assert headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    status, headers, body = served.request("GET", "/static/yasgui/yasgui.min.js")
    assert status == 200 and len(body) > 500_000 and "javascript" in headers["Content-Type"]
    status, _, body = served.request("GET", "/id/body/alpha-government", Accept="text/html")
    assert status == 200 and b"<h1>Alpha Government</h1>" in body
    status, headers, body = served.request("GET", "/id/body/alpha-government", Accept="text/turtle")
    assert (status, headers["Content-Type"]) == (200, "text/turtle; charset=utf-8")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    alpha = rdflib.URIRef("https://w3id.org/coopkg/id/body/alpha-government")
    assert str(graph.value(alpha, rdflib.RDFS.label)) == "Alpha Government"
    for path in ["/id/body/nobody", "/id/body/%ff", "/id/"]:
        assert served.request("GET", path, Accept="text/html")[0] == 404, path
    status, headers, _ = served.request("GET", "/sparql", Accept="text/html")
    assert (status, headers["Location"]) == (303, "/")
    status, _, body = served.request("GET", "/sparql", Accept="text/turtle")
    described = rdflib.Graph().parse(
        data=body.decode(), format="turtle", publicID=served.url + "/sparql"
    )
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.endpoint, rdflib.URIRef(served.url + "/sparql")) in described
    status, _, body = served.request(
        "POST",
        "/sparql",
        "x" * 10,
        Content_Type="application/sparql-query",
        Content_Length=str(2 << 20),
    )
    assert status == 413


def test_updates_with_the_token_change_what_queries_see(tmp_path):
    server = Served(tmp_path, "--allow-update", "--update-token", "s3cret")
    try:
        insert = "INSERT DATA { <https://x.org/a> rdfs:label 'added' }"
        for auth in [None, "Bearer wrong", "s3cret"]:
            extra = {"Authorization": auth} if auth else {}
            status, _, _ = server.request(
                "POST", "/sparql", insert, Content_Type="application/sparql-update", **extra
            )
            assert status == 403, auth
        assert server.query("ASK { ?a rdfs:label 'added' }")[2] == b'{"head":{},"boolean":false}'
        status, headers, body = server.request(
            "POST",
            "/sparql",
            insert,
            Content_Type="application/sparql-update",
            Authorization="Bearer s3cret",
        )
        assert (status, body) == (200, b"updated: the store holds 210 triples\n")
        assert "Access-Control-Allow-Origin" not in headers  # CORS is off unless asked for
        for _ in range(4):  # every worker, not only one, sees the update
            assert server.query("ASK { ?a rdfs:label 'added' }")[2] == b'{"head":{},"boolean":true}'
    finally:
        code, err = server.stop()
    assert code == 0 and "Traceback" not in err
    # No worker outlives the server.
    left = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if f"--port\0{server.port}\0".encode() in cmdline:
            left.append(entry.name)
    assert left == []


def test_a_port_in_use_is_one_line(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "kg", "serve", str(MINI), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
            cwd=tmp_path,
        )
    assert result.returncode == 2
    assert result.stderr == f"kg: error: port {port} on 127.0.0.1 is in use\n"


def test_an_endpoint_is_no_source(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kg", "serve", "http://127.0.0.1:9/sparql"],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ},
    )
    assert result.returncode == 2
    assert result.stderr == (
        "kg: error: http://127.0.0.1:9/sparql: kg serve serves a graph file, not another endpoint\n"
    )


SERVED_STORE = """
import sys, time
from kg.answer import Answerer, ServedStore
from kg.bounded import QueryTimeout
from kg.store import IRI, OxigraphStore
from kg.workers import Pool

pool = Pool(Answerer(OxigraphStore.from_file(sys.argv[1])), 2)
pool.start()
store = ServedStore(pool, 1.0)
try:
    label = "SELECT ?b ?l WHERE { ?b <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    body = {"b": IRI(sys.argv[2])}
    print(len(store), [row[1] for row in store.select(label, body).rows])
    print(store.ask("ASK { ?b ?p ?name }", {"name": "Alpha Government"}))
    columns, rows = store.iter_triples("CONSTRUCT { ?b ?p ?o } WHERE { ?b ?p ?o }", body)
    print(columns, len(list(rows)))
    started = time.monotonic()
    try:
        store.select("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    except QueryTimeout as exc:
        print(exc, time.monotonic() - started < 2)
    print([row[1] for row in store.select(label, body).rows])
finally:
    pool.close()
"""


def test_the_store_over_the_workers_answers_as_a_store_and_stops_on_time():
    body = "https://w3id.org/coopkg/id/body/alpha-government"
    result = subprocess.run(
        [sys.executable, "-c", SERVED_STORE, str(MINI), body],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "209 ['Alpha Government']",
        "True",
        "['subject', 'predicate', 'object'] "
        + str(len(open_store(MINI).select(f"SELECT * WHERE {{ <{body}> ?p ?o }}").rows)),
        "query stopped after 1 s (--timeout) True",
        "['Alpha Government']",
    ]
