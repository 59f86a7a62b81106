"""The run-time half of kg.shaclcore: a data graph's indexes and the compiled components.

Each component repeats pyshacl 0.40's code for it (pyshacl/constraints/core/), quirks
included; kg.shaclcore builds them from a shapes graph and explains why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from decimal import Decimal
from functools import partial
from typing import NamedTuple

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, Node

from kg.namespace import RDF, RDFS, SH, XSD

_EMPTY: frozenset[Node] = frozenset()
_ALLOWED_TO_FAIL = frozenset({SH.Warning, SH.Info})  # kg.validate passes allow_warnings


class Unsupported(Exception):
    """The shapes or the data need something this checker does not repeat exactly."""


class Result(NamedTuple):
    """One validation result, as pyshacl's report graph would hold it."""

    shape: Node  # sh:sourceShape
    focus: Node
    path: Node | None
    value: Node | None
    message: str  # the shape's sh:message values, sorted and joined by "; "
    severity: Node


class Data:
    """One data graph, indexed in one pass over its triples."""

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]], predicates: set[Node]):
        self.by_p: dict[Node, dict[Node, set[Node]]] = {p: {} for p in predicates}
        self.typed: dict[Node, set[Node]] = {}  # class -> its direct instances
        self.subs: dict[Node, set[Node]] = {}  # class -> its direct subclasses
        self._instances: dict[Node, set[Node]] = {}
        by_p, typed, subs = self.by_p, self.typed, self.subs
        rdf_type, sub_class = RDF.type, RDFS.subClassOf
        for s, p, o in triples:
            if p == rdf_type:
                typed.setdefault(o, set()).add(s)
            elif p == sub_class:
                subs.setdefault(o, set()).add(s)
            index = by_p.get(p)
            if index is not None:
                values = index.get(s)
                if values is None:
                    index[s] = {o}
                else:
                    values.add(o)

    def values(self, focus: Node, path: Node) -> set[Node] | frozenset[Node]:
        return self.by_p[path].get(focus, _EMPTY)

    def instances(self, cls: Node) -> set[Node]:
        """SHACL instances: typed with `cls` or with a class below it by rdfs:subClassOf*."""
        found = self._instances.get(cls)
        if found is None:
            found, seen, todo = set(), {cls}, [cls]
            while todo:
                current = todo.pop()
                found |= self.typed.get(current, _EMPTY)
                for sub in self.subs.get(current, _EMPTY):
                    if sub not in seen:
                        seen.add(sub)
                        todo.append(sub)
            self._instances[cls] = found
        return found


class Shape:
    __slots__ = ("components", "deactivated", "message", "node", "path", "severity", "targets")

    def __init__(self, node: Node, path: Node | None) -> None:
        self.node = node
        self.path = path  # None for a node shape
        self.deactivated = False
        self.severity: Node = SH.Violation
        self.message: str | None = None
        self.components: list[Component] = []
        self.targets: list[Node] = []

    def validate(self, data: Data, focus: Iterable[Node], out: list[Result]) -> bool:
        """Append the results for `focus` to `out`; whether pyshacl would call it conformant."""
        if self.deactivated:
            return True
        path = self.path
        if path is None:
            pairs = [(f, (f,)) for f in focus]
        else:
            index = data.by_p[path]
            pairs = [(f, index.get(f, _EMPTY)) for f in focus]
        if not pairs:
            return True
        conforms = True
        for component in self.components:
            conforms &= component.check(self, data, pairs, out)
        return conforms or self.severity in _ALLOWED_TO_FAIL

    def result(self, focus: Node, value: Node | None) -> Result:
        assert self.message is not None
        return Result(self.node, focus, self.path, value, self.message, self.severity)


Pairs = list[tuple[Node, Iterable[Node]]]


class Component:
    def check(self, shape: Shape, data: Data, pairs: Pairs, out: list[Result]) -> bool:
        raise NotImplementedError

    def failing(
        self, shape: Shape, pairs: Pairs, out: list[Result], test: Callable[[Node], bool]
    ) -> bool:
        """Report every value node for which `test` is false."""
        before = len(out)
        out.extend(shape.result(f, v) for f, values in pairs for v in values if not test(v))
        return len(out) == before


