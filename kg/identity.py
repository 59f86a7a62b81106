"""One identity per body, person, mechanism, meeting, post and memorandum across documents.

Each document is extracted on its own, so two documents may spell one body differently
("the Chengdu International Commercial Arbitration Centre", "... Center"), give one person
another honorific, or name one meeting in other words. `resolve_identities` reads the
records of every document of a build together and settles, once, the canonical name and
the single-valued facts (kind, jurisdiction, honorific, label, place, ordinal) of each
thing, so that every document's named graph says the same of it. Records in, names out:
this module knows nothing of RDF (`kg.rdf` mints the IRIs from the keys given here).

Rules, all independent of the order of documents:

- A body the registry knows keeps its registry name. A body found by its shape is keyed by
  `body_key` (case, a leading "the", punctuation, Centre/Center, Programme/Program,
  Organisation/Organization, co-operation/cooperation and "&"/"and" do not count); a key
  that equals the key of a registry name or alias is that registry body.
- Among several spellings (or values), the one used by the most documents wins, then the
  one used most often, then the first in sorted order.
- A mechanism is named "<side>/<side> <head>" with its sides' registry names in the
  registry's order of jurisdictions ("Sichuan/HKSAR Cooperation Conference" ->
  "Hong Kong/Sichuan Co-operation Conference").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from kg.model import KINDS, Extraction, NewJurisdiction, Organization
from kg.registry import Registry

__all__ = [
    "BodyIdentity",
    "Identities",
    "MeetingIdentity",
    "PersonIdentity",
    "body_key",
    "mechanism_label",
    "resolve_identities",
    "slug",
]

T = TypeVar("T")
_APOS = str.maketrans({"’": "'", "‘": "'", "‐": "-", "‑": "-", "–": "-", "—": "-"})
_SPELLINGS = (
    (re.compile(r"\bcentres?\b"), lambda m: m.group(0).replace("centre", "center")),
    (re.compile(r"\bprogrammes?\b"), lambda m: m.group(0).replace("programme", "program")),
    (
        re.compile(r"\borganisations?\b"),
        lambda m: m.group(0).replace("organisation", "organization"),
    ),
    (re.compile(r"\bco-operation\b"), lambda m: "cooperation"),
    (re.compile(r"&"), lambda m: " and "),
)
_WORDS = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_COOPERATION = re.compile(r"\b([Cc])o-?operation\b")
_WS = re.compile(r"\s+")
_SIDE_SEP = re.compile(r"\s*/\s*|-(?=[A-Z])|\s+[-–]\s+")


def body_key(name: str) -> str:
    """The form that two spellings of one body's name share.

    >>> body_key("the Chengdu International Commercial Arbitration Centre")
    'chengdu international commercial arbitration center'
    >>> body_key("Chengdu International Commercial Arbitration Center")
    'chengdu international commercial arbitration center'
    >>> body_key("Alpha Trade & Development Council") == body_key("Alpha Trade and Development")
    False
    >>> body_key("Trade & Development Council") == body_key("Trade and Development Council")
    True
    """
    text = unicodedata.normalize("NFKC", name).translate(_APOS).casefold()
    for pattern, repl in _SPELLINGS:
        text = pattern.sub(repl, text)
    words = _WORDS.findall(text)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def slug(text: str) -> str:
    """Lowercase ASCII with runs of other characters as '-'; a short hash if nothing is left.

    The IRI of a thing is its kind and the slugs of its natural key (`kg.rdf.mint`), so
    two names with one slug name one thing: titles and people are keyed by it here.

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


