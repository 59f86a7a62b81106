"""Split a document's text into paragraphs and sentences with exact offsets."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Collection
from dataclasses import dataclass

from kg.extract.scan import is_word
from kg.extract.vocab import Vocabulary
from kg.model import Span
from kg.registry import name_key

# Whitespace as copied from web pages: NBSP, ideographic space, zero-width characters.
_EDGE = set(" \t\r\n\f\v\u00a0\u2000\u2001\u2002\u2003\u2009\u200a\u200b\u3000\ufeff")
# A line that ends a sentence or a clause: final punctuation, then closing quotes or brackets.
_TERMINAL = re.compile(r"[.!?:;][\"”’)\]]*$")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*(?=\s+[\"“(]?[A-Z0-9])")
# A repeated run shorter than this many words might be a legitimately repeated line.
_REPEAT_WORDS = 20


@dataclass(frozen=True)
class Block:
    """One paragraph: its trimmed span, where it starts, and what stood before it."""

    span: Span
    line: int  # 1-based line of its first character
    blank_before: int  # blank lines between it and the previous paragraph
    # "bullet", "number" ("1.", "(2)"), "letter" ("(a)", "iv)") or "agenda" ("Item 3:")
    # when it began with a list marker: a list lettered (a), (b) under "(1)" ends at "(2)".
    marker: str | None = None
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


def cells(blocks: list[Block]) -> list[Block]:
    """`blocks` with each row of a table turned into text ("Trade<TAB>Organise a fair<TAB>
    HKTDC") split into its cells, and so each line of columns aligned with spaces (two
    signature blocks side by side): a name never runs on from one cell into the next."""
    out: list[Block] = []
    for block in blocks:
        # Looked for by `in` first: the pattern tries every place of a 5 MB line (0.2 s).
        if "\t" not in block.text and "   " not in block.text:
            out.append(block)
            continue
        text, base = block.text, block.span.start
        bounds = [(m.start(), m.end()) for m in _COLUMN_GAP.finditer(text)]
        if "   " in text and _SPACE_GAP.search(text):
            # Columns aligned with spaces: each line's cells, never joined to the next line's.
            bounds += [(m.start(), m.end()) for m in re.finditer(r"\n", text)]
        at = 0
        for gap_start, gap_end in [*sorted(bounds), (len(text), len(text))]:
            start, stop = trim(text, at, gap_start)
            if start < stop:
                span = Span(base + start, base + stop, text[start:stop])
                out.append(Block(span, block.line, block.blank_before, block.marker, block.chrome))
            at = max(at, gap_end)
    return out


# A tab, or a run of three spaces or more inside a line: a gap between columns. (The
# lookahead first: the engine then skips to the next space or tab at C speed, twice as fast
# on a 5 MB line.)
_SPACE_GAP = re.compile(r"(?= )(?<=\S)[ ]{3,}(?=\S)")
_COLUMN_GAP = re.compile(r"(?=[\t ])(?:\t+[ \t]*|(?<=\S)[ ]{3,}(?=\S))")


def segment(text: str, vocab: Vocabulary, joins: Collection[int] = ()) -> list[Block]:
    """Paragraphs of `text` (one per line, hard-wrapped lines joined), chrome flagged, and a
    body printed twice read once.

    A line continues the paragraph above it when it starts in lower case after a line that
    does not end a sentence, or, in a hard-wrapped text, when its first word would not have
    fitted on the line above (so the line above was broken by the wrapping, not by its
    author), or after a line break that `joins` holds (kg.extract.reading: a word broken at
    the line's end, made whole). A joined paragraph's span runs across the line breaks: its
    text is still exactly `text[start:end]`.
    """
    joins = set(joins)
    lines = _lines(text)
    width = _wrap_width(text, lines, vocab)
    spaced = width is not None and _blank_separated(text, lines)
    blocks: list[Block] = []
    blank = 0
    prev_line: tuple[int, int, int] | None = None  # (raw start, content start, end)
    tail = False  # past "Related news": the rest is the site's furniture
    for number, (raw, start, end) in enumerate(lines, start=1):
        start, end = trim(text, start, end)
        if start == end:
            blank += 1
            prev_line = None
            continue
        # Never the first line: a page's title does not end its text.
        if tail or (blocks and vocab.chrome_tail.fullmatch(text, start, end)):
            tail = True
            blocks.append(Block(Span(start, end, text[start:end]), number, blank, None, True))
            blank, prev_line = 0, (raw, start, end)
            continue
        marker = None
        m = vocab.marker.match(text, start, end)
        if m and vocab.chrome.fullmatch(text, start, end):
            m = None  # "- 1 -": a page's number, not an item marked "-"
        if m and m.end() < end:
            digits = any(c.isdigit() for c in m.group())
            marker = "bullet" if m.group("bullet") else "number" if digits else "letter"
            if vocab.agenda_item.match(text, start, end):
                marker = "agenda"  # "Item 3: Agreed actions": a numbered item of minutes
            start, end = trim(text, m.end(), end)
        bare = _unmark(text, start, end, vocab)
        if marker == "bullet" and bare[0] - start >= 2 and text[start] in "*_":
            marker = None  # "- **Food trade**": a bold label in a list heads what is under it
        start, end = bare
        prev = blocks[-1] if blocks else None
        chrome = vocab.chrome.fullmatch(text, start, end) is not None or _translation(
            text, start, end
        )
        if (
            prev is not None
            and prev_line is not None
            and blank == 0
            and marker is None
            and not chrome
            and not prev.chrome
            and (
                raw - 1 in joins
                or _continues(text, prev, prev_line, (raw, start, end), width, spaced, blocks)
            )
        ):
            blocks[-1] = Block(
                make_span(text, prev.span.start, end), prev.line, prev.blank_before, prev.marker
            )
            prev_line = (raw, start, end)
            continue
        blocks.append(Block(Span(start, end, text[start:end]), number, blank, marker, chrome))
        blank = 0
        prev_line = (raw, start, end)
    return drop_repeats(blocks)


def _unmark(text: str, start: int, end: int, vocab: Vocabulary) -> tuple[int, int]:
    """A line without the marks of a page copied as Markdown ("## Headline", "**Finance**"),
    which are not the document's words."""
    m = vocab.markup_prefix.match(text, start, end)
    if m and m.end() < end:
        start = m.end()
    for opens, closes in vocab.raw.get("markup_pairs") or []:
        if text.startswith(opens, start) and text.endswith(closes, 0, end) and end - start > 2:
            return trim(text, start + len(opens), end - len(closes))
    for wrap in vocab.words("markup_wraps"):
        n = len(wrap)
        inner = text[start + n : end - n]
        # "******" is a separator line, not emphasis around nothing.
        if text.startswith(wrap, start) and text.endswith(wrap, 0, end) and _WORD.search(inner):
            return trim(text, start + n, end - n)
    return start, end


_WORD = re.compile(r"[^\W_]")  # a letter or digit
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_LETTER = re.compile(r"[^\W\d_]")
_LETTER_WINDOW = 100


def _translation(text: str, start: int, end: int) -> bool:
    """A line mostly in Chinese characters: a bilingual page's translation of the English
    line before it (or its Chinese furniture), not the English text the extractor reads."""
    cjk = len(_CJK.findall(text, start, end))
    if not cjk:
        return False  # most lines: their letters need not be counted
    # Twice as many letters at its start already: not mostly Chinese (a long line of
    # English is not counted through).
    window = min(end, start + 4 * cjk + _LETTER_WINDOW)
    if len(_LETTER.findall(text, start, window)) >= 2 * cjk:
        return False
    return cjk * 2 > len(_LETTER.findall(text, start, end))


_WRAP_MAX = 100  # a text whose lines are longer than this is not hard-wrapped
_COLUMNS = "   "  # inside a line, the gap between columns
_WRAP_MIN = 40  # nor one whose lines are all shorter than this
_WRAP_MIN_LINES = 6
_FIRST_WORD = re.compile(r"\S+")
# Words after which no paragraph ends: an article, "of", an honorific.
_DANGLING = re.compile(r"(?<![\w'’-])(?:the|a|an|of|Mr|Ms|Mrs|Miss|Madam|Dr|Professor|Prof)$")


def _lines(text: str) -> list[tuple[int, int, int]]:
    """(start, start, end) of each line, without its line break (LF, CRLF, CR, ...)."""
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        content = len(line.rstrip("\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85"))
        out.append((pos, pos, pos + content))
        pos += len(line)
    return out


def _visible(text: str, start: int, end: int) -> int:
    """The printed width of a line: its length without trailing whitespace."""
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return end - start


def _wrap_width(text: str, lines: list[tuple[int, int, int]], vocab: Vocabulary) -> int | None:
    """The column a hard-wrapped text was wrapped at (a high percentile of its line
    widths), or None when the text keeps each paragraph on one line.

    A text is hard-wrapped when its lines are at most about 100 characters wide and at least
    three of them, and a quarter of the lines that another line follows, end in mid-sentence
    with the next line's first word too long to have fitted on them."""
    # Not a line set out in columns ("BULLETIN      Issue 7 | May 2026"): no wrapped line
    # holds a run of spaces.
    body = [
        (s, e)
        for _, s, e in lines
        if text[s:e].strip()
        and vocab.chrome.fullmatch(text[s:e].strip()) is None
        and _COLUMNS not in text[s:e].strip()
    ]
    if len(body) < _WRAP_MIN_LINES:
        return None
    widths = sorted(_visible(text, s, e) for s, e in body)
    width = widths[int(0.9 * (len(widths) - 1))]
    if not _WRAP_MIN <= width <= _WRAP_MAX:
        return None
    followed = broken = 0
    for (_, s, e), (_, ns, ne) in itertools.pairwise(lines):
        line, nxt = text[s:e].rstrip(), text[ns:ne].strip()
        if not line.strip() or not nxt:
            continue
        followed += 1
        word = nxt.split()[0]
        if not _TERMINAL.search(line) and len(line) + 1 + len(word) > width:
            broken += 1
    return width if broken >= 3 and broken >= 0.25 * followed else None


def _blank_separated(text: str, lines: list[tuple[int, int, int]]) -> bool:
    """Whether blank lines separate the paragraphs (so a line break alone never does):
    there are at least half as many gaps between paragraphs as lines broken in mid-text."""
    gaps = breaks = 0
    seen_text = blank = False
    for _, s, e in lines:
        if not text[s:e].strip():
            blank = True
            continue
        if seen_text:
            gaps, breaks = gaps + blank, breaks + (not blank)
        seen_text, blank = True, False
    return gaps >= 0.5 * breaks and gaps >= 3


def _continues(
    text: str,
    prev: Block,
    prev_line: tuple[int, int, int],
    line: tuple[int, int, int],
    width: int | None,
    spaced: bool,
    blocks: list[Block],
) -> bool:
    """Whether `line` goes on with the paragraph `prev` whose last line is `prev_line`."""
    _, start, end = line
    ends_sentence = _TERMINAL.search(prev.text) is not None
    if text[start].islower() and not ends_sentence:
        return True  # an author's line break never starts a paragraph in lower case
    if _DANGLING.search(prev.text):
        return True  # nor ends one after "the" or "Mr" ("... the Vice Mayor of Shanghai, Mr")
    if width is None or all(b.chrome for b in blocks[:-1]):
        return False  # not hard-wrapped; or the title line
    if prev.text.endswith(":") or (ends_sentence and not spaced):
        return False
    raw, pstart, pend = prev_line
    indent_prev, indent_here = pstart - raw, start - line[0]
    if indent_here > indent_prev and not spaced:
        return False  # an indented first line starts a paragraph
    word = _FIRST_WORD.match(text, start, end)
    first = len(word.group()) if word else 0
    return _visible(text, raw, pend) + 1 + first > width


def drop_repeats(blocks: list[Block]) -> list[Block]:
    """Remove a run of paragraphs that repeats an earlier run word for word (a body
    printed twice), keeping the first printing."""
    if sum(not b.chrome for b in blocks) < 2:
        return blocks  # nothing to repeat (and a 5 MB paragraph's key is not made)
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
    return list(_sentences(block, honorifics))


# People, documents and statements each read every paragraph's sentences: split once.
@functools.lru_cache(maxsize=4096)
def _sentences(block: Block, honorifics: frozenset[str]) -> tuple[Span, ...]:
    text, base = block.span.text, block.span.start
    spans: list[Span] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        word = _last_word(text, start, m.start())
        # "Mr. Lee" and initials ("J. Lee") do not end a sentence.
        if word and (word in honorifics or len(word) == 1):
            continue
        spans.append(_sub(block, base, start, m.end()))
        start = m.end()
    spans.append(_sub(block, base, start, len(text)))
    return tuple(s for s in spans if s.text)


def _last_word(text: str, start: int, end: int) -> str:
    r"""What `re.search(r"(\w+)$", text[start:end])` finds ("" for nothing), walking back
    over the last word only: the search tries every start of a sentence that runs on."""
    if end > start and text[end - 1] == "\n":
        end -= 1  # `$` matches before a final newline too
    at = end
    while at > start and is_word(text[at - 1]):
        at -= 1
    return text[at:end]


def _sub(block: Block, base: int, start: int, end: int) -> Span:
    text = block.span.text
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return Span(base + start, base + end, text[start:end])
