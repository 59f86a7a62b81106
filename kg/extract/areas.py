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
_MAX_LEADIN_WORDS = 8  # a longer line ending in ":" is a clause
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
    if text.endswith(":") and is_leadin(text, vocab):
        return False  # "The two sides agreed to:" leads a list; "Financial services:" heads an area
    if vocab.verbs.get(words[0].lower()) == words[0].lower():
        return False  # "Promote exchanges" is a commitment, however short
    return vocab.honorific.search(text) is None


def is_leadin(text: str, vocab: Vocabulary) -> bool:
    """Whether a line ending in ":" leads a list (a clause: "The two sides will:", "They
    include:") rather than heading an area (a noun phrase: "Financial services:")."""
    words = re.findall(r"[\w'’-]+", text.lower())
    if len(words) > _MAX_LEADIN_WORDS:
        return True
    return any(w in vocab.leadin_words for w in words)


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
    _drop_trailing_headings(layout)
    return layout


def _drop_trailing_headings(layout: Layout) -> None:
    """A heading at the end of the section with nothing under it heads what follows (a
    "Visits" section), not an area; unless the text states that many areas."""
    used = {area for _, area in layout.commitments}
    while (
        layout.areas
        and layout.areas[-1].heading_in_text
        and layout.areas[-1].label not in used
        and (layout.stated is None or len(layout.areas) > layout.stated)
    ):
        layout.areas.pop()


def _listed(blocks: list[Block], vocab: Vocabulary, layout: Layout) -> Layout:
    """No headings: the items of the first list led by "... agreed to:" are the commitments
    (a list led by a signing sentence names documents instead); areas named in prose after
    the stated count ("in four areas, namely finance, ... and youth development") are the
    areas when there are as many as stated."""
    lead = next(
        (
            i
            for i, block in enumerate(blocks[1:], start=1)
            if _LEADS.search(block.text)
            and not vocab.sign.search(block.text)
            and i + 1 < len(blocks)
            and (blocks[i + 1].marker is not None or _inline_label(blocks[i + 1], vocab))
            and not vocab.honorific.search(blocks[i + 1].text)  # a list of who attended
        ),
        None,
    )
    signing = next((i for i, b in enumerate(blocks) if i and vocab.sign.search(b.text)), None)
    last = lead if lead is not None else (signing - 1 if signing is not None else len(blocks) - 1)
    for block in blocks[1 : last + 1]:
        m = vocab.area_count.search(block.text)
        if m:
            layout.stated = vocab.number(m.group("n"))
            layout.areas = _prose_areas(block, m.end(), layout.stated)
            break
    if lead is None:
        return layout
    labelled = blocks[lead + 1].marker is None  # "Finance: Support ..." paragraphs
    items: list[Block] = []
    for item in blocks[lead + 1 :]:
        if (item.marker is None) != labelled or (labelled and not _inline_label(item, vocab)):
            break
        items.append(item)
    labels = [_inline_label(item, vocab) for item in items]
    if not layout.areas and sum(bool(x) for x in labels) >= max(2, 0.6 * len(items)):
        for label in labels:
            if label and all(a.label != label.text for a in layout.areas):
                layout.areas.append(Area(label.text, True, label))
    known = {name_key(a.label): a.label for a in layout.areas}
    layout.commitments = [
        (item, known.get(name_key(label.text)) if label else None)
        for item, label in zip(items, labels, strict=True)
    ]
    layout.end = lead + 1 + len(items)
    return layout


_INLINE = re.compile(r"(?P<label>[A-Z][^:;,.\n]{1,60}?)\s*:\s+\S")


def _inline_label(block: Block, vocab: Vocabulary) -> Span | None:
    """The label before a colon that opens a paragraph ("Finance: support ..."): a short
    noun phrase, not a clause ("The two sides will: ...")."""
    m = _INLINE.match(block.text)
    if m is None:
        return None
    label = m.group("label")
    if len(label.split()) > _MAX_LEADIN_WORDS - 2 or is_leadin(label + ":", vocab):
        return None
    if vocab.honorific.search(label):
        return None
    start = block.span.start
    return Span(start, start + len(label), label)


# A paragraph that leads a list: it ends in ":", or says "as follows." / "the following ...".
_LEADS = re.compile(r":$|\b(?:as\s+follows|the\s+following\b[^.;:]*)[.;]?$")
_PROSE_LIST = re.compile(
    r"\s*(?:[\w-]+\s+){0,3}?,?\s*(?:namely|comprising|covering|including|which\s+are|as\s+follows)"
    r"\s*:?\s+(?P<list>[^.;:()]+?)\s*(?=[.;:(]|$)"
)
_ITEM_SEP = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


def _prose_areas(block: Block, after: int, stated: int | None) -> list[Area]:
    """The areas a sentence lists after its count, when it lists as many as it states."""
    m = _PROSE_LIST.match(block.text, after)
    if m is None or not stated:
        return []
    text, base = block.text, block.span.start
    start = m.start("list")
    # Commas separate the areas; an "and" separates two only where commas alone fall short
    # ("trade and investment, ..., maritime affairs and youth exchanges").
    parts = [(p.start(), p.end()) for p in re.finditer(r"[^,]+", text[start : m.end("list")])]
    spans = [(start + s, start + e) for s, e in parts]
    spans = [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans]
    spans = [(s + 4, e) if text[s:e].startswith("and ") else (s, e) for s, e in spans]
    if len(spans) < stated and spans:
        s, e = spans[-1]
        cut = text.rfind(" and ", s, e)
        if cut > s:
            spans[-1:] = [(s, cut), (cut + 5, e)]
    if len(spans) != stated:
        return []
    areas = []
    for s, e in spans:
        s, e = trim_span(text, s, e)
        label = re.sub(r"\s+", " ", text[s:e])
        if not label or len(label.split()) > _MAX_HEADING_WORDS // 2:
            return []
        areas.append(Area(label, True, Span(base + s, base + e, text[s:e])))
    return areas


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    return start, end


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
