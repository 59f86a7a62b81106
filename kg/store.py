"""Where the graph lives: one small interface in front of Oxigraph, rdflib or an endpoint.

Queries, analysis and pages only call `Store.select` / `Store.ask`, so the engine behind
them can change without touching them. Parameters are always bound by the engine
(Oxigraph substitutions, rdflib initBindings) or, for a remote endpoint, written as
`VALUES` from the term's own N-Triples form: never pasted into the query text.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import pyoxigraph as ox

from kg.bounded import run_rows
from kg.errors import InputError, KgError
from kg.source import read_bytes
from kg.sparql_guard import check_shape
from kg.sparql_text import short_error

if TYPE_CHECKING:
    import rdflib

# rdflib (and its SPARQL engine) load only when a value needs them or the rdflib store is
# asked for: a query on Oxigraph starts without them (kg.cli's fast start).

Value = str | int | float | bool | None
Rows = tuple[list[str], Iterator[tuple[Value, ...]]]
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
TRIPLE = ("subject", "predicate", "object")  # the columns of a graph result's rows


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
    """What every part of coopkg needs from wherever the graph lives.

    `timeout` is in seconds (None: no limit). `iter_select` gives the columns and an
    iterator over the rows; with `isolate` (or a timeout) a local engine runs in a child
    process, so the deadline, Ctrl-C and a crash of the engine stop only the query.
    """

    def select(
        self, sparql: str, bindings: Mapping[str, Any] | None = None, timeout: float | None = None
    ) -> Table: ...

    def iter_select(
        self,
        sparql: str,
        bindings: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        isolate: bool | None = None,
    ) -> Rows: ...

    def ask(
        self, sparql: str, bindings: Mapping[str, Any] | None = None, timeout: float | None = None
    ) -> bool: ...

    def __len__(self) -> int: ...


T = TypeVar("T")


def derived(store: Any, key: str, compute: Callable[[], T]) -> T:
    """`compute()`, once per frozen store (a store folder opened read-only, or the union
    a build has checked, `OxigraphStore.frozen`): what several outputs of one graph read
    (the page's records, the body graph) is made once per process, not once per output.
    Any other store may change between calls, and computes again every time. Callers
    must not change what they get (copy it first)."""
    if not is_frozen(store):
        return compute()
    memo: dict[str, Any] = store.__dict__.setdefault("_derived", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def is_frozen(store: Any) -> bool:
    return bool(getattr(store, "frozen", False))


class QueryError(KgError):
    """A SPARQL query the engine could not parse or run."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message = message
        self.line = line
        self.column = column
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:  # crosses the pipe from a query's child process
        return (type(self), (self.message, self.line, self.column))


# --- Oxigraph ---------------------------------------------------------------------------


def _ox_term(value: Any) -> ox.NamedNode | ox.Literal:
    if isinstance(value, IRI):
        return ox.NamedNode(str(value))
    rdflib = sys.modules.get("rdflib")  # not loaded: the value cannot be one of its terms
    if rdflib is not None and isinstance(value, rdflib.URIRef):
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
        if term.language or term.datatype.value == _XSD_STRING:
            return term.value  # the common case, without rdflib's conversion machinery
        return _typed(term.value, term.datatype.value)
    return str(term)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@functools.lru_cache(maxsize=4096)
def _typed(value: str, datatype: str) -> Value:
    # The datatypes coopkg's queries return, read as rdflib reads them, without loading
    # rdflib; anything else (or an ill-typed value) goes through rdflib itself.
    if datatype in (_XSD + "integer", _XSD + "int", _XSD + "long") and _INTEGER.fullmatch(value):
        return int(value)
    if datatype == _XSD + "boolean" and value in ("true", "false"):
        return value == "true"
    if datatype == _XSD + "date" and _DATE.fullmatch(value):
        import datetime

        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    import rdflib

    return _plain(rdflib.Literal(value, datatype=rdflib.URIRef(datatype)))


def _plain(value: Any) -> Value:
    import rdflib

    if isinstance(value, rdflib.Literal):
        value = value.toPython()
        if isinstance(value, rdflib.Literal):  # unknown datatype
            return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class Selects:
    """`select`, the collected form of a store's `iter_select`."""

    def select(
        self, sparql: str, bindings: Mapping[str, Any] | None = None, timeout: float | None = None
    ) -> Table:
        columns, rows = self.iter_select(sparql, bindings, timeout)  # type: ignore[attr-defined]
        return Table(columns, list(rows))


class _Engine(Selects):
    """What the local engines share: each query form checked, run through `_run` bounded
    (kg.bounded: a forked child with a deadline), and its result read by the engine's
    hooks `_solutions`, `_boolean` and `_triples` (None: the query is of another form)."""

    def iter_select(
        self,
        sparql: str,
        bindings: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        isolate: bool | None = None,
    ) -> Rows:
        return self._bounded(sparql, bindings, timeout, isolate, self._solutions, "a SELECT")

    def ask(
        self, sparql: str, bindings: Mapping[str, Any] | None = None, timeout: float | None = None
    ) -> bool:
        def read(result: Any) -> tuple[list[str], list[tuple[Value, ...]]] | None:
            answer = self._boolean(result)
            return None if answer is None else (["boolean"], [(answer,)])

        return bool(next(self._bounded(sparql, bindings, timeout, None, read, "an ASK")[1])[0])

    def iter_triples(
        self,
        sparql: str,
        bindings: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        isolate: bool | None = None,
    ) -> Rows:
        """The triples of a CONSTRUCT or DESCRIBE, each term in its N-Triples form."""

        def read(result: Any) -> tuple[list[str], Iterable[tuple[Value, ...]]] | None:
            triples = self._triples(result)
            return None if triples is None else (list(TRIPLE), triples)

        return self._bounded(sparql, bindings, timeout, isolate, read, "a CONSTRUCT or DESCRIBE")

    def _bounded(
        self,
        sparql: str,
        bindings: Mapping[str, Any] | None,
        timeout: float | None,
        isolate: bool | None,
        read: Any,
        form: str,
    ) -> Rows:
        check_shape(sparql)

        def produce() -> tuple[list[str], Iterable[tuple[Value, ...]]]:
            got = read(self._run(sparql, bindings))
            if got is None:
                raise QueryError(f"not {form} query")
            return got

        return run_rows(produce, timeout, isolate)

    def _run(self, sparql: str, bindings: Mapping[str, Any] | None) -> Any:
        raise NotImplementedError

    @staticmethod
    def _solutions(result: Any) -> tuple[list[str], Iterable[tuple[Value, ...]]] | None:
        raise NotImplementedError

    @staticmethod
    def _boolean(result: Any) -> bool | None:
        raise NotImplementedError

    @staticmethod
    def _triples(result: Any) -> Iterable[tuple[Value, ...]] | None:
        raise NotImplementedError


class OxigraphStore(_Engine):
    """The default store: Oxigraph, fast SPARQL, parameters as substitutions.

    In memory (a graph file loaded), queries see the union of its graphs; on disk (a
    store folder `kg build` wrote, kg.diskstore), its default graph, which holds that
    union made distinct.
    """

    def __init__(self, store: ox.Store | None = None, union: bool = True) -> None:
        self._store = ox.Store() if store is None else store
        self.union = union
        self.read_only = store is not None
        # Nothing will change its triples (kg.store.derived): a folder opened read-only;
        # the owner of an in-memory store may say so once it is loaded.
        self.frozen = self.read_only

    @classmethod
    def from_folder(cls, path: str | Path) -> OxigraphStore:
        """The store `kg build` wrote in folder `path`, read-only; nothing is parsed."""
        from kg.diskstore import has_default_graph, open_folder

        store = open_folder(path)
        return cls(store, union=not has_default_graph(store))

    @classmethod
    def from_file(cls, path: str | Path) -> OxigraphStore:
        if Path(path).is_dir():
            return cls.from_folder(path)
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
        if not path.suffix and not os.path.lexists(path):
            # Most likely a store folder not built yet (out/store): no file type to name.
            raise InputError(str(path), "no such file or store folder (kg build writes out/store)")
        fmt = _format_for(path)
        data = read_bytes(path, "graph file")
        if not data.strip():
            raise InputError(str(path), "empty graph file")
        if fmt == ox.RdfFormat.RDF_XML:
            _check_xml(path, data)
        try:
            self._store.bulk_load(data, format=fmt)
        except SyntaxError as exc:
            line = getattr(exc, "lineno", None)
            col = getattr(exc, "offset", None)
            msg = str(exc.msg if hasattr(exc, "msg") else exc).splitlines()[0]
            raise InputError(str(path), f"malformed RDF: {msg}", line, col) from None
        except (ValueError, OSError) as exc:
            raise InputError(str(path), f"cannot read RDF: {exc}") from None
        if next(iter(self._store.named_graphs()), None) is not None:
            self._merge_union()

    def _merge_union(self) -> None:
        # Named graphs (an .nq, .trig or .jsonld file): their distinct union goes into the
        # default graph, which queries then read, as on disk (kg.diskstore says why:
        # Oxigraph's union repeats a triple once per graph; bridges on graph.nq of 1,000
        # releases went from 0.3 s to past 60 s).
        triples = [
            ox.Quad(q.subject, q.predicate, q.object)
            for q in self._store.quads_for_pattern(None, None, None, None)
        ]
        self._store.bulk_extend(triples)
        self.union = False

    @staticmethod
    def _solutions(result: Any) -> tuple[list[str], Iterable[tuple[Value, ...]]] | None:
        if not isinstance(result, ox.QuerySolutions):
            return None
        # A solution iterates its values in the order of the variables (None: unbound).
        return [v.value for v in result.variables], (tuple(map(_from_ox, s)) for s in result)

    @staticmethod
    def _boolean(result: Any) -> bool | None:
        return bool(result) if isinstance(result, ox.QueryBoolean) else None

    @staticmethod
    def _triples(result: Any) -> Iterable[tuple[Value, ...]] | None:
        if not isinstance(result, ox.QueryTriples):
            return None
        return ((str(t.subject), str(t.predicate), str(t.object)) for t in result)

    def _run(
        self,
        sparql: str,
        bindings: Mapping[str, Any] | None,
        default_graphs: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
    ) -> Any:
        """Evaluate; the dataset is the union of all graphs unless graphs are named (as the
        SPARQL Protocol's default-graph-uri and named-graph-uri do)."""
        subs = {ox.Variable(k): _ox_term(v) for k, v in (bindings or {}).items()}
        dataset: dict[str, Any] = {"use_default_graph_as_union": self.union}
        if default_graphs is not None or named_graphs is not None:
            dataset = {
                "default_graph": [ox.NamedNode(g) for g in default_graphs or ()],
                "named_graphs": [ox.NamedNode(g) for g in named_graphs or ()],
            }
        try:
            return self._store.query(sparql, substitutions=subs or None, **dataset)
        except SyntaxError as exc:
            short = short_error(str(exc), sparql)
            raise QueryError(short.message, short.line, short.column) from None
        except (RuntimeError, OSError) as exc:
            # e.g. a bound variable that the SELECT does not project (SEP-0007 substitution)
            raise QueryError(str(exc)) from None

    def add_ontology(self) -> tuple[int, int]:
        """Add the ontology and the RDFS closure as named graphs (kg.inference)."""
        from kg.inference import add_ontology

        if self.read_only:
            raise InputError(
                None, "--with-ontology needs a graph file: a store folder is read-only"
            )
        counts = add_ontology(self._store)
        if not self.union:  # queries read the default graph: the new graphs join it too
            self._merge_union()
        return counts

    def __len__(self) -> int:
        if self.union:
            return len(self._store)
        # The default graph's triples; counted by the engine (len() would add the named
        # graphs' copies, and iterating in Python is slow): 0.1 s at 1,000 releases, once
        # for a frozen store.
        return derived(self, "triples", self._count)

    def _count(self) -> int:
        count = self._store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(count))[0].value)


