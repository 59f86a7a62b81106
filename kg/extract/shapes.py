"""Names the registry lacks, found by their shape: capitalised words that end in a head noun
("... Council", "... Museum", "Bond Connect"), with an "of/for/on ..." tail ("University of
Science and Technology") and, for offices, an "in <place>" tail ("... Office in Chengdu")."""

from __future__ import annotations

import re

from kg.extract.edges import AND_WORDS, POSSESSIVE, NameEdges, Word
from kg.extract.mention import Mention, clean
from kg.extract.vocab import Vocabulary, alternation
from kg.model import Span
from kg.registry import Registry

# A capitalised word; "Kong/Sichuan" is one word; "(Fujian)" or "(Hong Kong)" is one inside a
# name ("China (Fujian) Pilot Free Trade Zone", "Bank of China (Hong Kong) Limited"), never at
# its end ("... Nations (ASEAN)"). "_" is Markdown's italics mark, never part of a name.
_W = r"[A-Z][^\W_]*(?:['’&-][^\W_]*)*"
_WORD = rf"(?:{_W}(?:/{_W})*|\({_W}(?:\s+{_W}){{0,2}}\)(?=\s+[A-Z]))"
# A run's first word is `_WORD` not after a letter, digit or ['’/(-], its first character
# matched before the look back: a pattern that starts with a character class lets the
# engine skip to the next capital or bracket at C speed (half the time on long paragraphs).
_FIRST_WORD = (
    r"[A-Z(](?<!(?:[^\W_]|['’/(-])[A-Z(])"
    r"(?:(?<=[A-Z])[^\W_]*(?:['’&-][^\W_]*)*"  # the rest of a `_W`
    rf"(?:/{_W})*|(?<=\(){_W}(?:\s+{_W}){{0,2}}\)(?=\s+[A-Z]))"
)
_RUN = re.compile(rf"{_FIRST_WORD}(?:\s+(?:(?:of|and|for|on|the|&)\s+)*{_WORD})*")
# "(HKSTP)"; or a short name of two or three of the name's own words ("(Qianhai Authority)").
_ABBR = re.compile(r"\s*\((?P<abbr>[A-Z][A-Za-z&]{1,9}(?:\s+[A-Z][A-Za-z&-]{1,15}){0,2})\)")
# A company's legal suffix after "Co"/"Company": "Co., Ltd.", "Company, Limited".
_COMPANY_SUFFIX = re.compile(r"\.?,?\s+(?:Ltd\.?|Limited)(?![\w'’-])")
_CUE_SPAN = 60  # characters before a name searched for a project cue ("the building of the")
# "Hong Kong Special Administrative Region (HKSAR) Government": the abbreviation is not a word
# of the name.
_INNER_ABBR = re.compile(r"\s*\([A-Z]{2,9}\)(?=\s)")
_NON_SPACE = re.compile(r"\S+")


def _abbreviates(abbr: str, label: str) -> bool:
    """Whether a bracketed form after a name is its short form: one word ("HKSTP"), or words
    that are all words of the name ("Qianhai Authority" after "Authority of Qianhai ...")."""
    words = abbr.split()
    return len(words) == 1 or all(w in label.split() for w in words)


