"""Documents signed at the meeting: quoted titles in signing sentences, titles listed after a
signing lead-in (quoted or not), plural phrases that name several ("agreements on economic
and Chinese medicine co-operation"), their signatories and their parties."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kg.extract.bodies import BodyFinder
from kg.extract.mention import clean
from kg.extract.people import PersonMention
from kg.extract.segment import Block, sentences
from kg.extract.vocab import Vocabulary, alternation
from kg.model import Person, SignedDocument, Span
from kg.registry import Registry, name_key

_QUOTED = re.compile(r"[\"“](?P<title>[^\"“”]{3,300}?)[\"”]")
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?(?P<parties>.+)$", re.S)
_BY = re.compile(r"\s+by\b")
# What ends an unquoted title in a list item: its closing punctuation, a note in brackets,
# or a clause about its signing.
_ITEM_END = re.compile(
    r"\s*(?:\((?:Chinese|English)[^)]*\)|,?\s+(?:signed|witnessed|exchanged)\b"
    r"|[;,.]?(?:\s+(?:and|or))?\s*$|[;.]\s)",
    re.I,
)
_LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?")
_NOT_SUBJECTS = re.compile(r"\b(?:other|others|etc|various|such|areas?|fields?)\b", re.I)
_MAX_SUBJECT_WORDS = 5


class _Signing:
    """The vocabulary of signing, compiled once per document."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.nouns = re.compile(alternation(vocab.words("document_nouns")))
        plurals: dict[str, str] = dict(vocab.raw.get("document_plurals") or {})
        self.singular = {k.lower(): v for k, v in plurals.items()}
        numbers = alternation(list(vocab.raw.get("number_words") or {}), boundary=False)
        self.plural = re.compile(
            rf"(?:(?P<n>\d{{1,2}}|{numbers})\s+)?(?P<noun>{alternation(list(plurals))})"
            r"\s+on\s+(?P<subjects>[^.;:()\"“”]+?)"
            r"(?=\s*(?:[.;:(]|$|,?\s+(?:between|by|with|at|which|that|witnessed|were|was)\b))",
            re.IGNORECASE,
        )
        tails = alternation(vocab.words("document_subject_tails"), boundary=False)
        self.tail = re.compile(rf"\s+(?P<tail>{tails})$", re.IGNORECASE)
        heads = alternation(vocab.words("document_subject_heads"), boundary=False)
        self.head = re.compile(rf"{heads}\s+", re.IGNORECASE)

    def subjects(self, text: str) -> list[tuple[str, re.Match[str]]]:
        """ "agreements on economic, Chinese medicine and vocational education co-operation":
        one title per subject, the shared last word distributed ("Agreement on economic
        co-operation", ...). Nothing for "agreements on various areas" or "... and others"."""
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
            tail = self.tail.search(parts[-1])
            if tail:
                parts = [p if self.tail.search(p) else f"{p} {tail.group('tail')}" for p in parts]
            head = self.head.match(parts[0])
            if head:  # "co-operation in trade, tourism and education"
                parts = [p if self.head.match(p) else f"{head.group()}{p}" for p in parts]
            noun = self.singular[re.sub(r"\s+", " ", m.group("noun").lower())]
            out += [(f"{noun} on {clean(p)}", m) for p in parts]
        return out


def find_documents(
    blocks: list[Block],
    vocab: Vocabulary,
    registry: Registry,
    finder: BodyFinder,
    mentions: list[PersonMention],
    people: list[Person],
) -> list[SignedDocument]:
    """Signed documents in order of first mention; a title quoted again is the same one."""
    signing = _Signing(vocab)
    docs: dict[str, SignedDocument] = {}
    honorifics = frozenset(vocab.words("honorifics"))
    lead: list[str] | None = None  # signatories of a lead-in ("... were signed:") and its list

    def add(title: str, signers: list[str], span: Span) -> None:
        doc = docs.get(name_key(title))
        if doc is None:
            doc = docs[name_key(title)] = SignedDocument(title, span=span)
        for name in signers:
            if name not in doc.signatories:
                doc.signatories.append(name)

    for block in (b for b in blocks if not b.chrome):
        if lead is not None and block.marker is None:
            lead = None
        in_list = lead is not None and block.marker is not None
        cued: list[str] | None = None  # the signatories of this paragraph's signing sentence
        for sent in sentences(block, honorifics):
            cue = vocab.sign.search(sent.text)
            if cue is None and not in_list:
                continue
            signers = list(lead or [])
            if cue is not None:
                signers = cued = _signers(sent, cue, vocab, mentions)
            titles = _quoted_titles(sent.text)
            if not titles and in_list:
                titles = _listed_title(sent.text, signing)
            for title in titles:
                add(title, signers, sent if cue is not None else block.span)
            if cue is not None and not titles:
                for title, _ in signing.subjects(sent.text):
                    add(title, signers, sent)
                    titles.append(title)
            if cue is not None and not titles:
                short = _short_form(sent.text, signing, list(docs.values()))
                if short is not None:
                    add(short.title, signers, short.span or sent)
                    titles.append(short.title)
            if cue is not None and not titles:
                for title in _prose_titles(sent.text, cue, signing):
                    key = name_key(title)
                    known = [d for d in docs.values() if name_key(d.title).startswith(key)]
                    add(known[0].title if len(known) == 1 else title, signers, sent)
            if cue is not None and sent.text.rstrip().endswith(":"):
                lead = signers
        if cued is not None and lead is None and block.text.rstrip().endswith(":"):
            lead = cued  # "... signed seven agreements. They include:"
    for doc in docs.values():
        doc.parties = _parties(doc, registry, finder, people)
    return list(docs.values())


