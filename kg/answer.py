"""What a query worker of `kg serve` does with a job, and the store that sends it jobs.

A worker (kg.workers) holds the loaded OxigraphStore and answers two kinds of job: a
SPARQL Protocol query, answered with the bytes of the HTTP response (so the server only
relays them), and a call of the Store interface (`select`, `ask`, `triples`), answered
with rows, for pages that query the graph on the server's behalf (`ServedStore`).

Protocol queries get the predeclared prefixes (kg/queries/prefixes.sparql) that they use
and do not declare, as `kg query` does: a standard endpoint predeclares none, but a query
valid there means the same here (a declared prefix always wins), and people typing into
the query page can write `coop:` at once. Error positions point into the text as sent.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg.bounded import QueryTimeout
from kg.errors import KgError
from kg.results import (
    Body,
    boolean_body,
    negotiate,
    offered,
    solutions_body,
    triples_body,
)
from kg.sparql_guard import UPDATE_WORDS, SparqlRefused, check_shape
from kg.sparql_text import Prepared, SparqlSyntax, predeclared, prepare
from kg.store import TRIPLE, OxigraphStore, QueryError, Selects, Value

TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    """An HTTP answer as a worker made it: status, body bytes, type, extra headers."""

    status: int
    body: bytes
    content_type: str = TEXT
    headers: tuple[tuple[str, str], ...] = ()


def text_reply(status: int, message: str, *headers: tuple[str, str]) -> Reply:
    return Reply(status, (message.rstrip("\n") + "\n").encode("utf-8"), TEXT, headers)


@dataclass(frozen=True)
class ProtocolQuery:
    """A SPARQL Protocol query: its text, the client's Accept and format=, the row cap."""

    text: str
    accept: str | None = None
    fmt: str | None = None
    max_rows: int | None = None
    # The protocol's default-graph-uri and named-graph-uri (none given: the union).
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoreCall:
    """`method` (select, ask, triples, len) of the Store interface, run in a worker."""

    method: str
    sparql: str = ""
    bindings: Mapping[str, Any] | None = None


class Answerer:
    """The Engine of kg.workers for one OxigraphStore."""

    def __init__(self, store: OxigraphStore) -> None:
        self.store = store

    def handle(self, job: Any) -> Any:
        if isinstance(job, ProtocolQuery):
            return self.answer(job)
        if isinstance(job, StoreCall):
            return self.call(job)
        return text_reply(500, f"unknown job {type(job).__name__}")

    def answer(self, job: ProtocolQuery) -> Reply:
        """The HTTP answer to a protocol query: 200, 400 (with the position) or 406."""
        added = 0
        try:
            prepared = _checked(job.text)
            added = prepared.added_lines
            result = self.store._run(
                prepared.text, None, job.default_graphs or None, job.named_graphs or None
            )
        except SparqlRefused as exc:
            return text_reply(400, str(exc))
        except (SparqlSyntax, QueryError) as exc:
            line = exc.line - added if exc.line is not None and exc.line > added else exc.line
            return malformed(exc.message, line, exc.column)
        form = _form(result)
        media = negotiate(job.accept, job.fmt, form)
        if media is None:
            wanted = job.fmt or job.accept or ""
            return text_reply(
                406, f"cannot answer a {form} as {wanted!r}; offered: {', '.join(offered(form))}"
            )
        try:
            body = self._body(result, media, job.max_rows)
        except (RuntimeError, OSError, ValueError) as exc:  # an error while evaluating
            return text_reply(500, f"the query failed: {str(exc).splitlines()[0][:300]}")
        headers = () if body.truncated is None else (("X-Coopkg-Truncated", str(body.truncated)),)
        return Reply(200, body.data, body.content_type, headers)

    @staticmethod
    def _body(result: Any, media: str, max_rows: int | None) -> Body:
        if isinstance(result, ox.QuerySolutions):
            return solutions_body(result, media, max_rows)
        if isinstance(result, ox.QueryBoolean):
            return boolean_body(bool(result), media)
        return triples_body(result, media, max_rows, predeclared())

    def call(self, job: StoreCall) -> tuple[str, Any, Any]:
        """("rows", columns, rows) or ("error", exception, None)."""
        try:
            if job.method == "len":
                return "rows", ["count"], [(len(self.store),)]
            if job.method == "ask":
                return "rows", ["boolean"], [(self.store.ask(job.sparql, job.bindings),)]
            run = self.store.iter_triples if job.method == "triples" else self.store.iter_select
            columns, rows = run(job.sparql, job.bindings, None, False)
            return "rows", columns, list(rows)
        except QueryError as exc:
            return "error", exc, None
        except Exception as exc:  # any other error crosses the socket as plain text
            return "error", KgError(str(exc)), None

    def update(self, text: str) -> int:
        """Apply a SPARQL Update (no LOAD, no SERVICE); the number of triples after it."""
        found = check_shape(text)
        if "LOAD" in found.words or found.services:
            raise SparqlRefused("LOAD and SERVICE are not allowed: the server sends no requests")
        try:
            prepared = prepare(text)
            self.store._store.update(prepared.text)
        except SparqlSyntax as exc:
            raise QueryError(exc.message, exc.line, exc.column) from None
        except SyntaxError as exc:
            raise QueryError(f"malformed update: {str(exc).splitlines()[0][:300]}") from None
        except (RuntimeError, OSError, ValueError) as exc:
            raise QueryError(f"the update failed: {exc}") from None
        return len(self.store)

    def snapshot(self) -> bytes:
        return self.store._store.dump(format=ox.RdfFormat.N_QUADS) or b""

    def restore(self, data: bytes) -> None:
        fresh = ox.Store()
        if data:
            fresh.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        self.store._store = fresh