class ShapeReader(NameEdges):
    """Reads names by their shape; learns the abbreviations a document defines for them
    ("Nanning Logistics Council (NLC)")."""

    def __init__(self, registry: Registry, vocab: Vocabulary) -> None:
        super().__init__(registry, vocab)
        self.learned: dict[str, Mention] = {}  # abbreviation -> a mention of its body
        self.hubs = set(vocab.words("hub_heads"))
        cue = r"(?<![\w-]){}\s+(?:of\s+)?(?:the|a|an)\s+$"
        cues = alternation(vocab.words("project_cues"), boundary=False)
        self.project_cue = re.compile(cue.format(cues), re.I)
        founding = alternation(vocab.words("founding_cues"), boundary=False)
        self.founding_cue = re.compile(cue.format(founding), re.I)
        self.hub_words = set(vocab.words("hub_words"))
        self.mechanisms = tuple(vocab.words("mechanism_heads"))
        # The last words of each head ("Joint Conference" of "Co-operation Joint
        # Conference"): a label among them is a mechanism named short.
        self.mechanism_tails = {
            " ".join(words[i:])
            for words in (m.split() for m in self.mechanisms)
            for i in range(1, len(words))
        }
        self.not_bodies = tuple(vocab.words("not_body_names"))
        self.legal_heads = set(vocab.words("legal_heads"))
        self.zones = set(vocab.words("zone_heads"))
        self.zone_parts = set(vocab.words("zone_parts"))
        self.event_regions = set(vocab.words("event_regions"))

    # -- names ---------------------------------------------------------------------------
    def find(self, text: str, base: int, known: set[tuple[int, int]]) -> list[Mention]:
        """Every name of `text` that has a body's shape (`known`: spans of registry names,
        relative to `text`, that a shape must not swallow across "and")."""
        out: list[Mention] = []
        # Once per text, not per name: a list of 20,000 names holds as many known spans.
        spans = dict(known)  # start -> end
        ends = {e for _, e in known}
        for run in _RUN.finditer(text):
            found = _NON_SPACE.finditer(text, run.start(), run.end())
            words = [(m.group(), m.start(), m.end()) for m in found]
            i = 0
            while i < len(words):
                h = next((k for k in range(i, len(words)) if self.head_at(words, k)), None)
                if h is None:
                    break
                h = self._last_head(words, h, spans)
                mention, nxt = self._shape_at(text, base, words, i, h, spans, ends)
                if mention is not None:
                    partner = self._company_before(text, base, words, i, h, mention)
                    out += [partner, mention] if partner else [mention]
                i = nxt
        return out

    def _company_before(
        self, text: str, base: int, words: list[Word], i: int, h: int, mention: Mention
    ) -> Mention | None:
        """The name before "and" that a company's whole name follows: "Cathay and Air Macau
        Company Limited" names Cathay as a company too (one to three capitalised words, no
        place, no head noun: the company after "and" says what it is)."""
        k = next((q for q in range(i, h) if words[q][1] + base == mention.span.start), None)
        if k is None or k - 1 <= i or not self._company_after(words, k - 1, h):
            return None
        run = words[i : k - 1]
        while run and (run[0][0] in self.vocab.stopwords or run[0][0].lower() in self.vocab.verbs):
            run = run[1:]
        if not 1 <= len(run) <= 3 or not all(
            self.plain(w) and not self._head(w) and w not in self.learned for w, _, _ in run
        ):
            return None
        s, e = run[0][1], run[-1][2]
        label = clean(text[s:e])
        if self.registry.find_jurisdictions(label) or self.registry.body(label):
            return None
        span = Span(base + s, base + e, text[s:e])
        return Mention(span, label, "enterprise", self.jurisdiction(label), False, alias=label)

    def _last_head(self, words: list[Word], h: int, known: dict[int, int]) -> int:
        """A name runs on through capitalised words to its last head noun: "Hospital
        Authority", "Shanghai Shenkang Hospital Development Center"."""
        k = h + 1
        while k < len(words) and self.plain(words[k][0]) and words[k][1] not in known:
            if self.head_at(words, k):
                h = k
            k += 1
        return h

    def _shape_at(
        self,
        text: str,
        base: int,
        words: list[Word],
        i: int,
        h: int,
        known: dict[int, int],
        ends: set[int],
    ) -> tuple[Mention | None, int]:
        """The name whose head noun is word h, the index to go on from. A name never
        swallows a registry name across "and" ("Invest Hong Kong and X Department")."""
        st = self._start(text, words, i, h, ends)
        end, parent_text = self._tail(text, words, h, known)
        # "China (Hubei) Pilot Free Trade Zone Wuhan Area": a part of the zone, named by place.
        if (
            end == h
            and words[h][0] in self.zones
            and h + 2 < len(words)
            and self.plain(words[h + 1][0])
            and words[h + 2][0] in self.zone_parts
            and words[h + 1][1] not in known
        ):
            end = h + 2
        # "Eco Expo Asia (2025)": the region after an event's head is part of its name.
        elif (
            end == h
            and h + 1 < len(words)
            and self.heads.get(words[h][0]) == "event"
            and words[h + 1][0].rstrip(",.;:") in self.event_regions
            and words[h + 1][1] not in known
        ):
            end = h + 1
        if h - st < 1 and end == h:
            return None, end + 1  # a bare head noun ("the Council") names nothing
        s, e = words[st][1], words[end][2]
        if st + 1 < h and words[st + 1][0] in AND_WORDS:
            s = self._listed_start(text, s)
        if self._in_post(text, s):
            return None, end + 1  # "Chief Secretary for Administration of the ... Government"
        lead = self.post_lead.match(text, s, e)
        if lead is not None and lead.end() < e:
            s = lead.end()
        head = self.head_at(words, h) or ""
        bare = POSSESSIVE.sub("", words[h][0])
        last = POSSESSIVE.sub("", words[end][0])
        if head in self.located or bare in self.located or last in self.located:
            e = self._place_after(text, e)
        elif head in self.located_the or bare in self.located_the:
            place = self.place_the_tail.match(text, e)
            e = place.end() if place else e
        e = self._subject_list(text, e, known)
        e = self._company_suffix(text, e)
        possessive = POSSESSIVE.search(text[s:e])
        if possessive:
            e -= len(possessive.group())
        label = _INNER_ABBR.sub("", clean(text[s:e]))
        if self._not_a_body(text, s, label, head):
            return None, end + 1
        span = Span(base + s, base + e, text[s:e])
        body = self.registry.body(label)
        if body is not None:  # a registry name written with its abbreviation inside
            mention = Mention(
                span,
                body.name,
                body.kind,
                body.jurisdiction,
                body.reviewed,  # False for a body minted for a place the registry lacks
                alias=label,
                parent=body.parent,
                chinese_name=body.chinese_name,
            )
        else:
            mention = Mention(
                span,
                label,
                self._kind(label, head),
                self.jurisdiction(label),
                False,
                alias=label,
                parent=self._parent(parent_text),
            )
        abbr = _ABBR.match(text, e)
        if abbr and _abbreviates(abbr.group("abbr"), label):
            self.learned.setdefault(abbr.group("abbr"), mention)
            mention.alias = abbr.group("abbr")
        return mention, end + 1

    def _company_suffix(self, text: str, e: int) -> int:
        """The end of a company's name that goes on past "Co"/"Company" with its legal
        suffix ("Bank of Urumqi Co., Ltd.", "The Hongkong Electric Company, Limited")."""
        if not re.search(r"(?<![\w-])(?:Co|Company)$", text[max(0, e - 8) : e]):
            return e
        suffix = _COMPANY_SUFFIX.match(text, e)
        return suffix.end() if suffix else e

    def _start(self, text: str, words: list[Word], i: int, h: int, ends: set[int]) -> int:
        """The first word of the name whose head is word h (walking back from it); never
        a post and the person after it ("Chief Executive Fanny Lam and CPC ... Committee")."""
        st, j = h, h - 1
        while j >= i:
            w = words[j][0]
            if w in AND_WORDS or w == "of":
                # "A and B Office" is one name; "X Group and Y Academy" is two.
                # "Business of Design Week" is one name; "of the" ends a name before it.
                prev = words[j - 1][0] if j - 1 >= i else ""
                if (
                    self.plain(prev)
                    and not self._head(prev)
                    and words[j - 1][2] not in ends
                    and prev not in self.learned  # "Towngas and Shanxi Coking Coal Group"
                    and not self._company_after(words, j, h)
                ):
                    j -= 1
                    continue
                break
            if not w.lstrip("(")[:1].isupper() or w in self.vocab.post_words:
                break
            st, j = j, j - 1
        for q in range(h - 1, st, -1):
            if words[q][0] in AND_WORDS:
                post = self.post_end.search(text, words[st][1], words[q][1])
                if post:
                    st = q + 1
                    break
        verbs = self.vocab.verbs
        while st < h and (
            words[st][0] in self.vocab.stopwords
            or words[st][0] in (*AND_WORDS, "of")
            or words[st][0].lower() in verbs
            or words[st][0].startswith("(")
        ):
            st += 1
        return st

    def _company_after(self, words: list[Word], j: int, h: int) -> bool:
        """Whether the words after the "and" at word j are a company's whole name ("Cathay
        and Air Macau Company Limited"): two or more words before a legal suffix. One word
        joins ("Hong Kong Exchanges and Clearing Limited", "Li & Fung Limited"), and so does
        a name without one ("Kadoorie Farm and Botanic Garden Corporation")."""
        head = self.head_at(words, h) or ""
        if words[j][0] != "and" or head not in self.legal_heads:
            return False
        if words[j + 1][0] in self.topics:
            return False  # "... Science and Technology Parks Corporation"
        before = " ".join(w for w, _, _ in words[max(0, j - 3) : j])
        if any(e == len(before) for _, e, _ in self.registry.find_jurisdictions(before)):
            return False  # "The Hong Kong and China Gas Company Limited"
        first_head = next((k for k in range(j + 1, h + 1) if self.head_at(words, k)), h)
        return first_head - (j + 1) >= 2

    def _not_a_body(self, text: str, start: int, label: str, head: str) -> bool:
        """A mechanism ("Hong Kong/Fujian Co-operation Forum"), or a hub being built ("the
        building of the Shanghai International Reinsurance Centre"): not a body."""
        if label.endswith(self.mechanisms) or label.endswith(self.not_bodies):
            return True
        if " on " in label and any(f" {m} on " in label for m in self.mechanisms):
            return True  # "Hong Kong-Malaysia Joint Commission on Trade": named for its subject
        if label in self.mechanism_tails:
            return True  # "the Joint Conference": the mechanism, named short
        if any(label.startswith(f"{n} of ") for n in self.not_bodies):
            return True
        if head.split()[-1] not in self.hubs:
            return False
        before = text[max(0, start - _CUE_SPAN) : start]
        if self.project_cue.search(before):
            return True
        return bool(self.founding_cue.search(before) and self.hub_words & set(label.split()))

    # -- what the name says --------------------------------------------------------------
    def _kind(self, label: str, head: str) -> str:
        if any(p in label for p in self.vocab.words("party_words")):
            return "party_committee"
        return self.heads.get(head) or self.heads.get(POSSESSIVE.sub("", head), "institution")

    def kind_of(self, label: str) -> str:
        """The kind a name's shape says, from its last head noun ("Office of the Chief
        Executive" -> the kind of an Office)."""
        words = [(w, 0, 0) for w in label.split()]
        for k in range(len(words) - 1, -1, -1):
            head = self.head_at(words, k)
            if head:
                return self._kind(label, head)
        return self._kind(label, "")

    def jurisdiction(self, label: str) -> str | None:
        places = [p for _, _, p in self.registry.find_jurisdictions(label)]
        local = [p for p in places if p.level != "national"]
        chosen = (local or places or [None])[0]
        return chosen.name if chosen else None

    def _parent(self, text: str | None) -> str | None:
        if not text:
            return None
        body = self.registry.body(text)
        if body is not None:
            return body.name
        last = POSSESSIVE.sub("", text.split()[-1])
        return clean(text) if last in self.heads else None
