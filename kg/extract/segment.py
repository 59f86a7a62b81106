"""Split a document's text into paragraphs and sentences with exact offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.vocab import Vocabulary
from kg.model import Span
from kg.registry import name_key

# Whitespace as copied from web pages: NBSP, ideographic space, zero-width characters.
_EDGE = set(" \t\r\n\f\v\u00a0\u2000\u2001\u2002\u2003\u2009\u200a\u200b\u3000\ufeff")
_TERMINAL = tuple('.!?:;"”’)')
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*(?=\s+[\"“(]?[A-Z0-9])")
# A repeated run shorter than this many words might be a legitimately repeated line.
_REPEAT_WORDS = 20


@dataclass(frozen=True)
class Block:
    """One paragraph: its trimmed span, where it starts, and what stood before it."""

    span: Span
    line: int  # 1-based line of its first character
    blank_before: int  # blank lines between it and the previous paragraph
    marker: str | None = None  # "bullet" or "number" when it began with a list marker
    chrome: bool = False  # page furniture ("Go to main content", "Ends/...")

    @property
    def text(self) -> str:
        return self.span.text


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) past whitespace of every kind at both edges."""
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def make_span(text: str, start: int, end: int) -> Span:
    start, end = trim(text, start, end)
    return Span(start, end, text[start:end])


def segment(text: str, vocab: Vocabulary) -> list[Block]:
    """Paragraphs of `text` (one per line, wrapped lines joined), chrome flagged, and a
    body printed twice read once."""
    blocks: list[Block] = []
    blank = 0
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        start, end = trim(text, offset, offset + len(line))
        offset += len(line) + 1
        if start == end:
            blank += 1
            continue
        marker = None
        m = vocab.marker.match(text, start, end)
        if m and m.end() < end:
            marker = "bullet" if m.group("bullet") else "number"
            start, end = trim(text, m.end(), end)
        prev = blocks[-1] if blocks else None
        # A line that starts in lower case continues the previous paragraph (hard wrap).
        if (
            prev is not None
            and blank == 0
            and marker is None
            and text[start].islower()
            and not prev.chrome
            and not prev.text.endswith(_TERMINAL)
        ):
            blocks[-1] = Block(
                make_span(text, prev.span.start, end), prev.line, prev.blank_before, prev.marker
            )
            continue
        chrome = vocab.chrome.fullmatch(text, start, end) is not None
        blocks.append(Block(Span(start, end, text[start:end]), number, blank, marker, chrome))
        blank = 0
    return drop_repeats(blocks)


def drop_repeats(blocks: list[Block]) -> list[Block]:
    """Remove a run of paragraphs that repeats an earlier run word for word (a body
    printed twice), keeping the first printing."""
    keys = [name_key(b.text) if not b.chrome else None for b in blocks]
    first: dict[str, int] = {}
    dropped: set[int] = set()
    k = 0
    while k < len(blocks):
        key = keys[k]
        m = first.get(key) if key is not None else None
        if m is None:
            if key is not None:
                first.setdefault(key, k)
            k += 1
            continue
        run = 0
        while k + run < len(blocks) and m + run < k and keys[k + run] == keys[m + run]:
            run += 1
        words = sum(len(blocks[k + i].text.split()) for i in range(run))
        if run >= 2 or words >= _REPEAT_WORDS:
            dropped.update(range(k, k + run))
            k += run
        else:
            k += 1
    return [b for i, b in enumerate(blocks) if i not in dropped]


def sentences(block: Block, honorifics: frozenset[str] = frozenset()) -> list[Span]:
    """The sentences of a paragraph, as spans of the same text."""
    text, base = block.span.text, block.span.start
    spans: list[Span] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        word = re.search(r"(\w+)$", text[start : m.start()])
        # "Mr. Lee" and initials ("J. Lee") do not end a sentence.
        if word and (word.group(1) in honorifics or len(word.group(1)) == 1):
            continue
        spans.append(_sub(block, base, start, m.end()))
        start = m.end()
    spans.append(_sub(block, base, start, len(text)))
    return [s for s in spans if s.text]


def _sub(block: Block, base: int, start: int, end: int) -> Span:
    text = block.span.text
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return Span(base + start, base + end, text[start:end])
