"""Partnerships: who a commitment pairs with whom, where its text says so.

Naming bodies in one paragraph does not make them partners: "co-operation between A and B,
and between C and D" pairs A with B and C with D, not all four. The phrasings that state a
pairing are regexes in `patterns.yaml` (`partnerships:`), written over the commitment's text
with each body mention replaced by one token, so that a pattern reads "between {list}" and
needs to know nothing of what a body's name looks like.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from itertools import combinations, product

from kg.extract.mention import Mention
from kg.extract.vocab import Vocabulary, alternation
from kg.model import Partnership, Span

# One body mention in the rewritten text: private-use characters, which no `\w`, `\s` or
# `[a-z]` in a pattern matches (and which the text's own characters are kept from being).
_OPEN, _CLOSE = "\ue000", "\ue001"
# A place name is matched once per text and stands in the patterns as a run of this mark,
# one per character (offsets unchanged): the patterns then compile once per vocabulary, not
# once per set of places (each document's partner adds one), and stay small.
_PLACE = "\ue002"
_OWN = str.maketrans({_OPEN: " ", _CLOSE: " ", _PLACE: " "})
_SLOT = f"{_OPEN}\\d+{_CLOSE}"
_SLOT_RE = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
_FIELD = re.compile(r"\{([a-z_]+)\}")
# What a name may have in brackets after it: its abbreviation ("(HKTDC)", itself a mention
# once the document has defined it) or its Chinese name ("(香港貿易發展局)").
_BRACKET = rf"\s*[(（](?:{_SLOT}|[^()（）\n{_OPEN}{_CLOSE}]{{1,40}})[)）]"


@dataclass
class _Slot:
    """One span of the text that names bodies: usually one, several for a group the text
    qualifies by several places ("Hong Kong and Chongqing universities")."""

    span: Span
    labels: list[str]  # partners only: programmes and events named here are not


class PartnershipFinder:
    """Compiled once per vocabulary."""

    def __init__(self, vocab: Vocabulary) -> None:
        spec = dict(vocab.raw.get("partnerships") or {})
        self.not_partners = set(spec.get("not_partner_kinds") or ())
        fields = {
            key: alternation(list(spec.get(key) or ()), boundary=False)
            for key in (
                "nouns", "joint", "with_verbs", "modals", "adverbs", "mechanisms", "leads",
                "inclusions", "passives", "supports",
            )
        }  # fmt: skip
        stops = alternation(list(spec.get("modifier_stops") or ()), boundary=False)
        # A lower-case word that is no joining word: a list splits at "and" in one way only,
        # so that a failed match cannot backtrack through every way of cutting it.
        word = rf"(?<![\w'’-])(?!(?:{stops})(?![\w-]))[a-z][\w-]*"
        place = f"{_PLACE}+"
        place_list = rf"{place}(?:\s*,\s*{place})*(?:,?\s+and\s+{place})?"
        # "vocational schools, industries and enterprises in the two places": the group's
        # places come after words it is coordinated with.
        qualifier = (
            rf"(?:(?:,\s*(?:and\s+)?|\s+and\s+){word}(?:\s+{word}){{0,2}})*"
            rf"\s+(?:in|of|from)\s+(?:the\s+)?(?:{place_list}|{vocab.sides})(?![\w-])"
        )
        # Each part starts a word: a pattern's search must not start inside one ("he X" of
        # "The X").
        modifier = rf"{word}\s+"
        party = (
            rf"(?<![\w'’-])(?:[Tt]he\s+)?(?:{fields['leads']}\s+(?:the\s+)?)?"
            rf"(?:{place_list}(?:['’]s)?\s+)?"
            rf"(?:{modifier}){{0,2}}{_SLOT}(?:{_BRACKET})?(?:{qualifier})?"
        )
        sep = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+as\s+well\s+as\s+)"
        # "..., including A and B,": examples of the party before them.
        inclusion = rf",?\s+(?:{fields['inclusions']})\s+(?P<sub>{party}(?:{sep}{party})*),?"
        self.inclusion = re.compile(inclusion)
        member = rf"{party}(?:{inclusion.replace('(?P<sub>', '(?:')})?"
        fields["party"] = rf"(?>{party})"
        # Atomic members, a possessive list: a list that fails to fit a pattern is not tried
        # again cut another way (places and qualifiers can be read several ways, and the
        # ways multiply along a long list).
        fields["list"] = rf"(?>{member})(?:{sep}(?>{member}))*+"
        self.patterns = [
            re.compile(_FIELD.sub(lambda m: fields[m.group(1)], p))
            for p in spec.get("patterns") or ()
        ]

    def find(
        self, span: Span, mentions: list[Mention], places: re.Pattern[str]
    ) -> list[Partnership]:
        """The pairings `span`'s text states among `mentions` (those inside it), each with
        the span of the phrase that states it; one per pair, the first in the text.
        `places` matches the names of places."""
        slots = _slots(span, mentions, self.not_partners)
        text, starts, ends = _rewrite(span, slots)
        text = places.sub(lambda m: _PLACE * len(m.group()), text)
        found: dict[tuple[str, str], Partnership] = {}
        for pattern in self.patterns:
            for m in pattern.finditer(text):
                groups = m.groupdict()
                if groups.get("list") is not None:
                    pairs = [
                        p for clique in self._cliques(m, slots) for p in combinations(clique, 2)
                    ]
                else:
                    pairs = list(product(_labels(m, "a", slots), _labels(m, "b", slots)))
                qs, qe = starts[m.start()], ends[m.end() - 1]
                quote = Span(qs, qe, span.text[qs - span.start : qe - span.start])
                for a, b in pairs:
                    if a == b:
                        continue
                    key = (a, b) if a < b else (b, a)
                    old = found.get(key)
                    if old is None or quote.start < old.span.start:
                        found[key] = Partnership(key[0], key[1], quote)
        return sorted(found.values(), key=lambda p: (p.span.start, p.span.end, p.a, p.b))

    def _cliques(self, m: re.Match[str], slots: list[_Slot]) -> list[list[str]]:
        """A list's parties, and apart from them each set of examples it gives ("universities
        of the two places, including A and B": the universities pair, and A with B)."""
        text = m.group("list")
        inner = [(x.start("sub"), x.end("sub")) for x in self.inclusion.finditer(text)]
        outside: list[str] = []
        cliques: list[list[str]] = []
        for s, e in inner:
            cliques.append(_labels_in(text[s:e], slots))
        for token in _SLOT_RE.finditer(text):
            if not any(s <= token.start() < e for s, e in inner):
                for label in slots[int(token.group(1))].labels:
                    if label not in outside:
                        outside.append(label)
        return [outside, *cliques]