def mechanism_label(published: str, places: Mapping[str, Sequence[str]]) -> str:
    """The canonical name of a mechanism from a published one.

    `places` maps each jurisdiction's registry name to its aliases, in the registry's
    order, which is also the order of the two sides in the name.

    >>> places = {"Hong Kong": ["HKSAR"], "Sichuan": ["Sichuan Province"]}
    >>> mechanism_label("Sichuan/HKSAR  Cooperation Conference", places)
    'Hong Kong/Sichuan Co-operation Conference'
    >>> mechanism_label("Alpha/Beta Co-operation Forum", places)
    'Alpha/Beta Co-operation Forum'
    >>> mechanism_label("Sichuan-Hong Kong Co-operation Conference", places)
    'Hong Kong/Sichuan Co-operation Conference'
    """
    text = _COOPERATION.sub(lambda m: m.group(1) + "o-operation", _WS.sub(" ", published).strip())
    names = sorted(
        ((alias, name) for name, aliases in places.items() for alias in (name, *aliases)),
        key=lambda pair: (-len(pair[0]), pair),
    )
    # The sides are joined by "/" or a hyphen ("Hong Kong-Xanadu", "Xanadu - Hong Kong").
    for sep in _SIDE_SEP.finditer(text):
        first, rest = text[: sep.start()].strip(), text[sep.end() :].strip()
        side_a = next((name for alias, name in names if alias == first), None)
        side_b, head = None, rest
        for alias, name in names:
            if rest.startswith(alias + " "):
                side_b, head = name, rest[len(alias) :].strip()
                break
        if side_a is not None and side_b is not None:
            order = {name: i for i, name in enumerate(places)}
            a, b = sorted((side_a, side_b), key=lambda n: order[n])
            return f"{a}/{b} {head}"
    return text


def _choose(counts: Iterable[tuple[T, int, int]]) -> T:
    """The value used by the most documents, then most often, then the first sorted."""
    ranked = sorted(counts, key=lambda c: (-c[1], -c[2], str(c[0]).casefold(), str(c[0])))
    return ranked[0][0]


class _Tally:
    """Values seen for one thing: in how many documents, and how often."""

    def __init__(self) -> None:
        self.docs: dict[object, set[str]] = defaultdict(set)
        self.times: Counter[object] = Counter()

    def add(self, value: object, doc: str, times: int = 1) -> None:
        if value is None:
            return
        self.docs[value].add(doc)
        self.times[value] += times

    def best(self, default: T) -> T:
        if not self.times:
            return default
        return _choose((v, len(self.docs[v]), self.times[v]) for v in self.times)  # type: ignore[return-value]

    def __bool__(self) -> bool:
        return bool(self.times)


@dataclass(frozen=True)
class BodyIdentity:
    """A body as the whole build knows it. `key` mints its IRI: the registry name of a
    known body, `body_key` of a body found by its shape."""

    key: str
    label: str
    kind: str
    jurisdiction: str | None
    known: bool
    parent: str | None = None  # the parent's label (resolvable with `Identities.body`)
    aliases: tuple[str, ...] = ()  # registry aliases, or every other spelling seen
    chinese_name: str | None = None

    def organization(self, aliases: Iterable[str] | None = None) -> Organization:
        """As a record, with `aliases` (default: all of them)."""
        names = self.aliases if aliases is None else aliases
        return Organization(
            label=self.label,
            kind=self.kind,
            jurisdiction=self.jurisdiction,
            known=self.known,
            aliases=sorted(set(names) - {self.label}),
            parent=self.parent,
            chinese_name=self.chinese_name,
        )


@dataclass(frozen=True)
class PersonIdentity:
    name: str
    honorific: str | None = None


@dataclass(frozen=True)
class MeetingIdentity:
    mechanism: str | None  # canonical label of its mechanism
    key: tuple[str, str]  # (mechanism label or document id, date or document id)
    label: str
    place: str | None = None
    ordinal: int | None = None


