"""Claims of analysis documents: themes in quotes, sectors named, and who offers what."""

from __future__ import annotations

import re

from kg.extract.segment import Block, sentences
from kg.extract.vocab import Vocabulary, alternation, alternation_ignoring_case
from kg.model import Span, Statement
from kg.registry import Registry

_QUOTED = re.compile(r"[\"“](?P<t>[^\"“”]{2,80}?)[,.;]?[\"”]")
_LIST = re.compile(r",\s*(?:and\s+)?|\s+and\s+")


def find_statements(blocks: list[Block], vocab: Vocabulary, registry: Registry) -> list[Statement]:
    """Themes and sectors (first mention of each) and complementarity claims, in text order."""
    honorifics = frozenset(vocab.words("honorifics"))
    cues = alternation_ignoring_case(vocab.words("theme_cues"))
    sectors = alternation_ignoring_case(vocab.words("sectors"))
    canonical = {s.lower(): s for s in vocab.words("sectors")}
    offers = _offer_pattern(vocab, registry)
    # Words a match needs as written: most sentences hold none, and are not searched.
    contrasts = tuple({w.split()[0] for w in vocab.words("contrast_words")})
    out: list[Statement] = []
    seen: set[tuple[str, str]] = set()

    def add(
        kind: str,
        label: str,
        span: Span,
        places: _Places | list[str],
        offered_by: str | None = None,
        offers: list[str] | None = None,
    ) -> None:
        # A theme or sector is stated once, where the text first names it.
        if kind != "complementarity" and (kind, label) in seen:
            return
        seen.add((kind, label))
        if isinstance(places, _Places):
            places = places.names()
        out.append(Statement(kind, label, span, places, offered_by, offers or []))

    for block in (b for b in blocks if not b.chrome):
        for sent in sentences(block, honorifics):
            places = _Places(registry, sent.text)
            quoted = '"' in sent.text or "“" in sent.text
            if quoted and cues.search(sent.text):
                for m in _QUOTED.finditer(sent.text):
                    raw = m.group("t")
                    label = raw.strip()
                    start = sent.start + m.start("t") + len(raw) - len(raw.lstrip())
                    add("theme", label, Span(start, start + len(label), label), places)
            for m in sectors.finditer(sent.text):
                label = canonical.get(m.group().lower(), m.group())
                span = Span(sent.start + m.start(), sent.start + m.end(), m.group())
                add("sector", label, span, places)
            contrasted = any(w in sent.text for w in contrasts)
            for m in offers.finditer(sent.text) if contrasted else ():
                pair = [_place(registry, m.group("a")), _place(registry, m.group("b"))]
                for side, what in (("a", "x"), ("b", "y")):
                    items = [i.strip() for i in _LIST.split(m.group(what)) if i.strip()]
                    start, end = sent.start + m.start(side), sent.start + m.end(what)
                    span = Span(start, end, sent.text[m.start(side) : m.end(what)])
                    by = _place(registry, m.group(side))
                    add(
                        "complementarity",
                        f"{by} offers {', '.join(items)}",
                        span,
                        pair,
                        offered_by=by,
                        offers=items,
                    )
    return sorted(out, key=lambda s: s.span.start)


class _Places:
    """The places a sentence names, read only for a sentence that states something: most
    state nothing, and a long text has tens of thousands of sentences."""

    def __init__(self, registry: Registry, text: str) -> None:
        self.registry, self.text = registry, text
        self._names: list[str] | None = None

    def names(self) -> list[str]:
        if self._names is None:
            found = self.registry.find_jurisdictions(self.text)
            self._names = list(dict.fromkeys(p.name for _, _, p in found))
        return self._names  # one list for the sentence's statements, as before


def _offer_pattern(vocab: Vocabulary, registry: Registry) -> re.Pattern[str]:
    place = registry.jurisdiction_pattern()
    verb = alternation(vocab.words("offer_verbs"))
    contrast = alternation(vocab.words("contrast_words"))
    return re.compile(
        rf"(?P<a>{place})\s+{verb}\s+(?:access\s+to\s+)?(?P<x>[^;]+?),?\s+{contrast}\s+"
        rf"(?P<b>{place})\s+{verb}\s+(?:access\s+to\s+)?(?P<y>[^;]+?)(?=[.;]?$)"
    )


def _place(registry: Registry, name: str) -> str:
    place = registry.resolve_jurisdiction(name)
    return place.name if place else name
