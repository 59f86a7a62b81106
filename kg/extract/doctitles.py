"""How a release names the documents it signs: quoted titles, unquoted capitalised titles
before or after the signing word, untitled documents described in lower case ("a co-operation
agreement on joint promotion of professional services was signed"), and plural phrases that
describe several ("agreements on economic and Chinese medicine co-operation")."""

from __future__ import annotations

import re
from collections.abc import Collection

from kg.extract.mention import clean
from kg.extract.vocab import Vocabulary, alternation
from kg.model import SignedDocument
from kg.registry import name_key

# A title printed in another script after the English one ("(《香港／河北合作框架協議》)")
# is a translation, not part of it: the CJK punctuation, ideographs and full-width forms.
_OTHER_SCRIPT = "\u3000-\u9fff\uff00-\uffef"
# What introduces titles listed inside a signing sentence: "..., including the A and the B",
# "three documents: the A, the B and the C".
_INLINE_LIST = re.compile(r"(?:\binclud(?:ing|e|es|ed)|\bnamely|:)\s+(?:the\s+)?", re.I)
_LIST_GLUE = re.compile(r"\s*(?:[,;]\s*)?(?:and\s+)?(?:the\s+)?")
_SAYS_ON = re.compile(r"\s+(?:on|of|in|concerning|regarding|about|between|to)\s+\S")
_THE_NOUN = r"(?P<mods>(?:[a-z][\w-]*\s+){0,2})(?P<noun>[\w-]+)"
# The end of an item of a list: a ";", a full stop, a comma before the next item's article
# ("including a memorandum on X between A and B, and an agreement on Y between C and D") or
# before who signed it ("a framework agreement on X, signed by A and B, and ...").
_ITEM_STOP = re.compile(
    r";|\.(?:\s|$)|,\s+(?:and\s+)?(?=(?:an?|one)\s)|,\s+(?=(?:signed|witnessed|inked)\b)"
)
# Where a description's parties begin: "between" and a name ("... between InvestHK and the
# Bureau") or "the two ...", not "between their member enterprises" (what it is on).
_TOPIC = re.compile(r"\s+(?:on|of|in|concerning|regarding|about|for)\s+\S")
_PARTIES = re.compile(r"\s+between\s+(?=(?:the\s+)?[A-Z]|the\s+two\s|both\s)")
_LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?")
_SIGNED_CLAUSE = re.compile(
    r",\s+(?:signed|witnessed|inked)\b[^;.]*?(?=,\s+(?:and\s+)?(?:an?|one|the)\s|[;.]|$)"
)
_NOT_SUBJECTS = re.compile(r"\b(?:other|others|etc|various|such|areas?|fields?)\b", re.I)
_MAX_SUBJECT_WORDS = 5
# A list item's signatories or parties at its end, in brackets or after a dash ("...
# Promotion (Hong Kong Tourism Board and Harbin Municipal Bureau of Culture and Tourism)",
# "... between Hong Kong and Xuzhou – Mr Ho Ka-chun and Ms Guo Ruiqing").
# ... or after a colon, with their bodies in brackets ("...: Benjamin Chau (HKTDC) and Li
# Hongmei (Luoyang Municipal People's Government)").
_SIGNERS_AT_END = re.compile(
    r"(?:(?P<open>\()|\s[–—]\s+)(?P<signers>(?=[^()–—]*(?:,|\band\b|;))[^()–—]{3,})(?(open)\))"
    r"\s*[;,.]?\s*$"
    r"|:\s+(?P<listed>(?=[^:]*(?:,|\band\b|;))[A-Z][^:]{2,}?)\s*[;,.]?\s*$"
)


def signers_at_end(text: str) -> tuple[int, str] | None:
    """Where a list item's signatories or parties begin, and their words (see above)."""
    m = _SIGNERS_AT_END.search(text)
    if m is None:
        return None
    group = "signers" if m.group("signers") is not None else "listed"
    return m.start(group), m.group(group)


