"""Co-operation areas: the stated count, the headings, restored headings, and which
paragraphs (commitments) each area holds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.corrections import Correction
from kg.errors import InputError
from kg.extract.segment import Block
from kg.extract.vocab import Vocabulary
from kg.model import Area, Span
from kg.registry import name_key

_MAX_HEADING_WORDS = 12
_MAX_LEADIN_WORDS = 6
_NOT_HEADING_END = (".", ";", ",", "!", "?", '"', "”")


@dataclass
class Layout:
    stated: int | None = None
    areas: list[Area] = field(default_factory=list)
    commitments: list[tuple[Block, str | None]] = field(default_factory=list)
    headings: list[Block] = field(default_factory=list)  # headings in the text, any section
    end: int | None = None  # index (in the paragraphs) where the areas section ends


def is_heading(block: Block, vocab: Vocabulary) -> bool:
    """A short line without final punctuation that does not start with an action verb."""
    text = block.text
    words = text.split()
    if block.marker == "bullet" or not words or len(words) > _MAX_HEADING_WORDS:
        return False
    if not text[0].isupper() or text.endswith(_NOT_HEADING_END):
        return False
    if text.endswith(":") and (
        len(words) > _MAX_LEADIN_WORDS or any(w[:1].islower() for w in words if len(w) > 3)
    ):
        return False  # "The two sides agreed to:" leads a list; "Finance:" heads an area
    if vocab.verbs.get(words[0].lower()) == words[0].lower():
        return False  # "Promote exchanges" is a commitment, however short
    return vocab.honorific.search(text) is None


def heading_span(block: Block) -> Span:
    text = block.text.rstrip(": \u00a0")
    return Span(block.span.start, block.span.start + len(text), text)


def _ends_section(block: Block, vocab: Vocabulary) -> bool:
    """The signing section, the attendance list or the dateline closes the areas."""
    text = block.text
    if is_heading(block, vocab):
        heads = vocab.words("signing_heading_words")
        return any(re.search(rf"\b{re.escape(w)}\b", text) for w in heads)
    if vocab.sign.search(text) and re.search(r"[\"“]", text):
        return True
    return vocab.honorific.search(text) is not None


def find_areas(
    blocks: list[Block], vocab: Vocabulary, corrections: list[Correction], doc_id: str
) -> Layout:
    """Read the areas section of a release (paragraphs must exclude page chrome)."""
    layout = Layout()
    layout.headings = [b for b in blocks[1:] if is_heading(b, vocab)]
    first_heading = next(
        (
            i
            for i, b in enumerate(blocks)
            if i and is_heading(b, vocab) and not _ends_section(b, vocab)
        ),
        None,
    )
    if first_heading is None:
        return _listed(blocks, vocab, layout)
    start = first_heading
    for i, block in enumerate(blocks[1 : first_heading + 1], start=1):
        m = vocab.area_count.search(block.text)
        if m:
            layout.stated = vocab.number(m.group("n"))
            start = i + 1
            break
    end = next(
        (i for i in range(start, len(blocks)) if _ends_section(blocks[i], vocab)), len(blocks)
    )
    layout.end = end
    zone = blocks[start:end]
    anchors = _anchor(zone, corrections, doc_id, vocab)
    headings = [b for b in zone if is_heading(b, vocab)]
    gaps = _lost_heading_gaps(zone, anchors, vocab)
    missing = (layout.stated or 0) - len(headings) - len(anchors)
    use_gaps = missing > 0 and len(gaps) == missing

    area: str | None = None
    for block in zone:
        if is_heading(block, vocab):
            span = heading_span(block)
            area = _strip_number(span.text)
            layout.areas.append(Area(area, True, span))
            continue
        if id(block) in anchors:
            c = anchors[id(block)]
            area = c.area
            layout.areas.append(Area(c.area, False, None, correction=c.id))
        elif use_gaps and id(block) in gaps:
            area = None  # a heading was lost here and nothing restores it
        if block.text.endswith(":"):
            continue  # a lead-in to a list, not a commitment
        layout.commitments.append((block, area))
    return layout


def _listed(blocks: list[Block], vocab: Vocabulary, layout: Layout) -> Layout:
    """No headings: the items of the first list led by "... agreed to:" are the commitments
    (a list led by a signing sentence names documents instead)."""
    for i, block in enumerate(blocks[1:], start=1):
        if not block.text.endswith(":") or vocab.sign.search(block.text):
            continue
        items = []
        for item in blocks[i + 1 :]:
            if item.marker is None:
                break
            items.append((item, None))
        if items:
            m = vocab.area_count.search(block.text)
            layout.stated = vocab.number(m.group("n")) if m else None
            layout.commitments = items
            layout.end = i + 1 + len(items)
            return layout
    return layout


def _strip_number(label: str) -> str:
    return re.sub(r"^(?:\d{1,2}[.)]|\(\d{1,2}\)|[IVX]{1,4}\.)\s+", "", label)


def _anchor(
    zone: list[Block], corrections: list[Correction], doc_id: str, vocab: Vocabulary
) -> dict[int, Correction]:
    anchors: dict[int, Correction] = {}
    for c in corrections:
        if c.kind != "lost_heading":
            continue
        key = name_key(c.anchor)
        idx = next((i for i, b in enumerate(zone) if name_key(b.text).startswith(key)), None)
        if idx is None:
            raise InputError(
                c.path or None,
                f"correction {c.id!r}: no paragraph of {doc_id} starts with {c.anchor!r}",
                c.line,
            )
        if idx > 0 and is_heading(zone[idx - 1], vocab):
            continue  # the text has its heading after all
        anchors[id(zone[idx])] = c
    return anchors


def _lost_heading_gaps(
    zone: list[Block], anchors: dict[int, Correction], vocab: Vocabulary
) -> set[int]:
    """Paragraphs after two or more blank lines that no heading precedes: where a heading
    may have been lost in copying."""
    gaps = set()
    for i, block in enumerate(zone):
        if i == 0 or block.blank_before < 2 or id(block) in anchors:
            continue
        if not is_heading(block, vocab) and not is_heading(zone[i - 1], vocab):
            gaps.add(id(block))
    return gaps
