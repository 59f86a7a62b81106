"""Documents signed at the meeting (not those signed at an earlier one, nor still to be
signed), their signatories (not their witnesses) and their parties. How a release names a
document, quoted or not, titled or only described, is read by kg/extract/doctitles.py."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from kg.extract.bodies import BodyFinder
from kg.extract.doctable import Table, table_documents
from kg.extract.doctitles import (
    Signing,
    inline_titles,
    known,
    listed_from,
    listed_title,
    passive_aux,
    passive_titles,
    prose_titles,
    quoted_titles,
    relative_titles,
    short_form,
    signers_at_end,
    the_noun,
)
from kg.extract.earlier import earlier_signing
from kg.extract.mention import clean
from kg.extract.people import PersonMention
from kg.extract.segment import Block, sentences
from kg.extract.vocab import Vocabulary, alternation
from kg.model import Person, SignedDocument, Span
from kg.registry import Registry, name_key

_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?(?P<parties>.+)$", re.S)
_BY = re.compile(r"\s+by\b")
_TITLE_LINE_WORDS = 12
_HEADING_WORDS = 8  # "Documents signed at the Second Meeting of the Conference"
_ANNEX_TITLE_WORDS = 24
# What names the rest of a set of documents after its signing sentence.
_OTHERS = re.compile(
    r"(?:The\s+(?:other|remaining)\s+(?:\w+\s+)?|They|These|Those)\s*"
    r"(?:documents\s+|agreements\s+)?(?:were|are|include|included)\s+",
)
_DANGLING = frozenset(["of", "the", "at", "and", "in", "for", "on", "between", "to"])
_SIGNED_BY = re.compile(r"\s*(?:Signed\s+by|Signatories|Signing\s+parties)\s*[:：]\s*", re.I)
_OBJECT_GLUE = re.compile(r"\s*(?:[,;:]\s*)?(?:and\s+)?(?:of\s+)?(?:the\s+)?")
# An abbreviation in brackets ("Memorandum of Understanding (MOU) on Tourism") is blanked,
# keeping offsets, before unquoted titles are read: it interrupts the title's words.
_ABBREVIATION = re.compile(r"\s*\([A-Z][A-Za-z]{1,7}\)")
# A listed document named by its number ("Document (1) was signed by ...", "Documents (2) to
# (5) were signed respectively by ...").
_NUMBERED = re.compile(
    r"\b(?:[Dd]ocuments?|[Aa]greements?|[Ii]tems?)\s+(?P<refs>\(?[0-9a-z]{1,3}\)"
    r"(?:\s*(?:,|and|to|-|–)\s*\(?[0-9a-z]{1,3}\))*)"
)
# A listed document named by its rank among those of its kind ("The first memorandum was
# signed by ...", "the second agreement").
_RANKED = re.compile(
    r"\b[Tt]he\s+(?P<rank>[a-z]+)\s+(?P<kind>memorand(?:um|a|ums)|agreements?|documents?)\s*$"
)
_ON_BEHALF = re.compile(r"\s+(?:it\s+|them\s+)?(?:on\s+behalf\s+of|for)\b")
_QUOTED_REACH = 30
_MAX_CUES = 50
_CLOSE_QUOTE = re.compile(r"[^\"“”]{0,30}[\"”]")
# A lead-in ends in a colon, or in a dash ("... witnessed the signing of two documents –").
_LEAD_END = re.compile(r"(?::|\s[–—])$")
_REF = re.compile(r"\(?([0-9a-z]{1,3})\)")
_RESPECTIVELY = re.compile(r"\brespectively\b")


def find_documents(
    blocks: list[Block],
    vocab: Vocabulary,
    registry: Registry,
    finder: BodyFinder,
    mentions: list[PersonMention],
    people: list[Person],
    ordinal: int | None = None,
    tables: list[Table] | None = None,
    whole: SignedDocument | None = None,
    venue: str | None = None,
) -> list[SignedDocument]:
    """Signed documents in order of first mention; a title named again is the same one. A
    document named as signed at an earlier meeting is not one of them (`ordinal`: this
    meeting's, 1 for a first plenary, when known). `blocks` hold the page chrome too;
    `tables` are the tables of signed documents among them (`kg.extract.doctable`);
    `whole` the text itself when it is a signed document (`kg.extract.signature`), first;
    `venue` the meeting's place, which ends no unquoted title ("... in Vancouver")."""
    reader = _Reader(vocab, mentions, ordinal)
    reader.signing.venue = venue
    tables = tables or []
    tabled = table_documents(
        blocks,
        tables,
        lambda s, e: [p.name for p in mentions if s <= p.span.start and p.span.end <= e],
        lambda text: _unique(m.label for m in finder.find(text)),
    )
    rows = {i for t in tables for i in t.blocks}
    for i, block in enumerate(blocks):
        if i in rows:
            # A table's rows are read by kg.extract.doctable, in its place among the rest.
            for doc in [d for d in tabled if d.span and block.span.start <= d.span.start]:
                if doc.span and doc.span.end <= block.span.end:
                    reader.add(doc.title, doc.signatories, doc.span)
                    reader.docs[name_key(doc.title)].parties = doc.parties
        elif not block.chrome:
            reader.read(block)
    reader.described_later()
    if whole is not None and name_key(whole.title) not in reader.docs:
        reader.docs = {name_key(whole.title): whole, **reader.docs}  # its title comes first
    docs = list(reader.docs.values())
    for doc in docs:
        by_line = reader.signed_by.get(name_key(doc.title))
        signers, every = _signers_bodies(doc, people)
        # A signatory whose post names no body ("Mr Lam"): the bodies that signed, if the
        # signing sentence names them, rather than the other side's alone.
        doc.parties = (
            doc.parties
            or (_unique(m.label for m in finder.find(by_line)) if by_line else [])
            or _parties(doc, registry, finder)
            or (signers if every else [])
            or _signing_bodies(doc, vocab, finder)
            or signers
        )
    return docs


class _Reader:
    """The documents of one release, read paragraph by paragraph: a lead-in ("... were
    signed:") passes its signatories to the list items after it."""

    def __init__(self, vocab: Vocabulary, mentions: list[PersonMention], ordinal: int | None):
        self.vocab, self.ordinal = vocab, ordinal
        # Each sentence's people, looked up: not every mention of the document per signing.
        self.mentions: dict[tuple[int, int, str], list[PersonMention]] = {}
        for p in mentions:
            self.mentions.setdefault(_key(p.sentence), []).append(p)
        self.signing = Signing(vocab)
        words = alternation(vocab.words("signing_heading_words"), boundary=False)
        self.heading_word = re.compile(rf"(?<![\w-]){words}(?![\w-])", re.IGNORECASE)
        self.honorifics = frozenset(vocab.words("honorifics"))
        self.docs: dict[str, SignedDocument] = {}
        self.lead: list[str] | None = None  # the lead-in's signatories, while its list lasts
        # Documents a lead-in only described ("four agreements on trade, ... and health:"):
        # its list names them, and the list's titles replace the descriptions.
        self.described: list[str] = []
        # The documents of the last list, in its order: a later sentence may name them by
        # their numbers, or give their signatories "respectively".
        self.items: list[str] = []
        # Documents only described as a set ("three memorandums on A, B and C"), a set per
        # sentence: titled later, the titles replace them (`described_later`).
        self.groups: list[list[str]] = []
        self.open_heading = False  # the last block was a signing heading cut after "of the"
        self.signed_in: int | None = None  # the paragraph of the last signing sentence
        # A listed document's "Signed by:" line that names bodies, not people.
        self.signed_by: dict[str, str] = {}

    def add(self, title: str, signers: list[str], span: Span) -> None:
        doc = self.docs.get(name_key(title))
        if doc is None:
            doc = self.docs[name_key(title)] = SignedDocument(title, span=span)
        for name in signers:
            if name not in doc.signatories:
                doc.signatories.append(name)

    def read(self, block: Block) -> None:
        open_heading, self.open_heading = self.open_heading, False
        if open_heading and block.marker is None and not block.text.rstrip().endswith("."):
            return  # the second line of a signing heading wrapped after "of the"
        if self._signing_heading(block):
            # "Signed on the day", "Documents Signed": the list under it names documents.
            self.lead, self.described, self.items = [], [], []
            words = block.text.split()
            self.open_heading = bool(words) and words[-1].lower() in _DANGLING
            return
        by = _SIGNED_BY.match(block.text) if self.items else None
        if by is not None:
            self._signed_by(block, block.text[by.end() :])  # "Signed by: A and B" under an item
            return
        if self.lead is None and block.marker is not None:
            self.items = []  # a new list: its own numbers
        if self.lead is not None and block.marker is None:
            self.lead, self.described = None, []
        in_list = self.lead is not None and block.marker is not None
        cued: list[str] | None = None  # the signatories of this paragraph's signing sentence
        here: list[str] = []  # keys of the documents this paragraph only describes
        for sent in sentences(block, self.honorifics):
            signers = self.sentence(sent, block, in_list, here)
            if signers is not None:
                self.signed_in = id(block)
                cued = signers
                if _LEAD_END.search(sent.text.rstrip()):
                    self.lead, self.described = signers, here
        if cued is not None and self.lead is None and _leads_a_list(block.text, self.signing):
            self.lead, self.described = cued, here  # "... signed seven agreements. They include:"

    def _signed_by(self, block: Block, signers: str) -> None:
        doc = self.docs.get(self.items[-1])
        if doc is None:
            return
        people = [
            p.name
            for sent in sentences(block, self.honorifics)
            for p in self.mentions.get(_key(sent), [])
        ]
        for name in _unique(people):
            if name not in doc.signatories:
                doc.signatories.append(name)
        if not people:  # signed by bodies: read as its parties
            self.signed_by[name_key(doc.title)] = signers

    def _signing_heading(self, block: Block) -> bool:
        text = block.text
        if block.marker is not None or text.rstrip().endswith((".", ";", ",", ":")):
            return False
        if len(text.split()) <= _HEADING_WORDS:
            return bool(self.heading_word.search(text) and self.vocab.sign.search(text))
        # A longer title of an annex: "Co-operation documents signed at the First Meeting
        # of the Hong Kong/Huai'an Co-operation Conference (16 June 2023)".
        return (
            len(text.split()) <= _ANNEX_TITLE_WORDS
            and self.signing.listed_signed.match(text) is not None
        )

    def sentence(
        self, sent: Span, block: Block, in_list: bool, here: list[str]
    ) -> list[str] | None:
        """Read one sentence; the signatories of its signing, None when it signs nothing."""
        vocab, signing = self.vocab, self.signing
        # Each signing word is read against its sentence: a "sentence" of thousands of them
        # (a garbled or hostile line) would take quadratic time. No real one holds this many.
        found = (c for c in vocab.sign.finditer(sent.text) if not _quoted_word(sent.text, c))
        cues = list(itertools.islice(found, _MAX_CUES))
        earlier = [c.start() for c in cues if earlier_signing(sent.text, c, vocab, self.ordinal)]
        now = [c for c in cues if c.start() not in earlier]
        if not now and (earlier or not in_list):
            others = _OTHERS.match(sent.text)
            if (
                others
                and not earlier
                and self.signed_in is not None
                and self.signed_in == id(block)
            ):
                # "Three documents were signed. ... The other two were an agreement on X
                # between A and B, and a memorandum on Y ...": the rest of the set.
                for title in listed_from(sent.text, others.end(), signing):
                    self.add(title, [], sent)
            return None
        windows = _windows(sent.text, now)

        def signers_of(i: int) -> list[str]:
            return _signers(sent, now[i], vocab, self.mentions.get(_key(sent), []), windows[i])

        if now and self._by_number(sent, now[0]):
            return signers_of(0)
        signers = signers_of(0) if now else list(self.lead or [])
        span = sent if now else block.span
        quoted = _signed_quotes(sent.text, earlier, now, in_list, signing)
        for title, at in quoted:  # with the signers of the signing whose share it is in
            share = next((i for i, (lo, hi) in enumerate(windows) if lo <= at < hi), 0)
            self.add(title, signers_of(share) if share else signers, span)
        titles = [title for title, _ in quoted]
        # "A and B signed a memorandum on X, while C and D signed the “Y”": the first
        # signing's document is read even though a later one's is quoted.
        first_quoted = any(
            next((i for i, (lo, hi) in enumerate(windows) if lo <= at < hi), 0) == 0
            for _, at in quoted
        )
        text = _ABBREVIATION.sub(lambda m: " " * len(m.group()), sent.text)
        if not titles and in_list:
            titles = listed_title(text, signing)
            tail = signers_at_end(text)
            if titles and tail and not signers:  # "1. Memorandum on X (Miss A and Dr B)"
                at = sent.start + tail[0]
                people = self.mentions.get(_key(sent), [])
                signers = _unique(p.name for p in people if p.span.start >= at)
            for title in titles:
                self.add(title, signers, span)
        if titles and in_list:
            self.items += [name_key(t) for t in titles if name_key(t) not in self.items]
        if titles and in_list:
            for key in self.described:
                self.docs.pop(key, None)
            self.described = []
        if not now:
            return None
        cue = now[0]
        if not titles or (len(now) > 1 and not first_quoted and not in_list):
            first = _named(text, cue, signing, list(self.docs.values()))
            if titles:  # only what the first signing's own share names
                first = [t for t in first if t not in titles and _within(text, t, windows[0])]
            for title in first:
                self.add(title, signers, sent)
            titles += first
        subjects: list[tuple[str, re.Match[str]]] | None = None
        if not titles:
            group = []
            subjects = signing.subjects(text)
            for title, _ in subjects:
                self.add(title, signers, sent)
                titles.append(title)
                here.append(name_key(title))
                group.append(name_key(title))
            if group:
                self.groups.append(group)
        if not titles:
            known_docs = list(self.docs.values())
            short = short_form(text, signing, known_docs) or the_noun(
                text, cue, signing, known_docs
            )
            if short is not None:
                self.add(short.title, signers, short.span or sent)
        for i in range(1, len(now)):  # "..., and the Y was signed by C and D"
            if _ON_BEHALF.match(text, now[i].end()):
                # "A and B signed the X, with C and D signing on behalf of ...": the people
                # who signed it for its parties.
                for title in titles:
                    self.add(title, signers_of(i), sent)
                continue
            item = _participle_of(text, now[i], titles)
            if item is not None:  # "including a framework agreement on X, signed by A and B,"
                self.add(item, signers_of(i), sent)
                continue
            later = _named(text, now[i], signing, list(self.docs.values()))
            if not later:  # "..., while officials inked three memorandums covering A and B"
                lo, hi = windows[i]
                if subjects is None:  # read once: a sentence may hold thousands of cues
                    subjects = signing.subjects(text)
                later = [t for t, m in subjects if lo <= m.start() < hi]
                self.groups.append([name_key(t) for t in later if t not in titles])
            for title in later:
                if title not in titles:
                    self.add(title, signers_of(i), sent)
        return signers

    def described_later(self) -> None:
        """Drop a set of documents only described ("Three memorandums of understanding on
        co-operation in maritime affairs, maritime education and air cargo were signed")
        when the release goes on to name at least as many documents by their titles: those
        are the same documents, titled."""
        described = {key for group in self.groups for key in group}
        order = list(self.docs)
        for group in self.groups:
            present = [key for key in group if key in self.docs]
            if not present:
                continue
            last = max(order.index(key) for key in present)
            titled = [k for k in order[last + 1 :] if k not in described]
            if len(titled) >= len(present):
                for key in present:
                    self.docs.pop(key, None)

    def _by_number(self, sent: Span, cue: re.Match[str]) -> bool:
        """A signing of listed documents named by their numbers or listed before: "Document
        (1) was signed by A and B", "Documents (2) to (5) were signed respectively by A and
        B; C and D; ...", "The agreements were signed respectively by ...". The signatories
        of each document are the people of its share (shares are separated by ";")."""
        text = sent.text
        ref = _NUMBERED.search(text, 0, cue.start())
        respectively = _RESPECTIVELY.search(text, cue.end()) or _RESPECTIVELY.search(
            text, 0, cue.start()
        )
        ranked = _RANKED.search(text, 0, _subject_end(text, cue.start()))
        rank = self.vocab.ordinal(ranked.group("rank")) if ranked else None
        if not self.items or (ref is None and respectively is None and rank is None):
            return False
        if ranked is not None and rank is not None and ref is None:
            kind = ranked.group("kind").casefold()
            stem = "memorand" if kind.startswith("memorand") else kind.rstrip("s")
            of_kind = [k for k in self.items if stem == "document" or stem in k.casefold()]
            if rank > len(of_kind):
                return False
            keys = [of_kind[rank - 1]]
        elif ref is not None:
            numbers = _numbers(ref.group("refs"))
            if not numbers or max(numbers) > len(self.items):
                return False
            keys = [self.items[n - 1] for n in numbers]
        else:
            keys = list(self.items)
        here = sorted(self.mentions.get(_key(sent), []), key=lambda p: p.span.start)
        # Those who witnessed it ("..., witnessed by A and B") did not sign it.
        witness = self.vocab.witness_after.search(text, cue.end())
        stop = sent.start + (witness.start() if witness else len(text))
        after = [p for p in here if sent.start + cue.end() <= p.span.start < stop]
        if len(keys) == 1:
            shares = [after]
        else:
            if respectively is None:
                return False
            cuts = [sent.start + m.start() for m in re.finditer(";", text, cue.end())]
            shares = [
                [p for p in after if lo <= p.span.start < hi]
                for lo, hi in zip([0, *cuts], [*cuts, sent.end], strict=True)
            ]
            shares = [share for share in shares if share]
            if len(shares) != len(keys):
                return False
        for key, share in zip(keys, shares, strict=True):
            doc = self.docs.get(key)
            if doc is None or not share:
                return False
        for key, share in zip(keys, shares, strict=True):
            doc = self.docs[key]
            for name in _unique(p.name for p in share):
                if name not in doc.signatories:
                    doc.signatories.append(name)
        return True


def _within(text: str, title: str, window: tuple[int, int]) -> bool:
    """Whether `title` is written (in any case) within `window` of `text`."""
    at = text.lower().find(title.lower(), window[0])
    return 0 <= at < window[1]


def _numbers(refs: str) -> list[int]:
    """ "(2) to (5)" -> [2, 3, 4, 5]; "(1) and (3)" -> [1, 3]; "(a)" -> [1]."""
    values = [_ordinal(m.group(1)) for m in _REF.finditer(refs)]
    if any(v is None for v in values):
        return []
    nums = [v for v in values if v is not None]
    if re.search(r"\)\s*(?:to|-|–)\s*\(?", refs) and len(nums) == 2 and nums[0] < nums[1]:
        return list(range(nums[0], nums[1] + 1))
    return nums


def _participle_of(text: str, cue: re.Match[str], titles: list[str]) -> str | None:
    """The listed title a participle right after it signs (", signed by A and B,"): the
    last of `titles` the sentence names before the cue."""
    if not _BY.match(text, cue.end()) or not text[: cue.start()].rstrip().endswith(","):
        return None
    low = text[: cue.start()].lower()
    placed = [(low.rfind(t.lower()), t) for t in titles]
    placed = [(at, t) for at, t in placed if at >= 0]
    return max(placed)[1] if placed else None


def _subject_end(text: str, cue: int) -> int:
    """Where the words before a signing cue end: "The first memorandum was signed" ends
    before "was"."""
    m = re.search(r"\s+(?:was|were|is|are|has\s+been|had\s+been)\s*$", text[:cue])
    return m.start() if m else cue


def _ordinal(ref: str) -> int | None:
    if ref.isdigit():
        return int(ref) or None
    if len(ref) == 1 and ref.isalpha():
        return ord(ref) - ord("a") + 1
    roman = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}
    return roman.get(ref)