# What ends an unquoted title in a list item: its closing punctuation, a note in brackets,
# or a clause about its signing.
# Its signatories or parties in brackets at its end count as an end: "(A and B)", "(the
# Secretary ..., Miss A, and ...)" (not a period: "(2023-2024)").
_ITEM_END = re.compile(
    rf"\s*(?:\((?:Chinese|English)[^)]*\)|[(（]?\s*[{_OTHER_SCRIPT}]|"
    + _SIGNERS_AT_END.pattern
    + r"|(?:[,:(]|[–—-](?=\s))?\s*(?<![\w-])"
    r"(?:signed|witnessed|exchanged)\b"
    r"|[;,.]?(?:\s+(?:and|or))?\s*$|[;.]\s)",
    re.I,
)
_TITLE_WORD = r"[A-Z][\w'’()/-]*"
_TITLE_LINK = r"\s+(?:(?:of|on|in|for|to|between|and|the|&)\s+)*"  # "with" names a party


def _prose_title(honorifics: list[str]) -> re.Pattern[str]:
    """Capitalised words joined by small words, and by a comma where a series goes on inside
    the title ("Promotion of Trade, Investment and Logistics"; not ", Mr A and Mr B")."""
    hon = alternation(honorifics) if honorifics else "(?!)"
    series = rf",\s+(?!{hon})(?=(?:{_TITLE_WORD}\s+){{1,3}}(?:and|&)\s+[A-Z])"
    return re.compile(rf"{_TITLE_WORD}(?:(?:{_TITLE_LINK}|{series}){_TITLE_WORD})*")


# The auxiliary of a passive signing ("... was signed by"): what stands before it is the
# document signed.
_PASSIVE = re.compile(
    r"\s+(?:was|were|has\s+been|have\s+been|had\s+been|is|are)\s+(?:also\s+)?$", re.I
)
# ... or a participle after a comma, when "by" follows ("The Agreement, signed by A and B,").
_PARTICIPLE = re.compile(r"\s*,\s*$")
_BY_AFTER = re.compile(r"\s+by\b")
# An untitled document described in lower case starts at its article ("a co-operation
# agreement on ...") and runs, after an active signing word, to what ends the phrase.
_ARTICLE = re.compile(r"(?<![\w-])(?:a|an|one|the)\s+", re.I)
# Not "... products to Hong Kong"; "... exchanges on behalf of WHETO and ..." says who signed.
_PHRASE_END = re.compile(
    r"\s*(?:[,.;:()]|$|\s(?:with|at|during|today|yesterday|witnessed|in\s+the\s+presence"
    r"|which|that|to(?!\s+(?-i:[A-Z]))|before|after|under|on\s+behalf\s+of)\b)",
    re.I,
)
_MAX_PHRASE_WORDS = 25


