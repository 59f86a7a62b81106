"""`kg serve`: a SPARQL 1.1 Protocol endpoint on the standard library's HTTP server.

Threads read requests and relay answers; every query runs in a worker process
(kg.workers) under the deadline, so no query can hold a thread past it. A request is
bounded at each step: how many connections are open at once, how long reading its
headers and body may take (a client that drips one byte at a time is cut off), the size
of its body and query, and its rows (`max_rows`, stated in the answer when reached).
Updates are refused unless a token was configured and the request carries it.

This module owns the connections and their bounds; reading a request is
kg.server_request's, /sparql kg.server_sparql's, every other path kg.server_pages'.
HEAD is answered as GET is, without the body.
"""

from __future__ import annotations

import contextlib
import errno
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kg.answer import Answerer, Reply, ServedStore, text_reply
from kg.errors import KgError
from kg.server_pages import page
from kg.server_request import Refused, parameters
from kg.server_sparql import Answers, answer
from kg.store import OxigraphStore
from kg.workers import Pool

IDLE_SECONDS = 10.0  # a socket read or write that waits longer ends the connection
READ_SECONDS = 20.0  # a whole request (headers and body) must arrive within this


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
        self.answers = Answers(config.cache_bytes)
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

    def do_HEAD(self) -> None:
        # A GET's status and headers (its Content-Length too); _send leaves the body out.
        self._route("HEAD")

    def do_POST(self) -> None:
        self._route("POST")

    def do_OPTIONS(self) -> None:
        self.server.unwatch(self.connection)
        headers = [("Allow", "GET, HEAD, POST, OPTIONS")]
        if self.server.config.cors:
            headers += [
                ("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", "Accept, Content-Type"),
                ("Access-Control-Max-Age", "600"),
            ]
        self._send(Reply(204, b"", "text/plain", tuple(headers)))

    def _route(self, method: str) -> None:
        path, _, query = self.path.partition("?")
        try:
            if path == "/sparql":
                max_body = self.server.config.max_body
                params = parameters(method, query, self.headers, self.rfile, max_body)
                self.server.unwatch(self.connection)  # the query has its own deadline
                reply = answer(self.server, method, params, self.headers)
            elif method != "POST":
                self.server.unwatch(self.connection)
                reply = page(self.server, path, self.headers.get("Accept") or "")
            else:
                # Its body is left unread: it must not be taken for the next request.
                self.close_connection = True
                reply = text_reply(405, "only /sparql takes POST", ("Allow", "GET, HEAD"))
        except Refused as exc:
            self.close_connection = self.close_connection or exc.close
            reply = exc.reply
        self._send(reply)

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
