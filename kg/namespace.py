"""The ontology's terms as a closed namespace, and the namespaces coopkg writes.

`COOP` is generated from ontology/coop.ttl (`python scripts/build_docs.py`) and checked
in, so that importing it does not parse Turtle; tests/test_namespace.py fails when it
is stale. An unknown term raises: `COOP.Comitment` is an AttributeError, not a new IRI.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    XSD,
    DefinedNamespace,
)

from kg.errors import KgError

__all__ = [
    "COOP",
    "DCTERMS",
    "FOAF",
    "ID",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SHAPE",
    "SKOS",
    "XSD",
    "bind_prefixes",
    "curie",
    "ontology_dir",
]


# BEGIN GENERATED from ontology/coop.ttl by scripts/build_docs.py: do not edit by hand.
class COOP(DefinedNamespace):
    """The coopkg ontology, <https://w3id.org/coopkg/ontology#>: one attribute per term."""

    _NS = Namespace("https://w3id.org/coopkg/ontology#")
    _fail = True  # an unknown term is an error, not a new IRI

    # Classes
    AcademicInstitution: URIRef  # Academic institution
    Agency: URIRef  # Agency
    AreaHeading: URIRef  # Area heading
    Association: URIRef  # Association
    Commitment: URIRef  # Commitment
    CooperationMechanism: URIRef  # Co-operation mechanism
    Correction: URIRef  # Correction
    Enterprise: URIRef  # Enterprise
    Exchange: URIRef  # Exchange
    GenericGroup: URIRef  # Generic group
    Government: URIRef  # Government
    Institution: URIRef  # Institution
    Jurisdiction: URIRef  # Jurisdiction
    Meeting: URIRef  # Meeting
    Memorandum: URIRef  # Memorandum
    NamedEvent: URIRef  # Named event
    Partnership: URIRef  # Partnership
    PartyCommittee: URIRef  # Party committee
    PostHolding: URIRef  # Post holding
    Programme: URIRef  # Programme
    Signature: URIRef  # Signature
    SourceDocument: URIRef  # Source document
    Statement: URIRef  # Statement
    StatutoryBody: URIRef  # Statutory body
    TextSpan: URIRef  # Text span

    # Object properties
    about: URIRef  # about
    appliesTo: URIRef  # applies to
    area: URIRef  # area
    asAt: URIRef  # as at
    concept: URIRef  # concept
    hasArea: URIRef  # has area
    hasHeading: URIRef  # has heading
    heading: URIRef  # heading
    holder: URIRef  # holder
    inSource: URIRef  # in source
    involves: URIRef  # involves
    jurisdiction: URIRef  # jurisdiction
    madeAt: URIRef  # made at
    mentionedIn: URIRef  # mentioned in
    ofCommitment: URIRef  # of commitment
    ofDocument: URIRef  # of document
    ofMechanism: URIRef  # of mechanism
    offeredBy: URIRef  # offered by
    onBehalfOf: URIRef  # on behalf of
    partner: URIRef  # partner
    party: URIRef  # party
    post: URIRef  # post
    restoresArea: URIRef  # restores area
    signatory: URIRef  # signatory
    signedAt: URIRef  # signed at
    signer: URIRef  # signer
    statedIn: URIRef  # stated in

    # Datatype properties
    actionVerb: URIRef  # action verb
    characterCount: URIRef  # character count
    endOffset: URIRef  # end offset
    kind: URIRef  # kind
    offers: URIRef  # offers
    ordinal: URIRef  # ordinal
    quote: URIRef  # quote
    reviewed: URIRef  # reviewed
    sha256: URIRef  # SHA-256
    startOffset: URIRef  # start offset
    statementKind: URIRef  # statement kind


# END GENERATED

# Instance IRIs (docs/ARCHITECTURE.md): id:commitment/…, id:body/…, id:area/… Open on
# purpose: the kinds of instance are the builder's business, not the ontology's.
ID = Namespace("https://w3id.org/coopkg/id/")
# rdflib's own SDO only warns on unknown terms; a plain Namespace is at least honest.
SCHEMA = Namespace("https://schema.org/")
# Where ontology/shapes.ttl names its shapes.
SHAPE = Namespace("https://w3id.org/coopkg/shapes#")

# Prefix -> namespace, as every coopkg serialisation binds them. Order matters for
# `curie`: no namespace here is a prefix of another, so the first match is the only one.
PREFIXES: dict[str, str] = {
    "coop": str(COOP._NS),
    "id": str(ID),
    "org": str(ORG._NS),
    "foaf": str(FOAF._NS),
    "skos": str(SKOS._NS),
    "prov": str(PROV._NS),
    "dcterms": str(DCTERMS._NS),
    "schema": str(SCHEMA),
    "xsd": str(XSD._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "owl": str(OWL._NS),
    "sh": str(SH._NS),
    "shape": str(SHAPE),
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind coopkg's prefixes on `graph` (replacing rdflib's defaults) and return it.

    Examples
    --------
    >>> g = bind_prefixes(Graph())
    >>> dict(g.namespaces())["coop"]
    rdflib.term.URIRef('https://w3id.org/coopkg/ontology#')
    """
    for prefix, namespace in PREFIXES.items():
        # replace=True: rdflib pre-binds e.g. "schema" and "owl"; ours must win so that
        # every serialisation reads the same.
        graph.bind(prefix, Namespace(namespace), override=True, replace=True)
    return graph


def curie(iri: str) -> str:
    """Shorten `iri` to prefix:local with coopkg's prefixes; other IRIs come back whole.

    Examples
    --------
    >>> curie("https://w3id.org/coopkg/id/commitment/mini/63")
    'id:commitment/mini/63'
    >>> curie("https://example.org/x")
    'https://example.org/x'
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def ontology_dir() -> Path:
    """The `ontology/` folder beside the `kg` package (coop.ttl, shapes.ttl, areas.ttl).

    The package is installed editable, so the folder is the repository's own.
    """
    path = Path(__file__).resolve().parent.parent / "ontology"
    if not (path / "coop.ttl").is_file():
        raise KgError(f"ontology folder not found at {path} (is coopkg installed editable?)")
    return path
