"""Records -> triples. Owns every instance IRI; the same records give the same graph."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from kg.model import Extraction, Organization, Span
from kg.namespace import COOP, DCTERMS, FOAF, ID, ORG, PROV, SCHEMA, SKOS, bind_prefixes

# The ontology's class for each `kind` of the extract schema.
CLASS_OF_KIND = {
    "government": COOP.Government,
    "party_committee": COOP.PartyCommittee,
    "agency": COOP.Agency,
    "statutory_body": COOP.StatutoryBody,
    "exchange": COOP.Exchange,
    "institution": COOP.Institution,
    "academic": COOP.AcademicInstitution,
    "enterprise": COOP.Enterprise,
    "association": COOP.Association,
    "programme": COOP.Programme,
    "event": COOP.NamedEvent,
    "generic_group": COOP.GenericGroup,
}
AREA_SCHEME = ID["scheme/areas"]
THEME_SCHEME = ID["scheme/themes"]
SECTOR_SCHEME = ID["scheme/sectors"]
REGISTRY_GRAPH = ID["graph/registry"]


def slug(text: str) -> str:
    """Lowercase ASCII with runs of other characters as '-'; a short hash if nothing is left.

    >>> slug("Hong Kong Trade & Development Council")
    'hong-kong-trade-development-council'
    >>> slug("Chief Secretary for Administration")
    'chief-secretary-for-administration'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if not out:
        out = "h" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    return out


def mint(kind: str, *parts: str) -> URIRef:
    """The stable IRI of a thing: its kind and the slugs of its natural key."""
    return ID[kind + "/" + "/".join(slug(p) if p else "unknown" for p in parts)]


def span_iri(doc_id: str, span: Span) -> URIRef:
    return ID[f"span/{slug(doc_id)}/{span.start}-{span.end}"]


@dataclass
class AreaScheme:
    """Maps an area heading as published to a canonical concept of ontology/areas.ttl."""

    labels: dict[str, URIRef] = field(default_factory=dict)
    pref: dict[URIRef, str] = field(default_factory=dict)

    @classmethod
    def from_graph(cls, graph: Graph) -> AreaScheme:
        scheme = cls()
        for concept in sorted(graph.subjects(SKOS.inScheme, AREA_SCHEME)):
            assert isinstance(concept, URIRef)
            for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                for label in graph.objects(concept, prop):
                    scheme.labels.setdefault(_norm(str(label)), concept)
            pref = graph.value(concept, SKOS.prefLabel)
            if pref is not None:
                scheme.pref[concept] = str(pref)
        return scheme

    def concept(self, heading: str) -> tuple[URIRef, bool]:
        """The concept for a heading, and whether the canonical scheme knew it."""
        found = self.labels.get(_norm(heading))
        if found is not None:
            return found, True
        return mint("area", heading), False


