"""Text -> records: what one co-operation document says (knows nothing of RDF).

>>> from kg.registry import load_registry, load_corrections
>>> from kg.source import read_source
>>> ex = extract_document(read_source("data/sources/004_938a3d0296569c86.txt"),
...                       load_registry("data/registry"), load_corrections("data/corrections"))
>>> len(ex.areas), len(ex.commitments)
(11, 21)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from kg.corrections import Correction
from kg.extract.areas import find_areas
from kg.extract.bodies import BodyFinder, find_mentions, to_organizations
from kg.extract.commitments import build_commitments
from kg.extract.doctable import find_tables
from kg.extract.documents import find_documents
from kg.extract.event import find_event, signing_of, unnamed_meeting
from kg.extract.partner import find_partners, placed_bodies, registry_with
from kg.extract.people import find_people
from kg.extract.people_bodies import apart_from_people
from kg.extract.reading import reading, requoted
from kg.extract.segment import Block, cells, segment
from kg.extract.signature import signed_text
from kg.extract.statements import find_statements
from kg.extract.vocab import load_vocabulary
from kg.model import Extraction, Organization, Source
from kg.registry import Registry, name_key

__all__ = ["extract_document"]


def extract_document(
    source: Source, registry: Registry, corrections: Iterable[Correction] = ()
) -> Extraction:
    """Everything one document yields: event, areas, commitments, bodies, people, signed
    documents and (for analyses) statements. `corrections` may hold those of any
    document; only this document's (by id, or by the sha256 of its bytes) are applied.

    A page copied as Markdown is read with its marks blanked, and a page copied from the
    web without its invisible characters (`kg.extract.reading`); its quotes and offsets are
    the source's all the same."""
    read = reading(source.text)
    if read.text is source.text:
        return _extract(source, registry, corrections)
    ex = _extract(replace(source, text=read.text), registry, corrections, read.joins)
    ex = requoted(ex, source.text, read)
    ex.source = source
    return ex


def _extract(
    source: Source,
    registry: Registry,
    corrections: Iterable[Correction],
    joins: tuple[int, ...] = (),
) -> Extraction:
    vocab = load_vocabulary()
    fixes = [c for c in corrections if c.applies_to(source.doc_id, source.sha256)]
    blocks = segment(source.text, vocab, joins)
    # A table of signed documents holds no area and no commitment; its rows name people and
    # bodies, even those a menu bar's shape made chrome.
    tables = find_tables(blocks, vocab)
    in_table = {i for t in tables for i in t.blocks}
    rows = {i for t in tables for i in t.rows}
    # The rest of a paragraph a page break cut (its footer and header between) is read with
    # the paragraph's words, not as a paragraph of its own.
    cut = _after_page_break(blocks)
    paragraphs = [
        b for i, b in enumerate(blocks) if not b.chrome and i not in in_table and i not in cut
    ]
    named = [
        replace(b, chrome=False) if i in rows else b
        for i, b in enumerate(blocks)
        if not b.chrome or i in rows
    ]
    event = find_event(blocks, source, vocab, registry)
    sides, found = find_partners(paragraphs, event, vocab, registry)
    # A side the registry lacks is read like a known one from here on, unreviewed.
    registry = registry_with(registry, found)
    layout = find_areas(paragraphs, vocab, fixes, source.doc_id, source.text)

    # Headings name areas, not bodies ("Cultural Exchange and Tourism").
    headings = {id(b) for b in layout.headings}
    finder = BodyFinder(registry, vocab, sides)
    mentions = find_mentions(
        source.text, cells([b for b in named if id(b) not in headings]), finder
    )
    people, person_mentions = find_people(named, registry, vocab, finder)
    mentions = apart_from_people(source.text, mentions, person_mentions, finder, vocab)
    placed_bodies(mentions, people, found, registry, vocab)
    # An agreement's own text, closed by its signature blocks: a document its signers signed.
    whole = signed_text(
        paragraphs,
        vocab,
        [(p.span, p.name) for p in person_mentions],
        lambda text: list(dict.fromkeys(m.label for m in finder.find(text))),
    )
    places = re.compile(registry.jurisdiction_pattern())

    ex = Extraction(
        source=source,
        event=event,
        stated_area_count=layout.stated,
        areas=layout.areas,
        commitments=build_commitments(layout.commitments, mentions, vocab, places),
        organizations=to_organizations(mentions),
        people=people,
        documents=find_documents(
            blocks,  # with the chrome: a table's header row looks like a menu bar
            vocab,
            registry,
            finder,
            person_mentions,
            people,
            event.ordinal if event else None,
            tables,
            whole,
            event.place if event else None,
        ),
        jurisdictions=sides,
        new_jurisdictions=found,
    )
    if ex.commitments and ex.event is None:
        # A commitment is made at a meeting: one the release tells of without naming it, or
        # the signing that makes it.
        ex.event = unnamed_meeting(blocks, source, vocab)
        if ex.event is None and whole is not None:
            ex.event = signing_of(whole, paragraphs, source)
        if ex.event is None:
            # The document reports them, so they were made where it tells of no meeting:
            # its commitments are still its own, not a reason to leave it out of the graph.
            ex.event = unnamed_meeting(blocks, source, vocab, told=False)
    _by_alias(ex)
    _add_minted(ex, registry)
    _add_referred(ex, registry, finder)
    if source.kind == "analysis" or (source.kind is None and not ex.commitments):
        ex.statements = find_statements(paragraphs, vocab, registry)
    return ex