def _signers(
    sent: Span, cue: re.Match[str], vocab: Vocabulary, mentions: list[PersonMention]
) -> list[str]:
    """Who signed, in a sentence with a signing word: those named before it ("A and B
    signed"), or after it when it is passive ("was signed by A and B") or when those before
    only witnessed ("A witnessed the signing of X by B")."""
    cut = sent.start + cue.start()
    here = [p for p in mentions if p.sentence == sent]
    passive = _BY.match(sent.text, cue.end()) is not None
    if passive or vocab.witness.search(sent.text, 0, cue.start()):
        after = vocab.witness.search(sent.text, cue.end())
        stop = sent.start + after.start() if after else sent.end
        return _unique(p.name for p in here if cut <= p.span.start < stop)
    return _unique(p.name for p in here if p.span.end <= cut)


def _quoted_titles(text: str) -> list[str]:
    titles = []
    for m in _QUOTED.finditer(text):
        title = clean(m.group("title")).rstrip(" ,;")
        if title[:1].isupper() and len(title.split()) >= 2:
            titles.append(title)
    return titles


def _listed_title(text: str, signing: _Signing) -> list[str]:
    """An unquoted title that a list item after a signing lead-in consists of ("- the
    Co-operation Agreement on ... between A and B;")."""
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)
    end = _ITEM_END.search(text)
    title = clean(text[: end.start()] if end else text)
    if not title[:1].isupper() or signing.nouns.search(title) is None:
        return []
    return [title] if len(title.split()) >= 2 else []


_PROSE_TITLE = re.compile(
    r"[A-Z][\w'’()/-]*(?:\s+(?:(?:of|on|in|for|to|with|between|and|the)\s+)*[A-Z][\w'’()/-]*)*"
)


def _prose_titles(text: str, cue: re.Match[str], signing: _Signing) -> list[str]:
    """Unquoted titles after an active signing word ("A and B signed the Co-operation
    Memorandum of the Seventh Meeting of ..."): capitalised words (joined by "of", "on",
    "between", "and the", ...) with a document's noun; "X Agreement and the Y Memorandum" are
    two titles, "... between the A and the B" one."""
    after = re.match(r"\s+(?:of\s+)?the\s+", text[cue.end() :])
    if after is None:
        return []
    m = _PROSE_TITLE.match(text, cue.end() + after.end())
    if m is None:
        return []
    titles: list[str] = []
    for part in re.split(r"\s+and\s+the\s+", clean(m.group())):
        if signing.nouns.search(part) or not titles:
            titles.append(part)
        else:
            titles[-1] += " and the " + part
    return [t for t in titles if signing.nouns.search(t) and len(t.split()) >= 2]


def _short_form(text: str, signing: _Signing, docs: list[SignedDocument]) -> SignedDocument | None:
    """The one document a later sentence names by the first words of its title ("The
    Co-operation Memorandum was signed by ...")."""
    for m in re.finditer(r"[A-Z][\w'’-]*(?:\s+(?:of\s+)?[A-Z][\w'’-]*)*", text):
        phrase = m.group()
        if signing.nouns.search(phrase) is None:
            continue
        key = name_key(phrase)
        hits = [d for d in docs if name_key(d.title).startswith(key)]
        if len(hits) == 1:
            return hits[0]
    return None


def _parties(
    doc: SignedDocument,
    registry: Registry,
    finder: BodyFinder,
    people: list[Person],
) -> list[str]:
    """ "between X and Y" in the title, else the bodies of the signatories' posts."""
    m = _BETWEEN.search(doc.title)
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
        return [clean(part) for part in re.split(r"\s+and\s+", text, maxsplit=1)]
    holders = {p.name: p for p in people}
    return _unique(
        h.body
        for name in doc.signatories
        if name in holders
        for h in holders[name].posts[:1]
        if h.body
    )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
