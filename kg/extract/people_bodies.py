"""Bodies and people read apart: a body's name never holds a person's name or a post.

A body's shape is capitalised words up to a head noun and an "of ..." tail, so where a
release prints the post before the name with no honorific, a shape runs on into the
person ("Hong Kong and Macao Affairs Office of the State Council Huang Liansheng", "Chief
Executive Fanny Lam and CPC Hunan Provincial Committee"), and a post's portfolio reads as
a body ("Administration of the HKSAR Government" in "Chief Secretary for Administration of
the HKSAR Government"). Once people are found, such names are read again without them.
"""

from __future__ import annotations

from kg.extract.bodies import BodyFinder
from kg.extract.mention import Mention, SpanIndex
from kg.extract.people import PersonMention
from kg.extract.people_styles import style_reader
from kg.extract.vocab import Vocabulary
from kg.model import Span


def apart_from_people(
    text: str,
    mentions: list[Mention],
    people: list[PersonMention],
    finder: BodyFinder,
    vocab: Vocabulary,
) -> list[Mention]:
    """`mentions` with each name that swallowed a person's name read again in the pieces
    around it, and each post's portfolio read again from its "of <Body>" on."""
    styles = style_reader(vocab, finder.registry)
    names = SpanIndex((s, s) for s in sorted((p.span for p in people), key=lambda s: s.start))
    kept: list[Mention] = []
    redo: list[Span] = []
    for m in mentions:
        inside = names.overlapping(m.span)
        if inside:
            redo += _pieces(text, m.span, inside)
        elif styles.portfolio_at(text, m.span.start):
            tail = styles.portfolio_tail(m.span.text)
            if tail is not None:
                redo.append(_slice(text, m.span.start + tail, m.span.end))
        else:
            kept.append(m)
    taken = SpanIndex((m.span, m) for m in kept)
    for piece in redo:
        found = [m for m in finder.find(piece.text, piece.start) if taken.free(m.span)]
        for m in found:
            taken.add(m.span, m)
        kept += found
    return sorted(kept, key=lambda m: m.span.start)


def _pieces(text: str, span: Span, names: list[Span]) -> list[Span]:
    """The parts of `span` outside the names it holds."""
    out, start = [], span.start
    for name in names:
        if name.start > start:
            out.append(_slice(text, start, min(name.start, span.end)))
        start = max(start, name.end)
    if start < span.end:
        out.append(_slice(text, start, span.end))
    return out


def _slice(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])