# --- rdflib -----------------------------------------------------------------------------


def _rdflib_term(value: Any) -> rdflib.term.Node:
    import rdflib

    if isinstance(value, IRI | rdflib.URIRef):
        return rdflib.URIRef(str(value))
    return rdflib.Literal(value)


class RdflibStore(_Engine):
    """rdflib's pure-Python engine: slower, kept as the reference the tests compare with."""

    def __init__(self, graph: rdflib.Graph | None = None) -> None:
        import rdflib

        self.graph = graph if graph is not None else rdflib.Graph()

    @classmethod
    def from_file(cls, path: str | Path) -> RdflibStore:
        import rdflib

        ox_store = OxigraphStore.from_file(path)  # one parser, one error message
        graph = rdflib.Graph()
        # Named graphs fold into one, as Oxigraph's union does; a store folder's default
        # graph is that union already.
        quads = ox_store._store.quads_for_pattern(
            None, None, None, None if ox_store.union else ox.DefaultGraph()
        )
        for quad in quads:
            graph.add(
                (_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object))
            )
        return cls(graph)

    @staticmethod
    def _solutions(result: Any) -> tuple[list[str], Iterable[tuple[Value, ...]]] | None:
        if result.type != "SELECT":
            return None
        return [str(v) for v in result.vars], (tuple(map(_from_rdflib, r)) for r in result)

    @staticmethod
    def _boolean(result: Any) -> bool | None:
        return bool(result.askAnswer) if result.type == "ASK" else None

    @staticmethod
    def _triples(result: Any) -> Iterable[tuple[Value, ...]] | None:
        if result.type not in ("CONSTRUCT", "DESCRIBE"):
            return None
        return (tuple(t.n3() for t in triple) for triple in result.graph)

    def _run(self, sparql: str, bindings: Mapping[str, Any] | None) -> Any:
        import rdflib
        from rdflib.plugins.sparql import prepareQuery

        try:
            prepared = prepareQuery(sparql)
        except Exception as exc:  # pyparsing raises its own hierarchy
            line, col = _line_col(str(exc))
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else "syntax error"
            raise QueryError(f"syntax error: {first[:160]}", line, col) from None
        from kg.rdflibeval import once_per_query

        once_per_query(prepared.prologue)  # each subquery evaluated once, not once a row
        init = {rdflib.Variable(k): _rdflib_term(v) for k, v in (bindings or {}).items()}
        return self.graph.query(prepared, initBindings=init)

    def __len__(self) -> int:
        return len(self.graph)