def _norm(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", label.lower().replace("co-operation", "cooperation")).strip()


@dataclass
class RdfContext:
    """What the builder needs beyond one document's records."""

    areas: AreaScheme = field(default_factory=AreaScheme)
    jurisdiction_aliases: Mapping[str, list[str]] = field(default_factory=dict)
    corrections: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


class _Writer:
    def __init__(self, graph: Graph, doc_id: str, source_iri: URIRef) -> None:
        self.g = graph
        self.doc_id = doc_id
        self.source = source_iri

    def add(self, s: URIRef, p: URIRef, o: object) -> None:
        if o is None:
            return
        self.g.add((s, p, o if isinstance(o, URIRef | Literal) else Literal(o)))

    def span(self, span: Span) -> URIRef:
        iri = span_iri(self.doc_id, span)
        self.add(iri, RDF.type, COOP.TextSpan)
        self.add(iri, COOP.inSource, self.source)
        self.add(iri, COOP.quote, Literal(span.text))
        self.add(iri, COOP.startOffset, Literal(span.start, datatype=XSD.integer))
        self.add(iri, COOP.endOffset, Literal(span.end, datatype=XSD.integer))
        return iri


def body_iri(label: str) -> URIRef:
    return mint("body", label)


def jurisdiction_iri(label: str) -> URIRef:
    return mint("jurisdiction", label)


def person_iri(name: str) -> URIRef:
    return mint("person", name)


def describe_body(graph: Graph, org: Organization) -> URIRef:
    """A body's identity triples (registry facts, or what the text showed of a new one)."""
    iri = body_iri(org.label)
    graph.add((iri, RDF.type, CLASS_OF_KIND.get(org.kind, COOP.GenericGroup)))
    graph.add((iri, RDFS.label, Literal(org.label)))
    graph.add((iri, COOP.kind, Literal(org.kind)))
    graph.add((iri, COOP.reviewed, Literal(org.known)))
    for alias in sorted(set(org.aliases) - {org.label}):
        graph.add((iri, SKOS.altLabel, Literal(alias)))
    if org.chinese_name:
        graph.add((iri, SKOS.prefLabel, Literal(org.chinese_name, lang="zh")))
    if org.jurisdiction:
        graph.add((iri, COOP.jurisdiction, jurisdiction_iri(org.jurisdiction)))
    if org.parent:
        graph.add((iri, ORG.subOrganizationOf, body_iri(org.parent)))
    return iri


def describe_jurisdiction(graph: Graph, label: str, aliases: Iterable[str] = ()) -> URIRef:
    iri = jurisdiction_iri(label)
    graph.add((iri, RDF.type, COOP.Jurisdiction))
    graph.add((iri, RDFS.label, Literal(label)))
    for alias in sorted(set(aliases) - {label}):
        graph.add((iri, SKOS.altLabel, Literal(alias)))
    return iri


def extraction_to_graph(ex: Extraction, ctx: RdfContext) -> Graph:
    """One document's facts, for its own named graph."""
    g = Graph()
    bind_prefixes(g)
    src = ex.source
    source_iri = ID["source/" + slug(src.doc_id)]
    w = _Writer(g, src.doc_id, source_iri)

    w.add(source_iri, RDF.type, COOP.SourceDocument)
    w.add(source_iri, DCTERMS.title, src.title)
    if src.date:
        w.add(source_iri, DCTERMS.date, Literal(src.date, datatype=XSD.date))
    w.add(source_iri, DCTERMS.publisher, src.publisher)
    if src.url:
        w.add(source_iri, SCHEMA.url, URIRef(src.url))
    w.add(source_iri, DCTERMS.language, src.language)
    w.add(source_iri, COOP.sha256, src.sha256 or None)
    w.add(source_iri, COOP.characterCount, Literal(len(src.text), datatype=XSD.integer))

    for label in ex.jurisdictions:
        describe_jurisdiction(g, label, ctx.jurisdiction_aliases.get(label, ()))

    for org in ex.organizations:
        iri = describe_body(g, org)
        if not org.known:
            for mention in org.mentions:
                w.add(iri, COOP.mentionedIn, w.span(mention))
        if org.jurisdiction:
            describe_jurisdiction(
                g, org.jurisdiction, ctx.jurisdiction_aliases.get(org.jurisdiction, ())
            )

    meeting = _meeting(w, ex, ctx)
    _commitments(w, ex, ctx, meeting)
    if meeting is not None:
        _people(w, ex, meeting)
        _documents(w, ex, meeting)
    _statements(w, ex)
    return g


def _meeting(w: _Writer, ex: Extraction, ctx: RdfContext) -> URIRef | None:
    ev = ex.event
    if ev is None:
        return None
    mechanism = None
    if ev.mechanism:
        mechanism = mint("mechanism", ev.mechanism)
        w.add(mechanism, RDF.type, COOP.CooperationMechanism)
        w.add(mechanism, RDFS.label, ev.mechanism)
        for label in ex.jurisdictions:
            w.add(mechanism, COOP.jurisdiction, jurisdiction_iri(label))
    key = ev.date or ex.source.doc_id
    meeting = mint("meeting", ev.mechanism or ex.source.doc_id, key)
    w.add(meeting, RDF.type, COOP.Meeting)
    w.add(meeting, RDFS.label, ev.label)
    if ev.date:
        w.add(meeting, SCHEMA.startDate, Literal(ev.date, datatype=XSD.date))
    w.add(meeting, SCHEMA.location, ev.place)
    w.add(meeting, COOP.ofMechanism, mechanism)
    if ev.ordinal is not None:
        w.add(meeting, COOP.ordinal, Literal(ev.ordinal, datatype=XSD.integer))
    if ev.span is not None:
        w.add(meeting, COOP.statedIn, w.span(ev.span))
    w.add(meeting, PROV.wasDerivedFrom, w.source)

    for area in ex.areas:
        concept = _area(w, ctx, area.label)
        w.add(meeting, COOP.hasArea, concept)
        if area.correction:
            _correction(w, ctx, area.correction, concept)
    return meeting


def _area(w: _Writer, ctx: RdfContext, heading: str) -> URIRef:
    concept, _known = ctx.areas.concept(heading)
    w.add(concept, RDF.type, SKOS.Concept)
    w.add(concept, SKOS.inScheme, AREA_SCHEME)
    w.add(AREA_SCHEME, RDF.type, SKOS.ConceptScheme)
    w.add(concept, SKOS.prefLabel, Literal(ctx.areas.pref.get(concept, heading)))
    return concept


def _correction(w: _Writer, ctx: RdfContext, cid: str, concept: URIRef) -> None:
    info = ctx.corrections.get(cid, {})
    iri = mint("correction", cid)
    w.add(iri, RDF.type, COOP.Correction)
    w.add(iri, RDFS.comment, info.get("reason"))
    w.add(iri, DCTERMS.source, info.get("source"))
    w.add(iri, COOP.appliesTo, w.source)
    w.add(iri, COOP.restoresArea, concept)


def _commitments(w: _Writer, ex: Extraction, ctx: RdfContext, meeting: URIRef | None) -> None:
    for c in ex.commitments:
        iri = ID[f"commitment/{slug(ex.source.doc_id)}/{c.span.start}"]
        w.add(iri, RDF.type, COOP.Commitment)
        w.add(iri, RDFS.label, _short(c.span.text))
        if c.area:
            w.add(iri, COOP.area, _area(w, ctx, c.area))
        for verb in c.verbs:
            w.add(iri, COOP.actionVerb, verb)
        for body in c.bodies:
            w.add(iri, COOP.involves, body_iri(body))
        w.add(iri, COOP.madeAt, meeting)
        w.add(iri, COOP.statedIn, w.span(c.span))
        w.add(iri, PROV.wasDerivedFrom, w.source)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _people(w: _Writer, ex: Extraction, meeting: URIRef) -> None:
    for person in ex.people:
        iri = person_iri(person.name)
        w.add(iri, RDF.type, FOAF.Person)
        w.add(iri, FOAF.name, person.name)
        w.add(iri, FOAF.title, person.honorific)
        w.add(meeting, SCHEMA.attendee, iri)
        for holding in person.posts:
            post = mint("post", holding.body or "unknown", holding.post)
            w.add(post, RDF.type, ORG.Post)
            w.add(post, RDFS.label, holding.post)
            if holding.body:
                w.add(post, ORG.postIn, body_iri(holding.body))
            w.add(post, ORG.heldBy, iri)
            w.add(iri, ORG.holds, post)
            h = ID[f"holding/{slug(ex.source.doc_id)}/{holding.span.start}"]
            w.add(h, RDF.type, COOP.PostHolding)
            w.add(h, COOP.post, post)
            w.add(h, COOP.holder, iri)
            w.add(h, COOP.asAt, meeting)
            w.add(h, COOP.statedIn, w.span(holding.span))


def _documents(w: _Writer, ex: Extraction, meeting: URIRef) -> None:
    posts = {p.name: p.posts for p in ex.people}
    meeting_key = str(meeting).rsplit("meeting/", 1)[-1]
    jurisdictions = set(ex.jurisdictions)
    for doc in ex.documents:
        iri = ID[f"document/{meeting_key}/{slug(doc.title)}"]
        w.add(iri, RDF.type, COOP.Memorandum)
        w.add(iri, DCTERMS.title, doc.title)
        w.add(iri, COOP.signedAt, meeting)
        span = w.span(doc.span) if doc.span is not None else None
        w.add(iri, COOP.statedIn, span)
        for party in doc.parties:
            party_iri = jurisdiction_iri(party) if party in jurisdictions else body_iri(party)
            w.add(iri, COOP.party, party_iri)
        for name in doc.signatories:
            person = person_iri(name)
            w.add(iri, COOP.signatory, person)
            sig = ID[f"signature/{meeting_key}/{slug(doc.title)}/{slug(name)}"]
            w.add(sig, RDF.type, COOP.Signature)
            w.add(sig, COOP.signer, person)
            w.add(sig, COOP.ofDocument, iri)
            bodies = [h.body for h in posts.get(name, []) if h.body]
            if bodies:
                w.add(sig, COOP.onBehalfOf, body_iri(bodies[0]))
            w.add(sig, COOP.statedIn, span)


def _statements(w: _Writer, ex: Extraction) -> None:
    schemes = {"theme": ("theme", THEME_SCHEME), "sector": ("sector", SECTOR_SCHEME)}
    for st in ex.statements:
        iri = ID[f"statement/{slug(ex.source.doc_id)}/{st.span.start}"]
        w.add(iri, RDF.type, COOP.Statement)
        w.add(iri, COOP.statementKind, st.kind)
        w.add(iri, RDFS.label, st.label)
        for label in st.jurisdictions:
            w.add(iri, COOP.about, jurisdiction_iri(label))
        if st.kind in schemes:
            kind, scheme = schemes[st.kind]
            concept = mint(kind, st.label)
            w.add(concept, RDF.type, SKOS.Concept)
            w.add(concept, SKOS.inScheme, scheme)
            w.add(scheme, RDF.type, SKOS.ConceptScheme)
            w.add(concept, SKOS.prefLabel, st.label)
            w.add(iri, COOP.concept, concept)
        if st.offered_by:
            w.add(iri, COOP.offeredBy, jurisdiction_iri(st.offered_by))
        for offer in st.offers:
            w.add(iri, COOP.offers, offer)
        w.add(iri, COOP.statedIn, w.span(st.span))
        w.add(iri, PROV.wasDerivedFrom, w.source)
