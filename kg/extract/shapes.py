"""Names the registry lacks, found by their shape: capitalised words that end in a head noun
("... Council", "... Museum", "Bond Connect"), with an "of/for/on ..." tail ("University of
Science and Technology") and, for offices, an "in <place>" tail ("... Office in Chengdu")."""

from __future__ import annotations

import re

from kg.extract.mention import Mention, clean
from kg.extract.vocab import Vocabulary, alternation
from kg.model import Span
from kg.registry import Registry

# A capitalised word; "Kong/Sichuan" is one word; "(Fujian)" is one inside a name
# ("China (Fujian) Pilot Free Trade Zone"), never at its end ("... Nations (ASEAN)").
_WORD = r"(?:[A-Z][\w'’&-]*(?:/[A-Z][\w'’&-]*)*|\([A-Z][\w'’-]*\)(?=\s+[A-Z]))"
_RUN = re.compile(rf"(?<![\w'’/(-]){_WORD}(?:\s+(?:(?:of|and|for|on|the|&)\s+)*{_WORD})*")
_ABBR = re.compile(r"\s*\((?P<abbr>[A-Z][A-Za-z&]{1,9})\)")
_POSSESSIVE = re.compile(r"['’]s$")
_TAIL_LINKS = ("of", "for", "on")
_AND = ("and", "&")
_LINKS = ("of", "for", "on", "and", "&")
_LISTED = re.compile(r"(?P<w>[A-Z][a-z]+),\s+$")
_CUE_SPAN = 60  # characters before a name searched for a project cue ("the building of the")
# "Hong Kong Special Administrative Region (HKSAR) Government": the abbreviation is not a word
# of the name.
_INNER_ABBR = re.compile(r"\s*\([A-Z]{2,9}\)(?=\s)")
# The subjects a name lists after its head ("Department of Tourism, Culture, Radio, Television
# and Sports"): single capitalised words, commas, and a last one after "and".
_SUBJECTS = re.compile(
    r"(?P<items>(?:,\s+[A-Z][a-z]+)+),?\s+(?:and|&)\s+(?P<last>[A-Z][a-z]+)(?![\w'’-]|\s+[A-Z(])"
)
_POST_SPAN = 40  # characters before a name searched for a post that holds its first words

Word = tuple[str, int, int]  # the word, its start and end in the text


