"""Records -> triples. Owns every instance IRI; the same records give the same graph.

Identities across documents (one IRI and one label per body, person, mechanism, meeting,
post and memorandum, whatever each document's spelling) come from `kg.identity`; how an
area heading as published maps to the canonical scheme, from `kg.scheme`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from kg.identity import BodyIdentity, Identities, post_scope, resolve_identities, slug
from kg.model import Area, Extraction, Organization, Partnership, Span
from kg.namespace import COOP, DCTERMS, FOAF, ID, ORG, PROV, SCHEMA, SKOS, bind_prefixes
from kg.scheme import AREA_SCHEME, AreaMatch, AreaScheme

__all__ = [
    "AREA_SCHEME",
    "CLASS_OF_KIND",
    "REGISTRY_GRAPH",
    "AreaScheme",
    "RdfContext",
    "TripleList",
    "body_iri",
    "describe_body",
    "describe_jurisdiction",
    "extraction_to_graph",
    "extraction_triples",
    "heading_iri",
    "jurisdiction_iri",
    "mint",
    "person_iri",
    "slug",
    "span_iri",
]

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
THEME_SCHEME = ID["scheme/themes"]
SECTOR_SCHEME = ID["scheme/sectors"]
REGISTRY_GRAPH = ID["graph/registry"]
_MATCH = {"exact": SKOS.exactMatch, "new": SKOS.exactMatch, "close": SKOS.closeMatch}


def mint(kind: str, *parts: str) -> URIRef:
    """The stable IRI of a thing: its kind and the slugs of its natural key."""
    return ID[kind + "/" + "/".join(slug(p) if p else "unknown" for p in parts)]


def span_iri(doc_id: str, span: Span) -> URIRef:
    return ID[f"span/{slug(doc_id)}/{span.start}-{span.end}"]


def heading_iri(doc_id: str, heading: str) -> URIRef:
    """An area heading as one document published it."""
    return mint("heading", doc_id, heading)


@dataclass
class RdfContext:
    """What the builder needs beyond one document's records.

    `identities` are those of the whole build (`kg.identity.resolve_identities` over every
    document); without them, a document is resolved on its own.
    """

    areas: AreaScheme = field(default_factory=AreaScheme)
    jurisdiction_aliases: Mapping[str, list[str]] = field(default_factory=dict)
    corrections: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    identities: Identities | None = None


class _Writer:
    def __init__(
        self,
        graph: Graph | TripleList,
        ex: Extraction,
        source_iri: URIRef,
        ids: Identities,
        aliases: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.g = graph
        self.aliases = aliases or {}
        self.ex = ex
        self.doc_id = ex.source.doc_id
        self.source = source_iri
        self.ids = ids

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

    def body(self, label: str) -> URIRef:
        """The IRI of the body a label names, as the whole build resolved it."""
        ident = self.ids.body(label)
        return mint("body", ident.key) if ident is not None else body_iri(label)


def body_iri(label: str) -> URIRef:
    """The IRI of a body by its canonical (registry) name."""
    return mint("body", label)


def jurisdiction_iri(label: str) -> URIRef:
    return mint("jurisdiction", label)


def person_iri(name: str) -> URIRef:
    return mint("person", name)


def describe_body(graph: Graph | TripleList, org: Organization, iri: URIRef | None = None,
                  parent: URIRef | None = None) -> URIRef:  # fmt: skip
    """A body's identity triples (registry facts, or what the text showed of a new one).

    `iri` and `parent` default to the IRIs of `org.label` and `org.parent` as canonical names.
    """
    iri = iri if iri is not None else body_iri(org.label)
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
        graph.add((iri, ORG.subOrganizationOf, parent or body_iri(org.parent)))
    return iri


def describe_jurisdiction(
    graph: Graph | TripleList, label: str, aliases: Iterable[str] = (), reviewed: bool = True
) -> URIRef:
    """A jurisdiction's identity triples; `reviewed` False for a side read from a text that
    the registry lacks."""
    iri = jurisdiction_iri(label)
    graph.add((iri, RDF.type, COOP.Jurisdiction))
    graph.add((iri, RDFS.label, Literal(label)))
    graph.add((iri, COOP.reviewed, Literal(reviewed)))
    for alias in sorted(set(aliases) - {label}):
        graph.add((iri, SKOS.altLabel, Literal(alias)))
    return iri


def extraction_to_graph(ex: Extraction, ctx: RdfContext) -> Graph:
    """One document's facts, for its own named graph."""
    g = Graph()
    bind_prefixes(g)
    write_extraction(ex, ctx, g)
    return g