def _after_page_break(blocks: list[Block]) -> set[int]:
    """The blocks that go on, in lower case, with a paragraph that ends in mid-sentence before
    a page's footer and the next page's header ("... on shipping services," / "- 1 -" /
    "Newsletter | Issue 41" / "covering ship registration ...")."""
    out: set[int] = set()
    # A running head: the masthead (one of the first lines) printed again on each page.
    top = {b.text for b in blocks[:_MASTHEAD_LINES]}
    heads = {i for i, b in enumerate(blocks) if i >= _MASTHEAD_LINES and b.text in top}
    last: int | None = None  # the last block of text before the page's furniture
    for i, block in enumerate(blocks):
        if block.chrome or i in heads:
            continue
        between = blocks[last + 1 : i] if last is not None else []
        if (
            between
            and any(b.chrome for b in between)  # a page's number, a form feed's line
            and all(b.chrome or j in heads for j, b in enumerate(between, start=last + 1))
            and block.text[:1].islower()
            and not _SENTENCE_END.search(blocks[last].text)
        ):
            out.add(i)
        last = i
    return out


_MASTHEAD_LINES = 3
_SENTENCE_END = re.compile(r"[.!?:;][\"”’)]*\s*$")


def _by_alias(ex: Extraction) -> None:
    """A post's body or a memorandum's party that the text wrote as another name of one of
    its bodies ("the Department of International Trade Promotion" for the one "of
    Thailand" named before): that body's label, not a second body without its place."""
    labels = {name_key(o.label) for o in ex.organizations}
    owners: dict[str, set[str]] = {}
    for org in ex.organizations:
        for alias in org.aliases:
            owners.setdefault(name_key(alias), set()).add(org.label)

    def owner(name: str) -> str:
        found = owners.get(name_key(name), set())
        # One body goes by the name, and none is called that: the text means that body.
        return next(iter(found)) if len(found) == 1 and name_key(name) not in labels else name

    for person in ex.people:
        for holding in person.posts:
            if holding.body:
                holding.body = owner(holding.body)
    for doc in ex.documents:
        doc.parties = [owner(party) for party in doc.parties]


def _add_minted(ex: Extraction, registry: Registry) -> None:
    """The bodies minted for a new side that the document refers to without naming them as
    a body (the body of "Governor of Xanadu Province"; the government, always): in its
    organisations, mentioned where the text shows the side."""
    minted = {p.government: p for p in ex.new_jurisdictions if p.government}
    referred = [h.body for p in ex.people for h in p.posts if h.body]
    referred += [party for d in ex.documents for party in d.parties]
    labels = {o.label for o in ex.organizations}
    for label in [*minted, *referred]:
        body = registry.body(label)
        if label in labels or body is None or body.reviewed:
            continue
        labels.add(label)
        place = next((p for p in ex.new_jurisdictions if p.name == body.jurisdiction), None)
        org = Organization(label, body.kind, body.jurisdiction, False, named=False)
        org.mentions = place.evidence[:1] if place is not None else []
        ex.organizations.append(org)


def _add_referred(ex: Extraction, registry: Registry, finder: BodyFinder) -> None:
    """A body a post or a memorandum names that no mention reads as one (it stands inside
    the post: "Chief of Office of the Chief Executive"): a body found by its shape,
    mentioned where the post or the memorandum is stated, so that the graph describes
    every body it links to."""
    labels = {o.label for o in ex.organizations}
    refs = [(h.body, h.span) for p in ex.people for h in p.posts if h.body]
    refs += [(party, d.span) for d in ex.documents for party in d.parties]
    for label, span in refs:
        if label in labels or registry.body(label) or registry.resolve_jurisdiction(label):
            continue
        labels.add(label)
        shapes = finder.shapes
        org = Organization(label, shapes.kind_of(label), shapes.jurisdiction(label), False)
        org.mentions = [span] if span is not None else []
        ex.organizations.append(org)