def _to_rdflib(term: Any) -> Any:
    import rdflib

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
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return IRI(str(term))
    if isinstance(term, rdflib.BNode):
        return "_:" + str(term)
    return _plain(term)


# --- choosing one -----------------------------------------------------------------------


_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
# A DTD can declare entities that expand to gigabytes (billion laughs) or name outside
# files; coopkg writes no RDF/XML that needs one, so any declaration is refused unread.
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


_TAG = re.compile(rb"<(/)?[^<>]*?(/)?>")
_MAX_XML_DEPTH = 1000


def _format_for(path: Path) -> ox.RdfFormat:
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        known = ", ".join(_FORMATS)
        raise InputError(str(path), f"unknown RDF file type {suffix!r} (use {known})")
    return _FORMATS[suffix]


def _check_xml(path: Path, data: bytes) -> None:
    # UTF-16 text would hide the declaration from a byte search: look at it decoded too.
    text = data
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16", "replace").encode("utf-8", "replace")
    if _DTD.search(text):
        raise InputError(
            str(path),
            "RDF/XML with a DTD (<!DOCTYPE or <!ENTITY) is not accepted: "
            "its entities could expand without bound",
        )
    # Oxigraph's RDF/XML parser takes time quadratic in the nesting (20,000 levels: 25 s);
    # serialisers nest a handful of levels.
    depth = deepest = 0
    for tag in _TAG.finditer(text):
        if tag.group(1):
            depth -= 1
        elif not tag.group(2) and not tag.group().startswith((b"<?", b"<!")):
            depth += 1
            deepest = max(deepest, depth)
    if deepest > _MAX_XML_DEPTH:
        raise InputError(
            str(path),
            f"RDF/XML nested {deepest} elements deep; at most {_MAX_XML_DEPTH} are accepted",
        )