class TripleList:
    """Triples as added, each once: what `write_extraction` needs of a graph (a build
    keeps a document's triples as lines; an rdflib graph's indexes cost more than the
    rest of the document's work)."""

    def __init__(self) -> None:
        self._triples: dict[tuple[Node, Node, Node], None] = {}

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        self._triples[triple] = None

    def __iter__(self) -> Iterator[tuple[Node, Node, Node]]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)


def extraction_triples(ex: Extraction, ctx: RdfContext) -> TripleList:
    """The triples of `extraction_to_graph(ex, ctx)`, without the graph."""
    triples = TripleList()
    write_extraction(ex, ctx, triples)
    return triples


def write_extraction(ex: Extraction, ctx: RdfContext, g: Graph | TripleList) -> None:
    """Add one document's facts to `g`."""
    src = ex.source
    source_iri = ID["source/" + slug(src.doc_id)]
    ids = ctx.identities
    if ids is None:
        ids = resolve_identities([ex], places=ctx.jurisdiction_aliases)
    w = _Writer(g, ex, source_iri, ids, ctx.jurisdiction_aliases)

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
        _jurisdiction(w, ctx, label)

    for org in ex.organizations:
        _body(w, ctx, org)

    meeting = _meeting(w, ex, ctx)
    headings = _headings(w, ex, ctx, meeting)
    _commitments(w, ex, ctx, meeting, headings)
    if meeting is not None:
        _people(w, ex, meeting)
        _documents(w, ex, ctx, meeting)
    _statements(w, ex)


def _body(w: _Writer, ctx: RdfContext, org: Organization) -> None:
    """A body this document names: its build-wide identity, with the spellings this
    document used as aliases and, for a body the registry lacks, where it names it."""
    ident = w.ids.body(org.label) or BodyIdentity(
        org.label, org.label, org.kind, org.jurisdiction, org.known, org.parent,
        tuple(org.aliases), org.chinese_name,
    )  # fmt: skip
    spellings = [org.label, *org.aliases]
    parent = w.body(ident.parent) if ident.parent else None
    iri = describe_body(w.g, ident.organization(spellings), mint("body", ident.key), parent)
    if not ident.known:
        for mention in org.mentions:
            w.add(iri, COOP.mentionedIn, w.span(mention))
    if ident.jurisdiction:
        _jurisdiction(w, ctx, ident.jurisdiction)


def _jurisdiction(w: _Writer, ctx: RdfContext, label: str) -> None:
    aliases = w.ids.place_aliases(label) or ctx.jurisdiction_aliases.get(label, ())
    describe_jurisdiction(w.g, label, aliases, reviewed=not w.ids.is_new_place(label))


def _meeting(w: _Writer, ex: Extraction, ctx: RdfContext) -> URIRef | None:
    ev = ex.event
    ident = w.ids.meeting(ex)
    if ev is None or ident is None:
        return None
    mechanism = None
    if ident.mechanism:
        mechanism = mint("mechanism", ident.mechanism)
        w.add(mechanism, RDF.type, COOP.CooperationMechanism)
        w.add(mechanism, RDFS.label, ident.mechanism)
        if ev.mechanism and ev.mechanism != ident.mechanism:
            w.add(mechanism, SKOS.altLabel, ev.mechanism)
        for label in ex.jurisdictions:
            w.add(mechanism, COOP.jurisdiction, jurisdiction_iri(label))
    meeting = mint("meeting", *ident.key)
    w.add(meeting, RDF.type, COOP.Meeting)
    w.add(meeting, RDFS.label, ident.label)
    if ev.date:
        w.add(meeting, SCHEMA.startDate, Literal(ev.date, datatype=XSD.date))
    w.add(meeting, SCHEMA.location, ident.place)
    w.add(meeting, COOP.ofMechanism, mechanism)
    if ident.ordinal is not None:
        w.add(meeting, COOP.ordinal, Literal(ident.ordinal, datatype=XSD.integer))
    if ev.span is not None:
        w.add(meeting, COOP.statedIn, w.span(ev.span))
    w.add(meeting, PROV.wasDerivedFrom, w.source)
    return meeting


