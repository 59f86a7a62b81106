"""A stand-in for `kg serve` in the page tests (test_query_page.py, test_resource_page.py).

Only what the pages need: `/` the query page, `/static/<name>` its files, `/id/...` the
resource pages, `/sparql` (GET or POST, form or application/sparql-query) answered by
Oxigraph as SPARQL JSON or Turtle. The real server is kg serve's; this is a test's.
"""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pyoxigraph as ox

from kg.query import list_queries
from kg.query_page import QueryPage
from kg.resource_page import iri_of_path, resource_html
from kg.store import OxigraphStore


@dataclass
class StandIn:
    base: str
    queries: list[str] = field(default_factory=list)  # the SPARQL texts /sparql received


def _handler(store: OxigraphStore, page: QueryPage, seen: StandIn) -> type:
    class Handler(BaseHTTPRequestHandler):
        timeout = 10  # a socket that stalls does not hold a thread for long

        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, code: int, body: bytes, content_type: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/":
                return self._send(200, page.html(), "text/html; charset=utf-8")
            if url.path == "/sparql":
                query = urllib.parse.parse_qs(url.query).get("query", [""])[0]
                return self._sparql(query)
            if url.path.startswith("/static/"):
                found = page.asset(url.path[len("/static/") :])
                if found:
                    return self._send(200, *found)
            iri = iri_of_path(url.path)
            html = resource_html(store, iri) if iri else None
            if html is not None:
                return self._send(200, html.encode("utf-8"), "text/html; charset=utf-8")
            return self._send(404, b"not found\n", "text/plain; charset=utf-8")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8")
            if self.headers.get("Content-Type", "").startswith("application/sparql-query"):
                return self._sparql(body)
            return self._sparql(urllib.parse.parse_qs(body).get("query", [""])[0])

        def _sparql(self, query: str) -> None:
            seen.queries.append(query)
            try:
                result = store._store.query(query, use_default_graph_as_union=True)
            except SyntaxError as exc:
                return self._send(400, str(exc).encode("utf-8"), "text/plain; charset=utf-8")
            if isinstance(result, ox.QueryTriples):
                return self._send(200, result.serialize(format=ox.RdfFormat.TURTLE), "text/turtle")
            data = result.serialize(format=ox.QueryResultsFormat.JSON)
            return self._send(200, data, "application/sparql-results+json")

    return Handler


@contextmanager
def stand_in(store: OxigraphStore) -> Iterator[StandIn]:
    """The stand-in server on 127.0.0.1 at a free port, for the length of the block."""
    seen = StandIn("")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(store, QueryPage(list_queries()), seen))
    server.daemon_threads = True
    seen.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class LoopbackPage:
    """A browser page that may reach the stand-in only: every other request is aborted and
    recorded, and every request's URL is kept to show that none left 127.0.0.1."""

    page: Any
    base: str
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def outside(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(self.base + "/")]


def loopback_page(chromium: Any, base: str, color_scheme: str = "light") -> Iterator[LoopbackPage]:
    context = chromium.new_context(
        viewport={"width": 1280, "height": 800}, color_scheme=color_scheme
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    state = LoopbackPage(page, base)

    def route(r: Any) -> None:
        state.requests.append(r.request.url)
        if r.request.url.startswith(base + "/"):
            r.continue_()
        else:
            state.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: state.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: state.errors.append(f"page error: {exc}"))
    page.on("dialog", lambda d: (state.errors.append(f"dialog: {d.message}"), d.dismiss()))
    try:
        yield state
        assert state.blocked == [], f"the page tried to reach the network: {state.blocked}"
        assert state.outside() == [], f"requests left 127.0.0.1: {state.outside()}"
        assert state.errors == [], f"console errors: {state.errors}"
    finally:
        context.close()
