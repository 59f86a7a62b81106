"""kg.rdflibeval: rdflib's engine with each subquery evaluated once and joins by hashing
gives the rows Oxigraph gives, where rows leave variables unbound, where a subquery's rows
are filtered by a parameter, and where the join is a product; rdflib queries the store did
not start are rdflib's own."""

from __future__ import annotations

import pytest
import rdflib

from kg.store import OxigraphStore, RdflibStore

DATA = """\
@prefix : <http://example.org/> .
:a :p :b , :c .
:b :q 1 , 2 .
:c :q 3 .
:d :p :e .
:e :r "no q" .
:f :q 4 .
"""

QUERIES = {
    # An OPTIONAL subquery with an aggregate: once per query, not once per row of ?s.
    "optional subquery": """
        PREFIX : <http://example.org/>
        SELECT ?s ?o ?n WHERE {
          ?s :p ?o .
          OPTIONAL { SELECT ?o (COUNT(?v) AS ?n) WHERE { ?o :q ?v } GROUP BY ?o }
        } ORDER BY ?s ?o""",
    # Rows of the left side leave ?v unbound: they meet every row of the right side that
    # agrees on ?o.
    "join with unbound": """
        PREFIX : <http://example.org/>
        SELECT ?s ?o ?v ?w WHERE {
          { ?s :p ?o OPTIONAL { ?o :q ?v } }
          { SELECT ?o ?w WHERE { ?o ?any ?w } }
        } ORDER BY ?s ?o ?v ?w""",
    # No variable in common: every pair.
    "product": """
        PREFIX : <http://example.org/>
        SELECT ?x ?y WHERE {
          { SELECT ?x WHERE { ?x :r ?z } }
          { SELECT ?y WHERE { ?y :q 4 } }
        }""",
    # A parameter the rows of a subquery are filtered with (as bodies-across-mechanisms').
    "parameter after subquery": """
        PREFIX : <http://example.org/>
        SELECT ?o ?n ?min WHERE {
          { SELECT ?o (COUNT(?v) AS ?n) WHERE { ?o :q ?v } GROUP BY ?o }
          FILTER(?n >= ?min)
        } ORDER BY ?o""",
}


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return rdflib.Graph().parse(data=DATA, format="turtle")


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_rows_are_oxigraphs(graph, name):
    params = {"min": 2} if name == "parameter after subquery" else {}
    want = OxigraphStore.from_graph(graph).select(QUERIES[name], params)
    got = RdflibStore(graph).select(QUERIES[name], params)
    assert (got.columns, sorted(map(repr, got.rows))) == (
        want.columns,
        sorted(map(repr, want.rows)),
    )
    assert want.rows  # not a comparison of empty answers


def test_the_optional_subquery_is_evaluated_once_and_counts_per_row(graph, monkeypatch):
    import kg.rdflibeval

    evaluated = []

    def counting(ctx, part):
        evaluated.append(part.name)
        return real(ctx, part)

    real = kg.rdflibeval.evalPart
    monkeypatch.setattr(kg.rdflibeval, "evalPart", counting)
    rows = RdflibStore(graph).select(QUERIES["optional subquery"]).rows
    assert evaluated == ["Project"]  # once, for three rows of ?s ?o
    counts = {(str(s), str(o)): n for s, o, n in rows}
    ex = "http://example.org/"
    assert counts == {(f"{ex}a", f"{ex}b"): 2, (f"{ex}a", f"{ex}c"): 1, (f"{ex}d", f"{ex}e"): None}


def test_a_query_the_store_did_not_start_is_rdflibs_own(graph):
    from rdflib.plugins.sparql.sparql import Prologue, QueryContext

    from kg.rdflibeval import _evaluate

    ctx = QueryContext(graph)
    ctx.prologue = Prologue()  # never registered with once_per_query
    part = rdflib.plugins.sparql.parserutils.CompValue("Join", lazy=False)
    with pytest.raises(NotImplementedError):
        _evaluate(ctx, part)
    # ... and plain rdflib still answers the queries.
    result = graph.query(QUERIES["optional subquery"])
    assert len(list(result)) == 3
