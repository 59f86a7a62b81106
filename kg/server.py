"""`kg serve`: a SPARQL 1.1 Protocol endpoint on the standard library's HTTP server.

Threads read requests and relay answers; every query runs in a worker process
(kg.workers) under the deadline, so no query can hold a thread past it. A request is
bounded at each step: how many connections are open at once, how long reading its
headers and body may take (a client that drips one byte at a time is cut off), the size
of its body and query, and its rows (`max_rows`, stated in the answer when reached).
Updates are refused unless a token was configured and the request carries it.
"""

from __future__ import annotations

import contextlib
import errno
import hmac
import socket
import threading
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kg.answer import Answerer, ProtocolQuery, Reply, ServedStore, malformed, text_reply
from kg.bounded import EngineCrashed, QueryTimeout
from kg.errors import KgError
from kg.static_files import read_static
from kg.store import OxigraphStore, QueryError
from kg.workers import Pool, ServerBusy

IDLE_SECONDS = 10.0  # a socket read or write that waits longer ends the connection
READ_SECONDS = 20.0  # a whole request (headers and body) must arrive within this
MAX_FIELDS = 1024  # form fields or query parameters (dataset IRIs) read from one request


@dataclass
class ServeConfig:
    """How the server runs; every limit has a default that is safe to expose."""

    host: str = "127.0.0.1"
    port: int = 7878
    workers: int = 2
    timeout: float = 10.0
    max_rows: int = 10_000
    max_body: int = 1 << 20
    max_query: int = 256 << 10
    max_connections: int = 64
    cache_bytes: int = 64 << 20
    cors: str | None = None
    update_token: str | None = None
    out_dir: Path | None = None
    log: Callable[[str], None] | None = None


