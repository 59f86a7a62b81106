"""Plain records that pass from the extractor to the RDF builder."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = (
    "government",
    "party_committee",
    "agency",
    "statutory_body",
    "exchange",
    "institution",
    "academic",
    "enterprise",
    "association",
    "programme",
    "event",
    "generic_group",
)


@dataclass(frozen=True, order=True)
class Span:
    """A quote and the character offsets that slice the source text to it."""

    start: int
    end: int
    text: str


@dataclass
class Source:
    """One source document: its decoded text and its metadata."""

    path: str
    doc_id: str
    text: str
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD
    place: str | None = None
    url: str | None = None
    publisher: str | None = None
    language: str = "en"
    sha256: str = ""
    kind: str | None = None  # press_release | analysis (from the metadata sidecar)


@dataclass
class Event:
    """The meeting a document reports."""

    label: str
    date: str | None
    place: str | None
    mechanism: str | None = None  # "Hong Kong/Chongqing Co-operation Conference"
    ordinal: int | None = None  # 1 for a first plenary
    span: Span | None = None


@dataclass
class Area:
    label: str
    heading_in_text: bool
    span: Span | None = None
    correction: str | None = None  # id of the correction that restored it


@dataclass(frozen=True)
class Partnership:
    """Two bodies a commitment's text pairs ("co-operation between A and B"), labels in
    sorted order, and the phrase that pairs them."""

    a: str
    b: str
    span: Span


@dataclass
class Commitment:
    area: str | None
    span: Span
    verbs: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)  # canonical labels of Organization
    partnerships: list[Partnership] = field(default_factory=list)


@dataclass
class Organization:
    label: str
    kind: str
    jurisdiction: str | None
    known: bool
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None
    chinese_name: str | None = None
    mentions: list[Span] = field(default_factory=list)
    # False for a body the text implies but never names: a new side's government, minted
    # for it, or the body of "Mayor of Xanadu". The graph describes it; a count of the
    # bodies a text names leaves it out.
    named: bool = True


@dataclass
class PostHolding:
    """A person named as holding a post, where the text says so."""

    post: str
    body: str | None  # canonical label of the organisation the post is in
    span: Span


@dataclass
class Person:
    name: str
    honorific: str | None = None
    posts: list[PostHolding] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)


@dataclass
class SignedDocument:
    title: str
    signatories: list[str] = field(default_factory=list)  # Person names
    parties: list[str] = field(default_factory=list)  # Organization labels or jurisdictions
    span: Span | None = None


@dataclass
class Statement:
    """A claim of an analysis document: a theme, a sector, or who offers what."""

    kind: str  # theme | sector | complementarity
    label: str
    span: Span
    jurisdictions: list[str] = field(default_factory=list)
    offered_by: str | None = None
    offers: list[str] = field(default_factory=list)


@dataclass
class NewJurisdiction:
    """A side of the meeting that the registry lacks, read from the text (the mechanism's
    name, posts such as "Governor of X Province", the meeting place): its level when the
    text shows it, and the names the genre gives its government and party committee."""

    name: str
    level: str | None
    aliases: list[str] = field(default_factory=list)
    government: str = ""  # canonical name of its government (minted, not in the registry)
    government_aliases: list[str] = field(default_factory=list)
    party_committee: str = ""
    party_committee_aliases: list[str] = field(default_factory=list)
    evidence: list[Span] = field(default_factory=list)  # what says so, in text order


@dataclass
class Extraction:
    source: Source
    event: Event | None = None
    stated_area_count: int | None = None
    areas: list[Area] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    documents: list[SignedDocument] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    jurisdictions: list[str] = field(default_factory=list)  # the two sides, as named
    new_jurisdictions: list[NewJurisdiction] = field(default_factory=list)  # sides not known

    def to_json(self) -> dict[str, Any]:
        """The `kg extract --json` object of docs/DESIGN.md.

        `organizations` and each commitment's `bodies` hold named bodies; generic groups
        ("Hong Kong universities") go to the extra `groups` keys, so that a count of the
        bodies a text names is not swamped by the collectives it mentions, and the bodies
        the text implies without naming them (a new side's government) to `implied`.
        """
        src = self.source
        ev = self.event
        generic = {o.label for o in self.organizations if o.kind == "generic_group"}
        return {
            "source": {"path": src.path, "title": src.title, "date": src.date, "place": src.place},
            "event": None
            if ev is None
            else {"label": ev.label, "date": ev.date, "place": ev.place},
            "stated_area_count": self.stated_area_count,
            "areas": [{"label": a.label, "heading_in_text": a.heading_in_text} for a in self.areas],
            "commitments": [
                {
                    "area": c.area,
                    "text": c.span.text,
                    "start": c.span.start,
                    "end": c.span.end,
                    "verbs": list(c.verbs),
                    "bodies": [b for b in c.bodies if b not in generic],
                    "groups": [b for b in c.bodies if b in generic],
                    "partnerships": [
                        {
                            "partners": [p.a, p.b],
                            "text": p.span.text,
                            "start": p.span.start,
                            "end": p.span.end,
                        }
                        for p in c.partnerships
                    ],
                }
                for c in self.commitments
            ],
            "organizations": [
                _org_json(o) for o in self.organizations if o.named and o.label not in generic
            ],
            "groups": [_org_json(o) for o in self.organizations if o.label in generic],
            "implied": [_org_json(o) for o in self.organizations if not o.named],
            "people": [
                {"name": p.name, "posts": _unique(h.post for h in p.posts)} for p in self.people
            ],
            "documents": [
                {"title": d.title, "signatories": list(d.signatories), "parties": list(d.parties)}
                for d in self.documents
            ],
            "statements": [
                {
                    "kind": s.kind,
                    "label": s.label,
                    "text": s.span.text,
                    "start": s.span.start,
                    "end": s.span.end,
                    "jurisdictions": list(s.jurisdictions),
                    "offered_by": s.offered_by,
                    "offers": list(s.offers),
                }
                for s in self.statements
            ],
        }


def _org_json(o: Organization) -> dict[str, Any]:
    return {
        "label": o.label,
        "aliases": list(o.aliases),
        "kind": o.kind,
        "jurisdiction": o.jurisdiction,
        "known": o.known,
    }


def _unique(items: Any) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
