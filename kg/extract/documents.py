"""Documents signed at the meeting: quoted titles in signing sentences and the lists
they lead, their signatories and their parties."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kg.extract.bodies import BodyFinder
from kg.extract.mention import clean
from kg.extract.people import PersonMention
from kg.extract.segment import Block, sentences
from kg.extract.vocab import Vocabulary
from kg.model import Person, SignedDocument
from kg.registry import Registry, name_key

_QUOTED = re.compile(r"[\"“](?P<title>[^\"“”]{3,300}?)[\"”]")
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?(?P<parties>.+)$")


def find_documents(
    blocks: list[Block],
    vocab: Vocabulary,
    registry: Registry,
    finder: BodyFinder,
    mentions: list[PersonMention],
    people: list[Person],
) -> list[SignedDocument]:
    """Signed documents in order of first mention; a title quoted again is the same one."""
    docs: dict[str, SignedDocument] = {}
    honorifics = frozenset(vocab.words("honorifics"))
    lead: list[str] | None = None  # signatories of a lead-in ("... were signed:") and its list
    for block in (b for b in blocks if not b.chrome):
        if lead is not None and block.marker is None:
            lead = None
        for sent in sentences(block, honorifics):
            cue = vocab.sign.search(sent.text)
            in_list = lead is not None and block.marker is not None
            if cue is None and not in_list:
                continue
            signers = lead or []
            if cue is not None:
                cut = sent.start + cue.start()
                here = [p for p in mentions if p.sentence == sent]
                if vocab.witness.search(sent.text, 0, cue.start()):
                    # "A witnessed the signing of X by B": B signed, A did not.
                    signers = _unique(p.name for p in here if p.span.start >= cut)
                else:
                    signers = _unique(p.name for p in here if p.span.end <= cut)
            for m in _QUOTED.finditer(sent.text):
                title = clean(m.group("title")).rstrip(" ,;")
                if not title[:1].isupper() or len(title.split()) < 2:
                    continue
                doc = docs.get(name_key(title))
                if doc is None:
                    span = sent if cue is not None else block.span
                    doc = docs[name_key(title)] = SignedDocument(title, span=span)
                for name in signers:
                    if name not in doc.signatories:
                        doc.signatories.append(name)
            if cue is not None and sent.text.rstrip().endswith(":"):
                lead = signers
    for doc in docs.values():
        doc.parties = _parties(doc, registry, finder, people)
    return list(docs.values())


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
