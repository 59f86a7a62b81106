"""Areas and commitments of a fact sheet written as questions and answers: one answer lists
the areas after their number ("Q: In which areas ...? A: Five: finance; tourism; ... and
youth exchanges."), and the questions after it take the areas in turn ("What was agreed on
finance?", "And on tourism?", "How will young people benefit?"); what their answers say a
side will do are the commitments."""

from __future__ import annotations

import re

from kg.extract.segment import Block
from kg.extract.vocab import Vocabulary
from kg.model import Area, Span

# "Q:", "Q1.", "Question 3:" before a question; "A:", "A1.", "Answer:" before its answer.
_Q = re.compile(r"(?:Q\d{0,2}|Question\s*\d{0,2})\s*[.:)]\s*")
_A = re.compile(r"(?:A\d{0,2}|Answer\s*\d{0,2})\s*[.:)]\s*")
_MIN_QUESTIONS = 3
_QUESTION_WORDS = 25
# "Five: finance; tourism; and youth exchanges." (";" between the areas, or "," when no
# area holds one).
_COUNTED = re.compile(r"(?P<n>\w+)\s*:\s+(?P<list>.+?)\.?$")
_ITEM_SPLIT = re.compile(r"\s*;\s*(?:and\s+)?")
_PROMISE = re.compile(r"\b(?:will|shall|agreed|agree|agrees)\b")
_COMMA_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


def _question(block: Block) -> bool:
    text = block.text.rstrip()
    return text.endswith("?") and len(text.split()) <= _QUESTION_WORDS


def _answer(block: Block) -> Block:
    """The block without its "A:" mark."""
    m = _A.match(block.text)
    if m is None:
        return block
    start = block.span.start + m.end()
    span = Span(start, block.span.end, block.text[m.end() :])
    return Block(span, block.line, block.blank_before, block.marker, block.chrome)


def asked_areas(
    blocks: list[Block], vocab: Vocabulary
) -> tuple[list[Area], list[tuple[Block, str | None]], int, int, int] | None:
    """The areas, the commitments, the stated count, and where the areas' questions start
    and end; None unless the text is questions and answers that list the areas."""
    questions = [i for i, b in enumerate(blocks) if _question(b)]
    if len(questions) < _MIN_QUESTIONS:
        return None
    nouns = vocab.words("area_count_nouns")
    for q in questions:
        if q + 1 >= len(blocks) or not any(n in blocks[q].text.lower() for n in nouns):
            continue
        listed = _listed(_answer(blocks[q + 1]), vocab)
        if listed is not None:
            areas, stated = listed
            later = [i for i in questions if i > q + 1]
            commitments, end = _answered(blocks, later, areas, vocab)
            if commitments:
                return areas, commitments, stated, q, end
    return None


def _listed(answer: Block, vocab: Vocabulary) -> tuple[list[Area], int] | None:
    m = _COUNTED.match(answer.text)
    n = vocab.number(m.group("n")) if m else None
    if m is None or n is None or n < 2:
        return None
    text, base = answer.text, answer.span.start
    start = m.start("list")
    body = m.group("list")
    splitter = _ITEM_SPLIT if ";" in body else _COMMA_SPLIT
    areas, at = [], start
    for part in splitter.split(body):
        part = part.strip()
        if part.startswith("and "):
            part = part[4:]
        s = text.find(part, at)
        if not part or s < 0:
            return None
        areas.append(Area(part, False, Span(base + s, base + s + len(part), part)))
        at = s + len(part)
    return (areas, n) if len(areas) == n else None


def _answered(
    blocks: list[Block], questions: list[int], areas: list[Area], vocab: Vocabulary
) -> tuple[list[tuple[Block, str | None]], int]:
    """Each question after the list takes the area it names, else the next one in order;
    the questions after the last area's (documents, history, next steps) end the section."""
    commitments: list[tuple[Block, str | None]] = []
    unused = [a.label for a in areas]
    end = len(blocks)
    for k, q in enumerate(questions):
        if not unused:
            end = q
            break
        asked = blocks[q].text.lower()
        label = next((a for a in unused if a.lower() in asked), None)
        if label is None and vocab.sign.search(blocks[q].text):
            end = q
            break
        label = label or unused[0]
        unused.remove(label)
        stop = questions[k + 1] if k + 1 < len(questions) else len(blocks)
        for block in blocks[q + 1 : stop]:
            answer = _answer(block)
            if answer.text.rstrip().endswith(":") or _question(answer):
                continue  # "The two sides agreed to:", "Two things:" lead the items
            if block.marker is None and not _PROMISE.search(answer.text):
                continue  # background before the lead-in ("Kaifeng has a strong base ...")
            commitments.append((answer, label))
    return commitments, end
