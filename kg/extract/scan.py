"""Looking back from a position without slicing or searching the text before it.

`re.search(r"...$", text[:pos])` copies the prefix and tries every start in it: run once
per match along a line, that is quadratic in the line's length (a paragraph listing
20,000 names). These helpers walk back from `pos` over the few characters they need.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_APOSTROPHES = "'’"


def is_word(ch: str) -> bool:
    """Whether `ch` is what `\\w` matches in a str pattern (the same Unicode test)."""
    return ch.isalnum() or ch == "_"


def space_before(text: str, pos: int) -> int:
    """Where the whitespace that ends `text[:pos]` starts: `len(text[:pos].rstrip())`."""
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


def run_before(text: str, pos: int, extra: str = _APOSTROPHES + "-") -> int:
    """Where the run of word characters (and `extra`) that ends at `pos` starts."""
    while pos > 0 and (is_word(text[pos - 1]) or text[pos - 1] in extra):
        pos -= 1
    return pos


def capitalised_before(text: str, pos: int, extra: str = _APOSTROPHES + "-") -> bool:
    """Whether `text[:pos].rstrip()` ends with a capitalised word: what
    `re.search(rf"[A-Z][\\w{extra}]*$", text[:pos].rstrip())` tells, looking back only over
    that word (the run after the last capital letter holds no capital letter)."""
    end = space_before(text, pos)
    start = run_before(text, end, extra)
    return any("A" <= ch <= "Z" for ch in text[start:end])


def capitalised_words_before(text: str, pos: int) -> int | None:
    """Where the capitalised words, each followed by spaces, that end `text[:pos]` start:
    what `re.search(r"(?:[A-Z][\\w'’-]*\\s+)+$", text[:pos]).start()` gives (None for no
    match), found walking back a word at a time; the search tries every start in the
    prefix and runs through the words from each, quadratic on a long capitalised run."""
    start = None
    i = pos
    while True:
        j = space_before(text, i)
        if j == i:
            return start  # a word must be followed by spaces
        k = run_before(text, j)
        first = next((q for q in range(k, j) if "A" <= text[q] <= "Z"), None)
        if first is None:
            return start
        start = first
        if first != k:
            return start  # the word starts before its first capital: no earlier word joins
        i = k


_NAME_CHAR = re.compile(r"[\w'’-]")
_SPACES = re.compile(r"\s+")


def find_phrases(text: str, phrases: list[str]) -> list[tuple[int, int]]:
    """The (start, end) of each match of `(?<![\\w'’-])(?:P1|P2|...)(?![\\w'’-])`, every
    phrase's words joined by `\\s+`, as `re.finditer` gives them (leftmost; at one start
    the first phrase of the list that fits), without compiling that pattern: the phrases
    change with each sentence, and compiling one pattern per sentence of a long text costs
    more than the rest of reading it (and evicts every other pattern from re's cache)."""
    by_first: dict[str, list[tuple[int, list[str]]]] = {}
    for rank, phrase in enumerate(phrases):
        words = phrase.split()
        if words:
            by_first.setdefault(words[0], []).append((rank, words))
    starts: dict[int, list[tuple[int, list[str]]]] = {}
    for first, tried in by_first.items():
        at = text.find(first)
        while at != -1:
            if not (at and _NAME_CHAR.match(text, at - 1)):
                starts.setdefault(at, []).extend(tried)
            at = text.find(first, at + 1)
    out: list[tuple[int, int]] = []
    pos = 0
    for at in sorted(starts):
        if at < pos:
            continue
        for _, words in sorted(starts[at], key=lambda t: t[0]):
            end = _phrase_end(text, at, words)
            if end is not None:
                out.append((at, end))
                pos = end
                break
    return out


def _phrase_end(text: str, at: int, words: list[str]) -> int | None:
    # A word holds no space, so `\s+` before it takes every space there: no backtracking.
    for i, word in enumerate(words):
        if i:
            gap = _SPACES.match(text, at)
            if gap is None:
                return None
            at = gap.end()
        if not text.startswith(word, at):
            return None
        at += len(word)
    return None if _NAME_CHAR.match(text, at) else at


NEAR = 400  # characters a `finditer_near` match may reach from its word: a place's name


def finditer_near(
    pattern: re.Pattern[str], text: str, words: tuple[str, ...], reach: int = NEAR
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern whose every match holds one of `words` as
    written, none reaching more than `reach` characters from it (longer matches are not
    found): the pattern is tried only near the words, found by `str.find`. A pattern that
    starts with a capital letter and words tries each capital of the text (0.2 s each on a
    5 MB paragraph of words), where the words it needs are rare."""
    anchors = sorted({at for word in words if word for at in _occurrences(text, word)})
    last = 0
    for at in anchors:
        if at < last:
            continue  # inside the last match
        lo, hi = max(last, at - reach), min(len(text), at + reach)
        while lo <= at:
            near = pattern.search(text, lo, hi)
            if near is None or near.start() > at:
                break  # none here: a later word's window holds it
            # Cut at `hi`, the window may show an end the whole text does not (a lookahead
            # past it): the match is made again on the whole text from its start.
            found = pattern.match(text, near.start())
            if found is not None:
                yield found
                last = max(found.end(), found.start() + 1)
                break
            lo = near.start() + 1


def _occurrences(text: str, word: str) -> Iterator[int]:
    at = text.find(word)
    while at != -1:
        yield at
        at = text.find(word, at + 1)
