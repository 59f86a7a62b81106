"""A SPARQL 1.1 protocol endpoint behind the Store interface, bounded like a local query.

One deadline covers the whole request (connect, headers, body): a watchdog closes the
socket when it passes, so a server that drips a byte every few seconds is cut at the
deadline, not after the last byte. The body is capped; redirects are reported, never
followed (urllib would re-send the query as a bodiless GET and show an empty table);
every answer is checked against the SPARQL JSON results format before a row is read.
Bindings become a VALUES block of N-Triples terms, never pasted into the text.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
import rdflib

from kg.errors import KgError
from kg.sparql_guard import check_shape
from kg.sparql_values import with_values
from kg.store import (
    IRI,
    TRIPLE,
    QueryError,
    Selects,
    Value,
    _line_col,
    _plain,
)

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_BYTES = 256 << 20
_TYPES = ("uri", "literal", "typed-literal", "bnode")


class EndpointError(KgError):
    """The endpoint could not be reached or gave an answer that is not a SPARQL result."""

    def __init__(self, url: str, message: str, transient: bool = False) -> None:
        self.url = url
        self.message = message
        self.transient = transient  # the request may succeed if sent again
        super().__init__(f"{url}: {message}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.url, self.message, self.transient))  # whole elsewhere


class EndpointStore(Selects):
    """A SPARQL endpoint; `timeout` seconds per request (0 or None: none), `max_bytes` cap."""

    def __init__(
        self, url: str, timeout: float | None = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        self.url = url
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.graphs: list[str] | None = None  # the dataset, found on the first query

    def iter_select(
        self,
        sparql: str,
        bindings: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        isolate: bool | None = None,
    ) -> tuple[list[str], Iterator[tuple[Value, ...]]]:
        del isolate  # the request is plain Python I/O: Ctrl-C and the deadline reach it
        data = self._post(with_values(sparql, bindings), timeout)
        if "boolean" in data and "results" not in data:
            raise QueryError("not a SELECT query")
        columns, bindings_list = self._check_select(data)
        return columns, (self._row(b, columns) for b in bindings_list)

    def ask(
        self, sparql: str, bindings: Mapping[str, Any] | None = None, timeout: float | None = None
    ) -> bool:
        data = self._post(with_values(sparql, bindings), timeout)
        if "boolean" not in data:
            raise QueryError("not an ASK query")
        if not isinstance(data["boolean"], bool):
            raise EndpointError(self.url, "the endpoint sent an ASK result that is not a boolean")
        return data["boolean"]

    def iter_triples(
        self,
        sparql: str,
        bindings: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        isolate: bool | None = None,
    ) -> tuple[list[str], Iterator[tuple[Value, ...]]]:
        """The triples of a CONSTRUCT or DESCRIBE, each term in its N-Triples form."""
        del isolate
        body = self._post(with_values(sparql, bindings), timeout, accept="application/n-triples")
        if body.lstrip()[:1] == b"{":
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        try:  # parsed whole before a row is given: a body cut short is an error, not rows
            triples = [
                (str(t.subject), str(t.predicate), str(t.object))
                for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
            ]
        except (SyntaxError, ValueError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else "unreadable"
            raise EndpointError(self.url, f"the endpoint sent no N-Triples ({first})") from None
        return list(TRIPLE), iter(triples)

    def __len__(self) -> int:
        table = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        try:
            return int(table.rows[0][0] or 0)
        except (IndexError, TypeError, ValueError):
            raise EndpointError(self.url, "the endpoint sent no count of triples") from None

    # --- the answer ---------------------------------------------------------------------

    def _bad(self, what: str) -> EndpointError:
        return EndpointError(self.url, f"the endpoint sent {what}, not a SPARQL JSON result")

    def _check_select(self, data: dict[str, Any]) -> tuple[list[str], list[Any]]:
        head, results = data.get("head"), data.get("results")
        if not isinstance(head, dict) or not isinstance(results, dict):
            raise self._bad("JSON without 'head' and 'results'")
        columns = head.get("vars", [])
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
            raise self._bad("a 'head' whose 'vars' is not a list of names")
        rows = results.get("bindings")
        if not isinstance(rows, list):
            raise self._bad("'results' without a list of 'bindings'")
        return columns, rows

    def _row(self, binding: Any, columns: list[str]) -> tuple[Value, ...]:
        if not isinstance(binding, dict):
            raise self._bad("a binding that is not an object")
        return tuple(self._term(binding.get(c)) for c in columns)

    def _term(self, term: Any) -> Value:
        if term is None:
            return None
        if not isinstance(term, dict) or not isinstance(term.get("value"), str):
            raise self._bad("a bound value without a string 'value'")
        kind = term.get("type")
        if kind not in _TYPES:
            raise self._bad(f"a bound value of type {kind!r} (known: {', '.join(_TYPES)})")
        if kind == "uri":
            return IRI(term["value"])
        if kind == "bnode":
            return "_:" + term["value"]
        lang, datatype = term.get("xml:lang"), term.get("datatype")
        if not isinstance(lang, str | None) or not isinstance(datatype, str | None):
            raise self._bad("a literal whose language or datatype is not a string")
        lit = rdflib.Literal(
            term["value"], lang=lang or None, datatype=rdflib.URIRef(datatype) if datatype else None
        )
        return _plain(lit)

    # --- the request --------------------------------------------------------------------

    def _post(
        self, sparql: str, timeout: float | None, accept: str = "application/sparql-results+json"
    ) -> Any:
        check_shape(sparql)
        seconds = self.timeout if timeout is None else timeout
        graphs = self._dataset(seconds)
        form = [("query", sparql)] + [("default-graph-uri", g) for g in graphs]
        form += [("named-graph-uri", g) for g in graphs]
        body = self._request(form, accept, seconds)
        return body if accept != "application/sparql-results+json" else self._json(body)

    def _request(self, form: list[tuple[str, str]], accept: str, seconds: float | None) -> bytes:
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        body = urllib.parse.urlencode(form).encode()
        answer = send(self.url, "POST", body, headers, seconds, self.max_bytes)
        self._check_status(answer)
        return answer.body

    def _json(self, body: bytes) -> dict[str, Any]:
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            # The whole body is parsed: some servers send 200, then cut a result short.
            raise EndpointError(
                self.url, "the endpoint sent an incomplete or invalid result (not JSON)"
            ) from None
        if not isinstance(data, dict):
            raise self._bad("JSON that is not an object")
        return data

    def _dataset(self, seconds: float | None) -> list[str]:
        """The coopkg graphs of the store (`kg push` writes them), read once; none: all.

        Named, they make the dataset of every query: the store's own graphs (Virtuoso's
        system graphs, another application's data) stay out of counts and answers.
        """
        if self.graphs is None:
            form = [("query", _GRAPHS)]
            data = self._json(self._request(form, "application/sparql-results+json", seconds))
            columns, rows = self._check_select(data)
            graphs = sorted({str(self._row(r, columns)[0]) for r in rows if columns})
            # Past a few hundred, naming them would make every request huge: read all.
            self.graphs = graphs if len(graphs) <= MAX_NAMED_GRAPHS else []
        return self.graphs

    def _check_status(self, answer: Answer) -> None:
        status = answer.status
        if 300 <= status < 400:
            where = answer.headers.get("Location") or "(no Location)"
            raise EndpointError(
                self.url,
                f"HTTP {status}: the endpoint redirects to {where}; "
                "kg does not follow redirects (give that address if you trust it)",
            )
        # Virtuoso's "anytime" queries answer 200 with what they found before the limit.
        partial = answer.headers.get("X-SQL-State")
        if partial:
            why = answer.headers.get("X-SQL-Message") or partial
            raise EndpointError(self.url, f"the endpoint sent a partial result ({why})")
        if status == 200:
            return
        message = answer.detail() or answer.reason
        if status == 400:
            line, col = _line_col(message)
            raise QueryError(f"malformed SPARQL: {message}", line, col)
        raise EndpointError(self.url, f"HTTP {status}: {message}")


# Graphs whose IRI starts with id:graph/ (one per document, the registry's, the ontology's).
MAX_NAMED_GRAPHS = 200  # coopkg graphs named as the dataset of each query, at most
_GRAPHS = (
    "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
    'FILTER(STRSTARTS(STR(?g), "https://w3id.org/coopkg/id/graph/")) }'
)


@dataclass
class Answer:
    """An HTTP answer read whole (within the cap): status, headers, body."""

    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes

    def detail(self) -> str:
        """The body's first lines, for an error message (Virtuoso puts its reason on the
        third line)."""
        lines = [x.strip() for x in self.body[:4096].decode("utf-8", "replace").splitlines()]
        return " ".join(x for x in lines[:4] if x)[:300]


def send(
    url: str,
    method: str,
    body: bytes | None,
    headers: Mapping[str, str],
    timeout: float | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Answer:
    """One HTTP request, bounded: `timeout` seconds for all of it, the body capped at
    `max_bytes` (an error answer at 4 KB), redirects returned, never followed.

    Raises EndpointError, with `transient` set when the connection failed midway (reset,
    closed, timed out): worth another try for an idempotent request.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(url, "not an http(s) endpoint address")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    conn_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    try:
        port = parts.port
    except ValueError:
        raise EndpointError(url, "the address has a bad port") from None
    conn = conn_class(parts.hostname, port, timeout=timeout or None)
    watchdog = _Watchdog(conn, timeout)
    try:
        conn.connect()
        # The connection forgets its socket once a "Connection: close" answer arrives;
        # the watchdog keeps its own reference to cut the body's reads too.
        watchdog.sock = conn.sock
        conn.request(method, path, body=body, headers=dict(headers))
        response = conn.getresponse()
        ok = 200 <= response.status < 300
        payload = _read(url, response, max_bytes if ok else 4096, cut=not ok)
        answer = Answer(response.status, response.reason, response.msg, payload)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if watchdog.fired or isinstance(exc, TimeoutError | socket.timeout):
            raise EndpointError(
                url, f"no complete answer within {timeout:g} s (--timeout)", transient=True
            ) from None
        transient = isinstance(exc, _TRANSIENT) and not isinstance(exc, socket.gaierror)
        raise EndpointError(url, f"cannot reach the endpoint: {exc}", transient=transient) from None
    finally:
        watchdog.cancel()
        conn.close()
    if watchdog.fired:
        raise EndpointError(
            url, f"no complete answer within {timeout:g} s (--timeout)", transient=True
        )
    return answer


