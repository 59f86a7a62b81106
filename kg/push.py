"""Load the built graph into a triple store: one named graph per document, replaced whole.

A store that speaks the SPARQL 1.1 Graph Store Protocol gets `PUT ?graph=IRI` with the
graph's N-Triples (a large graph: PUT of the first batch, POST-append of the rest); any
other gets SPARQL 1.1 Update (`DROP SILENT GRAPH` then `INSERT DATA` in batches). Each
request is idempotent (a graph is a set), so a transient failure (connection reset,
timeout, 502/503/504) is sent again after a backoff; a 4xx never is. At the end the store
is asked how many triples each graph holds, and any difference is an error.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.endpoint import DEFAULT_MAX_BYTES, Answer, EndpointError, send
from kg.errors import InputError
from kg.namespace import ID
from kg.source import read_bytes
from kg.store import _format_for

GRAPH_PREFIX = str(ID) + "graph/"
_TRANSIENT_STATUS = (502, 503, 504)
_NO_GSP = (404, 405, 415, 501)  # the address does not take Graph Store requests
Progress = Callable[[int, int], None]


def read_named_graphs(path: str | Path) -> dict[str, list[str]]:
    """The named graphs of an N-Quads or TriG file: graph IRI -> sorted N-Triples lines.

    Triples outside a named graph, and blank nodes, are refused: neither could be
    replaced by a later push (a blank node is a new node in each request).
    """
    path = Path(path)
    fmt = _format_for(path)
    if fmt not in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        raise InputError(
            str(path),
            "has no named graphs (one per document): push the N-Quads file `kg build` "
            "writes (out/graph.nq)",
        )
    data = read_bytes(path, "graph file")
    graphs: dict[str, set[str]] = {}
    try:
        for quad in ox.parse(data, format=fmt):
            if isinstance(quad.graph_name, ox.DefaultGraph):
                raise InputError(
                    str(path),
                    "holds triples outside a named graph: kg push replaces named graphs only",
                )
            if any(isinstance(t, ox.BlankNode) for t in (quad.subject, quad.object)):
                raise InputError(
                    str(path),
                    "holds blank nodes: a re-push could not replace them (kg build writes none)",
                )
            triple = f"{quad.subject} {quad.predicate} {quad.object} ."
            graphs.setdefault(quad.graph_name.value, set()).add(triple)
    except SyntaxError as exc:
        msg = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise InputError(str(path), f"malformed RDF: {msg}") from None
    if not graphs:
        raise InputError(str(path), "holds no triples to push")
    return {g: sorted(lines) for g, lines in sorted(graphs.items())}


@dataclass
class Auth:
    """Credentials: `basic`, `digest` (answered to the store's challenge) or `bearer`
    (`secret` is the token). `auto` answers whichever challenge the store sends."""

    user: str
    secret: str
    scheme: str = "auto"
    _challenge: dict[str, str] | None = field(default=None, repr=False)
    _count: int = field(default=0, repr=False)

    def header(self, method: str, url: str) -> str | None:
        if self.scheme == "bearer":
            return f"Bearer {self.secret}"
        if self.scheme == "basic":
            token = f"{self.user}:{self.secret}".encode()
            return "Basic " + base64.b64encode(token).decode()
        if self.scheme == "digest" and self._challenge is not None:
            return self._digest(method, url)
        return None

    def learn(self, challenge: str | None) -> bool:
        """Read a 401's WWW-Authenticate; True when answering it is worth a try."""
        if not challenge:
            return False
        kind, _, rest = challenge.strip().partition(" ")
        kind = kind.lower()
        if self.scheme in ("auto", "basic") and kind == "basic":
            first = self.scheme == "auto"
            self.scheme = "basic"
            return first
        if self.scheme in ("auto", "digest") and kind == "digest":
            fresh = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
            stale = fresh.get("stale", "").lower() == "true"
            first = self._challenge is None or stale
            self.scheme, self._challenge, self._count = "digest", fresh, 0
            return first
        return False

    def _digest(self, method: str, url: str) -> str:
        """RFC 7616 with MD5 (what Virtuoso and most stores offer) and qop=auth."""
        c = self._challenge or {}
        parts = urllib.parse.urlsplit(url)
        uri = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

        def h(text: str) -> str:
            return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()

        ha1 = h(f"{self.user}:{c.get('realm', '')}:{self.secret}")
        ha2 = h(f"{method}:{uri}")
        self._count += 1
        nc, cnonce = f"{self._count:08x}", os.urandom(8).hex()
        fields = {"username": self.user, "realm": c.get("realm", ""), "nonce": c.get("nonce", "")}
        fields["uri"] = uri
        if "auth" in c.get("qop", "").split(","):
            fields["response"] = h(f"{ha1}:{fields['nonce']}:{nc}:{cnonce}:auth:{ha2}")
            fields.update(qop="auth", nc=nc, cnonce=cnonce)
        else:
            fields["response"] = h(f"{ha1}:{fields['nonce']}:{ha2}")
        if "opaque" in c:
            fields["opaque"] = c["opaque"]
        quoted = ("qop", "nc")
        return "Digest " + ", ".join(
            f"{k}={v}" if k in quoted else f'{k}="{v}"' for k, v in fields.items()
        )


@dataclass
class Target:
    """Where to push: the SPARQL query endpoint (for the check), the Update endpoint
    (default: the query endpoint) and the Graph Store endpoint (None: Update only)."""

    endpoint: str
    update: str | None = None
    graph_store: str | None = None
    auth: Auth | None = None
    timeout: float = 60.0
    retries: int = 3
    backoff: float = 0.5  # seconds before the first retry, doubled for each next one


@dataclass
class PushResult:
    """What was sent and what the store holds afterwards, per graph."""

    sent: dict[str, int]
    stored: dict[str, int]
    protocol: str  # "graph store" or "update"
    requests: int = 0
    retries: int = 0
    pruned: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # coopkg graphs in the store not pushed
    notes: list[str] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(self.sent.values())


class Client:
    """Requests to one store with credentials, retries and the endpoint's bounds."""

    def __init__(self, target: Target, sleep: Callable[[float], None] = time.sleep) -> None:
        self.target = target
        self.sleep = sleep
        self.requests = 0
        self.retries = 0

    def call(self, method: str, url: str, body: bytes | None, headers: Mapping[str, str]) -> Answer:
        t, auth = self.target, self.target.auth
        attempt, answered = 0, 0
        while True:
            sent = dict(headers)
            value = auth.header(method, url) if auth else None
            if value:
                sent["Authorization"] = value
            self.requests += 1
            try:
                answer = send(url, method, body, sent, t.timeout or None, DEFAULT_MAX_BYTES)
            except EndpointError as exc:
                if not exc.transient or attempt >= t.retries:
                    if exc.transient and attempt:
                        raise EndpointError(
                            url, f"{_after(exc)} (after {attempt + 1} tries)"
                        ) from None
                    raise
                self._wait(attempt)
                attempt += 1
                continue
            challenge = answer.headers.get("WWW-Authenticate")
            if answer.status == 401 and auth and answered < 2 and auth.learn(challenge):
                answered += 1
                continue
            if answer.status in _TRANSIENT_STATUS and attempt < t.retries:
                self._wait(attempt)
                attempt += 1
                continue
            if answer.status == 401:
                why = "refused the credentials" if auth else "wants credentials (--auth-env)"
                raise EndpointError(url, f"HTTP 401: the store {why}")
            if 300 <= answer.status < 400:
                where = answer.headers.get("Location") or "(no Location)"
                raise EndpointError(
                    url, f"HTTP {answer.status}: redirects to {where}; kg does not follow redirects"
                )
            return answer

    def _wait(self, attempt: int) -> None:
        self.retries += 1
        self.sleep(min(self.target.backoff * (2**attempt), 30.0))

    def ok(self, answer: Answer, url: str) -> Answer:
        if not 200 <= answer.status < 300:
            raise EndpointError(url, f"HTTP {answer.status}: {answer.detail() or answer.reason}")
        return answer

    def select(self, sparql: str) -> list[dict[str, str]]:
        """Rows of a SELECT as {variable: value}, read from the query endpoint."""
        url = self.target.endpoint
        body = urllib.parse.urlencode({"query": sparql}).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        }
        answer = self.ok(self.call("POST", url, body, headers), url)
        if answer.headers.get("X-SQL-State"):  # Virtuoso's partial "anytime" answer
            raise EndpointError(url, "the store sent a partial result (X-SQL-State)")
        try:
            rows = json.loads(answer.body)["results"]["bindings"]
            return [{k: v["value"] for k, v in row.items()} for row in rows]
        except (ValueError, KeyError, TypeError):
            raise EndpointError(url, "the store sent no SPARQL JSON result") from None

    def update(self, sparql: str) -> None:
        url = self.target.update or self.target.endpoint
        body = urllib.parse.urlencode({"update": sparql}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        self.ok(self.call("POST", url, body, headers), url)


def _after(exc: EndpointError) -> str:
    return str(exc)[len(exc.url) + 2 :]


def graph_url(store: str, graph: str) -> str:
    """The Graph Store address of one graph: `?graph=IRI` added to the store's."""
    sep = "&" if urllib.parse.urlsplit(store).query else "?"
    return f"{store}{sep}{urllib.parse.urlencode({'graph': graph})}"


def push(
    graphs: Mapping[str, list[str]],
    target: Target,
    batch: int = 5000,
    prune: bool = False,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> PushResult:
    """Replace each graph of `graphs` in the store, then check what it holds.

    Raises EndpointError (one line naming the address) when the store cannot be reached,
    refuses a request, or holds other counts than were sent (`PushError`).
    """
    client = Client(target, sleep)
    total, done = sum(len(v) for v in graphs.values()), 0
    protocol = "graph store" if target.graph_store else "update"
    notes: list[str] = []
    for graph, lines in graphs.items():
        batches = [lines[i : i + batch] for i in range(0, len(lines), batch)] or [[]]
        for number, part in enumerate(batches):
            if protocol == "graph store":
                protocol = _gsp(client, graph, part, first=number == 0, notes=notes)
            if protocol == "update":
                _update(client, graph, part, first=number == 0)
            done += len(part)
            if progress:
                progress(done, total)
    present = [r["g"] for r in client.select(_GRAPHS)]
    others = sorted(g for g in present if g not in graphs)
    pruned: list[str] = []
    if prune:
        for graph in others:
            if protocol == "graph store":
                url = graph_url(target.graph_store or "", graph)
                answer = client.call("DELETE", url, None, {})
                if answer.status != 404:  # gone already
                    client.ok(answer, url)
            else:
                client.update(f"DROP SILENT GRAPH <{graph}>")
            pruned.append(graph)
    stored = _counts(client, list(graphs))
    result = PushResult(
        {g: len(v) for g, v in graphs.items()},
        stored,
        protocol,
        client.requests,
        client.retries,
        pruned,
        [g for g in others if g not in pruned],
        notes,
    )
    wrong = [g for g in graphs if stored.get(g, 0) != result.sent[g]]
    if wrong:
        g = wrong[0]
        raise PushError(
            target.endpoint,
            f"the store holds {stored.get(g, 0)} triples in <{g}>, {result.sent[g]} were sent"
            + (f" ({len(wrong)} graphs differ)" if len(wrong) > 1 else ""),
        )
    return result


class PushError(EndpointError):
    """The store does not hold what was sent."""


def _gsp(client: Client, graph: str, lines: list[str], first: bool, notes: list[str]) -> str:
    store = client.target.graph_store or ""
    url = graph_url(store, graph)
    body = ("\n".join(lines) + "\n").encode() if lines else b""
    headers = {"Content-Type": "application/n-triples"}
    answer = client.call("PUT" if first else "POST", url, body, headers)
    if first and answer.status in _NO_GSP:
        notes.append(
            f"{store} answered HTTP {answer.status} to a Graph Store PUT: "
            "SPARQL Update used instead"
        )
        return "update"
    client.ok(answer, url)
    return "graph store"


def _update(client: Client, graph: str, lines: list[str], first: bool) -> None:
    data = "\n".join(lines)
    insert = f"INSERT DATA {{ GRAPH <{graph}> {{\n{data}\n}} }}" if lines else ""
    drop = f"DROP SILENT GRAPH <{graph}>" if first else ""
    client.update(" ;\n".join(x for x in (drop, insert) if x))


_GRAPHS = (
    "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
    f'FILTER(STRSTARTS(STR(?g), "{GRAPH_PREFIX}")) }}'
)


def _counts(client: Client, graphs: list[str], per_query: int = 200) -> dict[str, int]:
    """Triples per graph, as the store counts them (a few hundred graphs per query)."""
    counts: dict[str, int] = {}
    for i in range(0, len(graphs), per_query):
        values = " ".join(f"<{g}>" for g in graphs[i : i + per_query])
        rows = client.select(
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
            "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        for row in rows:
            counts[row["g"]] = int(row["n"])
    return counts