class Class(Component):
    def __init__(self, classes: list[Node]) -> None:
        self.classes = classes

    def check(self, shape, data, pairs, out):
        ok = True
        for cls in self.classes:
            ok &= self.failing(
                shape, pairs, out, partial(_is_instance, members=data.instances(cls))
            )
        return ok


def _is_instance(v: Node, members: set[Node]) -> bool:
    return not isinstance(v, Literal) and v in members


# The Python values rdflib gives the datatypes pyshacl checks; others pass unchecked.
_KIND_OF: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


def _actual_datatype(value_node: Literal, rule: Node) -> bool:
    kind = _KIND_OF.get(rule)
    return True if kind is None else isinstance(value_node.value, kind)


class Datatype(Component):
    def __init__(self, rule: Node) -> None:
        self.rule = rule

    def matches(self, v: Node) -> bool:
        if not isinstance(v, Literal):
            return False
        rule, datatype, lang = self.rule, v.datatype, v.language
        if datatype == rule:
            return getattr(v, "ill_typed", None) is not True and _actual_datatype(v, rule)
        if rule == RDFS.Literal or (rule == RDFS.Datatype and datatype):
            return True
        if datatype is None and lang is None and rule == XSD.string:
            return _actual_datatype(v, rule)
        return bool(rule == RDF.langString and lang) and _actual_datatype(v, rule)

    def check(self, shape, data, pairs, out):
        return self.failing(shape, pairs, out, self.matches)


_KINDS = {
    BNode: {SH.BlankNode, SH.BlankNodeOrLiteral, SH.BlankNodeOrIRI},
    Literal: {SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral},
    Identifier: {SH.IRI, SH.IRIOrLiteral, SH.BlankNodeOrIRI},
}


class NodeKind(Component):
    def __init__(self, rule: Node) -> None:
        self.rule = rule

    def matches(self, v: Node) -> bool:
        for kind, rules in _KINDS.items():  # BNode and Literal are Identifiers: tried first
            if isinstance(v, kind):
                return self.rule in rules
        return False

    def check(self, shape, data, pairs, out):
        return self.failing(shape, pairs, out, self.matches)


class MinCount(Component):
    def __init__(self, low: int) -> None:
        self.low = low

    def check(self, shape, data, pairs, out):
        before = len(out)
        out.extend(shape.result(f, None) for f, values in pairs if len(values) < self.low)
        return len(out) == before


class MaxCount(Component):
    def __init__(self, high: int) -> None:
        self.high = high

    def check(self, shape, data, pairs, out):
        before = len(out)
        out.extend(shape.result(f, None) for f, values in pairs if len(values) > self.high)
        return len(out) == before


def _compare_literal(l1: Literal, l2: Literal) -> int:
    # pyshacl.rdfutil.compare.compare_literal, to the letter.
    if l1.eq(l2):
        return 0
    if l1.value.__class__ in (datetime, time):
        if l1.value == l2.value:
            return 0
        if l1.value > l2.value:
            return 1
    elif l1 > l2:
        return 1
    return -1


class MinInclusive(Component):
    def __init__(self, limits: list[Literal]) -> None:
        self.limits = limits

    def check(self, shape, data, pairs, out):
        ok = True
        for limit in self.limits:
            ok &= self.failing(shape, pairs, out, lambda v, m=limit: self.passes(v, m))
        return ok

    @staticmethod
    def passes(v: Node, limit: Literal) -> bool:
        if isinstance(v, (BNode, URIRef)):
            return False
        if not isinstance(v, Literal):
            raise Unsupported("sh:minInclusive on a value that is no RDF term")
        if isinstance(limit.value, str) != isinstance(v.value, str):
            return False
        try:
            return _compare_literal(v, limit) >= 0
        except (TypeError, NotImplementedError):
            return False


def _text(v: Node) -> str:
    """The string pyshacl matches patterns and lengths against."""
    if (
        isinstance(v, Literal)
        and v.value is not None
        and v.datatype in (None, RDF.langString, XSD.string)
    ):
        return str(v.value)
    return str(v)


class MinLength(Component):
    def __init__(self, low: int) -> None:
        self.low = low

    def check(self, shape, data, pairs, out):
        if self.low == 0:
            return True
        return self.failing(
            shape, pairs, out, lambda v: not isinstance(v, BNode) and len(_text(v)) >= self.low
        )