def _line_col(message: str) -> tuple[int | None, int | None]:
    """Find 'line N' / 'at N:M' / 'error at N:M' in an engine's error text."""
    m = re.search(r"(?:at|line)\s+(\d+):(\d+)", message)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = re.search(r"line:?\s*(\d+)(?:,?\s*col(?:umn)?:?\s*(\d+))?", message)
    if m:
        return int(m.group(1)), int(m.group(2)) if m.group(2) else None
    return None, None


def open_store(
    location: str | Path,
    engine: str = "oxigraph",
    timeout: float | None = 60.0,
    max_bytes: int | None = None,
) -> Store:
    """Open a graph file (Turtle, N-Triples, N-Quads...), a store folder `kg build` wrote
    (out/store: opened read-only, nothing parsed) or a SPARQL endpoint (an http(s)
    address, or one written sparql:URL).

    `timeout` and `max_bytes` bound each request to an endpoint (a file ignores them).
    """
    text = str(location)
    if text.startswith("sparql:"):
        text = text[len("sparql:") :]
        if not text.startswith(("http://", "https://")):
            raise InputError(str(location), "sparql: needs an http(s) address: sparql:http://...")
    if text.startswith(("http://", "https://")):
        from kg.endpoint import DEFAULT_MAX_BYTES, EndpointStore

        return EndpointStore(text, timeout, max_bytes or DEFAULT_MAX_BYTES)
    if engine == "rdflib":
        return RdflibStore.from_file(text)
    return OxigraphStore.from_file(text)


def rows_as_dicts(table: Table) -> Iterable[dict[str, Value]]:
    return table.dicts()


def __getattr__(name: str) -> Any:
    # EndpointStore lives in kg.endpoint (which builds on this module); the old name stays.
    if name == "EndpointStore":
        from kg.endpoint import EndpointStore

        return EndpointStore
    raise AttributeError(name)
