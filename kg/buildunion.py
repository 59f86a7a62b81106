"""The union of a build's named graphs: its store and its SHACL report, by parts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from kg.builddocs import DocGraph
from kg.validate import Report, Violation, store_sparql_violations, validate_split

_RDF_TYPE = ox.NamedNode(str(RDF.type))
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def load_store(triples: Mapping[str, bytes], path: Path | None = None) -> ox.Store:
    """An Oxigraph store (on disk at `path`, else in memory) of every named graph."""
    from kg.ntwrite import nquads

    store = ox.Store(str(path)) if path is not None else ox.Store()
    # One load of every quad: each load on disk writes files of its own.
    data = "".join(nquads(triples)).encode("utf-8")
    if data:
        store.bulk_load(data, ox.RdfFormat.N_QUADS)
    return store


def union_report(
    store: ox.Store,
    docs: list[DocGraph],
    reg: Graph,
) -> Report:
    """The union's SHACL report, without checking the union as one graph.

    A record described by one document alone (every triple it is the subject of is in
    that document's graph) was checked with that document, with the registry facts it
    needs: its results are that check's. The records several graphs describe (bodies,
    people, meetings...) are checked again on all their triples (and the types of what
    they point to). The sh:sparql constraints run over the whole store.
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
    part = Graph()
    objects: set[str] = set()
    for s in sorted(shared):
        for quad in store.quads_for_pattern(ox.NamedNode(s), None, None):
            part.add((URIRef(s), URIRef(quad.predicate.value), _term(quad.object)))
            if isinstance(quad.object, ox.NamedNode):
                objects.add(quad.object.value)
    for o in sorted(objects - shared):
        for quad in store.quads_for_pattern(ox.NamedNode(o), _RDF_TYPE, None):
            part.add((URIRef(o), RDF.type, _term(quad.object)))
    core, _ = validate_split(part)
    found.update(v for v in core if v.focus in shared)
    found.update(store_sparql_violations(store))
    violations = sorted(found, key=Violation.sort_key)
    return Report(not any(v.severity == "Violation" for v in violations), violations)


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
    """What `kg.problem.explain` reads of the union about `violations`' records: their
    triples, those of what they point to and of what points to them, and those of the
    text spans of all of these."""
    graph = Graph()
    near: set[str] = set()
    for v in violations:
        for node in filter(None, (v.focus, v.value_iri)):
            if node in near:
                continue
            near.add(node)
            near.update(_out(store, node, graph))
            for quad in store.quads_for_pattern(None, None, ox.NamedNode(node)):
                if isinstance(quad.subject, ox.NamedNode):
                    graph.add((URIRef(quad.subject.value), URIRef(quad.predicate.value),
                               URIRef(node)))  # fmt: skip
                    near.add(quad.subject.value)
    second: set[str] = set()
    for node in sorted(near):
        second.update(_out(store, node, graph))
    for node in sorted(second - near):
        _out(store, node, graph)
    return graph
