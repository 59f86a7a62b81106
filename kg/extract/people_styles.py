"""How the genre's other house styles name people, read from one sentence's text.

The HKSAR releases write "the <Post>, Mr <Name>" (kg.extract.people reads that). Other
offices and newspapers write the post before the name with no honorific ("Chief Executive
Fanny Lam", "Jiangxi Governor Lu Jianping", "Director of the ... Office in Wuhan Vincent
Fung"), the post after the name, often in lower case ("Wang Jianhua, governor of Guangdong
province,"), and later the surname alone ("Lam said"). This module only finds where names
and posts are (offsets in the sentence); kg.extract.people decides who they are.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract.people_names import ABBR, LINKS, MAX_NAME, NAME_WORD, NameRules, reference_words
from kg.extract.scan import capitalised_before, capitalised_words_before, find_phrases
from kg.extract.vocab import Vocabulary, alternation
from kg.registry import Registry

# Capitalised words joined by the small words a post's or a body's name may hold. The
# patterns below start with the capital and look back past it (`(?<![\w'’-][A-Z])`, what
# `(?<![\w'’-])` before it tells): a pattern that starts with a character class lets the
# engine skip to the next capital at C speed (a third of their time on a long paragraph).
_CAP = r"[A-Z](?:\.|[\w'’-]*)"  # "C." only as an initial: "Shaoqiang." ends a sentence
_RUN = re.compile(
    rf"[A-Z](?<![\w'’-][A-Z])(?:\.|[\w'’-]*)"
    rf"(?:\s+(?:(?:of|the|for|and|&|in|on)\s+)*(?:{_CAP}|{ABBR}))*"
)
# The runs that `(?<![\w'’-])` and `(?![\w'’-])` bound: a word of a name matches there only.
_WORD_RUN = re.compile(r"[\w'’-]+")
_CAPITAL_NEXT = re.compile(r"\s*[A-Z&]")
_NON_SPACE = re.compile(r"\S+")
_NAMES_BEFORE_COMMA = re.compile(  # the first word: NAME_WORD, its capital first
    rf"[A-Z](?<![\w'’.-][A-Z])(?:[a-z]+(?:-[a-z]+)?|\.?)"
    rf"(?:\s+{NAME_WORD}){{1,{MAX_NAME - 1}}}(?=,)"
)
# A list's "KOGA Hiroyuki, Governor of ...": the surname in capitals first, at a line's start.
_SHOUTED_BEFORE_COMMA = re.compile(rf"[ \t]*[A-Z]{{2,}}(?:\s+{NAME_WORD}){{1,2}}(?=,)")
_MAX_POST_AFTER = 20
# What leads a post printed after a name: a comma, or a bracket in a list of who attended.
_POST_LEAD = re.compile(r",\s+(?:the\s+)?|[ ]?\(\s*(?:the\s+)?")
# How far before a name its post may start: searching from the sentence's start for each
# name of a list is quadratic ("Chan Tai-man, Wong Siu-ling, ..." x 20,000). The longest
# post title of the genre is under 200 characters.
_POST_REACH = 1000  # words of a post printed after the name (a body nested in a government)


@dataclass(frozen=True)
class Named:
    """A name in a sentence, and the post printed with it (offsets in the sentence)."""

    start: int
    end: int
    name: str
    post: tuple[int, int] | None = None
    reference: bool = False  # one word: only a person the document has already named


class StyleReader(NameRules):
    """Finds names and posts in the styles other than "the <Post>, Mr <Name>"."""

    def __init__(self, vocab: Vocabulary, registry: Registry) -> None:
        super().__init__(vocab, registry)
        self.honorific = vocab.honorific
        head = self.head.pattern
        self.head_ci = re.compile(head, re.IGNORECASE)
        lower_mods = alternation([w.lower() for w in vocab.words("post_modifiers")], False)
        lower_heads = alternation([w.lower() for w in vocab.words("post_heads")], False)
        names = rf"{NAME_WORD}(?:\s+{NAME_WORD}){{0,{MAX_NAME - 1}}}"
        # "Guangdong governor Wang Weizhong", "executive vice governor Lin Haoming".
        self.lower_post = re.compile(
            rf"(?<![\w-])(?P<post>(?:{lower_mods}(?:\s+|-))*{lower_heads})\s+"
            rf"(?P<name>{names})(?![\w'’-])"
        )
        # "the Chief Executive, Carrie Lam, said": a name alone between commas after a post.
        self.apposed = re.compile(
            rf",\s+(?P<name>{names})(?=\s*[,;.]|\s*$|\s+(?:and|said|says|who|was|were|is|has|had)\b)"
        )
        self.post_at_end = vocab.post_at_end
        # Known posts whose title holds a comma ("Secretary for Culture, Sports and
        # Tourism"): a run of capitals stops at a comma, so theirs are read as spaces.
        comma_posts = sorted(
            {t for p in registry.posts.values() for t in (p.title, *p.aliases) if "," in t},
            key=lambda t: (-len(t), t),
        )
        self.comma_posts = (
            re.compile("|".join(re.escape(t) for t in comma_posts)) if comma_posts else None
        )

    # -- the post before the name -----------------------------------------------------------
    def posts_before(self, text: str) -> list[Named]:
        """ "Chief Executive Fanny Lam", "CPC Hunan Provincial Committee Secretary Tan
        Yaohua", "Secretary for Constitutional & Mainland Affairs Tsang Yiu-fai": a
        capitalised post (any words before its head: a place or a body) and the name that
        ends it."""
        out: list[Named] = []
        if self.head.search(text) is None:
            return out  # a name follows a post's head only: no head, no name to read
        if self.comma_posts is not None and "," in text:
            text = self.comma_posts.sub(lambda m: m.group().replace(",", " "), text)
        for run in _RUN.finditer(text):
            found = _NON_SPACE.finditer(text, run.start(), run.end())
            words = [(m.group(), m.start()) for m in found]
            out += self._run_people(text, words)
        return out

    def _run_people(self, text: str, words: list[tuple[str, int]]) -> list[Named]:
        out: list[Named] = []
        starts = [at for _, at in words]
        seg = 0  # the first word of the current post
        i = 0
        while i < len(words):
            head = self.head.match(text, words[i][1])
            if head is None:
                i += 1
                continue
            h = bisect.bisect_left(starts, head.end())  # the first word after the post's head
            found = self._name_after(text, words, seg, h)
            if found is None:
                i = max(h, i + 1)
                continue
            post_start, name_first, name_last = found
            out.append(
                Named(
                    words[name_first][1],
                    _end(words[name_last]),
                    " ".join(w for w, _ in words[name_first : name_last + 1]),
                    post=(words[post_start][1], _end(words[name_first - 1])),
                    reference=name_last == name_first,
                )
            )
            i = seg = name_last + 1
        return out

    def _name_after(
        self, text: str, words: list[tuple[str, int]], seg: int, h: int
    ) -> tuple[int, int, int] | None:
        """(first word of the post, first and last word of the name) for the post whose head
        ends before word h; None when no name follows it."""
        # A post is read back from its head over a bounded number of words: a run of
        # thousands of heads and no name would be read back to its start each time.
        start = max(seg, h - _POST_WORDS)
        while start < h and (
            words[start][0] in LINKS
            or (words[start][0] in self.stopwords and words[start][0] not in self.title_words)
        ):
            start += 1  # "The", "Also"; not the "Under" of "Under Secretary"
        # "Hong Kong's Secretary for ...": the possessor is not part of the post.
        owner = max((i for i in range(start, h) if words[i][0].endswith(("'s", "’s"))), default=-1)
        start = max(start, owner + 1)
        # "Mr Yau and Nantong Mayor Wu", "Lau Tak-shing and Vice Mayor Sun": the post starts
        # after the person named before "and".
        ands = [i for i in range(start, h) if words[i][0] in ("and", "&")]
        if ands:
            honoured = self.honorific.search(text, words[start][1], words[ands[-1]][1])
            if honoured is not None:  # "CMA President Dr Kwok and Nantong ... Chairman"
                start = next(i for i in ands if words[i][1] > honoured.start()) + 1
            else:
                before = [w for w, _ in words[start : ands[0]]]
                if before and self.name_like(before) and not self.head.search(" ".join(before)):
                    start = ands[0] + 1
        if h >= len(words):
            return None
        if words[h][0] not in ("of", "for"):
            if not _adjacent(text, words, h):
                return None
            last = h
            # No further than a name's length: longer, it is no name (name_like says so).
            while last + 1 < len(words) and words[last + 1][0] not in LINKS and last - h < MAX_NAME:
                last += 1
            if not self.name_like([w for w, _ in words[h : last + 1]]):
                return None
            return start, h, last
        # "<Head> of/for <tail> <Name>": the name is the last plain words of the tail, before
        # an "and" or the end of the run; the tail before it must end like a post.
        k = h + 1
        # A post's tail is bounded like the words before its head.
        stop = min(len(words), h + _POST_WORDS)
        while k < stop:
            if words[k][0] in LINKS:
                k += 1
                continue
            end = k
            while end + 1 < len(words) and words[end + 1][0] not in LINKS:
                end += 1
                if end - k > MAX_NAME + _POST_WORDS:
                    return None  # a run of plain words no post or name is this long
            # A name ends the run, or a list ("and"), or comes before where the holder was
            # ("Mayor of Quillmoor Rao Pengfei in Quillmoor").
            closes = end + 1 == len(words) or words[end + 1][0] in ("and", "&", "in", "on")
            split = self._split(words, start, k, end) if closes else None
            if split is not None:
                return start, split, end
            k = end + 1
        return None

    def _split(self, words: list[tuple[str, int]], start: int, k: int, end: int) -> int | None:
        """The first word of a name that ends a post's tail at word `end` (plain words from k
        on): the longest name after which the post ends like one; else a two-word name."""
        plain = [w for w, _ in words[start : end + 1]]  # word i is plain[i - start]
        for n in range(min(MAX_NAME, end - k + 1), 1, -1):
            first = end - n + 1
            name, post = plain[first - start :], plain[: first - start]
            if self.name_like(name) and self.post_end_ok(post):
                return first
        first = end - 1
        if first > k and self.name_like(plain[first - start :]):
            return first
        return None

    def lower_posts_before(self, text: str) -> list[Named]:
        """A post in lower case before the name, after any capitalised words that qualify
        it: "Guangdong governor Wang Weizhong", "said vice mayor Li Ming"."""
        out = []
        for m in self.lower_post.finditer(text):
            words = m.group("name").split()
            if not self.name_like(words):
                continue
            start = m.start("post")
            first = capitalised_words_before(text, start)
            if first is not None:
                kept = [w for w in text[first:start].split() if w not in self.stopwords]
                if kept:
                    start = start - len(" ".join(kept)) - 1
            out.append(
                Named(
                    m.start("name"),
                    m.end("name"),
                    m.group("name"),
                    post=(start, m.end("post")),
                    reference=len(words) == 1,
                )
            )
        return out

    def apposed_names(self, text: str) -> list[Named]:
        """A name set off by commas after a post, with no honorific ("the Chief Executive,
        Carrie Lam, said")."""
        out = []
        for m in self.apposed.finditer(text):
            words = m.group("name").split()
            if len(words) < 2 or not self.name_like(words):
                continue  # one word between commas is a list's item more often than a name
            if _SERIES_GOES_ON.match(text, m.end("name")):
                continue  # "Minister of Economic Development, Job Creation and Trade of X"
            start = max(0, m.start("name") - _POST_REACH)
            post = self.post_at_end.search(text, start, m.start("name"))
            if post is None:
                continue
            out.append(
                Named(
                    m.start("name"),
                    m.end("name"),
                    m.group("name"),
                    post=(post.start("post"), post.end("post")),
                )
            )
        return out

    # -- the post after the name ------------------------------------------------------------
    def post_after(self, text: str, end: int) -> tuple[int, int] | None:
        """The post printed after a name that ends at `end`: ", governor of Guangdong
        province,", ", Vice-Chairman of the autonomous region,". Not a post that the next
        name follows ("the Secretary for X, Mr A, the Secretary for Y, Mr B": the second
        post is B's)."""
        lead = _POST_LEAD.match(text, end)
        if lead is None:
            return None
        head = self.head_ci.match(text, lead.end())
        if head is not None and lead.group().lstrip().startswith("("):
            # A list of who attended: "Mr Wu Hao (Vice Governor, People's Government of
            # Jiangxi Province)": the post and its body, to the bracket.
            close = text.find(")", head.end(), head.end() + _POST_REACH)
            inside = text[lead.end() : close] if close != -1 else ""
            if not inside or "(" in inside or len(inside.split()) > _MAX_POST_AFTER:
                return None
            if self.honorific.search(inside):
                return None  # a speech's "Mr Chau (Executive Director of X, Mr Benjamin Chau)"
            return lead.end(), lead.end() + len(inside.rstrip())
        if head is None:
            return None
        stop = _POST_STOP.search(text, head.end())
        post_end = stop.start() if stop else len(text)
        # A known title that holds a comma ("Secretary for Innovation, Technology and
        # Industry") is not cut at it.
        known = self.comma_posts.match(text, lead.end()) if self.comma_posts else None
        if known is not None and known.end() > post_end:
            post_end = known.end()
        rest = text[head.end() : post_end]
        if rest and not re.match(r"\s+(?:of|for|in|on|at)\s", rest):
            return None
        nxt_name = self.honorific.search(text, head.end(), post_end + _NAME_REACH)
        if nxt_name is not None and nxt_name.start() < post_end:
            return None  # ", the Chairman of X Mr. B and ...": the post is B's, before B
        listed = _SUBJECTS_AFTER.match(text, post_end)
        if listed is not None:  # "Director of the Department of Tourism, Culture, ... of X"
            post_end = listed.end()
        if len(text[lead.end() : post_end].split()) > _MAX_POST_AFTER:
            return None
        if text.startswith(",", post_end):
            nxt = post_end
            while nxt < len(text) and text[nxt] in ", ":
                nxt += 1
            if self.honorific.match(text, nxt):
                return None
            # A list of participants: "Ms Fang Li, Director, Yueyang Municipal Bureau of
            # Commerce" (the post's body after a comma, to the end of the line).
            body = _BODY_AFTER.match(text, post_end) if not rest else None
            if body is not None:
                return lead.end(), body.end("body")
        return lead.end(), post_end

    def names_before_posts(self, text: str) -> list[Named]:
        """Names with no honorific that a post follows: "Wang Jianhua, governor of ...".
        The name is the whole capitalised run before the comma."""
        out = []
        for m in _NAMES_BEFORE_COMMA.finditer(text):
            if capitalised_before(text, m.start()):
                continue  # the end of a longer capitalised run: a body, a post
            if not self.name_like(m.group().split()):
                continue
            post = self.post_after(text, m.end())
            if post is not None:
                out.append(Named(m.start(), m.end(), m.group(), post=post))
        for m in _at_line_starts(_SHOUTED_BEFORE_COMMA, text):
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            surname, *given = text[start : m.end()].split()
            if not self.name_like([surname.capitalize(), *given]):
                continue
            post = self.post_after(text, m.end())
            if post is not None:
                out.append(Named(start, m.end(), text[start : m.end()], post=post))
        return out

    # -- later references -------------------------------------------------------------------
    def surnames(self, text: str, known: KnownNames) -> list[Named]:
        """A word of a named person's name standing alone ("Lam said", "witnessed by Lu and
        Cheung"): not next to another capitalised word, so "Lam Tin" is not Mrs Lam."""
        # A whole name named again without honorific ("He Tianming and Tsang Yiu-fai signed")
        # refers to the person too: it is tried before its words.
        words = known.candidates(text)
        if not words:
            return []
        out = []
        ordered = sorted(words, key=lambda w: (-len(w), w))
        for start, end in find_phrases(text, ordered):
            if capitalised_before(text, start, "'’.-") or _CAPITAL_NEXT.match(text, end):
                continue
            if self.registry.find_jurisdictions(text[start:end]):
                continue
            out.append(Named(start, end, text[start:end], reference=True))
        return out


class KnownNames:
    """The names a document has named so far and the words of them a later sentence may
    use alone, indexed by the word-character run each of their words starts with: a
    sentence's pattern holds only the names whose words all occur in it (one pattern of
    every name, built for each sentence, is quadratic in a long document)."""

    def __init__(self) -> None:
        self._names: set[str] = set()
        self._entries: set[str] = set()
        self._by_key: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self._keyless: list[tuple[str, tuple[str, ...]]] = []
        self._parts: dict[str, list[str]] = {}  # a word or a part of a hyphenated one -> names

    def add(self, name: str) -> None:
        """A person's name, in the order the document names them."""
        if name in self._names:
            return
        self._names.add(name)
        for part in dict.fromkeys(re.split(r"[ -]", name)):
            self._parts.setdefault(part, []).append(name)
        entries = reference_words((name,)) | ({name} if len(name.split()) >= 2 else set())
        for entry in sorted(entries - self._entries):
            self._entries.add(entry)
            keys = tuple(_lead_run(w) for w in entry.split())
            item = (entry, keys)
            if keys[0]:
                self._by_key.setdefault(keys[0], []).append(item)
            else:
                self._keyless.append(item)

    def sharing(self, part: str) -> list[str]:
        """The names holding `part` as a word or a part of one ("Lam", "Tai"), in order."""
        return self._parts.get(part, [])

    def candidates(self, text: str) -> set[str]:
        """The names and words that may occur in `text` (each of their words' leading runs
        is a run of `text`; a word that starts with no word character is not checked)."""
        if not self._entries:
            return set()
        runs = word_runs(text)
        items = [i for run in runs for i in self._by_key.get(run, ())] + self._keyless
        return {e for e, keys in items if all(not k or k in runs for k in keys)}


def word_runs(text: str) -> set[str]:
    """`set(_WORD_RUN.findall(text))`. No run holds a space, so a long text's distinct words
    (`text.split()`) are searched once each: a 5 MB line of a few thousand distinct words
    in a third of the time; a sentence is quicker searched whole."""
    if len(text) < _SPLIT_FROM:
        return set(_WORD_RUN.findall(text))
    return {run for word in set(text.split()) for run in _WORD_RUN.findall(word)}


_SPLIT_FROM = 10_000


def _lead_run(word: str) -> str:
    m = _WORD_RUN.match(word)
    return m.group() if m else ""


# A portfolio's series going on after the words between commas: they are a subject of it.
_SERIES_GOES_ON = re.compile(r"\s+and\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}\s+(?:of|for)\s")
_BODY_AFTER = re.compile(
    r",\s+(?P<body>[A-Z][\w'’&-]*(?:\s+(?:(?:of|for|and|the|in|on)\s+)*[A-Z][\w'’&-]*){1,12})"
    r"\s*(?:\([^)]*\)\s*)?$"
)
# The rest of a body's name that lists its subjects, after the first one and a comma:
# ", Culture, Radio, Television and Sports of Hainan Province".
_SUBJECT = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?"
_SUBJECTS_AFTER = re.compile(
    rf"(?:,\s+{_SUBJECT})*,?\s+and\s+{_SUBJECT}\s+of\s+(?:the\s+)?{_SUBJECT}"
    r"(?:\s+[A-Z][\w'’-]*)*(?![\w'’-])"
)
# Where a post after a name ends; not at an abbreviation in brackets inside it ("chief
# secretary for administration of the Hong Kong Special Administrative Region (HKSAR)
# government").
_POST_WORDS = 40  # words of a post and what stands before it in its run, at most
_NAME_REACH = 80  # characters of a name and its honorific, read past a post's end
_POST_STOP = re.compile(
    r"[,;:]|\((?![A-Z]{2,8}\)\s+[a-z])|(?<![A-Z])\)|\.(?:\s|$)|\s+(?:who|which|whose)\b|$"
)


@functools.lru_cache(maxsize=8)
def style_reader(vocab: Vocabulary, registry: Registry) -> StyleReader:
    """One reader per vocabulary and registry (its patterns are compiled once)."""
    return StyleReader(vocab, registry)


def _end(word: tuple[str, int]) -> int:
    return word[1] + len(word[0])


def _adjacent(text: str, words: list[tuple[str, int]], h: int) -> bool:
    """Whether word h follows the previous word after spaces only (not "Executive's")."""
    return h > 0 and text[_end(words[h - 1]) : words[h][1]].strip() == ""


def _at_line_starts(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`pattern`'s matches at the start of each line of `text`, tried there only (a
    search for a line start would try every character of a long line)."""
    at = 0
    while at != -1:
        m = pattern.match(text, at)
        if m is not None:
            yield m
        at = text.find("\n", at)
        at = at + 1 if at != -1 else -1
