"""Issue 8, part 3: a remote endpoint is bounded and every bad answer is one line.

Tiny misbehaving HTTP servers run in a thread on 127.0.0.1; each case must end with exit
status 2 and one stderr line naming the endpoint, well before a generous bound.
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from kg.cli import main
from kg.endpoint import EndpointError, EndpointStore, _read

QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
BOUND = 30  # seconds: far above the 2 s deadline, far below "hangs for good"
_stop = threading.Event()


def _reply(body: bytes, status: str = "200 OK", headers: str = "") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: application/sparql-results+json\r\n"
        f"Content-Length: {len(body)}\r\n{headers}Connection: close\r\n\r\n"
    )
    return head.encode() + body


def _result(bindings: list[dict]) -> bytes:
    return json.dumps(
        {"head": {"vars": ["s", "p", "o"]}, "results": {"bindings": bindings}}
    ).encode()


def _drip(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n")
    while not _stop.wait(0.3):  # one byte every 0.3 s: each read succeeds, the whole never ends
        conn.sendall(b" ")


def _huge(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n")
    chunk = b" " * (1 << 20)
    for _ in range(4096):  # 4 GB if nobody stops reading
        if _stop.is_set():
            return
        conn.sendall(chunk)


def _silent(conn: socket.socket) -> None:
    _stop.wait(BOUND)


BEHAVIOURS: dict[str, Callable[[socket.socket], None] | bytes] = {
    "drip": _drip,
    "huge": _huge,
    "silent": _silent,
    "redirect": _reply(b"", "302 Found", "Location: http://127.0.0.1:1/elsewhere\r\n"),
    "garbage": _reply(b"\x89PNG\r\n\x1a\n\x00\xff\xfe garbage"),
    "html": _reply(b"<html><body>Service Unavailable</body></html>"),
    "no-results": _reply(b'{"head": {"vars": ["s"]}}'),
    "not-object": _reply(b"[1, 2, 3]"),
    "deep-json": _reply(b"[" * 200_000 + b"]" * 200_000),
    "bindings-not-list": _reply(b'{"head": {"vars": ["s"]}, "results": {"bindings": 7}}'),
    "missing-type": _reply(_result([{"s": {"value": "http://a"}}])),
    "unknown-type": _reply(_result([{"s": {"type": "weird", "value": "x"}}])),
    "value-not-string": _reply(_result([{"s": {"type": "uri", "value": 5}}])),
    "vars-not-names": _reply(b'{"head": {"vars": [1]}, "results": {"bindings": []}}'),
    "http-500": _reply(b"internal trouble\n", "500 Internal Server Error"),
    "truncated": _reply(_result([{"s": {"type": "uri", "value": "http://a"}}]))[:-20],
}


def _read_request(conn: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    while len(body) < length:
        body += conn.recv(65536)


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.settimeout(BOUND)
        try:
            _read_request(self.request)  # read it all: unread bytes make close() a reset
            behaviour = BEHAVIOURS[self.server.behaviour]  # type: ignore[attr-defined]
            if isinstance(behaviour, bytes):
                self.request.sendall(behaviour)
            else:
                behaviour(self.request)
        except OSError:
            pass  # the client hung up: that is what it should do


@pytest.fixture
def serve() -> Iterator[Callable[[str], str]]:
    servers = []

    def start(behaviour: str) -> str:
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.behaviour = behaviour  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/sparql"

    _stop.clear()
    yield start
    _stop.set()
    for server in servers:
        server.shutdown()
        server.server_close()


def _kg(capsys, url: str, *extra: str) -> tuple[int, str, float]:
    started = time.monotonic()
    code = main(["query", "-g", url, QUERY, "--timeout", "2", *extra])
    elapsed = time.monotonic() - started
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err, elapsed


def _one_line_naming(code: int, err: str, url: str, *needles: str) -> None:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert url in lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.mark.parametrize(
    ("behaviour", "needle"),
    [
        ("drip", "no complete answer within 2 s"),
        ("silent", "no complete answer within 2 s"),
        ("redirect", "redirects to http://127.0.0.1:1/elsewhere"),
        ("garbage", "not JSON"),
        ("html", "not JSON"),
        ("truncated", "not JSON"),
        ("deep-json", "not JSON"),
        ("no-results", "without 'head' and 'results'"),
        ("not-object", "not an object"),
        ("bindings-not-list", "list of 'bindings'"),
        ("missing-type", "of type None"),
        ("unknown-type", "of type 'weird'"),
        ("value-not-string", "without a string 'value'"),
        ("vars-not-names", "'vars' is not a list of names"),
        ("http-500", "HTTP 500: internal trouble"),
    ],
)
def test_misbehaving_endpoint_is_one_line_naming_it(capsys, serve, behaviour, needle):
    url = serve(behaviour)
    code, err, elapsed = _kg(capsys, url)
    _one_line_naming(code, err, url, needle)
    assert elapsed < BOUND


def test_huge_answer_is_cut_at_the_cap(capsys, serve):
    url = serve("huge")
    code, err, elapsed = _kg(capsys, url, "--max-response", "1", "--timeout", "20")
    _one_line_naming(code, err, url, "the answer is over the 1 MB limit (--max-response)")
    assert elapsed < BOUND


def test_huge_declared_length_is_refused_before_reading():
    store = EndpointStore("http://127.0.0.1:9/x", timeout=2, max_bytes=1 << 20)

    class Declared:
        status = 200

        def getheader(self, name: str) -> str | None:
            return str(1 << 32) if name == "Content-Length" else None

        def read1(self, size: int) -> bytes:  # pragma: no cover - must not be reached
            raise AssertionError("read a body whose declared length is over the cap")

    with pytest.raises(EndpointError, match=r"4096\.0 MB, over the 1 MB limit"):
        _read(store.url, Declared(), store.max_bytes, cut=False)  # type: ignore[arg-type]


def test_connection_refused_is_one_line(capsys):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: connections are refused
        url = f"http://127.0.0.1:{port}/sparql"
        code, err, _ = _kg(capsys, url)
    _one_line_naming(code, err, url, "cannot reach the endpoint")


def test_unknown_host_is_one_line(capsys):
    url = "http://no-such-host.invalid/sparql"  # .invalid never resolves (RFC 2606)
    code, err, elapsed = _kg(capsys, url)
    _one_line_naming(code, err, url)
    assert elapsed < BOUND


def test_bad_port_is_one_line(capsys):
    url = "http://127.0.0.1:99999/sparql"
    code, err, _ = _kg(capsys, url)
    _one_line_naming(code, err, url)


def test_a_good_answer_still_reads(capsys, serve):
    BEHAVIOURS["good"] = _reply(
        _result(
            [
                {
                    "s": {"type": "uri", "value": "http://a"},
                    "p": {"type": "bnode", "value": "b0"},
                    "o": {
                        "type": "literal",
                        "value": "7",
                        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                    },
                }
            ]
        )
    )
    url = serve("good")
    code = main(["query", "-g", url, QUERY, "-f", "csv", "--timeout", "2"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out == "s,p,o\nhttp://a,_:b0,7\n"
