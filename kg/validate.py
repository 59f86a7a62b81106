"""SHACL validation of a coopkg graph against ontology/shapes.ttl, as a readable report.

How subclasses are honoured: SHACL itself follows rdfs:subClassOf triples of the data
graph for sh:targetClass and sh:class, so the ontology's class hierarchy
(ontology/coop.ttl, plus the few standard axioms of ontology/reused.ttl) is added to a
copy of the data and validated with no inference. RDFS inference is not used: it is
slower, and its domain/range and subproperty entailments would both hide errors
(a wrongly typed object becomes an instance of the range, so sh:class passes) and
invent them (coop:statedIn is a sub-property of prov:wasDerivedFrom, so a commitment
would seem derived from two things and break "exactly one prov:wasDerivedFrom").

How core constraints run: kg.shaclcore, compiled once per process, gives pyshacl's
results without pyshacl's cost (0.26 s a document); pyshacl runs only for what it
cannot check exactly (tests/test_shaclcore.py compares the two).

How SPARQL-based constraints run: pyshacl substitutes each focus node into the query
text and has rdflib parse it again, 10-20 ms a node: minutes for a graph of a few
thousand spans. So each sh:sparql constraint of a class-targeted shape runs here once,
with $this unbound, and its rows are kept for the shape's focus nodes. That equals
SHACL's pre-binding as long as the query binds $this in a triple pattern before any
other use, which ontology/shapes.ttl promises; tests/test_validate.py checks that both
ways give the same results on every example.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.term import Node

from kg.errors import ValidationError
from kg.namespace import RDF, RDFS, SH, curie, ontology_dir
from kg.shaclcore import Checker, Result, Unsupported, compile_shapes
from kg.shaclrun import Data

__all__ = [
    "Report",
    "Violation",
    "check_graph",
    "shapes_graph",
    "store_sparql_violations",
    "validate_graph",
    "validate_split",
]

# Most severe first: the order of a report.
_SEVERITIES: dict[Node, str] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_RANK = {name: rank for rank, name in enumerate(_SEVERITIES.values())}
_MAX_VALUE = 60  # characters of a literal value shown in a report line


@dataclass(frozen=True)
class Violation:
    """One SHACL result: what is wrong (message), where (focus, path) and how badly.

    `focus` and `path` are full IRIs (`path` is None when the constraint is on the node
    itself); `value` is the offending value as shown to people (a CURIE or a quoted,
    shortened literal), or None; `severity` is "Violation", "Warning" or "Info".
    """

    focus: str
    path: str | None
    message: str
    severity: str
    value: str | None = None
    # In plain words, from the shape (kg.problem puts them in a report): the rule
    # (sh:description) and, for counting, what the results of the shape are (rdfs:label).
    rule: str | None = field(default=None, compare=False)
    kind: str | None = field(default=None, compare=False)
    value_iri: str | None = field(default=None, compare=False)  # `value` when an IRI

    def sort_key(self) -> tuple[int, str, str, str, str]:
        rank = _RANK.get(self.severity, len(_RANK))
        return (rank, self.focus, self.path or "", self.message, self.value or "")

    def text(self) -> str:
        """One line: `Violation id:commitment/x/1 coop:statedIn: message (value: …)`."""
        where = curie(self.focus) + (f" {curie(self.path)}" if self.path else "")
        line = f"{self.severity} {where}: {self.message}"
        return line + (f" (value: {self.value})" if self.value is not None else "")


@dataclass(frozen=True)
class Report:
    """The outcome of validating a graph. `conforms` ignores warnings and infos."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    @property
    def count(self) -> int:
        """The number of results of severity Violation (the ones that fail a build)."""
        return sum(1 for v in self.violations if v.severity == "Violation")

    def text(self) -> str:
        """A summary line, then one line per result, most severe first."""
        counts = {name: 0 for name in _RANK}
        for v in self.violations:
            counts[v.severity] = counts.get(v.severity, 0) + 1
        if not self.violations:
            return "The graph conforms to the shapes."
        head = ", ".join(f"{n} {name.lower()}(s)" for name, n in counts.items() if n)
        verdict = "conforms" if self.conforms else "does not conform"
        lines = [f"The graph {verdict} to the shapes: {head}."]
        return "\n".join(lines + [v.text() for v in self.violations])


def validate_graph(data: Graph, shapes: Graph | None = None) -> Report:
    """Validate `data` against the SHACL shapes (ontology/shapes.ttl by default).

    A Dataset or ConjunctiveGraph is validated as the union of its graphs, because the
    facts of one document's named graph refer to bodies in the registry's graph. `data`
    itself is not changed.

    Examples
    --------
    >>> validate_graph(Graph()).conforms
    True
    """
    if isinstance(data, ConjunctiveGraph):
        triples = [(s, p, o) for s, p, o, _ in data.quads((None, None, None, None))]
    else:
        triples = list(data)
    core_found, sparql_found = _validate_work(triples, shapes)
    violations = sorted(core_found | sparql_found, key=Violation.sort_key)
    conforms = not any(v.severity == "Violation" for v in violations)
    return Report(conforms=conforms, violations=violations)


