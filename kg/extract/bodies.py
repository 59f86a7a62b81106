"""Bodies a text names: registry names, names the registry lacks (found by their shape),
and (through `groups`) governments and generic groups."""

from __future__ import annotations

import re

from kg.extract.groups import GroupFinder
from kg.extract.mention import Mention, clean, free, overlaps, within
from kg.extract.segment import Block
from kg.extract.vocab import Vocabulary
from kg.model import Organization, Span
from kg.registry import Body, Registry, name_key

_WORD = r"[A-Z][\w'’&-]*"
_RUN = re.compile(
    rf"(?<![\w'’-]){_WORD}(?:[ \t\u00a0]+(?:(?:of|and|for|on|the|&)[ \t\u00a0]+)*{_WORD})*"
)
_ABBR = re.compile(r"\s*\((?P<abbr>[A-Z][A-Za-z&]{1,9})\)")
_POSSESSIVE = re.compile(r"['’]s$")


class BodyFinder:
    """Finds body mentions; built once per document (it learns the document's
    abbreviations, e.g. "Nanning Logistics Council (NLC)")."""

    def __init__(self, registry: Registry, vocab: Vocabulary, sides: list[str]) -> None:
        self.registry = registry
        self.vocab = vocab
        self.heads = vocab.body_heads
        self.groups = GroupFinder(registry, vocab, sides)
        self.learned: dict[str, Mention] = {}  # abbreviation -> a mention of its body

    # -- one piece of text -------------------------------------------------------------
    def find(self, text: str, base: int = 0) -> list[Mention]:
        found = [
            self._known(text, base, s, e, body) for s, e, body in self.registry.find_bodies(text)
        ]
        known = {(m.span.start - base, m.span.end - base) for m in found}
        for shape in self._shapes(text, base, known):
            inside = [m for m in found if overlaps(m.span, shape.span)]
            if not inside:
                found.append(shape)
            elif all(within(m.span, shape.span) and m.span != shape.span for m in inside):
                # A longer name built on a known one: "X Government Liaison Office".
                if shape.parent is None and inside[0].span.start == shape.span.start:
                    shape.parent = inside[0].label
                found = [m for m in found if m not in inside] + [shape]
        found += [m for m in self.groups.governments(text, base) if free(m, found)]
        found += self.groups.groups(text, base, found)
        return sorted(found, key=lambda m: m.span.start)

    def find_learned(self, text: str, base: int, taken: list[Mention]) -> list[Mention]:
        """Later uses of abbreviations the document defined for bodies the registry lacks."""
        if not self.learned:
            return []
        alts = "|".join(re.escape(a) for a in sorted(self.learned, key=len, reverse=True))
        out = []
        for m in re.finditer(rf"(?<![\w])(?:{alts})(?![\w])", text):
            span = Span(base + m.start(), base + m.end(), m.group(0))
            proto = self.learned[m.group(0)]
            mention = Mention(
                span,
                proto.label,
                proto.kind,
                proto.jurisdiction,
                False,
                alias=m.group(0),
                parent=proto.parent,
            )
            if free(mention, taken):
                out.append(mention)
        return out

    def _known(self, text: str, base: int, s: int, e: int, body: Body) -> Mention:
        span = Span(base + s, base + e, text[s:e])
        return Mention(
            span,
            body.name,
            body.kind,
            body.jurisdiction,
            True,
            alias=clean(text[s:e]),
            parent=body.parent,
            chinese_name=body.chinese_name,
        )

    # -- shapes: "<Capitalised words> <Head>[ of <Capitalised words>]" ---------------------
    def _head(self, word: str) -> str | None:
        word = _POSSESSIVE.sub("", word)
        return word if word in self.heads else None

    def _head_at(self, words: list[tuple[str, int, int]], k: int) -> str | None:
        """The head noun ending at word k: one word ("Council") or two ("Stock Exchange")."""
        if k > 0:
            pair = f"{words[k - 1][0]} {_POSSESSIVE.sub('', words[k][0])}"
            if pair in self.heads:
                return pair
        return self._head(words[k][0])

    def _plain(self, word: str) -> bool:
        """A capitalised word that can be part of a name (not a title or honorific)."""
        return (
            word[:1].isupper()
            and word not in self.vocab.post_words
            and word not in (self.vocab.stopwords)
        )

    def _shapes(self, text: str, base: int, known: set[tuple[int, int]]) -> list[Mention]:
        out: list[Mention] = []
        for run in _RUN.finditer(text):
            words = [
                (m.group(), run.start() + m.start(), run.start() + m.end())
                for m in re.finditer(r"\S+", run.group())
            ]
            i = 0
            while i < len(words):
                h = next((k for k in range(i, len(words)) if self._head_at(words, k)), None)
                if h is None:
                    break
                while h + 1 < len(words) and self._head_at(words, h + 1):
                    h += 1  # "Exchange Center", "Hospital Authority": the last head names it
                mention, i = self._shape_at(text, base, words, i, h, known)
                if mention is not None:
                    out.append(mention)
        return out

    def _shape_at(
        self,
        text: str,
        base: int,
        words: list[tuple[str, int, int]],
        i: int,
        h: int,
        known: set[tuple[int, int]],
    ) -> tuple[Mention | None, int]:
        """The name whose head noun is word h, the index to go on from. A name never
        swallows a registry name across "and" ("Invest Hong Kong and X Department")."""
        starts, ends = {s for s, _ in known}, {e for _, e in known}
        st, j = h, h - 1
        while j >= i:
            w = words[j][0]
            if w in ("and", "&"):
                # "A and B Office" is one name; "X Group and Y Academy" is two.
                prev = words[j - 1][0] if j - 1 >= i else ""
                if self._plain(prev) and not self._head(prev) and words[j - 1][2] not in ends:
                    j -= 1
                    continue
                break
            if not w[:1].isupper() or w in self.vocab.post_words:
                break
            st, j = j, j - 1
        verbs = self.vocab.verbs
        while st < h and (
            words[st][0] in self.vocab.stopwords
            or words[st][0] in ("and", "&")
            or words[st][0].lower() in verbs
        ):
            st += 1
        end, parent_text = h, None
        k = h + 1
        if (
            k + 1 < len(words)
            and words[k][0] in ("of", "for", "on")
            and not _POSSESSIVE.search(words[h][0])
        ):
            first = k + 2 if words[k + 1][0] == "the" else k + 1
            if first < len(words) and self._plain(words[first][0]):
                last, p = first, first + 1
                while p < len(words):
                    w = words[p][0]
                    if self._plain(w):
                        last, p = p, p + 1
                    elif w in ("of", "the", "for", "on") or (
                        # "Fair for Investment and Trade"; not "... of Commerce and X Council"
                        w in ("and", "&")
                        and p + 1 < len(words)
                        and words[p + 1][1] not in starts
                        and not any(self._head(x[0]) for x in words[p + 1 :])
                    ):
                        p += 1
                    else:
                        break
                end = last
                if words[k][0] == "of":
                    parent_text = text[words[first][1] : words[last][2]]
        if h - st < 1 and end == h:
            return None, end + 1  # a bare head noun ("the Council") names nothing
        s, e = words[st][1], words[end][2]
        possessive = _POSSESSIVE.search(text[s:e])
        if possessive:
            e -= len(possessive.group())
        label = clean(text[s:e])
        mention = Mention(
            Span(base + s, base + e, text[s:e]),
            label,
            self._kind(label, h, words),
            self._jurisdiction(label),
            False,
            alias=label,
            parent=self._parent(parent_text),
        )
        abbr = _ABBR.match(text, e)
        if abbr:
            self.learned.setdefault(abbr.group("abbr"), mention)
            mention.alias = abbr.group("abbr")
        return mention, end + 1

    def _kind(self, label: str, h: int, words: list[tuple[str, int, int]]) -> str:
        if any(p in label for p in self.vocab.words("party_words")):
            return "party_committee"
        return self.heads[self._head_at(words, h) or ""]

    def _jurisdiction(self, label: str) -> str | None:
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


def find_mentions(text: str, blocks: list[Block], finder: BodyFinder) -> list[Mention]:
    """Every body mention in the document's paragraphs (chrome excluded)."""
    per_block = [finder.find(b.text, b.span.start) for b in blocks if not b.chrome]
    mentions = [m for ms in per_block for m in ms]
    for block in (b for b in blocks if not b.chrome):
        mentions += finder.find_learned(block.text, block.span.start, mentions)
    return sorted(mentions, key=lambda m: m.span.start)


def to_organizations(mentions: list[Mention]) -> list[Organization]:
    """One record per body, in order of first mention, with the names the text used."""
    orgs: dict[str, Organization] = {}
    for m in mentions:
        org = orgs.get(name_key(m.label))
        if org is None:
            org = Organization(
                m.label,
                m.kind,
                m.jurisdiction,
                m.known,
                parent=m.parent,
                chinese_name=m.chinese_name,
            )
            orgs[name_key(m.label)] = org
        if m.alias and m.alias != org.label and m.alias not in org.aliases:
            org.aliases.append(m.alias)
        org.mentions.append(m.span)
    return list(orgs.values())