def _signed_quotes(
    text: str, earlier: list[int], cues: list[re.Match[str]], in_list: bool, signing: Signing
) -> list[tuple[str, int]]:
    """The quoted titles of a signing sentence and where each starts. A quoted name is a
    document when it says so (a document's noun), in a list of signed documents, or when it
    is what a signing word signs ("signed the “Xanadu Compact” and the “Youth Pact”"); not
    otherwise ("signed a letter of intent on the “Tech Hub” project" names a project)."""
    out = []
    ends = [c.end() for c in cues]
    for title, start, end in quoted_titles(text, signing, earlier):
        named = in_list or signing.any_noun.search(title)
        if named or any(_OBJECT_GLUE.fullmatch(text[e:start]) for e in ends):
            out.append((title, start))
            ends.append(end)  # the next quote may be listed after this one
    return out


def _leads_a_list(text: str, signing: Signing) -> bool:
    """A paragraph that ends in a colon, or a title line about signed documents ("List of
    co-operation agreements signed"), leads the list that follows."""
    text = text.rstrip()
    if text.endswith(":"):
        return True
    title_line = len(text.split()) <= _TITLE_LINE_WORDS and not text.endswith((".", ";"))
    return title_line and bool(signing.any_noun.search(text))


def _named(
    text: str, cue: re.Match[str], signing: Signing, docs: list[SignedDocument]
) -> list[str]:
    """Unquoted titles the signing sentence names before "was signed" or after "signed the";
    a short form of a title named before ("the Framework Agreement") is that document."""
    titles = (
        passive_titles(text, cue, signing)
        or relative_titles(text, cue, signing)
        or prose_titles(text, cue, signing)
        or inline_titles(text, cue, signing)
    )
    out = []
    for title in titles:
        hits = known(title, docs)
        out.append(hits[0].title if len(hits) == 1 else title)
    return out