@dataclass
class Identities:
    """The canonical identities of a build; lookups fall back to the name as given."""

    bodies: dict[str, BodyIdentity] = field(default_factory=dict)  # body_key(any spelling) ->
    people: dict[str, PersonIdentity] = field(default_factory=dict)  # slug(name) ->
    meetings: dict[tuple[str, str], MeetingIdentity] = field(default_factory=dict)
    titles: dict[tuple[str, ...], str] = field(default_factory=dict)  # post/memorandum keys ->
    places: dict[str, list[str]] = field(default_factory=dict)  # jurisdiction -> aliases
    # Sides the registry lacks, read from the documents (coop:reviewed false).
    new_places: dict[str, NewJurisdiction] = field(default_factory=dict)
    # mechanism()'s answers; emptied whenever `places` changes (_resolve_places).
    _mechanisms: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def body(self, label: str) -> BodyIdentity | None:
        return self.bodies.get(body_key(label))

    def person(self, name: str) -> PersonIdentity:
        return self.people.get(slug(name), PersonIdentity(name))

    def mechanism(self, published: str) -> str:
        # Asked for every document's meeting, and each answer sorts every alias of every
        # place: kept per name (2,500 releases, 800 places: 3 ms a call, 20 s a build).
        found = self._mechanisms.get(published)
        if found is None:
            found = self._mechanisms[published] = mechanism_label(published, self.places)
        return found

    def meeting_key(self, ex: Extraction) -> tuple[str, str] | None:
        """(mechanism label or document id, date or document id) of the document's meeting."""
        ev = ex.event
        if ev is None:
            return None
        mechanism = self.mechanism(ev.mechanism) if ev.mechanism else ex.source.doc_id
        return mechanism, ev.date or ex.source.doc_id

    def meeting(self, ex: Extraction) -> MeetingIdentity | None:
        key = self.meeting_key(ex)
        if key is None or ex.event is None:
            return None
        found = self.meetings.get(key)
        if found is not None:
            return found
        ev = ex.event
        mechanism = self.mechanism(ev.mechanism) if ev.mechanism else None
        return MeetingIdentity(mechanism, key, ev.label, ev.place, ev.ordinal)

    def title(self, kind: str, scope: str, title: str) -> str:
        """The one spelling of a post's or memorandum's title within `scope` (or of an area
        no scheme concept matches, kind "area")."""
        return self.titles.get((kind, scope, slug(title)), title)

    # One place at a time, not the `places` mappings whole: a document's cached graph
    # (kg.builddocs) stays valid while the places it asked about are unchanged, whatever
    # partners other documents add.
    def place_aliases(self, label: str) -> list[str] | None:
        """The aliases of jurisdiction `label`, None when it is no known place."""
        return self.places.get(label)

    def is_place(self, name: str) -> bool:
        return name in self.places

    def is_new_place(self, label: str) -> bool:
        """Whether `label` is a side read from the documents, not from the registry."""
        return label in self.new_places


def resolve_identities(
    extractions: Sequence[Extraction],
    registry: Registry | None = None,
    places: Mapping[str, Sequence[str]] | None = None,
) -> Identities:
    """Settle the identities of every document's records together (see the module doc).

    `places` (jurisdiction -> aliases, in the registry's order) defaults to the
    registry's; without either, mechanisms keep their published names.
    """
    if places is None and registry is not None:
        places = {name: list(j.aliases) for name, j in registry.jurisdictions.items()}
    ids = Identities(places={name: list(aliases) for name, aliases in (places or {}).items()})
    _resolve_places(ids, extractions)
    _resolve_bodies(ids, extractions, registry)
    _resolve_people(ids, extractions, registry)
    _resolve_meetings(ids, extractions)
    _resolve_titles(ids, extractions)
    return ids


def _resolve_places(ids: Identities, extractions: Sequence[Extraction]) -> None:
    """Sides the registry lacks: one record per name (the level most documents show, the
    aliases and evidence of all), after the registry's places in the order of names, so
    that a mechanism with such a side has one canonical name too."""
    seen: dict[str, list[tuple[str, NewJurisdiction]]] = defaultdict(list)
    for ex in extractions:
        for place in ex.new_jurisdictions:
            if place.name not in ids.places:
                seen[place.name].append((ex.source.doc_id, place))
    for name in sorted(seen):
        levels = _Tally()
        for doc, place in seen[name]:
            levels.add(place.level, doc, max(1, len(place.evidence)))
        level = levels.best(None)
        first = next((p for _, p in seen[name] if p.level == level), seen[name][0][1])
        aliases = sorted({a for _, p in seen[name] for a in p.aliases} - {name})
        ids.new_places[name] = replace(first, aliases=aliases)
        ids.places[name] = aliases
    ids._mechanisms.clear()


