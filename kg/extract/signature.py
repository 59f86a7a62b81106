"""Signature blocks: "For the Government of X:", "(signed)", the signer's name and post,
each on a line of its own, at the foot of a statement or an agreement.

They name the signers (kg.extract.people), and when they close a text whose title line
names a kind of document ("JOINT DECLARATION ON ...", "Memorandum of Understanding on
..."), the text itself is a document its signers signed (`signed_text`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from kg.extract.segment import Block
from kg.extract.vocab import Vocabulary, alternation
from kg.model import SignedDocument, Span

# "For the Government of the Hong Kong Special Administrative Region", "For and on behalf of
# the People's Government of Shandong Province:": a signature block's party line.
FOR_PARTY = re.compile(r"For\s+(?:and\s+on\s+behalf\s+of\s+)?(?:the\s+)?[A-Z][^.:;]{2,150}:?")
# "(signed)" or "Sgd." where the signature stood, above the signer's name.
_SIGNED_MARK = re.compile(r"[(\[]?(?:signed|sgd\.?)[)\]]?", re.IGNORECASE)
# "Done at Changchun on 12 January 2026, in duplicate ...": the line that dates an agreement's
# own text, after its articles.
SIGNING_LINE = re.compile(r"(?:Signed|Done)\s+(?:at|in)\s+[A-Z]")
_SIGNER_REACH = 3  # lines from the party's line to its signer's name
_TITLE_WORDS = 40


def signature_lines(blocks: Iterable[Block]) -> list[Span]:
    """The lines of the paragraphs that are not page furniture, each a Span of the
    document, trimmed; "(signed)" marks left out. Two blocks printed side by side, their
    columns apart by runs of spaces, are read one column after the other."""
    rows: list[list[Span]] = []
    for block in blocks:
        if block.chrome:
            continue
        at = block.span.start
        for raw in block.text.split("\n"):
            row = [c for c in _cells(raw, at) if not _SIGNED_MARK.fullmatch(c.text)]
            if row:
                rows.append(row)
            at += len(raw) + 1
    out: list[Span] = []
    i = 0
    while i < len(rows):
        # A run of lines of as many columns (two or more): read column by column.
        j = i + 1
        while j < len(rows) and len(rows[j]) == len(rows[i]) > 1:
            j += 1
        run = rows[i:j]
        out += [row[k] for k in range(len(run[0])) for row in run]
        i = j
    return out


_GAP = re.compile(r"(?= )(?<=\S)[ ]{3,}(?=\S)")  # between two columns aligned with spaces


def _cells(raw: str, at: int) -> list[Span]:
    """A line's cells (one, unless runs of spaces part columns), as Spans of the document."""
    if "   " not in raw:  # `in` first: a 5 MB line is quick; and no copies of it
        first = len(raw) - len(raw.lstrip())
        last = len(raw.rstrip())
        return [Span(at + first, at + last, raw[first:last])] if first < last else []
    out = []
    start = 0
    gaps = _GAP.finditer(raw)
    for gap in [*gaps, None]:
        end = gap.start() if gap is not None else len(raw)
        text = raw[start:end].strip()
        if text:
            first = at + start + raw[start:end].index(text[0])
            out.append(Span(first, first + len(text), text))
        if gap is not None:
            start = gap.end()
    return out


def signed_text(
    blocks: list[Block],
    vocab: Vocabulary,
    signers: Iterable[tuple[Span, str]],
    bodies: Callable[[str], list[str]],
) -> SignedDocument | None:
    """The text itself as a signed document: its title line names a kind of document, and
    two or more signature blocks name their signers. `signers` are the people named in
    the text (the span of a name as written, and the person's name); `bodies(text)` the
    bodies a party's line names. None for any other text."""
    lines = signature_lines(blocks)
    if not lines:
        return None
    title = lines[0]
    if (
        len(title.text.split()) > _TITLE_WORDS
        or title.text.endswith(".")
        or not _document_noun(vocab).search(title.text)
    ):
        return None
    named = sorted(signers, key=lambda s: s[0].start)
    doc = SignedDocument(_recased(title.text, vocab), span=title)
    for i, party in enumerate(lines[1:], 1):
        if not FOR_PARTY.fullmatch(party.text):
            continue
        # The first person named on one of the lines below (in reading order: blocks side
        # by side are read column by column, so those lines need not follow in the text).
        reach = lines[i + 1 : i + 1 + _SIGNER_REACH]
        signer = next(
            (name for line in reach for span, name in named if line.start <= span.start < line.end),
            None,
        )
        if signer is None:
            continue
        if signer not in doc.signatories:
            doc.signatories.append(signer)
        doc.parties += [b for b in bodies(party.text) if b not in doc.parties]
    return doc if len(doc.signatories) >= 2 else None


@functools.cache
def _document_noun(vocab: Vocabulary) -> re.Pattern[str]:
    return re.compile(alternation(vocab.words("document_singular_nouns")), re.IGNORECASE)


def _recased(title: str, vocab: Vocabulary) -> str:
    """A title printed in capitals as a title is written: "Joint Declaration on Deepening
    Co-operation between ..." (`title_lower_words` in lower case but the first); any other
    title as it is."""
    if any(c.islower() for c in title):
        return title
    lower = frozenset(vocab.words("title_lower_words"))
    prefixes = frozenset(w.casefold() for w in vocab.words("hyphen_prefixes"))
    out = []
    for i, word in enumerate(title.split(" ")):
        low = word.lower()
        if i and low in lower:
            out.append(low)
            continue
        head, *rest = low.split("-")
        # "Co-operation", "Cross-boundary": lower case after such a prefix, as in print.
        tail = [p if head in prefixes else p[:1].upper() + p[1:] for p in rest]
        out.append("-".join([head[:1].upper() + head[1:], *tail]))
    return " ".join(out)
