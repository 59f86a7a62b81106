"""ontology/: the coop vocabulary is documented and aligned, every class has a shape,
the concept schemes are well-formed, and docs/ontology.html is not stale."""

from __future__ import annotations

import re
import unicodedata

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS

from kg.docs import load_ontology, ontology_terms, render_ontology_html
from kg.model import KINDS
from kg.namespace import COOP, ID, SCHEMA, ontology_dir

ONTOLOGY = ontology_dir()
ROOT = ONTOLOGY.parent
SEED_HEADINGS = [  # the seed release's eleven areas, as published
    "The Belt and Road Initiative, Economic, Trade and Investment Co-operation",
    "Finance",
    "Innovation and Technology",
    "Logistics",
    "Cultural Exchange and Tourism",
    "Education",
    "Talent Exchange",
    "Youth Development",
    "Legal and Dispute Resolution",
    "Health and Chinese Medicine",
    "Facilitation for Hong Kong People in the Mainland",
]


def _slug(text: str) -> str:
    """ARCHITECTURE.md's slug rule: lowercase ASCII, non-alphanumeric runs -> "-"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")


@pytest.fixture(scope="module")
def hierarchy(ontology: Graph) -> Graph:
    graph = Graph()
    for triple in (*ontology, *Graph().parse(ONTOLOGY / "reused.ttl", format="turtle")):
        graph.add(triple)
    return graph


@pytest.fixture(scope="module")
def schemes() -> Graph:
    return Graph().parse(ONTOLOGY / "areas.ttl", format="turtle")


def test_every_turtle_file_parses() -> None:
    for path in sorted(ONTOLOGY.rglob("*.ttl")):
        Graph().parse(path, format="turtle")


def test_ontology_header(ontology: Graph) -> None:
    header = URIRef("https://w3id.org/coopkg/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    for prop in (DCTERMS.title, DCTERMS.description, OWL.versionInfo, DCTERMS.license):
        assert ontology.value(header, prop) is not None, prop
    assert ontology.value(header, DCTERMS.creator) == Literal("coopkg")


def test_every_term_has_one_label_a_definition_and_a_type(ontology: Graph) -> None:
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    for name, term in ontology_terms(ontology).items():
        labels = list(ontology.objects(term, RDFS.label))
        assert len(labels) == 1, name
        definitions = [
            *ontology.objects(term, SKOS.definition),
            *ontology.objects(term, RDFS.comment),
        ]
        assert definitions and all(len(str(d)) > 20 for d in definitions), name
        assert set(ontology.objects(term, RDF.type)) & kinds, name
        # Plain literals throughout, like the data (see the header of coop.ttl).
        assert all(isinstance(x, Literal) and x.language is None for x in labels + definitions)


def test_every_class_is_aligned_to_a_standard_vocabulary(ontology: Graph) -> None:
    standard = (str(ORG), str(FOAF), str(PROV), str(SCHEMA), str(SKOS), str(DCTERMS))
    for term in ontology.subjects(RDF.type, OWL.Class):
        supers = {str(s) for s in ontology.objects(term, RDFS.subClassOf)}
        assert any(s.startswith(standard) for s in supers), term


def _is_subclass(graph: Graph, cls: URIRef, ancestor: URIRef) -> bool:
    return ancestor in set(graph.transitive_objects(cls, RDFS.subClassOf))


def test_bodies_are_organisations_but_programmes_and_events_are_not(hierarchy: Graph) -> None:
    organisations = [
        COOP.Government, COOP.PartyCommittee, COOP.Agency, COOP.StatutoryBody, COOP.Exchange,
        COOP.Institution, COOP.AcademicInstitution, COOP.Enterprise, COOP.Association,
        COOP.GenericGroup,
    ]  # fmt: skip
    for cls in organisations:
        assert _is_subclass(hierarchy, cls, ORG.Organization), cls
    for cls in (COOP.Programme, COOP.NamedEvent):
        assert not _is_subclass(hierarchy, cls, ORG.Organization), cls
    assert _is_subclass(hierarchy, COOP.Government, ORG.FormalOrganization)
    assert _is_subclass(hierarchy, COOP.Meeting, SCHEMA.Event)
    assert _is_subclass(hierarchy, COOP.Programme, PROV.Entity)
    assert (COOP.statedIn, RDFS.subPropertyOf, PROV.wasDerivedFrom) in hierarchy


def test_records_derived_from_spans_are_prov_entities_not_activities(hierarchy: Graph) -> None:
    """coop:statedIn is a prov:wasDerivedFrom, whose subject is an entity; PROV-O makes
    entities and activities disjoint."""
    for cls in (COOP.Commitment, COOP.Memorandum, COOP.Signature, COOP.PostHolding,
                COOP.Statement):  # fmt: skip
        assert _is_subclass(hierarchy, cls, PROV.Entity), cls
        assert not _is_subclass(hierarchy, cls, PROV.Activity), cls


def test_body_class_notations_are_the_model_kinds(ontology: Graph, shapes: Graph) -> None:
    notations = {str(n) for n in ontology.objects(None, SKOS.notation)}
    assert notations == set(KINDS)
    kind_lists = [
        [str(x) for x in Collection(shapes, values)]
        for shape in shapes.subjects(SH.path, COOP.kind)
        for values in shapes.objects(shape, SH["in"])
    ]
    assert kind_lists == [list(KINDS)]


def test_every_class_has_a_shape(ontology: Graph, shapes: Graph) -> None:
    targeted = set(shapes.objects(None, SH.targetClass))
    for cls in ontology.subjects(RDF.type, OWL.Class):
        assert cls in targeted, f"no shape targets {cls}"
    # The standard classes that coopkg's instances have, too.
    for cls in (FOAF.Person, ORG.Post, SKOS.Concept, SKOS.ConceptScheme):
        assert cls in targeted, cls


def test_every_property_is_constrained_by_a_shape(ontology: Graph, shapes: Graph) -> None:
    paths = set(shapes.objects(None, SH.path)) | set(shapes.objects(None, SH.lessThan))
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in ontology.subjects(RDF.type, kind):
            assert prop in paths, f"no shape constrains {prop}"


def test_no_file_uses_an_undefined_coop_term(ontology: Graph) -> None:
    defined = set(ontology_terms(ontology).values())
    namespace = str(COOP._NS)
    files = [*ONTOLOGY.rglob("*.ttl"), ROOT / "tests" / "fixtures" / "mini.ttl"]
    for path in files:
        graph = Graph().parse(path, format="turtle")
        used = {t for triple in graph for t in triple if isinstance(t, URIRef)}
        unknown = {t for t in used if str(t).startswith(namespace) and t not in defined}
        assert not unknown, f"{path.name}: {sorted(unknown)}"


def _concepts(schemes: Graph, scheme: str) -> list[URIRef]:
    found = schemes.subjects(SKOS.inScheme, ID[f"scheme/{scheme}"])
    return sorted(c for c in found if isinstance(c, URIRef))


@pytest.mark.parametrize(("scheme", "kind"), [("areas", "area"), ("themes", "theme"),
                                              ("sectors", "sector")])  # fmt: skip
def test_scheme_concepts_are_well_formed(schemes: Graph, scheme: str, kind: str) -> None:
    concepts = _concepts(schemes, scheme)
    assert len(concepts) >= 5
    seen: dict[str, URIRef] = {}
    for concept in concepts:
        assert (concept, RDF.type, SKOS.Concept) in schemes
        assert (concept, SKOS.topConceptOf, ID[f"scheme/{scheme}"]) in schemes
        assert (ID[f"scheme/{scheme}"], SKOS.hasTopConcept, concept) in schemes
        prefs = list(schemes.objects(concept, SKOS.prefLabel))
        # Exactly one prefLabel, a plain literal (no language tag) like the builder's.
        assert len(prefs) == 1 and isinstance(prefs[0], Literal), concept
        assert prefs[0].language is None and prefs[0].datatype is None, concept
        assert concept == ID[f"{kind}/{_slug(str(prefs[0]))}"], "IRI = slug(prefLabel)"
        assert schemes.value(concept, SKOS.definition) is not None, concept
        alts = list(schemes.objects(concept, SKOS.altLabel))
        assert all(isinstance(a, Literal) and a.language is None for a in alts), concept
        # No label names two concepts of a scheme (nor one concept twice).
        for label in [*prefs, *alts]:
            key = " ".join(str(label).split()).casefold()
            assert key not in seen, f"{label!r} names {seen.get(key)} and {concept}"
            seen[key] = concept


def test_areas_scheme_has_the_seed_headings_verbatim(schemes: Graph) -> None:
    prefs = {str(schemes.value(c, SKOS.prefLabel)) for c in _concepts(schemes, "areas")}
    assert set(SEED_HEADINGS) <= prefs


def _labels(schemes: Graph, scheme: str) -> set[str]:
    return {
        str(label).casefold()
        for concept in _concepts(schemes, scheme)
        for prop in (SKOS.prefLabel, SKOS.altLabel)
        for label in schemes.objects(concept, prop)
    }


def test_areas_scheme_knows_other_conferences_names(schemes: Graph) -> None:
    labels = _labels(schemes, "areas")
    for name in (
        "Professional Services", "Trade and Investment", "Economic and Trade", "Tourism",
        "Culture", "Sports", "Environmental Protection", "Medical and Health", "Transport",
        "Infrastructure", "Agriculture", "Intellectual Property", "Creative Industries",
        "Greater Bay Area", "Civil Service Exchange", "Belt and Road", "Science and Technology",
        "Youth Exchange", "Legal Services", "Culture and Tourism", "Financial Services",
    ):  # fmt: skip
        assert name.casefold() in labels, name


def test_themes_and_sectors_cover_the_analysis_seed(schemes: Graph) -> None:
    assert {"strong industry", "real scenarios"} <= _labels(schemes, "themes")
    sectors = _labels(schemes, "sectors")
    for name in ("finance", "professional services", "advanced manufacturing", "logistics",
                 "automotive manufacturing", "electronics assembly", "heavy industry"):  # fmt: skip
        assert name in sectors, name


def test_docs_are_not_stale() -> None:
    pytest.importorskip("pylode", reason="pyLODE (the docs extra) builds docs/ontology.html")
    checked_in = (ROOT / "docs" / "ontology.html").read_text(encoding="utf-8")
    assert render_ontology_html() == checked_in, "run: python scripts/build_docs.py"


def test_docs_load_nothing_from_the_network() -> None:
    page = (ROOT / "docs" / "ontology.html").read_text(encoding="utf-8")
    assert "src=" not in page
    for tag in re.findall(r"<link[^>]*>", page):
        assert 'href="data:' in tag, tag
    assert "@import" not in page and "url(http" not in page
    # The ontology's own terms are documented.
    assert 'id="Commitment"' in page and 'id="statedIn"' in page


def test_docs_build_is_deterministic() -> None:
    pytest.importorskip("pylode")
    assert render_ontology_html() == render_ontology_html()
