"""Commitments: each paragraph of an area, its leading action verbs and the bodies it names."""

from __future__ import annotations

import re

from kg.extract.mention import Mention
from kg.extract.partners import partnership_finder
from kg.extract.segment import Block
from kg.extract.vocab import Vocabulary
from kg.model import Commitment

# Clause boundaries inside a commitment paragraph: a new clause may start a new verb.
_CLAUSE = re.compile(r"[;.]\s+|,\s+(?:and\s+)?|\s+and\s+|\s+as\s+well\s+as\s+")
_LONGEST_VERB = 3  # words in the longest multi-word verb ("take forward", "carry out")


def leading_verbs(text: str, vocab: Vocabulary, places: re.Pattern[str]) -> list[str]:
    """The base forms of the verbs that start the clauses, capitalised, unique, in order."""
    verbs: list[str] = []
    after_ing = False
    for clause in _CLAUSE.split(text):
        verb, after_ing = _leading_verb(clause, vocab, places, after_ing)
        verb = verb or _modal_verb(clause, vocab)
        if verb and verb not in verbs:
            verbs.append(verb)
    return verbs


def _leading_verb(
    clause: str, vocab: Vocabulary, places: re.Pattern[str], after_ing: bool
) -> tuple[str | None, bool]:
    """The clause's leading verb, and whether it was an -ing form (so that "continue
    promoting and deepening" reads "deepening" as a verb too)."""
    rest, skipped, continued = clause.strip(), None, False
    # Skip a subject ("Chongqing", "both sides") and adverbs ("fully", "continue to").
    while rest:
        m = places.match(rest)
        if m:
            rest, skipped = rest[m.end() :].lstrip(), "place"
            continue
        head, _, tail = re.sub(r"\s+", " ", rest, count=1).partition(" ")
        low = head.lower()
        if low in vocab.fillers or (low == "to" and skipped == "filler"):
            continued = continued or low.startswith("continu")
            rest, skipped = tail.lstrip(), "filler"
            continue
        break
    words = rest.split()[: _LONGEST_VERB + 1]
    # After a subject, a capitalised word starts a name ("the Chongqing Share ..."), not a verb.
    if not words or (skipped and not words[0][:1].islower()):
        return None, False
    for n in range(min(len(words), _LONGEST_VERB), 0, -1):
        phrase = " ".join(w.strip(",;.:").lower() for w in words[:n])
        base = vocab.verbs.get(phrase)
        if not base:
            continue
        ing = phrase.split()[0].endswith("ing") and not base.split()[0].endswith("ing")
        # "sharing of achievements" names a thing; an -ing verb needs "continue" before it.
        if ing and ((n < len(words) and words[n].lower() == "of") or not (continued or after_ing)):
            return None, False
        return base[:1].upper() + base[1:], ing
    return None, False


# A clause whose subject is named ("the Hospital Authority agreed to ...", "Both sides will
# ..."), not one that hangs on another ("so that enterprises will benefit").
_SUBJECT = re.compile(r"(?-i:[A-Z])|(?:the|both|each|all)\s", re.IGNORECASE)


def _modal_verb(clause: str, vocab: Vocabulary) -> str | None:
    """The verb a named subject will do or agreed to do ("the Nanning Municipal Bureau of
    Commerce will jointly organise", "agreed to exchange"), in its base form, capitalised."""
    clause = clause.strip()
    m = vocab.modal_verb.search(clause) if _SUBJECT.match(clause) else None
    if m is None:
        return None
    words = clause[m.start("verb") :].split()[:_LONGEST_VERB]
    for n in range(len(words), 0, -1):
        base = vocab.verbs.get(" ".join(w.strip(",;.:").lower() for w in words[:n]))
        if base:
            break
    else:
        base = m.group("verb").lower()
    return base[:1].upper() + base[1:]


def build_commitments(
    paragraphs: list[tuple[Block, str | None]],
    mentions: list[Mention],
    vocab: Vocabulary,
    places: re.Pattern[str],
) -> list[Commitment]:
    out = []
    partners = partnership_finder(vocab)
    for block, area in paragraphs:
        span = block.span
        inside = [m for m in mentions if span.start <= m.span.start < span.end]
        out.append(
            Commitment(
                area=area,
                span=span,
                verbs=leading_verbs(span.text, vocab, places),
                bodies=list(dict.fromkeys(m.label for m in inside)),
                partnerships=partners.find(span, inside, places),
            )
        )
    return out
