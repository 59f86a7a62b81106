"""What kg serve answers at /sparql: queries (from the worker pool, or kept answers),
updates (only with the configured token) and, without either, its service description.

The request was read by kg.server_request; everything here runs after it, outside the
deadline for reading a request, under the query's own (the pool enforces it).
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import OrderedDict
from email.message import Message
from typing import TYPE_CHECKING, Any

from kg.answer import ProtocolQuery, Reply, malformed, text_reply
from kg.bounded import EngineCrashed, QueryTimeout
from kg.errors import KgError
from kg.server_request import graph_uris, one
from kg.store import QueryError
from kg.workers import ServerBusy

if TYPE_CHECKING:
    from kg.server import SparqlServer


def answer(
    server: SparqlServer, method: str, params: dict[str, list[str]], headers: Message
) -> Reply:
    """The reply to a /sparql request whose parameters are `params` (Refused raised by
    kg.server_request's helpers becomes the reply upstream)."""
    config = server.config
    if "using-graph-uri" in params or "using-named-graph-uri" in params:
        return text_reply(400, "using-graph-uri is not supported: updates see the union")
    if "update" in params:
        if method != "POST":
            return text_reply(405, "an update must be POSTed", ("Allow", "POST"))
        return _update(server, one(params, "update"), headers.get("Authorization") or "")
    if "query" not in params:
        return _describe(server, headers.get("Accept") or "")
    text = one(params, "query")
    if len(text) > config.max_query:
        return text_reply(413, f"the query is longer than {config.max_query} characters")
    fmt = params.get("format", [None])[0]
    graphs = graph_uris(params, "default-graph-uri"), graph_uris(params, "named-graph-uri")
    job = ProtocolQuery(text, headers.get("Accept"), fmt, config.max_rows, *graphs)
    return _run(server, job)


def _run(server: SparqlServer, job: ProtocolQuery) -> Reply:
    seconds = server.config.timeout
    answers = server.answers
    key = (job.text, job.accept, job.fmt)
    kept = answers.get(key)
    if kept is not None:
        return kept
    try:
        generation = answers.generation
        reply = server.pool.run(job, time.monotonic() + seconds, seconds)
        answers.put(key, reply, generation)
        return reply
    except (QueryTimeout, ServerBusy) as exc:
        return text_reply(503, str(exc))
    except EngineCrashed as exc:
        return text_reply(500, str(exc))


def _update(server: SparqlServer, text: str, given: str) -> Reply:
    token = server.config.update_token
    if token is None:
        return text_reply(403, "updates are refused: this endpoint is read-only")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return text_reply(403, "updates need the server's token (Authorization: Bearer ...)")
    seconds = server.config.timeout
    try:
        count = server.pool.update(text, seconds)
        server.answers.clear()
    except QueryTimeout as exc:
        return text_reply(503, f"update {exc}")
    except QueryError as exc:
        return malformed(exc.message, exc.line, exc.column)
    except KgError as exc:
        return text_reply(400, str(exc))
    server.triples = count
    return text_reply(200, f"updated: the store holds {count} triples")


def _describe(server: SparqlServer, accept: str) -> Reply:
    if "text/html" in accept:
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
        f"void:triples {server.triples} ] ] .\n"
    )
    return Reply(200, text.encode(), "text/turtle; charset=utf-8")


_FORMAT_IRIS = {
    "application/sparql-results+json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "application/sparql-results+xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "text/csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "text/tab-separated-values": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "text/turtle": "http://www.w3.org/ns/formats/Turtle",
    "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
    "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
}


class Answers:
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
