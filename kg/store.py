"""Where the graph lives: one small interface in front of Oxigraph, rdflib or an endpoint.

Queries, analysis and pages only call `Store.select` / `Store.ask`, so the engine behind
them can change without touching them. Parameters are always bound by the engine
(Oxigraph substitutions, rdflib initBindings) or, for a remote endpoint, written as
`VALUES` from the term's own N-Triples form: never pasted into the query text.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
import rdflib
from rdflib.plugins.sparql import prepareQuery

from kg.errors import InputError, KgError
from kg.source import read_bytes

Value = str | int | float | bool | None
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class IRI(str):
    """A string that is bound as an IRI, not as a literal."""

    __slots__ = ()


@dataclass(frozen=True)
class Table:
    """The rows of a SELECT, as plain Python values (IRIs as `IRI` strings)."""

    columns: list[str]
    rows: list[tuple[Value, ...]]

    def dicts(self) -> list[dict[str, Value]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


class Store(Protocol):
    """What every part of coopkg needs from wherever the graph lives."""

    def select(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Table: ...

    def ask(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> bool: ...

    def __len__(self) -> int: ...


class QueryError(KgError):
    """A SPARQL query the engine could not parse or run."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message = message
        self.line = line
        self.column = column
        super().__init__(message)


# --- Oxigraph ---------------------------------------------------------------------------


def _ox_term(value: Any) -> ox.NamedNode | ox.Literal:
    if isinstance(value, IRI):
        return ox.NamedNode(str(value))
    if isinstance(value, rdflib.URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, bool):
        return ox.Literal(
            "true" if value else "false",
            datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"),
        )
    if isinstance(value, int):
        return ox.Literal(
            str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
        )
    return ox.Literal(str(value))


def _from_ox(term: Any) -> Value:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return _plain(
            rdflib.Literal(
                term.value,
                lang=term.language,
                datatype=None if term.language else rdflib.URIRef(term.datatype.value),
            )
        )
    return str(term)