def _quoted_word(text: str, cue: re.Match[str]) -> bool:
    """Whether a signing word stands inside a short quoted phrase ('by "cloud signing"'):
    a manner of signing, not a signing."""
    before = text[: cue.start()]
    inside = before.count('"') % 2 == 1 or before.rfind("“") > before.rfind("”")
    opened = max(before.rfind('"'), before.rfind("“"))
    near = cue.start() - opened <= _QUOTED_REACH
    return inside and near and _CLOSE_QUOTE.match(text, cue.end()) is not None


def _key(span: Span) -> tuple[int, int, str]:
    return span.start, span.end, span.text


def _signers(
    sent: Span,
    cue: re.Match[str],
    vocab: Vocabulary,
    mentions: list[PersonMention],  # those of `sent`
    window: tuple[int, int],
) -> list[str]:
    """Who signed, in a sentence with a signing word: those named before it ("A and B
    signed"), or after it when it is passive ("was signed by A and B", "was signed at the
    plenary by A and B") or when those before only witnessed ("A witnessed the signing of X
    by B"). A clause "Witnessed by A and B," or "In the presence of A," before the signers
    names witnesses only ("Witnessed by A and B, C and D signed X"); so does one after them
    ("... by A and B in the presence of C"). Only those named within `window` (offsets in
    the sentence) count: another signing of the same sentence names its own signers."""
    lo, hi = sent.start + window[0], sent.start + window[1]
    cut = sent.start + cue.start()
    here = [p for p in mentions if lo <= p.span.start < hi]
    passive = _BY.match(sent.text, cue.end()) is not None or passive_aux(sent.text, cue)
    witness = vocab.witness.search(sent.text, window[0], cue.start())
    if witness and not passive and _BY.match(sent.text, witness.end()):
        begin = _clause_end(sent, sent.start + witness.end(), here, vocab)
        return _unique(p.name for p in here if begin <= p.span.start and p.span.end <= cut)
    presence = vocab.presence.search(sent.text, window[0], cue.start())
    if presence and not passive:  # "In the presence of C, A and B signed X"
        begin = _clause_end(sent, sent.start + presence.end(), here, vocab)
        return _unique(p.name for p in here if begin <= p.span.start and p.span.end <= cut)
    if passive or witness:
        after = vocab.witness_after.search(sent.text, cue.end())
        stop = sent.start + after.start() if after else sent.end
        return _unique(p.name for p in here if cut <= p.span.start < stop)
    return _unique(p.name for p in here if p.span.end <= cut)