def _kind_order(kind: object) -> int:
    return KINDS.index(str(kind)) if kind in KINDS else len(KINDS)


def _registry_keys(registry: Registry | None) -> dict[str, str]:
    """body_key of each registry name and alias, and the slug of each name (the IRI a
    found body's key must not take), -> the registry name."""
    keys: dict[str, str] = {}
    if registry is None:
        return keys
    for body in registry.bodies.values():
        for name in (body.name, *body.aliases):
            keys.setdefault(body_key(name), body.name)
        keys.setdefault("iri:" + slug(body.name), body.name)
    return keys


def _resolve_bodies(
    ids: Identities, extractions: Sequence[Extraction], registry: Registry | None
) -> None:
    registry_keys = _registry_keys(registry)
    known: dict[str, Organization] = {}  # body_key -> the registry's (or a group's) record
    found: dict[str, list[tuple[str, Organization]]] = defaultdict(list)  # key -> (doc, org)
    for ex in extractions:
        for org in ex.organizations:
            key = body_key(org.label)
            name = registry_keys.get(key) or registry_keys.get("iri:" + slug(key))
            if org.known or name is not None:
                record = org
                if name is not None and registry is not None:
                    record = registry.organization(name)
                known.setdefault(body_key(record.label), record)
                known.setdefault(key, record)
            else:
                found[key].append((ex.source.doc_id, org))
    # Registry bodies a document refers to without naming them as a body of its own: the
    # body of a post ("Governor of Sichuan Province"), a party to a memorandum, a parent.
    if registry is not None:
        for label in _references(extractions, known, registry):
            record = registry.organization(label)
            known.setdefault(body_key(label), record)
            known.setdefault(body_key(record.label), record)
    for key, record in known.items():
        ids.bodies[key] = BodyIdentity(
            key=record.label,
            label=record.label,
            kind=record.kind,
            jurisdiction=record.jurisdiction,
            known=True,
            parent=record.parent,
            aliases=tuple(record.aliases),
            chinese_name=record.chinese_name,
        )
    for key, seen in sorted(found.items()):
        if key in known:  # another document's registry name (or group) spelled this way
            continue
        labels, kinds, places, parents = _Tally(), _Tally(), _Tally(), _Tally()
        spellings: set[str] = set()
        for doc, org in seen:
            times = max(1, len(org.mentions))
            labels.add(org.label, doc, times)
            kinds.add(org.kind, doc, times)
            places.add(org.jurisdiction, doc, times)
            parents.add(org.parent, doc, times)
            spellings.update([org.label, *org.aliases])
        label = labels.best(seen[0][1].label)
        kind_rank = sorted(
            kinds.times, key=lambda k: (-len(kinds.docs[k]), -kinds.times[k], _kind_order(k))
        )
        ids.bodies[key] = BodyIdentity(
            key=key,
            label=label,
            kind=str(kind_rank[0]) if kind_rank else "generic_group",
            jurisdiction=places.best(None),
            known=False,
            parent=parents.best(None),
            aliases=tuple(sorted(spellings - {label})),
        )
    # A parent nobody describes would be an untyped node: keep only parents with an identity.
    for key, ident in list(ids.bodies.items()):
        if ident.parent is not None:
            parent = ids.body(ident.parent)
            if parent is None or body_key(parent.label) == key:
                ids.bodies[key] = replace(ident, parent=None)
            elif parent.label != ident.parent:
                ids.bodies[key] = replace(ident, parent=parent.label)


