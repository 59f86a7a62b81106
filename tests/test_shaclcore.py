"""kg.shaclcore gives exactly pyshacl's results (every field of every Violation), on the
examples, on the graphs a build checks, on synthetic releases and on mutated graphs; and
a shapes graph it cannot check falls back to pyshacl."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

import kg.builddocs
import kg.buildunion
import kg.shaclrun
from kg import validate as V
from kg.build import build_graph
from kg.namespace import COOP, RDF, SKOS, XSD
from kg.shaclcore import Unsupported, compile_shapes

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "ontology" / "examples").glob("*/*.ttl"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import write_corpus  # noqa: E402

Triples = list[tuple[Node, Node, Node]]


def _fields(violations) -> set[tuple]:
    return {
        (v.focus, v.path, v.message, v.severity, v.value, v.rule, v.kind, v.value_iri)
        for v in violations
    }


def _both(triples: Triples, shapes: Graph | None = None) -> tuple[set | None, set | None]:
    """Our core results and pyshacl's on `triples` with the ontology mixed in, as
    kg.validate runs them; None for an engine that stops (ours: Unsupported)."""
    shapes = shapes if shapes is not None else V._shapes_graph()
    core, _ = V._split_shapes_uncached(shapes)
    mixed = [*triples, *V._ontology_graph()]
    checker = compile_shapes(core)
    try:
        ours = _fields(V._core_violations(checker.check(checker.index(mixed)), shapes))
    except Unsupported:
        ours = None
    work = Graph()
    for triple in mixed:
        work.add(triple)
    try:
        theirs = _fields(V._pyshacl_violations(work, core, shapes))
    except Exception:
        theirs = None
    return ours, theirs


@pytest.fixture(scope="module")
def fired():
    """The checker's component classes that reported something, over this module
    (sh:property's counts the results of its property shapes)."""
    seen: set[str] = set()
    originals = {}
    for cls in kg.shaclrun.Component.__subclasses__():
        original = cls.check

        def check(self, shape, data, pairs, out, _original=original, _name=cls.__name__):
            before = len(out)
            ok = _original(self, shape, data, pairs, out)
            if len(out) > before:
                seen.add(_name)
            return ok

        originals[cls] = original
        cls.check = check
    yield seen
    for cls, original in originals.items():
        cls.check = original


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_example_gives_pyshacls_results(path, fired):
    graph = Graph().parse(path, format="turtle")
    ours, theirs = _both(list(graph))
    assert ours is not None and ours == theirs
    if path.parent.name == "invalid":
        sparql = V.validate_split(graph)[1]
        assert ours or sparql, "an invalid example that both engines pass"


def _recorded(data: Path) -> list[Triples]:
    """The graphs a build of `data` checks: each document with the registry facts it
    needs, and the union's records several documents share."""
    graphs: list[Triples] = []

    def record(original):
        def validate_split(graph, **options):
            graphs.append(list(graph))
            return original(graph, **options)

        return validate_split

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kg.builddocs, "validate_split", record(kg.builddocs.validate_split))
        mp.setattr(kg.buildunion, "validate_split", record(kg.buildunion.validate_split))
        build_graph(data, jobs=1)
    return graphs


@pytest.fixture(scope="module")
def seed_graphs() -> list[Triples]:
    return _recorded(ROOT / "data")


def test_the_seed_builds_graphs_give_pyshacls_results(seed_graphs, fired):
    assert len(seed_graphs) == 3  # two documents and the union's shared records
    for triples in seed_graphs:
        ours, theirs = _both(triples)
        assert ours is not None and ours == theirs


def test_synthetic_releases_give_pyshacls_results(tmp_path, fired):
    graphs = _recorded(write_corpus(tmp_path / "data", 3))
    assert len(graphs) == 4
    for triples in graphs:
        ours, theirs = _both(triples)
        assert ours is not None and ours == theirs
    assert {len(t) for t in graphs[:3]} != {0}


# Values a mutation may put in a literal's place.
_LEXICAL = ["", "-3", "0", "7", "abc", "2021-13-45", "2021-02-03", "true", "x" * 70, "ZH"]
_DATATYPES = [None, XSD.string, XSD.integer, XSD.date, XSD.boolean, XSD.decimal]
_LANGS = ["en", "EN", "zh", "fr"]