def validate_split(
    data: Graph | Iterable[tuple[Node, Node, Node]], *, sparql: bool = True
) -> tuple[list[Violation], list[Violation]]:
    """The results of the shapes' core constraints and of their sh:sparql constraints on
    `data` (a graph, or triples), apart: a build checks the second on the whole store
    (`sparql=False` skips them here)."""
    core_found, sparql_found = _validate_work(list(data), None, sparql)
    return sorted(core_found, key=Violation.sort_key), sorted(sparql_found, key=Violation.sort_key)


def _validate_work(
    triples: list[tuple[Node, Node, Node]], shapes: Graph | None, sparql: bool = True
) -> tuple[set[Violation], set[Violation]]:
    """Check `triples` (repeats allowed) with the ontology's hierarchy mixed in.

    kg.shaclcore checks the core constraints; pyshacl only when it cannot (see there).
    """
    triples.extend(_ontology_graph())
    if shapes is None:
        shapes = _shapes_graph()
        core, checks = _split_shapes(shapes)
        checker = _default_checker()
    else:
        core, checks = _split_shapes_uncached(shapes)
        checker = _checker(core)
    index = checker.index(triples) if checker is not None else Data(triples, set())
    sparql_found = set(_run_sparql_checks(triples, checks if sparql else (), index.instances))
    if checker is not None:
        try:
            return _core_violations(checker.check(index), shapes), sparql_found
        except Unsupported:
            pass  # data pyshacl stops on: let it say so
    work = Graph()
    for triple in triples:
        work.add(triple)
    return _pyshacl_violations(work, core, shapes), sparql_found


def _pyshacl_violations(work: Graph, core: Graph, shapes: Graph) -> set[Violation]:
    """The reference (and fallback): pyshacl, imported only when needed (0.3 s)."""
    import pyshacl

    # inplace: `work` is already our own copy; pyshacl need not copy it again.
    _, results, _ = pyshacl.validate(
        work,
        shacl_graph=core,
        inference="none",
        inplace=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    assert isinstance(results, Graph)
    return set(_read_results(results, shapes))


@lru_cache(maxsize=1)
def _default_checker() -> Checker | None:
    return _checker(_split_shapes(_shapes_graph())[0])


def _checker(core: Graph) -> Checker | None:
    """kg.shaclcore's compiled form of `core`, or None when only pyshacl can check it."""
    try:
        return compile_shapes(core)
    except Unsupported:
        return None


def _core_violations(results: Iterable[Result], shapes: Graph) -> set[Violation]:
    words: dict[Node, tuple[str | None, str | None]] = {}
    found = set()
    for r in results:
        if r.shape not in words:
            words[r.shape] = _words(shapes, r.shape)
        rule, kind = words[r.shape]
        found.add(
            Violation(
                focus=_node_text(r.focus),
                path=None if r.path is None else _node_text(r.path),
                message=r.message or "(no message)",
                severity=_severity_text(r.severity),
                value=None if r.value is None else _value_text(r.value),
                rule=rule,
                kind=kind,
                value_iri=str(r.value) if isinstance(r.value, URIRef) else None,
            )
        )
    return found


def store_sparql_violations(store: ox.Store) -> list[Violation]:
    """The shapes' sh:sparql constraints over an Oxigraph store: over its default graph
    when that holds the union of its named graphs, each triple once (as kg.diskstore and
    kg.buildunion.load_store write it), else over the union of its graphs.

    The ontology's hierarchy is added for the checks (into the default graph, or a graph
    of its own) and removed after, so the store holds what it held before. The default
    graph is 5 times faster at 1,000 releases: the union repeats a triple once per graph
    that states it, and the checks' joins meet each copy.
    """
    _, checks = _split_shapes(_shapes_graph())
    merged = next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
    if merged is not None:
        where: Any = ox.DefaultGraph()
        quads = [ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in _ontology_graph()]
        added = [q for q in quads if q not in store]
    else:
        where = ox.NamedNode("urn:coopkg:validation-ontology")
        added = [ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), where) for s, p, o in _ontology_graph()]
    store.bulk_extend(added)
    union = merged is None
    try:
        found: set[Violation] = set()
        instances: dict[frozenset[Node], set[Node]] = {}
        # A property shape several node shapes share is one query: run once, its rows
        # read for each node shape's targets.
        solved: dict[str, tuple[Any, list[Any]]] = {}
        for check in checks:
            if check.targets not in instances:
                instances[check.targets] = _store_instances(store, check.targets, union)
            if check.query not in solved:
                solutions = store.query(check.query, use_default_graph_as_union=union)
                assert isinstance(solutions, ox.QuerySolutions)
                solved[check.query] = (solutions.variables, list(solutions))
            variables, rows = solved[check.query]
            found.update(_check_rows(check, variables, rows, instances[check.targets], {}))
    finally:
        for quad in added:
            store.remove(quad)
    return sorted(found, key=Violation.sort_key)


