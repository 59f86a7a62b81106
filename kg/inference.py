"""The ontology and the RDFS closure of a graph's types and properties, kept apart from it.

`kg query --with-ontology` adds two named graphs beside the asserted data (which stays in
the default graph): ONTOLOGY_GRAPH holds ontology/coop.ttl and the standard axioms of
ontology/reused.ttl, and INFERRED_GRAPH the triples RDFS entails from the asserted types
and properties: ``?x a C`` for every superclass C (rdfs:subClassOf*) of an asserted type,
``?s P ?o`` for every superproperty P (rdfs:subPropertyOf*) of an asserted property.
Domains and ranges are not applied: the ontology states them only where they hold for
every use (see its header). The union default graph shows all three; ``GRAPH`` picks one.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS

from kg.namespace import ID, ontology_dir

ONTOLOGY_GRAPH = ox.NamedNode(str(ID) + "graph/ontology")
INFERRED_GRAPH = ox.NamedNode(str(ID) + "graph/inferred")
ONTOLOGY_FILES = ("coop.ttl", "reused.ttl")


def _ontology() -> rdflib.Graph:
    graph = rdflib.Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(ontology_dir() / name, format="turtle")
    return graph


def _supers(graph: rdflib.Graph, relation: rdflib.URIRef) -> dict[str, set[str]]:
    """Each term -> every strict ancestor along `relation` (cycles do not loop)."""
    direct: dict[str, set[str]] = defaultdict(set)
    for child, parent in graph.subject_objects(relation):
        if child != parent:
            direct[str(child)].add(str(parent))
    closed: dict[str, set[str]] = {}
    for term in direct:
        seen: set[str] = set()
        todo = list(direct[term])
        while todo:
            parent = todo.pop()
            if parent not in seen and parent != term:
                seen.add(parent)
                todo.extend(direct.get(parent, ()))
        closed[term] = seen
    return closed


def _to_ox(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def add_ontology(store: ox.Store) -> tuple[int, int]:
    """Add the ontology and the inferred triples to `store`; return how many of each."""
    ontology = _ontology()
    for s, p, o in ontology:
        store.add(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), ONTOLOGY_GRAPH))
    classes = _supers(ontology, RDFS.subClassOf)
    properties = _supers(ontology, RDFS.subPropertyOf)
    rdf_type = ox.NamedNode(str(RDF.type))
    asserted = [
        q for q in store.quads_for_pattern(None, None, None) if q.graph_name != ONTOLOGY_GRAPH
    ]
    have = {(q.subject, q.predicate, q.object) for q in asserted}
    inferred: set[tuple[object, object, object]] = set()
    for quad in asserted:
        if quad.predicate == rdf_type and isinstance(quad.object, ox.NamedNode):
            for parent in classes.get(quad.object.value, ()):
                inferred.add((quad.subject, rdf_type, ox.NamedNode(parent)))
        for parent in properties.get(quad.predicate.value, ()):
            inferred.add((quad.subject, ox.NamedNode(parent), quad.object))
    inferred -= have
    for s, p, o in inferred:
        store.add(ox.Quad(s, p, o, INFERRED_GRAPH))
    return len(ontology), len(inferred)
