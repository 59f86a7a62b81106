"""The text the extractor reads, and the way back to the source's offsets.

A page copied as Markdown is read with its marks blanked (`kg.extract.markdown`: the same
length); a page copied from the web without the invisible characters it may hold (soft
hyphens, "Memo\u00adrandum", zero-width spaces and joiners, word joiners, a byte-order mark
inside the text); a paper copied from its PDF with each word broken at a line's end made
whole ("Treasury Bu-\nreau" is read "Treasury Bureau", "co-\noperation" "co-operation").
Those characters are taken out, not blanked (a blank would split the word they stand in),
so the reading is shorter than the source; every Span found in it is mapped back, and its
quote taken again from the source, so that it is exactly what the document says.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable
from typing import Any, TypeVar

from kg.extract.markdown import unmarked
from kg.extract.vocab import alternation, load_vocabulary
from kg.model import Span

T = TypeVar("T")

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


@dataclasses.dataclass(frozen=True)
class Reading:
    """What the extractor reads (`text`) and, for each place where characters of the
    source were taken out, the offset in `text` where they were (`gaps`, ascending)."""

    text: str
    gaps: tuple[int, ...] = ()
    # Where a line break of the reading stands for a word broken at a line's end (moved to
    # the space before the word made whole): the line after it goes on with the paragraph.
    joins: tuple[int, ...] = ()

    def start(self, at: int) -> int:
        """The source's offset of the character at `at` in the reading."""
        return at + bisect.bisect_right(self.gaps, at)

    def end(self, at: int) -> int:
        """The source's offset just after the character before `at` (a Span's end)."""
        return self.start(at - 1) + 1 if at > 0 else 0


def reading(text: str) -> Reading:
    """`text` as the extractor reads it; `Reading.text` is `text` itself when nothing was
    blanked or taken out."""
    text = unmarked(text)
    broken, moved = _broken_words(text)
    removed = sorted({m.start() for m in _INVISIBLE.finditer(text)} | broken)
    if not removed:
        return Reading(text)
    parts, at = [], 0
    for r in removed:
        parts.append(text[at:r])
        at = r + 1
    parts.append(text[at:])
    read = "".join(parts)
    joins: list[int] = []
    if moved:
        # The line break of a word made whole moves to the space before it: no line grows
        # past the width the text was wrapped at, by which a wrapped paragraph is told from
        # a new one (kg.extract.segment).
        chars = list(read)
        for at in moved:
            k = at - bisect.bisect_left(removed, at)
            if k < len(chars) and chars[k] == " ":
                chars[k] = "\n"
                joins.append(k)
        read = "".join(chars)
    # The k-th removed character stood where the reading's offset removed[k] - k is.
    return Reading(read, tuple(r - k for k, r in enumerate(removed)), tuple(joins))


# A word broken at a line's end: "Bu-", then "reau" on the next line. The hyphen comes
# first, the letter before it looked back at: the search then skips to each hyphen.
_BROKEN = re.compile(r"-(?<=[A-Za-z]-)[ \t]*\r?\n[ \t]*(?=[a-z])")
_LEFT = re.compile(r"[A-Za-z]{1,40}$")
_RIGHT = re.compile(r"[a-z]{1,40}")
_WORDS = re.compile(r"[a-z]+(?:-[a-z]+)*")
_NAME_REACH = 60


def _broken_words(text: str) -> tuple[set[int], list[int]]:
    """The offsets of what joins each word broken at a line's end: the line break (and the
    spaces around it), and the hyphen too unless the word is hyphenated anyway (its first
    part is one of `hyphen_prefixes`, "co-operation", or the text writes it so elsewhere);
    and the offset of the space before each word made whole."""
    breaks = list(_BROKEN.finditer(text))
    if not breaks:
        return set(), []
    after: list[int] = []
    vocab = load_vocabulary()
    prefixes = {w.casefold() for w in vocab.words("hyphen_prefixes")}
    # A name's first words after its honorific ("Ms Shirley Yung "), at the end of a line.
    honoured = re.compile(
        rf"\b{alternation(vocab.words('honorifics'))}\.?\s+(?:[A-Z][\w'’]*\s+){{0,3}}$"
    )
    words: set[str] | None = None  # the text's words, read once if a prefix does not tell
    out: set[int] = set()
    for m in breaks:
        left = _LEFT.search(text, max(0, m.start() - 40), m.start())
        right = _RIGHT.match(text, m.end())
        first = left.group().casefold() if left else ""
        second = right.group() if right else ""
        hyphenated = first in prefixes
        if not hyphenated and left is not None and left.group()[:1].isupper():
            # A capitalised syllable of a name after its honorific ("Ms Shirley Yung Wai-" /
            # "sze"): a given name's hyphen.
            before = text[max(0, left.start() - _NAME_REACH) : left.start()]
            hyphenated = honoured.search(before) is not None
        if not hyphenated:
            words = words if words is not None else set(_WORDS.findall(text.casefold()))
            hyphenated = f"{first}-{second}" in words
        out.update(range(m.start() + 1 if hyphenated else m.start(), m.end()))
        if left is not None and left.start() > 0:
            after.append(left.start() - 1)
    return out, after


def requoted(value: T, text: str, read: Reading | None = None) -> T:
    """`value` with every Span in it (however deep in dataclasses, lists and tuples) quoting
    `text`, its offsets those of `read`'s source when given (else they are `text`'s)."""
    if read is None or not read.gaps:
        return _requote(value, lambda s: Span(s.start, s.end, text[s.start : s.end]))

    def back(span: Span) -> Span:
        start, end = read.start(span.start), read.end(span.end)
        return Span(start, max(start, end), text[start : max(start, end)])

    return _requote(value, back)  # type: ignore[no-any-return]


def _requote(value: Any, span: Callable[[Span], Span]) -> Any:
    if isinstance(value, Span):
        return span(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _requote(getattr(value, f.name), span)
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, list):
        return [_requote(v, span) for v in value]
    if isinstance(value, tuple):
        return tuple(_requote(v, span) for v in value)
    return value