def _store_instances(store: ox.Store, classes: Iterable[Node], union: bool) -> set[Node]:
    found: set[Node] = set()
    for cls in classes:
        query = f"SELECT DISTINCT ?s WHERE {{ ?s a ?t . ?t <{RDFS.subClassOf}>* <{cls}> }}"
        found.update(
            _from_ox(row[0], {}) for row in store.query(query, use_default_graph_as_union=union)
        )
    return found


def _to_ox(term: Node, blank: Callable[[BNode], Any] | None = None) -> Any:
    """The Oxigraph term of `term`; `blank` maps blank nodes (default: by their id)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return blank(term) if blank else ox.BlankNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def check_graph(data: Graph, shapes: Graph | None = None) -> Report:
    """Validate `data` and return the report; raise ValidationError if it does not conform.

    Warnings alone do not raise: they are in the returned report.
    """
    report = validate_graph(data, shapes)
    if not report.conforms:
        raise ValidationError(report.text(), report.count)
    return report


@lru_cache(maxsize=1)
def _shapes_graph() -> Graph:
    """ontology/shapes.ttl, parsed once per process (never mutated)."""
    return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


def shapes_graph() -> Graph:
    """The project's SHACL shapes (ontology/shapes.ttl); do not change the graph returned."""
    return _shapes_graph()


def _words(shapes: Graph, shape: Node | None) -> tuple[str | None, str | None]:
    """A shape's rule in plain words (sh:description) and the name of what it flags
    (rdfs:label), from the shape or else from the node shape it belongs to."""
    if shape is None:
        return None, None
    holders = [shape, *sorted(shapes.subjects(SH.property, shape))]
    rule = next((str(d) for h in holders for d in shapes.objects(h, SH.description)), None)
    kind = next((str(k) for k in shapes.objects(shape, RDFS.label)), None)
    return rule, kind


@lru_cache(maxsize=1)
def _ontology_graph() -> Graph:
    """The class and property hierarchy that validation mixes into the data."""
    graph = Graph()
    for name in ("coop.ttl", "reused.ttl"):
        graph.parse(ontology_dir() / name, format="turtle")
    return graph


@dataclass(frozen=True)
class _SparqlCheck:
    """One sh:sparql constraint of a shape, to be run once over the whole graph."""

    query: str  # with its PREFIX lines
    targets: frozenset[Node]  # the shape's sh:targetClass values
    message: str
    severity: str
    path: str | None  # the property shape's sh:path, if the constraint is on one
    is_property: bool
    rule: str | None = None
    kind: str | None = None


@lru_cache(maxsize=1)
def _split_shapes(shapes: Graph) -> tuple[Graph, tuple[_SparqlCheck, ...]]:
    return _split_shapes_uncached(shapes)


def _split_shapes_uncached(shapes: Graph) -> tuple[Graph, tuple[_SparqlCheck, ...]]:
    """Copy `shapes` without the sh:sparql constraints we run ourselves; return those."""
    core = Graph()
    for triple in shapes:
        core.add(triple)
    other_targets = (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
    checks = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        select = shapes.value(constraint, SH.select)
        # A property shape may be shared by several node shapes (sh:property from each).
        parents = sorted(shapes.subjects(SH.property, shape))
        node_shapes = parents or [shape]
        if select is None or any(
            not any(shapes.objects(n, SH.targetClass))
            or any((n, p, None) in shapes for p in other_targets)
            for n in node_shapes
        ):
            continue  # not only class targets: leave it to pyshacl
        message = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)
        severity = shapes.value(shape, SH.severity, default=SH.Violation)
        path = shapes.value(shape, SH.path) if parents else None
        for node_shape in node_shapes:
            checks.append(
                _SparqlCheck(
                    query=_prefix_lines(shapes, constraint) + str(select),
                    targets=frozenset(shapes.objects(node_shape, SH.targetClass)),
                    message=str(message or "(no message)"),
                    severity=_SEVERITIES.get(severity, str(severity)),
                    path=None if path is None else _node_text(path),
                    is_property=bool(parents),
                    rule=_words(shapes, shape)[0],
                    kind=_words(shapes, shape)[1],
                )
            )
        core.remove((shape, SH.sparql, constraint))
    return core, tuple(checks)