class Signing:
    """The vocabulary of signing, compiled once per document."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.nouns = re.compile(alternation(vocab.words("document_nouns")))
        self.prose_title = _prose_title(vocab.words("honorifics"))
        # One document's head noun in any case, and the plural that makes a phrase a set.
        self.singular_noun = re.compile(
            alternation(vocab.words("document_singular_nouns")), re.IGNORECASE
        )
        # A name's heads that "in <place>" belongs to ("Co-operation Zone in Hengqin",
        # "Office in Chengdu"): after any other word it is where a title was signed.
        heads = [*(vocab.raw.get("body_heads") or {}), *vocab.words("zone_heads")]
        heads += vocab.words("zone_parts") + vocab.words("located_heads")
        heads += vocab.words("located_the_heads")
        self.place_heads = frozenset(h.split()[-1] for h in heads)
        self.venue: str | None = None  # the meeting's place, when the text gives it
        # "the letter" of a letter of intent; "the agreement" of any document (a memorandum).
        self.noun_heads = frozenset(n.split()[0] for n in vocab.words("document_singular_nouns"))
        self.generic_nouns = frozenset(vocab.words("document_generic_nouns"))
        plurals: dict[str, str] = dict(vocab.raw.get("document_plurals") or {})
        self.plural_noun = re.compile(alternation(list(plurals)), re.IGNORECASE)
        self.any_noun = re.compile(
            alternation([*vocab.words("document_nouns"), *plurals, "documents"]), re.IGNORECASE
        )
        self.singular = {k.lower(): v for k, v in plurals.items()}
        # The title of a list of documents: "(Co-operation) documents signed at ...".
        every = alternation([*plurals, "documents"], boundary=False)
        self.listed_signed = re.compile(
            rf"(?:[\w-]+\s+){{0,3}}{every}\s+(?:{alternation(vocab.words('sign_words'))})\b",
            re.IGNORECASE,
        )
        numbers = alternation(list(vocab.raw.get("number_words") or {}), boundary=False)
        links = alternation(vocab.words("document_subject_links"))
        self.plural = re.compile(
            rf"(?:(?P<n>\d{{1,2}}|{numbers})\s+)?(?P<noun>{alternation(list(plurals))})"
            rf"(?:\s*,)?\s+{links}\s+(?P<subjects>[^.;:()\"“”]+?)"
            r"(?=\s*(?:[.;:(]|$|,?\s+(?:between|by|with|at|which|that|witnessed|were|was)\b))",
            re.IGNORECASE,
        )
        tails = alternation(vocab.words("document_subject_tails"), boundary=False)
        self.tail = re.compile(rf"\s+(?P<tail>{tails})$", re.IGNORECASE)
        shared = alternation(vocab.words("document_shared_tails"))
        self.shared_tail = re.compile(shared, re.IGNORECASE)
        suffixes = alternation(vocab.words("adjective_suffixes"), boundary=False)
        self.adjective = re.compile(rf"[a-z]{{2,}}{suffixes}$", re.IGNORECASE)
        heads = alternation(vocab.words("document_subject_heads"), boundary=False)
        self.head = re.compile(rf"{heads}\s+", re.IGNORECASE)
        self.quoted = _marks(vocab.raw.get("title_marks") or [])

    def without_venue(self, title: str) -> str:
        """An unquoted title without the meeting's place (`venue`) after it, where it was
        signed ("... Co-operation in Vancouver" at a meeting in Vancouver); not "...
        Co-operation in Marine Ranching" nor "... Co-operation Zone in Hengqin"."""
        if not self.venue:
            return title
        m = _IN_PLACE_TAIL.search(title)
        if m is None or m.start() == 0 or m.group("place") != self.venue:
            return title
        return title if title[: m.start()].split()[-1] in self.place_heads else title[: m.start()]

    def subjects(self, text: str) -> list[tuple[str, re.Match[str]]]:
        """ "agreements on economic, Chinese medicine and vocational education co-operation":
        one title per subject. The last subject's last word is shared when the others need
        it: after an adjective ("economic, cultural and youth exchanges"), or when it is the
        co-operation the noun does not already say ("agreements on trade and tourism
        co-operation"); "co-operation agreements on finance and youth exchanges" keeps it to
        youth. Nothing for "agreements on various areas" or "... and others"."""
        out = []
        for m in self.plural.finditer(text):
            subjects = m.group("subjects").strip()
            if _NOT_SUBJECTS.search(subjects):
                continue
            parts = _LIST_SPLIT.split(subjects)
            last = re.split(r"\s+and\s+", parts[-1])
            parts = parts[:-1] + ([last[0], " and ".join(last[1:])] if len(last) > 1 else last)
            parts = [p.strip() for p in parts if p.strip()]
            count = self.vocab.number(m.group("n")) if m.group("n") else None
            if not parts or any(len(p.split()) > _MAX_SUBJECT_WORDS for p in parts):
                continue
            if count is not None and count != len(parts):
                continue  # "12 agreements on trade and culture": subjects, not documents
            if any(self.tail.search(f" {p}") and len(p.split()) == 1 for p in parts):
                continue  # "memoranda on co-operation between A and B in ...": no topic
            noun = self.singular[re.sub(r"\s+", " ", m.group("noun").lower())]
            tail = self.tail.search(parts[-1])
            if tail and self._shares(parts[:-1], tail.group("tail"), noun):
                parts = [p if self.tail.search(p) else f"{p} {tail.group('tail')}" for p in parts]
            head = self.head.match(parts[0])
            if head:  # "co-operation in trade, tourism and education" ("... and in education")
                parts = [
                    p if self.head.match(p) else head.group() + re.sub(r"^(?:in|on)\s+", "", p)
                    for p in parts
                ]
            out += [(f"{noun} on {clean(p)}", m) for p in parts]
        return out

    def _shares(self, others: list[str], tail: str, noun: str) -> bool:
        if any(self.adjective.search(p) for p in others):
            return True
        return bool(self.shared_tail.fullmatch(tail)) and not self.shared_tail.search(noun)

    def untitled(self, phrase: str, definite: bool = False) -> str | None:
        """A lower-case description of one document ("co-operation agreement on joint
        promotion of professional services") as its title: the first letter capitalised.
        After "the" (`definite`) it must say what the document is on ("the memorandum of
        understanding on sports"): "the relevant agreement" refers to one named before."""
        phrase = clean(re.sub(r"[\"“”]", "", phrase)).rstrip(" ,;.")
        # What it is on, not who signs it: the parties go to the document's parties. Unless
        # the topic comes after them ("agreement between A and B on treasury services").
        parties = _PARTIES.search(phrase)
        if parties is not None:
            noun = self.singular_noun.search(phrase, 0, parties.start())
            if noun is not None and _TOPIC.match(phrase, noun.end(), parties.start()):
                phrase = phrase[: parties.start()]
        words = phrase.split()
        if not 2 <= len(words) <= _MAX_PHRASE_WORDS or not phrase[:1].islower():
            return None
        noun = self.singular_noun.search(phrase)
        if noun is None or self.plural_noun.search(phrase):
            return None
        # "the memorandum on sports", not "the memorandum for the Hong Kong side": that one
        # names a document read before.
        if definite and not _SAYS_ON.match(phrase, noun.end()):
            return None
        return phrase[0].upper() + phrase[1:]