@functools.lru_cache(maxsize=256)
def _checked(text: str) -> Prepared:
    """The text an engine may run (clients repeat their queries: scanned once each)."""
    found = check_shape(text)
    if found.words & UPDATE_WORDS:
        raise SparqlRefused("an update is not a query: send it as an update request")
    if found.services:
        raise SparqlRefused("SERVICE is not allowed: this endpoint sends no requests")
    return prepare(text)


def malformed(message: str, line: int | None, column: int | None) -> Reply:
    """400 for text that is not SPARQL: the message, then where (also as headers)."""
    if line is None:
        return text_reply(400, f"malformed query: {message}")
    where = f"line {line}" + (f", column {column}" if column is not None else "")
    headers = [("X-Coopkg-Error-Line", str(line))]
    if column is not None:
        headers.append(("X-Coopkg-Error-Column", str(column)))
    return text_reply(400, f"malformed query: {message} ({where})", *headers)


def _form(result: Any) -> str:
    if isinstance(result, ox.QuerySolutions):
        return "SELECT"
    if isinstance(result, ox.QueryBoolean):
        return "ASK"
    return "CONSTRUCT"


class ServedStore(Selects):
    """The Store interface (kg.store) over the server's workers, with its deadline: what
    pages served beside the endpoint query, so a slow page query is stopped like any."""

    def __init__(self, pool: Any, timeout: float) -> None:
        self.pool = pool
        self.timeout = timeout

    def _call(self, job: StoreCall, timeout: float | None) -> tuple[list[str], list[Any]]:
        import time

        seconds = timeout or self.timeout
        kind, first, second = self.pool.run(job, time.monotonic() + seconds, seconds)
        if kind == "error":
            raise first
        return first, second

    def iter_select(
        self,
        sparql: str,
        bindings: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        isolate: bool | None = None,
    ) -> tuple[list[str], Iterator[tuple[Value, ...]]]:
        columns, rows = self._call(StoreCall("select", sparql, dict(bindings or {})), timeout)
        return columns, iter(rows)

    def ask(
        self, sparql: str, bindings: Mapping[str, Any] | None = None, timeout: float | None = None
    ) -> bool:
        return bool(self._call(StoreCall("ask", sparql, dict(bindings or {})), timeout)[1][0][0])

    def iter_triples(
        self,
        sparql: str,
        bindings: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        isolate: bool | None = None,
    ) -> tuple[list[str], Iterator[tuple[Value, ...]]]:
        _, rows = self._call(StoreCall("triples", sparql, dict(bindings or {})), timeout)
        return list(TRIPLE), iter(rows)

    def __len__(self) -> int:
        return int(self._call(StoreCall("len"), None)[1][0][0])


__all__ = ["Answerer", "ProtocolQuery", "QueryTimeout", "Reply", "ServedStore", "StoreCall"]