def _windows(text: str, cues: list[re.Match[str]]) -> list[tuple[int, int]]:
    """Each signing's share of a sentence that tells of several ("The X was signed by A and
    B, and the Y by C and D", "... by A and B, who also signed a Y"): from the end of the
    signing word before it to the last comma before the next."""
    bounds = []
    for i, cue in enumerate(cues):
        lo = cues[i - 1].end() if i else 0
        hi = len(text)
        if i + 1 < len(cues):
            comma = text.rfind(",", cue.end(), cues[i + 1].start())
            hi = comma if comma >= 0 else cues[i + 1].start()
        bounds.append((lo, hi))
    return bounds


def _clause_end(sent: Span, start: int, here: list[PersonMention], vocab: Vocabulary) -> int:
    """Where a "witnessed by" clause that begins at `start` ends: at its first comma that goes
    on neither to another witness (", and ...") nor, after a post, to the post's holder ("the
    Chief Executive, Mr Lee"); a comma right after a named person ends it."""
    holder = re.compile(rf",\s*{alternation(vocab.words('honorifics'))}")
    ends = {p.span.end for p in here}
    for m in re.compile(",").finditer(sent.text, start - sent.start):
        at = sent.start + m.start()
        if re.match(r",\s*and\b", sent.text[m.start() :]):
            continue
        if at in ends or not holder.match(sent.text, m.start()):
            return at
    return sent.end


