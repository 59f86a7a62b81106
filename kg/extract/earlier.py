"""Whether a signing word tells of an earlier signing ("had signed", "the agreement signed
last year", "since the signing of ... in 2023"), not of this meeting's."""

from __future__ import annotations

import functools
import re

from kg.extract.vocab import Vocabulary

# How far after a signing word a mark of an earlier signing may stand ("signed at the First
# Plenary Session held in Zhengzhou in 2019"), in words, within its clause.
_EARLIER_WINDOW = 20  # the signers' names may be long: "by the ... Bureau and the ... in 2022"
# ... and in characters: what is read of a clause, and of the words before a signing word
# ("had been officially"). Bounded, so that a line of thousands of signing words (hostile,
# or garbled) is read in linear time: no real clause or auxiliary comes near.
_CLAUSE_REACH = 1000
_BEFORE_REACH = 200
_ASIDE = re.compile(r"\([^()]{1,80}\)")
_CLAUSE_END = re.compile(r"[,;:.()\"“”]")
_AT_THIS_MEETING = re.compile(r"\s+(?:at|during)\s+(?:the|this|today's)\s+meeting\b")


def earlier_signing(text: str, cue: re.Match[str], vocab: Vocabulary, ordinal: int | None) -> bool:
    """Whether this signing word tells of an earlier signing: "had signed", "the agreement
    signed last year", "signed at the First Plenary Session held in Zhengzhou in 2019", or
    "signed at the first plenary" in a release of another (or an unknown) meeting."""
    # An aside in brackets does not end the clause: "signed by the ... Bureau (CMAB) and
    # the ... Government in November 2022".
    text = _without_asides(text)
    start, end = cue.start(), cue.end()
    stop = _CLAUSE_END.search(text, end, end + _CLAUSE_REACH)
    clause = text[end : stop.start() if stop else min(len(text), end + _CLAUSE_REACH)]
    if _AT_THIS_MEETING.match(clause):
        return False  # "had been signed at the meeting by A and B": this meeting's
    if vocab.earlier_before.search(text, max(0, start - _BEFORE_REACH), start):
        return True
    # "Two years ago, when we met for the First Meeting, we signed the X": a time of the past
    # told before the signing word, with no other signing and no "today" in between.
    if not vocab.sign.search(text, 0, start) and not vocab.current_signing.search(text):
        if vocab.earlier_after.search(text, 0, start):
            return True
        # "At that first meeting, A and B signed ...", in a release of another meeting.
        at = vocab.signed_at_meeting.search(text, 0, start)
        said = vocab.ordinal(at.group("ordinal")) if at else None
        if said is not None and ordinal is not None and said != ordinal:
            return True
    clause = " ".join(clause.split()[:_EARLIER_WINDOW])
    if vocab.earlier_after.search(clause):
        return True
    if vocab.current_signing.search(clause):
        return False
    at = vocab.signed_at_meeting.search(clause)
    said = vocab.ordinal(at.group("ordinal")) if at else None
    return said is not None and said != ordinal


@functools.lru_cache(maxsize=16)
def _without_asides(text: str) -> str:
    """`text` with each aside in brackets blanked (offsets kept): made once per sentence,
    not once per signing word in it."""
    return _ASIDE.sub(lambda m: " " * len(m.group()), text)


def tells_of_signing(text: str, vocab: Vocabulary, ordinal: int | None = None) -> bool:
    """Whether a text tells of a signing at this meeting: a signing word that is not an
    earlier signing's ("The two sides reviewed progress since the signing of the Framework
    Agreement in 2023 and agreed ..." tells of none)."""
    return any(not earlier_signing(text, cue, vocab, ordinal) for cue in vocab.sign.finditer(text))
