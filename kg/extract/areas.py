"""Co-operation areas: the stated count, the headings, restored headings, and which
paragraphs (commitments) each area holds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.corrections import Correction
from kg.errors import InputError
from kg.extract.prose import led_areas, reported
from kg.extract.segment import Block, make_span
from kg.extract.vocab import Vocabulary
from kg.model import Area, Span
from kg.registry import name_key

_MAX_HEADING_WORDS = 12
# "Strengthening co-operation in innovation and technology and the transformation of
# scientific and technological achievements": a heading led by a gerund may run longer.
_MAX_GERUND_HEADING_WORDS = 20
_MAX_LEADIN_WORDS = 8  # a longer line ending in ":" is a clause
_NOT_HEADING_END = (".", ";", ",", "!", "?", '"', "”")
# A heading line that ends in one of these words was wrapped ("... Joint Exploration of" /
# "Markets in South and Southeast Asia").
_OPEN_ENDS = frozenset({"of", "and", "in", "for", "on", "the", "to", "with", "&", "at", "by"})
_SENTENCE_INSIDE = re.compile(r"[.;!?]\s+[A-Z]")


@dataclass
class Layout:
    stated: int | None = None
    areas: list[Area] = field(default_factory=list)
    commitments: list[tuple[Block, str | None]] = field(default_factory=list)
    headings: list[Block] = field(default_factory=list)  # headings in the text, any section
    end: int | None = None  # index (in the paragraphs) where the areas section ends


def is_heading(block: Block, vocab: Vocabulary, max_words: int | None = None) -> bool:
    """A short line without final punctuation that does not start with an action verb."""
    text = block.text
    words = text.split()
    if block.marker == "bullet" or not words or len(words) > (max_words or _max_words(text, words)):
        return False
    if not text[0].isupper() or text.endswith(_NOT_HEADING_END):
        return False
    if _SENTENCE_INSIDE.search(text):
        return False
    if text.endswith(":") and is_leadin(text, vocab):
        return False  # "The two sides agreed to:" leads a list; "Financial services:" heads an area
    if vocab.verbs.get(words[0].lower()) == words[0].lower():
        return False  # "Promote exchanges" is a commitment, however short
    return vocab.honorific.search(text) is None


def _max_words(text: str, words: list[str]) -> int:
    """A heading led by a gerund, or one wrapped over two lines, may run longer."""
    lead = words[1] if words[0].lower().endswith("ly") and len(words) > 1 else words[0]
    gerund = lead.lower().endswith("ing") and lead[:1].isalpha()
    return _MAX_GERUND_HEADING_WORDS if gerund or "\n" in text else _MAX_HEADING_WORDS


def join_wrapped_headings(
    text: str, blocks: list[Block], vocab: Vocabulary
) -> tuple[list[Block], dict[int, tuple[Block, ...]]]:
    """One heading from a heading wrapped over two lines: a heading line that ends in a word
    that cannot end a heading ("... Exploration of"), or one that another heading line
    follows with nothing between ("Belt and Road, Economic, Trade and Investment" /
    "Co-operation") before a paragraph that is not a heading."""
    out: list[Block] = []
    parts: dict[int, tuple[Block, ...]] = {}  # a joined heading's id -> its lines
    i = 0
    while i < len(blocks):
        block = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        after = blocks[i + 2] if i + 2 < len(blocks) else None
        if (
            i > 0
            and nxt is not None
            and nxt.blank_before == 0
            and nxt.marker is None
            and is_heading(block, vocab)
            and (nxt.text[:1].isupper() or nxt.text[:1].isdigit())
            and _wraps(block, nxt, after, vocab)
        ):
            span = make_span(text, block.span.start, nxt.span.end)
            out.append(Block(span, block.line, block.blank_before, block.marker, False))
            parts[id(out[-1])] = (block, nxt)
            i += 2
            continue
        out.append(block)
        i += 1
    return out, parts


def _wraps(block: Block, nxt: Block, after: Block | None, vocab: Vocabulary) -> bool:
    joined = Block(Span(block.span.start, nxt.span.end, f"{block.text} {nxt.text}"), 0, 0)
    if not is_heading(joined, vocab, _MAX_GERUND_HEADING_WORDS) or not is_heading(nxt, vocab):
        return False
    if block.text.split()[-1].lower() in _OPEN_ENDS:
        return True
    if len(nxt.text.split()) > 2:
        return False  # two headings in a row rather than one wrapped
    return after is not None and not is_heading(after, vocab)


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
    return _signs(block, vocab) or vocab.honorific.search(text) is not None


def _signs(block: Block, vocab: Vocabulary) -> bool:
    """A paragraph that reports a signing: a signing word with a quoted or named document
    ("signed the Memorandum on ...", "a co-operation agreement ... was signed") or with its
    witnesses ("witnessed by A and B, ... signed three documents:"); not a commitment to
    promote signings ("Promote the signing of ...")."""
    text = block.text
    if not vocab.sign.search(text) or vocab.verbs.get(text.split()[0].lower()):
        return False
    return bool(
        re.search(r"[\"“]", text) or vocab.witness.search(text) or vocab.document_noun.search(text)
    )


def find_areas(
    blocks: list[Block],
    vocab: Vocabulary,
    corrections: list[Correction],
    doc_id: str,
    text: str | None = None,
) -> Layout:
    """Read the areas section of a release (paragraphs must exclude page chrome; `text`, the
    document's text, lets a heading wrapped over two lines be read as one)."""
    parts: dict[int, tuple[Block, ...]] = {}
    if text is not None:
        blocks, parts = join_wrapped_headings(text, blocks, vocab)
    layout = Layout()
    for b in blocks[1:]:
        if is_heading(b, vocab):
            layout.headings += parts.get(id(b), (b,))

    def ends(block: Block) -> bool:
        return _ends_section(block, vocab)

    led = _anchored_heading(blocks, vocab)
    first_heading = led if led is not None else _first_heading(blocks, vocab)
    if first_heading is not None:
        headed = _headed(blocks, vocab, corrections, doc_id, first_heading, layout)
        if led is not None or len(headed.areas) >= 2:
            return headed
    prose = led_areas(blocks, vocab, ends)
    if prose is not None:
        out = Layout(headings=layout.headings)
        out.areas, out.commitments, first, out.end = prose
        out.stated = _count_before(blocks, first, vocab)
        return out
    listed = _listed(blocks, vocab, Layout(headings=layout.headings))
    if listed.commitments:
        return listed
    report = reported(blocks, vocab, lambda b: _signs(b, vocab))
    if report is not None:
        listed.commitments, listed.end = report
        return listed
    # One heading, not the standfirst under the title: an area all the same.
    if first_heading is not None and first_heading > 1:
        return _headed(
            blocks, vocab, corrections, doc_id, first_heading, Layout(headings=layout.headings)
        )
    return listed


def _anchored_heading(blocks: list[Block], vocab: Vocabulary) -> int | None:
    """The first heading right after a sentence that leads the areas ("... in the following
    six aspects:", "... are set out below:")."""
    for i in range(2, len(blocks)):
        before = blocks[i - 1].text
        if not (vocab.area_count.search(before) or _LEADS.search(before)):
            continue
        if is_heading(blocks[i], vocab) and not _ends_section(blocks[i], vocab):
            return i
    return None


def _first_heading(blocks: list[Block], vocab: Vocabulary) -> int | None:
    return next(
        (
            i
            for i, b in enumerate(blocks)
            if i and is_heading(b, vocab) and not _ends_section(b, vocab)
        ),
        None,
    )


def _count_before(blocks: list[Block], end: int, vocab: Vocabulary) -> int | None:
    """The area count the text states before paragraph `end` (the last one, if several)."""
    stated = None
    for block in blocks[1:end]:
        m = vocab.area_count.search(block.text)
        if m:
            stated = vocab.number(m.group("n"))
    return stated


def _headed(
    blocks: list[Block],
    vocab: Vocabulary,
    corrections: list[Correction],
    doc_id: str,
    first_heading: int,
    layout: Layout,
) -> Layout:
    """Areas under headings, from the first heading to the end of the section."""
    start = first_heading
    for i, block in enumerate(blocks[1 : first_heading + 1], start=1):
        m = vocab.area_count.search(block.text)
        if m:
            layout.stated = vocab.number(m.group("n"))
            start = max(i + 1, min(start, first_heading))
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
            area = _strip_number(re.sub(r"\s+", " ", span.text))
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
            and i + 1 < len(blocks)
            and _item_kind(blocks[i + 1], vocab) is not None
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
    kind = _item_kind(blocks[lead + 1], vocab)
    items: list[Block] = []
    for item in blocks[lead + 1 :]:
        if _item_kind(item, vocab) != kind:
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


def _item_kind(block: Block, vocab: Vocabulary) -> str | None:
    """What makes a paragraph an item of a list: a marker ("•", "(a)"), an inline label
    ("Finance: support ..."), or an imperative verb ("Support ...", "Jointly develop ...")."""
    if block.marker is not None:
        return "marker"
    if _inline_label(block, vocab):
        return "label"
    return "verb" if imperative(block.text, vocab) else None


def imperative(text: str, vocab: Vocabulary) -> bool:
    """Whether a paragraph opens with a verb in its base form ("Support ...", "Set up ..."),
    after an adverb or "continue to" ("Jointly develop ...", "Continue to promote ...")."""
    words = [w.strip(",;:").lower() for w in text.split()[:5]]
    if words and words[0] in vocab.fillers and (words[0].endswith("ly") or "continu" in words[0]):
        words = words[2:] if len(words) > 1 and words[1] == "to" else words[1:]
    for n in (3, 2, 1):
        phrase = " ".join(words[:n])
        if len(words) >= n and vocab.verbs.get(phrase) == phrase:
            return True
    return False


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
