"""A SHACL Core checker for the constraint components coopkg's shapes use, compiled once.

Why not pyshacl on every graph: it rebuilds its shape objects on every call and looks
values up through rdflib for every focus node, so checking one document took 0.3 s, half
of `kg build`. Here a shapes graph is compiled once into plain objects (kg.shaclrun), and
a data graph is read in one pass into dict indexes (predicate -> subject -> objects, class
-> instances, the subclass relation); the checks then run over those dicts only.

pyshacl 0.40 is the reference: each component repeats its semantics, quirks included (a
plain literal counts as an xsd:string, a nested shape of severity warning always
conforms, ...), and tests/test_shaclcore.py checks that both give the same results.
Anything else — another component, a non-IRI path, another kind of target, a shape that
reports without an sh:message, or data pyshacl would stop on with an error — raises
`Unsupported`, and kg.validate runs pyshacl instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.namespace import OWL, RDF, RDFS, SH, XSD
from kg.shaclrun import (
    Checker,
    Class,
    Component,
    Datatype,
    Disjoint,
    In,
    LessThan,
    MaxCount,
    MinCount,
    MinInclusive,
    MinLength,
    NodeKind,
    Or,
    Pattern,
    Property,
    Qualified,
    Result,
    Shape,
    UniqueLang,
    Unsupported,
)

__all__ = ["Checker", "Result", "Unsupported", "compile_shapes"]

# SHACL parameters this checker does not repeat: one of them anywhere means pyshacl.
_OTHER = {SH["and"], SH.closed, SH.equals, SH.hasValue, SH.ignoredProperties, SH.languageIn}
_OTHER |= {SH.lessThanOrEquals, SH.maxExclusive, SH.maxInclusive, SH.maxLength, SH.node}
_OTHER |= {SH.minExclusive, SH["not"], SH.qualifiedValueShapesDisjoint, SH.sparql, SH.xone}
_OTHER |= {SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
_OTHER |= {SH.parameter, SH.js, SH.expression}
_PROPERTY_ONLY = (SH.minCount, SH.maxCount, SH.uniqueLang, SH.lessThan, SH.qualifiedValueShape)
_PROPERTY_ONLY += (SH.qualifiedMinCount, SH.qualifiedMaxCount)


def compile_shapes(shapes: Graph) -> Checker:
    """Compile the core constraints of `shapes` (kg.validate takes the sh:sparql ones out).

    Raises Unsupported when the graph uses anything this checker does not repeat exactly.
    """
    return _Compiler(shapes).run()


class _Compiler:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.shapes: dict[Node, Shape] = {}

    def run(self) -> Checker:
        g = self.g
        for p in _OTHER:
            if (None, p, None) in g:
                raise Unsupported(f"{p} is not supported")
        for node, path in self._find_shapes().items():
            if isinstance(node, Literal):
                raise Unsupported("a literal used as a shape")
            self.shapes[node] = Shape(node, path)
        for shape in self.shapes.values():
            self._fill(shape)
        self._refuse_cycles()
        roots = [s for s in self.shapes.values() if s.targets]
        for shape in _reporting(roots):
            if shape.message is None and any(not isinstance(c, Property) for c in shape.components):
                raise Unsupported(f"shape {shape.node} has no sh:message")
        for shape in self.shapes.values():
            if shape.message is None:
                shape.message = ""  # never reported: only its conformance is used
        predicates = {s.path for s in self.shapes.values() if s.path is not None}
        for shape in self.shapes.values():
            for component in shape.components:
                if isinstance(component, (Disjoint, LessThan)):
                    predicates.update(component.predicates)
        return Checker(roots, predicates)

    def _find_shapes(self) -> dict[Node, Node | None]:
        """Shape nodes and their paths, found as pyshacl's ShapesGraph finds them."""
        g = self.g
        declared_node = set(g.subjects(RDF.type, SH.NodeShape))
        declared_property = set(g.subjects(RDF.type, SH.PropertyShape))
        if declared_node & declared_property:
            raise Unsupported("a shape is both a node shape and a property shape")
        found: dict[Node, Node | None] = {}
        for node in declared_node:
            if (node, SH.path, None) in g:
                raise Unsupported("a node shape with sh:path")
            found[node] = None
        for node in declared_property:
            found[node] = self._path(node, required=True)
        implied = {s for s, _ in g.subject_objects(SH.targetClass)}
        implied |= {s for s, _ in g.subject_objects(SH.property)}
        implied |= {o for _, o in g.subject_objects(SH.property)}
        implied |= {o for _, o in g.subject_objects(SH.qualifiedValueShape)}
        for _, members in g.subject_objects(SH["or"]):
            items = list(g.items(members))
            if not items:
                raise Unsupported("sh:or without a list of shapes")
            implied.update(items)
        for node in implied - found.keys():
            found[node] = self._path(node, required=False)
        return found

    def _path(self, node: Node, required: bool) -> Node | None:
        paths = list(self.g.objects(node, SH.path))
        if len(paths) > 1 or (required and not paths):
            raise Unsupported(f"shape {node} needs exactly one sh:path")
        if paths and not isinstance(paths[0], URIRef):
            raise Unsupported(f"shape {node} has a path that is not an IRI")
        return paths[0] if paths else None

    def _one(self, node: Node, p: Node, required: bool = False) -> Node | None:
        values = list(self.g.objects(node, p))
        if len(values) > 1 or (required and not values):
            raise Unsupported(f"shape {node} needs exactly one {p}")
        return values[0] if values else None

    def _fill(self, shape: Shape) -> None:
        g, node = self.g, shape.node
        deactivated = self._one(node, SH.deactivated)
        if deactivated is not None:
            if not isinstance(deactivated, Literal):
                raise Unsupported("sh:deactivated that is not a literal")
            shape.deactivated = bool(deactivated.value)
        severity = self._one(node, SH.severity)
        shape.severity = SH.Violation if severity is None else severity
        messages = {str(m) for m in g.objects(node, SH.message)}
        shape.message = "; ".join(sorted(messages)) if messages else None
        shape.targets = list(g.objects(node, SH.targetClass))
        # An implicit class target: pyshacl's ShapesGraph adds owl:Class below rdfs:Class.
        classes = {RDFS.Class, OWL.Class, *g.subjects(RDFS.subClassOf, RDFS.Class)}
        if any(t in classes for t in g.objects(node, RDF.type)):
            shape.targets.append(node)
        if shape.path is None and any((node, p, None) in g for p in _PROPERTY_ONLY):
            raise Unsupported(f"node shape {node} has a constraint only property shapes take")
        shape.components = [c for c in self._components(shape) if c is not None]

    def _components(self, shape: Shape) -> Iterable[Component | None]:
        g, node = self.g, shape.node
        objects = lambda p: list(g.objects(node, p))  # noqa: E731
        if classes := objects(SH["class"]):
            yield Class(classes)
        if (rule := self._one(node, SH.datatype)) is not None:
            yield Datatype(rule)
        if (rule := self._one(node, SH.nodeKind)) is not None:
            yield NodeKind(rule)
        if (low := self._count(node, SH.minCount)) is not None:
            yield MinCount(low) if low > 0 else None  # 0 always passes
        if (high := self._count(node, SH.maxCount)) is not None:
            yield MaxCount(high)
        if limits := objects(SH.minInclusive):
            if not all(isinstance(m, Literal) for m in limits):
                raise Unsupported("sh:minInclusive that is not a literal")
            yield MinInclusive(limits)  # type: ignore[arg-type]
        if (least := self._count(node, SH.minLength, whole=True)) is not None:
            yield MinLength(least)
        yield self._pattern(node)
        if (members := self._one(node, SH["in"])) is not None:
            items = set(g.items(members))
            if not all(isinstance(i, (BNode, Literal, URIRef)) for i in items):
                raise Unsupported("sh:in with a member that is no RDF term")
            yield In(items)
        if (unique := self._one(node, SH.uniqueLang)) is not None:
            if not isinstance(unique, Literal) or not isinstance(unique.value, bool):
                raise Unsupported("sh:uniqueLang that is not a boolean")
            yield UniqueLang() if unique.value else None
        for p, kind in ((SH.disjoint, Disjoint), (SH.lessThan, LessThan)):
            if predicates := objects(p):
                if not all(isinstance(x, URIRef) for x in predicates):
                    raise Unsupported(f"{p} that is not an IRI")
                yield kind(predicates)
        yield self._qualified(node)
        if alternatives := objects(SH["or"]):
            yield Or([[self._shape(m) for m in set(g.items(a))] for a in alternatives])
        if inner := objects(SH.property):
            shapes = [self._shape(p) for p in inner]
            if any(s.path is None for s in shapes):
                raise Unsupported("sh:property pointing to a node shape")
            yield Property(shapes)

    def _count(self, node: Node, p: Node, whole: bool = False) -> int | None:
        value = self._one(node, p)
        if value is None:
            return None
        # minCount and maxCount must be xsd:integer; minLength may be any whole type,
        # which is left to pyshacl but for the usual two.
        allowed = (XSD.integer, XSD.nonNegativeInteger) if whole else (XSD.integer,)
        if (
            not isinstance(value, Literal)
            or value.datatype not in allowed
            or getattr(value, "ill_typed", False)
            or not isinstance(value.value, int)
            or value.value < 0
        ):
            raise Unsupported(f"{p} that is not an integer >= 0")
        return int(value.value)

    def _pattern(self, node: Node) -> Pattern | None:
        patterns = list(self.g.objects(node, SH.pattern))
        flags = self._one(node, SH.flags)
        if not patterns:
            if flags is not None:
                raise Unsupported("sh:flags without sh:pattern")
            return None
        bits = 0
        if flags is not None:
            if not isinstance(flags, Literal):
                raise Unsupported("sh:flags that is not a literal")
            text = str(flags.value).lower()
            bits = (re.I if "i" in text else 0) | (re.M if "m" in text else 0)
        compiled = []
        for p in patterns:
            if not isinstance(p, Literal) or not isinstance(p.value, (str, type(None))):
                raise Unsupported("sh:pattern that is not a string")
            source = str(p.value) if p.value is not None and len(p.value) > 1 else str(p)
            try:
                compiled.append(re.compile(source, bits))
            except re.error as error:
                raise Unsupported(f"sh:pattern {source!r}: {error}") from error
        return Pattern(compiled)

    def _qualified(self, node: Node) -> Qualified | None:
        shapes = list(self.g.objects(node, SH.qualifiedValueShape))
        counts = []
        for p in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
            value = self._one(node, p)
            if value is not None and (
                not isinstance(value, Literal) or not isinstance(value.value, int)
            ):
                raise Unsupported(f"{p} that is not an integer")
            counts.append(None if value is None else value.value)
        if not shapes:
            if counts != [None, None]:
                raise Unsupported("a qualified count without sh:qualifiedValueShape")
            return None
        if counts == [None, None]:
            raise Unsupported("sh:qualifiedValueShape without a qualified count")
        return Qualified([self._shape(s) for s in shapes], counts[0], counts[1])

    def _shape(self, node: Node) -> Shape:
        if node not in self.shapes:
            raise Unsupported(f"{node} is not a shape")
        return self.shapes[node]

    def _refuse_cycles(self) -> None:
        """pyshacl cuts recursive shapes short with a warning; leave those to it."""
        done: set[Node] = set()

        def visit(shape: Shape, path: set[Node]) -> None:
            if shape.node in path:
                raise Unsupported(f"shape {shape.node} refers to itself")
            if shape.node in done:
                return
            for inner in _inner(shape):
                visit(inner, path | {shape.node})
            done.add(shape.node)

        for shape in self.shapes.values():
            visit(shape, set())


def _inner(shape: Shape) -> list[Shape]:
    found: list[Shape] = []
    for c in shape.components:
        if isinstance(c, (Property, Qualified)):
            found.extend(c.shapes)
        elif isinstance(c, Or):
            found.extend(s for members in c.alternatives for s in members)
    return found


def _reporting(roots: list[Shape]) -> list[Shape]:
    """The shapes whose results reach the report: the targeted ones and their sh:property."""
    seen: dict[Node, Shape] = {}
    todo = list(roots)
    while todo:
        shape = todo.pop()
        if shape.node not in seen:
            seen[shape.node] = shape
            for c in shape.components:
                if isinstance(c, Property):
                    todo.extend(c.shapes)
    return list(seen.values())
