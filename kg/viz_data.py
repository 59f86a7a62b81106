"""What the interactive page shows, read from a `Store` through the `page-*.rq` queries.

`gather_page_data` returns plain records keyed by IRI: bodies (with their posts, the
memoranda they signed or are party to, their commitments and mechanisms), commitments
(area, meeting, bodies, quote and offsets), meetings, mechanisms, areas, jurisdictions and
source documents. `attach_texts` adds the text of source documents the caller has, after
checking that each is the text the graph was built from, and each commitment's paragraph.
Everything is sorted, so the page is the same whatever order a store returns rows in.
"""

from __future__ import annotations

import bisect
import copy
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.query import resolve_query, run_query
from kg.rdf import slug
from kg.source import list_sources, read_source
from kg.store import Store, derived, is_frozen

ID = "https://w3id.org/coopkg/id/"
_CONTEXT = 600  # characters of a long paragraph kept on each side of a quote


@dataclass
class Body:
    iri: str
    label: str
    aliases: list[str] = field(default_factory=list)
    klass: str | None = None  # the ontology class's local name, e.g. "Exchange"
    kind: str | None = None  # coop:kind, e.g. "statutory_body"
    jurisdiction: str | None = None
    parent: str | None = None
    reviewed: bool | None = None
    commitments: list[str] = field(default_factory=list)
    # (post label, holder's name or None, meeting IRI or None)
    posts: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    # (role "signature" | "party", document title, signer's name or None, meeting IRI or None)
    memoranda: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)
    mechanisms: list[str] = field(default_factory=list)


@dataclass
class Commitment:
    iri: str
    label: str
    areas: list[str] = field(default_factory=list)
    meeting: str | None = None
    bodies: list[str] = field(default_factory=list)
    # The pairs of bodies its text states ("co-operation between A and B"), IRIs sorted.
    partnerships: list[tuple[str, str]] = field(default_factory=list)
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    source: str | None = None
    # Filled by attach_texts: [paragraph start, quote start, quote end, paragraph end] as
    # UTF-16 indices into the source's text (what JavaScript's String.slice counts).
    paragraph: list[int] | None = None


@dataclass
class Meeting:
    iri: str
    label: str
    date: str | None = None
    place: str | None = None
    ordinal: int | None = None
    mechanism: str | None = None


@dataclass
class Mechanism:
    iri: str
    label: str
    sides: list[str] = field(default_factory=list)
    meetings: list[str] = field(default_factory=list)


@dataclass
class Source:
    iri: str
    title: str
    date: str | None = None
    publisher: str | None = None
    url: str | None = None  # only an http(s) URL: anything else is not a link to follow
    sha256: str | None = None
    characters: int | None = None
    text: str | None = None
    note: str | None = None  # why the text is missing, when it was given but not shown


@dataclass
class PageData:
    bodies: dict[str, Body]
    commitments: dict[str, Commitment]
    meetings: dict[str, Meeting]
    mechanisms: dict[str, Mechanism]
    areas: dict[str, str]  # IRI -> label
    jurisdictions: dict[str, str]
    sources: dict[str, Source]
    labels: dict[str, str]  # every labelled subject's display label
    aliases: dict[str, list[str]]
    people: dict[str, str] = field(default_factory=dict)  # IRI -> name: holders and signers


def _rows(store: Store, name: str) -> list[dict[str, Any]]:
    return [
        {k: (str(v) if isinstance(v, str) else v) for k, v in row.items()}
        for row in run_query(store, resolve_query(name), {}).dicts()
    ]


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def gather_page_data(store: Store) -> PageData:
    """Everything the page shows, as records keyed by IRI, in sorted order.

    Made once per frozen store (`kg.store.derived`): a build's page, report and exports
    draw the same records. Do not change what it returns; `own_page_data` may be.
    """
    return derived(store, "page-data", lambda: _gather(store))


def own_page_data(store: Store) -> PageData:
    """`gather_page_data`'s records for `attach_texts` to change: copies of the shared
    sources and commitments (what it fills in), or records made anew. The rest is
    shared: read it only. (A deep copy of everything took a second at 1,000 releases.)"""
    if not is_frozen(store):
        return _gather(store)
    shared = gather_page_data(store)
    return replace(
        shared,
        sources={k: copy.copy(v) for k, v in shared.sources.items()},
        commitments={k: copy.copy(v) for k, v in shared.commitments.items()},
    )