def _plain(value: Any) -> Value:
    if isinstance(value, rdflib.Literal):
        value = value.toPython()
        if isinstance(value, rdflib.Literal):  # unknown datatype
            return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class OxigraphStore:
    """The default store: Oxigraph in memory, fast SPARQL, parameters as substitutions."""

    def __init__(self) -> None:
        self._store = ox.Store()

    @classmethod
    def from_file(cls, path: str | Path) -> OxigraphStore:
        store = cls()
        store.load_file(path)
        return store

    @classmethod
    def from_graph(cls, graph: rdflib.Graph) -> OxigraphStore:
        store = cls()
        data = graph.serialize(format="nt", encoding="utf-8")
        store._store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
        return store

    def load_file(self, path: str | Path) -> None:
        path = Path(path)
        fmt = _format_for(path)
        data = read_bytes(path, "graph file")
        if not data.strip():
            raise InputError(str(path), "empty graph file")
        try:
            self._store.bulk_load(data, format=fmt)
        except SyntaxError as exc:
            line = getattr(exc, "lineno", None)
            col = getattr(exc, "offset", None)
            msg = str(exc.msg if hasattr(exc, "msg") else exc).splitlines()[0]
            raise InputError(str(path), f"malformed RDF: {msg}", line, col) from None
        except (ValueError, OSError) as exc:
            raise InputError(str(path), f"cannot read RDF: {exc}") from None

    def select(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Table:
        result = self._run(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        columns = [v.value for v in result.variables]
        rows = [tuple(_from_ox(sol[c]) for c in columns) for sol in result]
        return Table(columns, rows)

    def ask(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> bool:
        result = self._run(sparql, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("not an ASK query")
        return bool(result)

    def _run(self, sparql: str, bindings: Mapping[str, Any] | None) -> Any:
        subs = {ox.Variable(k): _ox_term(v) for k, v in (bindings or {}).items()}
        try:
            return self._store.query(
                sparql, substitutions=subs or None, use_default_graph_as_union=True
            )
        except SyntaxError as exc:
            line, col = _line_col(str(exc))
            raise QueryError(f"malformed SPARQL: {exc}", line, col) from None
        except (RuntimeError, OSError) as exc:
            # e.g. a bound variable that the SELECT does not project (SEP-0007 substitution)
            raise QueryError(str(exc)) from None

    def __len__(self) -> int:
        return len(self._store)


# --- rdflib -----------------------------------------------------------------------------


def _rdflib_term(value: Any) -> rdflib.term.Node:
    if isinstance(value, IRI | rdflib.URIRef):
        return rdflib.URIRef(str(value))
    return rdflib.Literal(value)


class RdflibStore:
    """rdflib's pure-Python engine: slower, kept as the reference the tests compare with."""

    def __init__(self, graph: rdflib.Graph | None = None) -> None:
        self.graph = graph if graph is not None else rdflib.Graph()

    @classmethod
    def from_file(cls, path: str | Path) -> RdflibStore:
        ox_store = OxigraphStore.from_file(path)  # one parser, one error message
        graph = rdflib.Graph()
        for quad in ox_store._store:  # named graphs fold into one, as Oxigraph's union does
            graph.add(
                (_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object))
            )
        return cls(graph)

    def select(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Table:
        result = self._run(sparql, bindings)
        if result.type != "SELECT":
            raise QueryError("not a SELECT query")
        columns = [str(v) for v in result.vars]
        rows = [tuple(_from_rdflib(t) for t in row) for row in result]
        return Table(columns, rows)

    def ask(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> bool:
        result = self._run(sparql, bindings)
        if result.type != "ASK":
            raise QueryError("not an ASK query")
        return bool(result.askAnswer)

    def _run(self, sparql: str, bindings: Mapping[str, Any] | None) -> Any:
        try:
            prepared = prepareQuery(sparql)
        except Exception as exc:  # pyparsing raises its own hierarchy
            line, col = _line_col(str(exc))
            raise QueryError(f"malformed SPARQL: {exc}", line, col) from None
        init = {rdflib.Variable(k): _rdflib_term(v) for k, v in (bindings or {}).items()}
        return self.graph.query(prepared, initBindings=init)

    def __len__(self) -> int:
        return len(self.graph)


def _to_rdflib(term: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        # RDF 1.1: a simple literal is an xsd:string, but rdflib tells them apart.
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _from_rdflib(term: Any) -> Value:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return IRI(str(term))
    if isinstance(term, rdflib.BNode):
        return "_:" + str(term)
    return _plain(term)


# --- remote endpoint --------------------------------------------------------------------


class EndpointStore:
    """A SPARQL 1.1 protocol endpoint. Bindings become a VALUES block of N-Triples terms."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url
        self.timeout = timeout

    def select(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Table:
        data = self._post(_with_values(sparql, bindings))
        if "results" not in data:
            raise QueryError("not a SELECT query")
        columns = list(data["head"].get("vars", []))
        rows = [
            tuple(_from_json_term(b.get(c)) for c in columns) for b in data["results"]["bindings"]
        ]
        return Table(columns, rows)

    def ask(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> bool:
        data = self._post(_with_values(sparql, bindings))
        if "boolean" not in data:
            raise QueryError("not an ASK query")
        return bool(data["boolean"])

    def __len__(self) -> int:
        table = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(table.rows[0][0] or 0)

    def _post(self, sparql: str) -> dict[str, Any]:
        body = urllib.parse.urlencode({"query": sparql}).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                # The whole body is read and parsed: some servers send 200 and then cut a
                # result short when their own timeout fires.
                payload = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            message = detail[0] if detail else exc.reason
            if exc.code == 400:
                line, col = _line_col(message)
                raise QueryError(f"malformed SPARQL: {message}", line, col) from None
            raise KgError(f"{self.url}: HTTP {exc.code}: {message}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise KgError(f"{self.url}: cannot reach the endpoint: {exc}") from None
        try:
            return json.loads(payload)
        except json.JSONDecodeError:
            raise KgError(
                f"{self.url}: the endpoint sent an incomplete or invalid result"
            ) from None


def _with_values(sparql: str, bindings: Mapping[str, Any] | None) -> str:
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


_SKIP = re.compile(
    r'#[^\n]*|<[^\s<>"{}|^`\\]*>|"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
)


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


def _from_json_term(term: Mapping[str, str] | None) -> Value:
    if term is None:
        return None
    if term["type"] == "uri":
        return IRI(term["value"])
    if term["type"] == "bnode":
        return "_:" + term["value"]
    lit = rdflib.Literal(
        term["value"],
        lang=term.get("xml:lang"),
        datatype=rdflib.URIRef(term["datatype"]) if "datatype" in term else None,
    )
    return _plain(lit)


# --- choosing one -----------------------------------------------------------------------


def _format_for(path: Path) -> ox.RdfFormat:
    suffix = path.suffix.lower()
    formats = {
        ".ttl": ox.RdfFormat.TURTLE,
        ".nt": ox.RdfFormat.N_TRIPLES,
        ".nq": ox.RdfFormat.N_QUADS,
        ".trig": ox.RdfFormat.TRIG,
        ".jsonld": ox.RdfFormat.JSON_LD,
        ".rdf": ox.RdfFormat.RDF_XML,
        ".xml": ox.RdfFormat.RDF_XML,
    }
    if suffix not in formats:
        raise InputError(str(path), f"unknown RDF file type {suffix!r} (use .ttl, .nt, .nq, .trig)")
    return formats[suffix]


def _line_col(message: str) -> tuple[int | None, int | None]:
    """Find 'line N' / 'at N:M' / 'error at N:M' in an engine's error text."""
    m = re.search(r"(?:at|line)\s+(\d+):(\d+)", message)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = re.search(r"line:?\s*(\d+)(?:,?\s*col(?:umn)?:?\s*(\d+))?", message)
    if m:
        return int(m.group(1)), int(m.group(2)) if m.group(2) else None
    return None, None


def open_store(location: str | Path, engine: str = "oxigraph") -> Store:
    """Open a graph file (Turtle, N-Triples, N-Quads...) or an http(s) SPARQL endpoint."""
    text = str(location)
    if text.startswith(("http://", "https://")):
        return EndpointStore(text)
    if engine == "rdflib":
        return RdflibStore.from_file(text)
    return OxigraphStore.from_file(text)


def rows_as_dicts(table: Table) -> Iterable[dict[str, Value]]:
    return table.dicts()