def _headings(
    w: _Writer, ex: Extraction, ctx: RdfContext, meeting: URIRef | None
) -> dict[str, URIRef]:
    """The document's area headings as published, each mapped to the canonical scheme;
    the meeting has the canonical areas and the headings. Returns heading -> its IRI."""
    done: dict[str, URIRef] = {}
    scheme = ID["scheme/headings/" + slug(ex.source.doc_id)]
    areas: list[Area] = list(ex.areas)
    labels = {a.label for a in areas}
    areas += [Area(c.area, False) for c in ex.commitments if c.area and c.area not in labels]
    for area in areas:
        iri = heading_iri(ex.source.doc_id, area.label)
        if iri in done.values():  # the same heading twice: one node, its first span
            done[area.label] = iri
            continue
        found = _area(w, ctx, area.label)
        done[area.label] = iri
        w.add(iri, RDF.type, COOP.AreaHeading)
        w.add(iri, SKOS.prefLabel, Literal(area.label))
        w.add(iri, SKOS.inScheme, scheme)
        w.add(scheme, RDF.type, SKOS.ConceptScheme)
        w.add(iri, _MATCH[found.match], found.concept)
        if area.heading_in_text and area.span is not None:
            w.add(iri, COOP.statedIn, w.span(area.span))
        w.add(iri, PROV.wasDerivedFrom, w.source)
        if meeting is not None and area.label in labels:
            w.add(meeting, COOP.hasArea, found.concept)
            w.add(meeting, COOP.hasHeading, iri)
        if area.correction:
            _correction(w, ctx, area.correction, found.concept)
    return done


def _area(w: _Writer, ctx: RdfContext, heading: str) -> AreaMatch:
    found = ctx.areas.match(heading)
    concept = found.concept
    w.add(concept, RDF.type, SKOS.Concept)
    w.add(concept, SKOS.inScheme, AREA_SCHEME)
    w.add(AREA_SCHEME, RDF.type, SKOS.ConceptScheme)
    label = ctx.areas.pref.get(concept)
    if label is None:  # minted: the spelling the build's documents settled on
        label = w.ids.title("area", "", heading)
    w.add(concept, SKOS.prefLabel, Literal(label))
    if found.match != "new":
        # Tells the scheme's own areas from those minted from a heading nothing matched.
        w.add(concept, SKOS.topConceptOf, AREA_SCHEME)
    return found


def _correction(w: _Writer, ctx: RdfContext, cid: str, concept: URIRef) -> None:
    info = ctx.corrections.get(cid, {})
    iri = mint("correction", cid)
    w.add(iri, RDF.type, COOP.Correction)
    w.add(iri, RDFS.comment, info.get("reason"))
    w.add(iri, DCTERMS.source, info.get("source"))
    w.add(iri, COOP.appliesTo, w.source)
    w.add(iri, COOP.restoresArea, concept)


def _commitments(
    w: _Writer,
    ex: Extraction,
    ctx: RdfContext,
    meeting: URIRef | None,
    headings: Mapping[str, URIRef],
) -> None:
    for c in ex.commitments:
        iri = ID[f"commitment/{slug(ex.source.doc_id)}/{c.span.start}"]
        w.add(iri, RDF.type, COOP.Commitment)
        w.add(iri, RDFS.label, _short(c.span.text))
        if c.area:
            w.add(iri, COOP.area, ctx.areas.match(c.area).concept)
            w.add(iri, COOP.heading, headings[c.area])
        for verb in c.verbs:
            w.add(iri, COOP.actionVerb, verb)
        for body in c.bodies:
            w.add(iri, COOP.involves, w.body(body))
        w.add(iri, COOP.madeAt, meeting)
        w.add(iri, COOP.statedIn, w.span(c.span))
        w.add(iri, PROV.wasDerivedFrom, w.source)
        for p in c.partnerships:
            _partnership(w, iri, p)