def _parties(doc: SignedDocument, registry: Registry, finder: BodyFinder) -> list[str]:
    """ "between X and Y" in the title or right after it (a description's: "a memorandum
    on X between A and B, and ...")."""
    m = _BETWEEN.search(doc.title) or _between_after(doc)
    if m:
        text = m.group("parties")
        bodies = [(b.span.start, b.span.end, b.label) for b in finder.find(text)]
        places = [
            (s, e, p.name)
            for s, e, p in registry.find_jurisdictions(text)
            if not any(bs <= s < be for bs, be, _ in bodies)
        ]
        found = _unique(label for _, _, label in sorted(bodies + places))
        if len(found) >= 2:
            return found
        # Names read as they are written only after "between": "on behalf of WHETO and
        # the ..." leaves the parties to the signatories' posts.
        if re.match(r"\s*between\b", m.group()):
            parts = [clean(part) for part in re.split(r"\s+and\s+", text, maxsplit=1)]
            # "between InvestHK and the Bureau": "the Bureau" refers to a body named before.
            # Nor is "between their member enterprises" a pair of names.
            return [
                part
                for part in parts
                if not _BACK_REFERENCE.fullmatch(part) and any(c.isupper() for c in part)
            ]
    return []


def _signers_bodies(doc: SignedDocument, people: list[Person]) -> tuple[list[str], bool]:
    """The bodies of the signatories' posts, and whether every signatory's post names one."""
    holders = {p.name: p for p in people}
    bodies = [
        h.body
        for name in doc.signatories
        if name in holders
        for h in holders[name].posts[:1]
        if h.body
    ]
    return _unique(bodies), len(bodies) == len(doc.signatories)


