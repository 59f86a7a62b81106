"""The store interface: same answers from Oxigraph and rdflib, bound parameters, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.store import IRI, QueryError, open_store

MINI = Path(__file__).parent / "fixtures" / "mini.ttl"
LABEL_OF = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?b ?label WHERE { ?b rdfs:label ?label }
"""
BY_NAME = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name ?b WHERE { ?b rdfs:label ?label FILTER(STR(?label) = ?name) }
"""


@pytest.fixture(params=["oxigraph", "rdflib"])
def store(request):
    return open_store(MINI, engine=request.param)


def test_both_engines_hold_the_same_triples(store):
    assert len(store) == 209


def test_iri_parameter_is_bound(store):
    table = store.select(LABEL_OF, {"b": IRI("https://w3id.org/coopkg/id/body/alpha-exchange")})
    assert table.rows == [("https://w3id.org/coopkg/id/body/alpha-exchange", "Alpha Exchange")]


def test_literal_parameter_is_bound_not_pasted(store):
    hits = store.select(BY_NAME, {"name": "Alpha Trade & Development Council"})
    assert [r[1] for r in hits.rows] == [
        "https://w3id.org/coopkg/id/body/alpha-trade-development-council"
    ]
    for attack in ['x" || true || "', '") } ; SELECT * WHERE { ?s ?p ?o } #']:
        assert store.select(BY_NAME, {"name": attack}).rows == []


def test_dates_are_iso_strings(store):
    table = store.select(
        "PREFIX schema: <https://schema.org/> SELECT ?d WHERE { ?m schema:startDate ?d }"
    )
    assert table.rows == [("2024-01-02",)]


def test_malformed_sparql_names_line_and_column():
    store = open_store(MINI)
    with pytest.raises(QueryError) as err:
        store.select("SELECT ?x WHERE {\n ?x ?y }")
    assert err.value.line == 2


def test_malformed_turtle_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        open_store(bad)
    assert str(err.value).startswith(f"{bad}:2")


@pytest.mark.parametrize("content", [b"", b"   \n"])
def test_empty_graph_file(tmp_path, content):
    empty = tmp_path / "empty.ttl"
    empty.write_bytes(content)
    with pytest.raises(InputError, match="empty"):
        open_store(empty)


def test_missing_graph_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        open_store(tmp_path / "nope.ttl")


def test_missing_store_folder_is_named_as_missing(tmp_path):
    # Before any build, out/store is not there: that is what the user must hear, not that
    # a name without a suffix is an unknown file type.
    with pytest.raises(InputError, match=r"no such file or store folder \(kg build writes"):
        open_store(tmp_path / "out" / "store")
    with pytest.raises(InputError, match="unknown RDF file type"):
        (tmp_path / "graph").write_text("<a> <b> <c> .\n")
        open_store(tmp_path / "graph")
