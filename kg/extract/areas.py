"""Co-operation areas: the stated count, the headings, restored headings, and which
paragraphs (commitments) each area holds, in any of the genre's layouts (headings, areas led
in prose, lists, news reports)."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter

from kg.corrections import Correction
from kg.errors import InputError
from kg.extract.asked import asked_areas
from kg.extract.headings import (
    Layout,
    ends_section,
    heading_span,
    is_heading,
    join_wrapped_headings,
    signs,
    strip_number,
)
from kg.extract.lists import LEADS, listed, named_areas
from kg.extract.measures import measures_table
from kg.extract.prose import led_areas, lone_lead, opened_areas, reported
from kg.extract.segment import Block
from kg.extract.signature import FOR_PARTY
from kg.extract.vocab import Vocabulary
from kg.model import Area
from kg.registry import name_key

__all__ = ["Layout", "find_areas"]


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
    blocks = _agenda(blocks, vocab)
    headings = [h for b in blocks[1:] if is_heading(b, vocab) for h in parts.get(id(b), (b,))]
    news = text is not None and _news_story(text, vocab)
    if news:  # a byline is no heading ("Natalie Wong in Lanzhou")
        blocks = [b for b in blocks if not vocab.byline.fullmatch(b.text.strip())]
        headings = [h for h in headings if not vocab.byline.fullmatch(h.text.strip())]
    layout = _read(blocks, vocab, corrections, doc_id, headings, news)
    _without_final_clauses(layout, vocab)
    # Else the count the title or a later paragraph states ("..., agree to co-operate in six
    # key areas", "... to take forward the above six areas").
    for block in blocks if layout.stated is None else []:
        m = vocab.area_count.search(block.text)
        if m:
            layout.stated = vocab.number(m.group("n"))
            break
    return layout


def _agenda(blocks: list[Block], vocab: Vocabulary) -> list[Block]:
    """A meeting's record ("Summary record of the Sixth Meeting" among its first lines):
    its numbered lines that are no sentences are items of its agenda ("1. Review of
    progress"), as "Item 1." marks them."""
    if not any(vocab.minutes_title.search(b.text) for b in blocks[:_RECORD_TITLE_LINES]):
        return blocks
    return [
        dataclasses.replace(b, marker="agenda")
        if b.marker == "number" and is_heading(b, vocab)
        else b
        for b in blocks
    ]


_RECORD_TITLE_LINES = 3


def _without_final_clauses(layout: Layout, vocab: Vocabulary) -> None:
    """An agreement's clauses about itself ("The Parties will review this Arrangement every
    two years") are its administration, no commitment; an area only they filled goes too."""
    about = vocab.about_itself
    kept = [(b, a) for b, a in layout.commitments if not about.search(b.text)]
    if len(kept) == len(layout.commitments):
        return
    emptied = {a for _, a in layout.commitments} - {a for _, a in kept}
    layout.commitments = kept
    layout.areas = [a for a in layout.areas if a.label not in emptied]


def _news_story(text: str, vocab: Vocabulary) -> bool:
    """Whether a text is a newspaper's story: a byline in its first lines, or a credit line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # A byline may share its line with the paper's name and the time: "By X in Y | Paper |
    # Updated: ...".
    parts = [part.strip() for line in lines[:_BYLINE_LINES] for part in line.split("|")]
    return any(vocab.byline.fullmatch(part) for part in parts) or any(
        _CREDIT.match(line) for line in lines
    )


_BYLINE_LINES = 8  # a title, a standfirst, section labels, then the byline
_CREDIT = re.compile(
    r"(?:Additional\s+|With\s+)?[Rr]eporting\s+by\s|Contact\s+the\s+writers?\s+at\s"
)


def _read(
    blocks: list[Block],
    vocab: Vocabulary,
    corrections: list[Correction],
    doc_id: str,
    headings: list[Block],
    news: bool = False,
) -> Layout:
    """The areas under headings when there are headings (after a lead-in, or two or more);
    else areas led in prose; else a list's items; else a report's paragraphs of what a side
    will do; else the one heading there is. A news story's headings are crossheads: areas
    only after a lead-in that announces them."""
    layout = Layout(headings=headings)

    def ends(block: Block) -> bool:
        return ends_section(block, vocab)

    asked = asked_areas(blocks, vocab)
    if asked is not None:  # a fact sheet of questions and answers
        out = Layout(headings=layout.headings)
        out.areas, out.commitments, out.stated, _, out.end = asked
        return out
    table = measures_table(blocks, vocab)
    if table is not None:  # "| Area | Measure | Lead |"
        table.headings = layout.headings
        return table
    anchored = _anchored_heading(blocks, vocab)
    first_heading = anchored if anchored is not None else _first_heading(blocks, vocab)
    if news and anchored is None:
        first_heading = None
        layout = Layout()
    if first_heading is not None:
        headed = _headed(blocks, vocab, corrections, doc_id, first_heading, layout)
        filled = {area for _, area in headed.commitments if area is not None}
        if (anchored is not None and filled) or len(filled) >= 2:
            return headed  # (a title and a standfirst are two headings with one paragraph)
    prose = led_areas(blocks, vocab, ends, named_areas(blocks, _first_count(blocks, vocab)))
    if prose is not None:
        out = Layout(headings=layout.headings)
        out.areas, out.commitments, first, out.end = prose
        out.stated = _count_before(blocks, first, vocab)
        return out
    items = listed(blocks, vocab, Layout(headings=layout.headings))
    if items.commitments:
        return items
    opened = opened_areas(blocks, items.areas, vocab, ends) if items.areas else None
    if opened is not None:
        items.commitments, items.end = opened
        return items
    report = reported(blocks, vocab, lambda b: signs(b, vocab), least=1)
    if report is not None and len(report[0]) < 2 and (items.areas or first_heading is not None):
        report = None  # one commitment alone only in a release of that one
    if report is not None:
        items.commitments, items.end = report
        lead = lone_lead([b for b, _ in items.commitments], vocab)
        if lead is not None:
            items.areas = [Area(lead.text, False, lead)]
            items.commitments = [(b, lead.text) for b, _ in items.commitments]
        return items
    # A section that ended before its areas ("KEY OUTCOMES", then the co-chairs, then "Area
    # 1: ..."): the areas under a later heading, when two or more of them hold commitments.
    later = _later_headed(blocks, vocab, corrections, doc_id, first_heading, layout.headings)
    if later is not None and not news:
        return later
    # One heading, not the standfirst under the title: an area all the same.
    if first_heading is not None and first_heading > 1 and not news:
        return _headed(
            blocks, vocab, corrections, doc_id, first_heading, Layout(headings=layout.headings)
        )
    return items


def _first_count(blocks: list[Block], vocab: Vocabulary) -> int | None:
    """The number of areas the text first states ("in four areas"), if any."""
    for block in blocks:
        m = vocab.area_count.search(block.text)
        if m:
            return vocab.number(m.group("n"))
    return None


_RETRIES = 3
_PROMISE = re.compile(r"\b(?:will|shall|agreed|agree|agrees)\b")


def _later_headed(
    blocks: list[Block],
    vocab: Vocabulary,
    corrections: list[Correction],
    doc_id: str,
    first: int | None,
    headings: list[Block],
) -> Layout | None:
    at = first
    for _ in range(_RETRIES if first is not None else 0):
        ended = _headed(blocks, vocab, corrections, doc_id, at, Layout(headings=headings)).end
        at = next(
            (
                i
                for i in range(max(ended, at + 1), len(blocks))
                if is_heading(blocks[i], vocab) and not ends_section(blocks[i], vocab)
            ),
            None,
        )
        if at is None:
            return None
        headed = _headed(blocks, vocab, corrections, doc_id, at, Layout(headings=headings))
        if len({area for _, area in headed.commitments if area is not None}) >= 2:
            return headed
    return None


def _anchored_heading(blocks: list[Block], vocab: Vocabulary) -> int | None:
    """The first heading right after a sentence that leads the areas ("... in the following
    six aspects:", "... are set out below:"): after one that counts them first ("... in the
    five areas set out in Articles 2 to 6 below."), an earlier "record the following:" may
    lead a section about the meeting."""
    for leads in (vocab.area_count.search, LEADS.search):
        for i in range(2, len(blocks)):
            lead = blocks[i - 1].text.rstrip()
            # A sentence or a box's count ("4 areas | 10 items"), not a standfirst ("...
            # agrees joint initiatives in four areas; memorandum signed").
            sentence = _ends_sentence(lead) or len(lead.split()) <= _COUNT_LINE_WORDS
            if not leads(lead) or not sentence or FOR_PARTY.fullmatch(lead):
                continue  # "For Create Hong Kong:" heads a signature block, not the areas
            if is_heading(blocks[i], vocab) and not ends_section(blocks[i], vocab):
                return i
    return None


_COUNT_LINE_WORDS = 6


def _first_heading(blocks: list[Block], vocab: Vocabulary) -> int | None:
    """The first heading after the release's first sentence: lines above it are the
    masthead and the title ("Transport and Logistics Bureau", "The Government of the ...")."""
    # Headings that say they are areas ("Area 1 of 3 | Logistics"): the first of them, where
    # a title page's short lines stand before them and no sentence between.
    named = [i for i, b in enumerate(blocks) if _AREA_NUMBER.match(b.text) and is_heading(b, vocab)]
    if len(named) >= 2:
        return named[0]
    story = _first_sentence(blocks)
    return next(
        (
            i
            for i, b in enumerate(blocks)
            # A numbered clause may come first: "Clause 1 Co-productions" under the title.
            if (i > story or (i and _clause_number(b, vocab)))
            and is_heading(b, vocab)
            and not ends_section(b, vocab)
        ),
        None,
    )


_AREA_NUMBER = re.compile(r"(?:Area|Field|Aspect|Domain)\s+(?:\d{1,2}|[IVX]{1,4})\b")


def _clause_number(block: Block, vocab: Vocabulary) -> bool:
    m = vocab.heading_number.match(block.text)
    return m is not None and block.text[: m.end()].split()[0] in ("Article", "Clause")


_SENTENCE_WORDS = 12


def _first_sentence(blocks: list[Block]) -> int:
    """Index of the first paragraph that is prose (a sentence of some length), else 0."""
    return next(
        (
            i
            for i, b in enumerate(blocks)
            if len(b.text.split()) >= _SENTENCE_WORDS and _ends_sentence(b.text)
        ),
        0,
    )


def _ends_sentence(text: str) -> bool:
    """Whether a paragraph ends a sentence: a full stop or a colon, or a post's pictograph
    that stands for one ("... in three areas 👇")."""
    end = text.rstrip()
    if end.endswith((".", ":")):
        return True
    return (bool(end) and unicodedata.category(end[-1]) == "So") or end.endswith("\ufe0f")


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
    # A signing reported under a heading that another area heading follows is progress
    # ("The two sides signed the Agreement on ... in 2022 and have since ..."), not the
    # signing section.
    later = [i for i, b in enumerate(blocks) if is_heading(b, vocab) and not ends_section(b, vocab)]
    end = next(
        (
            i
            for i in range(start, len(blocks))
            if ends_section(blocks[i], vocab)
            and not (
                not is_heading(blocks[i], vocab)
                and signs(blocks[i], vocab)
                and not vocab.honorific.search(blocks[i].text)
                and vocab.earlier_after.search(blocks[i].text) is not None
                and any(h > i for h in later)
            )
        ),
        len(blocks),
    )
    layout.end = end
    zone = blocks[start:end]
    anchors = _anchor(zone, corrections, doc_id, vocab)
    headings = [b for b in zone if is_heading(b, vocab)]
    # A heading that recurs under each area ("Achievements:", "Work for the coming year:")
    # labels a part of the area, not an area: an area is named once.
    keys = Counter(name_key(b.text) for b in headings)
    sub = {key for key, n in keys.items() if n > 1}
    headings = [b for b in headings if name_key(b.text) not in sub]
    gaps = _lost_heading_gaps(zone, anchors, vocab)
    missing = (layout.stated or 0) - len(headings) - len(anchors)
    use_gaps = missing > 0 and len(gaps) == missing

    area: str | None = None
    itemised: str | None = None  # the last area whose commitments are list items
    for k, block in enumerate(zone):
        if is_heading(block, vocab) and name_key(block.text) in sub:
            continue
        if _number_line(block, vocab) and k + 1 < len(zone) and is_heading(zone[k + 1], vocab):
            continue  # "Article 2" on a line of its own: the next line is the label
        if is_heading(block, vocab):
            span = heading_span(block)
            area = strip_number(re.sub(r"\s+", " ", span.text), vocab)
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
        if block.marker is not None:
            itemised = area
        elif itemised == area and area is not None and not _PROMISE.search(block.text):
            continue  # "*My take:* members ..." between an area's items: a comment
        layout.commitments.append((block, area))
    _drop_trailing_headings(layout)
    _beyond_count(layout)
    return layout


_NUMBER_LINE = re.compile(r"[A-Z][a-z]+\s+(?:\d{1,2}|[IVX]{1,4}|[A-H])[.:]?")


def _number_line(block: Block, vocab: Vocabulary) -> bool:
    """A line that is only a heading's number ("Article 2", "Part III")."""
    m = _NUMBER_LINE.fullmatch(block.text.strip())
    return m is not None and vocab.heading_number.match(block.text + " X") is not None


def _beyond_count(layout: Layout) -> None:
    """Headings past the number of areas the text states, after them ("the five areas set
    out in Articles 2 to 6", then "Article 7 Implementation", "Article 8 Final Provisions"):
    sections of the document, not areas; what they hold is no commitment."""
    headed = [a for a in layout.areas if a.heading_in_text and a.correction is None]
    if not layout.stated or len(headed) <= layout.stated or len(headed) != len(layout.areas):
        return
    used = {a for _, a in layout.commitments}
    filled = [a for a in headed if a.label in used]  # a plan's title above the areas is empty
    if len(filled) < layout.stated:
        return
    kept = {a.label for a in filled[: layout.stated]}
    layout.areas = filled[: layout.stated]
    layout.commitments = [(b, a) for b, a in layout.commitments if a in kept]


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