_BACK_REFERENCE = re.compile(r"(?i:the|this|that)\s+[A-Z][\w-]*")
# The parties after a description, up to the end of its item ("; ", ". ", ", and an ..."):
# "between A and B", or those it was signed for ("on behalf of A and B").
_BETWEEN_AFTER = re.compile(
    r"\s+(?:between|on\s+behalf\s+of)\s+(?:the\s+)?(?P<parties>.+?)"
    r"(?=;|\.(?:\s|$)|,\s+(?:and\s+)?(?:an?|one)\s|,\s+witnessed\b|$)",
    re.S,
)


def _between_after(doc: SignedDocument) -> re.Match[str] | None:
    if doc.span is None:
        return None
    text = doc.span.text
    at = text.lower().find(doc.title.lower())
    return _BETWEEN_AFTER.match(text, at + len(doc.title)) if at >= 0 else None


def _signing_bodies(doc: SignedDocument, vocab: Vocabulary, finder: BodyFinder) -> list[str]:
    """The bodies that sign, when bodies and not people do ("the Constitutional and Mainland
    Affairs Bureau and the Jiangsu Provincial Department of Commerce signed a memorandum"):
    two or more bodies that are the subject of the signing word, no witness among them."""
    if doc.span is None:
        return []
    text = doc.span.text
    tail = signers_at_end(text)
    if tail and text.lower().find(doc.title.lower()) >= 0:  # "1. Agreement on X (A and B)"
        named = _unique(m.label for m in finder.find(tail[1]))
        if named:
            return named
    at = text.lower().find(doc.title.lower())
    cues = list(vocab.sign.finditer(text))
    by = _signed_after(text, at + len(doc.title), cues, vocab) if at >= 0 else None
    if by is not None:  # "X was signed by A and B", "including X signed by A and B"
        bodies = _unique(m.label for m in finder.find(by))
        if len(bodies) >= 2:
            return bodies
    # The signing word that signs this document: the last one before its title.
    before = [c for c in cues if at < 0 or c.end() <= at]
    cue = before[-1] if before else None
    if cue is None or passive_aux(text, cue):
        return []
    subject = text[: cue.start()]
    if vocab.witness.search(subject) or vocab.honorific.search(subject):
        return []
    # The clause of the signing word: after the last comma, but not a company's ("Co., Ltd.").
    clause = max((m.end() for m in _CLAUSE_BREAK.finditer(subject)), default=0)
    subject = subject[clause:]
    bodies = _unique(m.label for m in finder.find(subject))
    if len(bodies) == 1 and at >= 0:  # "X signed a memorandum with Y on air cargo"
        other = _WITH_PARTY.match(text, at + len(doc.title))
        partners = _unique(m.label for m in finder.find(other.group("party"))) if other else []
        bodies += [b for b in partners if b not in bodies]
    return bodies if len(bodies) >= 2 else []


