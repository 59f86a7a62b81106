"""What a personal name and a post look like, for the house styles that print no honorific
(kg.extract.people_styles): which capitalised words may be a name ("Tsang Yiu-fai", "C Y
Leung"; not "Economic Development", "Visits Hunan", "Hong Kong"), where a post may end
("... Affairs", "... Office in Wuhan", "... (HKSAR)"), and which words of a named person
a later sentence may use alone ("Lam", "Wang")."""

from __future__ import annotations

import functools
import re

from kg.extract.vocab import NAME, Vocabulary, alternation, verb_forms
from kg.registry import Registry

# A word of a personal name: "Lam", "Yiu-fai", or an initial ("C", "C.").
NAME_WORD = rf"(?:{NAME}|[A-Z]\.?)"
MAX_NAME = 4  # words of a personal name
LINKS = frozenset({"of", "the", "for", "and", "&", "in", "on"})
# "... Administrative Region (HKSAR) Carrie Lam": an abbreviation in brackets may stand inside.
ABBR = r"\([A-Z]{2,}\)"
_IS_NAME_WORD = re.compile(rf"{NAME_WORD}$")
_INITIAL = re.compile(r"[A-Z]\.?$")
_POSSESSIVE = re.compile(r"['’]s$")


class NameRules:
    """The word lists of names and posts, from the vocabulary and the registry."""

    def __init__(self, vocab: Vocabulary, registry: Registry) -> None:
        self.registry = registry
        mods = alternation(vocab.words("post_modifiers"), boundary=False)
        heads = alternation(vocab.words("post_heads"), boundary=False)
        head = rf"(?<![\w-])(?:{mods}(?:\s+|-))*{heads}(?![\w'’-])"
        self.head = re.compile(head)
        self.portfolio = re.compile(rf"{head}\s+for\s+(?:the\s+)?$")
        head_words = {w.split()[-1] for w in vocab.words("post_heads")}
        self.post_ends = (
            set(vocab.body_heads)
            | {h.split()[-1] for h in vocab.body_heads}
            | head_words
            | set(vocab.words("name_topics"))
            | set(vocab.words("portfolio_words"))
        )
        self.not_names = (
            self.post_ends
            | vocab.post_words
            | set(vocab.words("post_modifiers"))
            | vocab.stopwords
            | set(vocab.words("not_name_words"))
        )
        self.stopwords = vocab.stopwords
        self.verbs = set(vocab.verbs) | set(verb_forms(vocab.words("headline_verbs"), {}))
        self.title_words = {
            w for t in vocab.words("post_heads") + vocab.words("post_modifiers") for w in t.split()
        } - LINKS

    def name_like(self, words: list[str]) -> bool:
        """Words that can be a personal name: name-shaped, none a title, topic, head noun
        or stopword, not only initials, and not a place or body the registry knows."""
        if not 1 <= len(words) <= MAX_NAME or _INITIAL.match(words[-1]):
            return False
        if any(
            not _IS_NAME_WORD.match(w) or w in self.not_names or w.lower() in self.verbs
            for w in words
        ):
            return False
        text = " ".join(words)
        return not (self.registry.find_jurisdictions(text) or self.registry.find_bodies(text))

    def post_end_ok(self, words: list[str]) -> bool:
        """Whether a post may end with these words: a head noun, a post's head, a portfolio
        ("... Affairs", "... Finance"), a place the registry knows, or "in <Place>" after an
        office ("... Office in Wuhan")."""
        last = _POSSESSIVE.sub("", words[-1])
        if last in LINKS:
            return False
        if re.fullmatch(ABBR, last):
            return True  # "... Region (HKSAR)"
        if last in self.post_ends or self.registry.find_jurisdictions(last):
            return True
        return len(words) >= 3 and words[-2] == "in"

    def prefix(self, post: str) -> str | None:
        """The words before a post's head, when the head ends it: "Jiangxi" of "Jiangxi Vice
        Governor", "CPC Hunan Provincial Committee" of "CPC Hunan Provincial Committee
        Secretary"."""
        words = post.split()
        k = len(words)
        while k > 0 and words[k - 1].capitalize() in self.title_words:
            k -= 1
        return " ".join(words[:k]) if 0 < k < len(words) else None

    def portfolio_at(self, text: str, start: int) -> bool:
        """Whether the words before `start` are a post's head and "for" ("Chief Secretary
        for " before "Administration of the HKSAR Government"): what follows is the post's
        portfolio, not a body."""
        before = text[max(0, start - 80) : start]
        return self.portfolio.search(before) is not None

    @staticmethod
    def portfolio_tail(name: str) -> int | None:
        """Where the body of "<Portfolio> of the <Body>" starts, if the name has one."""
        m = re.search(r"\s+of\s+(?:the\s+)?", name)
        return m.end() if m else None


@functools.lru_cache(maxsize=64)
def reference_words(names: tuple[str, ...]) -> frozenset[str]:
    """The first and last words of names of two words or more ("Wang" of "Wang Jianhua",
    "Lam" of "Fanny Lam"), not an initial or a hyphenated given name."""
    out = set()
    for name in names:
        words = name.split()
        if len(words) < 2:
            continue
        for w in (words[0], words[-1]):
            if "-" not in w and not _INITIAL.match(w):
                out.add(w)
    return frozenset(out)