def _marks(pairs: list[list[str]]) -> re.Pattern[str]:
    """One alternative per pair of title marks (openers, closers). A mark that also stands
    in words (an apostrophe, an underscore) opens only where no letter stands before it and
    closes only where none follows: "People's" and "Hong Kong's" hold no quote."""
    alts = []
    for i, (opens, closes) in enumerate(pairs):
        o, c = re.escape(opens), re.escape(closes)
        # No double quote inside a title, nor an opener that cannot also be its closer.
        inner = re.escape("".join(sorted((set(opens) - set(closes)) | set('"“”'))))
        # Spaced marks ("« Accord on ... »") only where an opener cannot be read as a closer.
        lead = r"\s*" if not set(opens) & set(closes) else r"(?=\S)"
        alts.append(rf"(?<![\w{o}])[{o}]{lead}(?P<t{i}>[^{inner}]{{3,300}}?)[{c}](?![\w’])")
    return re.compile("|".join(alts) or "(?!)")


def quoted_titles(
    text: str, signing: Signing, skip: Collection[int] = ()
) -> list[tuple[str, int, int]]:
    """Titles between the marks of `title_marks` and where each starts and ends, except those
    that end at one of `skip` (the offsets of an earlier signing: ' "X", signed at the first
    plenary in 2019 ')."""
    titles = []
    for m in signing.quoted.finditer(text):
        inner = next(v for k, v in m.groupdict().items() if v is not None)
        title = clean(inner).rstrip(" ,;")
        rest = re.match(r"[\s,]*", text[m.end() :])
        if m.end() + (rest.end() if rest else 0) in skip:
            continue
        if title[:1].isupper() and len(title.split()) >= 2:
            titles.append((title, m.start(), m.end()))
    return titles


def listed_title(text: str, signing: Signing) -> list[str]:
    """An unquoted title that a list item after a signing lead-in consists of ("- the
    Co-operation Agreement on ... between A and B;")."""
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)
    end = _ITEM_END.search(text)
    title = clean(text[: end.start()] if end else text)
    if title[:1].islower():  # "- a memorandum of understanding on tourism co-operation;"
        untitled = signing.untitled(title)
        return [untitled] if untitled else []
    if not title[:1].isupper() or signing.nouns.search(title) is None:
        return []
    return [title] if len(title.split()) >= 2 else []


def prose_titles(text: str, cue: re.Match[str], signing: Signing) -> list[str]:
    """Unquoted titles after an active signing word ("A and B signed the Co-operation
    Memorandum of the Seventh Meeting of ..."): capitalised words (joined by "of", "on",
    "between", "and the", ...) with a document's noun; "X Agreement and the Y Memorandum" are
    two titles, "... between the A and the B" one. "signed a co-operation agreement on ..."
    (or "the memorandum of understanding on ...") is an untitled one."""
    # "the signing, on the occasion of the Conference, of the Memorandum ...": an aside.
    after = re.match(
        r"(?:\s*,[^,;.]{1,60},)?\s+(?:of\s+)?(?P<article>the|an?|one)\s+", text[cue.end() :]
    )
    if after is None:
        return []
    start = cue.end() + after.end()
    m = signing.prose_title.match(text, start)
    if m is not None and (
        after.group("article").lower() == "the"
        or signing.nouns.match(m.group())  # "signed a Memorandum of ..."
        or signing.nouns.fullmatch(m.group().split()[-1])  # "a Green Certification Agreement"
    ):
        return _split_titles(m.group(), signing) + _and_another(text, m.end(), signing)
    end = _PHRASE_END.search(text, start)
    definite = after.group("article").lower() == "the"
    title = signing.untitled(text[start : end.start() if end else len(text)], definite)
    return [title] if title else []