class Pattern(Component):
    def __init__(self, patterns: list[re.Pattern[str]]) -> None:
        self.patterns = patterns

    def check(self, shape, data, pairs, out):
        ok = True
        for pattern in self.patterns:
            ok &= self.failing(
                shape,
                pairs,
                out,
                lambda v, p=pattern: not isinstance(v, BNode) and p.search(_text(v)) is not None,
            )
        return ok


class In(Component):
    def __init__(self, members: set[Node]) -> None:
        self.members = members

    def check(self, shape, data, pairs, out):
        return self.failing(shape, pairs, out, lambda v: v in self.members)


class UniqueLang(Component):
    def check(self, shape, data, pairs, out):
        before = len(out)
        for f, values in pairs:
            seen: set[str] = set()
            twice: set[str] = set()
            for v in values:
                if isinstance(v, Literal) and v.language:
                    lang = str(v.language).lower()
                    (twice if lang in seen else seen).add(lang)
            out.extend(shape.result(f, None) for _ in twice)
        return len(out) == before


class Disjoint(Component):
    def __init__(self, predicates: list[Node]) -> None:
        self.predicates = predicates

    def check(self, shape, data, pairs, out):
        before = len(out)
        for p in self.predicates:
            for f, values in pairs:
                common = set(values) & data.values(f, p)
                out.extend(shape.result(f, v) for v in common)
        return len(out) == before


def _comparable(v: Node) -> tuple[object, bool]:
    if isinstance(v, BNode):
        raise Unsupported("sh:lessThan on a blank node (pyshacl stops)")
    if isinstance(v, URIRef):
        return str(v), True
    if isinstance(v, Literal) and isinstance(v.value, str):
        return v.value, True
    return v, False


class LessThan(Component):
    def __init__(self, predicates: list[Node]) -> None:
        self.predicates = predicates

    def check(self, shape, data, pairs, out):
        before = len(out)
        for p in self.predicates:
            for f, values in pairs:
                others = data.values(f, p)
                for v in values:
                    left, left_is_text = _comparable(v)
                    for other in others:
                        right, right_is_text = _comparable(other)
                        try:
                            less = left_is_text == right_is_text and left < right  # type: ignore[operator]
                        except Exception as error:  # pyshacl stops on these
                            raise Unsupported(f"sh:lessThan cannot compare: {error}") from error
                        if not less:
                            out.append(shape.result(f, v))
        return len(out) == before


class Qualified(Component):
    def __init__(self, shapes: list[Shape], low: int | None, high: int | None) -> None:
        self.shapes, self.low, self.high = shapes, low, high

    def check(self, shape, data, pairs, out):
        before = len(out)
        for inner in self.shapes:
            for f, values in pairs:
                n = sum(1 for v in values if inner.validate(data, (v,), []))
                if self.high is not None and n > self.high:
                    out.append(shape.result(f, None))
                if self.low is not None and n < self.low:
                    out.append(shape.result(f, None))
        return len(out) == before


class Or(Component):
    def __init__(self, alternatives: list[list[Shape]]) -> None:
        self.alternatives = alternatives

    def check(self, shape, data, pairs, out):
        ok = True
        for members in self.alternatives:
            # Every member is checked (no short cut), as pyshacl does.
            ok &= self.failing(
                shape,
                pairs,
                out,
                lambda v, ms=members: any([m.validate(data, (v,), []) for m in ms]),
            )
        return ok


class Property(Component):
    def __init__(self, shapes: list[Shape]) -> None:
        self.shapes = shapes

    def check(self, shape, data, pairs, out):
        nodes = list(dict.fromkeys(v for _, values in pairs for v in values))
        ok = True
        for inner in self.shapes:
            ok &= inner.validate(data, nodes, out)
        return ok


class Checker:
    """Compiled shapes: `check(index(triples))` gives the results of their core constraints."""

    def __init__(self, roots: list[Shape], predicates: set[Node]) -> None:
        self._roots = roots
        self._predicates = predicates

    def index(self, triples: Iterable[tuple[Node, Node, Node]]) -> Data:
        """The graph of `triples` (duplicates allowed), indexed for `check`."""
        return Data(triples, self._predicates)

    def check(self, data: Data) -> set[Result]:
        """The results on `data` (from `index`); may raise Unsupported."""
        out: list[Result] = []
        for shape in self._roots:
            focus: set[Node] = set()
            for cls in shape.targets:
                focus |= data.instances(cls)
            shape.validate(data, focus, out)
        return set(out)