@dataclass
class Hooks:
    """Pages other modules provide (None: the path answers 404 until they are wired).

    `query_page` has `.html() -> bytes` and `.asset(name) -> (bytes, type) | None`;
    `resource_html(store, iri) -> str | None` and `resource_graph(store, iri, media_type)
    -> bytes | None` answer `/id/...` for `https://w3id.org/coopkg/id/...`.
    """

    query_page: Any = None
    resource_html: Callable[[Any, str], str | None] | None = None
    resource_graph: Callable[[Any, str, str], bytes | None] | None = None
    iri_of_path: Callable[[str], str | None] | None = None  # /id/... (as sent) -> the IRI
    extra: dict[str, Any] = field(default_factory=dict)


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, store: OxigraphStore, config: ServeConfig) -> None:
        self.config = config
        self.hooks = Hooks()
        self.triples = len(store)
        self.pool = Pool(Answerer(store), config.workers)
        self.store = ServedStore(self.pool, config.timeout)
        self.answers = _Answers(config.cache_bytes)
        self.slots = threading.BoundedSemaphore(config.max_connections)
        self.watched: dict[socket.socket, float] = {}
        self.watch_lock = threading.Lock()
        try:
            super().__init__((config.host, config.port), Handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise KgError(f"port {config.port} on {config.host} is in use") from None
            raise KgError(f"cannot listen on {config.host}:{config.port}: {exc}") from None
        # Fork the zygote now, while this process has one thread (kg.workers says why).
        self.pool.start(close_in_children=(self.socket,))
        threading.Thread(target=self._reaper, name="kg-reaper", daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.shutdown()
        self.server_close()
        self.pool.close()

    # --- connections --------------------------------------------------------------------

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 20\r\n"
                    b"Connection: close\r\n\r\ntoo many connections"
                )
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.unwatch(request)
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        if self.config.log is not None:
            import sys

            self.config.log(f"error with {client_address[0]}: {sys.exc_info()[1]!r}")

    def watch(self, sock: socket.socket, seconds: float) -> None:
        with self.watch_lock:
            self.watched[sock] = time.monotonic() + seconds

    def unwatch(self, sock: socket.socket) -> None:
        with self.watch_lock:
            self.watched.pop(sock, None)

    def _reaper(self) -> None:
        """Cut connections whose request did not arrive in time (slowloris)."""
        while True:
            time.sleep(0.5)
            now = time.monotonic()
            with self.watch_lock:
                late = [s for s, deadline in self.watched.items() if deadline < now]
                for sock in late:
                    del self.watched[sock]
            for sock in late:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "coopkg"
    sys_version = ""
    timeout = IDLE_SECONDS
    server: SparqlServer

    def version_string(self) -> str:
        return self.server_version

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as two writes; without this the second waits for an ACK.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle_one_request(self) -> None:
        self.server.watch(self.connection, READ_SECONDS)
        super().handle_one_request()

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.config.log is not None:
            self.server.config.log(f"{self.address_string()} {format % args}")

    # --- methods ------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def do_OPTIONS(self) -> None:
        self.server.unwatch(self.connection)
        headers = [("Allow", "GET, POST, OPTIONS")]
        if self.server.config.cors:
            headers += [
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", "Accept, Content-Type"),
                ("Access-Control-Max-Age", "600"),
            ]
        self._send(Reply(204, b"", "text/plain", tuple(headers)))

    def _route(self, method: str) -> None:
        path, _, query = self.path.partition("?")
        try:
            if path == "/sparql":
                reply = self._sparql(method, query)
            elif method != "POST":
                self.server.unwatch(self.connection)
                reply = self._page(path)
            else:
                reply = text_reply(405, "only /sparql takes POST", ("Allow", "GET"))
        except _Refused as exc:
            reply = exc.reply
        self._send(reply)

    # --- /sparql ------------------------------------------------------------------------

    def _sparql(self, method: str, query: str) -> Reply:
        config = self.server.config
        params = _fields(query)
        if method == "POST":
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            body = self._body()
            if kind == "application/x-www-form-urlencoded":
                params.update(_fields(_utf8(body)))
            elif kind == "application/sparql-query":
                params["query"] = [_utf8(body)]
            elif kind == "application/sparql-update":
                params["update"] = [_utf8(body)]
            else:
                return text_reply(415, f"cannot read a body of type {kind!r}")
        self.server.unwatch(self.connection)
        if "using-graph-uri" in params or "using-named-graph-uri" in params:
            return text_reply(400, "using-graph-uri is not supported: updates see the union")
        if "update" in params:
            if method != "POST":
                return text_reply(405, "an update must be POSTed", ("Allow", "POST"))
            return self._update(_one(params, "update"))
        if "query" not in params:
            return self._describe()
        text = _one(params, "query")
        if len(text) > config.max_query:
            return text_reply(413, f"the query is longer than {config.max_query} characters")
        fmt = params.get("format", [None])[0]
        graphs = _graph_uris(params, "default-graph-uri"), _graph_uris(params, "named-graph-uri")
        if isinstance(graphs[0], Reply) or isinstance(graphs[1], Reply):
            return graphs[0] if isinstance(graphs[0], Reply) else graphs[1]
        job = ProtocolQuery(text, self.headers.get("Accept"), fmt, config.max_rows, *graphs)
        return self._run(job)

    def _run(self, job: ProtocolQuery) -> Reply:
        seconds = self.server.config.timeout
        answers = self.server.answers
        key = (job.text, job.accept, job.fmt)
        kept = answers.get(key)
        if kept is not None:
            return kept
        try:
            generation = answers.generation
            reply = self.server.pool.run(job, time.monotonic() + seconds, seconds)
            answers.put(key, reply, generation)
            return reply
        except (QueryTimeout, ServerBusy) as exc:
            return text_reply(503, str(exc))
        except EngineCrashed as exc:
            return text_reply(500, str(exc))

    def _update(self, text: str) -> Reply:
        token = self.server.config.update_token
        given = self.headers.get("Authorization") or ""
        if token is None:
            return text_reply(403, "updates are refused: this endpoint is read-only")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return text_reply(403, "updates need the server's token (Authorization: Bearer ...)")
        seconds = self.server.config.timeout
        try:
            count = self.server.pool.update(text, seconds)
            self.server.answers.clear()
        except QueryTimeout as exc:
            return text_reply(503, f"update {exc}")
        except QueryError as exc:
            return malformed(exc.message, exc.line, exc.column)
        except KgError as exc:
            return text_reply(400, str(exc))
        self.server.triples = count
        return text_reply(200, f"updated: the store holds {count} triples")

    def _describe(self) -> Reply:
        if "text/html" in (self.headers.get("Accept") or ""):
            return Reply(303, b"", "text/plain", (("Location", "/"),))
        from kg.results import GRAPH_TYPES, SOLUTION_TYPES

        formats = ", ".join(f"<{_FORMAT_IRIS[t]}>" for t in (*SOLUTION_TYPES, *GRAPH_TYPES))
        text = (
            "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
            "@prefix void: <http://rdfs.org/ns/void#> .\n\n"
            "[] a sd:Service ;\n  sd:endpoint <> ;\n"
            "  sd:supportedLanguage sd:SPARQL11Query ;\n"
            "  sd:feature sd:UnionDefaultGraph ;\n"
            f"  sd:resultFormat {formats} ;\n"
            "  sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ; "
            f"void:triples {self.server.triples} ] ] .\n"
        )
        return Reply(200, text.encode(), "text/turtle; charset=utf-8")

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            raise _Refused(text_reply(411, "send the body with a Content-Length"))
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise _Refused(text_reply(411, "a POST needs a Content-Length"))
        if int(length) > self.server.config.max_body:
            self.close_connection = True  # the unread body must not be taken for a request
            raise _Refused(text_reply(413, f"the body is over {self.server.config.max_body} bytes"))
        data = self.rfile.read(int(length))
        if len(data) < int(length):
            self.close_connection = True
            raise _Refused(text_reply(400, "the body ended early"))
        return data

    # --- pages --------------------------------------------------------------------------

    def _page(self, path: str) -> Reply:
        """`path` as sent (percent-escapes kept: an /id/ path maps to its IRI exactly)."""
        hooks = self.server.hooks
        if path.startswith("/id/") and hooks.iri_of_path is not None:
            iri = hooks.iri_of_path(path)
            if iri is None:
                return text_reply(404, "no resource has this path")
            return self._resource(iri)
        path = urllib.parse.unquote(path)
        if path in ("/", "/query") and hooks.query_page is not None:
            return Reply(200, hooks.query_page.html(), "text/html; charset=utf-8")
        if path.startswith("/static/") and hooks.query_page is not None:
            found = hooks.query_page.asset(path[len("/static/") :])
            if found is not None:
                return Reply(200, found[0], found[1])
        if self.server.config.out_dir is not None:
            found = read_static(self.server.config.out_dir, path)
            if found is not None:
                return Reply(200, found[0], found[1])
        return text_reply(404, f"nothing at {path}")

    def _resource(self, iri: str) -> Reply:
        from kg.results import GRAPH_TYPES, negotiate

        accept = self.headers.get("Accept") or ""
        hooks = self.server.hooks
        try:
            if "text/html" not in accept and hooks.resource_graph is not None:
                media = negotiate(accept, None, "CONSTRUCT") or GRAPH_TYPES[0]
                data = hooks.resource_graph(self.server.store, iri, media)
                if data is not None:
                    return Reply(200, data, media + "; charset=utf-8", (("Vary", "Accept"),))
            elif hooks.resource_html is not None:
                html = hooks.resource_html(self.server.store, iri)
                if html is not None:
                    return Reply(200, html.encode(), "text/html; charset=utf-8")
        except (QueryTimeout, ServerBusy) as exc:
            return text_reply(503, str(exc))
        return text_reply(404, f"the graph says nothing of {iri}")

    # --- the answer ---------------------------------------------------------------------

    def _send(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            if reply.content_type.startswith("text/html"):
                # A meta CSP cannot forbid framing; a page of ours is never framed.
                self.send_header("Content-Security-Policy", "frame-ancestors 'none'")
                self.send_header("X-Frame-Options", "DENY")
            if self.server.config.cors:
                self.send_header("Access-Control-Allow-Origin", self.server.config.cors)
            for name, value in reply.headers:
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)
        except OSError:  # the client left; nothing to tell it
            self.close_connection = True


class _Answers:
    """Answers already given, by query text, Accept and format=, up to `limit` bytes.

    The store only changes by an update, which clears them (and bumps `generation`, so
    that an answer computed before the update and stored after it is dropped).
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.generation = 0
        self.kept: OrderedDict[Any, Reply] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> Reply | None:
        with self.lock:
            reply = self.kept.get(key)
            if reply is not None:
                self.kept.move_to_end(key)
            return reply

    def put(self, key: Any, reply: Reply, generation: int) -> None:
        cost = len(reply.body) + sum(map(len, key[:1])) + 256
        if reply.status != 200 or cost > self.limit // 8:
            return
        with self.lock:
            if generation != self.generation or key in self.kept:
                return
            self.kept[key] = reply
            self.size += cost
            while self.size > self.limit:
                old_key, old = self.kept.popitem(last=False)
                self.size -= len(old.body) + len(old_key[0]) + 256

    def clear(self) -> None:
        with self.lock:
            self.kept.clear()
            self.size = 0
            self.generation += 1


class _Refused(Exception):
    def __init__(self, reply: Reply) -> None:
        self.reply = reply


def _fields(text: str) -> dict[str, list[str]]:
    try:
        return urllib.parse.parse_qs(
            text, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS
        )
    except UnicodeDecodeError:
        raise _Refused(text_reply(400, "the parameters are not UTF-8")) from None
    except ValueError:
        raise _Refused(text_reply(400, f"more than {MAX_FIELDS} parameters")) from None


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(text_reply(400, "the body is not UTF-8 text")) from None


def _one(params: dict[str, list[str]], name: str) -> str:
    values = params[name]
    if len(values) != 1:
        raise _Refused(text_reply(400, f"give one {name}, not {len(values)}"))
    return values[0]


_FORMAT_IRIS = {
    "application/sparql-results+json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "application/sparql-results+xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "text/csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "text/tab-separated-values": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "text/turtle": "http://www.w3.org/ns/formats/Turtle",
    "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
    "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
}


def _graph_uris(params: dict[str, list[str]], name: str) -> tuple[str, ...] | Reply:
    """The IRIs given as `name` (a dataset for one query), or a 400 for one that is not."""
    iris = tuple(params.get(name, ()))
    for iri in iris:
        if not iri.startswith(("http://", "https://", "urn:")) or any(
            c in iri for c in '<>"{}|^`\\ '
        ):
            return text_reply(400, f"{name}: {iri!r} is not an absolute IRI")
    return iris