class ShapeReader:
    """Reads names by their shape; learns the abbreviations a document defines for them
    ("Nanning Logistics Council (NLC)")."""

    def __init__(self, registry: Registry, vocab: Vocabulary) -> None:
        self.registry = registry
        self.vocab = vocab
        self.heads = vocab.body_heads
        self.learned: dict[str, Mention] = {}  # abbreviation -> a mention of its body
        place = registry.jurisdiction_pattern()
        # "... Office in Chengdu", "... in the HKSAR": a place of one to three words that
        # ends the name (no capitalised word follows it).
        self.place_tail = re.compile(
            rf"\s+in\s+(?:the\s+)?(?:{place}|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){{0,2}})"
            r"(?![\w'’-]|\s+[A-Z(])"
        )
        self.located = set(vocab.words("located_heads"))
        # "Funding Scheme for Youth Internship in the Mainland": "in the <Place>" only.
        self.located_the = set(vocab.words("located_the_heads"))
        self.place_the_tail = re.compile(r"\s+in\s+the\s+[A-Z][\w'’-]+(?![\w'’-]|\s+[A-Z(])")
        self.of_place_tail = re.compile(
            rf"\s+of\s+(?:the\s+)?(?:{place}|[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+){{0,2}}"
            r"(?![\w'’-]|\s+[A-Z(])"
        )
        self.listed_place = re.compile(rf"(?<![\w'’-])(?:{place}),\s+$")
        self.of_the = re.compile(r"\s+of\s+(?:the\s+)?")
        self.known_place_tail = re.compile(rf"\s+in\s+(?:the\s+)?(?:{place})(?![\w'’-])")
        posts = alternation(vocab.words("post_heads"), boundary=False)
        self.post_end = re.compile(rf"(?<![\w-]){posts}(?![\w-])")
        self.hubs = set(vocab.words("hub_heads"))
        cue = r"(?<![\w-]){}\s+(?:of\s+)?(?:the|a|an)\s+$"
        cues = alternation(vocab.words("project_cues"), boundary=False)
        self.project_cue = re.compile(cue.format(cues), re.I)
        founding = alternation(vocab.words("founding_cues"), boundary=False)
        self.founding_cue = re.compile(cue.format(founding), re.I)
        self.hub_words = set(vocab.words("hub_words"))
        self.mechanisms = tuple(vocab.words("mechanism_heads"))
        self.modifiers = set(vocab.words("post_modifiers"))
        self.not_bodies = tuple(vocab.words("not_body_names"))
        self.topics = set(vocab.words("name_topics"))

    # -- words ---------------------------------------------------------------------------
    def _head(self, word: str) -> str | None:
        word = _POSSESSIVE.sub("", word)
        return word if word in self.heads else None

    def head_at(self, words: list[Word], k: int) -> str | None:
        """The head noun ending at word k: one word ("Council") or two ("Stock Exchange")."""
        if k > 0:
            pair = f"{words[k - 1][0]} {_POSSESSIVE.sub('', words[k][0])}"
            if pair in self.heads:
                return pair
        return self._head(words[k][0])

    def plain(self, word: str) -> bool:
        """A capitalised word that can be part of a name (not a title or honorific)."""
        return (
            word.lstrip("(")[:1].isupper()
            and word not in self.vocab.post_words
            and word not in self.vocab.stopwords
        )

    # -- names ---------------------------------------------------------------------------
    def find(self, text: str, base: int, known: set[tuple[int, int]]) -> list[Mention]:
        """Every name of `text` that has a body's shape (`known`: spans of registry names,
        relative to `text`, that a shape must not swallow across "and")."""
        out: list[Mention] = []
        for run in _RUN.finditer(text):
            words = [
                (m.group(), run.start() + m.start(), run.start() + m.end())
                for m in re.finditer(r"\S+", run.group())
            ]
            i = 0
            while i < len(words):
                h = next((k for k in range(i, len(words)) if self.head_at(words, k)), None)
                if h is None:
                    break
                h = self._last_head(words, h, known)
                mention, i = self._shape_at(text, base, words, i, h, known)
                if mention is not None:
                    out.append(mention)
        return out

    def _last_head(self, words: list[Word], h: int, known: set[tuple[int, int]]) -> int:
        """A name runs on through capitalised words to its last head noun: "Hospital
        Authority", "Shanghai Shenkang Hospital Development Center"."""
        starts = {s for s, _ in known}
        k = h + 1
        while k < len(words) and self.plain(words[k][0]) and words[k][1] not in starts:
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
        known: set[tuple[int, int]],
    ) -> tuple[Mention | None, int]:
        """The name whose head noun is word h, the index to go on from. A name never
        swallows a registry name across "and" ("Invest Hong Kong and X Department")."""
        st = self._start(text, words, i, h, {e for _, e in known})
        end, parent_text = self._tail(text, words, h, dict(known))
        if h - st < 1 and end == h:
            return None, end + 1  # a bare head noun ("the Council") names nothing
        s, e = words[st][1], words[end][2]
        if st + 1 < h and words[st + 1][0] in _AND:
            s = self._listed_start(text, s)
        if self._in_post(text, s):
            return None, end + 1  # "Chief Secretary for Administration of the ... Government"
        head = self.head_at(words, h) or ""
        bare = _POSSESSIVE.sub("", words[h][0])
        last = _POSSESSIVE.sub("", words[end][0])
        if head in self.located or bare in self.located or last in self.located:
            e = self._place_after(text, e)
        elif head in self.located_the or bare in self.located_the:
            place = self.place_the_tail.match(text, e)
            e = place.end() if place else e
        e = self._subject_list(text, e, dict(known))
        possessive = _POSSESSIVE.search(text[s:e])
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
                True,
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
        if abbr:
            self.learned.setdefault(abbr.group("abbr"), mention)
            mention.alias = abbr.group("abbr")
        return mention, end + 1

    def _start(self, text: str, words: list[Word], i: int, h: int, ends: set[int]) -> int:
        """The first word of the name whose head is word h (walking back from it); never
        a post and the person after it ("Chief Executive Fanny Lam and CPC ... Committee")."""
        st, j = h, h - 1
        while j >= i:
            w = words[j][0]
            if w in _AND or w == "of":
                # "A and B Office" is one name; "X Group and Y Academy" is two.
                # "Business of Design Week" is one name; "of the" ends a name before it.
                prev = words[j - 1][0] if j - 1 >= i else ""
                if self.plain(prev) and not self._head(prev) and words[j - 1][2] not in ends:
                    j -= 1
                    continue
                break
            if not w.lstrip("(")[:1].isupper() or w in self.vocab.post_words:
                break
            st, j = j, j - 1
        for q in range(h - 1, st, -1):
            if words[q][0] in _AND:
                post = self.post_end.search(text, words[st][1], words[q][1])
                if post:
                    st = q + 1
                    break
        verbs = self.vocab.verbs
        while st < h and (
            words[st][0] in self.vocab.stopwords
            or words[st][0] in (*_AND, "of")
            or words[st][0].lower() in verbs
            or words[st][0].startswith("(")
        ):
            st += 1
        return st

    def _listed_start(self, text: str, start: int) -> int:
        """Where a name whose first words are a list starts: "Culture, Sports and Tourism
        Bureau" (single capitalised words before commas, not names of their own)."""
        while True:
            place = self.listed_place.search(text, max(0, start - 40), start)
            if place:  # "Hong Kong, Macao and Taiwan Affairs Office"
                start = place.start()
                continue
            m = _LISTED.search(text, max(0, start - 40), start)
            if m is None or not self.plain(m.group("w")) or self._head(m.group("w")):
                return start
            before = text[max(0, m.start() - 2) : m.start()]
            if re.search(r"[A-Z][\w'’-]*\s$", text[max(0, m.start() - 40) : m.start()]):
                return self._leading_words(text, m.start(), start)
            start = m.start()
            if not before.endswith(", "):
                return start

    def _leading_words(self, text: str, at: int, start: int) -> int:
        """Where a name starts whose first words (one or two, no head noun and no place)
        come before a list ("Asian Logistics, Maritime and Aviation Conference"); else
        `start`: the words before the list end another name ("Xiamen University, Fuzhou
        ...")."""
        before = re.findall(r"\S+", text[max(0, at - 60) : at])
        run: list[str] = []
        while before and before[-1][:1].isupper() and len(run) < 3:
            run.insert(0, before.pop())
        if not 1 <= len(run) <= 2 or any(self._head(w) or not self.plain(w) for w in run):
            return start
        if self.registry.find_jurisdictions(" ".join(run)):
            return start
        return text.rfind(run[0], 0, at)

    def _tail(
        self, text: str, words: list[Word], h: int, known: dict[int, int]
    ) -> tuple[int, str | None]:
        """The last word of an "of/for/on ..." tail after the head (or h), and the text
        after "of" (a parent body, when it names one). A known body after "of (the)" is
        the parent, whole ("Department of Hong Kong Affairs of the Hong Kong and Macao
        Affairs Office of the State Council"). A tail that names a body ends at its head
        ("... Office of the State Council Huang Liansheng": a name follows)."""
        starts = set(known)
        k = h + 1
        if not (
            k + 1 < len(words)
            and words[k][0] in _TAIL_LINKS
            and not _POSSESSIVE.search(words[h][0])
        ):
            return h, None
        first = k + 2 if words[k + 1][0] == "the" else k + 1
        if first >= len(words) or not self.plain(words[first][0]):
            return h, None
        last, p = first, first
        parent_known: str | None = None
        while p < len(words):
            w = words[p][0]
            if words[p][1] in starts and words[p - 1][0] in ("of", "the"):
                end = known[words[p][1]]
                stop = next((q for q in range(p, len(words)) if words[q][2] >= end), None)
                if stop is None or words[stop][2] != end:
                    break
                parent_known = text[words[p][1] : end]
                last, p = stop, stop + 1
                continue
            if self.plain(w):
                last, p = p, p + 1
            elif w in (*_TAIL_LINKS, "the") or (w in _AND and self._conjunct(words, p, starts)):
                p += 1
            else:
                break
        heads = [q for q in range(first, last + 1) if self.head_at(words, q)]
        if (
            heads
            and heads[-1] < last
            and all(self.plain(words[q][0]) for q in range(heads[-1] + 1, last + 1))
        ):
            last = heads[-1]  # "... of the State Council Huang Liansheng": a name follows
        parent = text[words[first][1] : words[last][2]] if words[k][0] == "of" else None
        return last, parent_known or parent

    def _conjunct(self, words: list[Word], p: int, starts: set[int]) -> bool:
        """Whether the "and" at word p joins two words of one name ("of Science and
        Technology", "Fair for Investment and Trade", "of the Hetao ... Science and Technology
        Innovation Co-operation Zone"), not two names ("... of Commerce and the X Council",
        "... of Commerce and Hong Kong Trade Development Council", "... and Invest Hong
        Kong", "... of Guangdong Province and Guangzhou Municipal Science ... Bureau")."""
        q = p + 1
        if q >= len(words) or words[q][0] == "the" or words[q][1] in starts:
            return False
        run = []
        while q < len(words) and self.plain(words[q][0]):
            run.append(words[q])
            q += 1
        if not run or self.head_at(words, p + 1):
            return False
        titles = self.vocab.post_words | self.modifiers
        if any(w in titles for w, _, _ in run) or (q < len(words) and words[q][0] in titles):
            return False  # "... Committee and Executive Vice Governor": a post follows
        joined = " ".join(w for w, _, _ in run)
        place = self.registry.find_jurisdictions(joined)
        if place and place[0][0] == 0:
            rest_words = joined[place[0][1] :].split()
            if not any(w in self.topics for w in rest_words):
                return False  # "... of Commerce and Fujian", "... and Hong Kong ... Council"
            # "Office for Hong Kong and Macao Affairs": places paired in one subject
        if words[p - 1][0] in self.topics and run[0][0] in self.topics:
            return True  # "Science and Technology ... Zone": a pair of subjects in one name
        rest = q
        while rest < len(words) and (self.plain(words[rest][0]) or words[rest][0] in _LINKS):
            rest += 1
        return not any(self.head_at(words, k) for k in range(p + 1, rest))  # a name follows

    def _not_a_body(self, text: str, start: int, label: str, head: str) -> bool:
        """A mechanism ("Hong Kong/Fujian Co-operation Forum"), or a hub being built ("the
        building of the Shanghai International Reinsurance Centre"): not a body."""
        if label.endswith(self.mechanisms) or label.endswith(self.not_bodies):
            return True
        if any(m.endswith(f" {label}") for m in self.mechanisms):
            return True  # "the Joint Conference": the mechanism, named short
        if any(label.startswith(f"{n} of ") for n in self.not_bodies):
            return True
        if head.split()[-1] not in self.hubs:
            return False
        before = text[max(0, start - _CUE_SPAN) : start]
        if self.project_cue.search(before):
            return True
        return bool(self.founding_cue.search(before) and self.hub_words & set(label.split()))

    def _place_after(self, text: str, e: int) -> int:
        """The end of an "in <place>" tail ("... Office in Wuhan"): a place the registry
        knows ends there, else one to three capitalised words that end the name."""
        known = self.known_place_tail.match(text, e)
        if known:
            return known.end()
        place = self.place_tail.match(text, e)
        return place.end() if place else e

    def _subject_list(self, text: str, e: int, known: dict[int, int]) -> int:
        """The end of a name that lists its subjects after the head, and of an "of <place>"
        after them ("Municipal Bureau of Culture, Radio, Television and Tourism of
        Zhuhai"). Items are single words, none a place or a head noun (else the commas
        separate names: "the Department of Commerce, Fujian and Guangdong")."""
        m = _SUBJECTS.match(text, e)
        if m is None:
            return e
        items = [w.strip(", ") for w in re.split(r",\s+", m.group("items")) if w.strip(", ")]
        items.append(m.group("last"))
        for item in items:
            if self._head(item) or self.registry.find_jurisdictions(item) or not self.plain(item):
                return e
        of = self.of_the.match(text, m.end())
        if of and of.end() in known:  # "... Tourism of the Shenzhen Municipal Government"
            return known[of.end()]
        place = self.of_place_tail.match(text, m.end())
        return place.end() if place else m.end()

    def _in_post(self, text: str, s: int) -> bool:
        """Whether the words at `s` end a post title that starts before them
        ("Chief Secretary for Administration": "Administration" is not a body)."""
        for m in self.post_end.finditer(text, max(0, s - _POST_SPAN), s + _POST_SPAN):
            if m.start() < s < m.end():
                return True
        return False

    # -- what the name says --------------------------------------------------------------
    def _kind(self, label: str, head: str) -> str:
        if any(p in label for p in self.vocab.words("party_words")):
            return "party_committee"
        return self.heads.get(head) or self.heads.get(_POSSESSIVE.sub("", head), "institution")

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
        last = _POSSESSIVE.sub("", text.split()[-1])
        return clean(text) if last in self.heads else None