_CLAUSE_BREAK = re.compile(r"[,;](?!\s*(?:Ltd|Limited|Inc)\b)")
# The other party of a document one body signs: "... signed a memorandum with the Airport
# Authority Hong Kong on air cargo", up to its topic, its clause or its sentence.
_WITH_PARTY = re.compile(
    r"\s+with\s+(?P<party>.+?)(?=\s+(?:on|in|for|to|at|during|under)\s|[,.;]\s|[,.;]?$)", re.S
)


# Where the phrase of those a passive signing names ends: its sentence or clause, the
# witnesses ("signed by A and B in the presence of C"), or the next clause ("..., and the Y
# was signed by C and D").
_BY_PHRASE_END = re.compile(
    r"[.;]\s|[.;]$|,\s+(?:and|while|whereas|with|which|as)\s"
    r"|\s(?:in\s+the\s+presence\s+of|witnessed|under\s+the\s+witness)\b",
    re.I,
)


def _signed_after(text: str, end: int, cues: list[re.Match[str]], vocab: Vocabulary) -> str | None:
    """The words after "by" of a signing word right after a title (`end`, where the title
    ends): passive ("X was signed by A and B") or a participle ("X signed by A and B");
    None when the title is not followed so, or when people sign (an honorific)."""
    cue = next((c for c in cues if c.start() >= end), None)
    by = _BY.match(text, cue.end()) if cue is not None else None
    if cue is None or by is None:
        return None
    between = text[end : cue.start()]
    if between.strip(" ,") and not passive_aux(text, cue):
        return None
    if len(between.split()) > 3:  # "was also signed": the auxiliary, not another clause
        return None
    phrase = text[by.end() :]
    stop = _BY_PHRASE_END.search(phrase)
    phrase = phrase[: stop.start()] if stop else phrase
    return None if vocab.honorific.search(phrase) else phrase


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
