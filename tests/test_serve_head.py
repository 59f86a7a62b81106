"""HEAD on every GET route of a real `kg serve`: a GET's status and headers, no body, and
the connection goes on (keep-alive) to answer what follows it."""

from __future__ import annotations

import http.client
import socket
import urllib.parse

import pytest
from test_serve import TIMEOUT, Served

pytestmark = pytest.mark.server

SELECT = "SELECT ?l WHERE { ?b a coop:Government ; rdfs:label ?l } ORDER BY ?l"
CONSTRUCT = "CONSTRUCT { ?b rdfs:label ?l } WHERE { ?b a coop:Government ; rdfs:label ?l }"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("head")
    (folder / "out").mkdir()
    (folder / "out" / "graph.html").write_text("<!doctype html><title>page</title>")
    server = Served(folder, "--cors", "https://example.org")
    yield server
    code, err = server.stop()
    assert code == 0 and "Traceback" not in err, err


def _query(text: str, **extra: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": text, **extra})


ROUTES = [
    # (path, Accept, the GET's status)
    (_query(SELECT), "text/csv", 200),
    (_query(SELECT), "application/sparql-results+json", 200),
    (_query(CONSTRUCT), "text/turtle", 200),
    (_query(CONSTRUCT, format="nt"), "*/*", 200),
    (_query("SELECT * WHERE { ?x ?p }"), "*/*", 400),
    (_query(CONSTRUCT), "image/png", 406),
    ("/sparql", "text/turtle", 200),
    ("/sparql", "text/html", 303),
    ("/", "text/html", 200),
    ("/query", "text/html", 200),
    ("/static/yasgui/yasgui.min.js", "*/*", 200),
    ("/static/query-page.js", "*/*", 200),
    ("/id/body/alpha-government", "text/html", 200),
    ("/id/body/alpha-government", "text/turtle", 200),
    ("/id/body/nobody", "text/html", 404),
    ("/graph.html", "*/*", 200),
    ("/../secret.txt", "*/*", 404),
]


def _headers(response: http.client.HTTPResponse) -> dict[str, str]:
    return {k: v for k, v in response.getheaders() if k != "Date"}


def test_head_answers_as_get_without_the_body_on_one_connection(served):
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=TIMEOUT + 10)
    try:
        conn.connect()
        first = conn.sock
        for path, accept, status in ROUTES:
            conn.request("HEAD", path, headers={"Accept": accept})
            head = conn.getresponse()
            assert head.read() == b"", path
            conn.request("GET", path, headers={"Accept": accept})
            got = conn.getresponse()
            body = got.read()
            assert (head.status, got.status) == (status, status), (path, accept)
            assert _headers(head) == _headers(got), (path, accept)
            assert int(head.getheader("Content-Length")) == len(body), (path, accept)
            assert "Connection" not in _headers(head), path
            # Still the first socket: neither answer made the client reconnect.
            assert conn.sock is first, path
        assert int(_headers_of(conn, "/static/yasgui/yasgui.min.js")) > 500_000
    finally:
        conn.close()


def _headers_of(conn: http.client.HTTPConnection, path: str) -> str:
    conn.request("HEAD", path)
    response = conn.getresponse()
    response.read()
    return response.getheader("Content-Length")


def test_a_head_and_a_get_sent_at_once_get_two_answers(served):
    """Pipelined on one socket: a body after the HEAD's headers would be read as the
    second answer's status line."""
    path = _query(SELECT)
    request = f"{{}} {path} HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\n{{}}\r\n"
    data = (request.format("HEAD", "") + request.format("GET", "Connection: close\r\n")).encode()
    with socket.create_connection(("127.0.0.1", served.port), timeout=TIMEOUT + 10) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    csv = b"l\r\nAlpha Government\r\nBeta Government\r\n"
    head, rest = received.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert f"Content-Length: {len(csv)}\r\n".encode() in head + b"\r\n"
    assert rest.startswith(b"HTTP/1.1 200 OK\r\n"), rest[:80]
    second, body = rest.split(b"\r\n\r\n", 1)
    assert b"Connection: close" in second
    assert body == csv


def test_head_where_get_refuses(served):
    # An update is never taken from a HEAD (or a GET); OPTIONS names HEAD among the methods.
    status, headers, body = served.request("HEAD", "/sparql?update=CLEAR%20ALL")
    assert (status, headers["Allow"], body) == (405, "POST", b"")
    status, headers, _ = served.request("OPTIONS", "/sparql")
    assert (status, headers["Allow"]) == (204, "GET, HEAD, POST, OPTIONS")
    status, headers, _ = served.request("POST", "/graph.html", "x", Content_Type="text/plain")
    assert (status, headers["Allow"], headers["Connection"]) == (405, "GET, HEAD", "close")