# "signed a Memorandum of Understanding on X and an Agreement on Y": the next title.
_AND_ANOTHER = re.compile(r"\s*,?\s+and\s+(?:also\s+)?(?:an?|the|one)\s+")


def _and_another(text: str, end: int, signing: Signing) -> list[str]:
    """The titles after the one ending at `end`, each after "and a(n)/the" ("... and an
    Agreement on Film Co-production"), while each is one (capitalised, with a noun)."""
    out: list[str] = []
    while (more := _AND_ANOTHER.match(text, end)) is not None:
        m = signing.prose_title.match(text, more.end())
        if m is None or not (
            signing.nouns.match(m.group()) or signing.nouns.fullmatch(m.group().split()[-1])
        ):
            break
        out += _split_titles(m.group(), signing)
        end = m.end()
    return out


def inline_titles(text: str, cue: re.Match[str], signing: Signing) -> list[str]:
    """Unquoted titles listed after the signing word, after "including", "namely" or a
    colon ("signed six documents, including the A and the B")."""
    intro = _INLINE_LIST.search(text, cue.end())
    if intro is None:
        return []
    return listed_from(text, intro.end(), signing)


def listed_from(text: str, at: int, signing: Signing) -> list[str]:
    """The titles listed from `at` on: capitalised titles, or descriptions each after its
    article ("a memorandum on X between A and B, and an agreement on Y")."""
    titles: list[str] = []
    while True:
        m = signing.prose_title.match(text, at)
        article = _ARTICLE.match(text, at)
        if m is None and article is not None:  # "including a Memorandum of Understanding on X"
            titled = signing.prose_title.match(text, article.end())
            m = titled if titled is not None and signing.nouns.match(titled.group()) else None
        if m is not None:
            titles += _split_titles(m.group(), signing)
            end = m.end()
        else:  # "...; a memorandum of understanding on X between A and B; and an ..."
            article = _ARTICLE.match(text, at)
            stop = _ITEM_STOP.search(text, article.end()) if article else None
            phrase = text[article.end() : stop.start() if stop else len(text)] if article else ""
            title = signing.untitled(phrase) if article else None
            if article is None or title is None:
                break
            titles.append(title)
            end = article.end() + len(phrase)
        signers = _SIGNED_CLAUSE.match(text, end)  # ", signed by A and B": the next item after
        end = signers.end() if signers is not None else end
        glue = _LIST_GLUE.match(text, end)
        if glue is None or glue.end() == end:
            break
        at = glue.end()
    return titles


def passive_titles(text: str, cue: re.Match[str], signing: Signing) -> list[str]:
    """What a passive signing signs: the title that ends where "was signed" begins ("The
    Co-operation Arrangement on Food Safety between A and B was signed by ...", "The
    Framework Agreement and the Co-operation Memorandum were signed"), or a lower-case
    description from its article ("a memorandum of understanding on co-operation in Chinese
    medicine was signed")."""
    aux = _passive(text, cue)
    if aux is None:
        return []
    before = text[: aux.start()]
    capital = [m for m in signing.prose_title.finditer(before) if m.end() == len(before)]
    if capital:
        phrase = re.sub(r"^(?:The|An?)\s+", "", capital[-1].group())  # "A Memorandum ..."
        titles = _split_titles(phrase, signing)
        if titles:
            return titles
    for m in reversed(list(_ARTICLE.finditer(before))):
        phrase = before[m.end() :]
        if re.search(r"[,;:]", phrase):
            break
        title = signing.untitled(phrase, m.group().lower().startswith("the"))
        if title:
            return [title]
    return []


def relative_titles(text: str, cue: re.Match[str], signing: Signing) -> list[str]:
    """The title a relative clause signs: "the Memorandum of Understanding on X, which Ms A
    and Mr B signed on behalf of ..."."""
    which = _WHICH.search(text, 0, cue.start())
    if which is None:
        return []
    before = text[: which.start()]
    capital = [m for m in signing.prose_title.finditer(before) if m.end() == len(before)]
    return _split_titles(re.sub(r"^The\s+", "", capital[-1].group()), signing) if capital else []


_WHICH = re.compile(r",\s+which\s+(?:[^,;.]{0,80}\s)?$")


