"""The union of a build's named graphs: its store and its SHACL report, by parts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from kg.buildcache import BuildCache, digest
from kg.builddocs import DocGraph
from kg.namespace import COOP
from kg.validate import Report, Violation, store_sparql_violations, validate_split

_RDF_TYPE = ox.NamedNode(str(RDF.type))
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_BATCH_BYTES = 16 << 20


def load_store(triples: Mapping[str, bytes]) -> ox.Store:
    """An in-memory Oxigraph store of the union of the named graphs, each triple once, in
    its default graph: the shapes' SPARQL checks and the build's page and products query
    it. No named graphs: with them in the store, Oxigraph's queries of the default graph
    ran 4 to 13 times slower at 1,000 releases (the build's graph.nq and on-disk store
    keep the documents' graphs)."""
    store = ox.Store()
    # The graphs' bytes as they are, a batch of them at a time: the store keeps each
    # triple once (merging the lines first in Python took a third longer), and never the
    # whole text at once (190 MB at 2,500 releases).
    batch: list[bytes] = []
    size = 0
    for data in triples.values():
        if batch and size + len(data) > _BATCH_BYTES:
            store.bulk_load(b"".join(batch), ox.RdfFormat.N_TRIPLES)
            batch, size = [], 0
        batch.append(data)
        size += len(data)
    if batch:
        store.bulk_load(b"".join(batch), ox.RdfFormat.N_TRIPLES)
    return store


def union_report(
    store: ox.Store,
    docs: list[DocGraph],
    reg: Graph,
    cache: BuildCache | None = None,
    config: str = "",
) -> Report:
    """The union's SHACL report, without checking the union as one graph.

    A record described by one document alone (every triple it is the subject of is in
    that document's graph) was checked with that document, with the registry facts it
    needs: its results are that check's. The records several graphs describe (bodies,
    people, meetings...) are checked again on all their triples (and the types of what
    they point to): a record whose triples and whose values' types are the last build's
    keeps that build's results (`cache`, under `config`, the digest of the shapes and the
    code). The sh:sparql constraints run over the whole store.
    """
    owners: dict[str, int] = {}
    for doc in docs:
        for s in doc.subjects:
            owners[s] = owners.get(s, 0) + 1
    for s in reg.subjects():
        owners[str(s)] = owners.get(str(s), 0) + 2
    shared = {s for s, n in owners.items() if n > 1}
    found: set[Violation] = set()
    for doc in docs:
        found.update(v for v in doc.core if v.focus not in shared)
    records = _records(store, shared)
    before: dict[str, tuple[Violation, ...]] = {}
    if cache is not None and config:
        before = cache.get("union", config, counted=False) or {}
    keys = {s: record.key for s, record in records.items()}
    fresh = sorted(s for s in shared if keys[s] not in before)
    results = {keys[s]: before[keys[s]] for s in shared if keys[s] in before}
    if fresh:
        # Triples, not an rdflib Graph: the store holds each once already (a Graph's
        # indexes cost a second at 1,000 releases). The sh:sparql constraints run once,
        # below, over the whole store.
        part = [_triple(q) for s in fresh for q in records[s].quads]
        core, _ = validate_split(part, sparql=False)
        by_focus: dict[str, list[Violation]] = {}
        for v in core:
            by_focus.setdefault(v.focus, []).append(v)
        for s in fresh:
            results[keys[s]] = tuple(by_focus.get(s, ()))
    for s in shared:
        found.update(results[keys[s]])
    now = {keys[s]: results[keys[s]] for s in sorted(shared)}
    if cache is not None and config and now != before:
        cache.put("union", config, now)  # else the last build's entry is carried over
    found.update(store_sparql_violations(store))
    violations = sorted(found, key=Violation.sort_key)
    return Report(not any(v.severity == "Violation" for v in violations), violations)


@dataclass
class _Record:
    quads: list[Any]  # its own, and the types of the IRIs it names (Oxigraph's)
    key: str  # a digest of them


def _records(store: ox.Store, subjects: Iterable[str]) -> dict[str, _Record]:
    """Each record's triples and the types of the IRIs it points to: all a shape reads of
    it (the shapes follow no path further), and the digest that says it is unchanged.
    Kept as Oxigraph's quads: only the records not checked before become rdflib's terms
    (converting all of them took half a second at 1,000 releases)."""
    types: dict[str, list[Any]] = {}
    out: dict[str, _Record] = {}
    for s in sorted(subjects):
        quads = sorted(store.quads_for_pattern(ox.NamedNode(s), None, None), key=str)
        lines = [str(q) for q in quads]
        for o in sorted({q.object.value for q in quads if isinstance(q.object, ox.NamedNode)}):
            if o not in types:
                types[o] = sorted(
                    store.quads_for_pattern(ox.NamedNode(o), _RDF_TYPE, None), key=str
                )
            quads += types[o]
            lines += [f"{o} a {t.object}" for t in types[o]]
        out[s] = _Record(quads, digest(s, *lines))
    return out


def _triple(quad: Any) -> tuple[Node, Node, Node]:
    return URIRef(quad.subject.value), URIRef(quad.predicate.value), _term(quad.object)


def _term(term: Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:  # rdflib's plain literal, as the documents wrote it
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _out(store: ox.Store, node: str, into: Graph) -> list[str]:
    """Add `node`'s triples (of any graph) to `into`; the IRIs it points to."""
    found = []
    for quad in store.quads_for_pattern(ox.NamedNode(node), None, None):
        into.add((URIRef(node), URIRef(quad.predicate.value), _term(quad.object)))
        if isinstance(quad.object, ox.NamedNode):
            found.append(quad.object.value)
    return found


def neighbourhood(store: ox.Store, violations: Iterable[Violation]) -> Graph:
    """What `kg.problem.explain` reads of the union about `violations`' records: each
    record's triples and those of its text spans (or, for a record stated nowhere, the
    triples naming it and the spans of those), and the triples of the value it names.
    Bounded by the records themselves: a hub a value names adds its own triples only."""
    graph = Graph()
    done: set[str] = set()
    spans = (str(COOP.statedIn), str(COOP.mentionedIn))
    for v in violations:
        if v.value_iri is not None and v.value_iri not in done:
            done.add(v.value_iri)
            _out(store, v.value_iri, graph)
        if ("focus", v.focus) in done:
            continue
        done.add(("focus", v.focus))  # type: ignore[arg-type]
        _out(store, v.focus, graph)
        stated = [o for p, o in _edges(store, v.focus) if p in spans]
        if not stated:
            for quad in store.quads_for_pattern(None, None, ox.NamedNode(v.focus)):
                if not isinstance(quad.subject, ox.NamedNode):
                    continue
                other = quad.subject.value
                graph.add((URIRef(other), URIRef(quad.predicate.value), URIRef(v.focus)))
                for p, o in _edges(store, other):
                    if p == str(COOP.statedIn):
                        graph.add((URIRef(other), COOP.statedIn, URIRef(o)))
                        stated.append(o)
        for span in stated:
            if span not in done:
                done.add(span)
                _out(store, span, graph)
    return graph


def _edges(store: ox.Store, node: str) -> list[tuple[str, str]]:
    return [
        (q.predicate.value, q.object.value)
        for q in store.quads_for_pattern(ox.NamedNode(node), None, None)
        if isinstance(q.object, ox.NamedNode)
    ]