def _references(
    extractions: Sequence[Extraction], known: Mapping[str, Organization], registry: Registry
) -> list[str]:
    labels = set()
    for ex in extractions:
        sides = set(ex.jurisdictions)
        labels.update(h.body for p in ex.people for h in p.posts if h.body)
        labels.update(party for d in ex.documents for party in d.parties if party not in sides)
        labels.update(o.parent for o in ex.organizations if o.parent)
    labels.update(o.parent for o in known.values() if o.parent)
    found = []
    for label in sorted(labels):
        if body_key(label) in known:
            continue
        if registry.body(label) is not None or registry.group_label(label) is not None:
            found.append(label)
    return found


def _resolve_people(
    ids: Identities, extractions: Sequence[Extraction], registry: Registry | None
) -> None:
    names: dict[str, _Tally] = defaultdict(_Tally)
    honorifics: dict[str, _Tally] = defaultdict(_Tally)
    for ex in extractions:
        for person in ex.people:
            key = slug(person.name)
            names[key].add(person.name, ex.source.doc_id, max(1, len(person.mentions)))
            honorifics[key].add(person.honorific, ex.source.doc_id, max(1, len(person.mentions)))
    for key in sorted(names):
        name = names[key].best(key)
        known = registry.person(name) if registry is not None else None
        if known is not None:
            ids.people[key] = PersonIdentity(
                known.name, known.honorific or honorifics[key].best(None)
            )
        else:
            ids.people[key] = PersonIdentity(name, honorifics[key].best(None))


def _resolve_meetings(ids: Identities, extractions: Sequence[Extraction]) -> None:
    tallies: dict[tuple[str, str], tuple[_Tally, _Tally, _Tally]] = {}
    mechanisms: dict[tuple[str, str], str | None] = {}
    for ex in extractions:
        key = ids.meeting_key(ex)
        if key is None or ex.event is None:
            continue
        ev, doc = ex.event, ex.source.doc_id
        labels, places, ordinals = tallies.setdefault(key, (_Tally(), _Tally(), _Tally()))
        labels.add(ev.label, doc)
        places.add(ev.place, doc)
        ordinals.add(ev.ordinal, doc)
        mechanisms[key] = ids.mechanism(ev.mechanism) if ev.mechanism else None
    for key, (labels, places, ordinals) in sorted(tallies.items()):
        # Of labels as widely used, the one that writes the mechanism's canonical name,
        # then the fullest ("High-Level Meeting cum First Plenary Session of ...").
        mechanism = mechanisms[key] or ""
        label = sorted(
            labels.times,
            key=lambda v: (-len(labels.docs[v]), mechanism not in str(v), -len(str(v)), str(v)),
        )[0]
        ids.meetings[key] = MeetingIdentity(
            mechanisms[key], key, str(label), places.best(None), ordinals.best(None)
        )


def post_scope(ids: Identities, body: str | None) -> str:
    """The scope of a post's title: the key of the body it is in."""
    ident = ids.body(body) if body else None
    return ident.key if ident is not None else (body or "unknown")


def _resolve_titles(ids: Identities, extractions: Sequence[Extraction]) -> None:
    tallies: dict[tuple[str, ...], _Tally] = defaultdict(_Tally)
    for ex in extractions:
        doc = ex.source.doc_id
        for person in ex.people:
            for holding in person.posts:
                scope = post_scope(ids, holding.body)
                tallies[("post", scope, slug(holding.post))].add(holding.post, doc)
        # An area no scheme concept matches is minted from its heading: one spelling for
        # every document that writes it ("biomedicine", "Biomedicine").
        for label in dict.fromkeys([a.label for a in ex.areas] + [c.area for c in ex.commitments]):
            if label:
                tallies[("area", "", slug(label))].add(label, doc)
        key = ids.meeting_key(ex)
        if key is not None:
            scope = "/".join(key)
            for signed in ex.documents:
                tallies[("document", scope, slug(signed.title))].add(signed.title, doc)
    for key, tally in sorted(tallies.items()):
        ids.titles[key] = tally.best(key[-1])