def _mutate(triples: Triples, rng: random.Random) -> Triples:
    """`triples` with one random change of a kind that breaks a shape."""
    out = list(triples)
    if not out:
        return out
    i = rng.randrange(len(out))
    s, p, o = out[i]
    literals = [k for k, t in enumerate(out) if isinstance(t[2], Literal)]
    kind = rng.randrange(9)
    if kind == 0:
        del out[i]
    elif kind in (1, 2, 3) and literals:
        k = rng.choice(literals)
        s, p, o = out[k]
        if kind == 1:
            new = Literal(str(o), datatype=rng.choice(_DATATYPES))
        elif kind == 2:
            new = Literal(rng.choice(_LEXICAL), datatype=o.datatype, lang=o.language)
        else:
            # A language, and a second value in it (sh:uniqueLang).
            new = Literal(str(o), lang=rng.choice(_LANGS))
            out.append((s, p, Literal(str(o) + "2", lang=new.language)))
        out[k] = (s, p, new)
    elif kind == 4:
        types = [t[2] for t in out if t[1] == RDF.type]
        typed = [k for k, t in enumerate(out) if t[1] == RDF.type]
        if typed:
            k = rng.choice(typed)
            out[k] = (out[k][0], RDF.type, rng.choice(types))
    elif kind == 5:
        out[i] = (s, p, rng.choice([Literal("x"), Literal("x", lang="en"), BNode()]))
    elif kind == 6:
        # Another value for the same property: a variant of this one, or another node.
        if isinstance(o, Literal):
            other: Node = Literal(str(o) + "2", datatype=o.datatype, lang=o.language)
        else:
            other = rng.choice([t[0] for t in out])
        out.append((s, p, other))
    elif kind == 7:
        # The same value under another property of the subject (sh:disjoint).
        predicates = sorted({t[1] for t in out if t[0] == s})
        out.append((s, rng.choice(predicates), o))
    else:
        # A node renamed to an IRI outside id: or to a blank node.
        new_node: Node = rng.choice([URIRef("https://example.org/x"), BNode()])
        out = [tuple(new_node if term == s else term for term in t) for t in out]  # type: ignore[misc]
    return out


# rdflib warns of each ill-typed literal a mutation makes: that is the point of them.
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_mutated_graphs_give_pyshacls_results_and_every_component_fires(seed_graphs, fired):
    rng = random.Random(11)
    bases = [list(Graph().parse(p, format="turtle")) for p in EXAMPLES if "/valid/" in str(p)]
    bases.append(min(seed_graphs, key=len))
    # Two components random changes reach rarely: a party that is a literal (sh:or) and
    # two names in one language (sh:uniqueLang).
    for base in bases:
        for k, (s, p, _o) in enumerate(base):
            if p == COOP.party:
                triples = [*base[:k], (s, p, Literal("x")), *base[k + 1 :]]
            elif p == SKOS.prefLabel:
                triples = [*base, (s, p, Literal("y", lang="zh")), (s, p, Literal("z", lang="zh"))]
            else:
                continue
            ours, theirs = _both(triples)
            assert ours is not None and ours == theirs
    stopped = 0
    for _ in range(400):
        triples = _mutate(rng.choice(bases), rng)
        for _ in range(rng.randrange(2)):
            triples = _mutate(triples, rng)
        ours, theirs = _both(triples)
        assert ours == theirs, triples
        stopped += ours is None
    # The constraint components ontology/shapes.ttl uses, each seen reporting.
    components = {c.__name__ for c in kg.shaclrun.Component.__subclasses__()}
    assert fired - {"Property"} == components - {"Property"}
    assert stopped < 40  # the graphs pyshacl itself stops on (sh:lessThan on a blank node)


def test_a_shapes_graph_the_checker_cannot_run_falls_back_to_pyshacl():
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:name ; sh:maxLength 3 ; sh:message "short names" ] ,
                        [ sh:path [ sh:inversePath ex:owns ] ; sh:minCount 1 ;
                          sh:message "owned" ] .
        """,
        format="turtle",
    )
    data = Graph().parse(
        data="""
        @prefix ex: <https://example.org/> .
        ex:a a ex:C ; ex:name "long name" .
        ex:b a ex:C ; ex:name "ok" . ex:z ex:owns ex:b .
        """,
        format="turtle",
    )
    with pytest.raises(Unsupported):
        compile_shapes(V._split_shapes_uncached(shapes)[0])
    report = V.validate_graph(data, shapes)
    work = Graph()
    for triple in [*data, *V._ontology_graph()]:
        work.add(triple)
    core = V._split_shapes_uncached(shapes)[0]
    assert _fields(report.violations) == _fields(V._pyshacl_violations(work, core, shapes))
    assert _fields(report.violations) == {
        ("https://example.org/a", "https://example.org/name", "short names", "Violation",
         '"long name"', None, None, None),
        ("https://example.org/a", "[blank node]", "owned", "Violation", None, None, None, None),
    }  # fmt: skip


@pytest.mark.parametrize(
    "extra",
    [
        "sh:minExclusive 1",  # another component
        "sh:targetNode ex:a",  # another kind of target
    ],
)
def test_other_components_and_targets_are_unsupported(extra):
    shapes = Graph().parse(
        data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:message "m" ;
            sh:property [ sh:path ex:n ; sh:message "m" ; {extra} ] .
        """,
        format="turtle",
    )
    with pytest.raises(Unsupported):
        compile_shapes(shapes)


def test_a_reporting_shape_without_a_message_is_unsupported():
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:n ; sh:minCount 1 ] .
        """,
        format="turtle",
    )
    with pytest.raises(Unsupported):
        compile_shapes(shapes)