def passive_aux(text: str, cue: re.Match[str]) -> bool:
    """Whether the signing word is passive ("was signed", "were also signed")."""
    return _passive(text, cue) is not None


def _passive(text: str, cue: re.Match[str]) -> re.Match[str] | None:
    aux = _PASSIVE.search(text, 0, cue.start())
    if aux is None and _BY_AFTER.match(text, cue.end()):
        aux = _PARTICIPLE.search(text, 0, cue.start())
    return aux


def _split_titles(phrase: str, signing: Signing) -> list[str]:
    titles: list[str] = []
    for part in re.split(r"\s+and\s+the\s+", clean(phrase)):
        if signing.nouns.search(part) or not titles:
            titles.append(part)
        else:
            titles[-1] += " and the " + part
    titles = [signing.without_venue(t) for t in titles]
    return [t for t in titles if signing.nouns.search(t) and len(t.split()) >= 2]


# "... on Trade Co-operation in Vancouver": where it was signed, after an unquoted title.
_IN_PLACE_TAIL = re.compile(
    r"\s+in\s+(?:the\s+)?(?P<place>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})$"
)


def short_form(text: str, signing: Signing, docs: list[SignedDocument]) -> SignedDocument | None:
    """The one document a later sentence names by the first words of its title ("The
    Co-operation Memorandum was signed by ...")."""
    for m in re.finditer(r"[A-Z][\w'’-]*(?:\s+(?:of\s+)?[A-Z][\w'’-]*)*", text):
        phrase = m.group()
        if signing.nouns.search(phrase) is None:
            continue
        hits = known(phrase, docs)
        if len(hits) == 1:
            return hits[0]
    return None


def the_noun(
    text: str, cue: re.Match[str], signing: Signing, docs: list[SignedDocument]
) -> SignedDocument | None:
    """The document of its kind named last, referred to by its noun ("the memorandum was
    signed by ...", "A and B signed the agreement")."""
    aux = _passive(text, cue)
    if aux is not None and docs and _GENERIC_SUBJECT.fullmatch(text[: aux.start()]):
        return docs[-1]  # "The document was signed by ...", "It was signed by ...": the last
    if aux is not None:
        m = re.search(rf"(?<![\w-])the\s+{_THE_NOUN}$", text[: aux.start()], re.I)
    else:
        m = re.match(
            rf"\s+the\s+{_THE_NOUN}\s*(?:[,.;]|\s+(?:for|on\s+behalf\s+of|with)\b|$)",
            text[cue.end() :],
            re.I,
        )
    if m is None:
        return None
    word = m.group("noun")
    if _ABBREVIATION.fullmatch(word):  # "the MoU", "the LOI": the last whose initials they are
        hits = [d for d in docs if _initials(d.title).startswith(word.upper())]
        return hits[-1] if hits else None
    if not (signing.singular_noun.fullmatch(word) or word.lower() in signing.noun_heads):
        return None
    # "the framework agreement": the one whose title begins so, else the last of its noun.
    if m.group("mods"):
        hits = known(m.group("mods") + word, docs)
        if len(hits) == 1:
            return hits[0]
    noun = re.compile(rf"(?<![\w-]){word}(?![\w-])", re.I)
    hits = [d for d in docs if noun.search(d.title)]
    if not hits and not m.group("mods") and word.lower() in signing.generic_nouns and docs:
        # "the agreement" of a release that signs a memorandum: that one, unless its
        # signatories are known ("The relevant agreement ..." is another).
        return None if docs[-1].signatories else docs[-1]
    return hits[-1] if hits else None  # the nearest one named before


# "MoU", "MOU", "LoI": two to five letters, two or more of them capitals.
_ABBREVIATION = re.compile(r"(?=(?:[a-z]*[A-Z]){2})[A-Z][A-Za-z]{1,4}")


def _initials(title: str) -> str:
    """The first letters of a title's words ("Memorandum of Understanding on X" -> "MOUOX")."""
    return "".join(w[0] for w in title.split() if w[0].isalpha()).upper()


# A sentence whose subject is the document named just before, by no noun of its kind.
_GENERIC_SUBJECT = re.compile(r"\s*(?:(?:The|This)\s+(?:document|text)|It)\s*", re.I)


def known(title: str, docs: list[SignedDocument]) -> list[SignedDocument]:
    """The documents whose title begins with `title` (a short form names one of them)."""
    key = name_key(title)
    return [d for d in docs if name_key(d.title).startswith(key)]