def _slots(span: Span, mentions: list[Mention], not_partners: set[str]) -> list[_Slot]:
    """The commitment's mentions, one slot per span of text, in order; a mention that
    overlaps an earlier one is left out (the finders give none, but a slot must be whole)."""
    slots: list[_Slot] = []
    for m in sorted(mentions, key=lambda m: (m.span.start, -m.span.end)):
        if not (span.start <= m.span.start and m.span.end <= span.end):
            continue
        if slots and slots[-1].span == m.span:
            slot = slots[-1]
        elif slots and m.span.start < slots[-1].span.end:
            continue
        else:
            slot = _Slot(m.span, [])
            slots.append(slot)
        if m.kind not in not_partners and m.label not in slot.labels:
            slot.labels.append(m.label)
    return slots


def _rewrite(span: Span, slots: list[_Slot]) -> tuple[str, list[int], list[int]]:
    """The text with each slot as a token, and for each of its characters the source
    offsets where it starts and ends (a token's: its mention's)."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = span.start
    for i, slot in enumerate(slots):
        for k in range(pos, slot.span.start):
            pieces.append(span.text[k - span.start].translate(_OWN))
            starts.append(k)
            ends.append(k + 1)
        token = f"{_OPEN}{i}{_CLOSE}"
        pieces.append(token)
        starts += [slot.span.start] * len(token)
        ends += [slot.span.end] * len(token)
        pos = slot.span.end
    for k in range(pos, span.end):
        pieces.append(span.text[k - span.start].translate(_OWN))
        starts.append(k)
        ends.append(k + 1)
    return "".join(pieces), starts, ends


def _labels(m: re.Match[str], group: str, slots: list[_Slot]) -> list[str]:
    return _labels_in(m.group(group) or "", slots)


def _labels_in(text: str, slots: list[_Slot]) -> list[str]:
    labels: list[str] = []
    for token in _SLOT_RE.finditer(text):
        for label in slots[int(token.group(1))].labels:
            if label not in labels:
                labels.append(label)
    return labels


@functools.cache
def partnership_finder(vocab: Vocabulary) -> PartnershipFinder:
    return PartnershipFinder(vocab)