def _prefix_lines(shapes: Graph, constraint: Node) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(sorted(lines))


def _run_sparql_checks(
    triples: list[tuple[Node, Node, Node]],
    checks: Iterable[_SparqlCheck],
    instances_of: Callable[[Node], set[Node]],
) -> Iterable[Violation]:
    checks = list(checks)
    if not checks:
        return
    # Oxigraph, not rdflib, evaluates these: rdflib's engine spends ~0.3 ms on each
    # FILTER NOT EXISTS, i.e. seconds on a graph of 50k triples; Oxigraph milliseconds.
    store, back = _oxigraph_copy(triples)
    instances: dict[frozenset[Node], set[Node]] = {}
    for check in checks:
        if check.targets not in instances:
            instances[check.targets] = set().union(*(instances_of(c) for c in check.targets))
        solutions = store.query(check.query)
        assert isinstance(solutions, ox.QuerySolutions)
        yield from _check_rows(
            check, solutions.variables, solutions, instances[check.targets], back
        )


def _check_rows(
    check: _SparqlCheck,
    variables: Iterable[Any],
    rows: Iterable[Any],
    focus_nodes: set[Node],
    back: dict[str, BNode],
) -> Iterable[Violation]:
    names = {v.value for v in variables} - {"this"}
    seen: set[tuple[Any, ...]] = set()
    for row in rows:
        # Most rows are of nodes the shape does not target, or repeat one already seen
        # (a pattern matched in each document's graph): skipped before any conversion.
        this = row["this"]
        key = tuple(row)
        if this is None or key in seen:
            continue
        seen.add(key)
        focus = _from_ox(this, back)
        if focus not in focus_nodes:
            continue
        bound = {name: _from_ox(row[name], back) for name in names if row[name] is not None}
        path = bound.get("path")
        # As SHACL says: without ?value, a node shape reports the focus node itself.
        value = bound.get("value", None if check.is_property else focus)
        yield Violation(
            focus=_node_text(focus),
            path=_node_text(path) if path is not None else check.path,
            message=check.message,
            severity=check.severity,
            value=None if value is None else _value_text(value),
            rule=check.rule,
            kind=check.kind,
            value_iri=str(value) if isinstance(value, URIRef) else None,
        )


def _oxigraph_copy(
    triples: Iterable[tuple[Node, Node, Node]],
) -> tuple[ox.Store, dict[str, BNode]]:
    """An in-memory Oxigraph store of `triples`, and its blank nodes' origins."""
    blanks: dict[BNode, ox.BlankNode] = {}
    # Each term once: a document's triples repeat a few dozen IRIs (and the ontology's).
    made: dict[Node, Any] = {}

    def to_ox(term: Node) -> Any:
        found = made.get(term)
        if found is None:
            found = made[term] = _to_ox(term, lambda b: blanks.setdefault(b, ox.BlankNode()))
        return found

    store = ox.Store()
    store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples)
    return store, {b.value: term for term, b in blanks.items()}


def _from_ox(term: Any, blanks: dict[str, BNode]) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return blanks.get(term.value, BNode(term.value))
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _read_results(results: Graph, shapes: Graph) -> Iterable[Violation]:
    for result in results.subjects(RDF.type, SH.ValidationResult):
        rule, kind = _words(shapes, results.value(result, SH.sourceShape))
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        severity = results.value(result, SH.resultSeverity)
        messages = sorted({str(m) for m in results.objects(result, SH.resultMessage)})
        value = results.value(result, SH.value)
        yield Violation(
            focus=_node_text(focus),
            path=None if path is None else _node_text(path),
            message="; ".join(messages) or "(no message)",
            severity=_severity_text(severity),
            value=None if value is None else _value_text(value),
            rule=rule,
            kind=kind,
            value_iri=str(value) if isinstance(value, URIRef) else None,
        )


def _severity_text(severity: Node | None) -> str:
    return _SEVERITIES.get(severity, str(severity)) if severity else "Violation"


def _node_text(node: Node | None) -> str:
    # Blank node labels change from run to run; a stable placeholder keeps reports
    # reproducible (coopkg's data has no blank nodes: every shape asks for IRIs).
    if isinstance(node, BNode) or node is None:
        return "[blank node]"
    return str(node)


def _value_text(node: Node) -> str:
    if isinstance(node, URIRef):
        return curie(str(node))
    if isinstance(node, Literal):
        text = str(node)
        if len(text) > _MAX_VALUE:
            text = text[: _MAX_VALUE - 1] + "…"
        return '"' + text.replace("\n", " ") + '"'
    return _node_text(node)
