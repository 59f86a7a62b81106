"""The edges of a name read by its shape: where it starts (a list of subjects before its head,
never inside a post) and where it ends (an "of/for/on ..." tail, a known parent body, a list
of subjects after its head, an "in <place>" tail)."""

from __future__ import annotations

import re
from collections.abc import Container

from kg.extract.vocab import Vocabulary, alternation
from kg.registry import Registry

POSSESSIVE = re.compile(r"['’]s$")
_TAIL_LINKS = ("of", "for", "on")
AND_WORDS = ("and", "&")
_LINKS = ("of", "for", "on", "and", "&")
_LISTED = re.compile(r"(?P<w>[A-Z][a-z]+),\s+$")
# The subjects a name lists after its head ("Department of Tourism, Culture, Radio, Television
# and Sports", "Ministry of Jobs, Economic Development and Innovation"): capitalised words
# (up to three an item), commas, and a last item after "and".
_ITEM = r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}"
_SUBJECTS = re.compile(
    rf"(?P<items>(?:,\s+{_ITEM})+),?\s+(?:and|&)\s+(?P<last>{_ITEM})(?![\w'’-]|\s+[A-Z(])"
)
_POST_SPAN = 40  # characters before a name searched for a post that holds its first words

Word = tuple[str, int, int]  # the word, its start and end in the text


def without_possessive(word: str) -> str:
    """`POSSESSIVE.sub("", word)` without a regex call: it runs for every word of a run."""
    if word.endswith(("'s", "’s")):
        return word[:-2]
    if word.endswith(("'s\n", "’s\n")):
        return word[:-3] + "\n"  # `$` matches before a final newline too
    return word


class NameEdges:
    """Where names start and end; the base of `ShapeReader`."""

    def __init__(self, registry: Registry, vocab: Vocabulary) -> None:
        self.registry = registry
        self.vocab = vocab
        self.heads = vocab.body_heads
        # The last word of every head: most words of a capitalised run end none.
        self._head_ends = frozenset(h.rsplit(" ", 1)[-1] for h in self.heads)
        self.modifiers = set(vocab.words("post_modifiers"))
        self.topics = set(vocab.words("name_topics"))
        place = registry.jurisdiction_pattern()
        # "... Office in Chengdu", "... in the HKSAR": a place of one to three words that
        # ends the name (no capitalised word follows it).
        self.place_tail = re.compile(
            rf"\s+in\s+(?:the\s+)?(?:{place}|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){{0,2}})"
            r"(?![\w'’-]|\s+[A-Z(])"
        )
        self.calendar = set(vocab.words("calendar_words"))
        self.located = set(vocab.words("located_heads"))
        # "Funding Scheme for Youth Internship in the Mainland": "in the <Place>" only.
        self.located_the = set(vocab.words("located_the_heads"))
        self.place_the_tail = re.compile(r"\s+in\s+the\s+[A-Z][\w'’-]+(?![\w'’-]|\s+[A-Z(])")
        self.of_place_tail = re.compile(
            # "of Yanbian Korean Autonomous Prefecture": four words.
            rf"\s+of\s+(?:the\s+)?(?:{place}|[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+){{0,3}}"
            r"(?![\w'’-]|\s+[A-Z(])"
        )
        self.listed_place = re.compile(rf"(?<![\w'’-])(?:{place}),\s+$")
        # A known place whose first word is no name's ("of New Zealand": "New" starts
        # sentences more often than names).
        self.place_here = re.compile(rf"(?:{place})(?![\w'’-])")
        self.of_the = re.compile(r"\s+of\s+(?:the\s+)?")
        self.known_place_tail = re.compile(rf"\s+in\s+(?:the\s+)?(?:{place})(?![\w'’-])")
        posts = alternation(vocab.words("post_heads"), boundary=False)
        self.post_end = re.compile(rf"(?<![\w-]){posts}(?![\w-])")
        # A post before its body's name: "Chief Executive of AgResearch Limited" (a company's
        # name is read back to the first capital) names the company after "of".
        modifiers = alternation(vocab.words("post_modifiers"), boundary=False)
        self.post_lead = re.compile(rf"(?:{modifiers}\s+)*{posts}\s+of\s+(?:the\s+)?(?=[A-Z])")

    # -- words ---------------------------------------------------------------------------
    def _head(self, word: str) -> str | None:
        word = without_possessive(word)
        return word if word in self.heads else None

    def head_at(self, words: list[Word], k: int) -> str | None:
        """The head noun ending at word k: one word ("Council") or two ("Stock Exchange")."""
        word = without_possessive(words[k][0])
        if word not in self._head_ends:
            return None
        if k > 0:
            pair = f"{words[k - 1][0]} {word}"
            if pair in self.heads:
                return pair
        return word if word in self.heads else None

    def plain(self, word: str) -> bool:
        """A capitalised word that can be part of a name (not a title or honorific)."""
        return (
            word.lstrip("(")[:1].isupper()
            and word not in self.vocab.post_words
            and word not in self.vocab.stopwords
        )

    # -- edges ---------------------------------------------------------------------------
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
        starts = known.keys()  # a view: copying it per name is quadratic in a long list
        k = h + 1
        if not (
            k + 1 < len(words) and words[k][0] in _TAIL_LINKS and not POSSESSIVE.search(words[h][0])
        ):
            return h, None
        first = k + 2 if words[k + 1][0] == "the" else k + 1
        if first >= len(words) or not self.plain(words[first][0]):
            return h, None
        if words[first][0].rstrip(",.;:") in self.calendar:
            return h, None
        last, p = first, first
        parent_known: str | None = None
        while p < len(words):
            w = words[p][0]
            if w.rstrip(",.;:") in self.calendar:
                break
            if p + 1 < len(words) and f"{w} {words[p + 1][0]}" in self.heads:
                last, p = p + 1, p + 2  # "of Xiong'an New Area": a two-word head
                continue
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
            elif words[p - 1][0] in ("of", "the") and (
                place := self.place_here.match(text, words[p][1])
            ):
                q = next((q for q in range(p, len(words)) if words[q][2] >= place.end()), None)
                if q is None or words[q][2] != place.end():
                    break
                last, p = q, q + 1
            elif w in (*_TAIL_LINKS, "the") or (
                w in AND_WORDS and self._conjunct(words, p, starts)
            ):
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

    def _conjunct(self, words: list[Word], p: int, starts: Container[int]) -> bool:
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
        honorifics = self.vocab.words("honorifics")
        for item in items:
            if self.registry.find_jurisdictions(item):
                return e
            for word in item.split():
                if self._head(word) or not self.plain(word) or word in honorifics:
                    return e
        of = self.of_the.match(text, m.end())
        if of and of.end() in known:  # "... Tourism of the Shenzhen Municipal Government"
            return known[of.end()]
        end = m.end()
        # "... Physics of the Chinese Academy of Sciences": the owner's name has its own "of".
        for _ in range(2):
            place = self.of_place_tail.match(text, end)
            if place is None:
                break
            end = place.end()
        return end

    def _in_post(self, text: str, s: int) -> bool:
        """Whether the words at `s` end a post title that starts before them
        ("Chief Secretary for Administration": "Administration" is not a body)."""
        for m in self.post_end.finditer(text, max(0, s - _POST_SPAN), s + _POST_SPAN):
            if m.start() < s < m.end():
                return True
        return False