def _gather(store: Store) -> PageData:
    label_sets: dict[str, set[str]] = {}
    alias_sets: dict[str, set[str]] = {}
    for row in _rows(store, "page-names"):
        if row["label"] is not None:
            label_sets.setdefault(row["subject"], set()).add(str(row["label"]))
        if row["alias"] is not None:
            alias_sets.setdefault(row["subject"], set()).add(str(row["alias"]))
    # min(): a subject with two labels gets the same one on every run
    labels = {s: min(v) for s, v in sorted(label_sets.items())}
    aliases = {s: sorted(v - {labels.get(s)}) for s, v in sorted(alias_sets.items())}

    def name(iri: str) -> str:
        return labels.get(iri) or _tail(iri)

    jurisdictions: dict[str, str] = {}
    bodies: dict[str, Body] = {}
    for row in _rows(store, "page-bodies"):
        body = bodies.setdefault(row["body"], Body(row["body"], name(row["body"])))
        # rows come sorted by class: the first class is kept, the same on every run
        body.klass = body.klass or row["class"] or None
        body.kind = body.kind or row["kind"]
        body.jurisdiction = body.jurisdiction or row["jurisdiction"]
        body.parent = body.parent or row["parent"]
        if body.reviewed is None and row["reviewed"] is not None:
            body.reviewed = bool(row["reviewed"])

    commitments: dict[str, Commitment] = {}
    for row in _rows(store, "page-commitments"):
        iri = row["commitment"]
        c = commitments.setdefault(iri, Commitment(iri, name(iri)))
        if row["area"] is not None and row["area"] not in c.areas:
            c.areas.append(row["area"])
        c.meeting = c.meeting or row["meeting"]
        if c.quote is None and row["quote"] is not None:
            c.quote, c.start, c.end = str(row["quote"]), row["start"], row["end"]
        c.source = c.source or row["source"]
    for row in _rows(store, "involvements"):
        c, iri = commitments.get(row["commitment"]), row["body"]
        if c is None:
            continue
        if iri not in bodies:  # involved but untyped: keep it, say what we know
            bodies[iri] = Body(iri, name(iri))
        c.bodies.append(iri)
        bodies[iri].commitments.append(c.iri)
    for row in _rows(store, "partnerships"):
        c = commitments.get(row["commitment"])
        pair = tuple(sorted((row["body_a"], row["body_b"])))
        if c is not None and pair not in c.partnerships and set(pair) <= set(c.bodies):
            c.partnerships.append(pair)  # type: ignore[arg-type]

    meetings: dict[str, Meeting] = {}
    mechanisms: dict[str, Mechanism] = {}
    for row in _rows(store, "page-meetings"):
        mech = row["mechanism"]
        if mech is not None:
            m = mechanisms.setdefault(mech, Mechanism(mech, name(mech)))
            if row["side"] is not None and row["side"] not in m.sides:
                m.sides.append(row["side"])
        if row["meeting"] is None:
            continue
        meeting = meetings.setdefault(row["meeting"], Meeting(row["meeting"], name(row["meeting"])))
        meeting.date = meeting.date or (str(row["date"]) if row["date"] is not None else None)
        meeting.place = meeting.place or row["place"]
        meeting.ordinal = meeting.ordinal if meeting.ordinal is not None else row["ordinal"]
        meeting.mechanism = meeting.mechanism or mech
    for meeting in sorted(meetings.values(), key=_meeting_order):
        if meeting.mechanism in mechanisms:
            mechanisms[meeting.mechanism].meetings.append(meeting.iri)

    people: dict[str, str] = {}
    for row in _rows(store, "page-roles"):
        body = bodies.get(row["body"])
        if body is None:  # a memorandum's party may be a jurisdiction: not a body
            continue
        person = labels.get(row["person"]) if row["person"] else None
        if person is not None:
            people[row["person"]] = person
        if row["role"] == "post":
            entry = (name(row["thing"]), person, row["meeting"])
            if entry not in body.posts:
                body.posts.append(entry)
        else:
            role = (row["role"], name(row["thing"]), person, row["meeting"])
            if role not in body.memoranda:
                body.memoranda.append(role)

    sources: dict[str, Source] = {}
    for row in _rows(store, "page-sources"):
        iri = row["source"]
        if iri in sources:
            continue
        url = str(row["url"]) if row["url"] is not None else None
        sources[iri] = Source(
            iri,
            name(iri),
            date=str(row["date"]) if row["date"] is not None else None,
            publisher=row["publisher"],
            url=url if url and url.lower().startswith(("https://", "http://")) else None,
            sha256=row["sha256"],
            characters=row["characters"],
        )
    for c in commitments.values():
        if c.source and c.source not in sources:
            sources[c.source] = Source(c.source, name(c.source))

    areas = {a: name(a) for c in commitments.values() for a in c.areas}

    def reading_order(iri: str) -> tuple[str, int, str]:
        c = commitments[iri]
        return (c.source or "", c.start if c.start is not None else -1, iri)

    for body in bodies.values():
        if body.jurisdiction:
            jurisdictions[body.jurisdiction] = name(body.jurisdiction)
        body.commitments.sort(key=reading_order)
        body.posts.sort(key=lambda p: tuple(x or "" for x in p))
        body.memoranda.sort(key=lambda p: tuple(x or "" for x in p))
        mechs = {meetings[c_m].mechanism for c_m in _meetings_of(body, commitments, meetings)}
        body.mechanisms = sorted(m for m in mechs if m in mechanisms)
    for mech in mechanisms.values():
        mech.sides.sort()
        for side in mech.sides:
            jurisdictions[side] = name(side)
    for c in commitments.values():
        c.areas.sort(key=lambda a: (areas[a], a))
        c.bodies.sort()
        c.partnerships.sort()
    return PageData(
        bodies=dict(sorted(bodies.items())),
        commitments=dict(sorted(commitments.items())),
        meetings=dict(sorted(meetings.items())),
        mechanisms=dict(sorted(mechanisms.items())),
        areas=dict(sorted(areas.items())),
        jurisdictions=dict(sorted(jurisdictions.items())),
        sources=dict(sorted(sources.items())),
        labels=labels,
        aliases=aliases,
        people=dict(sorted(people.items())),
    )