# A connection refused, reset or closed midway may work on the next try; a name that does
# not resolve or a bad certificate will not.
_TRANSIENT = (
    ConnectionError,
    http.client.RemoteDisconnected,
    http.client.IncompleteRead,
    http.client.BadStatusLine,
)


def _read(url: str, response: http.client.HTTPResponse, cap: int, cut: bool) -> bytes:
    declared = response.getheader("Content-Length")
    if not cut and declared and declared.isdigit() and int(declared) > cap:
        raise _too_big(url, cap, int(declared))
    chunks, size = [], 0
    while True:
        chunk = response.read1(1 << 16)
        if not chunk:
            break
        size += len(chunk)
        if size > cap:
            if cut:
                break
            raise _too_big(url, cap, size, at_least=True)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(url: str, cap: int, size: int, at_least: bool = False) -> EndpointError:
    limit = f"{cap / (1 << 20):g} MB"
    if at_least:
        return EndpointError(url, f"the answer is over the {limit} limit (--max-response)")
    return EndpointError(
        url, f"the answer is {size / (1 << 20):.1f} MB, over the {limit} limit (--max-response)"
    )


class _Watchdog:
    """Shut the connection's socket when the deadline passes, whatever it is waiting on."""

    def __init__(self, conn: http.client.HTTPConnection, seconds: float | None) -> None:
        self.conn = conn
        self.sock: socket.socket | None = None
        self.fired = False
        self.timer: threading.Timer | None = None
        if seconds:
            self.timer = threading.Timer(seconds, self._fire)
            self.timer.daemon = True
            self.timer.start()

    def _fire(self) -> None:
        self.fired = True
        sock = self.sock or self.conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