def _partnership(w: _Writer, commitment: URIRef, p: Partnership) -> None:
    """Two bodies the commitment's text pairs; the IRI from the document, the offsets of
    the phrase and the two bodies (one phrase may pair several: "between A, B and C")."""
    a, b = sorted((w.body(p.a), w.body(p.b)))
    if a == b:  # two spellings of one body
        return
    tails = [str(x).rsplit("/", 1)[-1] for x in (a, b)]
    iri = ID[f"partnership/{slug(w.doc_id)}/{p.span.start}-{p.span.end}/{tails[0]}/{tails[1]}"]
    w.add(iri, RDF.type, COOP.Partnership)
    w.add(iri, COOP.partner, a)
    w.add(iri, COOP.partner, b)
    w.add(iri, COOP.ofCommitment, commitment)
    w.add(iri, COOP.statedIn, w.span(p.span))
    w.add(iri, PROV.wasDerivedFrom, w.source)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _people(w: _Writer, ex: Extraction, meeting: URIRef) -> None:
    for person in ex.people:
        ident = w.ids.person(person.name)
        iri = person_iri(ident.name)
        w.add(iri, RDF.type, FOAF.Person)
        w.add(iri, FOAF.name, ident.name)
        w.add(iri, FOAF.title, ident.honorific)
        w.add(meeting, SCHEMA.attendee, iri)
        for holding in person.posts:
            scope = post_scope(w.ids, holding.body)
            title = w.ids.title("post", scope, holding.post)
            post = mint("post", scope, title)
            w.add(post, RDF.type, ORG.Post)
            w.add(post, RDFS.label, title)
            if holding.body:
                w.add(post, ORG.postIn, w.body(holding.body))
            w.add(post, ORG.heldBy, iri)
            w.add(iri, ORG.holds, post)
            h = ID[f"holding/{slug(ex.source.doc_id)}/{holding.span.start}"]
            w.add(h, RDF.type, COOP.PostHolding)
            w.add(h, COOP.post, post)
            w.add(h, COOP.holder, iri)
            w.add(h, COOP.asAt, meeting)
            w.add(h, COOP.statedIn, w.span(holding.span))


def _documents(w: _Writer, ex: Extraction, ctx: RdfContext, meeting: URIRef) -> None:
    posts = {p.name: p.posts for p in ex.people}
    key = w.ids.meeting_key(ex)
    assert key is not None  # there is a meeting
    scope = "/".join(key)
    meeting_key = "/".join(slug(part) for part in key)
    # A party that names a place (a side, another known place, a place read from a text)
    # is that jurisdiction, never a body of that name.
    jurisdictions = set(ex.jurisdictions)
    for doc in ex.documents:
        title = w.ids.title("document", scope, doc.title)
        iri = ID[f"document/{meeting_key}/{slug(title)}"]
        w.add(iri, RDF.type, COOP.Memorandum)
        w.add(iri, DCTERMS.title, title)
        w.add(iri, COOP.signedAt, meeting)
        span = w.span(doc.span) if doc.span is not None else None
        w.add(iri, COOP.statedIn, span)
        for party in doc.parties:
            if party in jurisdictions or w.ids.is_place(party):
                _jurisdiction(w, ctx, party)  # a place that is not a side is described too
                w.add(iri, COOP.party, jurisdiction_iri(party))
            else:
                w.add(iri, COOP.party, w.body(party))
        for name in doc.signatories:
            person = person_iri(w.ids.person(name).name)
            w.add(iri, COOP.signatory, person)
            sig = ID[f"signature/{meeting_key}/{slug(title)}/{person.rsplit('/', 1)[-1]}"]
            w.add(sig, RDF.type, COOP.Signature)
            w.add(sig, COOP.signer, person)
            w.add(sig, COOP.ofDocument, iri)
            bodies = [h.body for h in posts.get(name, []) if h.body]
            if bodies:
                w.add(sig, COOP.onBehalfOf, w.body(bodies[0]))
            w.add(sig, COOP.statedIn, span)


def _place(w: _Writer, label: str) -> URIRef:
    reviewed = not w.ids.is_new_place(label)
    return describe_jurisdiction(w.g, label, w.aliases.get(label, ()), reviewed=reviewed)


def _statements(w: _Writer, ex: Extraction) -> None:
    schemes = {"theme": ("theme", THEME_SCHEME), "sector": ("sector", SECTOR_SCHEME)}
    for st in ex.statements:
        iri = ID[f"statement/{slug(ex.source.doc_id)}/{st.span.start}"]
        w.add(iri, RDF.type, COOP.Statement)
        w.add(iri, COOP.statementKind, st.kind)
        w.add(iri, RDFS.label, st.label)
        # Each place is described here too: a document's graph must stand on its own
        # (kg.build checks every document's graph by itself).
        for label in st.jurisdictions:
            w.add(iri, COOP.about, _place(w, label))
        if st.kind in schemes:
            kind, scheme = schemes[st.kind]
            concept = mint(kind, st.label)
            w.add(concept, RDF.type, SKOS.Concept)
            w.add(concept, SKOS.inScheme, scheme)
            w.add(scheme, RDF.type, SKOS.ConceptScheme)
            w.add(concept, SKOS.prefLabel, st.label)
            w.add(iri, COOP.concept, concept)
        if st.offered_by:
            w.add(iri, COOP.offeredBy, _place(w, st.offered_by))
        for offer in st.offers:
            w.add(iri, COOP.offers, offer)
        w.add(iri, COOP.statedIn, w.span(st.span))
        w.add(iri, PROV.wasDerivedFrom, w.source)