def _meeting_order(m: Meeting) -> tuple[str, int, str]:
    return (m.date or "9999", m.ordinal if m.ordinal is not None else 0, m.iri)


def _meetings_of(
    body: Body, commitments: Mapping[str, Commitment], meetings: Mapping[str, Meeting]
) -> set[str]:
    found = {commitments[c].meeting for c in body.commitments}
    found |= {m[3] for m in body.memoranda}
    return {m for m in found if m is not None and m in meetings}


# --- source texts ---------------------------------------------------------------------------


def attach_texts(data: PageData, store: Store, sources: Iterable[str | Path]) -> None:
    """Embed the texts of `sources` (files or folders of documents) that the graph quotes.

    A file belongs to the graph's source document whose IRI its id mints (the sidecar's
    `id`, else the file name's stem). It is embedded only if it is the text the graph was
    built from: the same SHA-256 where the graph records one, and every span of the
    document slicing it to its quote. Otherwise the source gets a note saying why its text
    is missing. Then every commitment with an embedded source gets its paragraph.
    """
    paths: list[Path] = []
    for item in sources:
        path = Path(item)
        if path.is_dir():
            paths.extend(list_sources(path))
        elif path.is_file():
            paths.append(path)
        else:
            raise InputError(str(path), "no such source file or folder")
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for row in _rows(store, "page-spans"):
        spans.setdefault(row["source"], []).append((row["start"], row["end"], str(row["quote"])))
    for path in sorted(paths):
        try:
            doc = read_source(path)
        except InputError:
            continue  # a document the build left out: the graph has nothing to show of it
        iri = ID + "source/" + slug(doc.doc_id)
        source = data.sources.get(iri)
        if source is None or source.text is not None:
            continue
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        wrong = [s for s in spans.get(iri, []) if doc.text[s[0] : s[1]] != s[2]]
        if (source.sha256 and source.sha256 != sha) or wrong:
            source.note = (
                f"The text of {path.name} differs from the one this graph was built from, "
                "so it is not shown: rebuild the graph or give the original file."
            )
            continue
        source.text, source.note = doc.text, None
    _paragraphs(data)


def embed_texts(data: PageData, texts: Mapping[str, str]) -> None:
    """Embed `texts` (document id -> the text the graph was built from, as a build has just
    read them: nothing is read or checked again), then each commitment's paragraph."""
    for doc_id, text in texts.items():
        source = data.sources.get(ID + "source/" + slug(doc_id))
        if source is not None and source.text is None:
            source.text, source.note = text, None
    _paragraphs(data)


def _paragraphs(data: PageData) -> None:
    """Each commitment whose source text is embedded gets its paragraph."""
    astral: dict[str, list[int]] = {}
    for c in data.commitments.values():
        source = data.sources.get(c.source or "")
        if source is None or source.text is None or c.start is None or c.end is None:
            continue
        if source.iri not in astral:
            astral[source.iri] = _astral(source.text)
        c.paragraph = paragraph(source.text, c.start, c.end, astral[source.iri])


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _astral(text: str) -> list[int]:
    """The positions of the characters beyond the BMP (a scan in C: a loop over every
    character of a thousand sources took half a second)."""
    return [m.start() for m in _ASTRAL.finditer(text)]


def paragraph(text: str, start: int, end: int, astral: list[int] | None = None) -> list[int]:
    """The paragraph (the line) around `text[start:end]`, trimmed of blanks and kept to
    `_CONTEXT` characters each side, as UTF-16 indices [para start, start, end, para end]
    (`astral`: the positions of characters beyond the BMP, which JavaScript counts twice).

    >>> paragraph("Title\\n\\n  (a) Do this. Then that.\\nNext", 12, 20)
    [8, 12, 20, 31]
    """
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    last = len(text) if last < 0 else last
    while first < start and text[first].isspace():
        first += 1
    while last > end and text[last - 1].isspace():
        last -= 1
    if start - first > _CONTEXT:
        cut = text.rfind(" ", start - _CONTEXT, start)
        first = cut + 1 if cut >= 0 else start - _CONTEXT
    if last - end > _CONTEXT:
        cut = text.find(" ", end, end + _CONTEXT)
        last = cut if cut >= 0 else end + _CONTEXT
    if astral is None:
        astral = _astral(text)
    return [i + bisect.bisect_left(astral, i) for i in (first, start, end, last)]
