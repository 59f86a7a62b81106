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
from typing import Any

import rdflib

from kg.errors import KgError
from kg.sparql_guard import check_shape
from kg.store import (
    _SKIP,
    IRI,
    QueryError,
    Selects,
    Value,
    _line_col,
    _plain,
    _rdflib_term,
)

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_BYTES = 256 << 20
_TYPES = ("uri", "literal", "typed-literal", "bnode")


class EndpointError(KgError):
    """The endpoint could not be reached or gave an answer that is not a SPARQL result."""

    def __init__(self, url: str, message: str) -> None:
        self.url = url
        super().__init__(f"{url}: {message}")


class EndpointStore(Selects):
    """A SPARQL endpoint; `timeout` seconds per request (0 or None: none), `max_bytes` cap."""

    def __init__(
        self, url: str, timeout: float | None = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        self.url = url
        self.timeout = timeout
        self.max_bytes = max_bytes

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

    def _post(self, sparql: str, timeout: float | None) -> dict[str, Any]:
        check_shape(sparql)
        seconds = self.timeout if timeout is None else timeout
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise EndpointError(self.url, "not an http(s) endpoint address")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        body = urllib.parse.urlencode({"query": sparql}).encode()
        conn_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        try:
            port = parts.port
        except ValueError:
            raise EndpointError(self.url, "the address has a bad port") from None
        conn = conn_class(parts.hostname, port, timeout=seconds or None)
        watchdog = _Watchdog(conn, seconds)
        try:
            conn.connect()
            # The connection forgets its socket once a "Connection: close" answer arrives;
            # the watchdog keeps its own reference to cut the body's reads too.
            watchdog.sock = conn.sock
            conn.request(
                "POST",
                path,
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json",
                },
            )
            response = conn.getresponse()
            self._check_status(response)
            payload = self._read(response)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if watchdog.fired or isinstance(exc, TimeoutError | socket.timeout):
                raise EndpointError(
                    self.url, f"no complete answer within {seconds:g} s (--timeout)"
                ) from None
            raise EndpointError(self.url, f"cannot reach the endpoint: {exc}") from None
        finally:
            watchdog.cancel()
            conn.close()
        if watchdog.fired:
            raise EndpointError(self.url, f"no complete answer within {seconds:g} s (--timeout)")
        try:
            data = json.loads(payload)
        except (ValueError, RecursionError):
            # The whole body is parsed: some servers send 200, then cut a result short.
            raise EndpointError(
                self.url, "the endpoint sent an incomplete or invalid result (not JSON)"
            ) from None
        if not isinstance(data, dict):
            raise self._bad("JSON that is not an object")
        return data

    def _check_status(self, response: http.client.HTTPResponse) -> None:
        status = response.status
        if 300 <= status < 400:
            where = response.getheader("Location") or "(no Location)"
            raise EndpointError(
                self.url,
                f"HTTP {status}: the endpoint redirects to {where}; "
                "kg does not follow redirects (give that address if you trust it)",
            )
        if status == 200:
            return
        detail = self._read(response, limit=4096).decode("utf-8", "replace").strip().splitlines()
        message = detail[0][:300] if detail else response.reason
        if status == 400:
            line, col = _line_col(message)
            raise QueryError(f"malformed SPARQL: {message}", line, col)
        raise EndpointError(self.url, f"HTTP {status}: {message}")

    def _read(self, response: http.client.HTTPResponse, limit: int | None = None) -> bytes:
        cap = self.max_bytes if limit is None else limit
        declared = response.getheader("Content-Length")
        if limit is None and declared and declared.isdigit() and int(declared) > cap:
            raise self._too_big(int(declared))
        chunks, size = [], 0
        while True:
            chunk = response.read1(1 << 16)
            if not chunk:
                break
            size += len(chunk)
            if size > cap:
                if limit is not None:
                    break
                raise self._too_big(size, at_least=True)
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_big(self, size: int, at_least: bool = False) -> EndpointError:
        limit = f"{self.max_bytes / (1 << 20):g} MB"
        if at_least:
            return EndpointError(self.url, f"the answer is over the {limit} limit (--max-response)")
        return EndpointError(
            self.url,
            f"the answer is {size / (1 << 20):.1f} MB, over the {limit} limit (--max-response)",
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


def with_values(sparql: str, bindings: Mapping[str, Any] | None) -> str:
    """Bind by opening the WHERE group with a VALUES block of N-Triples terms.

    VALUES at the start of the group (not after the query) so that FILTERs and
    aggregates inside it see the bound values, as Oxigraph's substitutions do.
    """
    if not bindings:
        return sparql
    names = list(bindings)
    terms = [_rdflib_term(bindings[n]).n3() for n in names]
    values = " VALUES (" + " ".join("?" + n for n in names) + ") { (" + " ".join(terms) + ") } "
    at = _first_group(sparql)
    if at < 0:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    return sparql[: at + 1] + values + sparql[at + 1 :]


def _first_group(sparql: str) -> int:
    """Index of the first '{' outside comments, strings and IRIs."""
    i = 0
    while i < len(sparql):
        m = _SKIP.match(sparql, i)
        if m:
            i = m.end()
            continue
        if sparql[i] == "{":
            return i
        i += 1
    return -1
