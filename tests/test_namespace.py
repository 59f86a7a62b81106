"""kg.namespace: COOP agrees exactly with ontology/coop.ttl, unknown terms raise, and the
prefixes bind and shorten as documented."""

from __future__ import annotations

import doctest

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.docs import generated_namespace_block, load_ontology, ontology_terms, render_namespace
from kg.namespace import COOP, ID, PREFIXES, SCHEMA, bind_prefixes, curie, ontology_dir


def test_generated_class_is_not_stale() -> None:
    assert generated_namespace_block() == render_namespace(), "run: python scripts/build_docs.py"


def test_namespace_has_exactly_the_ontology_terms() -> None:
    terms = set(ontology_terms(load_ontology()).values())
    assert set(dir(COOP)) == terms
    assert str(COOP._NS) == "https://w3id.org/coopkg/ontology#"


def test_unknown_term_raises() -> None:
    assert COOP.Commitment == URIRef("https://w3id.org/coopkg/ontology#Commitment")
    with pytest.raises(AttributeError):
        COOP.Comitment  # noqa: B018 - the access itself is the test


def test_standard_namespaces() -> None:
    assert str(SCHEMA) == "https://schema.org/"
    assert ID["commitment/x/1"] == URIRef("https://w3id.org/coopkg/id/commitment/x/1")
    assert PREFIXES["org"] == "http://www.w3.org/ns/org#"
    assert PREFIXES["prov"] == "http://www.w3.org/ns/prov#"


def test_no_namespace_is_a_prefix_of_another() -> None:
    """curie() takes the first namespace that matches: there must be only one."""
    values = list(PREFIXES.values())
    for a in values:
        for b in values:
            assert a == b or not b.startswith(a), (a, b)


def test_bind_prefixes_makes_turtle_use_them() -> None:
    graph = bind_prefixes(Graph())
    graph.add((ID["commitment/x/1"], RDF.type, COOP.Commitment))
    graph.add((ID["commitment/x/1"], SCHEMA.startDate, Literal("2023-05-11")))
    bound = {prefix: str(ns) for prefix, ns in graph.namespaces()}
    for prefix, namespace in PREFIXES.items():
        assert bound[prefix] == namespace
    text = graph.serialize(format="turtle")
    assert "coop:Commitment" in text and "schema:startDate" in text


def test_curie() -> None:
    assert curie(str(COOP.statedIn)) == "coop:statedIn"
    assert curie(str(ID["body/hktdc"])) == "id:body/hktdc"
    assert curie("https://example.org/a") == "https://example.org/a"
    assert curie(str(ID)) == str(ID)  # a bare namespace stays whole


def test_ontology_dir_holds_the_ontology() -> None:
    folder = ontology_dir()
    for name in ("coop.ttl", "shapes.ttl", "areas.ttl", "reused.ttl"):
        assert (folder / name).is_file(), name


def test_doctests() -> None:
    import kg.namespace
    import kg.validate

    for module in (kg.namespace, kg.validate):
        failed, _ = doctest.testmod(module)
        assert failed == 0, module.__name__
