"""Headings of areas and the bounds of the areas section: what a heading looks like (short,
or a long gerund phrase; numbered or not; wrapped over two lines), what leads a list, and
what ends the section (a signing, the attendance list)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from kg.extract.segment import Block, make_span
from kg.extract.signature import FOR_PARTY, SIGNING_LINE
from kg.extract.vocab import Vocabulary
from kg.model import Area, Span

_MAX_HEADING_WORDS = 12
# "Strengthening co-operation in innovation and technology and the transformation of
# scientific and technological achievements": a heading led by a gerund may run longer.
_MAX_GERUND_HEADING_WORDS = 20
# ... and one in title case longer still ("Deepening Economic and Trade Co-operation and
# Supporting Guizhou Enterprises in Making Use of Macao as a Platform for Reaching ..."):
# a sentence that long is not written with every word capitalised.
_MAX_TITLE_CASE_HEADING_WORDS = 30
_SMALL_WORDS = frozenset(
    {"of", "and", "in", "for", "on", "the", "to", "with", "a", "an", "as", "at", "by"}
)
_MAX_LEADIN_WORDS = 8  # a longer line ending in ":" is a clause
# With their full-width forms, as a translation from Chinese keeps them ("... laboratory。").
_NOT_HEADING_END = (".", ";", ",", "!", "?", '"', "”", "。", "；", "，", "！", "？")
# A heading line that ends in one of these words was wrapped ("... Joint Exploration of" /
# "Markets in South and Southeast Asia").
_OPEN_ENDS = frozenset({"of", "and", "in", "for", "on", "the", "to", "with", "&", "at", "by"})
# A heading line shorter than this was not wrapped ("Tourism" then "Culture" are two).
_MIN_WRAPPED_WORDS = 5
_SENTENCE_INSIDE = re.compile(r"[.;!?]\s+[A-Z]")


@dataclass
class Layout:
    """What the areas section of a release holds."""

    stated: int | None = None
    areas: list[Area] = field(default_factory=list)
    commitments: list[tuple[Block, str | None]] = field(default_factory=list)
    headings: list[Block] = field(default_factory=list)  # headings in the text, any section
    end: int | None = None  # index (in the paragraphs) where the areas section ends


_FACT = re.compile(r":\s*\d")
_DOCUMENTS = re.compile(r"\bdocuments\b", re.IGNORECASE)


def is_heading(block: Block, vocab: Vocabulary, max_words: int | None = None) -> bool:
    """A short line without final punctuation that does not start with an action verb."""
    text = block.text
    number = vocab.heading_number.match(text)
    if number is not None and number.end() < len(text):
        text = text[number.end() :]  # "01 | Finance": the label is what counts
    words = text.split()
    if block.marker == "bullet" or not words or len(words) > (max_words or _max_words(text, words)):
        return False
    if not text[0].isupper() or text.endswith(_NOT_HEADING_END):
        return False
    if " ".join(words).rstrip(":").rstrip().casefold() in vocab.genre_labels:
        return False  # "Reply:" labels the answer that holds the areas
    if vocab.boilerplate_heading.fullmatch(text):
        return False  # "About HKSTP": the body's boilerplate
    if vocab.distribution_line.fullmatch(text):
        return False  # "Sent to: General Office of ...": a circular's distribution
    if block.marker == "agenda":
        return False  # "Item 3: Agreed actions": the agenda of a meeting's minutes
    if FOR_PARTY.fullmatch(text):
        return False  # "For the Hospital Authority:" opens a signature block
    if _FACT.search(text):
        return False  # "Areas of co-operation: 4    Actions agreed: 10" is a fact line
    if _SENTENCE_INSIDE.search(text) or "\t" in text:
        return False  # a tab inside a line separates a table's cells
    if text.endswith(":") and is_leadin(text, vocab):
        return False  # "The two sides agreed to:" leads a list; "Financial services:" heads an area
    if text.endswith((" –", " —")):
        return False  # "Finance: the two sides agreed to –" leads a list too
    if vocab.verbs.get(words[0].lower()) == words[0].lower():
        return False  # "Promote exchanges" is a commitment, however short
    if any(
        w == "to" and v[:1].islower() and v.capitalize() not in vocab.stopwords
        for w, v in itertools.pairwise(words)
    ):
        return False  # "Xuzhou to encourage exporters ...": an action (a heading says "to Promote")
    return vocab.honorific.search(text) is None


def _max_words(text: str, words: list[str]) -> int:
    """A heading led by a gerund, or one wrapped over two lines, may run longer."""
    lead = words[1] if words[0].lower().endswith("ly") and len(words) > 1 else words[0]
    gerund = lead.lower().endswith("ing") and lead[:1].isalpha()
    if gerund and _title_case(words):
        return _MAX_TITLE_CASE_HEADING_WORDS
    return _MAX_GERUND_HEADING_WORDS if gerund or "\n" in text else _MAX_HEADING_WORDS


def _title_case(words: list[str]) -> bool:
    """Whether every word but the small ones starts with a capital (or a digit)."""
    big = [w for w in words if w.lower() not in _SMALL_WORDS]
    return all(w[:1].isupper() or w[:1].isdigit() or w[:1] in "\"“'‘(" for w in big)


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
    words = joined.text.split()
    longest = max(_MAX_GERUND_HEADING_WORDS, _max_words(joined.text, words))
    if not is_heading(joined, vocab, longest) or not is_heading(nxt, vocab):
        return False
    if block.text.split()[-1].lower() in _OPEN_ENDS:
        return True
    if len(nxt.text.split()) > 2 or len(block.text.split()) < _MIN_WRAPPED_WORDS:
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


def ends_section(block: Block, vocab: Vocabulary) -> bool:
    """The signing section, the attendance list, the signature blocks or the dateline
    closes the areas."""
    text = block.text
    if FOR_PARTY.fullmatch(text) or SIGNING_LINE.match(text):
        return True
    if is_heading(block, vocab):
        if text.rstrip(":").strip().casefold() in vocab.closing_headings:
            return True  # "Next Steps": the mechanism's follow-up, after the areas
        heads = vocab.words("signing_heading_words")
        return any(re.search(rf"\b{re.escape(w)}\b", text, re.IGNORECASE) for w in heads)
    return signs(block, vocab) or vocab.honorific.search(text) is not None


# "will develop ...", not "will sign" or "will be exchanged": the promise of another deed.
_PROMISE = re.compile(
    r"\b(?:will|shall)\s+(?:(?:also|jointly|further|now)\s+)?"
    r"(?!(?:be\s+)?(?:sign|exchang|ink|enter))[a-z]+",
    re.IGNORECASE,
)


def signs(block: Block, vocab: Vocabulary) -> bool:
    """A paragraph that reports a signing: a signing word with a quoted or named document
    ("signed the Memorandum on ...", "a co-operation agreement ... was signed") or with its
    witnesses ("witnessed by A and B, ... signed three documents:"); not a commitment to
    promote signings ("Promote the signing of ..."), nor one that names a document signed
    in passing ("A and B will set up a laboratory, following a memorandum exchanged by the
    two universities at the Dialogue")."""
    text = block.text
    sign = vocab.sign.search(text)
    if sign is None or vocab.verbs.get(text.split()[0].lower()):
        return False
    promise = _PROMISE.search(text, 0, sign.start())
    if promise is not None and not _SENTENCE_INSIDE.search(text, promise.end(), sign.start()):
        return False
    return bool(
        re.search(r"[\"“]", text)
        or vocab.witness.search(text)
        or vocab.document_noun.search(text)
        or _DOCUMENTS.search(text)  # "The following documents were signed:"
    )


def strip_number(label: str, vocab: Vocabulary) -> str:
    """The label without what numbers the heading ("1.", "(1)", "Area 1 –")."""
    m = vocab.heading_number.match(label)
    return label[m.end() :] if m and m.end() < len(label) else label
