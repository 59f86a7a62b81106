"""Validation results in the user's words, with the words kept in ontology/shapes.ttl."""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef

from kg.namespace import COOP, DCTERMS, ID, RDF, RDFS, SH
from kg.problem import Finding, count_by_kind, explain
from kg.validate import shapes_graph, validate_graph

MEMO = ID["document/hk-xanadu/2026-01-05/co-operation-memorandum-on-trade"]
SPAN = ID["span/hk-xanadu/120-207"]
SOURCE = ID["source/hk-xanadu"]
QUOTE = "the Co-operation Memorandum on Trade between Hong Kong and Xanadu was signed today"


def memorandum_with_a_bad_party() -> Graph:
    """A memorandum whose parties name no body or place the graph describes."""
    g = Graph()
    g.add((SOURCE, RDF.type, COOP.SourceDocument))
    g.add((SOURCE, COOP.characterCount, Literal(500)))
    g.add((MEMO, RDF.type, COOP.Memorandum))
    g.add((MEMO, DCTERMS.title, Literal("Co-operation Memorandum on Trade")))
    g.add((MEMO, COOP.party, ID["body/hong-kong"]))
    g.add((MEMO, COOP.party, ID["body/xanadu"]))
    g.add((MEMO, COOP.statedIn, SPAN))
    g.add((SPAN, RDF.type, COOP.TextSpan))
    g.add((SPAN, COOP.inSource, SOURCE))
    g.add((SPAN, COOP.quote, Literal(QUOTE)))
    g.add((SPAN, COOP.startOffset, Literal(120)))
    g.add((SPAN, COOP.endOffset, Literal(120 + len(QUOTE))))
    return g


def test_a_violation_is_told_by_record_quote_and_rule():
    graph = memorandum_with_a_bad_party()
    report = validate_graph(graph)
    assert report.count == 2
    (finding,) = explain(report.violations, graph)  # one rule, one record: one finding
    assert finding == Finding(
        severity="Violation",
        record="memorandum 'Co-operation Memorandum on Trade'",
        rule="a memorandum's parties must be bodies or places",
        value="'Hong Kong' was read as a body that nothing in the graph describes; "
        "'Xanadu' was read as a body that nothing in the graph describes",
        quote=QUOTE,
        start=120,
        end=120 + len(QUOTE),
        kind="memorandum records: a memorandum's parties must be bodies or places",
        technical=finding.technical,
        document="hk-xanadu",
    )
    assert "coop:party" in finding.technical  # the SHACL line stays available
    assert finding.text() == (
        "memorandum 'Co-operation Memorandum on Trade': a memorandum's parties must be bodies "
        "or places; 'Hong Kong' was read as a body that nothing in the graph describes; "
        "'Xanadu' was read as a body that nothing in the graph describes\n"
        f'  read from characters 120-{120 + len(QUOTE)}: "{QUOTE}"'
    )


def test_a_party_the_graph_describes_is_named_by_its_label_and_class():
    graph = memorandum_with_a_bad_party()
    graph.remove((MEMO, COOP.party, ID["body/xanadu"]))
    # A person as a party: described, but of the wrong class.
    person = ID["person/li-ming"]
    graph.add((person, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Person")))
    graph.add((person, URIRef("http://xmlns.com/foaf/0.1/name"), Literal("Li Ming")))
    graph.remove((MEMO, COOP.party, ID["body/hong-kong"]))
    graph.add((MEMO, COOP.party, person))
    (finding,) = explain(validate_graph(graph).violations, graph)
    assert finding.value == "'Li Ming' was read as a person"


def test_warnings_are_counted_by_kind():
    post = ID["post/secretary-for-health"]
    other = ID["post/commissioner-for-tourism"]
    g = Graph()
    for iri, label in ((post, "Secretary for Health"), (other, "Commissioner for Tourism")):
        g.add((iri, RDF.type, URIRef("http://www.w3.org/ns/org#Post")))
        g.add((iri, RDFS.label, Literal(label)))
    report = validate_graph(g)
    assert report.conforms and len(report.violations) == 2
    findings = explain(report.violations, g)
    assert [f.record for f in findings] == [
        "post 'Commissioner for Tourism'",
        "post 'Secretary for Health'",
    ]
    assert count_by_kind(findings) == [(2, "posts whose body the text does not name")]


def test_every_shape_says_its_rule_in_plain_words():
    """Each constraint has an sh:description, each node shape an rdfs:label (what its
    records are called), each warning an rdfs:label (what a count of them is called)."""
    shapes = shapes_graph()
    with_message = set(shapes.subjects(SH.message, None)) - set(
        shapes.subjects(RDF.type, SH.SPARQLConstraint)
    )
    assert len(with_message) > 100
    missing = [s for s in with_message if shapes.value(s, SH.description) is None]
    assert missing == []
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert shapes.value(shape, RDFS.label) is not None, shape
    for shape in shapes.subjects(SH.severity, SH.Warning):
        assert shapes.value(shape, RDFS.label) is not None, shape
    # Plain words: no terms of the vocabularies in a rule.
    curie = re.compile(r"\b(coop|org|foaf|skos|prov|dcterms|schema|rdfs|xsd|sh):\w")
    assert [d for d in shapes.objects(None, SH.description) if curie.search(str(d))] == []
